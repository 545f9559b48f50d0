"""TODO docstring."""

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
]

_DIV2K = "http://data.vision.ee.ethz.ch/cvl/DIV2K"


class DownloadError(LpfError, OSError):
    """A download failed or was refused; nothing was left in the cache."""


class ChecksumError(DownloadError):
    """A downloaded or cached file does not have the expected sha256."""


@dataclass(frozen=True)
class DownloadSource:
    """One public archive of a benchmark set.

    Attributes:
        url: where to download it.
        sha256: its hex digest, or ``None`` where it is not known (see the module docstring).
        members: ``(archive prefix, destination)`` pairs: every file under the prefix is
            extracted to ``<root>/<set folder>/<destination><rest of the member name>``.
        filename: the cache file name (default: the last part of the url).
    """

    url: str
    sha256: str | None
    members: tuple[tuple[str, str], ...]
    filename: str | None = None

    @property
    def cache_name(self) -> str:
        """The archive's file name in the download cache."""
        return self.filename or self.url.rstrip("/").rsplit("/", 1)[-1]


# The EDSR authors' benchmark archive (Set5, Set14, B100, Urban100 in exactly the layout used
# here). Its sha256 is None: this kit was written without access to it. Pass verify=False once;
# the observed hash is recorded beside the cached archive and checked from then on.
_EDSR_BENCHMARK = "https://cv.snu.ac.kr/research/EDSR/benchmark.tar"


DATASET_SOURCES: dict[str, tuple[DownloadSource, ...]] = {
    "Set5": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/Set5/", ""),)),),
    "Set14": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/Set14/", ""),)),),
    "B100": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/B100/", ""),)),),
    "Urban100": (DownloadSource(_EDSR_BENCHMARK, None, (("benchmark/Urban100/", ""),)),),
    # The official DIV2K archives (ETH Zurich); sha256 unknown here for the same reason.
    "DIV2K-valid": (
        DownloadSource(f"{_DIV2K}/DIV2K_valid_HR.zip", None, (("DIV2K_valid_HR/", "HR/"),)),
        *(
            DownloadSource(
                f"{_DIV2K}/DIV2K_valid_LR_bicubic_X{s}.zip",
                None,
                ((f"DIV2K_valid_LR_bicubic/X{s}/", f"LR_bicubic/X{s}/"),),
            )
            for s in (2, 3, 4)
        ),
    ),
    # Manga109 is distributed by its authors on request only (academic use): no public archive.
    "Manga109": (),
}


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
