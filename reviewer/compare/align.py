"""Aligning a matched pair: sections, funds rows, indicator rows, the total and the grade,
then every other changed number and sentence of the text.

Rows are paired by their names with difflib (``SequenceMatcher`` over the row keys keeps
the order; rows left over in a replaced block pair by name similarity), and their fields
are compared by value (numbers) or by text with whitespace and full/half-width forms
ignored. The rest of the text is compared with :class:`~reviewer.compare.textmap.TextAlignment`,
skipping the rows already compared field by field; each changed sentence gives one change
per changed number and, when its words changed too, one change with both sentences.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from reviewer.compare.models import Change, ChangeArea
from reviewer.compare.sides import SideReport
from reviewer.compare.textmap import Op, TextAlignment
from reviewer.models import FundsRow, IndicatorRow, NumberRef, Section, TextRef
from reviewer.structure.numbers import NUM, label_before, to_float
from reviewer.structure.scores import grade_of
from reviewer.structure.sections import innermost_section

SECTION_ZH: dict[str, str] = {
    "basic": "基本情况", "goals": "绩效目标", "funds": "资金情况", "work": "工作开展", "performance": "完成情况",
    "conclusion": "自评结论", "problems": "存在问题", "measures": "改进措施", "other": "其他",
}
FUNDS_FIELDS = (("budget_initial", "年初预算数"), ("budget_full", "全年预算数"), ("executed", "全年执行数"),
                ("weight", "分值"), ("rate", "执行率"), ("score", "得分"))
INDICATOR_FIELDS = (("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值"), ("score", "得分"),
                    ("reason", "偏差原因"))
MIN_ROW_SIMILARITY = 0.6
NUMBER_TOKEN = re.compile(rf"{NUM}\s*(?:万元|亿元|千元|元|%|％|分|个|项|次|人|户|辆|家|天|平米|平方米|路|处)?")
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])\s*")
_SENTENCE_END = "。！？；;\n"
KEPT = -1
_GRADE_WORD = re.compile(r"优秀|良好|合格|不合格|优|良|中|差")


def norm(text: str | None) -> str:
    """Text compared for changes: NFKC (full/half-width alike), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def number_tokens(text: str) -> list[re.Match]:
    """The numbers of ``text`` with their units, list markers such as （2） and 3. left out."""
    out = []
    for m in NUMBER_TOKEN.finditer(text or ""):
        s, e = m.start(), m.end()
        before, after = text[s - 1:s], text[e:e + 1]
        if before in ("（", "(") and after in (")", "）"):
            continue
        if (s == 0 or before == "\n") and after in (".", "．", "、") and not text[e + 1:e + 2].isdigit():
            continue
        out.append(m)
    return out


def numbers_in(text: str) -> list[float]:
    return [to_float(re.match(NUM, m.group()).group()) for m in number_tokens(text)]  # type: ignore[union-attr]


@dataclass
class PairAlignment:
    """A matched pair, the alignment of its texts and of its sections."""

    pair: int
    old: SideReport
    new: SideReport
    text: TextAlignment
    # old section index -> new one; None: deleted; KEPT: its heading is not read as one in NEW, its text is there
    section_map: dict[int, int | None] = field(default_factory=dict)
    new_sections_added: list[int] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # filled by align_pair

    def old_section_deleted(self, pos: int) -> Section | None:
        """The OLD section holding ``pos`` when it has no counterpart in NEW."""
        sec = innermost_section(self.old.report.sections, pos)
        if sec is None:
            return None
        i = next(k for k, s in enumerate(self.old.report.sections) if s is sec)
        return sec if self.section_map.get(i) is None else None


def _heading_key(s: Section) -> str:
    return s.kind + ":" + norm(_NUMBERING.sub("", s.heading.text))


def align_sections(old: list[Section], new: list[Section]) -> tuple[dict[int, int | None], list[int]]:
    """OLD section index → NEW section index (None when deleted), and NEW sections added."""
    a, b = [_heading_key(s) for s in old], [_heading_key(s) for s in new]
    mapping: dict[int, int | None] = {i: None for i in range(len(a))}
    used: set[int] = set()
    for tag, i0, i1, j0, j1 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i1 - i0):
                mapping[i0 + k] = j0 + k
                used.add(j0 + k)
        elif tag == "replace":  # renamed headings: same kind, most similar title
            for i in range(i0, i1):
                best = max((j for j in range(j0, j1) if j not in used and new[j].kind == old[i].kind),
                           key=lambda j: SequenceMatcher(None, a[i], b[j]).ratio(), default=None)
                if best is not None:
                    mapping[i] = best
                    used.add(best)
    return mapping, [j for j in range(len(b)) if j not in used]


def pair_rows(a: list[str], b: list[str]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of row indexes with the same or a similar key, in order; rows only in ``a``, only in ``b``."""
    pairs: list[tuple[int, int]] = []
    only_a: list[int] = []
    only_b: list[int] = []
    for tag, i0, i1, j0, j1 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.extend((i0 + k, j0 + k) for k in range(i1 - i0))
            continue
        free = list(range(j0, j1))
        for i in range(i0, i1):
            best = max(free, key=lambda j: SequenceMatcher(None, a[i], b[j]).ratio(), default=None)
            if best is not None and SequenceMatcher(None, a[i], b[best]).ratio() >= MIN_ROW_SIMILARITY:
                pairs.append((i, best))
                free.remove(best)
            else:
                only_a.append(i)
        only_b.extend(free)
    pairs.sort()
    return pairs, sorted(only_a), sorted(only_b)


class PairDiffer:
    """Collects the changes of one matched pair."""

    def __init__(self, pa: PairAlignment):
        self.pa = pa
        self.changes: list[Change] = []
        self.covered_old: list[tuple[int, int]] = []  # spans compared field by field
        self.covered_new: list[tuple[int, int]] = []

    # ------------------------------------------------------------------ helpers

    def _loc(self, rep: SideReport, ref: TextRef | None) -> tuple[str | None, tuple[int, int] | None]:
        if ref is None:
            return None, None
        return rep.position(ref.start, ref.end), (ref.start, ref.end)

    def add(self, area: ChangeArea, fld: str, item: str, old: TextRef | None, new: TextRef | None, *,
            old_text: str | None = None, new_text: str | None = None, numeric: bool | None = None) -> None:
        ot = old_text if old_text is not None else (old.text if old is not None else None)
        nt = new_text if new_text is not None else (new.text if new is not None else None)
        kind = "修改" if ot is not None and nt is not None else ("删除" if ot is not None else "新增")
        ol, os_ = self._loc(self.pa.old, old)
        nl, ns = self._loc(self.pa.new, new)
        if numeric is None:
            numeric = numbers_in(ot or "") != numbers_in(nt or "")
        self.changes.append(Change(pair=self.pa.pair, area=area, field=fld, item=item, kind=kind, old=ot, new=nt,
                                   old_location=ol, new_location=nl, old_span=os_, new_span=ns, numeric=numeric))

    def _field(self, area: ChangeArea, fld: str, item: str, a: TextRef | None, b: TextRef | None) -> None:
        if a is None and b is None:
            return
        if isinstance(a, NumberRef) and isinstance(b, NumberRef):
            if abs(a.value - b.value) > 1e-9:
                self.add(area, fld, item, a, b, numeric=True)
            return
        if norm(a.text if a else "") != norm(b.text if b else ""):
            self.add(area, fld, item, a, b)

    # ------------------------------------------------------------------ structured parts

    def funds(self) -> None:
        fa = self.pa.old.report.funds.rows if self.pa.old.report.funds else []
        fb = self.pa.new.report.funds.rows if self.pa.new.report.funds else []
        pairs, only_a, only_b = pair_rows([_funds_key(r) for r in fa], [_funds_key(r) for r in fb])
        for i, j in pairs:
            item = fb[j].name.text.strip()
            for attr, label in FUNDS_FIELDS:
                self._field("资金", label, item, getattr(fa[i], attr), getattr(fb[j], attr))
        for i in only_a:
            self.add("资金", "资金行", fa[i].name.text.strip(), fa[i].name, None)
        for j in only_b:
            self.add("资金", "资金行", fb[j].name.text.strip(), None, fb[j].name)
        self.covered_old += [_funds_span(r) for r in fa]
        self.covered_new += [_funds_span(r) for r in fb]

    def indicators(self) -> None:
        ia, ib = self.pa.old.report.indicators, self.pa.new.report.indicators
        pairs, only_a, only_b = pair_rows([_indicator_key(r) for r in ia], [_indicator_key(r) for r in ib])
        for i, j in pairs:
            item = _indicator_label(ib[j])
            for attr, label in INDICATOR_FIELDS:
                self._field("指标", label, item, getattr(ia[i], attr), getattr(ib[j], attr))
        for i in only_a:
            self.add("指标", "指标行", _indicator_label(ia[i]), ia[i].level3, None)
        for j in only_b:
            self.add("指标", "指标行", _indicator_label(ib[j]), None, ib[j].level3)
        self.covered_old += [(r.row.start, r.row.end) for r in ia]
        self.covered_new += [(r.row.start, r.row.end) for r in ib]

    def totals(self) -> None:
        a, b = self.pa.old.report, self.pa.new.report
        if a.stated_total is not None or b.stated_total is not None:
            if a.stated_total is None or b.stated_total is None or abs(a.stated_total.value - b.stated_total.value) > 1e-9:
                self.add("总分", "自评得分", "自评得分", _part(a.stated_total, NUMBER_TOKEN), _part(b.stated_total, NUMBER_TOKEN),
                         numeric=True)
        if (grade_of(a.stated_grade) or norm(a.stated_grade.text if a.stated_grade else "")) != \
                (grade_of(b.stated_grade) or norm(b.stated_grade.text if b.stated_grade else "")):
            self.add("等级", "评价等级", "评价等级", _part(a.stated_grade, _GRADE_WORD), _part(b.stated_grade, _GRADE_WORD))
        for rep, cov in ((a, self.covered_old), (b, self.covered_new)):
            cov += [(t.start, t.end) for t in rep.stated_totals]
            if rep.stated_grade is not None:
                cov.append((rep.stated_grade.start, rep.stated_grade.end))

    def sections(self) -> None:
        old_secs, new_secs = self.pa.old.report.sections, self.pa.new.report.sections
        for i, j in self.pa.section_map.items():
            if j is None:
                s = old_secs[i]
                self.add("章节", SECTION_ZH.get(s.kind, s.kind), s.heading.text.strip(), _whole(self.pa.old, s), None)
                self.covered_old.append((s.heading.start, max(s.body.end, s.heading.end)))
        for j in self.pa.new_sections_added:
            s = new_secs[j]
            self.add("章节", SECTION_ZH.get(s.kind, s.kind), s.heading.text.strip(), None, _whole(self.pa.new, s))
            self.covered_new.append((s.heading.start, max(s.body.end, s.heading.end)))

    # ------------------------------------------------------------------ the rest of the text

    def narrative(self) -> None:
        ops = []
        for op in self.pa.text.changes():
            a0, a1 = _outside(op.a0, op.a1, self.covered_old)
            b0, b1 = _outside(op.b0, op.b1, self.covered_new)
            if a1 > a0 or b1 > b0:
                ops.append(Op(op.tag, a0, a1, b0, b1))
        for (a0, a1), (b0, b1), _ in _sentence_groups(self.pa, ops):
            old_s, new_s = self.pa.old.parsed.source.text[a0:a1], self.pa.new.parsed.source.text[b0:b1]
            if norm(old_s) == norm(new_s):
                continue
            sec = innermost_section(self.pa.new.report.sections, b0) if b1 > b0 else None
            sec = sec or innermost_section(self.pa.old.report.sections, a0)
            fld = SECTION_ZH.get(sec.kind, sec.kind) if sec else "正文"
            heading = sec.heading.text.strip() if sec else ""
            if old_s.strip() and new_s.strip():
                self._numbers(fld, heading, a0, old_s, b0, new_s)
            if norm(_without_numbers(old_s)) != norm(_without_numbers(new_s)):
                ref_a, ref_b = _stripped_ref(old_s, a0), _stripped_ref(new_s, b0)
                if ref_a is None and ref_b is None:
                    continue
                self.add("正文", fld, heading, ref_a, ref_b,
                         numeric=numbers_in(old_s) != numbers_in(new_s))

    def _numbers(self, fld: str, heading: str, a0: int, old_s: str, b0: int, new_s: str) -> None:
        ta, tb = number_tokens(old_s), number_tokens(new_s)
        ka, kb = [norm(m.group()) for m in ta], [norm(m.group()) for m in tb]
        for tag, i0, i1, j0, j1 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            for k in range(max(i1 - i0, j1 - j0)):
                ma = ta[i0 + k] if i0 + k < i1 else None
                mb = tb[j0 + k] if j0 + k < j1 else None
                ra = TextRef(text=ma.group().strip(), start=a0 + ma.start(), end=a0 + ma.start() + len(ma.group().strip())) if ma else None
                rb = TextRef(text=mb.group().strip(), start=b0 + mb.start(), end=b0 + mb.start() + len(mb.group().strip())) if mb else None
                if _inside_ref(ra, self.covered_old) or _inside_ref(rb, self.covered_new):
                    continue
                item = label_before(new_s, mb.start()) if mb else label_before(old_s, ma.start())  # type: ignore[union-attr]
                self.add("正文", fld, item or heading, ra, rb, numeric=True)


def _without_numbers(text: str) -> str:
    out, last = [], 0
    for m in number_tokens(text):
        out.append(text[last:m.start()] + "#")
        last = m.end()
    return "".join(out) + text[last:]


def _part(ref: TextRef | None, pattern: re.Pattern) -> TextRef | None:
    """The last match of ``pattern`` inside a stated phrase (自评得分98分 → 98分, 等级为“优 → 优)."""
    if ref is None:
        return None
    found = list(pattern.finditer(ref.text))
    if not found:
        return ref
    m = found[-1]
    return TextRef(text=m.group().strip(), start=ref.start + m.start(), end=ref.start + m.start() + len(m.group().strip()))


def _stripped_ref(text: str, start: int) -> TextRef | None:
    """``text`` (found at ``start``) without its surrounding whitespace; None when blank."""
    body = text.strip()
    if not body:
        return None
    lead = len(text) - len(text.lstrip())
    return TextRef(text=body, start=start + lead, end=start + lead + len(body))


def _whole(rep: SideReport, s: Section) -> TextRef:
    """A section from its heading to the end of its body."""
    end = max(s.body.end, s.heading.end)
    return _stripped_ref(rep.parsed.source.text[s.heading.start:end], s.heading.start) or s.heading


def _inside(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(x <= s and e <= y for x, y in spans) if e > s else any(x <= s <= y for x, y in spans)


def _outside(s: int, e: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """``s..e`` with the parts at its ends that lie in ``spans`` cut off (empty when inside)."""
    changed = True
    while changed and e > s:
        changed = False
        for x, y in spans:
            if x <= s < y:
                s, changed = min(y, e), True
            if x < e <= y:
                e, changed = max(x, s), True
    return s, max(s, e)


def _inside_ref(ref: TextRef | None, spans: list[tuple[int, int]]) -> bool:
    return ref is not None and _inside(ref.start, ref.end, spans)


def _funds_key(r: FundsRow) -> str:
    return norm(r.name.text).removeprefix("其中:").removeprefix("其中")


def _funds_span(r: FundsRow) -> tuple[int, int]:
    refs = [r.name] + [getattr(r, a) for a, _ in FUNDS_FIELDS if getattr(r, a) is not None]
    return min(x.start for x in refs), max(x.end for x in refs)


def _indicator_key(r: IndicatorRow) -> str:
    return "|".join(norm(re.sub(r"[（(]\s*\d+(?:\.\d+)?\s*分?\s*[)）]", "", x)) for x in (r.level1, r.level2, r.level3.text))


def _indicator_label(r: IndicatorRow) -> str:
    return "／".join(x.strip() for x in (r.level2, r.level3.text) if x and x.strip())


def _sentence_span(text: str, lo: int, hi: int, pos: int, end: int) -> tuple[int, int]:
    """The sentences of ``text`` (bounded by ``lo``..``hi``) covering pos..end."""
    s = pos
    while s > lo and text[s - 1] not in _SENTENCE_END:
        s -= 1
    if end > pos and text[end - 1] in _SENTENCE_END:
        return s, end
    e = max(end, pos)
    while e < hi and text[e] not in _SENTENCE_END:
        e += 1
    return s, min(e + 1, hi)


def _sentence_groups(pa: PairAlignment, ops: list[Op]) -> list[tuple[tuple[int, int], tuple[int, int], list[Op]]]:
    """Changed opcodes grouped by the sentences they fall in, on both sides."""
    ta, tb = pa.old.parsed.source.text, pa.new.parsed.source.text
    ra, rb = pa.old.report, pa.new.report
    groups: list[tuple[list[int], list[int], list[Op]]] = []
    for op in ops:
        # a pure insertion (deletion) between sentences has nothing on the old (new) side
        if op.tag == "insert" and (op.a0 == ra.start or ta[op.a0 - 1] in _SENTENCE_END):
            sa = [op.a0, op.a0]
        else:
            sa = list(_sentence_span(ta, ra.start, ra.end, op.a0, op.a1))
        if op.tag == "delete" and (op.b0 == rb.start or tb[op.b0 - 1] in _SENTENCE_END):
            sb = [op.b0, op.b0]
        else:
            sb = list(_sentence_span(tb, rb.start, rb.end, op.b0, op.b1))
        if groups and ((sa[1] > sa[0] and sa[0] < groups[-1][0][1]) or (sb[1] > sb[0] and sb[0] < groups[-1][1][1])):
            g = groups[-1]
            g[0][0], g[0][1] = min(g[0][0], sa[0]), max(g[0][1], sa[1])
            g[1][0], g[1][1] = min(g[1][0], sb[0]), max(g[1][1], sb[1])
            g[2].append(op)
        else:
            groups.append((sa, sb, [op]))
    return [((a[0], a[1]), (b[0], b[1]), ops) for a, b, ops in groups]


def align_pair(pa: PairAlignment) -> list[Change]:
    """Every change of a matched pair: structured fields first, then the text."""
    pa.section_map, pa.new_sections_added = align_sections(pa.old.report.sections, pa.new.report.sections)
    for i, j in pa.section_map.items():
        s = pa.old.report.sections[i]
        if j is None and pa.text.surviving(s.heading.start, max(s.body.end, s.heading.end)) >= 0.5:
            pa.section_map[i] = KEPT  # the heading is no longer read as one, the text is still there
    d = PairDiffer(pa)
    d.funds()
    d.indicators()
    d.totals()
    d.sections()
    d.narrative()
    pa.changes = d.changes
    return d.changes


def make_pair(pair: int, old: SideReport, new: SideReport) -> PairAlignment:
    ta, tb = old.parsed.source.text, new.parsed.source.text
    ro, rn = old.report, new.report
    return PairAlignment(pair=pair, old=old, new=new, text=TextAlignment(ta[ro.start:ro.end], tb[rn.start:rn.end], ro.start, rn.start))
