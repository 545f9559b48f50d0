"""The report (``lpf report``, ``make report``) and the README's figure index, without a browser.

The site is built from a small stand-in for ``make figures`` (``tests/_report_site.py``: the
recorded smoke JSONs, tiny PNGs, two "executed" notebooks). The browser checks are in
``tests/test_report_browser.py``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from _report_site import BASELINE, EXECUTED, NOTEBOOKS, ROOT, make_outputs

from lpf.cli import main
from lpf.models import list_models
from lpf.report import (
    FigureIndexError,
    build_site,
    figure_status,
    load_figures,
    notebook_stems,
    readme_block,
    readme_problems,
    site_problems,
    update_readme,
    verdict_status,
)
from lpf.report import site as site_module
from lpf.report.html import md_inline
from lpf.report.index import README_END, README_START, readme_block_of
from lpf.report.status import networks_of
from lpf.studies.claims import check, verdict

README = ROOT / "README.md"


# ----------------------------------------------------------------------------- the figure index


def test_readme_figure_index_is_generated_from_the_index_file():
    problems = readme_problems(README.read_text(encoding="utf-8"), load_figures())
    assert not problems, ("README's figure index differs from lpf/studies/figures.json; run "
                          "`make readme`:\n" + "\n".join(problems))


def test_a_readme_that_drifted_is_caught_and_rewritten(tmp_path):
    entries = load_figures()
    text = README.read_text(encoding="utf-8")
    old_row = next(ln for ln in readme_block_of(text).splitlines() if "`fig09_" in ln)
    drifted = text.replace(old_row, old_row.replace(" | ", " | edited by hand ", 1))
    assert drifted != text
    problems = readme_problems(drifted, entries)
    assert len(problems) == 1 and "edited by hand" in problems[0]
    # a missing row is caught too
    assert readme_problems(text.replace(old_row + "\n", ""), entries)

    copy = tmp_path / "README.md"
    copy.write_text(drifted, encoding="utf-8")
    assert main(["report", "--readme", str(copy)]) == 0
    fixed = copy.read_text(encoding="utf-8")
    assert readme_problems(fixed, entries) == []
    # only the block changed
    assert fixed.split(README_START)[0] == drifted.split(README_START)[0]
    assert fixed.split(README_END)[1] == drifted.split(README_END)[1]
    assert update_readme(copy, entries) is False  # already up to date


def test_the_index_names_every_notebook_once():
    stems = [e.stem for e in load_figures()]
    assert sorted(stems) == notebook_stems(NOTEBOOKS), (
        "every figure notebook needs one entry in lpf/studies/figures.json (and no other)")


def test_readme_block_renders_each_field_in_its_column():
    e = load_figures()[0]
    row = readme_block([e]).splitlines()[2]
    assert row == f"| {e.label} | {e.shows} | `{e.stem}` | {e.parameters} | {e.finding} |"


@pytest.mark.parametrize("change, words", [
    (lambda d: d["figures"][0].pop("finding"), "missing ['finding']"),
    (lambda d: d["figures"][0].update(finding="a | b"), "'finding' must be one line"),
    (lambda d: d["figures"][1].update(stem=d["figures"][0]["stem"]), "unique notebook name"),
    (lambda d: d["figures"][0].update(extra="x"), "unknown ['extra']"),
    (lambda d: d.update(format="v0"), "format"),
    (lambda d: d["figures"][0].update(label=""), "'label' must be a non-empty string"),
])
def test_a_malformed_index_file_is_refused(tmp_path, change, words):
    doc = json.loads((ROOT / "lpf" / "studies" / "figures.json").read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(FigureIndexError, match=re.escape(words)):
        load_figures(path)


def test_readme_markers_must_be_there_once():
    with pytest.raises(FigureIndexError, match="expected one"):
        readme_block_of("no markers here")
    with pytest.raises(FigureIndexError, match="found 2 and 1"):
        readme_block_of(f"{README_START}\n{README_START}\n{README_END}")


def test_inline_markdown_is_escaped():
    assert md_inline("<script>x</script> `<b>`") == (
        "&lt;script&gt;x&lt;/script&gt; <code>&lt;b&gt;</code>")


# ----------------------------------------------------------------------------- verdicts


def _v(passed, measured=1.0):
    return verdict("c", passed, measured, "> 0")


@pytest.mark.parametrize("verdicts, expected", [
    ([_v(True), _v(True)], "holds"),
    ([_v(True), _v(False)], "partly"),
    ([_v(False), _v(False)], "does not hold"),
    ([_v(False, "not measured (no DIV2K)")], "not computable offline"),
    ([_v(False, None), _v(False, {})], "not computable offline"),
    ([_v(True), _v(False, "not measured")], "partly"),
    ([_v(False), _v(False, "not measured")], "does not hold"),
    ([], "not computable offline"),
])
def test_figure_status_truth_table(verdicts, expected):
    assert figure_status(verdicts) == expected


def test_verdict_status_reads_a_failed_measurement_as_not_holding():
    assert verdict_status(_v(False, 0.0)) == "does not hold"  # 0 was measured
    assert verdict_status(_v(False, "nan")) == "does not hold"  # a string that says nothing
    assert verdict_status(_v(False, "not available offline")) == "not computable offline"


def test_networks_are_classified_from_the_registry():
    nets = {n.name: n.kind for n in networks_of({
        "models": {"edsr-liif": {}, "rdn-kit": {}, "carn-m": {}, "bicubic-matlab": {}},
        "model": "my/checkpoint.pth", "results": {"x2": {}, "sinc-lpf": {}},
        "not_available": ["esrgan", "rdn-kit"]})}
    assert nets == {"my/checkpoint.pth": "other", "edsr-liif": "paper", "rdn-kit": "kit",
                    "carn-m": "published", "bicubic-matlab": "analytic", "sinc-lpf": "analytic",
                    "esrgan": "missing"}


# ----------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture site, built through the command line (``lpf report``)."""
    folder = tmp_path_factory.mktemp("report")
    figures, executed = make_outputs(folder)
    site = folder / "site"
    code = main(["report", "--figures", str(figures), "--executed", str(executed),
                 "--notebooks", str(NOTEBOOKS), "--out", str(site)])
    assert code == 0
    return site, figures


def _expected_status(stem: str) -> str:
    """The figure's verdict from the passed flags alone (independent of the report's code)."""
    path = BASELINE / f"{stem}.json"
    if not path.is_file():
        return "not built"
    passed = [v.passed for v in check(stem, json.loads(path.read_text()))]
    return "holds" if all(passed) else "does not hold" if not any(passed) else "partly"


def test_the_dashboard_has_a_row_with_the_checked_verdict_for_every_notebook(built):
    site, _ = built
    html = (site / "index.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tbody id="row-[^"]+" data-stem="([^"]+)" data-verdict="([^"]+)"',
                           html))
    stems = notebook_stems(NOTEBOOKS)
    assert sorted(rows) == stems
    assert {s: rows[s] for s in stems} == {s: _expected_status(s) for s in stems}
    # the fixture has every kind of row the real site needs
    assert {"holds", "partly", "does not hold", "not built"} <= set(rows.values())


def test_the_site_passes_its_static_checks_and_loads_nothing_from_the_network(built):
    site, _ = built
    assert site_problems(site, notebook_stems(NOTEBOOKS)) == []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        for word in ("cdnjs", "mathjax", "require.js", "mermaid", "unpkg", "googleapis"):
            assert word not in text, f"{page.name} mentions {word}"
    assert not list(site.parent.glob(".site.*")), "the temporary build folder was left behind"


def test_a_figure_page_shows_figure_claims_parameters_numbers_and_notebook(built):
    site, figures = built
    stem = "fig09_impulse_responses"
    page = (site / "fig" / f"{stem}.html").read_text(encoding="utf-8")
    assert f'src="../files/{stem}.png"' in page
    assert "Paper caption" in page  # the notebook's first cell
    data = json.loads((figures / f"{stem}.json").read_text())
    for v in check(stem, data):
        assert v.claim.replace("'", "&#x27;") in page
    # papermill's injected value, with the default beside it
    assert re.search(r"<code>profile</code></td><td><code>&quot;smoke&quot;</code> "
                     r'<span class="muted">\(default <code>&quot;full&quot;</code>', page)
    for key in data:  # every top-level key of the JSON is shown
        assert f"<code>{key}</code>" in page
    assert f'src="../nb/{stem}.html"' in page
    nb = (site / "nb" / f"{stem}.html").read_text(encoding="utf-8")
    assert "[PASS] fixture verdict" in nb and "data:image/png;base64," in nb
    assert (site / "files" / f"{stem}.png").read_bytes() == (figures / f"{stem}.png").read_bytes()
    # a notebook that was not executed is rendered as committed, and says so
    assert "not executed yet" in (site / "nb" / "fig04_hyra.html").read_text(encoding="utf-8")
    assert EXECUTED[0] != "fig04_hyra"


def test_tables_page_has_every_mean_of_table1_and_tables_4_5(built):
    site, figures = built
    html = (site / "tables.html").read_text(encoding="utf-8")
    for stem in ("table1_metrics", "table4_5_l1_l2"):
        means = json.loads((figures / f"{stem}.json").read_text())["means"]
        blocks = means.values() if all(isinstance(v, dict) and all("@" in k for k in v)
                                       for v in means.values()) else [means]
        for block in blocks:
            for key, row in block.items():
                model, scale = key.split("@")
                assert f"<code>{model}</code></td><td>{scale}</td>" in html, key
                for value in row.values():
                    if isinstance(value, float):
                        assert f'<span class="num">{value:.4g}</span>' in html


def test_models_page_lists_the_whole_registry(built):
    site, _ = built
    html = (site / "models.html").read_text(encoding="utf-8")
    for name in list_models():
        assert f'<code id="{name}">{name}</code>' in html


def test_dashboard_says_which_networks_were_stand_ins(built):
    site, _ = built
    html = (site / "index.html").read_text(encoding="utf-8")
    group = html.split('data-stem="fig10_gan_exceptions"')[1].split("</tbody>")[0]
    assert re.search(r'class="kind-kit"[^>]*><code>edsr-kit-gan</code>: kit-trained stand-in',
                     group)
    assert re.search(r'class="kind-missing"[^>]*><code>esrgan</code>: not on this machine', group)
    group = html.split('data-stem="fig04_hyra"')[1].split("</tbody>")[0]
    assert re.search(r'class="kind-paper"[^>]*><code>edsr-liif</code>: the paper', group)


def _break(site: Path, how: str) -> None:
    index = site / "index.html"
    text = index.read_text(encoding="utf-8")
    if how == "missing row":
        start = text.index('<tbody id="row-fig04_hyra"')
        text = text[:start] + text[text.index("</tbody>", start) + len("</tbody>"):]
    elif how == "broken link":
        text = text.replace("</main>", '<a href="fig/no_such_figure.html">x</a></main>')
    elif how == "missing image":
        (site / "thumbs" / "fig02_kernels.png").unlink()
    elif how == "network resource":
        text = text.replace("</head>", '<script src="https://cdn.example/x.js"></script></head>')
    elif how == "missing anchor":
        text = text.replace("</main>", '<a href="models.html#no-such-model">x</a></main>')
    index.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("how, words", [
    ("missing row", "no dashboard row for notebook 'fig04_hyra'"),
    ("broken link", "no_such_figure.html does not exist"),
    ("missing image", "fig02_kernels.png does not exist"),
    ("network resource", "loads from the network"),
    ("missing anchor", "no element with that id"),
])
def test_static_check_fails_on_a_broken_site(built, tmp_path, how, words):
    site = tmp_path / "site"
    shutil.copytree(built[0], site)
    _break(site, how)
    problems = site_problems(site, notebook_stems(NOTEBOOKS))
    assert any(words in p for p in problems), problems


def test_a_failed_build_keeps_the_old_site(built, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(built[0], site)
    before = (site / "index.html").read_text(encoding="utf-8")

    def broken(tmp, reports, sources):
        (tmp / "index.html").write_text("half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(site_module, "_render", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_site(site, figures_dir=built[1], executed_dir=tmp_path / "none",
                   notebooks_dir=NOTEBOOKS, warn=lambda m: None)
    assert (site / "index.html").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_site_that_fails_its_check_is_not_installed(built, tmp_path, monkeypatch):
    site = tmp_path / "site"
    original = site_module._index_page
    monkeypatch.setattr(site_module, "_index_page",
                        lambda reports: original(reports).replace('data-stem="fig04_hyra"', ""))
    with pytest.raises(site_module.SiteError, match="no dashboard row for notebook 'fig04_hyra'"):
        build_site(site, figures_dir=built[1], executed_dir=tmp_path / "none",
                   notebooks_dir=NOTEBOOKS, warn=lambda m: None)
    assert not site.exists() and not list(tmp_path.iterdir())


def test_report_without_notebooks_says_so(tmp_path, capsys):
    assert main(["report", "--notebooks", str(tmp_path), "--out", str(tmp_path / "s")]) == 2
    assert "no figure notebooks" in capsys.readouterr().err
