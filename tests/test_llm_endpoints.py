"""The client against the habits of real local servers, over real HTTP (tests/fake_openai.py):
500 on json_schema, one request at a time, endless generation without max_tokens,
truncated JSON, the prompt's example echoed back, a wrong key, connection refused,
time-outs and a context window that a long prompt overflows."""

from __future__ import annotations

import json
import threading

import pytest

from fake_openai import FakeOpenAI, Reply, refused_url
from reviewer.llm.capabilities import CapabilityStore, endpoint_key
from reviewer.llm.client import LLMClient, LLMError
from reviewer.llm.config import TASK_MAX_TOKENS, LLMConfig

SCHEMA = {"type": "object", "properties": {"findings": {"type": "array"}}, "required": ["findings"]}
SYSTEM = ('只输出 JSON。输出格式：{"findings": [{"rule": "J01", "message": "中文说明，具体指出问题", '
          '"quotes": ["报告原文逐字引文"]}]}')
GOOD = '{"findings": [{"rule": "J01", "message": "存在问题只写了加强管理", "quotes": ["加强管理"]}]}'


def make(url: str, tmp_path=None, notes: list | None = None, **kw) -> LLMClient:
    base = dict(base_url=url, model="fake-model", api_key="sk-fake", backoff=0.01, max_backoff=0.05,
                timeout=2.0, max_retries=2,
                cache_path=str(tmp_path / "llm-cache.sqlite3") if tmp_path is not None else None)
    base.update(kw)
    return LLMClient(LLMConfig(**base), notify=notes.append if notes is not None else None)


def ask(c: LLMClient, user: str = "审阅这份报告"):
    return c.complete_json(SYSTEM, user, name="review", schema=SCHEMA)


def test_500_on_json_schema_falls_back_and_the_negotiation_is_kept_on_disk(tmp_path):
    notes: list[str] = []
    with FakeOpenAI(rejects={"json_schema": 500}) as srv:
        c = make(srv.url, tmp_path, notes)
        srv.push(Reply(content=GOOD))
        r = ask(c)
        assert r.mode == "json_object" and r.data["findings"][0]["rule"] == "J01"
        # the probe found it: the real request went straight to json_object, and no 500 was retried
        assert srv.rejected == ["json_schema"] and srv.chat_calls == 1
        assert srv.requests[0]["response_format"] == {"type": "json_object"}
        assert notes == ["大模型服务器拒绝了 json_schema 请求（HTTP 500），改用 json_object 模式 / "
                         "the LLM server rejected json_schema requests (HTTP 500); using json_object mode instead"]
        stored = CapabilityStore.beside_cache(c.cfg.cache_path).get(endpoint_key(srv.url, "fake-model"))
        assert stored is not None and stored.modes[0] == "json_object" and stored.rejected == {"json_schema": "HTTP 500"}
        # a second run reads the negotiation from disk: no probe at all
        probes = len(srv.probes)
        c2 = make(srv.url, tmp_path, [])
        srv.push(Reply(content=GOOD))
        assert ask(c2, "另一份报告").mode == "json_object"
        assert len(srv.probes) == probes


def test_any_failure_of_a_mode_falls_back_without_probing(tmp_path):
    """With probing off, a mode that fails with 500 (not only 400) is dropped for the next."""
    with FakeOpenAI(rejects={"json_schema": 500, "json_object": 500}) as srv:
        c = make(srv.url, None, [], probe=False, max_retries=0)
        srv.handler = lambda body, s: Reply(content=GOOD)
        assert ask(c).mode == "tools"
        assert srv.rejected == ["json_schema", "json_object"]
        n = len(srv.rejected)
        assert ask(c, "again").mode == "tools" and len(srv.rejected) == n


def test_a_server_that_serves_one_request_at_a_time_gets_one(tmp_path):
    notes: list[str] = []
    with FakeOpenAI(serial=True, delay=0.3) as srv:
        c = make(srv.url, tmp_path, notes, concurrency=4)
        srv.handler = lambda body, s: Reply(content=GOOD)
        assert c.capabilities().parallel is False
        assert any("一次只处理一个请求" in n for n in notes)
        srv.delay = 0.05
        srv.max_in_flight = 0
        threads = [threading.Thread(target=ask, args=(c, f"报告{i}")) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert srv.chat_calls == 4 and srv.max_in_flight == 1
    with FakeOpenAI(delay=0.3) as srv:  # a server that batches keeps the concurrency
        c = make(srv.url, tmp_path, [], concurrency=4)
        assert c.capabilities().parallel is True


def test_every_request_is_bounded_and_endless_generation_stops(tmp_path):
    with FakeOpenAI(endless=20000) as srv:
        c = make(srv.url, tmp_path, [])
        srv.handler = lambda body, s: Reply(content=GOOD)
        ask(c)
        bodies = srv.requests + srv.probes
        assert all(isinstance(b.get("max_tokens"), int) for b in bodies)
        assert srv.requests[0]["max_tokens"] == TASK_MAX_TOKENS["review"]
        assert all(b["max_tokens"] <= 48 for b in srv.probes)
        assert "max_completion_tokens" not in srv.requests[0]  # local servers ignore that name
        assert max(srv.generated) <= TASK_MAX_TOKENS["review"]


def test_a_truncated_answer_is_asked_once_more_then_an_error_and_never_cached(tmp_path):
    long = json.dumps({"findings": [{"rule": "J01", "message": "套话" * 400, "quotes": ["加强管理"]}]},
                      ensure_ascii=False)
    with FakeOpenAI() as srv:
        c = make(srv.url, tmp_path, [], max_tokens=200)
        srv.handler = lambda body, s: Reply(content=long)  # cut at 200 tokens: finish_reason "length"
        with pytest.raises(LLMError) as e:
            ask(c)
        assert e.value.kind == "truncated" and e.value.max_tokens == 200
        assert srv.chat_calls == 2  # one repair round asking for a shorter answer
        assert "被截断" in json.dumps(srv.requests[-1], ensure_ascii=False)
        assert "max_tokens=200" in e.value.failure(c.cfg).message_zh
        with pytest.raises(LLMError):
            ask(c)
        assert srv.chat_calls == 4  # nothing was cached


def test_json_cut_off_without_a_length_finish_is_not_read_as_its_inner_object(tmp_path):

    cut = '{"findings": [{"rule": "J01", "message": "套话"}, {"rule": "J03", "message": "原因'
    with FakeOpenAI() as srv:
        c = make(srv.url, tmp_path, [])
        srv.push(Reply(content=cut), Reply(content=cut))
        with pytest.raises(LLMError) as e:
            ask(c)
        assert e.value.kind == "truncated"
        srv.push(Reply(content=GOOD))
        assert ask(c).data["findings"][0]["message"] == "存在问题只写了加强管理"  # asked again: not cached


def test_an_answer_that_only_echoes_the_prompts_example_is_no_answer(tmp_path):
    example = '{"findings": [{"rule": "J01", "message": "中文说明，具体指出问题", "quotes": ["报告原文逐字引文"]}]}'
    with FakeOpenAI() as srv:
        c = make(srv.url, tmp_path, [])
        srv.push(Reply(content=example), Reply(content=example))
        with pytest.raises(LLMError) as e:
            ask(c)
        assert e.value.kind == "echo"
        assert "复述了提示中的示例" in e.value.failure(c.cfg).message_zh
        srv.push(Reply(content=example), Reply(content=GOOD))  # the repair round may bring a real answer
        assert ask(c, "again").data["findings"][0]["quotes"] == ["加强管理"]


def test_wrong_key_is_said_once_and_the_endpoint_is_not_called_again(tmp_path):
    notes: list[str] = []
    with FakeOpenAI(api_key="sk-right") as srv:
        c = make(srv.url, tmp_path, notes, api_key="sk-wrong")
        with pytest.raises(LLMError) as e:
            ask(c)
        assert e.value.kind == "auth"
        f = e.value.failure(c.cfg)
        assert f.code == "llm_auth" and "密钥无效" in f.message_zh and "invalid key" in f.message_en
        n = srv.unauthorized
        for i in range(3):
            with pytest.raises(LLMError) as e:
                ask(c, f"again {i}")
            assert e.value.kind == "breaker"
        assert srv.unauthorized == n == 1
        assert "密钥无效" in e.value.failure(c.cfg).message_zh  # each later report still says why
        assert len(notes) == 1 and "不再调用" in notes[0]
        # nothing is stored for an endpoint that could not be used
        assert CapabilityStore.beside_cache(c.cfg.cache_path).get(endpoint_key(srv.url, "fake-model")) is None


def test_connection_refused_and_time_out_are_explained():
    c = make(refused_url(), None, [])
    with pytest.raises(LLMError) as e:
        ask(c)
    assert e.value.kind == "connection" and "连接被拒绝" in e.value.failure(c.cfg).message_zh
    with FakeOpenAI() as srv:
        c = make(srv.url, None, [], timeout=0.3, max_retries=3, probe=False)
        srv.handler = lambda body, s: Reply(delay=0.8, content=GOOD)
        with pytest.raises(LLMError) as e:
            ask(c)
        f = e.value.failure(c.cfg)
        assert e.value.kind == "timeout" and "超时" in f.message_zh and "0.3 秒" in f.message_zh
        assert srv.chat_calls == 2  # a time-out is retried once, not max_retries times


def test_the_context_size_bounds_the_prompt_and_an_overflow_says_so(tmp_path):
    with FakeOpenAI(context=3000) as srv:
        c = make(srv.url, tmp_path, [])
        caps = c.capabilities()
        assert caps.context_tokens == 3000
        budget = c.prompt_budget(TASK_MAX_TOKENS["review"])
        assert budget is not None and budget + TASK_MAX_TOKENS["review"] <= 3000
        srv.handler = lambda body, s: Reply(content=GOOD)
        with pytest.raises(LLMError) as e:
            ask(c, "长" * 5000)
        assert e.value.kind == "context" and "上下文" in e.value.failure(c.cfg).message_zh
        c.shrink_budget()
        assert c.prompt_budget(TASK_MAX_TOKENS["review"]) < budget
