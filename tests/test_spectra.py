"""Tests for lpf.spectra: centred spectra, Parseval, radial profiles, band energies, zero insertion.

Reference values: NumPy's FFT (``np.fft.fft2``/``fftshift``/``fftfreq``), closed forms (the
Fourier transform of a Gaussian, the spectrum of a cosine, a delta's flat spectrum), a literal
DFT-matrix evaluation of paper Appx. F Eqs. 18-22, and ``scipy.signal.windows``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.signal
import torch

from lpf._checks import RangeError, ShapeError
from lpf.signal import spectra as S

SHAPES = [(5, 6), (3, 7, 7), (2, 3, 8, 8), (1, 1, 9, 4), (2, 1, 6, 11)]


def _rand(*shape, dtype=torch.float64, seed=0):
    return torch.rand(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _np_centred_fft(x: np.ndarray, s=None) -> np.ndarray:
    return np.fft.fftshift(np.fft.fft2(x, s=s, axes=(-2, -1)), axes=(-2, -1))


def _reference_ring_means(fn, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Slow, obviously correct ring average of fn(radius) over a centred h x w grid: pixel (i, j)
    has f_y = (i - h//2)/h, f_x = (j - w//2)/w and goes to ring round(r * max(h, w))."""
    n = max(h, w)
    sums, counts = {}, {}
    for i in range(h):
        for j in range(w):
            r = math.hypot((i - h // 2) / h, (j - w // 2) / w)
            k = math.floor(r * n + 0.5)
            sums[k] = sums.get(k, 0.0) + fn(r)
            counts[k] = counts.get(k, 0) + 1
    ks = range(max(sums) + 1)
    return (np.array([sums[k] / counts[k] for k in ks]), np.array([counts[k] for k in ks]))


# --------------------------------------------------------------------------------------------
# frequencies, fft2c, amplitude, phase


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 8, 64, 65])
@pytest.mark.parametrize("d", [1.0, 0.5])
def test_frequencies_match_numpy(n, d):
    np.testing.assert_allclose(
        S.frequencies(n, d=d).numpy(), np.fft.fftshift(np.fft.fftfreq(n, d=d)), atol=0
    )
    assert float(S.frequencies(n)[n // 2]) == 0.0  # DC at n // 2


def test_frequencies_errors():
    with pytest.raises(ValueError, match="`n`"):
        S.frequencies(0)
    with pytest.raises(TypeError, match="`n`"):
        S.frequencies(4.0)
    with pytest.raises(ValueError, match="`d`"):
        S.frequencies(4, d=0.0)


@pytest.mark.parametrize("shape", SHAPES)
def test_spectra_match_numpy(shape):
    x = _rand(*shape)
    ref = _np_centred_fft(x.numpy())
    np.testing.assert_allclose(S.fft2c(x).numpy(), ref, atol=1e-12)
    np.testing.assert_allclose(S.amplitude(x).numpy(), np.log(np.abs(ref) + 1), atol=1e-12)
    np.testing.assert_allclose(S.amplitude(x, log=False).numpy(), np.abs(ref), atol=1e-12)
    # phases agree modulo 2 pi (+pi and -pi are the same angle at real negative bins)
    np.testing.assert_allclose(np.angle(np.exp(1j * (S.phase(x).numpy() - np.angle(ref)))), 0,
                               atol=1e-10)
    pad = (shape[-2] + 3, shape[-1] + 4)
    np.testing.assert_allclose(
        S.fft2c(x, pad_to=pad).numpy(), _np_centred_fft(x.numpy(), s=pad), atol=1e-12
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_output_shapes(shape, device):
    x = _rand(*shape, dtype=torch.float32).to(device)
    for fn in (S.fft2c, S.amplitude, S.phase, S.power_spectrum):
        out = fn(x)
        assert out.shape == x.shape and out.device.type == device.type
        assert fn(x, pad_to=16).shape == (*shape[:-2], 16, 16)
    assert S.fft2c(x).dtype == torch.complex64
    assert S.amplitude(x).dtype == S.power_spectrum(x, window="hann").dtype == torch.float32
    assert S.fft2c(x.double()).dtype == torch.complex128


def test_dtype_promotion():
    x8 = torch.full((1, 4, 4), 255, dtype=torch.uint8)
    torch.testing.assert_close(S.amplitude(x8, log=False)[0, 2, 2], torch.tensor(16.0))
    assert S.power_spectrum(torch.ones(4, 4, dtype=torch.float16)).dtype == torch.float32
    np.testing.assert_allclose(S.amplitude(np.ones((3, 4, 4))).numpy()[:, 2, 2], np.log(17))


def test_fft2c_of_paper_display_convention_channel0():
    """The official HyRA display: log(|fftshift(fft2(x))| + 1) of channel 0 (P-HyRA)."""
    x = _rand(3, 12, 10)
    ref = np.log(np.abs(np.fft.fftshift(np.fft.fft2(x[0].numpy()))) + 1)
    np.testing.assert_allclose(S.amplitude(x)[0].numpy(), ref, atol=1e-12)


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (torch.zeros(8), ShapeError, "`image` must have shape"),
        (torch.zeros(1, 1, 1, 4, 4), ShapeError, "`image` must have shape"),
        (torch.zeros(3, 0, 4), ShapeError, "H >= 1"),
        (torch.tensor([[1.0, float("nan")]]), RangeError, "`image` must be finite"),
        ([[1.0, 2.0]], TypeError, "`image`"),
        (torch.zeros(4, 4, dtype=torch.int32), TypeError, "`image`"),
        (torch.zeros(4, 4, dtype=torch.complex64), TypeError, "`image`"),
    ],
)
def test_errors_for_bad_input(bad, error, match):
    for fn in (S.fft2c, S.amplitude, S.phase, S.power_spectrum):
        with pytest.raises(error, match=match):
            fn(bad)


def test_pad_to_errors():
    x = torch.zeros(8, 8)
    with pytest.raises(ShapeError, match="`pad_to` must be at least the image size"):
        S.fft2c(x, pad_to=(4, 8))
    with pytest.raises(TypeError, match="`pad_to`"):
        S.fft2c(x, pad_to=(8.0, 8.0))
    with pytest.raises(TypeError, match="`pad_to`"):
        S.power_spectrum(x, pad_to=(8, 8, 8))


# --------------------------------------------------------------------------------------------
# power spectrum: Parseval and windows


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("pad", [False, True])
def test_power_spectrum_parseval(shape, pad):
    x = _rand(*shape) - 0.3
    pad_to = (shape[-2] * 2 + 1, shape[-1] + 5) if pad else None
    p = S.power_spectrum(x, pad_to=pad_to)
    torch.testing.assert_close(
        p.mean(dim=(-2, -1)), x.square().mean(dim=(-2, -1)), rtol=1e-6, atol=0
    )
    if not pad:
        torch.testing.assert_close(p.sum(dim=(-2, -1)), x.square().sum(dim=(-2, -1)), rtol=1e-6,
                                   atol=0)


@pytest.mark.parametrize(("window", "spec"), [("hann", "hann"), ("kaiser", ("kaiser", 8.0)),
                                              (("kaiser", 3.0), ("kaiser", 3.0))])
def test_power_spectrum_window_is_unit_energy_separable(window, spec):
    x = _rand(2, 9, 12)
    wy = scipy.signal.windows.get_window(spec, 9, fftbins=False)
    wx = scipy.signal.windows.get_window(spec, 12, fftbins=False)
    w2 = np.outer(wy, wx)
    w2 /= np.sqrt((w2**2).sum())  # stylegan3 avg_spectra normalisation
    ref = np.abs(_np_centred_fft(x.numpy() * w2)) ** 2
    p = S.power_spectrum(x, window=window)
    np.testing.assert_allclose(p.numpy(), ref, rtol=1e-10, atol=1e-14)
    # generalised Parseval: the mean of P is the w^2-weighted mean of x^2
    np.testing.assert_allclose(p.mean(dim=(-2, -1)).numpy(), (x.numpy() ** 2 * w2**2).sum((-2, -1)))


def test_rectangular_window_equals_none():
    x = _rand(3, 10, 7)
    torch.testing.assert_close(S.power_spectrum(x, window="rectangular"), S.power_spectrum(x))


def test_power_spectrum_bad_window():
    with pytest.raises(ValueError, match="Did you mean 'hann'"):
        S.power_spectrum(torch.zeros(4, 4), window="hannn")
    with pytest.raises(TypeError, match="`window`"):
        S.power_spectrum(torch.zeros(4, 4), window=3)


# --------------------------------------------------------------------------------------------
# delta, Gaussian, cosine: radial profiles


@pytest.mark.parametrize(("h", "w"), [(16, 16), (15, 15), (12, 20), (9, 16)])
def test_delta_has_flat_amplitude_and_flat_radial_profile(h, w):
    x = torch.zeros(2, h, w, dtype=torch.float64)
    x[0, h // 2, w // 2] = 1.0
    x[1, 1, 3] = 1.0  # any position: only the phase changes
    torch.testing.assert_close(S.amplitude(x, log=False), torch.ones_like(x))
    prof = S.radial_profile(S.power_spectrum(x))
    assert not prof.values.isnan().any()
    torch.testing.assert_close(prof.values, torch.full_like(prof.values, 1.0 / (h * w)))
    assert int(prof.counts.sum()) == h * w


@pytest.mark.parametrize(("h", "w"), [(64, 64), (48, 64), (63, 50)])
def test_gaussian_radial_profile_matches_analytic_spectrum(h, w):
    """The DFT of a sampled Gaussian of std sigma (pixels) is, to within e^-30 here, the
    continuous transform 2 pi sigma^2 exp(-2 pi^2 sigma^2 f^2) (f in cycles/pixel)."""
    sigma = 2.5
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float64) - h // 2,
                            torch.arange(w, dtype=torch.float64) - w // 2, indexing="ij")
    x = torch.exp(-(xx**2 + yy**2) / (2 * sigma**2))

    def analytic(f):
        return 2 * math.pi * sigma**2 * torch.exp(-2 * math.pi**2 * sigma**2 * f**2)

    fy, fx = torch.meshgrid(S.frequencies(h), S.frequencies(w), indexing="ij")
    torch.testing.assert_close(S.amplitude(x, log=False), analytic(torch.sqrt(fx**2 + fy**2)),
                               atol=1e-10, rtol=0)
    prof = S.radial_profile(S.amplitude(x, log=False), max_frequency="nyquist")
    # ring averages of the analytic spectrum, binned by the independent loop below
    ref_values, ref_counts = _reference_ring_means(
        lambda r: float(analytic(torch.tensor(r, dtype=torch.float64))), h, w
    )
    n_bins = len(prof.frequency)
    np.testing.assert_allclose(prof.values.numpy(), ref_values[:n_bins], rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(prof.counts.numpy(), ref_counts[:n_bins])
    # and, coarsely, the analytic value at each ring's centre radius (rings are 1/max(H, W) wide)
    peak = analytic(torch.tensor(0.0))
    torch.testing.assert_close(prof.values, analytic(prof.frequency), atol=0.03 * peak, rtol=0)
    assert float(prof.frequency[-1]) == pytest.approx(0.5, abs=1 / max(h, w))


@pytest.mark.parametrize(("h", "w", "ky", "kx"), [(64, 64, 3, 4), (48, 64, 3, 4), (33, 33, 0, 5)])
def test_cosine_energy_at_its_radius(h, w, ky, kx):
    yy, xx = torch.meshgrid(torch.arange(h, dtype=torch.float64),
                            torch.arange(w, dtype=torch.float64), indexing="ij")
    x = torch.cos(2 * math.pi * (ky * yy / h + kx * xx / w))
    radius = math.hypot(ky / h, kx / w)
    prof = S.radial_profile(S.power_spectrum(x), reduction="sum")
    expected_bin = math.floor(radius * max(h, w) + 0.5)
    energy = prof.values / prof.values.sum()
    assert int(energy.argmax()) == expected_bin
    assert float(energy[expected_bin]) == pytest.approx(1.0, abs=1e-12)
    assert float(prof.frequency[expected_bin]) == pytest.approx(radius, abs=0.5 / max(h, w))
    # the total is Parseval's sum of squares
    assert float(prof.values.sum()) == pytest.approx(float(x.square().sum()), rel=1e-10)
    # and band_energy splits it at the radius
    assert float(S.energy_fraction_above(x, radius * 0.99)) == pytest.approx(1.0, abs=1e-12)
    assert float(S.energy_fraction_above(x, radius * 1.01)) == pytest.approx(0.0, abs=1e-12)


def test_radial_profile_shapes_and_options():
    spec = _rand(2, 3, 12, 20)
    corner = S.radial_profile(spec)
    nyq = S.radial_profile(spec, max_frequency="nyquist")
    assert corner.values.shape == (2, 3, len(corner.frequency)) == (2, 3, len(corner.counts))
    assert nyq.values.shape == (2, 3, 11)  # bins 0 .. 10 of width 1/20
    assert float(nyq.frequency[-1]) == 0.5
    assert float(corner.frequency[-1]) <= 0.5 * math.sqrt(2)
    torch.testing.assert_close(nyq.values, corner.values[..., :11])
    summed = S.radial_profile(spec, reduction="sum")
    torch.testing.assert_close(summed.values.sum(-1), spec.sum(dim=(-2, -1)))
    assert summed.counts.dtype == torch.int64 and int(summed.counts.sum()) == 240
    assert S.radial_profile(spec.float()).values.dtype == torch.float32
    assert S.radial_profile(torch.ones(1, 1)).values.tolist() == [1.0]


def test_radial_profile_errors():
    with pytest.raises(TypeError, match="`spectrum` must be real"):
        S.radial_profile(S.fft2c(torch.zeros(4, 4)))
    with pytest.raises(TypeError, match="`spectrum` must be real"):
        S.radial_profile(np.zeros((4, 4), dtype=complex))
    with pytest.raises(ShapeError, match="`spectrum`"):
        S.radial_profile(torch.zeros(4))
    with pytest.raises(ValueError, match="`reduction`"):
        S.radial_profile(torch.zeros(4, 4), reduction="max")
    with pytest.raises(ValueError, match="`max_frequency`"):
        S.radial_profile(torch.zeros(4, 4), max_frequency="edge")


# --------------------------------------------------------------------------------------------
# band energy


def test_band_energy_parseval_and_dc():
    x = _rand(2, 3, 10, 13)
    e = S.band_energy(x, cutoff=0.2, include_dc=True)
    assert e.below.shape == e.above.shape == (2, 3) and e.below.dtype == torch.float64
    torch.testing.assert_close(e.total, x.square().sum(dim=(-2, -1)))
    e0 = S.band_energy(x, cutoff=0.2)  # DC excluded: energy of the fluctuations
    xc = x - x.mean(dim=(-2, -1), keepdim=True)
    torch.testing.assert_close(e0.total, xc.square().sum(dim=(-2, -1)))
    torch.testing.assert_close(e0.above, e.above)
    # with a window, removing the weighted mean leaves exactly zero at DC
    ew = S.band_energy(x, cutoff=0.0, window="hann")
    torch.testing.assert_close(ew.below, torch.zeros_like(ew.below), atol=1e-14, rtol=0)
    frac = S.energy_fraction_above(x, 0.2)
    torch.testing.assert_close(frac, e0.fraction_above)
    assert bool(((frac >= 0) & (frac <= 1)).all())


def test_band_energy_norms():
    # a component at (fy, fx) = (0.25, 0.25): Euclidean radius 0.354, Chebyshev radius 0.25
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    x = torch.cos(2 * math.pi * 0.25 * (xx + yy))
    assert float(S.energy_fraction_above(x, 0.3)) == pytest.approx(1.0)
    assert float(S.energy_fraction_above(x, 0.3, norm="chebyshev")) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="`norm`"):
        S.band_energy(x, cutoff=0.3, norm="manhattan")


def test_band_energy_errors():
    with pytest.raises(ValueError, match="`cutoff`"):
        S.band_energy(torch.rand(4, 4), cutoff=-0.1)
    with pytest.raises(TypeError, match="`cutoff`"):
        S.band_energy(torch.rand(4, 4), cutoff="0.1")
    with pytest.raises(RangeError, match="zero spectral energy"):
        S.energy_fraction_above(torch.ones(2, 4, 4), 0.1)
    with pytest.raises(RangeError, match="zero spectral energy"):
        S.energy_fraction_above(torch.zeros(4, 4), 0.1, include_dc=True)


# --------------------------------------------------------------------------------------------
# zero insertion: paper Appx. F, Eqs. 18-22


@pytest.mark.parametrize("s", [2, 3, 4])
@pytest.mark.parametrize("n", [5, 6])
def test_zero_insertion_eqs_18_to_22_literal_1d(s, n):
    """Eq. 19 builds x2 of length sN; Eq. 20 evaluates its DFT by definition; Eq. 22 says
    X'[k] = X[k mod N] for every 0 <= k < sN (periodic copies)."""
    x = np.random.default_rng(s * 10 + n).standard_normal(n)
    row = S.zero_insert(torch.from_numpy(x)[None, :], s)  # (1, N) -> (s, sN); row 0 is Eq. 19
    x2 = row[0].numpy()
    assert row.shape == (s, s * n) and not row[1:].any()
    np.testing.assert_array_equal(x2[::s], x)
    k = np.arange(s * n)
    dft18 = np.exp(-2j * np.pi / n * np.outer(np.arange(n), np.arange(n)))  # Eq. 18
    big_x = dft18 @ x
    x_prime = np.exp(-2j * np.pi / (s * n) * np.outer(k, np.arange(s * n))) @ x2  # Eq. 20
    np.testing.assert_allclose(x_prime, big_x[k % n], atol=1e-10)  # Eqs. 21-22


@pytest.mark.parametrize("s", [2, 3, 4])
@pytest.mark.parametrize(("h", "w"), [(5, 5), (6, 4), (7, 8)])
def test_zero_insertion_tiles_the_dft(s, h, w):
    x = _rand(2, 3, h, w)
    y = S.zero_insert(x, s)
    assert y.shape == (2, 3, s * h, s * w)
    big = torch.fft.fft2(x)
    # 2-D: the s x s periodic tiling of the original DFT
    torch.testing.assert_close(torch.fft.fft2(y), big.repeat(1, 1, s, s), atol=1e-10, rtol=0)
    # 1-D per axis: along W the non-zero rows tile fft(x, W); along H the non-zero columns
    fw = torch.fft.fft(y, dim=-1)
    torch.testing.assert_close(fw[..., ::s, :], torch.fft.fft(x, dim=-1).repeat(1, 1, 1, s),
                               atol=1e-10, rtol=0)
    fh = torch.fft.fft(y, dim=-2)
    torch.testing.assert_close(fh[..., ::s], torch.fft.fft(x, dim=-2).repeat(1, 1, s, 1),
                               atol=1e-10, rtol=0)
    # amplitude spectra (centred): the copies, Fig. 18
    torch.testing.assert_close(S.amplitude(y, log=False).sum(), s * s * S.amplitude(x, log=False)
                               .sum(), rtol=1e-10, atol=0)


@pytest.mark.parametrize("s", [2, 3, 4])
def test_zero_insertion_phase_offset_is_a_linear_phase(s):
    h, w = 5, 6
    x = _rand(1, h, w)
    py, px = s - 1, s // 2
    y = S.zero_insert(x, s, phase=(py, px))
    assert torch.equal(y[..., py::s, px::s], x)
    ky = torch.arange(s * h, dtype=torch.float64)[:, None]
    kx = torch.arange(s * w, dtype=torch.float64)[None, :]
    ramp = torch.exp(-2j * math.pi * (ky * py / (s * h) + kx * px / (s * w)))
    torch.testing.assert_close(torch.fft.fft2(y), torch.fft.fft2(x).repeat(1, s, s) * ramp,
                               atol=1e-10, rtol=0)


@pytest.mark.parametrize("s", [2, 3, 4])
def test_zero_insertion_copies_lie_outside_the_square(s):
    """Odd sizes: the central copy is exactly |f| < 1/(2s); the other s^2 - 1 lie outside."""
    x = _rand(2, 3, 9, 7)
    frac = S.energy_fraction_above(S.zero_insert(x, s), 1 / (2 * s), norm="chebyshev",
                                   include_dc=True)
    torch.testing.assert_close(frac, torch.full_like(frac, (s * s - 1) / (s * s)))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("s", [1, 2, 3])
def test_decimate_inverts_zero_insert(shape, s):
    x = _rand(*shape, dtype=torch.float32)
    for p in [(0, 0), (s - 1, 0), (0, s - 1), (s - 1, s - 1)]:
        y = S.zero_insert(x, s, phase=p)
        assert y.shape == (*shape[:-2], s * shape[-2], s * shape[-1]) and y.dtype == x.dtype
        assert torch.equal(S.decimate(y, s, phase=p), x)
        assert float(y.sum()) == pytest.approx(float(x.sum()), rel=1e-5)


def test_zero_insert_decimate_errors():
    x = torch.zeros(1, 3, 4, 4)
    with pytest.raises(ValueError, match="`scale`"):
        S.zero_insert(x, 0)
    with pytest.raises(TypeError, match="`scale`"):
        S.zero_insert(x, 1.5)
    with pytest.raises(ValueError, match=r"`phase` must lie in \[0, scale\)"):
        S.zero_insert(x, 2, phase=(0, 2))
    with pytest.raises(TypeError, match="`phase`"):
        S.zero_insert(x, 2, phase=(0, 0, 0))
    with pytest.raises(ShapeError, match="`image`"):
        S.zero_insert(torch.zeros(4), 2)
    with pytest.raises(ShapeError, match="multiples of scale=3"):
        S.decimate(x, 3)
    with pytest.raises(ValueError, match="`phase`"):
        S.decimate(x, 2, phase=-1)
