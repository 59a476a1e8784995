"""Character alignment of two versions of a report's text, with offsets mapped between them.

difflib (stdlib) does the alignment: lines first (cheap, hashable units), then characters
inside each replaced block of lines, so a one-figure edit in a long paragraph is a
one-character ``replace`` and not a whole changed line. A report is a few thousand to a few
tens of thousands of characters, well within what ``SequenceMatcher`` handles; a faster
library (rapidfuzz) would only add a dependency. ``autojunk`` is off: in Chinese text the
most frequent characters (的，。) are real content, not junk.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from difflib import SequenceMatcher

CHAR_BLOCK_LIMIT = 20000  # a replaced block longer than this on both sides stays one replace


@dataclass(frozen=True)
class Op:
    """One difflib opcode in absolute file offsets: old[a0:a1] → new[b0:b1]."""

    tag: str  # equal, replace, delete, insert
    a0: int
    a1: int
    b0: int
    b1: int


class TextAlignment:
    """The opcodes turning ``old`` into ``new`` (both slices of their files, starting at
    ``old_base`` and ``new_base``), in absolute offsets."""

    def __init__(self, old: str, new: str, old_base: int = 0, new_base: int = 0):
        self.old, self.new = old, new
        self.old_base, self.new_base = old_base, new_base
        self.ops: list[Op] = []
        a_lines, b_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        a_starts, b_starts = _starts(a_lines), _starts(b_lines)
        for tag, i0, i1, j0, j1 in SequenceMatcher(None, a_lines, b_lines, autojunk=False).get_opcodes():
            a0, a1, b0, b1 = a_starts[i0], a_starts[i1], b_starts[j0], b_starts[j1]
            if tag == "replace" and min(a1 - a0, b1 - b0) <= CHAR_BLOCK_LIMIT:
                sm = SequenceMatcher(None, old[a0:a1], new[b0:b1], autojunk=False)
                for t, x0, x1, y0, y1 in sm.get_opcodes():
                    self._add(t, a0 + x0, a0 + x1, b0 + y0, b0 + y1)
            else:
                self._add(tag, a0, a1, b0, b1)
        self._a_starts = [op.a0 for op in self.ops]

    def _add(self, tag: str, a0: int, a1: int, b0: int, b1: int) -> None:
        ob, nb = self.old_base, self.new_base
        self.ops.append(Op(tag, a0 + ob, a1 + ob, b0 + nb, b1 + nb))

    # ------------------------------------------------------------------ queries

    def changes(self) -> list[Op]:
        """The non-equal opcodes."""
        return [op for op in self.ops if op.tag != "equal"]

    def touched(self, start: int, end: int) -> list[Op]:
        """Non-equal opcodes that overlap old[start:end] (an insertion strictly inside counts)."""
        out = []
        for op in self.ops:
            if op.tag == "equal":
                continue
            if op.tag == "insert":
                if start < op.a0 < end:
                    out.append(op)
            elif op.a0 < end and op.a1 > start:
                out.append(op)
        return out

    def map_pos(self, pos: int) -> int:
        """The NEW offset for an OLD offset: exact inside an equal run, else the start of
        what replaced the old text (an end of a deleted stretch maps to where it was)."""
        if not self.ops:
            return self.new_base
        i = max(0, bisect.bisect_right(self._a_starts, pos) - 1)
        op = self.ops[i]
        if op.tag == "equal":
            return op.b0 + min(pos - op.a0, op.b1 - op.b0)
        if pos >= op.a1:
            return op.b1
        return op.b0

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """The NEW span an OLD span became (the replacement of any changed edge included)."""
        s = self.map_pos(start)
        i = max(0, bisect.bisect_right(self._a_starts, max(start, end - 1)) - 1)
        op = self.ops[i] if self.ops else None
        if op is not None and op.tag != "equal" and op.a0 < end:
            e = op.b1
        else:
            e = self.map_pos(end)
        return s, max(s, e)

    def surviving(self, start: int, end: int) -> float:
        """The share of old[start:end] found unchanged in NEW (0 = all of it deleted or replaced)."""
        if end <= start:
            return 1.0
        kept = sum(min(op.a1, end) - max(op.a0, start) for op in self.ops
                   if op.tag == "equal" and op.a0 < end and op.a1 > start)
        return kept / (end - start)

def _starts(lines: list[str]) -> list[int]:
    out = [0]
    for ln in lines:
        out.append(out[-1] + len(ln))
    return out
