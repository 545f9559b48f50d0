"""FSDS as a ``torchmetrics.Metric``: :class:`FSDSMetric` (DDP sync, ``compute_on_cpu``).

A module of its own because importing torchmetrics costs about 2 s (it pulls in torchvision,
``torch._dynamo`` and scipy.signal): ``lpf.metrics.FSDSMetric``, ``lpf.FSDSMetric`` and
``lpf.metrics.frequency.FSDSMetric`` import it on first use, so ``import lpf`` and every notebook
that does not use it stay fast. The values are :func:`lpf.metrics.frequency.fsds`'s.
"""

from __future__ import annotations

from typing import Any

import torch
from torchmetrics import Metric

from lpf.metrics.frequency import Denominator, _check_window, _fsds_db, _prepare_pair

__all__ = ["FSDSMetric"]


class FSDSMetric(Metric):
    """Mean of per-image FSDS in dB, as a ``torchmetrics.Metric``.

    It has ``update``/``compute``/``reset``. Each :meth:`update` adds the FSDS of every image of a
    batch; :meth:`compute` returns their mean (the mean of per-image dB values, as the paper's
    tables average them). Being a torchmetrics ``Metric``, it syncs its state across processes
    (DDP), supports ``compute_on_cpu``, ``forward`` (the batch value while accumulating) and metric
    collections. The state is a running sum and count, so memory does not grow with the number of
    images.

    Args:
        denominator: see :func:`fsds`.
        window: see :func:`fsds` (``None``: the paper's FSDS).
        **kwargs: passed to ``torchmetrics.Metric`` (``compute_on_cpu``, ``dist_sync_on_step``...).

    Examples:
        >>> import torch
        >>> m = FSDSMetric()
        >>> hr = torch.rand(4, 3, 16, 16)
        >>> m.update(hr[:2] + 0.05 * torch.rand(2, 3, 16, 16), hr[:2])
        >>> m.update(hr[2:] + 0.05 * torch.rand(2, 3, 16, 16), hr[2:])
        >>> int(m.count)
        4
        >>> m.reset(); int(m.count)
        0
    """

    is_differentiable = False
    higher_is_better = True
    full_state_update = False

    def __init__(self, *, denominator: Denominator = "target",
                 window: str | tuple[str, float] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if denominator not in ("target", "pred"):
            raise ValueError(f"`denominator` must be 'target' or 'pred', got {denominator!r}.")
        self.denominator = denominator
        self.window = window
        self._window = _check_window(window)
        self.add_state(
            "total", default=torch.tensor(0.0, dtype=torch.float64), dist_reduce_fx="sum"
        )
        self.add_state("count", default=torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum")

    def update(self, pred: torch.Tensor, target: torch.Tensor) -> None:
        """Add the FSDS of each image of the batch."""
        p, t, _ = _prepare_pair(pred, target)
        with torch.no_grad():
            values = _fsds_db(p, t, self.denominator, self._window)
        self.total += values.sum().to(self.total)
        self.count += values.numel()

    def compute(self) -> torch.Tensor:
        """Mean FSDS in dB over every image seen; raises ``RuntimeError`` before any update."""
        if int(self.count) == 0:
            raise RuntimeError("FSDSMetric.compute() called before any update().")
        return self.total / self.count
