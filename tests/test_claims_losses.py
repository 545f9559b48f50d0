"""Negative tests of the ext04 claim checks (:mod:`lpf.studies.claims.losses`).

Each check passes on a synthetic result shaped like :class:`lpf.studies.ext04_fsds_loss.
Ext04Result`'s JSON that matches the finding, and fails when one number contradicts it. The
committed runs are checked too when present (the notebook test runs them in the smoke profile).
"""

from __future__ import annotations

import copy

import pytest

from lpf.studies.claims import check, failed
from lpf.studies.claims import losses as claims

VARIANTS = ("l1", "l1_fsds_lo", "l1_fsds_hi", "l1_ffl")
SETS = ("embedded", "Set5", "B100")


def _stat(values):
    mean = sum(values) / len(values)
    return {"mean": mean, "std": 0.0, "values": list(values)}


def _data(fsds=(0.5, 0.4, 0.6), psnr=(-0.01, 0.0, -0.02), crop=(0.0, -0.1, 0.05),
          sinc=-0.002):
    """A result in which L1 + 2e-4 FSDS gains whole-image FSDS, not PSNR loss, not cropped FSDS."""
    delta = {}
    for ds in SETS:
        delta[ds] = {"sr": {}}
        for metric, values in (("psnr", psnr), ("fsds", fsds), ("fsds_crop", crop),
                               ("ssim", (0.0, 0.0, 0.0))):
            delta[ds]["sr"][metric] = {v: _stat(values) for v in VARIANTS[1:]}
    return {
        "seeds": {v: [0, 1, 2] for v in VARIANTS},
        "datasets": {"embedded": 9, "Set5": 5, "B100": 10},
        "delta": delta,
        "impulse_delta": {"sinc_correlation": {v: _stat([sinc] * 3) for v in VARIANTS[1:]}},
        "recheck": {"sha256_ok": [f"{v}-s{s}" for v in VARIANTS for s in range(3)],
                    "sha256_bad": [], "impulse_max_abs_diff": 0.0},
    }


def _verdict(data, start: str):
    (v,) = [v for v in claims.ext04_fsds_loss(data) if v.claim.startswith(start)]
    return v


def test_the_synthetic_finding_passes():
    verdicts = claims.ext04_fsds_loss(_data())
    assert len(verdicts) == 6
    assert not failed(verdicts), "\n".join(str(v) for v in failed(verdicts))
    assert check("ext04_fsds_loss", _data()) == verdicts


def test_too_few_seeds_fail():
    data = _data()
    data["seeds"]["l1_ffl"] = [0, 1]
    assert not _verdict(data, "every loss").passed
    del data["seeds"]["l1_ffl"]
    assert not _verdict(data, "every loss").passed


def test_a_mismatched_record_fails():
    data = _data()
    data["recheck"]["sha256_bad"] = ["l1-s0"]
    assert not _verdict(data, "every recorded run").passed
    data = _data()
    data["recheck"]["impulse_max_abs_diff"] = 1e-3
    assert not _verdict(data, "every recorded run").passed
    data = _data()
    data["recheck"]["impulse_max_abs_diff"] = None  # not rechecked: not verified
    assert not _verdict(data, "every recorded run").passed


def test_no_fsds_gain_fails():
    assert not _verdict(_data(fsds=(0.1, 0.1, 0.1)), "training for FSDS").passed
    # a mean gain with one seed below L1 fails too
    assert not _verdict(_data(fsds=(0.9, 0.6, -0.05)), "training for FSDS").passed


def test_a_psnr_cost_fails():
    assert not _verdict(_data(psnr=(-0.1, -0.05, -0.08)), "... without losing PSNR").passed


def test_a_gain_that_survives_the_border_crop_fails():
    assert not _verdict(_data(crop=(0.5, 0.4, 0.6)), "... but the FSDS").passed


def test_a_change_in_sinc_likeness_fails():
    assert not _verdict(_data(sinc=0.02), "neither more nor less").passed
    assert not _verdict(_data(sinc=-0.02), "neither more nor less").passed


def test_missing_strong_variant_is_a_failed_verdict():
    data = copy.deepcopy(_data())
    del data["seeds"]["l1_fsds_hi"]
    verdicts = claims.ext04_fsds_loss(data)
    assert failed(verdicts)
    assert any("strong L1+FSDS" in v.claim for v in failed(verdicts))


def test_held_out_sets_are_preferred_and_embedded_is_the_fallback():
    data = _data()
    data["delta"]["embedded"]["sr"]["fsds"]["l1_fsds_hi"] = _stat([-1.0, -1.0, -1.0])
    assert _verdict(data, "training for FSDS").passed  # embedded is not held out
    data["datasets"] = {"embedded": 9}
    assert not _verdict(data, "training for FSDS").passed


def test_the_committed_runs_pass_when_present():
    from lpf.studies import ext04_fsds_loss as ext04

    if not any(ext04.runs_dir("cpu").glob("*-s*.json")):
        pytest.skip("no recorded runs in data/runs/fsds_loss/cpu")
    verdicts = check("ext04_fsds_loss", ext04.compute(profile="smoke"))
    assert not failed(verdicts), "\n".join(str(v) for v in failed(verdicts))


def test_the_plot_draws_the_committed_runs(tmp_path):
    from lpf.plot import plot_ext04, savefig
    from lpf.studies import ext04_fsds_loss as ext04

    if not any(ext04.runs_dir("cpu").glob("*-s*.json")):
        pytest.skip("no recorded runs in data/runs/fsds_loss/cpu")
    result = ext04.compute(profile="smoke", recheck=False)
    fig = plot_ext04(result)
    assert len(fig.axes) == 3 * 5  # 3 evaluation sets x (4 metrics + impulse)
    assert plot_ext04(result.to_json()).axes[0].get_title() == fig.axes[0].get_title()
    written = savefig(fig, "ext04", out_dir=tmp_path)
    assert all(p.stat().st_size > 0 for p in written)
