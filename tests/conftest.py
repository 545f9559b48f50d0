"""Shared fixtures: device/dtype (``--device cuda`` opts into the GPU), the shared folders, a
local HTTP server. What not every clone has (benchmark images, ../shared/reference, IMDN/PAN):
``tests/_needs.py``."""

from __future__ import annotations

import os

import pytest
import torch
from _needs import REFERENCE, images_root, needs_reference, reference_dir
from _notebooks import SharedKernel

from lpf._paths import shared_assets

os.environ.setdefault("MPLBACKEND", "agg")


def pytest_addoption(parser):
    parser.addoption("--device", default="cpu", help="torch device for tests (default cpu)")


@pytest.fixture
def device(request) -> torch.device:
    dev = torch.device(request.config.getoption("--device"))
    if dev.type == "cuda" and not torch.cuda.is_available():
        pytest.skip("--device cuda given but CUDA is not available")
    return dev


@pytest.fixture(params=[torch.float32, torch.float64], ids=["float32", "float64"])
def dtype(request) -> torch.dtype:
    return request.param


@pytest.fixture(scope="session")
def notebook_kernel():
    """One IPython kernel per pytest worker, in which papermill runs the notebooks of the tests
    (``tests/_notebooks.py``: each notebook starts from a cleared namespace)."""
    kernel = SharedKernel()
    yield kernel
    kernel.shutdown()


@pytest.fixture(scope="session")
def assets():
    """``../shared/assets`` itself (IMDN/PAN weights, Set5/Set14/B100); skips, naming it, when
    absent.

    Prefer the helpers of ``tests/_needs.py``: the benchmark images where the kit finds them
    (``images_root``, also after ``lpf.data.download_set``), weights through the kit's lookup
    (``require_weights``), one skip for many cases (``cases_where``).
    """
    path = shared_assets()
    if path is None:
        pytest.skip("needs ../shared/assets (the IMDN and PAN weights, the Set5, Set14 and B100 "
                    "benchmark images); absent on a fresh clone")
    return path


@pytest.fixture(scope="session")
def set5_root():
    """The datasets folder holding Set5 (``<root>/Set5/HR/*.png``: ``../shared/assets/images``, or
    where ``lpf.data.download_set("Set5")`` put it); skips, naming Set5, when absent."""
    return images_root("Set5")


@pytest.fixture(scope="session")
def reference():
    """``../shared/reference`` (the paper's official-code values on its own data); skips, naming
    it, when absent. (``tests/test_reference_paper.py`` makes one skip for all its checks with
    ``_needs.cases_where``.)"""
    path = reference_dir()
    if path is None:
        pytest.skip(needs_reference(*REFERENCE))
    return path


class LocalServer:
    """A tiny HTTP server on 127.0.0.1 serving in-memory files (for download tests).

    ``files`` maps URL paths to bytes; paths in ``truncate`` send half of their body after a
    full ``Content-Length`` and close the connection (an interrupted transfer); paths in
    ``no_length`` are sent without a ``Content-Length`` (the connection's close ends the body).
    """

    def __init__(self):
        import http.server
        import threading

        self.files: dict[str, bytes] = {}
        self.truncate: set[str] = set()
        self.no_length: set[str] = set()
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.requests.append(self.path)
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                if self.path in server.no_length:
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path in server.truncate:
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                else:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server():
    """A :class:`LocalServer` on 127.0.0.1, shut down after the test."""
    srv = LocalServer()
    yield srv
    srv.close()
