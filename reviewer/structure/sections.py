"""Narrative sections: headings in their many styles, normalised to a few kinds.

Headings are numbered (一、 / （一） / (1) / 1. / 5、) or sit in a table cell
(``项目管理中存在的主要问题及原因分析`` followed by a cell holding the text).  Each kind
collects its variants: 存在问题 / 存在的问题 / 存在问题及原因 / 项目管理中存在的主要问题;
改进措施 / 下一步改进工作的措施 / 有关建议 …
"""

from __future__ import annotations

import bisect
import re

from reviewer.models import Section, Table, TextRef
from reviewer.structure.spans import SpanIndex
from reviewer.structure.text_tables import split_lines
from reviewer.lazy_re import lazy

SECTION_KINDS = ("basic", "goals", "funds", "work", "performance", "conclusion", "problems", "measures", "other")

KIND_PATTERNS: list[tuple[str, re.Pattern]] = [
    # "四、绩效自评结果拟应用和公开情况" says how the results will be used, it is no conclusion
    ("other", lazy(r"(?:结果|自评).{0,4}(?:拟)?应用|公开情况")),
    ("problems", lazy(r"存在(的)?(主要)?问题|主要问题|问题及原因|发现的问题")),
    ("measures", lazy(r"改进|整改|建议|下一步|措施")),
    ("conclusion", lazy(r"自评结论|评价结论|自评结果|综合评价|自评得分|评价结果")),
    ("performance", lazy(r"完成情况|效益分析|绩效分析|指标分析|绩效情况|目标实现|产出情况|效益情况|偏差(?:原因|情况|分析)")),
    ("funds", lazy(r"资金|预算执行|经费")),
    ("goals", lazy(r"绩效目标|项目目标|年度目标")),
    ("work", lazy(r"工作开展|自评工作|评价工作|组织实施|实施情况|管理情况")),
    ("basic", lazy(r"基本情况|项目概况|概况|立项|背景|职能")),
]

HEADING = lazy(
    r"^(?P<num>[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|[（(][一二三四五六七八九十]+[)）]|[（(]\d+[)）]|\d+\s*[、.．](?!\d))"
    r"\s*[、：:]?\s*(?P<title>.*)$"
)
LABEL_LINE = lazy(r"^[|｜]?\s*(?P<title>存在(?:的)?问题(?:(?:及|和|与)(?:改进措施|整改措施|建议|下一步(?:工作)?(?:措施|打算)?))?|"
                        r"主要问题|改进措施|整改措施|下一步(?:工作)?(?:措施|打算)|有关建议|自评结论|评价结论)"
                        r"(?:\s*(?:[：:]|[|｜])|[ \t\u3000]+(?=\S))\s*(?P<body>.*)$")  # "存在问题：无。", "存在问题 | …", "存在问题 无"


def classify(title: str) -> str:
    """The section kind for a heading text."""
    t = re.sub(r"\s+", "", title)
    for kind, pat in KIND_PATTERNS:
        if pat.search(t):
            return kind
    return "other"


def _level(num: str) -> int:
    if (num.endswith("、") and not num[0].isdigit()) or num.endswith("部分"):
        return 1
    if num.startswith(("（", "(")):
        return 2
    return 3


def _heading_title(rest: str) -> tuple[str, int] | None:
    """The heading text within ``rest`` (a line after its number), and its length.
    A heading is short; text after it on the same line is the section's body."""
    r = rest.rstrip()
    if not r:
        return None
    # "五、存在问题。一是…": a heading ended by a full stop, its body on the same line
    m = re.match(r"^(.{2,16}?)(?:[：:。]|\s+)(?=\S)", r)
    if m and classify(m.group(1)) != "other" and len(r) - m.end() > 6:
        return m.group(1), len(m.group(1))
    if len(r) <= 30 and not r.endswith(("。", "；", ";", "，", ",")):  # "（一）积极争取…，" is a list item
        return r, len(r)
    if len(r) <= 17 and r.endswith("。") and classify(r[:-1]) != "other":  # "六、改进措施。"
        return r[:-1], len(r) - 1
    # heading followed by body on the same line: "存在问题 专项维护等…" / "存在问题：……"
    m = re.match(r"^(.{2,24}?)(?:[：:]|\s+)(?=\S)", r)
    if m and classify(m.group(1)) != "other":
        return m.group(1), len(m.group(1))
    # or by its first sub-heading: "绩效目标完成情况分析(一)产出情况。…"
    m = re.match(r"^([^，,。；;：:（()）]{2,24}?)(?=[（(][一二三四五六七八九十]{1,2}[)）])", r)
    if m and classify(m.group(1)) != "other":
        return m.group(1), len(m.group(1))
    return None


# Headings run into the text before and after them, as a page copied without its line breaks
# gives them: "…良好.三、存在的问题一是…" or "…。四、绩效目标完成情况经镇…核查".  Only after a
# sentence's end or a colon (or a page's number, 2、(三)…): "一、加强…" in a sentence is a list item.
_INLINE_NUM = (r"(?:(?<=[。.；;！!？?:：])|(?<=^\d、)|(?<=^\d\d、))\s*"
               r"(?P<num>[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[)）])\s*")
# a whole section title is read without a stop after it (绩效目标完成情况, not 绩效目标:
# "（二）绩效目标设定不够科学" is a problem)
INLINE_HEADING = lazy(
    _INLINE_NUM +
    r"(?P<title>(?:项目)?(?:基本情况|概况)|绩效目标(?:完成|实现)情况(?:及(?:其)?(?:效益)?分析)?|"
    r"(?:项目实施及)?(?:资金|预算)(?:执行|使用|管理)(?:及管理)?情况|产出(?:指标)?完成情况|效益(?:指标)?(?:完成|实现)情况|"
    r"(?:项目)?(?:实施|管理)中?存在(?:的)?(?:主要)?问题(?:及(?:原因|原因分析|改进措施|整改措施))?|"
    r"存在(?:的)?(?:主要)?问题(?:及(?:原因|原因分析|改进措施|整改措施))?|(?:下一步)?(?:改进|整改)(?:工作)?(?:的)?(?:措施|意见)(?:及建议)?|"
    r"有关建议|(?:自评|评价)结论)"
    r"\s*[。.：:]?")
# any other short title that ends in a full stop or a colon, or runs into the first sub-heading
# ("…22个。二、绩效指标设定及完成情况（一）产出指标。"), kept when it reads as a section's title
INLINE_TITLED = lazy(
    _INLINE_NUM +
    r"(?P<title>[^\s。.：:；;，,、！!？?（）()\d]{2,16}?)(?=[。.：:]|[（(][一二三四五六七八九十]{1,2}[)）])")
INLINE_MIN_LINE = 120  # characters: a line this long holding several sections is a page run together


def _inline_heads(line: str, line_start: int) -> list[tuple[int, int, str, str, int]]:
    """Section headings inside a long line of running text (see :data:`INLINE_HEADING`)."""
    found = {m.start("num"): m for m in INLINE_TITLED.finditer(line) if classify(m.group("title")) != "other"}
    found.update((m.start("num"), m) for m in INLINE_HEADING.finditer(line))  # the whole title wins
    return [(line_start + m.start("num"), line_start + m.end("title"), m.group("num"), m.group("title"), _level(m.group("num")))
            for _, m in sorted(found.items())]


def find_sections(text: str, start: int, end: int, tables: list[Table]) -> list[Section]:
    """Sections of the report ``text[start:end]``; ``tables`` are those in that range."""
    table_spans = SpanIndex([(t.start, t.end) for t in tables])

    def in_table(pos: int) -> bool:
        return pos in table_spans

    heads: list[tuple[int, int, str, str, int]] = []  # (start, end, number, title, level)
    line_stops: list[int] = []  # the end of a flattened form's line ends the sections found inside it
    for ln in split_lines(text, start, end):
        if in_table(ln.start) or "\t" in ln.text:
            continue
        if len(ln.text) >= INLINE_MIN_LINE:
            heads += _inline_heads(ln.text, ln.start)
        lead = len(ln.text) - len(ln.text.lstrip())
        m = HEADING.match(ln.text.strip())
        if not m:
            lm = LABEL_LINE.match(ln.text.strip())
            if lm:  # "存在问题：无。" — an unnumbered label line holding its own text
                hs = ln.start + lead + ln.text.strip().find(lm.group("title"))
                heads.append((hs, hs + len(lm.group("title")), "", lm.group("title"), 3))
            elif len(ln.text) >= 200 and len(set(FORM_FIELDS.findall(ln.text))) >= 3:
                # a form flattened onto one line: "… 存在问题 无 改进措施 继续做好… 项目负责人：…"
                found = [im for im in INLINE_LABEL.finditer(ln.text)]
                for im in found:
                    heads.append((ln.start + im.start(), ln.start + im.end(), "", im.group("title"), 3))
                if found:
                    line_stops.append(ln.start + len(ln.text))
                    line_stops += [ln.start + sm.start() for sm in INLINE_SIGNATURE.finditer(ln.text, found[0].end())]
            continue
        num = re.sub(r"\s+", "", m.group("num"))
        got = _heading_title(m.group("title"))
        if not got:
            continue
        title, tlen = got
        level = _level(num)
        kind = classify(title)
        if level == 3 and num[0].isdigit() and num.endswith("、") and kind in ("problems", "measures", "conclusion", "performance"):
            level = 1  # "5、 存在的问题": a first-level heading with broken numbering
        elif level == 3:
            continue  # numbered list items are not sections
        hs = ln.start + lead
        he = hs + (len(ln.text.strip()) - len(m.group("title"))) + tlen
        heads.append((hs, he, num, title, level))
    heads = sorted({h[0]: h for h in heads}.values())  # inline headings come in line by line
    stops = sorted([t.start for t in tables if not _belongs_to_section(t)] +
                   [m.start() for m in FORM_START.finditer(text, start, end)] +
                   [m.start() for m in SIGNATURE.finditer(text, start, end)] + line_stops)
    # a section runs to the next heading of the same or a higher level (a label line, level 3,
    # to the next heading of any level), found for every heading in one backward pass
    ends: list[int] = [end] * len(heads)
    nearest = {1: end, 2: end, 3: end}  # level -> start of the nearest later heading of that level or higher
    for k in range(len(heads) - 1, -1, -1):
        hs, _, _, _, level = heads[k]
        ends[k] = nearest[level]
        for lv in range(level, 4):
            nearest[lv] = hs
    out: list[Section] = []
    for k, (hs, he, num, title, level) in enumerate(heads):
        i = bisect.bisect_right(stops, he)
        body_end = min(ends[k], stops[i]) if i < len(stops) else ends[k]
        bs = he
        while bs < body_end and text[bs] in " \t\n：:。.":
            bs += 1
        be = body_end
        while be > bs and text[be - 1].isspace():
            be -= 1
        out.append(Section(kind=classify(title), heading=TextRef(text=text[hs:he], start=hs, end=he), number=num or None,
                           level=level, body=TextRef(text=text[bs:be], start=bs, end=be)))
    out.extend(_table_sections(tables))
    out.sort(key=lambda s: s.heading.start)
    return out


# the form's signature lines end the last section
SIGNATURE = lazy(r"^[ \t|｜]*(?:项目负责人|财务负责人|单位负责人|填报人|填表人|审核人|联系电话)\s*[:：]", re.M)
FORM_START = lazy(r"^[ \t]*(附件\s*\d*|(?:附[件表]?\s*\d*\s*[:：])?[^\n]{0,30}绩效(?:目标)?自评表\s*(?:[（(][^\n）)]{0,12}[)）])?)[ \t]*$",
                        re.M)  # 附件2 / 附：项目支出绩效自评表（2021年度） / 附表：…区域绩效目标自评表（2023年度）


def _belongs_to_section(t: Table) -> bool:
    """A table that is part of a narrative section (a problems/measures table), not a
    separate form such as the 自评表 that merely follows the section."""
    head = " ".join(c.text for c in t.rows[0]) if t.rows else ""
    return classify(head) in ("problems", "measures") or len(t.rows) <= 3


# a short answer that says there is nothing: an empty section, not a header cell
NONE_WORDS = r"无|暂无|没有|/|／|——|—|-"  # (the 存在问题 rule D23 adds its "no problem" statements to these)
NONE_ANSWER = lazy(rf"(?:{NONE_WORDS})[。.]?")
# a form flattened onto one line: its field names
FORM_FIELDS = lazy(r"项目名称|主管部门|实施单位|年度资金总额|一级指标|三级指标|年度指标值|实际完成值|分值|得分")
INLINE_SIGNATURE = lazy(r"(?:填报单位|填报人|填报日期|填表人|审核人|项目负责人|财务负责人|单位负责人|联系电话)\s*[:：]")
# 存在问题 / 改进措施 inside such a line, each running to the next (not the 偏差原因分析及改进措施 header)
INLINE_LABEL = lazy(r"(?<![及和与、析因])(?P<title>存在(?:的)?问题|改进措施|整改措施)(?=[ \t：:|｜]*\S)")


def _table_sections(tables: list[Table]) -> list[Section]:
    """Sections held in tables: a short label cell naming a problems/measures/conclusion
    section, with its text in the next cell of the row."""
    out = []
    for t in tables:
        for ri, row in enumerate(t.rows):
            if ri == 0:
                continue  # a header row
            filled = [c for c in row if c.text.strip()]
            used = -1  # a row may hold two label/answer pairs: 存在问题 | … | 改进措施 | …
            for k, (a, b) in enumerate(zip(filled, filled[1:])):
                if k <= used:
                    continue
                label = re.sub(r"\s+", "", a.text)
                kind = classify(label)
                if classify(b.text) != "other" and (len(re.sub(r"\s+", "", b.text)) <= 12 or not re.search(r"[，,。；;]", b.text)):
                    continue  # two labels side by side: a header (a sentence naming 不足 is the answer)
                if kind in ("problems", "measures", "conclusion") and len(label) <= 24 and (
                        len(b.text.strip()) > len(label) or kind != "conclusion" and NONE_ANSWER.fullmatch(b.text.strip())):
                    out.append(Section(kind=kind, heading=TextRef(text=a.text, start=a.start, end=a.end), number=None,
                                       level=2, body=TextRef(text=b.text, start=b.start, end=b.end)))
                    used = k + 1
    return out


def _innermost_of(active: list[Section]) -> Section | None:
    """The innermost of the sections holding a position, given in the report's order; an
    inner "other" section gives way to the more specific kind of the section around it."""
    best = None
    for s in active:
        if best is None or s.heading.start >= best.heading.start:
            if best is not None and s.kind == "other" and best.kind != "other":
                continue
            best = s
    return best


class _SectionIndex:
    """:func:`innermost_section` for every position at once: the answer changes only where a
    section starts or ends, so it is worked out once per stretch between those points (a
    sweep over the sections), and each question costs a bisection."""

    def __init__(self, sections: list[Section]) -> None:
        spans = [(s.heading.start, max(s.body.end, s.heading.end), i) for i, s in enumerate(sections)]
        self.points = sorted({p for a, b, _ in spans for p in (a, b)})
        self.answers: list[Section | None] = []
        by_start = sorted(spans)
        active: list[tuple[int, int, int]] = []
        k = 0
        for p in self.points:
            while k < len(by_start) and by_start[k][0] <= p:
                active.append(by_start[k])
                k += 1
            active = [x for x in active if x[1] > p]
            self.answers.append(_innermost_of([sections[i] for _, _, i in sorted(active, key=lambda x: x[2])]))

    def at(self, pos: int) -> Section | None:
        k = bisect.bisect_right(self.points, pos) - 1
        return self.answers[k] if k >= 0 else None


_INDEXES: dict[int, tuple[list[Section], int, _SectionIndex]] = {}


def innermost_section(sections: list[Section], pos: int) -> Section | None:
    """The innermost section holding ``pos``; an inner "other" section gives way to the more
    specific kind of the section around it. Rules ask this for every figure of a report: the
    answers for one list of sections are worked out once (:class:`_SectionIndex`)."""
    got = _INDEXES.get(id(sections))
    if got is None or got[0] is not sections or got[1] != len(sections):
        if len(_INDEXES) >= 64:
            _INDEXES.clear()  # (whole, not one entry: nothing iterates a dict another thread may change)
        got = _INDEXES[id(sections)] = (sections, len(sections), _SectionIndex(sections))
    return got[2].at(pos)
