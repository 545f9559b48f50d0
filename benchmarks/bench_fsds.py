"""FSDS speed: the kit's batched FSDS against a per-image loop of the official algorithm and
against the floor of two bare ``torch.fft.rfft2`` calls on the same tensors.

Run with ``make bench`` (or ``python benchmarks/bench_fsds.py [--quick]``). Every number is a
median of repeated runs in this process; ratios compare numbers measured in the same run.
Targets (issue 2): kit <= 1.3x the floor at DIV2K size (4x3x1356x2040); kit >= 3x faster than
the per-image loop at 16x3x256x256.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import median_time  # noqa: E402

import lpf  # noqa: E402


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 5
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU")
    print(f"{'shape':>20} {'dtype':>8} {'floor s':>9} {'kit s':>9} {'loop s':>9} "
          f"{'kit/floor':>10} {'loop/kit':>9}")
    rows = []
    for shape in [(4, 3, 1356, 2040), (16, 3, 256, 256)]:
        for dtype in (torch.float32, torch.float64):
            target = torch.rand(shape, dtype=dtype)
            pred = (target + 0.05 * torch.randn(shape, dtype=dtype)).clamp(0, 1)
            floor = median_time(
                lambda p=pred, t=target: (torch.fft.rfft2(p), torch.fft.rfft2(t)), repeat=repeat)
            kit = median_time(lambda p=pred, t=target: lpf.fsds(p, t), repeat=repeat)
            loop = median_time(lambda p=pred, t=target: official_loop(p, t), repeat=repeat)
            # same numbers, to the reference tolerance
            diff = max(abs(a - b) for a, b in zip(lpf.fsds(pred, target).tolist(),
                                                  official_loop(pred, target), strict=True))
            if diff > 1e-3:
                raise SystemExit(f"kit and loop disagree by {diff} dB at {shape} {dtype}")
            name = "x".join(map(str, shape))
            rows.append((name, dtype, kit / floor, loop / kit))
            print(f"{name:>20} {str(dtype).split('.')[-1]:>8} {floor:9.4f} {kit:9.4f} "
                  f"{loop:9.4f} {kit / floor:10.2f} {loop / kit:9.2f}")
    print()
    for name, dtype, kit_floor, loop_kit in rows:
        target = ("kit/floor <= 1.3" if name.startswith("4x") else "loop/kit >= 3")
        ok = kit_floor <= 1.3 if name.startswith("4x") else loop_kit >= 3
        print(f"{name} {str(dtype).split('.')[-1]}: target {target}: "
              f"{'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
