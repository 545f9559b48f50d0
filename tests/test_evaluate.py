"""Tests of lpf.evaluate: per-image metrics, caching/resume, SR folders, ranks and tables."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

import lpf
from lpf import ShapeError
from lpf.data import SRPair, to_tensor, write_image
from lpf.evaluate import Evaluation, SRFolder, evaluate, rank
from lpf.metrics import psnr, ssim


def _pairs(n=3, size=24, scale=2, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        base = rng.integers(0, 256, (size // 4, size // 4, 3)).astype(np.uint8)
        hr = np.kron(base, np.ones((4, 4, 1), np.uint8))  # blocky but not constant
        hr = np.clip(hr.astype(int) + rng.integers(-20, 20, hr.shape), 0, 255).astype(np.uint8)
        out.append(SRPair(f"im{i}", hr, hr[::scale, ::scale].copy(), scale))
    return out


class _Counting(torch.nn.Module):
    def __init__(self, scale):
        super().__init__()
        self.scale = scale
        self.name = "counting"
        self.calls = 0
        self.weight = torch.nn.Parameter(torch.zeros(1))

    def forward(self, x):
        self.calls += 1
        return torch.nn.functional.interpolate(x, scale_factor=self.scale, mode="nearest")


def test_rank_ties_share_the_first_rank_and_skip():
    assert rank({"a": 1.0, "b": 3.0, "c": 3.0, "d": 2.0}) == {"b": 1, "c": 1, "d": 3, "a": 4}
    assert rank({"a": 0.2, "b": 0.1, "c": None}, lower_is_better=True) == {"b": 1, "a": 2}


def test_values_equal_direct_metrics_and_paper_fsds_order():
    pairs = _pairs()
    ev = evaluate(["nearest"], pairs, scales=[2], cache=False, progress=False,
                  metrics=["psnr", "ssim", "fsds"])
    assert len(ev.rows) == 3
    for row, pair in zip(ev.rows, pairs, strict=True):
        hr, lr = pair.tensors()
        sr = torch.nn.functional.interpolate(lr[None], scale_factor=2, mode="nearest")[0]
        assert row["psnr"] == pytest.approx(psnr(sr, hr))
        assert row["ssim"] == pytest.approx(ssim(sr, hr))
        # the paper preset reproduces the official table script: SR in the denominator
        assert row["fsds"] == pytest.approx(lpf.fsds(sr, hr, denominator="pred"))
    means = ev.means()[("nearest", 2)]
    assert means["psnr"] == pytest.approx(np.mean([r["psnr"] for r in ev.rows]))


def test_sr_preset_uses_the_y_channel_and_crop():
    pairs = _pairs()
    ev = evaluate(["nearest"], pairs, scales=[2], preset="sr", cache=False, progress=False,
                  metrics=["psnr", "fsds"])
    hr, lr = pairs[0].tensors()
    sr = torch.nn.functional.interpolate(lr[None], scale_factor=2, mode="nearest")[0]
    assert ev.rows[0]["psnr"] == pytest.approx(psnr(sr, hr, preset="sr", scale=2))
    assert ev.rows[0]["fsds"] == pytest.approx(lpf.fsds(sr, hr))


def test_cache_makes_reruns_instant_and_resumes(tmp_path):
    pairs = _pairs()
    model = _Counting(2)
    first = evaluate([model], pairs, scales=[2], cache=tmp_path, progress=False,
                     metrics=["psnr"])
    assert model.calls == 3
    second = evaluate([model], pairs, scales=[2], cache=tmp_path, progress=False,
                      metrics=["psnr"])
    assert model.calls == 3 and second.rows == first.rows
    # an interrupted run: one cell is missing, and a killed writer left a temporary file
    (column,) = [d for d in tmp_path.iterdir() if d.is_dir()]
    cells = sorted(column.glob("im*.json"))
    assert [c.name for c in cells] == ["im0.json", "im1.json", "im2.json"]
    cells[2].unlink()
    (column / ".im2.json.abc.tmp").write_text('{"cell": "im2", "row": {"psn')
    third = evaluate([model], pairs, scales=[2], cache=tmp_path, progress=False,
                     metrics=["psnr"])
    assert model.calls == 4 and third.rows == first.rows
    assert sorted(c.name for c in column.glob("im*.json")) == ["im0.json", "im1.json", "im2.json"]
    assert json.loads(cells[2].read_text())["cell"] == "im2"


def test_sr_folders_in_the_published_layout(tmp_path):
    pairs = _pairs()
    for pair in pairs:
        hr, lr = pair.tensors()
        sr = torch.nn.functional.interpolate(lr[None], scale_factor=2, mode="nearest")[0]
        write_image(tmp_path / "EDSR" / "2" / f"{pair.name}x2.png", lpf.data.to_numpy(sr))
    ev = evaluate([SRFolder(tmp_path / "EDSR"), "nearest"], pairs, scales=[2], cache=False,
                  progress=False, metrics=["psnr"])
    means = ev.means()
    assert means[("EDSR", 2)]["psnr"] == pytest.approx(means[("nearest", 2)]["psnr"], abs=1e-4)


def test_missing_sr_file_names_it(tmp_path):
    (tmp_path / "M" / "x2").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match=r"no SR image for 'im0' at x2"):
        evaluate([SRFolder(tmp_path / "M")], _pairs(1), scales=[2], cache=False, progress=False)


def test_size_mismatch_is_an_error_or_cropped(tmp_path):
    pair = _pairs(1)[0]
    sr = to_tensor(pair.hr)[..., :-2, :]
    write_image(tmp_path / "M" / "x2" / "im0x2.png", lpf.data.to_numpy(sr))
    with pytest.raises(ShapeError, match=r"has shape \(3, 22, 24\) but the HR image has"):
        evaluate([SRFolder(tmp_path / "M")], [pair], scales=[2], cache=False, progress=False)
    ev = evaluate([SRFolder(tmp_path / "M")], [pair], scales=[2], cache=False, progress=False,
                  crop_to_common=True, metrics=["psnr"])
    assert ev.rows[0]["psnr"] == float("inf") or ev.rows[0]["psnr"] > 60


def test_bad_presets_and_metrics():
    with pytest.raises(ValueError, match="unknown preset 'matlab'"):
        evaluate(["nearest"], _pairs(1), scales=[2], preset="matlab", cache=False)
    with pytest.raises(ValueError, match="unknown metric"):
        evaluate(["nearest"], _pairs(1), scales=[2], metrics=["niqe"], cache=False)


def test_lpips_offline_is_unavailable_not_a_crash(monkeypatch, tmp_path):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    ev = evaluate(["nearest"], _pairs(1), scales=[2], metrics=["psnr", "lpips"], cache=False,
                  progress=False)
    assert ev.rows[0]["lpips"] is None and "LPIPS unavailable" in ev.notes[0]
    assert "n/a" in ev.to_markdown()


def test_tables_rank_and_highlight():
    rows = []
    for model, value in [("A", 30.0), ("B", 32.0), ("C", 32.0), ("D", 29.0)]:
        rows.append({"model": model, "scale": 2, "image": "x", "psnr": value, "lpips": value / 100})
    rows.append({"model": "A", "scale": 4, "image": "x", "psnr": 25.0, "lpips": 0.3})
    ev = Evaluation(rows=rows, metrics=("psnr", "lpips"), preset="paper", dataset="t")
    md = ev.to_markdown()
    assert "| B | **32.00 (1)** |" in md and "| C | **32.00 (1)** |" in md
    assert "| A | 30.00 (3) | **25.00 (1)** |" in md
    assert "| D | 29.00 (4) | – |" in md
    # LPIPS is lower-is-better: D (0.29) ranks first
    assert "**0.290 (1)**" in md
    tex = ev.to_latex()
    assert r"\textcolor{red}{32.00}\textsuperscript{\textcolor{gray}{1}}" in tex
    assert r"\textcolor{blue}{0.300}" in tex and r"\end{tabular}" in tex


@pytest.mark.assets
def test_set5_bicubic_sr_preset(set5_root):
    """MATLAB bicubic on Set5 x4: the SR literature's 28.42 dB PSNR-Y."""
    ev = evaluate(["bicubic-matlab"], "Set5", scales=[4], preset="sr", metrics=["psnr"],
                  root=set5_root, cache=False, progress=False)
    assert ev.means()[("bicubic-matlab", 4)]["psnr"] == pytest.approx(28.42, abs=0.02)


def test_ranks_and_compare_of_two_metrics():
    rows = [{"model": m, "scale": 2, "image": "x", "psnr": p, "l1": e, "fsds": f}
            for m, p, e, f in [("A", 30.0, 0.03, 20.0), ("B", 32.0, 0.02, 19.0),
                               ("C", 31.0, 0.025, 21.0), ("D", 29.0, 0.04, 18.0)]]
    rows.append({"model": "A", "scale": 4, "image": "x", "psnr": 25.0, "l1": 0.05, "fsds": 15.0})
    ev = Evaluation(rows=rows, metrics=("psnr", "l1", "fsds"), preset="paper", dataset="t")
    ranks = ev.ranks()
    assert ranks["psnr@x2"] == {"B": 1, "C": 2, "A": 3, "D": 4}
    assert ranks["l1@x2"] == ranks["psnr@x2"]  # lower l1 is better: the same order
    assert ranks["psnr@x4"] == {"A": 1} and list(ev.ranks(["fsds"], [2])) == ["fsds@x2"]
    same = ev.compare("psnr", "l1", 2)
    assert same == {"kendall": 1.0, "spearman": 1.0, "identical": True, "n_models": 4}
    other = ev.compare("psnr", "fsds", 2)
    assert not other["identical"] and other["kendall"] < 1.0 and other["n_models"] == 4
    assert ev.compare("psnr", "fsds", 4) == {"kendall": None, "spearman": None,
                                              "identical": True, "n_models": 1}


# ------------------------------------------------ FSDS with the border cropped (issue 12, item 6)


class _BadBorder(torch.nn.Module):
    """A good upsampler (bicubic) whose outermost ``width`` pixels are zero: the artefact of
    zero padding in a network trained on small patches."""

    def __init__(self, scale, width):
        super().__init__()
        self.scale, self.width = scale, width
        self.name = f"bad-border-{width}"
        self.weight = torch.nn.Parameter(torch.zeros(1))  # identifiable for the cache

    def forward(self, x):
        y = torch.nn.functional.interpolate(x, scale_factor=self.scale, mode="bicubic",
                                            align_corners=False).clamp(0, 1)
        if self.width:
            w = self.width
            y = y.clone()
            y[..., :w, :], y[..., -w:, :], y[..., :, :w], y[..., :, -w:] = 0, 0, 0, 0
        return y


def _smooth_pairs(n=2, size=64, scale=4):
    """Photograph-like HR (a smooth field plus texture) and its decimated LR."""
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:size, 0:size] / size
    out = []
    for i in range(n):
        field = 0.5 + 0.3 * np.sin(2 * np.pi * (xx * (i + 1) + yy)) + 0.05 * rng.standard_normal(
            (size, size))
        hr = (np.clip(np.stack([field, field ** 1.2, 1 - field], -1), 0, 1) * 255).astype(np.uint8)
        out.append(SRPair(f"im{i}", hr, hr[::scale, ::scale].copy(), scale))
    return out


@pytest.mark.parametrize("preset", ["paper", "sr"])
def test_fsds_crop_is_fsds_without_a_border_of_scale_pixels(preset):
    pairs = _smooth_pairs()
    ev = evaluate(["nearest"], pairs, scales=[4], preset=preset, cache=False, progress=False)
    assert ev.metrics[ev.metrics.index("fsds") + 1] == "fsds_crop"  # next to the paper's FSDS
    for row, pair in zip(ev.rows, pairs, strict=True):
        hr, lr = pair.tensors()
        sr = torch.nn.functional.interpolate(lr[None], scale_factor=4, mode="nearest")[0]
        order = "pred" if preset == "paper" else "target"
        # reference: a slice written out here, 4 = scale pixels off every side
        assert row["fsds_crop"] == pytest.approx(
            lpf.fsds(sr[:, 4:-4, 4:-4], hr[:, 4:-4, 4:-4], denominator=order))
        assert row["fsds"] == pytest.approx(lpf.fsds(sr, hr, denominator=order))
        assert row["fsds_crop"] != pytest.approx(row["fsds"])


def test_bad_borders_ruin_fsds_but_not_fsds_crop():
    """Negative and positive test: zeroed border pixels cost the uncropped FSDS many dB; the
    cropped one removes exactly ``scale`` pixels, so a border of ``scale`` is invisible to it
    and a border one pixel wider is not."""
    pairs = _smooth_pairs()
    models = [_BadBorder(4, 0), _BadBorder(4, 4), _BadBorder(4, 5)]
    ev = evaluate(models, pairs, scales=[4], cache=False, progress=False,
                  metrics=["psnr", "fsds", "fsds_crop"])
    m = {name: v for (name, _), v in ev.means().items()}
    clean, bad, wider = m["bad-border-0"], m["bad-border-4"], m["bad-border-5"]
    assert clean["fsds"] - bad["fsds"] > 5  # the uncropped FSDS measures the border
    assert bad["fsds_crop"] == pytest.approx(clean["fsds_crop"], abs=1e-9)  # crop = scale
    assert wider["fsds_crop"] < clean["fsds_crop"] - 1  # a border wider than the crop shows
    assert bad["fsds_crop"] - bad["fsds"] > 5


def test_fsds_crop_in_tables_and_too_small_images():
    pairs = _pairs(n=1, size=24, scale=2)
    ev = evaluate(["nearest"], pairs, scales=[2], cache=False, progress=False)
    assert "FSDS x2 | FSDS (border 2 px cropped) x2" in ev.to_markdown()
    assert r"FSDS (border $s$ px cropped)" in ev.to_latex()
    assert "fsds_crop@x2" in ev.ranks()
    rng = np.random.default_rng(0)
    tiny = [SRPair("tiny", rng.integers(0, 256, (8, 8, 3), dtype=np.uint8),
                   rng.integers(0, 256, (2, 2, 3), dtype=np.uint8), 4)]  # 8 px: 4 + 4 cropped
    ev = evaluate(["nearest"], tiny, scales=[4], cache=False, progress=False,
                  metrics=["fsds", "fsds_crop"])
    assert ev.rows[0]["fsds_crop"] is None and ev.rows[0]["fsds"] is not None
    assert any("fsds_crop is n/a" in n for n in ev.notes)
