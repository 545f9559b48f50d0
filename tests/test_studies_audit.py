"""Tests of the FSDS metric audit (ext03): its distortions (lpf.analysis.distortions), the
equivalent-noise reading, the thresholds and the study's parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import lpf
from lpf.analysis import distortions as dist
from lpf.studies import ext03_fsds_audit as study


def _image(seed: int = 0, size: int = 48) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(3, size, size, generator=g, dtype=torch.float64)
    return dist.gaussian_blur(x, 1.5)  # a smooth, photograph-like image in [0, 1]


# --- the distortions -----------------------------------------------------------------------------


def test_fourier_shift_integer_is_roll_and_fraction_composes():
    x = _image(1)
    torch.testing.assert_close(dist.fourier_shift(x, (2, -3)), torch.roll(x, (2, -3), (1, 2)))
    half = dist.fourier_shift(dist.fourier_shift(x, 0.5), 0.5)
    torch.testing.assert_close(half, torch.roll(x, (1, 1), (1, 2)), atol=2e-3, rtol=0)
    assert dist.fourier_shift(x.float(), 0.25).dtype == torch.float32
    with pytest.raises(ValueError, match="shift"):
        dist.fourier_shift(x, (math.nan, 0))


def test_gaussian_blur_matches_the_transfer_function():
    x = torch.zeros(1, 32, 32, dtype=torch.float64)
    x[0, 16, 16] = 1.0
    y = dist.gaussian_blur(torch.full_like(x, 0.5) + 0.4 * x, 2.0) - 0.5
    # a sampled Gaussian of sigma 2 (its spectrum's aliasing is negligible at this sigma)
    r2 = (torch.arange(32.0) - 16)[:, None] ** 2 + (torch.arange(32.0) - 16)[None, :] ** 2
    expected = 0.4 * torch.exp(-r2 / 8.0) / (8.0 * math.pi)
    torch.testing.assert_close(y[0], expected.double(), atol=1e-6, rtol=0)
    assert torch.equal(dist.gaussian_blur(x, 0.0), x)
    with pytest.raises(ValueError, match="sigma"):
        dist.gaussian_blur(x, -1.0)


def test_channel_affine_colour_cast_noise_border_ringing():
    x = _image(2)
    y = dist.channel_affine(x, gain=[1.1, 0.9, 1.0], offset=0.02)
    assert y.shape == x.shape and 0 <= float(y.min()) and float(y.max()) <= 1
    # FSDS is invariant to a global gain and offset (while nothing clips), not to per-channel ones
    g = 0.8 * x + 0.05
    assert lpf.fsds(dist.channel_affine(g, gain=1.1, offset=0.02), g) > 100
    assert lpf.fsds(dist.channel_affine(g, offset=[0.02, 0.0, 0.0]), g) < 40
    with pytest.raises(ValueError, match="gain"):
        dist.channel_affine(x, gain=[1.0, 1.0])
    with pytest.raises(ValueError, match="strength"):
        dist.colour_cast(x, 1.5)
    with pytest.raises(ValueError, match="colour"):
        dist.colour_cast(x, 0.5, colour=(2.0, 0.0, 0.0))
    n1, n2 = dist.additive_noise(x, 0.05, seed=1), dist.additive_noise(x, 0.05, seed=1)
    assert torch.equal(n1, n2) and not torch.equal(n1, dist.additive_noise(x, 0.05, seed=2))
    b = dist.bad_border(x, 3)
    assert float(b[:, :3].abs().max()) == 0 and torch.equal(b[:, 3:-3, 3:-3], x[:, 3:-3, 3:-3])
    with pytest.raises(ValueError, match="leaves nothing"):
        dist.bad_border(x, 24)
    with pytest.raises(ValueError, match="width"):
        dist.bad_border(x, 1.5)
    r = dist.sinc_ringing(x, 0.2)
    assert r.shape == x.shape and not torch.equal(r, x)
    with pytest.raises(ValueError, match="cutoff"):
        dist.sinc_ringing(x, 0.6)


@pytest.mark.parametrize("kind", list(study.DISTORTIONS))
def test_every_distortion_is_graded(kind):
    """Each distortion's strengths are in increasing severity (PSNR falls; ties allowed only for
    the 8-bit-rounded JPEG), and the result stays an image in [0, 1]."""
    x = _image(3, size=64).float()
    values = []
    for s in study.DISTORTIONS[kind]["strengths"]:
        y = study.apply_distortion(x, kind, s, seed=1)
        assert y.shape == x.shape and y.dtype == x.dtype
        assert 0 <= float(y.min()) and float(y.max()) <= 1
        values.append(lpf.metrics.psnr(y, x))
    assert all(b <= a + 1e-6 for a, b in zip(values, values[1:], strict=False)), values


def test_apply_distortion_unknown():
    with pytest.raises(ValueError, match="distortion"):
        study.apply_distortion(_image(), "vignette", 0.1)


# --- equivalent noise and thresholds -------------------------------------------------------------


def test_equivalent_noise_inverts_the_curve():
    grid = np.geomspace(1e-3, 0.5, 15)
    curve = -20 * np.log10(grid)  # an ideal PSNR-like curve
    sigma = np.array([2e-3, 0.01, 0.3])
    np.testing.assert_allclose(study.equivalent_noise(-20 * np.log10(sigma), curve, grid),
                               np.log10(sigma), atol=1e-12)
    # out of range: clipped; +inf (a perfect score) reads as the grid's start
    out = study.equivalent_noise(np.array([100.0, np.inf, -5.0]), curve, grid)
    np.testing.assert_allclose(out, [-3.0, -3.0, math.log10(0.5)])
    # lower-is-better metrics (LPIPS) and a non-monotone curve (made monotone)
    np.testing.assert_allclose(study.equivalent_noise(np.array([0.5]), np.array([0.0, 0.4, 0.6]),
                                                      [0.01, 0.1, 1.0], lower_is_better=True),
                               [-0.5])
    bumpy = np.array([40.0, 30.0, 32.0, 20.0])
    assert np.isfinite(study.equivalent_noise(np.array([31.0]), bumpy, [1e-3, 1e-2, 1e-1, 1])).all()


def test_threshold_interpolates_and_reports_bounds():
    t = study._threshold([1, 2, 4], [-3.0, -2.0, -1.0], -1.5)
    assert t == {"strength": 3.0, "bound": None}
    assert study._threshold([1, 2], [-1.0, 0.0], -1.5)["bound"] == "at or below"
    assert study._threshold([1, 2], [-3.0, -2.5], -1.5) == {"strength": None,
                                                            "bound": "not reached by 2"}


# --- the study -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> dict:
    return study.compute(profile="smoke", distortions=["brightness", "border", "stego"],
                         border_case=False).to_json()


def test_compute_small(small):
    assert small["images"] == list(study.SMOKE_IMAGES) and small["size"] == study.SMOKE_SIZE
    assert set(small["distortions"]) == {"brightness", "border", "stego", "noise"}  # + control
    assert "fsds" in small["metrics"] and "fsds_hann" in small["metrics"]
    for kind in small["distortions"]:
        for m in small["metrics"]:
            assert len(small["sigma_eq"][kind][m]) == 5
    assert small["border_case"] == {}
    assert max(small["control"].values()) < 0.15
    if "lpips" not in small["metrics"]:
        assert any("LPIPS unavailable" in n for n in small["notes"])


@pytest.mark.parametrize("kwargs, words", [
    ({"profile": "fast"}, "profile"), ({"images": ["lena"]}, "images"),
    ({"images": "chelsea"}, "images"), ({"distortions": ["vignette"]}, "distortions"),
    ({"size": 32}, "at least 40"), ({"size": 600}, "larger than image"),
])
def test_compute_rejects_bad_parameters(kwargs, words):
    with pytest.raises(ValueError, match=words):
        study.compute(**({"profile": "smoke", "border_case": False} | kwargs))
