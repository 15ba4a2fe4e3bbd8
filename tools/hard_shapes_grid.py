#!/usr/bin/env python
"""The Hard Shapes grid of nbs/07b_ablation.ipynb, split across processes: `python tools/hard_shapes_grid.py I N` runs part I of N.

Run it from nbs/ (the run folders go to nbs/runs/, ignored by git), one process per core, each with OMP_NUM_THREADS=1:

    cd nbs && for i in 0 1; do OMP_NUM_THREADS=1 python ../tools/hard_shapes_grid.py $i 2 & done; wait

It goes seed by seed, so that every variant gains seeds at the same pace and an interrupted grid still holds complete pairs; the
variant order alternates between seeds, so that the slow variant (both, 1.7x per iteration) falls to each process in turn.
Everything resumes: finished runs are skipped, interrupted ones continue from their last checkpoint. Then the slow cell of 07b
collects the rows (and runs whatever is missing).
"""
import sys

import torch

from ismn_edu.ablation import shapes_ablation

ORDERS = (("baseline", "both (ISMN)", "+ importance", "+ adaptive τ"), ("both (ISMN)", "baseline", "+ adaptive τ", "+ importance"))

if __name__ == "__main__":
    i, n = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(1)
    for seed in range(5):
        shapes_ablation("runs/ablation_hard_shapes", variants=ORDERS[seed % 2], seeds=[seed], n_iters=6000, keep_every=1000,
                        part=(i, n), progress=False, dataset="hard_shapes")
        print(f"seed {seed}: part {i} of {n} done", flush=True)
