"""Tests of the signal studies (Figs. 2, 5-8, 11-13, 17, 18) and the functions behind them.

Parameter validation of every ``lpf.studies`` module of the group (errors name the parameter),
the unit tests of the computations the figures use (moved here from ``tests/test_experiments.py``
when ``lpf.experiments`` was split into layers), and a papermill run of the network notebook
(Fig. 6) with a checkpoint path as its model.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from _notebooks import run_notebook

from lpf._checks import RangeError, ShapeError
from lpf.analysis.distortions import (
    embed_in_spectrum,
    extract_from_spectrum,
    spectrum_band,
    strength_for_fsds,
)
from lpf.analysis.spectral import cross_width, energy_bandwidth
from lpf.data import DatasetNotFound, SRPair, crop_pair, load_embedded, load_pairs, write_image
from lpf.data.io import jpeg_roundtrip
from lpf.metrics.frequency import fsds
from lpf.signal.curves import find_optimum, is_unimodal, moving_average
from lpf.signal.sampling import sampling_demo
from lpf.signal.spectra import zero_insertion_check
from lpf.signal.windows import window_response
from lpf.studies import (
    fig02_kernels,
    fig05_lpf_passband,
    fig06_integrated_spectra,
    fig07_fsds_vs_ssim,
    fig08_lpf_cutoff_sweep,
    fig11_13_sampling,
    fig17_windows,
    fig18_zero_insertion,
)
from lpf.studies.fig07_fsds_vs_ssim import jpeg_quality_for_fsds
from lpf.studies.fig08_lpf_cutoff_sweep import sweep_lpf_cutoff

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CHECKPOINT = ROOT / "data" / "models" / "edsr-kit.pth"  # the kit's small EDSR, x4, committed

STUDIES = [fig02_kernels, fig05_lpf_passband, fig06_integrated_spectra, fig07_fsds_vs_ssim,
           fig08_lpf_cutoff_sweep, fig11_13_sampling, fig17_windows, fig18_zero_insertion]


def _textured(c: int = 3, h: int = 48, w: int = 40, seed: int = 0) -> torch.Tensor:
    """A smooth random image in [0.2, 0.8] (no clipping when lightly edited)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(1, c, h, w, generator=g, dtype=torch.float64)
    x = torch.nn.functional.avg_pool2d(x, 3, 1, 1, count_include_pad=False)[0]
    return 0.2 + 0.6 * (x - x.min()) / (x.max() - x.min())


# ------------------------------------------------------------------------- the studies


@pytest.mark.parametrize("study", STUDIES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_study_names_a_bad_profile(study):
    with pytest.raises(ValueError, match=r"`profile`.*did you mean 'full'"):
        study.compute(profile="Full")
    assert isinstance(study.BASELINE_CHANGES, dict)


@pytest.mark.parametrize(("study", "kwargs", "parameter"), [
    (fig02_kernels, {"kernels": ["nearest", "sinc3"]}, "kernels"),
    (fig02_kernels, {"n_points": 2}, "n_points"),
    (fig02_kernels, {"x_max": 0.0}, "x_max"),
    (fig05_lpf_passband, {"image": "astronot"}, "image"),
    (fig05_lpf_passband, {"labels": ["a", "b"]}, "labels"),
    (fig05_lpf_passband, {"lr_size": 0}, "lr_size"),
    (fig06_integrated_spectra, {"lr_size": -4}, "lr_size"),
    (fig06_integrated_spectra, {"levels": 1}, "levels"),
    (fig07_fsds_vs_ssim, {"qualities": [0, 50]}, "qualities"),
    (fig07_fsds_vs_ssim, {"band": [0.2, 0.1]}, "band"),
    (fig08_lpf_cutoff_sweep, {"cutoff_range": [1.0, 0.1]}, "cutoff_range"),
    (fig08_lpf_cutoff_sweep, {"sizes": [32, 0]}, "sizes"),
    (fig11_13_sampling, {"rate_ok": 0.0}, "rate_ok"),
    (fig11_13_sampling, {"n_points": 2}, "n_points"),
    (fig17_windows, {"windows": ["hann", "hanning"]}, "windows"),
    (fig17_windows, {"n": 4}, "`n`"),
    (fig17_windows, {"oversample": 2}, "oversample"),
    (fig18_zero_insertion, {"size": 0}, "size"),
    (fig18_zero_insertion, {"scales": [2, 0]}, "scales"),
])
def test_bad_parameters_are_named(study, kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        study.compute(profile="smoke", **kwargs)


def test_fig06_unknown_model_and_missing_checkpoint_are_named(tmp_path):
    with pytest.raises(KeyError, match="methods"):
        fig06_integrated_spectra.compute(profile="smoke", methods=["bicubic-matlab", "edsr-lif"])
    with pytest.raises(FileNotFoundError, match="methods"):
        fig06_integrated_spectra.compute(profile="smoke", methods=[str(tmp_path / "net.pth")])


def test_fig06_keeps_explicit_methods_in_the_smoke_profile():
    r = fig06_integrated_spectra.compute(profile="smoke", methods=["nearest"], lr_size=16)
    assert list(r.results) == ["HR", "nearest"] and r.methods == ["nearest"]
    assert r.labels == ["nearest"] and r.missing == []
    assert "maps" not in r.to_json() and set(r.maps) == {"HR", "nearest"}


@pytest.mark.skipif(not CHECKPOINT.is_file(), reason="the kit checkpoint is not committed here")
def test_fig06_takes_a_checkpoint_path():
    r = fig06_integrated_spectra.compute(profile="smoke", methods=[str(CHECKPOINT)], lr_size=16)
    assert r.labels == ["edsr-kit"] and math.isfinite(r.results["edsr-kit"]["fsds"])


def test_profile_defaults_and_explicit_sizes():
    assert fig18_zero_insertion.compute(profile="smoke").size == 16
    assert fig18_zero_insertion.compute(profile="smoke", size=8).size == 8  # not replaced
    r = fig11_13_sampling.compute(profile="smoke")
    assert r.ok.t.size == fig11_13_sampling.SMOKE_POINTS and "ok" not in r.to_json()
    assert fig17_windows.compute(profile="smoke", oversample=4).oversample == 4


def test_results_hold_the_plot_arrays_outside_the_json():
    r = fig02_kernels.compute(profile="smoke", kernels=["linear"])
    data = r.to_json()
    assert set(data["stopband_leakage"]) == {"linear", "sinc"} and "space" not in data
    assert r.space["linear"].shape == r.x.shape and r.response["linear"].shape == r.frequency.shape
    json.dumps(data)  # JSON-ready


# ------------------------------------------------------------------------- moved tests

# ------------------------------------------------------------------------------------ data


def test_crop_pair_is_aligned_and_centred():
    pair = load_embedded("camera", scale=4)
    crop = crop_pair(pair, (16, 24))
    assert crop.lr.shape == (16, 24, 3) and crop.hr.shape == (64, 96, 3)
    y, x = (128 - 16) // 2, (128 - 24) // 2
    np.testing.assert_array_equal(crop.lr, pair.lr[y : y + 16, x : x + 24])
    np.testing.assert_array_equal(crop.hr, pair.hr[4 * y : 4 * (y + 16), 4 * x : 4 * (x + 24)])
    assert crop.scale == 4 and crop.name == "camera"


def test_crop_pair_errors():
    pair = SRPair("x", np.zeros((8, 8, 3), np.uint8), np.zeros((4, 4, 3), np.uint8), 2)
    with pytest.raises(ShapeError, match="larger than the LR image"):
        crop_pair(pair, 5)
    with pytest.raises(ValueError, match="positive"):
        crop_pair(pair, 0)


def test_load_pairs_embedded_names_limit_and_crop():
    ps = load_pairs("embedded", scale=2, limit=2, lr_size=16)
    assert ps.dataset == "embedded" and len(ps.pairs) == 2
    assert all(p.lr.shape == (16, 16, 3) and p.hr.shape == (32, 32, 3) for p in ps.pairs)
    assert [p.name for p in load_pairs("embedded", scale=3, names=["coins"]).pairs] == ["coins"]


def test_load_pairs_auto_falls_back_to_embedded(tmp_path):
    ps = load_pairs("auto", scale=2, limit=1, lr_size=8, root=str(tmp_path))
    assert ps.dataset == "embedded" and len(ps.pairs) == 1


def test_load_pairs_missing_set_raises(tmp_path):
    with pytest.raises(DatasetNotFound):
        load_pairs("DIV2K-valid", scale=2, root=str(tmp_path))


def test_load_pairs_reads_a_local_set(tmp_path):
    folder = tmp_path / "Set5" / "HR"
    folder.mkdir(parents=True)
    image = (np.arange(24 * 20 * 3) % 251).astype(np.uint8).reshape(24, 20, 3)
    write_image(folder / "a.png", image)
    ps = load_pairs("Set5", scale=2, root=str(tmp_path))
    assert ps.dataset == "Set5" and ps.pairs[0].lr.shape == (12, 10, 3)


# ------------------------------------------------------------------------------- Fig. 6


def test_cross_width_narrows_with_blur_and_validates():
    noise = _textured(1, 64, 64)
    sharp = cross_width(torch.rand(1, 64, 64, generator=torch.Generator().manual_seed(1)))
    assert cross_width(noise) < sharp
    assert 0.0 <= cross_width(noise[0]) <= 0.5  # (H, W) accepted
    with pytest.raises(ValueError, match="level"):
        cross_width(noise, level=0.0)
    with pytest.raises(ShapeError, match="4x4"):
        cross_width(torch.rand(1, 3, 8))


def test_energy_bandwidth_of_a_cosine_and_of_a_lowpassed_image():
    _, x = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
    assert energy_bandwidth(torch.cos(2 * math.pi * 0.25 * x)[None]) == 0.25
    noise = torch.rand(3, 64, 64, generator=torch.Generator().manual_seed(0))
    smooth = _textured(3, 64, 64)
    assert energy_bandwidth(smooth, fraction=0.9) < energy_bandwidth(noise, fraction=0.9)
    with pytest.raises(ValueError, match="fraction"):
        energy_bandwidth(noise, fraction=1.5)
    with pytest.raises(ValueError, match="constant"):
        energy_bandwidth(torch.ones(1, 8, 8))


# ------------------------------------------------------------------------------- Fig. 7


def test_spectrum_band_selects_free_bins_only():
    m = spectrum_band((8, 8), (0.0, 0.2))
    # (0, 1), (1, 0), (1, 1) and (-1, 1) of radius <= 0.2; (-1, 0) is the twin of (1, 0)
    assert m.shape == (8, 5)
    assert {tuple(i) for i in torch.nonzero(m).tolist()} == {(0, 1), (1, 0), (1, 1), (7, 1)}
    assert not m[:, 4].any()  # the Nyquist column beyond the band
    with pytest.raises(ValueError, match="band"):
        spectrum_band((8, 8), (0.3, 0.2))


@pytest.mark.parametrize("size", [(32, 32), (33, 31), (32, 30)])
def test_embed_and_extract_round_trip(size):
    x = _textured(3, *size)
    bits = np.random.default_rng(0).integers(0, 2, 6)
    y = embed_in_spectrum(x, bits, strength=0.3, band=(0.0, 0.15))
    assert y.shape == x.shape and y.dtype == x.dtype
    assert 0.0 <= float(y.min()) and float(y.max()) <= 1.0
    out = extract_from_spectrum(y, x, n_bits=6, band=(0.0, 0.15))
    assert out.dtype == torch.uint8 and out.tolist() == bits.tolist()
    # only the band (and the conjugate twins of its self-paired bins) changed
    diff = torch.fft.rfft2(y - x)
    mask = spectrum_band(size, (0.0, 0.15))
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
    assert torch.allclose(embed_in_spectrum(x, bits, strength=0.0, band=(0.0, 0.1)), x,
                          atol=1e-12)
    weak = float(fsds(embed_in_spectrum(x, bits, strength=0.05, band=(0.0, 0.1)), x))
    strong = float(fsds(embed_in_spectrum(x, bits, strength=0.5, band=(0.0, 0.1)), x))
    assert strong < weak


def test_embed_errors():
    x = _textured()
    with pytest.raises(ValueError, match="bits"):
        embed_in_spectrum(x, [0, 2], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="holds only"):
        embed_in_spectrum(x, [0] * 10_000, strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="empty"):
        embed_in_spectrum(x, [], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="strength"):
        embed_in_spectrum(x, [1], strength=-1.0, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="no free"):
        embed_in_spectrum(x, [1], strength=0.1, band=(0.0, 0.001))
    with pytest.raises(RangeError):
        embed_in_spectrum(x + 1.0, [1], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ShapeError):
        embed_in_spectrum(x[None], [1], strength=0.1, band=(0.0, 0.1))
    with pytest.raises(ShapeError, match="same shape"):
        extract_from_spectrum(x[:, :-1], x[:, :-1].flip(-1)[:, :, :-1], n_bits=1)
    with pytest.raises(ValueError, match="n_bits"):
        extract_from_spectrum(x, x, n_bits=10_000, band=(0.0, 0.1))


def test_strength_for_fsds_hits_the_target_and_checks_the_bracket():
    x = _textured()
    s = strength_for_fsds(x, [1, 0, 0], target_fsds=25.0, band=(0.0, 0.1))
    y = embed_in_spectrum(x, [1, 0, 0], strength=s, band=(0.0, 0.1))
    assert float(fsds(y, x)) == pytest.approx(25.0, abs=1e-3)
    with pytest.raises(ValueError, match="not between"):
        strength_for_fsds(x, [1], target_fsds=500.0, band=(0.0, 0.1))
    with pytest.raises(ValueError, match="bounds"):
        strength_for_fsds(x, [1], target_fsds=20.0, band=(0.0, 0.1), bounds=(1.0, 0.5))


def test_jpeg_roundtrip_colour_and_grey():
    x = _textured(3, 32, 32).float()
    y = jpeg_roundtrip(x, 50)
    assert y.shape == x.shape and y.dtype == torch.float32
    assert float((jpeg_roundtrip(x, 5) - x).abs().mean()) > float((y - x).abs().mean())
    grey = jpeg_roundtrip(x[:1], 95)
    assert grey.shape == (1, 32, 32) and float((grey - x[:1]).abs().max()) < 0.05


@pytest.mark.parametrize("quality", [0, 101])
def test_jpeg_roundtrip_rejects_bad_quality(quality):
    with pytest.raises(ValueError, match="quality"):
        jpeg_roundtrip(torch.rand(3, 8, 8), quality)


def test_jpeg_roundtrip_rejects_bad_input():
    with pytest.raises(TypeError, match="quality"):
        jpeg_roundtrip(torch.rand(3, 8, 8), 50.0)
    with pytest.raises(ShapeError, match="1 or 3 channels"):
        jpeg_roundtrip(torch.rand(2, 8, 8), 50)


def test_jpeg_quality_for_fsds_picks_the_closest():
    x = _textured(3, 32, 32)
    values = {q: float(fsds(jpeg_roundtrip(x, q), x)) for q in (5, 40, 90)}
    target = values[40] + 0.01
    match = jpeg_quality_for_fsds(x, target_fsds=target, qualities=[5, 40, 90])
    assert match.quality == 40 and match.fsds == pytest.approx(values[40])
    with pytest.raises(ValueError, match="empty"):
        jpeg_quality_for_fsds(x, target_fsds=30.0, qualities=[])


# ------------------------------------------------------------------------------- Fig. 8


def test_sweep_lpf_cutoff_principled_and_paper():
    pairs = load_pairs("embedded", scale=2, names=["chelsea", "coffee"], lr_size=24).pairs
    sw = sweep_lpf_cutoff(pairs, [0.1, 0.5, 1.0], scale=2)
    assert sw.psnr.shape == (2, 3) and sw.ssim.shape == (2, 3)
    assert sw.names == ["chelsea", "coffee"]
    assert (sw.psnr.argmax(axis=1) == 1).all()
    assert np.isfinite(sw.ssim).all() and (sw.ssim <= 1).all()
    paper = sweep_lpf_cutoff(pairs, [6.0, 12.0], scale=2, mode="paper", ssim=False)
    assert paper.psnr.shape == (2, 2) and paper.ssim is None


def test_sweep_lpf_cutoff_groups_sizes_and_validates():
    a = load_pairs("embedded", scale=2, names=["coins"], lr_size=16).pairs
    b = load_pairs("embedded", scale=2, names=["coins"], lr_size=20).pairs
    sw = sweep_lpf_cutoff(a + b + a, [0.5], scale=2, ssim=False)
    assert sw.psnr[0, 0] == sw.psnr[2, 0] != sw.psnr[1, 0]
    with pytest.raises(ValueError, match="mode"):
        sweep_lpf_cutoff(a, [0.5], scale=2, mode="other")
    with pytest.raises(ValueError, match="empty"):
        sweep_lpf_cutoff(a, [], scale=2)
    with pytest.raises(ValueError, match="scale"):
        sweep_lpf_cutoff(a, [0.5], scale=3)


def test_moving_average_matches_convolution_inside():
    x = np.random.default_rng(0).random(30)
    for n in (1, 3, 10):
        m = moving_average(x, n)
        valid = np.convolve(x, np.ones(n) / n, mode="valid")
        np.testing.assert_allclose(m[n // 2 : n // 2 + valid.size], valid)
        assert m.shape == x.shape
    np.testing.assert_allclose(moving_average([2.0, 4.0], 10), [3.0, 3.0])
    with pytest.raises(ValueError, match="n"):
        moving_average(x, 0)
    with pytest.raises(ValueError, match="1-D"):
        moving_average(np.ones((2, 2)), 2)


def test_find_optimum_and_is_unimodal():
    x = np.linspace(0, 1, 21)
    y = -((x - 0.3) ** 2)
    best = find_optimum(x, y, smooth=3)
    assert best.index == 6 and best.x == pytest.approx(0.3)
    assert is_unimodal(y) and not is_unimodal(np.sin(8 * x))
    assert is_unimodal([1.0]) and is_unimodal([3.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="equally long"):
        find_optimum([1, 2], [1.0])


# ---------------------------------------------------------------------------- Figs. 11-13


def test_sampling_demo_without_and_with_aliasing():
    ok = sampling_demo(bandwidth=1.0, rate=2.5, n_t=201, n_f=301)
    bad = sampling_demo(bandwidth=1.0, rate=1.2, n_t=201, n_f=301)
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
        sampling_demo(**{name: 0.0})


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
    r = window_response(name, n=64, oversample=64)
    assert r.mainlobe_width == pytest.approx(width, abs=2 / 64)
    assert r.sidelobe_db == pytest.approx(sidelobe, abs=0.2)
    assert r.frequency[0] == 0.0 and r.response_db[0] == pytest.approx(0.0)
    assert r.frequency.shape == r.response_db.shape


def test_window_response_kaiser_beta_and_errors():
    soft = window_response("kaiser", beta=4.0)
    hard = window_response("kaiser", beta=10.0)
    assert hard.sidelobe_db < soft.sidelobe_db and hard.mainlobe_width > soft.mainlobe_width
    with pytest.raises(ValueError, match="oversample"):
        window_response("hann", oversample=2)
    with pytest.raises(ValueError):
        window_response("nope")


# ------------------------------------------------------------------------------- Fig. 18


@pytest.mark.parametrize("scale", [1, 2, 3, 4])
@pytest.mark.parametrize("shape", [(8, 8), (3, 7, 6), (2, 1, 5, 9)])
def test_zero_insertion_check_matches_theory(scale, shape):
    x = torch.rand(*shape, generator=torch.Generator().manual_seed(scale))
    c = zero_insertion_check(x, scale)
    assert c.scale == scale
    assert c.theory == pytest.approx((scale**2 - 1) / scale**2)
    assert c.replica_fraction == pytest.approx(c.theory, abs=1e-12)
    assert c.max_tiling_error < 1e-12


def test_zero_insertion_check_errors():
    with pytest.raises(ValueError, match="all zeros"):
        zero_insertion_check(torch.zeros(4, 4), 2)
    with pytest.raises(ValueError):
        zero_insertion_check(torch.ones(4, 4), 0)




# ------------------------------------------------------------------------- notebooks


@pytest.mark.notebooks
@pytest.mark.skipif(not CHECKPOINT.is_file(), reason="the kit checkpoint is not committed here")
def test_fig06_notebook_runs_with_a_checkpoint_path(tmp_path, notebook_kernel):
    _, data = run_notebook("fig06_integrated_spectra", tmp_path, notebook_kernel,
                           methods=["bicubic-matlab", str(CHECKPOINT)])
    assert data["profile"] == "smoke" and data["methods"] == ["bicubic-matlab", str(CHECKPOINT)]
    assert set(data["results"]) == {"HR", "bicubic-matlab", "edsr-kit"}
