"""The 项目资金 table of the 自评表: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分."""

from __future__ import annotations

import re

from reviewer.models import Cell, FundsRow, FundsTable, NumberRef, Table, TextRef
from reviewer.structure.numbers import only_number
from reviewer.lazy_re import lazy

COLS = [
    ("budget_initial", lazy(r"年初预算")),
    ("budget_full", lazy(r"全年预算|调整后预算|预算数")),
    ("executed", lazy(r"执行数|实际支出|支出数")),
    ("weight", lazy(r"^(分值|权重)")),
    ("rate", lazy(r"执行率")),
    ("score", lazy(r"^(得分|自评分|自评得分)$")),
]
ROW_NAMES = lazy(r"年度资金总额|资金总额|财政拨款|预算拨款|^其中|上年结转|其他资金|自筹|上级补助|本级|中央|省级|市级|县级|区级|地方资金|乡镇资金|配套|补助资金|专项资金|债券资金|合计")


def _norm(t: str) -> str:
    return re.sub(r"\s+", "", t)


def _num(cell: Cell | None) -> NumberRef | None:
    if cell is None:
        return None
    v = only_number(cell.text)
    if v is None:
        return None
    unit = "%" if ("%" in cell.text or "％" in cell.text) else ("万元" if "万元" in cell.text else ("元" if "元" in cell.text else None))
    return NumberRef(text=cell.text.strip(), start=cell.start, end=cell.end, value=v, unit=unit)


UNIT_NOTE = lazy(r"单位\s*[:：]\s*(万元|元)")


def unit_hint(text: str, table: Table) -> str | None:
    """The money unit declared just above a table ("单位：元") or in its first rows."""
    before = text[max(0, table.start - 80):table.start]
    m = None
    for m in UNIT_NOTE.finditer(before):
        pass
    if m:
        return m.group(1)
    head = " ".join(c.text for row in table.rows[:4] for c in row)
    m = re.search(r"[（(]\s*(万元|元)\s*[）)]", head) or UNIT_NOTE.search(head)
    return m.group(1) if m else None


def parse_funds_table(table: Table, unit: str | None = None) -> FundsTable | None:
    """The funds block of ``table`` (None when the table has none); ``unit`` is the money
    unit declared for the table (default 万元)."""
    header: dict[str, int] | None = None
    unit = unit or "万元"
    rows: list[FundsRow] = []
    for r_i, row in enumerate(table.rows):
        texts = [_norm(c.text) for c in row]
        if table.columns is not None:
            if r_i == 0:
                header = {k: v for k, v in table.columns.items() if k in dict(COLS)}
                if "executed" not in header:
                    return None  # the reader says what the columns hold: not a funds table
                continue
        if header is None:
            hdr: dict[str, int] = {}
            for c, t in zip(row, texts):
                for name, pat in COLS:
                    if name not in hdr and pat.search(t):
                        if name == "budget_full" and "年初" in t:
                            continue
                        hdr[name] = c.col
                        break
            if "executed" in hdr and ("budget_initial" in hdr or "budget_full" in hdr):
                header = hdr
            continue
        cols = {c.col: c for c in row}
        label = next((c for c in row if ROW_NAMES.search(_norm(c.text))), None)
        if label is None and rows:
            # a source row named some other way (地方资金, 乡镇自筹): under the total, with money
            # in at least two of the money columns, it is one of the parts
            first = next((c for c in row if c.text.strip()), None)
            money_cols = [header[k] for k in ("budget_initial", "budget_full", "executed") if k in header]
            if first is not None and _num(first) is None and \
                    sum(_num(cols.get(col + _shift(first, header))) is not None for col in money_cols) >= 2:
                label = first
        if label is None:
            if rows:
                break
            continue
        shift = _shift(label, header)
        fr = FundsRow(name=TextRef(text=label.text, start=label.start, end=label.end))
        for name, col in header.items():
            setattr(fr, name, _num(cols.get(col + shift)))
        rows.append(fr)
    if not rows:
        return None
    return FundsTable(rows=rows, unit=unit, table_index=table.index)


def _shift(label: Cell, header: dict[str, int]) -> int:
    """How far a row's figures sit right of the header's columns: rows of a merged-label table
    may be shifted by one column, so the figures are aligned on the label."""
    first_val_col = min(header.values())
    return label.col - first_val_col + 1 if label.col >= first_val_col else 0


def total_row(funds: FundsTable | None) -> FundsRow | None:
    """The 年度资金总额 row, or the first row."""
    if not funds or not funds.rows:
        return None
    for r in funds.rows:
        if "总额" in r.name.text or "合计" in r.name.text:
            return r
    return funds.rows[0]
