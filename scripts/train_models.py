#!/usr/bin/env python
"""Train the kit's small x4 models (``make models``): a thin entry point to ``lpf train``.

Examples (from the repository root)::

    python scripts/train_models.py --model all --device cuda --out data/models --set5 PATH/Set5
    python scripts/train_models.py --model edsr-kit --device cpu --iterations 30
    python scripts/train_models.py --update-registry --out data/models

The same as ``lpf train ARGS``. Works without ``pip install -e .``: the checkout's ``lpf`` is put
on ``sys.path``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lpf.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
