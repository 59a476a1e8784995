"""Rules on what an indicator row's 指标值 and 完成值 say: the template's own answer options
left in as the result (D68), a completion percentage written where a measurement belongs
(D69), an indicator named by reference to the application form instead of by what it
measures (D71), a 成本指标 with no amount or unit price (D79), and stock words as the result of
an indicator whose target is a number (D80). A target that is only a word of improvement (不断提升) is D16C's."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import stops_in
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.checks.indicator_rows import VAGUE_TARGET
from reviewer.models import IndicatorRow, Report
from reviewer.lazy_re import lazy

_SEP = r"[/／、|｜,，\s]?"
# the answer options a template prints for a 定性 indicator, left as they are: 好坏, 是/否, 优良中差,
# 高中低, 有/无, 达到/未达到, 合格/不合格 (optionally with the check boxes of a printed form)
TEMPLATE_OPTIONS = lazy(
    rf"^(?:好{_SEP}(?:较好{_SEP})?(?:一般{_SEP})?[坏差]|是{_SEP}否|优{_SEP}良{_SEP}(?:中{_SEP})?差|"
    rf"高{_SEP}(?:中{_SEP})?低|有{_SEP}无|(达到|达标|完成|合格|满意|符合){_SEP}(?:未|不){_SEP}\1)$")


def _options(text: str) -> bool:
    return bool(TEMPLATE_OPTIONS.match(re.sub(r"[\s□☐■☑√。.]+", "", text)))


@rule("D68", "完成值为模板选项", kind="missing", severity="warning")
def template_options_as_result(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The 完成值 of a 定性 indicator is the template's list of answers ("好坏", "是/否",
    "优良中差") instead of the grade that was reached: the row states no result.

    Bad:  图书馆管理机制健全性 | 定性 | 好坏 | 好坏 | 5 | 5
    Good: 图书馆管理机制健全性 | 定性 | 好 | 好 | 5 | 5
    """
    rows = [r for r in report.indicators if r.actual is not None and _options(r.actual.text)]
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”（{r.actual.text.strip()}）" for r in rows[:4])
        yield Finding(message=f"{len(rows)}项指标的完成值照填模板选项：{names}，没有写出实际达到的等级或结果",
                      evidence=[r.row for r in rows], expected="实际达到的等级", stated=rows[0].actual.text.strip())


COMPLETION_ONLY = lazy(r"^(?:已|均已|全部)?(?:全部)?完成(?:率)?(?:为|达)?\s*100\s*[%％]$|^100\s*[%％]\s*(?:已)?完成$")
# names of indicators whose result is itself a completion or progress rate
RATE_NAME = lazy(r"完成率|完成情况|完成进度|进度|执行率|到位率|拨付率|兑现率|发放率|覆盖率|及时率|按时|完成")


def _completion_only(r: IndicatorRow) -> bool:
    if r.actual is None or not COMPLETION_ONLY.match(re.sub(r"\s+", "", r.actual.text)):
        return False
    return not RATE_NAME.search(r.level3.text) and not r.level2.startswith("时效")


@rule("D69", "完成值只写完成比例", kind="missing", severity="warning")
def completion_instead_of_measurement(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 完成值 of "已完成100%" on an indicator that measures something else (a count, a cost,
    a satisfaction rate, a benefit) says the work was done, not what was measured: write the
    count, the money spent, the surveyed satisfaction.

    Bad:  群众满意度 | 90% | 已完成100%          成本 | 10万元 | 已完成100%
    Good: 群众满意度 | ≥90% | 95.2%（问卷320份）   成本 | ≤10万元 | 9.6万元
    """
    rows = [r for r in report.indicators if _completion_only(r)]
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”（{r.actual.text.strip()}）" for r in rows[:4])
        yield Finding(message=f"{len(rows)}项指标的完成值只写完成比例：{names}，没有写出实际的数量、金额或调查结果",
                      evidence=[r.row for r in rows], expected="实测结果", stated=rows[0].actual.text.strip())


BY_REFERENCE = lazy(r"(?:绩效目标)?申报表|申报(?:的|时)(?:数量|内容|目标|任务|标准)|年初(?:设定|申报|确定)的(?:数量|内容|目标|任务|标准)")


@rule("D71", "指标内容引用申报表", kind="boilerplate", severity="warning")
def indicator_by_reference(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """An indicator named by reference to another document ("是否完成绩效目标申报表中申报的数量")
    says neither what is counted nor how much: name the output and give its target.

    Bad:  数量指标 | 是否完成绩效目标申报表中申报的数量 | 是 | 是 | 12.5 | 12.5
    Good: 数量指标 | 清扫保洁城市道路 | 20条 | 20条 | 12.5 | 12.5
    """
    rows = [r for r in report.indicators if BY_REFERENCE.search(re.sub(r"\s+", "", r.level3.text))]
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”" for r in rows[:4])
        yield Finding(message=f"{len(rows)}项指标只引用申报表或年初目标，没有写明具体内容和数值：{names}",
                      evidence=[r.row for r in rows], expected="具体指标名称和指标值", stated=rows[0].level3.text.strip())


@rule("D79", "成本指标无金额", kind="missing", severity="warning")
def cost_without_money(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 成本指标 caps what the output may cost: its 指标值 and 完成值 need an amount or a unit
    price, not words ("控制在预算范围内", "成本合理").

    Bad:  成本指标 | 成本控制 | 控制在预算范围内 | 已控制
    Good: 成本指标 | 每公里维修成本 | ≤3万元 | 2.9万元
    """
    # (the 101号 form files money costs as 一级 成本指标, 二级 经济成本指标; 社会/生态成本 need no amount)
    rows = [r for r in report.indicators if (r.level2.startswith("成本") or r.level2.startswith("经济成本")) and not r.empty
            and any(x is not None and x.text.strip() for x in (r.target, r.actual))
            and not (r.target is not None and VAGUE_TARGET.search(r.target.text.strip()))  # 降低成本: D16C's
            and not any(x is not None and re.search(r"\d|[一二两三四五六七八九十百千万]+元", x.text) for x in (r.target, r.actual))
            and not stops_in(report, ctx.text, r.row.end)]  # a row cut off may give its amount past the cut
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”（{(r.target or r.actual).text.strip()[:20]}）" for r in rows[:4])
        yield Finding(message=f"{len(rows)}项成本指标没有金额或单价：{names}，无法衡量成本是否控制在目标内",
                      evidence=[r.row for r in rows], expected="成本金额或单价（如≤3万元/公里）",
                      stated=(rows[0].target or rows[0].actual).text.strip()[:40])


STOCK_ACTUAL = lazy(r"^(?:已|均已|全部|基本)?(?:达到|实现|完成|达成|符合)(?:了)?(?:预期|目标|要求|标准|任务)?(?:目标|效果)?[。.]?$|"
                          r"^(?:已)?达标[。.]?$|^(?:效果|成效)(?:明显|显著|良好|较好)[。.]?$|^(?:良好|较好|优秀|显著|明显)[。.]?$")


@rule("D80", "定量指标完成值为套话", kind="missing", severity="warning")
def stock_words_for_a_number(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """An indicator whose 指标值 is a number (100%, ≥200人) needs a number as its 完成值:
    "达到预期", "已完成", "效果明显" say nothing that can be checked against the target.

    Bad:  特困人员认定准确率 | 100% | 达到预期 | 10 | 10
    Good: 特困人员认定准确率 | 100% | 100%（抽查312户无误认） | 10 | 10
    """
    from reviewer.structure.numbers import parse_target

    rows = []
    for r in report.indicators:
        if r.target is None or r.actual is None or r.level2.startswith("时效"):
            continue
        t = parse_target(r.target.text)
        if t.qualitative or t.value is None or re.search(r"\d", r.actual.text):
            continue
        if STOCK_ACTUAL.match(re.sub(r"\s+", "", r.actual.text)):
            rows.append(r)
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”（指标值{r.target.text.strip()}，完成值“{r.actual.text.strip()}”）"
                         for r in rows[:4])
        yield Finding(message=f"{len(rows)}项定量指标的完成值只写套话，没有实际数值：{names}",
                      evidence=[r.row for r in rows], expected="实际完成的数值", stated=rows[0].actual.text.strip())
