"""What became of each finding between OLD and NEW.

A finding of OLD and one of NEW are the same finding when they come from the same rule and
their evidence sits at the same place once OLD's offsets are mapped into NEW (the figures in
the message may differ: the report changed them but the defect stayed), or, failing that,
when their messages read alike with the figures left out.

An OLD finding with no counterpart in NEW is:

* 随删除消失: its evidence lay in a section that NEW deleted, or its text was deleted;
  the problem was removed, not corrected;
* 已修正: a number its evidence holds changed (or, for a finding about wording, the words
  changed);
* 消失但依据未改: nothing it rested on changed (another edit, or the rest of the batch,
  made the rule fall silent); a reviewer should look.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from reviewer.compare.align import PairAlignment, numbers_in, number_tokens, norm
from reviewer.compare.models import FindingDiff
from reviewer.compare.sides import SideReport
from reviewer.outputs.records import FlagRecord

SAME_MESSAGE = 0.75
UNCHANGED_TEXT = 0.9  # a wording finding's evidence this similar to its new text is unchanged
GONE = 0.2  # below this share of the evidence surviving, with next to nothing in its place: deleted
WORDING_KINDS = {"boilerplate", "vague_problems", "missing", "format"}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _message_key(msg: str) -> str:
    return _DIGITS.sub("#", msg)


def _own_evidence(rep: SideReport, fr: FlagRecord) -> list:
    """The evidence inside the report itself (a copy finding also quotes the other report)."""
    return [ev for ev in fr.flag.evidence if rep.report.start <= ev.start < rep.report.end]


def _overlaps(pa: PairAlignment, old: FlagRecord, new: FlagRecord) -> bool:
    for ev in _own_evidence(pa.old, old):
        s, e = pa.text.map_span(ev.start, ev.end)
        for nv in new.flag.evidence:
            if nv.start < max(e, s + 1) and nv.end > s:
                return True
    return False


def pair_findings(pa: PairAlignment) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (old index, new index) of the same finding; OLD ones gone; NEW ones new."""
    old, new = pa.old.flags, pa.new.flags
    cands: list[tuple[float, int, int]] = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if a.flag.rule != b.flag.rule:
                continue
            sim = SequenceMatcher(None, _message_key(a.flag.message), _message_key(b.flag.message), autojunk=False).ratio()
            if _overlaps(pa, a, b):
                cands.append((1.0 + sim, i, j))
            elif sim >= SAME_MESSAGE:
                cands.append((sim, i, j))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return sorted(pairs), [i for i in range(len(old)) if i not in used_a], [j for j in range(len(new)) if j not in used_b]


def _number_changes(old_text: str, new_text: str) -> list[str]:
    """``「32.92万元」→「36.92万元」`` for each number that differs between two texts."""
    ta, tb = number_tokens(old_text), number_tokens(new_text)
    ka, kb = [norm(m.group()) for m in ta], [norm(m.group()) for m in tb]
    out = []
    for tag, i0, i1, j0, j1 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a = "、".join(m.group().strip() for m in ta[i0:i1]) or "（无）"
        b = "、".join(m.group().strip() for m in tb[j0:j1]) or "（无）"
        out.append(f"「{a}」→「{b}」")
    return out


def _changed_numbers_named(pa: PairAlignment, fr: FlagRecord) -> list[str]:
    """Changes of the pair whose old number the finding's message, expected or stated value
    names (a total "应为98分（预算执行率9.5→8）" rests on the 9.5 in the table)."""
    f = fr.flag
    named = set(numbers_in(" ".join(x for x in (f.message, f.expected, f.stated) if x)))
    out = []
    for c in pa.changes:
        if c.numeric and c.old is not None and c.new is not None and set(numbers_in(c.old)) & named:
            out.append(f"{c.field}「{c.old}」→「{c.new}」（{c.new_location or c.old_location}）")
    return out


def classify_gone(pa: PairAlignment, fr: FlagRecord) -> tuple[str, str]:
    """The class of an OLD finding that NEW no longer has, and why (in Chinese)."""
    evs = _own_evidence(pa.old, fr)
    deleted = [pa.old_section_deleted(ev.start) for ev in evs]
    if any(s is not None for s in deleted):
        heads = "、".join(dict.fromkeys(f"「{s.heading.text.strip()}」" for s in deleted if s is not None))
        return "随删除消失", f"所在章节{heads}在新版中被删除，问题随之消失，不算修正"
    new_text = pa.new.parsed.source.text
    changed_numbers: list[str] = []
    wording_changed = False
    gone = 0
    for ev in evs:
        s, e = pa.text.map_span(ev.start, ev.end)
        now = new_text[s:e]
        if numbers_in(ev.quote) != numbers_in(now):
            changed_numbers += _number_changes(ev.quote, now)
        if SequenceMatcher(None, norm(ev.quote), norm(now), autojunk=False).ratio() < UNCHANGED_TEXT:
            wording_changed = True
        if pa.text.surviving(ev.start, ev.end) < GONE and len(norm(now)) < GONE * len(norm(ev.quote)):
            gone += 1
    if evs and gone == len(evs):
        return "随删除消失", "所依据的原文在新版中被删除，问题随之消失，不算修正"
    if changed_numbers:
        return "已修正", "依据的数字已修改：" + "；".join(dict.fromkeys(changed_numbers))
    if wording_changed and (fr.flag.kind in WORDING_KINDS or not any(numbers_in(ev.quote) for ev in evs)):
        return "已修正", "依据的文字已修改"
    named = _changed_numbers_named(pa, fr)
    if named:
        return "已修正", "说明中提到的数字已修改：" + "；".join(named)
    return "消失但依据未改", "所依据的原文没有修改，问题不再报出可能是其他处改动所致，请人工核对"


def _new_reason(pa: PairAlignment, fr: FlagRecord) -> str:
    added = {j for j in pa.new_sections_added}
    secs = pa.new.report.sections
    gone = [pa.old.report.sections[i] for i, j in pa.section_map.items() if j is None]
    if fr.flag.kind == "missing" and gone:
        return "新版删除了章节" + "、".join(f"「{s.heading.text.strip()}」" for s in gone) + "，因此报出缺失"
    for ev in fr.flag.evidence:
        for j in added:
            s = secs[j]
            if s.heading.start <= ev.start < max(s.body.end, s.heading.end):
                return f"出现在新版新增的章节「{s.heading.text.strip()}」中"
    for ev in fr.flag.evidence:
        if any(op.b0 < ev.end and op.b1 > ev.start for op in pa.text.changes() if op.b1 > op.b0):
            return "出现在新版修改过的文字中"
    return "所依据的原文旧版已有，旧版未报出（可能因其他处改动）"


def classify_pair(pa: PairAlignment) -> list[FindingDiff]:
    """Every finding of a matched pair with its class."""
    pairs, gone, new = pair_findings(pa)
    old_f, new_f = pa.old.flags, pa.new.flags
    out: list[FindingDiff] = []
    for i, j in pairs:
        a, b = old_f[i], new_f[j]
        reason = "新旧两版都有此问题"
        if a.flag.message != b.flag.message:
            reason += f"（旧版说明：{a.flag.message}）"
        out.append(FindingDiff(pair=pa.pair, cls="仍存在", rule=b.flag.rule, old=a.flag, new=b.flag,
                               old_locations=a.positions, new_locations=b.positions, reason=reason))
    for i in gone:
        cls, reason = classify_gone(pa, old_f[i])
        out.append(FindingDiff(pair=pa.pair, cls=cls, rule=old_f[i].flag.rule, old=old_f[i].flag,  # type: ignore[arg-type]
                               old_locations=old_f[i].positions, reason=reason))
    for j in new:
        out.append(FindingDiff(pair=pa.pair, cls="新出现", rule=new_f[j].flag.rule, new=new_f[j].flag,
                               new_locations=new_f[j].positions, reason=_new_reason(pa, new_f[j])))
    return out


def only_new_findings(rep: SideReport) -> list[FindingDiff]:
    """The findings of a NEW report that has no counterpart in OLD: all of them are new."""
    return [FindingDiff(pair=None, cls="新出现", rule=fr.flag.rule, new=fr.flag, new_locations=fr.positions,
                        reason="旧版中没有与这份报告对应的报告") for fr in rep.flags]
