"""Larger batches (fewer, larger steps: what keeps a GPU busy) against the main table's batch 2048, with the learning
rate scaled by the square root and linearly of the batch ratio; is the accuracy kept?

Run: .venv/bin/python benchmarks/batch_size.py [--datasets ml-100k amazon-office-2014] [--seeds 2020 2021 2022]
       [--configs 2048:1e-3 8192:2e-3 8192:4e-3] [--threads 1] [--out benchmarks/results/cpu-batch-size]
LightGCN d=64, 2 layers, no LLM initialisation (the engine is what is measured), early stopping on validation NDCG@10,
the run store OUT.runs.csv (resumable, per-user test metrics beside it). Writes OUT.csv: per dataset and configuration the
mean and std of test Recall@10 / NDCG@10, the epochs to the best, the seconds per epoch (training and validation) and in all, and the paired
bootstrap interval of the Recall@10 difference against the first configuration; prints it."""
from typing import Annotated
import pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.experiment import grid
from llminit_nb.store import users_file, load_users
from llminit_nb.analysis import paired_bootstrap, verdict

@call_parse
def main(datasets:Annotated[str, {'nargs': '*'}]=('ml-100k', 'amazon-office-2014'), # datasets
         seeds:Annotated[int, {'nargs': '*'}]=(2020, 2021, 2022), # seeds
         configs:Annotated[str, {'nargs': '*'}]=('2048:1e-3', '8192:2e-3', '8192:4e-3'), # BATCH:LR, the first is the reference
         threads:int=1, # torch threads
         out:str='benchmarks/results/cpu-batch-size', # results path without extension
        ):
    "Batch size and learning rate against accuracy and time."
    torch.set_num_threads(threads)
    store, runs = f'{out}.runs.csv', []
    for seed in seeds:  # interleaved, so that a slower stretch of the machine hits every configuration
        for c in configs:
            b, lr = c.split(':')
            r = grid(dict(backbone='lightgcn', strategy='none', device='cpu'), seeds=[seed], path=store,
                     dataset=list(datasets), batch_size=[int(b)], lr=[float(lr)])
            runs.append(r.assign(config=c))
    runs = pd.concat(runs, ignore_index=True)
    rows = []
    for (ds, c), g in runs.groupby(['dataset', 'config'], sort=False):
        ref = runs[(runs.dataset == ds) & (runs.config == configs[0])].set_index('seed')
        g = g.set_index('seed'); seeds_ = sorted(set(g.index) & set(ref.index))
        row = dict(dataset=ds, config=c, seeds=len(g), threads=threads)
        for m in ('recall@10', 'ndcg@10', 'best_epoch', 's_per_epoch', 'total_s'):
            row[m], row[f'{m}_std'] = g[m].mean(), g[m].std()
        if c != configs[0]:
            a = [load_users(users_file(store, g.run_key[s]))['recall@10'] for s in seeds_]
            b = [load_users(users_file(store, ref.run_key[s]))['recall@10'] for s in seeds_]
            iv = paired_bootstrap(a, b)
            row.update(diff=iv['diff'], lo=iv['lo'], hi=iv['hi'], verdict=verdict(iv))
        rows.append(row)
    t = pd.DataFrame(rows)
    t.to_csv(f'{out}.csv', index=False)
    print(f'torch {torch.__version__}, {threads} thread(s)\n'); print(t.round(4).to_string(index=False))
    print(f'wrote {out}.csv ({store}: the runs)')
