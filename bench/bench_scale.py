#!/usr/bin/env python3
"""Province scale: ``jixiao batch --no-llm`` over generated near-duplicate corpora
(bench/scale_corpus.py) of 100, 1,000 and 10,000 reports, and ``jixiao check`` on one
.txt seed report. Prints, per size: wall time, reports/s, CPU seconds per report
(user+sys of the batch process and its workers; of the batch process alone too), the peak
RSS of the largest process and the peak memory of the whole process tree (summed RSS, an
upper bound, and summed PSS), sampled from /proc every 0.5 s.

``--code DIR`` runs another checkout's code (e.g. ``git worktree add /tmp/base <commit>``)
on the same corpora, for before/after figures.

``--engine ray`` runs the batches on a local Ray (``jixiao batch --engine ray``, --jobs CPUs).

Usage: python bench/bench_scale.py [--sizes 100,1000] [--jobs 1] [--engine local|ray] [--code DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ["JIXIAO_SERVE"] = "off"  # the cold checks measured here neither use nor start a warm server
sys.path.insert(0, str(REPO))

from bench.scale_corpus import write_corpus  # noqa: E402

CHECK_SEED = REPO / "tests" / "data" / "seeds" / "001_636fdea54536b2e6.txt"


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it (read from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _mem_kib(pid: int) -> tuple[int, int]:
    """(Rss, Pss) of one process in KiB, from /proc/<pid>/smaps_rollup (0, 0 when gone)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith(b"Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants every ``interval`` seconds:
    the peak of the summed RSS (shared pages counted in every process: an upper bound) and
    of the summed PSS (shared pages split between their processes: what the tree costs the
    machine)."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss_kib = self.peak_pss_kib = 0
        self.peak_procs = 0
        self.own_cpu_s = 0.0  # CPU time of the root process alone (its workers not included), as last seen
        self._stop_evt = threading.Event()

    def run(self) -> None:
        while not self._stop_evt.is_set():
            pids = _tree(self.pid)
            mem = [_mem_kib(p) for p in pids]
            self.peak_rss_kib = max(self.peak_rss_kib, sum(m[0] for m in mem))
            self.peak_pss_kib = max(self.peak_pss_kib, sum(m[1] for m in mem))
            self.peak_procs = max(self.peak_procs, len(pids))
            try:
                with open(f"/proc/{self.pid}/stat", "rb") as fh:
                    f = fh.read().rsplit(b")", 1)[1].split()
                self.own_cpu_s = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError, IndexError):
                pass
            self._stop_evt.wait(self.interval)

    def stop(self) -> None:
        self._stop_evt.set()
        self.join()


def run_measured(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds (user+sys of the process and its waited-for
    workers), the peak RSS of the largest single process (``peak_rss_mib``) and the peak of
    the whole process tree's memory, summed RSS and summed PSS, sampled every 0.5 s."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    mem = TreeMemory(p.pid)
    mem.start()
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(p.stderr.read()), daemon=True)
    reader.start()  # a batch that prints much on stderr must not block on a full pipe
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    mem.stop()
    reader.join(timeout=5)
    err = b"".join(err_chunks).decode("utf-8", "replace")
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{cmd} exited {p.returncode}: {err[-2000:]}")
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mib": ru.ru_maxrss / 1024,
            "tree_rss_mib": mem.peak_rss_kib / 1024, "tree_pss_mib": mem.peak_pss_kib / 1024,
            "tree_procs": mem.peak_procs, "parent_cpu_s": mem.own_cpu_s}


def bench_batch(n: int, code: Path, jobs: int, tmp: Path, engine: str = "local") -> dict:
    corpus = tmp / f"corpus{n}"
    if not corpus.exists():
        write_corpus(corpus, n)
    out = tmp / f"out{n}-{code.name}-{engine}"
    shutil.rmtree(out, ignore_errors=True)  # a kept output folder would make the batch resume
    cmd = [sys.executable, "-m", "reviewer", "batch", str(corpus), "--out", str(out), "--no-llm", "--no-progress",
           "--jobs", str(jobs)] + (["--engine", engine] if engine != "local" else [])
    m = run_measured(cmd, code)
    flags = (out / "flags.jsonl").read_text(encoding="utf-8").splitlines()
    r01 = sum(1 for line in flags if json.loads(line).get("rule") == "R01")
    return {"reports": n, "engine": engine, **m, "reports_per_s": n / m["wall_s"], "cpu_per_report_ms": 1000 * m["cpu_s"] / n,
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
    ap.add_argument("--engine", default="local", help="jixiao batch --engine: local or ray (a local Ray, --jobs CPUs)")
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
            b = bench_batch(n, a.code, a.jobs, tmp, a.engine)
            res["batch"].append(b)
            print(f"batch[{a.engine} --jobs {a.jobs}] {n:6d} reports: wall {b['wall_s']:8.1f}s  {b['reports_per_s']:7.2f} reports/s  "
                  f"CPU/report {b['cpu_per_report_ms']:7.1f} ms  peak RSS one process {b['peak_rss_mib']:5.0f} MiB, "
                  f"process tree {b['tree_rss_mib']:5.0f} MiB RSS / {b['tree_pss_mib']:5.0f} MiB PSS  "
                  f"batch process alone CPU/report {1000 * b['parent_cpu_s'] / n:.1f} ms  "
                  f"flags {b['flags']} (R01 {b['r01']})", flush=True)
    if a.json:
        print(json.dumps(res, ensure_ascii=False))


if __name__ == "__main__":
    main()
