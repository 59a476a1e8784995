"""A batch over a folder of bad input: every bad file gets one clear errors.jsonl line,
the batch finishes, and the good files (a GBK-encoded one included) are reviewed."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import docx
import openpyxl
from fpdf import FPDF

from reviewer.cli import main

from shared_paths import SEEDS  # noqa: E402


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def _docx_from_text(text: str, path: Path) -> None:
    d = docx.Document()
    for line in text.splitlines()[:400]:
        d.add_paragraph(line)
    d.save(path)


def build_bad_corpus(root: Path) -> dict[str, str | None]:
    """Files in ``root``; returns {name: expected error code or None for good files}."""
    root.mkdir(parents=True, exist_ok=True)
    full = root / "full.docx.tmp"
    _docx_from_text(_seed("001").read_text("utf-8"), full)
    data = full.read_bytes()
    (root / "truncated.docx").write_bytes(data[: len(data) // 2])
    full.unlink()
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (root / "gbk.txt").write_bytes(_seed("002").read_text("utf-8").encode("gbk", errors="replace"))
    line = ("某某项目支出绩效自评报告正文重复行，用于测试超大文件。" * 3 + "\n").encode("utf-8")
    with open(root / "big.txt", "wb") as fh:
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    pdf.output(str(root / "scanned.pdf"))
    shutil.copy(_seed("001"), root / "good1.txt")
    shutil.copy(_seed("002"), root / "good2.txt")
    return {"truncated.docx": "corrupt_docx", "empty.txt": "empty", "binary.txt": "binary", "big.txt": "too_large",
            "scanned.pdf": "scanned_pdf", "gbk.txt": None, "good1.txt": None, "good2.txt": None}


def test_bad_input_corpus(tmp_path, capsys):
    corpus = tmp_path / "in"
    expected = build_bad_corpus(corpus)
    out = tmp_path / "out"
    t0 = time.perf_counter()
    rc = main(["batch", str(corpus), "--out", str(out), "--no-llm", "--no-progress"])
    elapsed = time.perf_counter() - t0
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    assert "审阅完成" in cap.out and str(out / "flags.jsonl") in cap.out
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    by_name = {}
    for e in errors:
        name = Path(e["file"]).name
        assert name not in by_name, f"two error lines for {name}"
        by_name[name] = e
        assert name in e["message_zh"] and name in e["message_en"], e  # the message names the file
        assert e["message_zh"].strip() and e["message_en"].strip()
    bad = {n: c for n, c in expected.items() if c}
    assert set(by_name) == set(bad), by_name
    for name, code in bad.items():
        assert by_name[name]["code"] == code, by_name[name]

    reports = [json.loads(x) for x in (out / "reports.jsonl").read_text("utf-8").splitlines()]
    reviewed = {Path(r["file"]).name for r in reports}
    assert {"gbk.txt", "good1.txt", "good2.txt"} <= reviewed
    flags = [json.loads(x) for x in (out / "flags.jsonl").read_text("utf-8").splitlines() if x]
    assert {Path(f["file"]).name for f in flags} <= {"gbk.txt", "good1.txt", "good2.txt"}
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    assert wb["读取错误"].max_row == 1 + len(bad)
    assert elapsed < 30, f"bad-input batch took {elapsed:.1f} s"


def test_explicit_unsupported_file(tmp_path, capsys):
    odd = tmp_path / "notes.xlsx"
    odd.write_bytes(b"PK\x03\x04 not really")
    good = tmp_path / "good.txt"
    shutil.copy(_seed("002"), good)
    out = tmp_path / "out"
    assert main(["batch", str(odd), str(good), str(tmp_path / "missing.txt"), "--out", str(out), "--no-llm",
                 "--no-progress"]) == 0
    errors = {json.loads(x)["file"]: json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()}
    assert errors[str(odd)]["code"] == "corrupt_workbook"  # Excel is read now: a broken workbook says so
    assert ".xlsx" in errors[str(odd)]["message_zh"]
    assert errors[str(tmp_path / "missing.txt")]["code"] == "not_found"
    assert str(good) not in errors


def test_no_inputs_is_usage_error(tmp_path, capsys):
    (tmp_path / "empty_dir").mkdir()
    assert main(["batch", str(tmp_path / "empty_dir"), "--out", str(tmp_path / "out"), "--no-llm"]) == 2
    assert "没有找到" in capsys.readouterr().err


def test_crashing_rule_loses_only_its_own_findings(tmp_path, capsys):
    """A rule that crashes on one file costs that rule's findings only: the file's other
    flags are kept and the crash is counted in reports.jsonl (stats.rule_errors)."""
    from reviewer.checks.base import REGISTRY, rule

    marker = "触发测试崩溃"

    def boom(report, ctx):
        if marker in ctx.text:
            raise ZeroDivisionError("test crash")
        return []

    rule("Z97", "test crash", "format", "info")(boom)
    try:
        inputs = tmp_path / "in"
        inputs.mkdir()
        shutil.copy(_seed("002"), inputs / "good.txt")
        (inputs / "crash.txt").write_text(_seed("002").read_text("utf-8") + "\n" + marker + "\n", "utf-8")
        out = tmp_path / "out"
        # --jobs 0: in this process, where the test registered its rule (workers import a fresh copy)
        assert main(["batch", str(inputs), "--out", str(out), "--no-llm", "--no-progress", "--jobs", "0"]) == 0
    finally:
        REGISTRY.pop("Z97", None)
    capsys.readouterr()
    assert (out / "errors.jsonl").read_text("utf-8").strip() == ""
    reports = {Path(r["file"]).name: r for r in map(json.loads, (out / "reports.jsonl").read_text("utf-8").splitlines())}
    assert set(reports) == {"good.txt", "crash.txt"}
    assert "rule_errors" in json.dumps(reports["crash.txt"]) and "rule_errors" not in json.dumps(reports["good.txt"])
    flags = [json.loads(x) for x in (out / "flags.jsonl").read_text("utf-8").splitlines()]
    by_file = {n: sorted(f["rule"] for f in flags if f["file"].endswith(n)) for n in ("good.txt", "crash.txt")}
    assert by_file["crash.txt"] and by_file["crash.txt"] == by_file["good.txt"]
