"""One defect, one finding: flags that report the same wrong figure are merged.

Two flags are the same defect when they state the same figure (``stated``, non-empty) and

* come from the same rule and share an evidence span (the same amount read twice, e.g. a
  D19 against the 全年预算数 and a D19 against the 年初预算数 of the same 执行率), or
* rest on the same evidence spans and expect the same (stated) value (two rules that recompute the
  same sentence the same way, e.g. D19 and D61 on ``预算执行率95%``).

The first flag is kept, with the more severe severity of the two and, when the expected
values differ, both of them (``80% 或 79.17%``).
"""

from __future__ import annotations

from reviewer.models import SEVERITY_ORDER, Flag


def _spans(f: Flag) -> set[tuple[int, int]]:
    return {(e.start, e.end) for e in f.evidence}


def same_defect(a: Flag, b: Flag) -> bool:
    if not a.stated or a.stated != b.stated or a.report != b.report:
        return False
    sa, sb = _spans(a), _spans(b)
    if a.rule == b.rule:
        return bool(sa & sb)
    return bool(sa) and sa == sb and bool(a.expected) and a.expected == b.expected


def _merge(kept: Flag, dup: Flag) -> Flag:
    update: dict = {}
    if SEVERITY_ORDER.get(dup.severity, 9) < SEVERITY_ORDER.get(kept.severity, 9):
        update["severity"] = dup.severity
    if dup.expected and kept.expected and dup.expected not in kept.expected.split(" 或 "):
        update["expected"] = f"{kept.expected} 或 {dup.expected}"
    return kept.model_copy(update=update) if update else kept


def dedupe_flags(flags: list[Flag]) -> list[Flag]:
    """``flags`` in their order with every later report of an already reported defect merged
    into the first."""
    out: list[Flag] = []
    # Only a kept flag of the same report and figure that shares an evidence span (same rule)
    # or has the same spans (another rule) can be the same defect: look those up instead of
    # comparing every pair (3,000 flags of one figure took minutes).
    by_span: dict[tuple, list[int]] = {}
    for f in flags:
        if not f.stated:
            out.append(f)
            continue
        spans = _spans(f)
        keys = [(f.report, f.stated, f.rule, sp) for sp in spans] + [(f.report, f.stated, frozenset(spans))]
        candidates = sorted({i for k in keys for i in by_span.get(k, ())})
        for i in candidates:
            if same_defect(out[i], f):
                out[i] = _merge(out[i], f)
                break
        else:
            for k in keys:
                by_span.setdefault(k, []).append(len(out))
            out.append(f)
    return out
