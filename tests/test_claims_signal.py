"""Negative (and positive) tests of the signal figures' claim checks (lpf.studies.claims.signal).

Every claim function gets a falsifying input -- a result computed from parameters that break the
claim where that is cheap, else the smoke baseline JSON edited so the claim is false -- and must
fail at least the relevant verdict; on the smoke baseline (made before the redesign) it passes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lpf.studies import (
    fig05_lpf_passband,
    fig08_lpf_cutoff_sweep,
    fig11_13_sampling,
    fig17_windows,
)
from lpf.studies.claims import CLAIMS, check, failed
from lpf.studies.claims import signal as claims

BASELINE = Path(__file__).resolve().parent / "data" / "smoke_baseline"


def _baseline(stem: str) -> dict:
    return json.loads((BASELINE / f"{stem}.json").read_text())


def _failed_claims(stem: str, data) -> list[str]:
    verdicts = check(stem, data)
    assert verdicts, f"{stem}: no verdict"
    return [v.claim for v in failed(verdicts)]


def _fails(stem: str, data, words: str) -> None:
    """At least one failed verdict, and one whose claim mentions ``words``."""
    bad = _failed_claims(stem, data)
    assert any(words in c for c in bad), f"{stem}: expected a failed claim about {words!r}: {bad}"


@pytest.mark.parametrize("stem", sorted(claims.CLAIMS))
def test_the_smoke_baseline_passes(stem):
    verdicts = check(stem, _baseline(stem))
    assert verdicts and not failed(verdicts), [str(v) for v in failed(verdicts)]
    for v in verdicts:
        assert v.section and v.threshold is not None and v.claim


def test_every_signal_figure_is_registered():
    assert set(claims.CLAIMS) <= set(CLAIMS)
    assert len(claims.CLAIMS) == 8


# ----------------------------------------------------------------------------- Fig. 2


def test_fig02_fails_when_a_kernel_is_not_low_pass_or_the_sinc_leaks_more():
    data = _baseline("fig02_kernels")
    bad = copy.deepcopy(data)
    bad["stopband_leakage"]["linear"] = 0.6  # more energy above Nyquist than below
    _fails("fig02_kernels", bad, "low-pass filter")
    _fails("fig02_kernels", bad, "nearest")  # linear now leaks most
    bad = copy.deepcopy(data)
    bad["stopband_leakage"]["sinc"] = 0.03  # leaks more than lanczos3
    _fails("fig02_kernels", bad, "sinc leaks less")


# ----------------------------------------------------------------------------- Fig. 5


def test_fig05_fails_when_the_wide_cutoff_is_not_too_wide():
    # computed: the "too wide" cutoff 0.55 barely passes more replicas than the good one
    result = fig05_lpf_passband.compute(profile="smoke", cutoffs=[0.15, 0.5, 0.55])
    _fails("fig05_lpf_passband", result, "replicas")


def test_fig05_fails_when_a_narrow_passband_wins():
    bad = _baseline("fig05_lpf_passband")
    bad["results"]["too narrow"]["psnr"] = 30.0
    _fails("fig05_lpf_passband", bad, "blurs")
    _fails("fig05_lpf_passband", bad, "best PSNR")


# ----------------------------------------------------------------------------- Fig. 6


def test_fig06_fails_when_an_output_has_more_high_frequency_than_hr():
    bad = _baseline("fig06_integrated_spectra")
    bad["results"]["nearest"]["low_frequency_share"] = 0.9  # below HR's 0.958
    _fails("fig06_integrated_spectra", bad, "larger low-frequency share than HR")
    bad["results"]["nearest"]["energy_bandwidth_99"] = 0.1  # fewer high frequencies, less share
    _fails("fig06_integrated_spectra", bad, "fewer high frequencies")


def test_fig06_fails_when_an_output_has_a_wider_cross_than_hr():
    bad = _baseline("fig06_integrated_spectra")
    bad["results"]["bicubic-matlab"]["cross_width"] = 0.05
    _fails("fig06_integrated_spectra", bad, "wider dark cross")


def test_fig06_fails_when_fsds_is_infinite():
    bad = _baseline("fig06_integrated_spectra")
    bad["results"]["sinc-lpf"]["fsds"] = "inf"  # a "method" that returns HR itself
    _fails("fig06_integrated_spectra", bad, "FSDS is finite")


# ----------------------------------------------------------------------------- Fig. 7


def test_fig07_fails_when_ssim_sees_the_edit():
    bad = _baseline("fig07_fsds_vs_ssim")
    bad["stego"]["ssim"] = 0.80  # as low as JPEG's: SSIM would not miss the edit
    _fails("fig07_fsds_vs_ssim", bad, "SSIM misses")
    _fails("fig07_fsds_vs_ssim", bad, "much lower")


def test_fig07_fails_on_a_missed_calibration_or_payload():
    bad = _baseline("fig07_fsds_vs_ssim")
    bad["stego"]["fsds"] = 30.0
    bad["stego"]["bits_recovered"] = 0.75
    _fails("fig07_fsds_vs_ssim", bad, "paper's value")
    _fails("fig07_fsds_vs_ssim", bad, "payload")
    _fails("fig07_fsds_vs_ssim", bad, "comparable FSDS")


# ----------------------------------------------------------------------------- Fig. 8


def test_fig08_fails_when_the_sweep_stops_before_the_optimum():
    # computed: both grids end below the LR Nyquist frequency, so the best is at the edge
    result = fig08_lpf_cutoff_sweep.compute(profile="smoke", omega_range=[16.0, 30.0],
                                            cutoff_range=[0.1, 0.3], grid_points=9)
    _fails("fig08_lpf_cutoff_sweep", result, "interior")
    _fails("fig08_lpf_cutoff_sweep", result, "near the LR Nyquist")


def test_fig08_fails_when_omega_does_not_scale_or_the_cutoff_drifts():
    bad = _baseline("fig08_lpf_cutoff_sweep")
    bad["optimum_vs_size"]["64"]["omega"] = 15.2  # as at 32 px
    bad["optimum_vs_size"]["64"]["cutoff"] = 0.8
    bad["optima"]["principled_ssim"]["unimodal"] = False
    _fails("fig08_lpf_cutoff_sweep", bad, "grows in proportion")
    _fails("fig08_lpf_cutoff_sweep", bad, "does not move")
    _fails("fig08_lpf_cutoff_sweep", bad, "unimodal")


def test_fig08_checks_the_paper_value_on_div2k_only():
    data = _baseline("fig08_lpf_cutoff_sweep")
    assert not any("DIV2K" in v.claim for v in check("fig08_lpf_cutoff_sweep", data))
    data["dataset"] = "DIV2K-valid"  # embedded-photo PSNR (26.2 dB) is far from 31.40
    _fails("fig08_lpf_cutoff_sweep", data, "DIV2K")


# ----------------------------------------------------------------------------- Figs. 11-13


def test_fig11_13_fails_when_the_rates_are_on_the_wrong_side_of_nyquist():
    below = fig11_13_sampling.compute(profile="smoke", rate_ok=1.5)
    _fails("fig11_13_sampling", below, "recovers the signal exactly")
    above = fig11_13_sampling.compute(profile="smoke", rate_alias=3.0)
    _fails("fig11_13_sampling", above, "signal is lost")


# ----------------------------------------------------------------------------- Fig. 17


def test_fig17_fails_without_the_trade_off():
    bad = _baseline("fig17_windows")
    bad["windows"]["rectangular"]["sidelobe_db"] = -70.0  # low side lobes for free
    _fails("fig17_windows", bad, "-13.26")
    _fails("fig17_windows", bad, "narrowest main lobe")
    _fails("fig17_windows", bad, "lower side lobes cost")


def test_fig17_fails_when_the_reference_windows_are_missing():
    result = fig17_windows.compute(profile="smoke", windows=["hamming", "kaiser"])
    assert len(_failed_claims("fig17_windows", result)) == 3


# ----------------------------------------------------------------------------- Fig. 18


def test_fig18_fails_when_the_spectrum_is_not_tiled():
    bad = _baseline("fig18_zero_insertion")
    bad["scales"]["3"]["replica_fraction"] = 0.8
    bad["scales"]["2"]["max_tiling_error"] = 1e-3
    _fails("fig18_zero_insertion", bad, "lies in replicas")
    _fails("fig18_zero_insertion", bad, "tiling")
