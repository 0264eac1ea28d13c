"""Full-ranking evaluation over a million items with bounded memory: `evaluate` scores the items a chunk at a time
(`topk_items`) instead of one users x items block per batch. Each setting runs in a fresh process; its peak RSS,
seconds, and the metrics (which must agree) are recorded.

Run: .venv/bin/python benchmarks/eval_memory.py [--items 1000000] [--users 4096] [--threads 2] [--device cpu]
Data: random tables (d=64), 50 random training items a user masked, one random validation item a user (for half
of the users planted near the top, so that the metrics of the settings have hits to agree on). Settings:
`item_chunk=None` (the default: a block of at most 2**27 scores, 512 MB) and `item_chunk=items` (one block of 1,024 x all
items a batch, the behaviour before chunking). Writes benchmarks/results/<device>-eval-memory.csv and prints it."""
import json, subprocess, sys, time
import numpy as np, pandas as pd, torch
from fastcore.script import call_parse
from llminit_nb.core import peak_rss_mb

def one(items, users, chunk, threads, device):
    from llminit_nb.splits import Split
    from llminit_nb.evaluate import evaluate, RankIndex
    torch.set_num_threads(threads)
    g = np.random.default_rng(0)
    tr = pd.DataFrame({'user': np.repeat(np.arange(users), 50), 'item': g.integers(0, items, users * 50)}).drop_duplicates()
    va = pd.DataFrame({'user': np.arange(users), 'item': g.integers(0, items, users)})
    s = Split(tr, va, va.iloc[:0], users, items, 'random')
    gen = torch.Generator().manual_seed(0)
    U, I = torch.randn(users, 64, generator=gen).to(device), torch.randn(items, 64, generator=gen).to(device)
    h = users // 2  # half the users find their validation item near the top, so the metrics have something to agree on
    I[torch.as_tensor(va.item.to_numpy()[:h])] = 4 * U[:h]
    ix = RankIndex(s, 'valid'); base = peak_rss_mb()
    t = time.time(); r = evaluate(lambda: (U, I), s, 'valid', ks=(10, 20), batch_size=1024, index=ix, item_chunk=chunk)
    if device == 'cuda': torch.cuda.synchronize()
    return dict(items=items, users=users, item_chunk=chunk or 'auto', seconds=time.time() - t, peak_rss_mb=peak_rss_mb(),
                rss_before_eval_mb=base, threads=threads, device=device,
                peak_gpu_mb=torch.cuda.max_memory_allocated() / 2**20 if device == 'cuda' else None,
                **{k: float(v) for k,v in r.items() if k in ('recall@10', 'ndcg@10', 'recall@20')})

@call_parse
def main(items:int=1_000_000, # catalogue size
         users:int=4096, # users ranked
         threads:int=2, # torch threads
         device:str='cpu', # torch device
         worker:int=-1, # (internal) run one setting: 0 chunked, 1 one block
        ):
    "Peak memory and time of evaluation with and without item chunks."
    if worker >= 0: return print(json.dumps(one(items, users, None if worker == 0 else items, threads, device)))
    rows = [json.loads(subprocess.run([sys.executable, __file__, '--items', str(items), '--users', str(users), '--threads',
                                       str(threads), '--device', device, '--worker', str(w)], capture_output=True,
                                      text=True, check=True).stdout.strip().splitlines()[-1]) for w in (0, 1)]
    t = pd.DataFrame(rows)
    assert np.allclose(t['recall@10'], t['recall@10'].iloc[0]) and np.allclose(t['ndcg@10'], t['ndcg@10'].iloc[0])
    out = f'benchmarks/results/{device}-eval-memory.csv'
    t.to_csv(out, index=False); print(t.round(4).to_string(index=False)); print(f'wrote {out}')
