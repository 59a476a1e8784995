"""``jixiao rules [CODE]`` speaks Chinese: every rule has a Chinese description, its kind and
severity in Chinese, and its bad/good examples without the developers' English comments."""

from __future__ import annotations

import re

import reviewer.checks  # noqa: F401  (registers the rules)
from reviewer.checks.base import REGISTRY
from reviewer.checks.rule_help_zh import RULE_HELP_ZH
from reviewer.cli import main

ENGLISH_WORD = re.compile(r"\b(?!XX\b)[A-Za-z]{2,}\b")


def test_every_rule_has_a_chinese_description():
    assert sorted(set(REGISTRY) - set(RULE_HELP_ZH)) == [], "add the rule to reviewer/checks/rule_help_zh.py"
    assert sorted(set(RULE_HELP_ZH) - set(REGISTRY)) == []  # no text for a rule that is gone
    for code, text in RULE_HELP_ZH.items():
        assert re.search(r"[\u4e00-\u9fff]", text) and not ENGLISH_WORD.search(text), code


def test_rules_code_explains_in_chinese(capsys):
    for code in sorted(REGISTRY):
        if code.startswith("Z"):  # throw-away rules of other tests
            continue
        assert main(["rules", code.lower()]) == 0
        out = capsys.readouterr().out
        head, body = out.split("\n", 1)
        assert head.startswith(f"{code}  {REGISTRY[code].name}  （") and ("错误" in head or "警告" in head or "提示" in head)
        assert RULE_HELP_ZH[code] in body
        assert "错误示例：" in body or "正确示例：" in body, code
        assert not ENGLISH_WORD.search(body), (code, ENGLISH_WORD.findall(body))
    assert main(["rules", "D999"]) == 2 and "未知规则" in capsys.readouterr().out


def test_rules_list_is_chinese(capsys):
    assert main(["rules"]) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if re.match(r"^[ -] [A-Z]\d", ln)]
    assert len(lines) >= len([c for c in REGISTRY if not c.startswith("Z")])
    for ln in lines:
        code = ln[2:].split()[0]
        assert not ENGLISH_WORD.search(ln.replace(code, "", 1)), ln
