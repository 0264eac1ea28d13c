"""Embedding throughput (texts/s) of the packaged models on real item texts, side by side with sentence-transformers.

Run: .venv/bin/python benchmarks/embed_throughput.py [--batch-size 64] [--repeats 3] [--csv PATH]
Writes benchmarks/results/cpu-embed-throughput.csv (or --csv) and prints the table.
sentence-transformers is not a dependency: `pip install sentence-transformers` to get the comparison rows."""
import os, tempfile, time
import numpy as np, torch
from llminit_nb.loaders import load_movielens, load_shared
from llminit_nb.text import item_texts
from llminit_nb.sources import load_model
from llminit_nb.encode import encode
from llminit_nb.embed import embed_items
from fastcore.script import call_parse

@call_parse
def main(batch_size:int=64, # texts per forward pass
         repeats:int=3, # timed repeats (the best is kept)
         csv:str=None, # results CSV (default: benchmarks/results/<device>-embed-throughput.csv)
         decoder_sample:int=0, # embed only this many random Office texts with SmolLM2 (0: all; ~15 min on 2 cores)
        ):
    "Texts per second of embedding extraction, against sentence-transformers where it applies."
    datasets = {'ml-100k': item_texts(load_movielens(download=False)), 'amazon-office-2014': item_texts(load_shared('amazon-office-2014'))}
    rows = []
    def best(f, n):
        ts = []
        for _ in range(n):
            t0 = time.perf_counter(); out = f(); ts.append(time.perf_counter() - t0)
        return min(ts), out

    for mname, norm in [('all-MiniLM-L6-v2', True), ('SmolLM2-135M', False)]:  # MiniLM first: SmolLM2 over Office is the long part
        m, tok, info = load_model(mname, device='cpu')
        for dname, texts in datasets.items():
            if 'SmolLM2' in mname and dname.startswith('amazon') and decoder_sample:
                texts = [texts[i] for i in np.random.default_rng(0).choice(len(texts), decoder_sample, replace=False)]
                dname = f'{dname} ({decoder_sample}-text random sample)'
            encode(m, tok, texts[:64], normalize=norm)  # warm-up
            t, ours = best(lambda: encode(m, tok, texts, normalize=norm, batch_size=batch_size, progress=False), repeats if 'MiniLM' in mname else 1)
            rows.append((mname, dname, 'llminit-nb encode', len(texts), t, len(texts) / t, '')); print(rows[-1], flush=True)
            if 'MiniLM' in mname:
                try: from sentence_transformers import SentenceTransformer
                except ImportError: print('sentence-transformers not installed: skipping the comparison'); continue
                st = SentenceTransformer(info['source'], device='cpu')
                st.encode(texts[:64])
                t2, ref = best(lambda: st.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True), repeats)
                cos = (ours * ref).sum(1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(ref, axis=1)
                rows.append((mname, dname, 'sentence-transformers encode', len(texts), t2, len(texts) / t2, f'min row cosine {cos.min():.6f}; ours/ST speed {t2 / t:.2f}x')); print(rows[-1], flush=True)

    with tempfile.TemporaryDirectory() as d:
        os.environ['LLMINIT_CACHE'] = d
        ds = load_movielens(download=False)
        embed_items(ds, 'all-MiniLM-L6-v2')
        t, _ = best(lambda: np.asarray(embed_items(ds, 'all-MiniLM-L6-v2')), 5)
        rows.append(('all-MiniLM-L6-v2', 'ml-100k', 'embed_items cache hit', ds.n_items, t, ds.n_items / t, 'memory-mapped load, no model'))

    print(f'\ntorch {torch.__version__}, {torch.get_num_threads()} threads, batch size {batch_size}, best of {repeats}\n')
    print('| model | dataset | method | texts | seconds | texts/s | note |\n|---|---|---|---:|---:|---:|---|')
    for r in rows: print(f'| {r[0]} | {r[1]} | {r[2]} | {r[3]:,} | {r[4]:.3f} | {r[5]:,.1f} | {r[6]} |')

    import pandas as pd
    out = csv or f"benchmarks/results/{'cuda' if torch.cuda.is_available() else 'cpu'}-embed-throughput.csv"
    pd.DataFrame(rows, columns=['model', 'dataset', 'method', 'texts', 'seconds', 'texts_per_s', 'note']).assign(
        threads=torch.get_num_threads(), batch_size=batch_size).to_csv(out, index=False)
    print(f'wrote {out}')
