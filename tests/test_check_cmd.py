"""``jixiao check``: linter-style text, JSON lines, --select/--ignore and exit codes.

Two throw-away rules (Z98 info, Z99 warning) are registered for these tests and always
selected with ``--select Z9``, so the assertions do not depend on the real rule set.
They are registered in this process, so those checks run with ``--jobs 0`` (in this
process; the default worker process imports its own copy of the rules)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest

from reviewer.checks.base import REGISTRY, Finding, rule
from reviewer.cli import main

from shared_paths import SEEDS as _SEEDS  # noqa: E402
SEED = _SEEDS / "001_636fdea54536b2e6.txt"
NEEDLE = "得分"


@pytest.fixture
def fake_rules():
    def find(report, ctx, expected="1"):
        i = ctx.text.find(NEEDLE, report.start, report.end)
        if i >= 0:
            yield Finding(message="测试规则", evidence=[(i, i + len(NEEDLE) + 3)], expected=expected, stated="2")

    rule("Z99", "test warning", "arithmetic", "warning")(find)
    # another expected value: not the same defect as Z99's (reviewer.dedupe would merge them)
    rule("Z98", "test info", "format", "info")(lambda report, ctx: find(report, ctx, expected="3"))
    yield
    REGISTRY.pop("Z99", None)
    REGISTRY.pop("Z98", None)


@pytest.fixture
def seed(tmp_path) -> Path:
    p = tmp_path / "seed.txt"
    shutil.copy(SEED, p)
    return p


def test_text_output_and_exit_1(fake_rules, seed, capsys):
    rc = main(["check", str(seed), "--select", "Z9", "--no-llm", "--jobs", "0"])
    out = capsys.readouterr().out.splitlines()
    assert rc == 1
    headers = [ln for ln in out if ln.startswith(f"{seed}:报告")]
    assert headers and re.fullmatch(rf"{re.escape(str(seed))}:报告[1-9]\d* «.+»", headers[0])  # numbered from 1
    lines = [ln for ln in out if ln.startswith("  Z99 警告 ")]
    assert lines and any(ln.startswith("  Z98 提示 ") for ln in out)
    assert not any(re.search(r"\b(error|warning|info)\b", ln) for ln in out)
    # the position is line:col of the quote's start in the file itself
    assert main(["check", str(seed), "--select", "Z99", "--no-llm", "--jobs", "0", "--format", "json"]) == 1
    ev = json.loads(capsys.readouterr().out.splitlines()[0])["evidence"][0]
    text = seed.read_text("utf-8")
    i = ev["start"]
    line, col = text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1
    assert f"  {line}:{col} «{ev['quote'][:5]}" in lines[0]
    assert out[-1].startswith("共检查 1 个文件、") and "警告" in out[-1]


def test_ignore_and_info_only(fake_rules, seed, capsys):
    assert main(["check", str(seed), "--select", "Z9", "--ignore", "Z99", "--no-llm", "--jobs", "0"]) == 0  # info only
    assert "Z98" in capsys.readouterr().out
    assert main(["check", str(seed), "--select", "Z9", "--ignore", "Z9", "--no-llm", "--jobs", "0"]) == 0
    assert capsys.readouterr().out.strip().endswith("未发现问题。")


def test_json_format(fake_rules, seed, capsys):
    rc = main(["check", str(seed), "--select", "Z99", "--no-llm", "--jobs", "0", "--format", "json"])
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rc == 1 and rows
    text = seed.read_text("utf-8")
    for r in rows:
        assert list(r) == ["file", "report", "title", "rule", "kind", "severity", "message", "evidence", "expected",
                           "stated", "source"]
        assert r["file"] == str(seed) and r["rule"] == "Z99"
        for ev in r["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_unreadable_file_exit_2(fake_rules, seed, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    rc = main(["check", str(seed), str(empty), "--select", "Z9", "--no-llm", "--jobs", "0"])
    cap = capsys.readouterr()
    assert rc == 2
    assert str(empty) in cap.err and "[empty]" in cap.err
    assert "Z99" in cap.out  # the readable file is still checked


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["check"])
    assert e.value.code == 2
    assert main(["check", "/nonexistent/file.txt", "--no-llm"]) == 2


def test_docx_location_label(fake_rules, tmp_path, capsys):
    d = docx.Document()
    d.add_paragraph("某项目支出绩效自评报告")
    d.add_paragraph("一、基本情况")
    t = d.add_table(rows=2, cols=3)
    for c, v in enumerate(["指标", "分值", "得分"]):
        t.cell(0, c).text = v
    for c, v in enumerate(["数量指标", "10", "9"]):
        t.cell(1, c).text = v
    d.add_paragraph("自评得分90分，等级为优。")
    p = tmp_path / "r.docx"
    d.save(p)
    rc = main(["check", str(p), "--select", "Z99", "--no-llm", "--jobs", "0"])
    out = capsys.readouterr().out
    assert rc == 1
    assert re.search(r"  Z99 警告 测试规则.*  (表\d+·R\d+·C\d+|段落\d+) «", out), out
