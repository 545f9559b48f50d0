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

Modules:

- :mod:`lpf.models.archs.liif`: :class:`LIIF` (EDSR-baseline-LIIF, any scale, RGB [0, 1])
- :mod:`lpf.models.archs.imdn`: :class:`IMDN` (x2/x3/x4, RGB [0, 1])
- :mod:`lpf.models.archs.pan`: :class:`PAN` (x2/x3/x4, RGB [0, 1])
- :mod:`lpf.models.archs.carn`: :class:`CARNM` (one model, x2/x3/x4 at call time, RGB [0, 1])
- :mod:`lpf.models.archs.rfdn`: :class:`RFDN` (x4, RGB [0, 255])
- :mod:`lpf.models.archs.rlfn`: :class:`RLFN` (RLFN_cut, x4, RGB [0, 255])
- :mod:`lpf.models.archs.bsrn`: :class:`BSRN` (x4, RGB [0, 1])
- :mod:`lpf.models.archs.safmn`: :class:`SAFMN` (x4, RGB [0, 1])
- :mod:`lpf.models.archs.espcn_fsrcnn`: :class:`ESPCN`, :class:`FSRCNN` (x2/x3/x4, Y [0, 1])
- :mod:`lpf.models.archs.rdn`: :class:`RDN` (x2/x3/x4, RGB [0, 1]; ``no_upsampling`` for LIIF/LTE)
- :mod:`lpf.models.archs.lte`: :class:`LTE` (EDSR-baseline / RDN / SwinIR encoders, any scale)
"""

from __future__ import annotations

from lpf.models.archs._common import CheckpointError, read_state_dict, unwrap_state_dict
from lpf.models.archs.bsrn import BSRN, load_bsrn
from lpf.models.archs.carn import CARNM, load_carn_m
from lpf.models.archs.espcn_fsrcnn import ESPCN, FSRCNN, load_espcn, load_fsrcnn
from lpf.models.archs.imdn import IMDN, load_imdn
from lpf.models.archs.liif import LIIF, load_liif
from lpf.models.archs.lte import LTE, load_lte, lte_config_from_state_dict
from lpf.models.archs.pan import PAN, load_pan
from lpf.models.archs.rdn import RDN, RDN_CONFIGS, load_rdn, rdn_config_from_state_dict
from lpf.models.archs.rfdn import RFDN, load_rfdn
from lpf.models.archs.rlfn import RLFN, load_rlfn
from lpf.models.archs.safmn import SAFMN, load_safmn

__all__ = [
    "BSRN", "CARNM", "ESPCN", "FSRCNN", "IMDN", "LIIF", "LTE", "PAN", "RDN", "RDN_CONFIGS",
    "RFDN", "RLFN", "SAFMN", "CheckpointError", "load_bsrn", "load_carn_m", "load_espcn",
    "load_fsrcnn", "load_imdn", "load_liif", "load_lte", "load_pan", "load_rdn", "load_rfdn",
    "load_rlfn", "load_safmn", "lte_config_from_state_dict", "rdn_config_from_state_dict",
    "read_state_dict", "unwrap_state_dict",
]
