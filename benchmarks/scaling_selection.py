"""Out-of-core LLMInit: variance selection, the initial item table and the user initialisation over an N x D fp16
memmap far larger than the memory they may use.

Writes a synthetic N x D float16 item matrix (default 2M x 4096, 16.4 GB: a 7B LLM's width over a large catalogue)
as an .npy file, synthetic Zipf item degrees and a users x items training matrix, then runs each step in a fresh
process and reports its time and peak resident memory (Linux VmHWM, which counts mapped file pages too; ru_maxrss would
include the parent's): `init_items`
(variance over the 20% most popular items, then the N x d copy) and `init_users` (mean of each user's item rows).
Only the N x d table is ever materialised: E is read in row chunks with plain file reads.

Run: .venv/bin/python benchmarks/scaling_selection.py [--n-items 2000000] [--dim 4096] [--d 64] [--users 500000]
     [--path /tmp/llminit-E.npy] [--keep]
Writes benchmarks/results/cpu-scaling-selection.csv and prints the table."""
import json, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, scipy.sparse as sp
from fastcore.script import call_parse

STEP = r'''
import json, sys, time
t0 = time.time()
from llminit_nb.core import peak_rss_mb as peak  # MB
import numpy as np, scipy.sparse as sp, torch
torch.set_num_threads({threads})
from llminit_nb.select import init_items, init_users
base = peak()
E = np.load({path!r}, mmap_mode='r')
t1 = time.time()
if {step!r} == 'init_items':
    X = init_items(E, {d}, 'variance', np.load({deg!r}))
    np.save({out!r}, X)
else:
    U = init_users(np.load({out!r}), sp.load_npz({train!r}))
    assert U.shape == ({users}, {d})
print(json.dumps(dict(seconds=time.time() - t1, import_rss_mb=base,
                      peak_rss_mb=peak())))
'''

def write_matrix(path:Path, n:int, D:int, seed:int=0):
    "A synthetic N x D fp16 LLM matrix: columns of different spread around a shared offset, written chunk by chunk."
    rng = np.random.default_rng(seed)
    scale, offset = rng.uniform(0.2, 2.0, D).astype(np.float32), rng.normal(0, 1, D).astype(np.float32)
    E = np.lib.format.open_memmap(path, 'w+', np.float16, (n, D))
    for a in range(0, n, 8192):
        b = min(n, a + 8192)
        E[a:b] = (rng.standard_normal((b - a, D), np.float32) * scale + offset).astype(np.float16)
    E.flush(); del E

def _shape(path:Path):
    "The shape of a 2-d float16 .npy file, or None for anything else."
    try: E = np.load(path, mmap_mode='r')
    except (OSError, ValueError): return None
    return E.shape if E.ndim == 2 and E.dtype == np.float16 else None

@call_parse
def main(n_items:int=2_000_000, # rows of E (items)
         dim:int=4096, # columns of E (the LLM's width D)
         d:int=64, # columns selected
         users:int=500_000, # users of the synthetic training matrix
         per_user:int=10, # training items per user
         path:str='/tmp/llminit-E.npy', # where E is written (n_items x dim x 2 bytes)
         keep:bool=False, # reuse E at `path` if it has the right shape, and keep it afterwards
         threads:int=2, # torch threads in each step
         csv:str='benchmarks/results/cpu-scaling-selection.csv', # results
        ):
    "Time and peak memory of out-of-core selection and user initialisation."
    path = Path(path)
    if path.exists():  # only a matrix this script wrote, and only with --keep: never a file of yours
        shape = _shape(path)
        if not keep or shape is None:
            sys.exit(f'{path} exists; pass another --path, or --keep to reuse a matrix this script wrote there.')
    t0 = time.time()
    ok = path.exists() and _shape(path) == (n_items, dim)
    if path.exists() and not ok: sys.exit(f'{path} holds a {_shape(path)} matrix, not {(n_items, dim)}; pass another --path.')
    if not ok: write_matrix(path, n_items, dim)
    write_s = 0 if ok else time.time() - t0
    rows = []
    with tempfile.TemporaryDirectory() as aux:  # degrees, training matrix and the N x d table live only here
        tmp = f'{aux}/x'
        rng = np.random.default_rng(1)
        deg = np.sort(rng.zipf(1.6, n_items).clip(max=10**6))[::-1].astype(np.int64)  # Zipf popularity
        np.save(f'{tmp}-deg.npy', deg)
        cols = rng.choice(n_items, size=users * per_user, p=deg / deg.sum())
        train = sp.csr_matrix((np.ones(len(cols), np.float32), (np.repeat(np.arange(users), per_user), cols)),
                              shape=(users, n_items))
        sp.save_npz(f'{tmp}-train.npz', train)
        for step in ('init_items', 'init_users'):
            code = STEP.format(threads=threads, path=str(path), step=step, d=d, deg=f'{tmp}-deg.npy', out=f'{tmp}-X.npy',
                               train=f'{tmp}-train.npz', users=users)
            r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
            if r.returncode: sys.exit(f'{step} failed:\n{r.stderr[-3000:]}')
            res = json.loads(r.stdout.strip().splitlines()[-1])
            rows.append(dict(step=step, n_items=n_items, dim=dim, d=d, users=users,
                             file_gb=round(path.stat().st_size / 1e9, 2), seconds=round(res['seconds'], 1),
                             peak_rss_mb=round(res['peak_rss_mb']), import_rss_mb=round(res['import_rss_mb']),
                             table_mb=round(n_items * d * 4 / 2**20), threads=threads))
    if not keep: path.unlink()
    df = pd.DataFrame(rows)
    print(df.to_string(index=False))
    print(f'\nwrote E ({df.file_gb.iloc[0]} GB) in {write_s:.0f}s; peak RSS counts the {df.table_mb.iloc[0]} MB N x d table '
          f'and ~{df.import_rss_mb.iloc[0]} MB of imports (numpy, scipy, torch)')
    Path(csv).parent.mkdir(parents=True, exist_ok=True); df.to_csv(csv, index=False); print(f'wrote {csv}')
