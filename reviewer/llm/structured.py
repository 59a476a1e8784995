"""Getting JSON out of whatever an endpoint returns: a json_schema answer, json mode,
tool-call arguments, or JSON inside Markdown code fences / surrounded by prose."""

from __future__ import annotations

import json
import re

_FENCE = re.compile(r"```(?:json|JSON|javascript)?\s*\n?(.*?)```", re.S)
_THINK = re.compile(r"<think>.*?</think>", re.S)  # reasoning models (DeepSeek-R1, QwQ) via vLLM/Ollama
_REFUSAL = re.compile(
    r"(抱歉|很遗憾|无法(?:协助|提供|完成|回答)|不能(?:协助|提供|回答)|I'm sorry|I am sorry|I can(?:no|')t|I'm unable|I am unable)",
    re.I,
)


def _balanced(text: str, start: int) -> str | None:
    """The balanced {...} or [...] starting at ``start`` (strings respected)."""
    open_ch = text[start]
    close_ch = "}" if open_ch == "{" else "]"
    depth, in_str, esc = 0, False, False
    for i in range(start, len(text)):
        c = text[i]
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
            continue
        if c == '"':
            in_str = True
        elif c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    return None


def _loads(s: str):
    try:
        return json.loads(s)
    except ValueError:
        pass
    # common model slips: trailing commas, full-width quotes around keys
    t = re.sub(r",\s*([}\]])", r"\1", s)
    try:
        return json.loads(t)
    except ValueError:
        return None


def extract_json(text: str | None) -> dict | list | None:
    """The first JSON object (or array) in ``text``: whole text, fenced blocks, then the
    first balanced ``{...}``. None when there is none."""
    if not text:
        return None
    text = _THINK.sub("", text).strip()
    obj = _loads(text)
    if isinstance(obj, (dict, list)):
        return obj
    for m in _FENCE.finditer(text):
        obj = _loads(m.group(1).strip())
        if isinstance(obj, (dict, list)):
            return obj
    for i, c in enumerate(text):
        if c in "{[":
            cand = _balanced(text, i)
            if cand:
                obj = _loads(cand)
                if isinstance(obj, (dict, list)):
                    return obj
    return None


def looks_like_refusal(text: str | None) -> bool:
    return bool(text) and extract_json(text) is None and bool(_REFUSAL.search(text[:400]))
