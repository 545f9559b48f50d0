"""Reading checkpoints safely, and the spandrel glue shared by the builders and the detector.

:func:`read_checkpoint` reads a weight file with ``torch.load(weights_only=True)`` (or
safetensors) and unwraps the usual containers (:func:`lpf.models.archs.read_state_dict`); where
the kit does not know a container, spandrel's :func:`canonicalize_state_dict` gets a try.

spandrel (``pip install spandrel``, 40+ architectures) is optional and imported only inside
functions here: :func:`import_spandrel` returns ``None`` without it.

Examples:
    >>> net = SpandrelNet(torch.nn.Upsample(scale_factor=2))
    >>> net(torch.ones(1, 3, 2, 2)).shape
    torch.Size([1, 3, 4, 4])
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

import torch
from torch import nn

from lpf.models.archs._common import CheckpointError, is_state_dict, read_state_dict

__all__ = [
    "SpandrelNet",
    "import_spandrel",
    "is_state_dict",
    "kit_layout",
    "quiet_construction",
    "read_checkpoint",
    "spandrel_load",
    "spandrel_version",
]


def spandrel_version() -> str | None:
    """The installed spandrel's version, or ``None`` when it is not installed.

    Examples:
        >>> spandrel_version() is None or spandrel_version().count(".") >= 1
        True
    """
    try:
        return version("spandrel")
    except PackageNotFoundError:
        return None


def import_spandrel() -> ModuleType | None:
    """Import spandrel, or return ``None`` when it is not installed."""
    try:
        import spandrel
    except ImportError:
        return None
    return spandrel


@contextlib.contextmanager
def quiet_construction() -> Iterator[None]:
    """Silence the warnings third-party constructors emit (old-style ``torch.meshgrid``, ...).

    Scoped: only the two messages below, only inside the ``with`` block.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="torch.meshgrid", category=UserWarning)
        warnings.filterwarnings("ignore", message="Initializing zero-element tensors",
                                category=UserWarning)
        yield


class SpandrelNet(nn.Module):
    """A raw network (usually spandrel's) called on a copy of its input, without clamping.

    Args:
        model: the raw ``nn.Module`` (``descriptor.model``).
        call: the architecture's input adaptation ``call(model, x)`` (spandrel's ``call_fn``),
            or ``None`` for ``model(x)``.

    Shape:
        - Input: :math:`(N, C_{in}, H, W)`, float in [0, 1] (already padded as the model needs).
        - Output: :math:`(N, C_{out}, sH, sW)`, not clamped.
    """

    def __init__(self, model: nn.Module,
                 call: Callable[[nn.Module, torch.Tensor], torch.Tensor] | None = None):
        super().__init__()
        self.model = model
        self._call = call

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run the raw network on a copy of ``x`` (some modify their input in place)."""
        x = x.clone()
        y = self.model(x) if self._call is None else self._call(self.model, x)
        if not isinstance(y, torch.Tensor):
            raise TypeError(f"{type(self.model).__name__} returned {type(y).__name__}, "
                            "expected a tensor.")
        return y


def read_checkpoint(path: str | Path) -> dict[str, torch.Tensor]:
    """Read a checkpoint safely: the kit's reader, then spandrel's container layouts.

    Raises:
        FileNotFoundError: no such file.
        CheckpointError: unsafe (a pickle that needs code execution), unreadable, or no state
            dict found.
    """
    path = Path(path)
    try:
        return read_state_dict(path)
    except CheckpointError as err:
        if not str(err).startswith("No state dict found"):
            raise
        spandrel = import_spandrel()
        if spandrel is None:
            raise
        # the file is a safe pickle (it loaded above) in a container lpf does not know
        obj = torch.load(path, map_location="cpu", weights_only=True)
        sd = spandrel.canonicalize_state_dict(obj) if isinstance(obj, Mapping) else obj
        if not is_state_dict(sd):
            raise
        return dict(sd)


def spandrel_load(sd: Mapping[str, torch.Tensor]) -> Any:
    """The spandrel descriptor of ``sd``, or ``None`` when no spandrel architecture fits."""
    spandrel = import_spandrel()
    if spandrel is None:
        return None
    with quiet_construction():
        try:
            return spandrel.MAIN_REGISTRY.load(dict(sd))
        except spandrel.UnsupportedModelError:
            return None


def kit_layout(sd: Mapping[str, torch.Tensor]) -> str | None:
    """A short description of a kit-only layout (for messages), or ``None``."""
    if "imnet.layers.0.weight" in sd:
        return "a LIIF/LTE-style checkpoint (encoder + imnet decoder)"
    if "SFENet1.weight" in sd:
        return "an RDN checkpoint"
    return None
