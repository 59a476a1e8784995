"""A failing model is explained once, with its cause, in ``check`` (stderr), in the batch
summary and in errors.jsonl (one line per report) — and the rule flags stay exactly those
of ``--no-llm``, every kept quote verbatim in its report.  Real HTTP, real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_openai import FakeOpenAI, Reply, refused_url, tagged
from llm_fixtures import (SEEDS, assert_verbatim, findings, good_finding, point_env_at, read_jsonl, real_quote,
                          rule_lines)
from reviewer.cli import main

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")


@pytest.fixture
def seeds(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "seeds"
    d.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        (d / f.name).write_text(f.read_text("utf-8"), "utf-8")
    return d


def test_check_says_once_that_the_key_is_wrong(seeds, tmp_path, monkeypatch, capsys):
    with FakeOpenAI(api_key="sk-right") as srv:
        point_env_at(monkeypatch, srv, tmp_path)  # sends sk-fake-test
        code = main(["check", str(seeds), "--format", "json"])
        assert srv.chat_calls == 0 and srv.unauthorized == 1  # one refused probe, then no more calls
    out, err = capsys.readouterr()
    lines = [ln for ln in err.splitlines() if "密钥无效" in ln]
    assert len(lines) == 1 and "invalid key" in lines[0] and "份报告" in lines[0]
    flags = [json.loads(x) for x in out.splitlines() if x.strip()]
    assert main(["check", str(seeds), "--format", "json", "--no-llm"]) == code
    plain = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert rule_lines(flags) == rule_lines(plain) and not [f for f in flags if f["source"] == "llm"]


def test_check_says_connection_refused(seeds, tmp_path, monkeypatch, capsys):
    with FakeOpenAI() as srv:
        point_env_at(monkeypatch, srv, tmp_path)
    monkeypatch.setenv("OPENAI_BASE_URL", refused_url())
    main(["check", str(seeds)])
    err = capsys.readouterr().err
    assert len([ln for ln in err.splitlines() if "连接被拒绝" in ln]) == 1


def test_batch_with_a_hostile_local_server(seeds, tmp_path, monkeypatch, capsys):
    """500 on json_schema, one request at a time, no max_tokens → endless, a truncated
    answer, an echoed example: the summary and errors.jsonl say why, per report."""
    example = '{"findings": [{"rule": "J01", "message": "中文说明，具体指出问题", "quotes": ["报告原文逐字引文"]}]}'
    order: dict[str, int] = {}  # report text → order of first arrival (one request at a time)

    def handler(body, srv):
        report = tagged(body, "report_text")
        kind = order.setdefault(report, len(order)) % 3
        if kind == 0:
            return Reply(content=findings(good_finding(real_quote(report) or "")))
        if kind == 1:
            return Reply(content=example)  # echoes the prompt's example, also when asked again
        return Reply(content='{"findings": [{"rule": "J03", "message": "' + "偏差原因笼统" * 400)  # cut off

    with FakeOpenAI(handler, rejects={"json_schema": 500}, serial=True, endless=3000) as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_CONCURRENCY="1")
        assert main(["batch", str(seeds), "--out", str(tmp_path / "llm"), "--no-progress"]) == 0
        assert all(b["max_tokens"] <= 1024 for b in srv.requests)  # every request bounded
        assert srv.requests and all(b.get("response_format", {}).get("type") != "json_schema" for b in srv.requests)
    out = capsys.readouterr()
    assert main(["batch", str(seeds), "--out", str(tmp_path / "plain"), "--no-progress", "--no-llm"]) == 0
    capsys.readouterr()
    reports = read_jsonl(tmp_path / "llm" / "reports.jsonl")
    errors = read_jsonl(tmp_path / "llm" / "errors.jsonl")
    llm_flags = read_jsonl(tmp_path / "llm" / "flags.jsonl")
    # the rule flags are those of --no-llm, every quote verbatim
    assert rule_lines(llm_flags) == rule_lines(read_jsonl(tmp_path / "plain" / "flags.jsonl"))
    assert_verbatim(llm_flags)
    # per report in errors.jsonl, with the cause
    failed = sum(r["stats"].get("llm_errors", 0) for r in reports)
    assert failed >= 1 and len(errors) == failed
    assert {e["code"] for e in errors} == {"llm_echo", "llm_truncated"}
    assert all(isinstance(e["report"], int) and e["message_en"] for e in errors)
    assert sum(r["stats"].get("llm_echoed", 0) + r["stats"].get("llm_truncated", 0) for r in reports) == failed
    # the summary says each cause once, with its count, and the mode fallback was said once
    lines = out.out.splitlines()
    for code, word in (("llm_echo", "复述了提示中的示例"), ("llm_truncated", "被截断")):
        n = sum(1 for e in errors if e["code"] == code)
        if n:
            said = [ln for ln in lines if word in ln]
            assert len(said) == 1 and f"{n} 份报告" in said[0]
    # the fallback was found once for the run (kept beside the cache) and said at most once
    from reviewer.llm.capabilities import CapabilityStore, endpoint_key

    caps = CapabilityStore.beside_cache(str(tmp_path / "llm-cache.sqlite3")).get(endpoint_key(srv.url, "fake-model"))
    assert caps.modes[0] == "json_object" and caps.rejected == {"json_schema": "HTTP 500"}
    assert out.err.count("拒绝了 json_schema 请求（HTTP 500）") <= 1
    assert "一次只处理一个请求" not in out.err  # concurrency 1 was asked for: nothing to say


def test_draft_keeps_the_template_when_the_model_echoes_the_example(monkeypatch, tmp_path):
    from reviewer.checks import run_rules
    from reviewer.llm.draft import draft_report
    from reviewer.parse import parse_file
    from reviewer.profile import Profile

    example = ('{"problems": [{"id": "P1", "text": "问题表述", "basis": ["P1"]}], "measures": [{"problem": "P1", '
               '"text": "措施表述", "owner": "责任单位", "deadline": "完成时限", "target": "可衡量目标"}]}')
    parsed = parse_file(str(sorted(SEEDS.glob("*.txt"))[2]))
    report = parsed.reports[0]
    flags = list(run_rules(parsed, report, Profile()))
    with FakeOpenAI(lambda body, srv: Reply(content=example)) as srv:
        point_env_at(monkeypatch, srv, tmp_path)
        d = draft_report(parsed, report, flags)
        assert srv.chat_calls == 2  # asked once more, then given up
    assert d.mode == "template" and "问题表述" not in d.text()
    assert any("复述了提示中的示例" in n for n in d.notes)


def test_review_prompt_fits_the_context_the_server_tells(seeds, tmp_path, monkeypatch, capsys):
    """vLLM-style max_model_len: the review prompt is cut to fit (passages, then report text)."""
    with FakeOpenAI(context=6000) as srv:
        point_env_at(monkeypatch, srv, tmp_path)
        main(["check", str(seeds), "--format", "json"])
        assert srv.requests
        for body in srv.requests:
            chars = sum(len(m["content"]) for m in body["messages"])
            assert chars + body["max_tokens"] <= 6000
    assert "上下文" not in capsys.readouterr().err


def test_prompt_cut_to_a_small_context_that_counts_more_tokens_than_characters(tmp_path, monkeypatch, capsys):
    """llama-cpp-python: the context size is not told (JIXIAO_LLM_CONTEXT gives it), a small
    model's tokenizer spends more than one token on a character (SmolLM2: 4,136 tokens for
    3,300 characters of review prompt), and a prompt too long
    is refused with its token count: the client learns characters per token from that count
    and the review and the draft are asked again, cut to fit (the 自评表 itself cut when the
    instructions and the flags leave it no room), instead of failing."""
    from reviewer.checks import run_rules
    from reviewer.llm.draft import draft_report
    from reviewer.parse import parse_file
    from reviewer.profile import Profile

    monkeypatch.chdir(tmp_path)
    src = tmp_path / "in"
    src.mkdir()
    seed = SEEDS / "003_0aae5738ae055c76.txt"  # its 自评表 and flags alone are longer than the room
    (src / seed.name).write_text(seed.read_text("utf-8"), "utf-8")
    with FakeOpenAI(context=4096, tokens_per_char=1.25, tell_context=False) as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_CONTEXT="4096", JIXIAO_LLM_MAX_TOKENS="384")
        main(["check", str(src), "--format", "json"])
        err = capsys.readouterr().err
        assert "上下文" not in err
        fits = [b for b in srv.requests if 1.25 * sum(len(m["content"]) for m in b["messages"]) + b["max_tokens"] <= 4096]
        assert fits and len(srv.requests) == 2  # refused once with its count, then one that fits
        assert "自评表其余各行从略" in fits[-1]["messages"][-1]["content"]
        parsed = parse_file(str(src / seed.name))
        report = parsed.reports[0]
        d = draft_report(parsed, report, list(run_rules(parsed, report, Profile())))
        assert not any("上下文" in n for n in d.notes)
        last = srv.requests[-1]
        assert 1.25 * sum(len(m["content"]) for m in last["messages"]) + last["max_tokens"] <= 4096
