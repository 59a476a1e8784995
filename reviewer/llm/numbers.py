"""Number verification shared by the LLM review guardrails and drafting.

A number stated by the model (or written into a draft) is *verified* when it appears in
the report text (normalised: ``1,000`` = ``1000``, ``95%`` = ``95``, full-width digits
= ASCII) or is the result of a computation our own code made (rule-flag expected
values, execution rates, score sums, differences, deadlines …).  Everything else is
unverified and must be dropped or marked by the caller.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Iterable
from reviewer.lazy_re import lazy

# digits not glued to a latin letter (so J01, D14, v1, A4 are not numbers)
NUM_RE = lazy(r"(?<![A-Za-z0-9.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![A-Za-z0-9])(\s*%)?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# Chinese numerals are checked when they quantify (…分, …万元, 百分之…), not ordinals (一是、第一)
CN_RE = lazy(
    r"(百分之)([零〇一二两三四五六七八九十百千万点]+)"
    r"|(?<!第)([零〇一二两三四五六七八九十百千万]{2,}|[二两三四五六七八九十])(?=(?:个百分点|分|万元|元|个|项|次|人|户|%|％|倍))"
)


def cn_to_number(s: str) -> float | None:
    """``九十五`` → 95, ``一百二十一`` → 121, ``十`` → 10, ``三万`` → 30000."""
    total, section, num = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (num if num is not None else 1) * _CN_UNITS[ch]
            num = None
        elif ch == "万":
            section += num or 0
            total += (section or 1) * 10000
            section, num = 0, None
        else:
            return None
    return float(total + section + (num or 0))


@dataclass(frozen=True)
class NumberToken:
    text: str
    value: float
    start: int
    end: int
    decimals: int
    percent: bool


def normalise(text: str) -> str:
    """NFKC (full-width digits/％ → ASCII) – keeps length for the characters that matter."""
    return unicodedata.normalize("NFKC", text)


def find_numbers(text: str) -> list[NumberToken]:
    """Every number in ``text`` (Arabic, and quantifying Chinese numerals)."""
    t = normalise(text) if len(normalise(text)) == len(text) else text
    out: list[NumberToken] = []
    for m in NUM_RE.finditer(t):
        raw = m.group(1)
        v = float(raw.replace(",", ""))
        dec = len(raw.split(".")[1]) if "." in raw else 0
        out.append(NumberToken(m.group(0).strip(), v, m.start(), m.end(), dec, bool(m.group(2))))
    for m in CN_RE.finditer(t):
        words = m.group(2) or m.group(3)
        dec = 0
        if "点" in words:  # 百分之九十五点五
            whole, _, frac = words.partition("点")
            w = cn_to_number(whole)
            digits = [_CN_DIGITS.get(c) for c in frac]
            if w is None or not digits or None in digits:
                continue
            v, dec = float(f"{int(w)}.{''.join(map(str, digits))}"), len(digits)
        else:
            v = cn_to_number(words)
        if v is not None:
            out.append(NumberToken(m.group(0), v, m.start(), m.end(), dec, bool(m.group(1))))
    out.sort(key=lambda n: n.start)
    return out


def _key(v: float) -> float:
    return round(v, 6)


class NumberVerifier:
    """Knows the numbers of one report and the values our code computed for it."""

    def __init__(self, report_text: str = "", computed: Iterable[float] = ()):
        self.report_values: set[float] = set()
        self.report_list: list[float] = []
        self.computed: set[float] = set()
        self.add_text(report_text)
        self.allow(*computed)

    def add_text(self, text: str) -> None:
        for n in find_numbers(text):
            k = _key(n.value)
            if k not in self.report_values:
                self.report_values.add(k)
                self.report_list.append(n.value)

    def allow(self, *values: float | None) -> None:
        """Register values computed by our own code."""
        for v in values:
            if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
                continue
            self.computed.add(_key(float(v)))

    def allow_text(self, text: str | None) -> None:
        """Every number in a text our code produced (e.g. a rule flag's expected)."""
        if text:
            for n in find_numbers(text):
                self.allow(n.value)

    def verified(self, tok: NumberToken) -> bool:
        v = _key(tok.value)
        if v in self.report_values or v in self.computed:
            return True
        half = 0.5 * 10 ** (-tok.decimals) + 1e-9
        # a computed value written rounded (94.2857 → 94.29 or 94%)
        if any(abs(c - tok.value) <= half for c in self.computed):
            return True
        # a report value written with fewer decimals (19.6970 → 19.70), never to integers
        if tok.decimals >= 1 and any(abs(r - tok.value) <= half for r in self.report_list):
            return True
        return False

    def unverified(self, text: str | None) -> list[NumberToken]:
        if not text:
            return []
        return [n for n in find_numbers(text) if not self.verified(n)]

    def numbers_ok(self, text: str | None) -> bool:
        return not self.unverified(text)


# --------------------------------------------------------------------------- computations


def parse_value(text: str | None) -> float | None:
    """The single number of an indicator value such as ``≥36次`` / ``95%`` (None for text
    or for values with several numbers)."""
    if not text:
        return None
    nums = find_numbers(text)
    if len(nums) != 1:
        return None
    return nums[0].value


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b * 100.0


def report_computations(report, rule_flags: Iterable = (), profile=None, derived_only: bool = False) -> list[float]:
    """Values our own code derives from a structured report: execution rates, budget
    gaps, lost points, score/weight sums per level, completion ratios, unit conversions,
    and every number in the rule flags' expected/stated/message.

    ``derived_only``: only what was computed (rates, sums, differences, lost points, the
    flags' expected values), not the report's own figures restated (its amounts and their
    unit conversions, the numbers a flag's message or stated quotes, the profile's
    standards): the chat's stricter check, where a report figure must come from a passage."""
    vals: list[float] = [100.0]
    for f in rule_flags or ():
        for t in ((f.expected,) if derived_only else (f.expected, f.stated, f.message)):
            vals.extend(n.value for n in find_numbers(t or ""))
    if profile is not None and not derived_only:
        vals.extend(float(g[0]) for g in getattr(profile, "grades", []) if g)
        vals.extend(float(w) for w in getattr(profile, "weights", {}).values())
    funds = getattr(report, "funds", None)
    if funds is not None:
        for row in funds.rows:
            bi, bf, ex = (r.value if r else None for r in (row.budget_initial, row.budget_full, row.executed))
            for a, b in ((ex, bf), (ex, bi), (bf, bi)):
                vals.extend(x for x in (_ratio(a, b),) if x is not None)
                if a is not None and b is not None:
                    vals.extend([b - a, a - b])
            if row.weight and row.rate is not None and row.rate.value is not None:
                vals.append(min(row.rate.value, 100.0) / 100.0 * row.weight.value)
            for r in (row.budget_initial, row.budget_full, row.executed):
                if r is not None and not derived_only:
                    vals.extend([r.value * 10000.0, r.value / 10000.0])
    weights, scores = [], []
    by_l1: dict[str, list[float]] = {}
    by_l2: dict[str, list[float]] = {}
    for ind in getattr(report, "indicators", []) or []:
        w = ind.weight.value if ind.weight else None
        s = ind.score.value if ind.score else None
        if w is not None:
            weights.append(w)
        if s is not None:
            scores.append(s)
            by_l1.setdefault(ind.level1, []).append(s)
            by_l2.setdefault(ind.level1 + "/" + ind.level2, []).append(s)
        if w is not None and s is not None:
            vals.append(w - s)
        t = parse_value(ind.target.text if ind.target else None)
        a = parse_value(ind.actual.text if ind.actual else None)
        if t is not None and a is not None:
            vals.extend([a - t, t - a])
            r = _ratio(a, t)
            if r is not None:
                vals.append(r)
                if w is not None:
                    vals.append(min(a / t, 1.0) * w)
    for group in (weights, scores, *by_l1.values(), *by_l2.values()):
        if group:
            vals.append(sum(group))
    if scores:
        vals.append(100.0 - sum(scores))
    st = getattr(report, "stated_total", None)
    if st is not None:
        vals.append(100.0 - st.value)
    amounts = [a.yuan for a in getattr(report, "amounts", []) or []][:80]
    for a in amounts if not derived_only else ():
        vals.extend([a, a / 10000.0])
    for i, a in enumerate(amounts):
        for b in amounts[i + 1:]:
            vals.extend([a + b, abs(a - b), abs(a - b) / 10000.0, (a + b) / 10000.0])
            if b:
                vals.append(a / b * 100.0)
            if a:
                vals.append(b / a * 100.0)
    return [v for v in vals if v is not None and math.isfinite(v)]
