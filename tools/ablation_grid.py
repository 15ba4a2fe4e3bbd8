#!/usr/bin/env python
"""The ablation grids of nbs/07b_ablation.ipynb, split across processes: `python tools/ablation_grid.py GRID I N` runs part I of N
of GRID, one of `GRIDS` below: the four variants on Hard Shapes and the baseline against + adaptive τ on Shapes at 6000 iterations,
then the baseline against + importance on both at 12000 iterations (the budget check showed 6000 is not the baseline's plateau), and
the baseline runs that check the Hard Shapes budget: two of 3000 iterations and one of 24000, which checks whether 12000 is the plateau.

Run it from nbs/ (the run folders go to nbs/runs/, ignored by git), one process per core, each with OMP_NUM_THREADS=1:

    cd nbs && for i in 0 1; do OMP_NUM_THREADS=1 python ../tools/ablation_grid.py hard_shapes $i 2 & done; wait

It goes seed by seed, so that every variant gains seeds at the same pace and an interrupted grid still holds complete pairs; the
variant order alternates between seeds, so that the slow variant (both, 1.7x per iteration) falls to each process in turn.
Everything resumes: finished runs are skipped, interrupted ones continue from their last checkpoint. Then the slow cells of 07b
collect the rows (and run whatever is missing).
"""
import sys

import torch

from ismn_edu.ablation import shapes_ablation

FOUR = ("baseline", "both (ISMN)", "+ importance", "+ adaptive τ"), ("both (ISMN)", "baseline", "+ adaptive τ", "+ importance")
PAIR = lambda v: (("baseline", v), (v, "baseline"))
# name: (run folder, variant orders, dataset, iterations, keep a generator every, seeds)
GRIDS = {"hard_shapes": ("runs/ablation_hard_shapes", FOUR, "hard_shapes", 6000, 1000, 5),
         "shapes": ("runs/ablation_shapes_6000", PAIR("+ adaptive τ"), "shapes", 6000, 1000, 5),
         "hard_shapes_12000": ("runs/ablation_hard_shapes_12000", PAIR("+ importance"), "hard_shapes", 12000, 2000, 5),
         "shapes_12000": ("runs/ablation_shapes_12000", PAIR("+ importance"), "shapes", 12000, 2000, 5),
         "hard_shapes_3000": ("runs/ablation_hard_shapes_3000", (("baseline",),), "hard_shapes", 3000, 1000, 2),
         "hard_shapes_24000": ("runs/ablation_hard_shapes_24000", (("baseline",),), "hard_shapes", 24000, 4000, 1)}

if __name__ == "__main__":
    grid, i, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if grid not in GRIDS: sys.exit(f"unknown grid {grid!r}; choose one of {list(GRIDS)}")
    out, orders, dataset, n_iters, keep_every, n_seeds = GRIDS[grid]
    torch.set_num_threads(1)
    for seed in range(n_seeds):
        shapes_ablation(out, variants=orders[seed % len(orders)], seeds=[seed], n_iters=n_iters, keep_every=keep_every, part=(i, n),
                        progress=False, dataset=dataset)
        print(f"{grid}, seed {seed}: part {i} of {n} done", flush=True)
