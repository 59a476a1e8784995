"""What an endpoint can do, found out once per run and kept on disk.

Before the first real request of a run the client *negotiates* (:func:`negotiate`):

* the structured-output modes: a tiny request per mode (json_schema, json_object, tools)
  until one returns the JSON asked for; a mode that fails in *any* way (400, 500, no JSON)
  is recorded with its cause and not used; plain text is the last resort;
* the context size, when the server tells it (``max_model_len`` in ``/v1/models`` as vLLM
  gives it, ``n_ctx``/``meta.n_ctx_train`` of llama.cpp and llama-cpp-python, ``/props``
  of llama.cpp's server);
* whether requests are served in parallel: two small requests at once take about as long
  as one on a server that batches, twice as long on one that serves one at a time;
* how long a generated token takes, so time-outs fit a slow CPU server.

The result is stored next to the LLM cache (``llm-capabilities.json``), keyed by base URL
+ model, and reused for a day; nothing is stored when the endpoint could not be reached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from reviewer.llm.structured import extract_json

if TYPE_CHECKING:  # pragma: no cover
    from reviewer.llm.client import LLMClient

PROBE_MARK = "jixiao-probe"  # lets a test server tell probes from real requests
PROBE_SYSTEM = f"只输出 JSON，不要输出其他文字。({PROBE_MARK})"
PROBE_USER = '请原样输出这个 JSON 对象：{"ok": true}'
PROBE_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
PROBE_MAX_TOKENS = 16
COUNT_USER = "请从1数到30，用逗号分隔。"  # a little generation, for timing
COUNT_MAX_TOKENS = 48
QUICK = 0.2  # seconds: a request quicker than this is mostly overhead, parallelism not measured
MAX_AGE = 24 * 3600.0  # seconds a stored negotiation is trusted
SERIAL_RATIO = 1.6  # two requests at once taking this many times one request: served one at a time
PROBED_MODES = ("json_schema", "json_object", "tools")
SLOW_TOKEN = 0.05  # seconds per generated token (under 20 tokens/s): a slow (CPU) server


class Capabilities(BaseModel):
    base_url: str
    model: str
    modes: list[str] = Field(default_factory=list)  # usable modes, best first ("text" always last)
    rejected: dict[str, str] = Field(default_factory=dict)  # mode → why it failed
    context_tokens: int | None = None
    parallel: bool | None = None  # None: not measured (concurrency 1)
    seconds_per_token: float | None = None
    chars_per_token: float = 1.0  # lowered when the server says a prompt did not fit
    probe_calls: int = 0
    probed_at: float = 0.0


def endpoint_key(base_url: str | None, model: str) -> str:
    return hashlib.sha1(f"{base_url or 'openai'}\x00{model}".encode("utf-8")).hexdigest()[:16]


class CapabilityStore:
    """A JSON file of :class:`Capabilities` by endpoint key (``path=None``: memory only)."""

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._negotiation = threading.Lock()  # not _lock: get/put take that one inside
        self._mem: dict[str, Capabilities] = {}

    @staticmethod
    def beside_cache(cache_path: str | None) -> "CapabilityStore":
        return CapabilityStore(Path(cache_path).with_name("llm-capabilities.json") if cache_path else None)

    def _read(self) -> dict:
        if self.path is None or not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def get(self, key: str) -> Capabilities | None:
        with self._lock:
            caps = self._mem.get(key)
            if caps is None:
                raw = self._read().get(key)
                try:
                    caps = Capabilities.model_validate(raw) if raw else None
                except ValueError:
                    caps = None
        if caps is None or time.time() - caps.probed_at > MAX_AGE:
            return None
        return caps

    @contextlib.contextmanager
    def negotiating(self):
        """Held while one process negotiates: the batch's other worker processes wait
        and then read the result instead of probing (and saying it) again."""
        with self._negotiation if self.path is None else contextlib.nullcontext():
            if self.path is None:
                yield
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_suffix(".lock"), "w") as fh:
                try:
                    import fcntl

                    fcntl.flock(fh, fcntl.LOCK_EX)
                except (ImportError, OSError):  # no flock (Windows): each process probes
                    pass
                yield

    def put(self, key: str, caps: Capabilities) -> None:
        with self._lock:
            self._mem[key] = caps
            if self.path is None:
                return
            data = self._read()
            data[key] = caps.model_dump(mode="json")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.path.with_suffix(".tmp")
                tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
                tmp.replace(self.path)
            except OSError:
                pass


def _server_root(base_url: str) -> str:
    root = base_url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def _int(v) -> int | None:
    try:
        n = int(v)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def context_from_models(payload: dict) -> int | None:
    """The context size in a ``/v1/models`` answer (vLLM ``max_model_len``, llama.cpp
    ``meta.n_ctx_train``, or an ``n_ctx``/``context_length`` field)."""
    for m in (payload or {}).get("data") or []:
        if not isinstance(m, dict):
            continue
        meta = m.get("meta") if isinstance(m.get("meta"), dict) else {}
        for v in (m.get("max_model_len"), m.get("n_ctx"), m.get("context_length"), meta.get("n_ctx"),
                  meta.get("n_ctx_train")):
            if _int(v):
                return _int(v)
    return None


def read_context(base_url: str | None, api_key: str | None, timeout: float) -> int | None:
    """Ask the server for its context size; None when it does not say."""
    if not base_url:
        return None
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        with httpx.Client(timeout=timeout, trust_env=False) as c:
            r = c.get(base_url.rstrip("/") + "/models", headers=headers)
            if r.status_code == 200:
                n = context_from_models(r.json())
                if n:
                    return n
            r = c.get(_server_root(base_url) + "/props", headers=headers)  # llama.cpp's server
            if r.status_code == 200:
                gen = (r.json() or {}).get("default_generation_settings") or {}
                return _int(gen.get("n_ctx")) or _int((gen.get("params") or {}).get("n_ctx"))
    except Exception:  # noqa: BLE001 — the size is optional
        return None
    return None


def _probe(client: "LLMClient", mode: str) -> tuple[bool, str]:
    """One tiny request in ``mode``: (worked, why not)."""
    from reviewer.llm.client import CallStats

    msg = client.invoke([("system", PROBE_SYSTEM), ("user", PROBE_USER)],
                        client.mode_kwargs(mode, "probe", PROBE_SCHEMA), CallStats(),
                        max_tokens=PROBE_MAX_TOKENS, retries=0, probing=True)
    text = client.payload_text(msg)
    data = extract_json(text)
    if isinstance(data, dict) and "ok" in data:
        return True, ""
    if not text:
        return False, "空回答 / empty answer"
    return False, "回答不是所要求的 JSON / not the JSON asked for"


def _timed(client: "LLMClient") -> tuple[float, int]:
    """One plain request that generates a little: (seconds, tokens generated)."""
    from reviewer.llm.client import CallStats

    t0 = time.perf_counter()
    msg = client.invoke([("system", PROBE_SYSTEM), ("user", COUNT_USER)], {}, CallStats(),
                        max_tokens=COUNT_MAX_TOKENS, retries=0, probing=True)
    took = time.perf_counter() - t0
    tokens = (getattr(msg, "usage_metadata", None) or {}).get("output_tokens") or len(client.payload_text(msg)) or 1
    return took, int(tokens)


def _parallel(client: "LLMClient", single: float) -> bool | None:
    """Two requests at once: about as long as one → served in parallel; about twice as
    long → one at a time. None when one request is too quick to tell."""
    if single < QUICK:
        return None
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as ex:
        list(ex.map(lambda _: _timed(client), range(2)))
    return (time.perf_counter() - t0) < SERIAL_RATIO * single


def negotiate(client: "LLMClient") -> Capabilities:
    """Probe the endpoint (see the module docstring). Raises LLMError for failures of the
    endpoint itself (wrong key, connection refused, time-out): nothing is stored then."""
    from reviewer.llm.client import LLMError

    cfg = client.cfg
    caps = Capabilities(base_url=cfg.base_url or "openai", model=client.model)
    caps.context_tokens = cfg.context or read_context(cfg.base_url, cfg.api_key, min(cfg.timeout, 10.0))
    candidates = list(PROBED_MODES) if cfg.structured == "auto" else [cfg.structured]
    for mode in candidates:
        if mode == "text":
            break
        try:
            ok, why = _probe(client, mode)
        except LLMError as e:
            caps.probe_calls += 1
            if e.kind in ("auth", "not_found", "connection", "timeout", "breaker", "rate_limit"):
                raise
            caps.rejected[mode] = e.short
            continue
        caps.probe_calls += 1
        if ok:
            caps.modes = [mode]
            break
        caps.rejected[mode] = why
    if cfg.structured == "auto" or not caps.modes:
        caps.modes.append("text")
    _timed(client)  # warm: connections, the server's prompt cache
    single, tokens = _timed(client)
    caps.probe_calls += 2
    spt = single / max(tokens, 1)
    caps.seconds_per_token = spt if spt >= SLOW_TOKEN else None  # only a slow server needs longer time-outs
    if cfg.concurrency > 1:
        caps.parallel = _parallel(client, single)
        caps.probe_calls += 2 if caps.parallel is not None else 0
    caps.probed_at = time.time()
    return caps
