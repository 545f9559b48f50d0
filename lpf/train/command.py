"""``lpf train``: the command line of the kit-trained models (``make models``).

:func:`add_train_parser` adds the ``train`` sub-command to the ``lpf`` command line
(:mod:`lpf.cli`); :func:`run_train` runs it. ``scripts/train_models.py`` is a thin entry point
to the same command.

Examples (from the repository root)::

    lpf train --model all --device cuda --out data/models --set5 PATH/Set5
    lpf train --model edsr-kit --device cpu --iterations 30
    lpf train --update-registry --out data/models
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import torch

from lpf._paths import data_dir
from lpf.data import embedded_images, load_embedded, write_image
from lpf.train.kit import summary, train_kit_model, update_registry
from lpf.train.recipes import KIT_RECIPES

__all__ = ["add_train_parser", "run_train"]


def _model_name(value: str) -> str:
    if value != "all" and value not in KIT_RECIPES:
        raise argparse.ArgumentTypeError(
            f"unknown model {value!r}; choose from {', '.join(KIT_RECIPES)} or all")
    return value


def add_train_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``train`` sub-command to ``subparsers`` (of ``argparse``); return its parser."""
    p = subparsers.add_parser(
        "train",
        help="train the kit's small x4 models into data/models (make models)",
        description="Train the kit's small x4 models on the embedded images and write "
                    "<out>/<name>.pth + <out>/<name>.json (with its sha256, read by the "
                    "registry; resumable state in <out>/runs/).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  lpf train --model all --device cuda\n"
               "  lpf train --model edsr-kit --iterations 30\n"
               "  lpf train --update-registry --out data/models",
    )
    p.add_argument("--model", nargs="+", default=["all"], type=_model_name,
                   help=f"models to train: {', '.join(KIT_RECIPES)} or all (default)")
    p.add_argument("--device", default="cpu", help="torch device: cpu (default), cuda, ...")
    p.add_argument("--out", default=None, help="output folder (default: data/models)")
    p.add_argument("--set5", default=None,
                   help="Set5 folder (with HR/ and LR_bicubic/X4/) or a root holding Set5/")
    p.add_argument("--iterations", type=int, default=None, help="override every recipe's")
    p.add_argument("--batch-size", type=int, default=None, help="override every recipe's")
    p.add_argument("--patch-size", type=int, default=None, help="override every recipe's")
    p.add_argument("--gan-weight", type=float, default=None, help="override the GAN's")
    p.add_argument("--images", nargs="+", default=None,
                   help="embedded images to train on (default: all)")
    p.add_argument("--train-dir", default=None,
                   help="train on the HR PNGs of this folder instead of the embedded set")
    p.add_argument("--export-embedded", default=None, metavar="DIR",
                   help="do not train: write the embedded images as PNGs into DIR (for "
                        "--train-dir on a machine without scikit-image)")
    p.add_argument("--max-minutes", type=float, default=None,
                   help="time budget for all models together: the model running when it "
                        "ends stops checkpointed (rerun to resume), later ones are skipped")
    p.add_argument("--fresh", action="store_true", help="ignore checkpoints in <out>/runs")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    p.add_argument("--update-registry", action="store_true",
                   help="do not train: record the sha256 of <out>/*.pth in <out>/<name>.json")
    return p


def run_train(args: argparse.Namespace) -> int:
    """Run ``lpf train`` with parsed ``args``; return the exit status.

    Raises:
        ValueError: ``--device cuda`` without CUDA.
    """
    out = Path(args.out) if args.out else data_dir() / "models"
    if args.update_registry:
        for name, sha in update_registry(out).items():
            print(f"{name}: {sha or 'no checkpoint in ' + str(out)}")
        return 0
    if args.export_embedded:
        for name in embedded_images():
            write_image(Path(args.export_embedded) / f"{name}.png",
                        load_embedded(name, scale=1, channels=3).hr)
        print(f"wrote {len(embedded_images())} images to {args.export_embedded}")
        return 0
    names = list(KIT_RECIPES) if "all" in args.model else list(args.model)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError("--device cuda, but CUDA is not available")
        torch.backends.cudnn.benchmark = True
        torch.set_float32_matmul_precision("high")
    deadline = None if args.max_minutes is None else time.perf_counter() + 60 * args.max_minutes
    records: list[dict[str, Any]] = []
    skipped: list[str] = []
    command = [Path(sys.argv[0]).name, *sys.argv[1:]]  # for the records
    with warnings.catch_warnings():  # basicsr's SwinIR calls torch.meshgrid without indexing
        warnings.filterwarnings("ignore", message="torch.meshgrid", category=UserWarning)
        for name in names:
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                print(f">> {name}: skipped (--max-minutes spent)", flush=True)
                skipped.append(name)
                continue
            print(f">> {name} on {device}", flush=True)
            record = train_kit_model(
                name, out=out, device=device, set5=args.set5, iterations=args.iterations,
                batch_size=args.batch_size, patch_size=args.patch_size,
                gan_weight=args.gan_weight, images=args.images, train_dir=args.train_dir,
                max_seconds=left, resume=not args.fresh, progress=not args.no_progress,
                argv=command)
            records.append(record)
            state = (f"Set5 PSNR-Y {record['set5_psnr_y']:.3f} dB "
                     f"({record['gain_over_bicubic_db']:+.3f} vs bicubic)"
                     if record["finished"] else "stopped early (rerun to resume)")
            print(f">> {name}: {state}, {record['wall_time_s']:.0f} s", flush=True)
    print("\n" + summary(records))
    print(f"\nThe sha256 of each finished model is in {out}/<name>.json (the registry reads it).")
    if skipped:
        print(f"\nskipped (time budget spent): {', '.join(skipped)}; rerun to continue.")
    return 0 if all(r["finished"] for r in records) and not skipped else 1
