"""Tests of :mod:`lpf.models.archs.rdn`: shapes, official key layout, strict state-dict round trips.

The expected key names are those of the official LIIF code's ``models/rdn.py``
(https://github.com/yinboc/liif), read there: ``SFENet1/2``, ``RDBs.{i}.convs.{j}.conv.0``,
``RDBs.{i}.LFF``, ``GFF.{0,1}``, ``UPNet.{0,2,4}``.
"""

from __future__ import annotations

import pytest
import torch

from lpf._checks import ShapeError
from lpf.models.archs._common import CheckpointError
from lpf.models.archs.rdn import RDN, load_rdn, rdn_config_from_state_dict

SMALL = {"G0": 8, "D": 2, "C": 3, "G": 4}


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_shapes(scale):
    net = RDN(scale=scale, **SMALL)
    assert net(torch.rand(2, 3, 7, 5)).shape == (2, 3, 7 * scale, 5 * scale)


def test_no_upsampling_is_the_encoder():
    net = RDN(no_upsampling=True, **SMALL)
    assert net(torch.rand(1, 3, 6, 9)).shape == (1, 8, 6, 9)
    assert net.out_dim == 8 and not any(k.startswith("UPNet") for k in net.state_dict())


def test_official_key_layout():
    keys = set(RDN(scale=4, **SMALL).state_dict())
    expected = {"SFENet1.weight", "SFENet2.bias", "GFF.0.weight", "GFF.1.bias",
                "RDBs.1.convs.2.conv.0.weight", "RDBs.1.LFF.weight", "UPNet.0.weight",
                "UPNet.2.weight", "UPNet.4.bias"}
    assert expected <= keys
    assert not any(".convs.3." in k for k in keys)  # C = 3 layers: 0, 1, 2
    # the paper's RDN (config B): 16 blocks of 8 layers, growth 64
    paper = RDN(scale=2)
    assert len(paper.RDBs) == 16 and paper.RDBs[0].convs[7].conv[0].in_channels == 64 + 7 * 64
    assert paper.UPNet[0].out_channels == 64 * 4


@pytest.mark.parametrize("kwargs", [{"scale": 2}, {"scale": 3}, {"scale": 4},
                                    {"no_upsampling": True}])
def test_strict_round_trip_through_a_file(tmp_path, kwargs):
    torch.manual_seed(0)
    net = RDN(**kwargs, **SMALL).eval()
    path = tmp_path / "rdn.pth"
    torch.save({"params": net.state_dict()}, path)
    back = load_rdn(path)
    assert back.no_upsampling == net.no_upsampling and back.scale == net.scale
    x = torch.rand(1, 3, 5, 6)
    torch.testing.assert_close(back(x), net(x), rtol=0, atol=0)


def test_encoder_from_a_liif_checkpoint(tmp_path):
    enc = RDN(no_upsampling=True, **SMALL)
    sd = {f"encoder.{k}": v for k, v in enc.state_dict().items()}
    sd["imnet.layers.0.weight"] = torch.zeros(4, 4)
    path = tmp_path / "rdn-liif.pth"
    torch.save({"model": {"name": "liif", "sd": sd}}, path)
    back = RDN.from_checkpoint(path, prefix="encoder.")
    assert back.no_upsampling and back.G0 == 8
    with pytest.raises(CheckpointError, match="prefix='encoder.'"):
        RDN.from_checkpoint(path)


def test_config_inference():
    cfg = rdn_config_from_state_dict(RDN(scale=2, G0=6, D=3, C=2, G=5, RDNkSize=5).state_dict())
    assert cfg == {"G0": 6, "RDNkSize": 5, "D": 3, "C": 2, "G": 5, "n_colors": 3,
                   "no_upsampling": False, "scale": 2}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"scale": 8}, "`scale` of RDN must be one of"), ({"RDNconfig": "C"}, "`RDNconfig`"),
     ({"G0": 0}, "`G0` of RDN must be a positive integer"), ({"RDNkSize": 4}, "odd")],
)
def test_bad_configuration(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RDN(**kwargs)


def test_bad_input():
    with pytest.raises(ShapeError, match=r"\(N, 3, H, W\)"):
        RDN(**SMALL)(torch.rand(1, 1, 4, 4))


def test_class_attributes():
    assert (RDN.INPUT_RANGE, RDN.CHANNELS, RDN.SCALES, RDN.MIN_SIZE) == (1.0, "RGB", (2, 3, 4), 1)
