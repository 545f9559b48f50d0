"""Table 1: PSNR / SSIM / LPIPS / FSDS of every available model at every scale (paper Sec. 5.3).

The paper: on DIV2K validation, FSDS ranks methods differently from PSNR/SSIM/LPIPS at x2-x4 (HAT
and GRL high on PSNR, lower on FSDS); at x6/x12 the FSDS ranks broadly match the other metrics.
:func:`compute` evaluates every model on HR centre crops (DIV2K validation when on disk, else the
embedded photographs; 264x264 in the full profile) in both metric presets with
:func:`lpf.evaluate.evaluate`, ranks each column, lists the networks that do not beat bicubic on
PSNR and on FSDS, recomputes one FSDS cell in both argument orders (the official script's
``fsds(gt, sr)``: SR spectrum in the denominator) and compares the rows we share with the paper
(EDSR-LIIF, Bicubic).

FSDS has two columns (:data:`COLUMNS`): ``fsds`` as the paper computes it (one FFT of the whole
image) and ``fsds_crop``, the same after removing a border of ``scale`` pixels from SR and HR.
The paper's images are whole DIV2K photographs (about 2040 px), where a few bad border pixels
weigh little; on crops they do not: on a 120x120 crop of ``astronaut`` at x4 the kit-trained EDSR
scores 19.6 dB uncropped against bicubic's 26.2 dB, and 28.9 dB against 25.4 dB cropped (zero
padding in networks trained on small patches spoils the outermost pixels, and one FFT spreads
them over the whole spectrum). The claim "networks beat bicubic on FSDS" is checked on the
cropped column.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

from lpf._checks import check_scale as _positive
from lpf.data import load_pairs, to_numpy, to_tensor
from lpf.evaluate import LOWER_IS_BETTER, Evaluation, SRFolder, evaluate, super_resolve
from lpf.metrics import quality
from lpf.metrics.frequency import fsds
from lpf.metrics.ranking import kendall_tau
from lpf.models import load_model, model_label
from lpf.models.catalog import get_spec
from lpf.studies._common import Result, available_models, check_profile, choose

__all__ = [
    "BASELINE_CHANGES",
    "COLUMNS",
    "FULL_MODELS",
    "PAPER",
    "PAPER_RANKS",
    "REFERENCE_NETWORKS",
    "SMOKE_MODELS",
    "Table1Result",
    "compute",
    "is_analytic",
    "paper_kendall",
]

#: every model of the full profile (those not on this machine are skipped and listed)
FULL_MODELS = ("bicubic-matlab", "sinc-lpf", "edsr-liif", "dat-light", "edsr-kit", "rdn-kit",
               "rcan-kit", "swinir-kit", "edsr-kit-gan", "imdn", "pan", "carn-m", "rfdn", "rlfn",
               "bsrn", "safmn", "espcn-y", "fsrcnn-y")
#: the smoke profile: analytic models, the committed kit networks and EDSR-LIIF (always offline
#: after ``make test``'s fetch), plus the small real networks of ../shared when present: enough
#: models at x2-x4 for "FSDS reorders the ranks" to mean something
SMOKE_MODELS = ("bicubic-matlab", "nearest", "sinc-lpf", "edsr-liif", "edsr-kit", "rdn-kit",
                "swinir-kit", "edsr-kit-gan", "carn-m", "imdn", "pan")
#: published L1 networks trained on MATLAB-bicubic DIV2K: they must beat bicubic on PSNR
REFERENCE_NETWORKS = ("edsr-liif", "dat-light", "imdn", "pan", "carn-m", "rfdn", "rlfn", "bsrn",
                      "safmn")
#: the arbitrary-scale models run at the large scales (x6, x12) as in the paper
LARGE_SCALE_MODELS = ("edsr-liif", "bicubic-matlab")
#: scales, large scales, HR crop side and images of the full and the smoke profile
FULL_SCALES, SMOKE_SCALES = (2, 3, 4), (2, 4)
FULL_LARGE_SCALES, SMOKE_LARGE_SCALES = (6, 12), ()
#: (full: crops of at least 256 px divisible by 2, 3, 4, 6, 12, so that a few border pixels do
#: not dominate FSDS; 264 px from the first three embedded photographs keeps `make figures`'
#: Table 1 at about 3 minutes on 2 CPU cores)
FULL_HR_SIZE, SMOKE_HR_SIZE = 264, 96
FULL_IMAGES, SMOKE_IMAGES = 3, 2
#: the reference model of the claims: always evaluated, and the model of the FSDS recomputation
REFERENCE_MODEL = "bicubic-matlab"
#: the paper's columns (and the rank chart's)
PAPER_METRICS = ("psnr", "ssim", "lpips", "fsds")
#: the columns of the kit's table: the paper's and FSDS with the border cropped
TABLE_METRICS = (*PAPER_METRICS, "fsds_crop")
#: what each column of the table is
COLUMNS = {
    "psnr": "PSNR (dB); paper preset: RGB, no crop; sr preset: Y channel, border of `scale` px "
            "cropped",
    "ssim": "SSIM; cropped as PSNR",
    "lpips": "LPIPS (squeeze), lower is better; n/a without its weights",
    "fsds": "FSDS (dB) as the paper computes it: one FFT of the whole image, no crop (paper "
            "preset: SR spectrum in the denominator, as the official script; sr preset: HR, "
            "Eq. 13). On crops a few bad border pixels dominate it",
    "fsds_crop": "FSDS (dB) with a border of `scale` px removed from SR and HR first (same "
                 "argument order as `fsds`): what the networks do inside the image",
}
#: the FSDS columns of the claim "networks beat bicubic on FSDS"
FSDS_COLUMNS = ("fsds", "fsds_crop")
#: the paper's Table 1 (DIV2K) rows we share, at the scales of ``PAPER["scales"]``
PAPER: dict[str, Any] = {
    "scales": (2, 3, 4, 6, 12),
    "psnr": {"edsr-liif": [34.55, 30.92, 28.98, 26.76, 23.75],
             "bicubic-matlab": [31.04, 28.25, 26.69, 24.87, 22.34]},
    "ssim": {"edsr-liif": [0.937, 0.874, 0.819, 0.741, 0.633],
             "bicubic-matlab": [0.893, 0.813, 0.752, 0.675, 0.587]},
    "lpips": {"edsr-liif": [0.043, 0.100, 0.153, 0.243, 0.428],
              "bicubic-matlab": [0.096, 0.191, 0.291, 0.439, 0.613]},
    "fsds": {"edsr-liif": [39.371, 34.535, 31.321, 28.446, 23.147],
             "bicubic-matlab": [32.790, 28.896, 26.568, 23.450, 18.736]},
}
#: the paper's Table 1 ranks of its 18 methods (EDSR, EDSR-LIIF, EDSR-OPESR, EDSR-SRNO, EDSR-LTE,
#: RDN, RDN-LIIF, RDN-OPESR, RDN-LTE, SwinIR-classical, ITSRN, HAT-S, HAT, HDSRNet, GRLBase,
#: GRLSmall, GRLTiny, Bicubic) at x2, x3, x4 (PAPER.md Sec. 5.2)
PAPER_RANKS = {
    "psnr": {2: (12, 14, 16, 9, 13, 10, 8, 15, 7, 5, 17, 2, 2, 11, 1, 4, 6, 18),
             3: (14, 15, 12, 10, 11, 16, 8, 9, 7, 5, 17, 3, 2, 13, 1, 4, 6, 18),
             4: (16, 15, 12, 10, 14, 11, 9, 8, 7, 4, 17, 3, 2, 13, 1, 5, 6, 18)},
    "fsds": {2: (15, 13, 6, 11, 14, 3, 9, 2, 5, 1, 18, 7, 7, 12, 4, 10, 16, 17),
             3: (10, 6, 5, 7, 8, 16, 3, 2, 4, 1, 18, 13, 11, 9, 12, 14, 15, 17),
             4: (7, 9, 11, 6, 10, 4, 3, 5, 2, 1, 18, 14, 12, 8, 13, 15, 16, 17)},
}

#: keys of the baseline JSON (recorded with ../shared beside the repository) whose values
#: depend on ../shared: compared only where it is present.
NEEDS_SHARED: dict[str, str] = {
    'skipped_models': 'which registry models are offline: the ../shared/assets networks '
                      'are skipped without it',
}

#: keys of the JSON before the redesign that changed on purpose.
BASELINE_CHANGES: dict[str, str] = {
    "models": "the smoke profile runs 11 models (analytic, kit, EDSR-LIIF, small networks) so "
              "that 'FSDS reorders the ranks at x2-x4' means something (was 3)",
    "ranks": "more models in the smoke profile: every rank column changes",
    "networks_not_beating_bicubic_psnr": "more models in the smoke profile (the kit-trained "
                                         "RDN/SwinIR and the GAN EDSR sit at bicubic's PSNR)",
    "means.paper.carn-m@x2": "carn-m comes from ../shared/assets: absent on a clone without it",
    "means.paper.carn-m@x4": "carn-m comes from ../shared/assets: absent on a clone without it",
    "means.sr.carn-m@x2": "carn-m comes from ../shared/assets: absent on a clone without it",
    "means.sr.carn-m@x4": "carn-m comes from ../shared/assets: absent on a clone without it",
}


def paper_kendall(a: str, b: str, scale: int) -> float:
    """Kendall's tau between the paper's ``a`` and ``b`` rankings of its 18 methods at ``scale``.

    Examples:
        >>> round(paper_kendall("psnr", "fsds", 4), 3)
        0.137
    """
    return kendall_tau(PAPER_RANKS[a][scale], PAPER_RANKS[b][scale])


def is_analytic(model: str | os.PathLike) -> bool:
    """Whether ``model`` is an analytic registry model (a checkpoint path never is)."""
    try:
        return isinstance(model, str) and get_spec(model).arch == "analytic"
    except KeyError:
        return False


@dataclasses.dataclass
class Table1Result(Result):
    """Table 1's numbers (the JSON) and the evaluations the tables and charts are drawn from."""

    claim: str
    dataset: str
    same_data_as_paper: bool
    hr_size: int | None
    n_images: int
    models: list[str]
    skipped_models: list[str]
    scales: list[int]
    metrics: list[str]
    columns: dict[str, str]
    lpips_note: str | None
    means: dict[str, dict[str, dict[str, float | None]]]
    ranks: dict[str, dict[str, dict[str, int]]]
    networks_not_beating_bicubic_psnr: dict[str, list[str]]
    reference_networks: list[str]
    reference_networks_not_beating_bicubic_psnr: dict[str, list[str]]
    reference_networks_compared: list[str]
    reference_networks_not_beating_bicubic_fsds: dict[str, dict[str, list[str]]]
    ranks_consistent_with_means: bool
    fsds_check: dict[str, Any] | None
    paper_comparison: dict[str, dict[str, dict[str, float | None]]]
    paper_comparison_note: str
    paper: dict[str, Any]
    evaluations: dict[str, Evaluation]
    markdown: str
    latex: str

    _arrays = ("evaluations", "markdown", "latex")


def _check_models(name: str, models: Sequence) -> list:
    if isinstance(models, str | os.PathLike) or not all(
            isinstance(m, str | os.PathLike) for m in models):
        raise TypeError(f"parameter `{name}` must be a list of model names or paths, "
                        f"got {models!r}.")
    return list(models)


def compute(
    *,
    profile: str = "full",
    device: str = "cpu",
    dataset: str = "auto",
    models: Sequence[str | os.PathLike] | None = None,
    reference_networks: Sequence[str] = REFERENCE_NETWORKS,
    sr_folders: Sequence[str | os.PathLike] = (),
    scales: Sequence[int] | None = None,
    large_scales: Sequence[int] | None = None,
    large_scale_models: Sequence[str | os.PathLike] = LARGE_SCALE_MODELS,
    hr_size: int | None = None,
    max_images: int | None = None,
    fsds_check_scale: int = 4,
    executor: str = "serial",
) -> Table1Result:
    """Evaluate every model in both presets; ranks, claims' measurements, paper comparison.

    Args:
        profile: ``"full"`` or ``"smoke"``.
        device: where the models run.
        dataset: ``"auto"`` (DIV2K validation if on disk, else ``"embedded"``), ``"embedded"``
            or a set name.
        models: registry names, checkpoint paths or TorchScript files (None: the profile's
            list; registry models not on this machine are skipped and listed).
            ``bicubic-matlab`` is always evaluated: it is the reference of the claims.
        reference_networks: published L1 networks that must beat bicubic on PSNR.
        sr_folders: folders of published SR outputs (``method/x<s>/<image>x<s>.png``), scored
            as models on whole images.
        scales: scales of every model (None: 2, 3, 4).
        large_scales: extra scales only for ``large_scale_models`` (None: 6, 12 in the full
            profile, none in smoke).
        large_scale_models: the arbitrary-scale models of ``large_scales``.
        hr_size: side of the HR centre crop, divisible by every scale (None: 264 in the full
            profile, 96 in smoke; 0: whole images).
        max_images: at most this many images (None: 3 in the full profile, 2 in smoke).
        fsds_check_scale: scale of the FSDS argument-order recomputation (one of ``scales``).
        executor: ``"serial"`` or ``"ray"`` (:func:`lpf.evaluate.evaluate`: the grid on a Ray
            cluster, ``$RAY_ADDRESS`` or a local one; same numbers).

    Raises:
        ValueError: an unknown profile, a bad scale, size or count.
        KeyError: an unknown model name (naming the parameter).
        FileNotFoundError: a missing checkpoint or SR folder.
    """
    profile = check_profile(profile)
    models = _check_models("models", choose(profile, models, full=FULL_MODELS,
                                            smoke=SMOKE_MODELS))
    large_scale_models = _check_models("large_scale_models", large_scale_models)
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
    fsds_check_scale = _positive(fsds_check_scale, "fsds_check_scale")
    if fsds_check_scale not in base_scales:
        raise ValueError(f"parameter `fsds_check_scale` must be one of `scales` {base_scales}, "
                         f"got {fsds_check_scale}.")
    folders = []
    for f in sr_folders:
        if not os.path.isdir(f):
            raise FileNotFoundError(f"parameter `sr_folders`: no such folder: {f}")
        folders.append(SRFolder(f))
    if folders:
        crop = None  # published outputs are whole images
    if crop is not None:
        bad = [s for s in base_scales + big_scales if crop % s]
        if bad:
            raise ValueError(f"parameter `hr_size` {crop} is not divisible by the scale(s) {bad}.")

    here, skipped = available_models(models, parameter="models")
    if REFERENCE_MODEL not in here:
        here = [REFERENCE_MODEL, *here]
    big = [m for m in large_scale_models if m in here]
    per_model = {m: list(base_scales) + (big_scales if m in big else []) for m in here}
    per_model.update({f: list(base_scales) for f in folders})
    evs = evaluate([*here, *folders], dataset, scales=per_model, preset=["paper", "sr"],
                   hr_size=crop, limit=limit, device=device, progress=False,
                   executor=executor)
    ev_paper = evs["paper"]
    all_scales = ev_paper.scales()
    labels = {model_label(m): m for m in here}
    analytic = {label for label, m in labels.items() if is_analytic(m)}

    means = {p: {f"{m}@x{s}": v for (m, s), v in ev.means().items()} for p, ev in evs.items()}
    ranks = {p: ev.ranks(TABLE_METRICS, all_scales) for p, ev in evs.items()}

    # the networks (not analytic models) that do not beat bicubic on PSNR, per preset
    losers = _not_beating_bicubic(evs, "psnr", analytic)
    reference_losers = _only(losers, reference_networks)
    # ... and on each FSDS column, the reference networks only
    fsds_losers = {c: _only(_not_beating_bicubic(evs, c, analytic), reference_networks)
                   for c in FSDS_COLUMNS}
    compared = [m for m in ev_paper.models() if m in reference_networks]

    consistent = _ranks_consistent(evs, ranks)
    fsds_check, sr, hr = _fsds_check(ev_paper, dataset, fsds_check_scale, crop)

    # LPIPS: why it is n/a (the note of this run, or of a probe when every row came from a cache)
    lpips_note = ev_paper.notes[0] if ev_paper.notes else ""
    if not lpips_note and sr is not None and any(
            v["lpips"] is None for v in ev_paper.means().values()):
        try:
            quality.lpips(sr, hr, net="squeeze")
        except quality.MetricUnavailable as err:
            lpips_note = str(err)

    paper_comparison = {}
    pm = ev_paper.means()
    for model in PAPER["psnr"]:
        for i, s in enumerate(PAPER["scales"]):
            ours = pm.get((model, s))
            if ours is None:
                continue
            paper_comparison[f"{model}@x{s}"] = {
                metric: {"paper": PAPER[metric][model][i], "ours": ours[metric],
                         "difference": None if ours[metric] is None
                         else ours[metric] - PAPER[metric][model][i]}
                for metric in PAPER_METRICS}
    same_data = ev_paper.dataset.startswith("DIV2K")
    n_images = len({r["image"] for r in ev_paper.rows})

    caption = (f"{ev_paper.dataset}: {n_images} images"
               + (f", HR centre crops {crop}x{crop}" if crop else "") + ". value (rank); best "
               "bold, second italic; '–' = scale not supported; 'n/a' = metric unavailable. "
               "FSDS: as the paper computes it (one FFT of the whole image, no crop); "
               "FSDS (border s px cropped): the same with a border of s = scale pixels removed "
               "from SR and HR (a few bad border pixels dominate the uncropped value on crops).")
    note = f"\n\nLPIPS: unavailable offline ({lpips_note})" if lpips_note else ""
    markdown = "\n\n".join(
        [f"# Table 1 (lpf-kit): {caption}"]
        + [f"## Preset `{preset}`\n\n" + ev.to_markdown(TABLE_METRICS, all_scales)
           for preset, ev in evs.items()]) + note + "\n"
    latex = "\n\n".join(f"% preset {preset}; {caption}\n" + ev.to_latex(TABLE_METRICS, all_scales)
                        for preset, ev in evs.items()) + "\n"

    return Table1Result(
        claim="L1-trained networks beat bicubic on PSNR at every scale; FSDS ranks differ from "
              "PSNR/SSIM ranks at x2-x4 (paper Sec. 5.3)",
        dataset=ev_paper.dataset, same_data_as_paper=same_data, hr_size=crop, n_images=n_images,
        models=ev_paper.models(), skipped_models=skipped, scales=all_scales,
        metrics=list(PAPER_METRICS), columns=dict(COLUMNS), lpips_note=lpips_note or None,
        means=means, ranks=ranks,
        networks_not_beating_bicubic_psnr=losers, reference_networks=list(reference_networks),
        reference_networks_not_beating_bicubic_psnr=reference_losers,
        reference_networks_compared=compared,
        reference_networks_not_beating_bicubic_fsds=fsds_losers,
        ranks_consistent_with_means=consistent, fsds_check=fsds_check,
        paper_comparison=paper_comparison,
        paper_comparison_note="ours" + ("" if same_data else
                                        " on another image set (not DIV2K) and crops: "
                                        "differences measure the data, not a reproduction error"),
        paper={"psnr": PAPER["psnr"], "fsds": PAPER["fsds"], "scales": list(PAPER["scales"]),
               "kendall_fsds_psnr": {str(s): paper_kendall("psnr", "fsds", s) for s in (2, 3, 4)}},
        evaluations=evs, markdown=markdown, latex=latex,
    )


def _not_beating_bicubic(evs: dict[str, Evaluation], metric: str, analytic: set[str]
                         ) -> dict[str, list[str]]:
    """``{preset: ["model@x<s>", ...]}``: networks whose mean ``metric`` is not above bicubic's.

    Presets without any are left out; cells where ``metric`` is n/a are skipped.
    """
    out: dict[str, list[str]] = {}
    for preset, ev in evs.items():
        m = ev.means()
        for s in ev.scales():
            ref = m.get((REFERENCE_MODEL, s), {}).get(metric)
            for model in ev.models():
                value = m.get((model, s), {}).get(metric)
                if ref is None or value is None or model in analytic:
                    continue
                if value <= ref:
                    out.setdefault(preset, []).append(f"{model}@x{s}")
    return out


def _only(cells: dict[str, list[str]], models: Sequence[str]) -> dict[str, list[str]]:
    """``cells`` restricted to ``models`` (presets left empty: dropped)."""
    kept = {p: [c for c in v if c.split("@")[0] in models] for p, v in cells.items()}
    return {p: v for p, v in kept.items() if v}


def _ranks_consistent(evs: dict[str, Evaluation], ranks: dict[str, dict[str, dict[str, int]]]
                      ) -> bool:
    """Whether a better mean never has a worse rank, in every column."""
    consistent = True
    for preset, ev in evs.items():
        m = ev.means()
        for key, column in ranks[preset].items():
            metric, s = key.split("@x")
            sign = -1 if metric in LOWER_IS_BETTER else 1
            for a in column:
                for b in column:
                    va, vb = sign * m[(a, int(s))][metric], sign * m[(b, int(s))][metric]
                    consistent &= not (va > vb and column[a] > column[b])
    return bool(consistent)


def _fsds_check(ev_paper: Evaluation, dataset: str, scale: int, crop: int | None):
    """The table's FSDS of bicubic on one image, recomputed in both argument orders."""
    row = next((r for r in ev_paper.rows
                if r["model"] == REFERENCE_MODEL and r["scale"] == scale), None)
    if row is None:
        return None, None, None
    pair = load_pairs(dataset, scale=scale, names=[row["image"]],
                      lr_size=None if crop is None else crop // scale).pairs[0]
    hr, lr = pair.tensors()
    sr = super_resolve(load_model(REFERENCE_MODEL, scale=scale), lr)
    sr = to_tensor(to_numpy(sr))  # the 8-bit PNG the evaluation scored
    check = {
        "model": REFERENCE_MODEL, "scale": scale, "image": row["image"], "table": row["fsds"],
        "recomputed_sr_denominator": fsds(sr, hr, denominator="pred"),
        "recomputed_hr_denominator": fsds(sr, hr, denominator="target"),
    }
    return check, sr, hr
