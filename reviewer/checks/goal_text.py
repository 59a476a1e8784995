"""Rules on the goals a report sets itself and what it claims of them: a goal that only says the
project's name again (D85), effects claimed in stock words alone (D88), and 按期完工 claimed after
the deadline it set (D89)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.checks.completeness import goal_blocks
from reviewer.lazy_re import lazy
from reviewer.models import Report

# a goal stated in a sentence: 年度绩效目标为：…, 总体目标：…
GOAL_LEAD = lazy(r"(?:年度|总体|绩效|项目)+目标(?:为|是)?\s*[:：]?\s*(?:为|是)?\s*")
# the words any goal is made of, whatever the project
STOCK = lazy(r"完成|做好|抓好|工作|任务|建设|项目|提高|提升|确保|保障|实施|推进|按时|按期|全面|顺利|年度|目标|"
             r"预期|实际|完成情况|总体|有效|进一步|加强|落实|开展|通过|[的了和及与、，,。；;：:\s|｜\"“”]")
_CJK = lazy(r"[\u4e00-\u9fff]+")
TITLE_AFFIX = lazy(r"^.*?\d{4}\s*年度?|(?:项目)?(?:支出)?(?:绩效)?(?:自评|评价)?(?:表|报告)?$")
NAME_FIELD = lazy(r"项目名称\s*[:：|｜]?\s*([\u4e00-\u9fff（）()\d]{4,40})")
MIN_BIGRAMS = 4
SHARE = 0.6


def _bigrams(text: str) -> set[str]:
    return {run[i:i + 2] for run in _CJK.findall(STOCK.sub(" ", text)) for i in range(len(run) - 1)}


def project_words(report: Report, text: str) -> set[str]:
    """The bigrams of the project's name: the form's 项目名称 field, else the title's core."""
    names = []
    m = NAME_FIELD.search(text, report.start, report.end)
    if m:
        names.append(m.group(1))
    for t in (report.project, report.title):
        if t:
            names.append(TITLE_AFFIX.sub("", TITLE_AFFIX.sub("", t)))
    return set().union(*(_bigrams(n) for n in names)) if names else set()


def _goal_sentences(text: str, report: Report) -> list[tuple[int, int]]:
    """The first sentence of each place the report states its goal."""
    out = []
    starts = [m.end() for m in GOAL_LEAD.finditer(text, report.start, report.end)
              if m.end() - m.start() >= 4 and text[m.end() - 1] in "：:为是"]
    for a, _ in goal_blocks(text, report):  # a form's 预期目标 cell
        k = a
        while True:
            lab = re.match(r"[\s|｜,，]*(?:预期目标|实际完成情况|年初设定目标|全年实际完成情况)[\s|｜:：,，]*", text[k:k + 30])
            if not lab or not lab.group().strip(" \t\n|｜,，"):
                break
            k += lab.end()
        starts.append(k)
    # a goals section's own text: "（二）年度绩效目标。推进…建设。"
    leads = list(starts)
    starts += [sec.body.start for sec in report.sections if sec.kind == "goals" and sec.body.text.strip()
               and not any(sec.body.start <= k <= sec.body.start + 20 for k in leads)]  # its own 目标为：
    for s in sorted(set(starts)):
        while s < report.end and text[s] in " \t|｜,，\"“":
            s += 1
        e = min((i for i in (text.find(c, s, report.end) for c in "。；;\n") if i >= 0), default=report.end)
        if e > s:
            out.append((s, e))
    return out


@rule("D85", "年度目标只复述项目名称", kind="boilerplate", severity="warning")
def goal_restates_name(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 年度目标 says what will be achieved, in numbers that can be checked, not the project's
    name again.

    Bad:  年度绩效目标为：完成义务教育薄弱环节改善与能力提升项目建设任务。
    Bad:  预期目标：做好乡村教师生活补助发放工作，提高乡村教师待遇。   (项目：乡村教师生活补助)
    Good: 年度绩效目标为：改造3所学校教学楼6,200平方米，2021年8月底前交付使用。
    """
    text = ctx.text
    name = project_words(report, text)
    if len(name) < 3:
        return
    for s, e in _goal_sentences(text, report):
        goal = text[s:e]
        # (the project's own year, 实施2025年度…项目, is part of its name, not a figure)
        if re.search(r"\d|[一二三四五六七八九十百千万]+(?:个|所|座|户|人|公里|亩|项)", re.sub(r"(?:19|20)\d{2}\s*年度?", "", goal)):
            continue
        grams = _bigrams(goal)
        if len(grams) < MIN_BIGRAMS or len(grams & name) < SHARE * len(grams):
            continue
        yield Finding(message=f"年度目标“{goal.strip()[:40]}”只复述了项目名称，没有数量、质量、时限等可考核的内容",
                      evidence=[(s, e)], expected="可量化、可考核的年度目标", stated=goal.strip()[:40])
        return


# stock claims of effect: 效益显著, 取得了良好的经济效益, 明显改善, 稳步提高, 一致好评, 达到预期效果
STOCK_EFFECT = lazy(r"(?:经济|社会|生态)?(?:效益|成效|效果)(?:十分|非常|较为)?(?:显著|明显|良好)|"
                    r"取得了?(?:良好|明显|显著|较好)的?(?:经济|社会|生态|综合)?(?:效益|成效|效果)|"
                    r"(?:明显|显著|大幅|有效)(?:改善|提升|提高|增强)|稳步(?:提高|提升|推进)|"
                    r"一致好评|广泛好评|社会反响(?:良好|较好|强烈)|"
                    r"达到(?:了)?预期(?:效果|目标)")
_SENTENCE = lazy(r"[^。；;\n]+[。；;]?")


@rule("D88", "成效只有套话", kind="boilerplate", severity="warning")
def effect_in_stock_words(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """What the project achieved is said in figures, not in a sentence of stock claims.

    Bad:  通过项目实施，档案利用服务效率显著提高，社会效益明显，达到预期效果。
    Good: 全年提供查档利用3,260人次，平均查档时间由40分钟缩短到8分钟。
    """
    text = ctx.text
    for sec in report.sections:
        if sec.kind not in ("performance", "conclusion"):
            continue
        for m in _SENTENCE.finditer(text, sec.body.start, sec.body.end):
            claims = STOCK_EFFECT.findall(m.group())
            if len(claims) >= 2 and not re.search(r"\d", m.group()):
                s = m.start() + len(m.group()) - len(m.group().lstrip())
                yield Finding(message=f"“{m.group().strip()[:40]}”只有“{'”“'.join(claims[:3])}”之类的套话，"
                                      "没有说明具体取得了什么成效（数量、比例、前后对比）",
                              evidence=[(s, m.end())], expected="可核对的成效数据", stated="、".join(claims[:3]))
                return


# a deadline the report set (2022年10月31日前完成…) and a claim that it was kept (按期完工)
_DATE = r"(?P<date>20\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|末)?)"  # 2022年10月31日, 2022年12月底
DEADLINE = lazy(_DATE + r"\s*(?:前|之前|以前)")
KEPT = lazy(r"按期|如期|按时|准时")
DONE_AT = lazy(_DATE + r"\s*(?:全部|全面)?(?:通过竣工验收|竣工验收|完工|竣工|建成|交付使用|投入使用|完成改造|完成建设|"
                       r"完成(?:全部|全面)?[^，,。；;\d]{0,8}?(?:验收|改造|建设|施工|安装))")


@rule("D89", "按期完工与日期不符", kind="contradiction", severity="warning")
def on_time_claim_after_deadline(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A report that says the work was done on time gives a completion date no later than the
    deadline it set itself.

    Bad:  年初绩效目标：2022年10月31日前完成2,150盏路灯改造 …… 于2022年12月26日通过竣工验收 …… 项目按期完工
    Good: …… 于2022年10月28日通过竣工验收 …… 项目按期完工
    Good: …… 2个小区迁改滞后，未能按期完工 …… 2024年4月完工   (the delay admitted)
    """
    from reviewer.structure.dates import parse_date

    text = ctx.text
    # (a deadline among the 改进措施 is next year's plan, not the one the work was held to)
    later = [(sec.body.start, sec.body.end) for sec in report.sections if sec.kind == "measures"]
    deadlines = {parse_date(m.group("date"), report.year): m for m in DEADLINE.finditer(text, report.start, report.end)
                 if not any(a <= m.start() < b for a, b in later)}
    deadlines.pop(None, None)
    claim = next((m for m in KEPT.finditer(text, report.start, report.end)
                  if re.match(r"\s*(?:完工|完成|竣工|交付)", text[m.end():m.end() + 4])
                  and not re.search(r"(?:未能|未|没有|不能|无法|难以)$", text[max(report.start, m.start() - 2):m.start()])), None)
    if len(deadlines) != 1 or claim is None:
        return  # no deadline, several (which one is meant?), or no claim of keeping it
    (deadline, dm), = deadlines.items()
    for m in DONE_AT.finditer(text, report.start, report.end):
        done = parse_date(m.group("date"), report.year)
        if done is not None and done > deadline and not (dm.start() <= m.start() < dm.end()):
            yield Finding(message=f"报告称“{claim.group()}{text[claim.end():claim.end() + 2]}”，但自定的期限是{dm.group('date')}前，"
                                  f"实际{m.group('date')}才{m.group()[len(m.group('date')):].strip()}",
                          evidence=[(m.start(), m.end()), (claim.start(), claim.end() + 2), (dm.start(), dm.end())],
                          expected=f"{dm.group('date')}前", stated=m.group("date"))
            return
