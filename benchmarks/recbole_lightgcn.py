"""RecBole 1.2.1's own LightGCN on its packaged ML-100K, for the side-by-side in `train_speed.py`.

RecBole is not a dependency of llminit-nb (its pins clash with ours), so run this in a separate environment:
    python -m venv /tmp/rb && /tmp/rb/bin/pip install torch==2.13.0 "numpy<2" scipy pandas tqdm colorlog==4.7.2 \\
        colorama==0.4.4 scikit-learn pyyaml tensorboard thop tabulate plotly texttable \\
        && /tmp/rb/bin/pip install --no-deps recbole==1.2.1 ray hyperopt
    /tmp/rb/bin/python benchmarks/recbole_lightgcn.py [--epochs 6] [--converge]
It prints RecBole's seconds per training epoch and per full validation pass (median of epochs 2..N, from its own log
lines), and with --converge trains to its early stop (stopping_step 10) and prints the best validation NDCG@10."""
import importlib.util, logging, re, statistics, tempfile
from pathlib import Path
from fastcore.script import call_parse

@call_parse
def main(epochs:int=6, # epochs to time
         converge:bool=False, # also train to early stopping and report the best validation NDCG@10
        ):
    "RecBole 1.2.1's LightGCN on ML-100K: seconds per epoch and per evaluation."
    from recbole.config import Config
    from recbole.data import create_dataset, data_preparation
    from recbole.model.general_recommender import LightGCN
    from recbole.trainer import Trainer
    from recbole.utils import init_seed, init_logger
    data = Path(importlib.util.find_spec('recbole').origin).parent / 'dataset_example'
    times = dict(train=[], eval=[])
    class Grab(logging.Handler):
        def emit(self, rec):
            m = re.search(r'training \[time: ([\d.]+)s', rec.getMessage()) or None
            if m: times['train'].append(float(m.group(1)))
            m = re.search(r'evaluating \[time: ([\d.]+)s', rec.getMessage())
            if m: times['eval'].append(float(m.group(1)))

    grab = Grab()

    def run(epochs, stopping_step):
        times['train'].clear(); times['eval'].clear()
        cfg = dict(data_path=str(data), embedding_size=64, n_layers=2, reg_weight=1e-5, learning_rate=1e-3,
                   train_batch_size=2048, eval_batch_size=4096, epochs=epochs, stopping_step=stopping_step, eval_step=1,
                   metrics=['Recall', 'NDCG'], topk=[10, 20], valid_metric='NDCG@10', device='cpu', use_gpu=False,
                   seed=2020, reproducibility=True, show_progress=False, checkpoint_dir=tempfile.mkdtemp(),
                   log_wandb=False, state='INFO')
        config = Config(model='LightGCN', dataset='ml-100k', config_dict=cfg)  # quick_start would import ray.tune
        init_seed(config['seed'], config['reproducibility']); init_logger(config)
        if grab not in logging.getLogger().handlers: logging.getLogger().addHandler(grab)  # init_logger resets the handlers
        train, valid, test = data_preparation(config, create_dataset(config))
        init_seed(config['seed'], config['reproducibility'])
        model = LightGCN(config, train.dataset).to(config['device'])
        trainer = Trainer(config, model)
        best, best_valid = trainer.fit(train, valid, saved=False, show_progress=False)
        return dict(best_valid_result=best_valid, test_result=trainer.evaluate(test, load_best_model=False, show_progress=False))

    r = run(epochs, 10**6)
    tr, ev = statistics.median(times['train'][1:]), statistics.median(times['eval'][1:])
    print(f"\nRecBole 1.2.1 LightGCN, ML-100K (RecBole's default split): {tr:.3f} s / epoch, {ev:.4f} s / full eval "
          f"(median of epochs 2..{epochs}); valid NDCG@10 after {epochs} epochs {r['best_valid_result']['ndcg@10']:.4f}")
    if converge:
        r = run(300, 10)
        print(f"Trained to early stopping: best valid NDCG@10 {r['best_valid_result']['ndcg@10']:.4f}, "
              f"test NDCG@10 {r['test_result']['ndcg@10']:.4f}, {len(times['train'])} epochs")
