"""The figure notebooks: the thin-notebook rules, and every notebook run in the smoke profile.

``test_notebooks_are_thin`` enforces the rules of STYLE.md (points 11-14) and issue 11 (rule 5)
with nbformat and ast: one ``parameters`` cell of literals, the core keys, no parameter marked
unused, no functions or classes, no magics, only ``lpf``/numpy/matplotlib imports, at most
``MAX_CODE_LINES`` code lines outside the parameters cell, no loop over results (the one loop
allowed prints the claim verdicts), no registry lookups, outputs stripped.

``test_notebook_runs`` executes each notebook with papermill (profile ``smoke``, output into a
temporary folder), checks that it wrote its PNG, PDF and JSON, that every claim of
:mod:`lpf.studies.claims` passes on that JSON, and that the JSON still holds every number of the
notebook's JSON before the layered redesign (``tests/data/smoke_baseline``), except the keys its
study lists in ``BASELINE_CHANGES`` with the reason.
"""

from __future__ import annotations

import ast
import importlib
import json
import math
from pathlib import Path

import nbformat
import pytest
from _notebooks import run_notebook

from lpf._paths import shared_dir

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
PATTERNS = ("fig*.ipynb", "table*.ipynb", "ext*.ipynb")
NOTEBOOKS = sorted(p for pattern in PATTERNS for p in NOTEBOOK_DIR.glob(pattern))
REQUIRED = {"out_dir", "profile", "seed", "device"}
ALLOWED_IMPORTS = {"lpf", "numpy", "matplotlib"}
BASELINE = Path(__file__).resolve().parent / "data" / "smoke_baseline"
MAX_CODE_LINES = 40
#: the one loop a notebook may hold: printing the verdicts of its claims
ALLOWED_LOOP = "lpf.studies.claims.check("


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
        any(w in nb.cells[0].source for w in ("Figure", "Table", "Extension", "Beyond the paper"))
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
            assert "unused" not in line.split("#", 1)[1].lower(), f"unused parameter: {line!r}"
            assert line.count("=") == 1, f"papermill cannot parse a help text with '=': {line!r}"

    problems = thinness_problems([c.source for c in code[1:]])
    assert not problems, "\n".join(problems)
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


def thinness_problems(sources: list[str]) -> list[str]:
    """Why the code cells after the parameters cell are not thin (empty list: they are)."""
    problems = []
    lines = [ln for s in sources for ln in s.splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) > MAX_CODE_LINES:
        problems.append(f"{len(lines)} code lines outside the parameters cell "
                        f"(at most {MAX_CODE_LINES}): move the computation into lpf.studies")
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.For | ast.While | ast.ListComp | ast.DictComp | ast.SetComp
                          | ast.GeneratorExp):
                text = ast.unparse(node)
                if not (isinstance(node, ast.For) and ALLOWED_LOOP in ast.unparse(node.iter)):
                    problems.append(
                        f"a loop over results in the notebook: {text[:70]!r}"
                    )
        if "MODELS[" in source:
            problems.append(
                "the notebook indexes the registry (MODELS[...]): use lpf.models.resolve"
            )
    return problems


def test_thinness_check_can_fail():
    fat = ["import lpf", "rows = [r for r in range(3)]", "for r in rows:\n    print(r)",
           "x = lpf.zoo.MODELS['edsr'].offline", "\n".join(f"a{i} = {i}" for i in range(45))]
    problems = thinness_problems(fat)
    assert any("loop" in p for p in problems) and any("MODELS" in p for p in problems)
    assert any("code lines" in p for p in problems)
    thin = ["import lpf", "for v in lpf.studies.claims.check('x', r):\n    print(v)"]
    assert thinness_problems(thin) == []


# ----------------------------------------------------------------------------- claims and baseline


def _close(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6) or (a != a and b != b)
    return a == b


def baseline_differences(before, after, changes=(), path="") -> list[str]:
    """Where ``after`` loses or changes a value of ``before``, outside ``changes``.

    Values are named by dotted paths, in ``changes`` and in the result.
    """
    if any(path == c or path.startswith(c + ".") for c in changes):
        return []
    if isinstance(before, dict):
        if not isinstance(after, dict):
            return [f"{path or '<root>'}: was an object, now {type(after).__name__}"]
        out = []
        for key, value in before.items():
            sub = f"{path}.{key}" if path else str(key)
            if any(sub == c or sub.startswith(c + ".") for c in changes):
                continue
            if key not in after:
                out.append(f"{sub}: missing")
            else:
                out += baseline_differences(value, after[key], changes, sub)
        return out
    if isinstance(before, list):
        if not isinstance(after, list) or len(after) != len(before):
            return [f"{path}: list changed length or type"]
        return [d for i, (x, y) in enumerate(zip(before, after, strict=True))
                for d in baseline_differences(x, y, changes, f"{path}.{i}")]
    return [] if _close(before, after) else [f"{path}: {before!r} -> {after!r}"]


def test_baseline_comparison_can_fail():
    before = {"a": {"b": 1.0, "c": [1, 2]}, "d": "x"}
    assert baseline_differences(before, {"a": {"b": 1.0, "c": [1, 2]}, "d": "x", "new": 3}) == []
    diffs = baseline_differences(before, {"a": {"b": 1.1, "c": [1]}, "d": "x"})
    assert diffs == ["a.b: 1.0 -> 1.1", "a.c: list changed length or type"]
    assert baseline_differences(before, {"d": "x"}, changes={"a": "why"}) == []


def _study(stem: str):
    return importlib.import_module(f"lpf.studies.{stem}")


def test_every_notebook_has_a_study_and_a_claim_check():
    from lpf.studies.claims import CLAIMS

    missing = sorted({p.stem for p in NOTEBOOKS} - set(CLAIMS))
    assert not missing, f"notebooks without a claim check in lpf.studies.claims: {missing}"
    for path in NOTEBOOKS:
        assert hasattr(_study(path.stem), "compute"), f"lpf.studies.{path.stem} has no compute()"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs(path, tmp_path, notebook_kernel):
    from lpf.studies.claims import check, failed

    # caches go to tmp_path, never into the repository (the kernel is the worker's shared one)
    _, data = run_notebook(path.stem, tmp_path, notebook_kernel)
    assert data["profile"] == "smoke"
    verdicts = check(path.stem, data)
    assert verdicts, f"{path.stem}: the claim check returned no verdict"
    assert not failed(verdicts), "\n".join(str(v) for v in failed(verdicts))
    baseline = BASELINE / f"{path.stem}.json"
    if baseline.is_file():
        changes = dict(getattr(_study(path.stem), "BASELINE_CHANGES", {}))
        if shared_dir() is None:  # the baseline was recorded with ../shared beside the repo
            changes.update(getattr(_study(path.stem), "NEEDS_SHARED", {}))
        diffs = baseline_differences(json.loads(baseline.read_text()), data, changes)
        assert not diffs, f"{path.stem}: numbers changed by the redesign:\n" + "\n".join(diffs[:30])


def _tiny_notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def test_the_shared_kernel_clears_what_the_previous_notebook_left(tmp_path, notebook_kernel,
                                                                   monkeypatch):
    import _notebooks
    from papermill.exceptions import PapermillExecutionError

    leak = _tiny_notebook(tmp_path / "leak.ipynb", "left_behind = 42")
    check = _tiny_notebook(tmp_path / "check.ipynb",
                           "assert 'left_behind' not in dir(), 'the namespace was not cleared'",
                           f"import os; assert os.environ['LPF_CACHE_DIR'] == {str(tmp_path)!r}")
    for nb in (leak, check):
        notebook_kernel.execute(nb, tmp_path / f"out-{nb.name}", {}, cache=tmp_path)
    # without the prelude's reset the second notebook sees the first one's variable
    monkeypatch.setattr(_notebooks, "PRELUDE", "import os; os.environ['LPF_CACHE_DIR'] = {cache!r}")
    notebook_kernel.execute(leak, tmp_path / "out2-leak.ipynb", {}, cache=tmp_path)
    with pytest.raises(PapermillExecutionError, match="the namespace was not cleared"):
        notebook_kernel.execute(check, tmp_path / "out2-check.ipynb", {}, cache=tmp_path)
