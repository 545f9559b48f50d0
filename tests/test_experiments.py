"""Tests of lpf.experiments: the computations behind the signal-processing figure notebooks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lpf import experiments as E
from lpf._checks import RangeError, ShapeError
from lpf.data import DatasetNotFound, SRPair, load_embedded
from lpf.fsds import fsds


def _textured(c: int = 3, h: int = 48, w: int = 40, seed: int = 0) -> torch.Tensor:
    """A smooth random image in [0.2, 0.8] (no clipping when lightly edited)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(1, c, h, w, generator=g, dtype=torch.float64)
    x = torch.nn.functional.avg_pool2d(x, 3, 1, 1, count_include_pad=False)[0]
    return 0.2 + 0.6 * (x - x.min()) / (x.max() - x.min())


# ------------------------------------------------------------------------------------ data


def test_crop_pair_is_aligned_and_centred():
    pair = load_embedded("camera", scale=4)
    crop = E.crop_pair(pair, (16, 24))
    assert crop.lr.shape == (16, 24, 3) and crop.hr.shape == (64, 96, 3)
    y, x = (128 - 16) // 2, (128 - 24) // 2
    np.testing.assert_array_equal(crop.lr, pair.lr[y : y + 16, x : x + 24])
    np.testing.assert_array_equal(crop.hr, pair.hr[4 * y : 4 * (y + 16), 4 * x : 4 * (x + 24)])
    assert crop.scale == 4 and crop.name == "camera"


def test_crop_pair_errors():
    pair = SRPair("x", np.zeros((8, 8, 3), np.uint8), np.zeros((4, 4, 3), np.uint8), 2)
    with pytest.raises(ShapeError, match="larger than the LR image"):
        E.crop_pair(pair, 5)
    with pytest.raises(ValueError, match="positive"):
        E.crop_pair(pair, 0)


def test_load_pairs_embedded_names_limit_and_crop():
    ps = E.load_pairs("embedded", scale=2, limit=2, lr_size=16)
    assert ps.dataset == "embedded" and len(ps.pairs) == 2
    assert all(p.lr.shape == (16, 16, 3) and p.hr.shape == (32, 32, 3) for p in ps.pairs)
    assert [p.name for p in E.load_pairs("embedded", scale=3, names=["coins"]).pairs] == ["coins"]


def test_load_pairs_auto_falls_back_to_embedded(tmp_path):
    ps = E.load_pairs("auto", scale=2, limit=1, lr_size=8, root=str(tmp_path))
    assert ps.dataset == "embedded" and len(ps.pairs) == 1


def test_load_pairs_missing_set_raises(tmp_path):
    with pytest.raises(DatasetNotFound):
        E.load_pairs("DIV2K-valid", scale=2, root=str(tmp_path))


def test_load_pairs_reads_a_local_set(tmp_path):
    from lpf.data import write_image

    folder = tmp_path / "Set5" / "HR"
    folder.mkdir(parents=True)
    image = (np.arange(24 * 20 * 3) % 251).astype(np.uint8).reshape(24, 20, 3)
    write_image(folder / "a.png", image)
    ps = E.load_pairs("Set5", scale=2, root=str(tmp_path))
    assert ps.dataset == "Set5" and ps.pairs[0].lr.shape == (12, 10, 3)


# ------------------------------------------------------------------------------- Fig. 6


def test_cross_width_narrows_with_blur_and_validates():
    noise = _textured(1, 64, 64)
    sharp = E.cross_width(torch.rand(1, 64, 64, generator=torch.Generator().manual_seed(1)))
    assert E.cross_width(noise) < sharp
    assert 0.0 <= E.cross_width(noise[0]) <= 0.5  # (H, W) accepted
    with pytest.raises(ValueError, match="level"):
        E.cross_width(noise, level=0.0)
    with pytest.raises(ShapeError, match="4x4"):
        E.cross_width(torch.rand(1, 3, 8))


def test_energy_bandwidth_of_a_cosine_and_of_a_lowpassed_image():
    _, x = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
    assert E.energy_bandwidth(torch.cos(2 * math.pi * 0.25 * x)[None]) == 0.25
    noise = torch.rand(3, 64, 64, generator=torch.Generator().manual_seed(0))
    smooth = _textured(3, 64, 64)
    assert E.energy_bandwidth(smooth, fraction=0.9) < E.energy_bandwidth(noise, fraction=0.9)
    with pytest.raises(ValueError, match="fraction"):
        E.energy_bandwidth(noise, fraction=1.5)
    with pytest.raises(ValueError, match="constant"):
        E.energy_bandwidth(torch.ones(1, 8, 8))


# ------------------------------------------------------------------------------- Fig. 7


def test_spectrum_band_selects_free_bins_only():
    m = E.spectrum_band((8, 8), (0.0, 0.2))
    # (0, 1), (1, 0), (1, 1) and (-1, 1) of radius <= 0.2; (-1, 0) is the twin of (1, 0)
    assert m.shape == (8, 5)
    assert {tuple(i) for i in torch.nonzero(m).tolist()} == {(0, 1), (1, 0), (1, 1), (7, 1)}
    assert not m[:, 4].any()  # the Nyquist column beyond the band
    with pytest.raises(ValueError, match="band"):
        E.spectrum_band((8, 8), (0.3, 0.2))


@pytest.mark.parametrize("size", [(32, 32), (33, 31), (32, 30)])
def test_embed_and_extract_round_trip(size):
    x = _textured(3, *size)
    bits = np.random.default_rng(0).integers(0, 2, 6)
    y = E.embed_in_spectrum(x, bits, strength=0.3, band=(0.0, 0.15))
    assert y.shape == x.shape and y.dtype == x.dtype
    assert 0.0 <= float(y.min()) and float(y.max()) <= 1.0
    out = E.extract_from_spectrum(y, x, n_bits=6, band=(0.0, 0.15))
    assert out.dtype == torch.uint8 and out.tolist() == bits.tolist()
    # only the band (and the conjugate twins of its self-paired bins) changed
    diff = torch.fft.rfft2(y - x)
    mask = E.spectrum_band(size, (0.0, 0.15))
    assert mask[:, 0].any()
    allowed = mask.clone()
    for col in {0, size[1] // 2} if size[1] % 2 == 0 else {0}:
        rows = torch.nonzero(mask[:, col]).flatten()
        allowed[(size[0] - rows) % size[0], col] = True
        assert torch.allclose(diff[:, (size[0] - rows) % size[0], col], diff[:, rows, col].conj())
    assert float(diff.abs()[:, ~allowed].max()) < 1e-10


def test_embed_strength_zero_is_identity_and_strength_lowers_fsds():
    x = _textured()
    bits = [1, 0, 1]
    assert torch.allclose(E.embed_in_spectrum(x, bits, strength=0.0, band=(0.0, 0.1)), x,
                          atol=1e-12)
    weak = float(fsds(E.embed_in_spectrum(x, bits, strength=0.05, band=(0.0, 0.1)), x))
    strong = float(fsds(E.embed_in_spectrum(x, bits, strength=0.5, band=(0.0, 0.1)), x))
    assert strong < weak


def test_embed_errors():
    x = _textured()
    with pytest.raises(ValueError, match="bits"):
        E.embed_in_spectrum(x, [0, 2], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="holds only"):
        E.embed_in_spectrum(x, [0] * 10_000, strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="empty"):
        E.embed_in_spectrum(x, [], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="strength"):
        E.embed_in_spectrum(x, [1], strength=-1.0, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="no free"):
        E.embed_in_spectrum(x, [1], strength=0.1, band=(0.0, 0.001))
    with pytest.raises(RangeError):
        E.embed_in_spectrum(x + 1.0, [1], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ShapeError):
        E.embed_in_spectrum(x[None], [1], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ShapeError, match="same shape"):
        E.extract_from_spectrum(x[:, :-1], x[:, :-1].flip(-1)[:, :, :-1], n_bits=1)
    with pytest.raises(ValueError, match="n_bits"):
        E.extract_from_spectrum(x, x, n_bits=10_000, band=(0.0, 0.1))


def test_strength_for_fsds_hits_the_target_and_checks_the_bracket():
    x = _textured()
    s = E.strength_for_fsds(x, [1, 0, 0], target_fsds=25.0, band=(0.0, 0.1))
    y = E.embed_in_spectrum(x, [1, 0, 0], strength=s, band=(0.0, 0.1))
    assert float(fsds(y, x)) == pytest.approx(25.0, abs=1e-3)
    with pytest.raises(ValueError, match="not between"):
        E.strength_for_fsds(x, [1], target_fsds=500.0, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="bounds"):
        E.strength_for_fsds(x, [1], target_fsds=20.0, band=(0.0, 0.1), bounds=(1.0, 0.5))


def test_jpeg_roundtrip_colour_and_grey():
    x = _textured(3, 32, 32).float()
    y = E.jpeg_roundtrip(x, 50)
    assert y.shape == x.shape and y.dtype == torch.float32
    assert float((E.jpeg_roundtrip(x, 5) - x).abs().mean()) > float((y - x).abs().mean())
    grey = E.jpeg_roundtrip(x[:1], 95)
    assert grey.shape == (1, 32, 32) and float((grey - x[:1]).abs().max()) < 0.05


@pytest.mark.parametrize("quality", [0, 101])
def test_jpeg_roundtrip_rejects_bad_quality(quality):
    with pytest.raises(ValueError, match="quality"):
        E.jpeg_roundtrip(torch.rand(3, 8, 8), quality)


def test_jpeg_roundtrip_rejects_bad_input():
    with pytest.raises(TypeError, match="quality"):
        E.jpeg_roundtrip(torch.rand(3, 8, 8), 50.0)
    with pytest.raises(ShapeError, match="1 or 3 channels"):
        E.jpeg_roundtrip(torch.rand(2, 8, 8), 50)


def test_jpeg_quality_for_fsds_picks_the_closest():
    x = _textured(3, 32, 32)
    values = {q: float(fsds(E.jpeg_roundtrip(x, q), x)) for q in (5, 40, 90)}
    target = values[40] + 0.01
    match = E.jpeg_quality_for_fsds(x, target_fsds=target, qualities=[5, 40, 90])
    assert match.quality == 40 and match.fsds == pytest.approx(values[40])
    with pytest.raises(ValueError, match="empty"):
        E.jpeg_quality_for_fsds(x, target_fsds=30.0, qualities=[])


# ------------------------------------------------------------------------------- Fig. 8


def test_sweep_lpf_cutoff_principled_and_paper():
    pairs = E.load_pairs("embedded", scale=2, names=["chelsea", "coffee"], lr_size=24).pairs
    sw = E.sweep_lpf_cutoff(pairs, [0.1, 0.5, 1.0], scale=2)
    assert sw.psnr.shape == (2, 3) and sw.ssim.shape == (2, 3)
    assert sw.names == ["chelsea", "coffee"]
    assert (sw.psnr.argmax(axis=1) == 1).all()
    assert np.isfinite(sw.ssim).all() and (sw.ssim <= 1).all()
    paper = E.sweep_lpf_cutoff(pairs, [6.0, 12.0], scale=2, mode="paper", ssim=False)
    assert paper.psnr.shape == (2, 2) and paper.ssim is None


def test_sweep_lpf_cutoff_groups_sizes_and_validates():
    a = E.load_pairs("embedded", scale=2, names=["coins"], lr_size=16).pairs
    b = E.load_pairs("embedded", scale=2, names=["coins"], lr_size=20).pairs
    sw = E.sweep_lpf_cutoff(a + b + a, [0.5], scale=2, ssim=False)
    assert sw.psnr[0, 0] == sw.psnr[2, 0] != sw.psnr[1, 0]
    with pytest.raises(ValueError, match="mode"):
        E.sweep_lpf_cutoff(a, [0.5], scale=2, mode="other")
    with pytest.raises(ValueError, match="empty"):
        E.sweep_lpf_cutoff(a, [], scale=2)
    with pytest.raises(ValueError, match="scale"):
        E.sweep_lpf_cutoff(a, [0.5], scale=3)


def test_moving_average_matches_convolution_inside():
    x = np.random.default_rng(0).random(30)
    for n in (1, 3, 10):
        m = E.moving_average(x, n)
        valid = np.convolve(x, np.ones(n) / n, mode="valid")
        np.testing.assert_allclose(m[n // 2 : n // 2 + valid.size], valid)
        assert m.shape == x.shape
    np.testing.assert_allclose(E.moving_average([2.0, 4.0], 10), [3.0, 3.0])
    with pytest.raises(ValueError, match="n"):
        E.moving_average(x, 0)
    with pytest.raises(ValueError, match="1-D"):
        E.moving_average(np.ones((2, 2)), 2)


def test_find_optimum_and_is_unimodal():
    x = np.linspace(0, 1, 21)
    y = -((x - 0.3) ** 2)
    best = E.find_optimum(x, y, smooth=3)
    assert best.index == 6 and best.x == pytest.approx(0.3)
    assert E.is_unimodal(y) and not E.is_unimodal(np.sin(8 * x))
    assert E.is_unimodal([1.0]) and E.is_unimodal([3.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="equally long"):
        E.find_optimum([1, 2], [1.0])


# ---------------------------------------------------------------------------- Figs. 11-13


def test_sampling_demo_without_and_with_aliasing():
    ok = E.sampling_demo(bandwidth=1.0, rate=2.5, n_t=201, n_f=301)
    bad = E.sampling_demo(bandwidth=1.0, rate=1.2, n_t=201, n_f=301)
    assert not ok.aliased and bad.aliased
    assert ok.error < 1e-6 and bad.error > 0.1
    np.testing.assert_allclose(ok.copies.sum(axis=0), ok.sampled_spectrum)
    np.testing.assert_allclose(ok.spectrum, np.clip(1 - np.abs(ok.frequency), 0, None))
    # without aliasing the low-pass filter gives back the original spectrum
    np.testing.assert_allclose(ok.recovered_spectrum, ok.spectrum, atol=1e-12)
    assert not np.allclose(bad.recovered_spectrum, bad.spectrum)
    assert np.all(np.abs(ok.sample_times) <= 4.0)
    np.testing.assert_allclose(ok.samples, np.sinc(ok.sample_times) ** 2)


@pytest.mark.parametrize("name", ["bandwidth", "rate", "t_max", "f_max", "support"])
def test_sampling_demo_rejects_non_positive(name):
    with pytest.raises(ValueError, match=name):
        E.sampling_demo(**{name: 0.0})


# ------------------------------------------------------------------------------- Fig. 17

# reference main-lobe widths (bins) and highest side lobes (dB) of periodic windows
WINDOW_REFERENCE = {
    "rectangular": (2.0, -13.26),
    "hann": (4.0, -31.47),
    "hamming": (4.0, -42.5),
    "blackman": (6.0, -58.1),
    "bartlett": (4.0, -26.5),
}


@pytest.mark.parametrize("name", sorted(WINDOW_REFERENCE))
def test_window_response_reference_values(name):
    width, sidelobe = WINDOW_REFERENCE[name]
    r = E.window_response(name, n=64, oversample=64)
    assert r.mainlobe_width == pytest.approx(width, abs=2 / 64)
    assert r.sidelobe_db == pytest.approx(sidelobe, abs=0.2)
    assert r.frequency[0] == 0.0 and r.response_db[0] == pytest.approx(0.0)
    assert r.frequency.shape == r.response_db.shape


def test_window_response_kaiser_beta_and_errors():
    soft = E.window_response("kaiser", beta=4.0)
    hard = E.window_response("kaiser", beta=10.0)
    assert hard.sidelobe_db < soft.sidelobe_db and hard.mainlobe_width > soft.mainlobe_width
    with pytest.raises(ValueError, match="oversample"):
        E.window_response("hann", oversample=2)
    with pytest.raises(ValueError):
        E.window_response("nope")


# ------------------------------------------------------------------------------- Fig. 18


@pytest.mark.parametrize("scale", [1, 2, 3, 4])
@pytest.mark.parametrize("shape", [(8, 8), (3, 7, 6), (2, 1, 5, 9)])
def test_zero_insertion_check_matches_theory(scale, shape):
    x = torch.rand(*shape, generator=torch.Generator().manual_seed(scale))
    c = E.zero_insertion_check(x, scale)
    assert c.scale == scale
    assert c.theory == pytest.approx((scale**2 - 1) / scale**2)
    assert c.replica_fraction == pytest.approx(c.theory, abs=1e-12)
    assert c.max_tiling_error < 1e-12


def test_zero_insertion_check_errors():
    with pytest.raises(ValueError, match="all zeros"):
        E.zero_insertion_check(torch.zeros(4, 4), 2)
    with pytest.raises(ValueError):
        E.zero_insertion_check(torch.ones(4, 4), 0)


# ---------------------------------------------------------------------------- super_resolve


def test_super_resolve_by_name_and_model():
    from lpf.zoo import load_model

    x = torch.rand(3, 6, 5, dtype=torch.float64)
    y = E.super_resolve("sinc-lpf", x, scale=2)
    assert y.shape == (3, 12, 10) and y.dtype == torch.float64
    assert float(y.min()) >= 0.0 and float(y.max()) <= 1.0
    z = E.super_resolve(load_model("nearest", scale=2), x)
    assert torch.allclose(z, x.repeat_interleave(2, -1).repeat_interleave(2, -2), atol=1e-6)
    with pytest.raises(ValueError, match="scale"):
        E.super_resolve("nearest", x)


# ---------------------------------------------------------------------------------------------
# Tables 1, 4-5 and ext01: rank statistics, sinc correlation, evaluation on crops, plot helpers


def _reference_spearman(x, y):
    """Spearman's rho from the textbook formula 1 - 6 sum d^2 / (n (n^2 - 1)) (no ties)."""
    rx = np.argsort(np.argsort(x)) + 1
    ry = np.argsort(np.argsort(y)) + 1
    n = len(x)
    return 1 - 6 * float(((rx - ry) ** 2).sum()) / (n * (n * n - 1))


def test_spearman_and_kendall_reference_values():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=12), rng.normal(size=12)
    assert E.spearman(x, y) == pytest.approx(_reference_spearman(x, y), abs=1e-12)
    assert E.spearman(x, 3 * x + 1) == 1.0 and E.spearman(x, -x) == -1.0
    # Kendall tau-b with ties, by hand: P - Q = 4 over sqrt(5 * 5) untied pairs on each side
    assert E.kendall_tau([1, 2, 2, 3], [1, 3, 2, 3]) == pytest.approx(0.8)
    assert E.kendall_tau([1, 2, 3], [3, 2, 1]) == -1.0
    assert math.isnan(E.kendall_tau([1, 1, 1], [1, 2, 3]))
    with pytest.raises(ShapeError, match="same length"):
        E.spearman([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="finite"):
        E.kendall_tau([1, 2, float("nan")], [1, 2, 3])


def test_spearman_with_ci_is_seeded_and_sound():
    x = [1, 2, 3, 4, 5, 6]
    y = [1, 3, 2, 5, 4, 6]
    a = E.spearman_with_ci(x, y, n_boot=300, seed=3)
    b = E.spearman_with_ci(x, y, n_boot=300, seed=3)
    assert a == b and a.n == 6 and a.level == 0.95
    assert a.rho == pytest.approx(E.spearman(x, y))
    assert a.low <= a.rho <= a.high <= 1.0
    # exact permutation p-value for n = 4, perfect order: 2 of 24 permutations reach |rho| = 1
    assert E.spearman_with_ci([1, 2, 3, 4], [1, 2, 3, 4], n_boot=100).p_value == pytest.approx(
        2 / 24)
    # n > 8: random permutations; an unrelated pair is not significant
    rng = np.random.default_rng(0)
    r = E.spearman_with_ci(rng.normal(size=20), rng.normal(size=20), n_boot=200, n_perm=2000)
    assert r.p_value > 0.05 and r.low < r.rho < r.high
    with pytest.raises(ValueError, match="at least 3"):
        E.spearman_with_ci([1, 2], [1, 2])
    with pytest.raises(ValueError, match="level"):
        E.spearman_with_ci(x, y, level=1.5)
    with pytest.raises(ValueError, match="n_boot"):
        E.spearman_with_ci(x, y, n_boot=10)


def test_sinc_correlation():
    from lpf.impulse import impulse_response
    from lpf.zoo import load_model

    h = impulse_response(load_model("bicubic-matlab", scale=4), scale=4, size=11)
    corr = E.sinc_correlation(h, scale=4)
    assert 0.85 < corr < 1.0  # bicubic: sinc-like, but not the sinc
    near = E.sinc_correlation(impulse_response(load_model("nearest", scale=4), scale=4), scale=4)
    assert near < corr
    assert E.sinc_correlation(h.numpy(), scale=4) == pytest.approx(corr)
    with pytest.raises(ShapeError, match="divisible"):
        E.sinc_correlation(torch.zeros(3, 10, 10), scale=4)


def test_evaluate_crops_runs_each_model_once_per_preset(tmp_path, monkeypatch):
    monkeypatch.setenv("LPF_DATA_DIR", str(tmp_path))
    evs = E.evaluate_crops(["nearest", "bicubic-matlab", "edsr-kit"], "embedded", scales=[2, 3],
                           hr_size=24, limit=2, presets=["paper", "sr"])
    paper, sr = evs["paper"], evs["sr"]
    assert paper.dataset == "embedded-hr24" and paper.scales() == [2, 3]
    # edsr-kit is x4 only: skipped at x2/x3 (a "–" cell), the others are there
    assert paper.models() == ["nearest", "bicubic-matlab"]
    assert len(paper.rows) == 2 * 2 * 2 and len(sr.rows) == len(paper.rows)
    m = paper.means()
    assert m[("bicubic-matlab", 2)]["psnr"] > m[("nearest", 2)]["psnr"]
    assert "l2_freq" in paper.metrics and "l2_freq" not in sr.metrics
    # the paper preset's FSDS is fsds(gt, sr): SR spectrum in the denominator
    assert any(r["fsds"] != s["fsds"] for r, s in zip(paper.rows, sr.rows, strict=True))
    with pytest.raises(ValueError, match="divisible"):
        E.evaluate_crops(["nearest"], "embedded", scales=[5], hr_size=24)
    with pytest.raises(ValueError, match="preset"):
        E.evaluate_crops(["nearest"], "embedded", scales=[2], hr_size=24, presets=["nope"])


def test_table_plot_helpers(tmp_path):
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from lpf import plotting

    fig, ax = plotting.plot_rank_chart({"PSNR": {"a": 1, "b": 2, "c": None},
                                        "FSDS": {"a": 2, "b": 1, "c": 3}}, highlight=["a"])
    assert len(ax.lines) == 3 and ax.get_ylim()[0] > ax.get_ylim()[1]  # rank 1 on top
    plt.close(fig)
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_rank_chart({})
    fig, ax = plotting.plot_labeled_scatter([0, 1, 2], [2, 1, 0], ["a", "b", "c"],
                                            colors=["C0", "C1", "C2"], xlabel="x")
    assert [t.get_text() for t in ax.texts] == ["a", "b", "c"]
    plt.close(fig)
    with pytest.raises(ValueError, match="same length"):
        plotting.plot_labeled_scatter([0, 1], [0], ["a", "b"])
    path = plotting.write_text("| a |\n", "t.md", out_dir=tmp_path)
    assert path.read_text() == "| a |\n"
    with pytest.raises(ValueError, match="bare file name"):
        plotting.write_text("x", "sub/t.md", out_dir=tmp_path)
