"""Execute notebooks in place and save their outputs, so that the docs show real results.

Cells flagged with a tier named in --skip (default: `long`) are not run and keep the outputs they had: the
experiment notebooks' long cells write their results to `benchmarks/results/`, and the cells after them read
those files. Pass --skip '' to run every cell. Nothing is written if a cell fails. A saved notebook carries a
hash of its code in its metadata; CI reports notebooks whose code changed after their outputs were saved.

Run: .venv/bin/python tools/run_nb.py nbs/11_exp_collapse.ipynb [more notebooks] [--skip long]"""
import os, re, sys, time
from typing import Annotated
from fastcore.script import call_parse
from pathlib import Path
from fastcore.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from nbstamp import KEY, stamp


def flags(cell):
    "The `#| flag` tiers of a code cell (nbdev's test flags: slow, long, notest)."
    return {m.group(1) for m in re.finditer(r'^#\|\s*(\w+)\s*$', cell.source, re.M)}

def noeval(cell):
    "Cells marked `#| eval: false` are shown in the docs, never run (as nbdev-test treats them)."
    return re.search(r'^#\|\s*eval:\s*false\s*$', cell.source, re.M) is not None

@call_parse
def main(notebooks:Annotated[str, {'nargs': '+'}], # notebook files to run in place
         skip:str='long', # space-separated cell flags not to run
        ):
    "Run each notebook from its own folder and save its outputs with a stamp of its code."
    skip = set(skip.split())
    missing = [n for n in notebooks if not Path(n).is_file() or not n.endswith('.ipynb')]
    if missing: sys.exit(f'not a notebook file: {", ".join(missing)}; pass paths such as nbs/12_exp_main.ipynb')

    status = 0
    for p in map(Path, notebooks):
        nb = read_nb(p)
        here = os.getcwd(); os.chdir(p.parent)  # notebooks run from their own folder, as nbdev-test runs them
        try:
            t0 = time.time()
            sh = CaptureShell(path=p.parent.resolve())
            sh.run_all(nb, exc_stop=True, preproc=lambda c: c.cell_type != 'code' or bool(flags(c) & skip) or noeval(c))
        except Exception as e:
            print(f'FAILED {p}: {type(e).__name__}: {e}', file=sys.stderr); status = 1; continue
        finally: os.chdir(here)
        for c in nb.cells:  # progress bars and library warnings belong to the terminal, not the docs
            if c.cell_type == 'code': c.outputs = [o for o in c.get('outputs', []) if not (o.output_type == 'stream' and o.name == 'stderr')]
        nb.metadata[KEY] = stamp(nb)  # marks the outputs as coming from this code (checked by run_tests.py)
        write_nb(nb, p)
        print(f'{p}: executed in {time.time() - t0:.0f}s, outputs saved')
    sys.exit(status)
