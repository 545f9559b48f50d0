"""FSDS speed: the kit's batched FSDS against the floor of two bare ``torch.fft.rfft2`` calls on
the same tensors and against a per-image loop of the official algorithm.

Run with ``make bench`` (or ``python benchmarks/bench_fsds.py [--quick] [--markdown]``).
Targets (issue 17): kit <= 1.3x the floor at DIV2K size (4x3x1356x2040 float32), <= 2x at
16x3x256x256 float32. On a shared machine absolute times drift, so the variants are timed
*interleaved* (floor, kit, torch path, loop, in turn, in every repeat) and each ratio is the
median of the per-repeat ratios. ``--markdown`` rewrites the table between the
``bench_fsds`` markers of README.md's "Benchmark results" section.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import torch

import lpf
import lpf.metrics.frequency as frequency

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- bench_fsds:begin -->", "<!-- bench_fsds:end -->"
#: (shape, kit/floor target)
TARGETS = {(4, 3, 1356, 2040): 1.3, (16, 3, 256, 256): 2.0}


def official_loop(pred: torch.Tensor, tar: torch.Tensor) -> list[float]:
    """The official algorithm, one image at a time, as FSDS_code.py structures it."""
    out = []
    for p, t in zip(pred, tar, strict=True):
        p = (p - p.mean()) / p.std()
        t = (t - t.mean()) / t.std()
        parts = []
        for x in (p, t):
            if x.shape[1] % 2:
                x = torch.cat([x, x.new_zeros(x.shape[0], 1, x.shape[2])], dim=1)
            spec = torch.fft.rfft2(x, norm="backward")
            half = x.shape[1] // 2
            parts.append((spec[:, :half].cumsum(1).cumsum(2),
                          spec[:, half:].flip(1).cumsum(1).cumsum(2)))
        (p1, p2), (t1, t2) = parts
        num = torch.sum((p1 - t1).abs() ** 2 + (p2 - t2).abs() ** 2)
        den = torch.sum(t1.abs() ** 2 + t2.abs() ** 2)
        out.append(-10 * math.log10(float(num / den)))
    return out


def kit_torch(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The kit without its compiled kernels (what autograd, GPUs and small inputs run)."""
    frequency.USE_NUMBA = False
    try:
        return lpf.fsds(pred, target)
    finally:
        frequency.USE_NUMBA = True


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def interleaved(variants: dict, *, repeat: int, number: int, device) -> dict[str, list[float]]:
    """Seconds per call of each variant, ``repeat`` samples each, the variants taking turns."""
    for fn in variants.values():  # warm-up (compilation, caches, FFT plans)
        fn()
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, fn in variants.items():
            _sync(device)
            start = time.perf_counter()
            for _ in range(number):
                fn()
            _sync(device)
            times[name].append((time.perf_counter() - start) / number)
    return times


def compile_seconds() -> str:
    """Time to load (or compile, on a first run) the numba kernels, in a fresh state."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return "numba not installed: the torch path runs"
    frequency._KERNELS = None
    start = time.perf_counter()
    frequency._kernels()
    x = torch.rand(1, 3, 16, 16)
    old, frequency.COMPILED_MIN_VALUES = frequency.COMPILED_MIN_VALUES, 0
    try:
        lpf.fsds(x, x.flip(-1))
    finally:
        frequency.COMPILED_MIN_VALUES = old
    return f"{time.perf_counter() - start:.2f} s (numba import + kernels, float32)"


def run(shapes, dtypes, *, repeat: int, device: torch.device) -> list[dict]:
    rows = []
    for shape in shapes:
        for dtype in dtypes:
            gen = torch.Generator().manual_seed(0)
            target = torch.rand(shape, dtype=dtype, generator=gen)
            noise = torch.randn(shape, dtype=dtype, generator=gen)
            pred = (target + 0.05 * noise).clamp(0, 1)
            target, pred = target.to(device), pred.to(device)
            variants = {
                "floor": lambda p=pred, t=target: (torch.fft.rfft2(p), torch.fft.rfft2(t)),
                "kit": lambda p=pred, t=target: lpf.fsds(p, t),
                "torch": lambda p=pred, t=target: kit_torch(p, t),
                "loop": lambda p=pred, t=target: official_loop(p, t),
            }
            if device.type != "cpu":  # one path on GPUs
                del variants["torch"]
            _sync(device)
            start = time.perf_counter()
            variants["floor"]()
            _sync(device)
            once = time.perf_counter() - start
            number = max(1, math.ceil(0.05 / max(once, 1e-6)))  # >= 50 ms per sample
            times = interleaved(variants, repeat=repeat, number=number, device=device)
            kit = lpf.fsds(pred, target).cpu()
            exact = torch.tensor(official_loop(pred.double(), target.double()))
            diff = float((kit - exact).abs().max())
            if diff > 1e-4:
                raise SystemExit(f"kit and the float64 loop disagree by {diff} dB at {shape}")
            med = {k: statistics.median(v) for k, v in times.items()}
            ratio = {k: statistics.median(a / f for a, f in zip(v, times["floor"], strict=True))
                     for k, v in times.items()}
            loop_kit = statistics.median(
                lo / k for lo, k in zip(times["loop"], times["kit"], strict=True))
            rows.append({"shape": shape, "dtype": str(dtype).split(".")[-1], "time": med,
                         "ratio": ratio, "loop_kit": loop_kit, "error_db": diff,
                         "images_s": shape[0] / med["kit"]})
            print(_line(rows[-1]), flush=True)
    return rows


def _fmt(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1e3:.1f} ms"


def _line(r: dict) -> str:
    name = "x".join(map(str, r["shape"]))
    torch_ratio = r["ratio"].get("torch", float("nan"))
    return (f"{name:>18} {r['dtype']:>8}  floor {_fmt(r['time']['floor']):>9}  "
            f"kit {_fmt(r['time']['kit']):>9}  kit/floor {r['ratio']['kit']:5.2f}  "
            f"torch-path/floor {torch_ratio:5.2f}  loop/floor {r['ratio']['loop']:5.2f}  "
            f"loop/kit {r['loop_kit']:5.2f}  |err| {r['error_db']:.1e} dB")


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        target = TARGETS.get(tuple(r["shape"]))
        if target is None or r["dtype"] != "float32":
            continue
        name = "x".join(map(str, r["shape"]))
        met = "met" if r["ratio"]["kit"] <= target else "**not met**"
        out.append(f"{name} float32: kit/floor {r['ratio']['kit']:.2f}, target <= {target}: {met}")
    return out


def markdown(rows: list[dict], *, machine: str, compile_time: str) -> str:
    lines = [
        f"Measured with `python benchmarks/bench_fsds.py --markdown` on {machine}; per-repeat "
        "ratios (the variants timed in turn), medians. *floor* = two bare `torch.fft.rfft2` "
        "calls on the same tensors; *kit* = `lpf.fsds` (compiled kernels for large CPU inputs); "
        "*torch path* = `lpf.fsds` without numba (autograd, GPUs, inputs under 1M values); "
        "*loop* = a per-image loop of the official algorithm; *err* = largest difference from "
        "the official algorithm in float64.",
        "",
        "| input | dtype | floor | kit | kit / floor | torch path / floor | loop / floor "
        "| loop / kit | err (dB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = "x".join(map(str, r["shape"]))
        lines.append(
            f"| {name} | {r['dtype']} | {_fmt(r['time']['floor'])} | {_fmt(r['time']['kit'])} "
            f"| {r['ratio']['kit']:.2f} | {r['ratio'].get('torch', float('nan')):.2f} "
            f"| {r['ratio']['loop']:.2f} | {r['loop_kit']:.2f} | {r['error_db']:.0e} |")
    lines += ["", f"Loading the compiled kernels once per process: {compile_time}.", ""]
    lines += [f"- {v}" for v in verdicts(rows)]
    return "\n".join(lines)


def write_readme(block: str, readme: Path = README) -> None:
    """Replace the text between the ``bench_fsds`` markers of ``readme`` with ``block``."""
    text = readme.read_text()
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{readme} has no {BEGIN} ... {END} block to regenerate.")
    new = pattern.sub(lambda _: f"{BEGIN}\n{block}\n{END}", text, count=1)
    tmp = readme.with_suffix(".md.tmp")
    tmp.write_text(new)
    os.replace(tmp, readme)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, float32 only")
    parser.add_argument("--repeat", type=int, default=None, help="samples per variant")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--markdown", action="store_true",
                        help="rewrite the FSDS table of README.md's benchmark section")
    args = parser.parse_args()
    device = torch.device(args.device)
    repeat = args.repeat or (5 if args.quick else 9)
    dtypes = [torch.float32] if args.quick else [torch.float32, torch.float64]
    compile_time = compile_seconds() if device.type == "cpu" else "n/a (GPU: torch path)"
    cpu = os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = (f"{platform.machine()}, {cpu} CPU cores, torch {torch.__version__}, "
               f"{torch.get_num_threads()} threads, load average {load:.1f} at the start"
               if device.type == "cpu" else torch.cuda.get_device_name(device))
    print(machine)
    print(f"compiled kernels: {compile_time}")
    rows = run(list(TARGETS), dtypes, repeat=repeat, device=device)
    print()
    for v in verdicts(rows):
        print(v.replace("**", ""))
    if args.markdown:
        write_readme(markdown(rows, machine=machine, compile_time=compile_time))
        print(f"wrote the table into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
