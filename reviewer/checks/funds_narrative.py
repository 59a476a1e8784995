"""Rules on what the narrative says about the money: a funds section with no figure of what
was spent (D87)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import in_spans, table_spans
from reviewer.checks._narrative import NARR_RATE
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.lazy_re import lazy
from reviewer.models import Report
from reviewer.structure.funds import total_row

# what a spending figure is called: 支出, 执行, 使用, 拨付, 兑付, 发放 … of an amount or a rate
SPENT = lazy(r"支出|执行|使用|拨付|拨款|兑付|发放|支付|花费|结余|结转")
PERCENT = lazy(r"\d(?:[\d.]*)\s*[%％]")


@rule("D87", "资金使用无执行数据", kind="missing", severity="warning")
def funds_without_figures(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The report says how the money was used in figures: what was spent, or the execution
    rate. A funds section of compliance phrases alone, with no 执行数 anywhere in the report
    and no 自评表 giving it, leaves the execution unknown.

    Bad:  二、项目资金管理使用情况  项目资金实行专账核算、专款专用，按照工程进度拨付，未发现挤占挪用。
    Good: 二、项目资金管理使用情况  全年预算180万元，实际支出171.6万元，预算执行率95.33%。
    """
    tr = total_row(report.funds)
    if tr is not None and tr.executed is not None:
        return
    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    if any(not in_spans(m.start(), spans) for m in NARR_RATE.finditer(text, report.start, report.end)):
        return
    if any(SPENT.search(a.label) for a in report.amounts):
        return  # an amount spent (实际支出171.6万元), wherever the report gives it
    for sec in report.sections:
        if sec.kind != "funds" or not sec.body.text.strip():
            continue
        if report.truncated_at is not None and sec.body.end >= report.truncated_at - 1:
            continue  # the section runs to the cut: its figures may lie past it
        body = sec.body.text
        if re.search(r"\d", body) and (PERCENT.search(body) or re.search(r"万?元", body)):
            continue  # figures of its own (the amounts may carry labels this rule does not know)
        yield Finding(message=f"“{sec.heading.text.strip()}”只有资金管理的合规性表述，全文没有实际支出金额和预算执行率，"
                              "资金执行情况无从判断",
                      evidence=[sec.heading, sec.body], expected="实际支出金额及预算执行率", stated="无")
        return
