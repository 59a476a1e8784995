"""A batch killed mid-way and restarted finishes with byte-identical outputs, without
redoing finished files; the output order does not depend on --jobs.

The kill uses the documented test hook ``JIXIAO_BATCH_STOP_AFTER=N`` (the process calls
``os._exit`` right after storing its N-th part file)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from reviewer.batch.runner import STOP_AFTER_ENV, STOP_EXIT_CODE

REPO = Path(__file__).resolve().parents[1]
from shared_paths import SEEDS  # noqa: E402


def _batch(inputs: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if k != STOP_AFTER_ENV}
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "reviewer", "batch", str(inputs), "--out", str(out), "--no-llm", *extra],
        cwd=REPO, env=e, capture_output=True, text=True, timeout=120,
    )


def _parts(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (out / ".parts").glob("*.json")}


def test_resume_after_kill_is_identical(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for p in sorted(SEEDS.glob("00[1-3]_*.txt")):
        shutil.copy(p, inputs / p.name)
    n_files = len(list(inputs.iterdir()))
    assert n_files == 3

    full = _batch(inputs, tmp_path / "full")
    assert full.returncode == 0, full.stderr

    out = tmp_path / "resumed"
    killed = _batch(inputs, out, env={STOP_AFTER_ENV: "1"})
    assert killed.returncode == STOP_EXIT_CODE, killed.stderr
    first = _parts(out)
    assert len(first) == 1
    # the finished file's records were written as it finished, the others' not yet
    streamed = {json.loads(x)["file"] for x in (out / "reports.jsonl").read_text("utf-8").splitlines()}
    assert len(streamed) == 1
    done_flags = [x for x in (out / "flags.jsonl").read_text("utf-8").splitlines()]
    full_flags = (tmp_path / "full" / "flags.jsonl").read_text("utf-8").splitlines()
    assert done_flags and all(json.loads(x)["file"] in streamed for x in done_flags)
    assert set(done_flags) <= set(full_flags)
    contents = {n: (out / ".parts" / n).read_bytes() for n in first}
    # what a kill during the writing of summary.xlsx or a part leaves behind
    stale = [out / ".summary.xlsx.0a1b2c3d.tmp", out / ".parts" / ".0123abcd.json.4e5f.tmp"]
    for p in stale:
        p.write_bytes(b"half written")

    resumed = _batch(inputs, out)
    assert resumed.returncode == 0, resumed.stderr
    assert "沿用上次结果 1" in resumed.stdout
    after = _parts(out)
    assert len(after) == n_files
    assert not any(p.exists() for p in stale)
    for name, mtime in first.items():  # finished files were not redone
        assert after[name] == mtime
        assert (out / ".parts" / name).read_bytes() == contents[name]
    for name in ("flags.jsonl", "reports.jsonl", "errors.jsonl"):
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name

    again = _batch(inputs, out)  # a finished batch rerun redoes nothing
    assert again.returncode == 0 and f"沿用上次结果 {n_files}" in again.stdout
    assert _parts(out) == after


def test_jobs_do_not_change_order(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, inputs / p.name)
    (inputs / "empty.txt").write_bytes(b"")
    one = _batch(inputs, tmp_path / "one", "--jobs", "1")
    two = _batch(inputs, tmp_path / "two", "--jobs", "3")
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    for name in ("flags.jsonl", "reports.jsonl", "errors.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    # progress went to stderr as plain lines (stderr is not a TTY here), the summary to stdout
    assert "审阅 [" in two.stderr and "审阅完成" in two.stdout
