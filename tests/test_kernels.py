"""Tests for lpf.kernels: sinc, windows, interpolation kernels, frequency responses, leakage.

Reference values come from closed forms (Keys' cubic, the box and triangle spectra), from
``scipy.signal.windows`` (windows) and from ``scipy.integrate.quad`` (integrals), never from the
code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.integrate
import scipy.signal
import torch

from lpf.signal import kernels as K
from lpf.signal import windows as W

PHASES = torch.linspace(0.0, 1.0, 101, dtype=torch.float64)[:-1]  # t in [0, 1)


def _quad(fn, a: float, b: float, knots=()) -> float:
    """Independent integral of a scalar function (scipy QUADPACK), split at the given knots."""
    edges = sorted({a, b, *[k for k in knots if a < k < b]})
    return sum(
        scipy.integrate.quad(fn, lo, hi, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    )


def _keys(x: float, a: float = -0.5) -> float:
    """Keys (1981) cubic convolution kernel, written out independently of lpf."""
    x = abs(x)
    if x <= 1:
        return (a + 2) * x**3 - (a + 3) * x**2 + 1
    if x < 2:
        return a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a
    return 0.0


# --------------------------------------------------------------------------------------------
# sinc


def test_sinc_known_values_and_zeros():
    assert float(K.sinc(0.0)) == 1.0
    x = torch.arange(1, 11, dtype=torch.float64)
    torch.testing.assert_close(K.sinc(x), torch.zeros_like(x), atol=1e-15, rtol=0)
    torch.testing.assert_close(K.sinc(-x), torch.zeros_like(x), atol=1e-15, rtol=0)
    assert float(K.sinc(0.5)) == pytest.approx(2 / math.pi, abs=1e-15)
    xs = np.linspace(-5, 5, 1001)
    np.testing.assert_allclose(K.sinc(xs).numpy(), np.sinc(xs), atol=1e-15)


def test_sinc_dtype_and_shape():
    assert K.sinc([0.0, 1.0]).dtype == torch.float64
    assert K.sinc(torch.zeros(2, 3, dtype=torch.float32)).dtype == torch.float32
    assert K.sinc(torch.arange(4)).dtype == torch.float64  # integer tensors are promoted
    assert K.sinc(np.zeros((2, 5))).shape == (2, 5)
    with pytest.raises(TypeError, match="complex"):
        K.sinc(torch.zeros(2, dtype=torch.complex64))


@pytest.mark.parametrize("omega", [math.pi / 4, math.pi / 2, math.pi, 2.0])
def test_sinc_omega_paper_table2(omega):
    t = torch.linspace(-7, 7, 141, dtype=torch.float64)
    expected = torch.where(t == 0, torch.tensor(omega / math.pi, dtype=torch.float64),
                           torch.sin(omega * t) / (math.pi * t))
    torch.testing.assert_close(K.sinc_omega(t, omega), expected, atol=1e-14, rtol=0)
    assert float(K.sinc_omega(0.0, omega)) == pytest.approx(omega / math.pi)
    zeros = torch.arange(1, 5, dtype=torch.float64) * math.pi / omega
    torch.testing.assert_close(K.sinc_omega(zeros, omega), torch.zeros(4, dtype=torch.float64),
                               atol=1e-14, rtol=0)


def test_sinc_omega_pi_is_sinc():
    t = torch.linspace(-4, 4, 81, dtype=torch.float64)
    torch.testing.assert_close(K.sinc_omega(t, math.pi), K.sinc(t))


@pytest.mark.parametrize("omega", [0.0, -1.0, float("inf"), float("nan")])
def test_sinc_omega_rejects_bad_omega(omega):
    with pytest.raises(ValueError, match="`omega`"):
        K.sinc_omega(1.0, omega)


# --------------------------------------------------------------------------------------------
# windows


def _scipy_window(name: str, n: int, sym: bool, beta: float) -> np.ndarray:
    spec = {"rectangular": "boxcar", "kaiser": ("kaiser", beta)}.get(name, name)
    return scipy.signal.windows.get_window(spec, n, fftbins=not sym)


@pytest.mark.parametrize("name", W.WINDOWS)
@pytest.mark.parametrize("n", [1, 2, 3, 8, 17])
@pytest.mark.parametrize("sym", [True, False], ids=["sym", "periodic"])
def test_window_matches_scipy(name, n, sym):
    ours = W.window(name, n, sym=sym, beta=6.5)
    assert ours.shape == (n,) and ours.dtype == torch.float64
    np.testing.assert_allclose(ours.numpy(), _scipy_window(name, n, sym, 6.5), atol=1e-14)


def test_window_default_kaiser_beta_is_8():
    np.testing.assert_allclose(
        W.window("kaiser", 9).numpy(), scipy.signal.windows.kaiser(9, 8.0), atol=1e-14
    )


def test_window_aliases_dtype_device(device):
    torch.testing.assert_close(W.window("Hanning", 6), W.window("hann", 6))
    torch.testing.assert_close(W.window("boxcar", 4), torch.ones(4, dtype=torch.float64))
    torch.testing.assert_close(W.window("sinc", 7), W.window("lanczos", 7))
    w = W.window("blackman", 5, dtype=torch.float32, device=device)
    assert w.dtype == torch.float32 and w.device.type == device.type


def test_window_errors():
    with pytest.raises(ValueError, match="Did you mean 'hann'"):
        W.window("han", 8)
    with pytest.raises(ValueError, match="`n` must be an integer >= 1, got 0"):
        W.window("hann", 0)
    with pytest.raises(TypeError, match="`n`"):
        W.window("hann", 4.0)
    with pytest.raises(TypeError, match="`name`"):
        W.window(3, 4)
    with pytest.raises(ValueError, match="`beta`"):
        W.window("kaiser", 4, beta=-1.0)


@pytest.mark.parametrize("name", W.WINDOWS)
def test_window_fn_samples_are_the_discrete_window(name):
    n = 11
    x = torch.arange(n, dtype=torch.float64) - (n - 1) / 2
    torch.testing.assert_close(W.window_fn(name, x, half_width=(n - 1) / 2), W.window(name, n))
    outside = torch.tensor([-5.01, 5.5, 100.0], dtype=torch.float64)
    assert W.window_fn(name, outside, half_width=5.0).abs().max() == 0
    assert float(W.window_fn(name, 0.0, half_width=2.0)) == pytest.approx(1.0)


def test_window_fn_rejects_bad_half_width():
    with pytest.raises(ValueError, match="`half_width`"):
        W.window_fn("hann", 0.0, half_width=0.0)


# --------------------------------------------------------------------------------------------
# interpolation kernels


def test_known_kernel_values():
    assert float(K.cubic(0.0)) == 1.0
    ints = torch.tensor([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0], dtype=torch.float64)
    assert K.cubic(ints).abs().max() == 0
    assert K.cubic(ints, a=-0.75).abs().max() == 0
    assert float(K.cubic(0.5)) == 0.5625  # Keys a=-0.5
    assert float(K.cubic(-0.5)) == 0.5625
    assert float(K.cubic(0.5, a=-0.75)) == pytest.approx(0.59375)
    assert float(K.cubic(1.5)) == pytest.approx(-0.0625)
    xs = np.linspace(-3, 3, 121)
    for a in (-0.5, -0.75, -1.0):
        np.testing.assert_allclose(K.cubic(xs, a=a).numpy(), [_keys(x, a) for x in xs], atol=1e-14)
    assert float(K.linear(0.25)) == 0.75
    assert float(K.linear(-0.25)) == 0.75
    assert float(K.linear(1.0)) == 0.0
    assert K.nearest([-0.5, 0.0, 0.4999, 0.5, -0.5001]).tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]
    for a in (2, 3):
        assert float(K.lanczos(0.0, a=a)) == 1.0
        nonzero_ints = torch.tensor([i for i in range(-a - 1, a + 2) if i], dtype=torch.float64)
        torch.testing.assert_close(K.lanczos(nonzero_ints, a=a), torch.zeros_like(nonzero_ints),
                                   atol=1e-15, rtol=0)
    assert float(K.lanczos(0.5, a=3)) == pytest.approx(np.sinc(0.5) * np.sinc(0.5 / 3))


@pytest.mark.parametrize("name", sorted(K.INTERPOLATION_KERNELS))
def test_kernel_is_zero_outside_support(name):
    spec = K.INTERPOLATION_KERNELS[name]
    x = torch.tensor([spec.support, spec.support + 0.3, 10.0], dtype=torch.float64)
    assert spec(x).abs().max() == 0
    assert spec(-x[1:]).abs().max() == 0
    assert spec(0.0) == 1.0


@pytest.mark.parametrize("name", sorted(K.INTERPOLATION_KERNELS))
def test_partition_of_unity(name):
    """sum_k k(t + k) over integer shifts k, for phases t in [0, 1): the unit DC gain of the
    discrete interpolation filter at every sub-pixel position."""
    spec = K.INTERPOLATION_KERNELS[name]
    shifts = range(-math.ceil(spec.support) - 1, math.ceil(spec.support) + 2)
    total = sum(spec(PHASES + k) for k in shifts)
    deviation = float((total - 1).abs().max())
    if spec.partition_of_unity:
        assert deviation < 1e-12
    else:  # Lanczos: documented deviation (1.9e-2 for a=2, 5.7e-3 for a=3)
        assert 1e-4 < deviation < {"lanczos2": 0.02, "lanczos3": 0.006}[name]


@pytest.mark.parametrize("name", sorted(K.INTERPOLATION_KERNELS))
def test_kernel_integral(name):
    spec = K.INTERPOLATION_KERNELS[name]
    knots = np.arange(-spec.support, spec.support + 0.5, 0.5)
    integral = _quad(lambda x: float(spec(x)), -spec.support, spec.support, knots)
    expected = {"lanczos2": 1.0097898, "lanczos3": 0.9970553}.get(name, 1.0)
    assert integral == pytest.approx(expected, abs=1e-7)
    # the frequency response at DC is the same integral
    assert float(K.kernel_frequency_response(name, [0.0]).response[0]) == pytest.approx(
        integral, abs=1e-10
    )


# --------------------------------------------------------------------------------------------
# frequency responses


def test_frequency_response_analytic_box_and_triangle():
    f = torch.linspace(0, 6, 121, dtype=torch.float64)
    torch.testing.assert_close(K.kernel_frequency_response("nearest", f).response, torch.sinc(f))
    torch.testing.assert_close(
        K.kernel_frequency_response("linear", f).response, torch.sinc(f) ** 2
    )
    # the quadrature path (a callable) agrees with the closed forms
    numeric = K.kernel_frequency_response(lambda x: K.linear(x), f, support=1.0)
    torch.testing.assert_close(numeric.response, torch.sinc(f) ** 2, atol=1e-12, rtol=0)
    numeric = K.kernel_frequency_response(lambda x: K.nearest(x), f, support=0.5)
    torch.testing.assert_close(numeric.response, torch.sinc(f), atol=1e-12, rtol=0)


@pytest.mark.parametrize("f", [0.1, 0.37, 0.5, 1.3])
def test_frequency_response_cubic_against_quad(f):
    expected = 2 * _quad(lambda x: _keys(x) * math.cos(2 * math.pi * f * x), 0, 2, [1])
    got = float(K.kernel_frequency_response("cubic", [f]).response[0])
    assert got == pytest.approx(expected, abs=1e-10)


@pytest.mark.parametrize("name", ["nearest", "linear", "cubic", "cubic_opencv"])
def test_partition_of_unity_kernels_null_the_replicas(name):
    """Poisson summation: a partition of unity has H(0) = 1 and H(m) = 0 at non-zero integers,
    i.e. it removes the centre of every spectral copy of the zero-inserted signal (Appx. F)."""
    fr = K.kernel_frequency_response(name, [0.0, 1.0, 2.0, 3.0])
    torch.testing.assert_close(
        fr.response, torch.tensor([1.0, 0.0, 0.0, 0.0], dtype=torch.float64), atol=1e-12, rtol=0
    )


def test_frequency_response_default_grid_and_errors():
    fr = K.kernel_frequency_response("lanczos3")
    assert fr.frequency.shape == fr.response.shape == (401,)
    assert float(fr.frequency[0]) == 0.0 and float(fr.frequency[-1]) == 2.0
    with pytest.raises(ValueError, match="Did you mean 'cubic'"):
        K.kernel_frequency_response("cubik")
    with pytest.raises(ValueError, match="`support`"):
        K.kernel_frequency_response(lambda x: x)
    with pytest.raises(TypeError, match="`kernel`"):
        K.kernel_frequency_response(3)


# --------------------------------------------------------------------------------------------
# windowed sinc and stopband leakage


def test_windowed_sinc():
    x = torch.linspace(-6, 6, 241, dtype=torch.float64)
    rect = K.windowed_sinc(x, window="rectangular", half_width=4)
    torch.testing.assert_close(rect, torch.where(x.abs() <= 4, torch.sinc(x), 0.0))
    hann = K.windowed_sinc(x)  # cutoff 0.5, Hann, half-width 4
    torch.testing.assert_close(hann, torch.sinc(x) * W.window_fn("hann", x, half_width=4))
    assert float(K.windowed_sinc(0.0, cutoff=0.25)) == 0.5
    zeros = torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64)  # cutoff 0.25: zeros every 2
    torch.testing.assert_close(K.windowed_sinc(zeros, cutoff=0.25, half_width=8),
                               torch.zeros(3, dtype=torch.float64), atol=1e-15, rtol=0)
    with pytest.raises(ValueError, match="`cutoff`"):
        K.windowed_sinc(x, cutoff=0.0)


def test_stopband_leakage_closed_forms():
    # box: H = sinc f, energy 1
    nearest = 1 - _quad(lambda f: np.sinc(f) ** 2, -0.5, 0.5)
    assert K.stopband_leakage("nearest") == pytest.approx(nearest, abs=1e-9)
    assert nearest == pytest.approx(0.2263, abs=1e-4)
    # triangle: H = sinc^2 f, energy 2/3
    linear = 1 - _quad(lambda f: np.sinc(f) ** 4, -0.5, 0.5) / (2 / 3)
    assert K.stopband_leakage("linear") == pytest.approx(linear, abs=1e-9)
    # callable path, other cutoff
    box = 1 - _quad(lambda f: np.sinc(f) ** 2, -0.25, 0.25)
    assert K.stopband_leakage(K.nearest, cutoff=0.25, support=0.5) == pytest.approx(box, abs=1e-9)


def test_stopband_leakage_ordering_paper_fig2():
    """All kernels are low-pass approximations of the ideal filter (paper Fig. 2): the box leaks
    most, the long truncated sinc least."""
    leak = {name: K.stopband_leakage(name) for name in K.INTERPOLATION_KERNELS}
    truncated_sinc = K.stopband_leakage(
        lambda x: K.windowed_sinc(x, window="rectangular", half_width=32), support=32
    )
    assert leak["nearest"] > leak["linear"] > leak["cubic"] > leak["cubic_opencv"]
    assert leak["nearest"] > 0.2
    assert leak["lanczos3"] < leak["lanczos2"] < leak["linear"]
    assert leak["lanczos3"] < 0.03
    assert 0 < truncated_sinc < 0.002
    assert truncated_sinc < min(leak.values())


def test_stopband_leakage_errors():
    with pytest.raises(ValueError, match="`support`"):
        K.stopband_leakage(K.cubic)
    with pytest.raises(ValueError, match="`cutoff`"):
        K.stopband_leakage("cubic", cutoff=-0.5)
    with pytest.raises(ValueError, match="zero"):
        K.stopband_leakage(lambda x: 0 * x, support=1.0)
    with pytest.raises(ValueError, match="one of"):
        K.stopband_leakage("bicubic_cv")
