"""Tests of lpf.metrics: PSNR/SSIM presets, ℓ1/ℓ2 (Tables 4-5), LPIPS without downloads.

References: torchmetrics (the paper's Table-1 script used it) for ``preset="paper"``;
scikit-image's ``peak_signal_noise_ratio`` / ``structural_similarity`` (Gaussian weights,
sigma 1.5, population covariance) on an independently computed MATLAB Y channel for
``preset="sr"``; the bicubic Set5 PSNR-Y values printed throughout the SR literature
(33.66 / 30.39 / 28.42 dB at x2 / x3 / x4, e.g. EDSR's and SwinIR's tables).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from lpf._checks import RangeError, ShapeError
from lpf.data.resize import imresize
from lpf.metrics import (
    PRESETS,
    UNAVAILABLE,
    MetricUnavailable,
    l1,
    l1_freq,
    l2,
    l2_freq,
    lpips,
    lpips_weights,
    metric_cell,
    psnr,
    rgb_to_y,
    ssim,
)

tm_image = pytest.importorskip("torchmetrics.functional.image")


def _pair(n=2, c=3, h=33, w=27, seed=0, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(n, c, h, w, generator=g, dtype=torch.float64)
    noise = 0.05 * torch.randn(n, c, h, w, generator=g, dtype=torch.float64)
    pred = (target + noise).clamp(0, 1)
    return pred.to(dtype), target.to(dtype)


def _reference_y(x: np.ndarray) -> np.ndarray:
    """MATLAB rgb2ycbcr luma of an (H, W, 3) image in [0, 1], in [0, 255], unrounded."""
    return 16.0 + x[..., 0] * 65.481 + x[..., 1] * 128.553 + x[..., 2] * 24.966


def _reference_sr_inputs(pred: torch.Tensor, target: torch.Tensor, scale: int):
    out = []
    for x in (pred, target):
        x8 = np.round(np.clip(x.double().numpy(), 0, 1) * 255) / 255  # (C, H, W)
        y = _reference_y(np.moveaxis(x8, 0, -1)) if x8.shape[0] == 3 else x8[0] * 255
        out.append(y[scale:-scale, scale:-scale])
    return out


# ------------------------------------------------------------------------------ paper preset


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_paper_psnr_equals_torchmetrics_per_image(dtype):
    pred, target = _pair(n=3, dtype=dtype)
    values = psnr(pred, target)
    assert isinstance(values, torch.Tensor) and values.shape == (3,) and values.dtype == dtype
    for i in range(3):
        ref = tm_image.peak_signal_noise_ratio(pred[i : i + 1], target[i : i + 1], data_range=1.0)
        assert abs(float(values[i]) - float(ref)) <= 1e-6
        single = psnr(pred[i], target[i])
        assert isinstance(single, float) and abs(single - float(ref)) <= 1e-6


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_paper_ssim_equals_torchmetrics_per_image(dtype):
    pred, target = _pair(n=3, dtype=dtype)
    target[1] = target[1] * 0.5 + 0.2  # a smaller data range for one image
    values = ssim(pred, target)
    assert values.shape == (3,) and values.dtype == dtype
    for i in range(3):
        ref = tm_image.structural_similarity_index_measure(pred[i : i + 1], target[i : i + 1])
        assert abs(float(values[i]) - float(ref)) <= 1e-6
        assert abs(ssim(pred[i], target[i]) - float(ref)) <= 1e-6


def test_paper_ssim_grey_and_odd_sizes():
    pred, target = _pair(n=1, c=1, h=17, w=40, dtype=torch.float64)
    ref = tm_image.structural_similarity_index_measure(pred, target)
    assert abs(float(ssim(pred, target)[0]) - float(ref)) <= 1e-12


def test_identical_images():
    _, target = _pair(n=1)
    assert psnr(target, target)[0] == float("inf")
    assert psnr(target, target, preset="sr", scale=2)[0] == float("inf")
    assert abs(ssim(target[0], target[0]) - 1.0) < 1e-6
    assert abs(ssim(target[0], target[0], preset="sr", scale=2) - 1.0) < 1e-12


def test_uint8_input_is_promoted():
    pred, target = _pair(n=1, dtype=torch.float64)
    p8 = torch.round(pred * 255).to(torch.uint8)
    t8 = torch.round(target * 255).to(torch.uint8)
    assert abs(psnr(p8[0], t8[0]) - psnr(p8[0].float() / 255, t8[0].float() / 255)) < 1e-9


# --------------------------------------------------------------------------------- sr preset


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_sr_psnr_ssim_equal_skimage_on_y(scale):
    pred, target = _pair(n=2, h=48, w=40, dtype=torch.float64, seed=scale)
    p_vals = psnr(pred, target, preset="sr", scale=scale)
    s_vals = ssim(pred, target, preset="sr", scale=scale)
    assert p_vals.dtype == torch.float64 and p_vals.shape == (2,)
    for i in range(2):
        y_pred, y_target = _reference_sr_inputs(pred[i], target[i], scale)
        ref_p = peak_signal_noise_ratio(y_target, y_pred, data_range=255)
        ref_s = structural_similarity(y_target, y_pred, gaussian_weights=True, sigma=1.5,
                                      use_sample_covariance=False, data_range=255)
        assert abs(float(p_vals[i]) - ref_p) < 1e-9
        assert abs(float(s_vals[i]) - ref_s) < 1e-9


def test_sr_grey_uses_the_channel():
    pred, target = _pair(n=1, c=1, h=30, w=30, dtype=torch.float64)
    y_pred, y_target = _reference_sr_inputs(pred[0], target[0], 3)
    ref = peak_signal_noise_ratio(y_target, y_pred, data_range=255)
    assert abs(psnr(pred[0], target[0], preset="sr", scale=3) - ref) < 1e-9


def test_sr_rounds_to_8_bit_first():
    _, target = _pair(n=1, dtype=torch.float64)
    exact = torch.round(target * 255) / 255
    nudged = (exact + 0.4 / 255).clamp(0, 1)  # less than half a level: rounds back
    assert psnr(nudged, exact, preset="sr", scale=2)[0] == float("inf")
    assert psnr(nudged, exact)[0] < 60  # the paper preset sees the difference


def test_rgb_to_y_matches_matlab_formula():
    x = torch.rand(3, 5, 6, dtype=torch.float64)
    ref = _reference_y(np.moveaxis(x.numpy(), 0, -1))
    np.testing.assert_allclose(rgb_to_y(x)[0].numpy(), ref, atol=1e-12)
    assert rgb_to_y(torch.zeros(2, 3, 1, 1)).flatten().tolist() == [16.0, 16.0]
    with pytest.raises(ShapeError, match="3 \\(RGB\\) channels"):
        rgb_to_y(torch.zeros(1, 4, 4))


@pytest.mark.assets
def test_set5_bicubic_psnr_y_matches_literature(set5_root):
    """Bicubic (MATLAB imresize of the stored LR) on Set5: 33.66 / 30.39 / 28.42 dB PSNR-Y and
    0.9299 / 0.8682 / 0.8104 SSIM-Y (EDSR, RCAN, SwinIR tables). Observed here:
    33.6734 / 30.4033 / 28.4290 dB and 0.93029 / 0.86891 / 0.81114. (With Y rounded to integers,
    as MATLAB's rgb2ycbcr does on uint8: 33.640 / 30.385 / 28.416 dB, SSIM 0.92922 / 0.86779 /
    0.81008; the literature's SSIM lies between the two conventions.)"""
    root = set5_root / "Set5"
    expected_psnr = {2: 33.66, 3: 30.39, 4: 28.42}
    expected_ssim = {2: 0.9299, 3: 0.8682, 4: 0.8104}
    for scale in (2, 3, 4):
        p_vals, s_vals = [], []
        for hr_path in sorted((root / "HR").glob("*.png")):
            hr = np.array(Image.open(hr_path).convert("RGB"))
            h, w = hr.shape[:2]
            hr = hr[: h - h % scale, : w - w % scale]
            lr = np.asarray(Image.open(root / "LR_bicubic" / f"X{scale}" /
                                       f"{hr_path.stem}x{scale}.png").convert("RGB"))
            sr = imresize(lr, scale)
            sr_t = torch.from_numpy(sr).permute(2, 0, 1).double() / 255
            hr_t = torch.from_numpy(np.ascontiguousarray(hr)).permute(2, 0, 1).double() / 255
            p_vals.append(psnr(sr_t, hr_t, preset="sr", scale=scale))
            s_vals.append(ssim(sr_t, hr_t, preset="sr", scale=scale))
        mean_p, mean_s = float(np.mean(p_vals)), float(np.mean(s_vals))
        assert abs(mean_p - expected_psnr[scale]) <= 0.02, (scale, mean_p)
        assert abs(mean_s - expected_ssim[scale]) <= 0.001, (scale, mean_s)


# ------------------------------------------------------------------------------ Tables 4, 5


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_l1_l2_definitions(dtype):
    pred, target = _pair(n=2, dtype=dtype)
    for i in range(2):
        assert abs(l1(pred[i], target[i]) -
                   float(torch.nn.functional.l1_loss(pred[i], target[i]))) < 1e-7
        ref = float(torch.nn.functional.mse_loss(pred[i], target[i], reduction="sum"))
        assert abs(l2(pred[i], target[i]) - ref) <= 1e-6 * ref
        spec = torch.fft.fftn(target[i]) - torch.fft.fftn(pred[i])  # all dims of C x H x W
        assert abs(l1_freq(pred[i], target[i]) - float(spec.abs().mean())) < 1e-5
        ref_f = float((spec.abs() ** 2).sum() / spec.numel())
        assert abs(l2_freq(pred[i], target[i]) - ref_f) <= 1e-5 * ref_f
    assert l1(pred, target).shape == (2,) and l2_freq(pred, target).shape == (2,)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(3, 32, 32), (3, 17, 24), (1, 9, 13)])
def test_parseval(dtype, shape):
    g = torch.Generator().manual_seed(1)
    pred = torch.rand(shape, generator=g, dtype=dtype)
    target = torch.rand(shape, generator=g, dtype=dtype)
    a, b = l2(pred, target), l2_freq(pred, target)
    assert abs(a - b) <= 1e-6 * a


def test_l_metrics_accept_any_finite_range():
    pred = torch.full((3, 4, 4), 2.0)
    assert l1(pred, -pred) == 4.0
    with pytest.raises(RangeError, match="`pred` must be finite"):
        l2(pred * float("nan"), pred)


# ------------------------------------------------------------------------------------- LPIPS


@pytest.fixture
def empty_hub(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    if torch.hub.get_dir() != str(tmp_path / "torch" / "hub"):
        pytest.skip("torch.hub.set_dir() was called in this process; TORCH_HOME is ignored")
    return tmp_path / "torch" / "hub"


def test_lpips_unavailable_without_weights(empty_hub):
    x = torch.rand(3, 32, 32)
    with pytest.raises(MetricUnavailable, match="LPIPS unavailable: needs weights from") as info:
        lpips(x, x)
    msg = str(info.value)
    assert "https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth" in msg
    assert str(empty_hub / "checkpoints" / "squeezenet1_1-b8a52dc0.pth") in msg
    assert info.value.path == empty_hub / "checkpoints" / "squeezenet1_1-b8a52dc0.pth"
    assert not (empty_hub / "checkpoints").exists()  # nothing was downloaded or created
    assert metric_cell(lpips, x, x) == UNAVAILABLE
    assert lpips_weights("vgg").path.name == "vgg16-397923af.pth"
    assert not lpips_weights("alex").present


def test_lpips_with_local_weights(empty_hub):
    """A seeded random SqueezeNet stands in for the ImageNet weights (the code path is real)."""
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(0)
    backbone = torchvision.models.squeezenet1_1(weights=None)
    (empty_hub / "checkpoints").mkdir(parents=True)
    torch.save(backbone.state_dict(), empty_hub / "checkpoints" / "squeezenet1_1-b8a52dc0.pth")
    assert lpips_weights().present
    pred, target = _pair(n=2, h=64, w=64)
    values = lpips(pred, target)
    assert values.shape == (2,) and torch.isfinite(values).all() and (values > 0).all()
    assert lpips(target[0], target[0]) == 0.0
    ref = tm_image.learned_perceptual_image_patch_similarity(
        pred, target, net_type="squeeze", reduction="none")
    torch.testing.assert_close(values, ref.reshape(-1), rtol=1e-5, atol=1e-6)
    ref_std = tm_image.learned_perceptual_image_patch_similarity(
        pred, target, net_type="squeeze", reduction="none", normalize=True)
    torch.testing.assert_close(lpips(pred, target, preset="standard"), ref_std.reshape(-1),
                               rtol=1e-5, atol=1e-6)
    assert metric_cell(lpips, pred, target, fmt=".4f") == f"{float(values.mean()):.4f}"


def test_lpips_errors(empty_hub):
    x = torch.rand(3, 32, 32)
    with pytest.raises(ValueError, match="`net` must be one of"):
        lpips(x, x, net="resnet")
    with pytest.raises(ValueError, match="`preset` must be one of"):
        lpips(x, x, preset="sr")
    with pytest.raises(ShapeError, match="3 \\(RGB\\) channels"):
        lpips(x[:1], x[:1])


# ---------------------------------------------------------------------------------- errors


def test_unknown_preset_lists_presets():
    x = torch.rand(3, 16, 16)
    for fn in (psnr, ssim):
        with pytest.raises(ValueError, match=r"one of \['paper', 'sr'\].*Did you mean 'paper'"):
            fn(x, x, preset="papers")
    assert set(PRESETS) == {"paper", "sr"}


def test_sr_requires_scale():
    x = torch.rand(3, 16, 16)
    for fn in (psnr, ssim):
        with pytest.raises(ValueError, match="preset 'sr'.*pass `scale`"):
            fn(x, x, preset="sr")
    with pytest.raises(ValueError, match="`scale` must be an integer >= 1"):
        psnr(x, x, preset="sr", scale=0)


def test_shape_errors():
    x = torch.rand(3, 16, 16)
    with pytest.raises(ShapeError, match="same shape"):
        psnr(x, x[:, :15])
    with pytest.raises(ShapeError, match="must have shape"):
        ssim(x[0], x[0])
    with pytest.raises(ShapeError, match="too small for a border crop of 8"):
        psnr(x, x, preset="sr", scale=8)
    with pytest.raises(ShapeError, match="smaller than SSIM's 11x11 window"):
        ssim(x, x, preset="sr", scale=3)
    with pytest.raises(ShapeError, match="at least 6x6"):
        ssim(x[:, :5], x[:, :5])


def test_range_errors():
    x = torch.rand(3, 16, 16)
    with pytest.raises(RangeError, match=r"`pred` must be in \[0, 1\], got min="):
        psnr(x + 1, x)
    with pytest.raises(RangeError, match="`target` must be finite"):
        ssim(x, x * float("nan"))


def test_metric_cell_formats_and_propagates():
    pred, target = _pair(n=2)
    assert metric_cell(psnr, pred, target, fmt=".2f") == f"{float(psnr(pred, target).mean()):.2f}"
    assert metric_cell(psnr, target, target) == "inf"
    with pytest.raises(ShapeError):
        metric_cell(psnr, pred, target[:, :, :5])


@pytest.mark.parametrize("preset", ["paper", "sr"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_ssim_banded_and_direct_filters_agree(preset, dtype, monkeypatch):
    """Small images filter with banded matrix products, large ones directly: same SSIM."""
    from lpf.metrics import quality

    pred, target = _pair(n=2, h=40, w=52, dtype=dtype)
    banded = ssim(pred, target, preset=preset, scale=2)
    monkeypatch.setattr(quality, "BANDED_MAX_SIDE", 0)
    direct = ssim(pred, target, preset=preset, scale=2)
    tol = 1e-6 if dtype == torch.float32 else 1e-12
    torch.testing.assert_close(banded, direct, rtol=0, atol=tol)
    assert not torch.equal(pred, target)
