#!/usr/bin/env python
"""Run part I of N of one of the ablation grids of nbs/07b_ablation.ipynb (`ismn_edu.ablation.ABLATION_GRIDS`), one
process per core:

    cd nbs && for i in 0 1; do OMP_NUM_THREADS=1 python ../tools/ablation_grid.py hard_shapes $i 2 & done; wait

Run it from nbs/: the run folders go to nbs/runs/ (ignored by git). Everything resumes: finished runs are skipped,
interrupted ones continue from their last checkpoint. The slow cells of 07b then collect the rows (and run whatever is
missing). A grid longer than one working session keeps its finished runs in git with tools/grid_parts.py.
"""

import sys

import torch

from ismn_edu.ablation import ABLATION_GRIDS, ablation_grid

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ABLATION_GRIDS:
        sys.exit(f"usage: ablation_grid.py GRID I N, with GRID one of {list(ABLATION_GRIDS)}")
    torch.set_num_threads(1)
    ablation_grid(sys.argv[1], part=(int(sys.argv[2]), int(sys.argv[3])), progress=False)
    print(f"{sys.argv[1]}: part {sys.argv[2]} of {sys.argv[3]} done", flush=True)
