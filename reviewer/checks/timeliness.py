"""Claims that money was paid on time (按月及时结算, 按季度及时兑付) against the report's own
figures: a timeliness rate below its target, a payment dated in the next year, or one payment
for the whole year (D93)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import sentence_at
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.checks.indicator_rows import _compare, _met
from reviewer.lazy_re import lazy
from reviewer.models import Report
from reviewer.structure.sections import innermost_section

PAY = r"(?:结算|发放|兑付|兑现|拨付|支付)"
# 补贴均按月及时结算到服务机构, 补助资金按季度及时足额发放, 及时兑付
TIMELY_CLAIM = lazy(rf"(?:均|全部|已)?(?P<period>按月|按季度?)?(?:及时|按时|按期)(?:足额)?{PAY}")
# a timeliness indicator: 结算及时率, 兑付及时性, 按时发放率
TIMELY_ROW = lazy(r"及时率|及时性|按时率|按时.{0,4}率")
# paid in the year after the project year: 于2023年1月20日发放, 次年1月兑付
LATE_PAYMENT = lazy(rf"(?P<y>(?:19|20)\d{{2}})\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?[^，,。；;\n]{{0,6}}{PAY}|"
                    rf"(?:次年|下一?年度?)\s*\d{{0,2}}\s*月?[^，,。；;\n]{{0,6}}{PAY}")
# the whole year's money paid at once: 于第四季度集中审核兑付, 年底一次性发放
ONE_PAYMENT = lazy(rf"(?:集中|一次性)(?:审核|核算)?{PAY}")
PLAN_WORDS = lazy(r"计划|预计|要求|目标|确保|力争|应当|应于|将")


@rule("D93", "称及时发放却有延迟", kind="contradiction", severity="warning")
def timely_claim_against_figures(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A report that says the money was paid on time (按月及时结算, 按季度及时兑付) does not show,
    elsewhere, a timeliness rate below its target, a payment in the next year, or — for a
    monthly or quarterly schedule — the whole year's money paid at once.

    Bad:  补贴均按月及时结算到服务机构。 … 补贴按月结算及时率 | ≥95% | 88%
    Bad:  补助资金均按季度及时足额发放到教师个人账户。第四季度补助……于2023年1月20日发放。   (2022年度)
    Good: 前三季度补助按季度发放；第四季度补助因配套资金到位较晚，于2023年1月20日发放。
    """
    text = ctx.text
    claims = []
    for m in TIMELY_CLAIM.finditer(text, report.start, report.end):
        sec = innermost_section(report.sections, m.start())
        if sec is not None and sec.kind in ("problems", "measures", "goals"):
            continue  # what went wrong, what will be done, or what was planned: no claim
        s, e = sentence_at(text, m.start(), report.start, report.end)
        if PLAN_WORDS.search(text, s, m.start()):
            continue
        claims.append((m, s, e))
    if not claims:
        return
    m, s, e = claims[0]
    against = None
    for row in [*report.indicators, *report.prose_indicators]:
        cmp_ = _compare(row)
        if TIMELY_ROW.search(row.level3.text) and cmp_ is not None and not _met(*cmp_):
            against = (row.row, f"“{row.level3.text.strip()}”实际{row.actual.text.strip()}，未达到{row.target.text.strip()}")
            break
    if against is None and report.year is not None:
        for late in LATE_PAYMENT.finditer(text, report.start, report.end):
            if (late.group("y") is None or int(late.group("y")) == report.year + 1) and \
                    not PLAN_WORDS.search(text, sentence_at(text, late.start(), report.start, report.end)[0], late.start()):
                against = ((late.start(), late.end()), f"报告又写“{late.group().strip()}”")
                break
    # monthly or quarterly: said in the claim, or in the 指标值 cell just before it (按季度兑付 | 及时兑付)
    periodic = any(c.group("period") or re.search(r"按月|按季", text[max(report.start, c.start() - 12):c.start()])
                   for c, _, _ in claims)
    if against is None and periodic:
        one = ONE_PAYMENT.search(text, report.start, report.end)
        if one is not None:
            against = ((one.start(), one.end()), f"报告又写“{one.group()}”（全年一次，而非按期）")
    if against is None:
        return
    yield Finding(message=f"报告称“{m.group()}”，{against[1]}：前后矛盾", evidence=[(s, e), against[0]],
                  expected="如实说明延迟发放的情况及原因", stated=m.group())
