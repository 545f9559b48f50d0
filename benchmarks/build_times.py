"""Build times: every figure notebook cold, and the test suite, as `make figures` and `make test`
run them (issue 17: the paper's 19 notebooks in 3 minutes, all of them in 6, the tests in 3).

Run with ``python benchmarks/build_times.py [--figures [--paper-only]] [--tests] [--jobs 2]``
(both parts when neither is named), or ``make bench-build``. Nothing in the checkout is touched:
the notebooks run through papermill, ``--jobs`` at a time in kernels of their own with the cores
shared out (``OMP_NUM_THREADS``), in the Makefile's order, full profile, into a temporary
folder, with an empty cache (``$LPF_CACHE_DIR``), so every network load, impulse response and
evaluation cell is computed. The tests run as ``make test`` runs them (``pytest -n JOBS
--dist loadgroup``). Times are wall-clock seconds on this machine; the load average at the start
is printed beside them, since these machines are shared (a second job on the machine can double
a time). Not part of ``make bench`` (it takes minutes).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: the notebooks the issue counted as "today's 19": every figure and table, and ext01
LATER = ("ext02", "ext03", "ext04")
#: the issue's targets, seconds
TARGETS = {"paper notebooks": 180.0, "all notebooks": 360.0, "tests": 180.0}


def _threads(jobs: int) -> int:
    """Threads per job, the cores shared out as the Makefile does (``OMP_NUM_THREADS``)."""
    return max(1, (os.cpu_count() or 2) // jobs)


def _notebooks() -> list[Path]:
    found = [p for pattern in ("fig*.ipynb", "table*.ipynb", "ext*.ipynb")
             for p in NOTEBOOKS.glob(pattern)]
    return sorted(found, key=lambda p: p.name)  # make's $(sort ...): ext* first


def _run_notebook(path: Path, out: Path, env: dict[str, str]) -> tuple[str, float, int]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "papermill", str(path), str(out / "executed" / path.name),
         "-k", "python3", "--cwd", str(NOTEBOOKS), "--no-progress-bar",
         "-p", "out_dir", str(out / "figures"), "-p", "profile", "full"],
        env=env, capture_output=True, text=True)
    if proc.returncode:
        print(proc.stderr[-2000:], file=sys.stderr)
    return path.stem, time.perf_counter() - start, proc.returncode


def time_notebooks(paths: list[Path], jobs: int) -> tuple[float, dict[str, float], int]:
    """Wall time of running ``paths`` ``jobs`` at a time, cold; per-notebook times; failures."""
    with tempfile.TemporaryDirectory(prefix="lpf-build-") as tmp:
        out = Path(tmp)
        (out / "executed").mkdir()
        env = dict(os.environ, OMP_NUM_THREADS=str(_threads(jobs)), MPLBACKEND="agg",
                   LPF_CACHE_DIR=str(out / "cache"), SOURCE_DATE_EPOCH="0", PYTHONHASHSEED="0")
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(lambda p: _run_notebook(p, out, env), paths))
        wall = time.perf_counter() - start
    return wall, {name: t for name, t, _ in results}, sum(rc != 0 for _, _, rc in results)


def time_tests(jobs: int) -> tuple[float, str]:
    """Wall time of the suite as ``make test`` runs it, and pytest's summary line."""
    env = dict(os.environ, OMP_NUM_THREADS=str(_threads(jobs)), MPLBACKEND="agg")
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if jobs > 1:
        cmd += ["-n", str(jobs), "--dist", "loadgroup"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    return wall, (lines[-1] if lines else f"pytest exited with {proc.returncode}")


def _verdict(label: str, seconds: float) -> str:
    target = TARGETS[label]
    met = "met" if seconds <= target else "NOT met"
    return f"{label}: {seconds:.0f} s (target <= {target:.0f} s: {met})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", action="store_true", help="time the notebooks only")
    parser.add_argument("--tests", action="store_true", help="time the test suite only")
    parser.add_argument("--paper-only", action="store_true",
                        help="only the 19 notebooks of the issue's first target (not ext02-ext04)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks / pytest workers at once")
    args = parser.parse_args(argv)
    both = not (args.figures or args.tests)
    print(f"{platform.machine()}, {os.cpu_count()} CPU cores, load average "
          f"{os.getloadavg()[0]:.1f} at the start, {args.jobs} jobs")
    failed = 0
    if args.figures or both:
        paths = [p for p in _notebooks() if not (args.paper_only and p.stem.startswith(LATER))]
        wall, each, failed = time_notebooks(paths, args.jobs)
        for name, t in sorted(each.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<32}{t:7.1f} s")
        print(f"{len(paths)} notebooks in {wall:.0f} s, cold (the notebooks' own times add up to "
              f"{sum(each.values()):.0f} s over {args.jobs} jobs)")
        print(_verdict("paper notebooks" if args.paper_only else "all notebooks", wall))
        if failed:
            print(f"!! {failed} notebook(s) failed")
    if args.tests or both:
        wall, summary = time_tests(args.jobs)
        print(f"tests: {summary}")
        print(_verdict("tests", wall))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
