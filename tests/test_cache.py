"""The evaluation cache (lpf._cells): one atomic file per cell, concurrent and killed writers.

Two driver processes (plain subprocesses, no Ray) write the same grid at once, and a driver is
killed with SIGKILL mid-run and run again: no cell may be corrupt or duplicated, the re-run
computes only the missing cells, and the table equals the table of a clean run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from _grid import METRICS, calls, cells, driver, evaluate_grid, pairs, temporary_files

from lpf._cells import CellCache


def test_put_get_load_and_odd_names(tmp_path):
    cache = CellCache(tmp_path, "m-x2-paper-0123", meta={"model": "m"})
    names = ["im0", "a/b", "..", ".hidden", "é x", "x" * 300]
    for i, name in enumerate(names):
        cache.put(name, {"psnr": float(i), "lpips": None})
    assert cache.load() == {n: {"psnr": float(i), "lpips": None} for i, n in enumerate(names)}
    assert cache.get("a/b") == {"psnr": 1.0, "lpips": None} and cache.get("nope") is None
    assert all(p.parent == cache.folder for p in map(cache.path, names))  # nothing escapes
    assert json.loads((cache.folder / "column.json").read_text()) == {"model": "m"}
    cache.put("im0", {"psnr": float("inf")})  # a replaced cell: still one file
    assert cache.get("im0") == {"psnr": float("inf")}
    assert len(list(cache.folder.glob("*.json"))) == len(names) + 1  # + column.json


def test_unreadable_and_temporary_files_are_not_cells(tmp_path):
    cache = CellCache(tmp_path, "col")
    cache.put("im0", {"psnr": 1.0})
    (cache.folder / "im1.json").write_text('{"cell": "im1", "row": {"ps')  # not ours: torn
    (cache.folder / "im2.json").write_text('{"cell": "im3", "row": {}}')  # wrong name
    tmp = cache.folder / ".im4.json.x1.tmp"
    tmp.write_text("{")
    assert cache.load() == {"im0": {"psnr": 1.0}}
    assert cache.get("im1") is None and cache.get("im2") is None
    assert cache.clean() == 0 and tmp.exists()  # a live writer's file is kept
    os.utime(tmp, (time.time() - 7200, time.time() - 7200))
    assert cache.clean() == 1 and not tmp.exists()


def _clean_table(tmp_path):
    return evaluate_grid(False).to_markdown()


def _wait_for_cells(cache, n, proc, timeout=120.0):
    start = time.monotonic()
    while len(cells(cache)) < n:
        if proc.poll() is not None:
            raise AssertionError(f"the driver ended early: {proc.communicate()}")
        if time.monotonic() - start > timeout:
            raise AssertionError("the driver wrote no cells in time")
        time.sleep(0.05)


def test_two_processes_writing_the_same_grid(tmp_path):
    cache = tmp_path / "cache"
    procs = [subprocess.Popen(driver(cache, delay=0.02), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    clean = _clean_table(tmp_path)
    assert outs[0][0].strip() == outs[1][0].strip() == clean
    found = cells(cache)  # every file parses
    assert len(found) == 2 * 6  # two models x six images, one file each: nothing duplicated
    assert all(set(c["row"]) == set(METRICS) for c in found.values())
    assert temporary_files(cache) == []
    assert evaluate_grid(cache).to_markdown() == clean  # read back from the cache


def test_killed_process_then_rerun_computes_only_missing_cells(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "calls.log"
    proc = subprocess.Popen(driver(cache, delay=0.3, log=log), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_cells(cache, 2, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    done = {k for k in cells(cache) if k.startswith("slow")}
    assert 2 <= len(done) < 6
    before = calls(log)
    ev = evaluate_grid(cache, log=str(log))
    assert calls(log) - before == 6 - len(done)  # only the missing cells ran the model
    assert ev.to_markdown() == _clean_table(tmp_path)
    assert len(cells(cache)) == 12


@pytest.mark.parametrize("executor", ["threads", "nope"])
def test_bad_executor_and_workers(executor):
    from lpf.evaluate import evaluate

    with pytest.raises(ValueError, match=r"`executor` must be one of 'serial', 'ray', got"):
        evaluate(["nearest"], "embedded", scales=[2], executor=executor, cache=False)
    with pytest.raises(ValueError, match=r"`workers` must be None or an integer >= 1, got 0"):
        evaluate(["nearest"], "embedded", scales=[2], executor="ray", workers=0, cache=False)


def test_ray_missing_is_a_clear_import_error(monkeypatch):
    from lpf.evaluate import evaluate

    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(ImportError, match=r"needs Ray.*pip install 'lpf-kit\[ray\]'"):
        evaluate(["nearest"], pairs(1), scales=[2], executor="ray", cache=False, progress=False)
