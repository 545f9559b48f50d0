"""Tests of lpf.lpfsr: the official sinc LPF super-resolution and the principled one."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lpf import ShapeError
from lpf.signal.lpfsr import (
    cutoff_to_omega,
    lpf_sr,
    lpf_sr_paper,
    omega_to_cutoff,
    resampling_matrix,
)


def _psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    return 10 * math.log10(1.0 / float(((a.double() - b.double()) ** 2).mean()))


# (the official output on Set5's baby: tests/test_reference_paper.py; on an open photograph:
# tests/test_reference_open.py)


def test_paper_mode_methods_agree_on_non_square_images():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(2, 3, 12, 10, generator=g)
    a = lpf_sr_paper(x, 3, omega=4.0)
    b = lpf_sr_paper(x, 3, omega=4.0, method="official")
    assert a.shape == b.shape == (2, 3, 36, 30)
    torch.testing.assert_close(a, b, atol=1e-5, rtol=0)


def test_paper_mode_errors():
    with pytest.raises(ShapeError, match="H//2 < W"):
        lpf_sr_paper(torch.rand(3, 40, 10), 2, omega=5.0)
    with pytest.raises(ValueError, match="method"):
        lpf_sr_paper(torch.rand(3, 10, 10), 2, omega=5.0, method="fft")
    with pytest.raises(TypeError, match="scale"):
        lpf_sr_paper(torch.rand(3, 10, 10), 2.5, omega=5.0)


def test_omega_conventions():
    assert omega_to_cutoff(126.0, (252, 252)) == (0.5, 0.5)
    assert cutoff_to_omega(0.5, (252, 252)) == 126.0
    cy, cx = omega_to_cutoff(48.5, (252, 252))
    assert cx == pytest.approx(0.19246, abs=1e-5)
    # official axes are swapped: the horizontal cutoff depends on the height
    assert omega_to_cutoff(10.0, (20, 40)) == (10 / 40, 10 / 20)


def test_principled_mode_preserves_band_limited_cosine():
    """A cosine below the cutoff comes back with PSNR > 60 dB away from the borders."""
    scale, n, f = 3, 96, 0.15  # f in cycles per LR pixel
    i = np.arange(n)
    lr_1d = 0.5 + 0.4 * np.cos(2 * np.pi * f * i + 0.3)
    u = (np.arange(scale * n) + 0.5) / scale - 0.5  # HR pixel centres in LR coordinates
    hr_1d = 0.5 + 0.4 * np.cos(2 * np.pi * f * u + 0.3)
    lr = torch.from_numpy(np.outer(lr_1d, np.ones(n)) * 0.5 + np.outer(np.ones(n), lr_1d) * 0.5)
    hr = torch.from_numpy(np.outer(hr_1d, np.ones(scale * n)) * 0.5
                          + np.outer(np.ones(scale * n), hr_1d) * 0.5)
    sr = lpf_sr(lr[None], scale)[0]
    border = 12 * scale
    inner = (slice(border, -border), slice(border, -border))
    assert _psnr(sr[inner], hr[inner]) > 60


def test_principled_mode_unit_dc_gain_and_size_independence():
    x = torch.full((1, 3, 9, 13), 0.7, dtype=torch.float64)
    # global DC gain 1: every sub-pixel phase within the Kaiser window's ripple (2e-5)
    torch.testing.assert_close(lpf_sr(x, 4), torch.full((1, 3, 36, 52), 0.7, dtype=torch.float64),
                               atol=3e-5, rtol=0)
    torch.testing.assert_close(lpf_sr(x, 4, normalize="phase"),
                               torch.full((1, 3, 36, 52), 0.7, dtype=torch.float64))
    # the same content in a larger image gives the same interior output
    g = torch.Generator().manual_seed(1)
    big = torch.rand(1, 1, 64, 64, generator=g, dtype=torch.float64)
    small = big[..., 16:48, 16:48]
    out_big = lpf_sr(big, 2)[..., 32:96, 32:96]
    out_small = lpf_sr(small, 2)
    torch.testing.assert_close(out_big[..., 20:-20, 20:-20], out_small[..., 20:-20, 20:-20])


def test_principled_mode_is_linear():
    g = torch.Generator().manual_seed(2)
    a, b = torch.rand(2, 1, 3, 12, 12, generator=g, dtype=torch.float64)
    torch.testing.assert_close(lpf_sr(2 * a - 3 * b, 2), 2 * lpf_sr(a, 2) - 3 * lpf_sr(b, 2))


def test_upsample_then_decimate_at_pixel_phase_is_identity_for_odd_scale():
    """For odd scales, HR pixel s*i + (s-1)/2 sits exactly on LR pixel i: the ideal sinc gives
    that pixel back (the sinc is 1 at 0 and 0 at every other integer)."""
    g = torch.Generator().manual_seed(3)
    x = torch.rand(1, 3, 16, 16, generator=g, dtype=torch.float64)
    y = lpf_sr(x, 3, window="rect", normalize="phase")
    torch.testing.assert_close(y[..., 1::3, 1::3], x)


def test_cutoff_controls_blur_and_replicas():
    """Too narrow a cutoff blurs; too wide lets replicas through (paper Fig. 5)."""
    from numpy.fft import fft2, fftshift

    g = torch.Generator().manual_seed(4)
    x = torch.rand(1, 1, 32, 32, generator=g, dtype=torch.float64)
    energy_outside = {}
    for cutoff in (0.25, 0.5, 0.9):
        y = lpf_sr(x, 2, cutoff=cutoff)[0, 0].numpy()
        spec = np.abs(fftshift(fft2(y))) ** 2
        f = np.fft.fftshift(np.fft.fftfreq(64))
        outside = np.maximum(np.abs(f)[:, None], np.abs(f)[None, :]) > 0.25  # beyond LR Nyquist
        energy_outside[cutoff] = spec[outside].sum() / spec.sum()
    assert energy_outside[0.25] < energy_outside[0.5] < energy_outside[0.9]
    assert energy_outside[0.5] < 0.02 < energy_outside[0.9]


def test_resampling_matrix_rows_sum_to_one_and_bad_args():
    m = resampling_matrix(7, 4, window="hann", half_width=3, normalize="phase")
    np.testing.assert_allclose(m.sum(axis=1), 1.0)
    np.testing.assert_allclose(resampling_matrix(7, 4, window="hann", half_width=3).sum(axis=1),
                               1.0, atol=2e-2)
    with pytest.raises(ValueError, match="cutoff"):
        resampling_matrix(7, 2, cutoff=0)
    with pytest.raises(ValueError, match="window"):
        resampling_matrix(7, 2, window="gauss")


def test_wide_cutoff_shows_the_grid_as_phase_dependent_gain():
    """Beyond the LR Nyquist the filter passes the zero-insertion replicas: a flat image comes
    back with a periodic (grid) pattern, unless every phase is renormalised (which hides it)."""
    x = torch.full((1, 1, 16, 16), 0.5, dtype=torch.float64)
    grid = lpf_sr(x, 4, cutoff=1.5)[..., 16:48, 16:48]
    assert float(grid.max() - grid.min()) > 0.5
    flat = lpf_sr(x, 4, cutoff=1.5, normalize="phase")[..., 16:48, 16:48]
    assert float(flat.max() - flat.min()) < 1e-12
    with pytest.raises(ValueError, match="normalize"):
        lpf_sr(x, 2, normalize="none")
