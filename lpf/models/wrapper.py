"""The kit's calling convention: :class:`SRModel` and :func:`wrap_model`.

Every model of :mod:`lpf.models` is an :class:`SRModel` (an ``nn.Module``) that takes
``(N, 3, H, W)`` float RGB in [0, 1] and returns ``(N, 3, sH, sW)`` float, **unclamped** (the
analyses need the negative lobes). The wrapper handles each network's own conventions:

- input range ([0, 255] for RFDN/RLFN, normalisations inside LIIF and the basicsr networks);
- Y-channel networks (ESPCN, FSRCNN): RGB -> BT.601 YCbCr, the network on Y, Cb and Cr upsampled
  bicubically, back to RGB (an affine map around a linear one: impulse analyses stay meaningful);
- window padding (SwinIR): **zero** padding to a multiple of the window, so that an impulse stays
  an impulse, cropped back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F
from torch import nn

from lpf._checks import RangeError, ShapeError
from lpf.models.archs._common import check_window

if TYPE_CHECKING:  # pragma: no cover
    from lpf.models.catalog import ModelSpec

__all__ = [
    "SRModel",
    "wrap_model",
    "wraps_callable",
]

# BT.601 (MATLAB rgb2ycbcr) on [0, 1] values: studio-swing Y in [16/255, 235/255]
_RGB2YCBCR = torch.tensor([[65.481, 128.553, 24.966],
                           [-37.797, -74.203, 112.0],
                           [112.0, -93.786, -18.214]]) / 255.0
_YCBCR_OFFSET = torch.tensor([16.0, 128.0, 128.0]) / 255.0


class SRModel(nn.Module):
    """A network behind the kit's calling convention.

    ``forward(x)`` takes ``(N, 3, H, W)`` float RGB in [0, 1] and returns ``(N, 3, sH, sW)``
    float RGB, unclamped, where ``s`` is :attr:`scale` (fixed when the model is loaded).

    Args:
        net: the network (or callable) in its own convention.
        scale: the upscaling factor this model produces.
        name: a name for messages and tables.
        input_range: the value range the network expects (1.0 or 255.0).
        channels: ``"RGB"`` or ``"Y"`` (Y-channel networks, see the module docstring).
        pad_multiple: zero-pad H and W to a multiple of this (SwinIR's window), cropped back.
        call_with_scale: call ``net(x, scale)`` (LIIF, CARN-M) instead of ``net(x)``.
        min_size: the smallest H and W the network can take.
        spec: the registry entry, if any.
        weights_path: the file the weights came from, if any.
    """

    def __init__(
        self,
        net: nn.Module | Callable[..., torch.Tensor],
        *,
        scale: float,
        name: str = "model",
        input_range: float = 1.0,
        channels: str = "RGB",
        pad_multiple: int = 1,
        call_with_scale: bool = False,
        min_size: int = 1,
        spec: ModelSpec | None = None,
        weights_path: Path | None = None,
    ):
        super().__init__()
        if channels not in ("RGB", "Y"):
            raise ValueError(f"`channels` must be 'RGB' or 'Y', got {channels!r}.")
        self.net = net if isinstance(net, nn.Module) else _CallableModule(net)
        self.scale = scale
        self.name = name
        self.input_range = float(input_range)
        self.channels = channels
        self.pad_multiple = int(pad_multiple)
        self.call_with_scale = call_with_scale
        self.min_size = int(min_size)
        self.spec = spec
        self.weights_path = weights_path

    def extra_repr(self) -> str:
        """Name, scale and channels in ``repr``."""
        return f"name={self.name!r}, scale={self.scale}, channels={self.channels}"

    def _check(self, x: torch.Tensor) -> None:
        if not isinstance(x, torch.Tensor) or not x.is_floating_point():
            kind = x.dtype if isinstance(x, torch.Tensor) else type(x).__name__
            raise TypeError(f"`x` of {self.name} must be a floating-point tensor, got {kind}.")
        if x.ndim != 4 or x.shape[1] != 3:
            hint = ""
            if x.ndim == 4 and x.shape[1] == 1:
                hint = " (a greyscale image: repeat it to 3 channels, x.repeat(1, 3, 1, 1))"
            elif x.ndim == 4 and x.shape[1] == 4:
                hint = " (RGBA: drop or composite the alpha channel first)"
            elif x.ndim == 3:
                hint = " (a single image: add the batch dimension, x[None])"
            raise ShapeError(
                f"`x` of {self.name} must have shape (N, 3, H, W) RGB, got {tuple(x.shape)}{hint}.",
                expected="(N, 3, H, W)",
                actual=tuple(x.shape),
            )
        if x.numel() == 0:
            raise ShapeError(f"`x` of {self.name} is empty: shape {tuple(x.shape)}.",
                             expected="N, H, W >= 1", actual=tuple(x.shape))
        if not bool(torch.isfinite(x).all()):
            raise RangeError(f"`x` of {self.name} must be finite, got NaN or inf values.")

    def _run(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        m = self.pad_multiple
        # zero padding (an impulse stays an impulse) to the window multiple and the minimum size
        pad_h = max((-h) % m, self.min_size - h)
        pad_w = max((-w) % m, self.min_size - w)
        pad_h += (-(h + pad_h)) % m
        pad_w += (-(w + pad_w)) % m
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h))
        if self.input_range != 1.0:
            x = x * self.input_range
        y = self.net(x, self.scale) if self.call_with_scale else self.net(x)
        if self.input_range != 1.0:
            y = y / self.input_range
        if pad_h or pad_w:
            y = y[..., : round(h * self.scale), : round(w * self.scale)]
        return y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve ``x``: ``(N, 3, H, W)`` in [0, 1] -> ``(N, 3, sH, sW)``, unclamped."""
        self._check(x)
        if self.channels == "RGB":
            return self._run(x)
        m = _RGB2YCBCR.to(x)
        ycc = torch.einsum("ij,njhw->nihw", m, x) + _YCBCR_OFFSET.to(x)[None, :, None, None]
        y = self._run(ycc[:, :1])
        size = y.shape[-2:]
        cbcr = F.interpolate(ycc[:, 1:], size=size, mode="bicubic", align_corners=False)
        ycc_up = torch.cat([y, cbcr], dim=1) - _YCBCR_OFFSET.to(x)[None, :, None, None]
        return torch.einsum("ij,njhw->nihw", torch.linalg.inv(m), ycc_up)

    def forward_window(self, x: torch.Tensor, window: tuple[int, int, int, int]) -> torch.Tensor:
        """One window of the output, computed alone where the network can.

        Equal to ``self(x)[..., top:top + height, left:left + width]`` for ``window = (top, left,
        height, width)`` inside the output. Networks with an ``upsample_window(x, out_hw,
        window)`` method (LIIF: it decodes only the window's output pixels) render just the
        window; any other network runs whole and is cropped (the tests compare the two).
        """
        self._check(x)
        h, w = x.shape[-2:]
        out_h, out_w = round(h * self.scale), round(w * self.scale)
        top, left, wh, ww = window = check_window(window, out_h, out_w)
        render = getattr(self.net, "upsample_window", None)
        direct = (callable(render) and not isinstance(render, nn.Module)
                  and self.call_with_scale and self.channels == "RGB" and self.input_range == 1.0
                  and self.pad_multiple == 1 and min(h, w) >= self.min_size)
        if not direct:
            return self.forward(x)[..., top:top + wh, left:left + ww]
        return render(x, (out_h, out_w), window)


def wraps_callable(model: nn.Module) -> bool:
    """Whether ``model`` runs a plain Python callable (a function or lambda: no stable identity).

    Examples:
        >>> wraps_callable(wrap_model(lambda x: x.repeat_interleave(2, -1).repeat_interleave(
        ...     2, -2), scale=2)), wraps_callable(wrap_model(nn.Upsample(scale_factor=2), scale=2))
        (True, False)
    """
    return any(isinstance(m, _CallableModule) for m in model.modules())


class _CallableModule(nn.Module):
    def __init__(self, fn: Callable[..., torch.Tensor]):
        super().__init__()
        self.fn = fn

    def forward(self, *args: Any) -> torch.Tensor:
        return self.fn(*args)


def wrap_model(
    model: nn.Module | Callable[[torch.Tensor], torch.Tensor],
    *,
    scale: float,
    name: str | None = None,
    input_range: float = 1.0,
    channels: str = "RGB",
    pad_multiple: int = 1,
    device: str | torch.device = "cpu",
) -> SRModel:
    """Put a user's network (any ``nn.Module`` or callable) behind the kit's calling convention.

    Args:
        model: maps ``(N, 3, H, W)`` (in ``input_range``) to ``(N, 3, sH, sW)``.
        scale: its upscaling factor.
        name: a name for tables (default: the class name).
        input_range: 1.0 if it takes [0, 1], 255.0 if it takes [0, 255].
        channels: ``"RGB"``, or ``"Y"`` for a one-channel network on BT.601 luma.
        pad_multiple: zero-pad inputs to a multiple of this (window-based transformers).
        device: where to put it.

    Returns:
        An :class:`SRModel` in eval mode.

    Examples:
        >>> import torch
        >>> m = wrap_model(torch.nn.Upsample(scale_factor=2, mode="nearest"), scale=2)
        >>> m(torch.rand(1, 3, 4, 5)).shape
        torch.Size([1, 3, 8, 10])
    """
    name = name or type(model).__name__
    wrapped = SRModel(model, scale=scale, name=name, input_range=input_range, channels=channels,
                      pad_multiple=pad_multiple)
    return wrapped.to(device).eval()
