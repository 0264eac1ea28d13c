"""llminit-nb and RecBole 1.2.1 side by side on the same split files, in one run, interleaved: LightGCN d=64, 2 layers,
batch 2048, lr 1e-3, reg 1e-5, trained to early stopping on validation NDCG@10 (patience 10, no minimum), each side's
best epoch on test, 1,024 users per evaluation batch on both sides, threads pinned.

Run: .venv/bin/python benchmarks/recbole_same_split.py [--seeds 2020 2021 2022] [--threads 2] [--recbole-python /tmp/rb/bin/python]
RecBole runs in its own environment (`recbole_worker.py` says how to build it; its pins clash with ours) through
`recbole_worker.py`. Data: RecBole's ML-100K as RecBole loads it by default (all ratings, no filter), split 80/10/10
per user by `split_ratio` with the run's seed and written with `save_recbole`; RecBole reads those files as its
benchmark files, so both sides train, validate and test on identical interactions. Per seed: ours, then RecBole.
Writes benchmarks/results/cpu-recbole-same-split.runs.csv (a row a side and seed) and cpu-recbole-same-split.csv (per
side: mean and std of best validation NDCG@10, test Recall@10 / NDCG@10, epochs, s/epoch, s/eval; and the speed-ups)."""
import json, subprocess, tempfile, time
from pathlib import Path
from typing import Annotated
import numpy as np, pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.loaders import load_dataset
from llminit_nb.splits import split_ratio, save_recbole
from llminit_nb.models import make_model
from llminit_nb.train import fit
from llminit_nb.evaluate import evaluate

def ours(s, seed, threads):
    torch.set_num_threads(threads); torch.manual_seed(seed)
    t0 = time.time()
    m = make_model('lightgcn', s.csr('train'), d=64, n_layers=2, reg=1e-5)
    r = fit(m, s, epochs=300, batch_size=2048, lr=1e-3, patience=10, min_epochs=0, eval_batch=1024, seed=seed,
            progress=False, device='cpu')
    te = evaluate(m, s, 'test', ks=(10, 20), batch_size=1024)
    h = r['history'][1:]  # the first epoch pays one-time costs, as RecBole's first
    return dict(side='llminit-nb', seed=seed, threads=threads, best_valid_ndcg10=r['best_valid'],
                best_epoch=r['best_epoch'], epochs_run=r['epochs_run'],
                s_per_epoch=float(np.median([x['train_s'] for x in h])), s_per_eval=float(np.median([x['eval_s'] for x in h])),
                **{k: float(v) for k,v in te.items()}, total_s=time.time() - t0)

@call_parse
def main(seeds:Annotated[int, {'nargs': '*'}]=(2020, 2021, 2022), # split and model seeds
         threads:int=2, # torch threads, both sides
         recbole_python:str='/tmp/rb/bin/python', # the Python of RecBole's environment
         out:str='benchmarks/results/cpu-recbole-same-split', # results path without extension
        ):
    "Both libraries on identical split files, interleaved."
    ds = load_dataset('ml-100k', min_rating=None, kcore=None)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for seed in seeds:
            s = split_ratio(ds, (0.8, 0.1, 0.1), seed=seed, small_users='train')
            name = f'ml100k-{seed}'
            save_recbole(s, d, name)
            rows.append(ours(s, seed, threads)); print(rows[-1], flush=True)
            js = Path(d)/f'{name}.json'
            subprocess.run([recbole_python, str(Path(__file__).resolve().parent/'recbole_worker.py'), d, name, str(js),
                            '--mode', 'converge', '--seed', str(seed), '--threads', str(threads),
                            '--eval-users', '1024'], check=True, stdout=subprocess.DEVNULL, cwd=d)  # RecBole logs into its cwd
            rb = json.loads(js.read_text()); rows.append({k: v for k,v in rb.items() if k != 'torch'}); print(rows[-1], flush=True)
    runs = pd.DataFrame(rows)
    runs.to_csv(f'{out}.runs.csv', index=False)
    cols = ['best_valid_ndcg10', 'recall@10', 'ndcg@10', 'best_epoch', 'epochs_run', 's_per_epoch', 's_per_eval']
    t = runs.groupby('side', sort=False)[cols].agg(['mean', 'std'])
    t.columns = [f'{a}_{b}' if b == 'std' else a for a,b in t.columns]
    t = t.reset_index().assign(seeds=len(seeds), threads=threads)
    t.to_csv(f'{out}.csv', index=False)
    a, b = t.set_index('side').loc['llminit-nb'], t.set_index('side').loc['recbole']
    print(f'torch {torch.__version__}, {threads} threads, {len(seeds)} seeds\n'); print(t.round(4).to_string(index=False))
    print(f"\nper epoch {b.s_per_epoch / a.s_per_epoch:.1f}x, per evaluation {b.s_per_eval / a.s_per_eval:.1f}x faster; "
          f"best valid NDCG@10 {a.best_valid_ndcg10:.4f} vs {b.best_valid_ndcg10:.4f}")
    print(f'wrote {out}.csv, {out}.runs.csv')
