"""Parameter counts of the PyTorch AttGAN port (shared/reference/attgan-pytorch) beside ours, written to
nbs/results/translator_params.csv.

    python tools/attgan_port_counts.py [REFERENCE_DIR]

REFERENCE_DIR defaults to $ATTGAN_REFERENCE or ../shared/reference/attgan-pytorch. The port imports `torchsummary`,
which building the networks does not need: a stand-in module takes its place; the port's files are read unchanged."""

import csv
import importlib.util
import os
import sys
import types
from pathlib import Path

from ismn_edu.models import build_models, count_parameters


def load_port(folder):
    "The port's `attgan` module, imported from `folder` with a stand-in `torchsummary`."
    sys.modules.setdefault("torchsummary", types.SimpleNamespace(summary=lambda *a, **k: None))
    sys.path.insert(0, str(folder))  # for its `nn` and `switchable_norm`
    spec = importlib.util.spec_from_file_location("attgan_port", Path(folder) / "attgan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    default = os.environ.get(
        "ATTGAN_REFERENCE", str(Path(__file__).resolve().parents[2] / "shared/reference/attgan-pytorch")
    )
    folder = Path(argv[0] if argv else default)
    if not (folder / "attgan.py").exists():
        raise SystemExit(f"attgan_port_counts: no attgan.py in {folder}; pass the port's folder")
    port = load_port(folder)
    rows = []
    for inject in (0, 1):  # the port's default, and the official TensorFlow model_128's
        G_ref = port.Generator(n_attrs=13, shortcut_layers=1, inject_layers=inject, img_size=128)
        D_ref = port.Discriminators(img_size=128)  # its attribute head has 13 outputs
        G, D = build_models("attgan128", c_dim=13, model="attgan", inject=inject)
        for net, ref, ours in (("G", G_ref, G), ("D", D_ref, D)):
            rows.append(dict(network=net, inject=inject, port=count_parameters(ref), ours=count_parameters(ours)))
            counted = f"port {rows[-1]['port']:,}, ours {rows[-1]['ours']:,}"
            print(f"AttGAN {net} at 128 px, 13 attributes, inject {inject}: {counted}")
    out = Path(__file__).resolve().parents[1] / "nbs/results/translator_params.csv"
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
