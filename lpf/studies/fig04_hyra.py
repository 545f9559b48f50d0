"""Figure 4: HyRA of one network on one image, N(I) = H(I) + G(I) (Sec. 4.1, Eqs. 7-8).

:func:`compute` crops an embedded photograph, runs :func:`lpf.analysis.hyra.hyra` (exact mode)
with one network (a zoo name, a checkpoint path or a TorchScript file) and measures what the
figure claims with :func:`~lpf.analysis.hyra.hyra_bands` and
:func:`~lpf.analysis.hyra.hyra_summary`: H is low-pass with replica spots, G carries the high
frequencies and its phase opposes H's at the replica spots. The result also holds the display
arrays (images, log-amplitude and phase spectra) that :func:`lpf.plot.hyra.plot_hyra_example`
draws.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

import numpy as np
import torch

from lpf._checks import check_scale
from lpf.analysis.hyra import hyra, hyra_bands, hyra_display, hyra_summary
from lpf.data import crop_pair, embedded_images, load_embedded
from lpf.studies._common import (
    Result,
    available_models,
    check_choice,
    check_profile,
    choose,
    load_models,
)

__all__ = ["BASELINE_CHANGES", "CLAIM", "DEFINITIONS", "Fig04HyraResult", "compute",
           "check_lr_size", "hyra_of_model"]

#: keys of the JSON before the redesign that changed on purpose (none).
BASELINE_CHANGES: dict[str, str] = {}

#: the LR centre crop (pixels) of the full and the smoke profile
FULL_LR_SIZE, SMOKE_LR_SIZE = 48, 24
#: the network of the figure (the paper's EDSR architecture)
DEFAULT_MODEL = "edsr-liif"

CLAIM = ("H is low-pass with replica spots, G carries the high frequencies and its phase "
         "opposes H's at the replica spots; H + G == SR")
DEFINITIONS = {
    "fraction_above": "share of mean-removed spectral energy with max(|fx|, |fy|) > 1/(2s)",
    "replica_prominence_linear": "mean |F_H| at the s*s-1 replica bins / median |F_H| "
                                 "above the LR Nyquist frequency",
    "phase_opposition": "sum Re(F_H conj F_G) / sum |F_H||F_G| over the replica bins",
    "replica_suppression": "sum |F_SR| / sum |F_H| over the replica bins",
}


@dataclasses.dataclass
class Fig04HyraResult(Result):
    """HyRA of one network on one crop.

    Attributes:
        claim: the figure's claim in words.
        model: the network's label (zoo name or file stem).
        image: the embedded photograph.
        scale: the upscaling factor.
        lr_size: the LR crop side (pixels).
        summary: :func:`~lpf.analysis.hyra.hyra_summary` (channel means).
        per_channel: :meth:`HyRABands.to_dict` (per channel).
        definitions: what the summary's numbers mean.
        display: ``{"sr" | "linear" | "nonlinear": {"image", "amplitude", "phase"}}``
            (:func:`~lpf.analysis.hyra.hyra_display`), not in the JSON.
        amplitude_max: the largest log-amplitude of the three spectra (one colour scale).
    """

    _arrays = ("display", "amplitude_max")

    claim: str
    model: str
    image: str
    scale: int
    lr_size: int
    summary: dict[str, float]
    per_channel: dict[str, Any]
    definitions: dict[str, str]
    display: dict[str, dict[str, np.ndarray]]
    amplitude_max: float


def check_lr_size(lr_size: object, name: str = "lr_size") -> int:
    """``lr_size`` as a positive int; else ``ValueError`` naming the parameter."""
    if isinstance(lr_size, bool) or not isinstance(lr_size, int | np.integer) or lr_size < 1:
        raise ValueError(f"parameter `{name}` must be a positive int (LR pixels), got {lr_size!r}.")
    return int(lr_size)


def check_image(image: object) -> str:
    """``image`` if it is an embedded photograph; else ``ValueError`` naming the parameter."""
    return str(check_choice("image", image, embedded_images()))


def hyra_of_model(net: Any, lr: torch.Tensor, *, scale: int, device: str, seed: int):
    """``(HyRA, bands, summary)`` of ``net`` on ``lr`` (seeded; the global RNG is left alone)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        result = hyra(net, lr.to(device), scale=scale)
    bands = hyra_bands(result)
    return result, bands, hyra_summary(result, bands)


def compute(*, profile: str = "full", model: str | os.PathLike | None = None,
            image: str = "astronaut", scale: int = 4, lr_size: int | None = None,
            seed: int = 0, device: str = "cpu") -> Fig04HyraResult:
    """HyRA of ``model`` on the centre crop of ``image`` (Fig. 4).

    Args:
        profile: ``"full"`` (the paper figure) or ``"smoke"`` (the tests' quick run).
        model: a zoo name, a checkpoint path (architecture auto-detected) or a TorchScript file;
            ``None``: :data:`DEFAULT_MODEL`.
        image: an embedded photograph (:func:`lpf.data.embedded_images`).
        scale: the upscaling factor.
        lr_size: the LR crop side; ``None``: the profile's (:data:`FULL_LR_SIZE`,
            :data:`SMOKE_LR_SIZE`).
        seed: seeds torch for the inference (deterministic networks ignore it).
        device: the torch device of the network.

    Raises:
        ValueError: an unknown profile or image, a bad ``scale`` or ``lr_size`` (named).
        KeyError: an unknown model name (naming ``model``).
        FileNotFoundError: a checkpoint path that does not exist.
    """
    check_profile(profile)
    scale = check_scale(scale)
    size = check_lr_size(choose(profile, lr_size, full=FULL_LR_SIZE, smoke=SMOKE_LR_SIZE))
    image = check_image(image)
    model = DEFAULT_MODEL if model is None else model
    here, missing = available_models([model], scale=scale, parameter="model")
    if missing:
        raise FileNotFoundError(f"parameter `model`: the weights of {missing[0]!r} at x{scale} "
                                "are not on this machine (`lpf fetch`).")
    (label, net), = load_models(here, scale=scale, device=device, parameter="model").items()
    pair = crop_pair(load_embedded(image, scale=scale, channels=3), size)
    _, lr = pair.tensors()
    result, bands, summary = hyra_of_model(net, lr, scale=scale, device=device, seed=seed)
    shown = hyra_display(result)
    return Fig04HyraResult(
        claim=CLAIM, model=label, image=image, scale=scale, lr_size=size, summary=summary,
        per_channel=bands.to_dict(), definitions=dict(DEFINITIONS), display=shown,
        amplitude_max=max(float(d["amplitude"].max()) for d in shown.values()))
