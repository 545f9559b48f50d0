"""Tests of lpf.impulse: impulse images and responses, frequency response, diagnostics.

Known answers come from models whose impulse response is known in closed form:

* ``Bicubic``: ``F.interpolate(mode="bicubic", align_corners=False)`` computes
  ``y[n] = sum_m x[m] k((n + 0.5)/s - 0.5 - m)`` with Keys' cubic, a = -0.75, so the response to
  an impulse at LR pixel ``p`` is ``k(u_i - p) k(u_j - p)`` with ``u = (n + 0.5)/s - 0.5``;
* ``SincLPF``: ``lpf.lpfsr.lpf_sr`` with a Kaiser-windowed sinc (cutoff 0.5 per LR pixel =
  1/(2s) per HR pixel, half-width 4 LR pixels): a windowed sinc by construction;
* bias-free convolution + pixel shuffle: linear and shift-invariant by construction;
* ReLU networks: nonlinear (with biases; a bias-free ReLU net is positively homogeneous).
"""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F
from _models import Bicubic, SincLPF
from torch import nn

from lpf._checks import ShapeError
from lpf.analysis._base import eval_mode
from lpf.analysis.diagnostics import diagnose
from lpf.analysis.impulse import (
    dc_gain,
    frequency_response,
    impulse_image,
    impulse_response,
    impulse_response_matrix,
    impulse_response_paper,
)
from lpf.analysis.invariance import DEFAULT_OFFSETS, linearity, shift_invariance
from lpf.analysis.sinc import sinc_likeness
from lpf.signal import kernels


def conv_shuffle(scale: int, *, bias: bool = False, relu: bool = False, seed: int = 0,
                 width: int = 8) -> nn.Module:
    torch.manual_seed(seed)
    layers = [nn.Conv2d(3, width, 3, padding=1, bias=bias)]
    if relu:
        layers.append(nn.ReLU())
    layers += [nn.Conv2d(width, 3 * scale * scale, 3, padding=1, bias=bias),
               nn.PixelShuffle(scale)]
    return nn.Sequential(*layers).double()


def _cubic_response(scale: int, size: int, pos: tuple[int, int]) -> torch.Tensor:
    u = (torch.arange(size * scale, dtype=torch.float64) + 0.5) / scale - 0.5
    return torch.outer(kernels.cubic(u - pos[0], a=-0.75), kernels.cubic(u - pos[1], a=-0.75))


# ------------------------------------------------------------------------------ impulse_image


def test_impulse_image_defaults_are_the_paper_input():
    x = impulse_image()
    assert x.shape == (3, 11, 11) and x.dtype == torch.float32
    assert torch.equal(x[:, 5, 5], torch.ones(3)) and float(x.sum()) == 3.0


@pytest.mark.parametrize("size", [1, 4, 7])
def test_impulse_image_cardinality_and_values(size):
    x = impulse_image(size, position=(size - 1, 0), amplitude=0.5, background=0.25,
                      channels=1, dtype=torch.float64)
    assert x.shape == (1, size, size) and x.dtype == torch.float64
    assert float(x[0, size - 1, 0]) == 0.75
    assert float(x.sum()) == pytest.approx(0.25 * size * size + 0.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"size": 0}, ValueError, "`size`"),
        ({"size": 2.5}, TypeError, "`size`"),
        ({"position": (11, 0)}, ValueError, "`position`"),
        ({"position": (1, 2, 3)}, TypeError, "`position`"),
        ({"channels": 0}, ValueError, "`channels`"),
        ({"amplitude": math.inf}, ValueError, "`amplitude`"),
    ],
)
def test_impulse_image_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        impulse_image(**kwargs)


# --------------------------------------------------------------------------- impulse_response


@pytest.mark.parametrize("scale", [2, 3, 4])
@pytest.mark.parametrize("pos", [None, (3, 6)])
def test_bicubic_response_is_the_cubic_kernel(scale, pos):
    h = impulse_response(Bicubic(scale), scale=scale, position=pos, dtype=torch.float64)
    expected = _cubic_response(scale, 11, pos or (5, 5))
    assert h.shape == (3, 11 * scale, 11 * scale)
    assert float((h - expected).abs().max()) < 1e-12


def test_response_is_raw_unclamped_and_sums_to_scale_squared():
    h = impulse_response(Bicubic(4), scale=4, dtype=torch.float64)
    assert float(h.min()) < -0.05  # negative lobes kept
    assert h[0].sum().item() == pytest.approx(16.0, abs=1e-12)


def test_response_follows_model_dtype_and_device(device):
    net = conv_shuffle(2).to(device)
    h = impulse_response(net, scale=2, size=7)
    assert h.dtype == torch.float64 and h.device.type == device.type
    assert not h.requires_grad
    h32 = impulse_response(Bicubic(2), scale=2, size=5)  # parameter-free: float32, CPU
    assert h32.dtype == torch.float32 and h32.device.type == "cpu"
    assert impulse_response(Bicubic(2), scale=2, size=5, dtype=torch.float64).dtype == \
        torch.float64


def test_linear_response_does_not_depend_on_amplitude_or_background():
    net = conv_shuffle(3)
    ref = impulse_response(net, scale=3, size=9)
    for amp, bg in [(0.05, 0.0), (0.3, 0.5), (-1.0, 0.2)]:
        h = impulse_response(net, scale=3, size=9, amplitude=amp, background=bg)
        assert float((h - ref).abs().max()) < 1e-12


def test_affine_bias_is_removed_by_background_subtraction():
    net = conv_shuffle(2, bias=True)
    bias_free = conv_shuffle(2, bias=True)
    with torch.no_grad():
        for m in bias_free:
            if isinstance(m, nn.Conv2d):
                m.bias.zero_()
    h = impulse_response(net, scale=2, size=7)
    assert float((h - impulse_response(bias_free, scale=2, size=7)).abs().max()) < 1e-12
    raw = impulse_response(net, scale=2, size=7, subtract_background=False)
    assert float((raw - h).abs().max()) > 1e-3  # the bias is there without subtraction


def test_training_mode_is_restored_per_submodule():
    net = nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.Dropout(0.5), nn.PixelShuffle(2))
    net.train()
    net[1].eval()
    h1 = impulse_response(net, scale=2, size=5)
    h2 = impulse_response(net, scale=2, size=5)
    assert torch.equal(h1, h2)  # dropout was off (eval mode)
    assert net.training and net[0].training and not net[1].training


def test_eval_mode_restores_after_an_exception():
    net = nn.Sequential(nn.Conv2d(3, 3, 1))
    with pytest.raises(RuntimeError), eval_mode(net):
        assert not net.training
        raise RuntimeError("boom")
    assert net.training


def test_wrong_scale_is_a_clear_shape_error():
    with pytest.raises(ShapeError, match="scale=3"):
        impulse_response(Bicubic(2), scale=3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"amplitude": 0.0}, ValueError, "non-zero"),
        ({"scale": 0}, ValueError, "`scale`"),
        ({"position": (-1, 2)}, ValueError, "`position`"),
        ({"size": 0}, ValueError, "`size`"),
    ],
)
def test_impulse_response_errors(kwargs, error, match):
    kwargs = {"scale": 2, **kwargs}
    with pytest.raises(error, match=match):
        impulse_response(Bicubic(2), **kwargs)


def test_matrix_sums_to_the_all_channel_response_for_linear_models():
    net = conv_shuffle(2)
    m = impulse_response_matrix(net, scale=2, size=7)
    assert m.shape == (3, 3, 14, 14)
    assert float((m.sum(1) - impulse_response(net, scale=2, size=7)).abs().max()) < 1e-12


def test_matrix_separates_colour_mixing():
    mix = torch.tensor([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, -1.0]], dtype=torch.float64)

    def net(x):
        return F.interpolate(torch.einsum("oc,nchw->nohw", mix, x), scale_factor=2,
                             mode="nearest")

    m = impulse_response_matrix(net, scale=2, size=5, dtype=torch.float64)
    gains = m.sum(dim=(-2, -1)) / 4
    assert torch.allclose(gains, mix)


def test_paper_preset_is_clamped_unsubtracted_44x44():
    net = conv_shuffle(4, bias=True, relu=True)
    h = impulse_response_paper(net, scale=4)
    raw = impulse_response(net, scale=4, subtract_background=False)
    assert h.shape == (3, 44, 44)
    assert torch.equal(h, raw.clamp(0, 1))


# ------------------------------------------------------------------------- frequency_response


def test_frequency_response_of_the_sinc_model_cuts_at_the_ideal_frequency():
    for scale in (2, 4):
        h = impulse_response(SincLPF(scale), scale=scale, dtype=torch.float64)
        fr = frequency_response(h, scale=scale)
        assert fr.ideal_cutoff == 1 / (2 * scale)
        assert fr.axial_cutoff_6db[0].item() == pytest.approx(fr.ideal_cutoff, rel=0.01)
        assert fr.axial_cutoff_3db[0].item() < fr.axial_cutoff_6db[0].item()
        # the radial mean of a square passband falls later than its axes
        assert fr.cutoff_6db[0].item() > fr.axial_cutoff_6db[0].item()


def test_frequency_response_shapes_units_and_dc():
    h = torch.rand(2, 3, 12, 12, dtype=torch.float64)
    fr = frequency_response(h, scale=3, pad_to=64)
    assert fr.magnitude.shape == (2, 3, 64, 64)
    assert fr.radial.shape == (2, 3, 33) and fr.axial.shape == (2, 3, 33)
    assert fr.frequency[-1].item() == 0.5
    assert torch.allclose(fr.magnitude[..., 32, 32], h.sum(dim=(-2, -1)))
    assert torch.allclose(fr.radial[..., 0], torch.ones(2, 3, dtype=torch.float64))


def test_flat_response_has_no_cutoff():
    h = torch.zeros(1, 8, 8, dtype=torch.float64)
    h[0, 4, 4] = 1.0  # a delta: all-pass
    fr = frequency_response(h, scale=2)
    assert math.isnan(fr.cutoff_3db.item()) and math.isnan(fr.axial_cutoff_6db.item())


def test_frequency_response_rejects_small_padding():
    with pytest.raises(ShapeError, match="pad_to"):
        frequency_response(torch.zeros(3, 44, 44), scale=4, pad_to=32)


# ------------------------------------------------------------------------------------ dc_gain


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_dc_gain_of_interpolators_is_one_at_every_phase(mode):
    def up(x):
        return F.interpolate(x, scale_factor=3, mode=mode)

    g = dc_gain(impulse_response(up, scale=3, dtype=torch.float64), scale=3)
    assert torch.allclose(g.gain, torch.ones(3, dtype=torch.float64))
    assert torch.allclose(g.phase_gain, torch.ones(3, 3, 3, dtype=torch.float64))
    assert float(g.spread.abs().max()) < 1e-12


def test_dc_gain_detects_gain_and_grid():
    h = impulse_response(Bicubic(2), scale=2, dtype=torch.float64)
    assert dc_gain(2.0 * h, scale=2).gain.tolist() == pytest.approx([2.0] * 3)
    g = dc_gain(impulse_response(conv_shuffle(2), scale=2, size=7), scale=2)
    assert g.phase_gain.shape == (3, 2, 2)
    assert float(g.spread.min()) > 0.01  # a random pixel-shuffle net has a grid pattern
    assert torch.allclose(g.gain, g.phase_gain.mean(dim=(-2, -1)))


def test_dc_gain_needs_a_multiple_of_scale():
    with pytest.raises(ShapeError, match="multiple of 4"):
        dc_gain(torch.zeros(3, 10, 10), scale=4)


# ------------------------------------------------------------------------------ sinc_likeness


def test_sinc_model_is_its_own_windowed_sinc():
    for scale in (2, 3, 4):
        s = sinc_likeness(impulse_response(SincLPF(scale), scale=scale, dtype=torch.float64),
                          scale=scale)
        assert s.window == "kaiser" and s.half_width == 4 * scale
        assert s.cutoff_ratio == pytest.approx(1.0, abs=0.005)
        assert s.distance < 1e-3
        assert s.main_lobe_ratio == pytest.approx(1.0, abs=0.04)
        assert s.side_lobe_negative and -0.17 < s.side_lobe_level < -0.11


def test_bicubic_main_lobe_and_side_lobe_are_keys():
    # Keys a=-0.75: zeros at +-1 LR pixel (width 2s), side-lobe minimum a*4/27 = -1/9 at 4/3
    s = sinc_likeness(impulse_response(Bicubic(3), scale=3, dtype=torch.float64), scale=3)
    assert s.main_lobe_width == pytest.approx(6.0, abs=1e-9)
    assert s.side_lobe_level == pytest.approx(-1 / 9, abs=0.005)
    assert s.cutoff_ratio == pytest.approx(1.0, abs=0.02)
    assert s.distance < 0.03 and s.sinc_distance > 0.15  # a windowed sinc, not the ideal one


def test_ideal_sinc_profile():
    scale = 4
    d = torch.arange(-40, 41, dtype=torch.float64)
    h = torch.outer(torch.sinc(d / scale), torch.sinc(d / scale))
    s = sinc_likeness(h, scale=scale)
    assert s.main_lobe_width == pytest.approx(2 * scale, rel=1e-3)
    assert s.side_lobe_level == pytest.approx(-0.2172, abs=0.003)  # parabolic vertex
    assert s.sinc_distance < 1e-6 and s.distance < 1e-6 and abs(s.centre) < 1e-9
    assert s.window == "rectangular" and s.half_width == math.inf


def test_gaussian_has_no_side_lobe():
    d = torch.arange(-20, 21, dtype=torch.float64)
    g = torch.exp(-0.5 * (d / 3) ** 2)
    s = sinc_likeness(torch.outer(g, g)[None], scale=4)
    assert math.isnan(s.main_lobe_width) and math.isnan(s.side_lobe_level)
    assert not s.side_lobe_negative


def test_box_has_no_spurious_side_lobe():
    # nearest-neighbour x4: a 4-pixel box; its plateau must not be extrapolated into lobes
    def up(x):
        return F.interpolate(x, scale_factor=4, mode="nearest")

    s = sinc_likeness(impulse_response(up, scale=4, dtype=torch.float64), scale=4)
    assert s.peak == 1.0 and s.side_lobe_level == 0.0 and not s.side_lobe_negative


def test_sinc_likeness_accepts_matrix_responses():
    m = impulse_response_matrix(Bicubic(2), scale=2, dtype=torch.float64)
    a = sinc_likeness(m, scale=2)
    b = sinc_likeness(impulse_response(Bicubic(2), scale=2, dtype=torch.float64), scale=2)
    assert a.to_dict() == pytest.approx(b.to_dict())


# -------------------------------------------------------------------- linearity / shift invariance


def test_linearity_of_linear_affine_and_relu_nets():
    assert linearity(conv_shuffle(2), scale=2, size=7).max_error < 1e-12
    assert linearity(conv_shuffle(2, bias=True), scale=2, size=7).max_error < 1e-12
    homogeneous = linearity(conv_shuffle(2, relu=True), scale=2, size=7)
    assert homogeneous.amplitude_error < 1e-12  # ReLU without bias: positively homogeneous
    assert homogeneous.background_error > 1e-3
    relu = linearity(conv_shuffle(2, bias=True, relu=True), scale=2, size=7)
    assert relu.max_error > 1e-2


def test_linearity_records_keep_inputs_in_range():
    lin = linearity(Bicubic(2), scale=2, size=5, dtype=torch.float64)
    assert len(lin.records) == 5 + 4  # at background 0.5 only amplitudes <= 0.5
    assert all(b + a <= 1.0 for b, a, _ in lin.records)
    assert lin.reference_amplitude == 1.0 and lin.max_error < 1e-12
    with pytest.raises(ValueError, match="include 0"):
        linearity(Bicubic(2), scale=2, backgrounds=(0.5,))
    with pytest.raises(ValueError, match="positive"):
        linearity(Bicubic(2), scale=2, amplitudes=(0.0, 1.0))


def test_shift_invariance_of_invariant_models():
    for model, scale in [(Bicubic(3), 3), (conv_shuffle(2), 2), (SincLPF(2), 2)]:
        si = shift_invariance(model, scale=scale, dtype=torch.float64)
        assert si.offsets == DEFAULT_OFFSETS
        assert si.max_error < 1e-10


def test_shift_invariance_exposes_internal_striding():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 2, stride=2, bias=False),
                        nn.Conv2d(8, 3 * 16, 1, bias=False), nn.PixelShuffle(4)).double()
    si = shift_invariance(net, scale=2, size=12, offsets=((0, 2), (2, 2), (0, 1), (1, 1)))
    assert max(si.errors[:2]) < 1e-12  # even offsets: the stride's period
    assert min(si.errors[2:]) > 0.1  # odd offsets: a different phase


# ------------------------------------------------------------------------------------ diagnose


def test_diagnose_to_dict_is_json():
    d = diagnose(conv_shuffle(2, bias=True, relu=True), scale=2, size=7)
    data = d.to_dict()
    text = json.dumps(data)
    assert "response" not in data
    assert set(data) == {"scale", "size", "dc_gain", "frequency", "sinc", "linearity",
                         "shift_invariance"}
    assert json.loads(text)["sinc"]["scale"] == 2
    assert d.response.shape == (3, 14, 14)


def test_diagnose_on_device(device):
    d = diagnose(conv_shuffle(2).to(device), scale=2, size=7)
    assert d.response.device.type == device.type
    assert d.linearity.max_error < 1e-10 and d.shift_invariance.max_error < 1e-10
    assert d.frequency.magnitude.device.type == device.type


# ----------------------------------------------------------------------------- feature maps,
# shape correlation, reference bitmaps (Figs. 1, 9, 16)


def test_shape_correlation_is_gain_offset_invariant_and_resizes():
    from lpf.analysis.sinc import shape_correlation

    h = impulse_response(lambda x: F.interpolate(x, scale_factor=4, mode="bicubic"), scale=4)
    assert shape_correlation(h, 2.0 * h + 0.3) == pytest.approx(1.0)
    assert shape_correlation(h, -h) == pytest.approx(-1.0)
    assert shape_correlation(h.numpy().transpose(1, 2, 0), h) == pytest.approx(1.0)  # HWC
    small = F.interpolate(h[None], size=(22, 22), mode="bilinear", align_corners=False)[0]
    assert shape_correlation(h, small) > 0.95  # resized to a's shape
    assert math.isnan(shape_correlation(torch.ones(4, 4), h[0]))
    with pytest.raises(ShapeError, match=r"\(H, W\)"):
        shape_correlation(torch.zeros(4), h)


def test_feature_maps_hooks_and_baseline():
    from lpf.analysis.probes import feature_maps

    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 3 * 4, 1),
                        nn.PixelShuffle(2))
    x = impulse_image(5)
    maps = feature_maps(net, x, ["0", "3"])
    assert maps["0"].shape == (8, 5, 5) and maps["3"].shape == (3, 10, 10)
    torch.testing.assert_close(maps["3"], net(x[None]).detach()[0])
    assert all(not m._forward_hooks for m in net.modules())  # hooks removed
    base = impulse_image(5, amplitude=0.0)
    diff = feature_maps(net, x, ["0"], baseline=base)["0"]
    torch.testing.assert_close(diff, maps["0"] - net[0](base[None]).detach()[0])
    with pytest.raises(KeyError, match="no submodule"):
        feature_maps(net, x, ["head"])
    with pytest.raises(ValueError, match="at least one"):
        feature_maps(net, x, [])
    with pytest.raises(ShapeError, match="baseline"):
        feature_maps(net, x, ["0"], baseline=impulse_image(4))
    with pytest.raises(TypeError, match="nn.Module"):
        feature_maps(lambda t: t, x, ["0"])


def test_feature_maps_copy_the_output_before_in_place_ops():
    from lpf.analysis.probes import feature_maps

    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 1, bias=False)
            nn.init.zeros_(self.conv.weight)

        def forward(self, x):
            res = self.conv(x)
            res += x  # in place, as basicsr's EDSR does after conv_after_body
            return res

    maps = feature_maps(Residual(), impulse_image(3), ["conv"])
    assert float(maps["conv"].abs().max()) == 0.0
