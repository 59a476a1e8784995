"""Input discovery: folders recursively, explicit files of any extension, sorted, de-duplicated."""

from __future__ import annotations

import os

from reviewer.batch.discover import discover, unsupported_error


def test_discover(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / ".hidden").mkdir()
    for name in ["in/b.txt", "in/a.DOCX", "in/sub/c.pdf", "in/notes.md", "in/~$lock.docx", "in/.x.txt",
                 "in/.hidden/d.txt", "other.xyz"]:
        (tmp_path / name).write_bytes(b"x")
    files, missing = discover(["in", "other.xyz", "in/b.txt", "nope.txt"])
    assert [f.display for f in files] == [os.path.join("in", "a.DOCX"), os.path.join("in", "b.txt"),
                                          os.path.join("in", "sub", "c.pdf"), "other.xyz"]
    by = {f.display: f for f in files}
    assert by["other.xyz"].explicit and not by[os.path.join("in", "a.DOCX")].explicit
    assert all(f.path.is_absolute() for f in files)
    assert [(g, e.code) for g, e in missing] == [("nope.txt", "not_found")]
    err = unsupported_error(by["other.xyz"])
    assert err is not None and err.code == "unsupported_format" and "other.xyz" in str(err) and ".xyz" in err.zh
    assert unsupported_error(by[os.path.join("in", "a.DOCX")]) is None
