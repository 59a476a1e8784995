"""Finding a model's quote in the source text.

Matching ignores whitespace, letter case and full-width/half-width variants of the same
punctuation mark or digit (，/, ：/: （/( ％/% １/1 …), nothing else; the
Evidence returned is always sliced from the source text by offsets, never retyped.
"""

from __future__ import annotations

import re

from reviewer.models import Evidence, SourceDocument

MIN_QUOTE_CHARS = 4  # shorter quotes ("的", "10分") prove nothing
_PUNCT = str.maketrans({
    "，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?",
    "“": '"', "”": '"', "‘": "'", "’": "'", "％": "%", "—": "-", "－": "-", "～": "~",
    "【": "[", "】": "]", "《": "<", "》": ">", "〈": "<", "〉": ">",
    **{chr(0xFF10 + i): str(i) for i in range(10)},
})
_ELLIPSIS = re.compile(r"…+|\.{3,}|。{3,}")
_WRAP = "\"'“”‘’「」『』《》 \t\n"


def _fold(s: str) -> str:
    return s.translate(_PUNCT).lower()


class QuoteFinder:
    """Whitespace-insensitive search in ``text[start:end]``."""

    def __init__(self, text: str, start: int = 0, end: int | None = None):
        end = len(text) if end is None else end
        self.text = text
        chars, offs = [], []
        for i in range(start, end):
            c = text[i]
            if c.isspace():
                continue
            chars.append(c)
            offs.append(i)
        self.compact = _fold("".join(chars))
        self.offs = offs

    def find(self, quote: str) -> tuple[int, int] | None:
        q = _fold("".join(ch for ch in quote if not ch.isspace()))
        if len(q) < MIN_QUOTE_CHARS:
            return None
        i = self.compact.find(q)
        if i < 0:
            return None
        return self.offs[i], self.offs[i + len(q) - 1] + 1

    def evidence(self, quote: str, source: SourceDocument) -> list[Evidence] | None:
        """Evidence for ``quote`` (split at ellipses; every part must be found), or None."""
        if not isinstance(quote, str):
            return None
        cands = [quote, quote.strip(_WRAP)]
        for cand in cands:
            parts = [p.strip(_WRAP) for p in _ELLIPSIS.split(cand)]
            parts = [p for p in parts if p]
            if not parts:
                continue
            spans = [self.find(p) for p in parts]
            if all(spans):
                return [Evidence(quote=source.quote(s, e), start=s, end=e, location=source.locate(s, e))
                        for s, e in spans]
        return None
