#!/usr/bin/env python3
"""Province scale: ``jixiao batch --no-llm`` over generated near-duplicate corpora
(bench/scale_corpus.py) of 100, 1,000 and 10,000 reports, and ``jixiao check`` on one
.txt seed report. Prints, per size: wall time, reports/s, CPU seconds per report
(user+sys of the batch process) and its peak RSS.

``--code DIR`` runs another checkout's code (e.g. ``git worktree add /tmp/base <commit>``)
on the same corpora, for before/after figures.

Usage: python bench/bench_scale.py [--sizes 100,1000] [--jobs 1] [--code DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.scale_corpus import write_corpus  # noqa: E402

CHECK_SEED = REPO / "tests" / "data" / "seeds" / "001_636fdea54536b2e6.txt"


def run_measured(cmd: list[str], cwd: Path) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds (user+sys) and peak RSS (MiB) of that process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace") if p.stderr else ""
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{cmd} exited {p.returncode}: {err[-2000:]}")
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mib": ru.ru_maxrss / 1024}


def bench_batch(n: int, code: Path, jobs: int, tmp: Path) -> dict:
    corpus = tmp / f"corpus{n}"
    if not corpus.exists():
        write_corpus(corpus, n)
    out = tmp / f"out{n}-{code.name}"
    cmd = [sys.executable, "-m", "reviewer", "batch", str(corpus), "--out", str(out), "--no-llm", "--no-progress",
           "--jobs", str(jobs)]
    m = run_measured(cmd, code)
    flags = (out / "flags.jsonl").read_text(encoding="utf-8").splitlines()
    r01 = sum(1 for line in flags if json.loads(line).get("rule") == "R01")
    return {"reports": n, **m, "reports_per_s": n / m["wall_s"], "cpu_per_report_ms": 1000 * m["cpu_s"] / n,
            "flags": len(flags), "r01": r01}


COPIES_ONLY = """
import glob, json, resource, sys, time
from reviewer.parse import parse_file
from vectorstore.review import RetrievalReviewer
paths = sorted(glob.glob(sys.argv[1] + "/*.txt"))
t0 = time.process_time()
pfs = [parse_file(p) for p in paths]
t1 = time.process_time()
rv = RetrievalReviewer()
rv.prepare(pfs)
t2 = time.process_time()
n = 0
for pf in pfs:
    for r in pf.reports:
        rv.batch.copies(rv.batch.entry(pf, r))
        n += 1
t3 = time.process_time()
print(json.dumps({"reports": n, "parse_s": t1 - t0, "index_s": t2 - t1, "copies_s": t3 - t2,
                  "stats": dict(getattr(rv.batch, "stats", {})),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_copies(n: int, code: Path, tmp: Path) -> dict:
    """The cross-report copy detection alone, in one process: parse every report, index
    the batch, then ``copies()`` for each report (what grows with the batch)."""
    corpus = tmp / f"corpus{n}"
    if not corpus.exists():
        write_corpus(corpus, n)
    r = subprocess.run([sys.executable, "-c", COPIES_ONLY, str(corpus)], cwd=code, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr[-2000:])
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res["cpu_per_report_ms"] = 1000 * (res["index_s"] + res["copies_s"]) / max(1, res["reports"])
    return res


def bench_check(code: Path, runs: int = 3) -> dict:
    cmd = [sys.executable, "-m", "reviewer", "check", str(CHECK_SEED), "--no-llm"]
    best = min((run_measured(cmd, code) for _ in range(runs)), key=lambda m: m["cpu_s"])
    return {"file": CHECK_SEED.name, **best}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--code", type=Path, default=REPO, help="checkout whose code is measured")
    ap.add_argument("--keep", type=Path, help="keep corpora and outputs here")
    ap.add_argument("--no-check", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--copies-only", action="store_true",
                    help="measure only the copy detection (index + copies()) in one process")
    a = ap.parse_args()
    res: dict = {"code": str(a.code), "batch": []}
    with tempfile.TemporaryDirectory() as td:
        tmp = a.keep or Path(td)
        tmp.mkdir(parents=True, exist_ok=True)
        if not a.no_check:
            res["check"] = c = bench_check(a.code)
            print(f"check {c['file']}: wall {c['wall_s']:.2f}s  CPU {c['cpu_s']:.2f}s  peak RSS {c['peak_rss_mib']:.0f} MiB",
                  flush=True)
        for n in (int(x) for x in a.sizes.split(",") if x):
            if a.copies_only:
                c = bench_copies(n, a.code, tmp)
                res["batch"].append(c)
                print(f"copies {c['reports']:6d} reports: index+copies CPU/report {c['cpu_per_report_ms']:6.1f} ms "
                      f"(index {c['index_s']:.1f}s, copies {c['copies_s']:.1f}s, parse {c['parse_s']:.1f}s)  "
                      f"peak RSS {c['peak_rss_mib']:.0f} MiB  work {c['stats']}", flush=True)
                continue
            b = bench_batch(n, a.code, a.jobs, tmp)
            res["batch"].append(b)
            print(f"batch {n:6d} reports: wall {b['wall_s']:8.1f}s  {b['reports_per_s']:7.2f} reports/s  "
                  f"CPU/report {b['cpu_per_report_ms']:7.1f} ms  peak RSS {b['peak_rss_mib']:7.0f} MiB  "
                  f"flags {b['flags']} (R01 {b['r01']})", flush=True)
    if a.json:
        print(json.dumps(res, ensure_ascii=False))


if __name__ == "__main__":
    main()
