r"""A small, seeded super-resolution trainer: the kit-trained models and paper Fig. 19.

:func:`train` fits a network ``(N, 3, h, w) -> (N, 3, s h, s w)`` (RGB in [0, 1], unclamped out)
to HR/LR pairs, the LR made from the HR with MATLAB-exact bicubic
(:func:`lpf.data.resize.imresize` on ``uint8``, computed once per image), the benchmark degradation:

- every step draws ``batch_size`` images uniformly, a random LR patch of ``patch_size`` pixels in
  each (the HR patch at the same place, ``scale`` times larger) and one of the 8 flips/rotations;
- the loss is L1, or L1 plus one more term: a relativistic-average adversarial term (ESRGAN,
  Wang et al. 2018) against a small patch discriminator (:class:`PatchDiscriminator`), the FSDS
  loss (:func:`lpf.metrics.fsds_loss`, minus the paper's FSDS in dB) or the focal frequency
  loss (Jiang et al., ICCV 2021; the PyPI package ``focal-frequency-loss``);
- Adam (betas 0.9, 0.99) with the learning rate cosine-annealed to 0 (or constant);
- channels-last memory format on the CPU, a tqdm progress bar, a JSON log of the loss and of the
  validation metrics;
- resumable: ``out/checkpoint.pth`` holds the model, the optimisers, the patch sampler's and
  torch's random states, the iteration and the log, written atomically; ``resume=True`` continues
  from it, and on the CPU a resumed run is bit-identical to an uninterrupted one;
- snapshots of the network's state dict at chosen iterations (Fig. 19 shows the network at several
  points of its training).

The recipes of the five kit-trained models (:data:`lpf.train.recipes.KIT_RECIPES`) run through
:func:`lpf.train.kit.train_kit_model`; ``lpf train`` (``scripts/train_models.py``, ``make models``)
is its command line.

Examples:
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 12, 3, padding=1), torch.nn.PixelShuffle(2))
    >>> result = train(net, scale=2, pairs_or_images=["camera"], iterations=2, batch_size=2,
    ...                patch_size=8, progress=False)
    >>> result.iterations, result.finished, len(result.log["train"]) > 0
    (2, True, True)
"""

from __future__ import annotations

import difflib
import json
import math
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from lpf._checks import LpfError
from lpf._io import atomic_torch_save, atomic_write_text
from lpf.analysis.sinc import sinc_correlation
from lpf.data import SRPair, embedded_images, load_embedded, make_pair, to_tensor
from lpf.metrics import fsds_loss, psnr
from lpf.models import SRModel
from lpf.models.archs._common import load_weights

__all__ = [
    "PatchDiscriminator",
    "PatchSampler",
    "TrainResult",
    "impulse_check",
    "make_pairs",
    "psnr_validator",
    "save_state_dict",
    "train",
]

_FORMAT = "lpf-train-v1"
_LOSSES = ("l1", "l1+gan", "l1+fsds", "l1+ffl")
_SCHEDULES = ("cosine", "constant")
_MAX_KIT_BYTES = 3 * 1024 * 1024


# ------------------------------------------------------------------------------------------------
# Data: HR/LR pairs and the patch sampler
# ------------------------------------------------------------------------------------------------


def _pair_from_hr(name: str, image: np.ndarray, scale: int) -> SRPair:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        kind = image.dtype if isinstance(image, np.ndarray) else type(image).__name__
        raise TypeError(f"training image {name!r} must be a uint8 numpy array, got {kind}.")
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim != 3 or image.shape[2] not in (1, 3):
        raise ValueError(
            f"training image {name!r} must have shape (H, W), (H, W, 1) or (H, W, 3), got "
            f"{image.shape}."
        )
    if image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    return make_pair(name, image, scale)


def make_pairs(
    pairs_or_images: Iterable[Any] | None = None, *, scale: int
) -> list[SRPair]:
    """Training pairs from names, HR images or ready pairs, the LR computed once per image.

    Args:
        pairs_or_images: ``None`` (all :func:`lpf.data.embedded_images`, greyscale ones
            replicated to RGB), or an iterable of: embedded image names (``str``); ``uint8`` HR
            arrays ``(H, W[, C])`` (mod-cropped, LR by :func:`lpf.data.resize.imresize`);
            :class:`lpf.data.SRPair` objects of this ``scale`` (an :class:`lpf.data.ImageSet`
            works).
        scale: the integer upscaling factor.

    Returns:
        The pairs, in the given order.

    Raises:
        ValueError: an empty collection, or a pair of another scale or shape.
        TypeError: an item of another kind.

    Examples:
        >>> [(p.name, p.hr.shape, p.lr.shape) for p in make_pairs(["coins"], scale=4)]
        [('coins', (300, 384, 3), (75, 96, 3))]
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"`scale` must be a positive integer, got {scale!r}.")
    items = embedded_images() if pairs_or_images is None else pairs_or_images
    if isinstance(items, str | np.ndarray):
        items = [items]
    pairs = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            p = load_embedded(item, scale=scale, channels=3)
            pairs.append(SRPair(item, p.hr, p.lr, scale))
        elif isinstance(item, np.ndarray):
            pairs.append(_pair_from_hr(f"image{i}", item, scale))
        elif isinstance(item, SRPair):
            if item.scale != scale:
                raise ValueError(f"pair {item.name!r} is x{item.scale}, but `scale` is {scale}.")
            hr, lr = item.hr, item.lr
            if hr.ndim == 2 or hr.shape[-1] == 1:
                hr = np.repeat(hr.reshape(*hr.shape[:2], 1), 3, axis=2)
                lr = np.repeat(lr.reshape(*lr.shape[:2], 1), 3, axis=2)
            if hr.shape[:2] != (lr.shape[0] * scale, lr.shape[1] * scale):
                raise ValueError(
                    f"pair {item.name!r}: HR {hr.shape} is not LR {lr.shape} times {scale}."
                )
            pairs.append(SRPair(item.name, np.ascontiguousarray(hr), np.ascontiguousarray(lr),
                                scale))
        else:
            raise TypeError(
                "`pairs_or_images` items must be embedded image names, uint8 arrays or SRPair/"
                f"objects, got {type(item).__name__} at position {i}."
            )
    if not pairs:
        raise ValueError("`pairs_or_images` is empty: give at least one training image.")
    return pairs


class PatchSampler:
    """Random LR/HR patch batches with flips and rotations, from a seeded NumPy generator.

    Each batch draws ``batch_size`` images uniformly (with replacement), a uniformly placed LR
    patch in each and one of the 8 symmetries of the square (h-flip, v-flip, transpose). Images
    whose LR is smaller than the patch are left out (:attr:`skipped`).

    Args:
        pairs: the training pairs.
        scale: the upscaling factor.
        patch_size: LR patch side.
        batch_size: patches per batch.
        seed: the generator's seed.

    Raises:
        ValueError: no image is large enough for the patch.

    Examples:
        >>> s = PatchSampler(make_pairs(["coins"], scale=2), scale=2, patch_size=8, batch_size=3)
        >>> lr, hr = s.sample()
        >>> lr.shape, hr.shape, lr.dtype
        ((3, 8, 8, 3), (3, 16, 16, 3), dtype('uint8'))
    """

    def __init__(
        self, pairs: Sequence[SRPair], *, scale: int, patch_size: int, batch_size: int,
        seed: int = 0,
    ):
        self.scale, self.patch_size, self.batch_size = scale, patch_size, batch_size
        self.pairs = [p for p in pairs if min(p.lr.shape[:2]) >= patch_size]
        self.skipped = [p.name for p in pairs if min(p.lr.shape[:2]) < patch_size]
        if not self.pairs:
            sizes = ", ".join(f"{p.name} {p.lr.shape[0]}x{p.lr.shape[1]}" for p in pairs[:5])
            raise ValueError(
                f"no training image has an LR of at least `patch_size`={patch_size} pixels "
                f"(LR sizes: {sizes}); use a smaller patch."
            )
        self.rng = np.random.Generator(np.random.PCG64(seed))

    def sample(self) -> tuple[np.ndarray, np.ndarray]:
        """One batch: ``(lr, hr)`` ``uint8`` arrays ``(B, p, p, 3)`` and ``(B, s p, s p, 3)``."""
        p, s = self.patch_size, self.scale
        lrs, hrs = [], []
        for k in self.rng.integers(len(self.pairs), size=self.batch_size):
            pair = self.pairs[int(k)]
            y = int(self.rng.integers(pair.lr.shape[0] - p + 1))
            x = int(self.rng.integers(pair.lr.shape[1] - p + 1))
            lr = pair.lr[y : y + p, x : x + p]
            hr = pair.hr[y * s : (y + p) * s, x * s : (x + p) * s]
            hflip, vflip, transpose = (bool(b) for b in self.rng.integers(2, size=3))
            if hflip:
                lr, hr = lr[:, ::-1], hr[:, ::-1]
            if vflip:
                lr, hr = lr[::-1], hr[::-1]
            if transpose:
                lr, hr = lr.transpose(1, 0, 2), hr.transpose(1, 0, 2)
            lrs.append(lr)
            hrs.append(hr)
        return np.stack(lrs), np.stack(hrs)

    def get_state(self) -> str:
        """The generator's state as JSON (restored by :meth:`set_state`)."""
        return json.dumps(self.rng.bit_generator.state)

    def set_state(self, state: str) -> None:
        """Restore a state from :meth:`get_state`."""
        self.rng.bit_generator.state = json.loads(state)


# ------------------------------------------------------------------------------------------------
# The discriminator of the GAN option
# ------------------------------------------------------------------------------------------------


class PatchDiscriminator(nn.Module):
    r"""A small VGG-style patch discriminator with spectral normalisation.

    Three stages of ``conv3x3 -> LeakyReLU(0.2) -> conv4x4 stride 2 -> LeakyReLU(0.2)`` (``nf``,
    ``2 nf``, ``4 nf`` channels), then a 3x3 conv to one logit per output position: one real/fake
    logit for each (about 46-pixel) patch of the input, on a grid of stride 8. Every conv is
    spectrally normalised (Miyato et al., ICLR 2018), which keeps the adversarial gradients
    bounded without batch statistics.

    Args:
        in_channels: image channels.
        nf: channels of the first stage.

    Shape:
        - Input: :math:`(N, C, H, W)` in [0, 1].
        - Output: :math:`(N, 1, \lceil H/8 \rceil, \lceil W/8 \rceil)` logits.

    Examples:
        >>> PatchDiscriminator(nf=8)(torch.rand(2, 3, 64, 48)).shape
        torch.Size([2, 1, 8, 6])
    """

    def __init__(self, in_channels: int = 3, nf: int = 32):
        super().__init__()
        sn = nn.utils.parametrizations.spectral_norm
        layers: list[nn.Module] = []
        c_in = in_channels
        for c in (nf, 2 * nf, 4 * nf):
            layers += [sn(nn.Conv2d(c_in, c, 3, padding=1)), nn.LeakyReLU(0.2, inplace=True),
                       sn(nn.Conv2d(c, c, 4, stride=2, padding=1)), nn.LeakyReLU(0.2, inplace=True)]
            c_in = c
        layers.append(sn(nn.Conv2d(c_in, 1, 3, padding=1)))
        self.body = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Patch logits of ``x`` (real: high)."""
        return self.body(x)


def _bce(logits: torch.Tensor, target: float) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


# ------------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------------


def psnr_validator(
    pairs: Iterable[Any], *, scale: int, pad_multiple: int = 1
) -> Callable[[nn.Module], dict[str, float]]:
    r"""A validation callable for :func:`train`: the mean PSNR-Y (SR convention) over ``pairs``.

    The network runs on each whole LR image (zero-padded to ``pad_multiple``, cropped back), its
    output is clamped to [0, 1] and compared with :func:`lpf.metrics.psnr` ``preset="sr"``
    (8-bit rounding, BT.601 Y, ``scale`` pixels of border cropped).

    Args:
        pairs: :class:`lpf.data.SRPair` objects (e.g. ``lpf.data.load_set("Set5", scale=4)``)
            objects; read once, here.
        scale: the upscaling factor.
        pad_multiple: the window multiple of the network (8 for SwinIR), as in
            :class:`lpf.models.SRModel`.

    Returns:
        ``val(net) -> {"psnr_y": mean dB, "psnr_y/<name>": dB per image}``.

    Examples:
        >>> val = psnr_validator(make_pairs(["coins"], scale=2), scale=2)
        >>> up = torch.nn.Upsample(scale_factor=2, mode="bicubic", align_corners=False)
        >>> round(val(up)["psnr_y"], 1) > 25
        True
    """
    data = [(p.name, to_tensor(p.lr)[None], to_tensor(p.hr)[None]) for p in pairs]
    if not data:
        raise ValueError("`pairs` of the validator is empty.")

    def val(net: nn.Module) -> dict[str, float]:
        wrapped = SRModel(net, scale=scale, name="validation", pad_multiple=pad_multiple)
        device = next(iter(net.parameters()), torch.empty(0)).device
        out: dict[str, float] = {}
        with torch.no_grad():
            for name, lr, hr in data:
                sr = wrapped(lr.to(device)).clamp(0, 1).cpu()  # the metric on the CPU
                out[f"psnr_y/{name}"] = float(psnr(sr, hr, preset="sr", scale=scale)[0])
        out["psnr_y"] = float(np.mean([out[f"psnr_y/{n}"] for n, _, _ in data]))
        return out

    return val


# ------------------------------------------------------------------------------------------------
# The trainer
# ------------------------------------------------------------------------------------------------


@dataclass
class TrainResult:
    """What :func:`train` returns.

    Attributes:
        model: the trained network (the same object as passed in, or its ``.net`` for an
            :class:`lpf.models.SRModel`), in eval mode.
        iterations: optimiser steps done in total (including those before a resume).
        finished: whether all ``iterations`` are done (``False`` after ``until``/``max_seconds``).
        log: ``{"config": ..., "train": [...], "val": [...], "skipped_images": [...]}`` (also
            ``out/log.json``): the mean losses and the learning rate every ``log_every`` steps,
            the validation metrics every ``val_every`` steps.
        snapshots: ``iteration -> state dict`` (CPU tensors) of the network at ``snapshots``.
        snapshot_files: ``iteration -> file`` of each snapshot under ``out/snapshots``.
        checkpoint: ``out/checkpoint.pth`` (``None`` without ``out``).
        wall_time_s: seconds spent in this call.
    """

    model: nn.Module
    iterations: int
    finished: bool
    log: dict[str, Any]
    snapshots: dict[int, dict[str, torch.Tensor]] = field(default_factory=dict)
    snapshot_files: dict[int, Path] = field(default_factory=dict)
    checkpoint: Path | None = None
    wall_time_s: float = 0.0

    @property
    def final_loss(self) -> float | None:
        """The last logged mean training loss (``None`` before the first log)."""
        return self.log["train"][-1]["loss"] if self.log["train"] else None


def _cpu_state_dict(net: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu", copy=True).contiguous() for k, v in net.state_dict().items()}


def _learning_rate(base: float, schedule: str, it: int, total: int) -> float:
    """The learning rate of step ``it`` (1-based) of ``total``."""
    if schedule == "constant":
        return base
    return 0.5 * base * (1.0 + math.cos(math.pi * (it - 1) / total))


def _check_positive_int(name: str, value: object, *, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"`{name}` must be an integer >= {low}, got {value!r}.")
    return value


def _check_loss(loss: object) -> str:
    """``loss`` if it is a known loss name; else ``ValueError`` with the closest name."""
    if isinstance(loss, str) and loss in _LOSSES:
        return loss
    hint = difflib.get_close_matches(str(loss).lower(), _LOSSES, n=1, cutoff=0.5)
    extra = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise ValueError(f"`loss` must be one of {list(_LOSSES)}, got {loss!r}{extra}.")


def _check_weight(name: str, value: object) -> float:
    """A loss weight: a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or value < 0:
        raise ValueError(f"`{name}` must be a finite number >= 0, got {value!r}.")
    return float(value)


def _extra_term(
    loss: str, *, ffl_alpha: float
) -> tuple[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] | None:
    """``(name, term(sr, hr) -> scalar)`` of the loss's term besides L1 (GAN: handled inline)."""
    if loss == "l1+fsds":
        return "fsds", fsds_loss
    if loss == "l1+ffl":
        try:
            from focal_frequency_loss import FocalFrequencyLoss
        except ImportError:
            raise ImportError(
                "loss='l1+ffl' needs the focal frequency loss (Jiang et al., ICCV 2021): "
                "pip install focal-frequency-loss (or the kit's extra: pip install -e '.[train]')."
            ) from None
        return "ffl", FocalFrequencyLoss(loss_weight=1.0, alpha=float(ffl_alpha))
    return None


def _to_batch(array: np.ndarray, device: torch.device, channels_last: bool) -> torch.Tensor:
    # (B, H, W, C) uint8 -> (B, C, H, W) float in [0, 1]; the permuted view is channels-last
    t = torch.from_numpy(np.ascontiguousarray(array)).to(device, non_blocking=True)
    t = t.permute(0, 3, 1, 2).float().div_(255.0)
    return t.contiguous(memory_format=torch.channels_last if channels_last else
                        torch.contiguous_format)


def _unwrap(model: nn.Module) -> nn.Module:
    if isinstance(model, SRModel):
        if model.input_range != 1.0 or model.channels != "RGB":
            raise ValueError(
                f"{model.name} takes {model.channels} in [0, {model.input_range:g}]; the trainer "
                "feeds RGB in [0, 1]: pass the raw network, with its own input scaling, instead."
            )
        return model.net
    if not isinstance(model, nn.Module):
        raise TypeError(f"`model` must be an nn.Module, got {type(model).__name__}.")
    return model


def train(
    model: nn.Module,
    *,
    scale: int,
    pairs_or_images: Iterable[Any] | None = None,
    iterations: int,
    batch_size: int = 16,
    patch_size: int = 32,
    lr: float = 2e-4,
    loss: str = "l1",
    seed: int = 0,
    device: str | torch.device = "cpu",
    schedule: str = "cosine",
    l1_weight: float = 1.0,
    gan_weight: float = 5e-3,
    fsds_weight: float = 2e-4,
    ffl_weight: float = 1.0,
    ffl_alpha: float = 1.0,
    discriminator: nn.Module | None = None,
    out: str | os.PathLike | None = None,
    resume: bool = True,
    checkpoint_every: int | None = 500,
    val: Callable[[nn.Module], Mapping[str, float] | float] | None = None,
    val_every: int | None = None,
    log_every: int = 50,
    snapshots: Iterable[int] = (),
    until: int | None = None,
    max_seconds: float | None = None,
    channels_last: bool | None = None,
    progress: bool = True,
    desc: str | None = None,
) -> TrainResult:
    r"""Train a super-resolution network on HR/LR patches (L1, optionally + one more term).

    The generator's loss is :math:`\lambda_1 \lVert N(x) - y \rVert_1` plus, by ``loss``:

    - ``"l1+gan"``: :math:`\lambda_\mathrm{adv} \tfrac12 \big[\mathrm{BCE}(D_r - \bar D_f, 0)
      + \mathrm{BCE}(D_f - \bar D_r, 1)\big]` (:math:`D_r, D_f` the discriminator's logits of
      real and generated patches, bars their means: ESRGAN's relativistic average GAN). The
      discriminator minimises :math:`\tfrac12[\mathrm{BCE}(D_r - \bar D_f, 1) + \mathrm{BCE}(D_f
      - \bar D_r, 0)]` in alternation.
    - ``"l1+fsds"``: :math:`\lambda_\mathrm{FSDS}\,\overline{\mathrm{fsds\_loss}}(N(x), y)`, the
      batch mean of :func:`lpf.metrics.fsds_loss` over the HR patches (minus the paper's FSDS in
      dB, Eq. 13 with the HR patch in the denominator; each patch's own FFT). In dB, so its
      gradient is that of the error/reference energy ratio divided by the ratio: its scale
      does not shrink as the network improves.
    - ``"l1+ffl"``: :math:`\lambda_\mathrm{FFL}\,\mathrm{FFL}_\alpha(N(x), y)`, the focal
      frequency loss of Jiang et al. (ICCV 2021) from the PyPI package ``focal-frequency-loss``
      (``FocalFrequencyLoss(loss_weight=1, alpha=ffl_alpha)``; install it with
      ``pip install focal-frequency-loss`` or the ``train`` extra).

    Args:
        model: the network, ``(N, 3, h, w)`` RGB in [0, 1] -> ``(N, 3, s h, s w)``; trained in
            place (an :class:`lpf.models.SRModel` is unwrapped to its ``.net``). To fine-tune,
            pass it
            with its weights loaded (e.g. ``load_model("edsr-kit", scale=4).net``).
        scale: the integer upscaling factor.
        pairs_or_images: the training data, see :func:`make_pairs` (default: the embedded set).
        iterations: the total number of optimiser steps (the learning-rate schedule spans them).
        batch_size: patches per step.
        patch_size: LR patch side in pixels (HR patches are ``scale * patch_size``).
        lr: Adam's (initial) learning rate, for the generator and the discriminator.
        loss: ``"l1"``, ``"l1+gan"``, ``"l1+fsds"`` or ``"l1+ffl"``.
        seed: seeds the patch sampler, torch's generator during training and the discriminator's
            initialisation. The network's own initialisation is the caller's.
        device: ``"cpu"``, ``"cuda"``, ...
        schedule: ``"cosine"`` (to 0 at ``iterations``) or ``"constant"``.
        l1_weight: :math:`\lambda_1`.
        gan_weight: :math:`\lambda_\mathrm{adv}` (``"l1+gan"`` only; ESRGAN uses 5e-3 next to a
            perceptual loss).
        fsds_weight: :math:`\lambda_\mathrm{FSDS}` (``"l1+fsds"`` only), per dB of FSDS; the
            default gives the FSDS term about half of L1's gradient on ``edsr-kit``
            (:mod:`lpf.train.loss_study`).
        ffl_weight: :math:`\lambda_\mathrm{FFL}` (``"l1+ffl"`` only).
        ffl_alpha: the focal frequency loss's exponent of its spectrum weight matrix
            (``"l1+ffl"`` only; 1 in Jiang et al.).
        discriminator: the discriminator (default :class:`PatchDiscriminator`\ ``()``).
        out: a folder for ``checkpoint.pth``, ``log.json``, ``final.pth`` (the network's state
            dict) and ``snapshots/iter_XXXXXX.pth``; ``None`` keeps everything in memory.
        resume: continue from ``out/checkpoint.pth`` if it exists (its configuration must match;
            the passed weights are replaced by the checkpoint's). ``False`` starts afresh.
        checkpoint_every: write the checkpoint every this many steps (and always at the end);
            ``None`` only at the end.
        val: ``val(net) -> {name: value}`` (or a float, logged as ``"val"``), called in eval mode
            without gradients every ``val_every`` steps and at the end; see
            :func:`psnr_validator`.
        val_every: steps between validations (default: only at the end).
        log_every: steps between log entries (mean losses since the previous entry).
        snapshots: iterations at which to keep the network's state dict (``0`` = before the
            first step).
        until: stop at this iteration, checkpointed, as if interrupted (time-sliced runs, tests);
            the schedule still spans ``iterations``.
        max_seconds: stop, checkpointed, once this call has run this long.
        channels_last: use the channels-last memory format (default: on the CPU).
        progress: show a tqdm progress bar.
        desc: the progress bar's label.

    Returns:
        A :class:`TrainResult`.

    Raises:
        ValueError: bad arguments (an unknown ``loss`` names the closest known one); a checkpoint
            in ``out`` made with another configuration.
        TypeError: ``model`` is not an ``nn.Module``.
        ImportError: ``loss="l1+ffl"`` without the ``focal-frequency-loss`` package.
    """
    start_time = time.perf_counter()
    net = _unwrap(model)
    scale = _check_positive_int("scale", scale)
    iterations = _check_positive_int("iterations", iterations)
    batch_size = _check_positive_int("batch_size", batch_size)
    patch_size = _check_positive_int("patch_size", patch_size)
    log_every = _check_positive_int("log_every", log_every)
    _check_loss(loss)
    weights = {"l1_weight": _check_weight("l1_weight", l1_weight)}
    if loss == "l1+gan":
        weights["gan_weight"] = _check_weight("gan_weight", gan_weight)
    elif loss == "l1+fsds":
        weights["fsds_weight"] = _check_weight("fsds_weight", fsds_weight)
    elif loss == "l1+ffl":
        weights["ffl_weight"] = _check_weight("ffl_weight", ffl_weight)
        weights["ffl_alpha"] = _check_weight("ffl_alpha", ffl_alpha)
    extra_term = _extra_term(loss, ffl_alpha=ffl_alpha)
    if schedule not in _SCHEDULES:
        raise ValueError(f"`schedule` must be one of {_SCHEDULES}, got {schedule!r}.")
    if not (isinstance(lr, int | float) and lr > 0):
        raise ValueError(f"`lr` must be a positive number, got {lr!r}.")
    for name, value in (("checkpoint_every", checkpoint_every), ("val_every", val_every)):
        if value is not None:
            _check_positive_int(name, value)
    stop = iterations if until is None else min(_check_positive_int("until", until,
                                                                    allow_zero=True), iterations)
    snaps = sorted({int(s) for s in snapshots})
    if any(s < 0 or s > iterations for s in snaps):
        raise ValueError(f"`snapshots` must lie in [0, {iterations}], got {snaps}.")
    device = torch.device(device)
    if channels_last is None:
        channels_last = device.type == "cpu"
    gan = loss == "l1+gan"
    out_dir = Path(out) if out is not None else None
    ckpt_path = out_dir / "checkpoint.pth" if out_dir is not None else None

    pairs = make_pairs(pairs_or_images, scale=scale)
    sampler = PatchSampler(pairs, scale=scale, patch_size=patch_size, batch_size=batch_size,
                           seed=seed)
    config = {
        "scale": scale, "iterations": iterations, "batch_size": batch_size,
        "patch_size": patch_size, "lr": lr, "loss": loss, "seed": seed, "schedule": schedule,
        "l1_weight": l1_weight, "gan_weight": gan_weight if gan else None,
        **{k: v for k, v in weights.items() if k != "gan_weight"},
        "images": [p.name for p in sampler.pairs],
    }
    log: dict[str, Any] = {"config": config, "train": [], "val": [],
                           "skipped_images": sampler.skipped, "format": _FORMAT}

    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    net.to(device=device, memory_format=memory_format)
    cuda_devices = []
    if device.type == "cuda":
        cuda_devices = [device.index if device.index is not None else torch.cuda.current_device()]
    with torch.random.fork_rng(devices=cuda_devices):
        torch.manual_seed(seed)
        disc = None
        if gan:
            disc = discriminator if discriminator is not None else PatchDiscriminator()
            disc.to(device=device, memory_format=memory_format)
        opt_g = torch.optim.Adam(net.parameters(), lr=lr, betas=(0.9, 0.99))
        opt_d = (torch.optim.Adam(disc.parameters(), lr=lr, betas=(0.9, 0.99))
                 if disc is not None else None)
        start = 0
        pending: dict[str, list[torch.Tensor]] = {}
        if ckpt_path is not None and resume and ckpt_path.is_file():
            start, pending = _restore(ckpt_path, config, log, net, disc, opt_g, opt_d, sampler,
                                      device)
        snapshot_files: dict[int, Path] = {}
        snapshot_sds: dict[int, dict[str, torch.Tensor]] = {}
        if out_dir is not None:
            for s in snaps:
                f = out_dir / "snapshots" / f"iter_{s:06d}.pth"
                if s <= start and f.is_file():
                    snapshot_files[s] = f
                    snapshot_sds[s] = torch.load(f, map_location="cpu", weights_only=True)

        def take_snapshot(it: int) -> None:
            sd = _cpu_state_dict(net)
            snapshot_sds[it] = sd
            if out_dir is not None:
                f = out_dir / "snapshots" / f"iter_{it:06d}.pth"
                atomic_torch_save(sd, f)
                snapshot_files[it] = f

        def run_val(it: int) -> None:
            if val is None or (log["val"] and log["val"][-1]["iteration"] == it):
                return
            net.eval()
            with torch.no_grad():
                result = val(net)
            net.train()
            metrics = dict(result) if isinstance(result, Mapping) else {"val": float(result)}
            log["val"].append({"iteration": it, **{k: float(v) for k, v in metrics.items()}})

        def save_checkpoint(it: int) -> None:
            if ckpt_path is None:
                return
            state = {
                "format": _FORMAT, "iteration": it, "config": json.dumps(config),
                "log": json.dumps(log), "model": net.state_dict(),
                "optimizer": opt_g.state_dict(), "sampler": sampler.get_state(),
                "torch_rng": torch.get_rng_state(),
                "pending": {k: [float(v) for v in vs] for k, vs in pending.items()},
            }
            if device.type == "cuda":
                state["cuda_rng"] = torch.cuda.get_rng_state(device)
            if disc is not None:
                state["discriminator"] = disc.state_dict()
                state["disc_optimizer"] = opt_d.state_dict()
            atomic_torch_save(state, ckpt_path)
            atomic_write_text(out_dir / "log.json", json.dumps(log, indent=1))

        if start == 0 and 0 in snaps and 0 not in snapshot_sds:
            take_snapshot(0)
        net.train()
        if disc is not None:
            disc.train()
        it = start
        bar = tqdm(total=iterations, initial=start, disable=not progress, desc=desc,
                   dynamic_ncols=True, leave=True)
        try:
            while it < stop:
                it += 1
                step_lr = _learning_rate(lr, schedule, it, iterations)
                for opt in (opt_g, opt_d):
                    if opt is not None:
                        for group in opt.param_groups:
                            group["lr"] = step_lr
                lr_np, hr_np = sampler.sample()
                x = _to_batch(lr_np, device, channels_last)
                y = _to_batch(hr_np, device, channels_last)
                sr = net(x)
                l_pix = F.l1_loss(sr, y)
                losses = {"l1": l_pix.detach()}
                total = l1_weight * l_pix
                if disc is not None:
                    for p in disc.parameters():
                        p.requires_grad_(False)
                    real = disc(y).detach()
                    fake = disc(sr)
                    l_adv = 0.5 * (_bce(real - fake.mean(), 0.0) + _bce(fake - real.mean(), 1.0))
                    total = total + gan_weight * l_adv
                    losses["gan"] = l_adv.detach()
                if extra_term is not None:
                    name, term = extra_term
                    l_extra = term(sr, y)
                    total = total + weights[f"{name}_weight"] * l_extra
                    losses[name] = l_extra.detach()
                losses["loss"] = total.detach()
                opt_g.zero_grad(set_to_none=True)
                total.backward()
                opt_g.step()
                if disc is not None:
                    for p in disc.parameters():
                        p.requires_grad_(True)
                    fake = disc(sr.detach())
                    real = disc(y)
                    l_d = 0.5 * (_bce(real - fake.mean().detach(), 1.0)
                                 + _bce(fake - real.mean().detach(), 0.0))
                    opt_d.zero_grad(set_to_none=True)
                    l_d.backward()
                    opt_d.step()
                    losses["d"] = l_d.detach()
                for k, v in losses.items():
                    pending.setdefault(k, []).append(v)
                bar.update(1)
                if it % log_every == 0 or it == iterations:
                    entry = {"iteration": it, "lr": step_lr,
                             "elapsed_s": round(time.perf_counter() - start_time, 3)}
                    entry.update({k: float(torch.stack(vs).mean()) for k, vs in pending.items()})
                    pending = {}
                    log["train"].append(entry)
                    bar.set_postfix(loss=f"{entry['loss']:.4f}", refresh=False)
                if val_every is not None and it % val_every == 0:
                    run_val(it)
                    if progress and "psnr_y" in log["val"][-1]:
                        bar.set_postfix(loss=f"{log['train'][-1]['loss']:.4f}",
                                        psnr_y=f"{log['val'][-1]['psnr_y']:.2f}", refresh=False)
                if it in snaps:
                    take_snapshot(it)
                if checkpoint_every is not None and it % checkpoint_every == 0 and it < stop:
                    save_checkpoint(it)
                if max_seconds is not None and time.perf_counter() - start_time > max_seconds:
                    break
        finally:
            bar.close()
        finished = it >= iterations
        if finished:
            run_val(it)
        save_checkpoint(it)
        if out_dir is not None and finished:
            atomic_torch_save(_cpu_state_dict(net), out_dir / "final.pth")
    net.eval()
    return TrainResult(
        model=net, iterations=it, finished=finished, log=log, snapshots=snapshot_sds,
        snapshot_files=snapshot_files, checkpoint=ckpt_path,
        wall_time_s=time.perf_counter() - start_time,
    )


def _restore(
    path: Path, config: dict[str, Any], log: dict[str, Any], net: nn.Module,
    disc: nn.Module | None, opt_g: torch.optim.Optimizer, opt_d: torch.optim.Optimizer | None,
    sampler: PatchSampler, device: torch.device,
) -> tuple[int, dict[str, list[torch.Tensor]]]:
    """Load a training checkpoint into the objects; return the iteration and pending losses."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable file gets the same advice
        raise LpfError(
            f"cannot read the training checkpoint {path} ({err}); delete it or pass "
            "resume=False to start afresh."
        ) from None
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        raise LpfError(f"{path} is not an lpf training checkpoint ({_FORMAT}).")
    saved = json.loads(state["config"])
    diff = {k: (saved.get(k), v) for k, v in config.items() if saved.get(k) != v}
    if diff:
        listed = ", ".join(f"{k}: {a!r} in the checkpoint vs {b!r} now" for k, (a, b) in
                           diff.items())
        raise ValueError(
            f"the checkpoint {path} was made with another configuration ({listed}); use another "
            "`out` folder or resume=False."
        )
    load_weights(net, state["model"], source=str(path))
    net.to(device)
    opt_g.load_state_dict(state["optimizer"])
    if disc is not None:
        if "discriminator" not in state:
            raise ValueError(f"{path} has no discriminator state (it is not a GAN run).")
        disc.load_state_dict(state["discriminator"])
        opt_d.load_state_dict(state["disc_optimizer"])
    sampler.set_state(state["sampler"])
    torch.set_rng_state(state["torch_rng"])
    if device.type == "cuda" and "cuda_rng" in state:
        torch.cuda.set_rng_state(state["cuda_rng"], device)
    log.update(json.loads(state["log"]))
    pending = {k: [torch.tensor(v, dtype=torch.float32, device=device) for v in vs]
               for k, vs in state["pending"].items()}
    return int(state["iteration"]), pending


# ------------------------------------------------------------------------------------------------
# Saving and quick checks
# ------------------------------------------------------------------------------------------------


def save_state_dict(
    net: nn.Module, path: str | os.PathLike, *, max_bytes: int = _MAX_KIT_BYTES
) -> str:
    """Save ``net``'s state dict for ``data/models``: float32, or float16 if float32 is too big.

    Floating tensors are stored as float32 when the file stays within ``max_bytes``, otherwise
    as float16 (loading converts them back: ``load_state_dict`` copies into float32 parameters).
    Integer buffers are kept as they are. The file is written atomically.

    Args:
        net: the trained network.
        path: the ``.pth`` file.
        max_bytes: the size limit (3 MiB for committed checkpoints).

    Returns:
        ``"float32"`` or ``"float16"``.

    Raises:
        ValueError: even float16 exceeds ``max_bytes``.
    """
    path = Path(path)
    sd = _cpu_state_dict(net)
    for dtype in (torch.float32, torch.float16):
        cast = {k: v.to(dtype) if v.is_floating_point() else v for k, v in sd.items()}
        atomic_torch_save(cast, path)
        if path.stat().st_size <= max_bytes:
            return str(dtype).removeprefix("torch.")
    size = path.stat().st_size
    path.unlink()
    raise ValueError(f"{net.__class__.__name__} needs {size} bytes even in float16, more than "
                     f"the limit of {max_bytes}: make the model smaller.")


def impulse_check(net: nn.Module, *, scale: int, pad_multiple: int = 1) -> dict[str, float]:
    """A quick look at a network's impulse response: how sinc-like it is (for training records).

    The response to a unit impulse in the centre of an 11 x 11 black LR image, minus the response
    to the black image, averaged over the colour channels. ``side_lobe`` is the most negative
    value on the row and column through the peak, relative to the peak (about -0.22 for the ideal
    x4 sinc, -0.07 for bicubic, 0 for bilinear); ``sinc_corr`` is the correlation of the
    response with the ideal separable sinc on the same grid
    (:func:`lpf.analysis.sinc.sinc_correlation`). :mod:`lpf.analysis.impulse` has the full
    diagnostics.

    Args:
        net: ``(N, 3, h, w)`` in [0, 1] -> ``(N, 3, s h, s w)``.
        scale: its upscaling factor.
        pad_multiple: zero padding multiple (8 for SwinIR).

    Returns:
        ``{"side_lobe": ..., "sinc_corr": ...}``.

    Examples:
        >>> up = torch.nn.Upsample(scale_factor=4, mode="bilinear", align_corners=False)
        >>> impulse_check(up, scale=4)["side_lobe"]
        0.0
    """
    wrapped = SRModel(net, scale=scale, name="impulse", pad_multiple=pad_multiple)
    device = next(iter(net.parameters()), torch.empty(0)).device
    n = 11
    x = torch.zeros(2, 3, n, n, device=device)
    x[0, :, n // 2, n // 2] = 1.0
    was_training = net.training
    net.eval()
    with torch.no_grad():
        y = wrapped(x).double().cpu()
    net.train(was_training)
    h = (y[0] - y[1]).mean(0)
    i, j = divmod(int(torch.argmax(h)), h.shape[1])
    peak = float(h[i, j])
    lobe = min(float(h[i].min()), float(h[:, j].min())) / peak if peak > 0 else float("nan")
    corr = sinc_correlation(h, scale=scale)
    return {"side_lobe": round(lobe, 4), "sinc_corr": round(corr, 4)}
