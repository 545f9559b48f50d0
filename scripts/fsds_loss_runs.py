#!/usr/bin/env python
"""Record the runs of the FSDS-as-a-loss study (ext04; ``make fsds-loss-runs``). Resumable.

Trains the kit's small x4 EDSR with each loss of :data:`lpf.train.loss_study.LOSS_VARIANTS`
(L1; L1 + FSDS at two weights; L1 + focal frequency loss) and each seed of the recipe, saves
every run's weights (float16) and a JSON record with its evaluation into
``data/runs/fsds_loss/<recipe>/``. A rerun skips the recorded runs (their sha256 checked) and
continues an interrupted one from its checkpoint (``data/cache/fsds_loss/<recipe>/``).

Examples (from the repository root)::

    python scripts/fsds_loss_runs.py                       # the CPU recipe (< 30 min, 2 cores)
    python scripts/fsds_loss_runs.py --recipe gpu --device cuda   # the full recipe, from scratch
    python scripts/fsds_loss_runs.py --variants l1 l1_fsds_hi --seeds 0

Works without ``pip install -e .``: the checkout's ``lpf`` is put on ``sys.path``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from lpf.studies.ext04_fsds_loss import record_runs  # noqa: E402
from lpf.train.loss_study import LOSS_RECIPES, LOSS_VARIANTS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, record the runs; exit status 0 when every run is recorded."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--recipe", default="cpu", choices=sorted(LOSS_RECIPES),
                   help="cpu: fine-tune edsr-kit (default); gpu: edsr-kit's full recipe")
    p.add_argument("--device", default="cpu", help="torch device (cuda for --recipe gpu)")
    p.add_argument("--out", default=None, help="records folder (default data/runs/fsds_loss/"
                                               "<recipe>)")
    p.add_argument("--variants", nargs="+", default=None, choices=sorted(LOSS_VARIANTS))
    p.add_argument("--seeds", nargs="+", type=int, default=None)
    p.add_argument("--root", default=None, help="benchmark sets folder (Set5, B100)")
    p.add_argument("--max-minutes", type=float, default=None, help="time budget (resumable)")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    p.add_argument("--fresh", action="store_true", help="retrain recorded runs")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if torch.device(args.device).type == "cuda" and not torch.cuda.is_available():
        p.error("--device cuda, but CUDA is not available")
    t0 = time.perf_counter()
    records = record_runs(args.recipe, out=args.out, variants=args.variants, seeds=args.seeds,
                          device=args.device, root=args.root, resume=not args.fresh,
                          max_minutes=args.max_minutes, progress=not args.no_progress,
                          log=lambda line: print(line, flush=True))
    n = sum(bool(r.get("finished")) for r in records)
    print(f"{n} runs recorded, {time.perf_counter() - t0:.0f} s in this call", flush=True)
    expected = (len(args.variants or LOSS_VARIANTS)
                * len(args.seeds or LOSS_RECIPES[args.recipe].seeds))
    return 0 if n == expected else 1


if __name__ == "__main__":
    sys.exit(main())
