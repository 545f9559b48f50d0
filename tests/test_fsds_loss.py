"""Tests of lpf.metrics.frequency.fsds_loss: numerically safe for training (issue 14, item 3).

The loss equals -FSDS on ordinary images; where FSDS is +inf (identical images) or undefined
(a constant image), and under float16/bfloat16 autocast, the loss and its gradients stay finite
and it still trains. The metric itself keeps its documented behaviour (+inf, RangeError).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import lpf
from lpf import RangeError
from lpf.metrics.frequency import LOSS_MIN_STD, FSDSLoss, fsds_loss


def _images(seed: int, shape=(3, 3, 24, 20), dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(shape, generator=g, dtype=dtype)
    pred = (target + 0.1 * torch.randn(shape, generator=g, dtype=dtype)).clamp(0, 1)
    return pred, target


def _finite_grad(loss: torch.Tensor, leaf: torch.Tensor) -> torch.Tensor:
    (grad,) = torch.autograd.grad(loss, leaf)
    assert torch.isfinite(loss).all(), loss
    assert torch.isfinite(grad).all(), grad
    return grad


# --- ordinary images: the loss is -FSDS --------------------------------------------------------


@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-9), (torch.float32, 1e-4)])
def test_loss_is_minus_fsds_on_ordinary_images(dtype, tol):
    pred, target = _images(1, dtype=dtype)
    loss = fsds_loss(pred, target, reduction="none")
    assert loss.dtype == dtype and loss.shape == (3,)
    np.testing.assert_allclose(loss.numpy(), -lpf.fsds(pred.double(), target.double()).numpy(),
                               atol=tol)
    assert float(fsds_loss(pred, target)) == pytest.approx(float(loss.mean()), abs=1e-6)
    assert float(fsds_loss(pred, target, reduction="sum")) == pytest.approx(float(loss.sum()),
                                                                           abs=1e-5)
    assert float(fsds_loss(pred[0], target[0])) == pytest.approx(float(loss[0]), abs=1e-6)


def test_gradcheck_float64():
    pred, target = _images(2, shape=(2, 3, 9, 8), dtype=torch.float64)
    pred.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda p: fsds_loss(p, target, reduction="none"), (pred,),
                                    eps=1e-6, atol=1e-5)


# --- where FSDS is infinite or undefined ---------------------------------------------------------


def test_identical_images_finite_loss_and_zero_gradient():
    _, target = _images(3)
    pred = target.clone().requires_grad_(True)
    loss = fsds_loss(pred, target)
    grad = _finite_grad(loss, pred)
    assert loss.item() == pytest.approx(10 * math.log10(1e-10))
    assert float(grad.abs().max()) == 0.0
    assert float(fsds_loss(target, target, eps=1e-6)) == pytest.approx(-60.0)
    assert lpf.fsds(target[0], target[0]) == math.inf  # the metric is unchanged


def test_nearly_identical_images_finite_gradient():
    _, target = _images(4)
    pred = (target + 1e-7 * torch.randn(target.shape)).requires_grad_(True)
    _finite_grad(fsds_loss(pred, target), pred)


def test_constant_target_is_zero_db_without_gradient_and_leaves_the_others_alone():
    pred, target = _images(5)
    target = target.clone()
    target[1] = 0.25  # a flat patch (sky, a saturated region)
    with pytest.raises(RangeError, match="zero standard deviation"):
        lpf.fsds(pred, target)  # the metric is unchanged
    pred = pred.clone().requires_grad_(True)
    loss = fsds_loss(pred, target, reduction="none")
    grad = _finite_grad(loss.sum(), pred)
    assert loss[1].item() == pytest.approx(0.0, abs=1e-8)
    assert float(grad[1].abs().max()) == 0.0 and float(grad[0].abs().max()) > 0
    keep = [0, 2]
    np.testing.assert_allclose(loss.detach().numpy()[keep],
                               -lpf.fsds(pred.detach()[keep], target[keep]).numpy(), atol=1e-4)


def test_constant_prediction_finite_gradient_that_trains():
    _, target = _images(6, shape=(1, 3, 32, 32))
    pred = torch.full_like(target, 0.5).requires_grad_(True)
    loss = fsds_loss(pred, target)
    grad = _finite_grad(loss, pred)
    assert loss.item() == pytest.approx(0.0, abs=1e-6)
    assert float(grad.abs().max()) > 0  # it pushes towards the target's spectrum
    opt = torch.optim.Adam([pred], lr=0.01)
    values = []
    for _ in range(10):
        opt.zero_grad()
        value = FSDSLoss()(pred, target)
        value.backward()
        assert torch.isfinite(pred.grad).all()
        opt.step()
        values.append(value.item())
    # the first step gives the prediction structure far above the floor: from then on it is
    # normalised as FSDS does (a loss above 0 dB: 0 dB at a flat prediction is no minimum), and
    # the loss falls step by step
    assert all(b < a for a, b in zip(values[1:], values[2:], strict=False)), values
    assert values[-1] < values[1] - 0.5, values


def test_both_constant_and_tiny_std():
    flat = torch.full((2, 3, 16, 16), 0.5)
    pred = flat.clone().requires_grad_(True)
    loss = fsds_loss(pred, flat)
    assert float(_finite_grad(loss, pred).abs().max()) == 0.0
    # a std just above the floor is an ordinary image again: the loss is -FSDS
    g = torch.Generator().manual_seed(0)
    faint = 0.5 + 10 * LOSS_MIN_STD * torch.randn((1, 3, 16, 16), generator=g, dtype=torch.float64)
    target = torch.rand((1, 3, 16, 16), generator=g, dtype=torch.float64)
    assert float(fsds_loss(faint, target)) == pytest.approx(-float(lpf.fsds(faint, target)[0]),
                                                            abs=1e-9)


# --- reduced precision ---------------------------------------------------------------------------


def _autocast_dtypes() -> list[torch.dtype]:
    out = []
    for dtype in (torch.bfloat16, torch.float16):
        try:
            with torch.autocast("cpu", dtype=dtype):
                torch.nn.functional.conv2d(torch.rand(1, 1, 4, 4), torch.rand(1, 1, 3, 3))
        except (RuntimeError, ValueError):  # pragma: no cover - older torch: no CPU float16
            continue
        out.append(dtype)
    return out


@pytest.mark.parametrize("dtype", _autocast_dtypes())
def test_autocast_finite_loss_and_gradients_and_it_trains(dtype):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
                              torch.nn.Conv2d(8, 3, 3, padding=1))
    _, target = _images(7, shape=(4, 3, 24, 24))
    target = target.clone()
    target[1] = 0.7  # flat
    x = target + 0.05 * torch.randn(target.shape)
    x[2] = target[2]
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    values = []
    for _ in range(8):
        opt.zero_grad()
        with torch.autocast("cpu", dtype=dtype):
            out = net(x)
            assert out.dtype == dtype
            loss = fsds_loss(out, target)
        assert loss.dtype == torch.float32 and torch.isfinite(loss)
        loss.backward()
        for p in net.parameters():
            assert torch.isfinite(p.grad).all()
        opt.step()
        values.append(loss.item())
    assert values[-1] < values[0], values
    # identical half-precision images: finite, -100 dB
    same = target.to(dtype).requires_grad_(True)
    with torch.autocast("cpu", dtype=dtype):
        value = fsds_loss(same, target.to(dtype), reduction="none")
    assert value.tolist() == pytest.approx([-100.0, 0.0, -100.0, -100.0], abs=1e-6)  # [1]: flat
    value = value.sum()
    assert _finite_grad(value, same).dtype == dtype


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_inputs_close_to_float32(dtype):
    pred, target = _images(8)
    p = pred.to(dtype).requires_grad_(True)
    loss = fsds_loss(p, target.to(dtype))
    assert loss.dtype == torch.float32
    ref = fsds_loss(pred.to(dtype).float(), target.to(dtype).float())
    assert loss.item() == pytest.approx(float(ref), abs=1e-5)
    assert _finite_grad(loss, p).dtype == dtype


def test_on_the_device_under_autocast(device):
    """``--device cuda``: float16 autocast on the GPU (half-precision cuFFT would overflow); on
    the CPU, bfloat16. The loss matches the CPU float32 loss of the same rounded inputs."""
    dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
    pred, target = _images(12, shape=(3, 3, 32, 32))
    target = target.clone()
    target[1] = 0.4  # flat
    p = pred.to(device, dtype).requires_grad_(True)
    with torch.autocast(device.type, dtype=dtype):
        loss = fsds_loss(p, target.to(device, dtype), reduction="none")
    expected = fsds_loss(pred.to(dtype).float(), target.to(dtype).float(), reduction="none")
    np.testing.assert_allclose(loss.detach().cpu().numpy(), expected.numpy(), atol=1e-3)
    grad = _finite_grad(loss.sum(), p)
    assert grad.dtype == dtype and grad.device.type == device.type


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, words", [
    ({"reduction": "avg"}, "reduction"), ({"eps": 0.0}, "eps"), ({"eps": math.nan}, "eps"),
    ({"min_std": -1.0}, "min_std"), ({"min_std": "1e-4"}, "min_std"),
])
def test_bad_arguments(kwargs, words):
    pred, target = _images(9)
    with pytest.raises(ValueError, match=words):
        fsds_loss(pred, target, **kwargs)


def test_non_finite_is_still_an_error():
    pred, target = _images(10)
    pred = pred.clone()
    pred[0, 0, 0, 0] = math.nan
    with pytest.raises(RangeError, match="`pred` must be finite"):
        fsds_loss(pred, target)


def test_module_equals_function():
    pred, target = _images(11)
    for kwargs in ({}, {"eps": 1e-6, "reduction": "none", "min_std": 1e-3}):
        torch.testing.assert_close(FSDSLoss(**kwargs)(pred, target),
                                   fsds_loss(pred, target, **kwargs))
