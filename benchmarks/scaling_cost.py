"""Cost curves: how the time and memory of LightGCN training and full-ranking evaluation grow with the number of
interactions, llminit-nb and RecBole 1.2.1 side by side in the same run, on the same synthetic split files.

Run: .venv/bin/python benchmarks/scaling_cost.py [--sizes 100000 1000000 10000000] [--threads 2] [--steps 10]
       [--recbole-python /tmp/rb/bin/python] [--recbole-limit 600] [--device cpu] [--out benchmarks/results/cpu-scaling-cost.csv]
Data: `synthetic(n, seed=0)` (Zipf item popularity, log-normal user activity; n/20 users, n/50 items), random
leave-one-out (seed 0), written with `save_recbole` so RecBole reads the identical split. Model: LightGCN d=64,
2 layers, batch 2048, lr 1e-3. Per size, ours then RecBole, each in a fresh process (so its peak RSS is its own):
seconds per training step, timed over `--steps` steps after 2 warm-up steps (each step propagates the whole graph, so
steps x steps-per-epoch is the epoch), and one full validation pass (1,024 users a batch on both sides; past 100k
users, a 1/k shard of them is timed and scaled by k, as the column `eval_users_timed` says). RecBole gets
`--recbole-limit` seconds a size; what it did not finish is marked. Writes the CSV (a row a side and size) and
prints it. `nbs/15_exp_scaling.ipynb` plots it and fits the exponents."""
import json, subprocess, sys, tempfile, time
from pathlib import Path
from typing import Annotated
import pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.core import peak_rss_mb

def _data(n):
    from llminit_nb.synthetic import synthetic
    from llminit_nb.splits import split_loo
    ds = synthetic(n, seed=0)
    return ds, split_loo(ds, seed=0)

def ours(n, threads, steps, device, out, export=None):
    """One size on our side, in this (fresh) process; writes its row to `out` as each part is measured, then, with
    `export`, the split as RecBole atomic files into that folder (so the graph is drawn once for both sides)."""
    from llminit_nb.models import make_model
    from llminit_nb.train import NegSampler, train_epoch
    from llminit_nb.evaluate import RankIndex, evaluate
    torch.set_num_threads(threads); torch.manual_seed(0)
    t0 = time.time(); ds, s = _data(n)
    dev = torch.device(device)
    m = make_model('lightgcn', s.csr('train'), d=64, n_layers=2, reg=1e-5).to(dev).train()
    opt = torch.optim.Adam(m.parameters(), lr=1e-3, fused=True)
    sampler = NegSampler(s.csr('train'), dev)
    U, I = (torch.tensor(s.train[c].to_numpy(), device=dev) for c in ('user', 'item'))
    g, cg = torch.Generator(device=dev).manual_seed(0), torch.Generator().manual_seed(0)
    row = dict(side='llminit-nb', interactions=len(ds), users=ds.n_users, items=ds.n_items, train=len(s.train),
               threads=threads, device=device, setup_s=time.time() - t0, steps_per_epoch=-(-len(s.train) // 2048))
    sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)
    sub = lambda k: torch.randperm(len(U), generator=torch.Generator().manual_seed(1))[:k * 2048].to(dev)
    w = sub(2); train_epoch(m, opt, U[w], I[w], sampler, 2048, g, cg); sync()  # warm-up
    w = sub(steps); t = time.time(); train_epoch(m, opt, U[w], I[w], sampler, 2048, g, cg); sync()
    dt = time.time() - t
    row.update(s_per_step=dt / steps, timed_steps=steps, s_per_epoch=dt / steps * row['steps_per_epoch'],
               peak_rss_mb=peak_rss_mb())
    Path(out).write_text(json.dumps(row))
    ix = RankIndex(s, 'valid'); k = max(1, -(-len(ix) // 100_000))
    part = ix.shard(0, k) if k > 1 else ix
    t = time.time(); evaluate(m, s, 'valid', index=part, batch_size=1024); sync()
    row.update(s_per_eval=(time.time() - t) * len(ix) / len(part), eval_users_timed=len(part), eval_users=len(ix),
               peak_rss_mb=peak_rss_mb(),
               peak_gpu_mb=torch.cuda.max_memory_allocated() / 2**20 if dev.type == 'cuda' else None)
    Path(out).write_text(json.dumps(row))
    if export:
        from llminit_nb.splits import save_recbole
        save_recbole(s, export, f'syn{n}')

@call_parse
def main(sizes:Annotated[int, {'nargs': '*'}]=(100_000, 1_000_000, 10_000_000), # interactions per graph
         threads:int=2, # torch threads, both sides
         steps:int=10, # training steps timed per size
         device:str='cpu', # our side's device
         recbole_python:str='/tmp/rb/bin/python', # the Python of RecBole's environment ('' to skip RecBole)
         recbole_limit:int=600, # seconds RecBole gets per size
         out:str='benchmarks/results/cpu-scaling-cost.csv', # the CSV
         worker:int=None, # (internal) run our side for this size and write its row to --row
         row:str=None, # (internal)
         export:str=None, # (internal) the folder the worker writes RecBole's files into
        ):
    "LightGCN cost against graph size, both libraries."
    if worker: return ours(worker, threads, steps, device, row, export)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for n in sizes:
            js = Path(d)/f'ours-{n}.json'
            r = subprocess.run([sys.executable, __file__, '--worker', str(n), '--row', str(js), '--threads', str(threads),
                                '--steps', str(steps), '--device', device] + (['--export', d] if recbole_python else []))
            rows.append({**json.loads(js.read_text()), 'status': 'ok' if r.returncode == 0 else f'exit {r.returncode}'})
            print(rows[-1], flush=True)
            if not recbole_python: continue
            name = f'syn{n}'  # the worker wrote its split's files
            js = Path(d)/f'recbole-{n}.json'
            cmd = [recbole_python, str(Path(__file__).resolve().parent/'recbole_worker.py'), d, name, str(js), '--mode', 'steps',
                   '--threads', str(threads), '--steps', str(steps), '--eval', '--eval-users', '1024']
            try: status = 'ok' if subprocess.run(cmd, timeout=recbole_limit, stdout=subprocess.DEVNULL, cwd=d).returncode == 0 else 'failed'
            except subprocess.TimeoutExpired: status = f'stopped at {recbole_limit} s'
            rb = json.loads(js.read_text()) if js.exists() else {}
            rows.append(dict(side='recbole', interactions=rows[-1]['interactions'], users=rows[-1]['users'],
                             items=rows[-1]['items'], train=rows[-1]['train'], threads=threads, device='cpu', status=status,
                             **{k: v for k,v in rb.items() if k not in ('side', 'users', 'items', 'train', 'threads', 'torch', 'seed')}))
            print(rows[-1], flush=True)
            for f in (Path(d)/name).iterdir(): f.unlink()
    t = pd.DataFrame(rows)
    t.to_csv(out, index=False)
    print(f'torch {torch.__version__}, {threads} threads\n'); print(t.round(4).to_string(index=False)); print(f'wrote {out}')
