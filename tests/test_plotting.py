"""Tests of lpf.plotting: each plot function returns (fig, ax), draws what it says, saves nothing.

The checks look at the returned axes and artists (lines, images, legends, labels, extents), not
at pixels. The Agg backend is set by tests/conftest.py.
"""

from __future__ import annotations

import json

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from lpf import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_backend_is_agg():
    assert matplotlib.get_backend().lower() == "agg"


def test_plot_kernels_draws_each_kernel_and_the_reference():
    x = np.linspace(-3, 3, 61)
    fig, ax = plotting.plot_kernels(x, {"sinc": np.sinc(x), "tri": np.maximum(0, 1 - abs(x))},
                                    reference="sinc", title="t")
    lines = [ln for ln in ax.get_lines() if ln.get_label() in ("sinc", "tri")]
    assert [ln.get_label() for ln in lines] == ["sinc", "tri"]
    assert lines[0].get_linestyle() == "--" and lines[0].get_color() == "black"
    assert ax.get_legend() is not None and ax.get_title() == "t"
    assert fig is ax.figure


def test_plot_kernels_on_given_axes_and_errors():
    fig, axes = plt.subplots(1, 2)
    out_fig, out_ax = plotting.plot_kernels([0, 1], {"a": [1, 0]}, ax=axes[1])
    assert out_fig is fig and out_ax is axes[1] and not axes[0].get_lines()
    with pytest.raises(ValueError, match="values for"):
        plotting.plot_kernels([0, 1, 2], {"a": [1, 0]})
    with pytest.raises(ValueError, match="reference"):
        plotting.plot_kernels([0, 1], {"a": [1, 0]}, reference="b")
    with pytest.raises(TypeError, match="to_numpy"):
        plotting.plot_kernels(torch.zeros(2), {"a": [1, 0]})


@pytest.mark.parametrize("db", [False, True])
def test_plot_frequency_responses_shades_the_stop_band(db):
    f = np.linspace(0, 2, 101)
    fig, ax = plotting.plot_frequency_responses(f, {"nearest": np.sinc(f)}, db=db, floor_db=-60)
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert "nearest" in labels and "ideal LPF" in labels
    assert len(ax.patches) == 1  # the shaded stop band
    assert ax.get_ylabel() == ("magnitude (dB)" if db else "|H(f)|")
    data = next(ln for ln in ax.get_lines() if ln.get_label() == "nearest").get_ydata()
    assert (data >= -60).all() if db else np.allclose(data, np.abs(np.sinc(f)))


def test_plot_frequency_responses_without_cutoff():
    fig, ax = plotting.plot_frequency_responses([0, 1], {"a": [1, 0.5]}, cutoff=None)
    assert not ax.patches and [ln.get_label() for ln in ax.get_lines()] == ["a"]
    with pytest.raises(ValueError, match="freqs"):
        plotting.plot_frequency_responses([0, 1], {"a": [1]})


def test_plot_spectrum_has_frequency_axes_and_colorbar():
    from lpf.signal.spectra import amplitude

    img = np.random.default_rng(0).random((16, 20, 3))
    spec = amplitude(torch.from_numpy(img.mean(axis=-1))).numpy()  # computed by the caller
    fig, ax = plotting.plot_spectrum(spec, band=0.25, title="s")
    im = ax.images[0]
    assert im.get_array().shape == (16, 20)
    x0, x1, y0, y1 = im.get_extent()
    assert x0 == pytest.approx(-0.5 - 0.5 / 20) and y0 == pytest.approx(-0.5 - 0.5 / 16)
    assert x1 > 0 and y1 > 0
    assert im.get_cmap().name == plotting.PAPER_CMAP
    assert len(fig.axes) == 2  # the colorbar
    assert ax.get_lines()[0].get_xdata().max() == pytest.approx(0.25)
    assert "cycles/pixel" in ax.get_xlabel() and ax.get_title() == "s"
    # the DC term (mean 0.5 * 320 pixels) is the brightest value, at the centre
    arr = np.asarray(im.get_array())
    assert np.unravel_index(arr.argmax(), arr.shape) == (8, 10)



def test_plot_spectrum_options_and_errors():
    fig, ax = plotting.plot_spectrum(np.ones((8, 8)), is_spectrum=True, colorbar=False,
                                     cmap="viridis", vmin=0, vmax=2)
    assert len(fig.axes) == 1 and ax.images[0].get_clim() == (0, 2)
    with pytest.raises(ValueError, match="2-D"):
        plotting.plot_spectrum(np.ones((8, 8, 3)))  # an image: plotting does not take FFTs
    with pytest.raises(ValueError, match="never computes"):
        plotting.plot_spectrum(np.ones((8, 8)), is_spectrum=False)
    with pytest.raises(TypeError, match="NumPy"):
        plotting.plot_spectrum(torch.ones(8, 8))



def test_plot_radial_profiles():
    f = np.linspace(0, 0.5, 5)
    fig, ax = plotting.plot_radial_profiles({"a": (f, f + 1)}, log=False, ylabel="p")
    assert [ln.get_label() for ln in ax.get_lines()] == ["a"]
    assert ax.get_yscale() == "linear" and ax.get_ylabel() == "p"
    with pytest.raises(ValueError, match="frequencies"):
        plotting.plot_radial_profiles({"a": (f, f[:3])})


def test_plot_integrated_spectrum_draws_a_computed_map():
    from lpf.metrics.frequency import integrated_spectrum

    img = np.random.default_rng(1).random((16, 12, 3))
    m = integrated_spectrum(torch.from_numpy(np.moveaxis(img, -1, 0).copy())).magnitude_map()
    fig, ax = plotting.plot_integrated_spectrum(m.mean(axis=0), levels=5, colorbar=True,
                                                title="D")
    assert ax.get_title() == "D" and len(fig.axes) == 2
    assert ax.get_xlim()[0] == pytest.approx(0.0) and ax.get_xlim()[1] == pytest.approx(0.5)
    levels = np.linspace(-1, 2, 4)
    fig2, ax2 = plotting.plot_integrated_spectrum(m.mean(axis=0), is_map=True, levels=levels)
    contour = [c for c in ax2.get_children() if isinstance(c, matplotlib.contour.ContourSet)]
    assert len(contour) == 1 and np.allclose(contour[0].levels, levels)
    with pytest.raises(ValueError, match="2-D"):
        plotting.plot_integrated_spectrum(m)
    with pytest.raises(ValueError, match="never computes"):
        plotting.plot_integrated_spectrum(img[..., 0], is_map=False)



def test_image_grid_new_figure_and_given_axes():
    imgs = [np.zeros((4, 4)), np.ones((4, 4, 3), np.uint8) * 255, np.full((4, 4, 1), 0.5)]
    fig, axes = plotting.image_grid(imgs, titles=["a", "b", "c"], ncols=2)
    assert len(axes) == 3 and [a.get_title() for a in axes] == ["a", "b", "c"]
    assert len(fig.axes) == 4 and not fig.axes[3].get_visible()
    assert axes[1].images[0].get_array().max() == pytest.approx(1.0)
    assert not axes[0].get_xticks().size
    fig2, row = plt.subplots(1, 3)
    out_fig, out_axes = plotting.image_grid(imgs[:2], ax=row)
    assert out_fig is fig2 and len(out_axes) == 2 and not row[2].images
    with pytest.raises(ValueError, match="axes for"):
        plotting.image_grid(imgs, ax=row[:1])
    with pytest.raises(ValueError, match="titles"):
        plotting.image_grid(imgs, titles=["a"])
    with pytest.raises(ValueError, match="empty"):
        plotting.image_grid([])


def test_plot_curve_with_optimum_marks_the_given_optimum():
    from lpf.signal.curves import find_optimum, moving_average

    x = np.linspace(0, 1, 41)
    y = -((x - 0.6) ** 2) + 0.01 * np.sin(40 * x)
    best = find_optimum(x, y, smooth=5)  # computed by the caller (a study)
    fig, ax = plotting.plot_curve_with_optimum(
        x, y, smoothed=moving_average(y, 5), window=5, optimum=(best.x, best.value),
        label="psnr", reference=(0.5, 0.0, "paper"), xlabel="c")
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert "psnr (moving avg. 5)" in labels
    star = next(ln for ln in ax.get_lines() if ln.get_marker() == "*")
    assert star.get_xdata()[0] == pytest.approx(best.x)
    assert star.get_ydata()[0] == pytest.approx(best.value)
    assert any(lbl.startswith("paper") for lbl in labels) and ax.get_xlabel() == "c"
    smoothed = next(ln for ln in ax.get_lines() if ln.get_label() == "psnr (moving avg. 5)")
    assert len(smoothed.get_xdata()) == 41 - 4  # only where the window is complete



def test_plot_curve_with_optimum_plain_and_errors():
    fig, ax = plotting.plot_curve_with_optimum([0, 1, 2], [1.0, 3.0, 2.0], optimum=(1.0, 3.0))
    star = next(ln for ln in ax.get_lines() if ln.get_marker() == "*")
    assert star.get_xdata()[0] == 1.0 and len(ax.get_lines()) == 2  # curve and star only
    with pytest.raises(ValueError, match="same length"):
        plotting.plot_curve_with_optimum([0, 1], [1.0], optimum=(0, 1))
    with pytest.raises(ValueError, match="smoothed"):
        plotting.plot_curve_with_optimum([0, 1], [1.0, 2.0], smoothed=[1.0], optimum=(0, 1))
    with pytest.raises(ValueError, match="window"):
        plotting.plot_curve_with_optimum([0, 1], [1.0, 2.0], window=0, optimum=(0, 1))



def test_plot_functions_do_not_save_or_show(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(1))
    with plotting.style():
        plotting.plot_kernels([0, 1], {"a": [1, 0]})
        plotting.plot_spectrum(np.ones((4, 4)))
        plotting.image_grid([np.ones((4, 4))])
    assert not shown and not list(tmp_path.iterdir())


def test_savefig_and_write_json_still_work(tmp_path):
    fig, ax = plotting.plot_kernels([0, 1], {"a": [1, 0]})
    paths = plotting.savefig(fig, "k", out_dir=tmp_path / "out")
    assert [p.name for p in paths] == ["k.png", "k.pdf"] and all(p.stat().st_size for p in paths)
    path = plotting.write_json({"x": np.float64(1.5), "t": torch.tensor([1, 2])}, "k",
                               out_dir=tmp_path / "out")
    assert json.loads(path.read_text()) == {"t": [1, 2], "x": 1.5}


def test_plot_impulse_response_views_and_colour_scales():
    h = np.zeros((3, 12, 12))
    h[:, 6, 6] = 1.0
    h[:, 6, 8] = -0.25
    fig, ax = plotting.plot_impulse_response(h)
    assert ax.images[0].get_clim() == (-1.0, 1.0)  # diverging, centred at 0
    assert ax.images[0].get_cmap().name == plotting.RAW_CMAP
    fig, ax = plotting.plot_impulse_response(2 * h, raw=False)
    assert ax.images[0].get_clim() == (0.0, 1.0)  # clamped display
    assert ax.images[0].get_array().max() == 1.0
    fig = plt.figure()
    ax3 = fig.add_subplot(projection="3d")
    assert plotting.plot_impulse_response(h, ax3, view="surface")[1] is ax3
    with pytest.raises(ValueError, match="3-D axes"):
        plotting.plot_impulse_response(h, plt.figure().add_subplot(), view="surface")
    with pytest.raises(ValueError, match="view"):
        plotting.plot_impulse_response(h, view="side")
    with pytest.raises(TypeError, match="NumPy"):
        plotting.plot_impulse_response(torch.zeros(4, 4))


def test_plot_impulse_grid_shares_one_scale_and_profile():
    a, b = np.eye(6), 3 * np.eye(6)
    fig, axes = plotting.plot_impulse_grid({"a": a, "b": b}, notes={"b": "r=0.9"}, ncols=1)
    assert [ax.images[0].get_clim() for ax in axes] == [(-3.0, 3.0)] * 2
    assert axes[1].get_title() == "b\nr=0.9"
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_impulse_grid({})
    with pytest.raises(ValueError, match="axes"):
        plotting.plot_impulse_grid({"a": a, "b": b}, axes=[axes[0]])
    from lpf.analysis.sinc import sinc_likeness
    from lpf.studies._impulse import central_profile, windowed_sinc_profile

    x = np.arange(-8, 9)
    h = np.outer(np.sinc(x / 4), np.sinc(x / 4))
    d, p = central_profile(h)  # the study computes the profile and the fit; the plot draws
    fit = windowed_sinc_profile(d, p, sinc_likeness(torch.from_numpy(h), scale=4))
    assert np.allclose(fit, p, atol=1e-3)
    fig, ax = plotting.plot_impulse_profile((d, p), fit=fit)
    assert len(ax.lines) == 3  # zero line, profile, fit
    assert np.array_equal(ax.lines[2].get_ydata(), fit)
    with pytest.raises(TypeError, match="offsets, values"):
        plotting.plot_impulse_profile(h)
    with pytest.raises(ValueError, match="fit"):
        plotting.plot_impulse_profile((d, p), fit=fit[:-1])


def test_plot_hyra_grid_kinds_limits_and_errors():
    rng = np.random.default_rng(0)
    g = rng.normal(size=(8, 8, 3)) + 5.0  # an offset, removed by centre="median"
    rows = [[{"kind": "image", "data": rng.random((8, 8, 3)), "title": "N", "ylabel": "img"},
             {"kind": "signed", "data": g, "centre": "median"},
             {"kind": "signed", "data": np.eye(4), "vmax": 2.0}],
            [{"kind": "amplitude", "data": rng.random((8, 8)), "vmin": 0.0, "vmax": 1.0},
             {"kind": "phase", "data": rng.uniform(-3, 3, (8, 8))}, None]]
    fig, axes = plotting.plot_hyra_grid(rows, band=0.125)
    assert axes.shape == (2, 3) and not axes[1, 2].get_visible()
    assert axes[0, 0].get_title() == "N" and axes[0, 0].get_ylabel() == "img"
    lo, hi = axes[0, 1].images[0].get_clim()
    assert lo == -hi and hi < 4.0  # centred on the median, not on 0
    assert axes[0, 2].images[0].get_clim() == (-2.0, 2.0)
    assert axes[1, 0].images[0].get_clim() == (0.0, 1.0)
    assert len(axes[1, 0].lines) == 1  # the LR band
    assert axes[1, 1].images[0].get_clim() == pytest.approx((-np.pi, np.pi))
    fig2, row = plt.subplots(1, 2)
    assert plotting.plot_hyra_grid([rows[0][:2]], axes=row)[1].shape == (1, 2)
    with pytest.raises(ValueError, match="kind"):
        plotting.plot_hyra_grid([[{"kind": "bad", "data": np.eye(2)}]])
    with pytest.raises(ValueError, match="no `data`"):
        plotting.plot_hyra_grid([[{"kind": "image"}]])
    with pytest.raises(ValueError, match="axes"):
        plotting.plot_hyra_grid(rows, axes=row)
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_hyra_grid([])
    with pytest.raises(TypeError, match="NumPy"):
        plotting.plot_hyra_grid([[{"kind": "image", "data": torch.zeros(2, 2)}]])
    plt.close("all")


def test_plot_training_evolution():
    fig, ax = plotting.plot_training_evolution([1, 10, 100], {"a": [0.1, 0.2, 0.3]},
                                               title="t", ylabel="y")
    assert len(ax.lines) == 1 and ax.get_xscale() == "log" and ax.get_title() == "t"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 10, 100])
    with pytest.raises(ValueError, match="values"):
        plotting.plot_training_evolution([1, 2], {"a": [1.0]})
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_training_evolution([1], {})
    with pytest.raises(ValueError, match="logx"):
        plotting.plot_training_evolution([0, 1], {"a": [1.0, 2.0]})
    plt.close("all")


# ------------------------------------------------------------------ every text fits on the canvas


def test_savefig_refuses_a_clipped_title_and_writes_nothing(tmp_path):
    fig, ax = plt.subplots(figsize=(2, 2), layout="constrained")
    ax.plot([0, 1], [0, 1])
    fig.suptitle("a suptitle far too long for a two-inch figure: it runs off both edges")
    with pytest.raises(plotting.TextOutsideFigureError) as err:
        plotting.savefig(fig, "clipped", out_dir=tmp_path)
    message = str(err.value)
    assert "'clipped'" in message and "a suptitle far too long" in message
    assert "left" in message and "right" in message
    assert [t for t, _, _ in err.value.texts] == [fig._suptitle.get_text()]
    assert not tmp_path.exists() or not list(tmp_path.iterdir())  # nothing half-written
    fig.suptitle("fits")
    assert [p.name for p in plotting.savefig(fig, "clipped", out_dir=tmp_path)] == [
        "clipped.png", "clipped.pdf"]


def test_text_check_measures_each_edge_and_ignores_what_is_not_drawn():
    from lpf.plot.style import texts_outside

    fig, axes = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")
    axes[1].set_title("x" * 90, loc="left")
    axes[1].set_visible(False)  # an invisible axes' long title is not drawn
    axes[0].set_xscale("log")  # log ticks outside the view exist but are not drawn
    axes[0].set_xlim(1, 100)
    assert texts_outside(fig) == []
    plotting.check_text_inside(fig, "fits")
    fig.text(0.5, -0.2, "below the canvas")  # figure texts are outside the layout
    ((text, px, edges),) = texts_outside(fig)
    assert text == "below the canvas" and edges == "bottom" and px > 50


def test_text_check_accepts_a_text_clipped_to_its_axes():
    fig, ax = plt.subplots(figsize=(3, 3), layout="constrained")
    ax.text(0.5, 0.5, "clipped to the axes " * 10, clip_on=True)
    plotting.check_text_inside(fig, "clip")


def test_text_check_skips_hidden_axis_and_3d_ticks_but_not_real_overhangs():
    from lpf.plot.style import texts_outside

    # ax.axis("off") hides its tick labels (fig. 1's text panel): they are not drawn
    fig, axes = plt.subplots(1, 2, figsize=(4, 2))
    fig.subplots_adjust(left=0.0, bottom=0.3)
    axes[0].axis("off")
    assert texts_outside(fig) == []
    axes[0].axis("on")  # now its y tick labels run off the left edge
    assert {edges for _, _, edges in texts_outside(fig)} == {"left"}
    plt.close(fig)
    # a 3-D axes: its tick labels are placed in its projection; its title is still checked
    fig = plt.figure(figsize=(3, 3))
    ax = fig.add_subplot(projection="3d")
    ax.plot_surface(*np.meshgrid(np.arange(5.0), np.arange(5.0)), np.ones((5, 5)))
    assert texts_outside(fig) == []
    ax.set_title("a 3-D title far too long for a three-inch figure, off both edges")
    assert [edges for _, _, edges in texts_outside(fig)] == ["left, right"]
    plt.close(fig)
