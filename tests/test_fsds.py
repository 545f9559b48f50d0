"""Tests of lpf.fsds: official values, properties, batching, gradients, module/metric/loss forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import lpf
from lpf import RangeError, ShapeError
from lpf.metrics import FSDSMetric
from lpf.metrics.frequency import FSDS, FSDSLoss, fsds_loss, integrated_spectrum


def _reference_fsds_official(pred: torch.Tensor, tar: torch.Tensor) -> float:
    """The official algorithm (PAPER.md, 'Discrete FSDS as implemented'), one CxHxW image at a
    time, written out step by step without the kit's shortcuts (no linearity trick, no shared
    column cumsum), in float64."""
    def integrate(x: torch.Tensor):
        if x.shape[1] % 2 == 1:
            x = torch.cat([x, torch.zeros(x.shape[0], 1, x.shape[2], dtype=x.dtype)], dim=1)
        spec = torch.fft.rfft2(x, norm="backward")
        half = x.shape[1] // 2
        p1 = spec[:, :half, :]
        p2 = torch.flip(spec[:, half:, :], dims=[1])
        return p1.cumsum(1).cumsum(2), p2.cumsum(1).cumsum(2)

    pred = pred.double()
    tar = tar.double()
    pred = (pred - pred.mean()) / pred.std()
    tar = (tar - tar.mean()) / tar.std()
    p1, p2 = integrate(pred)
    t1, t2 = integrate(tar)
    num = ((p1 - t1).abs() ** 2 + (p2 - t2).abs() ** 2).sum()
    den = (t1.abs() ** 2 + t2.abs() ** 2).sum()
    return -10 * math.log10(float(num / den))


def _pair(seed: int, shape=(3, 24, 20), noise=0.05, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(shape, generator=g, dtype=dtype)
    pred = (target + noise * torch.randn(shape, generator=g, dtype=dtype)).clamp(0, 1)
    return pred, target


# --- the official values: Set5 crops (fsds_official.json) in tests/test_reference_paper.py,
# open photographs in tests/test_reference_open.py ------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 16, 16), (3, 17, 16), (3, 16, 17), (1, 9, 31), (3, 2, 2),
                                   (4, 33, 7)])
def test_matches_reference_loop_on_odd_and_even_sizes(shape):
    pred, target = _pair(1, shape)
    assert lpf.fsds(pred, target) == pytest.approx(_reference_fsds_official(pred, target),
                                                   abs=1e-9)


# --- the two denominators ------------------------------------------------------------------


def test_denominator_pred_is_the_table1_argument_order():
    pred, target = _pair(2)
    paper = lpf.fsds(pred, target)
    table1 = lpf.fsds(pred, target, denominator="pred")
    assert paper == pytest.approx(_reference_fsds_official(pred, target), abs=1e-9)
    # The official table script called fsds(gt, sr): SR's spectrum in the denominator.
    assert table1 == pytest.approx(_reference_fsds_official(target, pred), abs=1e-9)
    assert table1 != pytest.approx(paper, abs=1e-6)


def test_denominator_rejects_unknown():
    pred, target = _pair(2)
    with pytest.raises(ValueError, match="denominator"):
        lpf.fsds(pred, target, denominator="hr")


# --- properties ----------------------------------------------------------------------------


def test_identical_images_give_infinity():
    _, target = _pair(3)
    assert lpf.fsds(target, target) == math.inf
    assert torch.isinf(lpf.fsds(target[None], target[None])).all()


def test_invariant_to_positive_affine_intensity_changes():
    pred, target = _pair(4)
    base = lpf.fsds(pred, target)
    assert lpf.fsds(0.5 * pred + 0.2, target) == pytest.approx(base, abs=1e-9)
    assert lpf.fsds(pred, 3.0 * target - 1.0) == pytest.approx(base, abs=1e-9)


def test_more_noise_gives_lower_fsds():
    values = [lpf.fsds(*_pair(5, noise=n)) for n in (0.01, 0.03, 0.1, 0.3)]
    assert values == sorted(values, reverse=True)


def test_numpy_input_and_uint8():
    pred, target = _pair(6)
    ref = lpf.fsds(pred, target)
    assert lpf.fsds(pred.numpy(), target.numpy()) == pytest.approx(ref)
    p8 = (pred * 255).round().to(torch.uint8)
    t8 = (target * 255).round().to(torch.uint8)
    assert lpf.fsds(p8, t8) == pytest.approx(lpf.fsds(p8.double() / 255, t8.double() / 255),
                                            abs=1e-5)


def test_float32_close_to_float64():
    pred, target = _pair(7, shape=(3, 64, 48))
    assert lpf.fsds(pred.float(), target.float()) == pytest.approx(lpf.fsds(pred, target),
                                                                   abs=1e-4)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_batch_shape_and_values(n):
    pred, target = _pair(8, shape=(n, 3, 15, 18))
    values = lpf.fsds(pred, target)
    assert isinstance(values, torch.Tensor) and values.shape == (n,)
    for i in range(n):
        assert float(values[i]) == pytest.approx(lpf.fsds(pred[i], target[i]), abs=1e-9)
    assert isinstance(lpf.fsds(pred[0], target[0]), float)


def test_device_and_dtype(device, dtype):
    pred, target = _pair(9, dtype=dtype)
    value = lpf.fsds(pred.to(device)[None], target.to(device)[None])
    assert value.device.type == device.type


# --- edge cases and bad input ---------------------------------------------------------------


def test_constant_image_is_a_clear_error():
    pred, target = _pair(10)
    with pytest.raises(RangeError, match="`target` has zero standard deviation"):
        lpf.fsds(pred, torch.full_like(target, 0.5))
    with pytest.raises(RangeError, match="`pred` has zero standard deviation"):
        lpf.fsds(torch.zeros_like(pred), target)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_is_a_clear_error(bad):
    pred, target = _pair(11)
    pred[0, 3, 3] = bad
    with pytest.raises(RangeError, match="`pred` must be finite"):
        lpf.fsds(pred, target)


def test_shape_mismatch():
    pred, target = _pair(12)
    with pytest.raises(ShapeError, match=r"same shape.*\(3, 24, 20\) and \(3, 24, 21\)"):
        lpf.fsds(pred, torch.rand(3, 24, 21, dtype=torch.float64))


@pytest.mark.parametrize("shape", [(24, 20), (1, 1, 3, 24, 20)])
def test_wrong_rank(shape):
    x = torch.rand(shape)
    with pytest.raises(ShapeError, match=r"`pred` must have shape \(C, H, W\) or \(N, C, H, W\)"):
        lpf.fsds(x, x)


@pytest.mark.parametrize("shape", [(3, 1, 5), (3, 5, 1)])
def test_smaller_than_2x2(shape):
    x = torch.rand(shape)
    with pytest.raises(ShapeError, match="at least 2x2"):
        lpf.fsds(x, x)


def test_integer_dtypes_other_than_uint8_refused():
    x = torch.randint(0, 255, (3, 8, 8), dtype=torch.int32)
    with pytest.raises(TypeError, match="ambiguous"):
        lpf.fsds(x, x)


# --- gradients and the loss ----------------------------------------------------------------


def test_gradcheck_float64():
    pred, target = _pair(13, shape=(2, 3, 9, 8))
    pred.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda p: lpf.fsds(p, target), (pred,), eps=1e-6,
                                    atol=1e-5)


def test_loss_is_minus_fsds_and_finite_for_identical_images():
    pred, target = _pair(14, shape=(2, 3, 16, 16))
    loss = fsds_loss(pred, target, reduction="none")
    np.testing.assert_allclose(loss.numpy(), -lpf.fsds(pred, target).numpy(), atol=1e-6)
    same = fsds_loss(target, target)
    assert torch.isfinite(same) and float(same) == pytest.approx(-100.0)
    assert FSDSLoss()(pred, target) == fsds_loss(pred, target)


def test_optimising_the_loss_raises_fsds():
    _, target = _pair(15, shape=(1, 3, 32, 32), dtype=torch.float32)
    g = torch.Generator().manual_seed(0)
    pred = (target + 0.2 * torch.randn(target.shape, generator=g)).requires_grad_(True)
    before = float(lpf.fsds(pred.detach(), target)[0])
    opt = torch.optim.Adam([pred], lr=0.01)
    for _ in range(20):
        opt.zero_grad()
        FSDSLoss()(pred, target).backward()
        opt.step()
    after = float(lpf.fsds(pred.detach(), target)[0])
    assert after > before + 3.0, (before, after)


# --- module and metric forms ---------------------------------------------------------------


def test_module_equals_function():
    pred, target = _pair(16, shape=(3, 3, 12, 14))
    for denominator in ("target", "pred"):
        torch.testing.assert_close(FSDS(denominator=denominator)(pred, target),
                                   lpf.fsds(pred, target, denominator=denominator))


def test_metric_class_equals_function_mean_and_resets():
    pred, target = _pair(17, shape=(5, 3, 12, 14))
    metric = FSDSMetric()
    metric.update(pred[:2], target[:2])
    metric.update(pred[2:], target[2:])
    assert metric.count == 5
    assert metric.compute() == pytest.approx(float(lpf.fsds(pred, target).mean()), abs=1e-9)
    metric.reset()
    with pytest.warns(UserWarning, match="before the ``update``"), \
            pytest.raises(RuntimeError, match="before any update"):
        metric.compute()


def test_metric_is_a_torchmetrics_metric_with_summed_state():
    import torchmetrics

    pred, target = _pair(5, shape=(4, 3, 10, 12))
    metric = FSDSMetric(compute_on_cpu=True)
    assert isinstance(metric, torchmetrics.Metric)
    batch = metric(pred[:2], target[:2])  # forward: this batch's value, accumulated too
    assert float(batch) == pytest.approx(float(lpf.fsds(pred[:2], target[:2]).mean()), abs=1e-9)
    metric.update(pred[2:], target[2:])
    assert float(metric.compute()) == pytest.approx(float(lpf.fsds(pred, target).mean()), abs=1e-9)
    assert set(metric.metric_state) == {"total", "count"}  # sums: no per-image list to sync


def test_fsds_is_a_plain_function():
    import types

    import lpf.metrics.frequency as module

    assert isinstance(lpf.fsds, types.FunctionType) and lpf.fsds is module.fsds
    assert lpf.metrics.fsds is lpf.fsds and lpf.FSDS is FSDS and lpf.fsds_loss is fsds_loss


# --- integrated spectrum -------------------------------------------------------------------


def test_integrated_spectrum_matches_reference_construction():
    _, x = _pair(18, shape=(3, 10, 12))
    d = integrated_spectrum(x)
    xn = (x - x.mean()) / x.std()
    spec = torch.fft.rfft2(xn)
    torch.testing.assert_close(d.upper, spec[:, :5].cumsum(1).cumsum(2))
    torch.testing.assert_close(d.lower, spec[:, 5:].flip(1).cumsum(1).cumsum(2))
    # the last cumulative value of each half is the sum of that half of the spectrum
    torch.testing.assert_close(d.upper[:, -1, -1], spec[:, :5].sum(dim=(1, 2)))
    assert d.magnitude_map().shape == (3, 10, 7)


# --- the compiled CPU path (numba) ---------------------------------------------------------


@pytest.fixture
def compiled(monkeypatch):
    """Every call takes the compiled kernels (no size threshold); skipped without numba."""
    pytest.importorskip("numba")
    import lpf.metrics.frequency as module

    monkeypatch.setattr(module, "COMPILED_MIN_VALUES", 0)
    monkeypatch.setattr(module, "USE_NUMBA", True)
    assert module._kernels() is not None
    return module


@pytest.mark.parametrize("shape", [(3, 16, 16), (3, 17, 16), (3, 16, 17), (1, 9, 31), (3, 2, 2),
                                   (4, 33, 7)])
def test_compiled_path_matches_reference_loop(compiled, shape, monkeypatch):
    pred, target = _pair(21, shape)
    calls = []
    real = compiled._fsds_ratio_compiled
    monkeypatch.setattr(compiled, "_fsds_ratio_compiled",
                        lambda *a: calls.append(1) or real(*a))
    assert lpf.fsds(pred, target) == pytest.approx(_reference_fsds_official(pred, target),
                                                   abs=1e-9)
    assert lpf.fsds(pred, target, denominator="pred") == pytest.approx(
        _reference_fsds_official(target, pred), abs=1e-9)
    # float32: the float64 accumulators keep it within 1e-5 dB of the float64 value
    assert lpf.fsds(pred.float(), target.float()) == pytest.approx(
        _reference_fsds_official(pred, target), abs=1e-5)
    assert len(calls) == 3  # the compiled path ran, and not the torch one


def test_compiled_path_equals_torch_path_in_chunks(compiled, monkeypatch):
    pred, target = _pair(22, shape=(5, 3, 20, 18))
    monkeypatch.setattr(compiled, "_CHUNK_ELEMENTS", 2 * 3 * 20 * 18)  # chunks of 2, 2, 1
    fast = lpf.fsds(pred, target)
    monkeypatch.setattr(compiled, "USE_NUMBA", False)
    slow = lpf.fsds(pred, target)
    np.testing.assert_allclose(fast.numpy(), slow.numpy(), atol=1e-9)
    # a wrong kernel would be caught: the energies differ from the torch path's otherwise
    assert not np.allclose(fast.numpy()[::-1], slow.numpy(), atol=1e-3)


def test_compiled_path_bad_input_and_extremes(compiled):
    pred, target = _pair(23)
    with pytest.raises(RangeError, match="`target` has zero standard deviation"):
        lpf.fsds(pred, torch.full_like(target, 0.5))
    bad = pred.clone()
    bad[0, 3, 3] = math.nan
    with pytest.raises(RangeError, match="`pred` must be finite"):
        lpf.fsds(bad, target)
    p32, t32 = pred.float(), target.float()
    base = lpf.fsds(p32, t32)
    # extreme gains fall back to the normalised torch path: same value
    assert lpf.fsds(p32 * 1e20, t32 * 1e-20) == pytest.approx(base, abs=1e-4)


def test_compiled_path_not_taken_for_gradients_or_small_inputs(compiled, monkeypatch):
    monkeypatch.setattr(compiled, "_fsds_ratio_compiled", None)  # any use would raise
    pred, target = _pair(24, shape=(1, 3, 9, 8))
    pred.requires_grad_(True)
    value = lpf.fsds(pred, target)
    value.sum().backward()
    assert pred.grad is not None and torch.isfinite(pred.grad).all()
    monkeypatch.setattr(compiled, "COMPILED_MIN_VALUES", 10**9)
    assert math.isfinite(lpf.fsds(pred.detach()[0], target[0]))


def test_without_numba_the_torch_path_runs(monkeypatch):
    import lpf.metrics.frequency as module

    monkeypatch.setattr(module, "COMPILED_MIN_VALUES", 0)
    monkeypatch.setattr(module, "_KERNELS", {})  # what _kernels() keeps when numba is missing
    monkeypatch.setattr(module, "_fsds_ratio_compiled", None)
    pred, target = _pair(25)
    assert lpf.fsds(pred, target) == pytest.approx(_reference_fsds_official(pred, target),
                                                   abs=1e-9)
