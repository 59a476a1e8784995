"""Splitting a file that holds several reports, by their title blocks.

A title block is a short line ending in 自评报告 (``…项目支出绩效自评报告``), together
with the short lines right above it that continue it (organisation, the first half of
a title that spans two or three lines).  A block that holds only a cover page and a
自评表 is merged into the narrative report that follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.structure.text_tables import split_lines
from reviewer.lazy_re import lazy

TITLE_END = lazy(r"(绩效)?自评报告\s*$|绩效评价报告\s*$")
# a form's own title (…2023年度农村客运补贴项目支出绩效自评表): a report of its own only when
# the text before it already holds a whole form, i.e. a second form in one file
FORM_TITLE_END = lazy(r"\d{4}\s*年度?.{2,60}?(?:项目)?(?:支出)?绩效自评表\s*$")
FORM_BEFORE = lazy(r"一级指标|三级指标")
NUMBERED_FORM = lazy(r"^(?:项目|表)[一二三四五六七八九十\d]+\s*[：:、.．]\s*")
# or numbers it after the title: 项目支出绩效自评表（二）, 绩效自评表(2)
FORM_NUMBER_TAIL_RX = r"绩效自评表\s*[（(]\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*[)）]"
NUMBERED_FORM_TAIL = lazy(FORM_NUMBER_TAIL_RX + r"\s*$")
FORM_AFTER = lazy(r"年度资金总额|一级指标|三级指标")
# the first line of a form (its funds block or its indicator header); the indicator reader
# ends a block before a project's name that stands right above one (text_forms.IND_END)
NEXT_FORM_HEADER_RX = r"\s*(?:项目资金|年度资金总额|一级指标)"
NEXT_FORM_HEADER = lazy(NEXT_FORM_HEADER_RX)
SENTENCE_PUNCT = lazy(r"[。；;：:，,！？]")
HEADING_NUM = lazy(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.、．])")


# Lines a web page, a download site or a document viewer puts around a report: never its title.
CHROME_LINE = lazy(
    r"索引号|发布机构|发布时间|发布日期|成文日期|浏览量|浏览次数|阅读次数|点击率|点击数|字号|打印|【字体|来源\s*[:：]|信息来源|"
    r"首页\s*[>＞›]|当前位置|信息分类|公开目录|主题分类|组配分类|内容分类|生成日期|有效性|废止时间|文\s*号\s*[:：|]|"
    r"资源ID|资源大小|资源格式|全文页数|下载|登录|分享到|扫一扫|关闭窗口|我要纠错|背景色|今天是|^\s*#\s*source:|"
    # a site's breadcrumb: 某某区人民政府 > 政务公开 > 财政信息 > 预算绩效
    r"^\s*(?:[\u4e00-\u9fffA-Za-z（）()· ]{2,30}\s*[>＞›»]\s*){2,}[\u4e00-\u9fffA-Za-z（）()· ]{2,30}\s*$")

@dataclass
class TitleBlock:
    start: int  # offset of the first title line
    end: int  # end offset of the last title line
    lines: list[str]
    form: bool = False  # the title of a 自评表, not of a narrative report

    @property
    def title(self) -> str:
        return "".join(s.strip() for s in self.lines)


def _is_title_line(t: str) -> bool:
    s = t.strip()
    return bool(s) and len(s) <= 80 and "\t" not in t and bool(TITLE_END.search(s)) \
        and not SENTENCE_PUNCT.search(s) and not HEADING_NUM.match(s) and not CHROME_LINE.search(t) and "|" not in s


def _continues_title(t: str) -> bool:
    s = t.strip()
    return bool(s) and len(s) <= 40 and "\t" not in t and not SENTENCE_PUNCT.search(s) \
        and not CHROME_LINE.search(t) and "|" not in s \
        and not HEADING_NUM.match(s) and not re.fullmatch(r"[\d\s年月日]+", s) and not s.startswith("附件") \
        and not re.search(r"\S(?:\s{2,}|\u3000)\S|\d\s+\d", s)  # a table row's cells (总分    100    99.59, 总分 100 97.20)


def find_title_blocks(text: str) -> list[TitleBlock]:
    """Every report title block in ``text``, in order."""
    lines = split_lines(text)
    blocks: list[TitleBlock] = []
    for i, ln in enumerate(lines):
        form = False
        if not _is_title_line(ln.text):
            form = _is_form_title(text, lines, i, blocks)
            if not form:
                continue
        j = i
        while j - 1 >= 0 and i - (j - 1) < 4 and _continues_title(lines[j - 1].text):
            j -= 1
        blocks.append(TitleBlock(start=lines[j].start + (len(lines[j].text) - len(lines[j].text.lstrip())),
                                 end=ln.end, lines=[x.text for x in lines[j:i + 1]], form=form))
    return blocks


def _is_form_title(text: str, lines: list, i: int, blocks: list[TitleBlock]) -> bool:
    """Whether line ``i`` is the title of a second 自评表 in the file: a title-like line
    ending in 自评表, a whole form (its indicator header) between the previous title and it,
    and a form's header right after it."""
    t = lines[i].text.strip()
    # a department's file numbers its forms: 项目一：学前教育幼儿资助项目绩效自评表
    numbered = NUMBERED_FORM.match(t)
    if numbered:
        t = t[numbered.end():]
        if len(t) < 4:
            return False
        # or only the project's name, right above its form's header: 项目二：农村最低生活保障资金
        # (表2.效益指标得分情况 is a part of one report's form, not another project's)
        if not re.search(r"绩效自评表\s*$", t) and (
                not numbered.group().startswith("项目") or len(t) > 40 or not NEXT_FORM_HEADER.match(text, lines[i].end)):
            return False
    elif not FORM_TITLE_END.search(t) and not NUMBERED_FORM_TAIL.search(t):
        return False
    if not t or len(t) > 80 or "\t" in lines[i].text or "|" in t or SENTENCE_PUNCT.search(t) \
            or HEADING_NUM.match(t) or CHROME_LINE.search(t) or t.startswith("附"):
        return False
    prev = blocks[-1].end if blocks else 0
    after = text[lines[i].end:lines[i].end + 400]
    return bool(FORM_BEFORE.search(text, prev, lines[i].start)) and bool(FORM_AFTER.search(after))


def split_reports(text: str, has_narrative) -> list[tuple[int, int, TitleBlock | None]]:
    """Report ranges ``(start, end, title_block)`` covering the whole text.

    ``has_narrative(start, end)`` tells whether a range holds narrative sections; a range
    without them (a cover page plus a 自评表) is merged with the next report.
    """
    blocks = find_title_blocks(text)
    if not blocks:
        return [(0, len(text), None)]
    ranges: list[tuple[int, int, TitleBlock | None]] = []
    if blocks[0].form:  # the file opens with a whole form before the second form's title
        ranges.append((0, blocks[0].start, None))
    for k, b in enumerate(blocks):
        start = 0 if k == 0 and not b.form else b.start
        end = blocks[k + 1].start if k + 1 < len(blocks) else len(text)
        ranges.append((start, end, b))
    merged: list[tuple[int, int, TitleBlock | None]] = []
    carry: tuple[int, TitleBlock | None] | None = None
    for start, end, b in ranges:
        if carry is not None:
            start, b = carry[0], carry[1]
            carry = None
        nxt = next((r for r in ranges if r[0] == end), None)
        next_is_form = nxt is not None and nxt[2] is not None and nxt[2].form
        if not has_narrative(start, end) and (start, end) != (ranges[-1][0], ranges[-1][1]) and end != len(text) \
                and not next_is_form:  # a form followed by another form's title is a report of its own
            carry = (start, b)
            continue
        merged.append((start, end, b))
    if carry is not None:
        merged.append((carry[0], len(text), carry[1]))
    return merged
