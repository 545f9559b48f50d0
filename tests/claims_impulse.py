"""Claim checks of the impulse-response notebooks (paper Figs. 1, 9, 10, 15, 16).

Each function takes the notebook's JSON (smoke profile) and asserts the figure's claim; collected
by ``tests/test_notebooks.py`` through ``CLAIMS``.
"""

from __future__ import annotations

import math


def _lobe(value) -> float:
    """A side-lobe level with "no side lobe" (None/NaN) read as 0."""
    if value is None or isinstance(value, str):  # write_json stores NaN as null or "nan"
        return 0.0
    return 0.0 if math.isnan(value) else float(value)


def _fig01(d):
    rows = d["candidates"]
    net = rows[d["model"]]
    assert d["options"][d["answer"]] == d["model"]
    assert sorted(d["options"]) == ["A", "B", "C", "D"]
    assert net["side_lobe_negative"] and net["side_lobe_level"] < -0.05, net
    others = [r for name, r in rows.items() if name != d["model"]]
    assert all(net["side_lobe_level"] < _lobe(r["side_lobe_level"]) for r in others), rows
    assert d["deepest_side_lobe"] == d["model"]
    assert net["sinc_correlation"] > rows["nearest"]["sinc_correlation"] + 0.1, rows


def _fig10(d):
    assert d["pairs"], d
    for pair in d["pairs"]:
        l1, gan = d["models"][pair["l1"]], d["models"][pair["gan"]]
        assert l1["training"] == "l1" and gan["training"] == "gan", pair
        assert gan["sinc_correlation"] < l1["sinc_correlation"] - 0.05, (l1, gan)
        assert gan["ideal_sinc_distance"] > l1["ideal_sinc_distance"], (l1, gan)
        assert gan["windowed_sinc_distance"] > l1["windowed_sinc_distance"], (l1, gan)
        assert pair["gan_less_sinc_like"]


def _fig15(d):
    assert "rdn-kit" in d["results"], d["results"].keys()
    for name, r in d["results"].items():
        assert len(r["relative_l2_errors"]) == len(r["offsets"]) >= 3
        assert r["max_relative_l2_error"] < 0.01, (name, r)  # < 1 % after shifting back
        assert r["max_abs_error_over_peak"] < 0.02, (name, r)


def _fig16(d):
    st = [d["stages"][label] for label in d["stage_order"]]  # JSON keys come back sorted
    lr = [s for s in st if s["resolution"] == "LR"]
    upsampler, tail = st[-2], st[-1]
    assert lr and upsampler["resolution"] == tail["resolution"] == "HR", st
    assert d["max_lr_sinc_correlation"] < 0.6, st  # no sinc before the upsampler
    assert upsampler["sinc_correlation_maxabs"] > max(s["sinc_correlation_maxabs"]
                                                      for s in lr) + 0.2, st
    assert tail["sinc_correlation_mean"] == d["tail_sinc_correlation"] > 0.9, st


def _fig09(d):
    rows = d["models"]
    nets = {m: r for m, r in rows.items() if r["training"] == "l1"}
    assert {"edsr-liif", "rdn-kit"} <= set(nets), rows.keys()
    for m, r in nets.items():
        if m in ("edsr-liif", "rdn-kit"):
            assert r["side_lobe_negative"] and r["side_lobe_level"] < -0.05, (m, r)
            assert r["sinc_correlation_raw"] > 0.9, (m, r)
    bicubic = rows["bicubic-matlab"]
    assert abs(_lobe(bicubic["side_lobe_level"])) < 0.1, bicubic  # only faint ringing
    assert rows["rdn-kit"]["side_lobe_level"] < bicubic["side_lobe_level"]
    for m, r in rows.items():  # the paper's bitmaps, when the folder is there
        if r["paper_correlation"] is not None:
            assert r["paper_correlation"] > 0.85, (m, r)
    if d["reference_dir_found"]:
        assert rows["edsr-liif"]["paper_correlation"] > 0.95  # the same network as the paper's


CLAIMS = {
    "fig01_sinc_quiz": _fig01,
    "fig09_impulse_responses": _fig09,
    "fig10_gan_exceptions": _fig10,
    "fig15_shift_invariance": _fig15,
    "fig16_feature_maps": _fig16,
}
