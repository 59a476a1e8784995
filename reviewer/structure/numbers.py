"""Reading numbers, percentages, scores and money amounts out of Chinese report text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.models import Amount, NumberRef
from reviewer.lazy_re import lazy

# A number as written in reports: 1,164,621.13 / 121 / 0.08 / 100. 60 (a stray space after the point)
NUM = r"(?:(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.])\d+(?:\.\s?\d+)?)"
NUM_RE = lazy(NUM)
UNIT_SCALE = {"元": 1.0, "万元": 1e4, "亿元": 1e8, "千元": 1e3}
AMOUNT_RE = lazy(rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|千元|元)(?!/|／|每)")
PERCENT_RE = lazy(rf"(?P<num>{NUM})\s*(?:%|％)")
SCORE_RE = lazy(rf"(?P<num>{NUM})\s*分(?![之钟别配析类期项解管批])")


def to_float(token: str) -> float:
    """``'1,164,621.13'`` → 1164621.13; ``'100. 60'`` → 100.6."""
    return float(re.sub(r"[,\s]", "", token))  # "100. 60" and a number wrapped over a line ("97.\n74")


def parse_number(text: str) -> float | None:
    """The first number in ``text`` (None if there is none)."""
    m = NUM_RE.search(text or "")
    return to_float(m.group()) if m else None


# comparison words written before a target value (≥90%, 不低于95%)
OPERATOR_WORDS = r"≥|≤|>|<|=|＞|＜|大于|小于|不低于|不少于|不高于|不超过"


def only_number(text: str) -> float | None:
    """The number when ``text`` is just a number with an optional unit/score suffix
    (``'10 分'``, ``'95%'``, ``'24.5'``, ``'121 万元'``); None otherwise."""
    t = (text or "").strip()
    m = re.fullmatch(rf"(?:{OPERATOR_WORDS})?\s*({NUM})\s*(分|%|％|万元|元|个|项|次|辆|人|家|天)?", t)
    return to_float(m.group(1)) if m else None


def number_ref(text: str, base: int) -> NumberRef | None:
    """A NumberRef for the first number in ``text`` (offsets shifted by ``base``)."""
    m = NUM_RE.search(text or "")
    if not m:
        return None
    tail = text[m.end(): m.end() + 2].strip()
    unit = None
    for u in ("万元", "亿元", "元", "%", "％", "分"):
        if tail.startswith(u):
            unit = "%" if u == "％" else u
            break
    return NumberRef(text=m.group(), start=base + m.start(), end=base + m.end(), value=to_float(m.group()), unit=unit)


def label_before(text: str, pos: int, width: int = 30) -> str:
    """The words just before ``pos`` within the same clause (used as an amount's label)."""
    seg = text[max(0, pos - width):pos]
    k = max(seg.rfind(stop) for stop in "。；;，,\n（(、：:")
    return seg[k + 1:].strip()


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Every money amount (元/万元/亿元) in ``text[start:end]`` with its unit and label."""
    end = len(text) if end is None else end
    out = []
    for m in AMOUNT_RE.finditer(text, start, end):
        num = m.group("num")
        v = to_float(num)
        unit = m.group("unit")
        out.append(Amount(text=m.group(), start=m.start(), end=m.end(), value=v, unit=unit,
                          yuan=v * UNIT_SCALE[unit], label=label_before(text, m.start())))
    return out


@dataclass
class Target:
    """A parsed 指标值: operator, number, unit (``≥95%`` → ('≥', 95, '%'))."""

    op: str | None
    value: float | None
    unit: str
    qualitative: bool


OPS = {"≥": "≥", ">=": "≥", "＞=": "≥", "不低于": "≥", "不少于": "≥", "大于等于": "≥", "达到": "≥", "≤": "≤", "<=": "≤",
       "不高于": "≤", "不超过": "≤", "小于等于": "≤", ">": ">", "＞": ">", "大于": ">", "高于": ">", "<": "<",
       "＜": "<", "小于": "<", "低于": "<", "=": "=", "＝": "="}
TARGET_RE = lazy(
    # (a result may say what kind of figure it is: 平均18个工作日, 约1.2万人次)
    r"^\s*+(?:平均|约|共计|累计|合计)?\s*+(?P<op>≥|>=|≤|<=|＞=|不低于|不少于|大于等于|小于等于|不高于|不超过|大于|小于|高于|低于|达到|>|<|＞|＜|=|＝)?\s*+"
    rf"(?P<num>{NUM})\s*+(?P<unit>[%％]|[^\d\s，。；,;]{{0,6}})\s*+$"
)


# a bound written after the figure: 95%以上, 1,200人次及以上, 4小时以内
AFTER_BOUND = lazy(r"(?:及)?(?P<b>以上|以下|以内)$")


def parse_target(text: str) -> Target:
    """Parse an indicator value such as ``≥36次``, ``大于95%``, ``95%以上``, ``7``, ``达标``."""
    t = (text or "").strip()
    if "|" in t or "｜" in t:  # a target split into operator / value / unit cells: ≥ | 800 | 人
        t = re.sub(r"\s*[|｜]\s*", "", t)
    m = TARGET_RE.match(t)
    if not m:
        return Target(None, None, "", True)
    unit = m.group("unit").replace("％", "%")
    op = OPS.get(m.group("op") or "", None)
    bound = AFTER_BOUND.search(unit)
    if bound:
        unit = unit[:bound.start()]
        op = op or ("≥" if bound.group("b") == "以上" else "≤")
    return Target(op, to_float(m.group("num")), unit, False)
