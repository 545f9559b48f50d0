"""lpf.evaluate on Ray: equal to serial, and a killed worker, a killed driver or two drivers at once
never leave a wrong table.

One local Ray session (``ray.init(num_cpus=2)``) serves the whole module (and lives until the
worker's end); the driver processes
of the SIGKILL and two-driver tests join it by address (as a user joins a cluster). Skipped only
where Ray is not installed (``pip install lpf-kit[ray]``).
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import pytest
import torch

ray = pytest.importorskip("ray", reason="needs Ray: pip install 'lpf-kit[ray]'")

import _grid  # noqa: E402
from _grid import calls, cells, driver, evaluate_grid, temporary_files  # noqa: E402

from lpf import LpfError, ShapeError  # noqa: E402
from lpf.evaluate import evaluate  # noqa: E402
from lpf.evaluate._ray import RUNNING  # noqa: E402
from lpf.models import load_model  # noqa: E402

#: one pytest-xdist worker runs the whole module: one Ray session, not one per worker
pytestmark = pytest.mark.xdist_group("ray")
#: images of the kill tests: enough tasks that a kill lands well before the end
N = 10


@pytest.fixture(scope="session")
def cluster():
    """The module's Ray session: its address, for driver processes that join it.

    Session-scoped: pytest-xdist may interleave other modules' tests between this module's (its
    group runs on one worker, not in one block), and a module-scoped session would be started
    again after each interruption (about 10 s each).
    """
    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning", log_to_driver=False)
    _grid.ship_by_value()
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(autouse=True)
def one_thread():
    """Serial references with the actors' one torch thread: the same arithmetic bit for bit (with
    more threads, convolutions split their sums differently: ~1e-7 relative)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _wait_for_cells(cache, n, still_running, timeout=180.0):
    start = time.monotonic()
    while len([k for k in cells(cache) if k.startswith("slow")]) < n:
        assert still_running(), "the run ended before it could be killed"
        assert time.monotonic() - start < timeout, "no cells written in time"
        time.sleep(0.05)


def test_ray_equals_serial_exactly(cluster, tmp_path):
    net = load_model("espcn-y", scale=2)  # a published network, shipped in data/networks
    models = ["nearest", "bicubic-matlab", "espcn-y", net]
    scales = {"nearest": [2, 4], "bicubic-matlab": [2, 4], "espcn-y": [2, 4], net: [2]}
    kw = dict(scales=scales, hr_size=48, limit=2, preset=["paper", "sr"], progress=False)
    serial = evaluate(models, "embedded", cache=False, **kw)
    on_ray = evaluate(models, "embedded", cache=tmp_path, executor="ray", workers=2, **kw)
    for p in ("paper", "sr"):
        assert on_ray[p].rows == serial[p].rows
        assert on_ray[p].to_markdown() == serial[p].to_markdown()
    assert len(serial["paper"].rows) == 2 * (2 + 2 + 2 + 1)
    # read back from the cache written by the Ray run, serially: the same again
    again = evaluate(models, "embedded", cache=tmp_path, **kw)
    assert all(again[p].rows == serial[p].rows for p in ("paper", "sr"))
    # one preset, whole images (the unstaged path), SR outputs stay floats
    pairs = _grid.pairs(3)
    one = dict(scales=[2], metrics=["psnr", "fsds", "fsds_crop"], progress=False, cache=False)
    assert (evaluate(["bicubic-matlab", "espcn-y"], pairs, executor="ray", **one).rows
            == evaluate(["bicubic-matlab", "espcn-y"], pairs, **one).rows)


def test_cuda_on_a_cluster_without_gpu_is_a_clear_error(cluster):
    with pytest.raises(LpfError, match="the Ray cluster has no GPU"):
        evaluate(["nearest"], _grid.pairs(1), scales=[2], executor="ray", device="cuda",
                 cache=False, progress=False)


def test_errors_in_workers_keep_their_type(cluster):
    with pytest.raises(ShapeError, match="crop_to_common=True"):
        evaluate([lambda x: x], _grid.pairs(2), scales=[2], executor="ray", workers=1,
                 cache=False, progress=False, metrics=["psnr"])


def test_killed_worker_then_rerun(cluster, tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "calls.log"
    outcome: dict = {}

    def run():
        try:
            evaluate_grid(cache, executor="ray", delay=0.4, log=str(log), workers=2, n=N)
        except BaseException as err:  # noqa: BLE001 (reported to the test below)
            outcome["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    try:
        _wait_for_cells(cache, 1, thread.is_alive)
    finally:
        for actor in list(RUNNING.values())[:1]:  # kill one worker mid-run
            ray.kill(actor)
        thread.join(timeout=300)
    assert isinstance(outcome.get("error"), LpfError), outcome
    assert "a Ray worker died" in str(outcome["error"]) and RUNNING == {}
    done = len([k for k in cells(cache) if k.startswith("slow")])
    assert 1 <= done < N
    before = calls(log)
    ev = evaluate_grid(cache, log=str(log), n=N)  # serially: the cache is the join point
    assert calls(log) - before == N - done  # only the missing cells were computed
    assert ev.to_markdown() == evaluate_grid(False, n=N).to_markdown()


def test_killed_driver_then_rerun(cluster, tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "calls.log"
    proc = subprocess.Popen(driver(cache, executor="ray", address=cluster, workers=1,
                                   delay=0.4, log=log, n=N),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_cells(cache, 1, lambda: proc.poll() is None)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    done = len([k for k in cells(cache) if k.startswith("slow")])
    assert 1 <= done < N
    before = calls(log)
    ev = evaluate_grid(cache, executor="ray", log=str(log), workers=2, n=N)
    assert calls(log) - before == N - done
    assert ev.to_markdown() == evaluate_grid(False, n=N).to_markdown()
    assert len(cells(cache)) == 2 * N


def test_two_drivers_at_once(cluster, tmp_path):
    cache = tmp_path / "cache"
    procs = [subprocess.Popen(driver(cache, executor="ray", address=cluster, workers=1,
                                     delay=0.02),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    clean = evaluate_grid(False).to_markdown()
    assert outs[0][0].strip() == outs[1][0].strip() == clean
    found = cells(cache)
    assert len(found) == 12 and temporary_files(cache) == []
    assert evaluate_grid(cache).to_markdown() == clean


def test_the_module_runs_in_one_group(request):
    """Under ``--dist loadgroup`` (``make test``) this module's tests carry the ``@ray`` group, so
    that one worker runs them all in one Ray session (pytest 9.2 silently broke the grouping of
    pytest-xdist 3.8: each worker then started a Ray session of its own)."""
    if not getattr(request.config.option, "loadgroup", False):  # set on xdist's workers
        pytest.skip("not run with --dist loadgroup")
    assert request.node.nodeid.endswith("@ray"), request.node.nodeid
