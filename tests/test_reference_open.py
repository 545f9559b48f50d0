"""The kit against the paper's official code on openly licensed images, on every clone.

Reference values and arrays: ``tests/data/reference_open/`` (a copy of ``../shared/reference/open``;
see its README), computed with RisingEntropy/LPFInISR commit 00a4753 (``FSDS_code.py``,
``LPF2ISR.py``, ``HyRA.py``) on the CPU in float32, on scikit-image's bundled photographs (CC0 /
public domain). Every FSDS input is rebuilt here from ``skimage.data`` by the numpy recipe stored
with the case; the PNG inputs of LPF-SR and HyRA are checked against their recipes too. Nothing
here needs ``../shared``: these tests never skip. The references on the paper's own data (Set5,
the official HyRA example: ``../shared/reference``) are in ``test_reference_paper.py``.

Tolerances (measured here, float64 kit unless said): FSDS 3.1e-5 dB at most (chelsea_box3, the
official float32 accumulation) -> 4e-5 dB; ``lpf_sr_paper`` 3.2e-6 -> 4e-6 (``method="official"``
bit-exact -> 1e-6); HyRA paper mode in float32 bit-exact -> 1e-6 (float64: 3.2e-7), the margin
left for another CPU's float32 convolution kernel. Each family also checks that a plausible
mistake (the other argument order, another recipe, a perturbed input) does NOT match.
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import skimage.data
import torch
from PIL import Image

import lpf
from lpf import cli
from lpf.signal.lpfsr import lpf_sr_paper

DATA = Path(__file__).parent / "data" / "reference_open"

FSDS_TOL = 4e-5  # dB
LPF_TOL = 4e-6  # max abs difference of the 3x128x128 output in [0, 1]
OFFICIAL_TOL = 1e-6  # float32 arithmetic of the official code reproduced (bit-exact here)
OMEGAS = (16.0, 32.0, 48.5)


def _json(name: str) -> dict:
    return json.loads((DATA / name).read_text())


@functools.cache
def _photo(name: str) -> np.ndarray:
    """A ``skimage.data`` photograph as H x W x 3 uint8 (``camera`` replicated to RGB)."""
    image = getattr(skimage.data, name)()
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    assert image.dtype == np.uint8 and image.shape[2] == 3
    return image


def _png(name: str) -> np.ndarray:
    with Image.open(DATA / name) as im:
        return np.array(im.convert("RGB"))


def _chw(image: np.ndarray, dtype=torch.float64) -> torch.Tensor:
    """H x W x 3 (uint8 -> /255 in float32, as the references did; float32 as is) -> C x H x W."""
    if image.dtype == np.uint8:
        image = image.astype(np.float32) / np.float32(255)
    assert image.dtype == np.float32
    return torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1).to(dtype)


def _repeat(image: np.ndarray, s: int, phase: int = 0) -> np.ndarray:
    return np.repeat(np.repeat(image[phase::s, phase::s], s, 0), s, 1)


def _box3(image: np.ndarray, pad_mode: str = "edge") -> np.ndarray:
    """3x3 mean of ``image / 255`` in float64 (``np.pad`` ``pad_mode``), cast to float32."""
    x = image.astype(np.float64) / 255
    p = np.pad(x, ((1, 1), (1, 1), (0, 0)), mode=pad_mode)
    h, w = x.shape[:2]
    return (sum(p[i : i + h, j : j + w] for i in range(3) for j in range(3)) / 9).astype(np.float32)


def _build(case: dict) -> tuple[np.ndarray, np.ndarray]:
    """(pred, target) of one FSDS case, H x W x 3, by the recipe in its ``definition``."""
    name, definition = case["name"], case["definition"]
    image = _photo(case["image"])
    h, w = image.shape[:2]
    kind = name.rsplit("_", 1)[1]
    if name.endswith("_odd_box3"):
        assert definition.startswith("target = image[:255, :253]") and "3x3 mean" in definition
        target = image[:255, :253]
        return _box3(target), target
    if name.endswith("_odd_repeat2"):
        assert "image[:102, :150][::2, ::2]" in definition and "[:101]" in definition
        return _repeat(image[:102, :150], 2)[:101], image[:101, :150]
    if kind.startswith("repeat"):
        s = int(kind[len("repeat"):])
        assert f"np.repeat(np.repeat(target[::{s}, ::{s}], {s}, 0), {s}, 1)" in definition
        target = image[: h - h % s, : w - w % s]
        return _repeat(target, s), target
    if kind == "box3":
        assert "3x3 mean" in definition and "mode='edge'" in definition
        return _box3(image), image
    if kind == "roll1":
        assert definition == "target = image; pred = np.roll(image, 1, axis=1)"
        return np.roll(image, 1, axis=1), image
    raise AssertionError(f"no recipe for FSDS case {name!r}: {definition}")


# ------------------------------------------------------------------------------------- the data


def test_reference_folder_is_complete_and_documented():
    names = {p.name for p in DATA.iterdir()}
    assert {"README.md", "fsds_open.json", "lpf_open.json", "lpf_open_official.npz",
            "lpf_lr.png", "hyra_open.json", "hyra_open_official.npz", "hyra_lr.png",
            "hyra_sr.png", "hyra_impulse_response.png"} <= names
    readme = (DATA / "README.md").read_text()
    assert "00a4753" in readme and "CC0" in readme and "../shared/reference/open" in readme
    assert len(_json("fsds_open.json")["cases"]) == 27


# ------------------------------------------------------------------------------------------ FSDS


@pytest.fixture(scope="module")
def fsds_values() -> dict[str, dict]:
    """Every case with the kit's float64 FSDS in both orders: one batched call per image size."""
    groups: dict[tuple, list] = defaultdict(list)
    for case in _json("fsds_open.json")["cases"]:
        pred, target = _build(case)
        assert pred.shape == target.shape
        assert [3, *target.shape[:2]] == case["shape"], case["name"]
        groups[target.shape].append((case, _chw(pred), _chw(target)))
    out = {}
    for items in groups.values():
        preds = torch.stack([p for _, p, _ in items])
        targets = torch.stack([t for _, _, t in items])
        paper = lpf.fsds(preds, targets)  # denominator="target": official fsds(pred, target)
        table1 = lpf.fsds(preds, targets, denominator="pred")  # official fsds(target, pred)
        for i, (case, _, _) in enumerate(items):
            out[case["name"]] = {"case": case, "target": float(paper[i]),
                                 "pred": float(table1[i])}
    assert len(out) == 27
    return out


def test_fsds_paper_order_matches_official(fsds_values):
    """``lpf.fsds(pred, target)`` == official ``fsds(pred, target)`` (Eq. 13), every case."""
    errors = {n: abs(v["target"] - v["case"]["fsds_pred_target"]) for n, v in fsds_values.items()}
    assert max(errors.values()) <= FSDS_TOL, {n: e for n, e in errors.items() if e > FSDS_TOL}


def test_fsds_table1_order_matches_official(fsds_values):
    """``denominator="pred"`` == official ``fsds(target, pred)`` (Table-1 script), every case."""
    errors = {n: abs(v["pred"] - v["case"]["fsds_target_pred"]) for n, v in fsds_values.items()}
    assert max(errors.values()) <= FSDS_TOL, {n: e for n, e in errors.items() if e > FSDS_TOL}


def test_fsds_wrong_order_does_not_match(fsds_values):
    """Negative check: swapping the denominator misses every reference (by >= 0.01 dB here)."""
    for name, v in fsds_values.items():
        case = v["case"]
        assert abs(v["pred"] - case["fsds_pred_target"]) > 25 * FSDS_TOL, name
        assert abs(v["target"] - case["fsds_target_pred"]) > 25 * FSDS_TOL, name


@pytest.mark.parametrize("name", ["astronaut_odd_box3", "chelsea_odd_repeat2"])
def test_fsds_single_image_calls(name):
    """The unbatched (C, H, W) call on the odd sizes: a float, both orders, also from float32."""
    case = next(c for c in _json("fsds_open.json")["cases"] if c["name"] == name)
    pred, target = _build(case)
    p64, t64 = _chw(pred), _chw(target)
    value = lpf.fsds(p64, t64)
    assert isinstance(value, float)
    assert value == pytest.approx(case["fsds_pred_target"], abs=FSDS_TOL)
    assert lpf.fsds(p64, t64, denominator="pred") == pytest.approx(case["fsds_target_pred"],
                                                                   abs=FSDS_TOL)
    # float32 inputs (what the official code used): measured within 6e-5 dB on every case
    p32, t32 = _chw(pred, torch.float32), _chw(target, torch.float32)
    assert lpf.fsds(p32, t32) == pytest.approx(case["fsds_pred_target"], abs=1e-4)


def test_fsds_batched_call_matches_official_list():
    """The official batched call: N=2 top-left 256x256 crops, pred = pixel repetition x4."""
    batch = _json("fsds_open.json")["batch"]
    assert batch["definition"].startswith("N=2: astronaut and coffee 256x256 top-left crops")
    targets = [_photo(n)[:256, :256] for n in ("astronaut", "coffee")]
    pred = torch.stack([_chw(_repeat(t, 4)) for t in targets])
    target = torch.stack([_chw(t) for t in targets])
    values = lpf.fsds(pred, target)
    assert values.shape == (2,) and values.dtype == torch.float64
    np.testing.assert_allclose(values.numpy(), batch["values"], rtol=0, atol=FSDS_TOL)
    # negative: the other denominator misses (by 0.09-0.31 dB)
    other = lpf.fsds(pred, target, denominator="pred").numpy()
    assert (np.abs(other - batch["values"]) > 25 * FSDS_TOL).all()


def test_fsds_recipe_mistakes_do_not_match():
    """Negative checks: inputs one plausible slip away from the recipe miss the reference."""
    cases = {c["name"]: c for c in _json("fsds_open.json")["cases"]}
    case = cases["astronaut_odd_box3"]
    target = _photo("astronaut")[:255, :253]
    zero_padded = lpf.fsds(_chw(_box3(target, "constant")), _chw(target))
    assert abs(zero_padded - case["fsds_pred_target"]) > 25 * FSDS_TOL
    case = cases["chelsea_odd_repeat2"]
    image = _photo("chelsea")
    other_phase = _repeat(image[:102, :150], 2, phase=1)[:101]
    value = lpf.fsds(_chw(other_phase), _chw(image[:101, :150]))
    assert abs(value - case["fsds_pred_target"]) > 25 * FSDS_TOL


# ---------------------------------------------------------------------------------------- LPF-SR


@functools.cache
def _lpf_inputs() -> tuple[torch.Tensor, torch.Tensor]:
    hr = _photo("chelsea")[100:228, 150:278]
    lr = _png("lpf_lr.png")
    assert np.array_equal(lr, hr[::2, ::2])  # the PNG is the recipe, bit for bit
    return _chw(lr, torch.float32), _chw(hr, torch.float32)


def _psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    return 10 * math.log10(1.0 / float(((a.double() - b.double()) ** 2).mean()))


@pytest.fixture(scope="module")
def lpf_reference():
    return _json("lpf_open.json"), np.load(DATA / "lpf_open_official.npz")


@pytest.mark.parametrize("omega", OMEGAS)
def test_lpf_sr_paper_matches_official(lpf_reference, omega):
    numbers, arrays = lpf_reference
    lr, hr = _lpf_inputs()
    official = arrays[f"omega_{omega}"]
    expected = numbers["results"][str(omega)]
    sr = lpf_sr_paper(lr, 2, omega)
    assert sr.shape == official.shape == (3, 128, 128)
    assert float(np.abs(sr.numpy() - official).max()) <= LPF_TOL
    assert _psnr(sr, hr) == pytest.approx(expected["psnr_rgb_db"], abs=1e-5)
    assert lpf.fsds(sr.double(), hr.double()) == pytest.approx(expected["fsds_out_hr"], abs=1e-4)
    # the stored arrays and numbers agree with each other
    off = torch.from_numpy(official)
    assert _psnr(off, hr) == pytest.approx(expected["psnr_rgb_db"], abs=1e-6)
    assert lpf.fsds(off.double(), hr.double()) == pytest.approx(expected["fsds_out_hr"],
                                                                abs=FSDS_TOL)


@pytest.mark.parametrize("omega", OMEGAS)
def test_lpf_sr_paper_official_method_is_bit_exact(lpf_reference, omega):
    """The official float32 2-D convolution: bit-exact here (1e-6 for another CPU's kernel)."""
    _, arrays = lpf_reference
    lr, _ = _lpf_inputs()
    sr = lpf_sr_paper(lr, 2, omega, method="official")
    np.testing.assert_allclose(sr.numpy(), arrays[f"omega_{omega}"], rtol=0, atol=OFFICIAL_TOL)


def test_lpf_sr_paper_perturbed_does_not_match(lpf_reference):
    """Negative checks: a quarter off in omega, or another omega's array, misses by > 1e-2."""
    _, arrays = lpf_reference
    lr, _ = _lpf_inputs()
    off = lpf_sr_paper(lr, 2, 32.25).numpy()
    assert float(np.abs(off - arrays["omega_32.0"]).max()) > 1000 * LPF_TOL
    sr = lpf_sr_paper(lr, 2, 16.0).numpy()
    assert float(np.abs(sr - arrays["omega_48.5"]).max()) > 1000 * LPF_TOL


# ------------------------------------------------------------------------------------------ HyRA


def _lanczos3_response() -> np.ndarray:
    """The recipe of hyra_impulse_response.png (see hyra_open.json)."""
    t = (np.arange(36) - 17.5) / 3
    k = np.sinc(t) * np.sinc(t / 3) * (np.abs(t) < 3)
    k2 = np.outer(k, k) / np.outer(k, k).max()
    gains = (1.0, 0.9, 0.8)
    return np.stack([np.clip(np.round(200 * g * k2), 0, 255) for g in gains], -1).astype(np.uint8)


@functools.cache
def _hyra_inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lr, sr, impulse response (H x W x 3 uint8), read as HyRA.main reads them."""
    spec = _json("hyra_open.json")["inputs"]
    assert spec["hyra_lr.png"] == "skimage.data.chelsea()[60:102, 200:242] (42x42)"
    lr, sr, ir = (_png(f"hyra_{n}.png") for n in ("lr", "sr", "impulse_response"))
    lr_recipe = _photo("chelsea")[60:102, 200:242]
    assert np.array_equal(lr, lr_recipe)
    assert np.array_equal(sr, np.repeat(np.repeat(lr_recipe, 3, 0), 3, 1))
    assert np.array_equal(ir, _lanczos3_response())
    return lr, sr, ir


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_hyra_paper_mode_matches_official(dtype):
    official = np.load(DATA / "hyra_open_official.npz")
    lr, sr, ir = (_chw(a, dtype) for a in _hyra_inputs())
    r = lpf.hyra(lr=lr, sr=sr, impulse_response=ir, scale=3, mode="paper")
    assert r.mode == "paper" and r.border is None
    shape = tuple(_json("hyra_open.json")["outputs"]["linear"])
    assert r.linear.shape == r.nonlinear.shape == shape == (3, 127, 127)
    for name in ("linear", "nonlinear"):
        got = getattr(r, name).numpy()
        # float32: bit-exact here; float64: 3.2e-7, the official float32 rounding
        np.testing.assert_allclose(got, official[name], rtol=0, atol=OFFICIAL_TOL, err_msg=name)


def test_hyra_cli_official_arguments_match_official(tmp_path):
    """``lpf hyra`` with HyRA.py's own argument names reproduces the official arrays."""
    _hyra_inputs()  # the PNGs are the recipe
    out = tmp_path / "out"
    argv = ["hyra", "--lr", str(DATA / "hyra_lr.png"), "--sr", str(DATA / "hyra_sr.png"),
            "--impulse_response", str(DATA / "hyra_impulse_response.png"), "--scale", "3",
            "--save_path", str(out), "--mode", "paper"]
    assert cli.main(argv) == 0
    arrays = np.load(out / "hyra.npz")
    official = np.load(DATA / "hyra_open_official.npz")
    for name in ("linear", "nonlinear"):
        np.testing.assert_allclose(arrays[name], official[name], rtol=0, atol=OFFICIAL_TOL,
                                   err_msg=name)
    data = json.loads((out / "hyra.json").read_text())
    assert data["mode"] == "paper" and max(data["phase_opposition"]) < -0.99


def test_hyra_perturbed_does_not_match():
    """Negative checks: one LR pixel up by 1/255, the IR shifted by one pixel, or the exact mode
    (no official padding quirk: 126x126) cannot give the reference."""
    official = np.load(DATA / "hyra_open_official.npz")
    lr, sr, ir = (_chw(a, torch.float32) for a in _hyra_inputs())
    lr[:, 20, 20] += 1 / 255
    r = lpf.hyra(lr=lr, sr=sr, impulse_response=ir, scale=3, mode="paper")
    assert float(np.abs(r.linear.numpy() - official["linear"]).max()) > 1000 * OFFICIAL_TOL
    assert float(np.abs(r.nonlinear.numpy() - official["nonlinear"]).max()) > 1000 * OFFICIAL_TOL
    lr[:, 20, 20] -= 1 / 255
    shifted = torch.roll(ir, 1, dims=2)
    r = lpf.hyra(lr=lr, sr=sr, impulse_response=shifted, scale=3, mode="paper")
    assert float(np.abs(r.linear.numpy() - official["linear"]).max()) > 1000 * OFFICIAL_TOL
    exact = lpf.hyra(lr=lr, sr=sr, impulse_response=ir, scale=3)
    assert exact.mode == "exact" and exact.linear.shape == (3, 126, 126) != official["linear"].shape
