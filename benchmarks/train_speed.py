"""Seconds per LightGCN training epoch and per full validation pass, with RecBole 1.2.1's LightGCN settings
(d=64, 2 layers, batch 2048, lr 1e-3, reg 1e-5), on MovieLens-100K and Amazon Office.

Run: .venv/bin/python benchmarks/train_speed.py [--epochs 6] [--device cpu] [--converge [SEED ...]] [--csv PATH]
Writes benchmarks/results/<device>-train-speed.csv (one row per dataset, plus one per converged split seed) and prints the table.
The first row uses RecBole's default kind of split of ML-100K (all ratings, 80/10/10 per user). This script times the
package alone: the comparison with RecBole, run side by side on identical split files with matched evaluation batching,
is `benchmarks/recbole_same_split.py` (and `benchmarks/scaling_cost.py` at larger sizes). `--converge` also trains that
row to early stopping (patience 10, as RecBole's stopping_step) for each split seed given and prints the best
validation NDCG@10."""
import time
import numpy as np, torch
from llminit_nb.loaders import load_dataset
from llminit_nb.splits import split_loo, split_ratio
from llminit_nb.models import make_model
from llminit_nb.train import fit
from fastcore.script import call_parse
from typing import Annotated

def bench(ds, s, epochs, patience, device=None):
    torch.manual_seed(0)
    m = make_model('lightgcn', s.csr('train'), d=64, n_layers=2, reg=1e-5)
    r = fit(m, s, epochs=epochs, batch_size=2048, lr=1e-3, patience=patience, eval_every=1, progress=False, device=device)
    h = r['history'][1:]  # the first epoch pays one-time costs (allocations, thread start-up)
    return np.median([x['train_s'] for x in h]), np.median([x['eval_s'] for x in h]), r

@call_parse
def main(epochs:int=6, # epochs to time (the median of epochs 2.. is reported)
         device:str=None, # torch device (default: the best present)
         converge:Annotated[int, {'nargs': '*'}]=None, # also train the RecBole-split row to early stopping, per split seed (bare flag: 2020)
         csv:str=None, # results CSV (default: benchmarks/results/<device>-train-speed.csv)
        ):
    "Seconds per LightGCN epoch and per full validation pass on ML-100K and Office."
    rows = []
    for label, name, kw, how in [('ML-100K, all ratings, RecBole split 80/10/10', 'ml-100k', dict(min_rating=None, kcore=None), 'ratio'),
                                 ('ML-100K, all ratings, leave-one-out', 'ml-100k', dict(min_rating=None, kcore=None), 'loo'),
                                 ('ML-100K, rating>=4, 5-core, leave-one-out', 'ml-100k', dict(min_rating=4, kcore=5), 'loo'),
                                 ('Amazon Office 2014, 5-core, leave-one-out', 'amazon-office-2014', dict(kcore=5), 'loo')]:
        ds = load_dataset(name, **kw)
        s = split_ratio(ds, (0.8, 0.1, 0.1), seed=2020, small_users='train') if how == 'ratio' else split_loo(ds, seed=2020, small_users='train')
        tr, ev, r = bench(ds, s, epochs, 10**9, device)
        rows.append((label, ds.n_users, ds.n_items, len(s.train), tr, ev, r['history'][-1]['ndcg@10']))
        if how == 'ratio' and converge is not None:
            conv = []
            for seed in converge or [2020]:
                sc = split_ratio(ds, (0.8, 0.1, 0.1), seed=seed, small_users='train')
                t0 = time.time(); _, _, rc = bench(ds, sc, 300, 10, device)
                conv.append((seed, rc['best_valid'], rc['best_epoch'], rc['epochs_run'], time.time() - t0))

    dev = device or ('cuda' if torch.cuda.is_available() else 'cpu')
    print(f'\ntorch {torch.__version__}, device {dev}, {torch.get_num_threads()} threads, median of epochs 2..{epochs}\n')
    print(f'| dataset | users | items | train interactions | s / epoch | s / full eval | valid NDCG@10 after {epochs} epochs |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for n,u,i,t,tr,ev,nd in rows: print(f'| {n} | {u:,} | {i:,} | {t:,} | {tr:.3f} | {ev:.4f} | {nd:.4f} |')
    if converge is not None:
        print('\nTrained to early stopping (patience 10) on the 80/10/10 split of ML-100K:')
        for seed, b, e, n, t in conv: print(f'  split seed {seed}: best valid NDCG@10 {b:.4f} at epoch {e} ({n} epochs, {t:.0f} s in all)')
        v = np.array([c[1] for c in conv]); print(f'  mean {v.mean():.4f} ± {v.std():.4f}')

    import pandas as pd
    out = csv or f'benchmarks/results/{dev}-train-speed.csv'
    tab = pd.DataFrame([dict(kind='speed', dataset=n, users=u, items=i, train_interactions=t, s_per_epoch=round(tr, 3), s_per_eval=round(ev, 4),
                             valid_ndcg10=round(nd, 4), threads=torch.get_num_threads(), device=dev) for n,u,i,t,tr,ev,nd in rows] +
                       [dict(kind='converged', system='llminit-nb', dataset=rows[0][0], split_seed=seed, valid_ndcg10=round(b, 4), best_epoch=e, epochs_run=n_, seconds=round(t_, 1),
                             threads=torch.get_num_threads(), device=dev) for seed,b,e,n_,t_ in (conv if converge is not None else [])])
    tab.to_csv(out, index=False); print(f'wrote {out}')
