"""The NEW version as a .docx with a Word comment (批注) on each finding that is still there
(仍存在) and on each passage carried over from the previous year, ready to send back.

The comments are written by :func:`reviewer.outputs.annotate.write_annotated`, the same
writer as ``jixiao annotate`` (a copy of a .docx with comments on its paragraphs and cells;
any other carrier becomes a new .docx of its text with comments on the quotes)."""

from __future__ import annotations

from pathlib import Path

from reviewer.compare.models import CompareResult
from reviewer.compare.run import Comparison
from reviewer.models import Evidence, Flag
from reviewer.outputs.annotate import AnnotateResult, write_annotated

STILL_OPEN = "【上一版已指出，仍未修正】"
CARRIED_RULE = "C01"  # compare only: 存在问题/改进措施 copied word for word from the previous year


def _carried_flags(r: CompareResult, cmp: Comparison, file: str) -> list[Flag]:
    out = []
    for c in r.carried_over:
        m = r.matches[c.pair]
        if m.new.file != file:
            continue
        src = cmp.new.files[file].source
        s, e = c.new_span
        out.append(Flag(file=file, report=m.new.index, title=m.new.title, rule=CARRIED_RULE, kind="boilerplate",
                        severity="warning", message=f"「{c.section}」与上一年度报告逐字相同（旧版 {c.old_location}），"
                        "应针对本年度的实际情况重新撰写",
                        evidence=[Evidence(quote=src.quote(s, e), start=s, end=e, location=src.locate(s, e))]))
    return out


def comment_flags(cmp: Comparison, file: str) -> list[Flag]:
    """The flags commented on in NEW file ``file``."""
    r = cmp.result
    flags = []
    for f in r.findings:
        if f.cls != "仍存在" or f.new is None or f.new.file != file:
            continue
        flags.append(f.new.model_copy(update={"message": STILL_OPEN + f.new.message}))
    return flags + _carried_flags(r, cmp, file)


def write_commented(cmp: Comparison, out_dir: Path) -> list[AnnotateResult]:
    """One ``<name>.对比批注.docx`` per NEW file that holds a matched report."""
    out: list[AnnotateResult] = []
    files = list(dict.fromkeys(m.new.file for m in cmp.result.matches))
    for file in files:
        parsed = cmp.new.files[file]
        target = out_dir / f"{Path(file).stem}.对比批注.docx"
        out.append(write_annotated(parsed, comment_flags(cmp, file), target))
    return out
