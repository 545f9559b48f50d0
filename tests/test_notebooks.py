"""The figure notebooks: the thin-notebook rules, and every notebook run in the smoke profile.

``test_notebooks_are_thin`` enforces the rules of STYLE.md (points 11-14) with nbformat and ast:
one ``parameters`` cell of literals, the core keys, no functions or classes, no magics, only
``lpf``/numpy/matplotlib imports, outputs stripped.

``test_notebook_runs`` executes each notebook with papermill (profile ``smoke``, output into a
temporary folder) and checks that it wrote its PNG, PDF and JSON, then that the JSON shows the
figure's claim (``CLAIMS`` below, plus the ``CLAIMS`` of every ``tests/claims_*.py``; every
notebook must have one).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
from pathlib import Path

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
PATTERNS = ("fig*.ipynb", "table*.ipynb", "ext*.ipynb")
NOTEBOOKS = sorted(p for pattern in PATTERNS for p in NOTEBOOK_DIR.glob(pattern))
REQUIRED = {"out_dir", "profile", "seed", "device"}
ALLOWED_IMPORTS = {"lpf", "numpy", "matplotlib"}


def _ids(paths):
    return [p.stem for p in paths]


def _parameters(cell) -> dict:
    """The literal values of a parameters cell (raises if a statement is not `name = literal`)."""
    values = {}
    for node in ast.parse(cell.source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            raise AssertionError(f"not a plain `name = literal` assignment: {ast.unparse(node)}")
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 8, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebooks_are_thin(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and (
        "Figure" in nb.cells[0].source or "Table" in nb.cells[0].source
    ), "the first cell states the figure (or table) and its claim"

    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert tagged[0] is code[0], "the parameters cell is the first code cell"
    params = _parameters(tagged[0])
    assert REQUIRED <= set(params), f"missing core parameters {REQUIRED - set(params)}"
    assert params["profile"] == "full" and params["out_dir"] == "../figures"
    for line in tagged[0].source.splitlines():
        if line.strip():
            assert "#" in line, f"parameter without a help comment: {line!r}"
            assert line.count("=") == 1, f"papermill cannot parse a help text with '=': {line!r}"

    for cell in code:
        assert cell.get("outputs") == [] and cell.get("execution_count") is None, (
            "outputs are stripped (nbstripout)"
        )
        for line in cell.source.splitlines():
            assert not line.lstrip().startswith(("%", "!")), f"magic or shell line: {line!r}"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef), (
                f"no def/class in notebooks (put it in lpf): {ast.unparse(node)[:60]}"
            )
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED_IMPORTS, f"notebooks import lpf, numpy, matplotlib: {roots}"


# ----------------------------------------------------------------------------- claims


def _fig02(d):
    leak = d["stopband_leakage"]
    kernels = [k for k in leak if k != "sinc"]
    assert all(leak["sinc"] < leak[k] for k in kernels), leak
    assert max(leak, key=leak.get) == "nearest", leak


def _fig05(d):
    r = {row_name: row for row_name, row in d["results"].items()}
    narrow, good, wide = (r[k] for k in ("too narrow", "good", "too wide"))
    assert good["psnr"] > narrow["psnr"] and good["psnr"] > wide["psnr"], r
    assert wide["replica_energy"] > 2 * good["replica_energy"], r


def _fig06(d):
    r = d["results"]
    for method in ("bicubic-matlab", "sinc-lpf"):
        assert r[method]["low_frequency_share"] > r["HR"]["low_frequency_share"], r
        assert r[method]["energy_bandwidth_99"] < r["HR"]["energy_bandwidth_99"], r
        assert math.isfinite(r[method]["fsds"]) and r[method]["fsds"] > 0
    assert all(0 <= row["cross_width"] <= 0.5 for row in r.values())


def _fig07(d):
    stego, jpeg = d["stego"], d["jpeg"]
    assert stego["fsds"] == pytest.approx(d["target_fsds"], abs=0.01)
    assert stego["bits_recovered"] == 1.0
    assert stego["ssim"] > 0.98
    assert abs(stego["fsds"] - jpeg["fsds"]) < 3.0, (stego, jpeg)  # comparable FSDS ...
    assert stego["ssim"] > jpeg["ssim"] + 0.1, (stego, jpeg)  # ... very different SSIM


def _fig08(d):
    for name, opt in d["optima"].items():
        assert opt["interior"], (name, opt)
    assert d["optima"]["principled_psnr"]["unimodal"] and d["optima"]["principled_ssim"]["unimodal"]
    sizes = sorted(d["optimum_vs_size"], key=int)
    first, last = d["optimum_vs_size"][sizes[0]], d["optimum_vs_size"][sizes[-1]]
    assert last["omega"] > first["omega"]  # the paper's omega moves with the image size ...
    assert last["cutoff"] == pytest.approx(first["cutoff"], abs=0.1)  # ... the cutoff does not
    assert d["paper"]["psnr"] == {"omega": 48.0, "value": 31.40}


def _fig11_13(d):
    assert not d["no_aliasing"]["aliased"] and d["aliasing"]["aliased"]
    assert d["no_aliasing"]["relative_rms_error"] < 1e-6
    assert d["aliasing"]["relative_rms_error"] > 0.05


def _fig17(d):
    w = d["windows"]
    rect = w["rectangular"]
    assert rect["sidelobe_db"] == pytest.approx(-13.26, abs=1.0)
    assert all(rect["sidelobe_db"] >= v["sidelobe_db"] for v in w.values())
    assert all(rect["mainlobe_width_bins"] <= v["mainlobe_width_bins"] for v in w.values())
    assert w["blackman"]["sidelobe_db"] < w["hann"]["sidelobe_db"] < rect["sidelobe_db"]
    assert w["blackman"]["mainlobe_width_bins"] > w["hann"]["mainlobe_width_bins"]


def _fig18(d):
    for s, c in d["scales"].items():
        assert c["theory"] == pytest.approx((int(s) ** 2 - 1) / int(s) ** 2)
        assert abs(c["replica_fraction"] - c["theory"]) < 1e-6, (s, c)
        assert c["max_tiling_error"] < 1e-6, (s, c)


CLAIMS = {  # notebook stem -> check of its JSON; more in tests/claims_*.py (CLAIMS dicts)
    "fig02_kernels": _fig02,
    "fig05_lpf_passband": _fig05,
    "fig06_integrated_spectra": _fig06,
    "fig07_fsds_vs_ssim": _fig07,
    "fig08_lpf_cutoff_sweep": _fig08,
    "fig11_13_sampling": _fig11_13,
    "fig17_windows": _fig17,
    "fig18_zero_insertion": _fig18,
}
for _module in sorted(Path(__file__).parent.glob("claims_*.py")):
    _spec = importlib.util.spec_from_file_location(_module.stem, _module)
    _claims = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_claims)
    CLAIMS.update(_claims.CLAIMS)


def test_every_notebook_has_a_claim_check():
    missing = sorted({p.stem for p in NOTEBOOKS} - set(CLAIMS))
    assert not missing, f"notebooks without a claim check on their JSON: {missing}"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs(path, tmp_path, monkeypatch):
    import papermill as pm

    # the kernel inherits the environment: its caches go to tmp_path, never into the repository
    monkeypatch.setenv("LPF_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    pm.execute_notebook(
        str(path),
        str(tmp_path / path.name),
        parameters={"profile": "smoke", "out_dir": str(out)},
        kernel_name="python3",
        cwd=str(NOTEBOOK_DIR),
        progress_bar=False,
    )
    for suffix in (".png", ".pdf", ".json"):
        written = out / f"{path.stem}{suffix}"
        assert written.is_file() and written.stat().st_size > 0, f"{written.name} not written"
    data = json.loads((out / f"{path.stem}.json").read_text())
    assert data["profile"] == "smoke"
    CLAIMS[path.stem](data)
