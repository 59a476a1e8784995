"""Old binary Word files (.doc / .wps): converted with LibreOffice when it is installed
and read like the .docx they came from; otherwise a clear save-as-.docx error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reviewer.ingest import read_document
from reviewer.ingest.office import soffice_path
from reviewer.models import ReadError
from reviewer.parse import parse_source

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "01_qinghe_shuili_yinshui_2023.docx"


def _to_doc(src: Path, out_dir: Path) -> Path:
    """Convert a .docx to a binary .doc with LibreOffice (the test's own input)."""
    exe = soffice_path()
    profile = out_dir / "profile"
    subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "doc:MS Word 97",
                    "--outdir", str(out_dir), str(src)], check=True, capture_output=True, timeout=180,
                   stdin=subprocess.DEVNULL)
    out = out_dir / (src.stem + ".doc")
    assert out.is_file()
    return out


@pytest.mark.slow
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.skipif(not EXAMPLE.is_file(), reason="examples/*.docx not built")
def test_doc_is_converted_and_read(tmp_path: Path) -> None:
    doc_path = _to_doc(EXAMPLE, tmp_path)
    assert doc_path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    doc = read_document(doc_path)
    assert doc.path == str(doc_path) and doc.format == "docx"
    assert any("LibreOffice" in w for w in doc.warnings)
    original = parse_source(read_document(EXAMPLE)).reports[0]
    converted = parse_source(doc).reports[0]
    assert converted.funds is not None and original.funds is not None
    assert [(r.name.text, r.executed and r.executed.value) for r in converted.funds.rows] == \
        [(r.name.text, r.executed and r.executed.value) for r in original.funds.rows]
    assert [(r.level3.text, r.weight and r.weight.value, r.score and r.score.value) for r in converted.indicators] == \
        [(r.level3.text, r.weight and r.weight.value, r.score and r.score.value) for r in original.indicators]
    # A .wps name (WPS Writer saves the same binary format) reads the same way.
    wps = tmp_path / "同一报告.wps"
    shutil.copy(doc_path, wps)
    assert read_document(wps).text == doc.text


def test_doc_without_libreoffice_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_SOFFICE", "")  # as on a machine without LibreOffice
    path = tmp_path / "旧版.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(ReadError) as info:
        read_document(path)
    err = info.value
    assert err.code == "unsupported_format" and str(path) in str(err)
    assert "另存为" in err.zh and "save it as .docx" in err.en


@pytest.mark.slow
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) not installed")
def test_unconvertible_doc_keeps_the_save_as_hint(tmp_path: Path) -> None:
    path = tmp_path / "坏文件.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(ReadError) as info:
        read_document(path)
    err = info.value
    assert err.code == "unsupported_format" and "另存为" in err.zh and "save it as .docx" in err.en
