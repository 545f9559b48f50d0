"""A small evaluation grid for the concurrency tests of the cache and the Ray executor.

The tests start separate driver processes (``python tests/_grid.py ...``) that evaluate the same
grid as the test process, into the same cache: :class:`Slow` is a nearest-neighbour x2 model that
sleeps per call (so that a run can be killed mid-way) and logs every call to a file (so that a
re-run can count what it computed). Neither the delay nor the log path is part of its cache key
(plain attributes, not tensors or ``extra_repr``): every process computes the same key.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

from lpf.data import SRPair

SCALE = 2
METRICS = ("psnr", "ssim", "fsds", "l1")


class Slow(torch.nn.Module):
    """Nearest x2, ``delay`` seconds per call, one line per call appended to ``log``."""

    def __init__(self, delay: float = 0.0, log: str | None = None):
        super().__init__()
        self.scale = SCALE
        self.name = "slow"
        self.delay = delay
        self.log = log
        self.register_buffer("marker", torch.ones(1))  # a state dict to hash

    def forward(self, x):
        if self.log:
            with open(self.log, "a") as f:
                f.write(f"{os.getpid()}\n")
        time.sleep(self.delay)
        return torch.nn.functional.interpolate(x, scale_factor=SCALE, mode="nearest")


def calls(log: Path) -> int:
    """How many forward calls ``log`` recorded."""
    return len(log.read_text().splitlines()) if log.is_file() else 0


def pairs(n: int = 6, size: int = 32) -> list[SRPair]:
    """``n`` deterministic random pairs (HR ``size`` x ``size``)."""
    rng = np.random.default_rng(7)
    out = []
    for i in range(n):
        hr = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        out.append(SRPair(f"im{i}", hr, hr[::SCALE, ::SCALE].copy(), SCALE))
    return out


def cells(cache: Path) -> dict[str, dict]:
    """Every cell file under ``cache``: ``{relative path: parsed JSON}`` (raises if one is bad)."""
    return {str(p.relative_to(cache)): json.loads(p.read_text())
            for p in sorted(cache.rglob("*.json")) if p.name != "column.json"}


def temporary_files(cache: Path) -> list[Path]:
    """Temporary files of writers (``.<name>.*.tmp``) left under ``cache``."""
    return sorted(cache.rglob(".*.tmp"))


def evaluate_grid(cache, *, executor="serial", delay=0.0, log=None, n=6, address=None,
                  workers=None):
    """The grid of the tests: :class:`Slow` and ``nearest`` over :func:`pairs`."""
    from lpf.evaluate import evaluate

    return evaluate([Slow(delay, log), "nearest"], pairs(n), scales=[SCALE],
                    metrics=list(METRICS), cache=cache, progress=False, executor=executor,
                    ray_address=address, workers=workers)


def ship_by_value() -> None:
    """Let Ray send :class:`Slow` by value: its workers cannot import this tests-only module."""
    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


def main(argv=None) -> int:
    """A driver process: evaluate the grid, print its Markdown table."""
    p = argparse.ArgumentParser()
    p.add_argument("cache")
    p.add_argument("--executor", default="serial")
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--log", default=None)
    p.add_argument("--n", type=int, default=6)
    p.add_argument("--address", default=None)
    p.add_argument("--workers", type=int, default=None)
    args = p.parse_args(argv)
    if args.executor == "ray":
        ship_by_value()
    ev = evaluate_grid(args.cache, executor=args.executor, delay=args.delay, log=args.log,
                       n=args.n, address=args.address, workers=args.workers)
    print(ev.to_markdown())
    return 0


def driver(cache, **kwargs) -> list[str]:
    """The command line of a driver process (see :func:`main`).

    It imports this file as the module ``_grid`` (not ``__main__``), as the tests do, so that
    :class:`Slow` has the same qualified name, hence the same cache key, in every process.
    """
    here = str(Path(__file__).resolve().parent)
    code = (f"import sys; sys.path.insert(0, {here!r}); import _grid; "
            "sys.exit(_grid.main(sys.argv[1:]))")
    cmd = [sys.executable, "-c", code, str(cache)]
    for k, v in kwargs.items():
        if v is not None:
            cmd += [f"--{k}", str(v)]
    return cmd


if __name__ == "__main__":
    sys.exit(main())
