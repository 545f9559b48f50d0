"""Verified, cached, atomic downloads of benchmark sets (never implicit).

:func:`download_file` streams one URL into a cache file, checking its sha256;
:data:`DATASET_SOURCES` says where each benchmark set comes from, and
:func:`lpf.data.download_set` puts a set together.

Two kinds of source:

* **Pinned files** (Set5, Set14, B100): each file of the set is fetched on its own from a public
  GitHub repository at a fixed commit and checked against its own sha256 in
  :data:`BENCHMARK_SHA256`, so ``download_set(..., verify=True)`` (the default) works. The hashes
  are those of the files used to develop the kit (``../shared/assets/images``), and the sources
  serve the same bytes: Set5 from SwinIR's ``testsets/Set5``, Set14 from PAN's
  ``datasets/Set14``, B100 from SelfExSR's ``data/BSD100`` (HR = its ``image_SRF_3`` HR file, the
  largest crop; LR renamed from ``img_NNN_SRF_s_LR.png`` to ``img_NNNx<s>.png``). There is no
  archive of these sets whose own hash is known (GitHub's generated archives are not byte-stable,
  and SelfExSR's is 390 MB), so the pinning is per file: 495 small downloads, about 48 MB.
* **Pinned archives**: the DIV2K validation zips (HR, bicubic LR x2/x3/x4), checked against the
  sha256 that TensorFlow Datasets publishes for the same URLs (:data:`DIV2K_SHA256`).
* **Archives** of unknown sha256 (Urban100 in the EDSR authors' ``benchmark.tar``):
  ``verify=True`` refuses them; ``verify=False`` accepts one once and records the sha256 it
  observed beside the cached archive, checked on every later use (trust on first use).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import IO

from lpf._checks import LpfError
from lpf._io import atomic_path
from lpf._io import sha256_file as _sha256_file

__all__ = [
    "ChecksumError",
    "DATASET_SOURCES",
    "download_file",
    "DownloadError",
    "DownloadSource",
    "BENCHMARK_SHA256",
    "DIV2K_SHA256",
]

_DIV2K = "https://data.vision.ee.ethz.ch/cvl/DIV2K"
#: sha256 (and size in bytes) of the DIV2K validation archives, as published by TensorFlow
#: Datasets for these URLs (``tensorflow_datasets/url_checksums/div2k.txt``); not checked against
#: a download here (this kit was written offline): a mismatch is refused, never kept.
DIV2K_SHA256 = {
    "DIV2K_valid_HR.zip":  # 448,993,893 bytes
        "20dd31fd84d777bc1cf5d6b7654a3f569c0aec74458ae094122ad1d0489900fc",
    "DIV2K_valid_LR_bicubic_X2.zip":  # 117,763,600 bytes
        "60eed9875c697df51204aa579e2a699e1d5215095788a097ff54dd17e2664d57",
    "DIV2K_valid_LR_bicubic_X3.zip":  # 54,513,392 bytes
        "04b9a2ed3b4a0715d3924d3ae8514830c3328fac8d30512ce716d6f419e052a3",
    "DIV2K_valid_LR_bicubic_X4.zip":  # 31,505,881 bytes
        "a50a5d1c4b88de4e8d300d8fb2b904c52fe93b2b298a4899697760d7cbb6d553",
}


class DownloadError(LpfError, OSError):
    """A download failed or was refused; nothing was left in the cache."""


class ChecksumError(DownloadError):
    """A downloaded or cached file does not have the expected sha256."""


@dataclass(frozen=True)
class DownloadSource:
    """One public archive, or one file, of a benchmark set.

    Attributes:
        url: where to download it.
        sha256: its hex digest, or ``None`` where it is not known (see the module docstring).
        members: for an archive, ``(archive prefix, destination)`` pairs: every file under the
            prefix is extracted to ``<root>/<set folder>/<destination><rest of the member name>``.
        filename: the cache file name, relative to the cache folder (default: the last part of
            the url).
        dest: for a single file (not an archive), its path in the set's folder
            (``"HR/baby.png"``); ``members`` is then empty.
    """

    url: str
    sha256: str | None
    members: tuple[tuple[str, str], ...] = ()
    filename: str | None = None
    dest: str | None = None

    @property
    def cache_name(self) -> str:
        """The archive's file name in the download cache."""
        return self.filename or self.url.rstrip("/").rsplit("/", 1)[-1]


# The EDSR authors' benchmark archive (Set5, Set14, B100, Urban100 in exactly the layout used
# here), the source of Urban100. Its sha256 is None: this kit was written without access to it.
# Pass verify=False once; the observed hash is recorded beside the cached archive and checked from
# then on.
_EDSR_BENCHMARK = "https://cv.snu.ac.kr/research/EDSR/benchmark.tar"


#: where raw files of a GitHub repository at a commit are served
RAW_GITHUB = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class _PinnedRepo:
    """A public GitHub repository at a fixed commit that serves a set's files byte for byte."""

    repo: str
    commit: str
    path: Callable[[str], str]  # the set's file ("HR/baby.png") -> its path in the repository

    def url(self, dest: str, base_url: str = RAW_GITHUB) -> str:
        return f"{base_url}/{self.repo}/{self.commit}/{self.path(dest)}"


def _selfexsr_path(dest: str) -> str:
    """The path in SelfExSR of a B100 file.

    ``HR/img_001.png`` <- ``image_SRF_3/img_001_SRF_3_HR.png`` (the SRF_2 and SRF_4 HR files are
    its top-left 480x320 crop), ``LR_bicubic/X2/img_001x2.png`` <-
    ``image_SRF_2/img_001_SRF_2_LR.png``.
    """
    folder, name = dest.rsplit("/", 1)
    stem = name.rsplit(".", 1)[0]
    if folder == "HR":
        return f"data/BSD100/image_SRF_3/{stem}_SRF_3_HR.png"
    s = folder.rsplit("X", 1)[1]
    return f"data/BSD100/image_SRF_{s}/{stem.rsplit('x', 1)[0]}_SRF_{s}_LR.png"


#: the sets served file by file: the repository, commit and file layout of each
PINNED_REPOS: dict[str, _PinnedRepo] = {
    "Set5": _PinnedRepo("JingyunLiang/SwinIR", "6545850fbf8df298df73d81f3e8cba638787c8bd",
                        lambda dest: f"testsets/Set5/{dest}"),
    "Set14": _PinnedRepo("zhaohengyuan1/PAN", "4d045d18592c5771cd3990da88f292812774e538",
                         lambda dest: f"datasets/Set14/{dest}"),
    "B100": _PinnedRepo("jbhuang0604/SelfExSR", "8f6dd8c1d20cb7e8792a7177b4f6fd677633f598",
                        _selfexsr_path),
}


def _pinned_sources(name: str, *, sha256: Mapping[str, str] | None = None,
                    base_url: str = RAW_GITHUB) -> tuple[DownloadSource, ...]:
    """One :class:`DownloadSource` per file of a pinned set (``sha256``: ``BENCHMARK_SHA256``)."""
    table = BENCHMARK_SHA256 if sha256 is None else sha256
    repo = PINNED_REPOS[name]
    return tuple(
        DownloadSource(repo.url(key.split("/", 1)[1], base_url), digest, filename=key,
                       dest=key.split("/", 1)[1])
        for key, digest in table.items() if key.split("/", 1)[0] == name
    )


DATASET_SOURCES: dict[str, tuple[DownloadSource, ...]] = {
    "Set5": (),  # filled from PINNED_REPOS and BENCHMARK_SHA256 below
    "Set14": (),
    "B100": (),
    "Urban100": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/Urban100/", ""),)),),
    # The official DIV2K archives (ETH Zurich), pinned to the sha256 that TensorFlow Datasets
    # publishes for the same URLs (tensorflow/datasets, tensorflow_datasets/url_checksums/div2k.txt)
    "DIV2K-valid": (
        DownloadSource(f"{_DIV2K}/DIV2K_valid_HR.zip", DIV2K_SHA256["DIV2K_valid_HR.zip"],
                       (("DIV2K_valid_HR/", "HR/"),)),
        *(
            DownloadSource(
                f"{_DIV2K}/DIV2K_valid_LR_bicubic_X{s}.zip",
                DIV2K_SHA256[f"DIV2K_valid_LR_bicubic_X{s}.zip"],
                ((f"DIV2K_valid_LR_bicubic/X{s}/", f"LR_bicubic/X{s}/"),),
            )
            for s in (2, 3, 4)
        ),
    ),
    # Manga109 is distributed by its authors on request only (academic use): no public archive.
    "Manga109": (),
}


def _read_table(name: str, text: str) -> dict[str, str]:
    """``{"<name>/<path>": sha256}`` of a ``sha256sum`` listing of paths in set ``name``."""
    out = {}
    for line in text.strip().splitlines():
        digest, path = line.split(None, 1)
        out[f"{name}/{path.strip()}"] = digest
    return out


#: ``{"<Set>/<path in the set's folder>": sha256}`` of every file of the pinned sets (Set5: 25,
#: Set14: 70, B100: 400 files), in ``sha256sum`` format per set below: the files of
#: ``../shared/assets/images`` (its ``SHA256SUMS``), which their sources serve byte for byte
#: (checked against the repositories at the commits of :data:`PINNED_REPOS`).
BENCHMARK_SHA256: dict[str, str] = {
    **_read_table("Set5", """
158417bf319058274bbea8b7d4995a12cb70dc7ff1cdf6351bde7e3d4e22d06a  HR/baby.png
1b20dfba6635f99d501144a949e1568363a91cc08231dc92d9537f883c23c9a8  HR/bird.png
58be740fd17ead6029eb8344c46720c392eaf120907dc623475aa768260e6548  HR/butterfly.png
ec18fffd17f8a54ff04a19d03697988e9ba8ad4092ac4c792d19dbf7c967d59d  HR/head.png
b15112110e3e7d91b840d6131a00f0f5c22d54f4ac93a81e3ed0f6ab62d08106  HR/woman.png
62d724234fba1ff128561ed8c6a10ecc975ed4d13e485946f59720146dd6de37  LR_bicubic/X2/babyx2.png
dcb22582c045833b711b57bd20a35a091b0d2b9347b95d8174fbc2a91be8d355  LR_bicubic/X2/birdx2.png
10b9fe5f300ce8ce34d80efb87aecf538fddfd989d61081d0472868b3ce2fa93  LR_bicubic/X2/butterflyx2.png
e5e3ed19d6978f19024f3f8a043c9b04d7404bdfa8189594b5da97c9e2995f37  LR_bicubic/X2/headx2.png
488ca3c7d96991758943902ffdbd7792ae6187300be92f9e1dd10fb90b7a09fd  LR_bicubic/X2/womanx2.png
baa2e598b0cf8dfac799bf95248071dde5852fcae0ad6b13a56b6630a59c64db  LR_bicubic/X3/babyx3.png
25057552026f4afe75637771e5c8949ed9073243bf938475f747584d16596877  LR_bicubic/X3/birdx3.png
bb7e120ece2d133bd2e2157b823e61c7cd10576d635065569e68f5b9985a1bc7  LR_bicubic/X3/butterflyx3.png
9885e1e52c3962561435b8f8bff1e4393063cea2b8dd3de17a1d2d0297ccc6e4  LR_bicubic/X3/headx3.png
128a136606d5119ef128734fe3b84253f90f3b742544d9b4932deb47444752f6  LR_bicubic/X3/womanx3.png
4d4d9c30a16c2d17b1c51197cb40d3f008888442416d9ef9ba3ec36766f2851a  LR_bicubic/X4/babyx4.png
519059a89ef4fc082f0e0aa9b692a6248dd69dfa816c0b59b3feef3cd976dc97  LR_bicubic/X4/birdx4.png
c69c6bddf867bfe9aa6ea6f331960aed49d5adb71603d38922c4e24b88a55c7a  LR_bicubic/X4/butterflyx4.png
a034c85fe72b1594aad9a0ef93b8abbc51cf51ea5b409b206c0c4c66caa5ea44  LR_bicubic/X4/headx4.png
2e0390a78cb8b3d38586e77437b09d8a20f85573c20c26def107122867b6bad6  LR_bicubic/X4/womanx4.png
6e5a59d82b1da3b737a0a9ba249e5786f3a6b620b3096faba5d147a743a624a7  LR_bicubic/X8/babyx8.png
faa5a7a3c5d970f04ea2fe63bebcade56f0a359e7262b0548a06c03bde532a77  LR_bicubic/X8/birdx8.png
c08f7048b5e27a9c12d21813823c0b7099534c5e4fae5588b01a2b4e472a863f  LR_bicubic/X8/butterflyx8.png
b1df97576c4516d644b02fc3e41c9f28ce110fdeb7d1036587decc6c1dbed65b  LR_bicubic/X8/headx8.png
a06be993ffc413ad31125026652899114ebf698598634a0434d7978b8ef2cacd  LR_bicubic/X8/womanx8.png
"""),
    **_read_table("Set14", """
672b98a004b7bb7e14971fdb38c7255bd2a2b5445f0258bcfcf632e2ddf1a9d4  HR/baboon.png
acb3dad5c6c0442b7ef1e4040be660081bcd69f03fcb8a1914a81c1ea7ad6c27  HR/barbara.png
60a2d13c592ed58866bccd437f3f9d8fbfa8d4827ad3d78e7335420118f751d7  HR/bridge.png
3daba6c7cac808bffd3ec370bbcc40c65e0637607913cafb642a9a1f057a7cba  HR/coastguard.png
3fc49da72b0cfa46fa08b23ded72e372f8aa7f8cf33d1077ff3624d6c2bb7e67  HR/comic.png
54d6f6a49bd4245fc19668efd9f2a1c137d93ddfc8802fb182eca0ab98caf77f  HR/face.png
6266cc5d51bf0c4c36d7c3cb3953d913969626e09050d7d33009ced0470c12d7  HR/flowers.png
efa097ea1dd4eb1b58067ae62f879ec5b695631ba02318d5a6bff5cea20c1e8f  HR/foreman.png
06d5b2ea5dcc23bf1f7461452412b3f212752ed0bbd982290b333140aa53067a  HR/lenna.png
6b0ab2a44d2701dae28837e34fe1652c2ad65a9bebfcbca0f08fe8a09fce7bfb  HR/man.png
f186ba2dfa8708718279ff6daba669cb29aefd45e3e2fcadc353d8a346898717  HR/monarch.png
0c38766ab2e4452c8a5cdab6ffc0c5a8ec4f7f507818c937690afbbb37722ddf  HR/pepper.png
02c0dbb971587943429246bc2e8201480fef11d404c6e24afb2cbe39170f110e  HR/ppt3.png
73739d5ac29dcaeae8a2d23dc786224cac0a749c7199ec282b45c0d9244fbbde  HR/zebra.png
b7381abb1716f467adda8f46064919c76cf99d3cf83a67c235f02363ba5d83e1  LR_bicubic/X2/baboonx2.png
ea1742d096489b131c0a2c261cc8922f76b538461eb9d113c11854e6c6f445bd  LR_bicubic/X2/barbarax2.png
93330984c87237c31fdb46a90826a7cfb9a3d64e55572140b84b6a6f7506077a  LR_bicubic/X2/bridgex2.png
2d88f21d7f085df7a1a4c4fd515e122e6ba475be4a8a42c12bb96519fe4291d6  LR_bicubic/X2/coastguardx2.png
78fa96ad47f7bba1b041adb3beec7a3b378b33c9b591e39646ba36d41246840f  LR_bicubic/X2/comicx2.png
50b05773a5876705f8df40f19dd0a79db9041d0e1bb7d0f06e9e27c94851e377  LR_bicubic/X2/facex2.png
3960ccf5ac490ebb19b63f12d9a194dd1b9ab79333ab0ca98a28bfaf64fcb331  LR_bicubic/X2/flowersx2.png
31c2e6bfcc05bfe61ed44650a957375529f7865bdbd735f44a94ea8a344b4349  LR_bicubic/X2/foremanx2.png
38487ca8b4d15b3484486f5fcd3360733179765769bcb28747f6abb459fd9165  LR_bicubic/X2/lennax2.png
3d935c00fbace5e2dbaf427f2e7fa4593f4a424162a9fe76d1bc3a0bd12cc182  LR_bicubic/X2/manx2.png
1d372c7ba3377f572453c46eadce05f18d02f8e8e307f194c8234de1d6c03469  LR_bicubic/X2/monarchx2.png
b054d12a3f1343f234fb2ca4752b706d31142f5ec40f448e70f442588733649e  LR_bicubic/X2/pepperx2.png
f10cda8ae565f19b842d91da5ff5c00c098152b3995e0c3f21b46261f86fbbae  LR_bicubic/X2/ppt3x2.png
c1c20591850a7a47b872f585c73c37a160e05e843b8db03db79d4fd6a8d105ad  LR_bicubic/X2/zebrax2.png
bf5987553f325b41660eddf4305931950b311ae9b2506c1b6c94c95a5a0f32eb  LR_bicubic/X3/baboonx3.png
120d4a9a4dd3c01e9585e8d73cc8cb81dd77006adda9790cf461251ea3a325b9  LR_bicubic/X3/barbarax3.png
71c6f583b732a44012bc7c3c0e4237138077ead3c1f9ec99ee498280a77dbd5d  LR_bicubic/X3/bridgex3.png
2e824099aded09f0d951d0a8dd626963a79d77c32685dc0f15f2c3b735014ea3  LR_bicubic/X3/coastguardx3.png
ae94e00eccd9cbb19b01b1e8231a4a69c05437653dadcc1bb29518f3537aa955  LR_bicubic/X3/comicx3.png
3ee481219207d1b2e6045edf7ff4c8293adf428f1dd51b0ff86626efdb5dbff5  LR_bicubic/X3/facex3.png
4fbb5fd427aa1db5d62b3137a9ceac48f8e0c176046390187a5de87580b7ae43  LR_bicubic/X3/flowersx3.png
331c3ccfcf3d9fc99caa539ec08ac277430cb6be8177aa42b9ea9473cb7ad95e  LR_bicubic/X3/foremanx3.png
4560243491bca9d03327e8efcc95532ba8763991e604afe98dea5ab0cf74d972  LR_bicubic/X3/lennax3.png
5e19f498eafb176119eb884fb3c23724e02b810fcdc0334a1acae4329c731d93  LR_bicubic/X3/manx3.png
17e2d494203baf15ff7f293004bd8e67f2fe7bbad58294365e709708e3142c1a  LR_bicubic/X3/monarchx3.png
f1379cd26299ca8a24d1516a96549fb23ab086165c78857f5493e00b21d9439e  LR_bicubic/X3/pepperx3.png
456ab842fca300ca0e55add4d5c58ce1042f623c0826d0a586e70d78326fd04c  LR_bicubic/X3/ppt3x3.png
f28807ae7b56efe701657fa3e4b2cf938e6c3d138205c828c8d8941f3d1cd049  LR_bicubic/X3/zebrax3.png
c1d85a801ff338945359dd8d4c978c0614d9df73561632541e14b2551be63c7c  LR_bicubic/X4/baboonx4.png
ff45837d86a8951a101e863b8723d43b1bc0dd85dc46d81bd40ebc490f4afaa4  LR_bicubic/X4/barbarax4.png
85badca0e5384825f3bfcf0f99dbcdaa853cff4326b87b096692ed7d1682ab73  LR_bicubic/X4/bridgex4.png
12968d725ba8f170b2f432c310c4434e3e1e51937b7f227c02c23bd7af2d08fb  LR_bicubic/X4/coastguardx4.png
270ea83fb0668b1de49a88d9d372ceb0a87de4905d952ba34562fbfdf24bb056  LR_bicubic/X4/comicx4.png
0f65492c9cc6fa8f870566e94fc7224e12c0e84abef5b3729566dc917e88b9e4  LR_bicubic/X4/facex4.png
ddad45fb4974aa744f363757b8351ca559940595668d91517eb009cb14d255a1  LR_bicubic/X4/flowersx4.png
51e97078cf96f00f79360726298a3f15ec6262c2d74a06c0e7d33765e5852999  LR_bicubic/X4/foremanx4.png
9cc08b63d9f76ba20ae5485832aab15c33fb0b093a1089c3025acb48f5357b07  LR_bicubic/X4/lennax4.png
579f119645773f8dcff7af4884c4968f34f7e90b2ea1254797589f0871dd7f03  LR_bicubic/X4/manx4.png
68867c6cf1cf25c5ec67bb75ddaae9b5eda81a1ccc62375cee2206a93db4105e  LR_bicubic/X4/monarchx4.png
11f3996149ed019986a8d59facca60a627bc667e30c578da7eb481b8fb5048b6  LR_bicubic/X4/pepperx4.png
fa90ecec7606bc3ba6e4b8ae3bace2eb09ee8cc40e163bbfc949aa5b22c48834  LR_bicubic/X4/ppt3x4.png
a387fa322f2df65bfd0d09228e69281f4638780c28d481421ac5d71b9459c1ff  LR_bicubic/X4/zebrax4.png
65f3874c4cd3a8745a77354cd5785052d0779062781a07aa2bd40fcca0ce0212  LR_bicubic/X8/baboonx8.png
80bae955e33e34d080192d8ff2b4c647f06f4258b9f9b9baeb5d92c6ca29a619  LR_bicubic/X8/barbarax8.png
6e1bb5c52b927cd0aa4672e98ac0faa41a394b519d9b8283eaef139fe39edbe2  LR_bicubic/X8/bridgex8.png
3283dacf9675a408ab1ca538aee1c2c1c6547da70b4262af2131813fe78eac7d  LR_bicubic/X8/coastguardx8.png
61d437772cae60bd61538f69bbf2bdaab887d57bd298a60b1e227cb644e46434  LR_bicubic/X8/comicx8.png
09fb9226a8824f8c38d26204c40a7c2442109d3588c688228d4539b3367e6c87  LR_bicubic/X8/facex8.png
6a053e28ac8c9e1ddd41e740ce7a77ca74031f640052423f17044edec06dc7d4  LR_bicubic/X8/flowersx8.png
ef4778f22a6abe67af7ab1749f3fa4dd68fdba03b09ac9b4c3fa9393548223ce  LR_bicubic/X8/foremanx8.png
df88ba4fd10b120cd58f375efbb006436dcbc9f2e63ef26ff2432d3ee7ed57e0  LR_bicubic/X8/lennax8.png
0904561983db0344d8f7f58575ac6ca7a9e86a71cddfba236487637bdf377175  LR_bicubic/X8/manx8.png
47d0df26a8ed690a1ee9f55da713fcc12a9e97b49c94b4f0ee0c70b73addb711  LR_bicubic/X8/monarchx8.png
150287bd9ab674903560f95e7c5f59a3b97bdb0734a14145adf9c1152df0417c  LR_bicubic/X8/pepperx8.png
6d35de225e3085f5e9dbf76477c48da86f02d89b9111cadc0203020a4ace349b  LR_bicubic/X8/ppt3x8.png
62f3eb1ecdacb68b13932cc70d1122b49d3f0ce7450a03413024d1600a39fcb1  LR_bicubic/X8/zebrax8.png
"""),
    **_read_table("B100", """
3722dfb5a3e1ea941033705f5a25b240605825135750545f33f2fff0620177f9  HR/img_001.png
e4a368b800e0ed68bc450aa0d9bbc5fe70b130134d8b4afc92863e3cc1b0d309  HR/img_002.png
bf97fa9edc7c7e428039ec8d61ed90fede3cca94a2956e7e7be1c60d6c7527b1  HR/img_003.png
1d2daa6cc2e9dbe2397ae92dab2626ce4067deeb472c64000a335d0bbb06beff  HR/img_004.png
875eaeff7bf2530eb66670c385f1f8b618e5d11e3ceb5ede382527e883c0267e  HR/img_005.png
99c38fb563ce59cb889ee20ddcb1243549940422b3e609414061c37823404882  HR/img_006.png
c470e211eb240e5f68c6e1f2b8d0078ae27d19057c0ff32a2c1f01d2c8c7e724  HR/img_007.png
bcf9d34ce43e7d140b870c56d10e4b7c3f152546bb763b312b98a41158f52975  HR/img_008.png
da3595447b41e3216ba7ae6aeb0afba267be4426590b9c65f49e3600d769b4d6  HR/img_009.png
07a4ca7ee68d16c1097c37bd2943aa46556f222155c87153fb8a32a09988c379  HR/img_010.png
090fff77d1643a9e3ab8ee8a5211b08850eddb81bf9a22b8bc449a354235524c  HR/img_011.png
7f2447c28ef65dbad0d61ecb7d9bea182dd0c2a2c612b15bc702c31a20943a67  HR/img_012.png
166a522dfd140681a58a61c7f02649290d60dbf420294a61ae91231d0d49692b  HR/img_013.png
5a64aa15e93c6189943b03bcbbd7eb9515fbce42f15d073a0c0302cfe30d217a  HR/img_014.png
bc715ad007092a9b45643db4fc1035622d52586c14847c2a07a8620606247a37  HR/img_015.png
b606a3d46d0ea2ecc0cb6ed9e162fcfaf7876b40d8d8b168acc6d73b05085219  HR/img_016.png
0da9dcf93f18142eaa8c33b26b8a21df639923949259128a850170c1003a767f  HR/img_017.png
e181d8f2df647b1f161545b4a09c622cc592b159021323c3436a6507acecc705  HR/img_018.png
0b9f8a9a0ac29569974f55793cb2f6d9912615adfc9ab146163e72bb70cd8ffa  HR/img_019.png
be635f80844d91a484b21ed5247f111d4826ba07bbf9ea2aee095d6ee26632a3  HR/img_020.png
3f8b3b5aa2a9c68754ff41a06ba2518c2ecac4f6c06464f48ee745c4f38b0168  HR/img_021.png
29364f7cdd284686cdbd8419a9c4b0ce2305560ea0eefb1a31926d4e6af9e709  HR/img_022.png
1f19e28638fe71107f47bcac3a1c591d8d8f2688978b7deff0b6563186eb414b  HR/img_023.png
c35f3ac73cb52e760b00865d74c0fe5cfca5f4d3dab69d8d3413981584ddff2e  HR/img_024.png
000166ed3e00fd72e8c24bbc4fc6aa2265c730925ea48ece8eeedf401c836cb0  HR/img_025.png
eb7731693e919e09632b26bf7edcbdb97858c4cdfce09963f61ab8751c973e6f  HR/img_026.png
1aee5a1935e4398bca63ee6482071c314c8c1c303fc5e87e7b7db8ad347238f9  HR/img_027.png
980d4573f1e138482e8afea280757beab42fd5647600c8d11600150cb5c49906  HR/img_028.png
80a453a9cb0c39a53a7a0cd6a4a6a919c6cc7583e62f60cc7ef481b3309b6c73  HR/img_029.png
15e807d26d1671dd812442ba459e5f152f4f185c51a95ae4d0c199d5465715e0  HR/img_030.png
7e96303cdd217428f54c7f07d97d421713ebb5dedfeff2e5372f04de28ca1a63  HR/img_031.png
bfbae7bd236977566576ff8049518eab3e05a9db7e59ae9fea9b77aa1cf986f6  HR/img_032.png
a7c89693dd22e9dd99e1a6f2e7b8a8a63bcf75634a572856e3083d5243bb1d86  HR/img_033.png
567e2765ad499bebc6036bef9aae16954d8278b62679b23179a6450b5654b9d6  HR/img_034.png
484dac525ba1a93704832c695a0ba25ab6dcf775419a2813fe17e8c8e9d9a2de  HR/img_035.png
05e2f01defd3f045c00ca22a308f7fa276d0a2d9f4aefa50d4960ff26157f351  HR/img_036.png
5c547b30f2fa436da8f5daa8d07efc3aa80cd219e2a8ad2e10627176603406c4  HR/img_037.png
21c5ff0db1b0e612fd487087595d1dca17792ade5878e2462dda51510b0c42e2  HR/img_038.png
1c662e4e6a5aae30d690156107bca9c572bb68cea4413a75c3ffdd6f5f46e6a9  HR/img_039.png
57897ad31bbf544aff8b5cd7181992ce9629d3d1aa797982b59ab6b44e077933  HR/img_040.png
a418c3897714171ab85ea2bbb1f36386822455b9f3ea1965f8fc69ee2a83f29b  HR/img_041.png
0fe0f90f7db2e72efe7668b2df984a03bf2f88c2fc5159e9c94139c190fdc444  HR/img_042.png
32a173f945cf02c7cfaf8d4a6a1eacaee4fe333bf0131b9cfc5f14fda27a5985  HR/img_043.png
b6bdc989c42b973523525c356fc07b2b236053c742f3b3494339c9bfdf0c1fb3  HR/img_044.png
012405ea0a11cff0d1735ba2ac8703239bb1b3d605483204c55ad81f867f183c  HR/img_045.png
e56779bda7825f1fae40efbf0aac0d5c9c48eeb3a1dcf38e538a2b307a0add80  HR/img_046.png
826406c6d86ae91234094db1efbff98d631cf0e9219d284660a4e30acba36867  HR/img_047.png
1467c3d47ab301bd41eed0516ce51eeb534d0a71d473e5db58e98d1c46d7e06a  HR/img_048.png
de1e9daa104642e489bedcf9edac07ba85fa03295415b388250013c0fe3b6f1d  HR/img_049.png
9e1a12781b3635486457a558180c6909062c0a96b694cac764b8a26e017ef586  HR/img_050.png
4dc83a41c1812ca7356d47425dd491f57465e96e5bf8881c0d7a8f64d7ff81de  HR/img_051.png
be29046a02241ccc554c6669c9f260907621ebd9ad9def4caf5ccdb9b92745ee  HR/img_052.png
049f66402dec4dea120f7d1c3b6ac21dbd19d477fd5637337ced2f918fa670b3  HR/img_053.png
fdb8e14b9be4bd5c7fa0763fbd01f6f01ada340f6e527d2127d8203afc246789  HR/img_054.png
59b909e7b4f2ed8e3f3e7a2d21f8312a1c21b8bb7c9936173c2ff34d3a4a6f65  HR/img_055.png
3fbc5157e25cff9da7971e49dae482e98bbbed94b2bd3d876a4bdbd312e9310f  HR/img_056.png
72179aa07828a7956801adafc5c5c339e35bb1d17c02f9dcb9917d8690099a00  HR/img_057.png
a4d760e1dfca659a969f5ec5349d56dadbf735b2329b1eee8d8d2401185443e8  HR/img_058.png
85b7e6e60772180a617f842ebe3e0b975fcb17c5e16789e442a61197add4ebf0  HR/img_059.png
c579988385dae301eb7f901d8e39c65b08ab2bad88390827e40ac4464dc4ff76  HR/img_060.png
6d489c54ed7556a339a2153723202ab77670f0f6a99b1c00d49ec648845fbba2  HR/img_061.png
4d32bc8450a2b5384548f689495920d6e0f4f0bbab84541fff45384011703b04  HR/img_062.png
d9d171eb977e6e8c5a0d75c16474857fefa33e4c315b9c66506386b3b058b5a5  HR/img_063.png
329f712a1107979d4e05a1508174fbaeab969ed6c29171856202957c94a1f59a  HR/img_064.png
dee97a26399c1b093786ada1233c6ffeab2ca5a71061b6a250a8a456435d0117  HR/img_065.png
74d4dde9dbe665c5d0f31396349046ae1df7ed129f55c9ab7563f8a6765b71d3  HR/img_066.png
d9461a6ef0f899c8ecf622eea5f4b09fea084682f115c311c50d207c70e99f0f  HR/img_067.png
75a48fd21de25c8b14d80ff0bc1fc6116664b5a0ddddebb69a7afc66716fc408  HR/img_068.png
276d1ce7db3fab73360216014d2c7dcb977cfbe74407ba47d3b1f5c05189415b  HR/img_069.png
66b2fbe9a605bbda59ebd1c4a83611f0bde9b4395ac821b66b9d97be7d375db7  HR/img_070.png
555d0ae53051d350c5cafdc97c6f710acd449eada3bf11108c2ebaaea4dda041  HR/img_071.png
db19f428ce8af50fbce865107d5b4ff8f7cca222705c5900e8466f96ae861783  HR/img_072.png
c8f14f5051a4c9fb9aa3d838d3cc531e3da7e629d87ca2921b2f6a559712bb36  HR/img_073.png
d4272f99c0efac34f38088cc4612daa0dd7396e7dff57164b118860d30c7406d  HR/img_074.png
fdf9d350bba9b658305ba8d69d2768cacef1d4de52c0d21187852191ea865187  HR/img_075.png
0e9ece2c5028d337a5ce67ab1b655d4f31c0fa14009cb5c849585b89b4f5d528  HR/img_076.png
590f83717e308d31c3cc8dbb255ae7a10a89b3a54b4f3af7f72bafafe4a2e9b2  HR/img_077.png
bc936e9fac065ee04c834d6c748b0ebc42283935ad895299d8c2dacceb18f45d  HR/img_078.png
6c746626c7e8ff16ccfab9c1e29da43662f4eb0a8d382242202ad4690ee85b61  HR/img_079.png
3f4c9e0f6f2fc59cb183e4e4e7e1ed1736844acea0e4c95cfe1173486ca83b93  HR/img_080.png
6251077000d1cc8aab1716479e529f8039aeb5da95ca3e908ec81bd83b8258b5  HR/img_081.png
9a4ec50a882562152c53e8d5fd0292622f4b12b76d2269aefa0904fc037d1c3e  HR/img_082.png
f143e128806ea3df3e91674f421cf1517bfdb15695cb5b46090a12343238f6a6  HR/img_083.png
334ed6d5b08f1ebbfddf4e8dfb8247ecd9e1e478e309daea9feb9a3bfa56ae78  HR/img_084.png
fa2d60231183a7c337d1af8ecea115116e5fbb80e86b646871578ae202030d55  HR/img_085.png
d8ae050af8d81083575bd274a10d711ef45ba22ea2e6543c114da79b0dd7eb0b  HR/img_086.png
6cd8ccabe2c4724db7c0e79535671f2924cd489fe012494dbe841893491a2bfd  HR/img_087.png
ebfbbf317621edcb393ab470137908b97af73073b7bfca9300b2429c906084bf  HR/img_088.png
491d7e0bf9f8aa7e2119e1677ce99a0c6180523dbe08f6cc066f3803c99c2b78  HR/img_089.png
2a22eb63109d2bfd45e980e079a0cca6f845fd2e75074dd53c88273809f6b171  HR/img_090.png
0490971b1b18e887ef153763c4c63ce7055bcd276149d076ef969670cfe39630  HR/img_091.png
a85b8b49a891fb0e07e86322cc0c3531e449fdee297eb8e01bbcb59f746e5e26  HR/img_092.png
b98da5f93a2df478d6f315e997e3131b12dbfbea9f39b511f3364cf41fb24af8  HR/img_093.png
3a32478a947cafb6dbffe97b0624f79fdfc31b25276a6de24094026320c01a3e  HR/img_094.png
8927a586797048b6138ebd52af460de1241ed2419b2438c33303fe6479108227  HR/img_095.png
a6919d9f325669f2c88803a03306fc38090afc8e1d4021dfb4c07aeb19e5f4b5  HR/img_096.png
9c83bbb5cd7a1b835cd22378931dec0630f0915ee1dffe4c459df0b3bb5e1c6e  HR/img_097.png
3ef29768257efd46f072e974944211a6367a198de30bcd67ffddee27ea2d9ed4  HR/img_098.png
a52e51c6720e69913a6eeaf6f0af8e3fa197189b3e51cfe50905e18967b835d0  HR/img_099.png
8c61803dd63a0bc1c6bf38bfe400eb1a15ff3593a4e8699fa5e4723184a3da00  HR/img_100.png
c993e66127cdd2f27a25b715a5a807976a3d056fe9d6ff8336113cb04e8bc4eb  LR_bicubic/X2/img_001x2.png
02af7f114d5c3bb0de74907cdf38a9eedc3cc49f750f1575c4693cb32587183a  LR_bicubic/X2/img_002x2.png
73a86400811ad9c1111dc15a29eedb6c50a7944d4b4ce3c5bb4ef989382c4fef  LR_bicubic/X2/img_003x2.png
05b95de6c6b7060c9c0192c7024f3df9a6bc4e52751d5d31e4532d07d53b7a22  LR_bicubic/X2/img_004x2.png
eebdea3fac17c80d8e47ab124f488c0f52ed1f4acca00f31d5bdf4c060716253  LR_bicubic/X2/img_005x2.png
9a685b932e7a5cb4e632a1f223668623e44bd3c0f26807e36db5c37727b7fc15  LR_bicubic/X2/img_006x2.png
360a2d34fe3ee5f2ba9229be6a94b3860f26527bc752c1cf11cc7eec550b58de  LR_bicubic/X2/img_007x2.png
4518f247d3b137743fbdd8ab11197925799754dae4387f6d1a2ac185681800ff  LR_bicubic/X2/img_008x2.png
2aaf379c3b3cb51521691a72cd7fa1a1986c68ea5847e7031311a984c2789208  LR_bicubic/X2/img_009x2.png
099004a4fb1a9566d2af22528040669da8ac7923de733556364504a2d4d06bab  LR_bicubic/X2/img_010x2.png
dd6299dbc08d7e2356f287cff980ef8928b08422dbed49916093b099ddc39e8f  LR_bicubic/X2/img_011x2.png
86e7ad166898817f19e83a8db4447828bf6118888a296e1ca0b1a1b0eb95e064  LR_bicubic/X2/img_012x2.png
d09aee9484ab7e0b40fd5414d505af6a9304def39c6083181434aecbc7abfb0b  LR_bicubic/X2/img_013x2.png
74b30d3d52bcc6c25e8b51376b8c118417ff841edfd9bbb2d869e68eadeabc35  LR_bicubic/X2/img_014x2.png
59d7c79a16c0cb13977ad7d6a87b6c79a130b353fcd5d6a21bfc3f5310bbeefd  LR_bicubic/X2/img_015x2.png
3fae4b1f2dadf956c9872ce73bb1df37cce27952127c340851c1bbea225fc315  LR_bicubic/X2/img_016x2.png
2d8204a8926c815fea11e13a03a14c73870d15aeac25d8636ba2768e7f73b89c  LR_bicubic/X2/img_017x2.png
dcb761d5cbd0fdeb5beacdbd509fcbab88c7125d8a45f0e5e8a9b1a948d0328c  LR_bicubic/X2/img_018x2.png
0313e9b375a6879931710060b0a275a2a82223d63a59c0d679f17c142fc3cf06  LR_bicubic/X2/img_019x2.png
35ec6cf0bd44a29bf37e8a08acbfb4e759cb0c4e22b90abbce1bc1dc932c075a  LR_bicubic/X2/img_020x2.png
c06d15c3db09fbcba7ad5c2bdf2b70ba81c6fcdeef51bc5e0cdbc1c6817c3fde  LR_bicubic/X2/img_021x2.png
a9d892e2e6c6fcc06531e194ccfcf65da4dc21d21dc4b8a5b73952b8898e73cd  LR_bicubic/X2/img_022x2.png
59f5d14d143fa05b203d478f0c6e1506c14fe57ed5c00a3f6244c60f795bd94a  LR_bicubic/X2/img_023x2.png
35e47479cbc3725559475563a22e3ecdbad0044ed23b618ca535160a6c9c9f0e  LR_bicubic/X2/img_024x2.png
b29290bd000679fd5002d49509f577dc9a5d11dfe1e75169d65399a6775e5474  LR_bicubic/X2/img_025x2.png
af4014c5ef45a7faedbad0da111de601ae0dc8cc27a4b778b15065f85f3a0f26  LR_bicubic/X2/img_026x2.png
955a9b5e506f4930c6cb3145a0684a8bb4b2095e8f63403e2996fc4542422aa1  LR_bicubic/X2/img_027x2.png
fcc1e5030b2f35e12a42ccb4ed573afe3773b08edd9a863aae70a1b2e526086c  LR_bicubic/X2/img_028x2.png
e44568b58c7842e1360974f32136cb056bb25fa3a080c9c01f326276b7fc4441  LR_bicubic/X2/img_029x2.png
e8c4d87154bba8d8a3c67c5b2f51f10b7de310d6e09659746b84b2eecead0ae4  LR_bicubic/X2/img_030x2.png
ee180dc925d216c60eb587b1487f9edf43869fae7d9f3a0556b68e696055b347  LR_bicubic/X2/img_031x2.png
ce1205964d2ec65cd3cd4dd56df1daaad9ff915082a7c7309d7b5048d2ff3a7e  LR_bicubic/X2/img_032x2.png
33127e6770bddf1792e1503618d1d16b54b00b1c962e79fcf4410187d820de6a  LR_bicubic/X2/img_033x2.png
9ef49dc6d1af4b35ab941b56605c3839c3644a64a3da4f4f6840cae4ffa9c3fc  LR_bicubic/X2/img_034x2.png
b43929e8c7aee46e175a92d4db89818874f504d1a1853b4b2fb195951f75b118  LR_bicubic/X2/img_035x2.png
ca7ccbf30232e6f29670d1a127b0f2f822909ab3f117b6d8968341e1a5126ddc  LR_bicubic/X2/img_036x2.png
9900e2b597dcec37e4d40f37eeb4be1c7048281d9ef78e0918675e6585c1070a  LR_bicubic/X2/img_037x2.png
3816a0b2b5f2e940553405a88bafe3a24da6fa922930ac7fa43a1c2254d84555  LR_bicubic/X2/img_038x2.png
11b08ecc0966fa1838dc4fcaf934e5a563c4e81662c069e93a8b1ee61ae2cdd1  LR_bicubic/X2/img_039x2.png
533bc3b575c5efb2c5cd0c60d8a0a7c142a3a2cdb2f7216e69b916dd3fa8af0c  LR_bicubic/X2/img_040x2.png
ab0319ab2e20722e1d511c89f872cf3bfb47fca636aebcac9883f2bf2dcccf0a  LR_bicubic/X2/img_041x2.png
aecbcda76d87649f2723b61176ce6c925a5023be0b2852e36f06b7ce5335a0d2  LR_bicubic/X2/img_042x2.png
ceb249d126325caade009f2338cf63f9ec1d4f90fd9b21445c969a0cb9e2273b  LR_bicubic/X2/img_043x2.png
f007ee935ee76c62119a8fe20e0f28a8bf5b96c80ba51127315f02b9117e4353  LR_bicubic/X2/img_044x2.png
6257f1970aa38787b6b12c3196d7a86e22086500304d74b46177a13b4f1c7db7  LR_bicubic/X2/img_045x2.png
7f08f1843975cf1fe2eb1d3cf68eb5415a4d163889a15525d465e17cad1d4140  LR_bicubic/X2/img_046x2.png
dbdac6a7189512c06c9f8dcd931109dbe1010bc5afbb3916952ed46985544f31  LR_bicubic/X2/img_047x2.png
b3abc3623c28c17a4f36e25e33f26e09b2f7c7c544f13a4d8fd0038f95a9ea3c  LR_bicubic/X2/img_048x2.png
18f491b8186ed81edcb89e58cd2c109ecff3fbb64b3a19b0e97ec219319ff05a  LR_bicubic/X2/img_049x2.png
f0f9aee11322441481c24831c34ed8e5472e823e947f7270a8aa2e25bf756ef3  LR_bicubic/X2/img_050x2.png
5ae94eb826c8113285b959da628262d2ec3accc7be19f6f56598c6a620e2710a  LR_bicubic/X2/img_051x2.png
c901dde6d528be59b01dee187f0859addadd61011fb56f7bdaf21d6017c5d695  LR_bicubic/X2/img_052x2.png
a330c8622a8115aa6700dc160b4c1f396b1a57f59889236d9e694105ca23e772  LR_bicubic/X2/img_053x2.png
5fba1fcf256fb1a4a4f4033794deedd6a379c5ab0ac7f084304f4ce608bdef09  LR_bicubic/X2/img_054x2.png
6a84681fbe3c06641f1e2604d7b06a8f3f14487d8c6f86c4eab1d5b8486375be  LR_bicubic/X2/img_055x2.png
433ad276c2b6f29345a49b1e31bffc0afb8f4ea9dc195f150f7dd056bf1ec13a  LR_bicubic/X2/img_056x2.png
03afcec9ed815e6f0a8cfb5bf24ee3600f1a6c7bd9da7393a9ab3d5f192fb0d8  LR_bicubic/X2/img_057x2.png
3497843b2beebeffcae5513953036423d8e825b576014dab837b3e3c9ddde3e9  LR_bicubic/X2/img_058x2.png
a4d009759e6ebbb9efa4cac7cf32bdae9cec4c1906a84376967b1f32ef3d4312  LR_bicubic/X2/img_059x2.png
75da263d220a3f07a872fbb7c296e32ce14bd259ca45259a49c73e2334c14271  LR_bicubic/X2/img_060x2.png
b3dc7b8b2a545983b81c011e3d2ef339d9d0cf59b500374a0e49bb18c0513feb  LR_bicubic/X2/img_061x2.png
32d2c3f696ac9907f1ff17f4f88d40d39e6e9f0a27b90a536d3df1e5e401ec25  LR_bicubic/X2/img_062x2.png
7c11564a16bb37ca0a3be78311f5cdba4c5dfb191f4c332f71af003b6732cc43  LR_bicubic/X2/img_063x2.png
e2d6e1edf7e7a7584c3691c7f7cacd329016231e76fcf97aba757934b4a9cab6  LR_bicubic/X2/img_064x2.png
30a3f34b621101a12541fdcfd2905b3c326c5f225f087d4b71aef3d050f09334  LR_bicubic/X2/img_065x2.png
b2b79ea12691e72df0054055f8ae762d56a2b39b6382e93d837d2874168b96c2  LR_bicubic/X2/img_066x2.png
efa32e9b14a934f47f9ab337164f5e5e242b7f6b87aff72c100dbe85e31d44ac  LR_bicubic/X2/img_067x2.png
3cc7249315797be52807aba0eb200370a372c01d35888437c0525b45a404eb7d  LR_bicubic/X2/img_068x2.png
cfd4c1a70d898c5b96cdd283f1bc7b9f9d06604d7ba23bff46bb5a9458bda8c0  LR_bicubic/X2/img_069x2.png
019f7ea18e41b5ddd7ae7e5a4f9d704f0176cfb1d6f4e7a75a3ec788da943b2c  LR_bicubic/X2/img_070x2.png
1cab842c8b240731a16139e52f587c3eb1f8a30ab42636e858d0b98407e5c7a3  LR_bicubic/X2/img_071x2.png
245b290ce8e2a1024543e583303060ad7ba7f59013a00e8679a506f9cdb1e5ce  LR_bicubic/X2/img_072x2.png
b2f0ac06b81cbed5fd0a503257924ad661a880d141c3c4dfdf0d3f40114137df  LR_bicubic/X2/img_073x2.png
3af6127a7885dc05d2e5517e29b02016e9fc112e5c96c6ea50b581b31580ec78  LR_bicubic/X2/img_074x2.png
006c2aaba17a12ecc3fa9033eb8131e5a9de0718dfa6d20d90440f4ac65b51c6  LR_bicubic/X2/img_075x2.png
655291bc719cfa4a36b02d19ca7b4525ff3963b779327490dd91c382d0f6d4e2  LR_bicubic/X2/img_076x2.png
287705c2aec55f595db29c5e4bd8a8f970ac386b1791058721146aafd1979a4c  LR_bicubic/X2/img_077x2.png
4d7240668fa10ca889921ef06d16a4524697f999a36246e9ace00b278f9a4f16  LR_bicubic/X2/img_078x2.png
c823b3465f37589b1e77006230df10da64693054ed12e27c0f8217dcbd394651  LR_bicubic/X2/img_079x2.png
49785166fd7655d38663dc027710eb2ec46153a18f286cfbd009401b2d95f98b  LR_bicubic/X2/img_080x2.png
678794097dc1a6d896049c5565065c2b4d6bf10597786ae27cd4b903d6e51ef6  LR_bicubic/X2/img_081x2.png
625d1c2245d44e10709ac76dd832b84ecb0feffd35ee516871889c2b36af0e5a  LR_bicubic/X2/img_082x2.png
42a5cbfd0d1785f2b8940439aa9d26198189cab33ff138128d0f5d4dad77c99c  LR_bicubic/X2/img_083x2.png
3e42b4dc215096b15e05ec7635c277af594ee88b108ccc6b9c49a395870c37e9  LR_bicubic/X2/img_084x2.png
13c9c3648fb7eca94622ea3d3c781863c4fb5eb797bf443572da0b3173d3d192  LR_bicubic/X2/img_085x2.png
ded0666135043bbf053efe0ed0100d474419fe3c720586444ddc181a0ce3d459  LR_bicubic/X2/img_086x2.png
df3b65a4042dea54d25c1abcf781369476ee956537971fc01c9afc370c12d5a8  LR_bicubic/X2/img_087x2.png
320ee56f29b61e09baf4dd0bcaa3cc2263a7ca2fef8a954d01d957d72b54d556  LR_bicubic/X2/img_088x2.png
80dfa1b397dd00067fef020daa7a42df3edb6851bd710d21a5d18ddade33abff  LR_bicubic/X2/img_089x2.png
bf6129904554edc07b37eb7d75a37c042f91d33c3214d7725b353b27143ef613  LR_bicubic/X2/img_090x2.png
f4f169081594877cc6a136fe5e318b603eda16e61f973ea57e804554778fe4fd  LR_bicubic/X2/img_091x2.png
9bb7c26743d2fc73bce5d8a9c1399a2913e8f11eb91f28091c421278abe892b2  LR_bicubic/X2/img_092x2.png
571b6d1c80da09c3f82877ba4c28f27bfc569204ed679bb1bdf7ba9a05c58f2d  LR_bicubic/X2/img_093x2.png
cbe8baef799e44583615b018d0fe85cc6ef9ef1af346bd2d36bf6e2570ae9265  LR_bicubic/X2/img_094x2.png
0f80cf86e34fd78f10181799e6c79873641b69b8ddbae3e89f6f671d496a1e6a  LR_bicubic/X2/img_095x2.png
d23cdc2e436343ce79301920954dd8194730e6277f5ba943b5896638b654a2b6  LR_bicubic/X2/img_096x2.png
00645f964b8cd70d20aef9eeb4fcfe0cae3594618d18e18a6318e172c56f603c  LR_bicubic/X2/img_097x2.png
2b9e4744ede3c71b67586f3e4194eeccc00082638269fed4c7637c8751d9ae71  LR_bicubic/X2/img_098x2.png
9c8589f861c0361c6230de25589e6384d974c158b77291566e6359a7160db36d  LR_bicubic/X2/img_099x2.png
7ab666f26039d4430d224ef0abfe891bf1e05988942a8ecb3374e47999ae44c4  LR_bicubic/X2/img_100x2.png
fcb22a427e1a086765e92e3b14a623d48ddecf10d085b103e7af7492345fa765  LR_bicubic/X3/img_001x3.png
c49ef0ec31b55deda8ff6077147e367cce31ea2a41a41e6afd5ab1a99647c9bb  LR_bicubic/X3/img_002x3.png
d1097c8e19e85c2037e81d1f893d9b7b89f559a5581e9cc0b6e14e50f2f74056  LR_bicubic/X3/img_003x3.png
c441d31a6fc46d672b92b9e958ae60811d54a4058f5851be602f444516df5268  LR_bicubic/X3/img_004x3.png
f76176abf6fe0db25b5afc9f3e9d369125c606a0dc545893e32b5504a0a6f268  LR_bicubic/X3/img_005x3.png
a112cb60d07b393bba898229afe1c9ed0b194fbb0dcb5357ac6329f576dc6d06  LR_bicubic/X3/img_006x3.png
f57941f61eb18c326208c279f141b9b840b3dde1b9e9f6df644bc20203c2048a  LR_bicubic/X3/img_007x3.png
26f87067e62cc539d336b87dc7dec21518c26ff1869ac7d4d1dea73a11950a10  LR_bicubic/X3/img_008x3.png
fe05929fc7a43b3cd613f1c5399d64fdfcbeb8fc8f51e192a22df1625c583b9f  LR_bicubic/X3/img_009x3.png
5b9763a9b77365e37374bf0bdd9c1ced2d09c70cd7fa5145b61454aa17f59743  LR_bicubic/X3/img_010x3.png
69a334684a14f042667fd5c91d88e0b9222117514e5f0db782b64135631a7ece  LR_bicubic/X3/img_011x3.png
76d0f7ffe249aafae8f6dc38c5e32225a91d796439a95c9702edbd8efbc9601a  LR_bicubic/X3/img_012x3.png
80e84a7590e7ebdcc7abdca99964dc79d7934d2d0f3ab3c7fd2c36c9b2c04c6d  LR_bicubic/X3/img_013x3.png
b12364253260780505cdf4533a93ddb00a211645ca0516bd35a8a35fcda34e7a  LR_bicubic/X3/img_014x3.png
d55e405e3699cc0c5e4948a2946708085a677b5ffe5782bcde3d2b8cf205b158  LR_bicubic/X3/img_015x3.png
a45c3cd8e779759887685d4ba5040275aefff017b4addefdf3eb0dbb8903af40  LR_bicubic/X3/img_016x3.png
43a174b0e3f5a252e0e67c7dab6cc3a9f0b364c3926271182b2f36b531a461fe  LR_bicubic/X3/img_017x3.png
7ec15c9ac1bb309b29e4aca2f37923bc5165235870b6b31ec05b3d36b3475548  LR_bicubic/X3/img_018x3.png
3c3737060df60ed51df2ed32d2e60236eb52d6192da8f6d35a1cbeb9f37fe3f1  LR_bicubic/X3/img_019x3.png
a332c9116ad5f10f82b5cc41a375f8e71dbd295466ac5b8c562d71d44d4616da  LR_bicubic/X3/img_020x3.png
1f57ea372aae01180386471739cefbd62a285334f1c04c53101ce32298acf246  LR_bicubic/X3/img_021x3.png
822f79a9f3bae25532bae9d36a6e64913e35ca83e273d6ee2b29668d1f0c18d1  LR_bicubic/X3/img_022x3.png
fdc5469c43762b935b80c04915754800d39b4796227c60019619fe95d8bc615d  LR_bicubic/X3/img_023x3.png
7204d7cf2a27a08a444d2d8b5e2350f01748183a78b3568e884be2c0a0d42277  LR_bicubic/X3/img_024x3.png
9c046487c60f823aaf7431dbd10638d291bd5dc8da7e84fd1d2f375c75e1cf25  LR_bicubic/X3/img_025x3.png
7796c14deaed3775a6a3e9aca3eec2c9d6bcdceaab6f9e8d6a3914d2b9b2d391  LR_bicubic/X3/img_026x3.png
4c599f0753b2e94787f95db397450abfb27a3020608328475bf7ee001e2edaf4  LR_bicubic/X3/img_027x3.png
faafc6e574031f8eff1c07c43ec88aacfdebd1d49a852997980d5d46eb08c04a  LR_bicubic/X3/img_028x3.png
dbc4434be3ed34e2f979275841e78adef168c19bc7aa2acbe2c5e59a39067a39  LR_bicubic/X3/img_029x3.png
579b1fa466b3f830c05510aef8976ae88df522df886992bcc792870ff18363c2  LR_bicubic/X3/img_030x3.png
bae738ba967ec62dd6c8bcd09ae413947a4aacc2bb5e710fa0ba4caf5a1542b7  LR_bicubic/X3/img_031x3.png
328a9fe6044d16fc502710bad7027c3480b8fb4c719eea5a8b6c8a2c5400765b  LR_bicubic/X3/img_032x3.png
5003f622fb310a59c3bfda324a936b18051926ed4db83e95b714f40f1719ea03  LR_bicubic/X3/img_033x3.png
9e1104f8dd11c199fe581148ede572c127b3b42115b3e7d455d693c48c6a0e83  LR_bicubic/X3/img_034x3.png
34e4613878683d086e8da15a0f8df12aeb7e3018d8a67a6b129abe96b17b713b  LR_bicubic/X3/img_035x3.png
c8b56ac51e85c568a476c07507bba463518a1c30492d78dd44c8b36c614410ff  LR_bicubic/X3/img_036x3.png
d2aeea1599c0a9bee333f8594ca1d97b45e3d787194ef27b18914ba5db41e6b2  LR_bicubic/X3/img_037x3.png
60dfd8b896c501e66245acecd5cc237453011910147db57a39f0cd1193a14b4c  LR_bicubic/X3/img_038x3.png
084387fe534794c388ca605b7cf95497093c67fb7eba29d919a36c2d8add99b4  LR_bicubic/X3/img_039x3.png
a703b3de28138b4dda7807be8ef0aaf9d40c3076dc204d49483ba4c68014af20  LR_bicubic/X3/img_040x3.png
7efa64a0c0dbf9626b143dfdda66bb4d08927c76a095bdde73c008b8b9f9540f  LR_bicubic/X3/img_041x3.png
81f55fee37237b26fd25c41761c898f887ad00d46b661c8ee4ddfa4a3c94f8e5  LR_bicubic/X3/img_042x3.png
5419d815147fe0440768aae3995b2cb65a41c02e0eec3c8b57f3980c0d0028a9  LR_bicubic/X3/img_043x3.png
6bff2cc970ad5dc2267efacbb323b9d6c2fdf3112102f0d1dcec25dd85913756  LR_bicubic/X3/img_044x3.png
15c270b52d8eca6e05550dd3d42141affeb6ec5929f898fec4604d5f46dc204e  LR_bicubic/X3/img_045x3.png
a56a664cfd6385191a132a732a2991a3b40b210cc44fdd87547abd60949a3c80  LR_bicubic/X3/img_046x3.png
3e3eb1b4fd5282566c1579f1b743a2d0a82cc8f39b3158fc9dc5f257d35b7f67  LR_bicubic/X3/img_047x3.png
c81eff1f79ad942f090e2d8e6af00768d7a231755e236f23887c97a9c9082621  LR_bicubic/X3/img_048x3.png
a2baa68b584282734a45a0c69a88058a67c10c23dda48a6daa7ec814513c5671  LR_bicubic/X3/img_049x3.png
11843029ffd87a71d7ab2beecc38e90c28bdcf330baa08e09983ba6107f618ec  LR_bicubic/X3/img_050x3.png
cdf3277cc15cfbf0e461be3b1d78a7241805842d013af664f18e6c5a4617d642  LR_bicubic/X3/img_051x3.png
c45ce71dde073c0d798e859e1dc4f335ab696c88ceb11dabf7bb6f03bf19a7d6  LR_bicubic/X3/img_052x3.png
0ef721178049dd6db60ab6e77bc8e61fdbdbf7e43442a81c590bd4bdf1f25dfc  LR_bicubic/X3/img_053x3.png
a21e994f2e4b570cf672096bbedf393d2417ec243db2827d9ad398b83931376e  LR_bicubic/X3/img_054x3.png
54e35dcdd18e0e70b56be095b0530cbde6d813bbaebe840f6c417da0846222bb  LR_bicubic/X3/img_055x3.png
3e75b617c30a297c99f470e00f6a5616337fab86f73eb3ad01801ea0f1c4b614  LR_bicubic/X3/img_056x3.png
be7d3c33278e5376062ec22e965da318317e8d8f0dd4f61946fd45086ed00951  LR_bicubic/X3/img_057x3.png
b6ef0015e0ec5077557d51d59bdca4cc831526a895333a061c95170a57a0e5b8  LR_bicubic/X3/img_058x3.png
38c0555d8c34f29fc102759bce02956b5816a2fe1d945f82548e3389a234f87a  LR_bicubic/X3/img_059x3.png
8ade07c4db0fb308eb81f4706caeaee35d1c500f96c3ce2b1a3aa4e77ee3fdec  LR_bicubic/X3/img_060x3.png
c69f68ecb7220c2395f2a203795e587ddc597221800fb5cdf69dd7f0f68bf61d  LR_bicubic/X3/img_061x3.png
0e7b0ea8859069b3116b195f882fdd7938ab966dd1fabb9321d618fba3ff12de  LR_bicubic/X3/img_062x3.png
6d68dd3b1dc76a1399d5ef8d48cc426512a406f8aae1b9ef559c6e0260d86c45  LR_bicubic/X3/img_063x3.png
792f2cb75c7ba6de356201e08db120f4efe4995d3cdad67bd8b36400eec8251c  LR_bicubic/X3/img_064x3.png
210e86e366306dbe5a8e96b01e774fd14547b148565ed588b8509bbf31375e9f  LR_bicubic/X3/img_065x3.png
0d722997aae76699ca934145b9caee962158e93455c65628ac9e8cb8ed86a440  LR_bicubic/X3/img_066x3.png
6096e42042b91f9e6f6a4d63c2a5efe41efe2b5ba87e70e5040f246f2a525a69  LR_bicubic/X3/img_067x3.png
5ab79c0305cad2a713c0a5ce175ec4c732138816a49e1745bd12c77557d11f4f  LR_bicubic/X3/img_068x3.png
c8a6aa7173363cf1c81cc6075b643a09bd2c3412168d092e4be3348ecf059327  LR_bicubic/X3/img_069x3.png
d3c1cbfaa524c1012ea3e17a2ebb24a1419b4fe4aed2ed034cbe4de1e9454348  LR_bicubic/X3/img_070x3.png
8811a3112bf9537fa85264653bf03f7c8487c429a610a6915b49c55816280972  LR_bicubic/X3/img_071x3.png
80b4b1b4118090e4f2e74ca4510bb6fdb4ffe2e3f1f0b455d04d03ac4bf7ec1e  LR_bicubic/X3/img_072x3.png
83ec74bfd6a3ca14dd77c4fdc97ff2b1a302540d7e584a63fcfd21e2ba10292a  LR_bicubic/X3/img_073x3.png
098e09a77c6fc58c5baf08a4fff2ed1e937928700a0c767021dd9c93a88b9d56  LR_bicubic/X3/img_074x3.png
cdb4d4fa6866d583dc333cf9e911286b35c836a323c1cfd3711d6be621670b4b  LR_bicubic/X3/img_075x3.png
faa1d9897cbc93154d9b4e7eebd0b0533a839c979e2f1198844a18912a65f505  LR_bicubic/X3/img_076x3.png
d360f9fb415e42d92f5ba21807c43feb84078b5cfa5ddb72eb11f06f2be00f4d  LR_bicubic/X3/img_077x3.png
aa57728cc21915f7493ed43978724445dc64752d177f33eedeab5aedb6655046  LR_bicubic/X3/img_078x3.png
096485fbd49d839686605f736d6544b0b6cfb97db08a909455adc4885b80eb96  LR_bicubic/X3/img_079x3.png
15e518e50482a1e1897fcd91399fb3132b32e0db30cacac9c4d91f23469b8abc  LR_bicubic/X3/img_080x3.png
6dc84f2c20d9096dbad50412f7e07ea17362e947d37fff4e15167149fcf47e9e  LR_bicubic/X3/img_081x3.png
9653b6350621a09629359dc41369726071da1391abcf2bb22600ccc766017089  LR_bicubic/X3/img_082x3.png
77c38768c3fe9e9c81b309c9e25917d011f52df0030f1aa135a57b0cecdf7a08  LR_bicubic/X3/img_083x3.png
6749a68d8fdd69ec742a9f13a344d0cd9362c6e0966d0fdc6802890c227ae6f3  LR_bicubic/X3/img_084x3.png
5c696672d61d1848c40be67a562e340f7129d2ca7f10b5f5309a6c145387b376  LR_bicubic/X3/img_085x3.png
525e08f4c14700e9c398a3bc8ca58ecaf41cf724cbdb737f80e053986e8ccfa0  LR_bicubic/X3/img_086x3.png
160dcb5debf5f6468d37e77c16a5d7a1818b625885b2706287b321112593894c  LR_bicubic/X3/img_087x3.png
4cc5f68d18d6626c3e4195567cee2119246080bf96fd7d8b279c3402e3aa1fe3  LR_bicubic/X3/img_088x3.png
1539a5bccd2dc336187c8199a713bd58d9aff8d174b62ce4329014533b88a229  LR_bicubic/X3/img_089x3.png
92f643dfc6cbffd738a5714cb0253ea497b8d4fa1e3965b0f6a2cee42a56ca36  LR_bicubic/X3/img_090x3.png
426a9506c7c5a30e85c35456ec56beb090d2b9f75e9cdceb96059548c7a62b25  LR_bicubic/X3/img_091x3.png
361153e9bdc51e2d346a95e8e0f45abd2f40695aca1c8e7cd9664c2cc19eefe6  LR_bicubic/X3/img_092x3.png
7379a1480ebedf7c8fc57e6e2358a738e4d604a167f2d26a754b6fd8bda566e2  LR_bicubic/X3/img_093x3.png
983d39102fdb8495518b9b3b2c626a67e98cc357cb8c7cd806ebd830c2eb8023  LR_bicubic/X3/img_094x3.png
76470369003456482253128b2fcb21c4d69d6d04ee2c6c1059019588d561251f  LR_bicubic/X3/img_095x3.png
e9367ec58f7cb9af5fbb6bf665f7be8447716aee2eb0e7f4f1e74cf02afabcf6  LR_bicubic/X3/img_096x3.png
32bcc9c20d4ccd1e56ac8b353369e7a16a2c02958b561cc813f679ac15ed7a72  LR_bicubic/X3/img_097x3.png
e5243389ba5d3c1e5cd477bf722c5ecd9ea4d076c242a06c1bd2a93e6ff4c266  LR_bicubic/X3/img_098x3.png
9aee91a99c57e51ca891c257032ecdca673ccb15357ba4706566afa75f102fc2  LR_bicubic/X3/img_099x3.png
0eeca9af0912ca83ac111f9ce3c37b765d631fbaf53e45dc709ae3d3248992bc  LR_bicubic/X3/img_100x3.png
102872e55562a5dc8021a903f223298026b1951afd90db5be58dfd454b41ccde  LR_bicubic/X4/img_001x4.png
5d8b56cb43ea65da0836f2113b0abb483cf928cbe822697cb702f49fdf03d9b2  LR_bicubic/X4/img_002x4.png
f0655043d72a6ff9b7f7467939b621eb1551f1bb1b084d47f07b726b58c2b07c  LR_bicubic/X4/img_003x4.png
8a7038a0042d90f2d1f411ce6b8116d40110290a87018772db16443eda50c7a7  LR_bicubic/X4/img_004x4.png
2b35fee77382c2154f97c0287332da3ffa44cdbdcf1b319be43e9710299712ff  LR_bicubic/X4/img_005x4.png
ce4546f47f2f0a9fc86aeb11d3440d7e3b967891889984cd8c143952f43b5147  LR_bicubic/X4/img_006x4.png
c3cb7ff42923cd1b9965f33e0db7de45836f0088e707333203a2590b86d6b511  LR_bicubic/X4/img_007x4.png
933e064642d9c8d4240d65847e9e7f46914404611d5ac7cf23411ff96cc4642f  LR_bicubic/X4/img_008x4.png
8bc0034405af8a42fdcba37d4b38605a309cc04d56358f843715302e3a3e69d6  LR_bicubic/X4/img_009x4.png
fb083d23282a547640137b37e19ba899ec008e91e45ea3aadd317a3943480861  LR_bicubic/X4/img_010x4.png
ecb7a9552fcd99c9507e9724d8e6443630283a33742bae797cd765545d7765c0  LR_bicubic/X4/img_011x4.png
d54f5fcbb8b51932ce3eb2891c159e141e5103fc43dfbcbf5711a4246949cf19  LR_bicubic/X4/img_012x4.png
fddfe12e77153d22d877afef65dce110eeffde15d8bf93f755ce2f8f43b2cf51  LR_bicubic/X4/img_013x4.png
2379d6db4b4dd6a01490e83663c3c5b6f86af1fad8ffbdc2c79c81bcc21de912  LR_bicubic/X4/img_014x4.png
1ce55ee05cfdea63dfa6d5f32fc1fff2134ba24ba5c31a4b50063f41bd8d65a4  LR_bicubic/X4/img_015x4.png
1adce42ec2568115c5564153ddc0071b4876ddd03fbdf5488812f804b074566d  LR_bicubic/X4/img_016x4.png
0fa73888ffe3d018efb0761ab585dc234f9611c97c0dbb7efec52bcf6973f5ed  LR_bicubic/X4/img_017x4.png
4c8f5f0ef8601c7ba7b6374f5b19c82c652a2f4da2b500a30744d96f35bf5e81  LR_bicubic/X4/img_018x4.png
18f8b3d0001c25357e464e2cc2cbb37f63e3c0e1da40576eba4260d62051c1b6  LR_bicubic/X4/img_019x4.png
68fab623cba97cbe756a99a5a6a4742d4542bd6de96d955351342caaf2c0cbb5  LR_bicubic/X4/img_020x4.png
09db296b358e0cecb4bcb54426a5371a64b7b924365428ec5752a4a7f9499a47  LR_bicubic/X4/img_021x4.png
e3493ff57854b7cf0757949d67ce44389159377c94a435df8083f28008bacc05  LR_bicubic/X4/img_022x4.png
664e93f1f3b96eed49463594466edcbeac86a4c314d9efd426aa7491338665a0  LR_bicubic/X4/img_023x4.png
8ac9566c519cad6265e70b8550f556c5ee6dbd90afd9c733d629e663a266f5d2  LR_bicubic/X4/img_024x4.png
2a94226d8f3a6e049421d51bb72c813502de33af00e1ddf08e804194f3867e85  LR_bicubic/X4/img_025x4.png
2fd1134e60774d4f4b0845d377a4cfb06515ad883bab3f7aa2f4f55ec51c8e8b  LR_bicubic/X4/img_026x4.png
132106a846be9a5f7f38e4a9f4893c26aae17023d85445b072374fd5db44e34b  LR_bicubic/X4/img_027x4.png
9d54296bd7ee0b2fbedd2be51a31cba6d2a38ab3c8bf8522c7862e597813a7e5  LR_bicubic/X4/img_028x4.png
df77778c47e61571354e7016e1920675ff5c702d3878ec68068bc9949cda2742  LR_bicubic/X4/img_029x4.png
75cdadeb05a93191da33282e206868caa78bb6a945a1117cc07e2fd054086ab1  LR_bicubic/X4/img_030x4.png
7917d37e721c36168065f19d46a702b0bb403e4e42eab5dc18afde8cc980252d  LR_bicubic/X4/img_031x4.png
17f0697fb4780c3f534723865c34514488e8f322e4834ce1aec8170d148bb18f  LR_bicubic/X4/img_032x4.png
3df3b36462c9cbba425f725c358be44a18dc3863e3b9899a489a5a302f3a8724  LR_bicubic/X4/img_033x4.png
e59e4309f3f78d3ee6a365306a7bffab4bfe380cf7f1544f0148ede5fe2823c4  LR_bicubic/X4/img_034x4.png
c7f7731eb20db0fbaee42001d8f8b0903eafdfd5f8ff1291c3a117e8ab632ab0  LR_bicubic/X4/img_035x4.png
c6318b3c71662b33554ce030a3c0e6dae9bef549a4cd361ed58df32d28563e65  LR_bicubic/X4/img_036x4.png
f034099abbfdcad881990ea6aaf91e99f92fffe0413c3294fb2e83539b2330e4  LR_bicubic/X4/img_037x4.png
7f4452968dadcc9187f7e7ba106a7896799fa0368bbaef2c7975ade339a9f331  LR_bicubic/X4/img_038x4.png
2a235d073df2b13aa59b5ab865f1e7d9de5b71e3a4f3a1a564acc6efca1712eb  LR_bicubic/X4/img_039x4.png
3612a9aec6acdda6742c6c8f4d0f8a0695325228aae500ea61468368adcd4d4e  LR_bicubic/X4/img_040x4.png
6ca43be6eee1036bb3c29a57ddea735f113d21b14c297d889bfc6691a592031a  LR_bicubic/X4/img_041x4.png
0ef12921ce408b6cb057505382cc03092c3ce783eefd18d22766d10846211b8d  LR_bicubic/X4/img_042x4.png
62f57bdc87aea8e6a606f2d644a3a179f7b3fd3c9133ae7816fac02578ed23a0  LR_bicubic/X4/img_043x4.png
967a172ef1384a73bd342774e71075e16040361a3c2a7bf316d95e32970c6de9  LR_bicubic/X4/img_044x4.png
67d075bfc84adab4ff864754b89616b3629fc5ec65abadab301bfd10e861f8bb  LR_bicubic/X4/img_045x4.png
9ecc03cb6b7de1f0dda7570847609f1657117d02f3918b9146ac859eb82a9044  LR_bicubic/X4/img_046x4.png
25b9c5eeac4d8745017a10634331cfe1cb48333e5fd3c131a11378e097148e58  LR_bicubic/X4/img_047x4.png
9691b72d7b6f1e3c470234e7ae01f061c07c446971fa457ba1f8a55dc4a8f103  LR_bicubic/X4/img_048x4.png
1bae7f25fdc59bc1e2fc49785c38825e0d7846e39ad2ea0897d2cccd05a6dd1b  LR_bicubic/X4/img_049x4.png
448f0b9b7c1889abf6ec7f1585871c75d67773799980ea4b71714d267269d18d  LR_bicubic/X4/img_050x4.png
fce121e74cc7e7e6e166f67662c45506ccb41276fabb81ac91a067cd878dfefa  LR_bicubic/X4/img_051x4.png
0d30457c9ae4fed40c26e82843ab5ffb104df4965583f5f1a9792fb5f90a529a  LR_bicubic/X4/img_052x4.png
12b873343716587308ac357912322754928d6987384d840d756b4d563b071312  LR_bicubic/X4/img_053x4.png
1c67708d9549ec3a398ce12128495dc919ccd9b24281caffc25e51de65b98d95  LR_bicubic/X4/img_054x4.png
67ee8e7beb35336c1b979104addf02465fbbc08d83e1fba0a56a1a7fb44ffcc1  LR_bicubic/X4/img_055x4.png
03a38dab7b5affa5d4bcef6392729c94b9b60950466dfecd02c2a53b7ae6b208  LR_bicubic/X4/img_056x4.png
076d648c6c8e25f29bdda0bca9ede4f3bc33c1a739ba8efb8d76b6c7ed5c2e18  LR_bicubic/X4/img_057x4.png
a7addd0c69467726c385cf2c61ff13a875655bd483def33f1a3c90b39a12cf91  LR_bicubic/X4/img_058x4.png
2ff6c8cf336cf192cd9fde1619a0e05f4889473a90add563895c0b2499e3314b  LR_bicubic/X4/img_059x4.png
ddb899be37c91afdd9d8210dedc76f971544188b879a7d0ac257cdde8a418773  LR_bicubic/X4/img_060x4.png
07428ab1e6777b4d7421ada22f2cb7240101d01e2c3fecf81d4a0c1c38442e27  LR_bicubic/X4/img_061x4.png
67f63f14ab64ff879290f44fdfc07d8a742755edc2dca1f77a36bc9da6f2a419  LR_bicubic/X4/img_062x4.png
d4cd61f75268068c9d9c42070fc9b9396897e293952ab348e27457c44a38fb82  LR_bicubic/X4/img_063x4.png
7b9dc8f90cd337467839d43024b4347f065033e82de64346d64e2d7512e1acb3  LR_bicubic/X4/img_064x4.png
5c8b028a5cc8d5010f0e7556f70c8d94b1f94774ed523bdf133dd19549f28d5f  LR_bicubic/X4/img_065x4.png
529cb1a88a8aa333dec1f00b9cd8b97ffcd000cf7a8a8f423d5e05092bee3063  LR_bicubic/X4/img_066x4.png
4b1a869059669815070d37831048cb13823ef959c19b20fbb4355fd8d5edc134  LR_bicubic/X4/img_067x4.png
c96c6fa8ccfbe2d635cc2a5286494eea6a1373ccf878ba17543096dc48391b62  LR_bicubic/X4/img_068x4.png
af69801188098fc184114d8135a76c64d2a2a0b543890cdad81f1ad16b04588d  LR_bicubic/X4/img_069x4.png
dc4c99335b02edcf4869fd9cf09ae99dd35b6e79d96ce41a25860df4e2dcdfd7  LR_bicubic/X4/img_070x4.png
c9b047e00bd798383747a116d91c213fd8c9feebcfc06bc78bee2c1ff03adc1e  LR_bicubic/X4/img_071x4.png
7ea33598f4d5804a4f31af4578e98bbc30752111399a289cf29f518e7092317d  LR_bicubic/X4/img_072x4.png
c3eb5816291cc0e6993d167d05c99584c5a64ffbfe12c3223e7e6bf7a200d23d  LR_bicubic/X4/img_073x4.png
b7051f2089877f41092fe6c44dbfc72a946a4d1e167fd1672959c8d1517b4398  LR_bicubic/X4/img_074x4.png
353128eb5ab599affdf6ce1e147b8f482eebc2431a28eeb69b6905e422f835e5  LR_bicubic/X4/img_075x4.png
4ff21ceb4875153f79fd81d53dc98f2dbe18977cf8fbdc45e5d4249608e15409  LR_bicubic/X4/img_076x4.png
4c4a2efe86a6b8eb2a39bca729a715a37387725515f208ccd05d7e9d07f1821c  LR_bicubic/X4/img_077x4.png
10343a9a01ec699cc84f93041e93306ec19882fde09f135e6c9a06df8a62b1d1  LR_bicubic/X4/img_078x4.png
2d98941f44759a68cfe2f601165e253c85cd0172f0f338bf9af9685ac7254e3b  LR_bicubic/X4/img_079x4.png
ca144f0b84f506592c3efc10591c425522db2563d3e2521d8e70292e6d4f4fa5  LR_bicubic/X4/img_080x4.png
31d9a9894bb4ad685e5587eea74218983fc8f70c21b439f580bb056f62036c94  LR_bicubic/X4/img_081x4.png
ca19e36485608347756cd562bf164ee8769790795f52a146827742190bccc680  LR_bicubic/X4/img_082x4.png
89a4b818aa7f6368bf0cb914c661fa3aa43113d9d9010c1a91bc520fae7d79be  LR_bicubic/X4/img_083x4.png
5dcec163337ecfb4648323e489d6a22f4ddf75f2b375efadf0448ec1ad73c9c8  LR_bicubic/X4/img_084x4.png
94d4a7da1ae8b1b103ce7c525e13270c9e76cd86041ba301edd61b04d56b1177  LR_bicubic/X4/img_085x4.png
49477e4daa8a6f6754765f94bd0487af8541edfac9fb7fff5c7bb069fc2c2cce  LR_bicubic/X4/img_086x4.png
b06cb17bffe42f74b9b2d44da5fc827b46db3dbc14e3ea0847778cc141a23df4  LR_bicubic/X4/img_087x4.png
79f97c2aaddb664b805473ab37009a801e03ac97d2ebaad0e7810e92fc1ad17b  LR_bicubic/X4/img_088x4.png
c7497add7b70e805e4100a2e9cbdeae482f8f097be16813160f9832098e8b866  LR_bicubic/X4/img_089x4.png
1545e2f58b21825a6d3c362b4b255082b7edf6d1fa37408cdfb4763666a0f190  LR_bicubic/X4/img_090x4.png
101f1bbb52ffc3a3bd3c670199fcb841ee97650d7b8bfc067f9ed278c555ab00  LR_bicubic/X4/img_091x4.png
4aa718fdb9455d183c2cd19493d2d00f2759b30de7a48f23c5e5b9c56eaae9c1  LR_bicubic/X4/img_092x4.png
2efef86e9def71bc62c2770ef16cce25d7c4d2002cadddfe3b88320dd4027c8c  LR_bicubic/X4/img_093x4.png
3fff98eb1cdfdc2f68208f99573cf07ebdad64e37a69e3d26e8d6d86286530b5  LR_bicubic/X4/img_094x4.png
f013675e7f88c82648a595ee8a89139d1794754ac12e9ac04a658752401d72f4  LR_bicubic/X4/img_095x4.png
b4460d480327234a2920e3470c9dbd1cd92989405d96840c777b81731e8a07d1  LR_bicubic/X4/img_096x4.png
692819276a4be36aa2e7b50b385dbde7b5857c043832c9b28e94a76441795823  LR_bicubic/X4/img_097x4.png
efdb35bffaba0a7f92571ec42ef85efbb0d10bb0eff8b61a5a677f7b0a757a9d  LR_bicubic/X4/img_098x4.png
98ef2292ac58a814deeed8f408616c56ffc4a9ff25a112d53754de9c212f0ceb  LR_bicubic/X4/img_099x4.png
8170e587ffcce81582efc8b2eaa9173eeacfb7db0a9ff80f3eb15affacd9e0db  LR_bicubic/X4/img_100x4.png
"""),
}

for _name in PINNED_REPOS:
    DATASET_SOURCES[_name] = _pinned_sources(_name)
del _name


def _record_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".sha256")


def download_file(
    url: str,
    dest: str | os.PathLike,
    *,
    sha256: str | None = None,
    verify: bool = True,
    progress: bool = True,
    timeout: float = 60.0,
) -> Path:
    """Download ``url`` to ``dest`` atomically, verifying its sha256 (never called implicitly).

    The data goes to a temporary ``<dest>.*.part`` file in the same folder, hashed while it
    streams; it is renamed to ``dest`` only when complete (the ``Content-Length`` was received)
    and verified. On any failure the ``.part`` file is deleted: nothing is left behind.

    If ``dest`` already exists it is not downloaded again, but verified (against ``sha256``, or
    the hash recorded at its first download).

    Args:
        url: an ``http``/``https`` URL.
        dest: the destination file.
        sha256: the expected hex digest, or ``None`` if unknown.
        verify: with an unknown ``sha256``, ``True`` refuses the download (no network access);
            ``False`` accepts it and records the observed hash in ``<dest>.sha256`` -- only when
            the server announced the length (a body without ``Content-Length`` and without a
            known hash is refused: its completeness cannot be checked). A known hash is always
            checked.
        progress: show a tqdm progress bar (on stderr).
        timeout: the socket timeout in seconds.

    Returns:
        ``dest``.

    Raises:
        ChecksumError: the file's sha256 differs from the expected one (nothing is kept).
        DownloadError: the transfer failed or was cut short, or the download was refused
            because its hash is unknown and ``verify=True``.

    Examples:
        >>> import tempfile, pathlib
        >>> dest = pathlib.Path(tempfile.mkdtemp()) / "x.zip"
        >>> try:
        ...     download_file("https://example.invalid/x.zip", dest)
        ... except DownloadError as err:
        ...     print(str(err)[:39])
        refusing to download https://example.in
    """
    dest = Path(dest)
    recorded = _record_path(dest)
    expected = sha256.lower() if sha256 else None
    if expected is None and recorded.is_file():
        expected = recorded.read_text().split()[0].lower()
    if dest.is_file():
        if expected is None:
            if verify:
                raise DownloadError(
                    f"{dest} exists but its sha256 is unknown; pass verify=False to trust it "
                    f"(its hash will be recorded in {recorded})."
                )
            recorded.write_text(f"{_sha256_file(dest)}  {dest.name}\n")
            return dest
        actual = _sha256_file(dest)
        if actual != expected:
            raise ChecksumError(
                f"the cached file {dest} has sha256 {actual}, expected {expected}; delete it to "
                "download it again."
            )
        return dest
    if expected is None and verify:
        raise DownloadError(
            f"refusing to download {url}: its sha256 is not known, so the file could not be "
            "verified. Pass verify=False to accept it once (its sha256 is then recorded in "
            f"{recorded} and checked on every later use), or pass sha256=..."
        )
    if not url.startswith(("http://", "https://")):
        raise DownloadError(f"only http(s) URLs are downloaded, got {url!r}.")

    from tqdm import tqdm

    try:
        with atomic_path(dest, suffix=".part") as tmp:
            digest = hashlib.sha256()
            received = 0
            with open(tmp, "wb") as out:
                request = urllib.request.Request(url, headers={"User-Agent": "lpf-kit"})
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                    length = response.headers.get("Content-Length")
                    total = int(length) if length is not None else None
                    with tqdm(
                        total=total, unit="B", unit_scale=True, unit_divisor=1024,
                        desc=dest.name, disable=not progress, leave=False,
                    ) as bar:
                        while True:
                            block = response.read(1 << 20)
                            if not block:
                                break
                            out.write(block)
                            digest.update(block)
                            received += len(block)
                            bar.update(len(block))
                out.flush()
                os.fsync(out.fileno())
            if total is not None and received != total:
                raise DownloadError(
                    f"the download of {url} was interrupted: got {received} of {total} bytes."
                )
            if total is None and expected is None:
                # no length announced and no hash known: a cut connection looks like the end
                raise DownloadError(
                    f"the server sent {url} without a Content-Length and its sha256 is not "
                    f"known, so a truncated body ({received} bytes received) could not be told "
                    "from a complete one; nothing was kept. Pass sha256=... to accept it."
                )
            actual = digest.hexdigest()
            if expected is not None and actual != expected:
                raise ChecksumError(
                    f"the download of {url} has sha256 {actual}, expected {expected}; it was "
                    "discarded."
                )
    except (urllib.error.URLError, HTTPException, OSError) as err:
        if isinstance(err, DownloadError):
            raise
        raise DownloadError(f"the download of {url} failed: {err}") from err
    if expected is None:
        recorded.write_text(f"{actual}  {dest.name}\n")
    return dest


def _archive_members(path: Path) -> Iterator[tuple[str, Callable[[], IO[bytes]]]]:
    """(member name, opener) for every regular file of a zip or tar archive."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, lambda info=info: archive.open(info)
        return
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            for member in archive:
                if member.isfile():
                    yield member.name, lambda member=member: archive.extractfile(member)
        return
    raise DownloadError(f"{path} is neither a zip nor a tar archive.")


def _extract(archive: Path, members: Mapping[str, str], target: Path) -> int:
    """Extract the files under each prefix of ``members`` into ``target``; return the count."""
    count = 0
    for member, opener in _archive_members(archive):
        for prefix, destination in members.items():
            if not member.startswith(prefix):
                continue
            rest = member[len(prefix) :]
            parts = Path(destination + rest).parts
            if not rest or Path(member).is_absolute() or ".." in parts:
                raise DownloadError(f"{archive} has an unsafe member name {member!r}.")
            out_path = target.joinpath(*parts)
            out_path.parent.mkdir(parents=True, exist_ok=True)
            with opener() as src, out_path.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            count += 1
            break
    return count
