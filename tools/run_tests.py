"""Every check CI runs, in order: notebooks clean, library in sync, notebooks process, every public parameter documented, no error or stale outputs, notebook tests.

Prints one closing line `N passed, N failed, N skipped` (passed and failed count notebooks; skipped counts the cells
flagged `shared` that were left out because the project's shared data, ../shared/data, is not on this machine) and
exits non-zero if any check failed or no notebook ran. Flags: LLMINIT_TEST_FLAGS (default `slow`) names the extra
cell tiers to run; `shared` cells run whenever the shared datasets are found (as in CI). Caches go to the checkout's
.cache/ unless LLMINIT_CACHE is set."""
import hashlib, os, subprocess, sys, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root)
# what the tests cache (embeddings, converted and tiny models, matplotlib's fonts) stays in the checkout's .cache/,
# never in the user's home; LLMINIT_CACHE (or MPLCONFIGDIR, HF_HOME) set beforehand moves it
for var,sub in (('LLMINIT_CACHE', 'llminit_nb'), ('MPLCONFIGDIR', 'matplotlib'), ('HF_HOME', 'huggingface')):
    os.environ.setdefault(var, str(root/'.cache'/sub))
bin_dir = Path(sys.executable).parent
flags = os.environ.get('LLMINIT_TEST_FLAGS', 'slow').split()

def snapshot():
    "Content hash of every notebook, every generated module and pyproject.toml (nbdev-export rewrites it)."
    files = sorted([*root.glob('nbs/**/*.ipynb'), *root.glob('llminit_nb/**/*.py'), root/'pyproject.toml'])
    return {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

def changed_by(cmd):
    "Run an nbdev command and return the files it changed."
    before = snapshot()
    subprocess.run([str(bin_dir/cmd)], check=True, capture_output=True)
    after = snapshot()
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))

problems = []
for cmd, fix in [('nbdev-clean', 'run `nbdev-clean` and commit'), ('nbdev-export', 'run `nbdev-export` and commit the library')]:
    diff = changed_by(cmd)
    print(f'{cmd:14s}: ' + ('no diff' if not diff else f'CHANGED {diff}'))
    if diff: problems.append(f'{cmd} changed {len(diff)} file(s): {fix}')

r = subprocess.run([sys.executable, 'tools/readme.py', '--check'], capture_output=True, text=True)
print(r.stdout.strip())
if r.returncode: problems.append('README.md is stale: run `.venv/bin/python tools/readme.py` and commit')

print('nbdev-proc-nbs: processing every notebook for the docs (a minute or two) ...', end=' ', flush=True)
t0 = time.time()
r = subprocess.run([str(bin_dir/'nbdev-proc-nbs')], capture_output=True, text=True)
print(('ok' if r.returncode == 0 else 'FAILED') + f' in {time.time() - t0:.0f}s')
if r.returncode: problems.append('nbdev-proc-nbs failed:\n' + r.stderr[-3000:])

r = subprocess.run([sys.executable, 'tools/check_docs.py'], capture_output=True, text=True)
print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else 'docs contract: check_docs.py printed nothing')
if r.returncode: problems.append('public parameters without a docment (comment on their own line):\n' + r.stdout.strip())

r = subprocess.run([sys.executable, 'tools/check_numbers.py'], capture_output=True, text=True)
print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else 'published numbers: check_numbers.py printed nothing: ' + r.stderr[-500:])
if r.returncode: problems.append('published numbers do not match benchmarks/results/:\n' + r.stdout.strip())

import json
from nbstamp import stale_reason
for nb in sorted(root.glob('nbs/**/*.ipynb')):
    if '.ipynb_checkpoints' in nb.parts: continue
    content = json.loads(nb.read_text())
    errs = [c for c in content['cells'] for o in c.get('outputs', []) if o.get('output_type') == 'error']
    if errs: problems.append(f'{nb.relative_to(root)} carries {len(errs)} error output(s): re-run it and save clean outputs')
    why = stale_reason(content)
    if why: problems.append(f'{nb.relative_to(root)} has stale outputs ({why}): run `.venv/bin/python tools/run_nb.py {nb.relative_to(root)}` and commit')

from nbdev.config import get_config
from nbdev.test import test_nb, nb_test_cells
from llminit_nb.core import DataError
from llminit_nb.loaders import SHARED, find_data
cfg = get_config()
os.chdir(cfg.nbs_path)  # notebooks look for shared/data above their own folder
try: [find_data(n) for n in SHARED]; have_shared = True
except DataError as e: have_shared, why = False, str(e)
os.chdir(root)
if have_shared: flags = [*flags, 'shared']
skip = [f for f in cfg.tst_flags.split() if f not in flags]
nbs = sorted(f for f in cfg.nbs_path.glob('*.ipynb') if not f.name.startswith('_'))
passed, failed, skipped = [], [], {}
print(f'\nnotebook tests (skipping cells flagged {skip}, running {flags}):')
for nb in nbs:
    if not have_shared:  # cells left out only for want of the shared data, reported by name
        ran = {c.id for c in nb_test_cells(nb, skip_flags=skip, force_flags=flags)}
        left = [c.id for c in nb_test_cells(nb, skip_flags=[f for f in skip if f != 'shared'], force_flags=flags) if c.id not in ran]
        if left: skipped[nb.name] = left
    t0 = time.time()
    ok, _ = test_nb(nb, skip_flags=skip, force_flags=flags, basepath=str(root))
    dt = time.time() - t0
    (passed if ok else failed).append(nb.name)
    print(f'  {"PASS" if ok else "FAIL"}  {dt:7.1f}s  {nb.name}' + (f'  ({len(skipped[nb.name])} shared-data cells skipped)' if nb.name in skipped else ''), flush=True)

for p in problems: print('PROBLEM:', p)
n_skip = sum(map(len, skipped.values()))
if skipped:
    print(f'\nSKIPPED {n_skip} cell(s) flagged `shared`: {why}')
    for name,ids in skipped.items(): print(f'  {name}: cells {", ".join(ids)}')
print(f'{len(passed)} passed, {len(failed) + len(problems)} failed' + (f', {n_skip} skipped' if n_skip else ''))
sys.exit(1 if failed or problems or not passed else 0)
