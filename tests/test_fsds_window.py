"""Tests of FSDS's explicitly named border variant, ``lpf.fsds(..., window=...)`` (issue 14).

The default stays the paper's FSDS exactly (the official values are checked in
tests/test_reference_open.py and tests/test_reference_paper.py; here: ``window=None`` and
``"rectangular"`` equal the plain call bit for bit). The windowed variant is checked against a
step-by-step float64 reference, for its properties and its errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy.signal import windows as scipy_windows

import lpf
from lpf import RangeError
from lpf.metrics import FSDSMetric
from lpf.metrics.frequency import FSDS


def _reference_windowed_fsds(pred: torch.Tensor, tar: torch.Tensor, window: np.ndarray,
                             denominator: str = "target") -> float:
    """The official algorithm (one C x H x W image, float64) with each image normalised by its
    window-weighted mean and std and multiplied by ``window`` (H, W) before the FFT, written out
    without the kit's shortcuts."""
    def integrate(x):
        if x.shape[1] % 2 == 1:
            x = torch.cat([x, torch.zeros(x.shape[0], 1, x.shape[2], dtype=x.dtype)], dim=1)
        spec = torch.fft.rfft2(x)
        half = x.shape[1] // 2
        return spec[:, :half].cumsum(1).cumsum(2), spec[:, half:].flip(1).cumsum(1).cumsum(2)

    w = torch.as_tensor(window, dtype=torch.float64)

    def normalise(x):  # window-weighted mean and (biased) variance over C, H, W
        x = x.double()
        weights = w.expand_as(x) / (w.sum() * x.shape[0])
        mean = (weights * x).sum()
        std = (weights * (x - mean) ** 2).sum().sqrt()
        return (x - mean) / std * w

    p, t = normalise(pred), normalise(tar)
    p1, p2 = integrate(p)
    t1, t2 = integrate(t)
    r1, r2 = (t1, t2) if denominator == "target" else (p1, p2)
    num = ((p1 - t1).abs() ** 2 + (p2 - t2).abs() ** 2).sum()
    den = (r1.abs() ** 2 + r2.abs() ** 2).sum()
    return -10 * math.log10(float(num / den))


def _pair(seed: int, shape=(3, 24, 20), dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(shape, generator=g, dtype=dtype)
    pred = (target + 0.05 * torch.randn(shape, generator=g, dtype=dtype)).clamp(0, 1)
    return pred, target


def _scipy_2d(name, h, w, *args):
    return np.outer(scipy_windows.get_window((name, *args) if args else name, h, fftbins=False),
                    scipy_windows.get_window((name, *args) if args else name, w, fftbins=False))


@pytest.mark.parametrize("window", [None, "rectangular", "boxcar", ("rect", 3.0)])
def test_default_is_the_paper_fsds_bit_for_bit(window):
    pred, target = _pair(1, shape=(2, 3, 17, 16))
    plain = lpf.fsds(pred, target)
    assert torch.equal(lpf.fsds(pred, target, window=window), plain)
    assert torch.equal(lpf.fsds(pred, target, denominator="pred", window=window),
                       lpf.fsds(pred, target, denominator="pred"))


@pytest.mark.parametrize("shape", [(3, 16, 16), (3, 17, 16), (1, 9, 31), (4, 33, 7)])
@pytest.mark.parametrize("spec, scipy_args", [("hann", ("hann",)), ("kaiser:6", ("kaiser", 6.0)),
                                              (("blackman", 0.0), ("blackman",))])
def test_windowed_matches_reference(shape, spec, scipy_args):
    pred, target = _pair(2, shape)
    w = _scipy_2d(*scipy_args[:1], shape[1], shape[2], *scipy_args[1:])
    for denominator in ("target", "pred"):
        assert lpf.fsds(pred, target, window=spec, denominator=denominator) == pytest.approx(
            _reference_windowed_fsds(pred, target, w, denominator), abs=1e-9)
    # float32 inputs stay close to the float64 value
    assert lpf.fsds(pred.float(), target.float(), window=spec) == pytest.approx(
        _reference_windowed_fsds(pred, target, w), abs=1e-3)


def test_windowed_properties():
    pred, target = _pair(3)
    base = lpf.fsds(pred, target, window="hann")
    assert base != pytest.approx(lpf.fsds(pred, target), abs=1e-3)
    assert lpf.fsds(target, target, window="hann") == math.inf
    assert lpf.fsds(0.5 * pred + 0.2, 3.0 * target - 1.0, window="hann") == pytest.approx(
        base, abs=1e-9)
    with pytest.raises(RangeError, match="zero standard deviation"):
        lpf.fsds(pred, torch.full_like(target, 0.5), window="hann")


def test_window_fades_out_a_bad_border():
    """A prediction equal to the target except a zeroed 2-pixel frame (zero padding): the paper's
    FSDS drops far more than the windowed one, which keeps most of the interior's agreement."""
    g = torch.Generator().manual_seed(4)
    target = torch.rand(3, 64, 64, generator=g, dtype=torch.float64)
    target = torch.nn.functional.avg_pool2d(target[None], 5, 1, 2, count_include_pad=False)[0]
    noisy = (target + 0.02 * torch.randn(target.shape, generator=g, dtype=torch.float64))
    framed = noisy.clone()
    framed[:, :2], framed[:, -2:], framed[:, :, :2], framed[:, :, -2:] = 0, 0, 0, 0
    plain_drop = lpf.fsds(noisy, target) - lpf.fsds(framed, target)
    hann_drop = lpf.fsds(noisy, target, window="hann") - lpf.fsds(framed, target, window="hann")
    assert plain_drop > 10.0 and hann_drop < 0.25 * plain_drop, (plain_drop, hann_drop)


def test_module_and_metric_take_the_window():
    pred, target = _pair(5, shape=(3, 3, 12, 14))
    torch.testing.assert_close(FSDS(window="hann")(pred, target),
                               lpf.fsds(pred, target, window="hann"))
    metric = FSDSMetric(window="kaiser:8", denominator="pred")
    metric.update(pred, target)
    assert float(metric.compute()) == pytest.approx(
        float(lpf.fsds(pred, target, window="kaiser:8", denominator="pred").mean()), abs=1e-9)


def test_compiled_path_is_not_taken_with_a_window(monkeypatch):
    pytest.importorskip("numba")
    import lpf.metrics.frequency as module

    monkeypatch.setattr(module, "COMPILED_MIN_VALUES", 0)
    monkeypatch.setattr(module, "_fsds_ratio_compiled", None)  # any use would raise
    pred, target = _pair(6)
    w = _scipy_2d("hann", 24, 20)
    assert lpf.fsds(pred, target, window="hann") == pytest.approx(
        _reference_windowed_fsds(pred, target, w), abs=1e-9)


@pytest.mark.parametrize("window, error, words", [
    ("hanm", ValueError, "Did you mean 'hann'"),
    ("kaiser:x", ValueError, "beta must be a number"),
    (3, TypeError, "window"),
    (("hann",), TypeError, "window"),
])
def test_bad_window(window, error, words):
    pred, target = _pair(7)
    with pytest.raises(error, match=words):
        lpf.fsds(pred, target, window=window)
    with pytest.raises(error, match=words):
        FSDS(window=window)
    with pytest.raises(error, match=words):
        FSDSMetric(window=window)


def test_window_zero_on_tiny_images():
    pred, target = _pair(8, shape=(3, 2, 2))
    with pytest.raises(ValueError, match="zero everywhere on 2x2"):
        lpf.fsds(pred, target, window="hann")
    assert math.isfinite(lpf.fsds(pred, target, window="hamming"))
