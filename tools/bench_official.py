#!/usr/bin/env python3
"""Time the official StarGAN code (unchanged, from a checkout of https://github.com/yunjey/stargan) on a generated
CelebA folder, and set it beside the rows of an `ismn_edu_bench` table measured on the same device.

The checkout is not part of this repository: name its folder with --reference, or set STARGAN_REFERENCE to it.

The official code is run as its own program (`main.py --mode train`), never imported. Its speed is read from the
arrival times of its log lines (one every `--log-step` iterations), after `--warmup` iterations. Its data loader keeps
the first 2000 images for testing, so the generated folder holds 2000 + 40 batches' worth of images.

    python tools/bench_official.py --reference PATH/TO/stargan --batch-sizes 16 64 --csv nbs/results/bench_cpu.csv
    STARGAN_REFERENCE=PATH/TO/stargan python tools/bench_official.py --batch-sizes 16 64 --csv nbs/results/bench_cpu.csv
"""

import argparse, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

import pandas as pd
import torch

from ismn_edu.bench import device_name
from ismn_edu.fixtures import write_celeba_fixture
from ismn_edu.runs import pick_device


def official_rate(reference, root, batch, iters, warmup, log_step, out, device):
    """Median iterations/s of the official training loop between log lines after `warmup` iterations.

    Also returns their range (min, max)."""
    cmd = [
        sys.executable,
        "-u",
        str(Path(reference).resolve() / "main.py"),
        "--mode",
        "train",
        "--dataset",
        "CelebA",
        "--image_size",
        "128",
        "--c_dim",
        "5",
        "--batch_size",
        str(batch),
        "--num_iters",
        str(iters),
        "--log_step",
        str(log_step),
        "--sample_step",
        str(10**9),
        "--model_save_step",
        str(10**9),
        "--use_tensorboard",
        "False",
        "--num_workers",
        "1",
        "--celeba_image_dir",
        str(root / "img_align_celeba"),
        "--attr_path",
        str(root / "list_attr_celeba.txt"),
    ]
    for d in ("log", "model_save", "sample", "result"):
        cmd += [f"--{d}_dir", str(out / d)]
    env = {"CUDA_VISIBLE_DEVICES": "" if device.type == "cpu" else str(device.index or 0)}
    proc = subprocess.Popen(
        cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **env}
    )
    stamps, tail = [], []
    for line in proc.stdout:
        tail = (tail + [line])[-20:]
        if line.startswith("Elapsed ["):
            i = int(line.split("Iteration [")[1].split("/")[0])
            if i >= warmup:
                stamps.append((i, time.perf_counter()))
    if proc.wait() != 0:
        raise RuntimeError("the official code failed:\n" + "".join(tail))
    rates = [(i2 - i1) / (t2 - t1) for (i1, t1), (i2, t2) in zip(stamps, stamps[1:])]
    if not rates:
        raise RuntimeError(f"too few log lines after warm-up: raise --iters above {warmup + 2 * log_step}")
    return statistics.median(rates), min(rates), max(rates)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] + " " + __doc__.split("\n\n")[1])
    p.add_argument(
        "--reference",
        metavar="PATH",
        default=os.environ.get("STARGAN_REFERENCE") or None,
        help="folder of the official StarGAN code (main.py, solver.py, ...): a checkout of "
        "https://github.com/yunjey/stargan; default: $STARGAN_REFERENCE (required if that is not set)",
    )
    p.add_argument("--device", default="auto")
    p.add_argument("--batch-sizes", type=int, nargs="+", default=[16])
    p.add_argument("--iters", type=int, default=200, help="iterations of each official run")
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--log-step", type=int, default=10)
    p.add_argument(
        "--csv",
        help="an ismn_edu_bench table of the same device: the official rows are appended to it and ratios printed",
    )
    args = p.parse_args(argv)
    if not args.reference:
        p.error(
            "where is the official StarGAN code? "
            "Pass --reference PATH (a checkout of https://github.com/yunjey/stargan) or set STARGAN_REFERENCE=PATH"
        )
    if not (Path(args.reference) / "main.py").is_file():
        p.error(
            f"no main.py in --reference {args.reference} (from STARGAN_REFERENCE if not given): "
            "it must be the folder of the official StarGAN code"
        )
    device = pick_device(args.device)
    work = Path(tempfile.mkdtemp(prefix="stargan_official_"))
    rows = []
    for batch in args.batch_sizes:
        root = work / f"celeba_{batch}"
        write_celeba_fixture(root, n=2000 + 40 * batch, partition=False)
        (work / f"out_{batch}").mkdir()
        med, lo, hi = official_rate(
            args.reference, root, batch, args.iters, args.warmup, args.log_step, work / f"out_{batch}", device
        )
        rows.append(
            dict(
                device=device_name(device),
                preset="stargan128",
                batch=batch,
                data="jpeg",
                variant="official",
                name="official StarGAN code",
                mode="fp32",
                it_s=med,
                it_s_min=lo,
                it_s_max=hi,
                img_s=med * batch,
            )
        )
        print(
            f"official StarGAN, batch {batch}, {device_name(device)}: {med:.2f} it/s (range {lo:.2f}-{hi:.2f}) "
            f"over iterations {args.warmup}-{args.iters}"
        )
    if args.csv:
        df = pd.read_csv(args.csv)
        df = pd.concat(
            [df[df.variant != "official"], pd.DataFrame(rows).assign(date=df.date.iloc[0], torch=torch.__version__)],
            ignore_index=True,
        )
        off = {r["batch"]: r["it_s"] for r in rows}
        df["vs_official"] = [r / off[b] if b in off else float("nan") for r, b in zip(df.it_s, df.batch)]
        df.to_csv(args.csv, index=False)
        print(df[["batch", "data", "variant", "mode", "it_s", "vs_official"]].to_string(index=False))


if __name__ == "__main__":
    main()
