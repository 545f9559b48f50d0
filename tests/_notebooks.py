"""Run a figure notebook from a test, through papermill, in a kernel shared by the worker's tests.

``make figures`` starts one kernel per notebook. In the tests, starting a kernel and importing torch
and lpf in it cost about 3 s per notebook, more than most smoke runs themselves. So each pytest
worker starts one IPython kernel (:class:`SharedKernel`, the session fixture ``notebook_kernel`` of
``conftest.py``) and papermill executes every notebook in it (papermill passes a kernel manager of
ours to nbclient, which then neither starts nor stops the kernel). Each notebook is the notebook
with papermill's injected parameters, behind a first cell that clears what the previous one left:
the user namespace (``%reset -f``), open figures, and ``$LPF_CACHE_DIR`` (set to the test's own
temporary folder). A kernel that died is started again; after a notebook that failed, the kernel is
replaced, so that a failure stays in its own test.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jupyter_client.manager import KernelManager

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"

#: the cell run before each notebook in the shared kernel
PRELUDE = """\
%reset -f
import os as _os
import matplotlib.pyplot as _plt
_plt.close("all")
_os.environ["LPF_CACHE_DIR"] = {cache!r}
del _os, _plt
"""


class _Manager(KernelManager):
    """A kernel manager that remembers the clients it made, so that their channels can be closed
    (nbclient leaves its client open when it does not own the kernel manager)."""

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        self.__dict__.setdefault("made", []).append(kc)
        return kc


class SharedKernel:
    """One IPython kernel (``python3``, started in ``notebooks/``) for many papermill runs."""

    def __init__(self) -> None:
        self._km = None

    def manager(self) -> _Manager:
        """The kernel manager, with a live kernel (started on first use, or again if it died)."""
        if self._km is None or not self._km.is_alive():
            self.shutdown()
            self._km = _Manager(kernel_name="python3")
            self._km.start_kernel(cwd=str(NOTEBOOK_DIR), env=dict(os.environ))
        return self._km

    def close_clients(self) -> None:
        """Close the channels of the clients papermill (nbclient) opened on the kernel."""
        if self._km is not None:
            made = self._km.__dict__.get("made", [])
            while made:
                made.pop().stop_channels()

    def shutdown(self) -> None:
        """Stop the kernel (a fresh one starts on the next :meth:`manager` call)."""
        if self._km is not None:
            self.close_clients()
            if self._km.is_alive():
                self._km.shutdown_kernel(now=True)
            self._km.cleanup_resources()
            self._km = None

    def execute(self, notebook: Path, output: Path, parameters: dict, cache: Path) -> None:
        """Run ``notebook`` with ``parameters`` through papermill in this kernel.

        Raises what :func:`papermill.execute_notebook` raises (``PapermillExecutionError``, with
        the failing cell); the kernel is replaced afterwards in that case.
        """
        import nbformat
        import papermill as pm
        from papermill.iorw import load_notebook_node

        nb = load_notebook_node(str(notebook))
        prelude = nbformat.v4.new_code_cell(PRELUDE.format(cache=str(cache)))
        prelude.metadata["tags"] = ["test-prelude"]
        nb.cells.insert(0, prelude)
        try:
            pm.execute_notebook(nb, str(output), parameters=parameters, kernel_name="python3",
                                progress_bar=False, km=self.manager())
        except BaseException:
            self.shutdown()
            raise
        finally:
            self.close_clients()


def run_notebook(stem: str, tmp_path: Path, kernel: SharedKernel, **parameters
                 ) -> tuple[Path, dict]:
    """Run notebook ``stem`` in the smoke profile; return its output folder and its JSON.

    Caches go to ``tmp_path / "cache"``, outputs to ``tmp_path / "out"``; the figure's PNG, PDF and
    JSON must have been written.
    """
    out = tmp_path / "out"
    parameters = {"profile": "smoke", "out_dir": str(out), **parameters}
    kernel.execute(NOTEBOOK_DIR / f"{stem}.ipynb", tmp_path / f"{stem}.ipynb", parameters,
                   cache=tmp_path / "cache")
    for suffix in (".png", ".pdf", ".json"):
        written = out / f"{stem}{suffix}"
        assert written.is_file() and written.stat().st_size > 0, f"{written.name} not written"
    return out, json.loads((out / f"{stem}.json").read_text())
