"""The report in a real browser: headless Chromium (Debian's ``chromium`` + ``chromium-driver``).

Every page of the site is opened from a local ``http.server`` on 127.0.0.1 (an ephemeral port);
the check fails on a console error (a ``SEVERE`` browser log entry: a script error, a resource
that did not load), a local link, image, style sheet, script or frame that does not answer 200,
a resource loaded from the network, an image that did not decode (``naturalWidth == 0``), or a
dashboard row missing for a notebook of ``notebooks/``.

* ``make test`` checks a site built from a small stand-in for ``make figures``
  (``tests/_report_site.py``), and the negative tests break a copy of it in each way;
* ``make test-report`` sets ``LPF_REPORT_SITE=build/site`` and also checks the real site, saving
  screenshots of the dashboard and two figure pages into ``build/site-screenshots/``.

Without chromium, chromedriver or selenium the tests skip, saying what is missing (``make test``
installs the two Debian packages with apt when it runs as root).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _report_site import NOTEBOOKS, ROOT, build_fixture_site

from lpf.report import notebook_stems

SCREENSHOTS = ROOT / "build" / "site-screenshots"
#: the figure pages photographed (the first two of these that the site has)
SCREENSHOT_PAGES = ("fig09_impulse_responses", "table1_metrics", "fig04_hyra")
_RESOURCES_JS = """
var sel = 'a[href], img[src], link[href], script[src], iframe[src], source[src]';
return Array.from(document.querySelectorAll(sel)).map(function (e) {
  return [e.tagName.toLowerCase(), e.href || e.src, e.getAttribute('href') ||
          e.getAttribute('src')];
});"""
_IMAGES_JS = """
return Array.from(document.images).map(function (img) {
  return [img.getAttribute('src'), img.complete, img.naturalWidth];
});"""


def _binaries() -> tuple[str, str]:
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                     if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    missing = [name for name, path in (("chromium", chromium), ("chromedriver", driver))
               if path is None]
    if missing:
        pytest.skip(f"no headless browser: {' and '.join(missing)} not on PATH (Debian: "
                    "apt-get install chromium chromium-driver; `make test` does it as root)")
    return chromium, driver


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium driven by selenium, with the browser console log recorded."""
    chromium, driver_path = _binaries()
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                    "(pip install -r requirements.lock)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--hide-scrollbars", "--no-first-run",
                "--disable-extensions", "--disable-background-networking"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@contextlib.contextmanager
def serve(folder: Path):
    """An HTTP server for ``folder`` on 127.0.0.1 (ephemeral port); yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _status(url: str, cache: dict[str, int | str]) -> int | str:
    if url not in cache:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                cache[url] = response.status
        except urllib.error.HTTPError as err:
            cache[url] = err.code
        except OSError as err:
            cache[url] = f"{type(err).__name__}: {err}"
    return cache[url]


def _screenshot(driver, path: Path) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, max(600, min(int(height), 7000)))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1000)


def browser_problems(driver, site: Path, stems: list[str],
                     screenshots: Path | None = None) -> list[str]:
    """Open every page of ``site`` in ``driver``; return what is wrong (see the module docstring).

    With ``screenshots``, save ``index.png`` and two figure pages there.
    """
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert "index.html" in pages, f"{site} has no index.html"
    problems: list[str] = []
    cache: dict[str, int | str] = {}
    shots = [f"fig/{s}.html" for s in SCREENSHOT_PAGES if f"fig/{s}.html" in pages][:2]
    with serve(site) as base:
        driver.get_log("browser")  # drop anything logged before
        for name in pages:
            driver.get(base + name)
            driver.execute_script("return document.readyState")  # get() waits for 'load'
            for entry in driver.get_log("browser"):
                if entry.get("level") == "SEVERE":
                    problems.append(f"{name}: console error: {entry.get('message')}")
            for tag, url, raw in driver.execute_script(_RESOURCES_JS):
                parts = urlsplit(url or "")
                if parts.scheme in ("data", "mailto", "javascript", "about") or not url:
                    continue
                if not url.startswith(base):
                    if tag != "a":
                        problems.append(f"{name}: <{tag}> loads {raw!r} from the network")
                    continue
                status = _status(url.split("#")[0], cache)
                if status != 200:
                    problems.append(f"{name}: <{tag}> {raw!r} -> {status}")
            for src, complete, width in driver.execute_script(_IMAGES_JS):
                if not complete or not width:
                    problems.append(f"{name}: image {src!r} not loaded (naturalWidth {width})")
            if name == "index.html":
                rows = driver.execute_script(
                    "return Array.from(document.querySelectorAll('tbody[data-stem]'))"
                    ".filter(function (t) { return t.offsetHeight > 0; })"
                    ".map(function (t) { return t.dataset.stem; });")
                problems += [f"index.html: no dashboard row for notebook {s!r}" for s in stems
                             if s not in rows]
            if screenshots is not None and (name == "index.html" or name in shots):
                _screenshot(driver, screenshots / (Path(name).stem + ".png"))
    return problems


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("report_browser"))


def test_fixture_site_passes_in_the_browser(browser, fixture_site, tmp_path):
    problems = browser_problems(browser, fixture_site, notebook_stems(NOTEBOOKS),
                                screenshots=tmp_path)
    assert not problems, "\n".join(problems)
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    assert shots == ["fig09_impulse_responses.png", "index.png", "table1_metrics.png"]
    assert all((tmp_path / s).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for s in shots)


def _break(site: Path, how: str) -> None:
    index = site / "index.html"
    text = index.read_text(encoding="utf-8")
    if how == "console error":
        text = text.replace("</main>", "<script>undefinedFunction();</script></main>")
    elif how == "broken image":  # the file exists, but it is not an image
        (site / "thumbs" / "fig02_kernels.png").write_bytes(b"not a png")
    elif how == "missing row":
        start = text.index('<tbody id="row-fig04_hyra"')
        text = text[:start] + text[text.index("</tbody>", start) + len("</tbody>"):]
    elif how == "hidden row":
        text = text.replace('<tbody id="row-fig04_hyra"', '<tbody style="display:none" '
                            'id="row-fig04_hyra"')
    elif how == "broken link":
        text = text.replace("</main>", '<a href="fig/no_such_figure.html">x</a></main>')
    elif how == "network resource":
        text = text.replace("</main>", '<img src="http://192.0.2.1/x.png" alt=""></main>')
    index.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("how, words", [
    ("console error", "console error"),
    ("broken image", "fig02_kernels.png' not loaded"),
    ("missing row", "no dashboard row for notebook 'fig04_hyra'"),
    ("hidden row", "no dashboard row for notebook 'fig04_hyra'"),
    ("broken link", "'fig/no_such_figure.html' -> 404"),
    ("network resource", "from the network"),
])
def test_the_browser_check_fails_on_a_broken_site(browser, fixture_site, tmp_path, how, words):
    site = tmp_path / "site"
    shutil.copytree(fixture_site, site)
    _break(site, how)
    # only the dashboard changed: check it alone (every page was checked above)
    for page in site.rglob("*.html"):
        if page.name != "index.html":
            page.unlink()
    problems = browser_problems(browser, site, notebook_stems(NOTEBOOKS))
    assert any(words in p for p in problems), problems


def test_the_built_report_passes_in_the_browser(browser):
    """``make test-report``: the site that ``make report`` built (``$LPF_REPORT_SITE``)."""
    site = os.environ.get("LPF_REPORT_SITE")
    if not site:
        pytest.skip("LPF_REPORT_SITE not set (make test-report sets it to build/site)")
    site = Path(site)
    if not (site / "index.html").is_file():
        pytest.fail(f"{site}/index.html does not exist: run `make report` first")
    problems = browser_problems(browser, site, notebook_stems(NOTEBOOKS),
                                screenshots=SCREENSHOTS)
    assert not problems, "\n".join(problems)
    print(f"screenshots: {SCREENSHOTS}")
