"""Ablation: does the scale of the selected LLM columns decide whether LLMInit helps?

Raw mean-pooled SmolLM2 hidden states share one large direction (mean pairwise cosine 0.96 on ML-100K items; one
column has mean ~30), so the selected columns start LightGCN far from its xavier scale. This runs LightGCN d=64 on
ML-100K (rating>=4, 5-core, random leave-one-out) with none vs random/uniform/variance initialisation, each as
selected (the paper), centred, rescaled to xavier std, and both, over 3 seeds.

Run: .venv/bin/python benchmarks/init_scale_ablation.py [--dataset ml-100k] [--model SmolLM2-135M]
     [--seeds 2020 2021 2022]
Writes benchmarks/results/<device>-init-scale-<dataset>-<model>.{runs.csv,csv,md} and prints the table."""
import time
import torch
from llminit_nb.experiment import grid, save_results, summary_view
from fastcore.script import call_parse
from typing import Annotated

def scaling(row) -> str:
    "How a run's selected columns were scaled, read from its own options."
    if row['strategy'] == 'none': return '-'
    return ('centred' if row.get('center') == True else 'raw') + (' + xavier std' if row.get('rescale') == 'xavier' else '')

@call_parse
def main(dataset:str='ml-100k', # dataset
         model:str='SmolLM2-135M', # embedding model
         seeds:Annotated[int, {'nargs': '+'}]=(2020, 2021, 2022), # seeds
         strategies:Annotated[str, {'nargs': '+'}]=('random', 'uniform', 'variance'), # selectors
         epochs:int=300, # epoch limit (early stopping ends most runs sooner)
         device:str=None, # torch device (default: the best present)
        ):
    "LightGCN d=64: none vs each selector, raw, centred, rescaled to xavier std, and both."
    t0 = time.time()
    base = dict(dataset=dataset, model=model, backbone='lightgcn', d=64, epochs=epochs, device=device)
    # every selector raw, centred, rescaled and both: named variants, so each row carries its label
    both = {f'{s}+center+xavier': dict(strategy=s, center=True, rescale='xavier') for s in strategies}
    labels = ['none'] + [f'{s}{v}' for v in ('', '+center', '+xavier', '+center+xavier') for s in strategies]
    dev = device or ('cuda' if torch.cuda.is_available() else 'cpu')
    out = f'benchmarks/results/{dev}-init-scale-{dataset}-{model}'
    df = grid(base, seeds=seeds, variant=labels, variants=both, path=f'{out}.runs.csv')  # resumable: the store
    df['scaling'] = df.apply(scaling, axis=1)
    sm = save_results(df, out, runs=False, by=('dataset', 'strategy', 'scaling'),
                      metrics=('recall@10', 'ndcg@10', 'recall@20', 'best_epoch'))
    print(summary_view(sm).to_string(index=False))
    print(f'\n{len(df)} runs in {time.time() - t0:.0f}s on {dev}; wrote {out}.csv/.md/.runs.csv')
