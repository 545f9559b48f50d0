"""Tiled inference (lpf.models.tiled_forward): exact where the receptive field fits in the overlap,
different only near the seams (within R - overlap LR pixels) where it does not; clear errors."""

from __future__ import annotations

import pytest
import torch

from lpf.evaluate import evaluate, super_resolve
from lpf.models import check_tiling, load_model, tiled_forward


@pytest.fixture
def native_conv():
    """Convolutions without oneDNN: its kernels pick their blocking by input size, so a tile and
    the whole image round differently (~1e-7); the native kernels do not."""
    before = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False
    yield
    torch.backends.mkldnn.enabled = before


@pytest.mark.parametrize("name, scale, overlap, exact", [
    ("nearest", 3, 0, True), ("bicubic", 4, 2, True), ("bilinear", 2, 1, False),
    ("bicubic-matlab", 2, 4, False), ("bicubic-matlab", 4, 4, False), ("lanczos3", 3, 4, False)])
@pytest.mark.parametrize("size", [(37, 50), (16, 16), (64, 9)])
def test_analytic_models_tiled_equal_untiled(name, scale, overlap, exact, size):
    """Bit for bit for interpolate-based models; to float rounding (a few ulps) for the
    separable resizers, whose weight matrices are built per input size."""
    model = load_model(name, scale=scale)
    x = torch.rand(1, 3, *size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        tiled, whole = tiled_forward(model, x, scale=scale, tile=8, tile_overlap=overlap), model(x)
    if exact:
        assert torch.equal(tiled, whole)
    else:
        assert float((tiled - whole).abs().max()) <= 4 * torch.finfo(torch.float32).eps
        assert torch.equal(tiled.mul(255).round(), whole.mul(255).round()) or size == (16, 16)


def test_a_wide_receptive_field_is_not_exact():
    """RFDN's attention block sees far beyond the overlap: tiling changes its output."""
    model = load_model("rfdn", scale=4)
    x = torch.rand(1, 3, 40, 50, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        diff = (tiled_forward(model, x, scale=4, tile=24, tile_overlap=12) - model(x)).abs()
    assert float(diff.max()) > 1e-3


@pytest.mark.parametrize("name, scale, overlap", [("fsrcnn-y", 2, 12), ("espcn-y", 2, 8),
                                                  ("espcn-y", 4, 8), ("carn-m", 2, 31)])
def test_small_cnns_tiled_equal_untiled_exactly(native_conv, name, scale, overlap):
    model = load_model(name, scale=scale)
    x = torch.rand(1, 3, 45, 70, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert torch.equal(tiled_forward(model, x, scale=scale, tile=32, tile_overlap=overlap),
                           model(x))


def test_with_onednn_the_difference_is_rounding_only():
    model = load_model("fsrcnn-y", scale=2)
    x = torch.rand(1, 3, 45, 70, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        diff = (tiled_forward(model, x, scale=2, tile=16, tile_overlap=12) - model(x)).abs()
    assert float(diff.max()) < 1e-5


class _Stack(torch.nn.Module):
    """``depth`` 3x3 convolutions (receptive-field radius ``depth``), then pixel shuffle x2."""

    def __init__(self, depth):
        super().__init__()
        gen = torch.Generator().manual_seed(2)
        layers = []
        for i in range(depth):
            conv = torch.nn.Conv2d(3 if i == 0 else 8, 8 if i < depth - 1 else 12, 3, padding=1)
            with torch.no_grad():
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=gen) * 0.3)
            layers += [conv, torch.nn.Tanh()] if i < depth - 1 else [conv]
        self.net = torch.nn.Sequential(*layers, torch.nn.PixelShuffle(2))

    def forward(self, x):
        return self.net(x)


@pytest.mark.parametrize("depth, overlap", [(5, 5), (5, 2), (6, 0)])
def test_the_bound_differences_only_near_seams(native_conv, depth, overlap):
    """Receptive-field radius R = depth: exact if R <= overlap, else different only within
    R - overlap LR pixels (2 (R - overlap) output pixels) of a seam between tiles (elsewhere
    equal to float64 rounding)."""
    model, tile, s = _Stack(depth).double(), 10, 2
    x = torch.rand(1, 3, 30, 25, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        diff = (tiled_forward(model, x, scale=s, tile=tile, tile_overlap=overlap)
                - model(x)).abs()[0].amax(0)
    band = max(0, depth - overlap)
    near = torch.zeros(30 * s, 25 * s, dtype=torch.bool)
    for seam in range(tile, 30, tile):
        near[s * (seam - band):s * (seam + band), :] = True
    for seam in range(tile, 25, tile):
        near[:, s * (seam - band):s * (seam + band)] = True
    assert float(diff[~near].max()) <= 1e-12  # float64 rounding only (BLAS sums by size)
    if band:
        assert float(diff[near].max()) > 1e-6  # the bound is not vacuous


def test_tiled_evaluate_and_super_resolve_equal_untiled():
    kw = dict(scales=[2], hr_size=96, limit=2, cache=False, progress=False,
              metrics=["psnr", "fsds"])
    plain = evaluate(["nearest", "bicubic"], "embedded", **kw)
    tiled = evaluate(["nearest", "bicubic"], "embedded", tile=16, tile_overlap=4, **kw)
    assert tiled.rows == plain.rows
    image = torch.rand(3, 40, 33)
    assert torch.equal(super_resolve("bicubic", image, scale=4, tile=16, tile_overlap=4),
                       super_resolve("bicubic", image, scale=4))


@pytest.mark.parametrize("tile, overlap, match", [
    (0, 4, r"`tile` must be None \(no tiling\) or an integer >= 1 .* got 0"),
    (-8, 4, "got -8"), (8.0, 2, "got 8.0"), (True, 0, "got True"),
    (16, -1, r"`tile_overlap` must be an integer >= 0 .* got -1"), (16, 2.5, "got 2.5"),
    (16, 16, r"`tile_overlap` \(16\) must be smaller than `tile` \(16\)"),
])
def test_bad_tiles_are_clear_errors(tile, overlap, match):
    with pytest.raises(ValueError, match=match):
        check_tiling(tile, overlap)
    with pytest.raises(ValueError, match=match):
        evaluate(["nearest"], "embedded", scales=[2], tile=tile, tile_overlap=overlap,
                 cache=False)


def test_other_tiling_errors():
    up = torch.nn.Upsample(scale_factor=2)
    with pytest.raises(ValueError, match=r"`scale` must be an integer >= 1 .* got 2.5"):
        tiled_forward(up, torch.rand(1, 3, 40, 40), scale=2.5, tile=16, tile_overlap=2)
    with pytest.raises(ValueError, match=r"`image` must be \(N, C, H, W\)"):
        tiled_forward(up, torch.rand(3, 40, 40), scale=2, tile=16, tile_overlap=2)
    with pytest.raises(ValueError, match=r"output 3 times the size of the input"):
        tiled_forward(up, torch.rand(1, 3, 40, 40), scale=3, tile=16, tile_overlap=2)
    assert check_tiling(None, 0) == (None, 0)
