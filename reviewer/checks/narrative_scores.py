"""Rules on scores written in the narrative: 应得−扣分, part scores, group scores, indicator counts."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import fmt, rows_cut
from reviewer.checks._narrative import (
    COUNT_CLAIM,
    DEDUCT,
    PART_CLAIM,
    PART_ITEM,
    PART_LIST_TOTAL,
    PART_SCORE,
)
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Report
from reviewer.structure.funds import total_row
from reviewer.structure.numbers import to_float


@rule("D32", "应得−扣分≠得分", kind="arithmetic", severity="error")
def deduction_arithmetic(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"应得X分，扣Y分，得分Z分" requires Z = X − Y.

    Bad:  本项应得分10分，扣10分，评价得分10分
    Good: 本项应得分10分，扣0分，评价得分10分
    """
    for m in DEDUCT.finditer(ctx.text, report.start, report.end):
        a, b, c = (to_float(m.group(k)) for k in "abc")
        if abs(a - b - c) > ctx.profile.score_tolerance:
            yield Finding(message=f"应得{m.group('a')}分 − 扣{m.group('b')}分 = {fmt(a - b)}分，文中得分{m.group('c')}分",
                          evidence=[(m.start(), m.end())], expected=fmt(a - b), stated=m.group("c"))


@rule("D39", "分项得分与总分", kind="arithmetic", severity="error")
def part_scores_vs_total(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Part scores written in the narrative ("产出指标（指标分值50分，得分50分）") add up to
    the stated total, when the report has no scored table to recompute from.

    Bad:  产出（得分50分）+ 效益（得分30分）+ 满意度（得分10分），自评得分98分
    Good: 产出50 + 效益30 + 满意度10 + 预算执行率8，自评得分98分
    """
    text = ctx.text
    for m in PART_LIST_TOTAL.finditer(text, report.start, report.end):
        items = list(PART_ITEM.finditer(m.group("items")))
        if len(items) < 2:
            continue
        ssum = sum(to_float(x.group("v")) for x in items)
        stated = to_float(m.group("tot"))
        if abs(ssum - stated) > ctx.profile.score_tolerance:
            yield Finding(message=f"各部分得分 {' + '.join(x.group('v') for x in items)} = {fmt(ssum)}分，合计写为{m.group('tot')}分",
                          evidence=[(m.start(), m.end())], expected=fmt(ssum), stated=m.group("tot"))
            return
    if report.stated_total is None or any(r.score is not None for r in report.indicators):
        return
    parts = list(PART_SCORE.finditer(ctx.text, report.start, report.end))
    if len(parts) < 2:
        return
    s = sum(to_float(m.group("s")) for m in parts)
    if abs(s - report.stated_total.value) > ctx.profile.score_tolerance:
        yield Finding(message=f"各部分得分 {' + '.join(m.group('s') for m in parts)} = {fmt(s)}分，自评得分写为{fmt(report.stated_total.value)}分",
                      evidence=[report.stated_total, *[(m.start(), m.end()) for m in parts]],
                      expected=fmt(s), stated=fmt(report.stated_total.value))


@rule("D40", "正文分值与自评表不符", kind="contradiction", severity="error")
def narrative_weights_vs_table(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Weights and scores the narrative gives for an indicator group match the 自评表.

    Bad:  成本指标方面共 10 分，得 10 分   (自评表: 成本指标 (30分))
    Good: 成本指标方面共 30 分，得 30 分
    """
    rows = report.indicators
    for m in PART_CLAIM.finditer(ctx.text, report.start, report.end):
        name = m.group("name")
        w = to_float(m.group("w")) if m.group("w") else None
        s = to_float(m.group("s") or m.group("s2"))
        subs = [x for x in report.subtotals if x.level in (1, 2) and re.sub(r"指标$", "", x.name) in (name, name + "指标")
                and not x.name.endswith("小计")]
        if not subs:
            continue
        sub = subs[0]
        if sub.members and max(sub.members) == len(rows) - 1 and rows_cut(report):
            continue  # the group's last rows may lie past where the text stops
        tw = sub.weight.value if sub.weight is not None else None
        if tw is None:
            ws = [rows[i].weight.value for i in sub.members if rows[i].weight is not None]
            tw = sum(ws) if ws else None
        scores = [rows[i].score.value for i in sub.members if rows[i].score is not None]
        ts = sum(scores) if scores else None
        if w is not None and tw is not None and abs(tw - w) > ctx.profile.score_tolerance:
            yield Finding(message=f"正文称{name}指标分值{fmt(w)}分，自评表中{sub.name}为{fmt(tw)}分",
                          evidence=[(m.start(), m.end()), sub.ref], expected=fmt(tw), stated=fmt(w))
        elif ts is not None and abs(ts - s) > ctx.profile.score_tolerance:
            yield Finding(message=f"正文称{name}指标得{fmt(s)}分，自评表中各项得分合计{fmt(ts)}分",
                          evidence=[(m.start(), m.end()), sub.ref], expected=fmt(ts), stated=fmt(s))


@rule("D48", "指标个数不符", kind="contradiction", severity="warning", absence=True)
def indicator_count(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"共设置14项指标" matches the number of indicators in the 自评表 (the 预算执行率
    counts as one when the funds table carries a weight).

    Bad:  自评表设置14项指标   (表中 1 + 11 = 12项)
    Good: 自评表设置12项指标
    """
    rows = [r for r in report.indicators if not r.empty]
    if not rows:
        return
    tr = total_row(report.funds)
    n_table = len(rows) + (1 if tr is not None and tr.weight is not None and tr.weight.value < 50 else 0)
    for m in COUNT_CLAIM.finditer(ctx.text, report.start, report.end):
        n = int(to_float(m.group("n")))
        if n not in (n_table, len(rows)):
            yield Finding(message=f"正文称设置{n}项指标，自评表中有{n_table}项" + ("（含预算执行率）" if n_table != len(rows) else ""),
                          evidence=[(m.start(), m.end())], expected=str(n_table), stated=str(n))
