"""Build hook: a wheel of lpf-kit carries the data that ships with the kit.

Everything else is declared in pyproject.toml. A regular (non-editable) build copies the
kit-trained checkpoints (``data/models/*.pth|json``) and the redistributable published networks
(``data/networks``, with ``NOTICE.md`` and ``LICENSES/``) into the package as ``lpf/_data``, where
:func:`lpf._paths.bundled_dir` finds them when the package runs outside a checkout. An editable
install reads ``data/`` of the checkout directly and copies nothing.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = {"models": ("*.pth", "*.json", "README.md"), "networks": ("*",), "runs": ("*",)}


class BuildWithData(build_py):
    """``build_py`` that also copies :data:`BUNDLED` from ``data/`` into ``lpf/_data``."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "lpf" / "_data"
        for folder, patterns in BUNDLED.items():
            source = HERE / "data" / folder
            if not source.is_dir():
                raise FileNotFoundError(f"setup.py: {source} is missing; build from a full checkout "
                                        "or an sdist made from one.")
            for pattern in patterns:
                for path in sorted(source.rglob(pattern)):
                    if path.is_file():
                        dest = target / folder / path.relative_to(source)
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(path, dest)


setup(cmdclass={"build_py": BuildWithData})
