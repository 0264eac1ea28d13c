"""Ablation: does the scale of the selected LLM columns decide whether LLMInit helps?

Raw mean-pooled SmolLM2 hidden states share one large direction (mean pairwise cosine 0.96 on ML-100K items; one
column has mean ~30), so the selected columns start LightGCN far from its xavier scale. This runs LightGCN d=64 on
ML-100K (rating>=4, 5-core, random leave-one-out) with none vs random/uniform/variance initialisation, each as
selected (the paper), centred, rescaled to xavier std, and both, over 3 seeds.

Run: .venv/bin/python benchmarks/init_scale_ablation.py [--dataset ml-100k] [--model SmolLM2-135M] [--seeds 2020 2021 2022]
Writes benchmarks/results/<device>-init-scale-<dataset>-<model>.{runs.csv,csv,md} and prints the table."""
import argparse, time
import pandas as pd, torch
from llminit_nb.experiment import grid, save_results

ap = argparse.ArgumentParser()
ap.add_argument('--dataset', default='ml-100k')
ap.add_argument('--model', default='SmolLM2-135M')
ap.add_argument('--seeds', type=int, nargs='+', default=[2020, 2021, 2022])
ap.add_argument('--strategies', nargs='+', default=['random', 'uniform', 'variance'])
ap.add_argument('--epochs', type=int, default=300)
ap.add_argument('--device', default=None)
args = ap.parse_args()

t0 = time.time()
base = dict(dataset=args.dataset, model=args.model, backbone='lightgcn', d=64, epochs=args.epochs, device=args.device)
runs = [grid(base, seeds=args.seeds, strategy=['none'])]
for center in (False, True):
    for rescale in (None, 'xavier'):
        g = grid({**base, 'center': center, 'rescale': rescale}, seeds=args.seeds, strategy=args.strategies)
        runs.append(g.assign(scaling=('centred' if center else 'raw') + (' + xavier std' if rescale else '')))
runs[0]['scaling'] = '-'
df = pd.concat(runs, ignore_index=True)
dev = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
out = f'benchmarks/results/{dev}-init-scale-{args.dataset}-{args.model}'
sm = save_results(df, out, by=('dataset', 'strategy', 'scaling'), metrics=('recall@10', 'ndcg@10', 'recall@20', 'best_epoch'))
print(sm.to_string(index=False))
print(f'\n{len(df)} runs in {time.time() - t0:.0f}s on {dev}; wrote {out}.csv/.md/.runs.csv')
