"""Super-resolution models by name, by checkpoint path or as TorchScript, behind one convention.

- :mod:`lpf.models.registry`  :func:`load_model`, :func:`resolve`, :func:`is_available`,
  :func:`model_label`, :func:`fetch`, :func:`registry_markdown` (the README's model table)
- :mod:`lpf.models.catalog`   the registry as data (``catalog.json``) and its schema:
  :data:`MODELS`, :class:`ModelSpec`, :func:`list_models`, :data:`PAPER_NETWORKS`
- :mod:`lpf.models.weights`   where weight files come from, where they are found, how verified
- :mod:`lpf.models.builders`  :data:`ARCHS`: architecture name -> builder, loader, adapter options
- :mod:`lpf.models.wrapper`   :class:`SRModel` and :func:`wrap_model`: the calling convention
- :mod:`lpf.models.analytic`  nearest, bilinear, bicubic, MATLAB bicubic, Lanczos-3, sinc LPF
- :mod:`lpf.models.detection`    any checkpoint: detect its architecture (the kit's, spandrel's)
- :mod:`lpf.models.tiling`    :func:`tiled_forward`: inference on overlapping tiles (big images)
- :mod:`lpf.models.archs`     the architectures the kit writes itself (LIIF, LTE, RDN, IMDN, ...)

Examples:
    >>> import torch
    >>> from lpf import models
    >>> label, net = models.resolve("bicubic", scale=2)
    >>> label, net(torch.rand(1, 3, 4, 4)).shape
    ('bicubic', torch.Size([1, 3, 8, 8]))
"""

from __future__ import annotations

from lpf.models.builders import ARCHS, Arch
from lpf.models.catalog import (
    MODELS,
    PAPER_NETWORKS,
    CatalogError,
    ModelSpec,
    list_models,
    load_catalog,
    register_model,
    validate_catalog,
)
from lpf.models.detection import (
    AmbiguousScaleError,
    Detected,
    UnknownArchitectureError,
    detect,
    inspect,
    load_detected,
)
from lpf.models.registry import (
    fetch,
    is_available,
    load_model,
    model_label,
    names_a_file,
    registry_markdown,
    registry_rows,
    resolve,
    resolve_weights,
)
from lpf.models.tiling import check_tiling, tiled_forward
from lpf.models.weights import WeightSource, WeightsUnavailable, verify_file, weights_dirs
from lpf.models.wrapper import SRModel, wrap_model

__all__ = [
    "ARCHS",
    "MODELS",
    "PAPER_NETWORKS",
    "AmbiguousScaleError",
    "Arch",
    "CatalogError",
    "Detected",
    "ModelSpec",
    "SRModel",
    "UnknownArchitectureError",
    "WeightSource",
    "WeightsUnavailable",
    "check_tiling",
    "detect",
    "fetch",
    "inspect",
    "is_available",
    "list_models",
    "load_catalog",
    "load_detected",
    "load_model",
    "model_label",
    "names_a_file",
    "register_model",
    "registry_markdown",
    "registry_rows",
    "resolve",
    "resolve_weights",
    "tiled_forward",
    "validate_catalog",
    "verify_file",
    "weights_dirs",
    "wrap_model",
]
