"""The ``lpf`` command line.

Examples::

    lpf --version
    lpf fsds SR.png HR.png            # FSDS of one pair (dB; target = HR in the denominator)
    lpf fsds SR_DIR HR_DIR            # per-image table and mean over two folders

More commands (``impulse``, ``hyra``, ``fetch``, ``zoo``, ``table``) arrive as the kit grows.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lpf._version import __version__

__all__ = ["main", "build_parser"]

_EPILOG = """\
examples:
  lpf fsds sr.png hr.png
  lpf fsds results/EDSR/x4 datasets/Set5/HR --denominator pred

Paper: Deng et al., "Exploring the Low-Pass Filtering Behavior in Image Super-Resolution",
ICML 2024. Documentation: README.md of the lpf-kit repository.
"""

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``lpf`` command (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="lpf",
        description="Analyse super-resolution networks as signal-processing systems: "
        "FSDS, impulse responses, HyRA.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lpf-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "fsds",
        help="FSDS (dB) of an SR image against its HR image, or of two folders",
        description="Frequency Spectrum Distribution Similarity (paper Eq. 13), in dB; higher "
        "is better. Folders are matched by file name (SR names may carry an xS suffix).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  lpf fsds sr.png hr.png\n  lpf fsds sr_dir/ hr_dir/",
    )
    p.add_argument("pred", type=Path, help="SR image file or folder")
    p.add_argument("target", type=Path, help="HR (ground-truth) image file or folder")
    p.add_argument(
        "--denominator",
        choices=("target", "pred"),
        default="target",
        help="whose integrated spectrum normalises the error: 'target' = paper Eq. 13 "
        "(default), 'pred' = the official Table-1 script's argument order",
    )
    return parser


def _read_rgb(path: Path):
    import numpy as np
    import torch
    from PIL import Image

    if not path.is_file():
        raise FileNotFoundError(f"image not found: {path}")
    with Image.open(path) as im:
        arr = np.array(im.convert("RGB"))
    return torch.from_numpy(arr).permute(2, 0, 1).float() / 255.0


def _match_folders(pred_dir: Path, target_dir: Path) -> list[tuple[Path, Path]]:
    targets = {p.stem: p for p in sorted(target_dir.iterdir()) if p.suffix.lower() in
               _IMAGE_SUFFIXES}
    pairs = []
    for p in sorted(pred_dir.iterdir()):
        if p.suffix.lower() not in _IMAGE_SUFFIXES:
            continue
        stem = p.stem
        candidates = [stem, stem.rsplit("x", 1)[0], stem.rsplit("_", 1)[0]]
        match = next((targets[c] for c in candidates if c in targets), None)
        if match is None:
            raise FileNotFoundError(
                f"no ground truth for {p.name} in {target_dir} (looked for "
                f"{', '.join(sorted(set(candidates)))} with an image suffix)"
            )
        pairs.append((p, match))
    if not pairs:
        raise FileNotFoundError(f"no images in {pred_dir}")
    return pairs


def _cmd_fsds(args: argparse.Namespace) -> int:
    from lpf.fsds import fsds

    if args.pred.is_dir() != args.target.is_dir():
        raise ValueError("PRED and TARGET must both be files or both be folders")
    pairs = (_match_folders(args.pred, args.target) if args.pred.is_dir()
             else [(args.pred, args.target)])
    values = []
    for pred_path, target_path in pairs:
        value = fsds(_read_rgb(pred_path), _read_rgb(target_path), denominator=args.denominator)
        values.append(value)
        print(f"{pred_path.name}\t{value:.4f}")
    if len(values) > 1:
        print(f"mean ({len(values)} images)\t{sum(values) / len(values):.4f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lpf`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handlers = {"fsds": _cmd_fsds}
    try:
        return handlers[args.command](args)
    except (FileNotFoundError, ValueError) as err:
        print(f"lpf {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
