#!/usr/bin/env python3
"""What supervising the local worker pool costs the parent process.

Runs ``--tasks`` tasks that each burn ``--seconds`` of CPU in ``--jobs`` workers
(:class:`reviewer.batch.workers.WorkerPool`, default budget) and prints the parent's CPU
time per task and per second of the workers' work: what the parent spends waiting on the
pipes and reading /proc, the part that must stay small for ``--jobs`` to scale.

``--code DIR`` measures another checkout's pool (e.g. ``git worktree add /tmp/base <commit>``).

Usage: python bench/bench_workers.py [--tasks 20] [--seconds 0.5] [--jobs 2] [--code DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def burn(seconds: float) -> float:
    """Busy CPU for ``seconds`` (a worker's task)."""
    t0 = time.process_time()
    while time.process_time() - t0 < seconds:
        pass
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=0.5, help="CPU seconds per task")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--code", type=Path, default=REPO)
    a = ap.parse_args()
    sys.path.insert(0, str(a.code))
    sys.modules.setdefault("bench_workers", sys.modules[__name__])  # picklable by name in the workers
    from reviewer.batch.budget import WorkBudget
    from reviewer.batch.workers import WorkerPool

    work = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    with WorkerPool(a.jobs, WorkBudget()) as pool:
        pool.run_each(burn, [a.seconds] * a.tasks, lambda _, r: work.append(r.cpu_seconds))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"{a.tasks} tasks of {a.seconds:g} s CPU in {a.jobs} workers ({a.code}): wall {wall:.1f} s, "
          f"parent CPU {1000 * cpu / a.tasks:.2f} ms per task = {1000 * cpu / max(sum(work), 1e-9):.2f} ms "
          f"per second of the workers' CPU")


if __name__ == "__main__":
    main()
