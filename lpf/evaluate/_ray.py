"""The Ray executor of :func:`lpf.evaluate.evaluate` (``executor="ray"``).

Actors hold the models they loaded and compute chunks of the grid's cells with the function the
serial executor uses (:func:`lpf.evaluate._grid._cell`); the driver writes them into the cache as
they arrive.
"""

from __future__ import annotations

import os
import time
from typing import Any

import torch
from tqdm.auto import tqdm

from lpf._checks import LpfError
from lpf.evaluate._grid import (
    SRFolder,
    _cached,
    _cell,
    _Column,
    _given,
    _Images,
    _load,
    _Options,
    _store,
)


def _import_ray():
    """``ray``, or an ImportError that says how to install it."""
    try:
        import ray
    except ImportError as err:
        raise ImportError(
            "executor='ray' needs Ray, which is not installed: pip install 'lpf-kit[ray]' "
            "(or pip install ray)."
        ) from err
    return ray


def _connect(ray, address: str | None, workers: int | None, device: str) -> None:
    """Join ``address`` / ``$RAY_ADDRESS``, keep this process's cluster, or start a local one."""
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS") or None
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": "warning",
                              "log_to_driver": False}
    if address is not None:
        ray.init(address=address, **kwargs)
    else:
        ray.init(num_cpus=workers or os.cpu_count() or 1, **kwargs)


class _Worker:
    """A Ray actor: holds the models it loaded (the last two) and computes chunks of cells."""

    def __init__(self, threads: int):
        torch.set_num_threads(max(1, threads))
        self.models: dict[str, Any] = {}

    def ping(self) -> int:
        """A no-op round trip (the benchmark's per-task overhead)."""
        return os.getpid()

    def run(self, token: str, spec: Any, scale: int, name: str, items: list,
            options: _Options) -> dict[str, Any]:
        """Cells of the column ``token``: ``[(image, rows per preset, 8-bit output or None)]``.

        ``token`` names the column's model across calls (its cache key, or a one-off name).
        """
        model = self.models.get(token)
        if model is None and any(given is None for _, given in items):
            model = spec
            if isinstance(spec, str | os.PathLike) or isinstance(spec, SRFolder):
                model = _load(spec, scale, options.device)[1]
            elif isinstance(spec, torch.nn.Module):
                model = spec.to(options.device)
            while len(self.models) >= 2:
                self.models.pop(next(iter(self.models)))
            self.models[token] = model
        notes: list[str] = []
        timing = {"model_s": 0.0, "metrics_s": 0.0, "io_s": 0.0}
        cells = []
        for pair, given in items:
            values, sr8 = _cell(model, pair, given, name=name, scale=scale, options=options,
                                notes=notes, timing=timing)
            cells.append((pair.name, values, sr8))
        return {"cells": cells, "notes": notes, "timing": timing, "pid": os.getpid()}


#: the Ray actors of the run in progress in this process (name -> handle); each run starts its
#: own and kills them when it ends, so that no CPU or GPU of a shared cluster stays reserved
RUNNING: dict[str, Any] = {}


def _start(ray, n: int, cuda: bool) -> list:
    """``n`` new actors (one CPU each, and one GPU with ``cuda``), named and in :data:`RUNNING`."""
    remote = ray.remote(_Worker)
    actors = []
    for i in range(n):
        name = f"lpf-evaluate-{os.getpid()}-{time.time_ns()}-{i}"
        actor = remote.options(name=name, num_cpus=1, num_gpus=1 if cuda else 0,
                               max_restarts=0).remote(1)
        RUNNING[name] = actor
        actors.append(actor)
    return actors


def _chunks(n: int, workers: int) -> int:
    """Images per task: small enough to balance the actors, at most 8."""
    return max(1, min(8, -(-n // (2 * workers))))


def _run_ray(plan: list[tuple[_Images, list[_Column]]], options: _Options, *, notes: list[str],
             timing: dict[str, float], progress: bool, address: str | None,
             workers: int | None) -> dict[tuple[int, str], dict[str, dict]]:
    """The missing cells on Ray actors, ``(column, chunk of images)`` per task.

    The driver (this process) reads the cache, sends the missing cells' images (and SR images
    already on disk) to the actors, and writes each result into the cache as it arrives. A dead
    actor stops the run after the results that arrived are written: re-running computes only
    the cells still missing.
    """
    ray = _import_ray()
    from ray.exceptions import RayActorError, RayTaskError

    cuda = options.device.startswith("cuda")
    _connect(ray, address, workers, options.device)
    resources = ray.cluster_resources()
    if cuda and resources.get("GPU", 0) < 1:
        raise LpfError(f"device={options.device!r} with executor='ray', but the Ray cluster has "
                       "no GPU (its resources: "
                       f"{ {k: v for k, v in resources.items() if k in ('CPU', 'GPU')} }).")
    if workers is None:
        workers = max(1, int(resources.get("GPU" if cuda else "CPU", 1)))
    results: dict[tuple[int, str], dict[str, dict]] = {}
    todo: list[tuple[_Images, _Column, list[int]]] = []
    total = sum(len(images.names) * len(columns) for images, columns in plan)
    bar = tqdm(total=total, unit="img", desc="cells (ray)", disable=not progress)
    for images, columns in plan:
        for col in columns:
            missing = []
            for i, image in enumerate(images.names):
                values = _cached(col, image, options)
                if values is None:
                    missing.append(i)
                else:
                    results[(col.index, image)] = values
                    bar.update()
            size = _chunks(len(missing), workers)
            todo += [(images, col, missing[k:k + size]) for k in range(0, len(missing), size)]
    if not todo:
        bar.close()
        return results
    actors = _start(ray, min(workers, len(todo)), cuda)
    specs: dict[int, Any] = {}
    inflight: dict[Any, tuple[Any, _Column, list[str]]] = {}
    idle = list(actors)
    failure: BaseException | None = None
    todo.reverse()
    try:
        while inflight or (todo and failure is None):
            while idle and todo and failure is None:
                images, col, chunk = todo.pop()
                actor = idle.pop()
                t0 = time.perf_counter()
                items = []
                for i in chunk:
                    pair = images.get(i)
                    items.append((pair, _given(col, pair)))
                timing["io_s"] += time.perf_counter() - t0
                if col.index not in specs:
                    spec = (col.spec if isinstance(col.spec, str | os.PathLike | SRFolder)
                            else col.model)
                    specs[col.index] = ray.put(spec)
                ref = actor.run.remote(col.token, specs[col.index], col.scale, col.name, items,
                                       options)
                inflight[ref] = (actor, col, [images.names[i] for i in chunk])
            done, _ = ray.wait(list(inflight), num_returns=1)
            for ref in done:
                actor, col, names = inflight.pop(ref)
                try:
                    out = ray.get(ref)
                except RayActorError as err:
                    failure = failure or LpfError(
                        f"a Ray worker died while computing {col.name} x{col.scale} "
                        f"({len(names)} image(s)); the cells that arrived before are cached: "
                        f"run again to compute the rest. Ray said: {_first_line(err)}")
                    continue
                except RayTaskError as err:
                    failure = failure or err.as_instanceof_cause()
                    idle.append(actor)
                    continue
                for image, values, sr8 in out["cells"]:
                    _store(col, image, values, sr8)
                    results[(col.index, image)] = values
                    bar.update()
                for note in out["notes"]:
                    if note not in notes:
                        notes.append(note)
                for k, v in out["timing"].items():
                    timing[k] += v
                idle.append(actor)
    finally:
        bar.close()
        for name, actor in list(RUNNING.items()):
            if any(actor is a for a in actors):
                ray.kill(actor)
                RUNNING.pop(name)
    if failure is not None:
        raise failure
    return results


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__

