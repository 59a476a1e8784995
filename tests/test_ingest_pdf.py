"""The .pdf reader on PDFs generated with fpdf2 (text, drawing only, encrypted)."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from fpdf import FPDF

from reviewer.ingest import read_document
from reviewer.models import ReadError

try:
    from fixtures_ingest import check_invariants
except ImportError:  # tests/ imported as a package
    from tests.fixtures_ingest import check_invariants

CJK_FONTS = [f for pattern in ("/usr/share/fonts/**/*CJK*.tt[fc]", "/usr/share/fonts/**/*[Ww]qy*.tt[fc]",
                               "/usr/share/fonts/**/*[Hh]ei*.ttf", "/usr/share/fonts/**/*[Ss]ong*.ttf")
             for f in glob.glob(pattern, recursive=True)]

PAGES = [
    ["Project performance self-evaluation report", "Budget 120.5 executed 118.0", "Score 95"],
    ["Problems and measures", "Indicator coverage rate 100%"],
]


def _text_pdf(path: Path, pages: list[list[str]] = PAGES, **encryption: str) -> Path:
    pdf = FPDF()
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.set_font("Helvetica", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _assert_error(path: Path, code: str, **kw) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path, **kw)
    err = info.value
    assert err.code == code, str(err)
    assert str(path) in str(err)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh) and err.en.isascii()
    return err


def test_text_pdf(tmp_path: Path) -> None:
    doc = read_document(_text_pdf(tmp_path / "report.pdf"))
    assert doc.format == "pdf"
    for lines in PAGES:
        for line in lines:
            assert line in doc.text
    assert [s.location.page for s in doc.spans] == [1, 2]
    check_invariants(doc)
    loc = doc.locate(doc.text.index("Indicator coverage"))
    assert loc.kind == "page" and loc.page == 2 and loc.label() == "第2页"
    assert doc.locate(doc.text.index("Score 95")).page == 1
    assert not any(line != line.rstrip() for line in doc.text.split("\n"))


@pytest.mark.skipif(not CJK_FONTS, reason="no CJK TrueType font installed")
def test_chinese_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_font("cjk", fname=CJK_FONTS[0])
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    pdf.cell(0, 10, "项目支出绩效自评报告 自评得分95分")
    path = tmp_path / "zh.pdf"
    pdf.output(str(path))
    assert "绩效自评报告" in read_document(path).text


def test_scanned_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 150, 200, style="F")
    try:
        from PIL import Image

        image = tmp_path / "scan.png"
        Image.new("RGB", (200, 280), (240, 240, 240)).save(image)
        pdf.image(str(image), x=10, y=10, w=100)
    except ImportError:
        pass
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    err = _assert_error(path, "scanned_pdf")
    assert "扫描件" in err.zh and "OCR" in err.zh and "scanned" in err.en


def test_encrypted_pdf(tmp_path: Path) -> None:
    locked = _text_pdf(tmp_path / "locked.pdf", owner_password="owner", user_password="secret")
    _assert_error(locked, "encrypted_pdf")
    # Owner password only (no password needed to open): read with the empty password.
    open_pdf = _text_pdf(tmp_path / "owner_only.pdf", owner_password="owner")
    assert "Score 95" in read_document(open_pdf).text


def test_too_many_pages(tmp_path: Path) -> None:
    path = _text_pdf(tmp_path / "long.pdf", [["page one text here"], ["page two text"], ["page three"]])
    _assert_error(path, "too_large", max_pages=2)
    assert len(read_document(path, max_pages=3).spans) == 3


def test_corrupt_pdf(tmp_path: Path) -> None:
    good = _text_pdf(tmp_path / "good.pdf").read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    _assert_error(bad, "corrupt_pdf")
    notpdf = tmp_path / "fake.pdf"
    notpdf.write_text("just text, not a pdf", encoding="utf-8")
    _assert_error(notpdf, "corrupt_pdf")
    renamed = tmp_path / "pdf_named.txt"
    renamed.write_bytes(good)
    assert read_document(renamed).format == "pdf"


def test_pdf_header_after_junk(tmp_path: Path) -> None:
    good = _text_pdf(tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "prefixed.pdf"
    path.write_bytes(b"\r\n\r\n" + good)
    assert "Score 95" in read_document(path).text
