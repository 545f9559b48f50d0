"""Claim checks of ext03 (the FSDS metric audit): they pass on the smoke run and fail on inputs
that falsify them (edited JSON: each verdict's measured value moved past its threshold)."""

from __future__ import annotations

import copy

import pytest

from lpf.studies import ext03_fsds_audit as study
from lpf.studies.claims import CLAIMS, check, failed
from lpf.studies.claims import audit as claims


@pytest.fixture(scope="module")
def smoke() -> dict:
    return study.compute(profile="smoke").to_json()


def _failing(data) -> list[str]:
    return [v.claim for v in failed(check("ext03_fsds_audit", data))]


def _mid(data, kind):
    return len(data["distortions"][kind]["strengths"]) // 2


def _set(data, kind, metric, value, index=None):
    levels = data["sigma_eq"][kind][metric]
    levels[_mid(data, kind) if index is None else index] = value


def test_registered():
    assert CLAIMS["ext03_fsds_audit"] is claims.ext03_fsds_audit


def test_smoke_run_passes_every_claim(smoke):
    verdicts = check("ext03_fsds_audit", smoke)
    assert len(verdicts) == 9
    assert not failed(verdicts), [str(v) for v in failed(verdicts)]


@pytest.mark.parametrize("edit, words", [
    (lambda d: d["control"].__setitem__("fsds", 0.3), "control: every metric"),
    (lambda d: _set(d, "stego", "fsds", d["sigma_eq"]["stego"]["ssim"][_mid(d, "stego")]),
     "Fig. 7 in equivalent noise"),
    (lambda d: _set(d, "stego", "fsds_hann", d["sigma_eq"]["stego"]["ssim"][_mid(d, "stego")]),
     "Hann-windowed FSDS keeps that catch"),
    (lambda d: _set(d, "brightness", "fsds",
                    d["sigma_eq"]["brightness"]["psnr"][_mid(d, "brightness")]),
     "global brightness change"),
    (lambda d: _set(d, "border", "fsds", -3.0, index=0), "bad border as worse than"),
    (lambda d: _set(d, "border", "fsds_hann",
                    d["sigma_eq"]["border"]["fsds"][_mid(d, "border")]),
     "reads the reference bad border far more leniently"),
    (lambda d: d["border_case"]["first_vs_second"].__setitem__("fsds_hann", "below"),
     "Table 1's border case"),
    (lambda d: d["border_case"]["first_vs_second"].__setitem__("fsds", "above"),
     "Table 1's border case"),
    (lambda d: d["tau"].__setitem__("fsds vs fsds_pred", 0.5), "two argument orders"),
    (lambda d: d["tau"].__setitem__("psnr vs fsds", 0.95), "differently from PSNR"),
])
def test_each_claim_fails_on_a_falsifying_edit(smoke, edit, words):
    data = copy.deepcopy(smoke)
    edit(data)
    assert any(words in c for c in _failing(data)), _failing(data)


def test_claims_without_optional_parts(smoke):
    """A run without the border case or some distortions checks what it has."""
    data = copy.deepcopy(smoke)
    data["border_case"] = {}
    for kind in ("stego", "border", "brightness"):
        del data["distortions"][kind]
    verdicts = check("ext03_fsds_audit", data)
    assert len(verdicts) == 3 and not failed(verdicts)
