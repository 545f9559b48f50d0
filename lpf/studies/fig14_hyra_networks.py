"""Figure 14: linear and non-linear responses of several networks (Appx. C.1).

:func:`compute` runs HyRA (:func:`lpf.analysis.hyra.hyra`, exact mode) with each network on one
crop of an embedded photograph and summarises each decomposition
(:func:`~lpf.analysis.hyra.hyra_summary`): the share of H's and G's energy above the LR Nyquist
frequency, which networks' H is low-pass, which keeps the least high frequency. When
``reference_dir`` holds the official HyRA example (:func:`load_hyra_reference`), its paper-mode H
and G are added (recomputed from its images when they are there).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import torch

from lpf._checks import check_scale
from lpf.analysis.hyra import HyRA, hyra, hyra_display, hyra_summary
from lpf.data import crop_pair, load_embedded, read_image, to_tensor
from lpf.studies._common import Result, available_models, check_profile, choose, load_models
from lpf.studies.fig04_hyra import check_image, check_lr_size, hyra_of_model

__all__ = ["BASELINE_CHANGES", "Fig14HyraNetworksResult", "HyRAReference", "compute",
           "load_hyra_reference"]

#: keys of the baseline JSON (recorded with ../shared beside the repository) whose values
#: depend on ../shared: compared only where it is present.
NEEDS_SHARED: dict[str, str] = {
    'reference': "the official HyRA example's inputs live in ../shared/reference",
}

#: keys of the JSON before the redesign that changed on purpose (none; ``models_missing`` is new).
BASELINE_CHANGES: dict[str, str] = {}

#: the rows of the full profile: EDSR-LIIF (the paper's checkpoint) and the kit-trained networks
FULL_MODELS = ["edsr-liif", "edsr-kit", "rdn-kit", "rcan-kit", "swinir-kit"]
#: the rows of the smoke profile
SMOKE_MODELS = ["rdn-kit", "swinir-kit"]
#: published networks added in the full profile when their weights are here: the shipped
#: lightweight CNNs (data/networks), DAT-light (a window transformer, after `lpf fetch`), IMDN
#: (local file only)
FULL_EXTRA_MODELS = ["dat-light", "carn-m", "rfdn", "rlfn", "bsrn", "safmn", "imdn"]
#: the LR centre crop (pixels) of the full and the smoke profile
FULL_LR_SIZE, SMOKE_LR_SIZE = 48, 24
#: H counts as low-pass when less than this share of its energy lies above the LR Nyquist freq.
LOW_PASS_MAX_FRACTION = 0.5
#: the scale of the official HyRA example
REFERENCE_SCALE = 3

CLAIM = ("every linear part H is low-pass (most energy below the LR Nyquist frequency), "
         "with a network-dependent strength; G carries the high frequencies")
FRACTION_ABOVE_DEFINITION = ("share of mean-removed spectral energy with "
                             "max(|fx|, |fy|) > 1/(2 scale), channel mean")


class HyRAReference(NamedTuple):
    """The official HyRA example (``reference/hyra_example``), see :func:`load_hyra_reference`.

    Attributes:
        result: a paper-mode :class:`HyRA` (x3, 124x124): recomputed from ``lr.png``, ``sr.png``
            and ``impulse_response.png`` when they are present, else the stored official
            ``linear``/``nonlinear`` (then ``sr = linear + nonlinear``, the resized SR, and
            ``impulse_response`` is empty).
        computed: whether the kit recomputed it from the images.
        max_abs_error: the largest difference between the kit's paper mode and the official
            arrays (``None`` when not recomputed).
    """

    result: HyRA
    computed: bool
    max_abs_error: float | None


def load_hyra_reference(directory: str | Any, *, scale: int = REFERENCE_SCALE
                        ) -> HyRAReference | None:
    """Load (and, when its images are there, recompute) the official HyRA example.

    The folder holds ``hyra_official.npz`` (``linear``, ``nonlinear``: what the official
    ``HyRA.py`` computes, ``(3, 124, 124)``) and possibly the official inputs ``lr.png``,
    ``sr.png``, ``impulse_response.png``; with them, :func:`hyra` in paper mode recomputes the
    decomposition and is compared with the stored arrays.

    Args:
        directory: the folder (e.g. ``../shared/reference/hyra_example``).
        scale: the example's scale (3).

    Returns:
        :class:`HyRAReference`, or ``None`` when the folder or its ``.npz`` is absent.

    Raises:
        ValueError: the ``.npz`` lacks ``linear`` or ``nonlinear``, or they differ in shape.

    Examples:
        >>> load_hyra_reference("/nonexistent") is None
        True
    """
    folder = Path(directory)
    npz = folder / "hyra_official.npz"
    if not npz.is_file():
        return None
    with np.load(npz) as data:
        if "linear" not in data or "nonlinear" not in data:
            raise ValueError(f"{npz} must hold `linear` and `nonlinear`, got {sorted(data)}.")
        lin = torch.from_numpy(np.asarray(data["linear"], np.float32))
        nonlin = torch.from_numpy(np.asarray(data["nonlinear"], np.float32))
    if lin.shape != nonlin.shape:
        raise ValueError(f"{npz}: `linear` {tuple(lin.shape)} and `nonlinear` "
                         f"{tuple(nonlin.shape)} differ in shape.")
    files = [folder / f for f in ("lr.png", "sr.png", "impulse_response.png")]
    if all(f.is_file() for f in files):
        lr, sr, ir = (to_tensor(read_image(f, channels=3)) for f in files)
        r = hyra(lr=lr, sr=sr, impulse_response=ir, scale=scale, mode="paper")
        err = max(float((r.linear - lin).abs().max()), float((r.nonlinear - nonlin).abs().max()))
        return HyRAReference(r, True, err)
    r = HyRA(sr=lin + nonlin, linear=lin, nonlinear=nonlin,
             impulse_response=torch.empty(lin.shape[0], 0, 0), scale=check_scale(scale),
             mode="paper", position=None, border=None, constant=None)
    return HyRAReference(r, False, None)


@dataclasses.dataclass
class Fig14HyraNetworksResult(Result):
    """HyRA of several networks on one crop (and of the official example).

    Attributes:
        claim: the figure's claim in words.
        image: the embedded photograph.
        scale: the upscaling factor.
        lr_size: the LR crop side.
        networks: ``label -> hyra_summary`` in row order.
        least_high_frequency_in_H: the network whose H keeps the least energy above Nyquist.
        low_pass: ``label -> fraction_above_linear < LOW_PASS_MAX_FRACTION``.
        reference: the official example (``computed``, ``max_abs_error``, ``scale``,
            ``summary``) or ``None``.
        fraction_above_definition: what ``fraction_above_*`` means.
        models_missing: labels of requested registry models whose weights are not here.
        order: the labels by increasing ``fraction_above_linear`` (the bar chart's order).
        display: ``label -> hyra_display`` (not in the JSON).
        reference_display: the official example's ``hyra_display`` or ``None``.
        amplitude_max: the largest log-amplitude of the networks' H and G spectra.
    """

    _arrays = ("display", "reference_display", "amplitude_max")

    claim: str
    image: str
    scale: int
    lr_size: int
    networks: dict[str, dict[str, float]]
    least_high_frequency_in_H: str
    low_pass: dict[str, bool]
    reference: dict[str, Any] | None
    fraction_above_definition: str
    models_missing: list[str]
    order: list[str]
    display: dict[str, dict[str, dict[str, np.ndarray]]]
    reference_display: dict[str, dict[str, np.ndarray]] | None
    amplitude_max: float


def compute(*, profile: str = "full", models: Sequence[str | os.PathLike] | None = None,
            extra_models: Sequence[str | os.PathLike] | None = None, image: str = "astronaut",
            scale: int = 4, lr_size: int | None = None,
            reference_dir: str | os.PathLike | None = None, seed: int = 0,
            device: str = "cpu") -> Fig14HyraNetworksResult:
    """HyRA of each network of ``models`` (+ the available ``extra_models``) on one crop (Fig. 14).

    Args:
        profile: ``"full"`` or ``"smoke"``.
        models: zoo names, checkpoint paths or TorchScript files, one row each; ``None``: the
            profile's (:data:`FULL_MODELS`, :data:`SMOKE_MODELS`). Registry models whose weights
            are not here are skipped and listed in ``models_missing``.
        extra_models: added when their weights are here; ``None``: the profile's
            (:data:`FULL_EXTRA_MODELS` in full, none in smoke).
        image: an embedded photograph.
        scale: the upscaling factor.
        lr_size: the LR crop side; ``None``: the profile's.
        reference_dir: the official HyRA example's folder (``None`` or absent: no reference row).
        seed: seeds torch for the inference.
        device: the torch device of the networks.

    Raises:
        ValueError: an unknown profile or image, a bad ``scale`` or ``lr_size`` (named).
        KeyError: an unknown model name (naming ``models`` or ``extra_models``).
        FileNotFoundError: a checkpoint path that does not exist.
    """
    check_profile(profile)
    scale = check_scale(scale)
    size = check_lr_size(choose(profile, lr_size, full=FULL_LR_SIZE, smoke=SMOKE_LR_SIZE))
    image = check_image(image)
    wanted = choose(profile, models, full=FULL_MODELS, smoke=SMOKE_MODELS)
    extras = choose(profile, extra_models, full=FULL_EXTRA_MODELS, smoke=[])
    here, missing = available_models(wanted, scale=scale, parameter="models")
    extra_here, _ = available_models(extras, scale=scale, parameter="extra_models")
    names = {str(m) for m in here}
    here += [m for m in extra_here if str(m) not in names]
    if not here:
        raise ValueError(f"parameter `models`: none of {list(wanted)} is available here "
                         "(`lpf fetch`, or give checkpoint paths).")
    pair = crop_pair(load_embedded(image, scale=scale, channels=3), size)
    _, lr = pair.tensors()
    summaries, shown = {}, {}
    for label, net in load_models(here, scale=scale, device=device).items():
        result, _, summaries[label] = hyra_of_model(net, lr, scale=scale, device=device,
                                                   seed=seed)
        shown[label] = hyra_display(result)
    order = sorted(summaries, key=lambda n: summaries[n]["fraction_above_linear"])
    reference = None if reference_dir is None else load_hyra_reference(reference_dir)
    ref_json = ref_shown = None
    if reference is not None:
        ref_json = {"computed": reference.computed, "max_abs_error": reference.max_abs_error,
                    "scale": reference.result.scale, "summary": hyra_summary(reference.result)}
        ref_shown = hyra_display(reference.result)
    return Fig14HyraNetworksResult(
        claim=CLAIM, image=image, scale=scale, lr_size=size, networks=summaries,
        least_high_frequency_in_H=order[0],
        low_pass={n: s["fraction_above_linear"] < LOW_PASS_MAX_FRACTION
                  for n, s in summaries.items()},
        reference=ref_json, fraction_above_definition=FRACTION_ABOVE_DEFINITION,
        models_missing=missing, order=order, display=shown, reference_display=ref_shown,
        amplitude_max=max(float(d[k]["amplitude"].max()) for d in shown.values()
                          for k in ("linear", "nonlinear")))
