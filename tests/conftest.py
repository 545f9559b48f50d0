"""Shared fixtures: device/dtype (``--device cuda`` opts into the GPU) and the shared folders."""

from __future__ import annotations

import os

import pytest
import torch

from lpf._paths import shared_assets, shared_dir

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
def assets():
    """``../shared/assets`` (real weights and benchmark images); skips cleanly when absent."""
    path = shared_assets()
    if path is None:
        pytest.skip("../shared/assets not present (real weights/benchmark images); skipped")
    return path


@pytest.fixture(scope="session")
def reference():
    """``../shared/reference`` (values from the paper's official code); skips when absent."""
    shared = shared_dir()
    if shared is None or not (shared / "reference").is_dir():
        pytest.skip("../shared/reference not present (official-code reference values); skipped")
    return shared / "reference"
