"""Super-resolution architectures that :mod:`basicsr` lacks, re-written to load official weights.

One module per family; each class cites its paper and source repository, keeps the network's own
input convention, and states it in class attributes:

- ``INPUT_RANGE``: 1.0 (values in [0, 1]) or 255.0 (values in [0, 255]);
- ``CHANNELS``: ``"RGB"``, or ``"Y"`` (BT.601 studio-swing luma in [0, 1]);
- ``SCALES``: the supported integer scales, or ``None`` for any real scale (LIIF);
- ``MIN_SIZE``: the smallest input height/width the architecture can process.

Every class has ``from_checkpoint(path)``, and every module a ``load_<name>(path)`` function, which
read a file with ``torch.load(..., map_location="cpu", weights_only=True)`` (``numpy.load`` for the
TensorFlow ``.npz`` constants), strip container layouts (``{'params': ...}``, LIIF's
``{'model': {'sd': ...}}``, the ``module.`` prefix) and load strictly, raising
:class:`CheckpointError` with the missing/unexpected keys when the file holds something else.

Modules (each imported lazily, on first access to one of its names):

- :mod:`lpf.archs.liif`: :class:`LIIF` (EDSR-baseline-LIIF, any scale, RGB [0, 1])
- :mod:`lpf.archs.imdn`: :class:`IMDN` (x2/x3/x4, RGB [0, 1])
- :mod:`lpf.archs.pan`: :class:`PAN` (x2/x3/x4, RGB [0, 1])
- :mod:`lpf.archs.carn`: :class:`CARNM` (one model, x2/x3/x4 at call time, RGB [0, 1])
- :mod:`lpf.archs.rfdn`: :class:`RFDN` (x4, RGB [0, 255])
- :mod:`lpf.archs.rlfn`: :class:`RLFN` (RLFN_cut, x4, RGB [0, 255])
- :mod:`lpf.archs.bsrn`: :class:`BSRN` (x4, RGB [0, 1])
- :mod:`lpf.archs.safmn`: :class:`SAFMN` (x4, RGB [0, 1])
- :mod:`lpf.archs.espcn_fsrcnn`: :class:`ESPCN`, :class:`FSRCNN` (x2/x3/x4, Y [0, 1])
- :mod:`lpf.archs.rdn`: :class:`RDN` (x2/x3/x4, RGB [0, 1]; ``no_upsampling`` for LIIF/LTE)
- :mod:`lpf.archs.lte`: :class:`LTE` (EDSR-baseline / RDN / SwinIR encoders, any scale)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# public name -> module
_LAZY = {
    "CheckpointError": "lpf.archs._common",
    "read_state_dict": "lpf.archs._common",
    "unwrap_state_dict": "lpf.archs._common",
    "LIIF": "lpf.archs.liif",
    "load_liif": "lpf.archs.liif",
    "IMDN": "lpf.archs.imdn",
    "load_imdn": "lpf.archs.imdn",
    "PAN": "lpf.archs.pan",
    "load_pan": "lpf.archs.pan",
    "CARNM": "lpf.archs.carn",
    "load_carn_m": "lpf.archs.carn",
    "RFDN": "lpf.archs.rfdn",
    "load_rfdn": "lpf.archs.rfdn",
    "RLFN": "lpf.archs.rlfn",
    "load_rlfn": "lpf.archs.rlfn",
    "BSRN": "lpf.archs.bsrn",
    "load_bsrn": "lpf.archs.bsrn",
    "SAFMN": "lpf.archs.safmn",
    "load_safmn": "lpf.archs.safmn",
    "ESPCN": "lpf.archs.espcn_fsrcnn",
    "FSRCNN": "lpf.archs.espcn_fsrcnn",
    "load_espcn": "lpf.archs.espcn_fsrcnn",
    "load_fsrcnn": "lpf.archs.espcn_fsrcnn",
    "RDN": "lpf.archs.rdn",
    "RDN_CONFIGS": "lpf.archs.rdn",
    "load_rdn": "lpf.archs.rdn",
    "rdn_config_from_state_dict": "lpf.archs.rdn",
    "LTE": "lpf.archs.lte",
    "load_lte": "lpf.archs.lte",
    "lte_config_from_state_dict": "lpf.archs.lte",
}

__all__ = sorted(_LAZY)

if TYPE_CHECKING:  # pragma: no cover
    from lpf.archs._common import CheckpointError, read_state_dict, unwrap_state_dict  # noqa: F401
    from lpf.archs.bsrn import BSRN, load_bsrn  # noqa: F401
    from lpf.archs.carn import CARNM, load_carn_m  # noqa: F401
    from lpf.archs.espcn_fsrcnn import ESPCN, FSRCNN, load_espcn, load_fsrcnn  # noqa: F401
    from lpf.archs.imdn import IMDN, load_imdn  # noqa: F401
    from lpf.archs.liif import LIIF, load_liif  # noqa: F401
    from lpf.archs.lte import LTE, load_lte, lte_config_from_state_dict  # noqa: F401
    from lpf.archs.pan import PAN, load_pan  # noqa: F401
    from lpf.archs.rdn import RDN, RDN_CONFIGS, load_rdn, rdn_config_from_state_dict  # noqa: F401
    from lpf.archs.rfdn import RFDN, load_rfdn  # noqa: F401
    from lpf.archs.rlfn import RLFN, load_rlfn  # noqa: F401
    from lpf.archs.safmn import SAFMN, load_safmn  # noqa: F401


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lpf.archs' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
