"""Offline answers about the figures of the 自评表 (no model needed).

A question about 执行率, 预算/资金, 得分, 等级 or one indicator is answered from the parsed
form: the value the report states, cited to its cell, next to the value our code
recomputes (with the formula), and the findings that concern those cells.  Every number
in an answer is either copied from the report or computed here.
"""

from __future__ import annotations

import re

from reviewer.checks._common import fmt
from reviewer.checks.indicator_rows import _compare, _met
from reviewer.models import Flag, IndicatorRow, NumberRef, Report, SourceDocument, TextRef
from reviewer.outputs.labels import severity_zh
from reviewer.structure.funds import total_row
from reviewer.structure.scores import grade_of

from ui.cell_citations import CitationList
from ui.chat import Answer
from ui.passages import Passage, grams

RATE_Q = re.compile(r"执行率")
BUDGET_Q = re.compile(r"预算|资金|执行数|支出|拨款|花了|经费")
SCORE_Q = re.compile(r"得分|总分|自评分|分数|打分|多少分|几分")
GRADE_Q = re.compile(r"等级|等次|评级|档次|优良")


def _stated(ref: NumberRef | TextRef | None, cited: CitationList) -> str:
    if ref is None:
        return "未填写"
    return f"{ref.text.strip()} {cited.link(ref.start, ref.end)}".rstrip()


def _related_flags(flags: list[Flag], refs: list[TextRef | None]) -> list[tuple[int, Flag]]:
    """Findings (numbered as in the flag list) whose evidence overlaps one of ``refs``."""
    spans = [(r.start, r.end) for r in refs if r is not None]
    out = []
    for n, f in enumerate(flags, 1):
        if any(ev.start < e and s < ev.end for ev in f.evidence for s, e in spans):
            out.append((n, f))
    return out


def _flag_lines(flags: list[Flag], refs: list[TextRef | None]) -> list[str]:
    related = _related_flags(flags, refs)
    if not related:
        return []
    lines = ["", "审阅发现（与上述单元格有关）："]
    for n, f in related:
        lines.append(f"- #{n} {f.rule}（{severity_zh(f.severity)}）{f.message}")
    return lines


# --------------------------------------------------------------------------- topics


def _rate_lines(report: Report, cited: CitationList) -> tuple[list[str], list[TextRef | None]] | None:
    tr = total_row(report.funds)
    if tr is None or (tr.rate is None and tr.executed is None):
        return None
    budget = tr.budget_full or tr.budget_initial
    lines = [f"**预算执行率**（{tr.name.text.strip()}，单位{report.funds.unit}）",
             f"- 报告填写：{_stated(tr.rate, cited)}"]
    if tr.executed is not None and budget is not None and budget.value > 0:
        rate = tr.executed.value / budget.value * 100
        diff = f"，与填写相差 {fmt(abs(rate - tr.rate.value))} 个百分点" if tr.rate is not None and tr.rate.unit == "%" else ""
        lines.append(f"- 按表重新计算：全年执行数 {tr.executed.text} {cited.link(tr.executed.start, tr.executed.end)} ÷ "
                     f"{'全年' if tr.budget_full else '年初'}预算数 {budget.text} {cited.link(budget.start, budget.end)} = **{fmt(rate)}%**{diff}")
        if tr.weight is not None and tr.score is not None and tr.weight.value < 50:
            exp = min(rate / 100, 1.0) * tr.weight.value
            lines.append(f"- 执行率得分：报告填写 {_stated(tr.score, cited)}，按执行率{fmt(min(rate, 100.0))}%（超过100%按100%计）"
                         f"× 分值{tr.weight.text} = **{fmt(exp)}**")
    else:
        lines.append("- 按表重新计算：表中缺少全年执行数或预算数，无法复算")
    return lines, [tr.rate, tr.executed, budget, tr.score]


def _budget_lines(report: Report, cited: CitationList) -> tuple[list[str], list[TextRef | None]] | None:
    funds = report.funds
    if funds is None or not funds.rows:
        return None
    tr = total_row(funds)
    lines = [f"**项目资金**（单位{funds.unit}）"]
    refs: list[TextRef | None] = []
    for row in funds.rows:
        cells = [("年初预算数", row.budget_initial), ("全年预算数", row.budget_full), ("全年执行数", row.executed)]
        shown = "，".join(f"{name} {_stated(ref, cited)}" for name, ref in cells if ref is not None)
        if shown:
            lines.append(f"- {row.name.text.strip()}：{shown}")
            refs += [ref for _, ref in cells]
    parts = [r for r in funds.rows if r is not tr]
    for attr, name in (("budget_full", "全年预算数"), ("executed", "全年执行数")):
        total = getattr(tr, attr, None) if tr is not None else None
        vals = [getattr(r, attr) for r in parts if getattr(r, attr) is not None]
        if total is not None and len(vals) >= 2:
            s = sum(v.value for v in vals)
            lines.append(f"- 复核：各来源{name}合计 {' + '.join(v.text for v in vals)} = **{fmt(s, 4)}**，"
                         f"总额填写 {total.text}" + ("，一致" if abs(s - total.value) < 0.005 else "，不一致"))
    if tr is not None and tr.executed is not None and (tr.budget_full or tr.budget_initial):
        budget = tr.budget_full or tr.budget_initial
        if budget.value > 0:
            lines.append(f"- 未执行：{budget.text} − {tr.executed.text} = **{fmt(budget.value - tr.executed.value, 4)}**{funds.unit}")
    return lines, refs


def _score_lines(report: Report, recomputed: float | None, cited: CitationList) -> tuple[list[str], list[TextRef | None]]:
    lines = ["**自评得分**", f"- 报告所述：{_stated(report.stated_total, cited)}"]
    for other in report.stated_totals:
        if report.stated_total is None or other.start != report.stated_total.start:
            lines.append(f"- 另一处所述：{_stated(other, cited)}")
    scored = [r for r in report.indicators if r.score is not None]
    if recomputed is not None and scored:
        terms = [r.score.text for r in scored]
        tr = total_row(report.funds)
        if tr is not None and tr.score is not None and tr.weight is not None and tr.weight.value < 50:
            terms.append(f"{tr.score.text}（预算执行率）")
        diff = ""
        if report.stated_total is not None:
            diff = f"，与所述相差 {fmt(recomputed - report.stated_total.value)} 分"
        lines.append(f"- 按表重新计算：各项得分合计 {' + '.join(terms)} = **{fmt(recomputed)}**{diff}")
    else:
        lines.append("- 按表重新计算：未能从自评表读出分项得分，无法复算")
    return lines, [report.stated_total, *report.stated_totals]


def _grade_lines(report: Report, recomputed: float | None, grade, cited: CitationList) -> tuple[list[str], list[TextRef | None]]:
    stated = grade_of(report.stated_grade)
    link = cited.link(report.stated_grade.start, report.stated_grade.end) if report.stated_grade else ""
    lines = ["**自评等级**", f"- 报告所述：{stated or '未写明'} {link}".rstrip()]
    if report.stated_total is not None:
        lines.append(f"- 按所述得分 {fmt(report.stated_total.value)} 分对应等级：**{grade(report.stated_total.value)}**")
    if recomputed is not None:
        lines.append(f"- 按重新计算的得分 {fmt(recomputed)} 对应等级：**{grade(recomputed)}**")
    if stated and recomputed is not None and stated != grade(recomputed):
        lines.append(f"- 结论：所述等级“{stated}”与复算得分对应的等级“{grade(recomputed)}”不一致")
    return lines, [report.stated_grade]


def match_indicator(question: str, report: Report) -> IndicatorRow | None:
    """The indicator row whose name the question names (its whole name, or most of its bigrams)."""
    q = re.sub(r"\s+", "", question)
    best, best_score = None, 0.0
    qg = {g for g in grams(q) if g.startswith("2:")}
    for row in report.indicators + report.prose_indicators:
        name = re.sub(r"^指标\d+[:：]?|\s+", "", row.level3.text)
        if not name:
            continue
        if name in q:
            score = 10.0 + len(name)
        else:
            ng = {g for g in grams(name) if g.startswith("2:")}
            shared = len(ng & qg)
            score = shared / max(len(ng), 1) if shared >= 2 else 0.0
        if score > best_score:
            best, best_score = row, score
    return best if best_score >= 0.5 else None


def _indicator_lines(row: IndicatorRow, cited: CitationList) -> tuple[list[str], list[TextRef | None]]:
    head = " › ".join(x for x in (row.level1, row.level2) if x)
    lines = [f"**{row.level3.text.strip()}**" + (f"（{head}）" if head else ""),
             f"- 指标值：{_stated(row.target, cited)}",
             f"- 完成值：{_stated(row.actual, cited)}"]
    if row.weight is not None or row.score is not None:
        lines.append(f"- 分值：{_stated(row.weight, cited)}；得分：{_stated(row.score, cited)}")
    cmp_ = _compare(row)
    if cmp_ is not None:
        op, target, actual = cmp_
        met = _met(op, target, actual)
        ratio = f"，完成比例 {fmt(actual)} ÷ {fmt(target)} = {fmt(actual / target * 100)}%" if target > 0 else ""
        lines.append(f"- 复核：{'已达到' if met else '未达到'}指标值{ratio}")
        if row.weight is not None and row.score is not None:
            w = row.weight.value
            if met:
                lines.append(f"- 按表重新计算得分：已达标，应得满分 **{fmt(w)}**，报告填写 {row.score.text}")
            elif op in ("≥", ">") and target > 0:
                lines.append(f"- 按表重新计算得分：{fmt(actual)} ÷ {fmt(target)} × {fmt(w)} = **{fmt(actual / target * w)}**，"
                             f"报告填写 {row.score.text}")
    elif row.target is not None and row.actual is not None:
        lines.append("- 复核：指标值或完成值不是可比较的数量，只能按定性指标判断")
    if row.reason is not None:
        lines.append(f"- 偏差原因：{_stated(row.reason, cited)}")
    return lines, [row.row, row.target, row.actual, row.weight, row.score]


def form_answer(question: str, report: Report, flags: list[Flag], passages: list[Passage], source: SourceDocument,
                recomputed: float | None, grade) -> Answer | None:
    """An answer from the parsed 自评表, or None when the question is not about its figures
    (or the form holds none of them). ``grade`` maps a total score to 优/良/中/差."""
    cited = CitationList(passages, source)
    row = match_indicator(question, report)
    if row is not None:
        got = _indicator_lines(row, cited)
    elif RATE_Q.search(question):
        got = _rate_lines(report, cited)
    elif GRADE_Q.search(question):
        got = _grade_lines(report, recomputed, grade, cited)
    elif SCORE_Q.search(question):
        got = _score_lines(report, recomputed, cited)
    elif BUDGET_Q.search(question):
        got = _budget_lines(report, cited)
    else:
        return None
    if got is None:
        return None
    lines, refs = got
    lines += _flag_lines(flags, refs)
    lines += ["", "（未配置大模型：以上数字取自报告的自评表，复算由本工具按表中数字计算；点击〔编号〕在原文中定位单元格。）"]
    return Answer(markdown="\n".join(lines), citations=cited.items, mode="form")
