"""The fuzz corpus (tests/fuzz/corpus.py) through ``jixiao batch --no-llm``: does every file
finish or get stopped, with a clear reason, and what does it cost?

Usage: python bench/bench_fuzz.py [--mutants N] [--scale S] [--jobs N] [--keep DIR]

Prints: files, crashes (``internal_error`` records, files with neither a report nor an
error, a batch that exits with a traceback), files over budget (``too_slow`` and the
budget's ``too_large``), each error code's count, the slowest file's time, and the peak
RSS of the batch with its worker processes.  A file's time is read from when its line
appears in reports.jsonl / errors.jsonl (the batch writes each file as it finishes): with
``--jobs 1`` the gap between two lines is one file's time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzz.corpus import build  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(d.name))
            rss[int(d.name)] = int(stat[21]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def _new_lines(path: Path, seen: int) -> tuple[list[dict], int]:
    if not path.is_file():
        return [], seen
    lines = path.read_text("utf-8", errors="replace").splitlines()
    out = []
    for ln in lines[seen:]:
        try:
            out.append(json.loads(ln))
        except ValueError:
            return out, seen + len(out)  # a line being written: read it next time
    return out, len(lines)


def run_batch(corpus: Path, out: Path, jobs: int) -> dict:
    cmd = [str(ROOT / ".venv" / "bin" / "jixiao"), "batch", str(corpus), "--out", str(out), "--no-llm",
           "--no-progress", "--jobs", str(jobs)]
    if not Path(cmd[0]).is_file():
        cmd[0:1] = [sys.executable, "-m", "reviewer"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    peak = 0
    finished: dict[str, float] = {}
    seen = {"reports.jsonl": 0, "errors.jsonl": 0}
    last = t0
    gaps: dict[str, float] = {}

    def poll() -> None:
        nonlocal last
        now = time.perf_counter()
        for name in seen:
            recs, seen[name] = _new_lines(out / name, seen[name])
            for r in recs:
                f = r.get("file", "")
                if f not in finished:
                    finished[f] = now - t0
                    gaps[f] = now - last
                    last = now

    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        poll()
        time.sleep(0.2)
    poll()
    stdout, stderr = proc.communicate()
    return {"seconds": time.perf_counter() - t0, "peak_rss": peak, "exit": proc.returncode, "stderr": stderr,
            "gaps": gaps}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mutants", type=int, default=3000, help="mutated copies of the example reports")
    ap.add_argument("--scale", type=float, default=1.0, help="size of the bombs and big files (1.0 = issue 14's)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="write the corpus and the batch output here and keep them")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as tmp:
        base = args.keep or Path(tmp)
        corpus, out = base / "corpus", base / "out"
        t = time.perf_counter()
        files = build(corpus, n_mutants=args.mutants, scale=args.scale)
        print(f"corpus: {len(files)} files written in {time.perf_counter() - t:.0f} s "
              f"({sum(f.stat().st_size for f in files) / 2**20:.0f} MB on disk)")
        res = run_batch(corpus, out, args.jobs)
        errors = [json.loads(ln) for ln in (out / "errors.jsonl").read_text("utf-8").splitlines() if ln.strip()] \
            if (out / "errors.jsonl").is_file() else []
        reported = {json.loads(ln)["file"] for ln in (out / "reports.jsonl").read_text("utf-8").splitlines() if ln.strip()} \
            if (out / "reports.jsonl").is_file() else set()
        codes = Counter(e["code"] for e in errors)
        named = {e["file"] for e in errors} | reported
        lost = [f for f in files if str(f) not in named]
        internal = [e for e in errors if e["code"] == "internal_error"]
        traceback = "Traceback" in res["stderr"]
        over = [e for e in errors if e["code"] == "too_slow" or (e["code"] == "too_large" and "内存" in e["message_zh"])]
        slow = sorted(res["gaps"].items(), key=lambda kv: -kv[1])[:5]
        print(f"files: {len(files)}  reviewed: {len(reported)}  refused with a reason: {len({e['file'] for e in errors})}"
              f"  ({len(files) - len(errors)} good files, every one reviewed: {len(reported) == len(files) - len(errors)})")
        print(f"crashes: {len(internal) + len(lost) + int(traceback)}  (internal_error {len(internal)}, "
              f"without any record {len(lost)}, batch traceback {'yes' if traceback else 'no'}; exit code {res['exit']})")
        print(f"files over budget (stopped): {len(over)}")
        print("error codes: " + ", ".join(f"{k} {v}" for k, v in codes.most_common()))
        print(f"batch: {res['seconds']:.0f} s, peak RSS (batch + workers) {res['peak_rss'] / 2**20:.0f} MB")
        for f, s in slow:
            print(f"slow: {s:6.1f} s  {Path(f).name}")
        for e in internal[:10]:
            print(f"internal_error: {Path(e['file']).name}: {e['message_en'][:200]}")
        for f in lost[:10]:
            print(f"no record: {f.name}")
    return 1 if internal or lost or traceback else 0


if __name__ == "__main__":
    raise SystemExit(main())
