"""Tests of lpf.models.detection (any checkpoint by path), the paper entries, LTE."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _needs import needs_weights, require_weights

from lpf import models as zoo
from lpf.models import PAPER_NETWORKS, load_model
from lpf.models import detection as zoo_detect
from lpf.models.archs._common import CheckpointError
from lpf.models.archs.liif import make_coord
from lpf.models.archs.lte import LTE, lte_config_from_state_dict
from lpf.models.detection import AmbiguousScaleError, UnknownArchitectureError, detect

spandrel = pytest.importorskip("spandrel")


def _spandrel_net(arch: str, **kwargs):
    cls = getattr(__import__(f"spandrel.architectures.{arch}", fromlist=[arch]), arch)
    torch.manual_seed(0)
    with zoo_detect.quiet_construction():
        return cls(**kwargs).eval()


# small configurations of spandrel's classes: (class, kwargs, scale)
SMALL = {
    "ESRGAN": (dict(num_filters=8, num_blocks=1, scale=4), 4),
    "SwinIR": (dict(img_size=16, embed_dim=12, depths=[2], num_heads=[2], window_size=4,
                    mlp_ratio=2, upscale=2, upsampler="pixelshuffle"), 2),
    "HAT": (dict(img_size=16, embed_dim=12, depths=[1], num_heads=[2], window_size=4,
                 squeeze_factor=4, mlp_ratio=2, upscale=3, num_feat=8), 3),
    "RCAN": (dict(scale=2, n_resgroups=1, n_resblocks=1, n_feats=16, reduction=4), 2),
    "SPAN": (dict(num_in_ch=3, num_out_ch=3, feature_channels=8, upscale=2), 2),
    "SAFMN": (dict(dim=8, n_blocks=1, upscaling_factor=2), 2),
    "OmniSR": (dict(num_feat=8, block_num=1, window_size=4, up_scale=2), 2),
    "DAT": (dict(img_size=16, embed_dim=32, split_size=[2, 4], depth=[1], num_heads=[2],
                 expansion_factor=2, upscale=2), 2),
}


def _zero_padded_raw(net, x, *, scale, multiple, min_size):
    """What the kit's wrapper must compute: zero-pad bottom/right, run raw, crop (reference)."""
    h, w = x.shape[-2:]
    ph, pw = max((-h) % multiple, min_size - h), max((-w) % multiple, min_size - w)
    ph += (-(h + ph)) % multiple
    pw += (-(w + pw)) % multiple
    with torch.no_grad():
        return net(F.pad(x, (0, pw, 0, ph)).clone())[..., : h * scale, : w * scale]


# --- spandrel checkpoints by path, no architecture named -----------------------------------


@pytest.mark.parametrize("arch", sorted(SMALL))
def test_spandrel_checkpoint_loads_by_path(tmp_path, arch):
    kwargs, scale = SMALL[arch]
    net = _spandrel_net(arch, **kwargs)
    path = tmp_path / f"{arch.lower()}.pth"
    torch.save({"params_ema": net.state_dict()}, path)  # BasicSR's container layout

    model = load_model(path)  # no arch, no scale
    assert isinstance(model, zoo.SRModel) and model.scale == scale and model.name == arch.lower()
    found = detect(path)
    assert found.arch == arch and found.scale == scale and found.source.startswith("spandrel")
    assert found.params == sum(p.numel() for p in net.parameters())

    x = torch.rand(2, 3, 11, 13)
    x0 = x.clone()
    with torch.no_grad():
        y = model(x)
    assert y.shape == (2, 3, 11 * scale, 13 * scale)
    assert torch.equal(x, x0), "the wrapper must not modify its input (spandrel's RCAN does)"
    ref = _zero_padded_raw(net, x, scale=scale, multiple=found.pad_multiple,
                           min_size=found.min_size)
    torch.testing.assert_close(y, ref, rtol=0, atol=1e-6)


def test_window_transformers_are_zero_padded_to_their_window():
    net = _spandrel_net("SwinIR", **SMALL["SwinIR"][0])
    found = detect(net.state_dict())
    # window 4 (their internal reflection padding becomes a no-op), spandrel's minimum 16
    assert (found.pad_multiple, found.min_size) == (4, 16)
    hat = detect(_spandrel_net("HAT", **SMALL["HAT"][0]).state_dict())
    assert hat.pad_multiple == 4 and hat.scale == 3


def test_output_is_not_clamped_unlike_spandrel_call():
    net = _spandrel_net("ESRGAN", **SMALL["ESRGAN"][0])
    model = detect(net.state_dict()).to_model()
    x = torch.rand(1, 3, 8, 8)
    with torch.no_grad():
        y, raw = model(x), net(x.clone())
    assert y.min() < 0 or y.max() > 1  # random weights leave [0, 1]
    torch.testing.assert_close(y, raw)
    desc = spandrel.ModelLoader().load_from_state_dict(net.state_dict())
    assert desc(x).min() >= 0  # spandrel's convenience call clamps


def test_scale_given_must_agree(tmp_path):
    kwargs, _ = SMALL["RCAN"]
    path = tmp_path / "rcan.pth"
    torch.save(_spandrel_net("RCAN", **kwargs).state_dict(), path)
    assert load_model(path, scale=2).scale == 2
    with pytest.raises(ValueError, match=r"holds a x2 RCAN; got scale=4"):
        load_model(path, scale=4)


# --- the kit's own layouts and the real checkpoints ----------------------------------------


def test_real_safmn_is_detected_and_equals_the_kits_safmn():
    path = require_weights("safmn", 4)  # shipped in data/networks
    info = zoo_detect.inspect(path)
    assert info["architecture"] == "SAFMN" and info["scale"] == 4
    assert info["parameters"] == 237000 and info["registry"] == ["safmn"]
    json.dumps(info)  # printable by the CLI
    detected, named = load_model(path), load_model("safmn", scale=4)
    impulse = torch.zeros(1, 3, 11, 11)
    impulse[..., 5, 5] = 1.0
    for x in (impulse, torch.rand(1, 3, 16, 20)):
        with torch.no_grad():
            torch.testing.assert_close(detected(x), named(x), rtol=0, atol=1e-5)


# the real checkpoints every clone has (shipped, or fetched by `make test`): registry name, scale
# of the file, what detection must say
@pytest.mark.parametrize("name, scale, arch, detected_scale", [
    ("rfdn", 4, "RFDN", 4), ("rlfn", 4, "RLFN", 4), ("bsrn", 4, "BSRN", 4),
    ("carn-m", 4, "CARNM", "any"), ("edsr-liif", 4, "LIIF", "any"),
])
def test_real_kit_checkpoints_are_detected(name, scale, arch, detected_scale):
    info = zoo_detect.inspect(require_weights(name, scale))
    assert (info["architecture"], info["scale"], info["detected_by"]) == (arch, detected_scale,
                                                                          "lpf")


@pytest.mark.assets
def test_real_imdn_and_pan_checkpoints_are_detected():
    """IMDN and PAN (no licence: ../shared/assets/weights or $LPF_WEIGHTS, never shipped): the
    kit detects their files, and a PAN file of x2 or x3 (the same tensors) needs a scale."""
    files = (("imdn", 3), ("pan", 4), ("pan", 3))
    if not all(zoo.is_available(n, scale=s) for n, s in files):
        pytest.skip(needs_weights(["imdn", "pan"]))
    imdn, pan4, pan3 = (require_weights(n, s) for n, s in files)
    for path, arch, scale in ((imdn, "IMDN", 3), (pan4, "PAN", 4)):
        info = zoo_detect.inspect(path)
        assert (info["architecture"], info["scale"], info["detected_by"]) == (arch, scale, "lpf")
    with pytest.raises(AmbiguousScaleError, match=r"pass scale=2 or scale=3"):
        load_model(pan3)
    assert load_model(pan3, scale=3).scale == 3
    assert zoo_detect.inspect(pan3)["scale"] == [2, 3]


def test_rfdn_layout_keeps_its_input_range(tmp_path):
    net = load_model("rfdn", scale=4, weights="random").net
    path = tmp_path / "rfdn.pth"
    torch.save(net.state_dict(), path)
    model = load_model(path)
    assert model.input_range == 255.0 and model.min_size == 15
    x = torch.rand(1, 3, 16, 16)
    with torch.no_grad():
        torch.testing.assert_close(model(x), net(x * 255) / 255)


# --- unknown layouts -----------------------------------------------------------------------


def test_unknown_layout_names_the_closest_architectures(tmp_path):
    sd = load_model("edsr-baseline", scale=2, weights="random", num_feat=16,
                    num_block=2).net.state_dict()  # basicsr EDSR, not a registry config
    torch.save(sd, tmp_path / "x.pth")
    with pytest.raises(UnknownArchitectureError, match="pass arch=NAME") as err:
        load_model(tmp_path / "x.pth")
    assert "closest known architectures: edsr" in str(err.value)
    assert err.value.closest[0][0].startswith("edsr")
    assert isinstance(err.value, ValueError)

    torch.save({"foo.weight": torch.zeros(2)}, tmp_path / "junk.pth")
    info = zoo_detect.inspect(tmp_path / "junk.pth")
    assert info["architecture"] is None and info["closest"] == []
    assert "none shares its key names" in info["error"]


def test_missing_file_and_unsafe_pickle(tmp_path):
    with pytest.raises(FileNotFoundError):
        detect(tmp_path / "nope.pth")

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    torch.save({"x": Evil()}, tmp_path / "evil.pth")
    with pytest.raises(CheckpointError, match="refused"):
        detect(tmp_path / "evil.pth")


# --- LTE -----------------------------------------------------------------------------------


def _reference_lte(net: LTE, x: torch.Tensor, out_hw: tuple[int, int], scale_max: float = 4):
    """A line-by-line port of the official ``LTE.query_rgb`` + ``test.py`` (CPU, one batch).

    From https://github.com/jaewon-lee-b/lte (``models/lte.py``, ``eval_psnr``: normalised input,
    coordinates and cells of the output grid, cell clipped by ``max(scale / scale_max, 1)``).
    """
    inp = (x - 0.5) / 0.5
    feat = net.encode(x)
    coef, freq = net.coef(feat), net.freq(feat)
    h_out, w_out = out_hw
    coord = make_coord((h_out, w_out)).unsqueeze(0).expand(x.shape[0], -1, -1)
    cell = torch.ones_like(coord)
    cell[:, :, 0] *= 2 / h_out
    cell[:, :, 1] *= 2 / w_out
    cell = cell * max(h_out / x.shape[-2] / scale_max, 1)
    rx, ry = 2 / feat.shape[-2] / 2, 2 / feat.shape[-1] / 2
    feat_coord = make_coord(feat.shape[-2:], flatten=False).permute(2, 0, 1).unsqueeze(0) \
        .expand(feat.shape[0], 2, *feat.shape[-2:])
    preds, areas = [], []
    for vx in (-1, 1):
        for vy in (-1, 1):
            coord_ = coord.clone()
            coord_[:, :, 0] += vx * rx + 1e-6
            coord_[:, :, 1] += vy * ry + 1e-6
            coord_.clamp_(-1 + 1e-6, 1 - 1e-6)
            grid = coord_.flip(-1).unsqueeze(1)
            q_coef = F.grid_sample(coef, grid, mode="nearest", align_corners=False)[:, :, 0, :] \
                .permute(0, 2, 1)
            q_freq = F.grid_sample(freq, grid, mode="nearest", align_corners=False)[:, :, 0, :] \
                .permute(0, 2, 1)
            q_coord = F.grid_sample(feat_coord, grid, mode="nearest",
                                    align_corners=False)[:, :, 0, :].permute(0, 2, 1)
            rel_coord = coord - q_coord
            rel_coord[:, :, 0] *= feat.shape[-2]
            rel_coord[:, :, 1] *= feat.shape[-1]
            rel_cell = cell.clone()
            rel_cell[:, :, 0] *= feat.shape[-2]
            rel_cell[:, :, 1] *= feat.shape[-1]
            bs, q = coord.shape[:2]
            q_freq = torch.stack(torch.split(q_freq, 2, dim=-1), dim=-1)
            q_freq = torch.mul(q_freq, rel_coord.unsqueeze(-1)).sum(dim=-2)
            q_freq += net.phase(rel_cell.view((bs * q, -1))).view(bs, q, -1)
            q_freq = torch.cat((torch.cos(np.pi * q_freq), torch.sin(np.pi * q_freq)), dim=-1)
            pred = net.imnet(torch.mul(q_coef, q_freq).contiguous().view(bs * q, -1))
            preds.append(pred.view(bs, q, -1))
            areas.append(torch.abs(rel_coord[:, :, 0] * rel_coord[:, :, 1]) + 1e-9)
    tot_area = torch.stack(areas).sum(dim=0)
    areas[0], areas[3] = areas[3], areas[0]
    areas[1], areas[2] = areas[2], areas[1]
    ret = 0
    for pred, area in zip(preds, areas, strict=True):
        ret = ret + pred * (area / tot_area).unsqueeze(-1)
    ret += F.grid_sample(inp, coord.flip(-1).unsqueeze(1), mode="bilinear",
                         padding_mode="border", align_corners=False)[:, :, 0, :].permute(0, 2, 1)
    return (ret * 0.5 + 0.5).view(x.shape[0], h_out, w_out, 3).permute(0, 3, 1, 2)


LTE_SMALL = {
    "edsr-baseline": {"n_resblocks": 2, "n_feats": 8},
    "rdn": {"G0": 8, "D": 2, "C": 2, "G": 4},
    "swinir": {"img_size": 8, "embed_dim": 12, "depths": [2], "num_heads": [2],
               "window_size": 4},
}


@pytest.mark.parametrize("encoder", sorted(LTE_SMALL))
def test_lte_equals_the_official_procedure(encoder):
    if encoder == "rdn":
        pytest.importorskip("lpf.models.archs.rdn")
    torch.manual_seed(0)
    net = LTE(encoder=encoder, encoder_kwargs=LTE_SMALL[encoder], hidden_dim=16,
              hidden=(16, 16), query_chunk=50).eval()
    x = torch.rand(2, 3, 8, 8)
    for out_hw in ((16, 16), (20, 28), (48, 48)):  # x2, non-integer, x6 (cell clipped)
        with torch.no_grad():
            torch.testing.assert_close(net.upsample(x, out_hw), _reference_lte(net, x, out_hw),
                                       rtol=0, atol=1e-5)
    cfg = lte_config_from_state_dict(net.state_dict())
    assert cfg["encoder"] == encoder and cfg["hidden"] == (16, 16)


def test_lte_official_checkpoint_layout_is_detected(tmp_path):
    torch.manual_seed(0)
    net = LTE(encoder_kwargs=LTE_SMALL["edsr-baseline"], hidden_dim=8, hidden=(8,)).eval()
    path = tmp_path / "edsr-baseline-lte.pth"
    torch.save({"model": {"name": "lte", "args": {}, "sd": net.state_dict()}, "epoch": 1000},
               path)
    found = detect(path)
    assert (found.arch, found.scale, found.kit_arch) == ("LTE", None, "lte")
    with pytest.raises(TypeError, match="scale"):
        load_model(path)
    model = load_model(path, scale=2.5)
    x = torch.rand(1, 3, 6, 7)
    with torch.no_grad():
        torch.testing.assert_close(model(x), net(x, 2.5))
    assert model(x).shape == (1, 3, 15, 18)


def test_lte_rejects_bad_arguments():
    with pytest.raises(ValueError, match="encoder"):
        LTE(encoder="vgg")
    with pytest.raises(ValueError, match="hidden_dim"):
        LTE(hidden_dim=7)
    with pytest.raises(ValueError, match="scale"):
        LTE(encoder_kwargs={"n_resblocks": 1, "n_feats": 4}, hidden_dim=4)(
            torch.rand(1, 3, 4, 4), scale=0)


# --- the paper's networks by name ----------------------------------------------------------


def test_every_paper_network_has_an_honest_row():
    for paper_name, names in PAPER_NETWORKS.items():
        for name in names:
            assert name in zoo.MODELS, (paper_name, name)
            spec = zoo.MODELS[name]
            if spec.arch != "analytic" and spec.arch not in zoo.ARCHS:
                assert "not yet" in spec.description or name == "rdn-liif", name
    rows = {r["name"]: r for r in zoo.registry_rows()}
    assert rows["hat"]["weights"] == "official URL + sha256 (`lpf fetch`)"
    assert rows["grl-base"]["weights"] == "official URL (no published sha256)"
    assert rows["edsr-lte"]["weights"] == "by hand (no direct URL)"
    assert rows["itsrn"]["architecture"] == "itsrn (not yet in the kit)"
    for s, src in zoo.MODELS["hat-s"].weights.items():
        assert src.downloadable and len(src.sha256) == 64 and f"x{s}" in src.filename
    assert all(src.downloadable and src.sha256 is None
               for src in zoo.MODELS["grl-tiny"].weights.values())


SPANDREL_ENTRIES = {
    "hat-s": dict(embed_dim=48, depths=[1], num_heads=[2], num_feat=8),  # compress 24
    "grl-tiny": dict(embed_dim=8, depths=[1], num_heads_window=[1], num_heads_stripe=[1],
                     mlp_ratio=1),
    "rcan-official": dict(n_resgroups=1, n_resblocks=1, n_feats=16, reduction=4),
}


@pytest.mark.parametrize("name", sorted(SPANDREL_ENTRIES))
def test_spandrel_backed_entries_load_random_and_checkpoints(tmp_path, name):
    kwargs = SPANDREL_ENTRIES[name]
    model = load_model(name, scale=2, weights="random", **kwargs)
    assert isinstance(model.net, zoo_detect.SpandrelNet)
    path = tmp_path / f"{name}.pth"
    torch.save({"params": model.net.model.state_dict()}, path)
    by_name = load_model(name, scale=2, weights=path, **kwargs)
    by_path = load_model(path)
    x = torch.rand(1, 3, 7, 9)
    with torch.no_grad():
        y = model(x)
        torch.testing.assert_close(by_name(x), y)
        torch.testing.assert_close(by_path(x), y)
    assert y.shape == (1, 3, 14, 18)
    with pytest.raises(CheckpointError, match="not"):
        other = "rcan-official" if name != "rcan-official" else "hat-s"
        load_model(other, scale=2, weights=path, **SPANDREL_ENTRIES[other])


def test_registry_lte_entries_run():
    pytest.importorskip("lpf.models.archs.rdn")
    model = load_model("rdn-lte", scale=3, weights="random",
                       encoder_kwargs=LTE_SMALL["rdn"], hidden_dim=8, hidden=(8,))
    assert model(torch.rand(1, 3, 5, 4)).shape == (1, 3, 15, 12)
    assert zoo.ARCHS["swinir-lte"].pad_multiple == 8
    assert math.isclose(load_model("edsr-lte", scale=1.5, weights="random",
                                   encoder_kwargs=LTE_SMALL["edsr-baseline"], hidden_dim=8,
                                   hidden=(8,)).scale, 1.5)
