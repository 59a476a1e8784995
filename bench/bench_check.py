#!/usr/bin/env python3
"""Speed of ``jixiao check`` (no LLM): reports per second on .txt and .docx, and for .docx
the ratio to a bare python-docx parse (``Document(path)`` + reading every paragraph and
table cell) of the same files.

Inputs: examples/ and tests/data/seeds (.txt); every .docx under examples/, or, when
there is none yet, .docx files built here from the seed texts with python-docx.

``--baseline DIR`` also runs ``jixiao check`` as a user does (one CLI process per file,
start-up included) with another checkout and this one, alternating, and prints the median
wall and CPU of each and the speed-up (issue 11: a worktree of 666154f, the main before
the scale work).

Usage: python bench/bench_check.py [--min-seconds S] [--min-runs N] [--json]
       python bench/bench_check.py --baseline /tmp/base666 [--cli-runs 5] [--cli-only]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
os.environ["JIXIAO_SERVE"] = "off"  # the cold checks measured here neither use nor start a warm server
sys.path.insert(0, str(REPO))
SEEDS = Path(os.environ.get("JIXIAO_SEEDS", Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"))

from reviewer.batch.session import open_session  # noqa: E402
from reviewer.commands.check import check_outcomes  # noqa: E402


MIN_RUNS = 3


def _timed(fn: Callable[[], object], min_seconds: float, min_runs: int = MIN_RUNS) -> tuple[float, object]:
    """Best time of repeated calls (at least ``min_runs``, and ``min_seconds`` in all)."""
    best, total, n, result = float("inf"), 0.0, 0, None
    while n < min_runs or total < min_seconds:
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best, total, n = min(best, dt), total + dt, n + 1
        if n >= 50:
            break
    return best, result


def bare_docx(paths: list[Path]) -> int:
    """What python-docx alone costs: open each file and read all text."""
    import docx

    chars = 0
    for p in paths:
        d = docx.Document(str(p))
        for para in d.paragraphs:
            chars += len(para.text)
        for t in d.tables:
            for row in t.rows:
                for cell in row.cells:
                    chars += len(cell.text)
    return chars


def seed_docx(out_dir: Path) -> list[Path]:
    """.docx versions of the seed texts: tab-separated lines become table rows."""
    import docx

    paths = []
    for src in sorted(SEEDS.glob("*.txt")):
        d = docx.Document()
        rows: list[list[str]] = []

        def flush() -> None:
            if not rows:
                return
            width = max(len(r) for r in rows)
            t = d.add_table(rows=len(rows), cols=width)
            for i, r in enumerate(rows):
                for j, v in enumerate(r):
                    t.cell(i, j).text = v
            rows.clear()

        for line in src.read_text("utf-8").splitlines():
            if "\t" in line:
                rows.append(line.split("\t"))
            else:
                flush()
                d.add_paragraph(line)
        flush()
        p = out_dir / (src.stem + ".docx")
        d.save(str(p))
        paths.append(p)
    return paths


def phases(paths: list[str]) -> dict[str, float]:
    """Seconds spent parsing, in the rules, and in the extra reviewers (prepare + review)."""
    from reviewer.parse import parse_file
    from reviewer.pipeline import review_parsed

    session = open_session(no_llm=True, notify=lambda s: None)
    t0 = time.perf_counter()
    parsed = [parse_file(p) for p in paths]
    t1 = time.perf_counter()
    for pf in parsed:
        review_parsed(pf, session.profile, [])
    t2 = time.perf_counter()
    for rv in session.reviewers:
        if callable(getattr(rv, "prepare", None)):
            rv.prepare(parsed)
    for pf in parsed:
        review_parsed(pf, session.profile, session.reviewers)
    t3 = time.perf_counter()
    return {"parse": round(t1 - t0, 4), "rules": round(t2 - t1, 4), "reviewers": round(t3 - t2 - (t2 - t1), 4)}


def cli_wall(path: Path) -> float:
    """Wall time of one ``python -m reviewer check FILE --no-llm`` (start-up included)."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reviewer", "check", str(path), "--no-llm"], cwd=REPO,
                   capture_output=True, timeout=300)
    return time.perf_counter() - t0


def cli_run(code: Path, path: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``python -m reviewer check FILE --no-llm`` run with
    ``code``'s reviewer (cwd and PYTHONPATH), CPU = user+sys of the process and its workers."""
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "reviewer", "check", str(path), "--no-llm"], cwd=code,
                         env={**env, "PYTHONPATH": str(code)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"check {path} with {code} exited {os.waitstatus_to_exitcode(status)}")
    return wall, ru.ru_utime + ru.ru_stime


def compare_cli(files: list[Path], baseline: Path, runs: int, warm: bool = False) -> list[dict]:
    """``check`` on each file, one CLI process per run, ``runs`` times alternating the
    baseline checkout and this one (so both see the same machine load): the median wall
    and CPU of each.  This checkout runs once more first with an empty embedding cache
    (``cold``: a first run on a machine); the median is of the runs after it.  ``warm``:
    each round also checks the file through a warm server of this checkout (``jixiao
    serve`` on a private socket, started before the first round), so the three are
    measured under the same load."""
    out = []
    with tempfile.TemporaryDirectory() as sd, _server(Path(sd)) if warm else contextlib.nullcontext() as served:
        for f in files:
            with tempfile.TemporaryDirectory() as td:
                env = {**os.environ, "JIXIAO_EMBED_CACHE": str(Path(td) / "emb.sqlite3"), "JIXIAO_SERVE": "off"}
                cold = cli_run(REPO, f, env)
                base, new, hot = [], [], []
                for _ in range(runs):
                    base.append(cli_run(baseline, f, env))
                    new.append(cli_run(REPO, f, env))
                    if served is not None:
                        hot.append(warm_run(f, {**env, **served[1]}, *served))
            med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
            row = {"file": f.name, "runs": runs,
                   "baseline_wall_s": med(base, 0), "baseline_cpu_s": med(base, 1),
                   "wall_s": med(new, 0), "cpu_s": med(new, 1), "cold_wall_s": cold[0], "cold_cpu_s": cold[1]}
            row["speedup_wall"] = row["baseline_wall_s"] / row["wall_s"]
            row["speedup_cpu"] = row["baseline_cpu_s"] / row["cpu_s"]
            if hot:
                row.update(warm_wall_s=med(hot, 0), warm_cpu_s=med(hot, 1), warm_client_cpu_s=med(hot, 2))
                row["warm_speedup_wall"] = row["baseline_wall_s"] / row["warm_wall_s"]
                row["warm_speedup_cpu"] = row["baseline_cpu_s"] / row["warm_cpu_s"]
            out.append(row)
    return out


def _own_cpu(pid: int) -> float:
    """User+sys seconds of process ``pid`` itself (not its children), from /proc."""
    with open(f"/proc/{pid}/stat", "rb") as fh:
        f = fh.read().rsplit(b")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def _server(tmp: Path):
    """A warm server of this checkout (``jixiao serve``, reviewer.warm) on a private
    socket: yields (its process, the environment that makes check use it)."""
    from reviewer.warm.server import request, wait_until_up

    sock_dir = tmp / "sock"
    sock_dir.mkdir(mode=0o700)
    sock = sock_dir / "serve.sock"
    env = {**os.environ, "JIXIAO_EMBED_CACHE": str(tmp / "emb.sqlite3"), "JIXIAO_SERVE_SOCKET": str(sock)}
    env.pop("JIXIAO_SERVE", None)
    server = subprocess.Popen([sys.executable, "-m", "reviewer", "serve", "--socket", str(sock)], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if wait_until_up(sock, timeout=120) is None:
            raise RuntimeError("jixiao serve did not start")
        yield server, {"JIXIAO_SERVE_SOCKET": str(sock), "JIXIAO_SERVE": "manual"}
    finally:
        request(sock, {"stop": True})
        server.wait(timeout=30)


def warm_run(f: Path, env: dict[str, str], server: subprocess.Popen, server_env: dict[str, str]) -> tuple[float, ...]:
    """One ``check`` served by the warm server: (wall, CPU, the client's CPU), CPU = the
    client process's own plus what the server's request process (and any workers) used, as
    the server counts them, and the server's own CPU meanwhile (the fork is charged to it)."""
    from reviewer.warm.server import request

    sock = Path(server_env["JIXIAO_SERVE_SOCKET"])
    before = request(sock, {"ping": True, "wait": True})
    if before is None:
        raise RuntimeError("the warm server stopped (the code changed on disk?)")
    own0 = _own_cpu(server.pid)
    wall, cpu = cli_run(REPO, f, env)
    after = request(sock, {"ping": True, "wait": True})
    if after is None or after["served"] != before["served"] + 1:
        raise RuntimeError("the check was not served warm (the code changed on disk?)")
    own = _own_cpu(server.pid) - own0
    return wall, cpu + after["served_cpu_s"] - before["served_cpu_s"] + own, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-seconds", type=float, default=2.0)
    ap.add_argument("--min-runs", type=int, default=MIN_RUNS, help="repetitions at least (best time counts)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--baseline", type=Path,
                    help="another checkout (git worktree add /tmp/base666 666154f): one CLI check per file and run "
                         "with each, median wall and CPU, same machine load")
    ap.add_argument("--cli-files", default=f"{SEEDS}/001_636fdea54536b2e6.txt,{SEEDS}/000_2771c63391ef5ec7.txt",
                    help="files for --baseline (comma-separated; default a one-report seed and the 16-report seed)")
    ap.add_argument("--cli-runs", type=int, default=5, help="runs per file and checkout for --baseline")
    ap.add_argument("--cli-only", action="store_true", help="only the --baseline comparison")
    ap.add_argument("--warm", action="store_true",
                    help="with --baseline: also check each file through a warm server (jixiao serve)")
    a = ap.parse_args()
    runs = max(1, a.min_runs)
    if a.baseline:
        rows = compare_cli([Path(x).resolve() for x in a.cli_files.split(",") if x], a.baseline.resolve(), a.cli_runs,
                           warm=a.warm)
        print(f"jixiao check FILE --no-llm, one CLI process per run, median of {a.cli_runs} runs each "
              f"(baseline {a.baseline} alternating with this checkout"
              + (", cold and through a warm `jixiao serve`; warm CPU = client + the server's request process "
                 "and workers + the server itself)" if a.warm else ")"))
        for r in rows:
            print(f"  {r['file']}: baseline wall {r['baseline_wall_s']:.2f} s CPU {r['baseline_cpu_s']:.2f} s | "
                  f"now wall {r['wall_s']:.2f} s CPU {r['cpu_s']:.2f} s -> {r['speedup_wall']:.1f}x wall, "
                  f"{r['speedup_cpu']:.1f}x CPU | first run, empty embedding cache: wall {r['cold_wall_s']:.2f} s "
                  f"CPU {r['cold_cpu_s']:.2f} s", flush=True)
            if "warm_wall_s" in r:
                print(f"  {'':{len(r['file'])}}  warm wall {r['warm_wall_s']:.2f} s CPU {r['warm_cpu_s']:.2f} s "
                      f"(client {r['warm_client_cpu_s']:.2f} s) -> {r['warm_speedup_wall']:.1f}x wall, "
                      f"{r['warm_speedup_cpu']:.1f}x CPU vs baseline", flush=True)
        if a.json:
            print(json.dumps(rows, ensure_ascii=False))
        if a.cli_only:
            return

    txt = sorted((REPO / "examples").rglob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    docx_files = sorted((REPO / "examples").rglob("*.docx"))
    tmp = tempfile.TemporaryDirectory()
    docx_origin = "examples/"
    if not docx_files:
        docx_files = seed_docx(Path(tmp.name))
        docx_origin = "built from the seeds"

    results: dict[str, dict] = {}
    for label, files in (("txt", txt), ("docx", docx_files)):
        if not files:
            continue
        paths = [str(p) for p in files]
        # a fresh session per run, as one CLI invocation has (reviewers keep batch state)
        secs, outcomes = _timed(lambda: check_outcomes(paths, open_session(no_llm=True, notify=lambda s: None)),
                                a.min_seconds, runs)
        n_reports = sum(len(o.reports) for o in outcomes)
        n_err = sum(1 for o in outcomes if o.error is not None)
        try:
            split = phases(paths)
        except Exception:  # noqa: BLE001 — a read error in the set: the split is optional
            split = {}
        row = {"phases_s": split, "files": len(files), "reports": n_reports, "read_errors": n_err, "seconds": round(secs, 4),
               "reports_per_s": round(n_reports / secs, 1) if secs else None,
               "ms_per_file": round(1000 * secs / len(files), 2),
               "bytes": sum(p.stat().st_size for p in files)}
        if label == "docx":
            bare, _ = _timed(lambda: bare_docx(files), a.min_seconds, runs)
            row["bare_python_docx_seconds"] = round(bare, 4)
            row["ratio_to_bare_python_docx"] = round(secs / bare, 2) if bare else None
            row["origin"] = docx_origin
        results[label] = row
    if txt:
        results["cli_one_file_wall_s"] = round(cli_wall(txt[0]), 3)
    tmp.cleanup()

    if a.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    print("jixiao check --no-llm (in-process, best of repeated runs)")
    for label in ("txt", "docx"):
        r = results.get(label)
        if not r:
            print(f"  {label:5s}: no files")
            continue
        line = (f"  {label:5s}: {r['files']} files, {r['reports']} reports, {r['bytes'] / 1024:.0f} KiB -> "
                f"{r['seconds']:.3f} s = {r['reports_per_s']} reports/s ({r['ms_per_file']} ms/file)")
        if r.get("read_errors"):
            line += f", {r['read_errors']} read errors"
        print(line)
        if r.get("phases_s"):
            print("         split: " + ", ".join(f"{k} {v:.3f} s" for k, v in r["phases_s"].items())
                  + " (reviewers = retrieval/LLM prepare + review; no LLM here)")
        if label == "docx":
            print(f"         bare python-docx parse of the same files ({r['origin']}): "
                  f"{r['bare_python_docx_seconds']:.3f} s -> check/bare ratio {r['ratio_to_bare_python_docx']}x")
    if "cli_one_file_wall_s" in results:
        print(f"  one CLI invocation on {txt[0].name} (start-up included): {results['cli_one_file_wall_s']} s")


if __name__ == "__main__":
    main()
