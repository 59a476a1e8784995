"""LLM configuration: ``[tool.jixiao.llm]`` in the config file, environment on top.

=====================  ==========================  ======================================
config key             environment variable        meaning
=====================  ==========================  ======================================
base_url               OPENAI_BASE_URL             OpenAI-compatible endpoint (…/v1)
model                  JIXIAO_MODEL                model name
api_key_env            —                           name of the env var holding the key
                       OPENAI_API_KEY              the key (default when api_key_env unset)
timeout                JIXIAO_LLM_TIMEOUT          seconds per request (default 120)
max_retries            JIXIAO_LLM_MAX_RETRIES      retries on 429/5xx/timeouts (default 3)
backoff                JIXIAO_LLM_BACKOFF          first backoff in seconds, doubled each try
concurrency            JIXIAO_LLM_CONCURRENCY      parallel requests in a batch (default 4)
cache_path             JIXIAO_LLM_CACHE            SQLite cache file; "off" disables it
structured             JIXIAO_LLM_STRUCTURED       auto | json_schema | json_object | tools | text
stream                 JIXIAO_LLM_STREAM           1/true: stream responses (SSE)
temperature            JIXIAO_LLM_TEMPERATURE      default 0
max_report_chars       —                           report text passed to the model (default 16000)
max_tokens             JIXIAO_LLM_MAX_TOKENS       cap on the answer's tokens (default: per task,
                                                   review 1024, draft 1536, chat 512)
probe                  JIXIAO_LLM_PROBE            negotiate the endpoint's capabilities (default on)
context                JIXIAO_LLM_CONTEXT          the server's context size in tokens, for servers
                                                   that do not tell it (llama-cpp-python, Ollama)
=====================  ==========================  ======================================

An LLM counts as configured when a model or a base URL is given (environment or file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

NO_LLM_NOTICE = (
    "未配置大模型（OPENAI_BASE_URL/JIXIAO_MODEL），仅运行确定性检查 / "
    "no LLM configured (OPENAI_BASE_URL/JIXIAO_MODEL), running rule checks only"
)
STRUCTURED_MODES = ("json_schema", "json_object", "tools", "text")
# how many tokens each task may answer with: a review or a chat answer needs little; an
# endpoint that is sent no max_tokens generates until its context is full
TASK_MAX_TOKENS = {"review": 1024, "draft": 1536, "report_answer": 512, "chat": 512}
DEFAULT_MAX_TOKENS = 1024
DEFAULT_TIMEOUT = 120.0  # seconds; grows on a server measured slow unless the user sets one


def default_cache_path() -> str:
    from platformdirs import user_cache_dir

    return str(Path(user_cache_dir("jixiao")) / "llm-cache.sqlite3")


@dataclass
class LLMConfig:
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0
    concurrency: int = 4
    cache_path: str | None = field(default_factory=default_cache_path)  # None = no cache
    structured: str = "auto"
    stream: bool = False
    temperature: float = 0.0
    max_report_chars: int = 16000
    max_tokens: int | None = None  # None: the task's own limit (TASK_MAX_TOKENS)
    probe: bool = True  # negotiate modes, context size and parallelism once per run
    context: int | None = None  # tokens; None: asked from the server
    api_key_env: str | None = None
    breaker: int = 3  # consecutive failed requests (connection errors; timeouts count half) before the run stops calling

    @property
    def timeout_auto(self) -> bool:
        """True when no time-out was set (it may grow to fit a slow server)."""
        return self.timeout == DEFAULT_TIMEOUT

    @property
    def configured(self) -> bool:
        return bool(self.model or self.base_url)


def task_max_tokens(cfg: LLMConfig, task: str) -> int:
    """The answer budget of ``task``, capped by the configured ``max_tokens``."""
    n = TASK_MAX_TOKENS.get(task, DEFAULT_MAX_TOKENS)
    return min(n, cfg.max_tokens) if cfg.max_tokens else n


def _bool(v) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("1", "true", "yes", "on")


def load_llm_config(config: dict | None = None, env: dict | None = None) -> LLMConfig:
    """The LLM settings: ``config`` is the ``[tool.jixiao]`` table (loaded from the config
    file when None or empty); environment variables take precedence."""
    if not config:
        try:
            from reviewer.profile import load_config

            config = load_config()
        except Exception:  # a broken config file must not break --no-llm style runs here
            config = {}
    env = os.environ if env is None else env
    sect = dict((config or {}).get("llm", {}) or {})
    cfg = LLMConfig()

    def pick(key: str, var: str | None):
        if var and env.get(var) not in (None, ""):
            return env[var]
        return sect.get(key)

    cfg.base_url = pick("base_url", "OPENAI_BASE_URL") or None
    cfg.model = pick("model", "JIXIAO_MODEL") or None
    key_env = sect.get("api_key_env") or "OPENAI_API_KEY"
    cfg.api_key_env = key_env
    cfg.api_key = env.get(key_env) or env.get("OPENAI_API_KEY") or sect.get("api_key") or None
    for key, var, conv in (
        ("timeout", "JIXIAO_LLM_TIMEOUT", float),
        ("max_retries", "JIXIAO_LLM_MAX_RETRIES", int),
        ("backoff", "JIXIAO_LLM_BACKOFF", float),
        ("max_backoff", "JIXIAO_LLM_MAX_BACKOFF", float),
        ("concurrency", "JIXIAO_LLM_CONCURRENCY", int),
        ("temperature", "JIXIAO_LLM_TEMPERATURE", float),
        ("max_report_chars", None, int),
        ("max_tokens", "JIXIAO_LLM_MAX_TOKENS", int),
        ("context", "JIXIAO_LLM_CONTEXT", int),
        ("breaker", None, int),
    ):
        v = pick(key, var)
        if v not in (None, ""):
            setattr(cfg, key, conv(v))
    v = pick("structured", "JIXIAO_LLM_STRUCTURED")
    if v:
        v = str(v).strip().lower()
        if v != "auto" and v not in STRUCTURED_MODES:
            raise ValueError(f"structured = {v!r}: expected auto or one of {', '.join(STRUCTURED_MODES)}")
        cfg.structured = v
    v = pick("stream", "JIXIAO_LLM_STREAM")
    if v not in (None, ""):
        cfg.stream = _bool(v)
    v = pick("probe", "JIXIAO_LLM_PROBE")
    if v not in (None, ""):
        cfg.probe = _bool(v)
    v = pick("cache_path", "JIXIAO_LLM_CACHE")
    if v not in (None, ""):
        cfg.cache_path = None if str(v).strip().lower() in ("off", "none", "false", "0") else str(Path(str(v)).expanduser())
    cfg.concurrency = max(1, cfg.concurrency)
    cfg.max_retries = max(0, cfg.max_retries)
    return cfg
