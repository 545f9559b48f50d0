"""The evaluation cache's layout: one atomic file per cell (lpf._cells) against SQLite in WAL mode.

For a grid column of ``--cells`` cells (one row of nine metrics each, as ``lpf.evaluate`` writes):

1. writes: every cell written by one process, each write durable on its own (a file renamed into
   place; one SQLite transaction per row, ``synchronous=NORMAL`` as WAL recommends);
2. reads: every cell of the column read back (a re-run's first step);
3. two processes writing the same column at once (each all the cells): wall time, and whether
   every cell ends up readable exactly once.

Run with ``make bench`` or ``python benchmarks/bench_cache.py``. The verdict that chose the layout
is in the module docstring of :mod:`lpf._cells`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from lpf._cells import CellCache

ROW = {"psnr": 28.123456, "ssim": 0.812345, "lpips": None, "fsds": 31.5, "fsds_crop": 30.1,
       "l1": 0.0312, "l2": 0.0021, "l1_freq": 12.5, "l2_freq": 3.25}


def _files_write(root: str, n: int) -> None:
    cache = CellCache(root, "model-x4-paper-0123456789abcdef")
    for i in range(n):
        cache.put(f"{801 + i:04d}", ROW)


def _files_read(root: str) -> int:
    return len(CellCache(root, "model-x4-paper-0123456789abcdef").load())


def _sqlite_connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS cells (col TEXT, cell TEXT, row TEXT, "
               "PRIMARY KEY (col, cell))")
    return db


def _sqlite_write(path: str, n: int) -> None:
    db = _sqlite_connect(path)
    for i in range(n):
        with db:
            db.execute("INSERT OR REPLACE INTO cells VALUES (?, ?, ?)",
                       ("model-x4-paper", f"{801 + i:04d}", json.dumps(ROW)))
    db.close()


def _sqlite_read(path: str) -> int:
    db = _sqlite_connect(path)
    rows = {c: json.loads(r) for c, r in db.execute(
        "SELECT cell, row FROM cells WHERE col = ?", ("model-x4-paper",))}
    db.close()
    return len(rows)


def _timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def _two_at_once(fn, target: str, n: int) -> float:
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=fn, args=(target, n)) for _ in range(2)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode for p in procs):
        raise RuntimeError("a writer failed")
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100, help="cells of the column")
    args = parser.parse_args()
    n = args.cells
    print(f"one column of {n} cells (DIV2K validation: 100 images), 9 metrics per row")
    with tempfile.TemporaryDirectory() as tmp:
        files, db = str(Path(tmp) / "cells"), str(Path(tmp) / "cells.sqlite")
        w_f, w_s = _timed(_files_write, files, n), _timed(_sqlite_write, db, n)
        r_f, r_s = _timed(_files_read, files), _timed(_sqlite_read, db)
        assert _files_read(files) == _sqlite_read(db) == n
    with tempfile.TemporaryDirectory() as tmp:
        files, db = str(Path(tmp) / "cells"), str(Path(tmp) / "cells.sqlite")
        c_f, c_s = _two_at_once(_files_write, files, n), _two_at_once(_sqlite_write, db, n)
        ok_f, ok_s = _files_read(files) == n, _sqlite_read(db) == n
    print(f"{'':28s}{'file per cell':>16s}{'SQLite WAL':>14s}")
    print(f"{'write, ms per cell':28s}{1e3 * w_f / n:16.3f}{1e3 * w_s / n:14.3f}")
    print(f"{'read the column, ms':28s}{1e3 * r_f:16.2f}{1e3 * r_s:14.2f}")
    print(f"{'2 writers at once, s':28s}{c_f:16.2f}{c_s:14.2f}  (incl. process start)")
    print(f"{'every cell once after 2':28s}{ok_f!s:>16s}{ok_s!s:>14s}")
    print("Both cost milliseconds against seconds of model time per cell; the file layout also "
          "works on a network file system shared by a cluster's nodes (WAL needs one host).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
