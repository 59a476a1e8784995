"""The OpenAI-compatible client: langchain-openai ``ChatOpenAI`` (openai underneath).

* timeouts; retries with exponential backoff on 429 / 5xx / timeouts / dropped
  connections (``Retry-After`` honoured, capped); a circuit breaker stops calling an
  endpoint that keeps failing, so a dead server cannot stall a batch;
* a concurrency limit shared by every thread of a run;
* a SQLite response cache keyed by model + prompt hash (a re-run costs nothing);
* structured output that works on endpoints without ``json_schema``: the modes are
  negotiated once per run (``reviewer.llm.capabilities``: json_schema → json_object →
  tool calling → JSON parsed out of (fenced) text) and a mode that fails in any way
  later in the run is dropped for the next one;
* every request bounded: ``max_tokens`` per task (sent as ``max_tokens``, which local
  servers honour), a time-out that grows with ``max_tokens`` on a slow server, and time-
  outs retried once at most;
* an answer cut off (``finish_reason == "length"``) or missing the schema's required
  keys is asked again once with a shorter-answer instruction, else fails as
  ``truncated``; an answer that only echoes the prompt's example fails as ``echo``;
  neither is ever cached;
* no tiktoken: nothing here counts tokens.
"""

from __future__ import annotations

import json
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

from reviewer.llm.cache import ResponseCache, prompt_key
from reviewer.llm.capabilities import Capabilities, CapabilityStore, endpoint_key, negotiate
from reviewer.llm.config import STRUCTURED_MODES, LLMConfig, task_max_tokens
from reviewer.llm.echo import is_echo
from reviewer.llm.failures import SERIAL_NOTICE, Failure, explain, mode_notice
from reviewer.llm.structured import extract_json, looks_like_refusal

REPAIR_MESSAGE = (
    "上一条回复不是符合要求的 JSON。请只输出一个 JSON 对象，不要输出任何其他文字。"
    " / Your previous reply was not the required JSON object. Reply with the JSON object only."
)
SHORTER_MESSAGE = (
    "上一条回复太长，被截断了。请输出更短的完整 JSON：最多 3 条，每条说明不超过 60 字。"
    " / Your previous reply was cut off. Reply with a shorter, complete JSON object."
)
ECHO_MESSAGE = (
    "上一条回复只是照抄了提示中的示例格式。请根据所给材料填写真实内容，只输出 JSON。"
    " / Your previous reply only copied the example. Fill in real content from the material; JSON only."
)
MAX_TIMEOUT = 1800.0  # seconds: no single request waits longer, whatever the estimate
_CONTEXT_RE = re.compile(r"context|exceed|too long|maximum.{0,20}tokens|n_ctx", re.I)
# "exceed context window of 2048" (llama-cpp-python), "maximum context length is 4096" (vLLM, OpenAI)
_CONTEXT_SIZE_RE = re.compile(r"context window of (\d+)|context length is (\d+)|n_ctx[^0-9]{0,10}(\d+)", re.I)
# how many tokens the rejected prompt was (vLLM and llama-cpp-python: "(6941 in the messages, …)")
_PROMPT_TOKENS_RE = re.compile(r"\((\d+) in the messages|prompt (?:is|has|contains) (\d+) tokens", re.I)


def _preload_httpx() -> None:
    """openai ≥ 3 runs on httpx2 but, on every request, looks at ``sys.modules["httpx"]``
    (openai/_httpx2.py). If another thread is importing the classic httpx at that moment
    (chromadb, gradio …), worker threads see a half-initialised module and the request
    fails with AttributeError. Importing it once, up front, in the calling thread
    removes the race."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        pass


class LLMError(Exception):
    """A request that failed for good. ``kind``: auth, not_found, connection, timeout,
    rate_limit, server, context, bad_request, truncated, invalid_json, echo, refusal,
    breaker, other (explained by :func:`reviewer.llm.failures.explain`)."""

    def __init__(self, kind: str, message: str, status: int | None = None):
        self.kind = kind
        self.status = status
        self.detail = message
        self.stats: CallStats | None = None
        self.max_tokens: int | None = None
        self.cause: LLMError | None = None  # for "breaker": the failure that stopped the run calling
        super().__init__(f"{kind}: {message}")

    @property
    def short(self) -> str:
        """``HTTP 500`` or the kind: how a probe says why a mode failed."""
        return f"HTTP {self.status}" if self.status else self.kind

    def failure(self, cfg: LLMConfig, timeout: float | None = None) -> Failure:
        """What to tell the user; a breaker error tells the cause that tripped it."""
        if self.kind == "breaker" and self.cause is not None:
            return self.cause.failure(cfg, timeout)
        return explain(self.kind, url=cfg.base_url, model=cfg.model, status=self.status,
                       timeout=timeout or cfg.timeout, max_tokens=self.max_tokens, detail=_first_line(self.detail),
                       key_env=cfg.api_key_env or "OPENAI_API_KEY")


def _first_line(text: str) -> str:
    """The server's own message out of an openai error string."""
    m = re.search(r"'message':\s*'([^']{1,200})", text or "")
    return (m.group(1) if m else (text or "").splitlines()[0] if text else "")[:160]


@dataclass
class CallStats:
    calls: int = 0  # HTTP chat requests answered (any status)
    retries: int = 0
    cached: int = 0
    repairs: int = 0

    def add(self, other: "CallStats") -> None:
        self.calls += other.calls
        self.retries += other.retries
        self.cached += other.cached
        self.repairs += other.repairs


@dataclass
class JSONResult:
    data: dict
    mode: str
    cached: bool
    stats: CallStats = field(default_factory=CallStats)


class LLMClient:
    def __init__(self, cfg: LLMConfig, notify: Callable[[str], None] | None = None):
        _preload_httpx()
        self.cfg = cfg
        self.model = cfg.model or "gpt-4o-mini"
        self.cache = ResponseCache(cfg.cache_path)
        self.caps_store = CapabilityStore.beside_cache(cfg.cache_path)
        self._sem = threading.BoundedSemaphore(cfg.concurrency)
        self._lock = threading.Lock()
        self._negotiate_lock = threading.Lock()
        self._unsupported: set[str] = set()
        self._consecutive_failures = 0.0
        self._broken = False
        self._broken_cause: LLMError | None = None
        self._chats: dict[float, object] = {}
        self.caps: Capabilities | None = None
        self.notices: list[str] = []  # said once each (stderr unless ``notify`` is given)
        self._notify = notify

    # ------------------------------------------------------------------ plumbing
    def chat_for(self, timeout: float):
        """A ChatOpenAI per time-out (the time-out is fixed at construction)."""
        llm = self._chats.get(timeout)
        if llm is None:
            from langchain_openai import ChatOpenAI

            with self._lock:
                llm = self._chats.get(timeout)
                if llm is None:
                    kw = dict(
                        model=self.model,
                        api_key=self.cfg.api_key or "sk-no-key-required",
                        timeout=timeout,
                        max_retries=0,  # retries are ours: configurable backoff, breaker
                        temperature=self.cfg.temperature,
                    )
                    if self.cfg.base_url:
                        kw["base_url"] = self.cfg.base_url
                    llm = self._chats[timeout] = ChatOpenAI(**kw)
        return llm

    @property
    def chat(self):
        return self.chat_for(self.cfg.timeout)

    def say(self, notice: str) -> None:
        """Tell the user ``notice`` once per client."""
        with self._lock:
            if notice in self.notices:
                return
            self.notices.append(notice)
        if self._notify is not None:
            self._notify(notice)
        else:
            print(notice, file=sys.stderr, flush=True)

    def capabilities(self) -> Capabilities | None:
        """The endpoint's capabilities, negotiated on first use (then from disk for a day).
        None when probing is off. Raises LLMError when the endpoint cannot be used."""
        if not self.cfg.probe:
            return None
        if self.caps is not None:
            return self.caps
        if self._broken:
            raise self._breaker_error()
        with self._negotiate_lock:
            if self.caps is not None:
                return self.caps
            key = endpoint_key(self.cfg.base_url, self.model)
            caps, fresh = self.caps_store.get(key), False
            if caps is None:
                with self.caps_store.negotiating():
                    caps = self.caps_store.get(key)  # another process may have just done it
                    if caps is None:
                        try:
                            caps = negotiate(self)
                        except LLMError as e:
                            if e.kind in ("auth", "not_found", "connection"):
                                self._trip(force=True, cause=e)
                            raise
                        self.caps_store.put(key, caps)
                        fresh = True
            self._adopt(caps, fresh)
            self.caps = caps
        return caps

    def _adopt(self, caps: Capabilities, fresh: bool) -> None:
        """Use what the negotiation found; say it when it was just found (a stored
        negotiation was said when it was made: a batch's workers do not repeat it)."""
        note = mode_notice(caps.rejected, caps.modes[0] if caps.modes else "text")
        if note and self.cfg.structured == "auto" and fresh:
            self.say(note)
        if caps.parallel is False and self.cfg.concurrency > 1:
            self._sem = threading.BoundedSemaphore(1)
            if fresh:
                self.say(SERIAL_NOTICE)

    def store_caps(self) -> None:
        if self.caps is not None:
            self.caps_store.put(endpoint_key(self.cfg.base_url, self.model), self.caps)

    def modes(self) -> list[str]:
        if self.cfg.structured != "auto":
            return [self.cfg.structured]
        caps = self.caps
        base = caps.modes if caps is not None and caps.modes else list(STRUCTURED_MODES)
        return [m for m in base if m not in self._unsupported] or ["text"]

    def timeout_for(self, max_tokens: int) -> float:
        """``timeout``, or longer when the server was measured to need it for ``max_tokens``."""
        spt = self.caps.seconds_per_token if self.caps is not None else None
        if not spt or not self.cfg.timeout_auto:  # a time-out the user set is kept
            return self.cfg.timeout
        return float(max(self.cfg.timeout, min(MAX_TIMEOUT, round(2.0 * max_tokens * spt))))

    def prompt_budget(self, max_tokens: int) -> int | None:
        """Characters of prompt that fit the context with ``max_tokens`` to spare (None:
        the server did not say its context size)."""
        caps = self.caps
        if caps is None or not caps.context_tokens:
            return None
        room = caps.context_tokens - max_tokens - 64
        return max(500, int(room * caps.chars_per_token))

    def shrink_budget(self, message: str = "", sent_chars: int | None = None) -> None:
        """The server said a prompt did not fit: learn the context size from its message
        when it was not known, and the characters per token from the prompt's token count
        when it says it (``sent_chars``: the length of the rejected prompt); else count
        half as many characters per token."""
        if self.caps is None:
            return
        learnt = False
        told = _CONTEXT_SIZE_RE.search(message or "")
        if told and not self.caps.context_tokens:
            self.caps.context_tokens = int(next(g for g in told.groups() if g))
            learnt = True
        counted = _PROMPT_TOKENS_RE.search(message or "")
        if counted and sent_chars:
            tokens = int(next(g for g in counted.groups() if g))
            ratio = 0.95 * sent_chars / max(tokens, 1)  # a little below what was measured
            if ratio < self.caps.chars_per_token:
                self.caps.chars_per_token = max(0.1, ratio)
                learnt = True
        if not learnt:
            self.caps.chars_per_token = max(0.2, self.caps.chars_per_token * 0.5)
        self.store_caps()

    def _sleep_for(self, attempt: int, err) -> float:
        wait = self.cfg.backoff * (2**attempt)
        headers = getattr(getattr(err, "response", None), "headers", None) or {}
        try:
            if headers.get("retry-after-ms"):
                wait = float(headers["retry-after-ms"]) / 1000.0
            elif headers.get("retry-after"):
                wait = float(headers["retry-after"])
        except ValueError:
            pass
        wait = min(max(wait, 0.0), self.cfg.max_backoff)
        return wait * (1 + random.random() * 0.1)

    def _invoke_once(self, messages: list, kwargs: dict, timeout: float):
        chat = self.chat_for(timeout)
        if self.cfg.stream:
            acc = None
            for chunk in chat.stream(messages, **kwargs):
                acc = chunk if acc is None else acc + chunk
            return acc
        return chat.invoke(messages, **kwargs)

    @staticmethod
    def bounded(kwargs: dict, max_tokens: int) -> dict:
        """``kwargs`` with ``max_tokens`` in the request body. langchain-openai would send
        ``max_completion_tokens``, which llama.cpp, llama-cpp-python and Ollama ignore."""
        extra = dict(kwargs.get("extra_body") or {})
        extra["max_tokens"] = int(max_tokens)
        return dict(kwargs, extra_body=extra)

    def _breaker_error(self) -> LLMError:
        err = LLMError("breaker", "endpoint failed repeatedly; not called again in this run")
        err.cause = self._broken_cause
        return err

    def invoke(self, messages: list, kwargs: dict, stats: CallStats, *, max_tokens: int,
               retries: int | None = None, probing: bool = False):
        """One chat request with retries; returns the AIMessage. Raises LLMError.
        Time-outs are retried once at most (a slow CPU server is not helped by more)."""
        import openai

        if self._broken:
            raise self._breaker_error()
        kwargs = self.bounded(kwargs, max_tokens)
        timeout = self.cfg.timeout if probing else self.timeout_for(max_tokens)
        retries = self.cfg.max_retries if retries is None else retries
        last: Exception | None = None
        timeouts = 0
        kind, status = "other", None
        for attempt in range(retries + 1):
            try:
                with self._sem:
                    stats.calls += 1
                    msg = self._invoke_once(messages, kwargs, timeout)
                with self._lock:
                    self._consecutive_failures = 0.0
                return msg
            except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
                err = LLMError("auth", str(e), e.status_code)
                self._trip(force=True, cause=err)
                raise err from e
            except openai.NotFoundError as e:
                err = LLMError("not_found", str(e), e.status_code)
                self._trip(force=True, cause=err)
                raise err from e
            except openai.BadRequestError as e:  # 400: not retried
                kind = "context" if _CONTEXT_RE.search(str(e)) else "bad_request"
                raise LLMError(kind, str(e), e.status_code) from e
            except openai.RateLimitError as e:
                last, kind, status = e, "rate_limit", e.status_code
            except openai.APITimeoutError as e:
                last, kind, status = e, "timeout", None
                timeouts += 1
            except openai.APIConnectionError as e:
                last, kind, status = e, "connection", None
            except openai.APIStatusError as e:
                if e.status_code < 500 and e.status_code not in (408, 409):
                    raise LLMError("bad_request", str(e), e.status_code) from e
                last, kind, status = e, "server", e.status_code
            except openai.LengthFinishReasonError as e:  # json_schema goes through .parse()
                raise LLMError("truncated", str(e)) from e
            except openai.OpenAIError as e:
                raise LLMError("other", str(e)) from e
            if attempt < retries and not (kind == "timeout" and timeouts > 1):
                stats.retries += 1
                time.sleep(self._sleep_for(attempt, last))
            else:
                break
        err = LLMError(kind, str(last), status)
        if kind == "connection":  # refused / unreachable: the endpoint is down
            self._trip(cause=err)
        elif kind == "timeout":  # slow answers may be long reports: count half
            self._trip(cause=err, weight=0.5)
        raise err

    def _trip(self, force: bool = False, cause: LLMError | None = None, weight: float = 1.0) -> None:
        """Stop calling after repeated failures (at once for ``force``). The cause is told
        with each report's failure (check, batch summary, errors.jsonl), not here."""
        with self._lock:
            self._consecutive_failures += weight
            trip = (force or self._consecutive_failures >= self.cfg.breaker) and not self._broken
            if trip:
                self._broken = True
                self._broken_cause = cause
        if trip:
            self.say(f"本次运行不再调用大模型接口 {self.cfg.base_url or 'api.openai.com'}，仅保留确定性检查结果 / "
                     "the LLM endpoint is not called again in this run; rule checks only")

    # ------------------------------------------------------------------ structured output
    @staticmethod
    def payload_text(msg) -> str:
        """The JSON-bearing text of an AIMessage: tool-call arguments, else content."""
        raw_calls = (getattr(msg, "additional_kwargs", {}) or {}).get("tool_calls") or []
        for tc in raw_calls:
            args = (tc.get("function") or {}).get("arguments")
            if args:
                return args
        for attr in ("tool_call_chunks", "invalid_tool_calls"):
            for tc in getattr(msg, attr, None) or []:
                if isinstance(tc.get("args"), str) and tc["args"].strip():
                    return tc["args"]
        for tc in getattr(msg, "tool_calls", None) or []:
            if tc.get("args"):
                return json.dumps(tc["args"], ensure_ascii=False)
        content = msg.content
        if isinstance(content, list):
            content = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
        return content or ""

    @staticmethod
    def _refusal(msg) -> str | None:
        return (getattr(msg, "additional_kwargs", None) or {}).get("refusal")

    @staticmethod
    def finish_reason(msg) -> str | None:
        return (getattr(msg, "response_metadata", None) or {}).get("finish_reason")

    def mode_kwargs(self, mode: str, name: str, schema: dict) -> dict:
        if mode == "json_schema":
            return {"response_format": {"type": "json_schema",
                                        "json_schema": {"name": name, "schema": schema, "strict": False}}}
        if mode == "json_object":
            return {"response_format": {"type": "json_object"}}
        if mode == "tools":
            return {"tools": [{"type": "function", "function": {
                "name": name, "description": "Return the result as the arguments of this function.",
                "parameters": schema}}],
                "tool_choice": {"type": "function", "function": {"name": name}}}
        return {}

    def complete_json(self, system: str, user: str, *, name: str, schema: dict,
                      max_tokens: int | None = None) -> JSONResult:
        """Ask for one JSON object following ``schema``, at most ``max_tokens`` long
        (default: the task's, by ``name``). Cached by model + prompt hash.
        Raises LLMError (refusal / invalid_json / truncated / echo / transport errors);
        its ``stats`` say how many requests the failure cost."""
        stats = CallStats()
        limit = max_tokens or task_max_tokens(self.cfg, name)
        try:
            return self._complete_json(system, user, name, schema, stats, limit)
        except LLMError as e:
            e.stats = stats
            e.max_tokens = limit
            raise

    def _ask(self, messages: list, mode: str, name: str, schema: dict, stats: CallStats,
             max_tokens: int) -> tuple[dict | None, str, str | None, object]:
        """One request: (JSON object or None, its text, why it is no answer, the message)."""
        try:
            msg = self.invoke(messages, self.mode_kwargs(mode, name, schema), stats, max_tokens=max_tokens)
        except LLMError as e:
            if e.kind == "truncated":
                return None, "", "truncated", None
            raise
        text = self.payload_text(msg)
        data = extract_json(text)
        if self.finish_reason(msg) == "length":
            return None, text, "truncated", msg
        if not isinstance(data, dict):
            return None, text, "invalid_json", msg
        if any(k not in data for k in schema.get("required", ())):
            # the first inner object of a cut-off answer, or another shape
            return None, text, "truncated" if text.count("{") > text.count("}") else "invalid_json", msg
        if is_echo(data, messages[0][1]):
            return None, text, "echo", msg
        return data, text, None, msg

    def _complete_json(self, system: str, user: str, name: str, schema: dict, stats: CallStats,
                       max_tokens: int) -> JSONResult:
        key = prompt_key(self.model, {"system": system, "user": user, "name": name, "schema": schema})
        hit = self.cache.get(key)
        if hit is not None:
            data = json.loads(hit)
            stats.cached = 1
            return JSONResult(data=data, mode="cache", cached=True, stats=stats)
        self.capabilities()
        messages = [("system", system), ("user", user)]
        last_err: LLMError | None = None
        for mode in self.modes():
            try:
                data, text, why, msg = self._ask(messages, mode, name, schema, stats, max_tokens)
            except LLMError as e:
                confirmed = self.caps is not None and mode in self.caps.modes and e.kind == "server"
                if (self.cfg.structured == "auto" and mode != "text" and not confirmed
                        and e.kind in ("bad_request", "server", "other")):
                    # any failure of a mode, not only 400: the next mode is tried (a 5xx
                    # of a mode the negotiation saw working is the server's, not the mode's)
                    with self._lock:
                        self._unsupported.add(mode)
                    if self.caps is not None:
                        self.caps.rejected[mode] = e.short
                        self.caps.modes = [m for m in self.caps.modes if m != mode] or ["text"]
                        self.store_caps()
                    self.say(mode_notice({mode: e.short}, self.modes()[0]) or "")
                    last_err = e
                    continue
                raise
            if data is None:
                refused = self._refusal(msg) or (text if looks_like_refusal(text) else None)
                # one repair round in the same mode
                stats.repairs += 1
                ask_again = {"truncated": SHORTER_MESSAGE, "echo": ECHO_MESSAGE}.get(why or "", REPAIR_MESSAGE)
                repair = messages + [("assistant", (text or refused or "")[:4000]), ("user", ask_again)]
                data, text2, why2, msg2 = self._ask(repair, mode, name, schema, stats, max_tokens)
                if data is None:
                    refused = refused or self._refusal(msg2) or (text2 if looks_like_refusal(text2) else None)
                    if refused and why2 == "invalid_json":
                        raise LLMError("refusal", (refused or "")[:200])
                    raise LLMError(why2 or "invalid_json", (text2 or "")[:200])
            self.cache.put(key, self.model, json.dumps(data, ensure_ascii=False))
            return JSONResult(data=data, mode=mode, cached=False, stats=stats)
        raise last_err or LLMError("bad_request", "no structured-output mode accepted")

    def stream_text(self, system: str, user: str, *, max_tokens: int, stats: CallStats | None = None) -> Iterator[str]:
        """Plain text, streamed: yields the pieces as the server sends them (no retries
        once text has arrived). After the loop, :attr:`last_finish` tells whether the
        answer was cut off (``"length"``). Raises LLMError."""
        import openai

        stats = stats or CallStats()
        self.capabilities()
        if self._broken:
            raise self._breaker_error()
        chat = self.chat_for(self.timeout_for(max_tokens))
        kwargs = self.bounded({}, max_tokens)
        finish = None
        try:
            with self._sem:
                stats.calls += 1
                for chunk in chat.stream([("system", system), ("user", user)], **kwargs):
                    finish = (chunk.response_metadata or {}).get("finish_reason") or finish
                    piece = chunk.content if isinstance(chunk.content, str) else ""
                    if piece:
                        yield piece
        except openai.AuthenticationError as e:
            raise LLMError("auth", str(e), e.status_code) from e
        except openai.APITimeoutError as e:
            raise LLMError("timeout", str(e)) from e
        except openai.APIConnectionError as e:
            raise LLMError("connection", str(e)) from e
        except openai.APIStatusError as e:
            raise LLMError("server" if e.status_code >= 500 else "bad_request", str(e), e.status_code) from e
        self.last_finish = finish

    def close(self) -> None:
        self.cache.close()


_CLIENTS: dict[tuple, LLMClient] = {}
_CLIENTS_LOCK = threading.Lock()


def get_client(cfg: LLMConfig) -> LLMClient:
    """One client per configuration in a process (shares cache, semaphore, breaker);
    used by drafting and the UI. A batch's reviewer makes its own per run."""
    key = (cfg.base_url, cfg.model, cfg.api_key, cfg.timeout, cfg.max_retries, cfg.backoff, cfg.max_backoff,
           cfg.concurrency, cfg.cache_path, cfg.structured, cfg.stream, cfg.temperature, cfg.breaker, cfg.probe,
           cfg.max_tokens)
    with _CLIENTS_LOCK:
        if key not in _CLIENTS:
            _CLIENTS[key] = LLMClient(cfg)
        return _CLIENTS[key]


def resolve_model(cfg: LLMConfig) -> str | None:
    """When only a base URL is configured (vLLM, Ollama), use the first model the
    endpoint lists. None when it cannot be asked."""
    if cfg.model or not cfg.base_url:
        return cfg.model
    try:
        import openai

        c = openai.OpenAI(base_url=cfg.base_url, api_key=cfg.api_key or "sk-no-key-required",
                          timeout=min(cfg.timeout, 10.0), max_retries=0)
        for m in c.models.list():
            return m.id
    except Exception:
        return None
    return None
