"""HyRA cost: the impulse response and the exact decomposition on a 128x128 LR image, against the
model's own forward pass.

Run with ``python benchmarks/bench_hyra.py [--model NAME] [--scale 4] [--quick]``. ``--model``
takes a zoo name (``lpf.models.list_models()``, e.g. ``edsr-liif`` when its weights are on this
machine); the default is a network of the kit-trained model's shape built here (EDSR-style, 32
features, 6 residual blocks, pixel-shuffle upsampler; seeded random weights), which needs no
weights file. Every number is a median of repeated
runs in this process.

The target (issue 5): the decomposition's cost beyond the model's own forward pass,
``(t_hyra - t_forward) / t_forward``, under 20 %. ``hyra(model, lr)`` runs the model once on the
LR image; the rest is the impulse-response measurement (one batched forward pass on C + 1
images of 11x11 pixels, plus one on a black 11x11 image for the constant term) and the linear
part (a convolution with C' s^2 output channels and an 11x11 kernel on the LR image, then
``pixel_shuffle``). Decomposing many images with one model, the kernel can be measured once
and passed as ``impulse_response=``; the "reused" line times that.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import median_time  # noqa: E402

from lpf.analysis._base import run_model  # noqa: E402
from lpf.analysis.hyra import hyra, hyra_bands, linear_part  # noqa: E402
from lpf.analysis.impulse import impulse_response_matrix  # noqa: E402


class _ResBlock(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.conv1 = nn.Conv2d(width, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv2(torch.relu(self.conv1(x)))


def small_net(scale: int, width: int = 32, blocks: int = 6) -> nn.Module:
    """The kit-trained model's shape (DESIGN.md): a 32-feature, 6-block EDSR-style residual
    network with a pixel-shuffle upsampler (x2 stages for x4), seeded random weights (the cost
    does not depend on the weights)."""
    torch.manual_seed(0)
    up: list[nn.Module] = []
    stages = [2, 2] if scale == 4 else [scale]
    for f in stages:
        up += [nn.Conv2d(width, width * f * f, 3, padding=1), nn.PixelShuffle(f)]
    return nn.Sequential(
        nn.Conv2d(3, width, 3, padding=1),
        *[_ResBlock(width) for _ in range(blocks)],
        nn.Conv2d(width, width, 3, padding=1),
        *up,
        nn.Conv2d(width, 3, 3, padding=1),
    ).eval()


def load(name: str | None, scale: int) -> tuple[str, nn.Module]:
    if name is None:
        return "EDSR-style 32x6 (built here, random weights)", small_net(scale)
    from lpf.models import load_model

    return name, load_model(name, scale=scale)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="a zoo name (default: a small conv net)")
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--size", type=int, default=128, help="LR side in pixels")
    parser.add_argument("--device", default="cpu", help="torch device (default cpu)")
    parser.add_argument("--threads", type=int, default=None,
                        help="CPU threads (default torch's; 1 gives stable numbers on a "
                        "loaded machine)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    repeat = 3 if args.quick else 7
    name, model = load(args.model, args.scale)
    device = torch.device(args.device)
    model = model.to(device)
    lr = torch.rand(3, args.size, args.size, generator=torch.Generator().manual_seed(0))
    lr = lr.to(device)
    s = args.scale

    def synced(fn):
        def run():
            out = fn()
            if device.type == "cuda":
                torch.cuda.synchronize()
            return out
        return run

    # forward and hyra alternate, so that load on the machine hits both alike
    forward_times, hyra_times = [], []
    hyra(model, lr, scale=s)
    for _ in range(repeat):
        forward_times.append(median_time(synced(lambda: run_model(model, lr[None], scale=s)),
                                         repeat=1, warmup=0))
        hyra_times.append(median_time(synced(lambda: hyra(model, lr, scale=s)),
                                      repeat=1, warmup=0))
    t_forward = statistics.median(forward_times)
    t_hyra = statistics.median(hyra_times)
    kernel = impulse_response_matrix(model, scale=s)
    t_reuse = median_time(synced(lambda: hyra(model, lr, scale=s, impulse_response=kernel)),
                          repeat=repeat)
    t_ir = median_time(synced(lambda: impulse_response_matrix(model, scale=s)), repeat=repeat)
    ir = impulse_response_matrix(model, scale=s)
    t_linear = median_time(synced(lambda: linear_part(lr, ir, scale=s)), repeat=repeat)
    result = hyra(model, lr, scale=s)
    t_bands = median_time(synced(lambda: hyra_bands(result)), repeat=3)

    overhead = (t_hyra - t_forward) / t_forward
    parts = (t_ir + t_linear) / t_forward
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {where}")
    print(f"model {name}, x{s}, LR {args.size}x{args.size}, impulse window 11x11")
    print(f"{'forward (model alone)':<34}{t_forward * 1e3:9.1f} ms")
    print(f"{'impulse response (C x C kernels)':<34}{t_ir * 1e3:9.1f} ms")
    print(f"{'linear part H (polyphase conv)':<34}{t_linear * 1e3:9.1f} ms")
    print(f"{'hyra(model, lr) total':<34}{t_hyra * 1e3:9.1f} ms")
    print(f"{'hyra, kernel measured once, reused':<34}{t_reuse * 1e3:9.1f} ms")
    print(f"{'hyra_bands (spectra, energies)':<34}{t_bands * 1e3:9.1f} ms")
    print(f"impulse response + linear part, relative to the forward pass: {100 * parts:.1f} %")
    print(f"overhead with the kernel reused across images: "
          f"{100 * (t_reuse - t_forward) / t_forward:.1f} %")
    print(f"decomposition overhead beyond the forward pass: {100 * overhead:.1f} % "
          f"(target < 20 %: {'met' if overhead < 0.2 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
