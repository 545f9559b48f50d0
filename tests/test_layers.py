"""The architecture, enforced: layers import downward only, no cycles, imports at module top.

Every module of ``lpf`` is parsed with ``ast`` (nothing is imported), its ``lpf`` imports become
edges of a graph, and the test fails on

* an edge to a layer that the importing layer may not use (``ALLOWED`` below, the table of the
  README's ARCHITECTURE section),
* a cycle between modules (even inside one layer),
* an import inside a function, unless it names an optional heavy dependency listed in
  ``lpf/_optional.py`` (the one place that list lives).

Each check has a negative test on a small synthetic package, so that the checks can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "lpf"

#: layer -> the layers it may import (besides itself). "base": lpf's private modules
#: (_checks, _io, _paths, _optional, _version, _basicsr) and the package __init__ (lazy names only).
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "signal": {"base"},
    "metrics": {"base", "signal"},
    "data": {"base", "signal"},
    "analysis": {"base", "signal", "metrics"},
    "models": {"base", "signal", "data"},
    "train": {"base", "signal", "metrics", "data", "analysis", "models"},
    "evaluate": {"base", "signal", "metrics", "data", "analysis", "models"},
    "studies": {"base", "signal", "metrics", "data", "analysis", "models", "train", "evaluate"},
    "plot": {"base", "studies"},
    "report": {"base", "signal", "metrics", "data", "analysis", "models", "train", "evaluate",
               "studies", "plot"},
    "cli": {"base", "signal", "metrics", "data", "analysis", "models", "train", "evaluate",
            "studies", "plot", "report"},
}


def _optional() -> frozenset[str]:
    tree = ast.parse((ROOT / "_optional.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "OPTIONAL":
            call = node.value
            return frozenset(ast.literal_eval(call.args[0]))
    raise AssertionError("lpf/_optional.py defines no OPTIONAL")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1].startswith("_"):
        return "base"
    return parts[1]


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class _Imports(ast.NodeVisitor):
    """(imported module, line, inside a function?) for every import of a module."""

    def __init__(self, module: str, is_package: bool):
        self.module, self.is_package = module, is_package
        self.depth = 0
        self.found: list[tuple[str, int, bool]] = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function  # noqa: N815

    def visit_Import(self, node):  # noqa: N802
        for alias in node.names:
            self.found.append((alias.name, node.lineno, self.depth > 0))

    def visit_ImportFrom(self, node):  # noqa: N802
        target = _resolve(node, self.module, self.is_package)
        if target == "lpf" or (target.startswith("lpf.") and node.level == 0 and False):
            pass
        names = [f"{target}.{a.name}" for a in node.names] if target.startswith("lpf") else []
        self.found.append((target, node.lineno, self.depth > 0))
        # ``from lpf.x import y`` may name a submodule y: record it too when it is one
        for name in names:
            self.found.append((name, node.lineno, self.depth > 0))


def scan(root: Path) -> dict[str, list[tuple[str, int, bool]]]:
    """module -> its imports, for every .py file below ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        visitor = _Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        out[module] = visitor.found
    return out


def lpf_edges(imports: dict[str, list[tuple[str, int, bool]]], package: str = "lpf"):
    """(importer, imported module, line) for imports of modules that exist in the package."""
    known = set(imports)
    for module, found in imports.items():
        for target, line, _ in found:
            if target in known and target != module and target != package:
                yield module, target, line


def violations(root: Path, optional: frozenset[str]) -> list[str]:
    imports = scan(root)
    package = root.name
    problems = []
    for module, target, line in lpf_edges(imports, package):
        src, dst = layer_of(module), layer_of(target)
        if module == package and dst != "base":  # the package __init__ names things lazily
            problems.append(f"{module}:{line} imports {target} eagerly")
            continue
        if src != dst and dst not in ALLOWED.get(src, set()):
            problems.append(f"{module}:{line} ({src}) imports {target} ({dst}): upward or sideways")
    for module, found in imports.items():
        for target, line, inside in found:
            if not inside:
                continue
            root_name = target.split(".")[0]
            if root_name == package or target.startswith("."):
                problems.append(f"{module}:{line} imports {target} inside a function")
            elif root_name not in optional:
                problems.append(
                    f"{module}:{line} imports {target} inside a function; move it to the top, or "
                    f"list {root_name!r} in {package}/_optional.py if it is an optional heavy "
                    "dependency"
                )
    problems += [f"import cycle: {' -> '.join(c)}" for c in cycles(imports, package)]
    return problems


def cycles(imports, package: str = "lpf") -> list[list[str]]:
    graph: dict[str, set[str]] = {m: set() for m in imports}
    for module, target, _ in lpf_edges(imports, package):
        if module != package:
            # importing a package runs its __init__: an edge to the package counts
            graph[module].add(target)
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_lpf_layers_import_downward_only_without_cycles():
    problems = violations(ROOT, _optional())
    assert not problems, "\n".join(problems)


def test_every_module_is_in_a_known_layer():
    unknown = sorted({layer_of(m) for m in scan(ROOT)} - set(ALLOWED))
    assert not unknown, (
        f"modules outside the layer table (add them to ALLOWED and the README): {unknown}"
    )


# ----------------------------------------------------------------------------- negative tests


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "lpf"
    for name, text in {"__init__.py": "", "_optional.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_an_upward_import_is_caught(tmp_path):
    root = _package(tmp_path, {
        "signal/__init__.py": "",
        "signal/spectra.py": "from lpf.analysis import impulse\n",
        "analysis/__init__.py": "",
        "analysis/impulse.py": "x = 1\n",
    })
    problems = violations(root, frozenset())
    assert any("upward" in p and "lpf.signal.spectra" in p for p in problems), problems


def test_a_cycle_inside_a_layer_is_caught(tmp_path):
    root = _package(tmp_path, {
        "models/__init__.py": "",
        "models/a.py": "from lpf.models import b\n",
        "models/b.py": "from lpf.models.a import x\n",
    })
    problems = violations(root, frozenset())
    assert any(p.startswith("import cycle") for p in problems), problems


def test_function_level_imports_are_caught_unless_optional(tmp_path):
    root = _package(tmp_path, {
        "data/__init__.py": "",
        "data/io.py": "def f():\n    import json\n    import PIL\n    from lpf.data import g\n",
    })
    problems = violations(root, frozenset({"PIL"}))
    assert any("json" in p for p in problems), problems
    assert not any("PIL" in p for p in problems), problems
    assert any("lpf.data inside a function" in p for p in problems), problems


@pytest.mark.parametrize("module, layer", [
    ("lpf", "base"), ("lpf._io", "base"), ("lpf.signal.spectra", "signal"),
    ("lpf.evaluate", "evaluate"), ("lpf.models.archs.rdn", "models"),
])
def test_layer_of(module, layer):
    assert layer_of(module) == layer
