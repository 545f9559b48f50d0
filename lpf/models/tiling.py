"""Tiled inference: run a model on overlapping tiles of an image that does not fit in memory.

The low-resolution image is cut into ``tile`` x ``tile`` pixel tiles; each tile is run with
``tile_overlap`` extra pixels of its neighbours on every side (fewer at the image border, where
the model sees the true border as it would untiled), and only the tile's own part of the output
(``scale`` times its size) is kept.

**When tiled equals untiled.** An output pixel at low-resolution position ``p`` depends on the
inputs within the model's receptive-field radius ``R`` of ``p`` (3x3 convolutions: 1 per layer;
bicubic: 2; nearest: 0). Every kept pixel of a tile lies at least ``tile_overlap`` pixels inside
the tile's input, or on the image border, so when ``R <= tile_overlap`` it sees exactly the inputs
it would see untiled, and the tiled output equals the untiled one: bit for bit where the
model's arithmetic does not depend on where the tile lies or how big it is (nearest; torch's
bicubic at x2 and x4, where the sampling positions are exact binary fractions; convolutions with
PyTorch's native kernels, while oneDNN's kernels choose their blocking by input size and round
differently, about 1e-7), and to float rounding (a few ulps: <= 2e-7 in float32) for the separable
resizers (bilinear, MATLAB bicubic, Lanczos-3), which multiply by matrices built for each input
size. ``tests/test_tiling.py`` checks both.

**The bound otherwise.** With ``R > tile_overlap`` the two differ only where a kept pixel lies
within ``R - tile_overlap`` low-resolution pixels (``scale * (R - tile_overlap)`` output pixels)
of a seam between tiles; everywhere else they are equal. Networks with global context (the
self-attention of SwinIR/HAT windows shifted across the image, LIIF's coordinates normalised to
the image size, channel attention pooled over the whole image as in RCAN) have no finite ``R``
in this sense: their tiled output is an approximation whose error you should measure on one
image (``(tiled - untiled).abs().max()``) before trusting a tiled table. RCAN's global pooling,
for instance, sees only the tile; RFDN's attention block (strided convolutions and a 7x7 max-pool
before upsampling back) sees far beyond 32 pixels.

Examples:
    >>> import torch
    >>> up = torch.nn.Upsample(scale_factor=2, mode="nearest")
    >>> x = torch.rand(1, 3, 40, 50)
    >>> torch.equal(tiled_forward(up, x, scale=2, tile=16, tile_overlap=4), up(x))
    True
"""

from __future__ import annotations

from collections.abc import Callable

import torch

__all__ = ["check_tiling", "tiled_forward"]


def check_tiling(tile: object, tile_overlap: object) -> tuple[int | None, int]:
    """``(tile, tile_overlap)`` checked: ``tile`` ``None`` (off) or an int >= 1, overlap >= 0.

    Raises:
        ValueError: ``tile`` not a positive integer, ``tile_overlap`` negative or not an integer,
            or ``tile_overlap >= tile`` (each tile would carry more context than content: the
            arguments were probably swapped).

    Examples:
        >>> check_tiling(512, 32)
        (512, 32)
        >>> check_tiling(None, 32)
        (None, 32)
    """
    if isinstance(tile_overlap, bool) or not isinstance(tile_overlap, int) or tile_overlap < 0:
        raise ValueError(
            f"`tile_overlap` must be an integer >= 0 (low-resolution pixels), got {tile_overlap!r}."
        )
    if tile is None:
        return None, tile_overlap
    if isinstance(tile, bool) or not isinstance(tile, int) or tile < 1:
        raise ValueError(
            f"`tile` must be None (no tiling) or an integer >= 1 (low-resolution pixels), "
            f"got {tile!r}."
        )
    if tile_overlap >= tile:
        raise ValueError(
            f"`tile_overlap` ({tile_overlap}) must be smaller than `tile` ({tile}): each tile "
            "would carry more context than content (were the two swapped?)."
        )
    return tile, tile_overlap


def _spans(size: int, tile: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """``(kept start, kept end, input start, input end)`` of every tile along one axis."""
    out = []
    for start in range(0, size, tile):
        end = min(start + tile, size)
        out.append((start, end, max(0, start - overlap), min(size, end + overlap)))
    return out


def tiled_forward(
    model: Callable[[torch.Tensor], torch.Tensor],
    image: torch.Tensor,
    *,
    scale: int,
    tile: int = 512,
    tile_overlap: int = 32,
) -> torch.Tensor:
    """``model(image)`` computed tile by tile (see the module docstring for when it is exact).

    Args:
        model: a callable ``(N, C, h, w) -> (N, C', scale*h, scale*w)`` (an
            :class:`~lpf.models.SRModel`, any module), called without changing its mode.
        image: ``(N, C, H, W)`` low-resolution input on the model's device.
        scale: the model's integer scale factor.
        tile: the side of a tile in low-resolution pixels (the last row/column of tiles may be
            smaller).
        tile_overlap: low-resolution pixels of context added on each side of a tile.

    Returns:
        ``(N, C', scale*H, scale*W)``, the dtype and device of the model's output. An image that
        fits in one tile is run as it is.

    Raises:
        ValueError: bad ``tile``/``tile_overlap``/``scale`` (see :func:`check_tiling`), or a
            model whose output is not ``scale`` times the size of its input tile.

    Examples:
        >>> import torch
        >>> up = torch.nn.Upsample(scale_factor=3, mode="nearest")
        >>> tiled_forward(up, torch.rand(1, 3, 10, 7), scale=3, tile=4, tile_overlap=1).shape
        torch.Size([1, 3, 30, 21])
    """
    tile, tile_overlap = check_tiling(tile, tile_overlap)
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"`scale` must be an integer >= 1 for tiled inference, got {scale!r}.")
    if image.ndim != 4:
        raise ValueError(f"`image` must be (N, C, H, W), got shape {tuple(image.shape)}.")
    h, w = image.shape[-2:]
    if h <= tile and w <= tile:
        return model(image)
    out: torch.Tensor | None = None
    for y0, y1, ya, yb in _spans(h, tile, tile_overlap):
        for x0, x1, xa, xb in _spans(w, tile, tile_overlap):
            part = model(image[..., ya:yb, xa:xb])
            want = (scale * (yb - ya), scale * (xb - xa))
            if tuple(part.shape[-2:]) != want:
                raise ValueError(
                    f"tiled inference needs an output {scale} times the size of the input: the "
                    f"tile {tuple(image[..., ya:yb, xa:xb].shape[-2:])} gave "
                    f"{tuple(part.shape[-2:])}, expected {want}."
                )
            if out is None:
                out = part.new_empty((*part.shape[:-2], scale * h, scale * w))
            out[..., scale * y0:scale * y1, scale * x0:scale * x1] = part[
                ..., scale * (y0 - ya):scale * (y1 - ya), scale * (x0 - xa):scale * (x1 - xa)]
    return out  # type: ignore[return-value]  (h, w >= 1: at least one tile ran)
