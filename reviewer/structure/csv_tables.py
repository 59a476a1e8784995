"""Tables from text that is a spreadsheet saved as CSV (Excel/WPS "另存为 CSV", then opened or
copied as text): records of comma-separated fields, quoted when they hold a comma or a line
break, merged cells left as empty fields.

The csv module reads such text but gives no offsets, and every cell here must point at its
verbatim text in the file; the scanner below follows the same quoting rules (RFC 4180: a
field in double quotes may hold commas, line breaks and doubled quotes) and keeps offsets."""

from __future__ import annotations

from collections import Counter

from reviewer.models import Cell, Table
from reviewer.lazy_re import lazy

MIN_FIELDS = 5  # a form exported from a sheet has at least 一级/二级/三级/指标值/完成值 columns
MIN_ROWS = 3
FORM_HEADER = lazy(r"年初预算数|全年预算数|一级指标|三级指标|年度指标值|实际完成值")
THOUSANDS = lazy(r"(?<=\d),(?=\d{3}(?!\d))")


def _records(text: str, start: int, end: int) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Every record of ``text[start:end]`` as (record start, record end, field spans), field
    spans covering the field's content (inside its quotes when quoted)."""
    out = []
    pos = start
    while pos < end:
        rec_start, fields = pos, []
        while True:
            if pos < end and text[pos] == '"':
                s = pos + 1
                k = s
                while k < end:
                    if text[k] == '"':
                        if k + 1 < end and text[k + 1] == '"':
                            k += 2
                            continue
                        break
                    k += 1
                fields.append((s, k))
                pos = min(k + 1, end)
                while pos < end and text[pos] not in ",\n":
                    pos += 1  # stray characters after the closing quote
            else:
                s = pos
                while pos < end and text[pos] not in ",\n":
                    pos += 1
                fields.append((s, pos))
            if pos < end and text[pos] == ",":
                pos += 1
                continue
            break
        out.append((rec_start, pos, fields))
        pos += 1  # the line break
    return out


def _cell(text: str, s: int, e: int, row: int, col: int) -> Cell:
    while s < e and text[s] in " \t\r\u3000":
        s += 1
    while e > s and text[e - 1] in " \t\r\u3000":
        e -= 1
    return Cell(text=text[s:e], start=s, end=e, row=row, col=col)


def find_csv_tables(text: str, start: int = 0, end: int | None = None, first_index: int = 0) -> list[Table]:
    """Tables made of runs of CSV records: at least three records in a row with five or more
    fields, most of them with the same number of fields (a sheet's width)."""
    end = len(text) if end is None else end
    if text.count(",", start, end) < MIN_FIELDS * MIN_ROWS:
        return []
    tables: list[Table] = []
    run: list[tuple[int, int, list[tuple[int, int]]]] = []

    def close() -> None:
        widths = Counter(len(f) for _, _, f in run)
        # prose with half-width commas is no sheet: a form's run holds its header words
        if len(run) >= MIN_ROWS and FORM_HEADER.search(text, run[0][0], run[-1][1]):
            width, n = widths.most_common(1)[0]
            if width >= MIN_FIELDS and n >= 0.6 * len(run):
                rows = []
                for r, (_, _, fields) in enumerate(run):
                    cells = [_cell(text, s, e, r, c) for c, (s, e) in enumerate(fields)]
                    while len(cells) > 1 and not cells[-1].text:
                        cells.pop()
                    rows.append(cells)
                tables.append(Table(index=first_index + len(tables), rows=rows, start=run[0][0], end=run[-1][1]))
        run.clear()

    for rec in _records(text, start, end):
        raw = text[rec[0]:rec[1]]
        # a pipe or tab row is another layout; commas inside figures (1,980,000.00) separate nothing
        separators = raw.count(",") - len(THOUSANDS.findall(raw))
        if separators >= 3 and "|" not in raw and "｜" not in raw and "\t" not in raw:
            run.append(rec)
        else:
            close()
    close()
    return tables
