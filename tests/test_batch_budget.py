"""Per-file time and memory budget: each file is read and reviewed in a worker process
that is stopped when it takes too much CPU time, clock time or memory; the batch records
why, names the file and the limit, and reviews every other file.  Batch streaming: each
file's records are written as it finishes, and copies across files (R01) still come out
as a whole-batch comparison gives them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from reviewer.batch.budget import WorkBudget
from reviewer.batch.workers import WorkerPool

from shared_paths import SEEDS

REPO = Path(__file__).resolve().parents[1]


def hostile(kind: str) -> str:
    """Runs in a worker: each kind misbehaves in its own way."""
    if kind == "spin":  # pure-Python busy loop (holds the GIL, like a backtracking regex)
        while True:
            pass
    if kind == "sleep":  # waits without computing
        time.sleep(600)
    if kind == "alloc":  # grows without bound
        blocks = []
        while True:
            blocks.append(bytearray(32 << 20))
    if kind == "die":
        os._exit(3)
    if kind == "env":
        return os.environ.get("JIXIAO_TEST_MARK", "")
    return f"done {kind}"


def _run(budget: WorkBudget, items: list[str]) -> tuple[dict, float]:
    got = {}
    with WorkerPool(2, budget) as pool:
        pool.run_each(hostile, items, lambda item, res: got.__setitem__(item, res))
    return got, pool.peak_mb


def test_pool_stops_each_kind_of_runaway_and_finishes_the_rest(monkeypatch):
    monkeypatch.setenv("JIXIAO_TEST_MARK", "来自调用方")
    # CPU time decides (a loaded machine stretches the clock, not the cost)
    got, peak = _run(WorkBudget(seconds=1.5, wall_seconds=120, memory_mb=400),
                     ["ok1", "spin", "alloc", "die", "env", "ok2"])
    assert got["ok1"].ok and got["ok1"].value == "done ok1"
    assert got["ok2"].ok and got["ok2"].value == "done ok2"
    assert got["env"].value == "来自调用方"  # the caller's environment of the moment, not the forkserver's
    assert got["spin"].stopped == "too_slow" and 1.5 < got["spin"].cpu_seconds < 5 and got["spin"].seconds < 120
    assert got["alloc"].stopped == "too_large" and got["alloc"].peak_mb > 400
    assert got["die"].stopped == "died" and got["die"].exitcode == 3
    assert peak > 400
    # the clock limit stops what waits without computing
    got, _ = _run(WorkBudget(seconds=1.5, wall_seconds=3, memory_mb=400), ["sleep", "ok3"])
    assert got["sleep"].stopped == "too_slow" and 3 <= got["sleep"].seconds < 10 and got["sleep"].cpu_seconds < 1
    assert got["ok3"].value == "done ok3"


def _batch(cwd: Path, inputs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_BATCH_STOP_AFTER"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "reviewer", "batch", str(inputs), "--out", str(out), "--no-llm",
                           "--no-progress", *extra], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_a_file_over_budget_is_stopped_and_the_rest_reviewed(tmp_path):
    seeds = sorted(SEEDS.glob("00[1-3]_*.txt"))
    alone, mixed = tmp_path / "alone", tmp_path / "mixed"
    alone.mkdir()
    mixed.mkdir()
    for p in seeds:
        shutil.copy(p, alone / p.name)
        shutil.copy(p, mixed / p.name)
    # many reports run together: seconds of CPU in the copy detection and the rules (four
    # copies took 2-3 s once the paraphrase vectors came from the on-disk cache: too near
    # the 2 s budget; eight are well over it)
    text = "\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt")))
    (mixed / "slow.txt").write_text("\n".join([text] * 8), "utf-8")
    (tmp_path / "jixiao.toml").write_text("[tool.jixiao.budget]\nseconds = 2\nwall_seconds = 60\n", "utf-8")

    ref = _batch(tmp_path, alone, tmp_path / "ref")
    assert ref.returncode == 0, ref.stderr
    run = _batch(tmp_path, mixed, tmp_path / "out", "--jobs", "2")
    assert run.returncode == 0, run.stderr
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [Path(e["file"]).name for e in errors] == ["slow.txt"]
    e = errors[0]
    assert e["code"] == "too_slow"
    assert "slow.txt" in e["message_zh"] and "2 秒" in e["message_zh"] and "2 s" in e["message_en"]
    # every other file reviewed, with exactly the findings it has in a batch of its own
    ref_flags = (tmp_path / "ref" / "flags.jsonl").read_text("utf-8").replace(str(alone), str(mixed))
    assert ref_flags and (tmp_path / "out" / "flags.jsonl").read_text("utf-8") == ref_flags
    assert "读取错误 1 个" in run.stdout


def test_cross_file_copies_match_a_whole_batch_comparison(tmp_path):
    """Files reviewed one at a time still get the R01 copies a whole-batch index finds,
    and a resumed run takes them from the parts without reading the files again."""
    from reviewer.batch.review import outcome_from_review
    from reviewer.batch.discover import InputFile
    from reviewer.parse import parse_file
    from reviewer.pipeline import review_parsed
    from reviewer.profile import Profile
    from vectorstore.review import RetrievalReviewer

    inputs = tmp_path / "in"
    inputs.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for p in seeds:
        shutil.copy(p, inputs / p.name)
    files = sorted(inputs.iterdir())
    # the whole-batch way: one reviewer indexes every report before reviewing any
    rv = RetrievalReviewer()
    parsed = [parse_file(str(p)) for p in files]
    rv.prepare(parsed)
    expected = []
    for p, pf in zip(files, parsed):
        out = outcome_from_review(InputFile(str(p), p), review_parsed(pf, Profile(), [rv]), Profile())
        expected += [json.dumps(fr.flag.jsonl(), ensure_ascii=False, sort_keys=True) for fr in out.flags
                     if fr.flag.source == "retrieval"]
    cross = [x for x in expected if '"R01"' in x and any(f"{p.name}第" in x for p in files)]
    assert cross, "the seeds share passages across files"

    run = _batch(tmp_path, inputs, tmp_path / "out", "--jobs", "2")
    assert run.returncode == 0, run.stderr
    got = [json.dumps(f, ensure_ascii=False, sort_keys=True)
           for f in map(json.loads, (tmp_path / "out" / "flags.jsonl").read_text("utf-8").splitlines())
           if f["source"] == "retrieval"]
    assert sorted(got) == sorted(expected)
    assert list((tmp_path / "out" / ".parts").glob("*.cross.json"))
    first = (tmp_path / "out" / "flags.jsonl").read_bytes()

    again = _batch(tmp_path, inputs, tmp_path / "out")
    assert f"本次审阅 0，沿用上次结果 {len(files)}" in again.stdout
    assert (tmp_path / "out" / "flags.jsonl").read_bytes() == first
