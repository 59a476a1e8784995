"""Rebuilding the 自评表 from text whose table layout was flattened.

Real reports reach us as text copied out of web pages, PDFs, spreadsheets and OCR.  Their
tables arrive in several shapes (README, "Reading real input"): pipe rows with merged
cells left out, one cell per line, one row per line with cells separated by spaces, or the
whole form on one line.  None of them says where a row ends or which column a value is in.

This module finds the two blocks of the form — the funds block (年初预算数 / 全年预算数 /
全年执行数 / 分值 / 执行率 / 得分) and the indicator block (一级 / 二级 / 三级 / 指标值 / 完成值 /
分值 / 得分 / 偏差原因) — by their header words, cuts the text that follows into *cells*
(``|``, line breaks, runs of spaces), cuts the cells into *rows* at the vocabulary of row
labels (年度资金总额, 其中：财政拨款, 产出指标, 数量指标, 指标1：, 总分 …) and at line ends,
and aligns every row to the header's columns from the right: each order-preserving way of
placing the row's values in the columns is scored for plausibility (scores are small plain
numbers, a rate has a percent sign or equals 执行数 ÷ 预算数, a name is not a number) and the
best one wins.  A row that allows two equally good readings is left out.

A form flattened with no separators at all (text copied from a PDF) is cut apart by what its
figures say: a funds run by the arithmetic of the row (:func:`split_glued`) or, when too long
for that, by the way its amounts are written (:func:`split_glued_decimals`: 320.00320.00298.40
then 分值, 执行率 with %, 得分); an indicator run into ``name target actual 分值得分`` groups
whose target and actual share a unit (:func:`_indicator_groups`, :func:`split_weight_score`);
a figure that splits more than one way is not read.

The result is ordinary :class:`Table` objects whose cells point at the verbatim text, so the
funds and indicator parsers and every rule work on them unchanged.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from reviewer.models import Cell, Table
from reviewer.structure.numbers import NUM, OPERATOR_WORDS, parse_number, to_float
from reviewer.structure.spans import SpanIndex
from reviewer.structure.split import FORM_NUMBER_TAIL_RX, NEXT_FORM_HEADER_RX
from reviewer.structure.text_tables import split_lines
from reviewer.lazy_re import lazy

# --------------------------------------------------------------------------- cells


@dataclass
class Tok:
    """A cell of flattened text: its verbatim text and offsets, and the line it is on;
    ``head`` marks an indicator name that a glued form's figures show starts a row."""

    text: str
    start: int
    end: int
    line: int
    head: bool = False


_SPLIT_PIPE = lazy(r"[^|｜]+")
_SPLIT_SPACE = lazy(r"[^\s|｜]+")
VALUE_TOKEN = lazy(rf"^(?:{OPERATOR_WORDS}|约)?\s*-?{NUM}\s*(?:%|％|[^\d\s]{{0,4}})?$|^[-—/／*＊]+$|^无$")
PLAIN_NUMBER = lazy(rf"^-?{NUM}$")
SCORE_TOKEN = lazy(rf"^{NUM}\s*分?$")
OPERATOR = lazy(r"^(?:[≥≤><=＞＜]=?|大于|小于|不低于|不少于|不高于|不超过|定性|定量)$")
UNIT_ONLY = lazy(r"^(?:%|％|万元|元|亿元|人|个|户|次|项|天|日|月|年|座|所|辆|台|套|公里|千米|米|亩|平方米|㎡|吨|人次|名|家|只|头|册|场|期|篇|份|间|条|处|小时|分钟|月份)"
                 r"(?:[/／][\u4e00-\u9fff]{1,2}(?:[·.][\u4e00-\u9fff]{1,2})?)?$")  # (万元/户·年 in a 度量单位 column)
DASH = lazy(r"^[-—/／*＊]+$")


def _line_tokens(text: str, s: int, e: int, line: int) -> list[Tok]:
    seg = text[s:e]
    pat = _SPLIT_PIPE if ("|" in seg or "｜" in seg) else _SPLIT_SPACE
    out = []
    for m in pat.finditer(seg):
        a, b = m.start(), m.end()
        while a < b and seg[a] in " \t\u3000":
            a += 1
        while b > a and seg[b - 1] in " \t\u3000":
            b -= 1
        if a < b:
            out.append(Tok(seg[a:b], s + a, s + b, line))
    return out


def tokenize(text: str, start: int, end: int) -> list[Tok]:
    """The cells of ``text[start:end]``: split at ``|``, line ends, and (on lines without
    pipes) runs of whitespace; pieces that belong together are joined again."""
    toks: list[Tok] = []
    lines = split_lines(text, start, end)
    open_row = None  # the line number of a bar-framed row (| a | b …) whose last cell wrapped
    for line, ln in enumerate(lines):
        got = _line_tokens(text, ln.start, ln.end, line)
        st = ln.text.strip(" \t\u3000\r")
        if open_row is not None and got and toks and not st.startswith(("|", "｜")) and _wrap_continues(lines, line):
            # a cell wrapped over lines: "| 村内道路硬化" + "里程 | ≥3.6公里 |" is one row
            first = got[0]
            toks[-1] = Tok(text[toks[-1].start:first.end], toks[-1].start, first.end, toks[-1].line)
            toks.extend(Tok(t.text, t.start, t.end, open_row) for t in got[1:])
            open_row = None if st.endswith(("|", "｜")) else open_row
            continue
        toks.extend(got)
        open_row = line if st.startswith(("|", "｜")) and not st.endswith(("|", "｜")) and got else None
    joined = _join(text, toks)
    split = _split_score_and_name(joined)
    return _join(text, split) if len(split) != len(joined) else split  # (a name cut from a score may join its target)


# a row's 得分 run into the next row's name when the line breaks were lost: "10 10日均供餐人次 ≥3,000人次"
_DATE_CELL = lazy(r"^(?:19|20)\d{2}\s*(?:年|[-/.]\d)")
_SCORE_THEN_NAME = lazy(r"^(?P<score>(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?)(?=[\u4e00-\u9fff][^\s]{3,})")


def _split_score_and_name(toks: list[Tok]) -> list[Tok]:
    """Cut a cell that is a score glued to the name after it (``10日均供餐人次``) when the cell
    before is the row's 分值 (a plain number no smaller than the score) and a result with its
    unit came before that: the figures say where the row ends, whatever unit the name starts with."""
    out: list[Tok] = []
    for t in toks:
        m = _SCORE_THEN_NAME.match(t.text)
        # … 3,150人次 | 10 | 10日均…: the cell before is the 分值 and the one before that the
        # 完成值 with its unit (a bare number there could be a 分值 and the cell a 偏差原因: 10 10 3座厂…)
        before = out[-2].text.strip() if len(out) >= 2 else ""
        if m and before and PLAIN_NUMBER.match(out[-1].text.strip()) and (_is_value(before) or _DATE_CELL.match(before)) and \
                not PLAIN_NUMBER.match(before) and to_float(m.group("score")) <= to_float(out[-1].text.strip()):
            k = m.end()
            out.append(Tok(t.text[:k], t.start, t.start + k, t.line))
            out.extend(_split_name_and_target(Tok(t.text[k:], t.start + k, t.end, t.line)))
            continue
        out.append(t)
    return out


# the next row's name run into its target: 每站年开放天数≥300天, 公益性讲座培训场次≥
_NAME_THEN_TARGET = lazy(r"^(?P<name>[^\d\s≥≤＞＜<>=]{3,40}?)(?=(?:≥|≤|＞|＜|>=|<=|>|<|=)\s*(?:\d|$))")


def _split_name_and_target(tok: Tok) -> list[Tok]:
    """A name glued to its target after a score was cut off it: two cells."""
    m = _NAME_THEN_TARGET.match(tok.text)
    if m is None or not re.search(r"[\u4e00-\u9fff]{3}", m.group("name")):
        return [tok]
    k = m.end()
    return [Tok(tok.text[:k], tok.start, tok.start + k, tok.line), Tok(tok.text[k:], tok.start + k, tok.end, tok.line)]


def _wrap_continues(lines: list, i: int) -> bool:
    """Whether line ``i`` goes on with the wrapped cell of a bar-framed row: it holds the
    rest of the row (a bar), or it is a short piece of the cell and the line after it does."""
    t = lines[i].text.strip(" \t\u3000\r")
    if "|" in t or "｜" in t:
        return True
    nxt = lines[i + 1].text.strip(" \t\u3000\r") if i + 1 < len(lines) else ""
    return len(t) <= 20 and ("|" in nxt or "｜" in nxt) and not nxt.startswith(("|", "｜"))


_CJK1 = lazy(r"^[\u4e00-\u9fff]$")
_WEIGHT_PAREN = lazy(rf"^[（(]\s*{NUM}\s*分?\s*[）)]$")


def _span(text: str, a: Tok, b: Tok) -> Tok:
    return Tok(text[a.start:b.end], a.start, b.end, a.line)


def _join(text: str, toks: list[Tok]) -> list[Tok]:
    """Join what flattening split: single characters of a spaced-out label (产 出 指 标),
    an operator and its value (≥ 90 %), a value and its unit (96 %), a label and its
    weight (产出指标 (50分)), and level names broken over lines (经济效益 / 指标)."""
    out: list[Tok] = []
    for t in toks:
        if out:
            p = out[-1]
            pt, tt = p.text, t.text
            if _CJK1.match(tt) and re.fullmatch(r"[\u4e00-\u9fff]+", WS.sub("", pt)) and len(pt) < 12 and \
                    text[p.end:t.start].strip(" \u3000") == "" and (len(pt) == 1 or _all_single(text, p)):
                out[-1] = _span(text, p, t)
                continue
            if OPERATOR.match(pt) and (VALUE_TOKEN.match(tt) or _DATE_CELL.match(tt)) and not OPERATOR.match(tt):
                out[-1] = _span(text, p, t)  # (≤ | 2020年12月31日 in a 指标性质 column)
                continue
            if pt in ("≥", "≤", ">", "<", "＞", "＜") and p.line == t.line and re.fullmatch(r"[^\d\s]{1,2}(?:/[^\d\s]{1,2})?", tt) \
                    and "指标" not in tt:
                out[-1] = _span(text, p, t)  # ≥ 场/站: a target whose figure was left out
                continue
            if pt in ("定性", "定量") and not VALUE_TOKEN.match(tt) and len(tt) <= 8 and p.line == t.line:
                out[-1] = _span(text, p, t)  # 定性 | 优良中低差: a qualitative target with its scale
                continue
            if UNIT_ONLY.match(tt) and PLAIN_NUMBER.match(pt.split()[-1] if pt.split() else pt) and \
                    (p.line == t.line or tt not in ("年", "月", "日")):  # (a line of its own: a label printed vertically)
                out[-1] = _span(text, p, t)
                continue
            if _WEIGHT_PAREN.match(tt) and _level_kind(pt):
                out[-1] = _span(text, p, t)
                continue
            joined = _level_kind(pt + tt)
            if joined and ((not _level_kind(pt) and not _level_kind(tt)) or
                           (tt.startswith("指标") and not pt.endswith("指标")) or
                           (joined == 2 and not _level_kind(pt) and len(pt) <= 6)):
                out[-1] = _span(text, p, t)
                continue
            if pt.endswith("指标") and _WEIGHT_PAREN.match(tt):
                out[-1] = _span(text, p, t)
                continue
        out.append(t)
    return out


def _all_single(text: str, tok: Tok) -> bool:
    """Whether ``tok`` was itself built from single characters separated by spaces."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff])+", tok.text))


# --------------------------------------------------------------------------- vocabulary

WS = lazy(r"[\s|｜]+")
LEVEL1 = lazy(r"^(?:项目)?(产出|效益|满意度|成本|决策|过程|管理)(指标)?(?:[（(]\s*" + NUM + r"\s*分?\s*[）)])?$")
# the 二级指标 names of 财预〔2020〕10号 (a bare 满意度 is read as one too where a whole cell is matched)
# (财预〔2021〕101号 made 成本 a 一级指标 of its own, with 经济成本 / 社会成本 / 生态环境成本 under it)
LEVEL2_STEMS = "数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|服务对象"
LEVEL2 = lazy(rf"^({LEVEL2_STEMS}|满意度)(指标)?"
                    r"(?:[（(][^）)]*[）)])?(?:[（(]\s*" + NUM + r"\s*分?\s*[）)])?$")
INDICATOR_PREFIX = lazy(r"^(?:★|☆|\*)?指标\s*\d+(?:\s*[:：]|(?=[\u4e00-\u9fff])|$)")  # 指标1：… / 指标1安全率 / 指标2
TOTAL = lazy(r"^(总分|合计|总计|小计|得分合计|分值合计|综合得分|自评得分|总得分)[:：]?$")
FUNDS_LABEL = lazy(r"^(?:年度资金总额|资金总额|其中\s*[:：]?.{0,12}|[\u4e00-\u9fff]{0,6}财政拨款.{0,6}|上年结转.{0,4}|"
                         r"其他资金.{0,6}|自筹资金|单位自筹|社会资金|中央.{0,6}资金|省级.{0,6}资金|自治区.{0,6}资金|市级.{0,6}资金|"
                         r"县级.{0,6}资金|区级.{0,6}资金|(?:地方|本级|上级|乡镇|部门|专项|债券|配套).{0,4}资金|"
                         # a source named by its level: 县级配套, 中央和省级补助, 市级奖补
                         r"(?:中央|省级|自治区|市级|县级|区级|乡镇|镇级|省|市|县|区)[\u4e00-\u9fff]{0,6}?(?:配套|补助|奖补|投入|拨款|财政))[:：]?$")
# (a form that prints 年度总体目标 vertically, one character a line, has only its cells' words)
FUNDS_END = lazy(r"年度总体目标|总体目标|绩效指标|一级指标|年度绩效指标|预期目标|实际完成情况")


def _level_kind(text: str) -> int:
    """1 for a 一级指标 name, 2 for a 二级指标 name, 0 otherwise (whitespace ignored)."""
    t = WS.sub("", text)
    if LEVEL1.match(t) and not t.startswith(("成本指标", "成本")):
        return 1
    if LEVEL2.match(t):
        return 2
    if t in ("成本指标",):
        return 2
    # the first line of a 二级 name wrapped in a narrow column: 可持续影 / 响指标
    if len(t) >= 4 and any(f"{stem}指标".startswith(t) and len(t) < len(stem) for stem in LEVEL2_STEMS.split("|")):
        return 2
    return 0


# the rest of a level name wrapped over lines (响指标, 度指, 标): part of no cell
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标")
_LEVEL_NAMES = [f"{stem}指标" for stem in LEVEL2_STEMS.split("|")] + list(LEVEL1_NAMES)


# the second character of a 二级 name printed two characters a row (数/量, 时/效), alone on its line
LEVEL2_TAILS = frozenset("量效本济会态")


def _level_fragment(text: str) -> bool:
    t = WS.sub("", text)
    return 0 < len(t) <= 5 and ("指" in t or "标" in t) and not _level_kind(t) and \
        any(t in name and t != name for name in _LEVEL_NAMES)


def _is_value(text: str) -> bool:
    return bool(VALUE_TOKEN.match(WS.sub("", text)))


# --------------------------------------------------------------------------- headers

FUNDS_FIELDS: list[tuple[str, re.Pattern]] = [
    ("budget_initial", lazy(r"年初预算数?")),
    ("budget_full", lazy(r"(?:全年|调整后)预算数?|(?<!年初)预算数")),
    ("executed", lazy(r"(?:全年)?执行数|实际支出数?")),
    ("weight", lazy(rf"(?:分值|权重)(?:[（(]\s*{NUM}\s*分?[）)])?")),
    # 执行率, or its last character misread by OCR (执行攀) before the next header word (the
    # header is read with blanks squeezed out)
    ("rate", lazy(r"执行率|执行[^数\d分(（](?=得分|分值|[（(]|$)")),
    ("method", lazy(r"得分计算方法")),
    ("score", lazy(r"得分(?!计算|率)|自评分")),
]
IND_FIELDS: list[tuple[str, re.Pattern]] = [
    ("level1", lazy(r"一级指标")),
    ("level2", lazy(r"二级指标")),
    # a plain 指标 column word just before 指标值 names the indicators (指标 | 指标值 | 完成值 | 分值 | 得分)
    ("level3", lazy(r"三级指标|指标名称|指标内容|具体指标|(?<![一二三级值])指标(?=(?:年度|年初|预期)?(?:指标值|目标值))")),
    ("weight", lazy(r"分值|权重|标准分")),
    ("target", lazy(r"(?:年度|年初|预期)?(?:指标值|目标值)|年度(?=实际)|计划值")),
    ("actual", lazy(r"(?:全年)?实际(?:完成)?值|完成值|实际完成情况|完成情况|实施进度|完成进度|实际(?=分值)")),
    ("method", lazy(r"得分计算方法|计算方法")),
    ("score", lazy(r"得分(?!计算|率)|自评分")),
    ("reason", lazy(r"(?:(?:偏差|未完成)原因(?:分析)?|原因分析)(?:及|和|与)?(?:拟采取的)?(?:改进措施)?|改进措施")),
]
FUNDS_HEADER_ANCHOR = lazy(r"(?:年初预算|全年预算|预算数)")
IND_HEADER_ANCHOR = lazy(r"一级指标|二级指标|三级指标|指标名称|(?<![一二三级值\u4e00-\u9fff])指标(?=[ \t|｜\n]{0,6}(?:年度|年初|预期)?(?:指标值|目标值))")


@dataclass
class Header:
    fields: list[str]  # in column order
    cells: list[Tok]  # where each field's word is written
    end: int  # offset just after the header words


def _squash_index(text: str, start: int, end: int) -> tuple[str, list[int]]:
    keep = [i for i in range(start, end) if not (text[i].isspace() or text[i] in "|｜")]
    return "".join(text[i] for i in keep), keep


def read_header(text: str, start: int, end: int, spec: list[tuple[str, re.Pattern]], first: set[str],
                window: int = 160) -> Header | None:
    """The header fields found in order from ``start`` (whitespace and pipes ignored); the
    first must be one of ``first``."""
    sq, idx = _squash_index(text, start, min(end, start + window * 3))
    sq = sq[:window]
    pos, fields, cells = 0, [], []
    last_end = start
    while pos < len(sq):
        best = None
        for name, pat in spec:
            if name in fields:
                continue
            m = pat.search(sq, pos)
            if m and m.end() > m.start() and (best is None or m.start() < best[1].start()):
                best = (name, m)
        if best is None:
            break
        name, m = best
        if not fields and name not in first:
            pos = m.end()
            continue
        gap = sq[pos:m.start()]
        bare_gap = re.sub(r"[（(][^（()）]{0,8}[）)]?", "", gap)  # (A), (万元), (10分) belong to a header
        if fields and (len(gap) > 14 or re.search(r"\d|[，。；,;]", bare_gap)):
            break  # too far, or a sentence with figures between the words: not a header
        fields.append(name)
        a, b = idx[m.start()], idx[m.end() - 1] + 1
        cells.append(Tok(text[a:b], a, b, 0))
        last_end = b
        pos = m.end()
    adjacent_pair = len(fields) == 2 and "executed" in fields and \
        len(re.sub(r"\s", "", text[cells[0].start:cells[1].end])) <= 14
    if len(fields) < 3 and not adjacent_pair:
        return None
    return Header(fields=fields, cells=cells, end=last_end)


# --------------------------------------------------------------------------- alignment


def _ind_fit(field: str, tok: Tok) -> float | None:
    """How well ``tok`` fits indicator column ``field`` (None: impossible)."""
    t = WS.sub("", tok.text)
    if field in ("weight", "score"):
        # one number where two columns could hold it: a score needs a weight, so it is the weight
        return (3.05 if field == "weight" else 3.0) if SCORE_TOKEN.match(t) else None
    if field == "level3":
        if SCORE_TOKEN.match(t) or (_level_kind(t) and re.search(r"指标(?:[（(][^）)]*[）)])?$", t)):
            return None
        return 0.3 if _is_value(t) else 2.0  # a name that reads like a value ("2020年全年") is possible, not likely
    if field in ("target", "actual"):
        return 1.5 if _is_value(t) else 1.0
    if field == "method":
        return 0.2 if not _is_value(t) else None
    if field == "reason":
        if SCORE_TOKEN.match(t):
            return 0.05  # a bare number in the reason column (0, 1) only when nothing else fits
        return 0.1 if _is_value(t) else 0.5  # a reason is words, rarely a bare value
    return None


def align(tokens: list[Tok], fields: list[str], fit, bonus=None, margin: float = 1e-9) -> list[tuple[str, Tok]] | None:
    """The best order-preserving placement of ``tokens`` in ``fields`` (None if there is
    no possible placement or two placements are equally good).  ``fit(field, tok)`` scores
    one cell in one column; ``bonus(placement)`` scores how well a whole row holds together."""
    n, k = len(fields), len(tokens)
    if k == 0 or k > n:
        return None
    best: list[tuple[float, tuple[int, ...]]] = []
    for combo in itertools.combinations(range(n), k):
        total = 0.0
        ok = True
        for tok, fi in zip(tokens, combo):
            f = fit(fields[fi], tok)
            if f is None:
                ok = False
                break
            total += f
        if not ok:
            continue
        if bonus is not None:
            total += bonus({fields[fi]: tok for tok, fi in zip(tokens, combo)})
        best.append((total, combo))
    if not best:
        return None
    best.sort(key=lambda x: -x[0])
    if len(best) > 1 and best[0][0] - best[1][0] < margin:
        a, b = best[0][1], best[1][1]
        # equally good readings are fine when they differ only in free-text columns or in
        # where a placeholder (-, /) goes; a number that could sit in two columns is not
        numeric = ("weight", "score", "rate", "executed", "budget_full", "budget_initial")
        budgets = {"budget_full", "budget_initial"}  # one budget figure: 年初 or 全年 is the same money
        if any((fields[i] in numeric or fields[j] in numeric) and not DASH.match(WS.sub("", tok.text))
               and not {fields[i], fields[j]} <= budgets
               for tok, i, j in zip(tokens, a, b) if i != j):
            return None
    return [(fields[fi], tok) for tok, fi in zip(tokens, best[0][1])]


# --------------------------------------------------------------------------- rows


def _cut_rows(toks: list[Tok], is_start, line_mode: bool) -> list[list[Tok]]:
    """Rows of the token stream: a new row wherever ``is_start(i, cur)`` says ``toks[i]`` starts
    one after the cells ``cur``, and in line mode at every line end (a line holding only labels
    joins the line after it)."""
    rows: list[list[Tok]] = []
    cur: list[Tok] = []
    for i, t in enumerate(toks):
        new = False
        if cur:
            if is_start(i, cur):
                new = True
            elif line_mode and t.line != cur[-1].line and any(_is_value(c.text) for c in cur):
                new = True
        if new:
            rows.append(cur)
            cur = []
        cur.append(t)
    if cur:
        rows.append(cur)
    return rows


def _line_mode(toks: list[Tok]) -> bool:
    """Whether rows are lines (several cells per line) rather than one cell per line."""
    lines: dict[int, int] = {}
    for t in toks:
        lines[t.line] = lines.get(t.line, 0) + 1
    if not lines:
        return False
    multi = sum(1 for n in lines.values() if n >= 3)
    return multi >= max(2, len(lines) // 4)


def _cell(tok: Tok, row: int, col: int) -> Cell:
    return Cell(text=tok.text, start=tok.start, end=tok.end, row=row, col=col)


# a figure in a unit that is no money and no rate cannot be a cell of the funds rows
NOT_MONEY_UNIT = lazy(r"\d\s*(?!万元|元|亿元|%|％)[\u4e00-\u9fff]")


def funds_block(text: str, start: int, end: int) -> tuple[Table, int] | None:
    """The funds block that starts near ``start`` as a table, and where it ends."""
    header = read_header(text, start, end, FUNDS_FIELDS, {"budget_initial", "budget_full"})
    if header is None or "executed" not in header.fields or not ({"budget_initial", "budget_full"} & set(header.fields)):
        return None
    return _funds_rows(text, header, end)


FUNDS_DEFAULT = ["budget_initial", "budget_full", "executed", "weight", "rate", "score"]
# the funds total row of a form written without its header: 年度资金总额 156.00 156.00 141.60 10 90.77% 9.08
HEADERLESS_FUNDS = lazy(rf"(?m)^[ \t|｜]*(?:年度)?资金总额[ \t:：|｜]*(?P<v>(?:{NUM}[ \t|｜]+){{4}}{NUM}\s*[%％][ \t|｜]+{NUM})[ \t|｜]*$")


def headerless_funds(text: str, start: int, end: int) -> tuple[Table, int] | None:
    """The funds block of a form written without its header row, read with the standard
    columns (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分) when its total row has all six
    figures and its 执行率 is its 执行数 ÷ 全年预算数."""
    m = HEADERLESS_FUNDS.search(text, start, end)
    if m is None:
        return None
    nums = [parse_number(x) for x in re.findall(rf"{NUM}", m.group("v"))]
    if len(nums) != 6 or not nums[1] or nums[4] is None or abs(nums[2] / nums[1] * 100 - nums[4]) > 0.06:
        return None
    s0 = m.start() + len(m.group()) - len(m.group().lstrip(" \t|｜"))
    header = Header(fields=list(FUNDS_DEFAULT), cells=[Tok("", s0, s0, 0) for _ in FUNDS_DEFAULT], end=s0)
    got = _funds_rows(text, header, end)
    if got is not None:
        got[0].rows[0] = []  # no header cells to quote
    return got


def _funds_rows(text: str, header: Header, end: int) -> tuple[Table, int] | None:
    """The funds rows after ``header`` as a table, and where they end."""
    stop = FUNDS_END.search(text, header.end, end)
    block_end = stop.start() if stop else min(end, header.end + 1500)
    value_fields = [f for f in header.fields if f != "method"]
    toks = _unglue_funds(text, tokenize(text, header.end, block_end), value_fields)

    def is_start(i: int, cur: list[Tok]) -> bool:
        return bool(FUNDS_LABEL.match(WS.sub("", toks[i].text)))

    # the row label in column 0, the header's fields from column 1
    rows_out: list[list[Cell]] = [[_cell(t, 0, i + 1) for i, t in enumerate(header.cells)]]
    col_of = {f: i + 1 for i, f in enumerate(header.fields)}
    total_row: dict[str, float] = {}  # the first row's money: a source row of one-source funding repeats it
    last_end = header.end
    for row in _cut_rows(toks, is_start, line_mode=False):
        label = row[0]
        if not FUNDS_LABEL.match(WS.sub("", label.text)):
            continue
        vals = []
        for t in row[1:]:
            if not _is_value(t.text) or NOT_MONEY_UNIT.search(t.text):
                break  # (其中高效节水灌溉0.5万亩: a goal's figure, not money)
            vals.append(t)
        fields = value_fields
        money = [f for f in value_fields if f in _MONEY]
        if total_row and money and len(vals) > len(money) and all(DASH.match(WS.sub("", t.text)) for t in vals[len(money):]):
            vals = vals[:len(money)]  # "— 13.00 11.00 — —": the money columns, then dashes for 分值 and 得分
        if total_row and money and len(vals) <= len(money) and not any("%" in t.text or "％" in t.text for t in vals):
            # a source row (其中：财政拨款, 上年结转) carries money only: 分值, 执行率 and 得分 belong
            # to the total row, so its figures are not read as a weight and a score
            fields = money
        placed = _align_funds(vals, fields, total_row)
        r = len(rows_out)
        cells = [_cell(label, r, 0)]
        if placed:
            for f, t in placed:
                if DASH.match(WS.sub("", t.text)):
                    continue
                cells.append(_cell(t, r, col_of[f]))
        rows_out.append(cells)
        last_end = (vals[-1] if vals else label).end
        if not total_row and placed:
            total_row = {f: v for f, t in placed if f in ("budget_initial", "budget_full", "executed")
                         and (v := parse_number(t.text)) is not None}
    if len(rows_out) < 2:
        return None
    columns = {f: c for f, c in col_of.items() if f != "method"}
    return Table(index=0, rows=rows_out, start=header.cells[0].start, end=last_end, columns=columns), last_end


GLUED_LABEL = lazy(r"(?P<label>年度资金总额|资金总额|其中\s*[:：]?[^\d\s]{0,12}?|[^\d\s]{0,6}财政拨款|上年结转(?:资金)?|"
                         r"其他资金(?:[（(][^（()）\d]{1,8}[）)])?|(?:中央|省级|市级|县级|区级)[^\d\s]{0,4}?资金)\s*[:：]?"
                         r"(?P<run>\d[\d.,]*(?:[%％][\d.]*)?(?:万元|元)?)")
GLUED_RUN = lazy(r"^\d[\d.]*(?:[%％][\d.]*)?$")
DASH_THEN_LABEL = lazy(r"[-—－/／]+(?=[\u4e00-\u9fff])")
_PIECE = lazy(r"^(?:0|[1-9]\d*)(?:\.\d{1,4})?$")


def _unglue_funds(text: str, toks: list[Tok], fields: list[str]) -> list[Tok]:
    """Split cells where a row label and its figures ran together (``资金总额10001000100%20``):
    the label, then each figure, when only one reading of the run holds together."""
    out: list[Tok] = []
    known: dict[str, float] = {}  # the first row read: a source row of the same money repeats it
    todo = list(reversed(_split_sub_labels(toks)))
    while todo:
        t = todo.pop()
        # the dashes of the row before's empty cells glued to a label: "—上年结转资金", "-县级资金"
        lead = DASH_THEN_LABEL.match(t.text)
        if lead and FUNDS_LABEL.match(WS.sub("", t.text[lead.end():])):
            out.append(Tok(t.text[:lead.end()], t.start, t.start + lead.end(), t.line))
            t = Tok(t.text[lead.end():], t.start + lead.end(), t.end, t.line)
        m = GLUED_LABEL.search(t.text)
        bare = WS.sub("", t.text)
        if not m and GLUED_RUN.match(bare) and not VALUE_TOKEN.match(bare) and known:
            pieces = split_glued(bare, fields, known) if bare == t.text else None
            if not pieces and bare == t.text:
                got = split_glued_decimals(bare, fields, known)
                pieces = got[0] if got else None
            if pieces and len(pieces) > 1:
                out.extend(Tok(t.text[x:y], t.start + x, t.start + y, t.line) for x, y in pieces)
                continue
        if not m or (m.start() > 0 and FUNDS_LABEL.match(bare)):
            out.append(t)
            continue
        a = t.start
        if m.start() > 0:
            out.append(Tok(t.text[:m.start()], a, a + m.start(), t.line))
        ls, le = a + m.start("label"), a + m.end("label")
        out.append(Tok(text[ls:le], ls, le, t.line))
        rs, re_ = a + m.start("run"), a + m.end("run")
        run = text[rs:re_]
        unit = re.search(r"(?:万元|元)$", run)
        digits_end = re_ - (len(unit.group()) if unit else 0)
        digits = text[rs:digits_end]
        pieces, cols = _read_glued_run(digits, fields, known)
        if pieces and len(pieces) > 1:
            out.extend(Tok(text[rs + x:rs + y], rs + x, rs + y, t.line) for x, y in pieces)
            if not known and cols:
                known = {f: to_float(digits[x:y].rstrip("%％")) for f, (x, y) in zip(cols, pieces)}
        else:
            out.append(Tok(run, rs, re_, t.line))
        if re_ < t.end:
            # the next row's label and figures glued on (…190.00上年结转资金40.00…, or after the
            # dashes of the empty cells: …292.80———上年结转资金…): read the same way
            dash = re.match(r"[-—－/／\s]*", text[re_:t.end]).end()
            rest = Tok(text[re_ + dash:t.end], re_ + dash, t.end, t.line)
            if GLUED_LABEL.match(rest.text):
                if dash:
                    out.append(Tok(text[re_:re_ + dash], re_, re_ + dash, t.line))
                todo.append(rest)
            else:
                out.append(Tok(text[re_:t.end], re_, t.end, t.line))
    return out


def _read_glued_run(digits: str, fields: list[str], known: dict[str, float]) -> tuple[list[tuple[int, int]] | None, list[str]]:
    """The cuts and columns of one funds row's figures written together. The total row (no
    ``known`` yet) is read by its arithmetic, then by the way its money is written. A source
    row after it is read against the total's money, by its decimals (236.00236.00176.40), or
    as money columns only (320320313.23): 分值, 执行率 and 得分 are the total row's."""
    if not GLUED_RUN.match(digits):
        return None, []
    if known:
        got = split_glued_decimals(digits, fields, known)
        if got and len(got[0]) > 1:
            return got
        money = [f for f in fields if f in _MONEY]
        pieces = split_glued(digits, money, known) if money else None
        return (pieces, _reading_fields(digits, pieces, money)) if pieces and len(pieces) > 1 else (None, [])
    pieces = split_glued(digits, fields)
    if pieces and len(pieces) > 1:
        return pieces, _reading_fields(digits, pieces, fields)
    got = split_glued_decimals(digits, fields, known)
    return got if got else (None, [])


_SUB_LABEL = lazy(r"(?<=[。；;，,\d%％])其中\s*[:：]")


def _split_sub_labels(toks: list[Tok]) -> list[Tok]:
    """Cut a cell where a 其中： row label follows other text without a separator."""
    out: list[Tok] = []
    for t in toks:
        m = _SUB_LABEL.search(t.text)
        if m is None:
            out.append(t)
            continue
        out.append(Tok(t.text[:m.start()], t.start, t.start + m.start(), t.line))
        out.append(Tok(t.text[m.start():], t.start + m.start(), t.end, t.line))
    return out


def _reading_fields(run: str, pieces: list[tuple[int, int]], fields: list[str]) -> list[str]:
    """The columns of the coherent reading of ``pieces`` (as found by :func:`split_glued`)."""
    for combo in itertools.combinations(range(len(fields)), len(pieces)):
        row = {fields[f]: run[x:y] for f, (x, y) in zip(combo, pieces)}
        if _holds_together(row):
            return [fields[f] for f in combo]
    return []


def split_glued(run: str, fields: list[str], known: dict[str, float] | None = None) -> list[tuple[int, int]] | None:
    """The one way to cut a run of figures written without separators (``310.2154.741050%5``)
    into the funds columns so that 执行率 = 执行数 ÷ 预算数 and 得分 = 分值 × 执行率; None when no
    reading or several readings hold together."""
    n = len(run)
    if n > 24:  # longer runs have too many readings to tell apart (and cost too much to try)
        return None
    pct = run.find("%") if "%" in run else run.find("％")
    found: set[tuple[tuple[int, int], ...]] = set()
    best = 0  # the most checks a reading passes: a reading that passes more is the stronger one
    for k in range(2, min(len(fields), 6) + 1):
        for cuts in itertools.combinations(range(1, n), k - 1):
            bounds = list(zip((0,) + cuts, cuts + (n,)))
            pieces = [run[x:y] for x, y in bounds]
            if pct >= 0 and not any(y == pct + 1 for _, y in bounds):
                continue  # the percent sign closes a piece
            if not all(_PIECE.match(p.rstrip("%％")) for p in pieces):
                continue
            for combo in itertools.combinations(range(len(fields)), k):
                row = {fields[f]: p for f, p in zip(combo, pieces)}
                if known and any(f in _MONEY and (v.endswith(("%", "％")) or f in known and to_float(v) > known[f] * 1.0001)
                                 for f, v in row.items()):
                    continue  # a source of the money is no more than the total, and no rate
                checks = _holds_together(row) if not known else _repeats(row, known) + (set(row) <= set(_MONEY))
                if checks > best:
                    best, found = checks, {tuple(bounds)}
                elif checks and checks == best:
                    found.add(tuple(bounds))
    return list(next(iter(found))) if len(found) == 1 else None


_MONEY = ("budget_initial", "budget_full", "executed")


def split_glued_decimals(run: str, fields: list[str], known: dict[str, float] | None = None
                         ) -> tuple[list[tuple[int, int]], list[str]] | None:
    """A run of figures too long or too broken for :func:`split_glued` (``320.00320.00298.401095.25%9.53``)
    read from the way money is written: every amount of the row with the same number of
    decimals (320.00 | 320.00 | 298.40, one amount per money column), then 分值, 执行率 with its
    percent sign and 得分 (10 | 95.25% | 9.53).  The pieces and their columns, or None unless one
    reading stands out: the one that passes the most of 执行率 = 执行数 ÷ 预算数 and 得分 = 分值 ×
    执行率 (at least one; a figure that breaks the other is a finding, not a reason to read
    nothing); a row of money alone must repeat the row above (``known``)."""
    money = [f for f in fields if f in _MONEY]
    tail = [f for f in fields if f not in _MONEY and f != "method"]
    if not money or len(run) > 60:
        return None
    found: dict[tuple, tuple[int, list[str]]] = {}
    for d in (1, 2, 3, 4):
        bounds, pos = [], 0
        for _ in money:
            m = re.compile(rf"(?:0|[1-9]\d*)\.\d{{{d}}}").match(run, pos)
            if m is None:
                break
            bounds.append((pos, m.end()))
            pos = m.end()
        if len(bounds) != len(money):
            continue
        rest = run[pos:]
        if not rest:
            row = {f: run[x:y] for f, (x, y) in zip(money, bounds)}
            # money alone: the row above repeated (one source of funding), or a part of it (one of
            # several sources: 200.00200.00190.00 under 240.00 240.00 226.80)
            if known and (_repeats(row, known) == len(money) or
                          all(f in known and to_float(v) <= known[f] * 1.0001 for f, v in row.items())):
                found[tuple(bounds)] = (1, list(money))
            continue
        if "%" not in rest and "％" not in rest or len(rest) > 16:
            continue  # only a rate with its percent sign pins the tail down
        for cut in _tail_readings(rest, tail):
            pieces = bounds + [(pos + x, pos + y) for x, y, _ in cut]
            cols = money + [f for _, _, f in cut]
            v = {f: to_float(run[x:y].rstrip("%％")) for f, (x, y) in zip(cols, pieces)}
            budget = v.get("budget_full", v.get("budget_initial"))
            if not budget or "executed" not in v or not budget * 0.01 <= v["executed"] <= budget * 1.5:
                continue
            if "budget_full" in v and "budget_initial" in v and not 0.5 <= v["budget_full"] / (v["budget_initial"] or 1) <= 2:
                continue
            if "weight" in v and "score" in v and v["score"] > v["weight"] + 1e-9:
                continue
            # a score is written to two decimals or one: 10 × 95.25% = 9.53
            checks = _funds_checks(budget, v["executed"], v.get("rate"), v.get("weight"), v.get("score"), 0.6, 0.06)
            passed = sum(checks.values())
            if passed:
                found[tuple(pieces)] = (passed, cols)
    if not found:
        return None
    top = max(p for p, _ in found.values())
    best = [(b, c) for b, (p, c) in found.items() if p == top]
    return (list(best[0][0]), best[0][1]) if len(best) == 1 else None


def _tail_readings(rest: str, tail: list[str]):
    """Each way to cut ``rest`` into 分值 / 执行率 (with %) / 得分 in column order: the rate
    is the piece that ends at the percent sign, the others plain numbers of at most 100."""
    pct = max(rest.find("%"), rest.find("％"))
    if "rate" not in tail or rest.count("%") + rest.count("％") != 1:
        return
    before, after = rest[:pct + 1], rest[pct + 1:]
    ri = tail.index("rate")
    pre, post = tail[:ri], tail[ri + 1:]
    for a in range(len(before) - 1):
        rate = before[a:pct]
        if not _PIECE.match(rate) or not 1 <= to_float(rate) <= 150:
            continue
        for lead in _plain_cuts(before[:a], pre):
            for trail in _plain_cuts(after, post):
                yield [*lead, (a, pct + 1, "rate"), *((x + pct + 1, y + pct + 1, f) for x, y, f in trail)]


def _plain_cuts(s: str, cols: list[str]):
    """Ways to read ``s`` as one plain number (at most 100) per column of a subset of
    ``cols`` in order, every column at most once; the empty string is no figure."""
    if not s:
        yield []
        return
    for k in range(1, len(cols) + 1):
        for cuts in itertools.combinations(range(1, len(s)), k - 1):
            bounds = list(zip((0,) + cuts, cuts + (len(s),)))
            if not all(_PIECE.match(s[x:y]) and 0 < to_float(s[x:y]) <= 100 for x, y in bounds):
                continue
            for combo in itertools.combinations(cols, k):
                yield [(x, y, f) for (x, y), f in zip(bounds, combo)]


def _repeats(row: dict[str, str], known: dict[str, float]) -> int:
    """How many figures of a glued row repeat the same columns of the row above (a 其中
    row of a single-source project carries the total's money again); 0 if any differs."""
    hits = 0
    for k, x in row.items():
        if "%" in x or "％" in x or k not in known:
            return 0
        if abs(to_float(x) - known[k]) > 1e-9:
            return 0
        hits += 1
    return hits if hits >= 2 else 0


def _holds_together(row: dict[str, str]) -> int:
    """How many checks a glued funds row read this way passes (执行率 = 执行数 ÷ 预算数,
    得分 = 分值 × 执行率); 0 when a check fails or the reading has no 执行率."""
    v = {k: to_float(x.rstrip("%％")) for k, x in row.items()}
    rate = row.get("rate")
    if any(("%" in x or "％" in x) for k, x in row.items() if k != "rate"):
        return 0
    if rate is not None and "%" not in rate and "％" not in rate and 0 < v["rate"] <= 1.5:
        v["rate"] *= 100  # a rate written as a ratio (1, 0.958)
    elif rate is not None and ("%" not in rate and "％" not in rate or not 1 <= v["rate"] <= 150):
        return 0
    for k in ("weight", "score"):
        if k in v and not 0 < v[k] <= 100:
            return 0
    budget = v.get("budget_full", v.get("budget_initial"))
    if "budget_full" in v and "budget_initial" in v and v["budget_initial"] and \
            not 0.5 <= v["budget_full"] / v["budget_initial"] <= 2:
        return 0
    if budget and "executed" in v and not budget * 0.01 <= v["executed"] <= budget * 1.5:
        return 0
    checks = _funds_checks(budget, v.get("executed"), v.get("rate"), v.get("weight"), v.get("score"), 0.6, 0.6)
    if "rate" not in v or not all(checks.values()):
        return 0
    return len(checks)


def _funds_checks(budget: float | None, executed: float | None, rate: float | None, weight: float | None,
                  score: float | None, rate_tol: float, score_tol: float) -> dict[str, bool]:
    """The checks a funds row's figures allow, and whether each holds: ``rate`` (执行率, in
    percent) = 执行数 ÷ 预算数, and ``score`` 得分 = 分值 × min(执行率, 100%)."""
    out: dict[str, bool] = {}
    if rate is not None and budget and executed is not None:
        out["rate"] = abs(executed / budget * 100 - rate) <= rate_tol
    if rate is not None and weight is not None and score is not None:
        out["score"] = abs(weight * min(rate, 100) / 100 - score) <= score_tol
    return out


def _align_funds(vals: list[Tok], fields: list[str], total: dict[str, float] | None = None) -> list[tuple[str, Tok]] | None:
    """The columns of a funds row's figures: money, a weight, a rate, a score, placed so that
    the rate agrees with the money and the score with the weight; ``total`` is the first
    row's money, which a single-source row repeats."""
    if not vals:
        return []
    budget_cols = [f for f in fields if f in ("budget_initial", "budget_full")]
    if len(vals) == 1 and budget_cols and re.search(r"万元|元", vals[0].text) and "%" not in vals[0].text:
        return [(budget_cols[0], vals[0])]  # "年度资金总额：38.75万元" alone is the budget

    def fit(field: str, tok: Tok) -> float | None:
        t = WS.sub("", tok.text)
        if DASH.match(t) or t == "无":
            return 0.5
        v = parse_number(t)
        if v is None:
            return None
        pct = "%" in t or "％" in t
        if field == "rate":
            return 3.0 if pct else (1.0 if v <= 1.5 else None)
        if pct:
            return None
        if field in ("weight", "score"):
            return 1.5 if v <= 100 else None
        # one budget figure given: it is the 全年预算数 that 执行率 is computed from
        return 1.05 if field == "budget_full" else 1.0

    def coherent(row: dict[str, Tok]) -> float:
        """The reading where 执行率 = 执行数 ÷ 预算数 and 得分 = 分值 × 执行率 is the right one."""
        got = {k: parse_number(t.text) for k, t in row.items() if not DASH.match(WS.sub("", t.text))}
        rate = got.get("rate")
        if rate is not None and "%" not in row["rate"].text and "％" not in row["rate"].text:
            rate *= 100
        out = 0.0
        for f, v in (total or {}).items():  # the same money as the total row, in the same column
            if got.get(f) is not None and abs(got[f] - v) < 1e-9:
                out += 1.0
        checks = _funds_checks(got.get("budget_full") or got.get("budget_initial"), got.get("executed"), rate,
                               got.get("weight"), got.get("score"), 1.0, 0.51)
        return out + 2.0 * checks.get("rate", False) + 1.0 * checks.get("score", False)

    return align(vals, fields, fit, coherent, margin=0.5)


ELLIPSIS = ("……", "…", "...", "......")  # the template's "more rows here" line
HEADER_WORDS = lazy(r"^(?:指标值|完成值|年度|实际|分值|得分|指标|目标值|实际值|全年|预期|一级|二级|三级|"
                          r"偏差原因|原因分析|改进措施|及|和|计算方法)+$")


def _ind_rows(text: str, header: Header, start: int, end: int) -> tuple[list[list[Cell]], int, bool]:
    """The indicator rows of ``text[start:end]`` under ``header``, where they end, and whether
    cells that ran together had to be cut apart (then the table is only partly reliable)."""
    toks = tokenize(text, start, end)
    # leftovers of a header broken over lines (指标值 完成值), and weights of unnamed groups
    lead = 0
    while lead < len(toks) and HEADER_WORDS.match(WS.sub("", toks[lead].text)):
        lead += 1
    # (a lone 指标 is the second line of a level name wrapped in a narrow column: 产出 / 指标)
    per_line = Counter(t.line for t in toks[lead:])
    toks = [t for t in toks[lead:] if not _WEIGHT_PAREN.match(WS.sub("", t.text)) and not _level_fragment(t.text)
            and not (per_line[t.line] == 1 and WS.sub("", t.text) in LEVEL2_TAILS)]
    # the first line of a 一级 name wrapped in a narrow column, right before a 二级 name: 满意 / 服务对象
    toks = [t for k, t in enumerate(toks) if not (
        k + 1 < len(toks) and _level_kind(toks[k + 1].text) == 2 and not _level_kind(t.text)
        and any(name.startswith(WS.sub("", t.text)) for name in LEVEL1_NAMES)
        and len(WS.sub("", t.text)) >= 2)]
    toks, glued = _unglue_indicators(text, toks, [f for f in header.fields if f in ("target", "actual", "weight", "score")])
    line_mode = _line_mode(toks)
    fields = header.fields
    col_of = {f: i for i, f in enumerate(fields)}
    tail_fields = [f for f in fields if f not in ("level1", "level2")]

    def is_start(i: int, cur: list[Tok]) -> bool:
        t = toks[i]
        s = WS.sub("", t.text)
        k = _level_kind(s)
        if k == 1 or _custom_level1(toks, i):
            return True
        if k == 2:
            prev = _level_kind(cur[-1].text)
            if prev == 1 or (len(cur) == 1 and i > 0 and _custom_level1(toks, i - 1)):
                return False
            return not (prev == 2 and not s.endswith("指标"))  # 服务对象满意度 under its 二级 is a name
        if INDICATOR_PREFIX.match(s) or TOTAL.match(s) or s.startswith("其中"):
            return True
        if t.head and any(not _level_kind(c.text) for c in cur):
            return True
        if s in ELLIPSIS:
            return True
        if not line_mode and not _is_value(s):
            # a name after a row that already has its values starts the next row, unless the
            # rhythm of numbers says it is this row's 偏差原因 (the next weight comes one cell late)
            has_vals = sum(1 for c in cur if _is_value(c.text))
            need = sum(1 for f in tail_fields if f in ("target", "actual", "weight", "score"))
            # a result in words (有所提升) is no figure: a row that ends in its weight and score is whole
            worded = has_vals == need - 1 and len(cur) >= 3 and \
                all(SCORE_TOKEN.match(WS.sub("", c.text)) for c in cur[-2:]) and not _is_value(cur[-3].text)
            if has_vals < max(1, need) and not worded:
                return False
            if "reason" in tail_fields and "weight" in tail_fields and not _has_text_after_score(cur):
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                after = toks[i + 2] if i + 2 < len(toks) else None
                if nxt is not None and after is not None and not _is_value(nxt.text) and not _level_kind(nxt.text) \
                        and _is_value(after.text) and not re.match(r"[≥≤><=＞＜]", WS.sub("", nxt.text)):
                    return False  # text, then a name followed by its target: this text is the reason
                gap = _next_number_gap(toks, i)
                if gap is None or gap == tail_fields.index("weight") + 1:
                    return False
            return True
        return False

    out: list[list[Cell]] = []
    last_end = start
    text_end = len(text.rstrip())
    for row in _cut_rows(toks, is_start, line_mode):
        lead: list[tuple[str, Tok]] = []
        rest = list(row)
        if len(rest) > 1 and _custom_level1(rest, 0):
            lead.append(("level1", rest.pop(0)))
        while rest and _level_kind(rest[0].text):
            k = _level_kind(rest[0].text)
            lead.append(("level1" if k == 1 else "level2", rest.pop(0)))
        if lead and lead[-1][0] == "level2" and len(lead) >= 2 and (not rest or _is_value(rest[0].text)) and \
                not WS.sub("", lead[-1][1].text).endswith("指标"):
            rest.insert(0, lead.pop()[1])  # a name such as 服务对象满意度 right after its 二级 指标
        first = WS.sub("", rest[0].text) if rest else ""
        if rest and TOTAL.match(first):
            r = len(out) + 1
            cells = [_cell(rest[0], r, 0)]
            nums = [t for t in rest[1:] if SCORE_TOKEN.match(WS.sub("", t.text))]
            if "weight" in col_of and len(nums) >= 2:
                cells += [_cell(nums[0], r, col_of["weight"]), _cell(nums[1], r, col_of["score"])] if "score" in col_of else []
            elif nums and "score" in col_of:
                cells.append(_cell(nums[-1], r, col_of["score"]))
            out.append(cells)
            last_end = row[-1].end
            continue
        if first in ELLIPSIS:
            continue
        if len(rest) > len(tail_fields):
            rest = rest[:len(tail_fields)]
        if rest and len(WS.sub("", rest[0].text)) > 60:
            continue  # a paragraph, not an indicator name: the row could not be read
        if rest and rest[-1].end >= text_end - 1 and not any(_is_value(t.text) for t in rest[1:]) \
                and len(WS.sub("", rest[0].text)) < 4:
            continue  # the text stops inside this row's name
        placed = align(rest, tail_fields, _ind_fit, _ind_coherent) if rest else []
        if placed is None:
            continue
        r = len(out) + 1
        cells = []
        for f, t in lead:
            if f in col_of:
                cells.append(_cell(t, r, col_of[f]))
        for f, t in placed:
            cells.append(_cell(t, r, col_of[f]))
        if not cells:
            continue
        cells.sort(key=lambda c: c.col)
        out.append(cells)
        last_end = row[-1].end
    return out, last_end, glued


FORM_NOTE = lazy(r"\s*(?:注|备注|说明|填表说明)\s*\d?\s*[:：]")
GLUED_LEVEL = lazy(r"(?:项目)?(?:产出|效益|满意度)指标(?:[（(]\s*\d+\s*分?\s*[）)])?|"
                         rf"(?:{LEVEL2_STEMS})指标(?:[（(][^（）()]{{0,12}}[）)])?")
_ONE_VALUE = r"(?:[≥≤><=＞＜]\s*)?\d[\d.]*\s*(?:%|％|万元|亿元|元|人次|人|户|个|次|年|亩|米|公里|辆|台|套|处|项)?"
ONE_VALUE = lazy(_ONE_VALUE)
VALUE_RUN = lazy(rf"(?:{_ONE_VALUE})+$")  # the figures that end a glued piece


def _unglue_indicators(text: str, toks: list[Tok], value_fields: list[str]) -> tuple[list[Tok], bool]:
    """Cut cells where a whole form ran together without separators (OCR or copied PDF text):
    at every 一级/二级 name inside a long cell, then each piece into its name and the figures
    that end it; figures written without units or percent signs are split only when one
    reading holds together (:func:`split_glued_values`).  Also says whether any cell was cut."""
    out: list[Tok] = []
    cut_any = False
    for t in toks:
        starts = [m for m in GLUED_LEVEL.finditer(t.text)]
        # (a short cell cut only where it opens with a level name: 质量指标免费开放服务规范达标率)
        short = len(t.text) < 20 and not (starts and starts[0].start() == 0 and
                                          re.match(r"[\u4e00-\u9fff]{3}", t.text[starts[-1].end():]))
        if short or not starts or (len(starts) == 1 and starts[0].start() == 0 and starts[0].end() == len(t.text)) \
                or FORM_NOTE.match(t.text):  # 注:1.一级指标分值统一设置为:产出指标50分… is the form's note, not its cells
            out.append(t)
            continue
        cut_any = True
        cuts = sorted({0, *(m.start() for m in starts), *(m.end() for m in starts), len(t.text)})
        for a, b in zip(cuts, cuts[1:]):
            piece = t.text[a:b]
            if not piece.strip():
                continue
            if GLUED_LEVEL.fullmatch(piece.strip()):
                out.append(Tok(piece, t.start + a, t.start + b, t.line))
                continue
            out.extend(_indicator_groups(t.start + a, piece, t.line, value_fields))
    return out, cut_any


# an indicator's figures run together after its name: target (an operator, a number, a unit),
# actual (a number, the same unit), then 分值 and 得分 as one run of digits (≥42个42个1515)
_NUM_R = r"(?:0|[1-9]\d*)(?:\.\d+)?"
_NUMC_R = r"(?:[1-9]\d{0,2}(?:,\d{3})+|0|[1-9]\d*)(?:\.\d+)?"  # a target or result may group its thousands
_UNIT_R = r"(?:%|％|[^\d\s.%％≥≤><=＞＜，,。；;:：、()（）|｜]{1,6}?)"
# the result may repeat the target's operator (≥90%≥90%1010: the range copied as the result)
FIGURE_GROUP = lazy(rf"(?P<op>(?:{OPERATOR_WORDS})=?)?(?P<t>{_NUMC_R})(?P<u>{_UNIT_R})(?P<aop>(?:(?:{OPERATOR_WORDS})=?)?)(?P<a>{_NUMC_R})(?P=u)"
                          r"(?P<ws>\d[\d.]*)")
# a time indicator's target and result dates, then 分值得分: 2020年12月31日前2021年4月底1010
_DATE_R = r"(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?(?:底|末|中旬|上旬|下旬)?(?:前|以前|之前)?"
DATE_GROUP = lazy(rf"(?P<op>)(?P<t>{_DATE_R})(?P<u>)(?P<aop>)(?P<a>{_DATE_R})(?P<ws>\d[\d.]*)")
GLUED_TOTAL = lazy(r"(?P<label>总分|合计|总计|得分合计|总得分)[:：]?(?P<run>\d[\d.]*)")
_WEIGHT_PIECE = lazy(r"^(?:0|[1-9]\d*)(?:\.\d)?$")


def split_weight_score(run: str, max_weight: float = 50, min_weight: float = 0) -> list[tuple[int, int]] | None:
    """The one way to cut 分值 and 得分 written together (``1515`` → 15 | 15, ``109.34`` →
    10 | 9.34, ``10099.53`` → 100 | 99.53 for a total): a weight above ``min_weight`` and at
    most ``max_weight`` with at most one decimal, a score from 0 to the weight; None when no
    reading or more than one holds."""
    found = []
    for c in range(1, len(run)):
        w, sc = run[:c], run[c:]
        if _WEIGHT_PIECE.match(w) and _PIECE.match(sc) and min_weight < to_float(w) <= max_weight and \
                to_float(sc) <= to_float(w):
            found.append([(0, c), (c, len(run))])
    return found[0] if len(found) == 1 else None


def _indicator_groups(base: int, piece: str, line: int, value_fields: list[str]) -> list[Tok]:
    """A glued piece holding one or more indicators written ``name target actual 分值得分``
    one after the other (运行维护雨量站≥42个42个1515更新预警广播≥35套31套1010), cut into a name
    cell and one cell per figure each; a target and an actual must share their unit and be
    of the same size, and 分值/得分 must split one way only.  From the first group that does
    not hold, and in a piece without such groups, the piece is read as before
    (:func:`_name_and_values`); a glued total (总分10099.53) ends the piece."""
    # only under 分值 and 得分: a lone 得分 after two figures is no check on where the figures end
    if value_fields != ["target", "actual", "weight", "score"]:
        return _name_and_values(base, piece, line, value_fields)
    out: list[Tok] = []
    pos = name_from = 0
    while True:
        g = _next_group(piece, pos)
        if g is None:
            break
        m, ws = g
        name = piece[name_from:m.start()].strip(" ,，;；")
        if not name or len(name) > 60:
            break
        ns = piece.index(name, name_from)
        out.append(Tok(name, base + ns, base + ns + len(name), line, head=True))
        t_end = m.end("u")
        out.append(Tok(piece[m.start():t_end], base + m.start(), base + t_end, line))
        out.append(Tok(piece[m.start("aop"):m.start("ws")], base + m.start("aop"), base + m.start("ws"), line))
        if ws is None:
            # 分值/得分 that split more than one way (or none): read neither, and the digits
            # stay with the text after them, where the next name starts
            pos, name_from = m.end("ws"), m.start("ws")
            continue
        out.extend(Tok(piece[m.start("ws") + x:m.start("ws") + y], base + m.start("ws") + x, base + m.start("ws") + y, line)
                   for x, y in ws)
        pos = name_from = m.start("ws") + ws[-1][1]
    if not out:
        return _name_and_values(base, piece, line, value_fields)
    rest = piece[pos:]
    mt = GLUED_TOTAL.match(rest)
    if mt:
        out.append(Tok(mt.group("label"), base + pos, base + pos + len(mt.group("label")), line))
        rs = pos + mt.start("run")
        run = mt.group("run").rstrip(".")
        pair = split_weight_score(run, 100, 50)  # the form's total weight: 100, or 90 without the funds
        if pair:
            out.extend(Tok(run[x:y], base + rs + x, base + rs + y, line) for x, y in pair)
        elif _PIECE.match(run) and to_float(run) <= 100:
            out.append(Tok(run, base + rs, base + rs + len(run), line))
        pos = rs + len(run)
        rest = piece[pos:]
    if rest.strip():
        out.extend(_name_and_values(base + pos, rest, line, value_fields))
    return out


def _next_group(piece: str, pos: int):
    """The first figure group at or after ``pos`` that holds together, with the cuts of its
    分值/得分 run."""
    for start in range(pos, len(piece)):
        if start > pos and (piece[start - 1].isdigit() or piece[start - 1] == "." or
                            (piece[start - 1] == "," and start > 1 and piece[start - 2].isdigit())):
            continue  # a number starts at the first of its digits
        m = FIGURE_GROUP.match(piece, start)
        if m is not None:
            t, a = to_float(m.group("t")), to_float(m.group("a"))
            if t > 0 and not 1 / 20 <= a / t <= 20:
                m = None
            elif piece.startswith(m.group("u"), m.end("ws")):
                m = None  # 1年1年1年10: the "score" has the unit too, the figures start one later
        if m is None:
            m = DATE_GROUP.match(piece, start)
        if m is None:
            continue
        return m, split_weight_score(m.group("ws").rstrip("."))
    return None


# a target and its result written the same and glued to the end of a name: 长期长期, 2021年11月底前2021年11月底前
DOUBLED_TAIL = lazy(r"(?P<w>[^\s|｜]{2,14}?)(?P=w)$")


def _name_and_values(base: int, piece: str, line: int, value_fields: list[str]) -> list[Tok]:
    """A glued piece ``name + figures`` as a name cell and one cell per figure."""
    m = VALUE_RUN.search(piece)
    if m is None or m.start() == 0 and len(piece) > 20:
        return [Tok(piece, base, base + len(piece), line)]
    out = []
    name = piece[:m.start()].rstrip(" ,，")
    doubled = DOUBLED_TAIL.search(name)
    if doubled and len(name) - len(doubled.group()) >= 2:
        # 管护机制长效运行长期长期: a name, then a 指标值 and a 完成值 written the same, run together
        w, k = doubled.group("w"), doubled.start()
        out += [Tok(name[:k], base, base + k, line), Tok(w, base + k, base + k + len(w), line),
                Tok(w, base + k + len(w), base + len(name), line)]
    elif name.strip():
        out.append(Tok(name, base, base + len(name), line))
    run, rs = m.group(), base + m.start()
    values = [(v.start(), v.end()) for v in ONE_VALUE.finditer(run)]
    if len(values) == 1 and re.fullmatch(r"\d+(?:\.\d+)?", run) and len(run) >= 3:
        split = split_glued_values(run, value_fields)
        values = split if split else values
    elif doubled and len(values) == 1 and re.fullmatch(r"([1-9])\1", run) and value_fields[-2:] == ["weight", "score"]:
        values = [(0, 1), (1, 2)]  # …底前2021年11月底前55: a weight of 5 scored 5
    out.extend(Tok(run[x:y], rs + x, rs + y, line) for x, y in values)
    return out


def split_glued_values(run: str, fields: list[str]) -> list[tuple[int, int]] | None:
    """The one way to cut digits written together (``6620`` → 6 | 6 | 20) into the indicator
    columns ``fields`` (指标值, 完成值, 分值, 得分): scores at most 100 and at most the weight, a
    weight at most 50, the target and the result of the same size."""
    n = len(run)
    if n > 16:
        return None
    for k in range(len(fields), 1, -1):  # the reading that fills the most columns, if it is the only one
        found: set[tuple[tuple[int, int], ...]] = set()
        for cuts in itertools.combinations(range(1, n), k - 1):
            bounds = tuple(zip((0,) + cuts, cuts + (n,)))
            pieces = [run[x:y] for x, y in bounds]
            if not all(_PIECE.match(p) for p in pieces):
                continue
            for combo in itertools.combinations(range(len(fields)), k):
                v = {fields[f]: to_float(p) for f, p in zip(combo, pieces)}
                if "score" not in v or not 0 < v["score"] <= 100:
                    continue
                if "weight" in v and not (0 < v["weight"] <= 50 and v["score"] <= v["weight"]):
                    continue
                if "target" in v and "actual" in v and not (v["target"] > 0 and 1 / 3 <= v["actual"] / v["target"] <= 3):
                    continue
                found.add(bounds)
        if len(found) > 1:
            return None
        if found:
            return list(next(iter(found)))
    return None


def _ind_coherent(row: dict[str, Tok]) -> float:
    """A single indicator weighs at most 50 and scores at most its weight."""
    w = parse_number(row["weight"].text) if "weight" in row else None
    sc = parse_number(row["score"].text) if "score" in row else None
    out = 0.0
    if w is not None and w > 50:
        out -= 3.0
    if w is not None and sc is not None and sc > w:
        out -= 2.0
    return out


def _has_text_after_score(cur: list[Tok]) -> bool:
    """Whether the row already holds a text cell after its last number (its reason)."""
    for c in reversed(cur):
        if SCORE_TOKEN.match(WS.sub("", c.text)):
            return False
        if not _is_value(c.text):
            return True
    return False


def _next_number_gap(toks: list[Tok], i: int) -> int | None:
    """Cells from ``toks[i]`` to the next plain number (a weight), None when a level name,
    a total or the end comes first."""
    for k in range(i + 1, min(len(toks), i + 8)):
        s = WS.sub("", toks[k].text)
        if _level_kind(s) or TOTAL.match(s) or INDICATOR_PREFIX.match(s):
            return None
        if SCORE_TOKEN.match(s):
            return k - i
    return None


def _custom_level1(toks: list[Tok], i: int) -> bool:
    """A 一级 name the vocabulary does not know (项目完成指标) placed right before a 二级 name."""
    s = WS.sub("", toks[i].text)
    return (s.endswith("指标") and len(s) <= 8 and not _level_kind(s) and i + 1 < len(toks)
            and _level_kind(toks[i + 1].text) == 2)


# What ends an indicator block: a numbered line, a section label, a signature.  After the
# newline only blanks of the same line are skipped ([^\S\n]), so a run of 200,000 blank lines
# is not rescanned from each of its newlines; _block_stop moves back to the run's first newline.
IND_END = lazy(r"\n[^\S\n]*\d+[.、．]\s*+[\u4e00-\u9fff]{2}|\n[^\S\n]*(?:[（(][一二三四五六七八九十]+[）)]|评价结论|自评结论|存在问题|存在的问题|主要问题|改进措施|注\s*+[:：]|填报人|填表人|项目负责人|"
                     r"(?:自评|偏差)?情况说明\s*+[:：]|自评说明\s*+[:：])|"
                     r"(?:^\s*+|\n[^\S\n]*)(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)|"
                     # the next report's or form's title line: …2023年度农村客运补贴项目支出绩效自评表
                     r"\n[^\S\n]*[^\n|｜\t]{4,60}?\d{4}\s*年度?[^\n|｜\t]{2,60}?(?:绩效自评表|自评报告)[^\S\n]*(?=\n|$)|"
                     r"\n[^\S\n]*(?:项目|表)[一二三四五六七八九十\d]+\s*[：:、.．][^\n|｜\t]{2,60}?绩效自评表[^\S\n]*(?=\n|$)|"
                     # a form numbered after its title: 项目支出绩效自评表（二）
                     rf"\n[^\S\n]*[^\n|｜\t]{{0,60}}?{FORM_NUMBER_TAIL_RX}[^\S\n]*(?=\n|$)|"
                     # or only the next project's name, right above its form's header: 项目二：农村低保资金
                     rf"\n[^\S\n]*项目[一二三四五六七八九十\d]+\s*[：:、.．][^\n|｜\t]{{2,40}}(?=\n{NEXT_FORM_HEADER_RX})")


def _block_stop(text: str, pos: int, end: int) -> int:
    """Where an indicator block starting at ``pos`` ends: the first newline of the blank
    lines before the next :data:`IND_END` marker, else ``end``."""
    m = IND_END.search(text, pos, end)
    if m is None:
        return end
    k = m.start()
    if text[k] == "\n":
        while k > pos and text[k - 1].isspace():
            k -= 1
        k = text.index("\n", k)
    return k


def indicator_block(text: str, start: int, end: int) -> tuple[Table, int] | None:
    header = read_header(text, start, end, IND_FIELDS, {"level1", "level2", "level3"})
    if header is None or not ({"weight", "score", "actual"} & set(header.fields)):
        return None
    if "level3" not in header.fields:
        # 一级/二级 without a 三级 column word: the name column follows 二级
        i = header.fields.index("level2") + 1 if "level2" in header.fields else 0
        header.fields.insert(i, "level3")
        header.cells.insert(i, Tok("", header.cells[i - 1].end if i else header.cells[0].start,
                                   header.cells[i - 1].end if i else header.cells[0].start, 0))
    block_end = _block_stop(text, header.end, end)
    rows, last_end, glued = _ind_rows(text, header, header.end, block_end)
    if not rows:
        return None
    hdr = [_cell(t, 0, i) for i, t in enumerate(header.cells) if t.text]
    columns = {f: i for i, f in enumerate(header.fields) if f != "method"}
    # a form whose cells ran together was cut apart by guesswork (glued): no sums over it
    return Table(index=0, rows=[hdr] + rows, start=header.cells[0].start, end=max(last_end, header.end),
                 columns=columns, partial=glued), last_end


LEVEL2_AT_LINE = lazy(r"(?:^|\n)[ \t|｜]*(?:[^\n|｜]{0,10}指标[ \t]*(?:\n[ \t|｜]*)?[|｜]?[ \t]*)?"
                            rf"(?:{LEVEL2_STEMS})指标")
CHROME_ROW = lazy(r"#\s*source:|索引号|发布|浏览|来源")
DEFAULT_FIELDS = ["level1", "level2", "level3", "target", "actual", "weight", "score", "reason"]


def headerless_block(text: str, start: int, end: int) -> tuple[Table, int] | None:
    """Indicator rows of an excerpt that starts below the form's header: rows that begin
    with 二级 names (and their 一级), read with the standard columns 一级 / 二级 / 三级 /
    指标值 / 完成值 / 分值 / 得分 / 原因.  At least three such rows are needed."""
    hits = list(LEVEL2_AT_LINE.finditer(text, start, end))
    if len(hits) < 2:
        return _inline_headerless(text, start, end)
    s0 = hits[0].start() + (1 if text[hits[0].start()] == "\n" else 0)
    # a row or two above the first 二级 name belong to the group the excerpt starts in
    cur = s0
    for _ in range(6):
        if cur <= start:
            break
        prev = text.rfind("\n", start, cur - 1)
        line = text[prev + 1:cur]
        if CHROME_ROW.search(line):
            break
        if len(_SPLIT_PIPE.findall(line)) >= 3 and any(_is_value(x.strip()) for x in line.split("|")):
            s0 = prev + 1
        elif line.strip(" \t\n|｜"):
            break
        cur = prev + 1 if prev >= start else start
    return _standard_rows_from(text, s0, end)


def _standard_rows_from(text: str, s0: int, end: int) -> tuple[Table, int] | None:
    """Indicator rows from ``s0`` read with the standard columns (一级 / 二级 / 三级 / 指标值 /
    完成值 / 分值 / 得分 / 原因), as a partial table, when at least three rows carry figures."""
    header = Header(fields=list(DEFAULT_FIELDS), cells=[Tok("", s0, s0, 0) for _ in DEFAULT_FIELDS], end=s0)
    rows, last_end, _ = _ind_rows(text, header, s0, _block_stop(text, s0, end))
    named = [r for r in rows if any(c.col == 5 for c in r) or any(c.col in (3, 4) for c in r)]
    if len(named) < 3:
        return None
    columns = {f: i for i, f in enumerate(DEFAULT_FIELDS)}
    # the rows seen are the whole form's when they open with its first category (产出指标) and
    # close with its 总分 row; otherwise the excerpt may have started below rows it lacks
    first = WS.sub("", rows[0][0].text) if rows[0] else ""
    whole = first.startswith(("产出指标", "项目产出")) and any(
        r and re.fullmatch(r"总分|合计|总计", WS.sub("", r[0].text)) for r in rows[-2:])
    return Table(index=0, rows=[[]] + rows, start=rows[0][0].start, end=last_end, columns=columns,
                 partial=not whole), last_end


INLINE_LEVEL1 = lazy(rf"(?:项目)?产出指标\s*(?:[（(]\s*\d+\s*分?\s*[）)])?\s*(?:{LEVEL2_STEMS})指标")
INLINE_LEVEL2 = lazy(rf"(?<=\s)(?:{LEVEL2_STEMS})指标(?=\s)")


def _inline_headerless(text: str, start: int, end: int) -> tuple[Table, int] | None:
    """A whole form on one line with no indicator header ("… 产出指标(50分) 数量指标 日常养护里程
    ≥1,150公里 1,162公里 15 15 …", a PDF page or a web page flattened): the rows start at the
    first 产出指标 followed by a 二级 name, when at least three more 二级 names follow."""
    m = INLINE_LEVEL1.search(text, start, end)
    if m is None or len(INLINE_LEVEL2.findall(text, m.end(), end)) < 3:
        return None
    return _standard_rows_from(text, m.start(), end)


def find_form_tables(text: str, start: int = 0, end: int | None = None, covered: list[tuple[int, int]] | None = None,
                     first_index: int = 0) -> list[Table]:
    """Funds and indicator blocks of flattened forms in ``text[start:end]`` that lie
    outside the ``covered`` ranges (tables already read some other way)."""
    end = len(text) if end is None else end
    covered_at = SpanIndex(covered or [])

    def free(pos: int) -> bool:
        return pos not in covered_at

    tables: list[Table] = []
    pos = start
    # each anchor's next match is kept until ``pos`` passes it: searching both anew on every
    # step rescanned, from each step, the whole rest of a file that lacks one of them
    nxt: dict[object, re.Match | None] = {}

    def next_match(anchor) -> re.Match | None:
        m = nxt.get(anchor, False)
        if m is False or (m is not None and m.start() < pos):
            m = nxt[anchor] = anchor.search(text, pos, end)
        return m

    while pos < end:
        mf = next_match(FUNDS_HEADER_ANCHOR)
        mi = next_match(IND_HEADER_ANCHOR)
        cands = [m for m in (mf, mi) if m is not None]
        if not cands:
            break
        m = min(cands, key=lambda x: x.start())
        if not free(m.start()):
            pos = m.end()
            continue
        hstart = _header_start(text, m.start())
        if m is mf:
            got = funds_block(text, hstart, end)
        else:
            got = indicator_block(text, hstart, end)
        if got is None:
            pos = m.end()
            continue
        table, stop = got
        if not all(free(c.start) for row in table.rows for c in row):
            pos = m.end()
            continue  # it runs into a table read some other way
        table.index = first_index + len(tables)
        tables.append(table)
        pos = max(stop, m.end())
    if not any(t.columns and "executed" in t.columns for t in tables):
        got = headerless_funds(text, start, end)
        if got is not None and all(free(c.start) for row in got[0].rows for c in row):
            got[0].index = first_index + len(tables)
            tables.append(got[0])
    if not any(t.columns and "level3" in t.columns for t in tables):
        got = headerless_block(text, start, end)
        if got is not None and all(free(c.start) for row in got[0].rows for c in row):
            got[0].index = first_index + len(tables)
            tables.append(got[0])
    return tables


def _header_start(text: str, pos: int) -> int:
    """Back up from an anchor word to the first header word on its line, or on the short
    lines just before it (a header word broken over lines: 年初 / 预算数)."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(3):
        if start <= 0:
            break
        prev = text.rfind("\n", 0, start - 1) + 1
        if len(text[prev:start].strip(" \t\n|｜\u3000")) > 6:
            break  # a line of its own content, not a piece of this header
        start = prev
    return max(start, pos - 40)
