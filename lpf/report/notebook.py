"""Notebooks for the report: rendered to HTML offline (nbconvert), parameters and caption read.

:func:`notebook_page` renders a notebook (the executed one of ``build/notebooks`` when it exists)
with nbconvert's JupyterLab template, stripped of everything that would load from the network:
require.js, MathJax and mermaid come from a CDN in the stock template and are left out (the kit's
notebooks use neither widgets nor diagrams; formulas show as their TeX source), and the lab style
sheet is written once as a local file (:func:`notebook_css`) instead of being inlined in every
page. Images in the outputs are embedded (data URIs), as nbconvert does.

:func:`parameters` reads the ``parameters`` cell (name, value, help comment) and the values
papermill injected; :func:`caption_html` renders the first Markdown cell (the figure's caption and
claim).
"""

from __future__ import annotations

import ast
import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

__all__ = ["Parameter", "caption_html", "executed_info", "notebook_css", "notebook_page",
           "parameters"]

#: the nbconvert template: JupyterLab's, without any network resource
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}<link rel="icon" href="data:,">{%- endblock extra_css -%}
{%- block notebook_css -%}
<link rel="stylesheet" href="{{ resources.lpf_css }}">
{%- endblock notebook_css -%}
{%- block body_header -%}
{{ super() }}
<p style="padding: .5em 1em; margin: 0; font: 14px system-ui, sans-serif">
<a href="{{ resources.lpf_back }}">&larr; back to the figure page</a> &middot;
{{ resources.lpf_note }}</p>
{%- endblock body_header -%}
"""
_TEMPLATE_NAME = "lpf_offline.html.j2"
#: the part of the lab template's own <style> that matters once the CSS is a file
_EXTRA_CSS = """
a.anchor-link { display: none; }
.jp-InputArea { overflow: hidden; }
.jp-Collapser { display: none; }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
"""


def _read_notebook(path: str | os.PathLike[str]) -> Any:
    """The notebook at ``path``, as nbformat v4.

    nbformat is imported here: its schema validator costs about a second at import, which the
    ``lpf`` command's start-up does not pay.
    """
    import nbformat

    return nbformat.read(path, as_version=4)


def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", template_file=_TEMPLATE_NAME,
                        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})])


def notebook_css() -> str:
    """The JupyterLab notebook style sheet (light theme) of the installed nbconvert.

    Raises:
        FileNotFoundError: nbconvert's ``lab`` template has no ``static/index.css``.
    """
    for folder in _exporter().template_paths:
        index = Path(folder) / "static" / "index.css"
        if index.is_file():
            light = index.with_name("theme-light.css")
            theme = light.read_text(encoding="utf-8") if light.is_file() else ""
            return index.read_text(encoding="utf-8") + "\n" + theme + _EXTRA_CSS
    raise FileNotFoundError("nbconvert's lab template has no static/index.css (looked in its "
                            "template paths); reinstall nbconvert")


def notebook_page(path: str | os.PathLike, *, css_href: str, back_href: str, note: str) -> str:
    """The notebook at ``path`` as a standalone HTML page with no network resource.

    Args:
        path: an ``.ipynb`` file (executed or not).
        css_href: the link to the style sheet written from :func:`notebook_css`.
        back_href: the link back to the figure's page.
        note: one line shown at the top (escaped), e.g. where the notebook was executed.
    """
    nb = _read_notebook(path)
    resources = {"lpf_css": css_href, "lpf_back": back_href, "lpf_note": html.escape(note),
                 "metadata": {"name": Path(path).stem}}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter.

    Attributes:
        name: the variable.
        default: the value in the notebook (Python literal text).
        value: the value it ran with (papermill's injected value, else the default).
        help: its help comment.
    """

    name: str
    default: str
    value: str
    help: str

    @property
    def injected(self) -> bool:
        """Whether papermill set a value other than the default."""
        return self.value != self.default


def _assignments(source: str) -> dict[str, tuple[str, str]]:
    """The ``name = literal`` lines of a cell: name -> (value text, trailing comment)."""
    lines = source.splitlines()
    out = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            continue
        value = ast.get_source_segment(source, node.value) or ""
        rest = lines[node.end_lineno - 1][node.end_col_offset:]
        comment = rest.split("#", 1)[1].strip() if "#" in rest else ""
        out[node.targets[0].id] = (value, comment)
    return out


def parameters(path: str | os.PathLike) -> list[Parameter]:
    """The parameters of a notebook: its ``parameters`` cell, with papermill's injected values.

    Examples:
        >>> from lpf._paths import repo_root
        >>> ps = parameters(repo_root() / "notebooks" / "fig02_kernels.ipynb")
        >>> [p.name for p in ps][:2]
        ['out_dir', 'profile']
    """
    nb = _read_notebook(path)
    defaults: dict[str, tuple[str, str]] = {}
    injected: dict[str, tuple[str, str]] = {}
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "code":
            continue
        if "parameters" in tags:
            defaults = _assignments(cell.source)
        elif "injected-parameters" in tags:
            injected = _assignments(cell.source)
    out = [Parameter(n, v, injected.get(n, (v, ""))[0], c) for n, (v, c) in defaults.items()]
    out += [Parameter(n, "", v, "(injected by papermill)") for n, (v, _) in injected.items()
            if n not in defaults]
    return out


def caption_html(path: str | os.PathLike) -> str:
    """The first Markdown cell of a notebook (title, paper caption, claim) as HTML."""
    from nbconvert.filters import markdown2html

    nb = _read_notebook(path)
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    return markdown2html(first.source) if first is not None else ""


def executed_info(path: str | os.PathLike) -> dict[str, Any]:
    """What papermill recorded about an executed notebook: start/end time, duration, exception."""
    nb = _read_notebook(path)
    meta = nb.metadata.get("papermill", {})
    return {k: meta.get(k) for k in ("start_time", "end_time", "duration", "exception")}
