"""Records that the batch and check commands produce and the output writers consume.

A :class:`FileOutcome` is everything one input file contributes to the outputs: its
grounded flags (with a display position per evidence quote), one :class:`ReportRecord`
per report, or an :class:`ErrorRecord` when the file could not be read.  It is plain
JSON, so the batch stores it as a resumable part file and assembles every output from
those parts.
"""

from __future__ import annotations

import bisect
import traceback
from collections import Counter

from pydantic import BaseModel, Field

from reviewer.models import SEVERITY_ORDER, Evidence, Flag, ReadError, SourceDocument


class ErrorRecord(BaseModel):
    """One line of errors.jsonl."""

    file: str
    code: str
    message_zh: str
    message_en: str
    report: int | None = None  # set when one report failed (e.g. its LLM review), not the file

    @classmethod
    def from_failure(cls, file: str, report: int, failure) -> "ErrorRecord":
        """A reviewer's explained failure for one report (``reviewer.llm.failures.Failure``)."""
        return cls(file=file, report=report, code=failure.code,
                   message_zh=f"{file}：报告{report + 1}：{failure.message_zh}",
                   message_en=f"{file}: report {report + 1}: {failure.message_en}")

    @classmethod
    def from_read_error(cls, file: str, err: ReadError) -> "ErrorRecord":
        return cls(file=file, code=err.code, message_zh=f"{file}：{err.zh}", message_en=f"{file}: {err.en}")

    @classmethod
    def from_exception(cls, file: str, exc: BaseException) -> "ErrorRecord":
        """An unexpected exception: code ``internal_error`` and the traceback's last line."""
        last = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
        return cls(file=file, code="internal_error", message_zh=f"{file}：内部错误（{last}）",
                   message_en=f"{file}: internal error ({last})")


class FlagRecord(BaseModel):
    """A flag plus a human-readable position for each of its evidence quotes
    (``line:col`` for .txt, ``Location.label()`` for .docx/.pdf)."""

    flag: Flag
    positions: list[str] = Field(default_factory=list)


class ReportRecord(BaseModel):
    """One line of reports.jsonl."""

    file: str
    index: int
    title: str
    project: str | None = None
    organisation: str | None = None
    year: int | None = None
    sections: list[str] = Field(default_factory=list)
    stated_score: float | None = None
    recomputed_score: float | None = None
    stated_grade: str | None = None
    flags: int = 0
    flags_by_severity: dict[str, int] = Field(default_factory=dict)
    flags_by_kind: dict[str, int] = Field(default_factory=dict)
    flags_by_source: dict[str, int] = Field(default_factory=dict)
    stats: dict[str, int] = Field(default_factory=dict)
    truncated_at: int | None = None  # offset where the report's text stops short (absence checks skipped)
    form_unread: bool = False  # a 自评表 header was seen but no row of it could be read
    warnings: list[str] = Field(default_factory=list)


class FileOutcome(BaseModel):
    """What one input file contributes to a run's outputs."""

    file: str
    format: str | None = None
    reports: list[ReportRecord] = Field(default_factory=list)
    flags: list[FlagRecord] = Field(default_factory=list)
    error: ErrorRecord | None = None
    report_errors: list[ErrorRecord] = Field(default_factory=list)  # a report's review failed in part (LLM)

    def error_records(self) -> list[ErrorRecord]:
        """Every line this file gives errors.jsonl: the file's own error, then its reports'."""
        return ([self.error] if self.error is not None else []) + list(self.report_errors)

    @property
    def ok(self) -> bool:
        return self.error is None


# --------------------------------------------------------------------------- helpers


def count_by(flags: list[Flag], attr: str) -> dict[str, int]:
    """Counts of ``flags`` by one attribute, keys sorted (severity in severity order)."""
    c = Counter(getattr(f, attr) for f in flags)
    key = (lambda k: SEVERITY_ORDER.get(k, 9)) if attr == "severity" else (lambda k: k)
    return {k: c[k] for k in sorted(c, key=key)}


class Positioner:
    """Turns an evidence span into a position label: the reader's location when the
    source has one (.docx/.pdf), otherwise 1-based ``line:col`` in the text."""

    def __init__(self, source: SourceDocument):
        self.source = source
        self._newlines: list[int] | None = None

    def line_col(self, offset: int) -> tuple[int, int]:
        if self._newlines is None:
            text = self.source.text
            nl, i = [], text.find("\n")
            while i >= 0:
                nl.append(i)
                i = text.find("\n", i + 1)
            self._newlines = nl
        line = bisect.bisect_left(self._newlines, offset)  # newlines strictly before offset
        line_start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - line_start + 1

    def label(self, ev: Evidence) -> str:
        if ev.location is not None:
            return ev.location.label()
        line, col = self.line_col(ev.start)
        return f"{line}:{col}"


def ground_flags(flags: list[Flag], source: SourceDocument) -> tuple[list[Flag], int, int]:
    """Keep only evidence that slices exactly from the source text.

    Returns ``(kept_flags, dropped_quotes, dropped_flags)``; a flag whose every quote is
    ungrounded is dropped.  Nothing is ever written that fails ``text[start:end] == quote``,
    ``text`` being the file's own text (not the copy with OCR misreadings fixed).
    """
    text = source.verbatim
    kept: list[Flag] = []
    dropped_q = dropped_f = 0
    for f in flags:
        good = [ev for ev in f.evidence if 0 <= ev.start < ev.end <= len(text) and text[ev.start:ev.end] == ev.quote]
        dropped_q += len(f.evidence) - len(good)
        if not good:
            dropped_f += 1
            continue
        if len(good) != len(f.evidence):
            f = f.model_copy(update={"evidence": good})
        assert all(text[e.start:e.end] == e.quote for e in f.evidence)
        kept.append(f)
    return kept, dropped_q, dropped_f
