"""Any checkpoint, any architecture: detect what a weight file holds and load it by path.

A user often has a checkpoint, not the code that built it. :func:`detect` reads the file safely
(``torch.load(weights_only=True)`` or safetensors, as :mod:`lpf.models` does) and recognises its
architecture and hyper-parameters from the tensor names and shapes:

1. the kit's own layouts that no library knows: LTE and LIIF (``encoder.*`` + ``imnet.*``) and
   RDN in the official LIIF/EDSR-PyTorch layout (:mod:`lpf.models.archs`);
2. everything else with `spandrel <https://github.com/chaiNNer-org/spandrel>`_ (40+
   architectures: ESRGAN/RRDB, SwinIR, Swin2SR, HAT, GRL, DAT, RCAN in its official layout,
   SPAN, SAFMN, OmniSR, DRCT, ATD, ...).

:meth:`Detected.to_model` (and ``lpf.models.load_model(path)`` with no ``arch``) puts the **raw**
network behind the kit's calling convention (:class:`lpf.models.SRModel`: ``(N, 3, H, W)`` in
[0, 1] -> ``(N, 3, sH, sW)``, unclamped). spandrel's own convenience call is *not* used: it clamps
the output to [0, 1] and pads by reflection, and both would corrupt an impulse response. Instead:

- the input is **zero**-padded (bottom/right) to the size the network needs, and the output is
  cropped back. The size comes from the descriptor's ``size_requirements`` *and* from the
  padding some raw modules do inside by reflection (SwinIR, HAT, GRL, ATD, DCTLSA, Swin2SR pad
  to their window; RCAN-unshuffle and ESRGAN-unshuffle to their unshuffle factor): padding to
  that multiple first makes their internal reflection a no-op;
- the network gets a copy of the input (spandrel's RCAN scales its input *in place*);
- per-architecture input adaptations of spandrel (``call_fn``: a noise-level channel for
  DRUNet, [-1, 1] for RestoreFormer, ...) are kept; they never clamp.

Every spandrel model takes RGB in [0, 1] (normalisations such as RCAN's ``rgb_range=255`` or
SwinIR's mean shift live inside the raw modules), so no input range is set on the wrapper.

:func:`inspect` returns what the CLI prints for ``lpf zoo inspect FILE``.

Examples:
    >>> import torch
    >>> from lpf.models.archs.lte import LTE
    >>> net = LTE(encoder_kwargs={"n_resblocks": 1, "n_feats": 8}, hidden_dim=8, hidden=(8,))
    >>> found = detect(net.state_dict())
    >>> found.arch, found.scale, found.params == sum(p.numel() for p in net.parameters())
    ('LTE', None, True)
    >>> found.to_model(scale=2)(torch.rand(1, 3, 5, 6)).shape
    torch.Size([1, 3, 10, 12])
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from lpf._checks import LpfError
from lpf._io import sha256_file
from lpf.models.archs import (
    LIIF,
    LTE,
    RDN,
    CheckpointError,
    lte_config_from_state_dict,
    rdn_config_from_state_dict,
    unwrap_state_dict,
)
from lpf.models.archs._common import load_weights
from lpf.models.builders import ARCHS
from lpf.models.catalog import MODELS
from lpf.models.checkpoint import (
    SpandrelNet,
    import_spandrel,
    quiet_construction,
    read_checkpoint,
    spandrel_load,
    spandrel_version,
)
from lpf.models.wrapper import SRModel

__all__ = [
    "AmbiguousScaleError",
    "Detected",
    "SpandrelNet",
    "UnknownArchitectureError",
    "closest_architectures",
    "detect",
    "inspect",
    "load_detected",
    "quiet_construction",
    "spandrel_version",
]


class UnknownArchitectureError(LpfError, ValueError):
    """No known architecture fits a checkpoint (the message names the closest ones).

    Attributes:
        closest: ``(architecture, score)`` pairs, best first; ``score`` in [0, 1] is the share
            of the architecture's characteristic key names found in the checkpoint.
    """

    def __init__(self, message: str, *, closest: list[tuple[str, float]] | None = None):
        super().__init__(message)
        self.closest = closest or []


class AmbiguousScaleError(LpfError, ValueError):
    """A checkpoint fits an architecture at several scales (PAN x2/x3); pass ``scale``.

    Attributes:
        arch: the architecture.
        scales: the scales that fit.
    """

    def __init__(self, message: str, *, arch: str, scales: tuple[int, ...]):
        super().__init__(message)
        self.arch = arch
        self.scales = scales


# spandrel architecture id -> the kit's registry architecture of the same network (same layout)
_KIT_EQUIVALENT = {"SAFMN": "safmn", "ESRGAN": "rrdbnet", "SwinIR": "swinir", "HAT": "hat",
                   "GRL": "grl", "RCAN": "rcan-official"}


def _attr(name: str, default: int = 1) -> Callable[[nn.Module], int]:
    return lambda m: int(getattr(m, name, None) or default)


# spandrel 0.4.2 raw modules that pad their input *by reflection* inside forward(): the multiple
# they pad to (read from the module). Zero-padding to it first turns their padding into a no-op.
_INTERNAL_PAD: dict[str, Callable[[nn.Module], int]] = {
    "SwinIR": _attr("window_size"),
    "Swin2SR": _attr("window_size"),
    "HAT": _attr("window_size"),
    "ATD": _attr("window_size"),
    "DCTLSA": _attr("window_size"),
    "OmniSR": _attr("window_size"),  # (OmniSR zero-pads; the same thing, done by the wrapper)
    "GRL": _attr("pad_size"),
    "RCAN": _attr("downscale_factor"),  # the pixel-unshuffle variants
    "ESRGAN": _attr("shuffle_factor"),  # the pixel-unshuffle variants (1x, 2x)
    "FDAT": _attr("pad"),
    "MoESR": lambda m: 2,
    "SCUNet": lambda m: 64,
}
# raw modules whose internal reflection cannot be turned off from outside
_UNAVOIDABLE = {
    "CRAFT": "CRAFT pads by reflection inside forward() even at window multiples (one extra "
             "window): responses near the bottom/right border see mirrored content.",
}


@dataclass(frozen=True)
class Detected:
    """What :func:`detect` found in a checkpoint.

    Attributes:
        arch: the architecture's name (spandrel's id, e.g. ``"HAT"``, or the kit's ``"LTE"``,
            ``"LIIF"``, ``"RDN"``).
        scale: the upscaling factor, or ``None`` for arbitrary-scale networks (LIIF, LTE).
        params: the number of parameters.
        model: the raw ``nn.Module`` with the weights loaded, in eval mode.
        input_channels: image channels in (3 for RGB, 1 for greyscale).
        output_channels: image channels out.
        source: who recognised it: ``"spandrel <version>"`` or ``"lpf"``.
        purpose: ``"SR"``, ``"Restoration"`` (scale 1), ``"FaceSR"`` or ``"Inpainting"``.
        tags: the architecture's size tags (e.g. ``("64nf", "23nb")``).
        pad_multiple: inputs are zero-padded to a multiple of this (then cropped back).
        min_size: inputs are zero-padded to at least this height and width.
        square: the network needs square inputs (padded to a square).
        kit_arch: the kit's registry architecture of the same network (:data:`lpf.models.ARCHS`),
            if any.
        notes: caveats for analyses (internal reflection padding, greyscale, ...).
        call: the input adaptation of the raw module (see :class:`SpandrelNet`), or ``None``.
        input_range: the value range the raw network takes (1.0, or 255.0 for RFDN/RLFN).
        scales: for a network that takes its scale at call time (``scale is None``), the
            scales it supports (``None`` = any real scale).
    """

    arch: str
    scale: int | None
    params: int
    model: nn.Module = field(repr=False)
    input_channels: int = 3
    output_channels: int = 3
    source: str = "lpf"
    purpose: str = "SR"
    tags: tuple[str, ...] = ()
    pad_multiple: int = 1
    min_size: int = 1
    square: bool = False
    kit_arch: str | None = None
    notes: tuple[str, ...] = ()
    call: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = field(default=None,
                                                                            repr=False)
    input_range: float = 1.0
    scales: tuple[int, ...] | None = None

    def to_model(self, *, scale: float | None = None, name: str | None = None,
                 device: str | torch.device = "cpu", weights_path: Path | None = None):
        """The raw network behind the kit's calling convention (:class:`lpf.models.SRModel`).

        Args:
            scale: the upscaling factor: ``None`` = the detected one; a fixed-scale network
                given another scale raises; arbitrary-scale networks need it.
            name: a name for tables (default: the architecture).
            device: where to put the model.
            weights_path: the file the weights came from (recorded on the model).

        Returns:
            An :class:`lpf.models.SRModel` in eval mode.

        Raises:
            ValueError: a scale that disagrees with the checkpoint, or a network the calling
                convention cannot express (inpainting, channels other than 3 or 1).
            TypeError: no scale for an arbitrary-scale network.
        """
        if self.purpose == "Inpainting":
            raise ValueError(f"{self.arch} is an inpainting network (image + mask): the kit's "
                             "calling convention (image -> image) cannot run it.")
        if (self.input_channels, self.output_channels) not in ((3, 3), (1, 1)):
            raise ValueError(
                f"{self.arch} maps {self.input_channels} to {self.output_channels} channels; "
                "the kit runs RGB (3 -> 3) and greyscale (1 -> 1, on BT.601 luma) networks.")
        if self.scale is None:
            if scale is None:
                raise TypeError(f"`scale` is required for the arbitrary-scale {self.arch} "
                                "(e.g. scale=4).")
            if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
                raise ValueError(f"`scale` must be a positive number, got {scale!r}.")
            if self.scales is not None and float(scale) not in map(float, self.scales):
                raise ValueError(f"{self.arch} supports x{', x'.join(map(str, self.scales))}; "
                                 f"got scale={scale!r}.")
            run_scale: float = scale
        else:
            if scale is not None and (isinstance(scale, bool) or float(scale) != self.scale):
                raise ValueError(
                    f"the checkpoint holds a x{self.scale} {self.arch}; got scale={scale!r}. "
                    "Leave `scale` out to use the detected one.")
            run_scale = self.scale
        channels = "RGB" if self.input_channels == 3 else "Y"
        if self.call is None and self.source == "lpf":
            net: nn.Module = self.model
        else:
            net = SpandrelNet(self.model, self.call)
        model = SRModel(net, scale=run_scale, name=name or self.arch, channels=channels,
                        input_range=self.input_range,
                        pad_multiple=self.pad_multiple, min_size=self.min_size,
                        call_with_scale=self.scale is None, weights_path=weights_path)
        if self.square:
            model = _SquarePad(model)
        return model.to(device).eval()


class _SquarePad(nn.Module):
    """Zero-pads to a square before an :class:`~lpf.models.SRModel` (Uformer-like networks)."""

    def __init__(self, inner: nn.Module):
        super().__init__()
        self.inner = inner
        self.scale, self.name = inner.scale, inner.name

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        side = max(h, w)
        y = self.inner(torch.nn.functional.pad(x, (0, side - w, 0, side - h)))
        return y[..., : round(h * self.scale), : round(w * self.scale)]


# --------------------------------------------------------------------------------------------
# The kit's own layouts
# --------------------------------------------------------------------------------------------


def _count(sd: Mapping[str, torch.Tensor], prefix: str) -> int:
    found = {int(k[len(prefix):].split(".", 1)[0]) for k in sd
             if k.startswith(prefix) and k[len(prefix):].split(".", 1)[0].isdigit()}
    return max(found) + 1 if found else 0


def _params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _load_strict(model: nn.Module, sd: Mapping[str, torch.Tensor], source: str) -> nn.Module:
    return load_weights(model, sd, source=source)


@functools.lru_cache(maxsize=2)
def _kit_signatures(source: str) -> tuple[tuple[str, int, tuple[tuple[str, Any], ...], dict],
                                          ...]:
    """Key shapes of the registry configurations of the kit's fixed-scale architectures.

    Returns ``(arch, scale, arch_kwargs, {key: shape})`` for the architectures from ``source``
    (``"lpf"`` or ``"basicsr"``), built on the ``meta`` device (no memory, little time).
    """
    out, seen = [], set()
    for spec in MODELS.values():
        arch = ARCHS.get(spec.arch)
        if arch is None or arch.source != source or arch.load is not None \
                or spec.scales is None:
            continue
        kwargs = tuple(sorted(spec.arch_kwargs.items(), key=lambda kv: kv[0]))
        for scale in spec.scales:
            if (spec.arch, scale, repr(kwargs)) in seen:
                continue
            seen.add((spec.arch, scale, repr(kwargs)))
            try:
                with quiet_construction(), torch.device("meta"):
                    net = arch.build(scale, **spec.arch_kwargs)
            except Exception:  # noqa: BLE001 - a builder that cannot run on "meta" is skipped
                continue
            shapes = {k: tuple(v.shape) for k, v in net.state_dict().items()}
            out.append((spec.arch, int(scale), kwargs, shapes))
    return tuple(out)


def _detect_registry_config(sd: Mapping[str, torch.Tensor], source: str, *, origin: str,
                            scale: float | None) -> Detected | None:
    """The kit architecture whose registry configuration has exactly these keys and shapes."""
    shapes = {k: tuple(v.shape) for k, v in sd.items()}
    matches = [m for m in _kit_signatures(origin) if m[3] == shapes]
    if not matches:
        return None
    scales = sorted({m[1] for m in matches})
    multi = ARCHS[matches[0][0]].call_with_scale  # one network for several scales (CARN-M)
    if len(scales) > 1 and not multi:
        if scale is None:
            raise AmbiguousScaleError(
                f"{source} is a {matches[0][0]} checkpoint whose scale cannot be read from it "
                f"(x{' and x'.join(map(str, scales))} have the same shapes): pass "
                f"scale={' or scale='.join(map(str, scales))}.", arch=matches[0][0],
                scales=tuple(scales))
        matches = [m for m in matches if float(m[1]) == float(scale)]
        if not matches:
            raise CheckpointError(f"{source} is a x{' or x'.join(map(str, scales))} "
                                  f"checkpoint; got scale={scale!r}.")
    arch_name, found_scale, kwargs, _ = matches[0]
    arch = ARCHS[arch_name]
    with quiet_construction():
        net = _load_strict(arch.build(found_scale, **dict(kwargs)), sd, source)
    return Detected(
        type(net).__name__, None if multi else found_scale, _params(net), net, source="lpf",
        kit_arch=arch_name, input_range=arch.input_range, pad_multiple=arch.pad_multiple,
        min_size=arch.min_size, scales=arch.scales if multi else None,
        input_channels=1 if arch.channels == "Y" else 3,
        output_channels=1 if arch.channels == "Y" else 3,
        tags=tuple(f"{k}={v}" for k, v in kwargs))


def _detect_kit(sd: Mapping[str, torch.Tensor], source: str) -> Detected | None:
    has_decoder = "imnet.layers.0.weight" in sd
    if has_decoder and all(k in sd for k in ("coef.weight", "freq.weight", "phase.weight")):
        cfg = lte_config_from_state_dict(sd)
        net = _load_strict(LTE(**cfg), sd, source)
        pad = int(getattr(net.encoder, "window_size", 1)) if cfg["encoder"] == "swinir" else 1
        return Detected("LTE", None, _params(net), net, source="lpf", kit_arch="lte",
                        tags=(f"encoder={cfg['encoder']}",), pad_multiple=pad)
    if has_decoder and "encoder.head.0.weight" in sd:
        n_linear = _count(sd, "imnet.layers.")
        hidden = tuple(int(sd[f"imnet.layers.{i}.weight"].shape[0])
                       for i in range(0, n_linear - 1, 2))
        net = LIIF(n_resblocks=_count(sd, "encoder.body.") - 1,
                   n_feats=int(sd["encoder.head.0.weight"].shape[0]), hidden=hidden)
        net = _load_strict(net, sd, source)
        return Detected("LIIF", None, _params(net), net, source="lpf", kit_arch="liif",
                        tags=("encoder=edsr-baseline",))
    if has_decoder and "encoder.SFENet1.weight" in sd:
        raise UnknownArchitectureError(
            f"{source} is an RDN-LIIF checkpoint (an RDN encoder and a LIIF decoder); the kit's "
            "LIIF has only the EDSR-baseline encoder so far. Its RDN encoder alone loads with "
            "lpf.models.archs.rdn.load_rdn(path, prefix='encoder.').", closest=[("LIIF", 1.0)])
    if "SFENet1.weight" in sd and "RDBs.0.convs.0.conv.0.weight" in sd:
        cfg = rdn_config_from_state_dict(sd)
        net = _load_strict(RDN(**cfg), sd, source)
        if cfg["no_upsampling"]:
            raise UnknownArchitectureError(
                f"{source} holds an RDN without upsampler (the encoder of RDN-LIIF/RDN-LTE), "
                "not an SR network.", closest=[("RDN", 1.0)])
        return Detected("RDN", int(cfg["scale"]), _params(net), net, source="lpf",
                        kit_arch="rdn", input_channels=int(cfg["n_colors"]),
                        output_channels=int(cfg["n_colors"]),
                        tags=(f"G0={cfg['G0']}", f"D={cfg['D']}", f"C={cfg['C']}",
                              f"G={cfg['G']}"))
    return None


# --------------------------------------------------------------------------------------------
# spandrel descriptors
# --------------------------------------------------------------------------------------------


def _from_descriptor(desc: Any, source: str) -> Detected:
    arch = str(desc.architecture.id)
    model = desc.model.eval()
    req = desc.size_requirements
    multiple = int(req.multiple_of)
    inner = _INTERNAL_PAD.get(arch)
    if inner is not None:
        multiple = math.lcm(multiple, max(1, inner(model)))
    kit_arch = _KIT_EQUIVALENT.get(arch)
    min_size = max(1, int(req.minimum))
    if kit_arch in ARCHS:  # the kit's own knowledge of the same network
        min_size = max(min_size, ARCHS[kit_arch].min_size)
    notes = []
    if arch in _UNAVOIDABLE:
        notes.append(_UNAVOIDABLE[arch])
    if desc.input_channels == 1:
        notes.append("greyscale network: the kit runs it on BT.601 luma (channels='Y').")
    call = getattr(desc, "_call_fn", None)
    return Detected(
        arch=arch, scale=int(desc.scale), params=_params(model), model=model,
        input_channels=int(desc.input_channels), output_channels=int(desc.output_channels),
        source=f"spandrel {spandrel_version()}", purpose=str(desc.purpose),
        tags=tuple(str(t) for t in desc.tags), pad_multiple=multiple, min_size=min_size,
        square=bool(req.square), kit_arch=kit_arch, notes=tuple(notes), call=call)


# --------------------------------------------------------------------------------------------
# Closest architectures (for the error on unknown layouts)
# --------------------------------------------------------------------------------------------

_GENERIC = {"weight", "bias", "running_mean", "running_var", "num_batches_tracked", "module",
            "model", "params", "params_ema", "state_dict"}


def _tokens(keys: Iterable[str]) -> set[str]:
    return {part for key in keys for part in key.split(".")
            if part and not part.isdigit() and part not in _GENERIC}


def _condition_keys(cond: object) -> list[str]:
    keys = []
    for key in getattr(cond, "_keys", ()):
        keys.extend([key] if isinstance(key, str) else _condition_keys(key))
    return keys


@functools.lru_cache(maxsize=1)
def _candidate_tokens() -> tuple[tuple[str, frozenset[str]], ...]:
    """Characteristic key-name tokens of every known architecture (spandrel's and the kit's)."""
    out: list[tuple[str, frozenset[str]]] = []
    spandrel = import_spandrel()
    if spandrel is not None:
        for support in spandrel.MAIN_REGISTRY.architectures("detection"):
            cond = getattr(support.architecture, "_detect", support.detect)  # a KeyCondition
            toks = _tokens(_condition_keys(cond))
            if toks:
                out.append((f"{support.architecture.id} (spandrel)", frozenset(toks)))
    seen = set()
    for name, arch in sorted(ARCHS.items()):
        if arch.build in seen:
            continue
        seen.add(arch.build)
        scales = arch.scales or (2.0,)
        try:
            with quiet_construction(), torch.device("meta"):
                keys = list(arch.build(scales[0]).state_dict())
        except Exception:  # noqa: BLE001 - a builder that cannot run on "meta" is skipped
            continue
        out.append((f"{name} (lpf.models arch)", frozenset(_tokens(keys))))
    for name, keys in (("LTE (lpf)", ("encoder", "coef", "freq", "phase", "imnet", "layers")),
                       ("LIIF (lpf)", ("encoder", "head", "body", "imnet", "layers")),
                       ("RDN (lpf)", ("SFENet1", "SFENet2", "RDBs", "convs", "conv", "LFF",
                                      "GFF", "UPNet"))):
        out.append((name, frozenset(keys)))
    return tuple(out)


def closest_architectures(state_dict: Mapping[str, torch.Tensor], *, n: int = 3
                          ) -> list[tuple[str, float]]:
    """The known architectures whose key names look most like those of ``state_dict``.

    The score of an architecture is the share of its characteristic key-name parts (the
    dot-separated names, without indices and ``weight``/``bias``) that occur in ``state_dict``:
    its detection keys for spandrel's architectures, its full state dict for the kit's.

    Args:
        state_dict: a plain state dict.
        n: how many to return.

    Returns:
        ``(name, score)`` pairs, best first, ``score`` in (0, 1].

    Examples:
        >>> sd = {"SFENet1.weight": torch.zeros(1), "RDBs.0.convs.0.conv.0.weight": torch.zeros(1)}
        >>> closest_architectures(sd, n=1)[0][0]
        'RDN (lpf)'
    """
    have = _tokens(state_dict)
    scored = []
    for name, toks in _candidate_tokens():
        common = len(have & toks)
        if common:
            scored.append((common / len(toks), common, name))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [(name, round(score, 3)) for score, _, name in scored[:n]]


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def detect(checkpoint: str | os.PathLike | Mapping[str, torch.Tensor], *,
           scale: float | None = None) -> Detected:
    """Recognise the architecture of a checkpoint and build its raw network with the weights.

    Args:
        checkpoint: a checkpoint file (``.pth``, ``.pt``, ``.ckpt``, ``.safetensors``; read with
            ``weights_only=True``) or a state dict (container layouts such as
            ``{'params_ema': ...}`` are unwrapped).
        scale: the scale the caller expects; needed only where the file does not tell (PAN x2
            and x3 have the same shapes), otherwise checked later by :meth:`Detected.to_model`.

    Returns:
        A :class:`Detected` with the raw network, its scale, parameter count and the padding it
        needs; :meth:`Detected.to_model` wraps it in the kit's calling convention.

    Raises:
        FileNotFoundError: no such file.
        CheckpointError: the file is unreadable, unsafe, or fits a detected architecture badly.
        UnknownArchitectureError: no known architecture fits (``ValueError``; the message names
            the closest ones and says how to pass ``arch=NAME``).
        AmbiguousScaleError: the file fits several scales and ``scale`` was not given.
    """
    if isinstance(checkpoint, Mapping):
        source = "the state dict"
        sd = unwrap_state_dict(checkpoint, source=source)
    else:
        path = Path(checkpoint).expanduser()
        source = repr(str(path))
        if not path.is_file():
            raise FileNotFoundError(f"checkpoint file not found: {str(path)!r}.")
        sd = read_checkpoint(path)
    # cheapest first: the kit's own layouts, then spandrel, then basicsr layouts (slow import)
    found = _detect_kit(sd, source) or _detect_registry_config(sd, source, origin="lpf",
                                                               scale=scale)
    if found is not None:
        return found
    try:
        desc = spandrel_load(sd)
    except Exception as err:  # noqa: BLE001 - a detected architecture whose loader failed
        raise CheckpointError(
            f"spandrel {spandrel_version()} recognised {source} but could not load it "
            f"({type(err).__name__}: {err}); the file may be a variant it does not support."
        ) from None
    if desc is not None:
        return _from_descriptor(desc, source)
    found = _detect_registry_config(sd, source, origin="basicsr", scale=scale)
    if found is not None:
        return found
    raise _unknown(sd, source)


def _unknown(sd: Mapping[str, torch.Tensor], source: str) -> UnknownArchitectureError:
    closest = closest_architectures(sd)
    near = ", ".join(f"{name} ({score:.0%} of its characteristic key names)"
                     for name, score in closest) or "none shares its key names"
    version = spandrel_version()
    by = (f"spandrel {version}" if version else "spandrel (not installed: `pip install "
          "spandrel` adds 40+ architectures)")
    first = ", ".join(sorted(sd)[:5])
    return UnknownArchitectureError(
        f"cannot tell the architecture of {source}: pass arch=NAME, one of "
        f"{', '.join(sorted(ARCHS))}. Neither {by} nor the kit's own layouts (LIIF, LTE, RDN) "
        f"recognise its keys; closest known architectures: {near}. First keys: {first}.",
        closest=closest)


def load_detected(path: str | os.PathLike, *, scale: float | None = None,
                  device: str | torch.device = "cpu"):
    """Load a checkpoint of any detectable architecture behind the kit's calling convention.

    This is what ``lpf.models.load_model(path)`` does when no ``arch`` is given.

    Args:
        path: the checkpoint file.
        scale: ``None`` = the detected scale; a different one raises ``ValueError``; required
            for arbitrary-scale networks (LIIF, LTE).
        device: where to put the model.

    Returns:
        An :class:`lpf.models.SRModel` named after the file.
    """
    path = Path(path).expanduser()
    if scale is not None and path.is_file():
        known = registered_as(path)
        if known and all(float(s) != float(scale) for _, s in known):
            names = ", ".join(f"{n} x{s}" for n, s in known)
            raise CheckpointError(
                f"{str(path)!r} is the registry's {names} checkpoint (by its sha256); got "
                f"scale={scale!r}. Load it at its own scale."
            )
    found = detect(path, scale=scale)
    return found.to_model(scale=scale, name=path.stem, device=device, weights_path=path)


def registered_as(path: str | os.PathLike) -> list[tuple[str, int]]:
    """``(registry name, scale)`` of every registry weight file with the sha256 of ``path``."""
    digest = sha256_file(path)
    return sorted((name, int(scale)) for name, spec in MODELS.items()
                  for scale, src in spec.weights.items()
                  if digest in {src.sha256, *(sha for _, sha in src.alternatives)})




def inspect(path: str | os.PathLike) -> dict[str, Any]:
    """What a checkpoint holds, as a JSON-ready dict (``lpf zoo inspect FILE`` prints it).

    Keys: ``file``, ``size_bytes``, ``sha256``, ``registry`` (registry entries whose weight
    file has this sha256), ``architecture`` (``None`` when unknown), ``detected_by``, ``scale``
    (an int, or ``"any"``), ``parameters``, ``input_channels``, ``output_channels``,
    ``purpose``, ``tags``, ``zero_padding`` (``{"multiple", "min_size", "square"}``),
    ``kit_arch``, ``loadable`` (whether ``lpf.models.load_model(path)`` can run it), ``notes``;
    for unknown layouts ``error`` and ``closest`` instead of the architecture's fields.

    Args:
        path: the checkpoint file.

    Returns:
        The description.

    Raises:
        FileNotFoundError: no such file.
        CheckpointError: the file is unreadable or unsafe.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint file not found: {str(path)!r}.")
    digest = sha256_file(path)
    registry = sorted(name for name, spec in MODELS.items() for src in spec.weights.values()
                      if digest in {src.sha256, *(sha for _, sha in src.alternatives)})
    out: dict[str, Any] = {"file": str(path), "size_bytes": path.stat().st_size,
                           "sha256": digest, "registry": registry}
    try:
        found = detect(path)
    except UnknownArchitectureError as err:
        out.update(architecture=None, error=str(err),
                   closest=[{"architecture": n, "score": s} for n, s in err.closest])
        return out
    except AmbiguousScaleError as err:
        found = detect(path, scale=err.scales[0])
        out.update(architecture=found.arch, detected_by=found.source, scale=list(err.scales),
                   parameters=found.params, kit_arch=found.kit_arch, loadable=True,
                   notes=[f"the scale is not in the file: one of {list(err.scales)} (pass "
                          "scale=... to load it)"])
        return out
    loadable = found.purpose != "Inpainting" and (
        found.input_channels, found.output_channels) in ((3, 3), (1, 1))
    out.update(
        architecture=found.arch, detected_by=found.source,
        scale="any" if found.scale is None else found.scale, parameters=found.params,
        input_channels=found.input_channels, output_channels=found.output_channels,
        purpose=found.purpose, tags=list(found.tags),
        zero_padding={"multiple": found.pad_multiple, "min_size": found.min_size,
                      "square": found.square},
        kit_arch=found.kit_arch, loadable=loadable, notes=list(found.notes))
    return out
