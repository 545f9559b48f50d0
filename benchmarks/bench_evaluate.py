"""Evaluation throughput: FSDS + PSNR + SSIM over B100 x4.

1. A folder of SR images (made here with MATLAB bicubic) is evaluated as the paper's published
   outputs would be: images per second, and the time split between reading files and metrics.
2. The same through a model (``bicubic-matlab``, then ``edsr-liif`` if available with
   ``--model``): the share of time spent outside model inference.

B100 comes from ``$LPF_DATASETS`` / ``../shared/assets/images`` when present, else the embedded
scikit-image photographs stand in (the report says which). Run with ``make bench``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

from lpf.data import DatasetNotFound, load_set, to_numpy, write_image
from lpf.evaluate import SRFolder, evaluate
from lpf.models import load_model


def _dataset(scale: int):
    try:
        return "B100", list(load_set("B100", scale=scale))
    except DatasetNotFound:
        from lpf.data import embedded_images, load_embedded

        return "embedded", [load_embedded(n, scale=scale) for n in embedded_images()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--model", default="bicubic-matlab", help="zoo model for part 2")
    parser.add_argument("--limit", type=int, default=None, help="use the first N images")
    args = parser.parse_args()
    name, pairs = _dataset(args.scale)
    pairs = pairs[: args.limit] if args.limit else pairs
    metrics = ["psnr", "ssim", "fsds"]
    print(f"dataset {name} x{args.scale}: {len(pairs)} images; metrics {metrics}; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    model = load_model(args.model, scale=args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / args.model / str(args.scale)
        for pair in pairs:
            with torch.no_grad():
                sr = model(pair.tensors()[1][None])[0].clamp(0, 1)
            write_image(folder / f"{pair.name}x{args.scale}.png", to_numpy(sr))
        t0 = time.perf_counter()
        ev = evaluate([SRFolder(folder.parent)], pairs, scales=[args.scale], metrics=metrics,
                      cache=False, progress=False)
        folder_s = time.perf_counter() - t0
    t = ev.timing
    print(f"1. SR folder : {len(pairs) / folder_s:6.2f} images/s  "
          f"(reading {t['io_s'] / folder_s:5.1%}, metrics {t['metrics_s'] / folder_s:5.1%})")
    t0 = time.perf_counter()
    ev = evaluate([model], pairs, scales=[args.scale], metrics=metrics, cache=False,
                  progress=False)
    total = time.perf_counter() - t0
    t = ev.timing
    print(f"2. {args.model:10s}: {len(pairs) / total:6.2f} images/s  "
          f"(model {t['model_s'] / total:5.1%}, outside model inference "
          f"{1 - t['model_s'] / total:5.1%})")
    means = ev.means()[(model.name, args.scale)]
    print("   means: " + ", ".join(f"{k} {v:.3f}" for k, v in means.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
