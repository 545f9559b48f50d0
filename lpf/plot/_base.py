"""Shared pieces of the plot layer: axes creation and array checks (plots take NumPy)."""

from __future__ import annotations

from typing import Any

import numpy as np


def figure_and_axes(ax, **subplots_kw):
    """``(fig, ax)``: a new figure and axes when ``ax`` is None, else ``ax`` and its figure."""
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(**subplots_kw)
        return fig, ax
    return ax.figure, ax


def as_array(x: Any, name: str) -> np.ndarray:
    """``x`` as a NumPy array; tensors are refused (plotting takes NumPy)."""
    if type(x).__module__.startswith("torch"):
        raise TypeError(
            f"`{name}` is a torch tensor; plotting takes NumPy arrays: convert images with "
            "lpf.data.to_numpy(tensor) and other tensors with tensor.numpy()."
        )
    return np.asarray(x)


def image_array(image: Any, name: str = "image") -> np.ndarray:
    """An image as float64 ``(H, W)`` or ``(H, W, C)`` in [0, 1] (uint8/uint16 scaled)."""
    arr = as_array(image, name)
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[-1] not in (1, 3, 4)):
        raise ValueError(
            f"`{name}` must be an image (H, W) or (H, W, C) with C in (1, 3, 4), got shape "
            f"{arr.shape}."
        )
    if arr.dtype == np.uint8:
        return arr.astype(np.float64) / 255.0
    if arr.dtype == np.uint16:
        return arr.astype(np.float64) / 65535.0
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"`{name}` must be numeric, got dtype {arr.dtype}.")
    return arr.astype(np.float64)


def grey(image: np.ndarray) -> np.ndarray:
    """The channel mean of an ``(H, W, C)`` image (alpha dropped), or the ``(H, W)`` image."""
    if image.ndim == 3:
        return image[..., :3].mean(axis=-1)
    return image


def freq_extent(h: int, w: int) -> tuple[float, float, float, float]:
    """``imshow`` extent (``origin="lower"``) of a centred ``(h, w)`` spectrum, cycles/pixel."""
    fy0, fy1 = (-(h // 2) - 0.5) / h, ((h - 1) // 2 + 0.5) / h
    fx0, fx1 = (-(w // 2) - 0.5) / w, ((w - 1) // 2 + 0.5) / w
    return fx0, fx1, fy0, fy1
