"""Bad inputs and faults a real user brings, each with the outcome llminit-nb must give.

Each case is `Case(area, name, err, contains, fn)`: `fn(fx)` drives the public API or a console script; `err` is the name
of the `llminit_nb` error class it must raise (None: it must succeed and return True), `contains` a fragment of the
message. A case that sets `fx.post` to a function also checks that the user's files are intact afterwards.
`nbs/10_reliability.ipynb` runs every case and shows the table; `benchmarks/reliability.py` runs them against an
earlier commit too and writes the before/after classes to `benchmarks/results/reliability.csv`.

Names are looked up at call time (`L.name`), so the same cases run against a version of the package that lacks some
of them: a missing name there counts as that version's answer."""
import json, os, signal, subprocess, sys, tempfile, time, warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable
import numpy as np, pandas as pd

class _Lib:
    "Attribute access across llminit_nb's modules: L.split_loo, L.StoreError, ..."
    def __getattr__(self, name):
        import importlib
        for m in ('core', 'files', 'stream', 'data', 'tables', 'loaders', 'splits', 'text', 'sources', 'encode', 'embcache', 'embed_ray', 'embed', 'select', 'models', 'evaluate', 'train', 'serve', 'store', 'config', 'experiment', 'cli', 'analysis'):
            try: mod = importlib.import_module(f'llminit_nb.{m}')
            except ImportError: continue  # an older version without this module
            if hasattr(mod, name): return getattr(mod, name)
        raise AttributeError(f'llminit_nb has no {name}')
L = _Lib()

@dataclass
class Case:
    area:str; name:str; err:str|None; contains:str; fn:Callable; slow:bool = False

class Fixtures:
    "Small inputs shared by the cases, made on first use inside one temporary folder."
    def __init__(self, root, timeout=None): self.root, self.post, self.n, self.timeout, self.mounts = Path(root), None, 0, timeout, []
    def tmp(self) -> Path:
        self.n += 1; p = self.root/f'c{self.n}'; p.mkdir(); return p
    def mine(self, folder:Path, name='emb.npy', text='my own work') -> Path:
        "A file of the user's own inside `folder`; `post` checks it survives."
        folder.mkdir(parents=True, exist_ok=True); f = folder/name; f.write_text(text)
        self.post = lambda: f.read_bytes() == text.encode() and sorted(x.name for x in folder.iterdir()) == [name]
        return f
    inter = property(lambda self: pd.DataFrame({'u': list('aaabbbcccd'), 'i': list('xyzxyzxyyw'), 'r': [5, 4, 1, 5, 5, 2, 4, 4, 3, 5], 't': range(10)}))
    items = property(lambda self: pd.DataFrame({'iid': list('wxyz'), 'title': ['W', 'X', 'Y', 'Z']}))
    @cached_property
    def ml(self): return L.load_dataset('ml-100k', min_rating=4, kcore=5)
    @cached_property
    def split(self): return L.split_loo(self.ml, seed=2020)
    @cached_property
    def tiny(self): return str(L.tiny_model('llama'))
    @cached_property
    def E(self): return np.random.default_rng(0).normal(size=(40, 12)).astype(np.float32)
    def mf(self): return L.make_model('mf', self.split.csr('train'), d=8)
    def fit(self, **kw): return L.fit(self.mf(), self.split, **{'epochs': 1, 'progress': False, 'device': 'cpu', **kw})
    def frame(self, **kw): return L.RecData.from_frame(self.inter, self.items, 'u', 'i', 'r', 't', item_key='iid', **kw)
    def cli(self, *args, timeout=120, env=None) -> subprocess.CompletedProcess:
        "Run a console script (with `env` added to the environment); a clean refusal is exit status 1 with one `error:` line and no traceback."
        exe = Path(sys.executable).parent/args[0]
        try: return subprocess.run([str(exe), *map(str, args[1:])], capture_output=True, text=True, timeout=self.timeout or timeout, cwd=self.root,
                                   env={**os.environ, **(env or {})})
        except subprocess.TimeoutExpired as e: raise _Late(f'{args[0]} was still working after {e.timeout:.0f} s') from None

def _cli_refuses(r:subprocess.CompletedProcess, fragment:str):
    "Turn a console script's refusal into an exception the harness can classify."
    if r.returncode == 0: return False  # it ran on: silent
    if 'Traceback' in r.stderr: raise RuntimeError('raw traceback: ' + r.stderr.strip().splitlines()[-1])
    raise (_cls('LLMInitError') or ValueError)(r.stderr.strip())  # a version without LLMInitError had no clean CLI errors

class _Late(Exception): "A console script that started work on input it should have refused."

def _bytes(p:Path, data:bytes) -> Path: p.write_bytes(data); return p

CASES = [
    # --- data: loading your own files -------------------------------------------------------------------------
    Case('data', 'repeated (user, item) rows, duplicates="error"', 'DataError', "repeated (user, item) row(s)", lambda fx: fx.frame(duplicates='error')),
    Case('data', 'repeated rows collapse to one, latest kept', None, '', lambda fx: len(fx.frame()) == 9 and fx.frame().inter.query('user==2 and item==2').ts.item() == 8),
    Case('data', 'unknown duplicates policy', 'ConfigError', "duplicates='drop' is not allowed", lambda fx: fx.frame(duplicates='drop')),
    Case('data', 'empty user ID field', 'DataError', "empty 'u' or 'i'", lambda fx: L.RecData.from_frame(fx.inter.assign(u=[''] + list('aabbbcccd')), fx.items, 'u', 'i', item_key='iid')),
    Case('data', 'missing (NaN) item ID', 'DataError', "empty 'u' or 'i'", lambda fx: L.RecData.from_frame(fx.inter.assign(i=[None] + list('yzxyzxywy')), fx.items, 'u', 'i', item_key='iid')),
    Case('data', 'interaction column misnamed', 'DataError', "missing column(s) ['user']", lambda fx: L.RecData.from_frame(fx.inter, fx.items, 'user', 'i', item_key='iid')),
    Case('data', 'empty interaction table', 'DataError', 'the interaction table is empty', lambda fx: L.RecData.from_frame(fx.inter.iloc[:0], fx.items, 'u', 'i', item_key='iid')),
    Case('data', 'non-numeric rating', 'DataError', "non-numeric ratings", lambda fx: L.RecData.from_frame(fx.inter.assign(r='five'), fx.items, 'u', 'i', 'r', item_key='iid')),
    Case('data', 'non-numeric timestamp', 'DataError', "non-numeric values", lambda fx: L.RecData.from_frame(fx.inter.assign(t='yesterday'), fx.items, 'u', 'i', time_col='t', item_key='iid')),
    Case('data', 'item table repeats an ID', 'DataError', 'duplicate ID', lambda fx: L.RecData.from_frame(fx.inter, pd.concat([fx.items, fx.items]), 'u', 'i', item_key='iid')),
    Case('data', 'interacted item without a row', 'DataError', "missing_items='drop'", lambda fx: L.RecData.from_frame(fx.inter, fx.items.iloc[1:], 'u', 'i', item_key='iid')),
    Case('data', 'unknown missing_items policy', 'ConfigError', "missing_items='skip' is not allowed", lambda fx: L.RecData.from_frame(fx.inter, fx.items, 'u', 'i', item_key='iid', missing_items='skip')),
    Case('data', 'item with no text at all', 'DataError', "missing_text='drop'", lambda fx: L.RecData.from_frame(fx.inter, fx.items.assign(title=['W', '', 'Y', 'Z']), 'u', 'i', item_key='iid')),
    Case('data', 'Latin-1 file read as UTF-8', 'DataError', 'not valid utf-8 at line 3', lambda fx: L.load_table(_bytes(fx.tmp()/'inter.tsv', b'user_id\titem_id\nu1\ti1\nu\xe9\ti2\n'))),
    Case('data', "Latin-1 file with encoding='latin-1'", None, '', lambda fx: L.load_table(_bytes(fx.tmp()/'inter.tsv', b'user_id\titem_id\nu1\ti1\nu\xe9\ti2\n'), encoding='latin-1').user_ids.tolist() == ['u1', 'u\xe9']),
    Case('data', 'unknown text encoding', 'ConfigError', "encoding='utf-9' is not a known", lambda fx: L.load_table(_bytes(fx.tmp()/'inter.tsv', b'user_id\titem_id\nu1\ti1\n'), encoding='utf-9')),
    Case('data', 'Amazon file that is not UTF-8', 'DataError', 'not valid UTF-8 at line 2', lambda fx: L.load_amazon(_bytes(fx.tmp()/'r.json', b'{"reviewerID": "a", "asin": "b", "overall": 5, "unixReviewTime": 1}\n{"reviewerID": "\xe9"}\n'))),
    Case('data', 'unknown table format', 'DataError', "unknown table format '.xlsx'", lambda fx: L.read_table(_bytes(fx.tmp()/'t.xlsx', b'x'))),
    Case('data', 'a folder passed as a table', 'DataError', 'is a folder', lambda fx: L.read_table(fx.tmp())),
    Case('data', 'table file not found', 'DataError', 'file not found', lambda fx: L.read_table(fx.root/'nope.tsv')),
    Case('data', 'split of data with kept repeats', 'DataError', 'Call ds.dedup() first', lambda fx: L.split_loo(fx.frame(duplicates='keep'), small_users='train')),
    Case('data', "split by='tim'", 'ConfigError', "by='tim' is not allowed", lambda fx: L.split_loo(fx.ml, by='tim')),
    Case('data', 'users too small to split', 'DataError', "small_users='train'", lambda fx: L.split_loo(fx.frame())),
    Case('data', 'ratio split that does not sum to 1', 'DataError', 'summing to 1', lambda fx: L.split_ratio(fx.ml, (0.8, 0.1, 0.2))),
    Case('data', 'cold users keep 0 items', 'DataError', 'k must be >= 1', lambda fx: L.cold_user_split(fx.split, k=0)),
    Case('data', 'k-core that empties the data', 'DataError', 'is empty', lambda fx: fx.frame().kcore(50)),
    Case('data', 'rating filter without ratings', 'DataError', 'has no rating column', lambda fx: L.RecData.from_frame(fx.inter, fx.items, 'u', 'i', item_key='iid').filter_rating(4)),
    Case('data', "k-core with k='5' (a string)", 'ConfigError', "k='5' must be an integer", lambda fx: fx.frame().kcore('5')),
    Case('data', 'cold-user fraction above 1', 'ConfigError', 'frac=1.5 is out of range', lambda fx: L.cold_user_split(fx.split, frac=1.5)),
    Case('data', 'degree groups with unsorted edges', 'ConfigError', 'must be increasing positive integers', lambda fx: L.degree_groups(fx.split, (5, 2))),
    Case('data', 'unknown dataset name', 'DataError', "dataset 'ml-10k'", lambda fx: L.load_dataset('ml-10k')),
    # --- data: saving ------------------------------------------------------------------------------------------
    Case('data', 'save into the folder the data came from', 'StoreError', 'RecData.save did not write', lambda fx: fx.frame().save(fx.mine(fx.tmp(), 'interactions.tsv', 'u\ti\n').parent)),
    Case('data', 'save onto a file', 'StoreError', 'is a file', lambda fx: fx.frame().save(fx.mine(fx.tmp(), 'data.csv', 'x'))),
    Case('data', 'load a saved dataset changed on disk', 'StoreError', 'missing or changed', lambda fx: (p := fx.frame().save(fx.tmp()/'s'), (p/'inter.npz').write_bytes((p/'inter.npz').read_bytes()[:-3] + b'xyz'), L.RecData.load(p))),
    Case('data', 'load a folder that is not a saved dataset', 'DataError', 'not a saved dataset', lambda fx: L.RecData.load(fx.tmp())),
    # --- select ------------------------------------------------------------------------------------------------
    Case('select', "NaN in E, strategy='random'", 'SelectError', 'NaN or inf entries (first at rows [3]', lambda fx: L.init_items(np.where(np.arange(40)[:, None] == 3, np.nan, fx.E), 4, 'random')),
    Case('select', "inf in E, strategy='variance'", 'SelectError', 'NaN or inf entries', lambda fx: L.init_items(np.where(np.arange(12) == 5, np.inf, fx.E), 4, 'variance', np.arange(40))),
    Case('select', 'constant column centred to zero', 'SelectError', 'constant over the items', lambda fx: L.init_items(np.where(np.arange(12) == 0, 2.0, fx.E), 4, 'uniform', center=True)),
    Case('select', 'selected column already zero in E: reported', None, '', lambda fx: _warns('zero for every item in E itself', lambda: L.init_items(np.where(np.arange(12) == 0, 0.0, fx.E), 4, 'uniform'))),
    Case('select', 'd larger than D', 'SelectError', 'cannot select d=64 of D=12', lambda fx: L.init_items(fx.E, 64, 'uniform')),
    Case('select', 'd=0', 'ConfigError', 'd=0 is out of range', lambda fx: L.init_items(fx.E, 0, 'uniform')),
    Case('select', 'misspelt strategy', 'ConfigError', "strategy='varaince' is not allowed", lambda fx: L.init_items(fx.E, 4, 'varaince')),
    Case('select', 'variance without item degrees', 'SelectError', 'needs item_degree', lambda fx: L.init_items(fx.E, 4, 'variance')),
    Case('select', 'item degrees of other items', 'SelectError', 'item_degree has 5 entries for 40 items', lambda fx: L.init_items(fx.E, 4, 'variance', np.ones(5))),
    Case('select', "rescale='he'", 'ConfigError', "rescale='he' is not allowed", lambda fx: L.init_items(fx.E, 4, 'uniform', rescale='he')),
    Case('select', 'pop_ratio=0', 'ConfigError', 'pop_ratio=0 is out of range', lambda fx: L.init_items(fx.E, 4, 'variance', np.arange(40), pop_ratio=0)),
    Case('select', 'user init with another item table', 'SelectError', 'the training matrix has', lambda fx: L.init_users(fx.E[:, :4], fx.split.csr('train'))),
    # --- embed -------------------------------------------------------------------------------------------------
    Case('embed', "path= a folder of the user's own", 'StoreError', 'holds files llminit-nb did not write', lambda fx: L.embed_items(['a', 'b'], fx.tiny, path=fx.mine(fx.tmp()).parent)),
    Case('embed', 'path= a file', 'StoreError', 'is a file', lambda fx: L.embed_items(['a', 'b'], fx.tiny, path=fx.mine(fx.tmp(), 'cache', 'x'))),
    Case('embed', 'cached emb.npy corrupted, same size', None, '', lambda fx: _corrupt_and_reload(fx, lambda b: b[:-8] + b'\xff' * 8)),
    Case('embed', 'cached emb.npy truncated', None, '', lambda fx: _corrupt_and_reload(fx, lambda b: b[:90])),
    Case('embed', 'cache manifest garbled', None, '', lambda fx: _corrupt_and_reload(fx, None)),
    Case('embed', 'other embeddings at an explicit path', 'EmbedError', 'holds other embeddings', lambda fx: (p := fx.tmp()/'e', L.embed_items(['a', 'b'], fx.tiny, path=p), L.embed_items(['a', 'b'], fx.tiny, path=p, pooling='last'))),
    Case('embed', "pooling='max'", 'ConfigError', "pooling='max' is not allowed", lambda fx: L.embed_items(['a'], fx.tiny, pooling='max', cache=False)),
    Case('embed', "dtype='int8'", 'ConfigError', "dtype='int8' is not allowed", lambda fx: L.embed_items(['a'], fx.tiny, dtype='int8', cache=False)),
    Case('embed', 'batch_size=0', 'ConfigError', 'batch_size=0 is out of range', lambda fx: L.embed_items(['a'], fx.tiny, batch_size=0, cache=False)),
    Case('embed', "device='cuda' on a CPU-only machine", 'ConfigError', "device='cuda' was asked for", lambda fx: L.embed_items(['a'], fx.tiny, device='cuda', cache=False)),
    Case('embed', 'model folder without weights', 'EmbedError', 'not a model folder', lambda fx: L.resolve_model(str(fx.mine(fx.tmp(), 'config.json', '{}').parent))),
    Case('embed', 'GGUF file not found', 'EmbedError', 'GGUF file not found', lambda fx: L.resolve_model(str(fx.root/'m.gguf'))),
    Case('embed', 'GGUF without the gguf package', 'EmbedError', "pip install 'llminit-nb[gguf]'", lambda fx: _without('gguf', lambda: L.resolve_model(str(_bytes(fx.tmp()/'m.gguf', b'GGUF')), convert=False))),
    Case('embed', 'an empty item text', 'EmbedError', 'empty text(s)', lambda fx: L.embed_items(['a', ' '], fx.tiny, cache=False)),
    # --- models ------------------------------------------------------------------------------------------------
    Case('models', 'unknown backbone', 'ConfigError', "backbone='gcn' is not allowed", lambda fx: L.make_model('gcn', fx.split.csr('train'))),
    Case('models', 'initial table of the wrong shape', 'ModelError', 'initial table has shape (3, 8)', lambda fx: L.make_model('mf', fx.split.csr('train'), 8, None, np.zeros((3, 8)))),
    Case('models', 'initial table with NaN', 'ModelError', 'NaN or inf', lambda fx: L.make_model('lightgcn', fx.split.csr('train'), 8, None, np.full((fx.split.n_items, 8), np.nan))),
    Case('models', 'n_layers=-1', 'ConfigError', 'n_layers=-1 is out of range', lambda fx: L.make_model('lightgcn', fx.split.csr('train'), 8, n_layers=-1)),
    Case('evaluate', 'evaluate with batch_size=0', 'ConfigError', 'batch_size=0 is out of range', lambda fx: L.evaluate(fx.mf(), fx.split, batch_size=0)),
    Case('evaluate', "evaluate part='train'", 'ConfigError', "part='train' is not allowed", lambda fx: L.evaluate(fx.mf(), fx.split, 'train')),
    Case('evaluate', 'evaluate with a cut-off of 0', 'ConfigError', 'ks=0 is out of range', lambda fx: L.evaluate(fx.mf(), fx.split, ks=(0, 10))),
    Case('evaluate', 'collapse measures of a 1-d array', 'DataError', 'expected a 2-d table', lambda fx: L.effective_rank(L.singular_values(np.ones(5)))),
    # --- train -------------------------------------------------------------------------------------------------
    Case('train', 'epochs=0', 'ConfigError', 'epochs=0 is out of range', lambda fx: fx.fit(epochs=0)),
    Case('train', 'lr=0', 'ConfigError', 'lr=0 is out of range', lambda fx: fx.fit(lr=0)),
    Case('train', 'negative batch size', 'ConfigError', 'batch_size=-8 is out of range', lambda fx: fx.fit(batch_size=-8)),
    Case('train', 'batch_size=0', 'ConfigError', 'batch_size=0 is out of range', lambda fx: fx.fit(batch_size=0)),
    Case('train', 'eval_every=0', 'ConfigError', 'eval_every=0 is out of range', lambda fx: fx.fit(eval_every=0)),
    Case('train', "metric='ndcg@5' (a cut-off validation does not compute by default)", None, '', lambda fx: (r := fx.fit(metric='ndcg@5'), r['history'][0]['ndcg@5'] == r['best_valid'] and 0 <= r['best_valid'] <= 1)[1]),
    Case('train', "metric='auc'", 'TrainError', "metric='auc' is not a ranking metric", lambda fx: fx.fit(metric='auc')),
    Case('train', "device='cuda' on a CPU-only machine", 'ConfigError', "device='cuda' was asked for", lambda fx: fx.fit(device='cuda')),
    Case('train', 'checkpoint path is a folder', 'TrainError', 'is a folder', lambda fx: fx.fit(checkpoint=fx.tmp())),
    Case('train', "checkpoint path holds the user's file", 'StoreError', 'not a checkpoint written by fit', lambda fx: fx.fit(checkpoint=fx.mine(fx.tmp(), 'best.pt', 'notes'))),
    Case('train', 'resume with other settings', 'TrainError', "'lr': (0.001, 0.01)", lambda fx: (c := fx.tmp()/'f.pt', fx.fit(checkpoint=c), fx.fit(checkpoint=c, resume=True, lr=0.01))),
    Case('train', 'resume without a checkpoint path', 'TrainError', 'resume=True needs checkpoint', lambda fx: fx.fit(resume=True)),
    Case('train', 'a user who has seen every item', 'TrainError', 'interacted with every item', lambda fx: L.NegSampler(np.ones((3, 4)))),
    # --- recommendations and saved models ----------------------------------------------------------------------
    Case('serve', 'recommend for a user the model never saw', 'DataError', "user ID(s) the model has not seen, e.g. ['nobody']", lambda fx: L.recommend(fx.mf(), fx.ml, ['nobody'])),
    Case('serve', 'recommend more items than exist', 'ConfigError', 'is more than the', lambda fx: L.recommend(fx.mf(), fx.ml, k=10**6)),
    Case('serve', 'recommend with the data of another model', 'DataError', 'pass the data it was trained on', lambda fx: L.recommend(fx.mf(), fx.frame())),
    Case('serve', "save a model into the user's folder", 'StoreError', 'save_recommender did not write', lambda fx: L.save_recommender(fx.mf(), fx.ml, fx.mine(fx.tmp(), 'notes.txt', 'x').parent)),
    Case('serve', 'load a saved model changed on disk', 'StoreError', 'missing or changed since the model was saved', lambda fx: (p := L.save_recommender(fx.mf(), fx.ml, fx.tmp()/'m'), (p/'tables.pt').write_bytes((p/'tables.pt').read_bytes()[:-2] + b'!!'), L.load_recommender(p))),
    Case('serve', 'load a folder that is not a saved model', 'StoreError', 'is not a model saved by save_recommender', lambda fx: L.load_recommender(fx.tmp())),
    Case('cli', "llminit-train --save a folder of the user's own (before training)", 'LLMInitError', 'save_recommender did not write', lambda fx: _cli_refuses(fx.cli('llminit-train', '--save', fx.mine(fx.tmp(), 'notes.txt', 'x').parent), '')),
    Case('cli', 'llminit-recommend: a folder that is not a saved model', 'LLMInitError', 'is not a model saved by save_recommender', lambda fx: _cli_refuses(fx.cli('llminit-recommend', fx.tmp()), '')),
    # --- experiment --------------------------------------------------------------------------------------------
    Case('experiment', 'unknown option (typo)', 'ConfigError', "did you mean 'strategy'", lambda fx: L.run(strategi='pca')),
    Case('experiment', 'option of the wrong type', 'ConfigError', "center='yes' must be True or False", lambda fx: L.run(center='yes')),
    Case('experiment', 'grid option given as a string', 'ConfigError', "strategy='variance' must be a list", lambda fx: L.grid(dict(epochs=1), strategy='variance')),
    Case('experiment', 'bad value in the last grid combination', 'ConfigError', "d=0 is out of range", lambda fx: (p := fx.tmp()/'runs.csv', fx.__setattr__('post', lambda: not p.exists()), L.grid(dict(epochs=1), strategy=['none'], d=[8, 0], path=p))),
    Case('experiment', 'seeds given as a string', 'ConfigError', "seeds='2020' must be a non-empty list", lambda fx: L.grid(dict(epochs=1), seeds='2020', strategy=['none'])),
    Case('experiment', 'run store is a file grid did not write', 'StoreError', 'holds no run_key column', lambda fx: L.grid(dict(epochs=1), strategy=['none'], path=fx.mine(fx.tmp(), 'results.csv', 'a,b\n1,2\n'))),
    Case('experiment', 'run store is not a CSV', 'StoreError', 'cannot be read as a run store', lambda fx: L.grid(dict(epochs=1), strategy=['none'], path=fx.mine(fx.tmp(), 'runs.csv', '"unclosed\n'))),
    Case('experiment', 'run store path is a folder', 'StoreError', 'is a folder', lambda fx: L.grid(dict(epochs=1), strategy=['none'], path=fx.tmp())),
    Case('experiment', 'summary of a metric that was not measured', 'ConfigError', "column(s) ['auc'] are not in the results", lambda fx: L.summarize(pd.DataFrame({'dataset': ['a'], 'backbone': ['mf'], 'strategy': ['none'], 'recall@10': [0.1]}), metrics=('auc',))),
    Case('experiment', 'shared dataset missing on this machine', 'DataError', "dataset folder 'amazon-office-2014' not found", lambda fx: _elsewhere(fx, lambda: L.run(dataset='amazon-office-2014', epochs=1))),
    # --- console scripts ---------------------------------------------------------------------------------------
    Case('cli', 'llminit-grid: malformed JSON', 'LLMInitError', 'invalid JSON at line 1', lambda fx: _cli_refuses(fx.cli('llminit-grid', _bytes(fx.tmp()/'g.json', b'{"base": {"epochs": 1},}'), '--out', fx.root/'g'), 'invalid JSON')),
    Case('cli', 'llminit-grid: "strategy": "variance" as a string', 'LLMInitError', 'must be a non-empty list', lambda fx: _cli_refuses(fx.cli('llminit-grid', _bytes(fx.tmp()/'g.json', b'{"grid": {"strategy": "variance"}}'), '--out', fx.root/'g'), '')),
    Case('cli', 'llminit-grid: grid file not found', 'LLMInitError', 'no such grid file', lambda fx: _cli_refuses(fx.cli('llminit-grid', fx.root/'none.json'), '')),
    Case('cli', 'llminit-train --epochs 0', 'LLMInitError', 'epochs=0 is out of range', lambda fx: _cli_refuses(fx.cli('llminit-train', '--epochs', 0), '')),
    Case('cli', 'llminit-train --lr 0', 'LLMInitError', 'lr=0.0 is out of range', lambda fx: _cli_refuses(fx.cli('llminit-train', '--lr', 0), '')),
    Case('cli', 'llminit-train --device cuda (CPU build)', 'LLMInitError', "device='cuda' was asked for", lambda fx: _cli_refuses(fx.cli('llminit-train', '--device', 'cuda'), '')),
    Case('cli', 'llminit-demo: misspelt strategy after valid ones', 'LLMInitError', "strategy='bogus' is not allowed", lambda fx: (fx.__setattr__('post', lambda: not (fx.root/'d.store.csv').exists()), _cli_refuses(fx.cli('llminit-demo', '--strategies', 'none,random,bogus', '--out', fx.root/'d'), ''))[1]),
    Case('cli', "llminit-embed --path a folder of the user's own", 'LLMInitError', 'holds files llminit-nb did not write', lambda fx: _cli_refuses(fx.cli('llminit-embed', '--model', fx.tiny, '--path', fx.mine(fx.tmp()).parent), '')),
    Case('cli', 'llminit-assets: unknown asset', 'LLMInitError', "unknown asset(s) ['mnist']", lambda fx: _cli_refuses(fx.cli('llminit-assets', '--names', 'mnist'), '')),
]

def _corrupt_and_reload(fx, damage) -> bool:
    "Damage a cache entry (emb.npy bytes, or the manifest when `damage` is None): the next call names it and returns the right matrix."
    p, texts = fx.tmp()/'e', [f'item {i}' for i in range(6)]
    good = np.array(L.embed_items(texts, fx.tiny, path=p))
    if damage is None: (p/'manifest.json').write_text('{"format": "llminit-nb/emb-v1", "dim":')
    else: (p/'emb.npy').write_bytes(damage((p/'emb.npy').read_bytes()))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        back = np.array(L.embed_items(texts, fx.tiny, path=p))
    named = any('damaged cache entry' in str(x.message) for x in w)
    return named and np.array_equal(back, good)

def _warns(fragment:str, fn) -> bool:
    "Whether `fn` runs and warns with `fragment` in the message."
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); fn()
    return any(fragment in str(x.message) for x in w)

def _without(module:str, fn):
    "Call `fn` as if `module` were not installed."
    import importlib.util
    from unittest import mock
    real = importlib.util.find_spec
    with mock.patch('importlib.util.find_spec', lambda name, *a: None if name == module else real(name, *a)): return fn()

def _elsewhere(fx, fn):
    "Call `fn` from a folder with no shared/data above it and no LLMINIT_DATA."
    from fastcore.xtras import modified_env
    here = os.getcwd(); os.chdir(fx.tmp())
    try:
        with modified_env('LLMINIT_DATA'): return fn()
    finally: os.chdir(here)

def classify(c:Case, fx:Fixtures) -> dict:
    "Run one case; its class: 'refused' (the right llminit_nb error, message fragment present), 'ok' (a success case held),"
    " 'absent' (the function, option or script does not exist in this version), 'silent' (no error where one was due), 'wrong error' (an llminit_nb error with another class or message), 'raw' (an"
    " exception from inside numpy/pandas/torch/...), 'wrong result' (a success case failed), 'lost file' (the user's file changed) or"
    " 'skipped' (the case needs a small or read-only mount, which needs root)."
    fx.post, t0 = None, time.time()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try: out, exc = c.fn(fx), None
        except Exception as e: out, exc = None, e
    try: kept = fx.post() if fx.post else True
    except (OSError, ValueError): kept = False  # the user's file or folder is gone
    if exc is None: cls = ('ok' if out is not False else 'wrong result') if c.err is None else 'silent'
    else:
        ours = type(exc).__module__.startswith('llminit_nb') or isinstance(exc, _cls('LLMInitError') or ())
        if isinstance(exc, _Late): cls = 'late'
        elif type(exc).__name__ == '_Skip': cls = 'skipped'
        elif _absent(exc): cls = 'absent'
        elif c.err is None: cls = 'wrong result'
        elif not ours: cls = 'raw'
        else: cls = 'refused' if isinstance(exc, _cls(c.err) or ()) and c.contains in str(exc) else 'wrong error'
    if not kept: cls = 'lost file'
    msg = '' if exc is None else f'{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ""}'
    return dict(area=c.area, case=c.name, expected=c.err or 'success', outcome=cls, message=msg[:160], seconds=round(time.time() - t0, 2))

def _absent(exc) -> bool:
    "The feature a case calls does not exist in this version (a missing function, option or console script)."
    m = str(exc)
    return ((isinstance(exc, AttributeError) and 'llminit_nb has no' in m) or (isinstance(exc, TypeError) and 'unexpected keyword argument' in m)
            or 'cannot import name' in m)

def _cls(name):
    try: return getattr(L, name)
    except (AttributeError, ImportError): return None

def run_cases(cases=None, timeout=None) -> pd.DataFrame:
    "Every case in a fresh temporary folder; one row per case (`timeout`: seconds a console script may run)."
    with tempfile.TemporaryDirectory() as d:
        fx = Fixtures(d, timeout)
        try: return pd.DataFrame([classify(c, fx) for c in (cases or CASES)])
        finally:
            for m in fx.mounts: subprocess.run(['umount', '-l', str(m)], capture_output=True)

# --- round two (2026-12-03): IDs as written, outputs over the user's files, full disks, odd paths, tampered metadata ---
class _Skip(Exception): "The case needs what this machine lacks (mounting a small or read-only file system: root)."

def _mount(fx, size='64k', ro=False) -> Path:
    "A fresh tmpfs of `size` (read-only with `ro`) inside fx's folder; unmounted when the cases end."
    p = fx.tmp()
    r = subprocess.run(['mount', '-t', 'tmpfs', '-o', f'size={size}' + (',ro' if ro else ''), 'tmpfs', str(p)], capture_output=True)
    if r.returncode: raise _Skip('mount is not permitted here')
    fx.mounts.append(p)
    return p

def _fill(p:Path):
    "Fill the file system of `p` up to its last byte."
    for name,chunk in (('.filler', 4096), ('.filler2', 1)):
        try:
            with open(p/name, 'wb', buffering=0) as f:
                while True: f.write(b'\0' * chunk)
        except OSError: pass

def _own(fx) -> Path:
    "The user's own files: IDs with leading zeros, an item file of item_id, title, description, and a d.json for them."
    if getattr(fx, '_own_dir', None): return fx._own_dir
    d = fx.tmp()/'own'; d.mkdir()
    rng = np.random.default_rng(0)
    users = [f'{u:05d}' for u in range(1, 41)] + ['7', '007']  # ZIP-code-like IDs; '7' and '007' are two users
    items = [f'{i:02d}' for i in range(30)] + ['0', '1.50', '1.5', 'café']
    rows = [(u, items[j], int(t)) for u in users for t,j in enumerate(rng.choice(len(items), 6, replace=False))]
    pd.DataFrame(rows, columns=['uid', 'iid', 'ts']).to_csv(d/'inter.tsv', sep='\t', index=False)
    pd.DataFrame({'iid': items, 'title': [f'Item {x}' for x in items], 'description': [f'about {x}' for x in items]}).to_csv(d/'items.tsv', sep='\t', index=False)
    (d/'d.json').write_text(json.dumps(dict(inter_path='inter.tsv', items_path='items.tsv', user_col='uid', item_col='iid', time_col='ts')))
    fx._own_dir = d
    return d

def _own_data(fx): d = _own(fx); return L.load_table(d/'inter.tsv', d/'items.tsv', 'uid', 'iid', time_col='ts')

def _saved_model(fx) -> Path:
    "A model saved by save_recommender from the user's own data (one epoch)."
    if getattr(fx, '_model_dir', None): return fx._model_dir
    ds = _own_data(fx); s = L.split_loo(ds, seed=1)
    m = L.make_model('mf', s.csr('train'), d=8); L.fit(m, s, epochs=1, progress=False, device='cpu')
    fx._model_dir = L.save_recommender(m, ds, fx.tmp()/'model')
    return fx._model_dir

def _user_file(fx, folder:Path, name:str, text='my own work') -> Path:
    "A file of the user's own at `folder/name` (other files there may come and go); `post` checks it survives."
    folder.mkdir(parents=True, exist_ok=True); f = folder/name; f.write_text(text)
    fx.post = lambda: f.read_bytes() == text.encode()
    return f

def _grid_json(fx, folder:Path) -> Path:
    g = folder/'g.json'
    g.write_text(json.dumps(dict(base=dict(backbone='mf', d=8, epochs=1, min_epochs=0), grid=dict(strategy=['none']), seeds=[1])))
    return g

def _tamper(path:Path, **change) -> Path:
    m = json.loads((path/'meta.json').read_text()); m.update(change)
    for k,v in change.items():
        if v is _DROP: m.pop(k)
    (path/'meta.json').write_text(json.dumps(m)); return path

_DROP = object()

def _copy_model(fx) -> Path:
    import shutil
    p = fx.tmp()/'m'; shutil.copytree(_saved_model(fx), p); return p

def _warned(fragment, fn) -> bool:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); fn()
    if not any(fragment in str(x.message) for x in w): return False
    return True

def _store_tampered(fx):
    "A run store whose row has its checksum blanked and its recall edited to 0.99: the row must not be reported."
    p = fx.tmp()/'runs.csv'
    L.grid(dict(backbone='mf', d=8, epochs=1, min_epochs=0), strategy=['none'], path=p, verbose=False)
    st = pd.read_csv(p); st['row_sha256'] = ''; st['recall@10'] = 0.99; st.to_csv(p, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); back = L.read_store(p)
    return len(back) == 0

def _no_temporaries(folder:Path) -> bool:
    return not [x for x in Path(folder).rglob('*') if '.tmp' in x.name and 'filler' not in x.name]

def _full_disk_embed(fx):
    "An embedding cache on a disk that fills up: one clear error before the work, no temporary left."
    p = _mount(fx, '128k')
    texts = [f'item number {i} ' + 'word ' * (i % 9) for i in range(2000)]
    fx.post = lambda: _no_temporaries(p)
    L.embed_items(texts, fx.tiny, path=p/'e')

def _sigbus_embed(fx):
    "The final matrix of an embedding cache fills the disk mid-write: a StoreError (not SIGBUS), no temporary left."
    from unittest import mock
    import errno
    p = fx.tmp()/'e'; texts = [f'item {i}' for i in range(50)]
    fx.post = lambda: _no_temporaries(p)
    with mock.patch('os.posix_fallocate', side_effect=OSError(errno.ENOSPC, 'No space left on device')):
        L.embed_items(texts, fx.tiny, path=p)

def _full_disk_save(fx):
    "save_recommender onto a disk without the room: refused, nothing written."
    p = _mount(fx, '16k'); fx.post = lambda: _no_temporaries(p)
    ds = _own_data(fx); m = L.make_model('mf', ds.csr(), d=64)
    L.save_recommender(m, ds, p/'m')

def _full_disk_resave(fx):
    "save_recommender over its own folder when the disk fills mid-write: the previous model is intact."
    from unittest import mock
    ds = _own_data(fx); m = L.make_model('mf', ds.csr(), d=8)
    p = L.save_recommender(m, ds, fx.tmp()/'m'); before = (p/'tables.pt').read_bytes()
    fx.post = lambda: (p/'tables.pt').read_bytes() == before and _no_temporaries(p.parent) and L.load_recommender(p) is not None
    with mock.patch('torch.save', side_effect=RuntimeError('[enforce fail at inline_container.cc:672] . unexpected pos 64 vs 0')):
        L.save_recommender(m, ds, p)

def _full_disk_fit(fx):
    "fit(checkpoint=) on a full disk: refused before training."
    p = _mount(fx, '16k'); fx.post = lambda: _no_temporaries(p)
    fx.fit(checkpoint=p/'fit.pt')

def _full_disk_ckpt_mid(fx):
    "The checkpoint write fails mid-training (disk full): one StoreError, the previous epoch's checkpoint intact."
    from unittest import mock
    c = fx.tmp()/'f.pt'; fx.fit(checkpoint=c); before = c.read_bytes()
    fx.post = lambda: c.read_bytes() == before and _no_temporaries(c.parent)
    with mock.patch('torch.save', side_effect=RuntimeError('[enforce fail at inline_container.cc:672] . PytorchStreamWriter failed writing file data/0: file write failed')):
        fx.fit(checkpoint=c, epochs=2)

def _full_disk_recdata(fx):
    p = _mount(fx, '16k'); _fill(p); fx.post = lambda: _no_temporaries(p)
    _own_data(fx).save(p/'d')

def _full_disk_store(fx):
    "A grid whose run store cannot be written: one StoreError."
    p = _mount(fx, '16k'); _fill(p); fx.post = lambda: _no_temporaries(p)
    L.grid(dict(backbone='mf', d=8, epochs=1, min_epochs=0), strategy=['none'], path=p/'runs.csv', verbose=False)

def _full_disk_results(fx):
    p = _mount(fx, '16k'); _fill(p); fx.post = lambda: _no_temporaries(p)
    df = pd.DataFrame({'dataset': ['a'], 'backbone': ['mf'], 'strategy': ['none'], 'model': ['m'], 'd': [8], 'seed': [1], 'recall@10': [0.1], 'ndcg@10': [0.1], 'recall@20': [0.1], 'ndcg@20': [0.1]})
    L.save_results(df, p/'res')

def _stale_save(fx) -> bool:
    "A save killed earlier left a hidden temporary folder: the next save of the same folder removes it."
    import socket, re as _re
    ds = _own_data(fx); m = L.make_model('mf', ds.csr(), d=8)
    root = fx.tmp(); dead = subprocess.Popen(['true']); dead.wait()
    host = _re.sub(r'[^A-Za-z0-9-]', '-', socket.gethostname())
    stale = root/f'.m.tmp-{host}-{dead.pid}-x1y2'; stale.mkdir(); (stale/'tables.pt').write_bytes(b'0' * 10000)
    L.save_recommender(m, ds, root/'m')
    return not stale.exists() and (root/'m'/'meta.json').exists()

def _mode_kept(fx) -> bool:
    ds = _own_data(fx); m = L.make_model('mf', ds.csr(), d=8)
    p = L.save_recommender(m, ds, fx.tmp()/'m'); os.chmod(p, 0o2775)
    L.save_recommender(m, ds, p)
    return (p.stat().st_mode & 0o7777) == 0o2775

def _ro(fx) -> Path: return _mount(fx, '1m', ro=True)

def _file_parent(fx) -> Path:
    f = fx.tmp()/'afile'; f.write_text('x'); fx.post = lambda: f.read_text() == 'x'; return f

ROUND2 = [
    # --- IDs as written ------------------------------------------------------------------------------------------
    Case('ids', "'007' and '7' stay two users", None, '', lambda fx: {'007', '7'} <= set(_own_data(fx).user_ids) and _own_data(fx).n_users == 42),
    Case('ids', "items '00' and '0' stay two items", None, '', lambda fx: {'00', '0'} <= set(_own_data(fx).item_ids)),
    Case('ids', "ZIP-code-like user '00001' kept as written", None, '', lambda fx: '00001' in set(_own_data(fx).user_ids) and '1' not in set(_own_data(fx).user_ids)),
    Case('ids', "IDs like floats: '1.50' and '1.5' stay two items", None, '', lambda fx: {'1.50', '1.5'} <= set(_own_data(fx).item_ids)),
    Case('ids', 'unicode item ID kept', None, '', lambda fx: 'café' in set(_own_data(fx).item_ids)),
    Case('ids', "recommend(['00001']) after training on it", None, '', lambda fx: len(L.load_recommender(_saved_model(fx)).recommend(['00001'], k=3)) == 3),
    Case('ids', "recommend(['007', '7']) answers two users", None, '', lambda fx: L.load_recommender(_saved_model(fx)).recommend(['007', '7'], k=3).user.nunique() == 2),
    Case('ids', 'saved model keeps the IDs as written', None, '', lambda fx: '007' in set(L.load_recommender(_saved_model(fx)).user_ids) and '00' in set(L.load_recommender(_saved_model(fx)).item_ids)),
    Case('ids', 'RecData.save/load keeps the IDs as written', None, '', lambda fx: set(L.RecData.load(_own_data(fx).save(fx.tmp()/'s')).user_ids) == set(_own_data(fx).user_ids)),
    Case('ids', 'JSON-lines items with an ID of 20 digits match the TSV', None, '', lambda fx: (d := fx.tmp(), _bytes(d/'i.tsv', b'u\ti\na\t10000000000000000001\nb\t10000000000000000001\n'), _bytes(d/'t.jsonl', b'{"i": 10000000000000000001, "title": "x"}\n'), L.load_table(d/'i.tsv', d/'t.jsonl', 'u', 'i').item_ids.tolist() == ['10000000000000000001'])[-1]),
    Case('ids', 'JSON-lines price 1.50 stays text "1.50"', None, '', lambda fx: L.read_table(_bytes(fx.tmp()/'t.jsonl', b'{"i": "a", "price": 1.50}\n')).price.tolist() == ['1.50']),
    Case('ids', 'Amazon reviews with a numeric reviewer ID', None, '', lambda fx: L.load_amazon(_bytes(fx.tmp()/'r.json', b'{"reviewerID": 7, "asin": "b", "overall": 5, "unixReviewTime": 1}\n')).user_ids.tolist() == ['7']),
    Case('ids', 'atomic file with an ID typed float keeps its text', None, '', lambda fx: (d := fx.tmp()/'at', d.mkdir(), _bytes(d/'at.inter', b'user_id:float\titem_id:token\n1.0\ta\n1\tb\n'), L.load_atomic(d).n_users == 2)[-1]),
    Case('ids', 'a DataFrame of float IDs (NaN-upcast ints)', 'DataError', 'holds floating-point numbers', lambda fx: L.RecData.from_frame(pd.DataFrame({'u': [1.0, 2.0], 'i': ['a', 'b']}), None, 'u', 'i')),
    Case('ids', 'IDs with spaces around them: warned', None, '', lambda fx: _warned('had spaces around them', lambda: L.RecData.from_frame(pd.DataFrame({'u': [' a', 'a'], 'i': ['x', 'y']}), None, 'u', 'i'))),
    Case('ids', "llminit-train --dataset d.json with '007'/'7' users", None, '', lambda fx: fx.cli('llminit-train', '--dataset', _own(fx)/'d.json', '--strategy', 'none', '--epochs', 1, '--backbone', 'mf').returncode == 0),
    Case('cli', 'llminit-recommend without users or --all-users', 'LLMInitError', 'or pass --all-users', lambda fx: _cli_refuses(fx.cli('llminit-recommend', _saved_model(fx)), '')),
    Case('cli', 'llminit-train --center --no-center', 'LLMInitError', 'contradict each other', lambda fx: _cli_refuses(fx.cli('llminit-train', '--center', '--no-center'), '')),
    Case('cli', 'llminit-train --split time --kcore 2 --min-rating 1 on own files', None, '', lambda fx: (r := fx.cli('llminit-train', '--dataset', _own(fx)/'d.json', '--strategy', 'none', '--epochs', 1, '--backbone', 'mf', '--split', 'time', '--kcore', 2)).returncode == 0 and '"split": "time"' in r.stdout),
    # --- outputs over the user's files ---------------------------------------------------------------------------
    Case('outputs', "llminit-grid --out g over the user's g.csv", 'LLMInitError', 'pass --overwrite to replace it', lambda fx: (d := fx.tmp(), _user_file(fx, d, 'g.csv'), _cli_refuses(fx.cli('llminit-grid', _grid_json(fx, d), '--out', d/'g'), ''))[-1]),
    Case('outputs', "llminit-grid --out g over the user's g.md", 'LLMInitError', 'pass --overwrite to replace it', lambda fx: (d := fx.tmp(), _user_file(fx, d, 'g.md'), _cli_refuses(fx.cli('llminit-grid', _grid_json(fx, d), '--out', d/'g'), ''))[-1]),
    Case('outputs', "llminit-grid --out g over the user's g.runs.csv", 'LLMInitError', 'pass --overwrite to replace it', lambda fx: (d := fx.tmp(), _user_file(fx, d, 'g.runs.csv'), _cli_refuses(fx.cli('llminit-grid', _grid_json(fx, d), '--out', d/'g'), ''))[-1]),
    Case('outputs', 'llminit-grid rerun replaces its own results', None, '', lambda fx: (d := fx.tmp(), g := _grid_json(fx, d), fx.cli('llminit-grid', g, '--out', d/'g').returncode, fx.cli('llminit-grid', g, '--out', d/'g').returncode)[-2:] == (0, 0)),
    Case('outputs', "llminit-grid --overwrite replaces the user's g.csv", None, '', lambda fx: (d := fx.tmp(), (d/'g.csv').write_text('mine'), fx.cli('llminit-grid', _grid_json(fx, d), '--out', d/'g', '--overwrite').returncode == 0 and (d/'g.csv').read_text() != 'mine')[-1]),
    Case('outputs', "llminit-demo --out dm/demo over the user's demo.csv", 'LLMInitError', 'pass --overwrite to replace it', lambda fx: (d := fx.tmp(), _user_file(fx, d, 'demo.csv'), _cli_refuses(fx.cli('llminit-demo', '--strategies', 'none', '--epochs', 1, '--out', d/'demo'), ''))[-1]),
    Case('outputs', "llminit-demo --out dm/demo over the user's demo.png", 'LLMInitError', 'pass --overwrite to replace it', lambda fx: (d := fx.tmp(), _user_file(fx, d, 'demo.png'), _cli_refuses(fx.cli('llminit-demo', '--strategies', 'none', '--epochs', 1, '--out', d/'demo'), ''))[-1]),
    Case('outputs', "llminit-recommend --out over the user's mine.csv", 'LLMInitError', 'pass --overwrite to replace it', lambda fx: (f := _user_file(fx, fx.tmp(), 'mine.csv'), _cli_refuses(fx.cli('llminit-recommend', _saved_model(fx), '--out', f), ''))[-1]),
    Case('outputs', 'llminit-recommend --out --overwrite replaces it', None, '', lambda fx: (f := fx.tmp()/'mine.csv', f.write_text('x'), fx.cli('llminit-recommend', _saved_model(fx), '--all-users', '--out', f, '--overwrite').returncode == 0 and 'rank' in f.read_text())[-1]),
    Case('outputs', 'llminit-recommend --out at a folder', 'LLMInitError', 'is a folder', lambda fx: _cli_refuses(fx.cli('llminit-recommend', _saved_model(fx), '--out', fx.tmp()), '')),
    Case('outputs', "save_results over the user's res.md", 'StoreError', 'did not write it', lambda fx: (d := fx.tmp(), _user_file(fx, d, 'res.md'), L.save_results(pd.DataFrame({'dataset': ['a'], 'backbone': ['mf'], 'strategy': ['none'], 'model': ['m'], 'd': [8], 'seed': [1], 'recall@10': [0.1], 'ndcg@10': [0.1], 'recall@20': [0.1], 'ndcg@20': [0.1]}), d/'res'))[-1]),
    Case('outputs', "save_recommender into its own folder holding a file the user added", 'StoreError', "also holds ['notes.txt']", lambda fx: (p := _copy_model(fx), _user_file(fx, p, 'notes.txt'), L.save_recommender(L.make_model('mf', _own_data(fx).csr(), d=8), _own_data(fx), p))[-1]),
    Case('outputs', "llminit-train --save into its own folder holding the user's file", 'LLMInitError', "also holds ['notes.txt']", lambda fx: (p := _copy_model(fx), _user_file(fx, p, 'notes.txt'), _cli_refuses(fx.cli('llminit-train', '--epochs', 1, '--save', p), ''))[-1]),
    Case('outputs', "RecData.save into its own folder holding the user's file", 'StoreError', "also holds ['notes.txt']", lambda fx: (p := _own_data(fx).save(fx.tmp()/'s'), _user_file(fx, p, 'notes.txt'), _own_data(fx).save(p))[-1]),
    Case('outputs', 'save_recommender to a symbolic link', 'StoreError', 'is a symbolic link', lambda fx: (t := fx.tmp(), _user_file(fx, t, 'keep.txt'), (fx.root/'lnk').symlink_to(t), L.save_recommender(L.make_model('mf', _own_data(fx).csr(), d=8), _own_data(fx), fx.root/'lnk'))[-1]),
    Case('outputs', 'llminit-train --save a symbolic link', 'LLMInitError', 'is a symbolic link', lambda fx: (t := fx.tmp(), (fx.root/'lnk2').symlink_to(t), _cli_refuses(fx.cli('llminit-train', '--epochs', 1, '--save', fx.root/'lnk2'), ''))[-1]),
    Case('outputs', 'llminit-embed --path a symbolic link', 'LLMInitError', 'is a symbolic link', lambda fx: (t := fx.tmp(), (fx.root/'lnk3').symlink_to(t), _cli_refuses(fx.cli('llminit-embed', '--model', fx.tiny, '--path', fx.root/'lnk3'), ''))[-1]),
    Case('outputs', 'fit(checkpoint=) a symbolic link', 'StoreError', 'is a symbolic link', lambda fx: (t := fx.tmp()/'real.pt', (fx.root/'lnk4.pt').symlink_to(t), fx.fit(checkpoint=fx.root/'lnk4.pt'))[-1]),
    Case('outputs', 'a folder of mode 2775 keeps it when the model is saved again', None, '', _mode_kept),
    Case('outputs', 'a killed save left a hidden temporary: removed by the next save', None, '', _stale_save),
    # --- full disks ----------------------------------------------------------------------------------------------
    Case('disk', 'embedding cache on a full disk', 'StoreError', 'needs about', _full_disk_embed),
    Case('disk', 'embedding matrix fills the disk mid-write (was SIGBUS)', 'StoreError', 'the disk is full', _sigbus_embed),
    Case('disk', 'save_recommender on a full disk', 'StoreError', 'needs about', _full_disk_save),
    Case('disk', 'save_recommender over its own model, disk full mid-write', 'StoreError', 'the disk is full', _full_disk_resave),
    Case('disk', 'fit(checkpoint=) on a full disk', 'StoreError', 'needs about', _full_disk_fit),
    Case('disk', 'checkpoint write fails mid-training', 'StoreError', 'the disk is full', _full_disk_ckpt_mid),
    Case('disk', 'RecData.save on a full disk', 'StoreError', 'the disk is full', _full_disk_recdata),
    Case('disk', 'grid run store on a full disk', 'StoreError', 'needs about', _full_disk_store),
    Case('disk', 'save_results on a full disk', 'StoreError', 'the disk is full', _full_disk_results),
    Case('disk', 'llminit-recommend --out on a full disk', 'LLMInitError', 'the disk is full', lambda fx: (p := _mount(fx, '8k'), _cli_refuses(fx.cli('llminit-recommend', _saved_model(fx), '--all-users', '--out', p/'r.csv'), ''))[-1]),
    # --- read-only and odd paths, for every flag that writes -----------------------------------------------------
    Case('paths', 'llminit-train --save on a read-only file system', 'LLMInitError', 'cannot write in', lambda fx: _cli_refuses(fx.cli('llminit-train', '--epochs', 1, '--save', _ro(fx)/'m'), '')),
    Case('paths', 'llminit-train --save under a file', 'LLMInitError', 'is a file, not a folder', lambda fx: _cli_refuses(fx.cli('llminit-train', '--epochs', 1, '--save', _file_parent(fx)/'m'), '')),
    Case('paths', 'llminit-train --save at a mount point', 'LLMInitError', 'mount point', lambda fx: _cli_refuses(fx.cli('llminit-train', '--epochs', 1, '--save', _mount(fx, '1m')), '')),
    Case('paths', 'llminit-recommend --out on a read-only file system', 'LLMInitError', 'cannot write in', lambda fx: _cli_refuses(fx.cli('llminit-recommend', _saved_model(fx), '--out', _ro(fx)/'r.csv'), '')),
    Case('paths', 'llminit-recommend --out under a file', 'LLMInitError', 'is a file, not a folder', lambda fx: _cli_refuses(fx.cli('llminit-recommend', _saved_model(fx), '--out', _file_parent(fx)/'r.csv'), '')),
    Case('paths', 'llminit-grid --out on a read-only file system', 'LLMInitError', 'cannot write in', lambda fx: (d := fx.tmp(), _cli_refuses(fx.cli('llminit-grid', _grid_json(fx, d), '--out', _ro(fx)/'g'), ''))[-1]),
    Case('paths', 'llminit-grid --out under a file', 'LLMInitError', 'is a file, not a folder', lambda fx: (d := fx.tmp(), _cli_refuses(fx.cli('llminit-grid', _grid_json(fx, d), '--out', _file_parent(fx)/'g'), ''))[-1]),
    Case('paths', 'llminit-demo --out on a read-only file system', 'LLMInitError', 'cannot write in', lambda fx: _cli_refuses(fx.cli('llminit-demo', '--strategies', 'none', '--epochs', 1, '--out', _ro(fx)/'demo'), '')),
    Case('paths', 'llminit-embed --path on a read-only file system', 'LLMInitError', 'cannot write in', lambda fx: _cli_refuses(fx.cli('llminit-embed', '--model', fx.tiny, '--path', _ro(fx)/'e'), '')),
    Case('paths', 'llminit-embed --path under a file', 'LLMInitError', 'is a file, not a folder', lambda fx: _cli_refuses(fx.cli('llminit-embed', '--model', fx.tiny, '--path', _file_parent(fx)/'e'), '')),
    Case('paths', 'fit(checkpoint=) on a read-only file system', 'StoreError', 'cannot write in', lambda fx: fx.fit(checkpoint=_ro(fx)/'f.pt')),
    Case('paths', 'fit(checkpoint=) under a file', 'StoreError', 'is a file, not a folder', lambda fx: fx.fit(checkpoint=_file_parent(fx)/'f.pt')),
    Case('paths', 'RecData.save on a read-only file system', 'StoreError', 'cannot write in', lambda fx: _own_data(fx).save(_ro(fx)/'d')),
    Case('paths', 'grid(path=) under a file', 'StoreError', 'is a file, not a folder', lambda fx: L.grid(dict(epochs=1), strategy=['none'], path=_file_parent(fx)/'runs.csv')),
    # --- tampered metadata ---------------------------------------------------------------------------------------
    Case('metadata', 'saved model: meta.json "sha256": {} and a damaged tables.pt', 'StoreError', 'lists no checksum', lambda fx: (p := _tamper(_copy_model(fx), sha256={}), (p/'tables.pt').write_bytes(b'damaged'), L.load_recommender(p))[-1]),
    Case('metadata', 'saved model: meta.json without sha256', 'StoreError', 'lists no checksum', lambda fx: L.load_recommender(_tamper(_copy_model(fx), sha256=_DROP))),
    Case('metadata', 'saved model: checksum list without tables.pt', 'StoreError', "lists no checksum for ['tables.pt']", lambda fx: (p := _copy_model(fx), m := json.loads((p/'meta.json').read_text()), _tamper(p, sha256={k: v for k,v in m['sha256'].items() if k != 'tables.pt'}), L.load_recommender(p))[-1]),
    Case('metadata', 'saved model in a newer format', 'StoreError', 'load it with the version that wrote it', lambda fx: L.load_recommender(_tamper(_copy_model(fx), format='llminit-nb/recommender-v2'))),
    Case('metadata', 'saved dataset: meta.json "sha256": {}', 'StoreError', 'lists no checksum', lambda fx: L.RecData.load(_tamper(_own_data(fx).save(fx.tmp()/'s'), sha256={}))),
    Case('metadata', 'saved dataset in a newer format', 'StoreError', 'load it with the version that wrote it', lambda fx: L.RecData.load(_tamper(_own_data(fx).save(fx.tmp()/'s'), format='llminit-nb/recdata-v2'))),
    Case('metadata', 'run store row with a blank checksum and recall edited to 0.99', None, '', _store_tampered),
    Case('metadata', 'run store in an unknown format', 'StoreError', 'not llminit-nb/runs-v2', lambda fx: (p := fx.tmp()/'runs.csv', _bytes(p, b'run_key,store_format,row_sha256\nk,llminit-nb/runs-v9,x\n'), L.read_store(p))[-1]),
    # --- misdirected, raw and silent ------------------------------------------------------------------------------
    Case('misc', 'a model built for another split, trained on this one', 'TrainError', 'the model was built for', lambda fx: L.fit(L.make_model('mf', L.split_loo(fx.ml.kcore(10), seed=1).csr('train'), d=8), fx.split, epochs=1, progress=False)),
    Case('misc', 'evaluate a model of another split', 'DataError', 'evaluate it on the split it was trained on', lambda fx: L.evaluate(L.make_model('mf', L.split_loo(fx.ml.kcore(10), seed=1).csr('train'), d=8), fx.split)),
    Case('misc', 'a CSV named .tsv: the separator is read off the file', None, '', lambda fx: L.load_table(_bytes(fx.tmp()/'i.tsv', b'u,i\na,x\nb,y\n'), user_col='u', item_col='i').n_users == 2),
    Case('misc', 'a wrong explicit separator: named in the error', 'DataError', 'read with the tab separator', lambda fx: L.load_table(_bytes(fx.tmp()/'i.csv', b'u,i\na,x\n'), user_col='u', item_col='i', sep='\t')),
    Case('misc', "grid(dict(dataset='mine.json')) as llminit-train takes it", None, '', lambda fx: len(L.grid(dict(dataset=str(_own(fx)/'d.json'), backbone='mf', d=8, epochs=1, min_epochs=0), strategy=['none'], verbose=False)) == 1),
    Case('misc', 'llminit-embed --dataset d.json with relative paths, run from elsewhere', None, '', lambda fx: fx.cli('llminit-embed', '--dataset', _own(fx)/'d.json', '--model', fx.tiny, '--path', fx.tmp()/'e').returncode == 0),
    Case('misc', 'a memory-mapped E of strings', 'SelectError', 'not numbers', lambda fx: (p := fx.tmp()/'s.npy', np.save(p, np.array([['a', 'b']] * 40)), L.init_items(np.load(p, mmap_mode='r'), 1, 'uniform'))[-1]),
    Case('misc', 'unreachable Ray head in RAY_ADDRESS', 'LLMInitError', 'no Ray cluster answers', lambda fx: _cli_refuses(fx.cli('llminit-embed', '--model', fx.tiny, '--engine', 'ray', '--path', fx.tmp()/'e', env=dict(RAY_ADDRESS='127.0.0.1:9')), '')),
    Case('misc', 'all-zero initial tables: warned', None, '', lambda fx: _warned('cannot train', lambda: L.make_model('mf', fx.split.csr('train'), 8, np.zeros((fx.split.n_users, 8)), np.zeros((fx.split.n_items, 8))))),
    Case('misc', 'a 25-item catalogue evaluated at 50: warned', None, '', lambda fx: (s := L.split_loo(L.RecData.from_frame(pd.DataFrame({'u': [u for u in 'abcdef' for _ in range(5)], 'i': [f'i{(k * 4 + j) % 25}' for k in range(6) for j in range(5)]}), None, 'u', 'i'), seed=1), _warned('cannot tell models apart', lambda: L.evaluate(L.make_model('mf', s.csr('train'), 4), s, 'test')))[-1]),
    Case('misc', 'a dataset of one user: warned', None, '', lambda fx: (s := L.split_loo(L.RecData.from_frame(pd.DataFrame({'u': ['a'] * 40, 'i': [f'i{j}' for j in range(40)]}), None, 'u', 'i'), seed=1), _warned('only one user', lambda: L.evaluate(L.make_model('mf', s.csr('train'), 4), s, 'test', ks=(10,))))[-1]),
    Case('misc', 'd larger than the model is wide: refused before embedding', 'ConfigError', 'd=512 is more than the 384 columns', lambda fx: L.run(d=512, model='all-MiniLM-L6-v2', strategy='uniform')),
    Case('misc', 'llminit-train on item_id, title, description (no brand)', None, '', lambda fx: fx.cli('llminit-train', '--dataset', _own(fx)/'d.json', '--strategy', 'uniform', '--model', fx.tiny, '--d', 16, '--epochs', 1, '--backbone', 'mf').returncode == 0),
    Case('misc', 'llminit-train --template with a field the items lack', 'LLMInitError', "template field(s) ['brand']", lambda fx: _cli_refuses(fx.cli('llminit-train', '--dataset', _own(fx)/'d.json', '--strategy', 'uniform', '--model', fx.tiny, '--d', 16, '--epochs', 1, '--template', 'Brand: {brand}'), '')),
    Case('misc', 'one 5 MB text among 25 embeds in seconds', None, '', lambda fx: (t0 := time.time(), L.embed_items(['x ' * 2_500_000] + [f'item {i}' for i in range(24)], fx.tiny, cache=False).shape[0] == 25 and time.time() - t0 < 5)[-1]),
]

CASES += ROUND2

# --- faults: killed processes and concurrent writers (the slow tier) ---------------------------------------------
def _py(code:str, env=None) -> subprocess.Popen:
    "Start `code` in a new Python process with the same interpreter (the package as installed)."
    return subprocess.Popen([sys.executable, '-c', 'import torch; torch.set_num_threads(1)\n' + code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})

def _wait_for(cond, what, timeout=180):
    t0 = time.time()
    while not cond():
        if time.time() - t0 > timeout: raise TimeoutError(f'{what} did not happen within {timeout} s')
        time.sleep(0.05)

_GRID = "from llminit_nb.experiment import grid\ngrid(dict(backbone='mf', d=8, epochs=2, min_epochs=0), seeds={seeds}, strategy=['none'], path={path!r}, verbose=False)"

def concurrent_grids(fx) -> bool:
    "Two processes run different grids into one store at the same time: every row of both is there, once."
    p = fx.tmp()/'runs.csv'
    procs = [_py(_GRID.format(seeds=s, path=str(p))) for s in ([1, 2, 3], [4, 5, 6])]
    errs = [q.communicate()[1] for q in procs]
    if any(q.returncode for q in procs): raise RuntimeError('a grid failed: ' + ' | '.join(e.strip().splitlines()[-1] for e in errs if e.strip()))
    st = L.read_store(p)
    return sorted(st.seed.tolist()) == [1, 2, 3, 4, 5, 6] and st.run_key.is_unique

_EMBED = "from llminit_nb.embed import embed_items\nembed_items([f'item number {{i}} ' + 'word ' * (i % 9) for i in range(600)], {tiny!r}, shard_size=50)"

def concurrent_embeds(fx) -> bool:
    "Two processes embed the same catalogue into the same cache at once: both succeed, one entry, no shard left behind."
    cache = fx.tmp()
    procs = [_py(_EMBED.format(tiny=fx.tiny), env=dict(LLMINIT_CACHE=str(cache))) for _ in range(2)]
    errs = [q.communicate()[1] for q in procs]
    if any(q.returncode for q in procs): raise RuntimeError('an embedding failed: ' + ' | '.join(e.strip().splitlines()[-1] for e in errs if e.strip()))
    entries = list((cache/'emb').iterdir())
    return len(entries) == 1 and sorted(x.name for x in entries[0].iterdir()) == ['.llminit-emb', '.lock', 'emb.npy', 'manifest.json']

def killed_embedding(fx) -> bool:
    "kill -9 in the middle of an extraction: the rerun keeps every finished shard and gives the uninterrupted result."
    from unittest import mock
    import llminit_nb.embed as emb
    cache, texts = fx.tmp(), [f'item number {i} ' + 'word ' * (i % 9) for i in range(3000)]
    q = _py(_EMBED.replace('range(600)', 'range(3000)').format(tiny=fx.tiny), env=dict(LLMINIT_CACHE=str(cache)))
    _wait_for(lambda: len(list(cache.glob('emb/*/.shards-*/*.sha256'))) >= 3, 'three finished shards')
    q.send_signal(signal.SIGKILL); q.wait()
    done = {f.name: f.stat().st_mtime_ns for f in cache.glob('emb/*/.shards-*/*.npy') if f.with_suffix('.sha256').exists()}
    if list(cache.glob("emb/*/manifest.json")): return False  # killed too late to test anything
    with mock.patch.object(emb, 'encode', wraps=emb.encode) as enc:
        from fastcore.xtras import modified_env
        with modified_env(LLMINIT_CACHE=str(cache)): got = np.array(L.embed_items(texts, fx.tiny, shard_size=50))
    fresh = np.array(L.embed_items(texts, fx.tiny, shard_size=50, path=fx.tmp()/'clean'))
    return enc.call_count == 3000 // 50 - len(done) and np.array_equal(got, fresh)

def killed_grid(fx) -> bool:
    "kill -9 of llminit-grid after its first run: the rerun keeps that run as it was and adds the others."
    g = fx.tmp()/'g.json'
    g.write_text(json.dumps(dict(base=dict(backbone='mf', d=8, epochs=3, min_epochs=0), grid=dict(strategy=['none']), seeds=[1, 2, 3])))
    exe = Path(sys.executable).parent/'llminit-grid'
    q = subprocess.Popen([str(exe), str(g), '--out', str(g.parent/'g')], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = g.parent/'g.store.csv'
    _wait_for(lambda: store.exists(), 'the first finished run')
    q.send_signal(signal.SIGKILL); q.wait()
    first = L.read_store(store)
    r = fx.cli('llminit-grid', g, '--out', g.parent/'g')
    if r.returncode: raise RuntimeError(r.stderr.strip().splitlines()[-1])
    after = L.read_store(store)
    kept = after.set_index('run_key').loc[first.run_key, 'recall@10'].tolist() == first['recall@10'].tolist()
    return 1 <= len(first) < 3 and sorted(after.seed.tolist()) == [1, 2, 3] and kept

_FIT = """import torch
from llminit_nb.loaders import load_dataset
from llminit_nb.splits import split_loo
from llminit_nb.models import make_model
from llminit_nb.train import fit
s = split_loo(load_dataset('ml-100k', min_rating=4, kcore=5), seed=2020)
torch.manual_seed(0); m = make_model('lightgcn', s.csr('train'), d=8)
fit(m, s, epochs={epochs}, seed=3, progress=False, device='cpu', checkpoint={ck!r}, resume=True)"""

def killed_fit(fx) -> bool:
    "kill -9 of a training run after its second epoch: resume=True ends exactly where an uninterrupted run ends."
    import torch
    ck = fx.tmp()/'fit.pt'
    q = _py(_FIT.format(epochs=40, ck=str(ck)))
    _wait_for(lambda: ck.exists() and torch.load(ck, weights_only=True)['resume']['epochs_done'] >= 2, 'two finished epochs')
    q.send_signal(signal.SIGKILL); q.wait()
    stopped_at = torch.load(ck, weights_only=True)['resume']['epochs_done']
    r = subprocess.run([sys.executable, '-c', 'import torch; torch.set_num_threads(1)\n' + _FIT.format(epochs=6, ck=str(ck))], capture_output=True, text=True)
    if r.returncode: raise RuntimeError(r.stderr.strip().splitlines()[-1])
    ck2 = fx.tmp()/'fit.pt'
    r = subprocess.run([sys.executable, '-c', 'import torch; torch.set_num_threads(1)\n' + _FIT.format(epochs=6, ck=str(ck2))], capture_output=True, text=True)
    if r.returncode: raise RuntimeError(r.stderr.strip().splitlines()[-1])
    a, b = (torch.load(c, weights_only=True) for c in (ck, ck2))
    same = [h['loss'] for h in a['resume']['hist']] == [h['loss'] for h in b['resume']['hist']] and all(torch.equal(a['state'][k], b['state'][k]) for k in b['state'])
    return 2 <= stopped_at < 6 and same

def _atomic(folder:Path, inter:pd.DataFrame, items:pd.DataFrame) -> Path:
    folder.mkdir(parents=True)
    inter.to_csv(folder/f'{folder.name}.inter', sep='\t', index=False, header=['user_id:token', 'item_id:token', 'rating:float', 'timestamp:float'])
    items.to_csv(folder/f'{folder.name}.item', sep='\t', index=False, header=['item_id:token', 'title:token_seq', 'year:token', 'genres:token_seq'])
    return folder

def tripled_rows(fx) -> bool:
    "Every interaction repeated three times gives the same metrics, to the last digit, as the data without repeats."
    ml = L.load_dataset('ml-100k')
    inter = pd.DataFrame({'u': ml.user_ids[ml.inter.user], 'i': ml.item_ids[ml.inter.item], 'r': ml.inter.rating, 't': ml.inter.ts})
    items = pd.DataFrame({'i': ml.item_ids, 'title': ml.items.title.str.replace('\t', ' '), 'year': ml.items.year, 'genres': ml.items.genres})
    once, thrice = _atomic(fx.tmp()/'once', inter, items), _atomic(fx.tmp()/'thrice', pd.concat([inter] * 3), items)
    cols = ['recall@10', 'ndcg@10', 'recall@20', 'ndcg@20', 'valid_ndcg10', 'best_epoch']
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        rows = [{k: L.run(dataset=str(f), strategy=s, model=fx.tiny, d=16, epochs=3, seed=1)[k] for k in cols} for s in ('none', 'variance') for f in (once, thrice)]
    return rows[0] == rows[1] and rows[2] == rows[3] and rows[0]['recall@10'] > 0

def same_seed_twice(fx) -> bool:
    "The same configuration and seed, run twice, gives identical rows to every digit."
    cfg = dict(backbone='lightgcn', strategy='variance', model=fx.tiny, d=16, epochs=3, seed=7)
    a, b = L.run(**cfg), L.run(**cfg)
    keys = [k for k in a if not k.endswith('_s') and k != 's_per_epoch']
    return [a[k] for k in keys] == [b[k] for k in keys]

FAULTS = [Case('faults', f.__doc__.split(':')[0], None, '', f, slow=True)
          for f in (concurrent_grids, concurrent_embeds, killed_embedding, killed_grid, killed_fit, tripled_rows, same_seed_twice)]
