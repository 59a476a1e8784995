"""A rule finding restated as a drafted 存在问题: what is wrong, in the report's own figures,
without the reviewer's working (no "应为 …", no "= …", no formula).

``执行率应为 全年执行数96 ÷ 全年预算数120 = 80%，表中填写 95%`` becomes
``预算执行率计算：报告填写95%，按报告自身的数据核算为80%，二者不一致。``
"""

from __future__ import annotations

import re

from reviewer.models import Flag

# clauses that are the reviewer's working or instruction, not the problem
REVIEWER_NOTE = re.compile(r"应为|应得|应等于|应是|应按|应写|应填|应当|核算后|[=＝÷×]|[+−]\s*\d")
_CLAUSE = re.compile(r"[^，；。]+[，；。]?")
_SUBJECT = re.compile(r"^(?:指标\d+[:：])?(?P<s>[^：:，。；=“”（）《》()]{2,20})[:：]")


def rule_topic(rule: str) -> str:
    """The rule's Chinese name (``D02`` → 预算执行率计算), or the code when unknown."""
    import reviewer.checks  # noqa: F401  (registers the rules)
    from reviewer.checks.base import REGISTRY

    r = REGISTRY.get(rule)
    return r.name if r is not None else rule


def flag_subject(f: Flag) -> str:
    """The row or amount a message opens with (``慰问户数：完成值…`` → 慰问户数), or ""."""
    m = _SUBJECT.match(f.message)
    return m.group("s").strip() if m and not REVIEWER_NOTE.search(m.group("s")) else ""


_VERDICT = re.compile(r"(?:两者|二者)?(?:不相等|不一致|不符)[，；。]?")


def _says(text: str, figure: str) -> bool:
    """``figure`` written in ``text`` as a whole number (``0`` is not in ``10分``)."""
    return re.search(rf"(?<![\d.]){re.escape(figure)}(?![\d.])", text) is not None


def _has_digit(s: str | None) -> bool:
    return bool(s and re.search(r"\d", s))


def problem_from_flag(f: Flag) -> str:
    """One sentence for the 存在问题 draft, ending in 。."""
    topic = rule_topic(f.rule)
    subject = flag_subject(f)
    kept = [c for c in _CLAUSE.findall(f.message) if not REVIEWER_NOTE.search(c) and not _VERDICT.fullmatch(c)]
    body = "".join(kept).strip().rstrip("，；。")
    if _has_digit(f.stated) and _has_digit(f.expected):
        if _says(body, f.stated):  # the message says what the report wrote: keep its words
            tail = "" if _says(body, f.expected) else f"，按报告自身的数据核算为{f.expected}"
            return f"{topic}：{body}{tail}，二者不一致。"
        who = f"“{subject}”" if subject else ""
        return f"{topic}：{who}报告填写{f.stated}，按报告自身的数据核算为{f.expected}，二者不一致。"
    if not body:
        return f"{topic}：{subject or '报告'}存在问题。"
    return f"{body}。" if subject and body.startswith(subject) else f"{topic}：{body}。"
