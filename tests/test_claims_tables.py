"""Negative (and positive) tests of the claim checks of Table 1, Tables 4-5 and ext01.

Every claim function of :mod:`lpf.studies.claims.tables` gets a falsifying input (the smoke
baseline edited so the claim is false, or a result computed from a falsifying set of models) and
must fail there; where the pre-redesign baseline is still a valid input, its verdicts pass.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lpf.studies.claims import CLAIMS, check, failed
from lpf.studies.claims import tables as T

BASELINE = Path(__file__).resolve().parent / "data" / "smoke_baseline"


def _baseline(stem: str) -> dict:
    return json.loads((BASELINE / f"{stem}.json").read_text())


def _by_claim(verdicts, text):
    (v,) = [v for v in verdicts if text in v.claim]
    return v


def test_every_table_notebook_has_a_claim_function():
    assert set(T.CLAIMS) == {"table1_metrics", "table4_5_l1_l2", "ext01_sinc_vs_quality"}
    assert all(CLAIMS[k] is f for k, f in T.CLAIMS.items())


# ----------------------------------------------------------------------------------- Table 1


def _table1_reordering(n_models=5, scales=(2, 4)):
    """The baseline with ``n_models`` models at every scale, FSDS reordering the PSNR ranks."""
    d = _baseline("table1_metrics")
    d["scales"] = list(scales)
    models = [f"m{i}" for i in range(n_models)]
    for s in scales:
        d["ranks"]["paper"][f"psnr@x{s}"] = {m: i + 1 for i, m in enumerate(models)}
        d["ranks"]["paper"][f"fsds@x{s}"] = {m: n_models - i for i, m in enumerate(models)}
    d["reference_networks_compared"] = ["carn-m"]
    # a network below bicubic on the uncropped FSDS only (its borders): reported, not judged
    d["reference_networks_not_beating_bicubic_fsds"] = {"fsds": {"paper": ["carn-m@x4"]},
                                                        "fsds_crop": {}}
    return d


def test_table1_positive():
    verdicts = T.table1_metrics(_table1_reordering())
    assert not failed(verdicts), "\n".join(map(str, failed(verdicts)))
    # the baseline itself: the FSDS argument order and the reference networks still hold
    base = T.table1_metrics(_baseline("table1_metrics"))
    assert _by_claim(base, "fsds(gt, sr)").passed
    assert _by_claim(base, "beat bicubic on PSNR").passed
    assert all(v.section and v.threshold for v in base)


def test_table1_fsds_ranks_equal_to_psnr_ranks_fail():
    d = _table1_reordering()
    for s in d["scales"]:
        d["ranks"]["paper"][f"fsds@x{s}"] = dict(d["ranks"]["paper"][f"psnr@x{s}"])
    v = _by_claim(T.table1_metrics(d), "FSDS ranks the methods differently")
    assert not v.passed and v.measured["x2"]["kendall"] == 1.0
    assert v.paper["x4"]["kendall_fsds_psnr"] == pytest.approx(0.137, abs=1e-3)


def test_table1_reordering_at_one_scale_only_fails():
    d = _table1_reordering()
    d["ranks"]["paper"]["fsds@x2"] = dict(d["ranks"]["paper"]["psnr@x2"])
    assert not _by_claim(T.table1_metrics(d), "differently").passed


def test_table1_too_few_models_fail():
    # the pre-redesign smoke profile: 2 models at x2 cannot show a reordering
    assert not _by_claim(T.table1_metrics(_baseline("table1_metrics")), "differently").passed
    assert not _by_claim(T.table1_metrics(_table1_reordering(n_models=3)), "differently").passed


def test_table1_reference_network_below_bicubic_fails():
    d = _table1_reordering()
    d["reference_networks_not_beating_bicubic_psnr"] = {"paper": ["carn-m@x4"]}
    assert not _by_claim(T.table1_metrics(d), "beat bicubic on PSNR").passed
    d = _table1_reordering()
    d["reference_networks_compared"] = []  # nothing compared: the claim is not shown
    assert not _by_claim(T.table1_metrics(d), "beat bicubic on PSNR").passed
    assert not _by_claim(T.table1_metrics(d), "beat bicubic on FSDS").passed


def test_table1_reference_network_below_bicubic_on_cropped_fsds_fails():
    d = _table1_reordering()
    v = _by_claim(T.table1_metrics(d), "beat bicubic on FSDS")
    assert v.passed and v.measured["not_beating_uncropped"] == {"paper": ["carn-m@x4"]}
    d["reference_networks_not_beating_bicubic_fsds"]["fsds_crop"] = {"sr": ["carn-m@x2"]}
    v = _by_claim(T.table1_metrics(d), "beat bicubic on FSDS")
    assert not v.passed and v.measured["not_beating_cropped"] == {"sr": ["carn-m@x2"]}
    # a JSON without the border-cropped column (the smoke baseline): not measured, not passed
    v = _by_claim(T.table1_metrics(_baseline("table1_metrics")), "beat bicubic on FSDS")
    assert not v.passed and "not measured" in str(v.measured)


def test_table1_fsds_with_the_hr_denominator_fails():
    d = _table1_reordering()
    d["fsds_check"]["table"] = d["fsds_check"]["recomputed_hr_denominator"]
    assert not _by_claim(T.table1_metrics(d), "fsds(gt, sr)").passed
    d["fsds_check"] = None
    assert not _by_claim(T.table1_metrics(d), "fsds(gt, sr)").passed


# -------------------------------------------------------------------------------- Tables 4-5


def _agreement(n, *, l1_tau=0.8, fsds_identical=False, l2_identical=True):
    pair = {"kendall": 0.9, "spearman": 0.95, "identical": False}
    return {"n_models": n,
            "l1~l1_freq": {**pair, "kendall": l1_tau, "identical": l1_tau == 1.0},
            "l2~l2_freq": {**pair, "kendall": 1.0, "identical": l2_identical},
            "fsds~l1": {**pair, "kendall": 0.3, "identical": fsds_identical},
            "fsds~l1_freq": {**pair, "kendall": 0.3},
            "fsds~l2": {**pair, "kendall": 0.3, "identical": fsds_identical},
            "psnr~fsds": {**pair, "kendall": 0.3}}


def _table45(**kwargs):
    d = _baseline("table4_5_l1_l2")
    d["agreement"] = {"2": _agreement(7, **kwargs), "4": _agreement(11, **kwargs)}
    return d


def test_table4_5_positive():
    verdicts = T.table4_5_l1_l2(_table45())
    assert not failed(verdicts), "\n".join(map(str, failed(verdicts)))
    base = T.table4_5_l1_l2(_baseline("table4_5_l1_l2"))
    assert _by_claim(base, "Parseval").passed and _by_claim(base, "identically").passed


def test_table4_5_parseval_broken_fails():
    d = _table45()
    d["worst_parseval_relative"] = 1e-3
    assert not _by_claim(T.table4_5_l1_l2(d), "Parseval").passed
    assert not _by_claim(T.table4_5_l1_l2(_table45(l2_identical=False)), "identically").passed


def test_table4_5_l1_rankings_that_disagree_fail():
    v = _by_claim(T.table4_5_l1_l2(_table45(l1_tau=0.2)), "nearly the same ranking")
    assert not v.passed and v.paper["x4"] > 0.9
    # too few models at every scale (the pre-redesign smoke profile): nothing is shown
    assert not _by_claim(T.table4_5_l1_l2(_baseline("table4_5_l1_l2")),
                         "nearly the same").passed


def test_table4_5_fsds_ranking_like_l1_fails():
    assert not _by_claim(T.table4_5_l1_l2(_table45(fsds_identical=True)), "FSDS ranks").passed
    assert not _by_claim(T.table4_5_l1_l2(_baseline("table4_5_l1_l2")), "FSDS ranks").passed


# ------------------------------------------------------------------------------------- ext01


def _ext01():
    d = copy.deepcopy(_baseline("ext01_sinc_vs_quality"))
    d["trained_networks"] = ["rdn-kit", "edsr-kit"]
    d["gan_networks"] = []
    d["main"] = "sinc_correlation vs psnr (all models)"
    d["correlations"][d["main"]]["n"] = 6
    return d


def test_ext01_positive():
    verdicts = T.ext01_sinc_vs_quality(_ext01())
    assert not failed(verdicts), "\n".join(map(str, failed(verdicts)))


def test_ext01_a_network_with_a_nearest_like_response_fails():
    d = _ext01()
    # nearest's response (correlation 0.79 with the sinc) standing in for the trained networks
    for m in d["trained_networks"]:
        d["diagnostics"][m]["sinc_correlation"] = d["diagnostics"]["nearest"]["sinc_correlation"]
    v = _by_claim(T.ext01_sinc_vs_quality(d), "sinc-like (central")
    assert not v.passed and v.measured["below_threshold"] == ["edsr-kit", "rdn-kit"]
    d = _ext01()
    d["trained_networks"] = []  # no trained network: nothing is shown
    assert not _by_claim(T.ext01_sinc_vs_quality(d), "sinc-like (central").passed


def test_ext01_correlation_over_too_few_models_fails():
    # the pre-redesign smoke profile: the main correlation over 4 models
    base = _baseline("ext01_sinc_vs_quality")
    assert not _by_claim(T.ext01_sinc_vs_quality(base), "enough models").passed
    d = _ext01()
    d["correlations"][d["main"]] = {"n": 3, "note": "fewer than 4 models"}
    assert not _by_claim(T.ext01_sinc_vs_quality(d), "enough models").passed


def test_check_accepts_results_and_json():
    assert check("table4_5_l1_l2", _table45()) == T.table4_5_l1_l2(_table45())
