"""The one list of optional heavy dependencies that may be imported inside functions.

Everywhere else in :mod:`lpf`, imports sit at the top of the module; a module named here may be
imported inside a function (where it is needed, so that ``import lpf`` stays cheap and works
without it). ``tests/test_layers.py`` reads this set.
"""

from __future__ import annotations

OPTIONAL = frozenset({
    "basicsr",  # lpf._basicsr imports it (BasicSR architectures); slow import
    "safetensors",  # .safetensors checkpoints (lpf.models.archs._common.read_state_dict)
    "spandrel",  # 40+ architectures for checkpoint auto-detection (lpf.models)
    "matplotlib",  # figures (lpf.plot and the CLI's views): import lpf stays fast without it
    "PIL",  # image decoding/encoding (lpf.data.io), JPEG round trips
    "cv2",  # 16-bit colour PNGs when present (lpf.data.io)
    "skimage",  # the embedded photographs (lpf.data.sets)
    "tqdm",  # progress bars
    "lpips",  # LPIPS backbones when their weights are present (lpf.metrics.quality)
    "torchmetrics",  # torchmetrics' LPIPS network (lpf.metrics.quality)
    "ray",  # distributed evaluation (lpf.evaluate), when installed
    "papermill",  # running notebooks from the CLI
    "nbformat",  # reading notebooks in the report (lpf.report.notebook); ~1 s import (jsonschema)
    "nbconvert",  # the report's notebook pages (lpf.report.notebook); slow import
    "torchvision",  # only for basicsr's torchvision compatibility alias (lpf._basicsr)
    "numba",  # compiled FSDS kernels for large CPU batches (lpf.metrics.frequency)
    "focal_frequency_loss",  # lpf.train's loss="l1+ffl" (the ext04 runs; PyPI focal-frequency-loss)
})
