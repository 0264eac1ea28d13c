"""Distributed training (`fit` under torchrun: DDP over gloo on CPUs) against one process, on ML-100K and Office.

Run: .venv/bin/python benchmarks/ddp_fit.py [--datasets ml-100k amazon-office-2014] [--seeds 2020 2021 2022]
For each seed and dataset, interleaved: `torchrun --nproc-per-node 1` with every CPU thread, then
`--nproc-per-node 2` with the threads split between the ranks, both on the main table's configuration (LightGCN d=64,
2 layers, batch 2048, lr 1e-3, early stopping on validation NDCG@10, no LLM initialisation: the engine is what is
measured). Writes benchmarks/results/cpu-ddp-fit.runs.csv (one row a run) and cpu-ddp-fit.csv (per dataset and number
of processes: mean and std of the test metrics and of the seconds per epoch, and whether the 2-process mean lies within
one std of the 1-process runs), and prints the table. Office needs the prepared data in ../shared."""
import json, os, subprocess, sys, tempfile, time
from pathlib import Path
from typing import Annotated
import pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.config import RunConfig
from llminit_nb.experiment import run
from llminit_nb.loaders import find_data
from llminit_nb.core import LLMInitError

KEEP = ['dataset', 'seed', 'recall@10', 'ndcg@10', 'recall@20', 'ndcg@20', 'valid_ndcg10', 'best_epoch', 'train_s',
        'total_s', 's_per_epoch']

def _worker(dataset, seed, threads, out):
    "One run of the configuration; every rank trains, rank 0 writes the row."
    from llminit_nb.train import init_distributed, is_main
    torch.set_num_threads(threads)
    _, world = init_distributed()
    r = run(RunConfig(dataset=dataset, backbone='lightgcn', strategy='none', device='cpu'), seed=seed)
    if is_main(): Path(out).write_text(json.dumps({**{k: r[k] for k in KEEP}, 'processes': world, 'threads': threads}))

def _found(d):
    if d == 'ml-100k': return True
    try: return bool(find_data(d))
    except LLMInitError as e: print(f'{d} skipped: {e}'); return False

@call_parse
def main(datasets:Annotated[str, {'nargs': '*'}]=('ml-100k', 'amazon-office-2014'), # datasets to train on
         seeds:Annotated[int, {'nargs': '*'}]=(2020, 2021, 2022), # seeds, each run with 1 and 2 processes
         procs:Annotated[int, {'nargs': '*'}]=(1, 2), # processes per run
         out:str='benchmarks/results/cpu-ddp-fit', # results path without extension
         worker:str=None, # (internal) run one job and write its row to this file
         dataset:str=None, # (internal) the worker's dataset
         seed:int=2020, # (internal) the worker's seed
         threads:int=1, # (internal) the worker's CPU threads
        ):
    "1 vs 2 processes of DDP training: test metrics over seeds and seconds per epoch."
    if worker: return _worker(dataset, seed, threads, worker)
    cpus = os.cpu_count()
    datasets = [d for d in datasets if _found(d)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for s in seeds:
            for d in datasets:
                for k in procs:
                    f, th = Path(tmp)/f'{d}-{s}-{k}.json', max(1, cpus // k)
                    t0 = time.time()
                    p = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--nproc-per-node', str(k),
                                        __file__, '--worker', str(f), '--dataset', d, '--seed', str(s),
                                        '--threads', str(th)], capture_output=True, text=True,
                                       env={**os.environ, 'OMP_NUM_THREADS': str(th)})
                    if p.returncode: sys.exit(f'{d} seed {s} with {k} process(es) failed:\n{p.stderr[-3000:]}')
                    rows.append({**json.loads(f.read_text()), 'wall_s': time.time() - t0}); print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(f'{out}.runs.csv', index=False)
    m = ['recall@10', 'ndcg@10', 's_per_epoch']
    sm = df.groupby(['dataset', 'processes'])[m].agg(['mean', 'std'])
    sm.columns = [f'{a}_{b}' for a,b in sm.columns]
    sm = sm.reset_index()
    for c in ('recall@10', 'ndcg@10'):  # the 2-process mean against the 1-process spread, per dataset
        one = sm[sm.processes == 1].set_index('dataset')
        ref = sm.dataset.map(one[f'{c}_mean']), sm.dataset.map(one[f'{c}_std'])
        sm[f'{c}_within_1std'] = (sm[f'{c}_mean'] - ref[0]).abs() <= ref[1]
    sm['threads_per_process'] = [max(1, cpus // k) for k in sm.processes]
    sm.to_csv(f'{out}.csv', index=False)
    print(f'\nLightGCN d=64, strategy none, torch {torch.__version__}, {cpus} CPUs, seeds {list(seeds)}\n')
    print(sm.round(4).to_string(index=False)); print(f'wrote {out}.csv and {out}.runs.csv')
