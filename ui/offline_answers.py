"""Which offline answer a question gets when no model is configured: the findings, the
copy findings, the figures of the 自评表, or (None) retrieved passages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.chat import Answer
from ui.finding_answers import copy_answer, finding_question, findings_answer
from ui.form_answers import form_answer

if TYPE_CHECKING:
    from ui.review import ReportView


def known_answer(question: str, view: ReportView) -> Answer | None:
    """An answer from what the tool computed for ``view``, or None (then the caller
    retrieves passages)."""
    from reviewer.profile import load_profile

    src = view.parsed.source
    topic = finding_question(question)
    if topic == "copy":
        return copy_answer(view.report, view.flags, view.passages, src)
    if topic == "problems":
        return findings_answer(view.report, view.flags, view.passages, src)
    return form_answer(question, view.report, view.flags, view.passages, src, view.recomputed, load_profile().grade)
