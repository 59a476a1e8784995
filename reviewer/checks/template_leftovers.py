"""Rules on the template showing through the report: placeholders never filled in (XX万元,
20XX年, ××个) and the template's own filling-in instructions left in the text (D73)."""

from __future__ import annotations

from typing import Iterator

from reviewer.checks._common import in_spans, table_spans
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Report
from reviewer.lazy_re import lazy

# a run of placeholder marks standing where a figure belongs: XX万元, 20XX年, ××个.  Names masked
# with ** or ×× (**市, ××局) are how published copies hide them, not a template left unfilled.
PLACEHOLDER_FIGURE = lazy(
    r"(?:(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])|××+|[○〇]{2,}|[□☐]{2,})\s*(?:万元|元|年|月|日|个|人|户|次|项|%|％|公里|亩)|"
    r"(?:19|20)[XxＸｘ×]{2}\s*年")
# the template's instructions to whoever fills it in
INSTRUCTION = lazy(
    # only an instruction addressed to whoever fills in: （按实际支出计算） is the report's own words
    r"[（(](?:请|此处|在此)[^）)\n]{0,40}?(?:填写|填报|说明|列明|列出|补充|描述|简述)[^）)\n]{0,20}[）)]|"
    r"(?:填表|填报|编写)说明\s*[:：]|[（(]\s*(?:单位名称|项目名称|金额|数量|日期)\s*[）)]")


@rule("D73", "模板内容未填写", kind="missing", severity="warning")
def template_leftovers(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A placeholder (XX万元, 20XX年, ××个) or an instruction of the template ("（请填写资金用途）",
    "填表说明：") left in the report: the part was never written for this project.

    Bad:  项目总投资XX万元，于20XX年X月完工。（请根据实际情况填写项目概况）
    Good: 项目总投资56万元，于2024年10月完工。
    """
    text = ctx.text
    rows = [(r.row.start, r.row.end) for r in report.indicators]  # a placeholder in an indicator row is D16's
    hits = [m for pat in (PLACEHOLDER_FIGURE, INSTRUCTION) for m in pat.finditer(text, report.start, report.end)
            if not any(s <= m.start() < e for s, e in rows)]
    hits.sort(key=lambda m: m.start())
    if hits:
        listing = "、".join(f"“{m.group().strip()}”" for m in hits[:4])
        yield Finding(message=f"报告留有模板占位或填写说明：{listing}，这部分没有按本项目填写",
                      evidence=[(m.start(), m.end()) for m in hits[:8]], expected="本项目的实际内容",
                      stated=hits[0].group().strip())


# a figure dropped between its verb and its unit: 全县共收购烟叶公斤, 执行率为%.  Only units that no
# common noun ends with (户 ends 农户, 台 ends 平台, 套 ends 配套), and nothing numeric in between.
FIGURE_DROPPED = lazy(
    r"(?:共|累计|合计|共计|总计|完成|实现|收购|发放|培训|惠及|覆盖|支出|拨付|下达|投入|投资|新增|建成)"
    r"(?P<mid>[\u4e00-\u9fff]{1,6}?)"
    r"(?P<unit>万公斤|公斤|千克|万吨|吨|万元|亿元|亩|万人次|人次|公里|平方米|立方米)(?=[，,。；;、）)\s]|$)|"
    r"[\u4e00-\u9fff]{2}(?:率|比例|占比|比重)(?:为|达到|达|是)\s*[%％]")
NUMERIC = lazy(r"[0-9０-９零〇一二三四五六七八九十百千万亿两几多余数若半整]")


@rule("D81", "数字缺失只剩单位", kind="missing", severity="warning")
def figure_dropped(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A sentence that gives a quantity's unit but not the quantity: the figure was never filled
    in or was lost in publication ("全县共收购烟叶公斤", "执行率为%").

    Bad:  截至年底全县共收购烟叶公斤，烟农收入6589.71万元。
    Good: 截至年底全县共收购烟叶326万公斤，烟农收入6589.71万元。
    """
    spans = table_spans(report, ctx.parsed)  # a cell "培训人次" names a column or an indicator
    hits = [m for m in FIGURE_DROPPED.finditer(ctx.text, report.start, report.end)
            if not NUMERIC.search(m.group("mid") or "") and not in_spans(m.start(), spans)]
    if hits:
        listing = "、".join(f"“{m.group().strip()}”" for m in hits[:4])
        yield Finding(message=f"{listing}只有单位没有数字，数量没有填写", evidence=[(m.start(), m.end()) for m in hits[:8]],
                      expected="具体数量", stated=hits[0].group().strip())
