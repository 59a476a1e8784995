"""Rules on what the 自评表 leaves empty or fills with words instead of results:
execution figures missing (D53), rows scored without 指标值 or 完成值 (D54), a 完成值 that only
repeats the target range (D55), stock phrases as results (D56), targets copied as results
(D57), 数量指标 without a quantity (D58), vague results scored in full (D59), content
announced but never given (D60), indicators under the wrong category (D63), weights without
scores (D65), benefits told only in stock words (D67), and a 完成情况 that states the project's
purpose instead of its results (D78)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.checks._common import clause_start
from reviewer.checks.completeness import DIRECTIONAL, GOAL_END, GOAL_LABEL
from reviewer.models import IndicatorRow, Report, TextRef
from reviewer.structure.spans import SpanIndex, trim_span
from reviewer.lazy_re import lazy

PLACEHOLDER = lazy(r"^[\s/／\-—*＊…。.、无]*$")
RANGE_ACTUAL = lazy(r"^\s*+(?:[≥≤>＞<＜]|不低于|不少于|不高于|不超过|大于|小于|达到?)\s*+\d[\d.]*\s*+%?.{0,6}?(?:以上|以下)?[。.]?\s*$|"
                          r"^\s*+(?:达到?)?\s*+\d[\d.]*\s*+%?\s*+(?:以上|以下|及以上)[。.]?\s*$")


def _filled(ref: TextRef | None) -> bool:
    return ref is not None and not PLACEHOLDER.match(ref.text)


@rule("D53", "资金执行数据缺失", kind="missing", severity="error")
def funds_execution_missing(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The 年度资金总额 row gives a budget, a weight or a score but no 全年执行数 or no 执行率:
    the execution score cannot be checked.

    Bad:  年度资金总额 | 880 | 880 | 880 | 10 |     | 10
    Good: 年度资金总额 | 880 | 880 | 880 | 10 | 100% | 10
    """
    if report.funds is None or not report.funds.rows:
        return
    row = report.funds.rows[0]
    has_budget = row.budget_full is not None or row.budget_initial is not None
    has_score = row.weight is not None or row.score is not None
    missing = []
    if has_budget and row.executed is None:
        missing.append("全年执行数")
    if has_score and row.rate is None and has_budget:
        missing.append("执行率")  # (a form without 分值/得分 for the funds, as 转移支付 forms are, has no rate column)
    if has_score and row.score is None and row.executed is not None:
        missing.append("得分")
    if missing:
        end = max(r.end for r in (row.name, row.budget_initial, row.budget_full, row.executed, row.weight, row.rate,
                                  row.score) if r is not None)
        if report.truncated_at is not None and re.fullmatch(r"[\s\d.,%％|｜—-]*", ctx.text[end:report.truncated_at]):
            return  # the text stops in this row (a figure cut short at most): the rest of it lies past the cut
        yield Finding(message=f"资金情况“{row.name.text.strip()}”一行未填写{'、'.join(missing)}，预算执行率得分无从核对",
                      evidence=[(row.name.start, end)], expected="、".join(missing), stated="空白")


EXEC_ROW = lazy(r"^\s*(?:预算|资金)?执行率\s*$")


@rule("D54", "指标无指标值和完成值", kind="missing", severity="warning")
def scored_without_values(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A third-level indicator carries a weight and a score but neither 年度指标值 nor 实际完成值:
    nothing shows what was planned or achieved, so the score has no basis.

    Bad:  质量指标 | 工程质量合格 |  |  | 10 | 10
    Good: 质量指标 | 工程验收合格率 | 100% | 100% | 10 | 10
    """
    # only tables that have 指标值/完成值 columns: some other row of the same table fills them
    with_values = {r.table_index for r in report.indicators if _filled(r.target) or _filled(r.actual)}
    # the 预算执行率 row of the 101号 form: its figures are the funds block's (D04 checks its score)
    rows = [r for r in report.indicators if r.score is not None and r.weight is not None and not r.weight_in_label
            and not _filled(r.target) and not _filled(r.actual) and r.table_index in with_values
            and not EXEC_ROW.search(r.level3.text)]
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”" for r in rows[:5])
        yield Finding(message=f"{len(rows)}项三级指标只有分值和得分，没有年度指标值和实际完成值：{names}，得分无依据",
                      evidence=[r.row for r in rows], expected="年度指标值和实际完成值", stated="空白")


def _range_actual(row: IndicatorRow) -> bool:
    if row.actual is None:
        return False
    a = row.actual.text.strip()
    if RANGE_ACTUAL.match(a):
        return True
    return row.target is not None and a == row.target.text.strip() and bool(re.search(r"[≥≤>＜<＞]|以上|不低于|不少于", a))


NARRATIVE_RANGE = lazy(r"(?:实际完成值|实际值|完成值|实际完成)\s*(?:为|是|[:：])?\s*(?:[≥≤>＞]|不低于|不少于|达到)\s*\d[\d.]*\s*%?")


RESULT_RANGE = lazy(r"[\u4e00-\u9fff]{2,12}(?:率|满意度)\s*(?:[≥>＞]|不低于)\s*\d[\d.]*\s*[%％](?:以上)?")
PLANNED_WORDS = lazy(r"目标|计划|指标值|预期|年初|要求|标准|力争|确保")


@rule("D55", "完成值只写目标区间", kind="missing", severity="warning")
def range_as_result(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 实际完成值 written as a range (≥90%, 95%以上) or copied from the target gives no
    measured result: write the value that was measured.

    Bad:  群众满意度 | ≥95% | ≥95% | 10 | 10          实际完成值≥90%
    Good: 群众满意度 | ≥95% | 96.3% | 10 | 10         实际完成值为96.3%
    """
    rows = [r for r in report.indicators if _range_actual(r)]
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”（{r.actual.text.strip()}）" for r in rows[:4])
        yield Finding(message=f"{len(rows)}项指标的实际完成值只写目标区间或照抄目标：{names}，没有实际测得的数值",
                      evidence=[r.row for r in rows], expected="实测数值", stated=rows[0].actual.text.strip())
    text = ctx.text
    # every row of the form: a target in its 指标值 cell (≥95% 97%) is no result written as a range
    seen = [(r.row.start, r.row.end) for r in report.indicators]
    found = [m for m in NARRATIVE_RANGE.finditer(text, report.start, report.end)
             if not any(s <= m.start() < e for s, e in seen)]
    # in a 完成情况 section a result written as a range is no result: "工作任务及时完成率≥90%"
    for sec in report.sections:
        if sec.kind != "performance" or sec.level != 2 and not re.search(r"完成情况", sec.heading.text):
            continue
        for m in RESULT_RANGE.finditer(text, sec.body.start, sec.body.end):
            ls = clause_start(text, sec.body.start, m.start(), "。；;\n")
            if not PLANNED_WORDS.search(text[ls:m.end()]) and not any(s <= m.start() < e for s, e in seen) \
                    and not any(f.start() <= m.start() < f.end() for f in found):
                found.append(m)
    found.sort(key=lambda m: m.start())
    if found:
        listing = "、".join(f"“{m.group().strip()}”" for m in found[:4])
        yield Finding(message=f"正文写{listing}，实际完成值只给出目标区间，没有实际测得的数值",
                      evidence=[(m.start(), m.end()) for m in found], expected="实测数值", stated=found[0].group().strip())


STOCK_RESULT = lazy(
    r"(?:(?<=^)|(?<=[\s|｜]))(?:已|均已)?(?:基本|全面|圆满|较好地?|按计划|如期)?(?:已)?完成(?:了)?(?:本?年度|全年|既定|预期|预定|年初)?"
    r"(?:各项)?(?:绩效)?(?:目标|任务)(?:任务)?[。.]?(?=[ \t\u3000]*(?:$|[|｜\n]))|"
    r"(?:(?<=^)|(?<=[\s|｜]))(?:基本|全面)?达到(?:了)?(?:预期|年初)(?:目标|效果)[。.]?(?=[ \t\u3000]*(?:$|[|｜\n]))|"
    # the other word order: 年度目标全面完成。 / 各项任务均已完成
    r"(?:(?<=^)|(?<=[\s|｜]))(?:本?年度|全年|各项|绩效)(?:绩效)?(?:目标|任务)(?:已|均已)?(?:全面|基本|圆满|全部)?(?:完成|实现|达成)[。.]?"
    r"(?=[ \t\u3000]*(?:$|[|｜\n]))",
    re.MULTILINE)


@rule("D56", "完成情况为套话", kind="boilerplate", severity="warning")
def stock_result(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The 实际完成情况 of the 年度总体目标 (or a result cell) is only a stock phrase such as
    "完成年度目标。", or only stock progress words ("全县…工作稳步推进，各项工作有序开展。")
    beside a 预期目标 that has figures: it says nothing about what was done.

    Bad:  预期目标：完成灌区节水改造1处…  | 实际完成情况：完成年度目标。
    Bad:  预期目标：改善土壤条件，促进农业可持续发展。 | 实际完成情况：已完成。
    Good: 预期目标：完成灌区节水改造1处…  | 实际完成情况：完成灌区节水改造1处，灌溉面积1.2万亩…
    """
    found = False
    for m in STOCK_RESULT.finditer(ctx.text, report.start, report.end):
        found = True
        yield Finding(message=f"完成情况只写“{m.group().strip()}”，没有说明具体完成了哪些任务、数量和效果",
                      evidence=[(m.start(), m.end())], expected="具体完成内容", stated=m.group().strip())
    if found:
        return
    if (cell := _stock_goal_result(ctx.text, report)) is not None:
        s0, e0 = cell
        said = ctx.text[s0:e0].strip()
        yield Finding(message=f"年度总体目标的实际完成情况只写“{said}”，目标有数量，完成情况却没有任何数据",
                      evidence=[cell], expected="具体完成内容和数量", stated=said)
    elif (pair := _empty_goal_pair(ctx.text, report)) is not None:
        (ta, tb), (ca, cb) = pair
        words = "、".join(dict.fromkeys(DIRECTIONAL.findall(ctx.text, ta, tb)))
        yield Finding(message=f"年度总体目标只有方向性表述（{words}），没有数量、质量、时限；实际完成情况只写“{ctx.text[ca:cb].strip()}”："
                              "目标和完成情况都无法考核",
                      evidence=[(ta, tb), (ca, cb)], expected="量化的年度目标及对应的完成情况", stated=ctx.text[ca:cb].strip())


# the goal block ends where D50's does (the indicator block), or sooner: at its first 产出指标, a
# blank line or the next numbered heading
GOAL_BLOCK_END = lazy(GOAL_END.pattern + r"|产出指标|\n[ \t]*\n|\n[ \t]*[一二三四五六七八九十]+、")
GOAL_LABELS = lazy(r"^(?:年度总体目标|预期目标|实际完成情况|年初设定目标|全年实际完成情况|总体目标)[:：]?$")
# the words a completion cell is made of when it says nothing: 全县…工作稳步推进，各项工作有序开展
STOCK_PROGRESS = lazy(
    r"全县|全市|全区|全乡|全镇|本县|我县|各项|各类|相关|项目|工作|任务|目标|年度|全年|预期|既定|整体|总体|有序|稳步|扎实|"
    r"顺利|积极|有效|全面|圆满|基本|较好|良好|明显|显著|取得|成效|效果|推进|开展|实施|完成|实现|达到|落实|到位|规范|"
    r"进一步|不断|持续|得到|了|的|均|已|按|计划|要求|和|及|与")


def _stock_goal_result(text: str, report: Report) -> tuple[int, int] | None:
    """The 实际完成情况 cell of the 年度总体目标 when the 预期目标 beside it has figures and
    the completion has none and is made only of stock progress words."""
    for (ta, tb), (ca, cb) in _goal_cells(text, report):  # one 预期目标 and one 实际完成情况
        target, done = text[ta:tb], re.sub(r"\s+", "", text[ca:cb])
        own = STOCK_PROGRESS.sub("", re.sub(r"[，,。；;、：:“”\"]", "", done))
        if re.search(r"\d", target) and not re.search(r"\d", done) and 8 <= len(done) <= 60 and len(own) <= 4:
            return trim_span(text, ca, cb)
    return None


# a completion cell that is only the word "done"
BARE_DONE = lazy(r"(?:已|均已)?(?:全部|全面|基本|按计划|如期)?(?:已)?完成[。.]?")


def _goal_cells(text: str, report: Report) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """The 预期目标 and 实际完成情况 cells of each 年度总体目标 block read whole (two cells)."""
    for m in GOAL_LABEL.finditer(text, report.start, report.end):
        stop = GOAL_BLOCK_END.search(text, m.end(), min(report.end, m.end() + 800))
        if stop is None:
            continue
        cells = [(m.end() + c.start(), m.end() + c.end()) for c in re.finditer(r"[^|｜\t\n]+", text[m.end():stop.start()])]
        cells = [(a, b) for a, b in cells if text[a:b].strip() and not GOAL_LABELS.match(re.sub(r"\s+", "", text[a:b]))]
        if len(cells) == 2:
            yield cells[0], cells[1]


def _empty_goal_pair(text: str, report: Report) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A 年度总体目标 block whose 预期目标 is directional phrases without a figure and whose
    实际完成情况 is only "已完成": neither says what was to be done or what was."""
    for (ta, tb), (ca, cb) in _goal_cells(text, report):
        goal, done = text[ta:tb], re.sub(r"\s+", "", text[ca:cb])
        if re.search(r"\d", goal) or not BARE_DONE.fullmatch(done) or len(set(DIRECTIONAL.findall(goal))) < 2:
            continue
        return trim_span(text, ta, tb), trim_span(text, ca, cb)
    return None


def _copied(a: str, b: str) -> bool:
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    if a != b or PLACEHOLDER.match(a):
        return False
    has_digit = bool(re.search(r"\d", a))
    return len(a) >= 15 if has_digit else len(a) >= 7


def _one_phrase_row(r: IndicatorRow) -> bool:
    """The indicator's name, target and result are one phrase without a figure copied into
    three cells (社会效益指标 | 美化环境。 | 美化环境。 | 美化环境。)."""
    cells = [re.sub(r"\s+", "", x.text) for x in (r.level3, r.target, r.actual) if x is not None]
    return len(cells) == 3 and len(set(cells)) == 1 and len(cells[0]) >= 3 and not PLACEHOLDER.match(cells[0]) \
        and not re.search(r"\d", cells[0])


@rule("D57", "完成值照抄目标", kind="boilerplate", severity="warning")
def copied_target(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The result repeats the target word for word when the target is a description rather
    than a number ("美化环境" / "美化环境"), or the 年度总体目标's 实际完成情况 copies its 预期目标:
    nothing says what was actually achieved.

    Bad:  社会效益指标 | 环境卫生状况明显改善 | 环境卫生状况明显改善
    Bad:  社会效益指标 | 美化环境。 | 美化环境。 | 美化环境。   (one phrase as name, target and result)
    Good: 社会效益指标 | 河道水质达标率≥90% | 93%
    """
    rows = [r for r in report.indicators if r.target is not None and r.actual is not None
            and not r.level2.startswith("时效") and (_copied(r.target.text, r.actual.text) or _one_phrase_row(r))]
    if rows:
        names = "、".join(f"“{r.level3.text.strip()}”（{r.actual.text.strip()[:20]}）" for r in rows[:4])
        yield Finding(message=f"{len(rows)}项指标的实际完成值照抄指标值：{names}，没有反映实际完成情况",
                      evidence=[r.row for r in rows], stated=rows[0].actual.text.strip()[:40])
    # adjacent cells of a flattened goal table: 预期目标 | 实际完成情况
    text = ctx.text
    # a cell starts after a pipe or a newline: without the lookbehind every start inside a long
    # pipe-free line rescanned the rest of it (a line of 20,000 blanks: 15 s)
    for m in re.finditer(r"(?<![^|｜\n])([^|｜\n]{15,})[|｜]\s*([^|｜\n]{15,})", text[report.start:report.end]):
        a, b = m.group(1), m.group(2)
        if _copied(a, b):
            s = report.start + m.start()
            yield Finding(message="实际完成情况逐字照抄预期目标，没有反映实际完成的数据",
                          evidence=[(s, report.start + m.end())], stated=a.strip()[:40])


COUNT_NAME = lazy(r"数量|个数|人数|户数|次数|面积|长度|里程|规模|台数|套数|场次|人次|公里|亩|册")


@rule("D58", "数量指标未量化", kind="boilerplate", severity="warning")
def quantity_without_number(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 数量指标 whose name promises a quantity (数量, 面积, 人数) but whose 指标值 and 完成值 hold
    no number is a description of work, not a quantity.

    Bad:  数量指标 | 修缮建筑数量 | 完成宗祠日常维护、测绘… | 完成宗祠日常维护、测绘…
    Good: 数量指标 | 修缮建筑数量 | 3处 | 3处
    """
    found = []
    for r in report.indicators:
        if not r.level2.startswith("数量") or not COUNT_NAME.search(r.level3.text):
            continue  # only a name that promises a quantity (数量, 面积, 人数 …) and then gives none
        vals = [v.text for v in (r.target, r.actual) if _filled(v)]
        if vals and not any(re.search(r"\d|[一二两三四五六七八九十百千万]+(?:个|处|项|人|户|次|座|所)", v) for v in vals):
            found.append((r, vals[0].strip()))
    if found:
        names = "、".join(f"“{r.level3.text.strip()}”（{v[:20]}）" for r, v in found[:4])
        yield Finding(message=f"{len(found)}项数量指标的指标值和完成值没有任何数量：{names}，指标未量化",
                      evidence=[r.row for r, _ in found], stated=found[0][1][:40])


VAGUE_RESULT = lazy(r"^(?:程度)?(?:较高|较好|良好|明显|显著|较大|有所(?:提高|提升|改善|增强)|不断提升|进一步(?:提高|提升|改善)|"
                          r"效果(?:明显|显著|良好|较好)|成效(?:明显|显著)|显著提升|明显提升|大幅提升|程度较高|作用明显)[。.]?$")


@rule("D59", "定性完成值得满分", kind="boilerplate", severity="warning")
def vague_result_full_marks(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 效益 or 满意度 result written as a stock judgement (程度较高, 效果明显, 不断提升) is scored
    in full: nothing measurable supports the score.

    Bad:  社会效益指标 | 提升文物知名度 | 程度较高 | 15 | 15
    Good: 社会效益指标 | 年接待参观人次 | ≥2万人次 | 2.3万人次 | 15 | 15
    """
    for r in report.indicators:
        if r.actual is None or r.weight is None or r.score is None:
            continue
        a = re.sub(r"\s+", "", r.actual.text)
        if r.target is not None and re.search(r"\d", r.target.text):
            continue  # a numeric target answered in words is D80's
        if VAGUE_RESULT.match(a) and r.score.value >= r.weight.value - 1e-6 and \
                (r.target is None or re.sub(r"\s+", "", r.target.text) != a):
            yield Finding(message=f"“{r.level3.text.strip()}”的实际完成值只写“{r.actual.text.strip()}”，"
                                  f"却得满分{r.score.text.strip()}分，没有可核实的依据", evidence=[r.row],
                          stated=r.actual.text.strip())


ANNOUNCED = lazy(r"(?:详见下表|见下表|具体如下表?|情况如下表?|如下表?)(?:所示|所列)?\s*[:：。.]?")
HEADING_START = lazy(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)")


@rule("D60", "内容预告后缺失", kind="missing", severity="warning")
def announced_but_absent(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A sentence announces a list or a table ("绩效目标如下：", "见下表") and the next thing in
    the report is a new heading: the announced content is missing.

    Bad:  分解下达绩效目标要求，绩效目标如下：\\n（三）总体绩效目标完成情况
    Good: 分解下达绩效目标要求，绩效目标如下：\\n1.改造垃圾转运站1座……
    """
    text = ctx.text
    heads = {s.heading.start for s in report.sections}
    for m in ANNOUNCED.finditer(text, report.start, report.end):
        nxt = m.end()
        while nxt < report.end and text[nxt] in "\n \t\u3000":
            nxt += 1
        if nxt >= report.end:
            continue  # the text stops here: what follows was not seen
        if "\n" not in text[m.end():nxt] and nxt not in heads:
            continue  # the sentence goes on ("如下：1.…" on the same line), or no heading follows
        le = text.find("\n", nxt, report.end)
        line = text[nxt:le if le >= 0 else report.end]
        ls = clause_start(text, report.start, m.start(), "。；;\n")  # the announcing sentence
        if re.search(r"现将|报告如下|汇报如下|报告情况如下", text[ls:m.end()]):
            continue  # the opening of the report: the sections that follow are the content
        # a heading, alone on its line or with its body after a full stop: (三)项目组织实施情况。县残联…
        if nxt in heads or HEADING_START.match(line) and len(re.split(r"[。：:]", line.strip(), maxsplit=1)[0]) <= 40:
            said = text[clause_start(text, ls, m.start(), "，,；;"):m.end()].strip()
            yield Finding(message=f"“{said[-30:]}”之后直接进入下一节“{line.strip()[:20]}”，预告的内容没有给出",
                          evidence=[(ls, m.end())], expected="预告的列表或表格", stated="缺失")


ECONOMIC = lazy(r"收入|增收|产值|发电|电量|售电|效益|利润|销售|营收|税|节约|节省|降低成本|成本|经济|元|价|就业|带动|产量|增产|产能|粮|灌溉|种植|"
                      r"养殖|生产|旅游|游客|交易|投资|消费|收益|市场|企业|GDP",
                      re.IGNORECASE)
MONEY_WORDS = lazy(r"预算|资金|成本|经费|支出|拨付|执行率|专款专用|万元|元")
RATE_OF_FUNDS = lazy(r"(?:资金|预算)(?:执行|拨付|支付|到位)率|(?:执行|拨付|支付)进度")


def _misfiled(r: IndicatorRow) -> str | None:
    """Why ``r`` sits under the wrong category, or None."""
    words = " ".join(x.text for x in (r.level3, r.target, r.actual) if x is not None)
    if r.level2.startswith("经济效益") and not ECONOMIC.search(words) and not PLACEHOLDER.match(words):
        return "经济效益指标没有任何收入、产值、节约等经济内容"
    if r.level2.startswith("数量") and MONEY_WORDS.search(r.level3.text) and not re.search(r"人|户|个|项|次|座|处|台|套|亩|公里|米", words):
        return "数量指标写的是资金或成本，不是产出数量"
    if (r.level2.startswith(("成本",)) or r.level1.startswith("效益")) and RATE_OF_FUNDS.search(r.level3.text):
        return "资金执行（拨付）率是预算执行指标，不是成本或效益指标"
    if (r.level1.startswith("效益") or r.level2.startswith(("社会效益", "经济效益", "生态效益", "可持续"))) \
            and PROCESS_COUNT.search(r.level3.text):
        return "签订协议、召开会议、印发文件的次数是工作过程，不是项目带来的效益"
    return None


# a count of the work done to run a project (agreements signed, meetings held, documents issued)
PROCESS_COUNT = lazy(r"(?:签订|签署)[^|｜\n]{0,12}(?:协议|合同)[^|｜\n]{0,3}(?:数|份数|个数|家数)|"
                           r"(?:召开|组织召开)[^|｜\n]{0,10}(?:会议|推进会|调度会|座谈会|工作会)[^|｜\n]{0,3}(?:数|次数|场次)?|"
                           r"(?:印发|出台)[^|｜\n]{0,10}(?:文件|通知|方案)[^|｜\n]{0,3}(?:数|份数)")


@rule("D63", "指标归类不当", kind="boilerplate", severity="warning")
def misfiled_indicator(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """An indicator filed under a category it does not measure: a safety or service result
    under 经济效益, money or a budget as a 数量指标, 资金执行率 as a 成本 or 效益 indicator, a
    count of agreements signed or meetings held as a 效益.

    Bad:  经济效益指标 | 全市安全度汛 | 10 | 10
    Bad:  数量指标 | 成本控制 | 不超过预算 | 不超过预算
    Good: 经济效益指标 | 灌区亩均增收 | ≥100元 | 126元
    """
    found = [(r, why) for r in report.indicators if not r.empty and (why := _misfiled(r))]
    if found:
        listing = "；".join(f"“{r.level3.text.strip()}”（{r.level2}）：{why}" for r, why in found[:4])
        yield Finding(message=f"{len(found)}项指标归类不当：{listing}", evidence=[r.row for r, _ in found],
                      stated=found[0][0].level3.text.strip())


@rule("D65", "有分值无得分", kind="missing", severity="error")
def weight_without_score(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Indicators carry a weight but no score (the 得分 column left blank), or the 合计/总分 row
    gives only the weight: the form states no self-evaluation score.

    Bad:  群众满意度 | ≥95% | 96% | 10 |        合计 | 100 |
    Good: 群众满意度 | ≥95% | 96% | 10 | 10     合计 | 100 | 98
    """
    rows = [r for r in report.indicators if r.weight is not None and r.score is None and not r.weight_in_label
            and (_filled(r.target) or _filled(r.actual))]
    totals = [s for s in report.subtotals if s.level == 0 and s.weight is not None and s.score is None]
    scored = [r for r in report.indicators if r.score is not None]
    if len(rows) >= 2 and len(rows) > len(scored):
        names = "、".join(f"“{r.level3.text.strip()}”" for r in rows[:4])
        yield Finding(message=f"{len(rows)}项指标只有分值没有得分：{names}{'，合计行也只有分值' if totals else ''}，表中没有自评得分",
                      evidence=[r.row for r in rows] + [t.ref for t in totals], expected="各项得分", stated="空白")


VAGUE_GAIN = lazy(r"有所(?:提高|提升|改善|增强|增加|好转)|不断(?:提升|提高|增强|完善)|逐步(?:提高|提升|改善)|"
                        r"明显(?:提升|提高|改善|增强)|显著(?:提升|提高|改善|增强)|进一步(?:提升|提高|改善|增强)")


SENTENCE = lazy(r"[^。！？\n]+")


@rule("D67", "效益只写定性套话", kind="boilerplate", severity="warning")
def vague_benefits_in_prose(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A sentence that reports results only as 有所提高 / 不断提升 / 明显改善, twice or more and
    without a single figure, states no result that can be checked.

    Bad:  社会效益指标：康复服务水平有所提高；车主出行便利程度有所提高；社会氛围有所改善。
    Good: 社会效益指标：基本康复服务覆盖率由85%提高到100%；燃油补贴惠及164人次。
    """
    text = ctx.text
    skip = SpanIndex([(s.body.start, s.body.end) for s in report.sections if s.kind in ("problems", "measures")])
    for m in SENTENCE.finditer(text, report.start, report.end):
        s, e = m.start(), m.end()
        if s in skip:
            continue
        sent = re.sub(r"^\s*(?:\d+|[一二三四五六七八九十]+)[、.．)）]|^\s*[（(]\d+[)）]", "", m.group())  # its list number
        hits = VAGUE_GAIN.findall(sent)
        if len(hits) >= 2 and not re.search(r"\d|[一二两三四五六七八九十百千万]+(?:个|人|户|次|项|处|名)", sent) \
                and not re.search(r"有待|需要|仍需|还需|将|计划|力争", sent):
            yield Finding(message=f"这句只用“{'、'.join(dict.fromkeys(hits))}”描述效果，没有任何可核对的数据",
                          evidence=[(s, e)], stated=sent.strip()[:40])


PURPOSE = lazy(r"(?:是|为)[^。；;！？\n]{2,60}?的(?:现实需要|迫切需要|客观需要|必然要求|重要举措|有力举措|重要保障|"
                     r"重要抓手|重要途径|有效途径)|具有(?:十分|非常)?(?:重要|重大|深远)(?:的)?(?:现实|历史)?意义")


@rule("D78", "完成情况写立项意义", kind="boilerplate", severity="warning")
def purpose_as_result(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 完成情况 that says why the project matters ("是…的现实需要", "具有重要意义") tells why it
    was funded, not what it achieved this year.

    Bad:  （二）总体绩效目标完成情况：…是加强残疾人综合服务体系建设、缩小差距的现实需要。
    Good: （二）总体绩效目标完成情况：托养中心投入使用，全年托养重度残疾人56名，培训132人次。
    """
    text = ctx.text
    for sec in report.sections:
        if sec.kind != "performance":
            continue
        m = PURPOSE.search(text, sec.body.start, min(sec.body.end, sec.body.start + 20000))
        if m:
            said = m.group() if len(m.group()) <= 30 else f"{m.group()[:12]}……{m.group()[-12:]}"
            yield Finding(message=f"“{sec.heading.text.strip()[:20]}”写的是立项意义（“{said}”），不是本年度的完成情况",
                          evidence=[(m.start(), m.end())], expected="本年度实际完成的产出和效果", stated=m.group()[:40])
            return
