"""Offsets into report text."""

from __future__ import annotations

import bisect
import itertools


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` with surrounding whitespace left out; offsets stay exact."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class SpanIndex:
    """Which of many (possibly nested) ``(start, end)`` ranges hold a position, in
    O(log n) per question instead of a scan of every range."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._reach = list(itertools.accumulate((e for _, e in spans), max))  # furthest end so far

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and self._reach[i] > pos
