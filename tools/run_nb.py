"""Execute notebooks in place and save their outputs, so that the docs show real results.

Cells flagged with a tier named in --skip (default: `long`) are not run and keep the outputs they had: the
experiment notebooks' long cells write their results to `benchmarks/results/`, and the cells after them read
those files. Pass --skip '' to run every cell. Nothing is written if a cell fails.

Run: .venv/bin/python tools/run_nb.py nbs/11_exp_collapse.ipynb [more notebooks] [--skip long]"""
import argparse, os, re, sys, time
from pathlib import Path
from fastcore.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

ap = argparse.ArgumentParser()
ap.add_argument('notebooks', nargs='+')
ap.add_argument('--skip', default='long', help='space-separated cell flags not to run')
args = ap.parse_args()
skip = set(args.skip.split())

def flags(cell):
    "The `#| flag` tiers of a code cell (nbdev's test flags: slow, long, notest)."
    return {m.group(1) for m in re.finditer(r'^#\|\s*(\w+)\s*$', cell.source, re.M)}

status = 0
for p in map(Path, args.notebooks):
    nb = read_nb(p)
    here = os.getcwd(); os.chdir(p.parent)  # notebooks run from their own folder, as nbdev-test runs them
    try:
        t0 = time.time()
        sh = CaptureShell(path=p.parent.resolve())
        sh.run_all(nb, exc_stop=True, preproc=lambda c: c.cell_type != 'code' or bool(flags(c) & skip))
    except Exception as e:
        print(f'FAILED {p}: {type(e).__name__}: {e}', file=sys.stderr); status = 1; continue
    finally: os.chdir(here)
    write_nb(nb, p)
    print(f'{p}: executed in {time.time() - t0:.0f}s, outputs saved')
sys.exit(status)
