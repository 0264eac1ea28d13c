"""Stale-output detection for notebooks whose outputs are part of the docs.

`tools/run_nb.py` writes `stamp(nb)` into the notebook metadata (`llminit_outputs`) after a successful run;
`tools/run_tests.py` recomputes it. A notebook with outputs whose code changed since its last run is stale."""
import hashlib

KEY = 'llminit_outputs'

def code_hash(nb) -> str:
    "Hash of the notebook's code cells, in order (outputs and markdown excluded)."
    h = hashlib.sha256()
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        src = c['source'] if isinstance(c['source'], str) else ''.join(c['source'])
        h.update(src.strip().encode() + b'\0')
    return h.hexdigest()[:16]

def has_outputs(nb) -> bool:
    "Whether any code cell carries an output."
    return any(c.get('outputs') for c in nb['cells'] if c['cell_type'] == 'code')

def stamp(nb) -> dict:
    "The metadata entry that marks `nb`'s outputs as produced by its current code."
    return {'code_sha256': code_hash(nb)}

def stale_reason(nb):
    "None if `nb`'s outputs are fresh (or it has none); else why they are stale."
    if not has_outputs(nb): return None
    meta = nb.get('metadata', {}).get(KEY)
    if not meta: return 'has outputs but no run stamp'
    if meta.get('code_sha256') != code_hash(nb): return 'code changed since its outputs were saved'
    return None
