"""The paper's setting (`protocol='paper'`) beside today's (`'masked'`): backbones x variants x seeds per dataset,
with a paired bootstrap interval for every variant against `none` (same dataset, protocol, backbone and seeds).

Run: .venv/bin/python benchmarks/paper_protocol.py [--datasets amazon-office-2014 amazon-scientific-2018]
       [--backbones mf lightgcn sgl sgcl] [--variants none random uniform variance pca variance+center ...]
       [--seeds 2020 2021 2022] [--protocols paper masked] [--model all-MiniLM-L6-v2] [--device cuda]
       [--out benchmarks/results/cpu-paper-protocol]
The full grid is hours on a CPU and minutes on a GPU. Runs are kept in OUT.runs.csv (per-user test metrics in
OUT.runs.users/), so an interrupted grid resumes; --report only writes the tables from the runs there. Writes OUT.csv
(mean and std per dataset, protocol, backbone, variant) and OUT.intervals.csv (mean paired difference against `none`
over test users pooled over seeds, its 95% interval, and the verdict), and prints both."""
from pathlib import Path
from typing import Annotated
import torch
from fastcore.script import call_parse
from llminit_nb.experiment import grid, summarize, summary_view, variant_col
from llminit_nb.store import read_store
from llminit_nb.analysis import complete, intervals

@call_parse
def main(datasets:Annotated[str, {'nargs': '*'}]=('amazon-office-2014', 'amazon-scientific-2018'), # datasets
         backbones:Annotated[str, {'nargs': '*'}]=('mf', 'lightgcn', 'sgl', 'sgcl'), # backbones
         variants:Annotated[str, {'nargs': '*'}]=('none', 'random', 'uniform', 'variance', 'pca', 'random+center',
                                                  'uniform+center', 'variance+center'), # initialisations
         seeds:Annotated[int, {'nargs': '*'}]=(2020, 2021, 2022), # seeds
         protocols:Annotated[str, {'nargs': '*'}]=('paper', 'masked'), # protocols
         model:str=None, # embedding model of every run (default: each protocol's: MPNet for 'paper', RunConfig's else)
         device:str=None, # torch device (default: CUDA, MPS, then CPU)
         out:str='benchmarks/results/cpu-paper-protocol', # results path without extension
         report:bool=False, # only write the tables from the runs already in the store
        ):
    """The paper-setting grid with paired intervals against `none`; the tables cover every whole comparison in the store
    (several invocations, e.g. one process a dataset, add to one store)."""
    store = f'{out}.runs.csv'
    if report and not Path(store).exists(): raise SystemExit(f'--report: no run store {store}; run the grid first.')
    if not report:
        base = dict(device=device) | (dict(model=model) if model else {})
        grid(base, seeds=seeds, path=store, dataset=list(datasets), protocol=list(protocols),
             backbone=list(backbones), variant=list(variants))
    runs = read_store(store)
    runs['protocol'] = runs['protocol'].fillna('masked') if 'protocol' in runs else 'masked'
    # whole comparisons only: a (dataset, protocol, backbone, seed) counts once its group's every variant ran
    runs = complete(runs, by=('dataset', 'protocol', 'backbone', 'seed'), within=('protocol', 'backbone'))
    sm = summarize(runs, by=['dataset', 'protocol', 'backbone', variant_col(runs)])
    sm.to_csv(f'{out}.csv', index=False)
    iv = intervals(runs, store)
    iv.to_csv(f'{out}.intervals.csv', index=False)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads\n')
    print(summary_view(sm).to_string(index=False)); print(); print(iv.round(4).to_string(index=False))
    print(f'wrote {out}.csv, {out}.intervals.csv ({store}: the runs)')
