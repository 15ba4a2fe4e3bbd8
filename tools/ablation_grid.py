#!/usr/bin/env python
"""The 6000-iteration ablation grids of nbs/07b_ablation.ipynb, split across processes: `python tools/ablation_grid.py GRID I N` runs
part I of N of GRID, which is `hard_shapes` (four variants on Hard Shapes) or `shapes` (the baseline and + adaptive τ on Shapes).

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

GRIDS = {"hard_shapes": ("runs/ablation_hard_shapes", (("baseline", "both (ISMN)", "+ importance", "+ adaptive τ"),
                                                       ("both (ISMN)", "baseline", "+ adaptive τ", "+ importance"))),
         "shapes": ("runs/ablation_shapes_6000", (("baseline", "+ adaptive τ"), ("+ adaptive τ", "baseline")))}

if __name__ == "__main__":
    grid, i, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if grid not in GRIDS: sys.exit(f"unknown grid {grid!r}; choose one of {list(GRIDS)}")
    out, orders = GRIDS[grid]
    torch.set_num_threads(1)
    for seed in range(5):
        shapes_ablation(out, variants=orders[seed % 2], seeds=[seed], n_iters=6000, keep_every=1000, part=(i, n), progress=False,
                        dataset=grid)
        print(f"{grid}, seed {seed}: part {i} of {n} done", flush=True)
