"""The collapse grid with wider language models, in both protocols: LightGCN on Office with its own random table at
d up to D, with the whole D-column LLM table, and with variance-selected columns (`collapse_grid` in `benchmarks/findings.py`).

Run: .venv/bin/python benchmarks/collapse_llm.py [--encoders all-mpnet-base-v2 SmolLM2-135M+center]
       [--protocols masked paper] [--seeds 2020 2021 2022] [--dims 128 384] [--sel-dims 128] [--device cuda]
       [--out benchmarks/results/cpu-collapse-office] [--report]
An encoder written NAME+center has its columns centred (decoder LLMs share one large mean direction). The random-init
runs are the same for every encoder, so they run once per protocol, seed and d (under the protocol's default model),
and the random table is also run at each encoder's D. Runs go into OUT.runs.csv, the store the MiniLM grid of
`11_exp_collapse` filled, so its random-init runs at d <= 512 are reused. Encoder by encoder, seed by seed: a stopped
grid leaves whole comparisons. Writes OUT.llm.csv (mean and std per protocol, model, variant and d) and prints it,
and OUT.spread.csv: the scale of each model's embedding of the dataset (MiniLM, the grid's default, and every encoder),
which `11_exp_collapse` shows beside the runs without embedding the dataset with every model again."""
import numpy as np
from pathlib import Path
from typing import Annotated
import pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.loaders import load_dataset
from llminit_nb.embed import embed_items
from llminit_nb.experiment import summarize, summary_view
from llminit_nb.store import read_store
from findings import collapse_grid  # beside this script

def spread(dataset, model):
    "The scale of a model's embedding: std of every entry, raw and centred, and the largest centred column std."
    E = np.asarray(embed_items(load_dataset(dataset), model), np.float32); C = E - E.mean(0)
    return dict(model=model, D=E.shape[1], entry_std=E.std(), centred_entry_std=C.std(), top_column_std=C.std(0).max())

def width(dataset, model):
    "D of a model's embedding of the dataset (embedded once into the cache)."
    return int(embed_items(load_dataset(dataset), model).shape[1])

@call_parse
def main(encoders:Annotated[str, {'nargs': '*'}]=('all-mpnet-base-v2', 'SmolLM2-135M+center'), # models (+center)
         protocols:Annotated[str, {'nargs': '*'}]=('masked', 'paper'), # protocols
         seeds:Annotated[int, {'nargs': '*'}]=(2020, 2021, 2022), # seeds
         dims:Annotated[int, {'nargs': '*'}]=(64, 128, 256, 512), # sizes of the random table besides each D
         sel_dims:Annotated[int, {'nargs': '*'}]=(64, 128), # sizes of the variance-selected tables
         dataset:str='amazon-office-2014', # dataset
         device:str=None, # torch device (default: CUDA, MPS, then CPU)
         out:str='benchmarks/results/cpu-collapse-office', # results path without extension
         report:bool=False, # only write the table from the runs already in the store
        ):
    "The collapse grid for each encoder and protocol, into one store; then the table over every run there."
    store = Path(f'{out}.runs.csv')
    if report and not store.exists(): raise SystemExit(f'--report: no run store {store}; run the grid first.')
    if not report:
        for enc in encoders:
            model, center = enc.removesuffix('+center'), enc.endswith('+center')
            D = width(dataset, model)
            for seed in seeds:
                for protocol in protocols:
                    collapse_grid(dims=sorted({*dims, D}), seeds=[seed], dataset=dataset, model=model, full_d=D,
                                  sel_dims=sel_dims, center=center, protocol=protocol, device=device, path=store)
    runs = read_store(store)
    runs['protocol'] = runs['protocol'].fillna('masked') if 'protocol' in runs else 'masked'
    runs['model'] = runs['model'].where(runs['variant'] != 'none', '-')  # the random table reads no embedding
    sm = summarize(runs, metrics=('recall@10', 'ndcg@10', 'item_erank'), by=['protocol', 'model', 'variant', 'd'])
    sm = sm.sort_values(['protocol', 'model', 'variant', 'd'], kind='stable', ignore_index=True)
    sm.to_csv(f'{out}.llm.csv', index=False)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads\n')
    with pd.option_context("display.width", 200): print(summary_view(sm).to_string(index=False))
    models = dict.fromkeys(['all-MiniLM-L6-v2', *(e.removesuffix('+center') for e in encoders)])
    sp = pd.DataFrame([spread(dataset, m) for m in models]).round(4)
    sp.to_csv(f'{out}.spread.csv', index=False)
    print('\n' + sp.to_string(index=False))
    print(f'wrote {out}.llm.csv and {out}.spread.csv ({store}: the runs)')
