#!/usr/bin/env python
"""Keep the finished runs of an unfinished ablation grid in git, so that a grid longer than one working session resumes
in the next (from nbs/):

    python ../tools/grid_parts.py save hard_shapes_12000_relgan      # after some runs have finished
    python ../tools/grid_parts.py restore hard_shapes_12000_relgan   # in a fresh checkout, before the grid resumes

`save` copies what the harness and 07d's collection read from each finished run (its rows, metrics, config, logs and
evaluations, no checkpoints; the last sample grid of the baseline's seed 0 only, the one the collection copies) from
runs/<grid>/ to results/parts/<grid>/, and the grid's speed.json.
`restore` copies them back, never over a file that exists. The harness then skips those runs: a run is finished when
its rows.json exists. Once the whole grid is collected into results/, delete its parts folder.
"""

import shutil
import sys
from pathlib import Path

from ismn_edu.ablation import ABLATION_GRIDS


def finished_run_files(run):
    "The files of a finished run folder that the harness and the collection read."
    last = sorted((run / "samples").glob("step_*.png"))[-1:] if run.parts[-2:] == ("baseline", "seed0") else []
    names = ["rows.json", "metrics.json", "config.json", "logs.csv", "eval.json"]
    return [run / n for n in names] + sorted((run / "checkpoints").glob("*_eval.json")) + last


def copy_new(files, src, dst):
    "Copy each of `files` (under `src`) to the same place under `dst`, skipping those already there; how many copied."
    n = 0
    for f in files:
        to = dst / f.relative_to(src)
        if not to.exists():
            to.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, to)
            n += 1
    return n


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("save", "restore") or sys.argv[2] not in ABLATION_GRIDS:
        sys.exit(f"usage: grid_parts.py save|restore GRID, with GRID one of {list(ABLATION_GRIDS)}")
    action, name = sys.argv[1:]
    runs, parts = Path(ABLATION_GRIDS[name]["out"]), Path("results/parts") / name
    src, dst = (runs, parts) if action == "save" else (parts, runs)
    if not src.is_dir():
        sys.exit(f"{src} does not exist: run from nbs/, after the grid has started (save) or been saved (restore)")
    finished = sorted(p.parent for p in src.rglob("rows.json"))
    files = [f for run in finished for f in finished_run_files(run)] + [p for p in [src / "speed.json"] if p.exists()]
    n = copy_new(files, src, dst)
    print(f"{name}: {len(finished)} finished runs, {n} files copied from {src} to {dst}")
