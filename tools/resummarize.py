"""Rewrite the committed summaries under benchmarks/results/ once, as numbers, from the runs they summarise.

`summarize` used to write each metric as one 'mean ± std' text cell; it now writes METRIC and METRIC_std as numbers
(`summary_view` makes the text for reading). Each summary is recomputed here from its run store the way the page or
script that wrote it grouped it, and is written only if its `summary_view` reproduces the old file cell for cell
(so no published number moves); the `.md` beside it is rewritten from the same view. Grids read their stores and
run nothing: a missing run stops the script.

Run: .venv/bin/python tools/resummarize.py [--dry-run]   (from the repository root)"""
import os, sys
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse
root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'benchmarks'))
import llminit_nb.experiment as X
from llminit_nb.core import atomic_file
from llminit_nb.store import read_store
R = root/'benchmarks'/'results'

def _no_run(*a, **k): raise SystemExit('a summary needs a run its store does not hold; nothing was written.')

def _cells(df:pd.DataFrame) -> list:
    "The rows as sorted tuples of text, numbers compared as numbers (the old and new files order their rows apart)."
    def norm(v):
        try: return repr(float(v))
        except (TypeError, ValueError): return str(v)
    return sorted(tuple(norm(v) for v in r) for r in df.itertuples(index=False))

def _same(new:pd.DataFrame, old:pd.DataFrame) -> list:
    "Rows of the new summary, read as text (`summary_view`), that the old file does not hold, and the reverse."
    v = X.summary_view(new)
    if 'variant' in v and 'variant' not in old:  # written when a row's label was held in `strategy`
        old = old.rename(columns={'strategy': 'variant'})
    if 'model' in old:  # a label once written into `model` ('SmolLM2-135M, centred'), which `variant` now carries
        centred = old['model'].str.endswith(', centred')
        old.loc[centred, 'variant'] = old.loc[centred, 'variant'] + '+center'
        old['model'] = old['model'].str.removesuffix(', centred')
    if list(v.columns) != list(old.columns): return [f'columns {list(v.columns)} != {list(old.columns)}']
    a, b = _cells(v), _cells(old)
    return [f'new {x}' for x in a if x not in b] + [f'old {x}' for x in b if x not in a]

def sources():
    "(summary name, a function returning the new summary) for every summary written from runs."
    import findings as F
    from init_scale_ablation import scaling
    os.chdir(root/'nbs')  # the grids' dataset paths are the pages'
    store = lambda n: R/f'{n}.runs.csv'
    office = {'amazon-office-2014': F.MAIN_DATASETS['amazon-office-2014']}
    yield 'cpu-main-table', lambda: X.summarize(pd.concat([F.main_grid(path=store('cpu-main-table'), verbose=False),
        F.main_grid(variants=F.CENTRED_LABELS, path=store('cpu-main-table'), verbose=False)]))
    yield 'cpu-cold-start', lambda: X.summarize(pd.concat([F.cold_grid(path=store('cpu-cold-start'), verbose=False),
        F.cold_grid(backbones=['sgcl'], datasets=office, path=store('cpu-cold-start'), verbose=False)], ignore_index=True))
    yield 'cpu-collapse-office', lambda: X.summarize(F.collapse_grid(seeds=(2020, 2021, 2022), path=store('cpu-collapse-office'),
        verbose=False), by=('dataset', 'variant', 'd'), metrics=('recall@10', 'ndcg@10', 'recall@20', 'item_erank', 'item_ia', 'item_cos'))
    yield 'cpu-embedding-models', lambda: X.summarize(F.models_grid(path=store('cpu-embedding-models'), verbose=False),
        by=('dataset', 'model', 'variant'))
    def init_scale():
        runs = read_store(store('cpu-init-scale-ml-100k-SmolLM2-135M')); runs['scaling'] = runs.apply(scaling, axis=1)
        return X.summarize(runs, by=('dataset', 'strategy', 'scaling'), metrics=('recall@10', 'ndcg@10', 'recall@20', 'best_epoch'))
    yield 'cpu-init-scale-ml-100k-SmolLM2-135M', init_scale
    for n in ('h100-lightgcn-d64-ml100k', 'h100-lightgcn-d64-office'):  # plain run tables (no store): read as written
        yield n, lambda n=n: X.summarize(pd.read_csv(R/f'{n}.runs.csv'), by=('dataset', 'backbone', 'strategy'))

@call_parse
def main(dry_run:bool=False, # compare only, write nothing
        ):
    "Recompute every summary as numbers; write it where its text view reproduces the old file."
    X.run = _no_run
    done, out = [], []
    for name, make in sources():
        old = pd.read_csv(R/f'{name}.csv', dtype=str, keep_default_na=False)
        new = make(); bad = _same(new, old)
        out.append(dict(summary=name, rows=len(new), mismatches=len(bad), example=bad[0] if bad else ''))
        if not bad: done.append((name, new))
    print(pd.DataFrame(out).to_string(index=False))
    if any(o['mismatches'] for o in out): sys.exit('some summaries differ from the files they replace: nothing was written.')
    if dry_run: return
    for name, new in done:
        with atomic_file(R/f'{name}.csv') as tmp: new.to_csv(tmp, index=False)
        with atomic_file(R/f'{name}.md') as tmp: tmp.write_text(X.md_table(X.summary_view(new)) + '\n')
    print(f'wrote {len(done)} summaries (.csv as numbers, .md as text); the paper and collapse-llm summaries are '
          'rewritten by their scripts with --report')
