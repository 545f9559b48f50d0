r"""Sinc, window functions and interpolation kernels (paper Fig. 2, Appx. E / Fig. 17, Table 2).

The paper's Sec. 3 views every parameter-free upsampler as a low-pass filter: nearest, linear and
cubic interpolation convolve the zero-inserted image with a kernel that approximates the ideal
low-pass filter, the sinc (Fig. 2). Network impulse responses look like *windowed* sincs (Appx. E,
Fig. 17). This module holds those functions as continuous functions of ``x`` in **input-pixel
units** (one unit = one sample spacing of the low-resolution signal), their frequency responses in
**cycles per input sample** (the Nyquist frequency of the input is 0.5), and the discrete windows.

Conventions:

* Everything is computed with torch. Array-like inputs (Python numbers, lists, NumPy arrays,
  integer tensors) are converted to **float64** tensors; floating tensors keep their dtype and
  device. Functions return tensors of the input's shape.
* The functions are pure maths: NaN in gives NaN out, no validation of values.
* The normalised sinc is :math:`\operatorname{sinc}(x) = \sin(\pi x)/(\pi x)` (NumPy's and
  torch's), whose spectrum is the box of width 1 (cutoff 0.5 cycles/sample). The paper's
  Table 2 writes the ideal low-pass filter as
  :math:`\operatorname{sinc}_\omega(t) = \sin(\omega t)/(\pi t)` with angular cutoff
  :math:`\omega` (:func:`sinc_omega`);
  :math:`\operatorname{sinc}_{\pi}(t) = \operatorname{sinc}(t)`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch

from lpf.signal.windows import (
    DEFAULT_KAISER_BETA,
    ArrayLike,
    _as_tensor,
    _check_positive,
    window_fn,
)

__all__ = [
    "cubic",
    "FrequencyResponse",
    "INTERPOLATION_KERNELS",
    "InterpolationKernel",
    "kernel_frequency_response",
    "KernelLike",
    "lanczos",
    "linear",
    "nearest",
    "sinc",
    "sinc_omega",
    "stopband_leakage",
    "windowed_sinc",
]

KernelLike = str | Callable[[torch.Tensor], torch.Tensor]


# ---------------------------------------------------------------------------------------------
# sinc


def sinc(x: ArrayLike) -> torch.Tensor:
    r"""Normalised sinc, :math:`\sin(\pi x)/(\pi x)` with :math:`\operatorname{sinc}(0) = 1`.

    The impulse response of the ideal low-pass filter with cutoff 0.5 cycles/sample (paper Eq. 17
    with :math:`\omega_0 = \pi`): zeros at every non-zero integer, unit integral.

    Args:
        x: positions in samples, any shape.

    Returns:
        A tensor of the shape of ``x`` (float64 unless ``x`` is a floating tensor).

    Examples:
        >>> sinc([0.0, 0.5, 1.0, 2.0]).round(decimals=4)
        tensor([1.0000, 0.6366, 0.0000, -0.0000], dtype=torch.float64)
    """
    return torch.sinc(_as_tensor(x))


def sinc_omega(t: ArrayLike, omega: float) -> torch.Tensor:
    r"""The paper's ideal low-pass impulse response, sin(omega t)/(pi t) (Table 2, Eq. 17).

    .. math:: \operatorname{sinc}_\omega(t) = \frac{\sin(\omega t)}{\pi t}
              = \frac{\omega}{\pi}\operatorname{sinc}\!\left(\frac{\omega t}{\pi}\right)

    Its Fourier transform is 1 for angular frequencies :math:`|\Omega| < \omega` and 0 beyond
    (Table 3), so its integral is 1 and its value at 0 is :math:`\omega/\pi`. With ``t`` in
    samples, :math:`\omega = \pi` is the Nyquist cutoff (0.5 cycles/sample) and gives
    :func:`sinc`; the cutoff in cycles/sample is :math:`\omega / (2\pi)`.

    Args:
        t: positions, any shape.
        omega: angular cutoff in radians per unit of ``t``, > 0.

    Returns:
        A tensor of the shape of ``t``.

    Raises:
        ValueError: ``omega`` is not positive and finite.

    Examples:
        >>> sinc_omega([0.0, 1.0], omega=math.pi / 2).round(decimals=4)
        tensor([0.5000, 0.3183], dtype=torch.float64)
    """
    omega = _check_positive(omega, "omega")
    t = _as_tensor(t)
    return (omega / math.pi) * torch.sinc(t * (omega / math.pi))


# ---------------------------------------------------------------------------------------------
# windows


def windowed_sinc(
    x: ArrayLike,
    *,
    cutoff: float = 0.5,
    window: str = "hann",
    half_width: float = 4.0,
    beta: float = DEFAULT_KAISER_BETA,
) -> torch.Tensor:
    r"""Continuous windowed sinc: an FIR approximation of the ideal low-pass filter (Appx. E).

    .. math:: k(x) = 2 f_c \operatorname{sinc}(2 f_c x)\, w(x / \text{half\_width})

    with :math:`f_c` = ``cutoff`` in cycles per input sample (0.5 is the Nyquist cutoff, the
    ideal interpolator; in the paper's notation :math:`\omega = 2\pi f_c`). Without the window
    the integral is exactly 1; windowing makes it approximately 1 (not renormalised). With
    ``window="rectangular"`` it is the truncated ideal sinc.

    Args:
        x: positions in input samples, any shape.
        cutoff: cutoff frequency in cycles/sample, in ``(0, 0.5]`` for an interpolator (any
            positive value is accepted).
        window: a window name, as in :func:`window`.
        half_width: half the support in samples, > 0.
        beta: Kaiser's shape parameter.

    Returns:
        A tensor of the shape of ``x``; zero for ``|x| > half_width``.

    Raises:
        ValueError: non-positive ``cutoff`` or ``half_width``, unknown ``window``.

    Examples:
        >>> windowed_sinc([0.0, 1.0, 2.0, 5.0]).abs().round(decimals=4)
        tensor([1., 0., 0., 0.], dtype=torch.float64)
        >>> float(windowed_sinc(0.0, cutoff=0.25))
        0.5
    """
    cutoff = _check_positive(cutoff, "cutoff")
    x = _as_tensor(x)
    return (
        2.0
        * cutoff
        * torch.sinc(2.0 * cutoff * x)
        * window_fn(window, x, half_width=half_width, beta=beta)
    )


# ---------------------------------------------------------------------------------------------
# interpolation kernels (paper Fig. 2)


def nearest(x: ArrayLike) -> torch.Tensor:
    """Nearest-neighbour kernel: the box, 1 on ``[-0.5, 0.5)`` and 0 elsewhere (paper Fig. 2).

    The half-open support makes the samples at integer shifts a partition of unity for every
    phase (a tie at exactly half a pixel goes to one neighbour only). Its spectrum is
    ``sinc(f)``.

    Args:
        x: positions in input samples, any shape.

    Returns:
        A tensor of the shape of ``x``, values in {0, 1}.

    Examples:
        >>> nearest([-0.5, 0.0, 0.49, 0.5])
        tensor([1., 1., 1., 0.], dtype=torch.float64)
    """
    x = _as_tensor(x)
    return ((x >= -0.5) & (x < 0.5)).to(x.dtype)


def linear(x: ArrayLike) -> torch.Tensor:
    """Linear-interpolation kernel: the triangle ``max(0, 1 - |x|)`` (paper Fig. 2).

    Support ``(-1, 1)``; its spectrum is ``sinc(f)**2``.

    Args:
        x: positions in input samples, any shape.

    Returns:
        A tensor of the shape of ``x``, values in [0, 1].

    Examples:
        >>> linear([0.0, 0.25, 1.0, 1.5])
        tensor([1.0000, 0.7500, 0.0000, 0.0000], dtype=torch.float64)
    """
    x = _as_tensor(x)
    return (1.0 - x.abs()).clamp(min=0.0)


def cubic(x: ArrayLike, a: float = -0.5) -> torch.Tensor:
    r"""Keys' cubic convolution kernel (paper Fig. 2), support ``(-2, 2)``.

    .. math:: k(x) = \begin{cases}
              (a+2)|x|^3 - (a+3)|x|^2 + 1, & |x| \le 1\\
              a|x|^3 - 5a|x|^2 + 8a|x| - 4a, & 1 < |x| < 2\\
              0, & \text{otherwise}\end{cases}

    ``a = -0.5`` (default) is Keys' third-order-accurate choice, used by MATLAB ``imresize`` and
    Pillow; ``a = -0.75`` is used by OpenCV ``INTER_CUBIC`` and PyTorch ``bicubic``. Every ``a``
    gives a partition of unity, ``k(0) = 1`` and zeros at the other integers.

    Args:
        x: positions in input samples, any shape.
        a: the kernel parameter, the slope of the kernel at ``|x| = 1`` (it sets the depth of the
            negative side lobes), usually in ``[-1, 0]``.

    Returns:
        A tensor of the shape of ``x``.

    Examples:
        >>> cubic([0.0, 0.5, 1.0, 1.5, 2.0])
        tensor([ 1.0000,  0.5625,  0.0000, -0.0625,  0.0000], dtype=torch.float64)
        >>> float(cubic(0.5, a=-0.75))
        0.59375
    """
    x = _as_tensor(x).abs()
    x2, x3 = x * x, x * x * x
    inner = (a + 2.0) * x3 - (a + 3.0) * x2 + 1.0
    outer = a * x3 - 5.0 * a * x2 + 8.0 * a * x - 4.0 * a
    zero = torch.zeros_like(x)
    return torch.where(x <= 1.0, inner, torch.where(x < 2.0, outer, zero))


def lanczos(x: ArrayLike, a: float = 3) -> torch.Tensor:
    r"""Lanczos kernel, ``sinc(x) * sinc(x / a)`` for ``|x| < a`` and 0 elsewhere.

    The sinc windowed by the central lobe of a wider sinc (paper Fig. 2, Appx. E). Unlike the
    other kernels here it is **not** an exact partition of unity: the samples at integer shifts
    sum to 1 only within about 1.9e-2 (``a = 2``) or 5.7e-3 (``a = 3``), depending on the phase,
    which is why resamplers renormalise its weights. Its integral is 1.0098 (``a = 2``) or
    0.9971 (``a = 3``).

    Args:
        x: positions in input samples, any shape.
        a: half the support in samples, > 0 (2 and 3 are usual).

    Returns:
        A tensor of the shape of ``x``.

    Raises:
        ValueError: ``a`` is not positive.

    Examples:
        >>> lanczos([0.0, 1.0, 2.0, 3.0]).abs().round(decimals=12)
        tensor([1., 0., 0., 0.], dtype=torch.float64)
        >>> round(float(lanczos(0.5, a=3)), 4)
        0.6079
    """
    a = _check_positive(a, "a")
    x = _as_tensor(x)
    value = torch.sinc(x) * torch.sinc(x / a)
    return torch.where(x.abs() < a, value, torch.zeros_like(value))


@dataclass(frozen=True)
class InterpolationKernel:
    """A registered 1-D interpolation kernel, callable on positions in input samples.

    Attributes:
        name: the registry key.
        fn: the kernel as a function of a float tensor of positions.
        support: half-width of the support: the kernel is 0 for ``|x| >= support``.
        partition_of_unity: whether ``sum_k fn(t + k) == 1`` exactly for every phase ``t``.
        description: one line on where the kernel is used.
    """

    name: str
    fn: Callable[[torch.Tensor], torch.Tensor]
    support: float
    partition_of_unity: bool
    description: str

    def __call__(self, x: ArrayLike) -> torch.Tensor:
        """Evaluate the kernel at ``x`` (input samples)."""
        return self.fn(_as_tensor(x))


#: The interpolation kernels of paper Fig. 2 (plus Lanczos), by name.
INTERPOLATION_KERNELS: dict[str, InterpolationKernel] = {
    k.name: k
    for k in (
        InterpolationKernel("nearest", nearest, 0.5, True, "box; nearest-neighbour upsampling"),
        InterpolationKernel("linear", linear, 1.0, True, "triangle; (bi)linear interpolation"),
        InterpolationKernel(
            "cubic", cubic, 2.0, True, "Keys a=-0.5; MATLAB imresize, Pillow bicubic"
        ),
        InterpolationKernel(
            "cubic_opencv",
            lambda x: cubic(x, a=-0.75),
            2.0,
            True,
            "Keys a=-0.75; OpenCV INTER_CUBIC, PyTorch bicubic",
        ),
        InterpolationKernel("lanczos2", lambda x: lanczos(x, a=2), 2.0, False, "Lanczos a=2"),
        InterpolationKernel(
            "lanczos3", lambda x: lanczos(x, a=3), 3.0, False, "Lanczos a=3; Pillow LANCZOS"
        ),
    )
}


# ---------------------------------------------------------------------------------------------
# frequency responses and leakage


class FrequencyResponse(NamedTuple):
    r"""A kernel's continuous frequency response.

    Attributes:
        frequency: frequencies in cycles per input sample, shape ``(F,)``.
        response: the (real, since the kernels are even) Fourier transform
            :math:`H(f) = \int k(x) e^{-2\pi i f x} dx` at ``frequency``, shape ``(F,)``;
            ``H(0)`` is the DC gain.
    """

    frequency: torch.Tensor
    response: torch.Tensor


def _resolve_kernel(
    kernel: KernelLike, support: float | None
) -> tuple[str | None, Callable[[torch.Tensor], torch.Tensor], float]:
    """Return (registry name or None, function, support) for a kernel name or callable."""
    if isinstance(kernel, str):
        if kernel not in INTERPOLATION_KERNELS:
            hint = difflib.get_close_matches(kernel, list(INTERPOLATION_KERNELS), n=1)
            extra = f" Did you mean {hint[0]!r}?" if hint else ""
            raise ValueError(
                f"`kernel` must be one of {list(INTERPOLATION_KERNELS)} or a callable, "
                f"got {kernel!r}.{extra}"
            )
        spec = INTERPOLATION_KERNELS[kernel]
        return kernel, spec.fn, float(support if support is not None else spec.support)
    if not callable(kernel):
        raise TypeError(f"`kernel` must be a kernel name or a callable, got {kernel!r}.")
    if support is None:
        raise ValueError("`support` (half-width in samples) is required for a callable kernel.")
    return None, kernel, _check_positive(support, "support")


def _gauss_legendre(a: float, b: float, n_panels: int, order: int) -> tuple[np.ndarray, ...]:
    """Nodes and weights of composite Gauss-Legendre quadrature on ``[a, b]``."""
    t, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, n_panels + 1)
    half = np.diff(edges)[:, None] / 2.0
    mid = (edges[:-1] + edges[1:])[:, None] / 2.0
    return (mid + half * t).ravel(), (half * w).ravel()


_ORDER = 24  # Gauss-Legendre nodes per panel


def _spatial_nodes(support: float) -> tuple[torch.Tensor, torch.Tensor]:
    # panels of width <= 0.5 sample, edges on the half-integer knots of nearest/linear/cubic
    x, w = _gauss_legendre(-support, support, max(2, math.ceil(4 * support)), _ORDER)
    return torch.from_numpy(x), torch.from_numpy(w)


def _response(
    name: str | None,
    fn: Callable[[torch.Tensor], torch.Tensor],
    support: float,
    frequency: torch.Tensor,
) -> torch.Tensor:
    if name == "nearest":
        return torch.sinc(frequency)
    if name == "linear":
        return torch.sinc(frequency).square()
    x, w = _spatial_nodes(support)
    k = fn(x).to(torch.float64) * w
    return torch.cos(2.0 * math.pi * frequency[:, None] * x[None, :]) @ k


def kernel_frequency_response(
    kernel: KernelLike,
    frequency: ArrayLike | None = None,
    *,
    support: float | None = None,
) -> FrequencyResponse:
    r"""The continuous frequency response of an interpolation kernel (paper Fig. 2).

    .. math:: H(f) = \int_{-S}^{S} k(x)\cos(2\pi f x)\,dx

    (the kernels are even, so the transform is real). Analytic for ``"nearest"``
    (:math:`\operatorname{sinc} f`) and ``"linear"`` (:math:`\operatorname{sinc}^2 f`); otherwise
    composite Gauss-Legendre quadrature (24 nodes on panels of at most half a sample), accurate to
    about 1e-10 for ``|f| <= 8`` cycles/sample. The ideal interpolator has
    :math:`H = 1` for ``|f| < 0.5`` and 0 beyond.

    Args:
        kernel: a key of :data:`INTERPOLATION_KERNELS` or a callable ``k(x)`` taking a float64
            tensor of positions in samples (then ``support`` is required).
        frequency: frequencies in cycles per input sample; default 401 points on ``[0, 2]``.
        support: half-width of the support in samples (default: the registry's).

    Returns:
        :class:`FrequencyResponse` ``(frequency, response)``, float64, shape ``(F,)`` each.

    Raises:
        ValueError: unknown kernel name, or a callable without ``support``.
        TypeError: ``kernel`` is neither a string nor callable.

    Examples:
        >>> fr = kernel_frequency_response("cubic", [0.0, 0.5])
        >>> fr.response.round(decimals=4)
        tensor([1.0000, 0.4928], dtype=torch.float64)
        >>> kernel_frequency_response("linear").response.shape
        torch.Size([401])
    """
    name, fn, support = _resolve_kernel(kernel, support)
    if frequency is None:
        f = torch.linspace(0.0, 2.0, 401, dtype=torch.float64)
    else:
        f = _as_tensor(frequency).to(torch.float64).reshape(-1)
    return FrequencyResponse(f, _response(name, fn, support, f))


def stopband_leakage(
    kernel: KernelLike,
    *,
    cutoff: float = 0.5,
    support: float | None = None,
) -> float:
    r"""Fraction of a kernel's spectral energy above the cutoff (how far from an ideal LPF).

    .. math:: L = \frac{\int_{|f| > f_c} |H(f)|^2\,df}{\int |H(f)|^2\,df}
              = 1 - \frac{\int_{-f_c}^{f_c} |H(f)|^2\,df}{\int k(x)^2\,dx}

    with :math:`H` the continuous Fourier transform of :math:`k`
    (:func:`kernel_frequency_response`), frequencies in cycles per input sample and
    :math:`f_c` = ``cutoff`` (0.5, the input's Nyquist frequency, by default). The denominator
    uses Parseval. :math:`L = 0` for the ideal sinc and grows with the energy the kernel lets
    through above Nyquist, i.e. the spectral replicas of the zero-inserted input that it fails to
    remove (paper Fig. 2, Appx. F). The passband deficit (``|H| < 1`` below the cutoff, blur) is
    not counted. Both integrals use composite Gauss-Legendre quadrature (about 1e-8 absolute
    accuracy).

    Reference values (``cutoff=0.5``): nearest 0.2263, linear 0.0502, cubic 0.0470, cubic_opencv
    0.0373, lanczos2 0.0459, lanczos3 0.0287, Hann-windowed sinc (``half_width=4``) 0.0253,
    truncated sinc 0.0060 (``half_width=8``) and 0.0016 (``half_width=32``): roughly
    ``0.05 / half_width``, the Gibbs ripple of the truncation.

    Args:
        kernel: a key of :data:`INTERPOLATION_KERNELS` or a callable ``k(x)`` (float64 tensor of
            positions in samples); a callable needs ``support``.
        cutoff: the cutoff in cycles per input sample, > 0.
        support: half-width of the support in samples (default: the registry's).

    Returns:
        The leakage :math:`L` as a Python float in [0, 1].

    Raises:
        ValueError: unknown kernel name, callable without ``support``, non-positive ``cutoff``,
            or a kernel with zero energy.

    Examples:
        >>> round(stopband_leakage("nearest"), 4)
        0.2263
        >>> stopband_leakage("linear") > stopband_leakage("cubic")
        True
    """
    cutoff = _check_positive(cutoff, "cutoff")
    name, fn, support = _resolve_kernel(kernel, support)
    x, wx = _spatial_nodes(support)
    total = float((fn(x).to(torch.float64).square() * wx).sum())
    if not total > 0:
        raise ValueError(f"`kernel` has zero (or non-finite) energy: {total}.")
    # |H|^2 varies on a scale ~1/(2 support): panels of that width
    n_panels = max(8, math.ceil(2.0 * support * cutoff))
    f, wf = _gauss_legendre(0.0, cutoff, n_panels, _ORDER)
    h = _response(name, fn, support, torch.from_numpy(f))
    passband = 2.0 * float((h.square() * torch.from_numpy(wf)).sum())
    return 1.0 - passband / total
