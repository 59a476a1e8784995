"""Answers that only echo the prompt: its output example ("问题表述", "措施表述"), its
placeholders or its instructions copied back.  Small local models do this; such an
answer is no answer (the caller keeps what it had, e.g. the template draft).

Only text with Chinese characters counts as content: ids, codes and enum values
("P1", "J01", "warning") are the same in any answer.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def content_strings(data: object) -> list[str]:
    """Every string value in ``data`` (nested) that holds Chinese text."""
    out: list[str] = []
    if isinstance(data, dict):
        for v in data.values():
            out.extend(content_strings(v))
    elif isinstance(data, list):
        for v in data:
            out.extend(content_strings(v))
    elif isinstance(data, str) and _CJK.search(data):
        out.append(data)
    return out


def echoed(text: str, prompt: str) -> bool:
    """True when ``text`` is copied from ``prompt`` (the instructions, not the data)."""
    t = _norm(text).strip("，。；;,.")
    return bool(t) and t in _norm(prompt)


def is_echo(data: object, prompt: str) -> bool:
    """True when every piece of Chinese text in ``data`` is copied from ``prompt``
    (and there is some): the model filled in nothing of its own."""
    texts = content_strings(data)
    return bool(texts) and all(echoed(t, prompt) for t in texts)
