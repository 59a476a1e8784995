"""The chat's number check: every number of an answer grounded, or shown as not.

Stricter than drafts' :class:`reviewer.llm.numbers.NumberVerifier` (which accepts any
number found anywhere in the report): a chat answer is read next to the passages it was
given, so a number in it is

* ``passage``  — written in one of the passages retrieved for the question (what the model
  was shown and the answer cites; a value written with fewer decimals counts);
* ``computed`` — computed by jixiao for this report: recomputed rates, sums, differences,
  lost points, the rule flags' expected values (``report_computations(derived_only=True)``);
* ``year``     — a year the report names (2023), trivially restated;
* ``report``   — elsewhere in the report but in none of the passages and not computed: the
  answer does not show where it comes from; the caller marks it (［未核实］);
* ``invented`` — nowhere in the report and not computed; the caller removes its sentence.
"""

from __future__ import annotations

import re
from typing import Iterable, Literal

from pydantic import BaseModel, ConfigDict

from reviewer.llm.numbers import NumberToken, NumberVerifier, find_numbers, report_computations

Grounding = Literal["passage", "computed", "year", "report", "invented"]
UNVERIFIED_MARK = "［未核实］"
GROUNDED = ("passage", "computed", "year")
# a list item's own number at the start of a line ("1. …", "2、…", "3）…"): not a figure
LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*][ \t]*)?\d{1,2}(?:[.、)）](?!\d))")


class NumberGrounding(BaseModel):
    """One number of an answer and where it was found."""

    model_config = ConfigDict(frozen=True)

    text: str
    value: float
    start: int
    end: int
    grounding: Grounding


class ChatNumberCheck:
    """Where each number of a chat answer about one report comes from."""

    def __init__(self, passages: Iterable[str], computed: Iterable[float] = (), report_text: str = "",
                 years: Iterable[int] = ()):
        self.passages = NumberVerifier("\n".join(passages))
        self.computed = NumberVerifier("", computed)
        self.report = NumberVerifier(report_text)
        self.years = {int(y) for y in years}
        for n in find_numbers(report_text):  # the years the report names
            if n.decimals == 0 and not n.percent and 1990 <= n.value <= 2100 and len(n.text) == 4:
                self.years.add(int(n.value))

    def grounding(self, tok: NumberToken) -> Grounding:
        if self.passages.verified(tok):
            return "passage"
        if self.computed.verified(tok):
            return "computed"
        if tok.decimals == 0 and not tok.percent and int(tok.value) in self.years:
            return "year"
        if self.report.verified(tok):
            return "report"
        return "invented"

    def numbers(self, text: str, skip: Iterable[tuple[int, int]] = ()) -> list[NumberGrounding]:
        """Every number of ``text`` (outside the ``skip`` spans, e.g. citation markers, and
        list items' own numbers)."""
        spans = list(skip) + [m.span() for m in LIST_ITEM.finditer(text)]
        out = []
        for n in find_numbers(text):
            if any(a <= n.start < b for a, b in spans):
                continue
            out.append(NumberGrounding(text=n.text, value=n.value, start=n.start, end=n.end,
                                       grounding=self.grounding(n)))
        return out

    def ungrounded(self, text: str) -> list[NumberGrounding]:
        """The numbers of a shown answer that are neither grounded nor marked as unverified."""
        return [g for g in self.numbers(text) if g.grounding not in GROUNDED
                and not text.startswith(UNVERIFIED_MARK, g.end)]


def chat_check(parsed, report, rule_flags, passages: Iterable[str], profile=None) -> ChatNumberCheck:
    """The check for a chat answer about ``report`` given ``passages``."""
    computed = report_computations(report, [f for f in rule_flags if f.source == "rule"], profile, derived_only=True)
    years = [report.year] if isinstance(getattr(report, "year", None), int) else []
    return ChatNumberCheck(passages, computed, parsed.source.text[report.start:report.end], years)
