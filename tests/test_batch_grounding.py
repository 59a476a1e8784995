"""Every evidence quote a batch writes for the seed reports is sliced from its file:
``text[start:end] == quote`` against the file as read with UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.cli import main

from shared_paths import SEEDS  # noqa: E402


def test_seed_evidence_is_grounded(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["batch", str(SEEDS), "--out", str(out), "--no-llm", "--no-progress"]) == 0
    capsys.readouterr()
    assert (out / "errors.jsonl").read_text("utf-8") == ""
    texts: dict[str, str] = {}
    n = 0
    for line in (out / "flags.jsonl").read_text("utf-8").splitlines():
        f = json.loads(line)
        text = texts.setdefault(f["file"], Path(f["file"]).read_text(encoding="utf-8"))
        assert f["evidence"], f
        for ev in f["evidence"]:
            assert ev["quote"] and ev["quote"] in text, ev
            assert text[ev["start"]:ev["end"]] == ev["quote"], (f["file"], f["rule"], ev)
            n += 1
    reports = [json.loads(x) for x in (out / "reports.jsonl").read_text("utf-8").splitlines()]
    assert {Path(r["file"]).name for r in reports} == {p.name for p in SEEDS.glob("*.txt")}
    dropped = sum(r["stats"].get("ungrounded_quotes_dropped", 0) for r in reports)
    print(f"grounded quotes: {n}; ungrounded quotes dropped before writing: {dropped}")
