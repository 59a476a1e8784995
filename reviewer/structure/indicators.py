"""Indicator rows (一级/二级/三级, 指标值, 完成值, 分值, 得分, 偏差原因) from tables.

Converted tables are often misaligned: a merged 二级指标 cell lands in the 一级 column,
or a row lost a cell and everything slides left.  Rows are therefore aligned on their
(分值, 得分) pair of numbers when the header has both, and level names are recognised
by their words rather than by their column.
"""

from __future__ import annotations

import re

from reviewer.models import Cell, IndicatorRow, NumberRef, Subtotal, Table, TextRef
from reviewer.structure.numbers import NUM, only_number, to_float
from reviewer.lazy_re import lazy

WS = lazy(r"\s+")
WEIGHT_IN_LABEL = lazy(rf"[（(]\s*({NUM})\s*分?\s*[）)]\s*$")

HEADER_FIELDS: list[tuple[str, re.Pattern]] = [
    ("level1", lazy(r"^一级指标")),
    ("level2", lazy(r"^二级指标")),
    ("level3", lazy(r"^(三级指标|指标内容|指标名称|具体指标|指标)$|^(三级指标|指标内容|指标名称)")),
    ("target", lazy(r"(年度)?指标值|目标值|预期值|计划值")),
    ("actual", lazy(r"完成值|实际值|实际完成|完成情况")),
    ("weight", lazy(r"^(分值|权重|标准分)")),
    ("rate", lazy(r"得分率")),
    ("score", lazy(r"得分$|^得分|评分$")),
    ("reason", lazy(r"原因|说明|措施")),
]
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "产出", "效益", "满意度", "项目产出", "项目效益")
LEVEL2_WORDS = ("数量", "质量", "时效", "成本", "经济成本", "社会成本", "生态环境成本", "经济效益", "社会效益", "生态效益",
                "可持续影响", "服务对象满意度",
                "项目产出", "项目效益", "前期工作", "绩效目标设置")
TOTAL_ROW = lazy(r"^(总分|合计|总计|小计|得分合计|分值合计|(?:绩效)?指标(?:得分)?合计|(?:绩效)?指标总分)$")


def norm(text: str) -> str:
    """Header/label text without whitespace."""
    return WS.sub("", text or "")


def level_name(text: str) -> tuple[str, float | None]:
    """``'数量指标 (30 分)'`` → ('数量指标', 30.0)."""
    t = norm(text)
    m = WEIGHT_IN_LABEL.search(t)
    w = to_float(m.group(1)) if m else None
    if m:
        t = t[: m.start()]
    return t, w


def is_level1(text: str) -> bool:
    t, _ = level_name(text)
    return t in LEVEL1_NAMES


def is_level2(text: str) -> bool:
    t, _ = level_name(text)
    return bool(t) and not is_level1(text) and t.endswith(("指标", "效益", "满意度")) and t.startswith(LEVEL2_WORDS)


def header_map(row: list[Cell]) -> dict[str, int] | None:
    """Field → column for an indicator header row, or None if ``row`` is not one."""
    out: dict[str, int] = {}
    for c in row:
        t = norm(c.text)
        for name, pat in HEADER_FIELDS:
            if name not in out and pat.search(t):
                if name == "score" and "得分率" in t:
                    continue
                out[name] = c.col
                break
    if "level3" in out and ("score" in out or "actual" in out or "target" in out):
        return out
    if "level1" in out and "level2" in out and len(out) >= 4:
        out.setdefault("level3", out["level2"] + 1)
        return out
    filled = [c for c in row if c.text.strip()]
    if {"weight", "score"} <= set(out) and len(filled) == 3 and \
            re.fullmatch(r"(?:评价|一级)?(?:指标|内容|项目)(?:类别|名称)?", norm(filled[0].text)):
        out["level3"] = filled[0].col  # a score summary's header: 指标 | 分值 | 得分
        return out
    return None


def _by_col(row: list[Cell]) -> dict[int, Cell]:
    return {c.col: c for c in row}


def _num_ref(cell: Cell | None) -> NumberRef | None:
    if cell is None or not cell.text.strip():
        return None
    v = only_number(cell.text)
    if v is None:
        return None
    m = re.search(NUM, cell.text)
    assert m
    return NumberRef(text=cell.text, start=cell.start, end=cell.end, value=v,
                     unit="分" if "分" in cell.text else ("%" if "%" in cell.text else None))


def _ref(cell: Cell | None) -> TextRef | None:
    if cell is None or not cell.text.strip():
        return None
    return TextRef(text=cell.text, start=cell.start, end=cell.end)


def score_number(text: str) -> float | None:
    """A 分值/得分 cell: a plain number, optionally followed by 分 (``10``, ``2.5 分``)."""
    m = re.fullmatch(rf"\s*({NUM})\s*分?\s*", text or "")
    return to_float(m.group(1)) if m else None


def _anchor_offset(row: list[Cell], hdr: dict[str, int]) -> int:
    """Column offset of this row against the header, from its (分值, 得分) pair."""
    if "weight" not in hdr or "score" not in hdr or hdr["score"] != hdr["weight"] + 1:
        return 0
    cols = _by_col(row)
    best: int | None = None
    for c in row:
        nxt = cols.get(c.col + 1)
        if nxt is None:
            continue
        if score_number(c.text) is not None and score_number(nxt.text) is not None:
            off = c.col - hdr["weight"]
            if best is None or abs(off) < abs(best):
                best = off
    return best or 0


# the rows of the 项目资金 block: never an indicator, whatever header they sit under
FUNDS_ROW = lazy(r"^(?:年度资金总额|资金总额|其中\s*[:：]|[\u4e00-\u9fff]{0,6}财政拨款|上年结转|其他资金)")


def _row_ref(table: Table, row: list[Cell], text: str) -> TextRef:
    """The text of a row: from its first cell to its last, or only its first cell when the
    cells lie apart (a form read column by column)."""
    end = row[0].end if table.scattered else row[-1].end
    return TextRef(text=text[row[0].start:end], start=row[0].start, end=end)


def parse_indicator_table(table: Table, text: str) -> tuple[list[IndicatorRow], list[Subtotal]]:
    """Indicator rows and stated subtotals of one table ([] if it has no indicator header)."""
    rows: list[IndicatorRow] = []
    subs: list[Subtotal] = []
    hdr: dict[str, int] | None = None
    cur1 = cur2 = ""
    l1_sub: Subtotal | None = None
    l2_sub: Subtotal | None = None
    for r_i, row in enumerate(table.rows):
        h = dict(table.columns) if table.columns is not None and r_i == 0 else header_map(row)
        if h:
            hdr, cur1, cur2, l1_sub, l2_sub = h, "", "", None, None
            continue
        if hdr is None:
            continue
        filled = [c for c in row if c.text.strip()]
        if not filled:
            continue
        first = norm(filled[0].text)
        if {"weight", "score"} <= set(hdr) and not {"target", "actual", "level2"} & set(hdr) and \
                (is_level1(filled[0].text) or TOTAL_ROW.match(first) or re.fullmatch(r"(?:预算|资金)?执行率(?:指标)?", first)):
            # a score summary (一级指标 | 分值 | 得分): each row a group's weight and score, no indicator
            nums = [c for c in filled[1:] if only_number(c.text) is not None]
            if len(nums) == 2:
                level = 0 if TOTAL_ROW.match(first) else 1
                subs.append(Subtotal(level=level, name=first, ref=_row_ref(table, row, text),
                                     weight=_num_ref(nums[0]), score=_num_ref(nums[1]), members=[]))
            continue
        if TOTAL_ROW.match(first):
            nums = [c for c in filled[1:] if only_number(c.text) is not None]
            weight = score = None
            if "weight" in hdr and len(nums) >= 2:
                weight, score = _num_ref(nums[0]), _num_ref(nums[1])
            elif nums:
                score = _num_ref(nums[-1]) if "weight" not in hdr else None
                if score is None:
                    weight = _num_ref(nums[0])
            rowref = _row_ref(table, row, text)
            if first == "小计" and l1_sub is not None:
                subs.append(Subtotal(level=1, name=f"{l1_sub.name}小计", ref=rowref, weight=weight, score=score,
                                     members=list(l1_sub.members)))
            else:
                subs.append(Subtotal(level=0, name=first, ref=rowref, weight=weight, score=score,
                                     members=list(range(len(rows)))))
                hdr = None  # what follows a total row is not indicator rows
            continue
        if table.columns is not None:  # cells already placed in their columns by the reader
            off, anchored = 0, True
        else:
            off = _anchor_offset(row, hdr)
            anchored = off != 0 or _anchor_offset(row, hdr) == 0 and _has_pair(row)
        cols = _by_col(row)

        def at(field: str, offset: int) -> Cell | None:
            return cols.get(hdr[field] + offset) if field in hdr else None

        # level names may sit in any of the first columns; recognise them by their words
        lead_cols = sorted({hdr.get(f, -9) + off for f in ("level1", "level2", "level3")} - {-9 + off})
        l1_col = hdr["level1"] + off if "level1" in hdr else None
        names1 = [cols[c] for c in lead_cols if c in cols and (is_level1(cols[c].text) or
                  (c == l1_col and level_name(cols[c].text)[0] in ("成本指标", "成本")))]  # 101号: 成本指标 as 一级
        names2 = [cols[c] for c in lead_cols if c in cols and is_level2(cols[c].text) and cols[c] not in names1]
        l3 = at("level3", off)
        while (not anchored and l3 is not None and (is_level1(l3.text) or is_level2(l3.text)) and off < 2
               and at("level3", off + 1) is not None and only_number(at("level3", off + 1).text) is None):
            off += 1
            l3 = at("level3", off)
            nl = [cols[c] for c in lead_cols if c in cols]
            names1 = [c for c in nl if is_level1(c.text)] or names1
            names2 = [c for c in nl if is_level2(c.text)] or names2
        if "level1" in hdr and not names1:
            c1 = cols.get(hdr["level1"])
            if c1 is not None and c1.text.strip() and c1 is not l3 and not is_level2(c1.text):
                names1 = [c1]
        if "level2" in hdr and not names2:
            c2 = cols.get(hdr["level2"] + (off if off < 0 else 0))
            if c2 is not None and c2.text.strip() and c2 is not l3 and c2 not in names1:
                names2 = [c2]
        if names1 and l1_sub is not None and l1_sub.weight is not None and not is_level1(names1[0].text):
            used = sum(rows[i].weight.value for i in l1_sub.members if rows[i].weight is not None)
            w_new = _label_weight(names1[0])
            if w_new is not None and used + w_new.value <= l1_sub.weight.value + 1e-6 and used < l1_sub.weight.value:
                names2 = [names1[0]]  # a second-level group that conversion pushed into the first column
                names1 = []
        repeated1 = False
        if names1:
            name, w = level_name(names1[0].text)
            # the same 一级 written again on every row (merged cells filled in when flattened):
            # one group, not a new group per row
            repeated1 = (l1_sub is not None and name == l1_sub.name and l1_sub.weight is None
                         and _label_weight(names1[0]) is None)
            if not repeated1:
                cur1, cur2 = name, ""
                l1_sub = Subtotal(level=1, name=name, ref=_ref(names1[0]),
                                  weight=_label_weight(names1[0]), members=[])
                subs.append(l1_sub)
                l2_sub = None
        if names2:
            name, w = level_name(names2[0].text)
            if l2_sub is not None and name == l2_sub.name and l2_sub.weight is None and _label_weight(names2[0]) is None \
                    and (repeated1 or not names1):
                names2 = []  # the same 二级 again: the row joins its group
        if names2:
            name, w = level_name(names2[0].text)
            cur2 = name
            implied = _implied_level1(name)
            if implied and not cur1 and not names1:
                cur1 = implied  # the 一级 cell was merged and lost: the 二级 name says which it is
                l1_sub = Subtotal(level=1, name=implied, ref=_ref(names2[0]), weight=None, members=[])
                subs.append(l1_sub)
            elif implied and cur1 and not cur1.startswith(implied[:2]) and level_name(cur1)[0] in LEVEL1_NAMES and not names1:
                # a merged 一级 cell lost in conversion: 社会效益指标 does not belong under 产出指标
                cur1 = implied
                l1_sub = Subtotal(level=1, name=implied, ref=_ref(names2[0]), weight=None, members=[])
                subs.append(l1_sub)
            l2_sub = Subtotal(level=2, name=name, ref=_ref(names2[0]), weight=_label_weight(names2[0]), members=[])
            subs.append(l2_sub)
        if l3 is None or not l3.text.strip() or FUNDS_ROW.match(norm(l3.text)):
            continue  # (年度资金总额 | 64.00 | … under a funds header read as one of indicators: not an indicator)
        target, actual = at("target", off), at("actual", off)
        weight, score = at("weight", off), at("score", off)
        reason = at("reason", off)
        wref = _num_ref(weight) or _label_weight(l3)
        sref = _num_ref(score)
        empty = not any(c is not None and c.text.strip() for c in (target, actual, weight, score))
        if empty and wref is not None:
            empty = False
        rowref = _row_ref(table, row, text)
        rows.append(IndicatorRow(
            level1=cur1, level2=cur2, level3=TextRef(text=l3.text, start=l3.start, end=l3.end),
            target=_ref(target), actual=_ref(actual), weight=wref, score=sref,
            reason=_ref(reason) if reason is not None and reason not in (target, actual, weight, score) else None,
            row=rowref, table_index=table.index, empty=empty and _is_placeholder(l3.text),
            weight_in_label=_num_ref(weight) is None and wref is not None))
        idx = len(rows) - 1
        for s in (l1_sub, l2_sub):
            if s is not None:
                s.members.append(idx)
    return rows, subs


def _implied_level1(level2: str) -> str | None:
    """The 一级指标 a 二级指标 name belongs to under 财预〔2020〕10号."""
    if level2.startswith(("经济成本", "社会成本", "生态环境成本")):
        return "成本指标"  # a 一级指标 of its own under 财预〔2021〕101号
    if level2.startswith(("经济效益", "社会效益", "生态效益", "可持续影响")):
        return "效益指标"
    if level2.startswith("服务对象满意度"):
        return "满意度指标"
    if level2.startswith(("数量", "质量", "时效", "成本")):
        return "产出指标"
    return None


def _has_pair(row: list[Cell]) -> bool:
    """Whether two adjacent cells of the row are both plain numbers."""
    cols = _by_col(row)
    return any(score_number(c.text) is not None and c.col + 1 in cols and score_number(cols[c.col + 1].text) is not None
               for c in row)


def _label_weight(cell: Cell) -> NumberRef | None:
    """The weight written in a label such as ``数量指标（12）`` or ``项目论证 (1 分)``."""
    m = WEIGHT_IN_LABEL.search(cell.text.rstrip())
    if not m:
        return None
    # offsets of the number inside the cell text
    s = cell.start + m.start(1)
    return NumberRef(text=m.group(1), start=s, end=s + len(m.group(1)), value=to_float(m.group(1)), unit="分")


def _is_placeholder(level3: str) -> bool:
    """``指标2：`` / ``指标 1:`` with nothing after it."""
    return bool(re.fullmatch(r"指标\s*\d+\s*[:：]?\s*", level3.strip()))
