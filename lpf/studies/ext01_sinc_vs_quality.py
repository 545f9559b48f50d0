"""ext01 (beyond the paper): are networks with more sinc-like impulse responses better?

The paper (Sec. 5.2): "Better networks in Table 1 have more sinc-like responses", shown by eye.
:func:`compute` measures, for every model at x4, how sinc-like its impulse response is
(:func:`lpf.analysis.diagnostics.diagnose` on an 11x11 impulse image; three diagnostics oriented
so that higher = more sinc-like) and its quality on a benchmark (the ``paper`` preset; in the
full profile whole Set5 images when present, else 256x256 centre crops of the embedded
photographs), then Spearman's rho between each diagnostic and each score with a seeded bootstrap
interval and a permutation p-value (:func:`lpf.metrics.ranking.spearman_with_ci`), over all
models and over the trained networks only. Models whose response blows up (largest magnitude
above ``max_response``) are left out.

The scores are PSNR, FSDS as the paper computes it (``fsds``: one FFT of the whole image) and
FSDS with a border of ``scale`` pixels removed (``fsds_crop``). The verdict rests on PSNR and
``fsds_crop`` only (:data:`VERDICT_SCORES`): a few bad border pixels (zero padding in networks
trained on small patches) dominate the uncropped FSDS of an image of this size, so its
correlations are reported but not counted.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from lpf._checks import check_scale as _positive
from lpf.analysis.diagnostics import diagnose
from lpf.analysis.sinc import sinc_correlation
from lpf.data import DatasetNotFound, load_set
from lpf.evaluate import evaluate
from lpf.metrics.ranking import spearman_with_ci
from lpf.models import model_label
from lpf.models.catalog import get_spec
from lpf.studies._common import Result, available_models, check_profile, choose, load_models
from lpf.studies.table1_metrics import is_analytic

__all__ = ["BASELINE_CHANGES", "FULL_MODELS", "IDEAL_SIDE_LOBE", "MAIN_MIN_MODELS", "MIN_MODELS",
           "SCORES", "SMOKE_MODELS", "VERDICT_SCORES", "WHOLE_IMAGE_SETS", "Ext01Result",
           "compute"]

#: every model of the full profile (those not on this machine are skipped and listed)
FULL_MODELS = ("edsr-liif", "dat-light", "edsr-kit", "rdn-kit", "rcan-kit", "swinir-kit",
               "edsr-kit-gan", "realesrgan-x4plus", "imdn", "pan", "carn-m", "rfdn", "rlfn",
               "bsrn", "safmn", "espcn-y", "fsrcnn-y", "fsrcnn-small-y", "bicubic-matlab",
               "lanczos3", "sinc-lpf", "bilinear", "nearest")
#: the smoke profile: analytic models and the committed kit networks (always offline) and two
#: small real networks of ../shared when present: enough models for the main correlation
#: (EDSR-LIIF and SwinIR are left out: their impulse diagnostics take the longest)
SMOKE_MODELS = ("bicubic-matlab", "nearest", "sinc-lpf", "edsr-kit", "rdn-kit", "rcan-kit",
                "edsr-kit-gan", "imdn", "carn-m")
#: images and bootstrap resamples of the full and the smoke profile
FULL_IMAGES, SMOKE_IMAGES = 14, 2
#: HR crop side of the full and the smoke profile. The full profile crops at least 256 px (so
#: that a few border pixels do not dominate FSDS) where images are large (the embedded photographs
#: are up to 1408 px, DIV2K 2040 px) and takes the small benchmark sets' images whole
#: (:data:`WHOLE_IMAGE_SETS`: Set5 228-512 px, Set14, B100 481x321).
FULL_HR_SIZE, SMOKE_HR_SIZE = 256, 120
WHOLE_IMAGE_SETS = ("Set5", "Set14", "B100")
#: the quality scores each diagnostic is correlated with, and those the verdict counts (the
#: uncropped FSDS is reported, not counted: on images of this size the borders dominate it)
SCORES = ("psnr", "fsds", "fsds_crop")
VERDICT_SCORES = ("psnr", "fsds_crop")
FULL_BOOT, SMOKE_BOOT = 2000, 200
#: the fewest bootstrap resamples of a percentile interval (as lpf.metrics.ranking requires)
MIN_BOOT = 100
#: the first side lobe of sinc(x), relative to its peak
IDEAL_SIDE_LOBE = -0.2172
#: a correlation is computed over at least this many models
MIN_MODELS = 4
#: the main test is over the trained networks when there are at least this many, else over all
MAIN_MIN_MODELS = 6
#: the diagnostic/score pair of the main test
MAIN = "sinc_correlation vs psnr"

_SET5 = ('quality is measured on Set5 (../shared/assets) when present, else on the embedded '
         'photographs')
#: keys of the baseline JSON (recorded with ../shared beside the repository) whose values
#: depend on ../shared: compared only where it is present.
NEEDS_SHARED: dict[str, str] = {
    'dataset': _SET5,
    'diagnostics.bicubic-matlab.psnr': _SET5,
    'diagnostics.bicubic-matlab.fsds': _SET5,
    'diagnostics.edsr-kit.psnr': _SET5,
    'diagnostics.edsr-kit.fsds': _SET5,
    'diagnostics.nearest.psnr': _SET5,
    'diagnostics.nearest.fsds': _SET5,
    'diagnostics.rdn-kit.psnr': _SET5,
    'diagnostics.rdn-kit.fsds': _SET5,
    'skipped_models': 'which registry models are offline: the ../shared/assets networks '
                      'are skipped without it',
}

#: keys of the JSON before the redesign that changed on purpose.
BASELINE_CHANGES: dict[str, str] = {
    "models": "the smoke profile runs 9 models (was 4) so that the main correlation is over "
              "enough models to mean something",
    "analytic_models": "the smoke profile adds sinc-lpf",
    "correlations": "more models in the smoke profile: every correlation changes",
    "main": "with 6 trained networks (../shared present) the main test is over them",
    "n_tested": "more models: the trained-network correlations are computed too; the verdict "
                "counts the correlations with PSNR and the border-cropped FSDS",
    "n_supported": "more models in the smoke profile; counted over PSNR and the border-cropped "
                   "FSDS",
    "verdict": "more models in the smoke profile; it counts PSNR and the border-cropped FSDS "
               "(not the border-dominated uncropped FSDS)",
    "diagnostics.carn-m": "carn-m comes from ../shared/assets: absent on a clone without it",
}


@dataclasses.dataclass
class Ext01Result(Result):
    """ext01's numbers (the JSON); ``kept`` and ``groups`` are what the scatter plots draw."""

    claim: str
    dataset: str
    scale: int
    hr_size: int | None
    n_images: int
    models: list[str]
    skipped_models: list[str]
    analytic_models: list[str]
    degenerate_models: list[str]
    diagnostics: dict[str, dict[str, Any]]
    scores: dict[str, dict[str, float]]
    correlations: dict[str, dict[str, Any]]
    main: str
    n_supported: int
    n_tested: int
    verdict: str
    level: float
    min_models: int
    trained_networks: list[str]
    gan_networks: list[str]


def compute(
    *,
    profile: str = "full",
    seed: int = 0,
    device: str = "cpu",
    models: Sequence[str | os.PathLike] | None = None,
    benchmark: str = "Set5",
    scale: int = 4,
    hr_size: int | None = None,
    max_images: int | None = None,
    impulse_size: int = 11,
    n_boot: int | None = None,
    level: float = 0.95,
    max_response: float = 10.0,
) -> Ext01Result:
    """Sinc-likeness of each model's impulse response against its quality; rank correlations.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        seed: seed of the bootstrap and the permutations.
        device: where the models run.
        models: registry names, checkpoint paths or TorchScript files at ``scale`` (None: the
            profile's list; registry models not on this machine are skipped and listed).
        benchmark: the benchmark set; the embedded photographs when it is not on disk.
        scale: upscaling factor.
        hr_size: side of the HR centre crop (divisible by ``scale``); 0 for whole images (None:
            the profile's default: full, whole images of Set5, Set14 or B100, else 256 px crops,
            e.g. of the embedded photographs when the benchmark is not on disk; smoke, 120 px).
        max_images: at most this many images (None: 14 in the full profile, 2 in smoke).
        impulse_size: side of the LR impulse image (the paper's 11).
        n_boot: bootstrap resamples, at least 100 (None: 2000 in the full profile, 200 in smoke).
        level: confidence level of the intervals, in (0, 1).
        max_response: a response whose largest magnitude exceeds this is degenerate: left out.

    Raises:
        ValueError: an unknown profile, a bad scale, size, count or level.
        KeyError: an unknown model name (naming the parameter).
    """
    profile = check_profile(profile)
    models = choose(profile, models, full=FULL_MODELS, smoke=SMOKE_MODELS)
    scale = _positive(scale, "scale")
    impulse_size = _positive(impulse_size, "impulse_size")
    try:
        data_name = load_set(benchmark, scale=scale).name
    except DatasetNotFound:
        data_name = "embedded"
    if hr_size is None:
        full = None if data_name in WHOLE_IMAGE_SETS else FULL_HR_SIZE
        hr_size = choose(profile, None, full=full, smoke=SMOKE_HR_SIZE)
    elif hr_size == 0:
        hr_size = None
    if hr_size is not None:
        hr_size = _positive(hr_size, "hr_size")
        if hr_size % scale:
            raise ValueError(f"parameter `hr_size` {hr_size} is not divisible by `scale` {scale}.")
    limit = _positive(choose(profile, max_images, full=FULL_IMAGES, smoke=SMOKE_IMAGES),
                      "max_images")
    boot = _positive(choose(profile, n_boot, full=FULL_BOOT, smoke=SMOKE_BOOT), "n_boot")
    if boot < MIN_BOOT:
        raise ValueError(f"parameter `n_boot` must be >= {MIN_BOOT}, got {boot}.")
    if not 0 < float(level) < 1:
        raise ValueError(f"parameter `level` must be in (0, 1), got {level!r}.")
    if not float(max_response) > 0:
        raise ValueError(f"parameter `max_response` must be > 0, got {max_response!r}.")

    here, skipped = available_models(models, scale=scale, parameter="models")
    if not here:
        raise ValueError(f"parameter `models`: none of {list(models)} runs at x{scale} here.")
    ev = evaluate(here, data_name, scales=[scale], preset="paper", hr_size=hr_size, limit=limit,
                  device=device, progress=False)
    quality = {m: v for (m, _), v in ev.means().items()}
    names = [model_label(m) for m in here]
    analytic = [model_label(m) for m in here if is_analytic(m)]
    nets = load_models(here, scale=scale, device=device)
    diagnostics = {}
    for m in names:
        d = diagnose(nets[m], scale=scale, size=impulse_size)
        peak = float(d.response.abs().max())
        diagnostics[m] = {
            "max_abs_response": peak, "degenerate": not peak <= max_response,
            "sinc_correlation": sinc_correlation(d.response, scale=scale),
            "sinc_distance": d.sinc.sinc_distance, "windowed_sinc_distance": d.sinc.distance,
            "side_lobe_level": d.sinc.side_lobe_level, "main_lobe_ratio": d.sinc.main_lobe_ratio,
            **{score: quality[m][score] for score in SCORES}, "analytic": m in analytic,
        }
    scores = {
        "sinc_correlation": {m: d["sinc_correlation"] for m, d in diagnostics.items()},
        "-sinc_distance": {m: -d["sinc_distance"] for m, d in diagnostics.items()},
        "-|side lobe - sinc's|": {m: -abs(d["side_lobe_level"] - IDEAL_SIDE_LOBE)
                                  for m, d in diagnostics.items()},
    }
    degenerate = [m for m in names if diagnostics[m]["degenerate"]]
    kept_names = [m for m in names if m not in degenerate]
    trained = [m for m in kept_names if m not in analytic]
    groups = {"all models": kept_names, "trained networks": trained}
    correlations = {}
    for group, members in groups.items():
        for diag, values in scores.items():
            for metric in SCORES:
                kept = [m for m in members
                        if np.isfinite(values[m]) and diagnostics[m][metric] is not None]
                key = f"{diag} vs {metric} ({group})"
                if len(kept) < MIN_MODELS:
                    correlations[key] = {"n": len(kept),
                                         "note": f"fewer than {MIN_MODELS} models"}
                    continue
                r = spearman_with_ci([values[m] for m in kept],
                                     [diagnostics[m][metric] for m in kept],
                                     n_boot=boot, seed=seed, level=level)
                correlations[key] = {**r._asdict(), "models": kept, "supported": r.low > 0}
    counted = {f"{diag} vs {metric} ({group})" for group in groups for diag in scores
               for metric in VERDICT_SCORES}
    tested = {k: v for k, v in correlations.items() if "rho" in v and k in counted}
    n_supported = sum(v["supported"] for v in tested.values())
    main_key = f"{MAIN} (trained networks)"
    if tested.get(main_key, {}).get("n", 0) < MAIN_MIN_MODELS:
        main_key = f"{MAIN} (all models)"
    main = tested.get(main_key)
    if main is None:
        verdict = (f"fewer than {MIN_MODELS} models: no correlation was computed, the data say "
                   "nothing about 'more sinc-like goes with better scores'.")
    else:
        verdict = (f"{n_supported} of {len(tested)} (diagnostic, score, model group) "
                   "correlations with PSNR and the border-cropped FSDS (the uncropped FSDS, "
                   "dominated by border pixels on images of this size, is reported, not counted) "
                   f"have a {level:.0%} interval above zero; the main one "
                   f"({main_key}) is rho = {main['rho']:+.2f} [{main['low']:+.2f}, "
                   f"{main['high']:+.2f}] over {main['n']} models: the data "
                   f"{'support' if main['supported'] else 'do not clearly support'} "
                   "'more sinc-like goes with better scores'.")
    return Ext01Result(
        claim="more sinc-like impulse responses go with better PSNR/FSDS (paper Sec. 5.2)",
        dataset=ev.dataset, scale=scale, hr_size=hr_size,
        n_images=len({r["image"] for r in ev.rows}), models=names, skipped_models=skipped,
        analytic_models=analytic, degenerate_models=degenerate, diagnostics=diagnostics,
        scores=scores, correlations=correlations, main=main_key, n_supported=n_supported,
        n_tested=len(tested), verdict=verdict, level=level, min_models=MIN_MODELS,
        trained_networks=trained,
        gan_networks=[model_label(m) for m in here if _gan_trained(m)],
    )


def _gan_trained(model: str | os.PathLike) -> bool:
    """Whether a registry model was trained adversarially (a checkpoint path: not known, no)."""
    try:
        return isinstance(model, str) and get_spec(model).training == "gan"
    except KeyError:
        return False
