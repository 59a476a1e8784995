"""Offline answers about what the review found (no model needed).

"存在哪些问题 / 有什么问题" lists the findings by severity, each with its evidence cited to
the cell or paragraph; "哪里和去年一样 / 哪些是套话" lists the copy and boilerplate findings.
"""

from __future__ import annotations

import os
import re

from reviewer.models import Flag, Report, SourceDocument
from reviewer.outputs.labels import SEVERITIES, severity_zh

from ui.cell_citations import CitationList
from ui.chat import Answer
from ui.passages import Passage

COPY_Q = re.compile(r"去年|往年|上年|历年|一样|相同|雷同|套话|照抄|抄袭|抄|复制|照搬|模板|千篇一律|空话")
PROBLEMS_Q = re.compile(r"(存在|有|发现|找到)(了)?(哪些|什么|啥|多少|几个|没有)?(问题|错误|毛病|差错)|问题(有|是)?(哪些|什么)|"
                        r"审阅(结果|意见|发现)|哪里(不对|有错|错了)|哪些(地方)?(不对|有错)")
COPY_RULES = {"D16B"}  # reused indicator text, besides every finding of kind boilerplate
QUOTE_WIDTH = 60


def _clip(q: str, n: int = QUOTE_WIDTH) -> str:
    q = re.sub(r"\s+", " ", q).strip()
    return q if len(q) <= n else q[:n] + "…"


def _finding_line(n: int, f: Flag, cited: CitationList) -> str:
    head = f"{n}. **{f.rule}** {f.message}"
    if f.expected or f.stated:
        head += f"（应为 {f.expected or '—'}；报告 {f.stated or '—'}）"
    ev = []
    for e in f.evidence[:2]:
        link = cited.link(e.start, e.end)
        ev.append(f"「{_clip(e.quote)}」" + (f" {link}" if link else "（其他报告）"))
    return head + ("\n   证据：" + "；".join(ev) if ev else "")


def _own_problems(report: Report, cited: CitationList, text: str) -> list[str]:
    sec = report.section("problems")
    if sec is None:
        return []
    body = text[sec.body.start:sec.body.end].strip()
    link = cited.link(sec.heading.start, sec.heading.end)
    return ["", f"报告自述的“{sec.heading.text.strip()}”：「{_clip(body) or '（空）'}」 {link}".rstrip()]


def findings_answer(report: Report, flags: list[Flag], passages: list[Passage], source: SourceDocument) -> Answer:
    """Every finding, errors first, with its evidence; then the report's own 存在问题."""
    cited = CitationList(passages, source)
    counts = {s: sum(1 for f in flags if f.severity == s) for s in SEVERITIES}
    if not flags:
        lines = ["审阅未发现问题（规则检查全部通过）。"]
    else:
        lines = [f"审阅共发现 {len(flags)} 个问题：" + " · ".join(f"{severity_zh(s)} {counts[s]}" for s in SEVERITIES) + "。"]
    for s in SEVERITIES:
        mine = [(n, f) for n, f in enumerate(flags, 1) if f.severity == s]
        if not mine:
            continue
        lines += ["", f"**{severity_zh(s)}（{len(mine)}）**"]
        lines += [_finding_line(n, f, cited) for n, f in mine]
    lines += _own_problems(report, cited, source.text)
    lines += ["", "（未配置大模型：以上为本工具的规则检查结果，编号与问题清单一致；点击〔编号〕在原文中定位。）"]
    return Answer(markdown="\n".join(lines), citations=cited.items, mode="findings")


def copy_answer(report: Report, flags: list[Flag], passages: list[Passage], source: SourceDocument) -> Answer:
    """The copy and boilerplate findings (套话、照抄、与往年或其他报告雷同)."""
    cited = CitationList(passages, source)
    mine = [(n, f) for n, f in enumerate(flags, 1) if f.kind == "boilerplate" or f.rule in COPY_RULES]
    if mine:
        lines = [f"发现 {len(mine)} 处套话或雷同内容：", ""]
        lines += [_finding_line(n, f, cited) for n, f in mine]
    else:
        lines = ["没有发现套话、照抄或与其他报告雷同的内容。"]
    if not os.environ.get("JIXIAO_CORPUS"):
        lines += ["", "注意：未加载往年报告语料库（由管理员建立并在启动时配置），无法与往年报告逐段比对；"
                      "以上只包括本报告内部的套话、照抄指标值等检查结果。"]
    lines += ["", "（未配置大模型：以上为本工具的检查结果，编号与问题清单一致。）"]
    return Answer(markdown="\n".join(lines), citations=cited.items, mode="findings")


def finding_question(question: str) -> str | None:
    """"copy" for a question about copied text or stock phrases, "problems" for one about
    the findings, None otherwise."""
    if COPY_Q.search(question):
        return "copy"
    if PROBLEMS_Q.search(question):
        return "problems"
    return None
