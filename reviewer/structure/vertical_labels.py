"""Form labels written top to bottom, one character per row, read back as margin, not cells.

A scanned 自评表 often prints its block labels vertically in a narrow first column: 年/度/总/体/
目/标 beside the goal cells, 绩/效/指/标 beside the indicator rows.  Text extraction and OCR
put each character at the start of a table line ("效 产出指标 数量指标 困境儿童保障人数 …"),
so the row gains a first cell "效" and every column after it shifts by one.

:func:`blank_vertical_labels` finds runs of consecutive lines that each start with one Chinese
character standing alone, whose characters spell such labels in order, and returns a copy of
the text **of the same length** with those characters turned into spaces.  A line that holds
nothing but the character is left as it is: blanking it would make an empty line, which ends a
block for the table readers.
"""

from __future__ import annotations

from reviewer.lazy_re import lazy
from reviewer.structure.ocr_fix import fix_ocr  # (a scan's 缋 for 绩 spells a label too)

# the labels forms print vertically, longest first so 年度总体目标 wins over 总体目标
LABELS: tuple[str, ...] = tuple(sorted((
    "年度总体目标", "总体目标", "年度目标", "绩效目标", "绩效指标", "年度绩效指标", "项目资金", "年度资金",
    "资金情况", "项目支出", "项目基本情况", "自评得分", "偏差原因",
    # a 一级指标 column printed the same way, next to the 绩效指标 one
    "产出指标", "效益指标", "满意度指标", "成本指标", "产出", "效益",
), key=len, reverse=True))
# a 二级指标 column printed two characters a row (数/量, 质/量): read only beside a first column
LEVEL2_LABELS: tuple[str, ...] = ("数量", "质量", "时效", "成本", "经济", "社会", "生态", "可持续")

# a line that starts with one Chinese character standing alone (followed by a blank, a bar or
# the line's end)
_LEAD = lazy(r"[ \t\u3000]*(?P<ch>[\u4e00-\u9fff])(?=[ \t\u3000|｜]|$)")


def _label_positions(chars: str, labels: tuple[str, ...] = LABELS) -> list[int]:
    """Indexes into ``chars`` covered by labels read left to right (greedy, longest first)."""
    out: list[int] = []
    i = 0
    labels = tuple(sorted(labels, key=len, reverse=True))
    while i < len(chars):
        hit = next((lab for lab in labels if chars.startswith(lab, i)), None)
        if hit is None:
            i += 1
            continue
        out.extend(range(i, i + len(hit)))
        i += len(hit)
    return out


def blank_vertical_labels(text: str) -> str:
    """``text`` with vertically printed form labels at line starts turned into spaces; a
    second column of them (绩 | 产 | 数量指标 …) is found once the first is blank."""
    if "\n" not in text:
        return text
    once = _blank_one_column(text)
    return _blank_one_column(once, LABELS + LEVEL2_LABELS, 2) if once != text else once


def _blank_one_column(text: str, labels: tuple[str, ...] = LABELS, shortest: int = 4) -> str:

    out = list(text)
    run: list[tuple[int, bool]] = []  # (offset of the character, whether the line holds more)

    def flush() -> None:
        if len(run) >= shortest:
            chars = fix_ocr("".join(text[p] for p, _ in run))
            for k in _label_positions(chars, labels):
                pos, more = run[k]
                if more:
                    out[pos] = " "
        run.clear()

    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        m = _LEAD.match(text, start, end)
        if m:
            more = bool(text[m.end():end].strip(" \t\u3000|｜"))
            run.append((m.start("ch"), more))
        else:
            flush()
        start = end + 1
    flush()
    return "".join(out)
