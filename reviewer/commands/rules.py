"""``jixiao rules [CODE]``: list the deterministic rules, or explain one (like ``ruff rule``)."""

from __future__ import annotations

import argparse

from reviewer.checks.base import REGISTRY, selected_rules
from reviewer.profile import load_profile


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="列出检查规则 / list the rule checks")
    p.add_argument("code", nargs="?", help="规则代码，如 D02 / a rule code to explain")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import reviewer.checks  # noqa: F401  (registers the rules)

    if args.code:
        r = REGISTRY.get(args.code.upper())
        if r is None:
            print(f"未知规则 / unknown rule: {args.code}")
            return 2
        print(f"{r.code}  {r.name}  [{r.kind}, {r.severity}]\n")
        print(r.doc)
        return 0
    enabled = {r.code for r in selected_rules(load_profile())}
    for code in sorted(REGISTRY):
        r = REGISTRY[code]
        first = r.doc.splitlines()[0] if r.doc else ""
        mark = " " if code in enabled else "-"
        print(f"{mark} {code:5s} {r.severity:7s} {r.kind:15s} {r.name}  — {first}")
    print("\n（“-” 表示按当前配置未启用 / '-' = disabled by the current config）")
    return 0
