"""TODO docstring."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from lpf._checks import ShapeError
from lpf.analysis._base import eval_mode, placement

__all__ = [
    "feature_maps",
]


def feature_maps(
    model: nn.Module,
    image: torch.Tensor,
    layers: Sequence[str],
    *,
    baseline: torch.Tensor | None = None,
) -> dict[str, torch.Tensor]:
    """Intermediate activations of a model for one input, by forward hooks (paper Fig. 16).

    A forward hook on each named submodule records a copy of its output (taken when the module
    returns, so later in-place operations such as a residual ``+=`` do not change it) while
    ``model(image)`` runs in eval mode without gradients; the hooks are removed afterwards, even
    on error. With ``baseline``
    (e.g. the plain background, ``impulse_image(amplitude=0.0)``) each map is the difference
    ``act(image) - act(baseline)``: the impulse's own contribution, as :func:`impulse_response`
    subtracts the background response.

    Args:
        model: an ``nn.Module``.
        image: ``(C, H, W)`` or ``(1, C, H, W)`` float input.
        layers: submodule names as in ``model.named_modules()`` (e.g. ``"net.upsample"``).
        baseline: an input of the same shape whose activations are subtracted.

    Returns:
        ``{layer: (C_l, H_l, W_l) float tensor}`` in the order of ``layers``, detached, on the CPU.

    Raises:
        KeyError: an unknown layer name (the message lists the top-level names).
        ValueError: no layers, or a layer that never ran.
        TypeError: ``model`` is not an ``nn.Module``.

    Examples:
        >>> from lpf.analysis.impulse import impulse_image
        >>> net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 3, 1))
        >>> maps = feature_maps(net, impulse_image(5), ["0", "2"])
        >>> {k: tuple(v.shape) for k, v in maps.items()}
        {'0': (4, 5, 5), '2': (3, 5, 5)}
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"`model` must be an nn.Module, got {type(model).__name__}.")
    layers = list(layers)
    if not layers:
        raise ValueError("`layers` must name at least one submodule.")
    modules = dict(model.named_modules())
    for name in layers:
        if name not in modules:
            top = [n for n in modules if n and "." not in n]
            raise KeyError(f"no submodule {name!r} in the model; top-level submodules: {top}")
    x = image if image.ndim == 4 else image[None]
    if baseline is not None:
        b = baseline if baseline.ndim == 4 else baseline[None]
        if b.shape != x.shape:
            raise ShapeError(f"`baseline` must have the shape of `image`, {tuple(x.shape)}, "
                             f"got {tuple(b.shape)}.", expected=tuple(x.shape),
                             actual=tuple(b.shape))
        x = torch.cat([x, b])
    dev, dt = placement(model, None, None)
    x = x.to(device=dev, dtype=dt)
    found: dict[str, torch.Tensor] = {}
    handles = [
        modules[name].register_forward_hook(
            lambda _m, _i, out, name=name: found.__setitem__(
                name, out.detach().float().cpu().clone()))
        for name in layers
    ]
    try:
        with eval_mode(model):
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    missing = [name for name in layers if name not in found]
    if missing:
        raise ValueError(f"layers {missing} did not run in the forward pass.")
    return {name: found[name][0] - found[name][1] if baseline is not None else found[name][0]
            for name in layers}
