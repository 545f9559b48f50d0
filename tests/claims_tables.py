"""Claim checks of the table notebooks (Tables 1, 4-5) and of ext01 (sinc-likeness vs quality).

Loaded by ``tests/test_notebooks.py``: ``CLAIMS`` maps a notebook stem to a check of its JSON.
"""

from __future__ import annotations

import math

import pytest


def _table1(d):
    assert d["ranks_consistent_with_means"]
    # every published L1-trained network beats bicubic on PSNR at every scale (both presets);
    # the others that do not (kit-trained, Y-only TF models) are recorded, not asserted
    assert d["reference_networks_not_beating_bicubic_psnr"] == {}, d
    assert isinstance(d["networks_not_beating_bicubic_psnr"], dict)
    # the paper preset's FSDS is the official script's fsds(gt, sr): SR spectrum in the denominator
    c = d["fsds_check"]
    assert c["table"] == pytest.approx(c["recomputed_sr_denominator"], abs=1e-4), c
    assert abs(c["recomputed_sr_denominator"] - c["recomputed_hr_denominator"]) > 1e-3, c
    # LPIPS: a number, or n/a with the reason recorded
    lpips = [v["lpips"] for v in d["means"]["paper"].values()]
    assert all(v is not None for v in lpips) or d["lpips_note"], d["lpips_note"]
    # each ranked column ranks every model that has a value there, 1 being the best
    for preset, columns in d["ranks"].items():
        for key, column in columns.items():
            if column:
                assert min(column.values()) == 1, (preset, key, column)
    for cell in d["paper_comparison"].values():
        assert math.isfinite(cell["psnr"]["ours"]) and cell["psnr"]["paper"] > 20


def _table4_5(d):
    assert d["worst_parseval_relative"] < d["parseval_tol"], d["worst_parseval_relative"]
    for s, a in d["agreement"].items():
        assert a["l2~l2_freq"]["identical"], (s, a)  # Parseval: the same ranking
        if a["n_models"] >= 3:
            assert a["l1~l1_freq"]["kendall"] > 0, (s, a)
        if a["n_models"] >= 8:  # the paper's "nearly the same ranking"
            assert a["l1~l1_freq"]["kendall"] >= 0.5, (s, a)
    assert isinstance(d["fsds_differs_somewhere"], bool)  # reported, not asserted


def _ext01(d):
    assert len(d["models"]) >= 4
    assert d["n_tested"] >= 1
    for key, c in d["correlations"].items():
        if "rho" not in c:
            continue
        assert c["n"] >= 4, (key, c)
        assert -1 <= c["low"] <= c["rho"] + 1e-9 and c["rho"] - 1e-9 <= c["high"] <= 1, (key, c)
        assert 0 < c["p_value"] <= 1, (key, c)
        assert c["supported"] == (c["low"] > 0), (key, c)
    assert d["verdict"] and isinstance(d["n_supported"], int)


CLAIMS = {
    "table1_metrics": _table1,
    "table4_5_l1_l2": _table4_5,
    "ext01_sinc_vs_quality": _ext01,
}
