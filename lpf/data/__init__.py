"""Data: image IO, the SR pair type, the embedded (offline) set, benchmark sets, verified downloads.

- :mod:`lpf.data.io`        read/write images, ``to_tensor``/``to_numpy`` (the only
  NumPy <-> torch edge)
- :mod:`lpf.data.sets`      :class:`SRPair`, the embedded scikit-image photographs, benchmark sets
- :mod:`lpf.data.download`  verified, cached, atomic downloads (sha256)
- :mod:`lpf.data.resize`    MATLAB-exact bicubic ``imresize`` (the degradation behind SR benchmarks)

Layer: imports ``lpf._checks``, ``lpf._io``, ``lpf._paths`` only.
"""

from lpf.data.download import (
    DATASET_SOURCES,
    ChecksumError,
    DownloadError,
    DownloadSource,
    download_file,
)
from lpf.data.io import read_image, to_numpy, to_tensor, write_image
from lpf.data.resize import imresize
from lpf.data.sets import (
    DATASETS,
    EMBEDDED,
    DatasetNotFound,
    ImageSet,
    PairSet,
    SRPair,
    crop_pair,
    dataset_roots,
    download_set,
    embedded_images,
    load_embedded,
    load_pairs,
    load_set,
    make_pair,
    modcrop,
)

__all__ = [
    "DATASETS",
    "DATASET_SOURCES",
    "EMBEDDED",
    "ChecksumError",
    "DatasetNotFound",
    "DownloadError",
    "DownloadSource",
    "ImageSet",
    "PairSet",
    "SRPair",
    "crop_pair",
    "dataset_roots",
    "download_file",
    "download_set",
    "embedded_images",
    "imresize",
    "load_embedded",
    "load_pairs",
    "load_set",
    "make_pair",
    "modcrop",
    "read_image",
    "to_numpy",
    "to_tensor",
    "write_image",
]
