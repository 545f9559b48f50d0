"""Evaluation throughput: FSDS + PSNR + SSIM over B100 x4.

1. A folder of SR images (made here with MATLAB bicubic) is evaluated as the paper's published
   outputs would be: images per second, and the time split between reading files and metrics.
2. The same through a model (``bicubic-matlab``, then ``edsr-liif`` if available with
   ``--model``): the share of time spent outside model inference.

3. Serial against Ray (``executor="ray"``, 2 workers, a local cluster started before the clock
   runs) for a small real network (``--ray-model``, default the shipped CARN-M): images/s of
   each and their ratio in one run, the actors' start-up included; and Ray's overhead per task
   (an empty actor call's round trip). Skipped, and said so, without Ray installed.

B100 comes from ``$LPF_DATASETS`` / ``../shared/assets/images`` when present, else the embedded
scikit-image photographs stand in (the report says which). Run with ``make bench``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

from lpf.data import DatasetNotFound, load_set, to_numpy, write_image
from lpf.evaluate import SRFolder, evaluate
from lpf.models import load_model


def _dataset(scale: int):
    try:
        return "B100", list(load_set("B100", scale=scale))
    except DatasetNotFound:
        from lpf.data import embedded_images, load_embedded

        return "embedded", [load_embedded(n, scale=scale) for n in embedded_images()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--model", default="bicubic-matlab", help="zoo model for part 2")
    parser.add_argument("--limit", type=int, default=None, help="use the first N images")
    parser.add_argument("--ray-model", default="carn-m", help="network of part 3")
    parser.add_argument("--workers", type=int, default=2, help="Ray actors of part 3")
    parser.add_argument("--no-ray", action="store_true", help="skip part 3")
    parser.add_argument("--only-ray", action="store_true", help="part 3 only")
    args = parser.parse_args()
    name, pairs = _dataset(args.scale)
    pairs = pairs[: args.limit] if args.limit else pairs
    metrics = ["psnr", "ssim", "fsds"]
    print(f"dataset {name} x{args.scale}: {len(pairs)} images; metrics {metrics}; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    if args.only_ray:
        _serial_vs_ray(pairs, args.ray_model, args.scale, metrics, args.workers)
        return 0
    model = load_model(args.model, scale=args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / args.model / str(args.scale)
        for pair in pairs:
            with torch.no_grad():
                sr = model(pair.tensors()[1][None])[0].clamp(0, 1)
            write_image(folder / f"{pair.name}x{args.scale}.png", to_numpy(sr))
        t0 = time.perf_counter()
        ev = evaluate([SRFolder(folder.parent)], pairs, scales=[args.scale], metrics=metrics,
                      cache=False, progress=False)
        folder_s = time.perf_counter() - t0
    t = ev.timing
    print(f"1. SR folder : {len(pairs) / folder_s:6.2f} images/s  "
          f"(reading {t['io_s'] / folder_s:5.1%}, metrics {t['metrics_s'] / folder_s:5.1%})")
    t0 = time.perf_counter()
    ev = evaluate([model], pairs, scales=[args.scale], metrics=metrics, cache=False,
                  progress=False)
    total = time.perf_counter() - t0
    t = ev.timing
    print(f"2. {args.model:10s}: {len(pairs) / total:6.2f} images/s  "
          f"(model {t['model_s'] / total:5.1%}, outside model inference "
          f"{1 - t['model_s'] / total:5.1%})")
    means = ev.means()[(model.name, args.scale)]
    print("   means: " + ", ".join(f"{k} {v:.3f}" for k, v in means.items()))
    if not args.no_ray:
        _serial_vs_ray(pairs, args.ray_model, args.scale, metrics, args.workers)
    return 0


def _serial_vs_ray(pairs, model: str, scale: int, metrics, workers: int) -> None:
    """Part 3: images/s serial and on Ray, their ratio, Ray's overhead per task."""
    try:
        import ray
    except ImportError:
        print("3. serial vs Ray: skipped (Ray is not installed: pip install 'lpf-kit[ray]')")
        return
    from lpf.evaluate._ray import _Worker

    kw = dict(scales=[scale], metrics=metrics, cache=False, progress=False)
    t0 = time.perf_counter()
    serial = evaluate([model], pairs, **kw)
    serial_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, logging_level="warning",
             log_to_driver=False)
    init_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    on_ray = evaluate([model], pairs, executor="ray", workers=workers, **kw)
    ray_s = time.perf_counter() - t0
    diff = max(abs(a[m] - b[m]) for a, b in zip(on_ray.rows, serial.rows, strict=True)
               for m in metrics)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the actors' thread count: the same arithmetic, bit for bit
    few = pairs[:5]
    same = evaluate([model], few, **kw).rows == on_ray.rows[:len(few)]
    torch.set_num_threads(threads)
    actor = ray.remote(_Worker).options(num_cpus=1).remote(1)
    ray.get(actor.ping.remote())
    n = 200
    t0 = time.perf_counter()
    for _ in range(n):
        ray.get(actor.ping.remote())
    rtt = (time.perf_counter() - t0) / n
    ray.kill(actor)
    ray.shutdown()
    k = len(pairs)
    print(f"3. {model} x{scale}, {k} images, torch threads {torch.get_num_threads()} serially, "
          f"1 per Ray actor:")
    print(f"   serial           : {k / serial_s:6.2f} images/s ({serial_s:.1f} s)")
    print(f"   Ray, {workers} workers    : {k / ray_s:6.2f} images/s ({ray_s:.1f} s, actors' "
          f"start-up included; the local cluster took {init_s:.1f} s to start, not counted)")
    print(f"   ratio Ray/serial : {serial_s / ray_s:6.2f}x")
    print(f"   largest metric difference Ray - serial ({threads} threads): {diff:.2e}; "
          f"rows equal to a 1-thread serial run (first {len(few)} images): {same}")
    print(f"   Ray overhead per task (empty actor call, round trip): {1e3 * rtt:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
