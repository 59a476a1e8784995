"""Drafting tab: 存在问题 / 改进措施 for one report, editable, downloadable as .docx.

The draft comes from ``reviewer.llm.draft`` (LLM when configured, its deterministic
template otherwise).  While that module is absent this falls back to a small template
built from the report's own flags, so the tab always works.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from docx import Document

from ui.review import ReportView

log = logging.getLogger(__name__)

_MEASURE_BY_KIND = {
    "arithmetic": "复核自评表与资金表数据，按“执行数 ÷ 预算数”重新计算执行率和得分，确保报告数字与财务数据一致。",
    "contradiction": "统一报告正文与自评表的表述和数据，对不一致之处逐项核实更正。",
    "missing": "按财预〔2020〕10号要求补齐缺失的指标、目标值、实际完成值和偏差原因分析。",
    "boilerplate": "结合本项目实际情况撰写分析，避免套用模板化表述，用具体数据说明绩效情况。",
    "vague_problems": "将存在问题具体到指标和金额，说明原因、影响和责任，避免笼统表述。",
    "score_inflation": "严格对照评分标准自评，对未完成或有偏差的指标如实扣分并说明原因。",
    "format": "按规定格式填报，规范指标名称、计量单位和数值表述。",
}


_NUM = re.compile(r"^\s*[0-9０-９]+[.、．]\s*")


def _lines(items) -> str:
    clean = [_NUM.sub("", str(s)).strip() for s in items]
    return "\n".join(f"{i}. {s}" for i, s in enumerate((c for c in clean if c), 1))


def _template(view: ReportView) -> tuple[list[str], list[str], str]:
    from reviewer.llm.flag_problems import problem_from_flag

    problems: list[str] = []
    measures: list[str] = []
    seen_kinds: list[str] = []
    for f in view.flags:
        if f.severity == "info":
            continue
        problems.append(problem_from_flag(f))  # the finding in the report's figures, no reviewer's working
        if f.kind not in seen_kinds:
            seen_kinds.append(f.kind)
    for k in seen_kinds:
        if k in _MEASURE_BY_KIND:
            measures.append(_MEASURE_BY_KIND[k])
    for ind in view.report.indicators:
        if ind.reason is None and ind.weight and ind.score and ind.score.value < ind.weight.value - 1e-9:
            problems.append(f"“{ind.level3.text.strip()}”指标未满分（{ind.score.text}/{ind.weight.text}），报告未分析偏差原因。")
    if not problems:
        problems.append("（未发现需要列为存在问题的偏差，请结合项目实际补充。）")
    if not measures:
        measures.append("（请结合存在问题逐条提出有针对性的改进措施。）")
    return problems[:12], measures[:12], "模板草稿（根据审阅发现生成，请人工修改完善）"


def make_draft(view: ReportView) -> tuple[str, str, str, object]:
    """(存在问题 text, 改进措施 text, note, draft object or None) — one numbered item per line.

    Uses ``reviewer.llm.draft.draft_report`` (the model when configured, else its template);
    a local template when that module is missing or fails."""
    try:
        from reviewer.llm.draft import draft_report
    except ImportError:
        draft_report = None
    if draft_report is not None:
        try:
            from reviewer.profile import load_profile

            no_llm = os.environ.get("JIXIAO_UI_NO_LLM", "").lower() in ("1", "true", "yes")
            d = draft_report(view.parsed, view.report, view.flags, use_llm=False if no_llm else None,
                             profile=load_profile())
            note = getattr(d, "label", "") or ("大模型草稿" if getattr(d, "mode", "") == "llm" else "模板草稿")
            notes = list(getattr(d, "notes", []) or [])
            if notes:
                note += "\n\n" + "\n\n".join(f"注：{n}" for n in notes)
            return (_lines(p.text for p in d.problems), _lines(m.text for m in d.measures), note, d)
        except Exception:  # noqa: BLE001 — fall back to the local template
            log.exception("drafting failed")
            p, m, note = _template(view)
            return _lines(p), _lines(m), f"{note}；起草模块出错（详情见服务端日志），以下为简化草稿", None
    p, m, note = _template(view)
    return _lines(p), _lines(m), note, None


def _split(text: str) -> list[str]:
    out = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*[0-9０-９]+[.、．]\s*", "", line).strip()
        if line:
            out.append(line)
    return out


def draft_docx(view: ReportView | None, problems: str, measures: str, out_path: str | Path,
               original=None) -> Path:
    """A .docx with the edited 存在问题 and 改进措施 (through ``reviewer.llm.draft.write_docx``
    when the draft came from there, keeping each unchanged item's evidence)."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if original is not None:
        try:
            import dataclasses

            from reviewer.llm.draft import DraftItem, write_docx

            def items(text: str, old: list) -> list:
                by_text = {i.text: i for i in old}
                return [by_text.get(t) or DraftItem(text=t) for t in _split(text)]

            edited = dataclasses.replace(original, problems=items(problems, original.problems),
                                         measures=items(measures, original.measures))
            return write_docx([edited], out)
        except Exception:  # noqa: BLE001 — write the plain version below
            pass
    from reviewer.outputs.wordstyle import set_cjk_font

    doc = Document()
    set_cjk_font(doc)
    title = (view.report.title if view else "") or "绩效自评报告"
    doc.add_heading(f"{title} —— 存在问题及改进措施", level=1)
    for heading, items in (("（一）存在问题", _split(problems)), ("（二）改进措施", _split(measures))):
        doc.add_heading(heading, level=2)
        for i, item in enumerate(items, 1):
            doc.add_paragraph(f"{i}. {item}")
    doc.save(str(out))
    return out
