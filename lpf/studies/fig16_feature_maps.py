"""Figure 16: where the sinc forms inside an EDSR-style network (Appx. C.3).

:func:`compute` feeds the P-IR impulse to one network (a zoo name, a checkpoint path or a
TorchScript file with named submodules), records the named stages' activations by forward hooks
(:func:`lpf.analysis.probes.feature_maps`, the plain background's activations subtracted),
reduces each to its channel mean (signed) and channel-wise max |activation|, and correlates both
with the ideal sinc (:func:`lpf.analysis.sinc.sinc_correlation`; LR maps resized bilinearly to the
HR grid first). :func:`lpf.plot.impulse.plot_feature_maps` draws it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from lpf._checks import check_scale
from lpf.analysis.impulse import impulse_image
from lpf.analysis.probes import feature_maps
from lpf.analysis.sinc import sinc_correlation
from lpf.studies._common import Result, check_profile
from lpf.studies._impulse import (
    SINC_MODEL,
    check_model_list,
    check_positive_int,
    load_one,
    raw_response,
)

__all__ = ["BASELINE_CHANGES", "CLAIM", "DEFINITIONS", "LABELS", "LAYERS",
           "Fig16FeatureMapsResult", "compute", "hr_correlation"]

_STAGES = ("head", "body (+ conv_after_body)", "upsampler (conv + PixelShuffle)",
           "tail (conv_last)")
_CHANGED = ("correlation with the ideal sinc (lpf.analysis.sinc.sinc_correlation), not with the "
            "sinc-lpf model's response")
#: the sinc correlations are now THE one (lpf.analysis.sinc.sinc_correlation, issue 11 rule 3)
BASELINE_CHANGES: dict[str, str] = {
    **{f"stages.{stage}.{key}": _CHANGED for stage in _STAGES
       for key in ("sinc_correlation_mean", "sinc_correlation_maxabs")},
    "max_lr_sinc_correlation": _CHANGED,
    "tail_sinc_correlation": _CHANGED,
    "definitions.sinc_correlation_mean": "names the one sinc correlation",
}

#: the hooked modules of the kit's EDSR (basicsr layout)
LAYERS = ["net.conv_first", "net.conv_after_body", "net.upsample", "net.conv_last"]
#: their names in the figure
LABELS = list(_STAGES)

CLAIM = ("the sinc shape forms after the upsampler (PixelShuffle) and is complete after "
         "the tail conv")
DEFINITIONS = {
    "sinc_correlation_mean": "normalised correlation of the channel-mean map (impulse minus "
                             "background) with the ideal separable sinc on the HR grid "
                             "(lpf.analysis.sinc.sinc_correlation), LR maps resized "
                             "bilinearly to the HR grid",
    "sinc_correlation_maxabs": "the same for the channel-wise max |activation|",
}


@dataclasses.dataclass
class Fig16FeatureMapsResult(Result):
    """Each stage's activations and their correlation with the sinc.

    Attributes:
        claim, model, scale, size: the figure's claim and parameters (``model`` a label).
        stages: per stage label: layer, shape, resolution (LR/HR), sinc correlations of the
            channel mean and of the max |activation|.
        stage_order: the stage labels in network order.
        max_lr_sinc_correlation: the largest correlation of any LR stage.
        tail_sinc_correlation: the last stage's channel-mean correlation.
        mean_maps, maxabs_maps, sinc: the maps drawn and the sinc-lpf response (not in the JSON).
    """

    _arrays = ("mean_maps", "maxabs_maps", "sinc")

    claim: str
    model: str
    scale: int
    size: int
    stages: dict[str, dict[str, Any]]
    stage_order: list[str]
    max_lr_sinc_correlation: float
    tail_sinc_correlation: float
    definitions: dict[str, str]
    mean_maps: dict[str, np.ndarray]
    maxabs_maps: dict[str, np.ndarray]
    sinc: np.ndarray


def hr_correlation(fmap: np.ndarray, *, scale: int, size: int) -> float:
    """:func:`~lpf.analysis.sinc.sinc_correlation` of a 2-D map on the HR grid.

    Resized (bilinear, ``align_corners=False``) to the ``scale * size`` HR grid when it is not
    on it.
    """
    n = scale * size
    t = torch.as_tensor(np.asarray(fmap, dtype=np.float64))
    if tuple(t.shape) != (n, n):
        t = torch.nn.functional.interpolate(t[None, None], size=(n, n), mode="bilinear",
                                            align_corners=False)[0, 0]
    return sinc_correlation(t, scale=scale)


def compute(*, profile: str = "full", model: str | os.PathLike = "edsr-kit", scale: int = 4,
            size: int = 11, layers: Sequence[str] | None = None,
            labels: Sequence[str] | None = None, seed: int = 0,
            device: str = "cpu") -> Fig16FeatureMapsResult:
    """The feature maps of Fig. 16 (the same work in both profiles).

    Args:
        profile: ``"full"`` or ``"smoke"`` (same work).
        model: an EDSR-style network: a zoo name, a checkpoint path (architecture detected) or a
            TorchScript file whose submodules carry ``layers``' names.
        scale: the upscaling factor.
        size: the side of the LR impulse image.
        layers: the hooked submodules in network order; ``None``: :data:`LAYERS`.
        labels: their names in the figure; ``None``: :data:`LABELS`.
        seed: unused by the computation (deterministic); part of every study's interface.
        device: torch device of the network.

    Raises:
        ValueError: an unknown profile, a bad ``scale``/``size``, ``labels`` not matching
            ``layers`` (named).
        KeyError: an unknown model name (naming ``model``) or layer name.
    """
    check_profile(profile)
    scale = check_scale(scale)
    size = check_positive_int(size, "size")
    layers = check_model_list(LAYERS if layers is None else layers, "layers")
    labels = check_model_list(LABELS if labels is None else labels, "labels")
    if len(labels) != len(layers) or not layers:
        raise ValueError(f"parameter `labels` must name each of the {len(layers)} layers, got "
                         f"{labels!r}.")
    label, net = load_one(model, scale=scale, device=device, parameter="model")
    maps = feature_maps(net, impulse_image(size).to(device), layers,
                        baseline=impulse_image(size, amplitude=0.0).to(device))
    _, sinc_net = load_one(SINC_MODEL, scale=scale, device="cpu", parameter="scale")
    sinc = raw_response(sinc_net, scale=scale, size=size)
    stages, mean_maps, maxabs_maps = {}, {}, {}
    for layer, name in zip(layers, labels, strict=True):
        fmap = maps[layer].numpy()
        mean_maps[name] = fmap.mean(0)
        maxabs_maps[name] = np.abs(fmap).max(0)
        stages[name] = {
            "layer": layer,
            "shape": list(fmap.shape),
            "resolution": "HR" if fmap.shape[-1] == scale * size else "LR",
            "sinc_correlation_mean": hr_correlation(mean_maps[name], scale=scale, size=size),
            "sinc_correlation_maxabs": hr_correlation(maxabs_maps[name], scale=scale, size=size),
        }
    lr = [s for s in stages.values() if s["resolution"] == "LR"]
    return Fig16FeatureMapsResult(
        claim=CLAIM, model=label, scale=scale, size=size, stages=stages, stage_order=labels,
        max_lr_sinc_correlation=max((max(s["sinc_correlation_mean"], s["sinc_correlation_maxabs"])
                                     for s in lr), default=float("nan")),
        tail_sinc_correlation=stages[labels[-1]]["sinc_correlation_mean"],
        definitions=dict(DEFINITIONS), mean_maps=mean_maps, maxabs_maps=maxabs_maps, sinc=sinc)
