"""Published numbers cannot drift from the results they came from.

1. Every four-decimal number in the prose (markdown cells) of the landing page, the experiment notebooks and the
   tutorials must occur in a CSV under benchmarks/results/ (as a value, or as the mean or std of a 'mean ± std' cell),
   rounded to four decimals. A number typed by hand that no result file holds is reported with its notebook.
2. The tables of the landing page and the findings of the experiment pages are code cells that read those CSVs
   (`#| results` cells, each self-contained or helped by `#| render` cells); this re-runs them and compares their
   output with the one saved in the notebook, so a CSV that changed without the page being re-run is reported too.

Run: .venv/bin/python tools/check_numbers.py   (exit 1 on a problem; part of `make test`)"""
import json, re, sys
from pathlib import Path
import pandas as pd

root = Path(__file__).resolve().parent.parent
NUM = re.compile(r'(?<![\d.])\d+\.\d{4}(?!\d)')
PAGES = ['index.ipynb', '11_exp_collapse.ipynb', '12_exp_main.ipynb', '13_exp_cold.ipynb', '14_exp_models.ipynb', '15_exp_scaling.ipynb',
         '16_exp_paper.ipynb', '18_exp_baselines.ipynb', '20_tutorial_own_data.ipynb']

def result_numbers(folder=root/'benchmarks'/'results') -> set:
    "Every number in the result CSVs, as four-decimal strings (both parts of 'mean ± std' cells)."
    out = set()
    for f in sorted(x for x in folder.glob('*.csv') if not x.name.endswith(('.runs.csv', '.users.csv', '.curves.csv'))):
        # summaries only: raw runs, per-user metrics and curves hold too many numbers to prove anything
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        for v in df.to_numpy().ravel().tolist() + list(df.columns):
            for tok in re.findall(r'-?\d+(?:\.\d+)?(?:e-?\d+)?', str(v)):
                try: out.add(f'{abs(float(tok)):.4f}')
                except ValueError: pass
    return out

def prose_numbers(nb:Path) -> list:
    "(cell id, number) for every four-decimal number in the notebook's markdown cells."
    cells = json.loads(nb.read_text())['cells']
    return [(c.get('id'), n) for c in cells if c['cell_type'] == 'markdown' for n in NUM.findall(''.join(c['source']))]

def _text(outputs) -> str:
    "The text an output list shows: markdown, else plain text, else printed text."
    parts = []
    for o in outputs:
        if o.get('name') == 'stderr': continue  # warnings are not the table
        d = o.get('data', {})
        t = d.get('text/markdown') or d.get('text/plain') or o.get('text') or ''
        parts.append(''.join(t) if isinstance(t, list) else t)
    return '\n'.join(parts).strip()

def stale_results(nb:Path) -> list:
    "Ids of `#| results` cells whose saved output differs from what the current CSVs give (with the `#| render` helpers, in order, in one shell)."
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    flag = lambda c: (re.search(r'^#\|\s*(results|render)\s*$', ''.join(c['source']), re.M) or [None, None])[1] if c['cell_type'] == 'code' else None
    cells = [(c, flag(c)) for c in json.loads(nb.read_text())['cells']]
    if not any(f == 'results' for _,f in cells): return []
    sh, bad = CaptureShell(), []
    with working_directory(nb.parent):  # the notebook's paths are relative to its folder, as when it runs
        for c,f in cells:
            if f is None: continue
            fresh = sh.run(''.join(c['source']))
            errs = [o.get('evalue') for o in fresh if o.get('output_type') == 'error']
            if errs: bad.append(f"{c.get('id')} (error: {errs})")
            elif f == 'results' and _text(fresh) != _text(c.get('outputs', [])): bad.append(c.get('id'))
    return bad

if __name__ == '__main__':
    have, problems, n = result_numbers(), [], 0
    for p in PAGES:
        nb = root/'nbs'/p
        for cid,num in prose_numbers(nb):
            n += 1
            if f'{float(num):.4f}' not in have:
                problems.append(f'{p} (cell {cid}): {num} is in the text but in no CSV under benchmarks/results/; render it from the results or fix it')
        for cid in stale_results(nb):
            problems.append(f'{p} (cell {cid}): the table differs from what benchmarks/results/ gives now; run `.venv/bin/python tools/run_nb.py nbs/{p}`')
    for m in problems: print('PROBLEM:', m)
    print(f'published numbers: {n} four-decimal numbers in the text checked against benchmarks/results/, {len(problems)} problem(s)')
    sys.exit(1 if problems else 0)
