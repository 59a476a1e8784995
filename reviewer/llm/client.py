"""The OpenAI-compatible client: langchain-openai ``ChatOpenAI`` (openai underneath).

* timeouts; retries with exponential backoff on 429 / 5xx / timeouts / dropped
  connections (``Retry-After`` honoured, capped); a circuit breaker stops calling an
  endpoint that keeps failing, so a dead server cannot stall a batch;
* a concurrency limit shared by every thread of a run;
* a SQLite response cache keyed by model + prompt hash (a re-run costs nothing);
* structured output that works on endpoints without ``json_schema``: json_schema →
  json_object → tool calling → JSON parsed out of (fenced) text; the first mode an
  endpoint rejects with 400 is not tried again in the run;
* no tiktoken: nothing here counts tokens.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field

from reviewer.llm.cache import ResponseCache, prompt_key
from reviewer.llm.config import STRUCTURED_MODES, LLMConfig
from reviewer.llm.structured import extract_json, looks_like_refusal

REPAIR_MESSAGE = (
    "上一条回复不是符合要求的 JSON。请只输出一个 JSON 对象，不要输出任何其他文字。"
    " / Your previous reply was not the required JSON object. Reply with the JSON object only."
)


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
    """A request that failed for good. ``kind``: timeout, rate_limit, server, connection,
    bad_request, refusal, invalid_json, breaker, other."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        self.stats: CallStats | None = None
        super().__init__(f"{kind}: {message}")


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
    def __init__(self, cfg: LLMConfig):
        _preload_httpx()
        self.cfg = cfg
        self.model = cfg.model or "gpt-4o-mini"
        self.cache = ResponseCache(cfg.cache_path)
        self._sem = threading.BoundedSemaphore(cfg.concurrency)
        self._lock = threading.Lock()
        self._unsupported: set[str] = set()
        self._consecutive_failures = 0.0
        self._broken = False
        self._llm = None

    # ------------------------------------------------------------------ plumbing
    @property
    def chat(self):
        if self._llm is None:
            from langchain_openai import ChatOpenAI

            with self._lock:
                if self._llm is None:
                    kw = dict(
                        model=self.model,
                        api_key=self.cfg.api_key or "sk-no-key-required",
                        timeout=self.cfg.timeout,
                        max_retries=0,  # retries are ours: configurable backoff, breaker
                        temperature=self.cfg.temperature,
                    )
                    if self.cfg.base_url:
                        kw["base_url"] = self.cfg.base_url
                    self._llm = ChatOpenAI(**kw)
        return self._llm

    def modes(self) -> list[str]:
        if self.cfg.structured != "auto":
            return [self.cfg.structured]
        return [m for m in STRUCTURED_MODES if m not in self._unsupported] or ["text"]

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

    def _invoke_once(self, messages: list, kwargs: dict):
        if self.cfg.stream:
            acc = None
            for chunk in self.chat.stream(messages, **kwargs):
                acc = chunk if acc is None else acc + chunk
            return acc
        return self.chat.invoke(messages, **kwargs)

    def invoke(self, messages: list, kwargs: dict, stats: CallStats):
        """One chat request with retries; returns the AIMessage. Raises LLMError."""
        import openai

        if self._broken:
            raise LLMError("breaker", "endpoint failed repeatedly; not called again in this run")
        last: Exception | None = None
        for attempt in range(self.cfg.max_retries + 1):
            try:
                with self._sem:
                    stats.calls += 1
                    msg = self._invoke_once(messages, kwargs)
                with self._lock:
                    self._consecutive_failures = 0.0
                return msg
            except openai.BadRequestError as e:  # 400: not retried
                raise LLMError("bad_request", str(e)) from e
            except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as e:
                self._trip(force=True, reason=str(e))
                raise LLMError("bad_request", str(e)) from e
            except openai.RateLimitError as e:
                last, kind = e, "rate_limit"
            except openai.APITimeoutError as e:
                last, kind = e, "timeout"
            except openai.APIConnectionError as e:
                last, kind = e, "connection"
            except openai.APIStatusError as e:
                if e.status_code < 500 and e.status_code not in (408, 409):
                    raise LLMError("bad_request", str(e)) from e
                last, kind = e, "server"
            except openai.OpenAIError as e:  # e.g. LengthFinishReasonError from .parse()
                raise LLMError("other", str(e)) from e
            if attempt < self.cfg.max_retries:
                stats.retries += 1
                time.sleep(self._sleep_for(attempt, last))
        if kind == "connection":  # refused / unreachable: the endpoint is down
            self._trip(reason=f"{kind}: {last}")
        elif kind == "timeout":  # slow answers may be long reports: count half
            self._trip(reason=f"{kind}: {last}", weight=0.5)
        raise LLMError(kind, str(last))

    def _trip(self, force: bool = False, reason: str = "", weight: float = 1.0) -> None:
        with self._lock:
            self._consecutive_failures += weight
            if (force or self._consecutive_failures >= self.cfg.breaker) and not self._broken:
                self._broken = True
                import sys

                print(f"大模型接口 {self.cfg.base_url or 'api.openai.com'} 连续失败，本次运行不再调用，仅保留确定性检查结果"
                      f"（{reason[:160]}） / the LLM endpoint keeps failing; not called again in this run",
                      file=sys.stderr, flush=True)

    # ------------------------------------------------------------------ structured output
    @staticmethod
    def _payload_text(msg) -> str:
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
        return (getattr(msg, "additional_kwargs", {}) or {}).get("refusal")

    def _mode_kwargs(self, mode: str, name: str, schema: dict) -> dict:
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

    def complete_json(self, system: str, user: str, *, name: str, schema: dict) -> JSONResult:
        """Ask for one JSON object following ``schema``. Cached by model + prompt hash.
        Raises LLMError (refusal / invalid_json / transport errors); its ``stats`` say
        how many requests the failure cost."""
        stats = CallStats()
        try:
            return self._complete_json(system, user, name, schema, stats)
        except LLMError as e:
            e.stats = stats
            raise

    def _complete_json(self, system: str, user: str, name: str, schema: dict, stats: CallStats) -> JSONResult:
        key = prompt_key(self.model, {"system": system, "user": user, "name": name, "schema": schema})
        hit = self.cache.get(key)
        if hit is not None:
            data = json.loads(hit)
            stats.cached = 1
            return JSONResult(data=data, mode="cache", cached=True, stats=stats)
        messages = [("system", system), ("user", user)]
        last_err: LLMError | None = None
        for mode in self.modes():
            try:
                msg = self.invoke(messages, self._mode_kwargs(mode, name, schema), stats)
            except LLMError as e:
                if e.kind == "bad_request" and self.cfg.structured == "auto" and mode != "text":
                    with self._lock:
                        self._unsupported.add(mode)
                    last_err = e
                    continue
                raise
            text = self._payload_text(msg)
            data = extract_json(text)
            if not isinstance(data, dict):
                refused = self._refusal(msg) or (text if looks_like_refusal(text) else None)
                # one repair round in the same mode
                stats.repairs += 1
                repair = messages + [("assistant", text or (refused or "")), ("user", REPAIR_MESSAGE)]
                msg2 = self.invoke(repair, self._mode_kwargs(mode, name, schema), stats)
                text2 = self._payload_text(msg2)
                data = extract_json(text2)
                if not isinstance(data, dict):
                    refused = refused or self._refusal(msg2) or (text2 if looks_like_refusal(text2) else None)
                    if refused:
                        raise LLMError("refusal", (refused or "")[:200])
                    raise LLMError("invalid_json", (text2 or "")[:200])
            self.cache.put(key, self.model, json.dumps(data, ensure_ascii=False))
            return JSONResult(data=data, mode=mode, cached=False, stats=stats)
        raise last_err or LLMError("bad_request", "no structured-output mode accepted")

    def close(self) -> None:
        self.cache.close()


_CLIENTS: dict[tuple, LLMClient] = {}
_CLIENTS_LOCK = threading.Lock()


def get_client(cfg: LLMConfig) -> LLMClient:
    """One client per configuration in a process (shares cache, semaphore, breaker);
    used by drafting and the UI. A batch's reviewer makes its own per run."""
    key = (cfg.base_url, cfg.model, cfg.api_key, cfg.timeout, cfg.max_retries, cfg.backoff, cfg.max_backoff,
           cfg.concurrency, cfg.cache_path, cfg.structured, cfg.stream, cfg.temperature, cfg.breaker)
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
