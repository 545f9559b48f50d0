"""A small stand-in for the outputs of ``make figures``, for the report tests (seconds, not hours).

Each notebook's JSON is the recorded smoke-profile JSON of ``tests/data/smoke_baseline`` (the
claim checks read them as they read the real ones), each figure a tiny generated PNG, and two
notebooks get an "executed" copy with outputs (a printed verdict and an embedded image), as
papermill would leave them. ``ext02`` has no baseline JSON: its row shows "not built".
"""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import nbformat
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BASELINE = ROOT / "tests" / "data" / "smoke_baseline"
EXECUTED = ("fig02_kernels", "fig09_impulse_responses")


def _png(seed: int, size=(96, 64)) -> bytes:
    img = Image.new("RGB", size, (40 + 9 * seed % 200, 120, 200 - 7 * seed % 150))
    for x in range(size[0]):
        img.putpixel((x, (x * (seed + 1)) % size[1]), (0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _executed_copy(stem: str, out: Path, png: bytes) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = code[0]
    injected = nbformat.v4.new_code_cell('profile = "smoke"\nout_dir = "/tmp/figs"\n')
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(nb.cells.index(params) + 1, injected)
    last = code[-1]
    last.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="[PASS] fixture verdict\n"),
        nbformat.v4.new_output("display_data", data={
            "image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"}),
    ]
    last.execution_count = 1
    nb.metadata["papermill"] = {"duration": 1.5, "exception": None,
                                "start_time": "2024-01-01T00:00:00", "end_time": None}
    nbformat.write(nb, out / f"{stem}.ipynb")


def make_outputs(folder: Path) -> tuple[Path, Path]:
    """``(figures_dir, executed_dir)`` filled as described in the module docstring."""
    figures, executed = folder / "figures", folder / "executed"
    figures.mkdir(parents=True)
    executed.mkdir(parents=True)
    for i, path in enumerate(sorted(BASELINE.glob("*.json"))):
        shutil.copy(path, figures / path.name)
        (figures / f"{path.stem}.png").write_bytes(_png(i))
        if path.stem in EXECUTED:
            _executed_copy(path.stem, executed, _png(i))
    return figures, executed


def build_fixture_site(folder: Path) -> Path:
    """The report site of :func:`make_outputs` in ``folder/site``; returns its path."""
    from lpf.report import build_site

    figures, executed = make_outputs(folder)
    site = folder / "site"
    build_site(site, figures_dir=figures, executed_dir=executed, notebooks_dir=NOTEBOOKS,
               warn=lambda m: None)
    return site
