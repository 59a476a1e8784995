"""A batch of the seeds plus files that run away finishes, and how much memory it takes.

Builds, in a temporary folder, the five seed reports and two files that took far more
than a report should (issues 14/15): every seed run together many times over (the copy
detection and the rules over a long text), and a seed with a run of 20,000 spaces inside
(a regex that backtracked over whitespace).  Runs ``jixiao batch`` on them with the
default budget (or ``--seconds``) and prints, per file, what became of it, then the
batch's clock time, the highest resident memory of any worker and of the batch process.
With the readers and rules of December 2026 both files finish inside 60 s of CPU; use
``--seconds 15`` (or more ``--copies``) to see a file stopped while the others are reviewed.

    .venv/bin/python bench/bench_budget.py [--jobs 2] [--seconds 60] [--copies 20]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewer.batch.budget import WorkBudget, load_budget  # noqa: E402
from reviewer.batch.discover import discover  # noqa: E402
from reviewer.batch.runner import run_batch  # noqa: E402
from reviewer.batch.session import open_session  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"


def build_inputs(folder: Path, copies: int) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    for p in seeds:
        shutil.copy(p, folder / p.name)
    text = "\n".join(p.read_text("utf-8") for p in seeds)
    (folder / "runaway_concatenated.txt").write_text("\n".join([text] * copies), "utf-8")
    one = seeds[1].read_text("utf-8")
    (folder / "runaway_spaces.txt").write_text(one[: len(one) // 2] + " " * 20_000 + one[len(one) // 2:], "utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=None, help="CPU seconds per file (default: the config's)")
    ap.add_argument("--copies", type=int, default=20, help="how many times the seeds are run together")
    args = ap.parse_args()
    base = load_budget()
    budget = base if args.seconds is None else WorkBudget(seconds=args.seconds, wall_seconds=base.wall_seconds,
                                                          memory_mb=base.memory_mb)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-budget-") as tmp:
        inputs, out = Path(tmp, "in"), Path(tmp, "out")
        inputs.mkdir()
        build_inputs(inputs, args.copies)
        files, missing = discover([str(inputs)])
        session = open_session(no_llm=True, notify=lambda s: None)
        started = time.monotonic()
        result = run_batch(files, missing, out, session, jobs=args.jobs, progress=False, budget=budget)
        wall = time.monotonic() - started
        errors = {json.loads(x)["file"]: json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()}
        print(f"budget: {budget.seconds:g} s CPU, {budget.wall_seconds:g} s clock, {budget.memory_mb} MB per file; "
              f"jobs {args.jobs}")
        for o in result.outcomes:
            name = Path(o.file).name
            size = Path(o.file).stat().st_size
            what = f"stopped: {errors[o.file]['code']}" if o.file in errors else f"{len(o.reports)} reports, {len(o.flags)} flags"
            print(f"  {name:<32} {size / 1024:8.0f} KB  {what}")
        reviewed = sum(1 for o in result.outcomes if o.error is None)
        print(f"files: {len(result.outcomes)}, reviewed: {reviewed}, stopped: {len(errors)}")
        print(f"batch clock time: {wall:.1f} s")
        print(f"peak RSS of a worker: {result.peak_mb:.0f} MB")
        print(f"peak RSS of the batch process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
