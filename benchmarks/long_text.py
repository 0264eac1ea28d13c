"""One huge item text among normal ones: the cost of tokenising it whole (what a tokenizer's own truncation does) beside
`encode.tokenize`, which cuts it first, side by side in one run.

Each way runs in its own process (peak memory is per process): 24 short texts plus one of `--mb` megabytes, tokenised
for all-MiniLM-L6-v2 (limit 256 tokens) and embedded on the CPU with `--threads` threads; 'normal' is the same with
that text at 2,000 characters (also past the limit), the cost a huge text should have. Writes
benchmarks/results/cpu-long-text.csv and prints the table; the token IDs of both ways are compared too.

Run: .venv/bin/python benchmarks/long_text.py [--mb 5] [--threads 1]"""
import json, subprocess, sys
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse

HERE = Path(__file__).resolve().parent

_CODE = """
import json, time, torch, hashlib
torch.set_num_threads({threads})
from llminit_nb.sources import load_model
from llminit_nb.encode import encode, tokenize
import llminit_nb.encode as enc
from llminit_nb.core import peak_rss_mb
model, tok, _ = load_model('all-MiniLM-L6-v2', 'cpu')
n = 100 if '{way}' == 'normal' else {mb} * 2**20 // 20  # 'normal': the same text at 2,000 characters
texts = ['a long description, ' * n] + [f'item number {{i}}, a short title' for i in range(24)]
if '{way}' == 'whole':  # the tokenizer's own truncation: tokenise everything, keep the first max_length
    enc.tokenize = lambda tok, texts, n: tok(list(texts), truncation=True, max_length=n, padding=False)['input_ids']
base = peak_rss_mb(); t0 = time.time()
E = encode(model, tok, texts, progress=False)
ids = enc.tokenize(tok, texts, 256)
print(json.dumps(dict(way='{way}', seconds=round(time.time() - t0, 2), peak_rss_mb=round(peak_rss_mb(), 0),
                      rss_before_mb=round(base, 0), ids_sha256=hashlib.sha256(json.dumps(ids).encode()).hexdigest()[:16],
                      emb_sha256=hashlib.sha256(E.tobytes()).hexdigest()[:16])))
"""

@call_parse
def main(mb:int=5, # size of the one huge text, in MB
         threads:int=1, # torch threads
         out:str=str(HERE/'results'/'cpu-long-text.csv'), # where the table goes
        ):
    "Time and peak memory of embedding 25 texts, one of them `mb` MB, both ways."
    rows = []
    for way in ('whole', 'tokenize', 'normal'):
        r = subprocess.run([sys.executable, '-c', _CODE.format(way=way, mb=mb, threads=threads)], capture_output=True, text=True)
        if r.returncode: sys.exit(r.stderr[-2000:])
        rows.append({**json.loads(r.stdout.strip().splitlines()[-1]), 'mb': mb if way != 'normal' else 0.002, 'threads': threads,
                     'texts': 25})
    t = pd.DataFrame(rows)
    t.to_csv(out, index=False)
    print(t.to_string(index=False))
    big = t[t.way != 'normal']
    print(f'same token IDs: {big.ids_sha256.nunique() == 1}; same embeddings: {big.emb_sha256.nunique() == 1} (also with '
          f"the text cut to 2,000 characters: {t.emb_sha256.nunique() == 1}); wrote {out}")
