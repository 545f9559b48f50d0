"""Tests of lpf.analysis.hyra (``lpf.hyra``): the exact decomposition (G = 0 for linear
networks), paper mode, Lemma 4.1, the border, band analysis.

Paper mode against the arrays of the official ``HyRA.py``: on an open photograph in
``tests/test_reference_open.py`` (every clone), on the official example
(``shared/reference/hyra_example``) in ``tests/test_reference_paper.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F
from _models import Bicubic, SincLPF
from torch import nn

import lpf
from lpf._checks import ShapeError
from lpf.analysis.hyra import (
    HyRA,
    hyra,
    hyra_bands,
    hyra_border,
    hyra_display,
    hyra_summary,
    linear_part,
)
from lpf.analysis.impulse import impulse_image, impulse_response_matrix, run_model
from lpf.signal.lpfsr import lpf_sr
from lpf.signal.spectra import zero_insert


def conv_shuffle(scale: int, *, bias: bool = False, relu: bool = False, layers: int = 2,
                 seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    mods: list[nn.Module] = []
    ch = 3
    for _ in range(layers - 1):
        mods.append(nn.Conv2d(ch, 8, 3, padding=1, bias=bias))
        if relu:
            mods.append(nn.ReLU())
        ch = 8
    mods += [nn.Conv2d(ch, 3 * scale * scale, 3, padding=1, bias=bias), nn.PixelShuffle(scale)]
    return nn.Sequential(*mods).double()


def transposed(scale: int, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    # output (H - 1) s - 2 p + k = s H  <=>  k = s + 2 p
    return nn.ConvTranspose2d(3, 3, kernel_size=scale + 2, stride=scale, padding=1,
                              bias=False).double()


def _lr(h: int = 20, w: int = 23, n: int | None = None, seed: int = 1) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    shape = (3, h, w) if n is None else (n, 3, h, w)
    return torch.rand(shape, generator=g, dtype=torch.float64)


def _reference_linear(lr: torch.Tensor, ir: torch.Tensor, scale: int,
                      pos: tuple[int, int]) -> torch.Tensor:
    """Zero insertion then a full 2-D convolution (scipy), cropped at the kernel origin."""
    z = zero_insert(lr, scale).numpy()
    k = ir.numpy()
    c_out = k.shape[0]
    sh, sw = z.shape[-2:]
    out = np.zeros((c_out, sh, sw))
    r0, c0 = scale * pos[0], scale * pos[1]
    for co in range(c_out):
        for ci in range(z.shape[0]):
            kern = k[co, ci] if k.ndim == 4 else (k[co] if ci == co else None)
            if kern is None:
                continue
            full = scipy.signal.convolve2d(z[ci], kern, mode="full")
            out[co] += full[r0:r0 + sh, c0:c0 + sw]
    return torch.from_numpy(out)


def _reconstructs(r: HyRA) -> bool:
    """linear + nonlinear == sr up to the one rounding of G = SR - H (a few ulps)."""
    eps = torch.finfo(r.sr.dtype).eps
    tol = 4 * eps * float(r.sr.abs().max() + r.linear.abs().max())
    return float((r.linear + r.nonlinear - r.sr).abs().max()) <= tol


# ---------------------------------------------------------------------------- linear_part


@pytest.mark.parametrize("scale", [2, 3])
@pytest.mark.parametrize("pos", [None, (2, 5)])
@pytest.mark.parametrize("matrix", [False, True], ids=["depthwise", "matrix"])
def test_linear_part_is_zero_insertion_and_true_convolution(scale, pos, matrix):
    g = torch.Generator().manual_seed(3)
    size = 7
    shape = (3, 3, scale * size, scale * size) if matrix else (3, scale * size, scale * size)
    ir = torch.randn(shape, generator=g, dtype=torch.float64)
    lr = _lr(9, 11)
    got = linear_part(lr, ir, scale=scale, position=pos)
    expected = _reference_linear(lr, ir, scale, pos or (size // 2, size // 2))
    assert got.shape == (3, scale * 9, scale * 11)
    assert float((got - expected).abs().max()) < 1e-12


def test_linear_part_batched_equals_single():
    ir = torch.randn(3, 3, 12, 12, dtype=torch.float64)
    lr = _lr(8, 8, n=2)
    batched = linear_part(lr, ir, scale=2)
    assert batched.shape == (2, 3, 16, 16)
    assert torch.allclose(batched[1], linear_part(lr[1], ir, scale=2), atol=1e-14)


def test_linear_part_errors():
    with pytest.raises(ShapeError, match="multiple of 4"):
        linear_part(_lr(), torch.zeros(3, 42, 42), scale=4)
    with pytest.raises(ShapeError, match="input channels"):
        linear_part(_lr(), torch.zeros(3, 1, 8, 8), scale=2)
    with pytest.raises(ShapeError, match="channel by channel"):
        linear_part(_lr(), torch.zeros(1, 8, 8), scale=2)


# ----------------------------------------------------------------- exact mode: G = 0 when linear


@pytest.mark.parametrize("scale", [2, 3])
def test_linear_conv_pixel_shuffle_net_has_no_nonlinear_part(scale):
    net = conv_shuffle(scale)  # two zero-padded convolutions: receptive radius 2 LR pixels
    r = hyra(net, _lr(), scale=scale)
    assert _reconstructs(r)
    assert r.sr.shape == r.linear.shape == (3, 20 * scale, 23 * scale)
    assert r.border == (2 * scale, 2 * scale, 2 * scale, 2 * scale)
    assert float(r.crop(r.nonlinear).abs().max()) < 1e-12
    # only the outermost LR block feels the second layer's zero padding
    inner = r.nonlinear[:, scale:-scale, scale:-scale]
    assert float(inner.abs().max()) < 1e-12
    assert float(r.nonlinear.abs().max()) > 1e-6


def test_single_layer_and_transposed_convolution_are_exact_everywhere():
    for net, scale in [(conv_shuffle(2, layers=1), 2), (transposed(3), 3), (transposed(2), 2)]:
        r = hyra(net, _lr(), scale=scale)
        assert float(r.nonlinear.abs().max()) < 1e-12


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_bicubic_module_is_linear_inside_its_documented_border(scale):
    r = hyra(Bicubic(scale), _lr(), scale=scale)
    # support |(d + 0.5)/s - 0.5| < 2  ->  offsets -ceil(1.5 s - 0.5) .. , border 1.5 s rounded
    b = int(np.ceil(1.5 * scale - 0.5))
    assert r.border == (b, b, b, b)
    assert float(r.crop(r.nonlinear).abs().max()) < 1e-12
    assert float(r.nonlinear.abs().max()) > 1e-4  # replicate padding differs from zeros


def test_sinc_lpf_module_is_linear_inside_the_border():
    r = hyra(SincLPF(2), _lr(24, 24), scale=2)
    assert float(r.crop(r.nonlinear).abs().max()) < 1e-12


def test_colour_mixing_needs_the_matrix_response():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 12, 1, bias=False), nn.PixelShuffle(2)).double()
    lr = _lr()
    assert float(hyra(net, lr, scale=2).nonlinear.abs().max()) < 1e-12
    per_channel = hyra(net, lr, scale=2, cross_channel=False)
    assert float(per_channel.nonlinear.abs().max()) > 1e-2
    grey = lr[:1].expand(3, -1, -1)  # equal channels: the paper's response suffices
    assert float(hyra(net, grey, scale=2, cross_channel=False).nonlinear.abs().max()) < 1e-12


def test_affine_model_constant_term_is_the_offset():
    net = conv_shuffle(2, bias=True, layers=1)
    r = hyra(net, _lr(), scale=2)
    zero = run_model(net, torch.zeros(1, 3, 20, 23, dtype=torch.float64), scale=2)[0]
    assert r.offset is not None and r.offset.shape == r.sr.shape
    assert torch.allclose(r.offset, zero, atol=1e-12)
    assert float((r.nonlinear - r.offset).abs().max()) < 1e-12
    assert float(r.nonlinear.abs().max()) > 1e-3
    deep = conv_shuffle(2, bias=True)
    rd = hyra(deep, _lr(), scale=2)
    assert float(rd.crop(rd.nonlinear - rd.offset).abs().max()) < 1e-12


def test_relu_net_has_a_measurable_nonlinear_part():
    r = hyra(conv_shuffle(2, bias=True, relu=True), _lr(), scale=2)
    interior = r.crop(r.nonlinear - r.offset)
    assert float(interior.norm() / r.crop(r.sr).norm()) > 1e-2


def test_model_form_batches_dtypes_and_modes():
    net = conv_shuffle(2, bias=True, relu=True).float()
    net.train()
    lr = _lr(n=2).float()
    r = hyra(net, lr, scale=2)
    assert r.sr.shape == r.linear.shape == r.offset.shape == (2, 3, 40, 46)
    assert r.sr.dtype == torch.float32 and net.training
    single = hyra(net, lr[1], scale=2)
    assert torch.allclose(single.nonlinear, r.nonlinear[1], atol=1e-5)
    assert lpf.hyra(net, lr[0], scale=2).mode == "exact"  # the public function


def test_tensor_form_matches_model_form():
    net = conv_shuffle(3, bias=True, relu=True)
    lr = _lr()
    r = hyra(net, lr, scale=3)
    r2 = hyra(lr=lr, sr=r.sr, impulse_response=impulse_response_matrix(net, scale=3), scale=3)
    assert torch.equal(r.linear, r2.linear) and r2.offset is None and r2.position == (5, 5)
    reused = hyra(net, lr, scale=3, impulse_response=impulse_response_matrix(net, scale=3))
    assert torch.equal(reused.linear, r.linear) and torch.equal(reused.sr, r.sr)
    assert reused.constant is None


# ----------------------------------------------------------------------------------- Lemma 4.1


def test_lemma_4_1_paper_definition_is_exact_for_any_network():
    net = conv_shuffle(2, bias=True, relu=True, seed=5)
    delta = impulse_image(11, dtype=torch.float64)
    r = hyra(net, delta, scale=2, cross_channel=False, subtract_background=False)
    assert float(r.nonlinear.abs().max()) < 1e-12  # G(delta) = 0
    assert float(r.linear.abs().max()) > 0.1


def test_lemma_4_1_with_background_subtraction_leaves_the_constant_term():
    net = conv_shuffle(2, bias=True, relu=True, seed=5)
    zero = run_model(net, torch.zeros(1, 3, 11, 11, dtype=torch.float64), scale=2)[0]
    for c in range(3):  # G(delta_c) = N(0) = G(0) for the single-channel impulses measured
        delta = torch.zeros(3, 11, 11, dtype=torch.float64)
        delta[c, 5, 5] = 1.0
        r = hyra(net, delta, scale=2)
        assert float((r.nonlinear - zero).abs().max()) < 1e-12
    bias_free = conv_shuffle(2, relu=True, seed=5)  # N(0) = 0: G(delta) = 0
    r = hyra(bias_free, impulse_image(11, dtype=torch.float64), scale=2, cross_channel=False)
    assert float(r.nonlinear.abs().max()) < 1e-12


# ----------------------------------------------------------------------------------------- border


def test_hyra_border_formula():
    h = torch.zeros(3, 44, 44)
    h[0, 20, 20] = 1.0  # support = the origin's pixel only: no border
    assert hyra_border(h, scale=4) == (0, 0, 0, 0)
    h[1, 23, 12] = 1.0  # offsets dy in [0, 3], dx in [-8, 0]
    assert hyra_border(h, scale=4) == (0, 0, 0, 8)
    h[2, 40, 21] = 1e-9  # below the tolerance
    assert hyra_border(h, scale=4) == (0, 0, 0, 8)
    assert hyra_border(h, scale=4, tol=0.0) == (17, 0, 0, 8)
    assert hyra_border(torch.ones(3, 33, 33), scale=3) == (15, 15, 15, 15)


# ----------------------------------------------------------------------------------------- paper


def test_paper_mode_from_a_model():
    net = conv_shuffle(3, bias=True, relu=True)
    lr = _lr(42, 42)
    r = hyra(net, lr, scale=3, mode="paper")
    # kernel 33: pad 33 // 6 = 5, zero-inserted 156, valid correlation -> 124
    assert r.linear.shape == (3, 124, 124) and r.impulse_response.shape == (3, 33, 33)
    assert float(r.impulse_response.min()) >= 0.0 and float(r.impulse_response.max()) <= 1.0
    with pytest.raises(ValueError, match="only defined in exact mode"):
        r.crop(r.nonlinear)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"mode": "fast"}, ValueError, "`mode`"),
        ({"sr": torch.zeros(3, 40, 46)}, ValueError, "not both"),
        ({"impulse_response": torch.zeros(3, 9, 9)}, ShapeError, "multiple of 2"),
    ],
)
def test_hyra_argument_errors_with_model(kwargs, error, match):
    with pytest.raises(error, match=match):
        hyra(Bicubic(2), _lr(), scale=2, **kwargs)


def test_hyra_argument_errors_without_model():
    with pytest.raises(ValueError, match="both required"):
        hyra(lr=_lr(), sr=torch.zeros(3, 40, 46), scale=2)
    with pytest.raises(ValueError, match="`lr` is required"):
        hyra(Bicubic(2), scale=2)
    with pytest.raises(ShapeError, match="both"):
        hyra(lr=_lr(), sr=torch.zeros(1, 3, 40, 46), impulse_response=torch.zeros(3, 8, 8),
             scale=2)
    with pytest.raises(ShapeError, match="output channels"):
        hyra(lr=_lr(), sr=torch.zeros(1, 40, 46, dtype=torch.float64),
             impulse_response=torch.zeros(3, 8, 8), scale=2)


# ------------------------------------------------------------------------------------ hyra_bands


def test_bands_energy_split_and_linear_case():
    r = hyra(transposed(2), _lr(24, 24), scale=2)
    b = hyra_bands(r)
    assert b.cutoff == 0.25 and len(b.replica_bins) == 3
    assert b.amplitude_sr.shape == b.phase_nonlinear.shape == (3, 48, 48)
    total = (r.linear - r.linear.mean(dim=(-2, -1), keepdim=True)).square().sum(dim=(-2, -1))
    assert torch.allclose(b.energy_linear.total, total)
    # G vanishes: the replica amplitudes of SR and H agree
    assert torch.allclose(b.replica_suppression, torch.ones(3, dtype=torch.float64), atol=1e-10)


def test_nonlinear_part_opposes_the_replicas_of_a_leaky_linear_part():
    scale = 3
    lr = _lr(30, 30)
    sr = lpf_sr(lr, scale, half_width=6)  # nearly replica-free
    u = torch.arange(-5 * scale, 6 * scale, dtype=torch.float64)
    k1 = torch.sinc(u / (0.4 * scale)) * (u.abs() <= 2 * scale)  # passes the replicas: leaks
    h = torch.outer(k1, k1).expand(3, -1, -1) / 2
    r = hyra(lr=lr, sr=sr, impulse_response=h, scale=scale)
    b = hyra_bands(r, radius=1)
    assert float(b.phase_opposition.max()) < -0.9
    assert float(b.replica_suppression.max()) < 0.2
    data = b.to_dict()
    assert set(data["energy_linear"]) == {"below", "above", "fraction_above"}
    assert len(data["phase_opposition"]) == 3


def test_bands_radius_is_validated():
    r = hyra(Bicubic(2), _lr(), scale=2)
    with pytest.raises(ValueError, match="radius"):
        hyra_bands(r, radius=-1)
    assert isinstance(r, HyRA)


def test_hyra_on_device(device):
    net = conv_shuffle(2).to(device)
    r = hyra(net, _lr().to(device), scale=2)
    assert r.linear.device.type == device.type and r.impulse_response.device.type == device.type
    assert float(r.crop(r.nonlinear).abs().max()) < 1e-10
    b = hyra_bands(r)
    assert b.phase_opposition.device.type == device.type
    assert linear_part(_lr().to(device), r.impulse_response, scale=2).shape == (3, 40, 46)


# ---------------------------------------------------------------------------------------------
# figure helpers (Figs. 4, 14, 19)


def test_hyra_summary_of_a_linear_network_and_of_g_equals_minus_h():
    up = lambda x: F.interpolate(x, scale_factor=2, mode="bicubic")  # noqa: E731
    lr = torch.rand(3, 16, 16, dtype=torch.float64)
    s = hyra_summary(hyra(up, lr, scale=2))
    assert s["reconstruction_error"] < 1e-12
    assert set(s) >= {"fraction_above_linear", "fraction_above_nonlinear", "phase_opposition",
                      "replica_prominence_linear", "replica_suppression", "energy_above_linear"}
    r = hyra(lr=lr, sr=torch.zeros(3, 32, 32, dtype=torch.float64),
             impulse_response=torch.rand(3, 8, 8, dtype=torch.float64), scale=2)
    s = hyra_summary(r, hyra_bands(r))
    assert s["phase_opposition"] == pytest.approx(-1.0)
    assert s["replica_suppression"] == pytest.approx(0.0, abs=1e-9)
    # a random kernel leaks the zero-insertion replicas: they stand out in H's spectrum
    assert s["replica_prominence_linear"] > 3


def test_hyra_display_shapes_and_amplitude_convention():
    r = hyra(lr=torch.rand(2, 3, 8, 8), sr=torch.rand(2, 3, 16, 16),
             impulse_response=torch.rand(3, 6, 6), scale=2)
    d = hyra_display(r)  # a batch: the first image
    assert d["sr"]["image"].shape == (16, 16, 3)
    grey = r.linear[0].double().mean(0)
    expected = np.log1p(np.abs(np.fft.fftshift(np.fft.fft2(grey.numpy()))))
    np.testing.assert_allclose(d["linear"]["amplitude"], expected, rtol=1e-6, atol=1e-9)
    assert np.abs(d["nonlinear"]["phase"]).max() <= np.pi
