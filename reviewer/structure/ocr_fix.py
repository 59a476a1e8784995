"""Common OCR misreadings in a 自评表's own vocabulary, read back as the words they stand for.

Scanned forms that were run through OCR (by the publisher, or by us) arrive with look-alike
characters: 顶目 for 项目, 执行卒 for 执行率, 万兀 for 万元, 侍分 for 得分, 满意虔 for 满意度, and
the letter O for the digit 0 inside a number (2O22, 1O). A reader that looks for 执行率 or a
year then sees nothing.  :func:`fix_ocr` returns a copy of the text **of the same length**
with those misreadings replaced, so every offset into the copy is an offset into the original:
structure and rules read the copy, and evidence quotes are still sliced from the original
(:meth:`reviewer.models.SourceDocument.quote`).

Only misreadings that are no real word and no likely pair of characters across a word boundary
are listed (顶目, 执行卒; not 目评, which 项目评价 holds), so typed text is left as it is; single characters are never replaced on their own, except a Latin O/o, l or I between
digits, which no number contains.
"""

from __future__ import annotations

import re
from reviewer.lazy_re import lazy

# The form's own words, each with look-alike misreadings of one of its characters.  A wrong
# form is listed only when it is not a Chinese word in its own right.
_WORDS: dict[str, tuple[str, ...]] = {
    "项目": ("顶目", "顷目", "頂目"),
    "执行率": ("执行卒", "执行宰", "执仃率", "执行峯", "执行窣"),
    "执行数": ("执仃数",),
    "完成率": ("完成卒", "完成窣", "完戍率", "宪成率"),
    "合格率": ("合格卒", "合格窣"),
    "覆盖率": ("覆盖卒", "覆盖窣", "复盖卒"),
    "满意度": ("满意虔", "满意庋", "瞒意度", "满竟度", "满意渡", "满恴度", "满惫度"),
    "改造": ("改迼",),
    "万元": ("万兀", "万无"),
    "得分": ("侍分", "徥分", "得兮"),
    "分值": ("分佰", "分値"),
    "指标": ("指杯", "指柝", "指栎"),
    "拨款": ("拔款",),
    "拨付": ("拔付",),
    "预算": ("预箅", "顸算", "预筭", "预笪"),
    "资金": ("贤金",),
    "资助": ("资肋",),
    "幼儿": ("幻儿",),
    "绩效": ("绩敛", "缋效", "绩欬"),
    "效益": ("效盖",),
    "偏差": ("偏羞", "徧差"),
    "完成值": ("完戍值",),
    "总分": ("总汾",),
    "总额": ("总頟", "总颔"),
    "年度": ("年庋", "年虔"),
}
# Wrong forms that real text can hold across a word boundary: 万无一失, 屋顶目前.
_KEEP_AFTER = {"万无": "一失"}
_KEEP_BEFORE = {"顶目": "屋房楼山峰头棚塔封吊置登拱"}

_WRONG = {wrong: right for right, wrongs in _WORDS.items() for wrong in wrongs}
for _w, _r in _WRONG.items():
    assert len(_w) == len(_r), (_w, _r)  # same length: offsets must not move
_WRONG_RE = lazy("|".join(sorted(map(re.escape, _WRONG), key=len, reverse=True)))
# O/o for 0 and l/I for 1 after a digit: before another digit (2O22, 1l5), or where the number
# ends (1O 10, 202l年); the number must not follow a Latin letter (H2O2, PM1O stay as they are);
# and l/I that starts a number (l0, l00%)
_LOOKALIKE = lazy(r"(?<=\d)[OoIl]|(?<![A-Za-z\d.])[lI](?=\d|,\d{3})")
_DIGIT_OF = {"O": "0", "o": "0", "I": "1", "l": "1"}
_DECIMAL_OS = lazy(r"(?<=\d\.)[Oo]{1,4}(?![A-Za-z])")
# a cell that is ten or a hundred read as a letter l and Os: "lO", "lOO", "lO0" (never a word)
_L_TENS = lazy(r"(?<![A-Za-z\d.])l[Oo0]{1,3}(?![A-Za-z\d])")
_ZERO_COUNT = lazy(r"(?<=[\s|｜≤≥<>=])O(?=[件个起例次人户项宗]\s)")
_CELL_END = frozenset(" \t\n%％|,，")


def _digit(m: re.Match[str]) -> str:
    s, i = m.string, m.start()
    if i + 1 < len(s) and (s[i + 1].isdigit() or s[i + 1] == ",") and (i == 0 or not s[i - 1].isdigit()):
        # a cell that starts with l/I: "l0", "l00%", "l,200" — only when the number then ends (not I2C)
        j = i + 1
        while j < len(s) and (s[j].isdigit() or s[j] in ".%,"):
            j += 1
        if j >= len(s) or (s[j] in _CELL_END if m.group(0) == "I" else not (s[j].isascii() and s[j].isalpha())):
            return "1"
        return m.group(0)
    j = i - 1
    while j >= 0 and (s[j].isdigit() or s[j] in _DIGIT_OF):
        j -= 1
    if not s[j + 1].isdigit() or (j >= 0 and s[j].isascii() and s[j].isalpha()):
        return m.group(0)  # a code or formula (O2O, H2O2, PM1O), not a number
    k = i + 1
    while k < len(s) and s[k] in "Oo":
        k += 1  # more Os: 6OO.00, 1OO%
    if k > i + 1:
        after = s[k] if k < len(s) else "\n"
        if after.isdigit() or after in _CELL_END or after == "." or "\u4e00" <= after <= "\u9fff":
            return _DIGIT_OF[m.group(0)]
        return m.group(0)
    after = s[i + 1] if i + 1 < len(s) else "\n"
    decimal_point = after == "." and i + 2 < len(s) and (s[i + 2].isdigit() or s[i + 2] in "Oo")  # 9O.OO%
    if after.isdigit() or after in _CELL_END or "\u4e00" <= after <= "\u9fff" or decimal_point:
        return _DIGIT_OF[m.group(0)]
    return m.group(0)


def _word(m: re.Match[str]) -> str:
    wrong = m.group(0)
    keep = _KEEP_AFTER.get(wrong)
    if keep and m.string.startswith(keep, m.end()):
        return wrong
    if m.start() > 0 and m.string[m.start() - 1] in _KEEP_BEFORE.get(wrong, ""):
        return wrong
    return _WRONG[wrong]


def fix_ocr(text: str) -> str:
    """``text`` with common OCR misreadings of form words and digits replaced; same length."""
    out = _WRONG_RE.sub(_word, text)
    out = _LOOKALIKE.sub(_digit, out)
    # decimals read as letters after the point: 80.OO% → 80.00%
    out = _DECIMAL_OS.sub(lambda m: "0" * len(m.group(0)), out)
    # once more: a number whose l or O stood before such decimals (l80.OO → l80.00 → 180.00)
    out = _LOOKALIKE.sub(_digit, out)
    out = _L_TENS.sub(lambda m: "1" + "0" * (len(m.group(0)) - 1), out)
    # a cell that is the letter O and a count unit: "O件", "O起" (no cases) is zero
    out = _ZERO_COUNT.sub("0", out)
    return out
