"""Where llminit-nb's LightGCN falls behind RecBole's, one change at a time, on identical split files (issue 29).

Per seed: RecBole's ML-100K (all ratings) split 80/10/10 per user with the seed (`split_ratio`), written with
`save_recbole`; RecBole 1.2.1 trains LightGCN on those files to its early stop (`recbole_worker.py --tables`, in
RecBole's own environment) and saves its best model's final tables; then llminit-nb trains each variant on the same
split. Every side's tables are ranked by the same code (`evaluate`, test, history masked, user by user), so the paired
interval compares models, not evaluators; RecBole's own test metrics are kept beside ours of its tables as a check
that the two evaluations agree. Hyperparameters are RecBole's defaults on both sides: d=64, 2 layers, batch 2048,
Adam lr 1e-3, reg 1e-5 (non-squared norms of the batch's layer-0 rows over the batch size), 1 uniform negative per
interaction never a training item, early stopping on validation NDCG@10.

Variants (each one change from `default`, then the changes together):
- `default`: the package as it is (xavier-normal tables, patience 10: stop after 10 evaluations without a new best).
- `xavier_uniform`: both tables drawn xavier-uniform, as RecBole's `xavier_uniform_initialization`.
- `patience11`: RecBole's rule, `cur_step > stopping_step`: it stops after 11 evaluations without a new best.
- `recbole_stop`: RecBole's whole stopping rule: it compares validation values rounded to 4 decimals (its
  `metric_decimal_place`) and a tie counts as a new best (`value >= best`), so a plateau keeps resetting its counter and
  the best model is the latest of equal ones; then 11 evaluations without one. Emulated here by replacing
  `EarlyStopping.update` for that run.
- `patience20`, `patience30`, `patience50`: llminit-nb's rule with more patience. Both sides' validation curves
  (written to .curves.csv) rise until about epoch 250, so a stop after 10 flat evaluations is a draw on their noise.

Run: .venv/bin/python benchmarks/recbole_parity.py [--seeds 2020 2021 2022] [--threads 2] [--recbole-python PY]
More runs beside the stored ones: ... --recbole-sides recbole-p30 --variants --append
Writes benchmarks/results/cpu-recbole-parity.runs.csv (a row per side and seed), .users.csv (per-user test metrics),
.curves.csv (every side's validation NDCG@10 at each epoch), .intervals.csv (each variant against RecBole, and
against `default`, paired over users and pooled over seeds) and prints the tables."""
import json, math, subprocess, tempfile, time
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated
import numpy as np, pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.loaders import load_dataset
from llminit_nb.splits import split_ratio, save_recbole
from llminit_nb.models import make_model
from llminit_nb.train import fit, EarlyStopping
from llminit_nb.evaluate import evaluate
from llminit_nb.analysis import paired_bootstrap, verdict

HERE = Path(__file__).resolve().parent
METRICS = ('recall@10', 'ndcg@10', 'recall@20', 'ndcg@20')
RECBOLE = {'recbole': 10, 'recbole-p30': 30}  # RecBole sides: its default stopping_step, and 30 like `patience30`
VARIANTS = dict(default={}, xavier_uniform=dict(init='uniform'), patience11=dict(patience=11),
                recbole_stop=dict(patience=11, rounded=True), patience20=dict(patience=20),
                patience30=dict(patience=30), patience50=dict(patience=50))

def xavier_uniform(n:int, d:int, gen:torch.Generator) -> torch.Tensor:
    "An n x d table drawn as `nn.init.xavier_uniform_` draws it (bound sqrt(6 / (n + d))), from `gen`."
    b = (6 / (n + d)) ** 0.5
    return torch.rand(n, d, generator=gen) * 2 * b - b

def _rounded_update(self, epoch, value, model):
    "RecBole's `early_stopping`: values rounded to 4 decimals, a tie is a new best (the later model is kept)."
    v = round(float(value), 4)
    if v >= round(self.best, 4) if math.isfinite(self.best) else True:
        self.best, self.best_epoch, self.bad = v, epoch, 0
        self.best_state = {k: t.detach().clone() for k,t in model.state_dict().items()}
        return True
    self.bad += 1
    return False

@contextmanager
def _stopping(rounded:bool):
    "RecBole's stopping rule in place of llminit-nb's for the block, when `rounded`."
    old = EarlyStopping.update
    if rounded: EarlyStopping.update = _rounded_update
    try: yield
    finally: EarlyStopping.update = old

def ours(s, seed:int, threads:int, init:str='normal', patience:int=10, rounded:bool=False) -> tuple:
    "Train one llminit-nb variant; (its row, its per-user test metrics)."
    torch.set_num_threads(threads); torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    tables = (dict(user_init=xavier_uniform(s.n_users, 64, g), item_init=xavier_uniform(s.n_items, 64, g))
              if init == 'uniform' else {})
    t0 = time.time()
    m = make_model('lightgcn', s.csr('train'), d=64, n_layers=2, reg=1e-5, **tables)
    with _stopping(rounded):
        r = fit(m, s, epochs=300, batch_size=2048, lr=1e-3, patience=patience, min_epochs=0, eval_batch=1024,
                seed=seed, progress=False, device='cpu')
    te, pu = evaluate(m, s, 'test', ks=(10, 20), batch_size=1024, return_users=True)
    row = dict(best_valid_ndcg10=r['best_valid'], best_epoch=r['best_epoch'], epochs_run=r['epochs_run'],
               **{k: float(te[k]) for k in METRICS}, total_s=time.time() - t0,
               valid_curve=[h['ndcg@10'] for h in r['history']])
    return row, pu

def recbole(s, d:Path, name:str, seed:int, threads:int, python:str, stopping_step:int=10) -> tuple:
    "Train RecBole's LightGCN on the split's files; (its row, per-user test metrics of its tables ranked by ours)."
    js, tab = d/f'{name}.json', d/f'{name}.tables.npz'
    subprocess.run([python, str(HERE/'recbole_worker.py'), str(d), name, str(js), '--mode', 'converge', '--seed',
                    str(seed), '--threads', str(threads), '--eval-users', '1024', '--tables', str(tab),
                    '--stopping-step', str(stopping_step)],
                   check=True, stdout=subprocess.DEVNULL, cwd=d)  # RecBole logs into its cwd
    rb, t = json.loads(js.read_text()), np.load(tab)
    U, I = np.zeros((s.n_users, t['user'].shape[1]), np.float32), np.zeros((s.n_items, t['item'].shape[1]), np.float32)
    # row 0 is RecBole's padding id; the others' tokens are the split's codes
    U[t['user_tokens'][1:].astype(int)] = t['user'][1:]; I[t['item_tokens'][1:].astype(int)] = t['item'][1:]
    seen_items = np.zeros(s.n_items, bool); seen_items[t['item_tokens'][1:].astype(int)] = True
    assert seen_items.all(), 'RecBole dropped items of the split'
    te, pu = evaluate(lambda: (torch.from_numpy(U), torch.from_numpy(I)), s, 'test', ks=(10, 20), batch_size=1024,
                      return_users=True)
    row = dict(best_valid_ndcg10=rb['best_valid_ndcg10'], best_epoch=rb['best_epoch'], epochs_run=rb['epochs_run'],
               **{k: float(te[k]) for k in METRICS}, **{f'recbole_{k}': rb[k] for k in METRICS},
               total_s=rb['total_s'], valid_curve=rb['valid_curve'])
    return row, pu

def report(runs:pd.DataFrame, per_user:pd.DataFrame, out:str, n_boot:int=2000):
    "Mean per side, and every variant against RecBole and against `default`, paired over users, pooled over seeds."
    seeds = sorted(runs.seed.unique())
    series = lambda side, m: [per_user[(per_user.side == side) & (per_user.seed == s)].set_index('user')[m]
                              for s in seeds]
    iv, refs = [], [x for x in (*RECBOLE, 'default') if x in set(runs.side)]
    for side in [x for x in runs.side.unique() if x not in RECBOLE]:
        for ref in refs:
            if side == ref: continue
            for m in ('recall@10', 'ndcg@10'):
                r = paired_bootstrap(series(side, m), series(ref, m), n_boot=n_boot)
                iv.append(dict(side=side, against=ref, metric=m, diff=r['diff'], lo=r['lo'], hi=r['hi'],
                               rel=r['diff'] / per_user[per_user.side == ref][m].mean(), verdict=verdict(r),
                               per_seed=' '.join(f'{x:+.4f}' for x in r['per_seed'])))
    iv = pd.DataFrame(iv); iv.to_csv(f'{out}.intervals.csv', index=False, float_format='%.6g')
    cols = ['best_valid_ndcg10', 'recall@10', 'ndcg@10', 'best_epoch', 'epochs_run']
    print(runs.groupby('side', sort=False)[cols].mean().round(4).to_string())
    print(iv.round(4).to_string(index=False))

@call_parse
def main(seeds:Annotated[int, {'nargs': '*'}]=(2020, 2021, 2022), # split and model seeds
         threads:int=2, # torch threads, both sides
         recbole_python:str='/tmp/rb/bin/python', # the Python of RecBole's environment (recbole_worker.py builds it)
         variants:Annotated[str, {'nargs': '*'}]=tuple(VARIANTS), # llminit-nb variants to train
         out:str=str(HERE/'results'/'cpu-recbole-parity'), # results path without extension
         n_boot:int=2000, # bootstrap replicates of each interval
         report_only:bool=False, # only re-read OUT.runs.csv and OUT.users.csv and print/write the intervals
         append:bool=False, # add these runs to OUT's stored ones (a side and seed run again replaces its row)
         recbole_sides:Annotated[str, {'nargs': '*'}]=('recbole',), # RecBole runs, names in RECBOLE (none: reuse)
        ):
    "RecBole and each llminit-nb variant on identical split files, interleaved by seed; paired intervals over users."
    if report_only: return report(pd.read_csv(f'{out}.runs.csv'), pd.read_csv(f'{out}.users.csv'), out, n_boot)
    ds = load_dataset('ml-100k', min_rating=None, kcore=None)
    rows, users, curves = [], [], []
    with tempfile.TemporaryDirectory() as d:
        for seed in seeds:
            s = split_ratio(ds, (0.8, 0.1, 0.1), seed=seed, small_users='train')
            name = f'ml100k-{seed}'; save_recbole(s, d, name)
            for side in tuple(recbole_sides) + tuple(variants):
                row, pu = (recbole(s, Path(d), name, seed, threads, recbole_python, RECBOLE[side]) if side in RECBOLE
                           else ours(s, seed, threads, **VARIANTS[side]))
                curve = row.pop('valid_curve')
                curves.append(pd.DataFrame(dict(side=side, seed=seed, epoch=range(1, len(curve) + 1), ndcg10=curve)))
                rows.append(dict(side=side, seed=seed, threads=threads, **row)); print(rows[-1], flush=True)
                users.append(pu[list(METRICS)].assign(side=side, seed=seed).rename_axis('user').reset_index())
    runs, per_user = pd.DataFrame(rows), pd.concat(users, ignore_index=True)
    curves = pd.concat(curves, ignore_index=True)
    if append:  # keep the stored sides and seeds not run again
        key = set(zip(runs.side, runs.seed))
        old, old_u = pd.read_csv(f'{out}.runs.csv'), pd.read_csv(f'{out}.users.csv')
        runs = pd.concat([old[[k not in key for k in zip(old.side, old.seed)]], runs], ignore_index=True)
        per_user = pd.concat([old_u[[k not in key for k in zip(old_u.side, old_u.seed)]], per_user], ignore_index=True)
        old_c = pd.read_csv(f'{out}.curves.csv')
        curves = pd.concat([old_c[[k not in key for k in zip(old_c.side, old_c.seed)]], curves], ignore_index=True)
    runs.to_csv(f'{out}.runs.csv', index=False); per_user.to_csv(f'{out}.users.csv', index=False, float_format='%.6g')
    curves.to_csv(f'{out}.curves.csv', index=False, float_format='%.6g')
    report(runs, per_user, out, n_boot)
