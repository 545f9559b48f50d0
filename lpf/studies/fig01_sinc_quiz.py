"""Figure 1: the sinc-phenomenon quiz (Sec. 1).

:func:`compute` measures the x``scale`` impulse response of one network (a zoo name, a checkpoint
path or a TorchScript file) and of the distractors (zoo upsamplers and a Gaussian blob), shuffles
them into options A-D with a seeded answer key, and measures each option's sinc-likeness
(:func:`lpf.analysis.sinc.sinc_likeness`) and its correlation with the ideal sinc
(:func:`lpf.analysis.sinc.sinc_correlation`). :func:`lpf.plot.impulse.plot_sinc_quiz` draws it.
"""

from __future__ import annotations

import dataclasses
import math
import os
from typing import Any

import numpy as np

from lpf._checks import check_scale
from lpf.analysis.impulse import impulse_image
from lpf.studies._common import Result, check_profile
from lpf.studies._impulse import (
    SINC_MODEL,
    central_profile,
    check_model_list,
    check_positive_int,
    likeness_row,
    load_one,
    raw_response,
)

__all__ = ["BASELINE_CHANGES", "CLAIM", "DEFINITIONS", "Fig01SincQuizResult", "compute",
           "gaussian_blob"]

#: the sinc correlation is now THE one (lpf.analysis.sinc.sinc_correlation, issue 11 rule 3):
#: the ideal separable sinc on the response's grid instead of the sinc-lpf model's response
BASELINE_CHANGES: dict[str, str] = {
    **{f"candidates.{name}.sinc_correlation":
       "correlation with the ideal sinc (lpf.analysis.sinc.sinc_correlation), not with the "
       "sinc-lpf model's response" for name in ("bicubic-matlab", "edsr-liif", "gaussian",
                                                "nearest")},
    "most_correlated_with_sinc": "follows the new sinc correlation",
    "definitions.sinc_correlation": "names the one sinc correlation",
}

#: the option letters
LETTERS = "ABCD"
#: the Gaussian distractor's name
GAUSSIAN = "gaussian"

CLAIM = ("the network's impulse response is the sinc-like option: negative side lobes, "
         "deeper than the distractors'")
DEFINITIONS = {
    "side_lobe_level": "first side lobe / peak on the central profile (NaN: none; "
                       "ideal sinc -0.217)",
    "sinc_correlation": "normalised correlation of the raw response with the ideal separable "
                        "sinc on the same grid (lpf.analysis.sinc.sinc_correlation)",
    "windowed_sinc_distance": "relative L2 residual of the best windowed-sinc fit",
    "ideal_sinc_distance": "relative L2 residual of the ideal (unwindowed) sinc fit",
}
_ROW_KEYS = ("side_lobe_level", "side_lobe_negative", "main_lobe_width",
             "windowed_sinc_distance", "ideal_sinc_distance", "sinc_correlation")


@dataclasses.dataclass
class Fig01SincQuizResult(Result):
    """The quiz: options A-D, the answer, and each option's sinc-likeness.

    Attributes:
        claim, model, scale, size, seed: the figure's claim and parameters (``model`` a label).
        options: ``{letter: candidate name}``; ``answer``: the network's letter.
        candidates: per candidate: option, kind (network/distractor), side lobe, main-lobe width,
            fit distances, sinc correlation.
        ideal_sinc: side lobe and main-lobe width of the sinc-lpf model's response.
        deepest_side_lobe: the candidate with the most negative first side lobe (none: 0).
        most_correlated_with_sinc: the candidate with the largest sinc correlation.
        image: the LR impulse image (channel mean); responses: ``{name: raw response}``;
        sinc: the sinc-lpf response; profiles: ``{name: (offsets, central profile)}`` (the
        sinc's under :data:`~lpf.studies._impulse.SINC_MODEL`): not in the JSON.
    """

    _arrays = ("image", "responses", "sinc", "profiles")

    claim: str
    model: str
    scale: int
    size: int
    seed: int
    options: dict[str, str]
    answer: str
    candidates: dict[str, dict[str, Any]]
    ideal_sinc: dict[str, float]
    deepest_side_lobe: str
    most_correlated_with_sinc: str
    definitions: dict[str, str]
    image: np.ndarray
    responses: dict[str, np.ndarray]
    sinc: np.ndarray
    profiles: dict[str, tuple[np.ndarray, np.ndarray]]


def gaussian_blob(*, scale: int, size: int, sigma: float) -> np.ndarray:
    """A Gaussian with DC gain 1 (sum ``scale**2``, like an upsampler's response).

    Centred where an ``align_corners=False`` network peaks.
    """
    n = scale * size
    centre = scale * (size // 2) + (scale - 1) / 2
    yy, xx = np.mgrid[:n, :n]
    g = np.exp(-((yy - centre) ** 2 + (xx - centre) ** 2) / (2 * sigma ** 2))
    return g * scale ** 2 / g.sum()


def compute(*, profile: str = "full", model: str | os.PathLike = "edsr-liif", scale: int = 4,
            size: int = 11, distractors: list[str] | None = None, gaussian_sigma: float = 1.6,
            shuffle: bool = True, seed: int = 0, device: str = "cpu") -> Fig01SincQuizResult:
    """The quiz of Fig. 1 (the same work in both profiles).

    Args:
        profile: ``"full"`` or ``"smoke"`` (same work).
        model: the network: a zoo name, a checkpoint path or a TorchScript file.
        scale: the upscaling factor.
        size: the side of the LR impulse image.
        distractors: two upsamplers (zoo names or files); ``None``: nearest and MATLAB bicubic.
        gaussian_sigma: the width of the Gaussian distractor (HR pixels).
        shuffle: shuffle the options (seeded); False: A is the network.
        seed: seeds the shuffle.
        device: torch device of the network.

    Raises:
        ValueError: an unknown profile, a bad ``scale``/``size``/``gaussian_sigma``, not two
            distractors, or the network among them (each named).
        KeyError: an unknown model name (naming ``model`` or ``distractors``).
    """
    check_profile(profile)
    scale = check_scale(scale)
    size = check_positive_int(size, "size")
    distractors = check_model_list(["nearest", "bicubic-matlab"] if distractors is None
                                   else distractors, "distractors")
    if len(distractors) != len(LETTERS) - 2:
        raise ValueError(f"parameter `distractors` must name {len(LETTERS) - 2} upsamplers (the "
                         f"Gaussian is the last option), got {distractors!r}.")
    if not (isinstance(gaussian_sigma, int | float) and gaussian_sigma > 0):
        raise ValueError(f"parameter `gaussian_sigma` must be > 0, got {gaussian_sigma!r}.")

    label, net = load_one(model, scale=scale, device=device, parameter="model")
    raw = {label: raw_response(net, scale=scale, size=size)}
    for name in distractors:
        dlabel, dnet = load_one(name, scale=scale, device="cpu", parameter="distractors")
        if dlabel in raw or dlabel == GAUSSIAN:
            raise ValueError(f"parameter `distractors`: {dlabel!r} is already an option.")
        raw[dlabel] = raw_response(dnet, scale=scale, size=size)
    raw[GAUSSIAN] = gaussian_blob(scale=scale, size=size, sigma=float(gaussian_sigma))
    _, sinc_net = load_one(SINC_MODEL, scale=scale, device="cpu", parameter="scale")
    sinc = raw_response(sinc_net, scale=scale, size=size)

    names = list(raw)
    order = (list(np.random.default_rng(seed).permutation(len(names))) if shuffle
             else list(range(len(names))))
    options = {LETTERS[i]: names[k] for i, k in enumerate(order)}
    answer = next(letter for letter, name in options.items() if name == label)
    rows = {}
    for letter, name in options.items():
        row = likeness_row(raw[name], scale=scale)
        rows[name] = {"option": letter, "kind": "network" if name == label else "distractor",
                      **{k: row[k] for k in _ROW_KEYS}}
    ideal = likeness_row(sinc, scale=scale)
    depth = {n: r["side_lobe_level"] if math.isfinite(r["side_lobe_level"]) else 0.0
             for n, r in rows.items()}
    profiles = {name: central_profile(h) for name, h in raw.items()}
    profiles[SINC_MODEL] = central_profile(sinc)
    return Fig01SincQuizResult(
        claim=CLAIM, model=label, scale=scale, size=size, seed=seed, options=options,
        answer=answer, candidates=rows,
        ideal_sinc={"side_lobe_level": ideal["side_lobe_level"],
                    "main_lobe_width": ideal["main_lobe_width"]},
        deepest_side_lobe=min(depth, key=depth.get),
        most_correlated_with_sinc=max(rows, key=lambda n: rows[n]["sinc_correlation"]),
        definitions=dict(DEFINITIONS),
        image=impulse_image(size).mean(0).numpy(), responses=raw, sinc=sinc, profiles=profiles)
