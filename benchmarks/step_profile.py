"""Where a LightGCN training step's time goes as the graph grows: the sparse product, the two-layer propagation, the
whole step (forward, backward, Adam) and Adam alone, on the synthetic graphs of `scaling_cost.py`; and whether
reordering the graph's nodes (by degree, or reverse Cuthill-McKee) makes the sparse product cheaper.

Run: .venv/bin/python benchmarks/step_profile.py [--sizes 100000 1000000 10000000] [--threads 1]
Each size in this process, one after the other (LightGCN d=64, 2 layers, batch 2048; times are the mean of repeats
after one warm-up: 3 training steps, and enough sparse products for about 2e7 nonzeros, at least 3).
Writes benchmarks/results/cpu-scaling-step-profile.csv and prints it."""
import time
from pathlib import Path
from typing import Annotated
import numpy as np, pandas as pd, scipy.sparse as sp, torch
from scipy.sparse.csgraph import reverse_cuthill_mckee
from fastcore.script import call_parse
from llminit_nb.synthetic import synthetic
from llminit_nb.splits import split_loo
from llminit_nb.models import make_model
from llminit_nb.train import NegSampler, train_epoch

def timed(f, k=3):
    "Mean seconds of k calls of f after one warm-up call."
    f(); t = time.time()
    for _ in range(k): f()
    return (time.time() - t) / k

def l3_mb():
    "This CPU's last-level cache in MB (Linux sysfs), or None where it is not reported."
    f = Path('/sys/devices/system/cpu/cpu0/cache/index3/size')
    if not f.exists(): return None
    v = f.read_text().strip().upper()
    return float(v[:-1]) / (1024 if v.endswith('K') else 1) if v[-1] in 'KM' else float(v) / 2**20

def scipy_csr(adj):
    "A torch CSR tensor as a scipy CSR matrix (sharing nothing)."
    return sp.csr_matrix((adj.values().numpy(), adj.col_indices().numpy(), adj.crow_indices().numpy()), shape=adj.shape)

def reordered(adj, order):
    "The same symmetric CSR matrix with its nodes in `order` (rows and columns)."
    M = scipy_csr(adj)[order][:, order].tocsr(); M.sort_indices()
    return torch.sparse_csr_tensor(torch.as_tensor(M.indptr, dtype=torch.int64),
                                   torch.as_tensor(M.indices, dtype=torch.int64), torch.as_tensor(M.data), size=M.shape)

@call_parse
def main(sizes:Annotated[int, {'nargs': '*'}]=(100_000, 1_000_000, 10_000_000), # interactions per graph
         threads:int=1, # torch threads
         out:str='benchmarks/results/cpu-scaling-step-profile.csv', # results CSV
        ):
    "Seconds per sparse product, propagation, training step and Adam update against graph size."
    torch.set_num_threads(threads); rows = []
    for n in sizes:
        torch.manual_seed(0); ds = synthetic(n, seed=0); s = split_loo(ds, seed=0)
        m = make_model('lightgcn', s.csr('train'), d=64, n_layers=2, reg=1e-5).train()
        opt = torch.optim.Adam(m.parameters(), lr=1e-3, fused=True)
        adj, x = m.adj, torch.cat([m.user.weight, m.item.weight]).detach()
        sampler = NegSampler(s.csr('train'), torch.device('cpu'))
        U, I = (torch.tensor(s.train[c].to_numpy()) for c in ('user', 'item'))
        g, cg = torch.Generator().manual_seed(0), torch.Generator().manual_seed(0)
        w = torch.randperm(len(U), generator=torch.Generator().manual_seed(1))[:3 * 2048]
        k = max(3, int(2e7 // adj._nnz()))  # repeats of the cheap products, so small graphs are timed as well
        row = dict(interactions=len(ds), nodes=x.shape[0], nnz=adj._nnz(), threads=threads, l3_mb=l3_mb(),
                   table_mb=x.numel() * 4 / 2**20, spmm_s=timed(lambda: adj @ x, k))
        with torch.no_grad(): row['propagate_s'] = timed(lambda: m.propagate(adj), k)
        row['step_s'] = timed(lambda: train_epoch(m, opt, U[w], I[w], sampler, 2048, g, cg), k=1) / 3
        row['adam_s'] = timed(opt.step, k)
        deg = np.diff(adj.crow_indices().numpy())
        row['spmm_degree_order_s'] = timed(lambda M=reordered(adj, np.argsort(-deg, kind='stable')): M @ x, k)
        rcm = reverse_cuthill_mckee(scipy_csr(adj), symmetric_mode=True)
        row['spmm_rcm_order_s'] = timed(lambda M=reordered(adj, rcm): M @ x, k)
        row['ns_per_nnz'] = row['spmm_s'] / row['nnz'] * 1e9
        row['spmm_share_of_step'] = 4 * row['spmm_s'] / row['step_s']  # 2 layers forward, 2 backward
        rows.append(row); print(row, flush=True)
    df = pd.DataFrame(rows); df.to_csv(out, index=False)
    print(f'torch {torch.__version__}, {threads} thread(s)\n'); print(df.round(4).to_string(index=False))
    print(f'wrote {out}')
