"""Why a model call failed, said once, in Chinese and English, with the cause.

:class:`Failure` is what the user sees (``check`` on stderr, the batch summary,
errors.jsonl per report, the web app): a code ``llm_<kind>`` and two sentences that
name the endpoint and the cause (密钥无效 / 连接被拒绝 / 超时 / 回答被截断 …).
:func:`mode_notice` says that the server rejected a structured-output mode and which
one is used instead.
"""

from __future__ import annotations

from pydantic import BaseModel

# kinds of LLMError (reviewer.llm.client) and what each means for the user
_ZH_EN: dict[str, tuple[str, str]] = {
    "auth": ("大模型接口 {url} 拒绝了密钥（HTTP {status}，密钥无效）：请检查 {key_env}",
             "the LLM endpoint {url} rejected the API key (HTTP {status}, invalid key): check {key_env}"),
    "not_found": ("大模型接口 {url} 上没有模型 {model}（HTTP 404）：请检查 JIXIAO_MODEL",
                  "no model {model} at {url} (HTTP 404): check JIXIAO_MODEL"),
    "connection": ("无法连接大模型接口 {url}（连接被拒绝或无法访问）：请确认服务已启动、地址和端口正确",
                   "cannot connect to the LLM endpoint {url} (connection refused or unreachable): "
                   "is the server running at that address and port?"),
    "timeout": ("大模型接口 {url} 在 {timeout} 秒内没有回答（超时）：CPU 上运行的模型较慢，可调大 JIXIAO_LLM_TIMEOUT",
                "the LLM endpoint {url} did not answer within {timeout} s (time-out): "
                "a model on a CPU is slow, raise JIXIAO_LLM_TIMEOUT"),
    "rate_limit": ("大模型接口 {url} 请求过多（HTTP 429），重试后仍失败",
                   "the LLM endpoint {url} kept answering 429 (rate limit) after retries"),
    "server": ("大模型服务器出错（HTTP {status}），重试后仍失败：{detail}",
               "the LLM server failed (HTTP {status}) after retries: {detail}"),
    "context": ("提示超出模型的上下文长度（HTTP 400），缩短后仍超出：{detail}",
                "the prompt exceeds the model's context window (HTTP 400), also after shortening: {detail}"),
    "bad_request": ("大模型接口拒绝了请求（HTTP {status}）：{detail}",
                    "the LLM endpoint rejected the request (HTTP {status}): {detail}"),
    "truncated": ("大模型的回答被截断（达到 max_tokens={max_tokens} 仍未写完），重试一次后仍不完整，已丢弃且不缓存",
                  "the model's answer was cut off (max_tokens={max_tokens} reached), also on the one retry; "
                  "discarded, not cached"),
    "invalid_json": ("大模型的回答不是所要求的 JSON（修复一次后仍无效），已丢弃",
                     "the model's answer was not the required JSON (also after one repair round); discarded"),
    "echo": ("大模型只复述了提示中的示例或占位符，视为没有回答",
             "the model only echoed the prompt's example or placeholders; treated as no answer"),
    "refusal": ("大模型拒绝回答", "the model refused to answer"),
    "breaker": ("大模型接口 {url} 多次失败，本次运行不再调用，仅保留确定性检查结果",
                "the LLM endpoint {url} failed repeatedly; not called again in this run, rule checks only"),
    "other": ("大模型调用失败：{detail}", "the LLM call failed: {detail}"),
}
# kinds that concern the endpoint, not one report: the run stops calling after one of them
ENDPOINT_KINDS = ("auth", "not_found", "connection", "breaker")


class Failure(BaseModel):
    """One explained failure: ``code`` is ``llm_<kind>``."""

    code: str
    message_zh: str
    message_en: str

    @property
    def line(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def explain(kind: str, *, url: str | None = None, model: str | None = None, status: int | None = None,
            timeout: float | None = None, max_tokens: int | None = None, detail: str = "",
            key_env: str = "OPENAI_API_KEY") -> Failure:
    """The Chinese and English sentences for a failure of ``kind``."""
    zh, en = _ZH_EN.get(kind, _ZH_EN["other"])
    values = {
        "url": url or "api.openai.com", "model": model or "?", "status": status if status is not None else "?",
        "timeout": f"{timeout:g}" if timeout is not None else "?", "max_tokens": max_tokens or "?",
        "detail": (detail or kind).strip()[:160], "key_env": key_env,
    }
    return Failure(code=f"llm_{kind}", message_zh=zh.format(**values), message_en=en.format(**values))


def mode_notice(rejected: dict[str, str], chosen: str) -> str | None:
    """``服务器拒绝了 json_schema 请求（HTTP 500），改用 tools 模式 / …``; None when nothing was rejected."""
    if not rejected:
        return None
    zh = "、".join(f"{m} 请求（{why}）" for m, why in rejected.items())
    en = ", ".join(f"{m} requests ({why})" for m, why in rejected.items())
    use_zh = "改为从文字中读取 JSON" if chosen == "text" else f"改用 {chosen} 模式"
    use_en = "reading JSON out of plain text instead" if chosen == "text" else f"using {chosen} mode instead"
    return f"大模型服务器拒绝了 {zh}，{use_zh} / the LLM server rejected {en}; {use_en}"


SERIAL_NOTICE = ("大模型服务器一次只处理一个请求，并发数改为 1 / "
                 "the LLM server serves one request at a time; concurrency set to 1")
