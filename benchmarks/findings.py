"""The project's own report: the experiments its pages ran (as functions over `grid`, with their settings as
defaults) and the helpers that turn their stored results into the pages' tables and prose.

Not part of the package: a user's experiments call `llminit_nb.experiment.grid` and read the rows with
`llminit_nb.analysis` (complete, gains, intervals, bucket tables, bars). The experiment notebooks import this module
(`sys.path` gets `benchmarks/`), and so do the benchmark scripts beside it; `nbs/17_report.ipynb` documents and
tests it."""
from __future__ import annotations
import pandas as pd
from llminit_nb.core import ConfigError, check_columns
from llminit_nb.experiment import grid, variant_col, md_table
from llminit_nb.store import read_store
from llminit_nb.analysis import collapse_measures, complete

def collapse_grid(dims=(16, 32, 64, 128, 256, 512), # sizes of the backbone's own random table
                  seeds=(2020,), # seeds
                  dataset:str='amazon-office-2014', # dataset
                  model:str='all-MiniLM-L6-v2', # embedding model
                  full_d:int=384, # the model's width D: the full-table run uses all D columns
                  sel_dims=None, # sizes of the selected-column runs (None: 64 and 128 where `dims` has them)
                  selector:str='variance', # how those columns are selected
                  center:bool=False, # centre the LLM's columns (full table and selected ones)
                  verbose:bool=True, # one line per run
                  path=None, # run store (see `grid`)
                  **kw, # more options shared by every run, e.g. protocol='paper'
                 )->pd.DataFrame: # one row per run, with the `collapse_measures` columns
    """LightGCN with its own init at every d, with the full D-column LLM table, and with selected columns at `sel_dims`.
    The random-init runs never read the embeddings, so they are run under the protocol's default model: grids of
    several encoders share them in one store."""
    base = dict(dataset=dataset, backbone='lightgcn', **kw)
    tag = '+center' if center else ''
    full = {f'full LLM (D={full_d}){tag}': dict(strategy='uniform', d=full_d, model=model, center=center)}
    sel = list(sel_dims) if sel_dims is not None else [d for d in (64, 128) if d in dims] or list(dims[:1])
    chosen = {f'{selector}{tag}': dict(strategy=selector, model=model, center=center)}
    g = lambda **o: grid(base, seeds=seeds, extra=collapse_measures, verbose=verbose, path=path,
                         variants=full | chosen, **o)
    return pd.concat([g(variant=['none'], d=list(dims)), g(variant=list(full)), g(variant=list(chosen), d=sel)],
                     ignore_index=True)

MAIN_DATASETS = {'amazon-office-2014': dict(model='all-MiniLM-L6-v2'), 'ml-100k': dict(model='SmolLM2-135M'),
                 'amazon-scientific-2018': dict(model='all-MiniLM-L6-v2')}
COLD_DATASETS = {k: MAIN_DATASETS[k] for k in ('amazon-office-2014', 'ml-100k')}
MAIN_LABELS = ('none', 'random', 'uniform', 'variance', 'pca')  # the paper's three selectors, pca (beyond it), the backbone's own
CENTRED_LABELS = ('uniform+center', 'variance+center')  # run on the main table later, as candidates for a default

def main_grid(datasets:dict=MAIN_DATASETS, # dataset -> its options (the embedding model)
              backbones=('lightgcn', 'sgcl', 'sgl', 'mf'), # backbones, in the order they run
              variants=MAIN_LABELS, # initialisations (pca goes beyond the paper)
              seeds=(2020, 2021, 2022), # seeds
              verbose:bool=True, # one line per run
              path=None, # run store (see `grid`)
              **kw, # more options shared by every run
             )->pd.DataFrame: # one row per run
    """Every dataset x backbone x initialisation, backbone by backbone and seed by seed, so that a stopped grid leaves
    whole comparisons behind."""
    return pd.concat([grid(dict(dataset=name, **cfg, **kw), seeds=[seed], backbone=[bb], variant=list(variants),
                           verbose=verbose, path=path)
                      for bb in backbones for seed in seeds for name,cfg in datasets.items()], ignore_index=True)

def cold_grid(backbones=('lightgcn',), # backbones
              variants=('none', 'variance', 'variance+center'), # initialisations
              seeds=(2020, 2021, 2022), # seeds
              datasets:dict=COLD_DATASETS, # dataset -> its options
              cold_k:int=2, # training interactions the cold users keep
              cold_frac:float=0.2, # share of users made cold
              verbose:bool=True, # one line per run
              path=None, # run store (see `grid`)
              **kw, # more options shared by every run
             )->pd.DataFrame: # one row per run, with per-bucket metrics
    "Runs on the cold-user split: `cold_frac` of the users keep `cold_k` training interactions."
    return pd.concat([grid(dict(dataset=n, cold_k=cold_k, cold_frac=cold_frac, **c, **kw), seeds=seeds,
                           backbone=list(backbones), variant=list(variants), verbose=verbose, path=path)
                      for n,c in datasets.items()], ignore_index=True)

def models_grid(models=('all-MiniLM-L6-v2', 'SmolLM2-135M'), # embedding models
                variants=('variance', 'variance+center'), # initialisations from each model's columns
                seeds=(2020, 2021, 2022), # seeds
                verbose:bool=True, # one line per run
                path=None, # run store (see `grid`)
                **kw, # more options shared by every run
               )->pd.DataFrame: # one row per run; the backbone's own init has model '-'
    "LightGCN on ML-100K: its own initialisation once, then each model's variants."
    base = dict(dataset='ml-100k', backbone='lightgcn', **kw)
    runs = [grid(base, seeds=seeds, variant=['none'], verbose=verbose, path=path).assign(model='-')]
    runs += [grid({**base, 'model': m}, seeds=seeds, variant=list(variants), verbose=verbose, path=path)
             for m in models]
    return pd.concat(runs, ignore_index=True)

def main_runs(path, # the main table's run store (`benchmarks/results/cpu-main-table.runs.csv`)
              extra=(), # more initialisations to keep where they ran on a whole comparison, e.g. `CENTRED_LABELS`
              labels=MAIN_LABELS, # the initialisations a whole comparison holds
             )->pd.DataFrame: # the rows of whole comparisons, every row named in `variant`
    "The main table's runs as its pages read them: checked rows (`read_store`), whole comparisons only."
    runs = complete(read_store(path), labels=labels)  # rows whose checksum holds
    return runs[runs['variant'].isin([*labels, *extra])].reset_index(drop=True)

def in_order(runs:pd.DataFrame, # rows
             order:dict, # column -> values in reading order; other values go last
            )->pd.DataFrame: # the rows sorted by those columns
    "Rows in reading order (datasets, backbones and initialisations as a page lists them, not as they ran)."
    key = lambda c: c.map(lambda v: order[c.name].index(v) if v in order[c.name] else len(order[c.name]))
    return runs.sort_values([c for c in order if c in runs], key=key, kind='stable', ignore_index=True)

BACKBONE_NAMES = dict(mf='MF-BPR', lightgcn='LightGCN', sgl='SGL', sgcl='SGCL')
DATASET_NAMES = {'ml-100k': 'MovieLens-100K', 'amazon-office-2014': 'Office', 'amazon-scientific-2018': 'Scientific'}

def main_table(summary:pd.DataFrame, # a `summarize` table or the CSV `save_results` wrote (backbone x initialisation rows)
               dataset:str, # the dataset to show
               labels=MAIN_LABELS, # initialisations, as columns
               metric:str='recall@10', # the metric shown
               paper:pd.DataFrame|None=None, # the paper's reported values (benchmarks/results/paper-reported.csv rows)
              )->str: # a Markdown table: backbone rows, the best initialisation of each row in bold
    "Backbone x initialisation, mean over seeds, the best per row in bold; optionally the paper's none -> variance."
    check_columns(summary, ['dataset', 'backbone', 'seeds', metric], 'summary', 'Pass a summary CSV from save_results.')
    m = summary[summary.dataset == dataset]; col = variant_col(m); rows = []
    if m.empty: raise ConfigError(f'no rows for dataset {dataset!r}; the summary has {sorted(set(summary.dataset))}.')
    for b,name in BACKBONE_NAMES.items():
        t = m[m.backbone == b].set_index(col)
        if t.empty: continue
        v = {s: float(t.loc[s, metric]) for s in labels if s in t.index}
        best = max(v, key=v.get)
        row = {'backbone': name, 'seeds': int(t.seeds.iloc[0]),
               **{s: (f'**{x:.4f}**' if s == best else f'{x:.4f}') for s,x in v.items()}}
        if paper is not None:
            p = paper[(paper.backbone == b) & (paper.metric == metric)].set_index('init').value
            row['the paper (none → variance)'] = f"{p['none']:.4f} → {p['variance']:.4f}" if len(p) else ''
        rows.append(row)
    return md_table(pd.DataFrame(rows))

def pct(x:float, # a gain in percent
        digits:int=0, # decimals
       )->str: # signed, e.g. '+21.6%'
    "A signed percentage."
    return f'{x:+.{digits}f}%'

def span(values, # gains in percent
         digits:int=0, # decimals
        )->str: # 'a to b%' (or one value when they round the same)
    "The range of some gains, as prose."
    lo, hi = f'{min(values):+.{digits}f}', f'{max(values):+.{digits}f}'
    return f'{lo}%' if lo == hi else f'{lo} to {hi}%'

def words(items, # names
         )->str: # 'a', 'a and b', 'a, b and c'
    "A list of names as prose."
    items = [str(x) for x in items]
    return ' and '.join(items) if len(items) < 3 else ', '.join(items[:-1]) + ' and ' + items[-1]
