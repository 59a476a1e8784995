"""``jixiao rules [CODE]``: list the deterministic rules, or explain one (like ``ruff rule``),
in Chinese: the rule's name, kind and severity, what it checks (reviewer.checks.rule_help_zh)
and the bad and good examples of its docstring."""

from __future__ import annotations

import argparse
import re

from reviewer.checks.base import REGISTRY, Rule, selected_rules
from reviewer.outputs.labels import kind_zh, severity_zh
from reviewer.profile import load_profile

EXAMPLE = re.compile(r"^\s*(Bad|Good):\s*(.*)$")
# a trailing developer's comment on an example: "(within the ceiling, yet deducted)", "— a blank row"
ENGLISH_TAIL = re.compile(r"\s+(?:\([^()]*[A-Za-z]{2}[^()]*\)|—\s+[^\u4e00-\u9fff]*)$")


def help_zh(code: str) -> str:
    """What rule ``code`` checks, in Chinese ("" when no text has been written for it)."""
    from reviewer.checks.rule_help_zh import RULE_HELP_ZH

    return RULE_HELP_ZH.get(code, "")


def examples_zh(r: Rule) -> list[str]:
    """The docstring's Bad/Good lines as 错误示例/正确示例, without English comments."""
    from reviewer.checks.rule_help_zh import EXAMPLES_ZH

    if r.code in EXAMPLES_ZH:
        return list(EXAMPLES_ZH[r.code])
    out = []
    for line in r.doc.splitlines():
        m = EXAMPLE.match(line)
        if m:
            text = ENGLISH_TAIL.sub("", m.group(2)).rstrip()
            out.append(f"{'错误示例' if m.group(1) == 'Bad' else '正确示例'}：{text}")
    return out


def explain(r: Rule) -> str:
    lines = [f"{r.code}  {r.name}  （{kind_zh(r.kind)} · {severity_zh(r.severity)}）", "",
             help_zh(r.code) or "（暂无中文说明）", ""]
    lines += examples_zh(r)
    return "\n".join(lines).rstrip()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="列出检查规则，或说明一条规则")
    p.add_argument("code", nargs="?", help="规则代码，如 D02")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import reviewer.checks  # noqa: F401  (registers the rules)

    if args.code:
        r = REGISTRY.get(args.code.upper())
        if r is None:
            print(f"未知规则：{args.code}（用 jixiao rules 查看全部规则）")
            return 2
        print(explain(r))
        return 0
    enabled = {r.code for r in selected_rules(load_profile())}
    for code in sorted(REGISTRY):
        r = REGISTRY[code]
        mark = " " if code in enabled else "-"
        print(f"{mark} {code:5s} {severity_zh(r.severity)} {kind_zh(r.kind)}  {r.name}  — {help_zh(code)}")
    print("\n（“-”表示按当前配置未启用；jixiao rules 规则代码 查看说明和示例）")
    return 0
