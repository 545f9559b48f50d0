"""Shared helpers of :mod:`lpf.models.archs`: reading checkpoints, strict loading, input checks.

Every architecture module loads its weights through :func:`load_weights`, which

1. reads the file with ``torch.load(path, map_location="cpu", weights_only=True)`` (no pickled
   code is ever executed),
2. unwraps the container layouts met in the wild (:func:`unwrap_state_dict`): BasicSR's
   ``{'params': sd}`` / ``{'params_ema': sd}``, LIIF's ``{'model': {'sd': sd}}``, PyTorch
   Lightning's ``{'state_dict': sd}``, and the ``module.`` prefix that ``nn.DataParallel`` adds,
3. loads strictly, and raises :class:`CheckpointError` listing the missing, unexpected and
   mis-shaped keys when the file holds another architecture.
"""

from __future__ import annotations

import numbers
import os
import pickle
import zipfile
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import nn

from lpf._checks import LpfError, ShapeError

__all__ = [
    "CheckpointError",
    "check_input",
    "check_window",
    "infer_shuffle_scale",
    "load_weights",
    "read_state_dict",
    "unwrap_state_dict",
]

PathLike = str | os.PathLike

_MAX_LISTED = 8  # keys listed per category in error messages


class CheckpointError(LpfError, ValueError):
    """A checkpoint does not fit the architecture it is loaded into.

    Attributes:
        missing: keys the architecture needs that the checkpoint lacks.
        unexpected: keys of the checkpoint that the architecture does not have.
        mismatched: ``(key, checkpoint shape, architecture shape)`` for keys of different shape.
    """

    def __init__(
        self,
        message: str,
        *,
        missing: list[str] | None = None,
        unexpected: list[str] | None = None,
        mismatched: list[tuple[str, tuple[int, ...], tuple[int, ...]]] | None = None,
    ):
        super().__init__(message)
        self.missing = missing or []
        self.unexpected = unexpected or []
        self.mismatched = mismatched or []


def is_state_dict(obj: object) -> bool:
    """Whether ``obj`` is a non-empty ``{str: Tensor}`` mapping."""
    return (
        isinstance(obj, Mapping)
        and len(obj) > 0
        and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items())
    )


def unwrap_state_dict(obj: object, *, source: str = "checkpoint") -> dict[str, torch.Tensor]:
    """Return the plain ``{name: tensor}`` state dict inside a loaded checkpoint object.

    Recognised layouts, tried in this order: a plain state dict; ``{'params_ema': sd}`` and
    ``{'params': sd}`` (BasicSR; EMA weights preferred, as BasicSR's test script does);
    ``{'model': {'sd': sd}}`` (LIIF); ``{'model': sd}``; ``{'state_dict': sd}``. A ``module.``
    prefix on every key (``nn.DataParallel``) is stripped.

    Args:
        obj: what ``torch.load`` returned.
        source: a name for the checkpoint in error messages (usually its path).

    Returns:
        The state dict, a new ``dict`` (the input is not modified).

    Raises:
        CheckpointError: no state dict was found in ``obj``.

    Examples:
        >>> sd = {"module.conv.weight": torch.zeros(1)}
        >>> list(unwrap_state_dict({"params": sd}))
        ['conv.weight']
    """
    sd: object = obj
    if not is_state_dict(sd) and isinstance(sd, Mapping):
        for key in ("params_ema", "params"):
            if is_state_dict(sd.get(key)):
                sd = sd[key]
                break
        else:
            model = sd.get("model")
            if isinstance(model, Mapping) and is_state_dict(model.get("sd")):
                sd = model["sd"]
            elif is_state_dict(model):
                sd = model
            elif is_state_dict(sd.get("state_dict")):
                sd = sd["state_dict"]
    if not is_state_dict(sd):
        found = sorted(obj) if isinstance(obj, Mapping) else type(obj).__name__
        raise CheckpointError(
            f"No state dict found in {source}: expected a mapping of tensors, possibly inside "
            f"'params', 'params_ema', 'model'/'sd' or 'state_dict'; got top-level {found!r}."
        )
    out = dict(sd)
    if all(k.startswith("module.") for k in out):
        out = {k[len("module.") :]: v for k, v in out.items()}
    return out


def read_state_dict(path: PathLike) -> dict[str, torch.Tensor]:
    """Read a checkpoint safely on the CPU and unwrap its state dict (the kit's one reader).

    ``.safetensors`` files are read with safetensors; anything else with
    ``torch.load(path, map_location="cpu", weights_only=True)``, so a pickle that needs code
    execution is refused rather than run.

    Args:
        path: the checkpoint file.

    Returns:
        The plain state dict (see :func:`unwrap_state_dict`).

    Raises:
        FileNotFoundError: ``path`` does not exist.
        CheckpointError: the file is a pickle that needs code execution (refused), is corrupted
            or truncated, or holds no state dict.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint file not found: {str(path)!r}.")
    if path.suffix == ".safetensors":
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            sd = load_file(str(path))
        except SafetensorError as err:
            raise CheckpointError(
                f"cannot read {str(path)!r}: not a valid safetensors file ({err})."
            ) from None
        return check_finite_weights(unwrap_state_dict(sd, source=repr(str(path))), str(path))
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        text = str(err)
        if "GLOBAL" in text or "global" in text.split("WeightsUnpickler error:")[-1]:
            raise CheckpointError(
                f"refused to load {str(path)!r}: it is a pickle that needs code execution "
                f"(weights_only=True rejected it: {_unpickler_reason(text)}). Re-save its "
                "state dict with torch.save(model.state_dict(), path) in the environment "
                "that made it."
            ) from None
        raise CheckpointError(
            f"cannot read {str(path)!r}: it is not a valid PyTorch checkpoint (neither a "
            f"torch.save zip nor a tensor pickle: {_unpickler_reason(text)})."
        ) from None
    except (RuntimeError, EOFError, ValueError, zipfile.BadZipFile, OSError) as err:
        what = "the file is corrupted or truncated"
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                if not any(n.endswith("data.pkl") for n in archive.namelist()):
                    what = "it is not a valid PyTorch checkpoint (a zip archive without data.pkl)"
        raise CheckpointError(
            f"cannot read {str(path)!r}: {what} ({' '.join(str(err).split()).split('. ')[0]})."
        ) from None
    return check_finite_weights(unwrap_state_dict(obj, source=repr(str(path))), str(path))


def _unpickler_reason(text: str) -> str:
    """The one informative line of torch's weights-only unpickling error."""
    tail = text.split("WeightsUnpickler error:")[-1].strip()
    return tail.splitlines()[0].strip() if tail else text.splitlines()[0]


def check_finite_weights(sd: dict[str, torch.Tensor], source: str) -> dict[str, torch.Tensor]:
    """``sd``, checked: floating tensors must be finite (NaN/inf weights are a broken file).

    Raises:
        CheckpointError: naming the tensors with NaN or inf values.
    """
    bad = [k for k, v in sd.items() if v.is_floating_point() and not bool(torch.isfinite(v).all())]
    if bad:
        raise CheckpointError(
            f"{source} holds NaN or inf weights in {len(bad)} tensor(s): {', '.join(bad[:5])}"
            + (", ..." if len(bad) > 5 else "") + "; the checkpoint is broken."
        )
    return sd


def _listing(name: str, items: list[str]) -> str:
    head = ", ".join(items[:_MAX_LISTED])
    more = f", ... ({len(items) - _MAX_LISTED} more)" if len(items) > _MAX_LISTED else ""
    return f"{name} ({len(items)}): {head}{more}"


def load_weights(
    model: nn.Module, state_dict: Mapping[str, torch.Tensor], *, source: str = "checkpoint"
) -> nn.Module:
    """Load ``state_dict`` into ``model`` strictly, with an error that says what does not fit.

    Args:
        model: the architecture instance.
        state_dict: a plain state dict (already unwrapped).
        source: a name for the checkpoint in error messages.

    Returns:
        ``model`` itself, in eval mode.

    Raises:
        CheckpointError: keys are missing or unexpected, or shapes differ; the message lists them
            and suggests that the file is of another architecture (or configuration).
    """
    own = model.state_dict()
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    mismatched = [
        (k, tuple(state_dict[k].shape), tuple(own[k].shape))
        for k in own
        if k in state_dict and tuple(state_dict[k].shape) != tuple(own[k].shape)
    ]
    wrong_type = [f"{k} ({state_dict[k].dtype})" for k in own if k in state_dict
                  and own[k].is_floating_point() and not state_dict[k].is_floating_point()]
    if wrong_type:
        raise CheckpointError(
            f"{source} holds non-floating tensors where {type(model).__name__} has weights: "
            + ", ".join(wrong_type[:5]) + ("..." if len(wrong_type) > 5 else "")
            + "; the checkpoint is not a set of trained weights."
        )
    if missing or unexpected or mismatched:
        parts = []
        if missing:
            parts.append(_listing("missing keys", missing))
        if unexpected:
            parts.append(_listing("unexpected keys", unexpected))
        if mismatched:
            parts.append(
                _listing(
                    "shape mismatches",
                    [f"{k} {a} in checkpoint vs {b} in model" for k, a, b in mismatched],
                )
            )
        raise CheckpointError(
            f"{source} does not fit {type(model).__name__}({_extra_repr(model)}); is it a "
            f"checkpoint of another architecture or configuration? " + "; ".join(parts) + ".",
            missing=missing,
            unexpected=unexpected,
            mismatched=mismatched,
        )
    model.load_state_dict(dict(state_dict), strict=True)
    return model.eval()


def _extra_repr(model: nn.Module) -> str:
    scale = getattr(model, "scale", None)
    return f"scale={scale}" if scale is not None else ""


def check_window(window: object, out_h: int, out_w: int) -> tuple[int, int, int, int]:
    """``(top, left, height, width)`` of an output window: four integers, inside ``out_h x out_w``.

    Raises:
        ValueError: anything else, naming the argument and the output size.
    """
    ok = (isinstance(window, tuple | list) and len(window) == 4
          and all(not isinstance(v, bool) and isinstance(v, numbers.Integral) for v in window))
    if ok:
        top, left, h, w = (int(v) for v in window)
        ok = (top >= 0 and left >= 0 and h >= 1 and w >= 1
              and top + h <= out_h and left + w <= out_w)
    if not ok:
        raise ValueError(f"`window` must be (top, left, height, width) inside the {out_h}x{out_w} "
                         f"output, got {window!r}.")
    return top, left, h, w


def check_input(
    x: object, name: str, *, channels: int, min_size: int = 1, arch: str = "network"
) -> torch.Tensor:
    """Validate a network input: a floating ``(N, C, H, W)`` tensor with ``C == channels``.

    Args:
        x: the input.
        name: the argument name, for error messages.
        channels: the number of channels the network expects.
        min_size: the smallest ``H`` and ``W`` the architecture can process.
        arch: the architecture's name, for error messages.

    Returns:
        ``x`` unchanged.

    Raises:
        TypeError: ``x`` is not a floating-point tensor.
        ShapeError: ``x`` is not 4-D, has the wrong number of channels, or is too small.
    """
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        kind = x.dtype if isinstance(x, torch.Tensor) else type(x).__name__
        raise TypeError(f"`{name}` of {arch} must be a floating-point torch.Tensor, got {kind}.")
    if x.ndim != 4 or x.shape[1] != channels:
        raise ShapeError(
            f"`{name}` of {arch} must have shape (N, {channels}, H, W), got {tuple(x.shape)}.",
            expected=f"(N, {channels}, H, W)",
            actual=tuple(x.shape),
        )
    if x.shape[-2] < min_size or x.shape[-1] < min_size:
        raise ShapeError(
            f"`{name}` of {arch} must be at least {min_size}x{min_size} pixels, got "
            f"H={x.shape[-2]}, W={x.shape[-1]}.",
            expected=f"H >= {min_size} and W >= {min_size}",
            actual=tuple(x.shape),
        )
    return x


def infer_shuffle_scale(
    state_dict: Mapping[str, torch.Tensor], key: str, out_channels: int, allowed: tuple[int, ...]
) -> int | None:
    """The scale ``s`` of a pixel-shuffle conv ``key`` with ``out_channels * s**2`` filters.

    Args:
        state_dict: a plain state dict.
        key: the weight of the conv before ``PixelShuffle(s)``.
        out_channels: the channels after the shuffle.
        allowed: the scales the architecture supports.

    Returns:
        ``s`` if ``key`` exists and its filter count is ``out_channels * s**2`` with ``s`` in
        ``allowed``; otherwise ``None`` (the caller then lets strict loading report the mismatch).

    Examples:
        >>> infer_shuffle_scale({"up.weight": torch.zeros(27, 8, 3, 3)}, "up.weight", 3, (2, 3, 4))
        3
    """
    weight = state_dict.get(key)
    if weight is None or weight.ndim == 0:
        return None
    for s in allowed:
        if weight.shape[0] == out_channels * s * s:
            return s
    return None
