"""RecBole 1.2.1's LightGCN (or BPR, SGL: `--model`) on split files written by llminit-nb (RecBole benchmark files),
for the side-by-side benchmarks `recbole_same_split.py`, `recbole_parity.py` and `scaling_cost.py`. Standard library and
RecBole only: it runs in RecBole's own environment (RecBole's pins clash with ours), driven by those scripts. Build
that environment once:

    python -m venv /tmp/rb && /tmp/rb/bin/pip install torch==2.13.0 "numpy<2" "scipy<1.12" pandas tqdm \
        colorlog==4.7.2 colorama==0.4.4 scikit-learn pyyaml tensorboard thop tabulate plotly texttable \
        && /tmp/rb/bin/pip install --no-deps recbole==1.2.1 ray hyperopt

    python benchmarks/recbole_worker.py DATA_DIR NAME OUT.json --mode steps|converge [--seed S] [--threads T] ...

DATA_DIR/NAME/NAME.{train,valid,test}.inter hold `user_id:token item_id:token` rows (`llminit_nb.splits.save_recbole`).
`steps`: build the model, time `--steps` training steps (after `--warmup`) of RecBole's own `_train_epoch` and, with
`--eval`, one full validation pass; `converge`: `Trainer.fit` to RecBole's early stop (`--stopping-step`, default 10,
on validation NDCG@10), then the best model on test; `--tables T.npz` also saves that model's final user and item
tables with the tokens of their rows (so the caller can rank them with its own evaluation, user by user). Evaluation
scores `--eval-users` users per batch (eval_batch_size = that x items).
Writes OUT.json as soon as each part is measured, so a run stopped by a time limit keeps what it measured."""
import argparse, itertools, json, logging, re, resource, tempfile, time

def _peak_mb():  # llminit_nb.core.peak_rss_mb; this script runs where llminit-nb is not installed
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM'): return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

class _Head:
    "The first k batches of a RecBole training loader: `_train_epoch` over it is k of RecBole's own steps."
    def __init__(self, dl, k): self.dl, self.k = dl, k
    def __iter__(self): return itertools.islice(iter(self.dl), self.k)
    def __len__(self): return self.k

def main():
    p = argparse.ArgumentParser()
    p.add_argument('data_dir'); p.add_argument('name'); p.add_argument('out')
    p.add_argument('--mode', choices=('steps', 'converge'), default='steps')
    p.add_argument('--seed', type=int, default=2020); p.add_argument('--threads', type=int, default=2)
    p.add_argument('--steps', type=int, default=10); p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--eval', action='store_true'); p.add_argument('--eval-users', type=int, default=1024)
    p.add_argument('--batch', type=int, default=2048); p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--epochs', type=int, default=300)
    p.add_argument('--model', default='LightGCN'); p.add_argument('--tables', default=None)
    p.add_argument('--stopping-step', type=int, default=10)
    a = p.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    from recbole.config import Config
    from recbole.data import create_dataset, data_preparation
    from recbole.model import general_recommender
    from recbole.trainer import Trainer
    from recbole.utils import init_seed, init_logger
    res = dict(side='recbole', seed=a.seed, threads=a.threads, torch=torch.__version__)
    save = lambda: open(a.out, 'w').write(json.dumps(res))
    times = dict(train=[], eval=[], valid=[])
    class Grab(logging.Handler):  # RecBole reports each epoch's time, and each evaluation's time and score, in its logs
        def emit(self, rec):
            m = re.search(r'training \[time: ([\d.]+)s', rec.getMessage())
            if m: times['train'].append(float(m.group(1)))
            m = re.search(r'evaluating \[time: ([\d.]+)s', rec.getMessage())
            if m: times['eval'].append(float(m.group(1)))
            m = re.search(r'valid_score: ([\d.]+)', rec.getMessage())
            if m: times['valid'].append(float(m.group(1)))
    t0 = time.time()
    cfg = dict(data_path=a.data_dir, benchmark_filename=['train', 'valid', 'test'],
               load_col={'inter': ['user_id', 'item_id']}, embedding_size=64, n_layers=2, reg_weight=1e-5,
               learning_rate=a.lr, train_batch_size=a.batch, epochs=a.epochs, stopping_step=a.stopping_step,
               eval_step=1,
               metrics=['Recall', 'NDCG'], topk=[10, 20], valid_metric='NDCG@10', device='cpu', use_gpu=False,
               seed=a.seed, reproducibility=True, show_progress=False, checkpoint_dir=tempfile.mkdtemp(),
               log_wandb=False, state='INFO', user_inter_num_interval='[0,inf)', item_inter_num_interval='[0,inf)')
    config = Config(model=a.model, dataset=a.name, config_dict=cfg)
    init_seed(config['seed'], config['reproducibility']); init_logger(config)
    logging.getLogger().addHandler(Grab())  # after init_logger, which resets the handlers
    dataset = create_dataset(config)
    n_items = dataset.item_num  # RecBole's item count includes its padding id 0
    config['eval_batch_size'] = a.eval_users * n_items  # full ranking scores eval_batch_size // items users a batch
    train, valid, test = data_preparation(config, dataset)
    init_seed(config['seed'], config['reproducibility'])
    model = getattr(general_recommender, a.model)(config, train.dataset).to(config['device'])
    trainer = Trainer(config, model)
    res.update(setup_s=time.time() - t0, users=dataset.user_num - 1, items=n_items - 1, train=len(train.dataset),
               steps_per_epoch=len(train))
    if a.mode == 'steps':
        trainer._train_epoch(_Head(train, a.warmup), 0)
        t = time.time(); trainer._train_epoch(_Head(train, a.steps), 1); dt = time.time() - t
        res.update(s_per_step=dt / a.steps, timed_steps=a.steps, s_per_epoch=dt / a.steps * len(train),
                   peak_rss_mb=_peak_mb()); save()
        if a.eval:
            t = time.time(); trainer.evaluate(valid, load_best_model=False, show_progress=False)
            res.update(s_per_eval=time.time() - t, peak_rss_mb=_peak_mb()); save()
    else:
        best, bv = trainer.fit(train, valid, saved=True, show_progress=False)
        # the best epoch's weights, as RecBole's own load_best_model puts them back (it calls torch.load without
        # weights_only=False, which torch 2.6+ refuses): the state and the "other parameters", i.e. the final tables
        # cached at that epoch's validation; without them the test pass ranks with the last epoch's cached tables
        ck = torch.load(trainer.saved_model_file, map_location='cpu', weights_only=False)
        model.load_state_dict(ck['state_dict']); model.load_other_parameter(ck.get('other_parameter'))
        tr = trainer.evaluate(test, load_best_model=False, show_progress=False)
        res.update(best_valid_ndcg10=float(bv['ndcg@10']), best_epoch=len(times['train']) - trainer.cur_step,
                   epochs_run=len(times['train']), s_per_epoch=sorted(times['train'])[len(times['train']) // 2],
                   s_per_eval=sorted(times['eval'])[len(times['eval']) // 2], valid_curve=times['valid'],
                   **{k: float(v) for k,v in tr.items()}, total_s=time.time() - t0, peak_rss_mb=_peak_mb())
        save()
        if a.tables: _save_tables(model, dataset, a.tables)

def _save_tables(model, dataset, path):
    "The model's final (user, item) tables as it ranks with them, row 0 being RecBole's padding id, and the tokens."
    import numpy as np, torch
    model.eval()
    with torch.no_grad():
        if hasattr(model, 'train_graph'): u, i = model.forward(model.train_graph)  # SGL: the whole graph
        elif hasattr(model, 'norm_adj_matrix'): u, i = model.forward()  # LightGCN
        else: u, i = model.user_embedding.weight, model.item_embedding.weight  # BPR
    np.savez(path, user=u.numpy(), item=i.numpy(), user_tokens=np.array(dataset.field2id_token['user_id']),
             item_tokens=np.array(dataset.field2id_token['item_id']))

if __name__ == '__main__': main()
