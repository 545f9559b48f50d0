"""Claim checks of the HyRA notebooks (Figs. 4, 14, 19) on their JSON, smoke profile.

Collected by ``tests/test_notebooks.py`` (``CLAIMS`` of every ``tests/claims_*.py``).
"""

from __future__ import annotations


def _fig04(d):
    s = d["summary"]
    assert s["reconstruction_error"] < 1e-5, s  # H + G == SR
    assert s["fraction_above_linear"] < 0.35, s  # H is low-pass ...
    assert s["replica_prominence_linear"] > 10, s  # ... with replica spots
    assert s["fraction_above_nonlinear"] > 2 * s["fraction_above_linear"], s  # G: high freqs
    assert s["phase_opposition"] < -0.9, s  # G's phase opposes H's at the replicas
    assert s["replica_suppression"] < 0.5, s  # so that N(I) keeps little of H's grid


def _fig14(d):
    nets = d["networks"]
    assert len(nets) >= 2, nets
    for name, s in nets.items():
        assert s["reconstruction_error"] < 1e-5, (name, s)
        assert s["fraction_above_linear"] < 0.5, (name, s)  # every H is low-pass
        assert s["fraction_above_nonlinear"] > s["fraction_above_linear"], (name, s)
    shares = [s["fraction_above_linear"] for s in nets.values()]
    assert max(shares) > 1.2 * min(shares), shares  # with network-dependent strength
    ref = d.get("reference")
    if ref is not None and ref.get("max_abs_error") is not None:
        assert ref["max_abs_error"] < 1e-4, ref


def _fig19(d):
    snaps = d["snapshots"]
    assert len(snaps) >= 2, snaps
    first, last = snaps[0], snaps[-1]
    assert last["iteration"] > first["iteration"]
    # more sinc-like: a smaller residual to the ideal sinc, a negative first side lobe
    assert last["sinc_distance"] < first["sinc_distance"], (first, last)
    # G grows sharper: more detail above the LR Nyquist frequency (off the replica peaks), and
    # that detail is what H misses of the HR image
    assert last["energy_detail_nonlinear"] > first["energy_detail_nonlinear"], (first, last)
    assert last["detail_correlation"] > first["detail_correlation"], (first, last)
    assert last["psnr"] > first["psnr"], (first, last)
    assert all(s["reconstruction_error"] < 1e-5 for s in snaps)


CLAIMS = {
    "fig04_hyra": _fig04,
    "fig14_hyra_networks": _fig14,
    "fig19_training_evolution": _fig19,
}
