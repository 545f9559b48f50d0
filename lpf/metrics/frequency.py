r"""FSDS: Frequency Spectrum Distribution Similarity (paper Sec. 4.2, Eqs. 10-13).

FSDS compares where the spectral energy of two images lies. Each image is normalised to zero mean
and unit standard deviation (Eq. 10), Fourier-transformed, and its complex spectrum is integrated
(cumulatively summed) from the origin outward in each half-plane quadrant (Eq. 11). FSDS is the
energy of the difference of the two integrated spectra relative to the energy of the reference one,
in decibels (Eqs. 12-13); higher is better.

The discrete algorithm here is the official implementation's (``FSDS_code.py`` of the paper's
repository), vectorised over the batch:

1. :math:`\tilde x = (x - \bar x)/\operatorname{std}(x)`, mean and unbiased std over all ``C*H*W``
   values of each image;
2. if ``H`` is odd, one row of zeros is appended;
3. :math:`X = \operatorname{rfft2}(\tilde x)` (``norm="backward"``), size ``C x H x (W//2+1)``;
4. the upper half of the rows, and the lower half flipped upside down, are each cumulatively summed
   along rows, then along columns: :math:`D_1, D_2`;
5. .. math:: \mathrm{FSDS}(p, t) = -10\log_{10}
             \frac{\sum |D_1^p - D_1^t|^2 + |D_2^p - D_2^t|^2}{\sum |D_1^r|^2 + |D_2^r|^2}

where the reference :math:`r` in the denominator is the **target** by default (the paper's Eq. 13,
HR in the denominator). The official Table-1 script called ``fsds(gt, sr)``, which puts the **SR**
spectrum in the denominator; ``denominator="pred"`` reproduces that (see :func:`fsds`).

Because the FFT and the cumulative sums are linear, the numerator is computed from the spectrum of
the difference of the normalised images, one FFT for the difference and one for the reference:
the same arithmetic as the official code up to floating-point rounding (checked in the tests against
``shared/reference/fsds_official.json`` to 1e-4 dB).

An explicitly named variant, ``window=`` (default ``None``: the paper-exact FSDS above): each
image is normalised with window-weighted statistics (step 1) and multiplied by a separable window
(:func:`lpf.signal.windows.window`, the symmetric form, e.g. ``"hann"``) before step 3, in the
numerator and the denominator alike. A
single FFT of the whole image treats it as periodic, so a few bad border pixels (the zero padding
of networks trained on small patches) are edges that leak over the whole spectrum, and the
cumulative sums carry them to every frequency; the window fades the border out. Measured on a
120x120 crop of ``astronaut`` at x4 (ext03): the kit-trained EDSR scores 20.1 dB against
bicubic's 25.9 dB as the paper computes FSDS, 28.7 vs 25.0 with a 4-pixel border removed, and
22.7 vs 19.3 with ``window="hann"`` (windowed values are on their own scale: compare them
with each other). ext03 measures what the variant reads into other distortions.

Decided edge cases:

* identical images: the numerator is 0 and FSDS is ``+inf`` (no cap; :func:`fsds_loss` is finite
  there, see its docstring);
* a constant image (std 0): :class:`~lpf._checks.RangeError` naming the argument;
* NaN or inf values: :class:`~lpf._checks.RangeError`;
* shapes: ``(C, H, W)`` or ``(N, C, H, W)``, equal for both arguments, ``H, W >= 2``; other ranks
  raise :class:`~lpf._checks.ShapeError`;
* dtypes: float32 and float64 are computed in their own precision; float16/bfloat16 are computed in
  float32; ``uint8``/``uint16`` are scaled to [0, 1] first. Values need not lie in [0, 1]: FSDS is
  invariant to a positive affine change of either image's intensities.
"""

from __future__ import annotations

import contextlib
import importlib
import math
from typing import Any, Literal, NamedTuple

import numpy as np
import torch
from torch import nn

from lpf._checks import RangeError, ShapeError, as_image_tensor, check_finite, check_same_shape
from lpf.signal.windows import parse_window
from lpf.signal.windows import window as _window_1d

__all__ = [
    "Denominator",
    "FSDS",
    "fsds",
    "fsds_loss",
    "FSDSLoss",
    "integrated_spectrum",
    "IntegratedSpectrum",
    "LOSS_MIN_STD",
]


def __getattr__(name: str) -> Any:
    # FSDSMetric subclasses torchmetrics.Metric, whose import costs ~2 s (torchvision, dynamo,
    # scipy): it lives in lpf.metrics.fsds_metric, imported on first use.
    if name == "FSDSMetric":
        return importlib.import_module("lpf.metrics.fsds_metric").FSDSMetric
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

Denominator = Literal["target", "pred"]

#: the loss's floor on an image's standard deviation (:func:`fsds_loss`): a ``target`` below it is
#: flat (its FSDS term is 0 dB, no gradient); a ``pred`` below it is normalised by this value
LOSS_MIN_STD = 1e-4


def _prepare(x: torch.Tensor | np.ndarray, name: str) -> torch.Tensor:
    """Validate one FSDS argument and return it as (N, C, H, W) float32/float64."""
    x = as_image_tensor(x, name)
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    if x.numel() == 0:
        axes = ("N", "C", "H", "W")[4 - x.ndim:]
        empty = ", ".join(f"{a}={s}" for a, s in zip(axes, x.shape, strict=True) if s == 0)
        raise ShapeError(
            f"`{name}` is empty ({empty}); FSDS needs at least one image with C >= 1 and "
            f"H, W >= 2, got shape {tuple(x.shape)}.",
            expected="N >= 1, C >= 1, H >= 2, W >= 2",
            actual=tuple(x.shape),
        )
    if x.shape[-2] < 2 or x.shape[-1] < 2:
        raise ShapeError(
            f"`{name}` must be at least 2x2 pixels for a spectrum, got H={x.shape[-2]}, "
            f"W={x.shape[-1]}.",
            expected="H >= 2 and W >= 2",
            actual=tuple(x.shape),
        )
    # no element-wise finiteness check here: NaN or inf make an image's mean or std non-finite,
    # and the statistics (:func:`_stats`, the compiled moments) then run the check
    return x if x.ndim == 4 else x.unsqueeze(0)


def _stats(x: torch.Tensor, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-image mean and unbiased std over C, H and W, each shaped (N, 1, 1, 1) (paper Eq. 10).

    Each image's statistics are full reductions (``image.mean()``, ``image.var()``): on the CPU
    these are several times faster than one batched reduction over dims 1-3 (which takes a
    Welford path); N scalar reductions, while every array operation stays batched.
    Also the finiteness check: a NaN or inf anywhere makes the mean or std non-finite, so the
    (slower) element-wise check runs only then, to report the counts.
    """
    mean = torch.stack([image.mean() for image in x])
    std = torch.stack([image.var() for image in x]).sqrt()
    suspect = ~torch.isfinite(mean) | ~torch.isfinite(std) | (std == 0)
    if bool(suspect.any()):
        check_finite(x, name)
        # finite values whose statistics over- or underflowed in float32 (e.g. images scaled by
        # 1e20 or 1e-30): recompute those in float64 before calling an image constant
        for i in torch.nonzero(suspect).flatten().tolist():
            image = x[i].double()
            mean[i], std[i] = image.mean().to(mean.dtype), image.var().sqrt().to(std.dtype)
    if bool((std == 0).any()):
        bad = torch.nonzero(std == 0).flatten().tolist()
        raise RangeError(
            f"`{name}` has zero standard deviation (a constant image) at batch index {bad}; "
            "FSDS normalises each image by its std and is undefined for constant images."
        )
    return mean.view(-1, 1, 1, 1), std.view(-1, 1, 1, 1)


def _normalise(x: torch.Tensor, name: str) -> torch.Tensor:
    """Zero mean, unit (unbiased) std per image over C, H and W (paper Eq. 10)."""
    mean, std = _stats(x, name)
    return (x - mean) / std


def _integrate(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Cumulative spectra (D1, D2) of zero-mean images (N, C, H, W), H zero-padded to even.

    Linear in ``x``. ``rfft2`` with ``s=(H + H % 2, W)`` appends the official code's zero row
    without a copy; the column cumsum commutes with the row split and flip, so it runs once on the
    whole spectrum, in place. (The mean must be removed before the FFT: removing it from the DC
    column afterwards loses ~0.01 dB in float32 at DIV2K size, the DC being ~1e6 times larger.)
    """
    h, w = x.shape[-2:]
    spec = torch.fft.rfft2(x, s=(h + h % 2, w), norm="backward")
    half = spec.shape[-2] // 2
    spec.cumsum_(dim=-1)
    upper = spec[..., :half, :].cumsum_(dim=-2)
    lower = spec[..., half:, :].flip(-2).cumsum_(dim=-2)
    return upper, lower


def _energy(d1: torch.Tensor, d2: torch.Tensor) -> torch.Tensor:
    """Per-image sum of |D1|^2 + |D2|^2 as float64, shape (N,).

    ``square().sum()`` (torch's cascade summation): ``torch.linalg.vector_norm`` would avoid the
    temporary but loses ~1e-3 relative in float32 on DIV2K-sized spectra.
    """
    e1 = torch.view_as_real(d1).square().sum(dim=(1, 2, 3, 4))
    e2 = torch.view_as_real(d2).square().sum(dim=(1, 2, 3, 4))
    return e1.double() + e2.double()


#: standard deviations outside this range are normalised before the float32 FFT (see
#: :func:`_fsds_ratio_chunk`); inside it, the computation is the paper-exact one.
_SAFE_STD = (1e-12, 1e12)

_CHUNK_ELEMENTS = 1 << 21  # images per chunk: about 2M values (8 MB in float32)

#: use the compiled CPU kernels (:func:`_kernels`) when numba is installed; tests switch it off to
#: check the pure-torch path, which autograd and other devices always take
USE_NUMBA = True


def _moments_py(x, out):  # pragma: no cover - compiled by numba (see _kernels)
    """Mean and unbiased variance of each row of ``x`` (M, L) into ``out`` (M, 2), float64.

    Shifted sums (by each row's first value) in float64, over blocks run in parallel. Each block
    is read as a 1-D slice indexed from 0: with 2-D indexing numba keeps a negative-index check
    in the loop, which stops LLVM vectorising the sums (6x slower).
    """
    m, n = x.shape
    blocks = 16
    size = (n + blocks - 1) // blocks
    part = np.zeros((m * blocks, 2))
    for task in numba.prange(m * blocks):
        i, b = task // blocks, task % blocks
        shift = np.float64(x[i, 0])
        seg = x[i, b * size:min(n, (b + 1) * size)]
        s1 = 0.0
        s2 = 0.0
        for j in range(seg.shape[0]):
            v = np.float64(seg[j]) - shift
            s1 += v
            s2 += v * v
        part[task, 0] = s1
        part[task, 1] = s2
    for i in range(m):
        s1 = 0.0
        s2 = 0.0
        for b in range(blocks):
            s1 += part[i * blocks + b, 0]
            s2 += part[i * blocks + b, 1]
        out[i, 0] = np.float64(x[i, 0]) + s1 / n
        out[i, 1] = max(s2 - s1 * s1 / n, 0.0) / (n - 1)


def _centre_py(p, t, coef, buf):  # pragma: no cover - compiled by numba (see _kernels)
    """``buf[0] = (p - m_p) - r (t - m_t)`` and ``buf[1] = ref - m_ref`` for images (M, C, H, W).

    ``coef`` (M, 4) float64 holds ``m_p``, ``m_t``, ``r`` and ``1.0`` if the reference is the
    target else ``0.0``; ``buf`` is (2, M, C, H', W) with ``H' >= H`` (rows past H stay zero).
    Rows are read and written as 1-D slices (vectorised, see :func:`_moments_py`).
    """
    m, c, h, w = p.shape
    for task in numba.prange(m * c * h):
        i = task // (c * h)
        k = (task // h) % c
        y = task % h
        mp, mt, r, use_t = coef[i, 0], coef[i, 1], coef[i, 2], coef[i, 3]
        prow, trow = p[i, k, y], t[i, k, y]
        diff, ref = buf[0, i, k, y], buf[1, i, k, y]
        for x in range(w):
            a = np.float64(prow[x]) - mp
            b = np.float64(trow[x]) - mt
            diff[x] = a - r * b
            ref[x] = b if use_t != 0.0 else a


def _energy_py(spec, out):  # pragma: no cover - compiled by numba (see _kernels)
    """Energy of the integrated spectra of ``spec`` (K, H, Wc, 2) (real view of rfft2 output).

    For each of the K channel spectra and each half-plane (``out[:, 0]``: rows 0..H/2-1 from row
    0 down; ``out[:, 1]``: rows H-1..H/2 from row H-1 up, i.e. the flipped lower half), the
    cumulative sum along columns then rows and the sum of its squared modulus, in one read of the
    spectrum: a running row prefix and a running column accumulator, float64 throughout.
    """
    kk, h, wc, _ = spec.shape
    half = h // 2
    for task in numba.prange(kk * 2):
        k, lower = task // 2, task % 2
        acc = np.zeros((wc, 2))
        row = np.empty((wc, 2))
        total = 0.0
        for step in range(half):
            y = step if lower == 0 else h - 1 - step
            sre = 0.0
            sim = 0.0
            for x in range(wc):
                sre += np.float64(spec[k, y, x, 0])
                sim += np.float64(spec[k, y, x, 1])
                row[x, 0] = sre
                row[x, 1] = sim
            e = 0.0
            for x in range(wc):
                are = acc[x, 0] + row[x, 0]
                aim = acc[x, 1] + row[x, 1]
                acc[x, 0] = are
                acc[x, 1] = aim
                e += are * are + aim * aim
            total += e
        out[k, lower] = total


_KERNELS: dict | None = None


def _kernels() -> dict | None:
    """The numba-compiled kernels (``moments``, ``centre``, ``energy``), or ``None``.

    ``None`` when :data:`USE_NUMBA` is off or numba is not installed: the torch path runs then.
    Compiled once per process (cached on disk by numba where the package folder is writable).
    """
    global _KERNELS, numba
    if not USE_NUMBA:
        return None
    if _KERNELS is None:
        try:
            import numba as nb
        except ImportError:
            _KERNELS = {}
        else:
            numba = nb  # the kernels' module global (numba.prange)
            # reassociation only: the float64 sums may be vectorised; NaN/inf still propagate
            fast = {"reassoc", "contract"}
            _KERNELS = {
                "moments": nb.njit(parallel=True, cache=True, fastmath=fast)(_moments_py),
                "centre": nb.njit(parallel=True, cache=True)(_centre_py),
                "energy": nb.njit(parallel=True, cache=True, fastmath=fast)(_energy_py),
            }
    return _KERNELS or None


numba: Any = None  # set by _kernels() when numba is present


#: calls with fewer values than this take the torch path: loading numba and its cached kernels
#: (~0.5 s once per process) would cost more than it saves on small images
COMPILED_MIN_VALUES = 1 << 20


def _compiled(pred: torch.Tensor, target: torch.Tensor, taper: torch.Tensor | None) -> dict | None:
    """The compiled kernels when they apply (CPU, no autograd, large enough, no window)."""
    if (
        taper is not None
        or pred.device.type != "cpu"
        or pred.numel() < COMPILED_MIN_VALUES
        or (torch.is_grad_enabled() and (pred.requires_grad or target.requires_grad))
    ):
        return None
    return _kernels()


def _check_window(window: str | tuple[str, float] | None) -> tuple[str, float] | None:
    """``(name, beta)`` of a non-rectangular FSDS window, ``None`` for the paper-exact FSDS."""
    if window is None:
        return None
    try:
        name, beta = parse_window(window)
    except (TypeError, ValueError) as err:
        raise type(err)(f"FSDS {err}") from None
    return None if name == "rectangular" else (name, beta)


def _taper(window: tuple[str, float] | None, x: torch.Tensor) -> torch.Tensor | None:
    """The separable ``(H, W)`` window of :func:`fsds` (symmetric form, peak 1), or ``None``.

    Raises:
        ValueError: a window that is zero everywhere at this size (e.g. Hann on 2 pixels).
    """
    if window is None:
        return None
    name, beta = window
    h, w = x.shape[-2:]
    wy, wx = (_window_1d(name, n, sym=True, beta=beta, dtype=torch.float64, device=x.device)
              for n in (h, w))
    taper = torch.outer(wy, wx)
    if not bool(taper.abs().sum() > 0):
        raise ValueError(f"FSDS `window` {name!r} is zero everywhere on {h}x{w} images; use a "
                         "larger image or another window.")
    return taper.to(x.dtype)


def _fsds_ratio(
    pred: torch.Tensor, target: torch.Tensor, denominator: Denominator,
    window: tuple[str, float] | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Numerator and denominator energies of Eq. 13, shape (N,), computed in chunks of images.

    Every operation runs on a whole chunk at once (no per-image Python work beyond two scalar
    reductions); chunks keep the working set near the CPU's cache: measured on 2 cores, one
    batched pass over 4 DIV2K-sized images is ~30 % slower than four passes over one image each.
    ``window`` (from :func:`_check_window`) tapers both images before the FFT (torch path only).
    """
    if denominator not in ("target", "pred"):
        raise ValueError(f"`denominator` must be 'target' or 'pred', got {denominator!r}.")
    taper = _taper(window, pred)
    kernels = _compiled(pred, target, taper)
    per_chunk = max(1, _CHUNK_ELEMENTS // max(1, pred[0].numel()))

    def chunk(p, t):
        if taper is not None:
            return _fsds_ratio_windowed(p, t, denominator, taper)
        if kernels is None:
            return _fsds_ratio_chunk(p, t, denominator)
        return _fsds_ratio_compiled(p, t, denominator)

    if pred.shape[0] <= per_chunk:
        return chunk(pred, target)
    parts = [chunk(p, t)
             for p, t in zip(pred.split(per_chunk), target.split(per_chunk), strict=True)]
    return torch.cat([n for n, _ in parts]), torch.cat([d for _, d in parts])


def _fsds_ratio_compiled(
    pred: torch.Tensor, target: torch.Tensor, denominator: Denominator
) -> tuple[torch.Tensor, torch.Tensor]:
    """:func:`_fsds_ratio_chunk` with three compiled passes around one batched ``rfft2``.

    The same arithmetic, fused: one pass for the statistics of each image (float64 sums), one
    writing the centred difference and the centred reference into one zero-padded buffer, one
    ``rfft2`` of that buffer, and one read of its spectrum computing both half-planes' cumulative
    sums and their energies (float64 accumulators, no flip, no stored cumulative spectrum).
    """
    k = _KERNELS
    n, c, h, w = pred.shape
    stats = []
    for x in (pred, target):
        x = x.contiguous()
        out = np.empty((n, 2))
        k["moments"](x.numpy().reshape(n, -1), out)
        mean, std = out[:, 0], np.sqrt(out[:, 1])  # the bookkeeping is numpy: no torch dispatch
        if not (np.isfinite(mean).all() and np.isfinite(std).all() and (std > 0).all()):
            # non-finite values, a constant image or an overflow: the torch path reports or
            # handles it (its checks name the argument and the batch index)
            return _fsds_ratio_chunk(pred, target, denominator)
        stats.append((x, mean, std))
    (p, mp, sp), (t, mt, st) = stats
    lo, hi = _SAFE_STD
    if pred.dtype != torch.float64 and not (
        (sp > lo).all() and (sp < hi).all() and (st > lo).all() and (st < hi).all()
    ):
        return _fsds_ratio_chunk(pred, target, denominator)
    ratio = sp / st
    coef = np.stack([mp, mt, ratio, np.full_like(mp, float(denominator == "target"))], 1)
    hp = h + h % 2
    buf = (torch.empty if hp == h else torch.zeros)((2, n, c, hp, w), dtype=pred.dtype)
    k["centre"](p.numpy(), t.numpy(), coef, buf.numpy())
    spec = torch.fft.rfft2(buf, norm="backward")
    energy = np.empty((2 * n * c, 2))
    k["energy"](torch.view_as_real(spec).numpy().reshape(2 * n * c, hp, -1, 2), energy)
    per_image = energy.reshape(2, n, -1).sum(-1)
    s_ref = st if denominator == "target" else sp
    return (torch.from_numpy(per_image[0] / np.square(sp)),
            torch.from_numpy(per_image[1] / np.square(s_ref)))


def _fsds_ratio_chunk(
    pred: torch.Tensor, target: torch.Tensor, denominator: Denominator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Numerator and denominator energies of Eq. 13 for (N, C, H, W) inputs, each of shape (N,).

    With p~ = (p - m_p)/s_p and t~ likewise, p~ - t~ = (d - m_d)/s_p where d = p - (s_p/s_t) t
    and m_d = m_p - (s_p/s_t) m_t: the numerator is the energy of the integrated spectrum of one
    difference image (one FFT), divided by s_p^2; the denominator that of the reference, divided
    by its s^2. No normalised copy of either image is made.
    """
    mp, sp = _stats(pred, "pred")
    mt, st = _stats(target, "target")
    if pred.dtype != torch.float64 and not bool(
        (
            (sp > _SAFE_STD[0]) & (sp < _SAFE_STD[1]) & (st > _SAFE_STD[0]) & (st < _SAFE_STD[1])
        ).all()
    ):
        # FSDS is invariant to a positive gain and offset per image: bring extreme magnitudes
        # to unit std first, so that float32 spectra and energies neither overflow nor underflow
        pred, target = (pred - mp) / sp, (target - mt) / st
        mp, sp = _stats(pred, "pred")
        mt, st = _stats(target, "target")
    ratio = sp / st
    diff = torch.addcmul(pred, target, ratio, value=-1.0).sub_(mp - ratio * mt)
    num = _energy(*_integrate(diff)) / sp.flatten().double().square()
    ref, m_ref, s_ref = (target, mt, st) if denominator == "target" else (pred, mp, sp)
    den = _energy(*_integrate(ref - m_ref)) / s_ref.flatten().double().square()
    return num, den


def _windowed_normalise(x: torch.Tensor, taper: torch.Tensor, name: str) -> torch.Tensor:
    """``taper * (x - m_w) / s_w`` with the window-weighted mean and std of each image.

    The statistics are weighted by the window too (float64), so that pixels the window fades
    out (a bad border) change neither the offset nor the gain of the rest: with the plain
    statistics a zeroed frame would shift the normalised interior everywhere.
    """
    w = taper.double()
    x64 = x.double()
    total = w.sum() * x.shape[1]
    mean = (x64 * w).sum(dim=(1, 2, 3), keepdim=True) / total
    var = ((x64 - mean).square() * w).sum(dim=(1, 2, 3), keepdim=True) / total
    if not bool(torch.isfinite(var).all()):
        check_finite(x, name)
    if bool((var == 0).any()):
        bad = torch.nonzero(var.flatten() == 0).flatten().tolist()
        raise RangeError(
            f"`{name}` has zero standard deviation (a constant image) where the window is "
            f"nonzero, at batch index {bad}; FSDS normalises each image by its std."
        )
    return ((x64 - mean) / var.sqrt() * w).to(x.dtype)


def _fsds_ratio_windowed(
    pred: torch.Tensor, target: torch.Tensor, denominator: Denominator, taper: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Numerator and denominator energies of the windowed FSDS (``window=``), each shape (N,).

    Each image is normalised with window-weighted statistics and multiplied by the window
    (:func:`_windowed_normalise`); then Eqs. 11-13 as for the paper's FSDS.
    """
    p = _windowed_normalise(pred, taper, "pred")
    t = _windowed_normalise(target, taper, "target")
    num = _energy(*_integrate(p - t))
    den = _energy(*_integrate(t if denominator == "target" else p))
    return num, den


def _prepare_pair(pred, target) -> tuple[torch.Tensor, torch.Tensor, bool]:
    single = getattr(pred, "ndim", None) == 3
    if getattr(pred, "shape", None) != getattr(target, "shape", None):
        check_same_shape(as_image_tensor(pred, "pred"), as_image_tensor(target, "target"),
                         ("pred", "target"))
    p = _prepare(pred, "pred")
    t = _prepare(target, "target")
    if p.dtype != t.dtype:
        common = torch.promote_types(p.dtype, t.dtype)
        p, t = p.to(common), t.to(common)
    if p.device != t.device:
        raise ValueError(f"`pred` is on {p.device} but `target` is on {t.device}.")
    return p, t, single


def _fsds_db(p: torch.Tensor, t: torch.Tensor, denominator: Denominator,
             window: tuple[str, float] | None = None) -> torch.Tensor:
    """Per-image FSDS in dB of prepared ``(N, C, H, W)`` batches (the one dB formula, Eq. 13)."""
    num, den = _fsds_ratio(p, t, denominator, window)
    return -10.0 * torch.log10(num / den)


def fsds(
    pred: torch.Tensor | np.ndarray,
    target: torch.Tensor | np.ndarray,
    *,
    denominator: Denominator = "target",
    window: str | tuple[str, float] | None = None,
) -> float | torch.Tensor:
    r"""Frequency Spectrum Distribution Similarity in dB (paper Eq. 13); higher is better.

    .. math:: \mathrm{FSDS} = -10\log_{10}\frac{\sum|D^{\mathrm{HR}}-D^{\mathrm{SR}}|^2}
              {\sum|D^{\mathrm{HR}}|^2}

    Args:
        pred: the super-resolved image(s), ``(C, H, W)`` or ``(N, C, H, W)``, float (any range:
            FSDS is invariant to positive affine intensity changes) or uint8/uint16. NumPy arrays
            are accepted in the same channel-first layout. Any ``H, W >= 2``, odd included.
        target: the ground-truth image(s), same shape as ``pred``.
        denominator: whose integrated spectrum normalises the error.
            ``"target"`` (default) follows the paper's Eq. 13 (HR in the denominator) and equals
            the official ``FrequencySpectrumDistributionSimilarity(pred=sr, gt=hr)``.
            ``"pred"`` puts the SR spectrum in the denominator, as the official Table-1 script did
            (it called ``fsds(gt, sr)``); use it to reproduce the numbers of Tables 1, 4 and 5.
        window: ``None`` (default): the paper's FSDS, exactly. A window spec of
            :func:`lpf.signal.windows.parse_window` (``"hann"``, ``"kaiser:8"``,
            ``("kaiser", 8.0)``; ``"rectangular"`` is the default again) normalises each
            image with window-weighted mean and std and multiplies it by the separable
            symmetric window before the FFT, numerator and denominator alike: a variant, not
            the paper's metric, that fades out the image border, which one FFT of the whole
            image otherwise leaks over the whole spectrum (see the module docstring for its
            measured effect). Not a border crop: use
            :func:`lpf.metrics.quality.border_crop` for that.

    Returns:
        A Python ``float`` for one ``(C, H, W)`` image; a float64 tensor of shape ``(N,)`` for a
        batch (on the inputs' device, differentiable). ``+inf`` where ``pred == target`` exactly.

    Raises:
        ShapeError: ranks other than 3 or 4, mismatched shapes, or ``H`` or ``W`` below 2.
        RangeError: NaN/inf values, or a constant image (standard deviation 0).
        TypeError: unsupported input types or dtypes, or a ``window`` that is not a spec.
        ValueError: an unknown ``denominator`` or ``window`` name, or a window that is zero
            on images this small.

    Examples:
        >>> import torch
        >>> g = torch.Generator().manual_seed(0)
        >>> hr = torch.rand(3, 32, 32, generator=g)
        >>> fsds(hr, hr)  # identical images
        inf
        >>> sr = (hr + 0.1 * torch.rand(3, 32, 32, generator=g)).clamp(0, 1)
        >>> fsds(sr, hr) > 15
        True
        >>> fsds(torch.stack([sr, sr]), torch.stack([hr, hr])).shape
        torch.Size([2])
        >>> fsds(sr, hr, window="hann") != fsds(sr, hr)  # the windowed variant
        True
        >>> fsds(sr, hr, window="rectangular") == fsds(sr, hr)
        True
    """
    window = _check_window(window)
    p, t, single = _prepare_pair(pred, target)
    values = _fsds_db(p, t, denominator, window)
    if single:
        return float(values[0])
    return values


def _loss_moments(x: torch.Tensor, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-image mean and unbiased variance of ``x`` (N, C, H, W), float64, shaped (N, 1, 1, 1).

    Differentiable, and never an error for a constant image (the loss floors the std instead);
    NaN or inf values raise :class:`~lpf._checks.RangeError` naming the argument.
    """
    x64 = x.double()
    mean = x64.mean(dim=(1, 2, 3), keepdim=True)
    var = x64.var(dim=(1, 2, 3), keepdim=True)
    if not bool(torch.isfinite(mean).all() and torch.isfinite(var).all()):
        check_finite(x, name)
    return mean, var


def _loss_ratio(p: torch.Tensor, t: torch.Tensor, min_std: float) -> torch.Tensor:
    """Eq. 13's energy ratio (target in the denominator) made safe for training, shape (N,).

    Autocast is switched off and the arithmetic runs in float32 (float64 for float64 inputs):
    half-precision FFTs, cumulative sums and energies would overflow or lose the ratio. Each
    std is floored at ``min_std`` through :func:`torch.where` on the *variance* (so that no
    ``sqrt(0)`` enters the graph); where the target is flat (std <= ``min_std``) the ratio is 1
    and carries no gradient, with a finite dummy denominator so that the masked branch's
    gradient is finite too (``where`` multiplies it by 0; ``inf * 0`` would be NaN).
    """
    dtype = torch.float64 if p.dtype == torch.float64 else torch.float32
    device_type = p.device.type
    available = getattr(torch.amp, "is_autocast_available", lambda d: d in ("cpu", "cuda"))
    off = (torch.autocast(device_type=device_type, enabled=False)
           if available(device_type) else contextlib.nullcontext())
    with off:
        p, t = p.to(dtype), t.to(dtype)
        (mp, vp), (mt, vt) = _loss_moments(p, "pred"), _loss_moments(t, "target")
        floor = float(min_std) ** 2
        sp = torch.where(vp > floor, vp, floor).sqrt().to(dtype)
        st = torch.where(vt > floor, vt, floor).sqrt().to(dtype)
        pn = (p - mp.to(dtype)) / sp
        tn = (t - mt.to(dtype)) / st
        num = _energy(*_integrate(pn - tn))
        den = _energy(*_integrate(tn))
        flat = vt.flatten() <= floor
        ratio = num / torch.where(flat, 1.0, den)
        return torch.where(flat, 1.0, ratio)


def fsds_loss(
    pred: torch.Tensor,
    target: torch.Tensor,
    *,
    eps: float = 1e-10,
    reduction: Literal["mean", "sum", "none"] = "mean",
    min_std: float = LOSS_MIN_STD,
) -> torch.Tensor:
    r"""FSDS as a loss to minimise: :math:`10\log_{10}(\text{ratio} + \epsilon)`, i.e. ``-FSDS``.

    The energy ratio of :func:`fsds` (Eq. 13, target in the denominator, no window), made safe for
    training; on ordinary images the loss equals ``-fsds(pred, target)`` (to float rounding).
    Where :func:`fsds` is infinite or undefined the loss is finite, and so is its gradient:

    * identical images: FSDS is ``+inf``; the loss is ``10*log10(eps)`` (-100 dB by default)
      with a zero gradient;
    * a flat ``target`` (std <= ``min_std``; FSDS raises ``RangeError`` there): FSDS has no
      spectrum distribution to compare with, so that image's loss is 0 dB (ratio 1) with no
      gradient: a pixel loss (L1) must teach the network flat patches;
    * a flat ``pred`` (std <= ``min_std``, e.g. a network at initialisation): it is normalised by
      ``min_std`` instead of its std, so the loss is about 0 dB and its gradient (at most of the
      order of ``1/min_std``) pushes the prediction towards the target's spectrum;
    * float16/bfloat16 inputs or autocast: the loss switches autocast off and computes in
      float32 (float64 for float64 inputs), the energies in float64; the gradient returns to
      ``pred`` in its own dtype.

    NaN or inf values are an error (:class:`~lpf._checks.RangeError`), not a loss.

    Args:
        pred: ``(N, C, H, W)`` or ``(C, H, W)`` float tensor, the network output.
        target: the ground truth, same shape.
        eps: added to the error/reference energy ratio before the logarithm, > 0.
        reduction: ``"mean"`` or ``"sum"`` over the batch, or ``"none"`` for shape ``(N,)``.
        min_std: the floor on each image's standard deviation, > 0, in the inputs' intensity
            units (1e-4 by default: 1/40 of an 8-bit level in [0, 1]; see
            :data:`LOSS_MIN_STD`).

    Returns:
        A scalar tensor (or ``(N,)``): float64 for float64 inputs, float32 otherwise.

    Raises:
        ValueError: an unknown ``reduction``, or ``eps``/``min_std`` not a finite number > 0.
        ShapeError, RangeError, TypeError: as :func:`fsds` (except for constant images).

    Examples:
        >>> import torch
        >>> x = torch.rand(2, 3, 16, 16)
        >>> loss = fsds_loss(x, x)
        >>> round(float(loss), 1)
        -100.0
        >>> flat = torch.full((1, 3, 16, 16), 0.5, requires_grad=True)
        >>> value = fsds_loss(flat, x[:1])  # a constant prediction: finite, with a gradient
        >>> value.backward(); bool(torch.isfinite(flat.grad).all()), round(value.item(), 2)
        (True, 0.0)
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"`reduction` must be 'mean', 'sum' or 'none', got {reduction!r}.")
    for name, value in (("eps", eps), ("min_std", min_std)):
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise ValueError(f"`{name}` must be a finite number > 0, got {value!r}.")
    p, t, _ = _prepare_pair(pred, target)
    ratio = _loss_ratio(p, t, min_std)
    loss = (10.0 * torch.log10(ratio + eps)).to(torch.float64 if p.dtype == torch.float64
                                                 else torch.float32)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


class FSDS(nn.Module):
    """:func:`fsds` as a module; ``forward`` returns a tensor of shape ``(N,)``.

    Args:
        denominator: see :func:`fsds`.
        window: see :func:`fsds` (``None``: the paper's FSDS).

    Shape:
        - pred, target: ``(N, C, H, W)`` or ``(C, H, W)``.
        - output: ``(N,)`` (``(1,)`` for a single image).
    """

    def __init__(self, *, denominator: Denominator = "target",
                 window: str | tuple[str, float] | None = None):
        super().__init__()
        self.denominator = denominator
        self.window = window
        self._window = _check_window(window)

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Per-image FSDS in dB."""
        p, t, _ = _prepare_pair(pred, target)
        return _fsds_db(p, t, self.denominator, self._window)


class FSDSLoss(nn.Module):
    """:func:`fsds_loss` as a module (minimise it to raise FSDS); the arguments are its own."""

    def __init__(self, *, eps: float = 1e-10, reduction: Literal["mean", "sum", "none"] = "mean",
                 min_std: float = LOSS_MIN_STD):
        super().__init__()
        self.eps = eps
        self.reduction = reduction
        self.min_std = min_std

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Loss value, see :func:`fsds_loss`."""
        return fsds_loss(pred, target, eps=self.eps, reduction=self.reduction,
                         min_std=self.min_std)


class IntegratedSpectrum(NamedTuple):
    """The cumulative spectra behind FSDS and paper Fig. 6.

    Attributes:
        upper: ``(..., C, H/2, W//2+1)`` complex, rows 0..H/2-1 of the rfft2 (non-negative
            vertical frequencies), cumulatively summed from the DC corner outward.
        lower: the same for rows H-1 down to H/2 (negative vertical frequencies, from -1 outward).
    """

    upper: torch.Tensor
    lower: torch.Tensor

    def magnitude_map(self) -> np.ndarray:
        """``|D|`` as one array ``(..., C, H, W//2+1)`` with DC at row H/2 (vertical fftshift).

        Rows run from the most negative vertical frequency (top) to the most positive (bottom),
        columns from 0 to the horizontal Nyquist frequency: the layout of a contour plot.
        """
        full = torch.cat([self.lower.flip(-2), self.upper], dim=-2)
        return full.abs().detach().cpu().numpy()


def integrated_spectrum(image: torch.Tensor | np.ndarray) -> IntegratedSpectrum:
    """Cumulative (integrated) spectra D of an image, as FSDS computes them (paper Eq. 11, Fig. 6).

    Args:
        image: ``(C, H, W)`` or ``(N, C, H, W)``; normalised to zero mean and unit std first.

    Returns:
        :class:`IntegratedSpectrum` with the batch dimension kept only for 4-D input.

    Examples:
        >>> import torch
        >>> d = integrated_spectrum(torch.rand(3, 9, 8))
        >>> d.upper.shape, d.lower.shape, d.magnitude_map().shape
        (torch.Size([3, 5, 5]), torch.Size([3, 5, 5]), (3, 10, 5))
    """
    single = getattr(image, "ndim", None) == 3
    x = _normalise(_prepare(image, "image"), "image")
    upper, lower = _integrate(x)
    if single:
        upper, lower = upper[0], lower[0]
    return IntegratedSpectrum(upper, lower)


