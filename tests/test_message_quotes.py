"""Quotes and brackets in what a reviewer reads are balanced (报告写为“良”, not 报告写为“等级为“优”).

* every message template: the literal parts of each ``message=`` / ``msg =`` string in the
  rule and reviewer modules, with every interpolation replaced by a placeholder;
* every message the rules produce on the labelled sets (seeds and the real excerpts), where
  interpolated report text can bring its own quote marks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reviewer.parse import parse_file
from reviewer.pipeline import review_parsed
from reviewer.profile import load_profile
from shared_paths import REALWORLD, SEEDS

ROOT = Path(__file__).resolve().parents[1]
PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("「", "」"), ("〔", "〕"))
TEMPLATE_DIRS = ("reviewer/checks", "vectorstore", "reviewer/llm", "ui")


def unbalanced(text: str) -> list[str]:
    """The pairs that do not close in order in ``text``."""
    out = []
    for a, b in PAIRS:
        depth = 0
        for ch in text:
            if ch == a:
                depth += 1
            elif ch == b:
                depth -= 1
                if depth < 0:
                    break
        if depth:
            out.append(a + b)
    return out


def _literal(node: ast.AST) -> str | None:
    """The text of a string expression with each interpolation as ``{}``; None if it is not one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is None and right is None:
            return None
        return (left or "{}") + (right or "{}")
    if isinstance(node, ast.IfExp):
        parts = [_literal(node.body), _literal(node.orelse)]
        return None if parts == [None, None] else "{}"  # each branch is checked on its own below
    return None


def message_templates() -> list[tuple[str, int, str]]:
    out = []
    for d in TEMPLATE_DIRS:
        for path in sorted((ROOT / d).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                values = []
                if isinstance(node, ast.keyword) and node.arg == "message":
                    values.append(node.value)
                elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in ("msg", "message")
                                                          for t in node.targets):
                    values.append(node.value)
                for v in values:
                    branches = [v.body, v.orelse] if isinstance(v, ast.IfExp) else [v]
                    for b in branches:
                        text = _literal(b)
                        if text and any("\u4e00" <= ch <= "\u9fff" for ch in text):
                            out.append((f"{path.relative_to(ROOT)}:{getattr(b, 'lineno', node.lineno)}", 0, text))
    return out


def test_message_templates_are_balanced():
    templates = message_templates()
    assert len(templates) > 80  # the rules' messages are all found
    bad = [(where, text, unbalanced(text)) for where, _, text in templates if unbalanced(text)]
    assert bad == []


@pytest.fixture(scope="module")
def labelled_flags():
    profile = load_profile()
    files = sorted(SEEDS.glob("*.txt")) + sorted((REALWORLD / "reports").iterdir())
    assert len(files) >= 40
    return [f for path in files for rr in review_parsed(parse_file(path), profile).reports for f in rr.flags]


def test_messages_on_the_labelled_sets_are_balanced(labelled_flags):
    assert len(labelled_flags) > 100
    bad = [(f.file, f.rule, f.message) for f in labelled_flags if unbalanced(f.message)]
    assert bad == []


def test_unbalanced_is_found():
    assert unbalanced("报告写为“等级为“优”") == ["“”"] and unbalanced("（a）《b》「c」") == []
    assert unbalanced("见下表）（") == ["（）"]
