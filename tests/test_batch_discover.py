"""Input discovery: folders recursively, explicit files of any extension, sorted, de-duplicated."""

from __future__ import annotations

import os

from reviewer.batch.discover import discover, unsupported_error


def test_discover(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / ".hidden").mkdir()
    for name in ["in/b.txt", "in/a.DOCX", "in/sub/c.pdf", "in/notes.md", "in/slides.pptx", "in/~$lock.docx", "in/.x.txt",
                 "in/.hidden/d.txt", "other.xyz"]:
        (tmp_path / name).write_bytes(b"x")
    files, missing = discover(["in", "other.xyz", "in/b.txt", "nope.txt"])
    # a folder's files of other types are listed too: the review reports them instead of skipping them
    # (notes and code beside the reports, such as notes.md, are not documents)
    assert [f.display for f in files] == [os.path.join("in", "a.DOCX"), os.path.join("in", "b.txt"),
                                          os.path.join("in", "slides.pptx"), os.path.join("in", "sub", "c.pdf"), "other.xyz"]
    by = {f.display: f for f in files}
    assert by["other.xyz"].explicit and not by[os.path.join("in", "a.DOCX")].explicit
    assert all(f.path.is_absolute() for f in files)
    assert [(g, e.code) for g, e in missing] == [("nope.txt", "not_found")]
    err = unsupported_error(by["other.xyz"])
    assert err is not None and err.code == "unsupported_format" and "other.xyz" in str(err) and ".xyz" in err.zh
    assert unsupported_error(by[os.path.join("in", "a.DOCX")]) is None
    assert unsupported_error(by[os.path.join("in", "slides.pptx")]).code == "unsupported_format"


def test_folder_files_of_other_types_are_reported_and_the_output_folder_is_skipped(tmp_path):
    import json

    from reviewer.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "报告.txt").write_text("青禾县2023年度项目支出绩效自评报告\n一、项目概况\n完成维修20公里。\n", encoding="utf-8")
    (src / "演示.pptx").write_bytes(b"PK\x03\x04 not a report")
    out = src / "out"
    for _ in range(2):  # the second run must not review the first run's summary.xlsx / summary.html
        assert main(["batch", str(src), "--out", str(out), "--no-llm", "--no-progress"]) == 0
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [e["file"].endswith("演示.pptx") for e in errors] == [True]
    assert errors[0]["code"] == "unsupported_format"
    reports = [json.loads(x)["file"] for x in (out / "reports.jsonl").read_text("utf-8").splitlines()]
    assert all("out" not in r.replace(str(src), "") for r in reports)
