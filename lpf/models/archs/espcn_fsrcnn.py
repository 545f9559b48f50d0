"""ESPCN and FSRCNN: tiny single-channel (luma) networks from TensorFlow graphs.

- ESPCN: W. Shi et al., "Real-Time Single Image and Video Super-Resolution Using an Efficient
  Sub-Pixel Convolutional Neural Network", CVPR 2016, arXiv:1609.05158. Weights: the TensorFlow
  re-implementation https://github.com/fannymonori/TF-ESPCN (``export/ESPCN_x{2,3,4}.pb``).
- FSRCNN: C. Dong, C. C. Loy, X. Tang, "Accelerating the Super-Resolution Convolutional Neural
  Network", ECCV 2016, arXiv:1608.00367. Weights: https://github.com/Saafke/FSRCNN_Tensorflow
  (``models/FSRCNN_x{2,3,4}.pb`` and ``FSRCNN-small_x{2,3,4}.pb``). This variant ends in a 1x1 conv
  and a sub-pixel shuffle (``DepthToSpace``) instead of FSRCNN's transposed convolution.

These are the models of OpenCV's ``dnn_superres`` module. The kit reads their constants from
``.npz`` files (arrays named as the graph's ``Const`` nodes: kernels ``f{i}`` in TensorFlow's HWIO
layout, biases ``b{i}``, PReLU slopes ``alpha{i}``); :meth:`ESPCN.tf_arrays` writes the same
layout back. All convolutions are stride 1 with ``SAME`` padding, which for the odd kernels here is
symmetric zero padding of ``k // 2``. TensorFlow's ``DepthToSpace`` orders the channels of a
block as ``(row, col, channel)`` where PyTorch's ``pixel_shuffle`` orders them
``(channel, row, col)``; :func:`depth_to_space` implements TensorFlow's order (with one output
channel, as here, the two coincide).

Convention: one channel, the luma Y of YCbCr in [0, 1] (BT.601 "studio swing": the MATLAB
``rgb2ycbcr`` Y, in [16, 235] / 255 for RGB in [0, 1]), in and out. ESPCN's output passes through
``tanh``; FSRCNN's is unbounded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lpf.models.archs._common import PathLike, check_input, load_weights, read_state_dict

__all__ = ["ESPCN", "FSRCNN", "depth_to_space", "load_espcn", "load_fsrcnn"]


def depth_to_space(x: torch.Tensor, block_size: int) -> torch.Tensor:
    r"""TensorFlow's ``depth_to_space`` for ``(N, C, H, W)`` tensors.

    .. math:: y[n, c, h r + i, w r + j] = x[n, (i r + j) C + c, h, w]

    PyTorch's ``pixel_shuffle`` reads channel ``c r^2 + i r + j`` instead; they agree if ``C == 1``.

    Args:
        x: ``(N, C * r**2, H, W)``.
        block_size: ``r``.

    Returns:
        ``(N, C, r H, r W)``.

    Raises:
        ValueError: the channels are not a multiple of ``r**2``.

    Examples:
        >>> x = torch.arange(8.0).view(1, 8, 1, 1)
        >>> depth_to_space(x, 2)[0, :, :, :].tolist()
        [[[0.0, 2.0], [4.0, 6.0]], [[1.0, 3.0], [5.0, 7.0]]]
    """
    n, c, h, w = x.shape
    r = block_size
    if c % (r * r):
        raise ValueError(f"`x` must have a multiple of block_size**2 = {r * r} channels, got {c}.")
    c_out = c // (r * r)
    x = x.reshape(n, r, r, c_out, h, w).permute(0, 3, 4, 1, 5, 2)
    return x.reshape(n, c_out, h * r, w * r)


def _hwio_to_oihw(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(np.transpose(a, (3, 2, 0, 1)), dtype=np.float32))


def _oihw_to_hwio(t: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(t.detach().cpu().numpy().transpose(2, 3, 1, 0))


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


class _TFGraphNet(nn.Module):
    """Common part of the two nets: TF-array import/export and checkpoint reading."""

    INPUT_RANGE = 1.0
    CHANNELS = "Y"
    SCALES = (2, 3, 4)
    MIN_SIZE = 1

    scale: int

    def _tf_names(self) -> dict[str, str]:
        """TensorFlow constant name -> state-dict key."""
        raise NotImplementedError

    def tf_arrays(self) -> dict[str, np.ndarray]:
        """The parameters as TensorFlow constants (``f{i}`` HWIO, ``b{i}``, ``alpha{i}``).

        Returns:
            A dict of float32 arrays, the layout of the kit's ``.npz`` files
            (``np.savez(path, **net.tf_arrays())`` writes one).
        """
        sd = self.state_dict()
        out = {}
        for name, key in self._tf_names().items():
            t = sd[key]
            out[name] = _oihw_to_hwio(t) if t.ndim == 4 else t.detach().cpu().numpy().copy()
        return out

    def load_tf_arrays(self, arrays: Mapping[str, np.ndarray], *, source: str = "arrays") -> None:
        """Load TensorFlow constants (see :meth:`tf_arrays`) strictly into this network.

        Args:
            arrays: the constants by name.
            source: a name for the arrays in error messages.

        Raises:
            CheckpointError: names are missing or unexpected, or shapes do not fit.
        """
        names = self._tf_names()
        sd = {}
        for name, a in arrays.items():
            key = names.get(name, name)
            a = np.asarray(a, dtype=np.float32)
            sd[key] = _hwio_to_oihw(a) if a.ndim == 4 else torch.from_numpy(a.copy())
        load_weights(self, sd, source=source)

    @classmethod
    def _from_file(
        cls, path: PathLike, make: Callable[[list[tuple[int, int, int]]], _TFGraphNet]
    ) -> _TFGraphNet:
        path = Path(path)
        if path.suffix == ".npz":
            if not path.is_file():
                raise FileNotFoundError(f"Checkpoint file not found: {str(path)!r}.")
            arrays = _read_npz(path)
            net = make(_layer_shapes(arrays, None))
            net.load_tf_arrays(arrays, source=repr(str(path)))
            return net.eval()
        sd = read_state_dict(path)
        return load_weights(make(_layer_shapes(None, sd)), sd, source=repr(str(path)))


class ESPCN(_TFGraphNet):
    """ESPCN (Shi et al., CVPR 2016), as trained by https://github.com/fannymonori/TF-ESPCN.

    ``tanh(depth_to_space(conv3(relu(conv2(relu(conv1(y)))))))`` with a 5x5 conv to 64 channels,
    a 3x3 conv to 32 and a 3x3 conv to ``scale**2``.

    Args:
        scale: the upscaling factor, 2, 3 or 4.
        n1: channels of the first layer.
        n2: channels of the second layer.

    Shape:
        - Input: :math:`(N, 1, H, W)`, Y in [0, 1].
        - Output: :math:`(N, 1, sH, sW)`, in (-1, 1) (``tanh``).

    Examples:
        >>> net = ESPCN(scale=3)
        >>> net(torch.rand(1, 1, 8, 8)).shape
        torch.Size([1, 1, 24, 24])
    """

    def __init__(self, scale: int = 2, *, n1: int = 64, n2: int = 32):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of ESPCN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = scale
        self.conv1 = nn.Conv2d(1, n1, 5, padding=2)
        self.conv2 = nn.Conv2d(n1, n2, 3, padding=1)
        self.conv3 = nn.Conv2d(n2, scale**2, 3, padding=1)

    def _tf_names(self) -> dict[str, str]:
        return {
            f"{p}{i}": f"conv{i}.{'weight' if p == 'f' else 'bias'}"
            for i in (1, 2, 3)
            for p in ("f", "b")
        }

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve the luma ``x``.

        Args:
            x: ``(N, 1, H, W)``, Y in [0, 1].

        Returns:
            ``(N, 1, scale*H, scale*W)``.
        """
        check_input(x, "x", channels=1, arch="ESPCN")
        out = self.conv3(F.relu(self.conv2(F.relu(self.conv1(x)))))
        return torch.tanh(depth_to_space(out, self.scale))

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> ESPCN:
        """Build ESPCN for ``path`` and load it strictly.

        Args:
            path: a ``.npz`` of the TensorFlow constants (``f1..f3``, ``b1..b3``), or a PyTorch
                checkpoint of this class's state dict.
            scale: the expected scale; read from the last layer when ``None``.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not an ESPCN checkpoint (of ``scale``).
        """

        def make(layers: list[tuple[int, int, int]]) -> ESPCN:
            if len(layers) != 3:  # not ESPCN: build the default, strict loading lists the keys
                return cls(scale or 2)
            sc = scale or _scale_from_channels(layers[2][2], cls.SCALES) or 2
            return cls(sc, n1=layers[0][2], n2=layers[1][2])

        return cls._from_file(path, make)


class FSRCNN(_TFGraphNet):
    """FSRCNN with a sub-pixel output (Dong et al., ECCV 2016), from Saafke/FSRCNN_Tensorflow.

    Feature extraction (5x5 conv to ``d``), shrinking (1x1 to ``s``), ``m`` 3x3 mapping layers,
    expanding (1x1 to ``d``), each followed by a PReLU with per-channel slopes; then a 1x1 conv to
    ``scale**2`` channels without bias, :func:`depth_to_space`, and a scalar output bias.
    ``FSRCNN()`` is the full model (d, s, m) = (56, 12, 4); :meth:`small` builds FSRCNN-s
    (32, 5, 1).

    Args:
        scale: the upscaling factor, 2, 3 or 4.
        d: channels of the feature extraction and expanding layers.
        s: channels of the shrunk mapping layers.
        m: number of 3x3 mapping layers.

    Shape:
        - Input: :math:`(N, 1, H, W)`, Y in [0, 1].
        - Output: :math:`(N, 1, sH, sW)`, not clamped.

    Examples:
        >>> net = FSRCNN.small(scale=2)
        >>> net(torch.rand(1, 1, 8, 8)).shape
        torch.Size([1, 1, 16, 16])
    """

    def __init__(self, scale: int = 2, *, d: int = 56, s: int = 12, m: int = 4):
        super().__init__()
        if scale not in self.SCALES:
            raise ValueError(f"`scale` of FSRCNN must be one of {self.SCALES}, got {scale!r}.")
        self.scale = scale
        self.m = m
        # (in, out, kernel) of the PReLU-activated layers conv1 .. conv{m+3}
        specs = [(1, d, 5), (d, s, 1)] + [(s, s, 3)] * m + [(s, d, 1)]
        for i, (cin, cout, k) in enumerate(specs, start=1):
            self.add_module(f"conv{i}", nn.Conv2d(cin, cout, k, padding=k // 2))
            self.add_module(f"act{i}", nn.PReLU(cout, init=0.0))
        self.n_act = len(specs)
        self.add_module(f"conv{self.n_act + 1}", nn.Conv2d(d, scale**2, 1, bias=False))
        self.out_bias = nn.Parameter(torch.zeros(1))

    @classmethod
    def small(cls, scale: int = 2) -> FSRCNN:
        """FSRCNN-s: ``FSRCNN(scale, d=32, s=5, m=1)``."""
        return cls(scale, d=32, s=5, m=1)

    def _tf_names(self) -> dict[str, str]:
        names = {}
        for i in range(1, self.n_act + 1):
            names.update(
                {
                    f"f{i}": f"conv{i}.weight",
                    f"b{i}": f"conv{i}.bias",
                    f"alpha{i}": f"act{i}.weight",
                }
            )
        last = self.n_act + 1
        names.update({f"f{last}": f"conv{last}.weight", f"b{last}": "out_bias"})
        return names

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Super-resolve the luma ``x``.

        Args:
            x: ``(N, 1, H, W)``, Y in [0, 1].

        Returns:
            ``(N, 1, scale*H, scale*W)``.
        """
        check_input(x, "x", channels=1, arch="FSRCNN")
        out = x
        for i in range(1, self.n_act + 1):
            out = getattr(self, f"act{i}")(getattr(self, f"conv{i}")(out))
        out = getattr(self, f"conv{self.n_act + 1}")(out)
        return depth_to_space(out, self.scale) + self.out_bias

    @classmethod
    def from_checkpoint(cls, path: PathLike, *, scale: int | None = None) -> FSRCNN:
        """Build FSRCNN (full or small, read from the file) for ``path`` and load it strictly.

        Args:
            path: a ``.npz`` of the TensorFlow constants (``f{i}``, ``b{i}``, ``alpha{i}``), or a
                PyTorch checkpoint of this class's state dict.
            scale: the expected scale; read from the last layer when ``None``.

        Returns:
            The network in eval mode.

        Raises:
            CheckpointError: the file is not an FSRCNN checkpoint (of ``scale``).
        """

        def make(layers: list[tuple[int, int, int]]) -> FSRCNN:
            if len(layers) < 5:  # not FSRCNN: build the default, strict loading lists the keys
                return cls(scale or 2)
            d, s, m = layers[0][2], layers[1][2], len(layers) - 4
            return cls(scale or _scale_from_channels(layers[-1][2], cls.SCALES) or 2, d=d, s=s, m=m)

        return cls._from_file(path, make)


def _layer_shapes(
    arrays: Mapping[str, np.ndarray] | None, sd: Mapping[str, torch.Tensor] | None
) -> list[tuple[int, int, int]]:
    """``(kernel, in, out)`` of the convs ``f1, f2, ...`` (TF) or ``conv1, conv2, ...`` (torch)."""
    layers = []
    i = 1
    while True:
        if arrays is not None:
            a = arrays.get(f"f{i}")
            if a is None or a.ndim != 4:
                break
            layers.append((a.shape[0], a.shape[2], a.shape[3]))
        else:
            t = sd.get(f"conv{i}.weight") if sd is not None else None
            if t is None or t.ndim != 4:
                break
            layers.append((t.shape[2], t.shape[1], t.shape[0]))
        i += 1
    return layers


def _scale_from_channels(n: int | None, allowed: tuple[int, ...]) -> int | None:
    for s in allowed:
        if n == s * s:
            return s
    return None


def load_espcn(path: PathLike, *, scale: int | None = None) -> ESPCN:
    """Load an ESPCN ``.npz`` (or ``.pth``): :meth:`ESPCN.from_checkpoint`."""
    return ESPCN.from_checkpoint(path, scale=scale)


def load_fsrcnn(path: PathLike, *, scale: int | None = None) -> FSRCNN:
    """Load an FSRCNN or FSRCNN-small ``.npz`` (or ``.pth``): :meth:`FSRCNN.from_checkpoint`."""
    return FSRCNN.from_checkpoint(path, scale=scale)
