"""Claim checks of ext02 (local linearisation): they pass on the smoke run and fail on inputs that
falsify them (a study run with linear models standing in for the networks, or edited JSON)."""

from __future__ import annotations

import copy

import pytest

from lpf.studies import ext02_local_linearisation as study
from lpf.studies.claims import CLAIMS, check, failed
from lpf.studies.claims import local as claims


@pytest.fixture(scope="module")
def smoke() -> dict:
    return study.compute(profile="smoke").to_json()


@pytest.fixture(scope="module")
def linear_stand_ins() -> dict:
    """bilinear standing in for a network: a linear model has one filter everywhere."""
    return study.compute(profile="smoke", models=["bilinear", "bicubic"]).to_json()


def _failing(data) -> list[str]:
    return [v.claim for v in failed(check("ext02_local_linearisation", data))]


def test_registered():
    assert CLAIMS["ext02_local_linearisation"] is claims.ext02_local_linearisation


def test_smoke_run_passes_every_claim(smoke):
    verdicts = check("ext02_local_linearisation", smoke)
    assert len(verdicts) == 7
    assert not failed(verdicts), [str(v) for v in failed(verdicts)]


def test_linear_stand_in_fails_the_network_claims(linear_stand_ins):
    bad = _failing(linear_stand_ins)
    assert any("changes across the photograph" in c for c in bad)
    assert any("differs from its black-background P-IR" in c for c in bad)
    assert any("not the network's linearisation" in c for c in bad)


@pytest.mark.parametrize("edit, words", [
    (lambda d: d.__setitem__("control_deviation", 0.01), "control (bicubic, linear)"),
    (lambda d: d["decomposition"]["bicubic"].__setitem__("jx_residual", 0.01),
     "reproduces its output"),
    (lambda d: d["decomposition"]["rdn-kit"].__setitem__(
        "jx_residual", d["decomposition"]["rdn-kit"]["hyra_residual"]), "far better than HyRA"),
    (lambda d: d["context_error"].__setitem__("rdn-kit", 0.2), "crop context"),
    (lambda d: d["maps"]["rdn-kit"]["side_lobe_level"].__setitem__(
        "p90", d["maps"]["rdn-kit"]["side_lobe_level"]["p10"]), "changes across the photograph"),
    (lambda d: [r.__setitem__("distance_to_black", 0.01)
                for r in d["regions"]["rdn-kit"].values()], "differs from its black-background"),
    (lambda d: d["black"]["rdn-kit"].__setitem__("pir_vs_jacobian", 0.0),
     "not the network's linearisation"),
])
def test_each_claim_fails_on_a_falsifying_edit(smoke, edit, words):
    data = copy.deepcopy(smoke)
    edit(data)
    assert any(words in c for c in _failing(data)), _failing(data)
