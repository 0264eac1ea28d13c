"""Run the bad-input cases of `reliability_cases.py` against an earlier commit and against the working tree, side by side.

Each side runs in its own process with that version of `llminit_nb` first on the path (the earlier one from a `git
worktree`), the same interpreter and packages, and console scripts stopped after `--timeout` seconds (a script still
working then had started work on bad input: 'late'). Writes benchmarks/results/reliability.csv and prints the table
of outcome classes, before by after.

Run: .venv/bin/python benchmarks/reliability.py [--before 1c1d208] [--timeout 60]"""
import json, os, subprocess, sys, tempfile
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

def outcomes(src:Path, timeout:int) -> pd.DataFrame:
    "The case table with the package imported from `src` (a checkout's root)."
    code = (f"import sys; sys.path[:0] = [{str(src)!r}, {str(HERE)!r}]\n"
            "import llminit_nb, reliability_cases as rc\n"
            f"assert llminit_nb.__file__.startswith({str(src)!r}), llminit_nb.__file__\n"
            f"print(rc.run_cases(timeout={timeout}).to_json(orient='records'))")
    env = {**os.environ, 'PYTHONPATH': str(src)}
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=env)
    if r.returncode: sys.exit(f'cases failed to run against {src}:\n{r.stderr[-3000:]}')
    return pd.DataFrame(json.loads(r.stdout.strip().splitlines()[-1]))

@call_parse
def main(before:str='1c1d208', # the commit to compare with
         timeout:int=60, # seconds a console script may run before it counts as 'late'
         out:str=str(HERE/'results'/'reliability.csv'), # where the table goes
        ):
    "Outcome of every bad-input case before and after; writes a CSV and prints the class table."
    with tempfile.TemporaryDirectory() as d:
        wt = Path(d)/'before'
        subprocess.run(['git', '-C', str(ROOT), 'worktree', 'add', '--detach', str(wt), before], check=True, capture_output=True)
        try: old = outcomes(wt, timeout)
        finally: subprocess.run(['git', '-C', str(ROOT), 'worktree', 'remove', '--force', str(wt)], capture_output=True)
    new = outcomes(ROOT, timeout)
    t = new[['area', 'case', 'expected']].assign(before=old.outcome.values, after=new.outcome.values,
                                                 before_message=old.message.values, after_message=new.message.values)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    t.to_csv(out, index=False)
    print(pd.crosstab(t.before, t.after, margins=True).to_string())
    print(f'\n{len(t)} cases; wrote {out}')
