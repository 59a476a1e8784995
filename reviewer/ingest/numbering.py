"""Automatic list numbers of .docx paragraphs (``一、`` ``（二）`` ``3.`` ...).

Word does not store a numbered heading's number in the text (it is generated from
``numbering.xml``), but reports are structured by exactly those numbers, so the reader
renders them as part of the paragraph line.  Counters follow Word closely enough for
reports: per abstract list, deeper levels restart when a shallower one advances,
``startOverride`` restarts, ``isLgl`` forces decimals; bullets are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from reviewer.ingest.wordml import w

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_PUNCT_END = "、.．。:：)）]】"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (up to 9999, else decimal)."""
    if n <= 0 or n > 9999:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20 and units == "十百千":
        return "十" + (digits[n % 10] if n % 10 else "")
    parts, zero = [], False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d:
            if zero:
                parts.append(digits[0])
            parts.append(digits[d] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (Word repeats the letter)."""
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter value in a ``w:numFmt`` format."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False
    suffix: str = "tab"


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    if el is None:
        return default
    return el.get(w("val"), default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse_levels(parent: etree._Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in parent.findall(w("lvl")):
        ilvl = _int(lvl.get(w("ilvl")), 0)
        restart = lvl.find(w("lvlRestart"))
        levels[ilvl] = _Level(
            start=_int(_val(lvl.find(w("start"))), 1),
            fmt=_val(lvl.find(w("numFmt")), "decimal") or "decimal",
            text=_val(lvl.find(w("lvlText")), "") or "",
            restart=_int(_val(restart), 0) if restart is not None else None,
            legal=lvl.find(w("isLgl")) is not None and _val(lvl.find(w("isLgl")), "1") not in ("0", "false"),
            suffix=_val(lvl.find(w("suff")), "tab") or "tab",
        )
    return levels


class Numbering:
    """Generates list labels for paragraphs, in document order (it keeps counters)."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None = None):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.abstract_style_link: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started_overrides: set[tuple[str, int]] = set()
        self.style_numpr: dict[str, tuple[str | None, int | None, str | None]] = {}
        self.default_style: str | None = None
        if numbering is not None:
            self._load_numbering(numbering)
        if styles is not None:
            self._load_styles(styles)

    # ------------------------------------------------------------------ loading
    def _load_numbering(self, root: etree._Element) -> None:
        for an in root.findall(w("abstractNum")):
            aid = an.get(w("abstractNumId"))
            if aid is None:
                continue
            self.abstract[aid] = _parse_levels(an)
            link = an.find(w("numStyleLink"))
            if link is not None and _val(link):
                self.abstract_style_link[aid] = _val(link) or ""
        for num in root.findall(w("num")):
            nid = num.get(w("numId"))
            aid = _val(num.find(w("abstractNumId")))
            if nid is None or aid is None:
                continue
            starts: dict[int, int] = {}
            lvls: dict[int, _Level] = {}
            for ov in num.findall(w("lvlOverride")):
                ilvl = _int(ov.get(w("ilvl")), 0)
                so = ov.find(w("startOverride"))
                if so is not None:
                    starts[ilvl] = _int(_val(so), 1)
                lvls.update({k: v for k, v in _parse_levels(ov).items() if k == ilvl})
            self.nums[nid] = (aid, starts, lvls)

    def _load_styles(self, root: etree._Element) -> None:
        for st in root.findall(w("style")):
            if st.get(w("type")) not in (None, "paragraph", "numbering"):
                continue
            sid = st.get(w("styleId"))
            if sid is None:
                continue
            if st.get(w("default")) in ("1", "true", "on") and st.get(w("type")) == "paragraph":
                self.default_style = sid
            numpr = st.find(f"{w('pPr')}/{w('numPr')}")
            num_id = ilvl = None
            if numpr is not None:
                num_id = _val(numpr.find(w("numId")))
                ilvl_s = _val(numpr.find(w("ilvl")))
                ilvl = _int(ilvl_s, 0) if ilvl_s is not None else None
            self.style_numpr[sid] = (num_id, ilvl, _val(st.find(w("basedOn"))))

    # ------------------------------------------------------------------ lookup
    def _style_num(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen and style in self.style_numpr:
            seen.add(style)
            num_id, ilvl, based_on = self.style_numpr[style]
            if num_id is not None:
                return num_id, ilvl
            style = based_on
        return None, None

    def _num_of(self, p: etree._Element) -> tuple[str, int] | None:
        ppr = p.find(w("pPr"))
        num_id = ilvl = None
        style = None
        if ppr is not None:
            numpr = ppr.find(w("numPr"))
            if numpr is not None:
                num_id = _val(numpr.find(w("numId")))
                ilvl_s = _val(numpr.find(w("ilvl")))
                ilvl = _int(ilvl_s, 0) if ilvl_s is not None else None
            style = _val(ppr.find(w("pStyle")))
        if num_id is None:
            num_id, style_ilvl = self._style_num(style or self.default_style)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, max(0, min(8, ilvl or 0))

    def _levels(self, aid: str) -> dict[int, _Level]:
        levels = self.abstract.get(aid, {})
        if not levels and aid in self.abstract_style_link:
            num_id, _ = self._style_num(self.abstract_style_link[aid])
            if num_id in self.nums:
                levels = self.abstract.get(self.nums[num_id][0], {})
        return levels

    def is_numbered(self, p: etree._Element) -> bool:
        """Whether the paragraph shows a list number (without advancing any counter)."""
        found = self._num_of(p)
        if found is None:
            return False
        aid, _, overrides = self.nums[found[0]]
        lvl = overrides.get(found[1]) or self._levels(aid).get(found[1])
        return lvl is not None and bool(self._render(lvl, {found[1]: lvl.start}, self._levels(aid)))

    def label(self, p: etree._Element) -> str:
        """The paragraph's list number with its separator ("" if none); advances counters."""
        found = self._num_of(p)
        if found is None:
            return ""
        num_id, ilvl = found
        aid, starts, overrides = self.nums[num_id]
        levels = {**self._levels(aid), **overrides}
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        counters = self.counters.setdefault(aid, {})
        if ilvl in starts and (num_id, ilvl) not in self.started_overrides:
            self.started_overrides.add((num_id, ilvl))
            counters[ilvl] = starts[ilvl]
        else:
            counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else lvl.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, _Level()).restart
            if restart != 0 and (restart is None or ilvl < restart):
                del counters[deeper]
        values = {k: counters.get(k, levels.get(k, _Level()).start) for k in range(ilvl + 1)}
        return self._render(lvl, values, levels)

    def _render(self, lvl: _Level, values: dict[int, int], levels: dict[int, _Level]) -> str:
        if lvl.fmt in ("bullet", "none") or not lvl.text:
            return ""
        out = lvl.text
        for k in range(8, -1, -1):
            token = f"%{k + 1}"
            if token in out:
                fmt = "decimal" if lvl.legal else levels.get(k, _Level()).fmt
                out = out.replace(token, format_number(values.get(k, levels.get(k, _Level()).start), fmt))
        if any(0xE000 <= ord(c) <= 0xF8FF for c in out):
            return ""
        if lvl.suffix == "nothing" or out[-1] in _PUNCT_END:
            return out
        return out + " "
