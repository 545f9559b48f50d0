"""Known-answer tests of the local linearisation (lpf.analysis.local, issue 13).

The answers come from calculus, not from the code under test: a linear shift-invariant network
has the same Jacobian at every image (its kernel, which impulse_response measures); a bias-free
ReLU network is positively homogeneous, so Euler's theorem gives J(x) x = N(x); a derivative
equals the limit of central finite differences; and on a black image the impulse response at
amplitude a is a secant of the network, which tends to its tangent (the Jacobian) as a -> 0.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import lpf
from lpf._checks import LpfError, ShapeError
from lpf.analysis.impulse import impulse_response, impulse_response_matrix
from lpf.analysis.local import (
    jacobian_decomposition,
    local_impulse_response,
    local_receptive_field,
    local_response_map,
)
from lpf.analysis.sinc import sinc_likeness


def _seeded(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def linear_net(scale: int = 2, bias: bool = True) -> nn.Module:
    """Three 3x3 convolutions (receptive field 3 LR pixels) and a pixel shuffle: linear/affine."""
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, bias=bias), nn.Conv2d(8, 8, 3, padding=1, bias=bias),
        nn.Conv2d(8, 3 * scale * scale, 3, padding=1, bias=bias), nn.PixelShuffle(scale),
    ).double().eval()


def relu_net(scale: int = 2, bias: bool = False) -> nn.Module:
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, bias=bias), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1, bias=bias), nn.ReLU(),
        nn.Conv2d(16, 3 * scale * scale, 3, padding=1, bias=bias), nn.PixelShuffle(scale),
    ).eval()


def smooth_net(scale: int = 2) -> nn.Module:
    """A smooth nonlinear network with biases (tanh), float64: derivatives are well defined."""
    torch.manual_seed(2)
    return nn.Sequential(
        nn.Conv2d(3, 12, 3, padding=1), nn.Tanh(), nn.Conv2d(12, 12, 3, padding=1), nn.Tanh(),
        nn.Conv2d(12, 3 * scale * scale, 3, padding=1), nn.PixelShuffle(scale),
    ).double().eval()


# ---------------------------------------------------------------------------------------------
# linear networks: the local response is the global impulse response everywhere


@pytest.mark.parametrize("context", [None, 0, 2])
def test_linear_net_local_response_is_the_global_kernel_at_every_pixel_and_image(context):
    net, s, size = linear_net(), 2, 7
    kernel = impulse_response_matrix(net, scale=s, size=size)  # black 7x7, background removed
    pixels = [(3, 3), (10, 12), (16, 5), (12, 16)]  # interior: window and receptive field inside
    for seed in (0, 1):
        image = torch.rand(3, 20, 20, generator=_seeded(seed), dtype=torch.float64)
        cols = local_impulse_response(net, image, pixels, scale=s, size=size, context=context)
        assert cols.shape == (4, 3, 3, 2 * size, 2 * size)
        for h in cols:
            torch.testing.assert_close(h, kernel, atol=1e-12, rtol=0)


def test_bicubic_model_local_response_is_its_impulse_response():
    net = lpf.load_model("bicubic", scale=4)
    kernel = impulse_response_matrix(net, scale=4, size=7, dtype=torch.float64)
    image = torch.rand(3, 16, 16, generator=_seeded(3), dtype=torch.float64)
    h = local_impulse_response(net, image, [(5, 6), (9, 10)], scale=4, size=7)
    torch.testing.assert_close(h, kernel.expand_as(h), atol=1e-12, rtol=0)
    m = local_response_map(net, image, scale=4, stride=4, offset=4, size=7)
    ref = sinc_likeness(kernel, scale=4)
    assert np.allclose(m.side_lobe_level, ref.side_lobe_level, atol=1e-9)
    assert np.allclose(m.main_lobe_width, ref.main_lobe_width, atol=1e-9)
    assert np.allclose(m.dc_gain, 1.0, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# Euler: bias-free ReLU networks are their own local linear filter


def test_bias_free_relu_net_has_no_residual():
    net = relu_net()
    image = torch.rand(3, 12, 12, generator=_seeded(4))
    d = jacobian_decomposition(net, image, scale=2)
    assert d.sr.shape == d.linear.shape == (3, 24, 24)
    torch.testing.assert_close(d.linear, d.sr, atol=1e-5, rtol=0)
    assert float(d.residual.abs().max()) < 1e-5
    assert d.relative_residual < 1e-5
    assert torch.equal(d.sr, net(image[None])[0].detach())


def test_relu_net_with_biases_leaves_a_residual():
    d = jacobian_decomposition(relu_net(bias=True), torch.rand(1, 3, 12, 12, generator=_seeded(5)),
                               scale=2)
    assert d.sr.shape == (1, 3, 24, 24)
    assert d.relative_residual > 1e-3


def test_jx_is_the_sum_of_the_columns_weighted_by_the_image():
    """J(x) x from one jvp equals sum_p,c x[c, p] * column(p, c) assembled from the columns."""
    net, s, n = smooth_net(), 2, 5
    image = torch.rand(3, n, n, generator=_seeded(6), dtype=torch.float64)
    size = 2 * n + 1  # every window holds the whole output
    pixels = [(r, c) for r in range(n) for c in range(n)]
    cols = local_impulse_response(net, image, pixels, scale=s, size=size, batch_size=64)
    total = torch.zeros(3, s * n, s * n, dtype=torch.float64)
    half = size // 2
    for (r, c), h in zip(pixels, cols, strict=True):
        top, left = s * (half - r), s * (half - c)  # the output's place in the window
        total += torch.einsum("oiyx,i->oyx", h[..., top:top + s * n, left:left + s * n],
                              image[:, r, c])
    d = jacobian_decomposition(net, image, scale=s)
    torch.testing.assert_close(total, d.linear, atol=1e-10, rtol=0)


# ---------------------------------------------------------------------------------------------
# the jvp is the derivative: central finite differences, and the impulse response's limit


def test_jvp_equals_central_finite_difference():
    net, s, size = smooth_net(), 2, 5
    image = torch.rand(3, 9, 9, generator=_seeded(7), dtype=torch.float64)
    p, eps = (4, 3), 1e-5
    h = local_impulse_response(net, image, p, scale=s, size=size)
    for c in range(3):
        delta = torch.zeros_like(image)
        delta[c, p[0], p[1]] = eps
        with torch.no_grad():
            fd = (net((image + delta)[None]) - net((image - delta)[None]))[0] / (2 * eps)
        top, left = s * (p[0] - size // 2), s * (p[1] - size // 2)
        win = torch.zeros(3, s * size, s * size, dtype=torch.float64)
        r0, c0 = max(top, 0), max(left, 0)
        r1, c1 = min(top + s * size, fd.shape[-2]), min(left + s * size, fd.shape[-1])
        win[:, r0 - top:r1 - top, c0 - left:c1 - left] = fd[:, r0:r1, c0:c1]
        torch.testing.assert_close(h[:, c], win, atol=1e-8, rtol=0)


def test_black_image_local_response_is_the_small_amplitude_impulse_response():
    """impulse_response(a) = (N(a d) - N(0)) / a -> J(0) d; the error shrinks like a."""
    net, s, size = smooth_net(), 2, 11
    black = torch.zeros(3, size, size, dtype=torch.float64)
    jac = local_impulse_response(net, black, (size // 2, size // 2), scale=s, size=size)
    errors = []
    for a in (1e-1, 1e-2, 1e-3):
        h = impulse_response(net, scale=s, size=size, amplitude=a)
        errors.append(float((h - jac.sum(1)).norm() / jac.sum(1).norm()))
    assert errors[0] > errors[1] > errors[2]
    assert errors[1] / errors[0] < 0.2 and errors[2] / errors[1] < 0.2  # first order in a
    assert errors[2] < 1e-3


@pytest.mark.parametrize("name", ["edsr-kit", "rdn-kit"])
def test_black_image_kit_network_matches_its_small_amplitude_impulse_response(name):
    """Real ReLU networks: the secant tends to the tangent (float64: no rounding noise)."""
    net = lpf.load_model(name, scale=4).double()
    black = torch.zeros(3, 11, 11, dtype=torch.float64)
    jac = local_impulse_response(net, black, (5, 5), scale=4).sum(1)
    errors = [float((impulse_response(net, scale=4, amplitude=a) - jac).norm() / jac.norm())
              for a in (1e-1, 1e-2, 1e-3, 1e-4)]
    assert all(e1 >= e2 for e1, e2 in zip(errors[:-1], errors[1:], strict=True))
    assert errors[0] > 0.05 and errors[-1] < 1e-2


# ---------------------------------------------------------------------------------------------
# rows (reverse mode) and columns (forward mode) are the same Jacobian; crops; the map


def test_receptive_field_row_matches_the_columns():
    net, s, size = smooth_net(), 2, 5
    image = torch.rand(3, 10, 10, generator=_seeded(8), dtype=torch.float64)
    q = (9, 12)  # HR pixel; its LR pixel is (4, 6)
    row = local_receptive_field(net, image, q, scale=s, size=size)
    assert row.shape == (3, 3, size, size)
    p0 = (q[0] // s - size // 2, q[1] // s - size // 2)
    for dr in range(size):
        for dc in range(size):
            p = (p0[0] + dr, p0[1] + dc)
            col = local_impulse_response(net, image, p, scale=s, size=size)
            top, left = s * (p[0] - size // 2), s * (p[1] - size // 2)
            qi, qj = q[0] - top, q[1] - left
            expected = (col[:, :, qi, qj] if 0 <= qi < s * size and 0 <= qj < s * size
                        else torch.zeros(3, 3, dtype=torch.float64))
            torch.testing.assert_close(row[:, :, dr, dc], expected, atol=1e-12, rtol=0)


def test_crop_context_matches_the_whole_image_for_a_kit_network_at_large_context():
    net = lpf.load_model("rdn-kit", scale=4)
    image = torch.rand(3, 20, 20, generator=_seeded(9))
    whole = local_impulse_response(net, image, [(9, 9), (0, 19)], scale=4, size=5)
    crop = local_impulse_response(net, image, [(9, 9), (0, 19)], scale=4, size=5, context=6)
    rel = float((crop - whole).norm() / whole.norm())
    assert rel < 1e-3


def test_map_agrees_with_local_impulse_response_and_linear_maps_are_constant():
    net, s = linear_net(), 2
    image = torch.rand(3, 16, 16, generator=_seeded(10), dtype=torch.float64)
    for context in (None, 1):
        m = local_response_map(net, image, scale=s, stride=3, size=7, context=context,
                               batch_size=5)
        assert m.rows.tolist() == [1, 4, 7, 10, 13] and m.side_lobe_level.shape == (5, 5)
        h = local_impulse_response(net, image, (7, 10), scale=s, size=7, context=context)
        torch.testing.assert_close(m.responses[2, 3], h.sum(1))
        inner = m.sinc_correlation[1:-1, 1:-1]
        assert np.ptp(inner) < 1e-9 and np.ptp(m.dc_gain[1:-1, 1:-1]) < 1e-9
    d = m.to_dict()
    assert d["summary"]["dc_gain"]["nan"] == 0 and d["stride"] == 3 and "responses" not in d


def test_map_of_a_nonlinear_network_varies_and_has_finite_summaries():
    net = relu_net(bias=True)
    image = torch.rand(3, 12, 12, generator=_seeded(11))
    m = local_response_map(net, image, scale=2, stride=4, size=5)
    assert m.responses.shape == (3, 3, 3, 10, 10)
    assert np.isfinite(m.cutoff_6db).any() and np.isfinite(m.sinc_correlation).all()
    assert float(np.ptp(m.sinc_correlation)) > 1e-4
    assert set(m.summary()) == set(lpf.analysis.local.MAP_FIELDS)


# ---------------------------------------------------------------------------------------------
# clear errors


def _rounding(x):
    return F.interpolate(x, scale_factor=2, mode="nearest").round()


def _numpy_trip(x):
    y = F.interpolate(x, scale_factor=2, mode="nearest")
    return torch.from_numpy(y.numpy())


def _no_grad(x):
    with torch.no_grad():
        return F.interpolate(x, scale_factor=2, mode="bilinear")


@pytest.mark.parametrize("model", [_rounding, _numpy_trip])
def test_non_differentiable_models_raise_lpf_error(model):
    image = torch.rand(3, 8, 8)
    for call in (lambda: local_impulse_response(model, image, (4, 4), scale=2, size=3),
                 lambda: local_response_map(model, image, scale=2, stride=4, size=3),
                 lambda: jacobian_decomposition(model, image, scale=2),
                 lambda: local_receptive_field(model, image, (8, 8), scale=2, size=3)):
        with pytest.raises(LpfError, match="not differentiable"):
            call()


def test_no_grad_inside_forward_breaks_reverse_mode_only():
    image = torch.rand(3, 8, 8)
    h = local_impulse_response(_no_grad, image, (4, 4), scale=2, size=3)  # forward AD is exact
    assert round(float(h[0, 0].sum()), 6) == 4.0
    with pytest.raises(LpfError, match="not differentiable"):
        local_receptive_field(_no_grad, image, (8, 8), scale=2, size=3)


def test_bad_arguments_name_themselves():
    net, image = linear_net(), torch.rand(3, 8, 8, dtype=torch.float64)
    with pytest.raises(ValueError, match="`pixel`"):
        local_impulse_response(net, image, (8, 2), scale=2)
    with pytest.raises(ValueError, match="`pixel`"):
        local_impulse_response(net, image, [(1, 1), (-1, 2)], scale=2)
    with pytest.raises(TypeError, match="`pixel`"):
        local_impulse_response(net, image, 3, scale=2)
    with pytest.raises(TypeError, match="`pixel`"):
        local_impulse_response(net, image, (1.5, 2), scale=2)
    with pytest.raises(ValueError, match="`context`"):
        local_impulse_response(net, image, (1, 1), scale=2, context=-1)
    with pytest.raises(ValueError, match="`batch_size`"):
        local_impulse_response(net, image, (1, 1), scale=2, batch_size=0)
    for stride in (0, -2, 1.5, True):
        with pytest.raises(ValueError, match="`stride`"):
            local_response_map(net, image, scale=2, stride=stride)
    with pytest.raises(ValueError, match="`offset`"):
        local_response_map(net, image, scale=2, offset=8)
    with pytest.raises(ValueError, match="`out_pixel`"):
        local_receptive_field(net, image, (16, 0), scale=2)
    with pytest.raises(ShapeError, match="`image`"):
        local_impulse_response(net, torch.rand(2, 3, 8, 8, dtype=torch.float64), (1, 1), scale=2)
    with pytest.raises(ShapeError, match="scale"):
        local_impulse_response(net, image, (1, 1), scale=3)


def test_public_names():
    for name in ("local_impulse_response", "local_receptive_field", "local_response_map",
                 "jacobian_decomposition"):
        assert getattr(lpf, name) is getattr(lpf.analysis.local, name)


# ------------------------------------------------------ output windows (LIIF decodes less)


def _small_liif():
    from lpf.models.archs.liif import LIIF
    from lpf.models.wrapper import SRModel

    torch.manual_seed(3)
    net = LIIF(n_resblocks=2, n_feats=8, hidden=(16, 16)).eval()
    return SRModel(net, scale=4, name="small-liif", call_with_scale=True)


def test_forward_window_equals_the_window_of_the_whole_output(monkeypatch):
    model = _small_liif()
    x = torch.rand(2, 3, 9, 7, generator=torch.Generator().manual_seed(0))
    decoded = []
    real = type(model.net)._mlp_tail
    monkeypatch.setattr(type(model.net), "_mlp_tail",
                        lambda self, h: decoded.append(h.shape[1] * h.shape[2]) or real(self, h))
    with torch.no_grad():
        full = model(x)
        n_full = sum(decoded)
        decoded.clear()
        for top, left, h, w in [(0, 0, 36, 28), (5, 3, 11, 13), (35, 27, 1, 1)]:
            part = model.forward_window(x, (top, left, h, w))
            torch.testing.assert_close(part, full[..., top:top + h, left:left + w],
                                       rtol=1e-6, atol=1e-6)
    # the LIIF path decoded only the windows' pixels (4 ensemble members each), not 3 outputs
    assert sum(decoded) == 4 * (36 * 28 + 11 * 13 + 1) < 3 * n_full
    # a network without upsample_window: the whole output, cropped; the same numbers
    conv = lpf.wrap_model(nn.Sequential(nn.Conv2d(3, 48, 3, padding=1), nn.PixelShuffle(4)),
                          scale=4)
    with torch.no_grad():
        torch.testing.assert_close(conv.forward_window(x, (5, 3, 11, 13)),
                                   conv(x)[..., 5:16, 3:16])
    for bad in [(30, 0, 7, 1), (0, 0, 0, 3), (-1, 0, 2, 2), (0, 0, 2)]:
        with pytest.raises(ValueError, match="`window` must be"):
            model.forward_window(x, bad)


def test_map_with_output_windows_equals_the_map_of_whole_crops(monkeypatch):
    model = _small_liif()
    image = torch.rand(3, 14, 13, generator=torch.Generator().manual_seed(1))
    fast = local_response_map(model, image, scale=4, stride=4, size=5, context=2, batch_size=4)
    monkeypatch.delattr(type(model), "forward_window")  # every crop decoded whole, then cut
    slow = local_response_map(model, image, scale=4, stride=4, size=5, context=2, batch_size=4)
    torch.testing.assert_close(fast.responses, slow.responses, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fast.dc_gain, slow.dc_gain, rtol=1e-5, atol=1e-6)
