"""A 自评表 whose text was read column by column (text extracted from a PDF one column at a
time, the "interleaved columns" layout of notes/real-world-input.md).

Each column comes as its header word on a line of its own and then its cells, one a line::

    三级指标           年度指标值       实际完成值      分值     得分
    场馆开放天数        ≥330天          336天           10       10
    年接待健身群众人次   ≥15万人次       13.2万人次      10       10

arrives as ``三级指标 / 场馆开放天数 / 年接待健身群众人次 / 年度指标值 / ≥330天 / ≥15万人次 /
实际完成值 / …``. The columns of one block have one cell per row, so their lengths agree: the
indicator names give the row count, and every value column must have exactly that many cells
(score and weight cells plain numbers), else the block is not read. Merged level cells
(一级/二级指标, fewer than the rows) cannot be placed and are left out. The funds block reads the
same way: its row labels (年度资金总额, 其中：当年财政拨款 …) first, then each column; a column with
fewer cells than rows (分值, 执行率, 得分) belongs to the total row.

The result is ordinary :class:`Table` objects with their ``columns`` set, as the other
flattened-form readers give, so the funds and indicator parsers and the rules read them
unchanged.
"""

from __future__ import annotations

import re

from reviewer.models import Cell, Table
from reviewer.structure.numbers import parse_number
from reviewer.structure.spans import SpanIndex
from reviewer.structure.text_forms import DASH, FUNDS_FIELDS, FUNDS_LABEL, IND_FIELDS
from reviewer.structure.text_tables import Line, split_lines
from reviewer.lazy_re import lazy

_WS = lazy(r"\s+")
# a header word may carry its unit or weight: 年初预算数(万元), 分值(100)
_HEADER_TAIL = r"(?:[（(][^（()）]{0,8}[）)])?"
_TOTAL = lazy(r"总分|合计|总计")
_PLAIN_NUMBER = lazy(r"\d+(?:\.\d+)?")


def _field(line: Line, spec: list[tuple[str, re.Pattern]]) -> str | None:
    """The field whose header word is the whole of ``line``, if any."""
    t = _WS.sub("", line.text).strip("|｜")
    for name, pat in spec:
        m = pat.match(t)
        if m and m.end() > 0 and re.fullmatch(_HEADER_TAIL, t[m.end():]):
            return name
    return None


def _cell(line: Line, row: int, col: int) -> Cell:
    lead = len(line.text) - len(line.text.lstrip())
    text = line.text.strip()
    return Cell(text=text, start=line.start + lead, end=line.start + lead + len(text), row=row, col=col)


def _runs(lines: list[Line], i: int, spec: list[tuple[str, re.Pattern]]) -> list[tuple[str, Line, list[Line]]]:
    """From line ``i``: each header line of ``spec`` and the lines up to the next one."""
    out: list[tuple[str, Line, list[Line]]] = []
    while i < len(lines):
        name = _field(lines[i], spec)
        if name is None or any(name == n for n, _, _ in out):
            break
        j = i + 1
        while j < len(lines) and _field(lines[j], spec) is None:
            j += 1
        out.append((name, lines[i], lines[i + 1:j]))
        i = j
    return out


def _numeric_prefix(vals: list[Line]) -> int:
    """How many of ``vals`` from the first are plain numbers (a weight or score column's cells)."""
    n = 0
    while n < len(vals) and _PLAIN_NUMBER.fullmatch(_WS.sub("", vals[n].text)):
        n += 1
    return n


def _indicator_block(lines: list[Line], i: int) -> tuple[Table, int] | None:
    runs = _runs(lines, i, IND_FIELDS)
    fields = [n for n, _, _ in runs]
    if "level3" not in fields or "target" not in fields or "actual" not in fields \
            or not {"weight", "score"} & set(fields):
        return None
    k = len(dict((n, v) for n, _, v in runs)["level3"])
    if k < 2:
        return None
    # the 总分 row's label may come first, in the first column above the header (总分 / 一级指标 …),
    # and its weight and score as one more cell at the foot of their columns
    total_label = next((ln for ln in lines[max(0, i - 3):i] if _TOTAL.fullmatch(_WS.sub("", ln.text))), None)
    cols: dict[str, tuple[Line, list[Line]]] = {}
    totals: dict[str, Line] = {}
    last = runs[-1][0]
    for name, head, vals in runs:
        if name in ("level1", "level2", "method"):
            continue  # merged cells: fewer than the rows, and where each starts is not known
        if name == "reason" and len(vals) != k:
            continue
        if name in ("weight", "score"):
            n = _numeric_prefix(vals)
            if total_label is not None and n == k + 1 and (len(vals) == n or name == last):
                totals[name] = vals[k]
            elif n < k or (len(vals) != k and name != last):
                return None
        elif len(vals) != k and not (name == last and len(vals) > k):
            return None  # a column of another length: the cells are not one per row
        cols[name] = (head, vals[:k])
    if total_label is not None and totals and set(totals) != {"weight", "score"} & set(cols):
        return None  # a total in one column only: the columns do not line up
    order = [n for n in fields if n in cols]
    col_of = {n: c for c, n in enumerate(order)}
    rows: list[list[Cell]] = [[_cell(cols[n][0], 0, col_of[n]) for n in order]]
    for r in range(k):
        rows.append([_cell(cols[n][1][r], r + 1, col_of[n]) for n in order
                     if not DASH.match(_WS.sub("", cols[n][1][r].text))])
    end_line = max([v[-1].end for _, v in cols.values()] + [t.end for t in totals.values()])
    if totals:
        rows.append([_cell(total_label, k + 1, 0)] + [_cell(totals[n], k + 1, col_of[n]) for n in ("weight", "score") if n in totals])
    else:
        # the 总分 row laid out the same way after the columns: its label, then its weight and score
        after = [ln for ln in lines if ln.start > end_line][:3]
        if after and _TOTAL.fullmatch(_WS.sub("", after[0].text)):
            nums = [ln for ln in after[1:] if _PLAIN_NUMBER.fullmatch(_WS.sub("", ln.text))]
            place = [n for n in ("weight", "score") if n in col_of][-len(nums):] if nums else []
            if nums and len(nums) == len(place):
                rows.append([_cell(after[0], k + 1, 0)] + [_cell(ln, k + 1, col_of[n]) for ln, n in zip(nums, place)])
                end_line = nums[-1].end
    start = runs[0][1].start
    return Table(index=0, rows=rows, start=start, end=end_line, columns=col_of, scattered=True), end_line


def _funds_block(lines: list[Line], i: int) -> tuple[Table, int] | None:
    labels: list[Line] = []
    while i < len(lines) and FUNDS_LABEL.match(_WS.sub("", lines[i].text)):
        labels.append(lines[i])
        i += 1
    # the goal cells of the same rows (预期目标 …) may come between the labels and the columns
    skip = next((j for j in range(i, min(len(lines), i + 4)) if _field(lines[j], FUNDS_FIELDS)), i)
    runs = _runs(lines, skip, FUNDS_FIELDS)
    fields = [n for n, _, _ in runs]
    if len(labels) < 1 or "executed" not in fields or not {"budget_initial", "budget_full"} & set(fields):
        return None
    n_rows = len(labels)
    cols: dict[str, tuple[Line, list[Line]]] = {}
    for name, head, vals in runs:
        if name == "method":
            continue
        # a column's cells are figures or dashes from the top; what follows them (the goal
        # cells of the same rows) is not the funds'
        n = 0
        while n < min(len(vals), n_rows) and (parse_number(vals[n].text) is not None or DASH.match(_WS.sub("", vals[n].text))):
            n += 1
        money = name in ("budget_initial", "budget_full", "executed")
        if (money and n != n_rows) or n < 1:
            return None
        cols[name] = (head, vals[:n])
    col_of = {n: c + 1 for c, n in enumerate(n for n in fields if n in cols)}
    rows: list[list[Cell]] = [[_cell(cols[n][0], 0, col_of[n]) for n in col_of]]
    for r, label in enumerate(labels):
        cells = [_cell(label, r + 1, 0)]
        for n, c in col_of.items():
            vals = cols[n][1]
            if r < len(vals) and not DASH.match(_WS.sub("", vals[r].text)):
                cells.append(_cell(vals[r], r + 1, c))
        rows.append(cells)
    end_line = max(v[-1].end for _, v in cols.values())
    return Table(index=0, rows=rows, start=labels[0].start, end=end_line, columns=col_of, scattered=True), end_line


def find_column_forms(text: str, covered: list[tuple[int, int]] | None = None, first_index: int = 0) -> list[Table]:
    """Funds and indicator blocks of forms read column by column, outside ``covered``."""
    taken = SpanIndex(covered or [])
    lines = [ln for ln in split_lines(text) if ln.text.strip()]
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        got = None
        if ln.start not in taken and "\t" not in ln.text and "|" not in ln.text:
            if FUNDS_LABEL.match(_WS.sub("", ln.text)):
                got = _funds_block(lines, i)
            elif _field(ln, IND_FIELDS) in ("level1", "level2", "level3"):
                got = _indicator_block(lines, i)
        if got is None:
            i += 1
            continue
        table, stop = got
        table.index = first_index + len(tables)
        tables.append(table)
        while i < len(lines) and lines[i].start < stop:
            i += 1
    return tables
