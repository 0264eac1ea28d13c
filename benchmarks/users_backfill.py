"""Per-user test metrics for stored runs that predate them, so that `findings.intervals` can compare those runs.

Run: .venv/bin/python benchmarks/users_backfill.py STORE [--datasets ml-100k ...] [--backbones mf lightgcn ...]
       [--strategy none] [--d 128]
Each stored run of the selection without a per-user file beside STORE is run again from its key, and the file is kept
only when the rerun's test metrics and best epoch equal the stored ones (else it is discarded and the run named); the
store itself is never written. Used for the main table's MF and LightGCN runs and the collapse grid's random runs at
d = 128 (one thread each: the best validation NDCG@10 may differ in the last digits from a run on another thread
count, the test metrics did not)."""
import json
from pathlib import Path
from typing import Annotated
from fastcore.script import call_parse
from llminit_nb.experiment import run, read_store, users_file, has_users

TEST = ('recall@10', 'ndcg@10', 'recall@20', 'ndcg@20', 'recall@50')

@call_parse
def main(store:str, # a run store written by `grid`
         datasets:Annotated[str, {'nargs': '*'}]=None, # only these datasets (default: all)
         backbones:Annotated[str, {'nargs': '*'}]=None, # only these backbones (default: all)
         strategy:str=None, # only this strategy (default: all)
         d:int=None, # only this embedding size (default: all)
        ):
    "Write the missing per-user files of a store's runs, each checked against the stored metrics."
    if not Path(store).is_file(): raise SystemExit(f'{store}: no such run store; pass the .runs.csv a grid wrote.')
    st = read_store(store)
    for col, keep in (('dataset', datasets), ('backbone', backbones), ('strategy', [strategy] if strategy else None),
                      ('d', [d] if d else None)):
        if keep: st = st[st[col].isin(keep)]
    bad = 0
    for _, r in st[~has_users(st, store)].iterrows():
        f = users_file(store, r.run_key)
        cfg = json.loads(r.run_key); seed = cfg.pop('seed')
        tmp = f.with_name(f.stem + '.tmp.npz')
        new = run(cfg, seed=seed, users_path=tmp)
        same = all(new[m] == r[m] for m in TEST) and new['best_epoch'] == r.best_epoch
        print(f"{r.dataset} {r.backbone} {r.strategy} d={r.d} seed {seed}: {'identical' if same else 'DIFFERENT'} "
              f"(valid NDCG@10 {new['valid_ndcg10'] - r.valid_ndcg10:+.2e})", flush=True)
        if same: tmp.rename(f)
        else: tmp.unlink(); bad += 1
    if bad: raise SystemExit(f'{bad} run(s) did not reproduce; their per-user files were not written.')
