"""Rules on the 年度(绩效)目标 a report sets itself: a goal that only says the project's name
again, with nothing that could be checked (D85)."""

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
        if re.search(r"\d|[一二三四五六七八九十百千万]+(?:个|所|座|户|人|公里|亩|项)", goal):
            continue
        grams = _bigrams(goal)
        if len(grams) < MIN_BIGRAMS or len(grams & name) < SHARE * len(grams):
            continue
        yield Finding(message=f"年度目标“{goal.strip()[:40]}”只复述了项目名称，没有数量、质量、时限等可考核的内容",
                      evidence=[(s, e)], expected="可量化、可考核的年度目标", stated=goal.strip()[:40])
        return
