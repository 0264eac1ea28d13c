"""One migration of run stores to today's spelling, so the package keeps no code whose only job is to read older ones.

A run store (the CSV `grid` writes, with a `run_key` column) written before `STORE_FORMAT` spelled its keys three ways:
options added since (at their defaults) missing, options left to the paper protocol spelled as the masked default
(with `kept_defaults` naming the masked defaults given on purpose), and `n_layers`/`reg` as `None` for "the backbone's
own". Older rows also lack `variant` (or hold the label in `strategy`), the row checksum, or all three. For each row
this script

- takes the configuration that ran: the row's `config` column where it has one (what `check_config` returned then),
  else the key decoded by the old rules;
- writes `run_key` as today's `run_key` of that configuration (the fully resolved options and the seed), `config` as
  its resolved options, `strategy` as the selector that ran, `variant` as the row's label (kept where it had one,
  else the label held in `strategy`, else the named variant its options stand for, else its strategy);
- spells renamed options by their new names (`k`, the k-core, is `kcore`);
- writes `model` as the model the configuration named (some rows held a display label there, e.g.
  'all-MiniLM-L6-v2, centred', which `variant` now carries);
- renames the run's per-user file (`users_file`, named by a hash of the key) to the new key's name;
- keeps the last row of a run that two processes both stored (as `grid` did), and deletes the other's per-user file;
- stamps every row with `store_format` and a fresh `row_sha256`.

A row whose stored checksum does not match is not blessed with a new one: the script stops and names it. It writes
each store atomically and prints what it changed. A store already at `STORE_FORMAT` is left as it is.

Run: .venv/bin/python tools/migrate_stores.py benchmarks/results/*.runs.csv [--dry-run]"""
import inspect, json, math, shutil, sys
from typing import Annotated
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse
from llminit_nb.files import atomic_file
from llminit_nb.select import strategies
from llminit_nb.models import BACKBONES
from llminit_nb.config import DEFAULTS, PROTOCOLS, resolve_config, run_key, variant_of
from llminit_nb.store import STORE_FORMAT, _EXACT, row_checksum, users_file, _int_columns

def _backbone_values(k:dict) -> dict:
    "`n_layers` and `reg` as the backbone used them: None where it takes no such option, its default where None."
    takes = inspect.signature(BACKBONES[k['backbone']]).parameters
    for o in ('n_layers', 'reg'): k[o] = None if o not in takes else takes[o].default if k[o] is None else k[o]
    return k

RENAMED = {'k': 'kcore'}  # options renamed since: the k-core was `k`, a name top-k and cold_k also used

def _renamed(d:dict) -> dict: return {RENAMED.get(o, o): v for o,v in d.items()}

def decode(key:str) -> tuple:
    "(configuration, seed) of an old key, by the rules that wrote it."
    raw = _renamed(json.loads(key)); k = {**DEFAULTS, **raw}
    seed, kept = k.pop('seed'), set(k.pop('kept_defaults', None) or [])
    k['protocol'] = k.get('protocol') or 'masked'
    if k['protocol'] == 'paper':  # options left to the protocol were spelled as the masked default
        for o,v in PROTOCOLS['paper'].items():
            if o not in kept and k[o] == DEFAULTS[o]: k[o] = v
    if 'backbone_kw' not in raw and k['backbone'] == 'sgcl': k['reg'] = None  # run never passed reg to SGCL then
    return _backbone_values(k), seed

def from_config(text:str) -> dict:
    "The configuration a row's `config` column recorded, with options added since at their defaults."
    c = {**DEFAULTS, **_renamed(json.loads(text))}
    c['protocol'] = c.get('protocol') or 'masked'
    unknown = sorted(set(c) - set(DEFAULTS))
    if unknown: raise SystemExit(f'a config holds options no RunConfig has: {unknown}; extend this script first.')
    return _backbone_values(c)

def _blank(v) -> bool: return v is None or (isinstance(v, float) and math.isnan(v)) or v == ''

def migrate(path:Path, dry_run:bool) -> dict:
    "Rewrite one store; returns what changed."
    store = pd.read_csv(path, dtype={'run_key': str}, **_EXACT)
    if 'run_key' not in store: return dict(store=path.name, skipped='no run_key column: not a run store')
    if 'store_format' in store and (store['store_format'] == STORE_FORMAT).all():
        return dict(store=path.name, skipped=f'already {STORE_FORMAT}')
    rows, stats = [], dict(store=path.name, rows=len(store), keys=0, from_config=0, labelled=0, models=0, users_renamed=0)
    for r in store.to_dict('records'):
        if 'row_sha256' in r and not _blank(r['row_sha256']) and row_checksum(r) != r['row_sha256']:
            raise SystemExit(f'{path}: a row does not match its checksum (changed by hand?): {r["run_key"][:120]}. '
                             'Restore the file from git, then run this again.')
        key = r['run_key']
        cfg, seed = decode(key)
        if 'config' in r and isinstance(r['config'], str):
            cfg = from_config(r['config']); stats['from_config'] += 1
        new = run_key(cfg, seed)
        label = r.get('variant')
        if _blank(label):
            held = r.get('strategy')
            label = held if isinstance(held, str) and held not in (*strategies(), 'recommended') else variant_of(cfg)
            stats['labelled'] += 1
        if 'model' in r and r['model'] != cfg['model'] and not _blank(r['model']) and r['model'] != '-':
            r['model'] = cfg['model']; stats['models'] += 1
        r.update(run_key=new, config=json.dumps(resolve_config(cfg), sort_keys=True, default=str),
                 strategy=cfg['strategy'], variant=label, store_format=STORE_FORMAT)
        r.pop('row_sha256', None)
        stats['keys'] += new != key
        rows.append((key, r))
    # a run two processes both stored: the last row wins, as grid read it
    last = {r['run_key']: i for i,(_,r) in enumerate(rows)}
    keep = [(old, r) for i,(old,r) in enumerate(rows) if last[r['run_key']] == i]
    drop = [(old, r) for i,(old,r) in enumerate(rows) if last[r['run_key']] != i]
    stats['duplicates_dropped'] = len(drop)
    moves = [(users_file(path, old), users_file(path, r['run_key'])) for old,r in keep]
    gone = [users_file(path, old) for old,_ in drop]
    stats['users_renamed'] = sum(a.exists() and a != b for a,b in moves)
    stats['users_deleted'] = sum(p.exists() and p not in {b for _,b in moves} for p in gone)
    if dry_run: return stats
    # per-user files first, through temporary names (an old name can be another run's new one)
    staged = []
    for a,b in moves:
        if a.exists() and a != b:
            t = a.with_name(a.name + '.migrating'); a.rename(t); staged.append((t, b))
    for p in gone:
        if p.exists() and p not in {b for _,b in moves}: p.unlink()
    for t,b in staged: t.rename(b)
    out = pd.DataFrame([{**r, 'row_sha256': None} for _,r in keep])
    out['row_sha256'] = [row_checksum(r) for r in out.drop(columns='row_sha256').to_dict('records')]
    with atomic_file(path) as tmp: _int_columns(out).to_csv(tmp, index=False)
    return stats

@call_parse
def main(stores:Annotated[str, {'nargs': '+'}], # run stores (.runs.csv) to rewrite
         dry_run:bool=False, # report what would change, write nothing
        ):
    "Rewrite run stores to today's spelling, once."
    out = [migrate(Path(p), dry_run) for p in stores]
    print(pd.DataFrame(out).astype(object).fillna('').to_string(index=False))
