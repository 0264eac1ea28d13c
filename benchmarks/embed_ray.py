"""Ray Data extraction (`embed_items(engine='ray')`) against the single-process path, on real item texts.

Run: .venv/bin/python benchmarks/embed_ray.py [--models all-MiniLM-L6-v2 SmolLM2-135M] [--shard-size 128] [--csv PATH]
Measures, each in a fresh cache under a temporary folder:
- wall time and texts/s of the local engine (one process, all threads) and of Ray with 1 and 2 workers (a local Ray
  started by the call, its start-up included), per model; the CPUs are split equally between the workers;
- the largest difference between the Ray and the local embeddings (both engines send and store float32 rows);
- a driver killed with SIGKILL mid-run: which shards survive, whether the rerun recomputes any of them, whether its
  result equals an uninterrupted Ray run, and how many Ray processes outlive the killed driver (first model).
Writes benchmarks/results/cpu-embed-ray.csv (or --csv) and prints the table. Needs `pip install 'llminit-nb[ray]'`."""
from typing import Annotated
import os, signal, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from fastcore.script import call_parse
from fastcore.xtras import modified_env
from llminit_nb.loaders import load_movielens
from llminit_nb import embed

_CHILD = """import sys; from llminit_nb.embed import embed_items; from llminit_nb.loaders import load_movielens
embed_items(load_movielens(download=False), sys.argv[1], engine='ray', workers=2, shard_size=int(sys.argv[2]),
            path=sys.argv[3])"""

def _ray_processes() -> dict:
    "pid -> command line of the Ray processes on this machine"
    out = subprocess.run(['pgrep', '-af', 'raylet|gcs_server|ray::'], capture_output=True, text=True).stdout
    return {int(l.split()[0]): l.split(maxsplit=1)[1][:40] for l in out.splitlines()}

def _speed(ds, model, shard_size, batch_size, d):
    "Wall time and embeddings of the local engine and of Ray with 1 and 2 workers, each into a fresh cache entry."
    rows, res = [], {}
    for name, kw in [('local', dict(engine='local')), ('ray, 1 worker', dict(engine='ray', workers=1)),
                     ('ray, 2 workers', dict(engine='ray', workers=2))]:
        t0 = time.perf_counter()
        res[name] = np.asarray(embed.embed_items(ds, model, shard_size=shard_size, batch_size=batch_size,
                                                 path=Path(d)/f'{model}-{name.replace(" ", "")}', **kw))
        t = time.perf_counter() - t0
        rows.append(dict(model=model, measure=f'extraction, {name}', value=round(t, 2), unit='s',
                         note=f'{ds.n_items} texts, {ds.n_items / t:.1f} texts/s'))
        print(rows[-1], flush=True)
    for name in ('ray, 1 worker', 'ray, 2 workers'):
        diff, ref = np.abs(res[name] - res['local']), np.abs(res['local'])
        rows.append(dict(model=model, measure=f'max |{name} - local|', unit='abs', value=float(diff.max()),
                         note=f'largest |local| entry {ref.max():.1f}'))
        # the same float32 computation in another process: equal up to the order of float32 sums in other batches
        rows.append(dict(model=model, measure=f'entries of {name} within float32 noise of local', unit='share',
                         value=float((diff <= 1e-5 * ref + 1e-6).mean()), note='|ray - local| <= 1e-5 |local| + 1e-6'))
    rows.append(dict(model=model, measure='speed-up, 2 workers vs 1', unit='x', note='wall time, Ray start included',
                     value=round(rows[1]['value'] / rows[2]['value'], 2)))
    return rows, res

@call_parse
def main(models:Annotated[str, {'nargs': '*'}]=('all-MiniLM-L6-v2', 'SmolLM2-135M'), # packaged models (first: killed)
         shard_size:int=128, # texts per shard: the unit of work Ray hands to a worker
         batch_size:int=64, # texts per forward pass
         csv:str='benchmarks/results/cpu-embed-ray.csv', # results CSV
        ):
    "Ray Data extraction vs one process: speed with 1 and 2 workers, equality, and a SIGKILL mid-run."
    threads = torch.get_num_threads()
    ds = load_movielens(download=False); n = ds.n_items
    rows, res = [], {}
    model = models[0]
    with tempfile.TemporaryDirectory() as d, modified_env(LLMINIT_CACHE=d):
        for m in models:
            r, e = _speed(ds, m, shard_size, batch_size, d); rows += r
            if m == model: res = e
        # kill -9 of the driver while shards are being written
        p = Path(d)/'killed'
        before = _ray_processes()
        child = subprocess.Popen([sys.executable, '-c', _CHILD, model, str(shard_size), str(p)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        want = max(2, (n // shard_size) // 3)
        while child.poll() is None and len(list(p.glob('.shards-*/*.sha256'))) < want: time.sleep(0.05)
        child.send_signal(signal.SIGKILL); child.wait()
        kept = sorted(int(f.name.split('-')[0]) for f in p.glob('.shards-*/*.sha256'))
        time.sleep(5); left = {i: c for i,c in _ray_processes().items() if i not in before}
        for pid in left: os.kill(pid, signal.SIGTERM)  # only what the killed driver left behind
        sent, orig = [], embed.RayExtraction.__call__
        embed.RayExtraction.__call__ = lambda self, t, todo: sent.extend(s for s,_,_ in todo) or orig(self, t, todo)
        try: again = np.asarray(embed.embed_items(ds, model, engine='ray', workers=2, shard_size=shard_size,
                                                  batch_size=batch_size, path=p))
        finally: embed.RayExtraction.__call__ = orig
        n_shards = -(-n // shard_size)
        rows += [dict(model=model, measure='SIGKILL: shards finished before the kill', value=len(kept), unit='shards',
                      note=f'of {n_shards}'),
                 dict(model=model, measure='SIGKILL: finished shards recomputed by the rerun', unit='shards',
                      value=len(set(kept) & set(sent)), note=f'the rerun sent {len(sent)} shards to Ray'),
                 dict(model=model, measure='SIGKILL: max |resumed - uninterrupted ray|',
                      value=float(np.abs(again - res['ray, 2 workers']).max()), unit='abs', note=''),
                 dict(model=model, measure='SIGKILL: Ray processes alive 5 s after the kill', value=len(left),
                      unit='processes', note='; '.join(sorted(set(left.values()))) + ' (then stopped here)')]
    print(f'\nml-100k ({n} texts), shard size {shard_size}, batch size {batch_size}, torch '
          f'{torch.__version__}, {threads} threads, ray {__import__("ray").__version__}\n')
    df = pd.DataFrame(rows).assign(dataset='ml-100k', threads=threads, shard_size=shard_size)
    df.to_csv(csv, index=False)
    print(df[['model', 'measure', 'value', 'unit', 'note']].to_string(index=False)); print(f'wrote {csv}')
