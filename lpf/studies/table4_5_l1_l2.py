"""Tables 4-5: l1 and l2 in the image and frequency domains, next to FSDS (paper Appx. G).

The paper: l1 in the frequency and image domains give nearly the same ranking, l2 in both agree
exactly (Parseval's theorem), and FSDS ranks methods differently, so it measures something
distinct. :func:`compute` evaluates every model in the ``paper`` preset (the official
definitions: ``fftn`` over C, H and W; l2 without the mean) on the same images and crops as
Table 1, checks Parseval per image, and compares the rankings per scale with Kendall's tau and
Spearman's rho (:meth:`lpf.evaluate.Evaluation.compare`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from lpf._checks import check_scale as _positive
from lpf.evaluate import Evaluation, evaluate
from lpf.metrics.ranking import kendall_tau
from lpf.studies._common import Result, available_models, check_profile, choose
from lpf.studies.table1_metrics import (
    FULL_HR_SIZE,
    FULL_IMAGES,
    FULL_LARGE_SCALES,
    FULL_MODELS,
    FULL_SCALES,
    LARGE_SCALE_MODELS,
    SMOKE_HR_SIZE,
    SMOKE_IMAGES,
    SMOKE_LARGE_SCALES,
    SMOKE_MODELS,
    SMOKE_SCALES,
)

__all__ = ["BASELINE_CHANGES", "PAIRS", "PARSEVAL_TOL", "PAPER_RANKS", "Table45Result",
           "compute", "paper_kendall"]

#: relative tolerance of the Parseval check (l2_freq vs l2, per image; float32 FFTs)
PARSEVAL_TOL = 1e-6
#: the metric pairs whose rankings are compared at every scale
PAIRS = (("l1", "l1_freq"), ("l2", "l2_freq"), ("fsds", "l1"), ("fsds", "l1_freq"),
         ("fsds", "l2"), ("psnr", "fsds"))
#: the metrics ranked per scale
RANKED = ("psnr", "fsds", "l1", "l1_freq", "l2", "l2_freq")
#: the paper's Table 4 ranks of its 18 methods (EDSR, EDSR-LIIF, EDSR-OPESR, EDSR-SRNO, EDSR-LTE,
#: RDN, RDN-LIIF, RDN-OPESR, RDN-LTE, SwinIR-classical, ITSRN, Bicubic, HAT-S, HAT, HDSRNet,
#: GRLBase, GRLSmall, GRLTiny) at x2, x3, x4 (PAPER.md Sec. 5.3)
PAPER_RANKS = {
    "l1_freq": {2: (12, 14, 16, 10, 11, 9, 8, 15, 7, 5, 17, 18, 2, 2, 13, 1, 4, 6),
                3: (12, 14, 15, 10, 11, 16, 8, 9, 7, 4, 17, 18, 3, 2, 13, 1, 5, 6),
                4: (16, 15, 14, 11, 12, 10, 9, 8, 7, 4, 17, 18, 3, 2, 13, 1, 5, 6)},
    "l1": {2: (10, 15, 16, 11, 14, 12, 8, 13, 7, 5, 17, 18, 2, 2, 9, 1, 4, 6),
           3: (13, 15, 11, 10, 14, 16, 9, 7, 8, 5, 17, 18, 3, 2, 12, 1, 4, 6),
           4: (16, 15, 12, 10, 14, 11, 9, 7, 8, 5, 17, 18, 3, 2, 13, 1, 4, 6)},
}

#: keys of the JSON before the redesign that changed on purpose.
BASELINE_CHANGES: dict[str, str] = {
    "models": "the smoke profile runs the models of Table 1's smoke profile (11, was 3) so that "
              "the rank agreement of l1 and l1^F means something",
    "agreement": "more models in the smoke profile: every rank correlation changes",
    "ranks": "more models in the smoke profile: every rank column changes",
    "worst_parseval_relative": "the worst over more models in the smoke profile (still < 1e-6)",
}


def paper_kendall(a: str, b: str, scale: int) -> float:
    """Kendall's tau between the paper's Table 4 ``a`` and ``b`` rankings at ``scale``.

    Examples:
        >>> round(paper_kendall("l1", "l1_freq", 4), 3)
        0.922
    """
    return kendall_tau(PAPER_RANKS[a][scale], PAPER_RANKS[b][scale])


@dataclasses.dataclass
class Table45Result(Result):
    """Tables 4-5's numbers (the JSON) and the evaluation the tables and charts are drawn from."""

    claim: str
    dataset: str
    n_images: int
    hr_size: int | None
    models: list[str]
    skipped_models: list[str]
    scales: list[int]
    parseval_tol: float
    parseval: dict[str, dict[str, float]]
    worst_parseval_relative: float
    agreement: dict[str, dict[str, Any]]
    ranks: dict[str, dict[str, dict[str, int]]]
    fsds_differs: dict[str, bool]
    fsds_differs_somewhere: bool
    means: dict[str, dict[str, float | None]]
    paper_kendall: dict[str, dict[str, float]]
    evaluation: Evaluation
    l2: np.ndarray
    l2_freq: np.ndarray
    markdown: str
    latex: str

    _arrays = ("evaluation", "l2", "l2_freq", "markdown", "latex")


def compute(
    *,
    profile: str = "full",
    device: str = "cpu",
    dataset: str = "auto",
    models: Sequence[str | os.PathLike] | None = None,
    scales: Sequence[int] | None = None,
    large_scales: Sequence[int] | None = None,
    large_scale_models: Sequence[str | os.PathLike] = LARGE_SCALE_MODELS,
    hr_size: int | None = None,
    max_images: int | None = None,
) -> Table45Result:
    """Evaluate every model in the paper preset; Parseval, rankings and their agreement.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        device: where the models run.
        dataset: ``"auto"`` (DIV2K validation if on disk, else ``"embedded"``), ``"embedded"``
            or a set name.
        models: registry names, checkpoint paths or TorchScript files (None: the profile's
            list, the same as Table 1's; registry models not on this machine are skipped).
        scales: scales of every model (None: 2, 3, 4 in the full profile; 2, 4 in smoke).
        large_scales: extra scales only for ``large_scale_models`` (None: 6, 12 in the full
            profile, none in smoke).
        large_scale_models: the arbitrary-scale models of ``large_scales``.
        hr_size: side of the HR centre crop (None: 120 in the full profile, 96 in smoke; 0: whole
            images).
        max_images: at most this many images (None: 5 in the full profile, 2 in smoke).

    Raises:
        ValueError: an unknown profile, a bad scale, size or count.
        KeyError: an unknown model name (naming the parameter).
    """
    profile = check_profile(profile)
    models = choose(profile, models, full=FULL_MODELS, smoke=SMOKE_MODELS)
    base_scales = [_positive(s, "scales") for s in choose(profile, scales, full=FULL_SCALES,
                                                          smoke=SMOKE_SCALES)]
    if not base_scales:
        raise ValueError("parameter `scales` must hold at least one scale.")
    big_scales = [_positive(s, "large_scales") for s in choose(
        profile, large_scales, full=FULL_LARGE_SCALES, smoke=SMOKE_LARGE_SCALES)]
    limit = _positive(choose(profile, max_images, full=FULL_IMAGES, smoke=SMOKE_IMAGES),
                      "max_images")
    crop = choose(profile, hr_size, full=FULL_HR_SIZE, smoke=SMOKE_HR_SIZE)
    crop = None if crop == 0 else _positive(crop, "hr_size")
    if crop is not None:
        bad = [s for s in base_scales + big_scales if crop % s]
        if bad:
            raise ValueError(f"parameter `hr_size` {crop} is not divisible by the scale(s) {bad}.")
    here, skipped = available_models(models, parameter="models")
    if not here:
        raise ValueError(f"parameter `models`: none of {list(models)} is on this machine.")
    big = [m for m in large_scale_models if m in here]
    per_model = {m: list(base_scales) + (big_scales if m in big else []) for m in here}
    ev = evaluate(here, dataset, scales=per_model, preset="paper", hr_size=crop, limit=limit,
                  device=device, progress=False)
    all_scales = ev.scales()
    means = ev.means()
    n_images = len({r["image"] for r in ev.rows})

    # Parseval: per image and per model mean, l2_freq == l2
    parseval = {}
    for (model, s), v in means.items():
        per_image = [abs(r["l2_freq"] - r["l2"]) / r["l2"] for r in ev.rows
                     if r["model"] == model and r["scale"] == s]
        parseval[f"{model}@x{s}"] = {"l2": v["l2"], "l2_freq": v["l2_freq"],
                                     "max_relative_difference": max(per_image)}
    worst = max(p["max_relative_difference"] for p in parseval.values())

    agreement, ranks = {}, {}
    for s in all_scales:
        ranks[s] = {metric: column for metric, column in zip(
            RANKED, ev.ranks(RANKED, [s]).values(), strict=True)}
        present = [m for m in ev.models() if (m, s) in means]
        agreement[s] = {"n_models": len(present)}
        if len(present) < 2:
            continue
        for a, b in PAIRS:
            c = ev.compare(a, b, s)
            agreement[s][f"{a}~{b}"] = {"kendall": c["kendall"], "spearman": c["spearman"],
                                        "identical": c["identical"]}
    fsds_differs = {s: not (agreement[s].get("fsds~l1", {}).get("identical", True)
                            and agreement[s].get("fsds~l2", {}).get("identical", True))
                    for s in all_scales}

    crop_text = f"HR centre crops {crop}x{crop}" if crop else "whole images"
    caption = (f"{ev.dataset}: {n_images} images, {crop_text}; value (rank); best bold, second "
               "italic; '–' = scale not supported. ℓ1^F = mean |ΔFFT|, ℓ2^F = Σ|ΔFFT|²/M, ℓ2 = "
               "sum of squares (Parseval: ℓ2^F = ℓ2).")
    markdown = (f"# Tables 4-5 (lpf-kit): {caption}\n\n## Table 4: FSDS, ℓ1^F, ℓ1\n\n"
                + ev.to_markdown(["fsds", "l1_freq", "l1"], all_scales)
                + "\n\n## Table 5: FSDS, ℓ2^F, ℓ2\n\n"
                + ev.to_markdown(["fsds", "l2_freq", "l2"], all_scales) + "\n")
    latex = (f"% Table 4; {caption}\n" + ev.to_latex(["fsds", "l1_freq", "l1"], all_scales)
             + f"\n\n% Table 5; {caption}\n" + ev.to_latex(["fsds", "l2_freq", "l2"], all_scales)
             + "\n")
    return Table45Result(
        claim="l2_freq == l2 (Parseval); l1 and l1_freq rank models alike; FSDS ranks "
              "differently",
        dataset=ev.dataset, n_images=n_images, hr_size=crop, models=ev.models(),
        skipped_models=skipped, scales=all_scales, parseval_tol=PARSEVAL_TOL, parseval=parseval,
        worst_parseval_relative=worst, agreement={str(s): a for s, a in agreement.items()},
        ranks={str(s): r for s, r in ranks.items()},
        fsds_differs={str(s): v for s, v in fsds_differs.items()},
        fsds_differs_somewhere=any(fsds_differs.values()),
        means={f"{m}@x{s}": v for (m, s), v in means.items()},
        paper_kendall={"l1~l1_freq": {str(s): paper_kendall("l1", "l1_freq", s)
                                      for s in (2, 3, 4)}},
        evaluation=ev,
        l2=np.array([p["l2"] for p in parseval.values()]),
        l2_freq=np.array([p["l2_freq"] for p in parseval.values()]),
        markdown=markdown, latex=latex,
    )
