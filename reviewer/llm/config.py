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


def default_cache_path() -> str:
    from platformdirs import user_cache_dir

    return str(Path(user_cache_dir("jixiao")) / "llm-cache.sqlite3")


@dataclass
class LLMConfig:
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    timeout: float = 120.0
    max_retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0
    concurrency: int = 4
    cache_path: str | None = field(default_factory=default_cache_path)  # None = no cache
    structured: str = "auto"
    stream: bool = False
    temperature: float = 0.0
    max_report_chars: int = 16000
    breaker: int = 3  # consecutive failed requests (connection errors; timeouts count half) before the run stops calling

    @property
    def configured(self) -> bool:
        return bool(self.model or self.base_url)


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
    cfg.api_key = env.get(key_env) or env.get("OPENAI_API_KEY") or sect.get("api_key") or None
    for key, var, conv in (
        ("timeout", "JIXIAO_LLM_TIMEOUT", float),
        ("max_retries", "JIXIAO_LLM_MAX_RETRIES", int),
        ("backoff", "JIXIAO_LLM_BACKOFF", float),
        ("max_backoff", "JIXIAO_LLM_MAX_BACKOFF", float),
        ("concurrency", "JIXIAO_LLM_CONCURRENCY", int),
        ("temperature", "JIXIAO_LLM_TEMPERATURE", float),
        ("max_report_chars", None, int),
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
    v = pick("cache_path", "JIXIAO_LLM_CACHE")
    if v not in (None, ""):
        cfg.cache_path = None if str(v).strip().lower() in ("off", "none", "false", "0") else str(Path(str(v)).expanduser())
    cfg.concurrency = max(1, cfg.concurrency)
    cfg.max_retries = max(0, cfg.max_retries)
    return cfg
