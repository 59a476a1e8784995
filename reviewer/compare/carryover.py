"""存在问题 and 改进措施 carried over word for word from the previous year's report.

Only for a pair of consecutive years: in a revision of the same year an unchanged section
is expected. The passages are difflib's matching blocks between the OLD and NEW bodies of
each of the two sections, line by line, each piece at least :data:`MIN_CHARS` characters long
(whitespace aside), so a shared stock phrase or the unit's signature line is not a copy.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from reviewer.compare.align import PairAlignment
from reviewer.compare.models import CarriedOver
from reviewer.models import Section

MIN_CHARS = 20
CARRIED_KINDS = {"problems": "存在问题", "measures": "改进措施"}


def _bodies(sections: list[Section], kind: str) -> list[Section]:
    return [s for s in sections if s.kind == kind and s.body.end > s.body.start]


def carried_over(pa: PairAlignment, kind: str) -> list[CarriedOver]:
    """Copied passages of the pair's ``kind`` sections (problems / measures)."""
    old_text, new_text = pa.old.parsed.source.text, pa.new.parsed.source.text
    out: list[CarriedOver] = []
    for ns in _bodies(pa.new.report.sections, kind):
        b = new_text[ns.body.start:ns.body.end]
        for os_ in _bodies(pa.old.report.sections, kind):
            a = old_text[os_.body.start:os_.body.end]
            for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
                at = 0
                for line in b[m.b:m.b + m.size].split("\n"):  # line by line: a shared signature line is no copy
                    off, at = at, at + len(line) + 1
                    piece = line.strip()
                    if len(re.sub(r"\s+", "", piece)) < MIN_CHARS:
                        continue
                    lead = off + len(line) - len(line.lstrip())
                    s_old, s_new = os_.body.start + m.a + lead, ns.body.start + m.b + lead
                    out.append(CarriedOver(pair=pa.pair, section=CARRIED_KINDS[kind], text=piece,
                                           old_location=pa.old.position(s_old, s_old + len(piece)),
                                           new_location=pa.new.position(s_new, s_new + len(piece)),
                                           new_span=(s_new, s_new + len(piece))))
    return out


def carried_over_pair(pa: PairAlignment) -> list[CarriedOver]:
    return [c for kind in CARRIED_KINDS for c in carried_over(pa, kind)]
