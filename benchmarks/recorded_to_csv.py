"""Turn the Markdown that `train_speed.py` and `embed_throughput.py` printed on 2026-11-23 into the CSVs they now write.

Those two runs kept only their printed Markdown (cpu-train-speed.md, cpu-embed-throughput.md); the scripts now also
write a CSV, and published numbers are read from CSVs only. This reads the recorded tables as they are, writes
cpu-train-speed.csv and cpu-embed-throughput.csv in the scripts' CSV layout, and changes no number. A new run of
either script overwrites its CSV with fresh measurements.

Run: python benchmarks/recorded_to_csv.py"""
import re
from pathlib import Path
import pandas as pd

res = Path(__file__).resolve().parent/'results'

def md_table(text:str) -> pd.DataFrame:
    "The first pipe table in `text`, cells as strings."
    lines = [l for l in text.splitlines() if l.startswith('|')]
    head, rows = [c.strip() for c in lines[0].strip('|').split('|')], [[c.strip() for c in l.strip('|').split('|')] for l in lines[2:]]
    return pd.DataFrame(rows, columns=head)

num = lambda s: float(str(s).replace(',', '')) if str(s).strip() else None

md = (res/'cpu-train-speed.md').read_text()
t = md_table(md)
rb_ep, rb_ev = map(float, re.search(r'RecBole 1\.2\.1 LightGCN.*?: ([\d.]+) s / epoch, ([\d.]+) s / full eval', md).groups())
rows = [dict(kind='speed', dataset=r['dataset'], users=int(num(r['users'])), items=int(num(r['items'])), train_interactions=int(num(r['train interactions'])),
             s_per_epoch=num(r['s / epoch']), s_per_eval=num(r['s / full eval']), valid_ndcg10=num(r[t.columns[6]]),
             recbole_s_per_epoch=rb_ep if r[t.columns[7]] else None, recbole_s_per_eval=rb_ev if r[t.columns[7]] else None, threads=2, device='cpu')
        for _,r in t.iterrows()]
for seed,b,e,n,s in re.findall(r'split seed (\d+): best valid NDCG@10 ([\d.]+) at epoch (\d+) \((\d+) epochs, (\d+) s in all\)', md):
    rows.append(dict(kind='converged', system='llminit-nb', dataset=t.dataset.iloc[0], split_seed=int(seed), valid_ndcg10=float(b), best_epoch=int(e),
                     epochs_run=int(n), seconds=float(s), threads=2, device='cpu'))
b,e,n = re.search(r'RecBole converged run.*?best valid NDCG@10 ([\d.]+) at epoch (\d+) \((\d+) epochs\)', md).groups()
rows.append(dict(kind='converged', system='RecBole 1.2.1', dataset="ML-100K, all ratings, RecBole's own split", split_seed=2020, valid_ndcg10=float(b),
                 best_epoch=int(e), epochs_run=int(n), threads=2, device='cpu'))
df = pd.DataFrame(rows)
for c in ('users', 'items', 'train_interactions', 'split_seed', 'best_epoch', 'epochs_run'): df[c] = df[c].astype('Int64')
df.to_csv(res/'cpu-train-speed.csv', index=False)

t = md_table((res/'cpu-embed-throughput.md').read_text())
pd.DataFrame(dict(model=t.model, dataset=t.dataset, method=t.method, texts=t.texts.map(num).astype(int), seconds=t.seconds.map(num),
                  texts_per_s=t['texts/s'].map(num), note=t.note, threads=2, batch_size=64)).to_csv(res/'cpu-embed-throughput.csv', index=False)
print('wrote', res/'cpu-train-speed.csv', res/'cpu-embed-throughput.csv')
