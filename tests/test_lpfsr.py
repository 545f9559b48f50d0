"""Tests of lpf.lpfsr: the official sinc LPF super-resolution and the principled one."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from PIL import Image

import lpf
from lpf import ShapeError
from lpf.signal.lpfsr import (
    cutoff_to_omega,
    lpf_sr,
    lpf_sr_paper,
    omega_to_cutoff,
    resampling_matrix,
)


def _read(path) -> torch.Tensor:
    return torch.from_numpy(np.array(Image.open(path).convert("RGB"))).permute(2, 0, 1) / 255.0


def _psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    return 10 * math.log10(1.0 / float(((a.double() - b.double()) ** 2).mean()))


@pytest.fixture(scope="module")
def baby(reference):
    folder = reference / "lpf_example"
    return (
        _read(folder / "baby_x2.png"),
        _read(folder / "baby.png"),
        np.load(folder / "baby_lpf_omega48.5_official.npy"),
        json.loads((folder / "lpf_official.json").read_text()),
    )


def test_paper_mode_reproduces_official_array(baby):
    lr, hr, official, numbers = baby
    sr = lpf_sr_paper(lr, 2, omega=48.5)
    assert sr.shape == official.shape == (3, 504, 504)
    diff = np.abs(sr.numpy() - official)
    # The separable float64 computation differs from the official float32 2-D convolution only
    # by the latter's accumulation noise (measured: max 2.2e-5, mean 3e-6).
    assert diff.max() < 3e-5 and diff.mean() < 5e-6, (diff.max(), diff.mean())
    assert _psnr(sr, hr) == pytest.approx(numbers["psnr_rgb"], abs=1e-3)
    assert lpf.fsds(sr, hr) == pytest.approx(numbers["fsds"], abs=2e-3)
    # the paper's published notebook printed 27.4518 dB / 27.5094 dB
    assert _psnr(sr, hr) == pytest.approx(27.452, abs=1e-3)
    assert lpf.fsds(sr, hr) == pytest.approx(27.509, abs=1e-3)


def test_official_float32_arithmetic_is_bit_exact_on_crops(baby):
    """The official float32 2-D convolution (``method="official"``) reproduces the official
    array bit for bit. The whole image takes ~30-130 s here, so this checks two output crops:
    the convolution of a crop uses the same per-pixel float32 arithmetic, and the min-max rescale
    needs the exact extremes, found with the separable result and recomputed officially (one
    channel at a time: oneDNN's accumulation order depends on the batch and window shape)."""
    from lpf.lpfsr import _paper_axis_matrix, _paper_conv2d, _paper_rescale

    lr, _, official, _ = baby
    x = lr[None].float()
    rows = torch.from_numpy(_paper_axis_matrix(252, 252, 2, 48.5))
    approx = rows @ lr.double() @ rows.T
    lo, hi = torch.empty(1, 3, 1, 1), torch.empty(1, 3, 1, 1)
    for c in range(3):
        for target, index in ((lo, int(approx[c].argmin())), (hi, int(approx[c].argmax()))):
            r, q = divmod(index, 504)
            pixel = _paper_conv2d(x[:, c : c + 1], 2, 48.5, window=(r, r + 1, q, q + 1))
            target[0, c] = pixel[0, 0]
    for r0, c0 in ((0, 0), (230, 300)):
        raw = _paper_conv2d(x, 2, 48.5, window=(r0, r0 + 32, c0, c0 + 40))
        crop = _paper_rescale(raw, x, lo, hi)[0]
        expected = official[:, r0 : r0 + 32, c0 : c0 + 40]
        # bit-exact on this machine; 1e-6 leaves room for another CPU's float32 kernel choice
        np.testing.assert_allclose(crop.numpy(), expected, atol=1e-6, rtol=0)


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
