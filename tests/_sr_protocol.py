"""The SR-benchmark PSNR-Y protocol, written out for tests (independent of :mod:`lpf.metrics`).

EDSR/BasicSR ``calculate_psnr(..., test_y_channel=True)``: the output clamped and rounded to 8-bit
levels, Y = 16 + 65.481 R + 128.553 G + 24.966 B for RGB in [0, 1] (not rounded), ``scale``
pixels shaved off every side, peak 255. With it the Set5 PSNR-Y of the real checkpoints equals
the numbers of ``shared/assets/MANIFEST.md`` (see ``tests/test_networks_set5.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image

SET5 = ("baby", "bird", "butterfly", "head", "woman")


def rgb_to_y(rgb: np.ndarray) -> np.ndarray:
    """BT.601 luma of MATLAB's ``rgb2ycbcr``, [16, 235], from RGB in [0, 1] (float64, unrounded)."""
    rgb = rgb.astype(np.float64)
    return 16.0 + 65.481 * rgb[..., 0] + 128.553 * rgb[..., 1] + 24.966 * rgb[..., 2]


def reference_psnr_y(pred_y: np.ndarray, target_y: np.ndarray, crop: int) -> float:
    """PSNR on Y in [0, 255] (peak 255) after shaving ``crop`` pixels off every side."""
    diff = (pred_y - target_y)[crop:-crop, crop:-crop]
    return float(10 * np.log10(255.0**2 / np.mean(diff**2)))


def read_rgb(path: Path) -> np.ndarray:
    """An image file as ``(H, W, 3)`` uint8 (a writable copy)."""
    return np.array(Image.open(path).convert("RGB"))


def sr_y(sr: torch.Tensor) -> np.ndarray:
    """Y of an RGB output ``(3, H, W)`` in [0, 1] after clamping and rounding to 8-bit levels."""
    levels = (sr.clamp(0, 1) * 255).round().permute(1, 2, 0).double().numpy()
    return rgb_to_y(levels / 255)


def set5_pairs(root: Path, scale: int, names: Sequence[str] = SET5
               ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """``(lr, hr)`` uint8 pairs of Set5 in the datasets folder ``root``: the stored
    ``LR_bicubic`` image and the HR image mod-cropped to it."""
    for name in names:
        lr = read_rgb(root / "Set5" / "LR_bicubic" / f"X{scale}" / f"{name}x{scale}.png")
        hr = read_rgb(root / "Set5" / "HR" / f"{name}.png")
        yield lr, hr[: lr.shape[0] * scale, : lr.shape[1] * scale]  # modcrop


def set5_psnr_rgb(net_fn: Callable[[torch.Tensor], torch.Tensor], root: Path, scale: int,
                  input_range: float) -> float:
    """Average Set5 PSNR-Y of an RGB network: LR in ``input_range``, output rounded to uint8."""
    values = []
    for lr, hr in set5_pairs(root, scale):
        x = torch.from_numpy(lr).permute(2, 0, 1)[None].float() / 255 * input_range
        with torch.no_grad():
            sr = net_fn(x)[0] / input_range
        values.append(reference_psnr_y(sr_y(sr), rgb_to_y(hr / 255), scale))
    return float(np.mean(values))


def set5_psnr_luma(net: Callable[[torch.Tensor], torch.Tensor], root: Path, scale: int) -> float:
    """Average Set5 PSNR-Y of a Y network fed the LR's (studio-swing) Y / 255."""
    values = []
    for lr, hr in set5_pairs(root, scale):
        x = torch.from_numpy(rgb_to_y(lr / 255) / 255).float()[None, None]
        with torch.no_grad():
            sr = net(x)[0, 0]
        sr_levels = (sr.clamp(0, 1) * 255).round().double().numpy()
        values.append(reference_psnr_y(sr_levels, rgb_to_y(hr / 255), scale))
    return float(np.mean(values))
