"""How readable the package is, in numbers: module sizes, largest functions, API export-cell sizes, definitions followed
by a test, long lines, public names, undocumented public parameters, `show_doc` calls, and outputs and plots per API
page.

Run: .venv/bin/python tools/code_stats.py [--root DIR] [--csv-path OUT.csv]
`--root` points at another checkout (e.g. a `git worktree` of an older commit) to measure it the same way.
Prints a table per measure; with `--csv-path` also writes one `measure,key,value` row per figure."""
import ast, csv, json, re, statistics, subprocess, sys
from fastcore.script import call_parse
from pathlib import Path

def api_notebooks(root:Path) -> list:
    "The API notebooks: numbered below 10 and exporting a module (experiments and tutorials are not API pages)."
    out = []
    for nb in sorted((root/'nbs').glob('[0-9]*.ipynb')):
        if int(re.match(r'\d+', nb.name).group()) >= 10: continue
        cells = json.loads(nb.read_text())['cells']
        if any(re.search(r'^#\|\s*default_exp', ''.join(c['source']), re.M) for c in cells if c['cell_type'] == 'code'): out.append(nb)
    return out

def export_cells(nb:Path) -> list:
    "Source lines (directives dropped) of each `#| export` cell."
    out = []
    for c in json.loads(nb.read_text())['cells']:
        src = ''.join(c['source']) if c['cell_type'] == 'code' else ''
        if re.search(r'^#\|\s*export\b', src, re.M): out.append([l for l in src.splitlines() if not l.startswith('#|')])
    return out

def functions(root:Path) -> list:
    "(lines, module.qualname) of every function and method in the package, largest first."
    out = []
    for f in sorted((root/'llminit_nb').glob('*.py')):
        if f.name.startswith('_'): continue
        tree = ast.parse(f.read_text())
        def walk(node, prefix):
            for n in ast.iter_child_nodes(node):
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out.append((n.end_lineno - n.lineno + 1, f'{f.stem}.{prefix}{n.name}')); walk(n, f'{prefix}{n.name}.')
                elif isinstance(n, ast.ClassDef): walk(n, f'{prefix}{n.name}.')
        walk(tree, '')
    return sorted(out, reverse=True)

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]

def measure(root:Path) -> list:
    "Rows of (measure, key, value)."
    rows = []
    mods = {f.stem: len(f.read_text().splitlines()) for f in sorted((root/'llminit_nb').glob('*.py')) if not f.name.startswith('_')}
    total = sum(mods.values())
    rows += [('module lines', k, v) for k,v in mods.items()] + [('module lines', 'total', total), ('modules', 'count', len(mods))]
    rows.append(('largest module share %', max(mods, key=mods.get), round(100 * max(mods.values()) / total, 1)))
    fns = functions(root)
    rows += [('largest functions (lines)', n, l) for l,n in fns[:8]]
    rows.append(('functions over 40 lines', 'count', sum(l > 40 for l,_ in fns)))
    nbs = api_notebooks(root)
    cells = [c for nb in nbs for c in export_cells(nb)]
    sizes = [len(c) for c in cells]
    lines = [l for c in cells for l in c]
    defs = [sum(bool(re.match(r'(async\s+)?(def|class)\s', l)) for l in c) for c in cells]
    rows += [('API export cells', 'count', len(cells)), ('API export cells', 'median lines', statistics.median(sizes)),
             ('API export cells', 'p90 lines', pct(sizes, .9)),
             ('API export cells', '% defining several top-level functions/classes', round(100 * sum(d > 1 for d in defs) / len(defs), 1)),
             ('exported lines', '% over 120 characters', round(100 * sum(len(l) > 120 for l in lines) / max(1, len(lines)), 2))]
    followed, defining, long_runs = 0, 0, 0
    for nb in nbs:
        code = [''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
        is_exp = [bool(re.search(r'^#\|\s*export\b', c, re.M)) for c in code]
        run = 0
        for i,(c,e) in enumerate(zip(code, is_exp)):
            if e and re.search(r'^(async\s+)?(def|class)\s', c, re.M):
                defining += 1; followed += i + 1 < len(code) and not is_exp[i + 1] and bool(code[i + 1].strip())
            if e: run += 1
            elif c.strip(): long_runs += run > 3; run = 0
        long_runs += run > 3
    rows += [('export cells defining something, followed by a test or example', 'count', f'{followed} of {defining}'),
             ('runs of more than 3 export cells without a test or example', 'count', long_runs)]
    alls = [ast.literal_eval(n.value) for f in sorted((root/'llminit_nb').glob('*.py')) if not f.name.startswith('_')
            for n in ast.parse(f.read_text()).body if isinstance(n, ast.Assign) and
            any(isinstance(t, ast.Name) and t.id == '__all__' for t in n.targets)]
    rows.append(('public names in __all__', 'count', sum(map(len, alls))))
    for nb in nbs:
        cs = json.loads(nb.read_text())['cells']
        code = [c for c in cs if c['cell_type'] == 'code']
        outs = sum(bool(c.get('outputs')) for c in code)
        plots = sum('image/png' in o.get('data', {}) or 'image/svg+xml' in o.get('data', {}) for c in code for o in c.get('outputs', []))
        sd = sum(len(re.findall(r'show_doc\(', ''.join(c['source']))) for c in code)
        h2 = sum(len(re.findall(r'^## ', ''.join(c['source']), re.M)) for c in cs if c['cell_type'] == 'markdown')
        rows += [('cells with output', nb.stem, outs), ('plots', nb.stem, plots), ('show_doc calls', nb.stem, sd), ('H2 sections', nb.stem, h2)]
    rows.append(('show_doc calls', 'total', sum(v for m,_,v in rows if m == 'show_doc calls')))
    rows.append(('API pages without an H2', 'count', sum(v == 0 for m,_,v in rows if m == 'H2 sections')))
    chk = root/'tools'/'check_docs.py'
    if chk.exists():
        r = subprocess.run([sys.executable, str(chk)], capture_output=True, text=True, cwd=root)
        m = re.search(r'(\d+) undocumented', r.stdout)
        rows.append(('undocumented public parameters', 'count', int(m.group(1)) if m else None))
    return rows

@call_parse
def main(root:str=str(Path(__file__).resolve().parent.parent), # checkout to measure
         csv_path:str=None, # write measure,key,value rows here
        ):
    "How readable the package is, in numbers (printed, and optionally written as CSV)."
    rows = measure(Path(root))
    page = ('cells with output', 'plots', 'show_doc calls', 'H2 sections')
    last = None
    for m,k,v in rows:
        if m in page and k != 'total': continue
        if m != last: print(f'\n{m}'); last = m
        print(f'  {k:55s} {v}')
    pages = list(dict.fromkeys(k for m,k,_ in rows if m in page and k != 'total'))
    val = {(m,k): v for m,k,v in rows}
    print(f'\n{"API page":16s}' + ''.join(f'{m:>18s}' for m in page))
    for p in pages: print(f'{p:16s}' + ''.join(f'{val[(m,p)]:>18}' for m in page))
    if csv_path:
        with open(csv_path, 'w', newline='') as f: csv.writer(f).writerows([('measure', 'key', 'value'), *rows])
