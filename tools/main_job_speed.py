#!/usr/bin/env python3
"""Time the main job (`ismn_edu_train` with its defaults) of an earlier commit and of this checkout, interleaved.

For each seed it runs the earlier commit's main job, then this checkout's, each as a fresh process from the same
folder, and records the wall time of the whole command (start-up, compilation if any, training, evaluation) with the
run's metrics; with --bf16 also this checkout's main job with bf16 autocast and batched calls. The sets share seeds, so
their quality can be compared in pairs.

    python tools/main_job_speed.py --before bc4f834 --seeds 0 1 2 --bf16 --work /tmp/main_job \
        --csv nbs/results/main_job_speed.csv

With --collect it only reads the run folders and times of an earlier call's --work folder and writes the table.
"""

import argparse, json, os, subprocess, sys, time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
RUN = (
    "import sys, ismn_edu; from pathlib import Path; "
    "assert Path(ismn_edu.__file__).is_relative_to(sys.argv.pop(1)), ismn_edu.__file__; "
    "from ismn_edu.cli import train_main; sys.exit(train_main())"
)


BF16 = ["--speed", "manual", "--precision", "bf16", "--batch-calls"]


def run_main_job(source, out, seed, log, flags=()):
    "Seconds of one main job of the package in `source` (a checkout) with `flags` added, written to `out`."
    start = time.perf_counter()
    with open(log, "w") as f:
        cmd = [sys.executable, "-c", RUN, str(source), "--out", str(out), "--seed", str(seed), *flags]
        subprocess.run(cmd, cwd="/tmp", env={**os.environ, "PYTHONPATH": str(source)}, stdout=f, stderr=f, check=True)
    return time.perf_counter() - start


def collect(work):
    "The table of the runs under `work`: one row per (version, seed) with its wall time and metrics."
    rows = []
    for line in (work / "times.txt").read_text().split("\n"):
        if len(line.split()) != 3:
            continue
        which, seed, seconds = line.split()
        m = json.loads((work / f"{which}_s{seed}" / "metrics.json").read_text())
        rows.append(
            dict(
                version=which,
                seed=int(seed),
                wall_s=float(seconds),
                train_seconds=m["train_seconds"],
                iters_per_second=m["iters_per_second"],
                speed=m.get("speed", "fp32"),
                **{
                    k: m["eval"][k]
                    for k in ("accuracy", "accuracy_k1", "accuracy_kmax", "rec_l1", "nuisance_l1", "fid")
                },
            )
        )
    return pd.DataFrame(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--before", default="bc4f834", help="the earlier commit (default: bc4f834)")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--work", type=Path, required=True, help="folder for the checkout, the runs and their times")
    p.add_argument("--csv", type=Path, required=True, help="where the table goes")
    p.add_argument("--bf16", action="store_true", help="a third arm: this checkout with " + " ".join(BF16))
    p.add_argument("--collect", action="store_true", help="only read the runs of an earlier call")
    args = p.parse_args(argv)
    if not args.collect:
        args.work.mkdir(parents=True, exist_ok=True)
        before = args.work / "before_src"
        if not before.exists():
            subprocess.run(["git", "clone", "-q", str(REPO), str(before)], check=True)
        subprocess.run(["git", "-C", str(before), "checkout", "-q", args.before], check=True)
        for seed in args.seeds:
            arms = [("before", before, ()), ("after", REPO, ())] + [("bf16", REPO, BF16)] * args.bf16
            for which, source, flags in arms:
                log = args.work / f"{which}_s{seed}.log"
                seconds = run_main_job(source, args.work / f"{which}_s{seed}", seed, log, flags)
                with open(args.work / "times.txt", "a") as f:
                    f.write(f"{which} {seed} {seconds:.2f}\n")
    df = collect(args.work)
    df.to_csv(args.csv, index=False)
    print(df.to_string(index=False))


if __name__ == "__main__":
    main()
