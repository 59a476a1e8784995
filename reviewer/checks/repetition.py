"""Rule D66: the same clause written again and again, back to back."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import in_spans, table_spans
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Report
from reviewer.lazy_re import lazy

CLAUSE = lazy(r"[^。；;！？!?\n|｜]+")  # sentences and semicolon parts; a comma does not end one
MIN_CHARS = 12  # shorter clauses (时间节点, 资金到位) repeat honestly
GAP = 3  # characters between two copies: only back-to-back repeats (a fact restated elsewhere is normal)


@rule("D66", "语句重复", kind="boilerplate", severity="warning")
def repeated_clause(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The same clause written twice or more back to back, or twice in one sentence, is
    copy-paste, not content.

    Bad:  及时拨付项目资金，履行项目资金保障；及时拨付项目资金，履行项目资金保障；及时拨付项目资金……
    Good: 3月和9月分两批拨付资金48万元；对6个村的项目资金建立台账，每季度核对一次。
    """
    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    seen: dict[str, list[tuple[int, int]]] = {}
    for m in CLAUSE.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        key = re.sub(r"\s+", "", m.group())
        if len(key) < MIN_CHARS or not re.search(r"[\u4e00-\u9fff]{6}", key):
            continue
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        seen.setdefault(key, []).append((a, b))
    for key, where in seen.items():
        close = [w for k, w in enumerate(where) if k and w[0] - where[k - 1][1] <= GAP
                 and re.fullmatch(r"\s*[；;，,。]\s*", text[where[k - 1][1]:w[0]])]  # a title repeated on its own line is page chrome
        if close:
            first = where[0]
            yield Finding(message=f"同一句话“{key[:30]}”在{len(where)}处重复出现，属机械复制，没有增加内容",
                          evidence=[first, *close[:2]], stated=key[:40])
    # the same long comma-part twice in one sentence, other parts between (…能力，是…需要，增强了…能力。)
    for m in CLAUSE.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        parts: dict[str, tuple[int, int]] = {}
        for p in re.finditer(r"[^，,]+", m.group()):
            key = re.sub(r"\s+", "", p.group())
            if len(key) < MIN_CHARS or not re.search(r"[\u4e00-\u9fff]{6}", key) or re.search(r"\d", key):
                continue  # figures repeat honestly in a form flattened onto one line (年初 and 全年 columns)
            here = (m.start() + p.start(), m.start() + p.end())
            if key in parts:
                yield Finding(message=f"同一句中“{key[:30]}”写了两遍，属机械复制，没有增加内容",
                              evidence=[(parts[key][0], here[1])], stated=key[:40])  # both copies and what lies between
                break
            parts[key] = here
