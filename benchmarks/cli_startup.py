"""How long each console script takes to answer `--help` (and `--version`), now and at an earlier commit, side by side.

Each measurement starts a fresh interpreter on a console-script entry file (what pip writes) that imports the command
from the checkout (the earlier one from a `git worktree`) and runs it with the flag; the median of `--repeats` runs is reported. Writes
benchmarks/results/cpu-cli-startup.csv and prints the table.

Run: .venv/bin/python benchmarks/cli_startup.py [--before 6841a40] [--repeats 5]"""
import statistics, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
COMMANDS = ['llminit-demo', 'llminit-embed', 'llminit-train', 'llminit-recommend', 'llminit-grid', 'llminit-assets']

def seconds(src:Path, command:str, flag:str, repeats:int, tmp:Path) -> float|None:
    "Median wall time of `command flag` with the package imported from `src` (None: the version lacks the flag)."
    fn = command.replace('-', '_')
    entry = tmp/f'{fn}-{abs(hash(str(src)))}.py'  # what pip writes for a console script, with `src` first on the path
    entry.write_text(f"import sys; sys.path.insert(0, {str(src)!r})\nfrom llminit_nb.cli import {fn}\n"
                     f"if __name__ == '__main__':\n    sys.argv[0] = {command!r}; sys.exit({fn}())\n")
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, str(entry), flag], capture_output=True, text=True, timeout=60)
        out.append(time.perf_counter() - t0)
        if r.returncode: return None
    return round(statistics.median(out), 3)

@call_parse
def main(before:str='6841a40', # the commit to compare with
         repeats:int=5, # runs per measurement (the median is kept)
         out:str=str(HERE/'results'/'cpu-cli-startup.csv'), # where the table goes
        ):
    "Seconds to --help and --version for every command, before and now."
    rows = []
    with tempfile.TemporaryDirectory() as d:
        wt = Path(d)/'before'
        subprocess.run(['git', '-C', str(ROOT), 'worktree', 'add', '--detach', str(wt), before], check=True, capture_output=True)
        try:
            for c in COMMANDS:
                for flag in ('--help', '--version'):
                    rows.append(dict(command=c, flag=flag, before=seconds(wt, c, flag, repeats, Path(d)),
                                     now=seconds(ROOT, c, flag, repeats, Path(d))))
        finally: subprocess.run(['git', '-C', str(ROOT), 'worktree', 'remove', '--force', str(wt)], capture_output=True)
    t = pd.DataFrame(rows).assign(before_commit=before, repeats=repeats)
    t.to_csv(out, index=False)
    print(t.to_string(index=False)); print(f'wrote {out}')
