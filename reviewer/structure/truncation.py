"""Where a report's text stops short.

Published excerpts and many real files stop mid-row or mid-sentence (a web page cut at a
length, a PDF missing its last pages).  A finding that something is *absent* — a section, an
indicator category, weights that do not reach 100 — is only sound for the part of the text
that was seen, so the report records where its text stops when it looks cut off, and rules
that report an absence stay silent past that point (see ``absence=True`` in
:func:`reviewer.checks.base.rule`).
"""

from __future__ import annotations

import re

from reviewer.models import Table
from reviewer.lazy_re import lazy

# A text that ends with one of these has finished its last sentence.
_FINISHED = lazy(r"[。！？!?；;”」』）)】\]]\s*$")
# A last line that is a date, a signature or a page mark ends a document on its own.
_CLOSING_LINE = lazy(
    r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|"
    r".{0,30}(?:局|委|办|中心|政府|院|所|站|学校|公司)(?:（盖章）|\(盖章\))?|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|"
    r"[-—]\s*\d+\s*[-—]|附件\s*\d*[:：]?.{0,40}|(?:填报人|填表人|联系人|联系电话|审核人|单位负责人|项目负责人|财务负责人)"
    r"\s*[:：].{0,30})\s*$")
# A page's footer or header line: 第1页, 第2页 共3页, — 2 —, -3-
PAGE_MARK = lazy(r"\s*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|[-—]\s*\d+\s*[-—])\s*")
# A last line that stops inside words: a character, a comma, an opening bracket.
_MID_TEXT = lazy(r"[\u4e00-\u9fffA-Za-z,，、:：(（《“\-—]\s*$")
_SIGNED = lazy(r"签字|签章|盖章|年\s+月\s+日|填表人|填报人|填报日期|联系电话|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
# A last cell that answers a form's closing question with "none" (存在问题暂无, 改进措施：无).
_NONE_ANSWER = lazy(r"(?:问题|措施|建议|说明|情况|原因)[\s|｜:：]*(?:暂无|无)\s*$")
_TABLE_END = lazy(r"(?:总分|合计|总计|得分)\D{0,6}\d+(?:\.\d+)?\s*(?:分)?(?:\s+\d+(?:\.\d+)?\s*分?)*\s*[|｜]?\s*$")


def _prose(line: str) -> bool:
    """A line of running text (not a table row) that stops on a figure mid-sentence (…得90,
    …全年实际支出95.40, 本项目自评得分98.1, 自评表(2023): words run straight into the figure."""
    if re.search(r"[\t|｜]", line) or len(line.split()) > 3 or len(_CJK_CHAR.findall(line)) < 4:
        return False  # cells of a table or a flattened form's row
    return bool(re.search(r"[\u4e00-\u9fff][(（]?[\d.,，]*\d[.,，]?$", line))


_CJK_CHAR = lazy(r"[\u4e00-\u9fff]")
_HEADING_NUMBER = lazy(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])$")
_HEADING_LINE = lazy(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)[^。；;]{2,30}$")


def truncation_point(text: str, start: int, end: int) -> int | None:
    """The offset where ``text[start:end]`` stops short, or None when it ends cleanly."""
    seg = text[start:end].rstrip()
    if not seg:
        return None
    last_nl = seg.rfind("\n")
    last = seg[last_nl + 1:].strip(" \t\u3000|｜")
    if not last:
        return None
    if _HEADING_NUMBER.match(last):
        return start + len(seg)  # a heading's number with nothing after it: "（三）"
    prev = seg[:max(last_nl, 0)].rstrip().rsplit("\n", 1)[-1].strip()
    if len(last) <= 3 and not _FINISHED.search(last) and _HEADING_LINE.match(prev):
        return start + len(seg)  # a heading, then the first characters of its text ("三、…分析\n2")
    raw_last = seg[last_nl + 1:].strip()
    if prev[:1] in "|｜" and prev[-1:] in "|｜" and raw_last[:1] in "|｜" and raw_last[-1:] not in "|｜":
        return start + len(seg)  # a bar-framed row that stops before its closing bar
    if not _MID_TEXT.search(last) and not _prose(last):
        return None  # a number, a placeholder or a symbol: a table or form that ends here
    if _FINISHED.search(last) or _CLOSING_LINE.match(last) or (_TABLE_END.search(last) and not _prose(last)) or \
            _SIGNED.search(last) or \
            _NONE_ANSWER.search(last):
        return None
    return start + len(seg)


def form_cut_off(text: str, end: int, last_form_table: Table) -> int | None:
    """``end`` when an indicator form without a 总分 row runs to the end of the text (only
    blank cells and template slots such as 指标2 after it): the excerpt was cut inside it."""
    rest = re.sub(r"[\s|｜/／\-—…]+|指标\s*\d+\s*[:：]?", "", text[last_form_table.end:end])
    return end if not rest else None
