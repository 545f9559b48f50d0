"""Image metrics: FSDS, PSNR/SSIM presets, l1/l2, LPIPS, ranks.

FSDS is the paper's frequency-domain metric.

- :mod:`lpf.metrics.frequency`  FSDS (Eqs. 10-13): :func:`fsds` (``window=`` for the named border
  variant), :class:`FSDS`, :func:`fsds_loss` (finite where FSDS is not; autocast-safe),
  :class:`FSDSLoss`, :func:`integrated_spectrum`
- :mod:`lpf.metrics.fsds_metric` :class:`FSDSMetric` (a ``torchmetrics.Metric``; imported on first
  use, torchmetrics being slow to import)
- :mod:`lpf.metrics.quality`    PSNR/SSIM with named presets, l1/l2 in image and frequency domain,
  LPIPS when its weights are present
- :mod:`lpf.metrics.ranking`    ranks with ties, Spearman, Kendall tau, bootstrap intervals

Layer: imports ``lpf.signal`` and the private base modules only.
"""

from typing import Any

from lpf.metrics import frequency
from lpf.metrics.frequency import (
    FSDS,
    FSDSLoss,
    IntegratedSpectrum,
    fsds,
    fsds_loss,
    integrated_spectrum,
)
from lpf.metrics.quality import (
    LPIPS_NETS,
    PRESETS,
    UNAVAILABLE,
    LpipsWeights,
    MetricUnavailable,
    Preset,
    l1,
    l1_freq,
    l2,
    l2_freq,
    lpips,
    lpips_weights,
    metric_cell,
    psnr,
    rgb_to_y,
    ssim,
)
from lpf.metrics.ranking import RankCorrelation, kendall_tau, rank, spearman, spearman_with_ci

__all__ = [
    "FSDS",
    "LPIPS_NETS",
    "PRESETS",
    "UNAVAILABLE",
    "FSDSLoss",
    "FSDSMetric",
    "IntegratedSpectrum",
    "LpipsWeights",
    "MetricUnavailable",
    "Preset",
    "RankCorrelation",
    "fsds",
    "fsds_loss",
    "integrated_spectrum",
    "kendall_tau",
    "l1",
    "l1_freq",
    "l2",
    "l2_freq",
    "lpips",
    "lpips_weights",
    "metric_cell",
    "psnr",
    "rank",
    "rgb_to_y",
    "spearman",
    "spearman_with_ci",
    "ssim",
]


def __getattr__(name: str) -> Any:
    if name == "FSDSMetric":  # imported on first use, see lpf.metrics.frequency.__getattr__
        return frequency.FSDSMetric
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
