"""A new user's path through the command line only, timed step by step: the help, the example dataset (MovieLens-100K
written as two CSV files and their dataset.json: three text columns, a time column), training with a time split and
the package's defaults (embedding included: the cache starts empty), saving, recommending from the saved folder; then
the main job, `llminit-demo` as `make demo` runs it (three seeds) and with one.

Run: .venv/bin/python benchmarks/first_hour.py [--threads 2] [--out benchmarks/results/cpu-first-hour.csv]
Each step is a fresh process, as a user types it; the cache is a new temporary folder (LLMINIT_CACHE), so the first
training embeds the items as a new user's would. Writes OUT (step, command, wall seconds, exit status, threads) and
prints it."""
import os, shlex, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse

BIN = Path(sys.executable).parent

@call_parse
def main(threads:int=2, # torch CPU threads of every step (OMP_NUM_THREADS)
         out:str='benchmarks/results/cpu-first-hour.csv', # results CSV
        ):
    "Time each step of the command-line path on the example dataset, from an empty cache."
    rows = []
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, 'LLMINIT_CACHE': f'{d}/cache', 'OMP_NUM_THREADS': str(threads), 'MKL_NUM_THREADS': str(threads)}
        mine = f'{d}/mine'
        steps = [('help', ['llminit-train', '--help']),
                 ('example dataset', ['llminit-train', '--example-dataset', mine]),
                 ('train (time split, defaults), save', ['llminit-train', '--dataset', mine, '--split', 'time',
                                                         '--save', f'{mine}/model']),
                 ('recommend', ['llminit-recommend', f'{mine}/model', '--users', '1', '2', '--k', '5']),
                 ('demo (make demo)', ['llminit-demo', '--out', f'{d}/demo']),
                 ('demo, one seed', ['llminit-demo', '--seeds', '2020', '--out', f'{d}/demo1'])]
        for name, cmd in steps:
            t0 = time.time()
            r = subprocess.run([str(BIN/cmd[0]), *cmd[1:]], env=env, capture_output=True, text=True)
            wall = time.time() - t0
            print(f'$ {shlex.join(cmd).replace(d, "$TMP")}   # {wall:.1f}s, exit {r.returncode}')
            said = [l for l in r.stderr.replace('\r', '\n').splitlines()  # stages and what is embedded, not the bars
                    if l.startswith(('[', 'embedding ', 'saved')) and '%|' not in l]
            print('\n'.join([*said, *r.stdout.strip().splitlines()[-12:]]).replace(d, '$TMP'))
            if r.returncode: print(r.stderr[-2000:])
            rows.append(dict(step=name, command=shlex.join(cmd).replace(d, '$TMP'), wall_s=round(wall, 2),
                             exit=r.returncode, threads=threads))
    df = pd.DataFrame(rows)
    df.to_csv(out, index=False)
    print(df.to_string(index=False)); print(f'wrote {out}')
