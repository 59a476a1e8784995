"""The terminal summary of a comparison (Chinese, one block per matched pair)."""

from __future__ import annotations

from reviewer.compare.models import FINDING_CLASSES, Change, CompareResult, FindingDiff
from reviewer.outputs.text import shorten

VALUE_WIDTH = 36


def change_line(c: Change) -> str:
    old = shorten(c.old, VALUE_WIDTH) if c.old is not None else "（无）"
    new = shorten(c.new, VALUE_WIDTH) if c.new is not None else "（无）"
    where = f"旧 {c.old_location or '—'} / 新 {c.new_location or '—'}"
    item = f"«{shorten(c.item, 24)}» " if c.item else ""
    return f"    {c.kind} {c.area}·{c.field} {item}{old} → {new}  （{where}）"


def finding_line(f: FindingDiff) -> str:
    loc = "、".join(f.new_locations or f.old_locations)
    return f"    {f.cls:<7} {f.rule} {shorten(f.flag.message, 60)}  {loc}\n        {f.reason}"


def class_counts(findings: list[FindingDiff]) -> str:
    return "，".join(f"{c} {sum(1 for f in findings if f.cls == c)}" for c in FINDING_CLASSES)


def summary_lines(r: CompareResult) -> list[str]:
    lines = [
        f"旧版：{r.old.files} 个文件、{r.old.reports} 份报告；新版：{r.new.files} 个文件、{r.new.reports} 份报告。",
        f"匹配 {len(r.matches)} 对，仅在旧版 {len(r.only_old)} 份，仅在新版 {len(r.only_new)} 份。",
        f"问题：{class_counts(r.findings)}。",
    ]
    lines += [f"无法读取：{e}" for e in r.old.errors + r.new.errors]
    for k, m in enumerate(r.matches):
        changes = [c for c in r.changes if c.pair == k]
        findings = [f for f in r.findings if f.pair == k]
        lines += ["", f"[{k + 1}] {m.kind}：{m.old.label()}", f"    ⇄ {m.new.label()}",
                  f"    匹配依据：{'；'.join(m.reasons)}",
                  f"  改动 {len(changes)} 处（数字 {sum(1 for c in changes if c.numeric)} 处）："]
        lines += [change_line(c) for c in changes]
        lines.append(f"  问题（{class_counts(findings)}）：")
        lines += [finding_line(f) for f in findings]
        copied = [c for c in r.carried_over if c.pair == k]
        if copied:
            lines.append(f"  照搬上年的文字 {len(copied)} 段：")
            lines += [f"    {c.section} «{shorten(c.text, 50)}»（旧 {c.old_location} / 新 {c.new_location}）" for c in copied]
    if r.only_old:
        lines += ["", "仅在旧版（新版中没有对应报告）："] + [f"    {k.label()}" for k in r.only_old]
    if r.only_new:
        lines += ["", "仅在新版（旧版中没有对应报告，其问题都算新出现）："] + [f"    {k.label()}" for k in r.only_new]
    return lines
