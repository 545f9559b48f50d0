"""Shared pieces of the analysis layer: result records, argument checks, running a model."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from typing import Any

import numpy as np
import torch
from torch import nn

from lpf._checks import ShapeError, as_image_tensor, check_finite

__all__ = [
    "as_pair",
    "as_response",
    "check_divisible",
    "check_number",
    "check_position",
    "check_size",
    "eval_mode",
    "jsonable",
    "Model",
    "placement",
    "run_model",
    "ToDict",
]

Model = Callable[[torch.Tensor], torch.Tensor]


def jsonable(value: Any) -> Any:
    """Tensors and arrays to (nested) lists, scalars to Python numbers; recursive."""
    if isinstance(value, torch.Tensor | np.ndarray):
        return value.tolist() if value.ndim else value.item()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


class ToDict:
    """Mixin: ``to_dict()`` of a dataclass as plain Python values (JSON-ready up to inf/nan)."""

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict of Python numbers, lists and nested dicts."""
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = value.to_dict() if isinstance(value, ToDict) else jsonable(value)
        return out


def as_pair(value: int | Sequence[int], name: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int | np.integer) else tuple(value)
    if len(pair) != 2 or not all(
        isinstance(p, int | np.integer) and not isinstance(p, bool) for p in pair
    ):
        raise TypeError(f"`{name}` must be an int or a pair of ints (row, col), got {value!r}.")
    return int(pair[0]), int(pair[1])


def check_size(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise TypeError(f"`size` must be an integer >= 1 (LR pixels), got {size!r}.")
    if size < 1:
        raise ValueError(f"`size` must be an integer >= 1 (LR pixels), got {size}.")
    return int(size)


def check_position(position: int | Sequence[int] | None, size: int) -> tuple[int, int]:
    if position is None:
        return size // 2, size // 2
    row, col = as_pair(position, "position")
    if not (0 <= row < size and 0 <= col < size):
        raise ValueError(
            f"`position` must lie inside the {size}x{size} image, i.e. in [0, {size}), "
            f"got {(row, col)}."
        )
    return row, col


def check_number(value: float, name: str, *, nonzero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"`{name}` must be a real number, got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be finite, got {value}.")
    if nonzero and value == 0:
        raise ValueError(f"`{name}` must be non-zero (the response is divided by it), got 0.")
    return value


def placement(
    model: Model, device: torch.device | str | None, dtype: torch.dtype | None
) -> tuple[torch.device, torch.dtype]:
    """Device and dtype to run ``model`` in: explicit arguments, else the model's, else CPU/f32."""
    found_device, found_dtype = torch.device("cpu"), torch.float32
    if isinstance(model, nn.Module):
        for tensor in (*model.parameters(), *model.buffers()):
            if tensor.is_floating_point():
                found_device, found_dtype = tensor.device, tensor.dtype
                break
    if dtype is not None and not dtype.is_floating_point:
        raise TypeError(f"`dtype` must be a floating torch dtype, got {dtype}.")
    return (torch.device(device) if device is not None else found_device), (dtype or found_dtype)


@contextlib.contextmanager
def eval_mode(model: Model) -> Iterator[None]:
    """Run ``model`` in eval mode and without gradients, restoring every submodule's mode after.

    ``model.train(flag)`` would set all submodules alike; restoring each one keeps a model whose
    parts were in mixed modes exactly as it was.

    Args:
        model: an ``nn.Module`` (its modes are switched) or any callable (only ``no_grad``).

    Yields:
        Nothing; the body runs in eval mode under ``torch.no_grad()``.

    Examples:
        >>> net = nn.Sequential(nn.Conv2d(3, 3, 3), nn.Dropout())
        >>> net[1].eval()  # mixed modes
        Dropout(p=0.5, inplace=False)
        >>> with eval_mode(net):
        ...     net.training
        False
        >>> net.training, net[1].training
        (True, False)
    """
    modules = list(model.modules()) if isinstance(model, nn.Module) else []
    states = [(m, m.training) for m in modules]
    try:
        for m in modules:
            m.training = False
        with torch.no_grad():
            yield
    finally:
        for m, flag in states:
            m.training = flag


def run_model(model: Model, images: torch.Tensor, *, scale: int) -> torch.Tensor:
    """``model(images)`` in eval mode without gradients, its output shape checked.

    Args:
        model: an ``nn.Module`` or callable mapping ``(N, C, H, W)`` to ``(N, C', s*H, s*W)``.
        images: ``(N, C, H, W)`` float.
        scale: the integer scale ``s`` the model is expected to apply.

    Returns:
        The output ``(N, C', s*H, s*W)``, detached.

    Raises:
        ShapeError: the output is not a 4-D tensor of the expected batch and spatial size.
        TypeError: the model returned something other than a tensor.

    Examples:
        >>> up = lambda x: torch.nn.functional.interpolate(x, scale_factor=2, mode="nearest")
        >>> run_model(up, torch.zeros(1, 3, 4, 5), scale=2).shape
        torch.Size([1, 3, 8, 10])
    """
    with eval_mode(model):
        out = model(images)
    check_output(out, images, scale=scale)
    return out.detach()


def check_output(out: Any, images: torch.Tensor, *, scale: int) -> None:
    """Raise unless ``out`` is a tensor ``(N, C', s*H, s*W)`` for ``images`` ``(N, C, H, W)``."""
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"`model` must return a torch.Tensor, got {type(out).__name__}.")
    n, _, h, w = images.shape
    if out.ndim != 4 or out.shape[0] != n or tuple(out.shape[-2:]) != (scale * h, scale * w):
        raise ShapeError(
            f"`model` must map (N, C, H, W) = {tuple(images.shape)} to "
            f"(N, C', {scale}*H, {scale}*W) = (N, C', {scale * h}, {scale * w}) for scale={scale}, "
            f"got {tuple(out.shape)}; is the model built for another scale?",
            expected=(n, "C'", scale * h, scale * w),
            actual=tuple(out.shape),
        )


def as_response(response: torch.Tensor | np.ndarray, name: str = "response") -> torch.Tensor:
    r = as_image_tensor(response, name, ndims=(2, 3, 4))
    if r.dtype in (torch.float16, torch.bfloat16):
        r = r.float()
    check_finite(r, name)
    return r


def check_divisible(r: torch.Tensor, scale: int, name: str) -> tuple[int, int]:
    lh, lw = r.shape[-2:]
    if lh % scale or lw % scale:
        raise ShapeError(
            f"`{name}` must be (..., s*size, s*size) for scale s={scale}, got spatial size "
            f"{(lh, lw)}, not a multiple of {scale}.",
            expected=f"multiples of {scale}",
            actual=tuple(r.shape),
        )
    return lh // scale, lw // scale
