"""Rules on the 偏差原因 a report gives for a shortfall: a reason that names no cause (D84), a
shortfall the narrative states and never explains (D91)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import clause_start, in_spans, sentence_at, table_spans
from reviewer.checks._narrative import ALL_DONE
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.checks.indicator_rows import _compare, _met, admits_shortfall
from reviewer.lazy_re import lazy
from reviewer.models import Report

# a cause that could be said of any project: 受客观因素影响, 由于其他原因, 多种原因所致
GENERIC_CAUSE = lazy(r"(?:主要)?(?:是)?(?:受|因|由于|系)?(?:一些|部分)?(?:客观|其他|多种|各种|多方面|诸多|不可控|不可抗力)(?:等)?(?:因素|原因)"
                     r"(?:的)?(?:影响|所致|制约|导致)?")
# what a reason cell adds around such a cause without naming anything: 今后加强管理, 进一步做好
FILLER = lazy(r"今后|下一步|将|继续|进一步|加强|强化|做好|抓好|提高|提升|管理|工作|督促|落实|力争|确保|完成|"
              r"未能|未|按期|导致|造成|使|致使|影响|主要|是|的|了|等|和|及|[，,。；;、：:\s]|"
              r"达(?:到)?(?:预期|目标)|加大(?:工作)?力度|(?:略|稍)?低于(?:目标|预期)|"
              # the shortfall said again: 人数有所减少, 进度略有滞后
              r"(?:人数|户数|数量|进度|完成数)?(?:有所|略有|稍有)?(?:减少|下降|降低|滞后|偏少|偏低|不足)")
# a shortfall stated in a sentence of the narrative: 未达到95%的目标, 扣0.42分, 完成率95%
SHORTFALL = lazy(r"未(?:能)?(?:达到|完成|达标|实现|如期|按期)|扣\s*\d|低于|差距|偏差|未按期|少于(?:计划|目标)|(?:较|比)(?:目标|计划)少|"
                 r"进度滞后|滞后于|尚未完工")
# the clause holding the generic cause: from its lead word to the next stop
CAUSE_CLAUSE = lazy(r"(?:主要是|主要因|主要由于|原因是|是由于|系|由于|因|受)[^，,。；;\n]{0,6}?"
                    r"(?:客观|其他|多种|各种|多方面|诸多|不可控)(?:等)?(?:因素|原因)[^，,。；;\n]{0,6}")
# a reason that restates the shortfall: 未完成是因为会诊例次没有达到年初目标
CIRCULAR = lazy(r"^(?:未(?:能)?完成|未达标|未达到(?:目标)?)(?:的原因)?(?:是|主要是)?(?:因为|由于)[^，,。；;]{0,30}?"
                r"(?:没有|未|未能)(?:达到|完成)[^，,。；;]{0,8}?(?:目标|任务|指标)[。.]?$")


def names_no_cause(reason: str, name: str = "") -> bool:
    """Whether a 偏差原因 text gives a cause no more specific than 受客观因素影响, or only
    restates that the target was missed (the indicator's own ``name`` said again names nothing)."""
    t = re.sub(r"\s+", "", reason)
    if CIRCULAR.match(t):
        return True
    if not GENERIC_CAUSE.search(t):
        return False
    rest = FILLER.sub("", GENERIC_CAUSE.sub("", t))
    n = re.sub(r"\s+", "", name)
    for size in range(len(n), 2, -1):  # 承保面积未达预期: the row's 小麦承保面积 missed, said again
        for k in range(len(n) - size + 1):
            rest = rest.replace(n[k:k + size], "")
    return len(rest) <= 2


@rule("D84", "偏差原因空泛", kind="vague_problems", severity="warning")
def reason_names_no_cause(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A shortfall's 偏差原因 names what went wrong: not 受客观因素影响, 其他原因, or the
    shortfall itself said again.

    Bad:  疫木除治数量 | ≥3000株 | 2650株 | 10 | 8.83 | 受客观因素影响,今后加强管理。
    Bad:  在岗率为91%，未达到95%的目标，扣0.42分，主要是受客观因素影响。
    Good: 疫木除治数量 | ≥3000株 | 2650株 | 10 | 8.83 | 11月连续降雪，北坡350株顺延至次年3月除治
    """
    found = 0
    for row in report.indicators:
        if row.reason is None or not names_no_cause(row.reason.text, row.level3.text):
            continue
        cmp_ = _compare(row)
        deducted = row.weight is not None and row.score is not None and row.score.value < row.weight.value
        if not (deducted or (cmp_ is not None and not _met(*cmp_)) or admits_shortfall(row)):
            continue
        yield Finding(message=f"{row.level3.text.strip()}：偏差原因只写“{row.reason.text.strip()[:30]}”，"
                              "没有说明具体是什么原因，也无法据此改进",
                      evidence=[row.reason], expected="具体原因及改进措施", stated=row.reason.text.strip()[:30])
        found += 1
        if found >= 3:
            return
    if found:
        return
    # the narrative: a sentence that states a shortfall and puts it down to a generic cause
    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    for m in CAUSE_CLAUSE.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        lo = clause_start(text, report.start, m.start(), "。；;\n")
        if not SHORTFALL.search(text, lo, m.start()):
            # the shortfall stated in the sentence before, the cause opening its own sentence:
            # 展演活动少于计划3场。主要原因是受多种因素影响，部分活动未能如期举办。
            s0, e0 = sentence_at(text, m.start(), report.start, report.end)
            ps, _ = sentence_at(text, max(report.start, s0 - 1), report.start, report.end)
            if len(text[s0:m.start()].strip()) > 4 or not SHORTFALL.search(text, ps if s0 > report.start else s0, e0) \
                    or re.search(r"(?:仍|均|已)(?:按期|如期|按时)", text[s0:e0]):
                continue
        yield Finding(message=f"未达标的原因只写“{m.group().strip()}”，没有说明具体是什么原因，也无法据此改进",
                      evidence=[(m.start(), m.end())], expected="具体原因及改进措施", stated=m.group().strip())
        return


# words that give (or announce) a cause: 因, 由于, 原因是, 受…影响, 导致, 系
CAUSE_WORDS = lazy(r"因|由于|原因|受[^，,。；;]{1,12}影响|导致|致使|所致|系[^统列数]|主要(?:是|涉及|在于)")
# a reason field filled to look filled: 偏差原因：无。 / 原因分析：/
PLACEHOLDER_REASON = lazy(r"(?:偏差)?原因(?:分析)?(?:及改进措施)?\s{0,2}[:：]\s{0,2}(?:无|暂无|没有|/|／|—+|-+)(?=\s{0,2}(?:[。；;，,\n]|$))")


@rule("D91", "正文指标未达标未说明原因", kind="missing", severity="warning")
def prose_shortfall_unexplained(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A target the narrative states and misses (年度指标值≥98%，实际完成96.4%) is explained:
    a cause in its own or the next sentence, or the shortfall taken up in 存在问题.

    Bad:  观测数据到报率，年度指标值≥98%，实际完成96.4%；…  四、存在的问题 （一）站点交通不便…
    Bad:  修缮完工文物建筑3处，年度目标5处，完成率60%。偏差原因：无。
    Good: 观测数据到报率，年度指标值≥98%，实际完成96.4%，因7月汛期2个站点通信中断11天。

    A report that calls every target met (全面完成) is D49's: one shortfall, one finding.
    """
    if report.indicators:
        return  # a report with a 自评表: its rows carry their own 偏差原因 (D14A)
    text = ctx.text
    if ALL_DONE.search(text, report.start, report.end):
        return  # the report calls every target met: D49 reports the shortfall against that claim
    problems = [s for s in report.sections if s.kind == "problems"]
    cut = report.truncated_at
    if not problems or (cut is not None and not any(p.heading.start > problems[-1].body.start for p in report.sections
                                                     if p.kind != "problems" and p.heading.start < cut)):
        return  # no 存在问题 seen to its end (a later heading): the shortfall may be taken up past the cut
    ptext = "".join(re.sub(r"\s+", "", s.body.text) for s in problems)
    # a section of its own on the deviations (五、偏差原因分析) that gives causes takes up what it names
    dev = "".join(re.sub(r"\s+", "", s.body.text) for s in report.sections if re.search(r"偏差", s.heading.text))
    dev = dev if CAUSE_WORDS.search(dev) else ""
    for row in report.prose_indicators:
        cmp_ = _compare(row)
        if cmp_ is None or _met(*cmp_):
            continue
        s, e = sentence_at(text, row.row.start, report.start, report.end)
        _, e2 = sentence_at(text, min(e + 1, report.end), report.start, report.end)
        blank = PLACEHOLDER_REASON.search(text, row.actual.end, max(e, e2))
        if blank is not None:  # a reason given as 无 is no reason, whatever 存在问题 says later
            yield Finding(message=f"{row.level3.text.strip()}实际{row.actual.text.strip()}，未达到目标{row.target.text.strip()}，"
                                  f"偏差原因却写“{blank.group().strip()}”",
                          evidence=[row.row, (blank.start(), blank.end())], expected="说明未达标的原因及改进措施",
                          stated=blank.group().strip())
            continue
        if CAUSE_WORDS.search(text, row.actual.end, max(e, e2)):
            continue  # a cause after the result, in its sentence or the next
        name = re.sub(r"\s+", "", row.level3.text)
        if any(name[k:k + 3] in ptext for k in range(max(1, len(name) - 2))) or \
                any(name[k:k + 2] in dev for k in range(max(1, len(name) - 1))):
            continue  # 存在问题, or the section on the deviations, takes it up
        yield Finding(message=f"{row.level3.text.strip()}实际{row.actual.text.strip()}，未达到目标{row.target.text.strip()}，"
                              "报告没有说明原因，存在问题中也没有提到",
                      evidence=[row.row], expected="说明未达标的原因及改进措施", stated=row.actual.text.strip())
