"""The real networks on Set5: PSNR-Y against the published values, gains over bicubic.

Runs where the Set5 images are (``../shared/assets/images/Set5``, or ``lpf.data.download_set
('Set5')``); without them the whole module is ONE skip that says so (:func:`_needs.cases_where`),
not one per network. The weights are found the way the kit finds them: the shipped networks in
``data/networks``, the fetched ones in the cache (``make test`` runs ``lpf fetch edsr-liif
dat-light realesrgan-x4plus``), IMDN and PAN (no licence) in ``../shared/assets/weights`` or
``$LPF_WEIGHTS``; a case whose weights are missing skips and says how to get them.

Reference values: the Set5 PSNR-Y of every real checkpoint is the number recorded in
``shared/assets/MANIFEST.md`` (measured there with the official architecture code; for IMDN and PAN
it equals the paper's table), with the protocol of ``tests/_sr_protocol.py``. LIIF's x2/x3/x4 =
37.97/34.39/32.23 dB are MANIFEST's numbers for the official EDSR-baseline-LIIF checkpoint with
this protocol (LIIF's own ``utils.calc_psnr`` differs slightly: no rounding to 8 bits, luma weights
65.738/129.057/25.064 over 256). DAT-light x4: 32.57 dB, the published value.

LIIF on all of Set5 costs about 10-20 s per scale on one CPU core; by default only x4 runs (the
scale the paper analyses), ``LPF_TEST_FULL=1`` adds x2 and x3. ``LPF_TEST_THREADS`` sets the torch
threads of this module (default 1).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
import torch
from _needs import benchmark_root, cases_where, needs_images, require_weights
from _sr_protocol import read_rgb, set5_psnr_luma, set5_psnr_rgb

import lpf.models.weights
from lpf import models as zoo
from lpf._paths import repo_root
from lpf.metrics import psnr
from lpf.models import load_model
from lpf.models.archs import BSRN, CARNM, ESPCN, FSRCNN, IMDN, LIIF, PAN, RFDN, RLFN, SAFMN

FULL = os.environ.get("LPF_TEST_FULL", "") not in ("", "0")
ROOT = benchmark_root("Set5")  # the datasets folder holding Set5, or None
NETWORKS = repo_root() / "data" / "networks"


@pytest.fixture(autouse=True, scope="module")
def _torch_threads():
    """``$LPF_TEST_THREADS`` (default 1) intra-op threads: on a small shared machine, whole Set5
    runs are about 2x slower on 2 threads than on 1 (OpenMP barriers)."""
    before = torch.get_num_threads()
    torch.set_num_threads(int(os.environ.get("LPF_TEST_THREADS", "1")))
    yield
    torch.set_num_threads(before)


# --- the architectures of lpf.models.archs on the official checkpoints --------------------------

# registry name, class, scale, input range, MANIFEST Set5 PSNR-Y
RGB_CHECKPOINTS = {
    "imdn-x2": ("imdn", IMDN, 2, 1.0, 38.00),
    "imdn-x3": ("imdn", IMDN, 3, 1.0, 34.36),
    "imdn-x4": ("imdn", IMDN, 4, 1.0, 32.21),
    "pan-x2": ("pan", PAN, 2, 1.0, 38.00),
    "pan-x3": ("pan", PAN, 3, 1.0, 34.40),
    "pan-x4": ("pan", PAN, 4, 1.0, 32.13),
    "rfdn-x4": ("rfdn", RFDN, 4, 255.0, 32.16),
    "rlfn-x4": ("rlfn", RLFN, 4, 255.0, 32.10),
    "bsrn-x4": ("bsrn", BSRN, 4, 1.0, 32.01),
    "safmn-x4": ("safmn", SAFMN, 4, 1.0, 32.16),
}


def check_rgb_checkpoint(root: Path, case: str) -> None:
    name, cls, scale, input_range, expected = RGB_CHECKPOINTS[case]
    net = cls.from_checkpoint(require_weights(name, scale), scale=scale)
    assert net.scale == scale and net.INPUT_RANGE == input_range
    assert set5_psnr_rgb(net, root, scale, input_range) == pytest.approx(expected, abs=0.05)


def check_carn_m(root: Path) -> None:
    net = CARNM.from_checkpoint(require_weights("carn-m", 4))
    for scale, expected in ((2, 37.68), (3, 34.06), (4, 31.88)):
        value = set5_psnr_rgb(lambda x, s=scale: net(x, s), root, scale, 1.0)
        assert value == pytest.approx(expected, abs=0.05), scale


# registry name (= file stem), class, MANIFEST Set5 PSNR-Y at x2, x3, x4
LUMA_CHECKPOINTS = {
    "espcn-y": (ESPCN, (34.71, 30.48, 28.36)),
    "fsrcnn-y": (FSRCNN, (34.84, 30.55, 28.37)),
    "fsrcnn-small-y": (FSRCNN, (34.49, 30.17, 28.14)),
}


def check_luma_checkpoint(root: Path, case: str) -> None:
    cls, expected = LUMA_CHECKPOINTS[case]
    for scale, value in zip((2, 3, 4), expected, strict=True):
        net = cls.from_checkpoint(require_weights(case, scale))
        assert net.scale == scale and net.CHANNELS == "Y"
        assert set5_psnr_luma(net, root, scale) == pytest.approx(value, abs=0.05), scale
    small = FSRCNN.from_checkpoint(require_weights("fsrcnn-small-y", 2))
    assert small.m == 1


LIIF_SET5 = {2: 37.97, 3: 34.39, 4: 32.23}


def check_liif(root: Path, scale: int) -> None:
    net = LIIF.from_checkpoint(require_weights("edsr-liif", scale))
    value = set5_psnr_rgb(lambda x: net(x, scale), root, scale, 1.0)
    assert value == pytest.approx(LIIF_SET5[scale], abs=0.05)


# --- by registry name ---------------------------------------------------------------------------

# registry name, scale, MANIFEST Set5 PSNR-Y (official arch code)
SHIPPED_PSNR = [("carn-m", 4, 31.88), ("rfdn", 4, 32.16), ("rlfn", 4, 32.10), ("bsrn", 4, 32.01),
                ("safmn", 4, 32.16)]


def check_shipped_by_name(root: Path, name: str, scale: int, expected: float) -> None:
    """The shipped copy in data/networks, loaded by name, gives MANIFEST's value."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(lpf.models.weights, "shared_assets", lambda: None)  # the shipped copy
        model = load_model(name, scale=scale)
        assert model.weights_path.parent == NETWORKS
        assert set5_psnr_rgb(model, root, scale, 1.0) == pytest.approx(expected, abs=0.05)


def check_dat_light(root: Path) -> None:
    """DAT-light x4 by name: Set5 PSNR-Y 32.57 dB, the published value (needs `lpf fetch`; its
    sha256 and parameter count: tests/test_models_shipped.py)."""
    require_weights("dat-light", 4)
    model = load_model("dat-light", scale=4)
    assert set5_psnr_rgb(model, root, 4, 1.0) == pytest.approx(32.57, abs=0.02)


ASSET_MODELS = [("imdn", 2), ("pan", 3), ("carn-m", 4), ("rfdn", 4), ("rlfn", 4), ("bsrn", 4),
                ("safmn", 4), ("espcn-y", 2), ("fsrcnn-y", 2), ("fsrcnn-small-y", 2)]


def _tensor(path: Path) -> torch.Tensor:
    return torch.from_numpy(read_rgb(path)).permute(2, 0, 1)[None] / 255


def check_beats_bicubic(root: Path, name: str, scale: int) -> None:
    """The small real networks load by name and beat MATLAB bicubic on Set5's bird."""
    require_weights(name, scale)
    lr = _tensor(root / "Set5" / "LR_bicubic" / f"X{scale}" / f"birdx{scale}.png")
    hr = _tensor(root / "Set5" / "HR" / "bird.png")
    hr = hr[..., : lr.shape[-2] * scale, : lr.shape[-1] * scale]
    model = load_model(name, scale=scale)
    assert model.weights_path is not None and model.spec.offline
    with torch.no_grad():
        sr = model(lr).clamp(0, 1)
        bicubic = load_model("bicubic-matlab", scale=scale)(lr).clamp(0, 1)
    gain = float(psnr(sr, hr, preset="sr", scale=scale)) - float(
        psnr(bicubic, hr, preset="sr", scale=scale))
    assert gain > 0.3, f"{name} x{scale}: only {gain:.2f} dB over bicubic"


# --- the cases: one test, parametrized where Set5 is ---------------------------------------------

CHECKS = {
    **{f"archs-{case}": functools.partial(check_rgb_checkpoint, case=case)
       for case in sorted(RGB_CHECKPOINTS)},
    "archs-carn-m": check_carn_m,
    **{f"archs-{case}": functools.partial(check_luma_checkpoint, case=case)
       for case in sorted(LUMA_CHECKPOINTS)},
    **{f"archs-liif-x{s}": functools.partial(check_liif, scale=s) for s in (2, 3, 4)},
    **{f"by-name-{n}-x{s}": functools.partial(check_shipped_by_name, name=n, scale=s, expected=e)
       for n, s, e in SHIPPED_PSNR},
    "by-name-dat-light-x4": check_dat_light,
    **{f"beats-bicubic-{n}-x{s}": functools.partial(check_beats_bicubic, name=n, scale=s)
       for n, s in ASSET_MODELS},
}
FAST = {f"archs-{case}" for case in LUMA_CHECKPOINTS} | {
    k for k in CHECKS if k.startswith("beats-bicubic-")}


def _marks(case: str) -> list:
    marks = [] if case in FAST else [pytest.mark.slow]
    if case in ("archs-liif-x2", "archs-liif-x3"):
        marks.append(pytest.mark.skipif(not FULL, reason=f"LPF_TEST_FULL=1 runs {case[-2:]}"))
    return marks


@pytest.mark.assets
@pytest.mark.parametrize("case", cases_where(ROOT is not None, needs_images("Set5"), [
    pytest.param(case, id=case, marks=_marks(case)) for case in CHECKS]))
def test_on_set5(case):
    CHECKS[case](ROOT)


def test_every_registry_network_with_a_manifest_value_is_covered():
    """Every shipped network and IMDN/PAN has a Set5 case here (the list is not left behind when
    the registry grows)."""
    shipped = {n for n, spec in zoo.MODELS.items()
               if any(s.kind in ("shipped", "asset") for s in spec.weights.values())}
    covered = ({v[0] for v in RGB_CHECKPOINTS.values()} | set(LUMA_CHECKPOINTS) | {"carn-m"})
    assert shipped <= covered, shipped - covered
