"""The paper's setting (`protocol='paper'`) beside today's (`'masked'`): backbones x variants x seeds per dataset,
with a paired bootstrap interval for every variant against `none` (same dataset, protocol, backbone and seeds).

Run: .venv/bin/python benchmarks/paper_protocol.py [--datasets amazon-office-2014 amazon-scientific-2018]
       [--backbones mf lightgcn sgl sgcl] [--variants none random uniform variance pca variance+center pca+center ...]
       [--seeds 2020 2021 2022] [--protocols paper masked] [--device cuda] [--out benchmarks/results/cpu-paper-protocol]
The full grid is hours on a CPU and minutes on a GPU. Runs are kept in OUT.runs.csv (per-user test metrics in
OUT.runs.users/), so an interrupted grid resumes. Writes OUT.csv (mean and std per dataset, protocol, backbone, variant)
and OUT.intervals.csv (mean paired difference against `none` over test users pooled over seeds, its 95% interval,
and the verdict), and prints both."""
from typing import Annotated
import pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.experiment import grid, summarize, users_file, load_users, label_col
from llminit_nb.analysis import paired_bootstrap, verdict

def intervals(runs:pd.DataFrame, store:str, metrics=('recall@10', 'ndcg@10')) -> pd.DataFrame:
    "Every variant against `none` of the same dataset, protocol and backbone, paired over the seeds both ran."
    lab, out = label_col(runs), []
    for (ds, pr, bb), g in runs.groupby(['dataset', 'protocol', 'backbone']):
        ref = g[g[lab] == 'none'].set_index('seed')
        for v, h in g[g[lab] != 'none'].groupby(lab):
            h = h.set_index('seed'); seeds = sorted(set(h.index) & set(ref.index))
            if not seeds: continue
            a = [load_users(users_file(store, h.run_key[s])) for s in seeds]
            b = [load_users(users_file(store, ref.run_key[s])) for s in seeds]
            for m in metrics:
                r = paired_bootstrap([x[m] for x in a], [x[m] for x in b])
                out.append(dict(dataset=ds, protocol=pr, backbone=bb, variant=v, metric=m, none=float(ref[m].mean()),
                                value=float(h[m].mean()), diff=r['diff'], lo=r['lo'], hi=r['hi'], seeds=len(seeds),
                                users=r['users'], verdict=verdict(r),
                                per_seed=' '.join(f'{d:+.4f}' for d in r['per_seed'])))
    return pd.DataFrame(out)

@call_parse
def main(datasets:Annotated[str, {'nargs': '*'}]=('amazon-office-2014', 'amazon-scientific-2018'), # datasets
         backbones:Annotated[str, {'nargs': '*'}]=('mf', 'lightgcn', 'sgl', 'sgcl'), # backbones
         variants:Annotated[str, {'nargs': '*'}]=('none', 'random', 'uniform', 'variance', 'pca', 'random+center',
                                                  'uniform+center', 'variance+center', 'pca+center'), # initialisations
         seeds:Annotated[int, {'nargs': '*'}]=(2020, 2021, 2022), # seeds
         protocols:Annotated[str, {'nargs': '*'}]=('paper', 'masked'), # protocols
         device:str=None, # torch device (default: CUDA, MPS, then CPU)
         out:str='benchmarks/results/cpu-paper-protocol', # results path without extension
        ):
    "The paper-setting grid with paired intervals against `none`."
    store = f'{out}.runs.csv'
    runs = grid(dict(device=device), seeds=seeds, path=store, dataset=list(datasets), protocol=list(protocols),
                backbone=list(backbones), variant=list(variants))
    runs['protocol'] = runs['protocol'].fillna('masked') if 'protocol' in runs else 'masked'
    sm = summarize(runs, by=['dataset', 'protocol', 'backbone', label_col(runs)])
    sm.to_csv(f'{out}.csv', index=False)
    iv = intervals(runs, store)
    iv.to_csv(f'{out}.intervals.csv', index=False)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads\n')
    print(sm.to_string(index=False)); print(); print(iv.round(4).to_string(index=False))
    print(f'wrote {out}.csv, {out}.intervals.csv ({store}: the runs)')
