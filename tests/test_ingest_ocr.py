"""Scanned PDFs and images are OCR'd offline (rapidocr_onnxruntime) into the same model
as a text PDF: the 自评表 comes back as a table with located cells."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reviewer.ingest import read_document
from reviewer.ingest.ocr import ocr_available
from reviewer.models import ReadError
from reviewer.parse import parse_source

try:
    from fixtures_ingest import check_invariants
    from test_ingest_pdf_tables import FUNDS, INDICATORS, SCORES, WEIGHTS, build_form_pdf, needs_cjk
except ImportError:  # tests/ imported as a package
    from tests.fixtures_ingest import check_invariants
    from tests.test_ingest_pdf_tables import FUNDS, INDICATORS, SCORES, WEIGHTS, build_form_pdf, needs_cjk

pytestmark = [pytest.mark.skipif(not ocr_available(), reason="OCR engine (rapidocr_onnxruntime) not installed")]

DPI = 150


def _rasterise(pdf_path: Path) -> list:
    """The pages of a PDF as PIL images (what a scanner would give)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].render(scale=DPI / 72).to_pil().convert("RGB") for i in range(len(pdf))]
    finally:
        pdf.close()


def _scan_pdf(images: list, path: Path) -> Path:
    """An image-only PDF (no text layer), like a scanner's output."""
    images[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return path


def _assert_form(doc, *, page_of_last: int) -> None:
    check_invariants(doc)
    rep = parse_source(doc).reports[0]
    assert rep.funds is not None and rep.funds.rows, doc.text[:500]
    total = rep.funds.rows[0]
    assert total.name.text == FUNDS[0][0]
    assert (total.budget_initial.value, total.budget_full.value, total.executed.value) == (180.0, 186.4, 181.62)
    assert total.score.value == 9.74
    # Most indicator rows come back with the right 分值/得分 (OCR may slip on a digit).
    by_name = {r.level3.text: r for r in rep.indicators}
    found = [by_name.get(row[2]) for row in INDICATORS]
    good = sum(1 for r, w, s in zip(found, WEIGHTS, SCORES)
               if r is not None and r.weight and r.score and (r.weight.value, r.score.value) == (w, s))
    assert good >= 0.8 * len(INDICATORS), [(r.level3.text, r.weight, r.score) for r in rep.indicators]
    loc = doc.locate(total.executed.start)
    assert loc.kind == "table_cell" and loc.page == 1 and loc.box is not None
    last = rep.indicators[-1]
    assert doc.locate(last.level3.start).page == page_of_last
    assert any("OCR" in w for w in doc.warnings)


@needs_cjk
@pytest.mark.slow
def test_scanned_pdf_is_ocrd(tmp_path: Path) -> None:
    """A two-page scan whose indicator table runs over the page break."""
    scan = _scan_pdf(_rasterise(build_form_pdf(tmp_path / "form.pdf", split_at=6)), tmp_path / "scan.pdf")
    doc = read_document(scan)
    assert doc.format == "pdf"
    _assert_form(doc, page_of_last=2)
    box = doc.locate(doc.text.index("年度资金总额")).box
    assert box is not None and box[2] <= 596  # PDF points, like a text PDF
    para = doc.locate(doc.text.index("自评结论"))
    assert para.kind == "box" and para.page == 2 and para.label().startswith("第2页·(")


@needs_cjk
@pytest.mark.slow
def test_png_is_ocrd(tmp_path: Path) -> None:
    image = _rasterise(build_form_pdf(tmp_path / "form.pdf"))[0]
    path = tmp_path / "form.png"
    image.save(path)
    doc = read_document(path)
    assert doc.format == "image"
    _assert_form(doc, page_of_last=1)
    assert max(s.location.box[2] for s in doc.spans) > 596  # pixels, not points


def _blank_images(n: int) -> list:
    from PIL import Image

    return [Image.new("RGB", (1240, 1754), "white") for _ in range(n)]


@pytest.mark.slow
def test_blank_scan_is_a_clear_error(tmp_path: Path) -> None:
    scan = _scan_pdf(_blank_images(1), tmp_path / "blank.pdf")
    with pytest.raises(ReadError) as info:
        read_document(scan)
    err = info.value
    assert err.code == "scanned_pdf" and str(scan) in str(err)
    assert "扫描件" in err.zh and "OCR" in err.zh and "scanned" in err.en and "OCR" in err.en
    png = tmp_path / "blank.png"
    _blank_images(1)[0].save(png)
    with pytest.raises(ReadError) as info:
        read_document(png)
    assert info.value.code == "empty" and "OCR" in info.value.zh


def test_too_many_scanned_pages_fails_fast(tmp_path: Path) -> None:
    scan = _scan_pdf(_blank_images(3), tmp_path / "long_scan.pdf")
    t0 = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_document(scan, max_ocr_pages=2)
    assert time.perf_counter() - t0 < 5
    err = info.value
    assert err.code == "too_large" and "2 页" in err.zh and "limit of 2 pages" in err.en and str(scan) in str(err)


@needs_cjk
@pytest.mark.slow
def test_scanned_page_inside_a_text_pdf(tmp_path: Path) -> None:
    """A typed report whose 自评表 page is a scan: the text page is read as text, the
    scanned page by OCR, and the form comes back as a table on page 2."""
    import glob

    from fpdf import FPDF

    image = tmp_path / "form_page.png"
    _rasterise(build_form_pdf(tmp_path / "form.pdf"))[0].save(image)
    font = sorted(glob.glob("/usr/share/fonts/**/*[Ww]qy*.tt[fc]", recursive=True) +
                  glob.glob("/usr/share/fonts/**/*CJK*.tt[fc]", recursive=True))[0]
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    pdf.multi_cell(190, 8, "青禾县水利局2023年度农村饮水安全工程维修养护项目支出绩效自评报告\n"
                           "一、基本情况\n项目全年执行181.62万元。\n附件：项目支出绩效自评表（扫描件）")
    pdf.add_page()
    pdf.image(str(image), x=0, y=0, w=210, h=297)
    path = tmp_path / "mixed.pdf"
    pdf.output(str(path))
    doc = read_document(path)
    assert doc.format == "pdf"
    check_invariants(doc)
    assert doc.locate(doc.text.index("一、基本情况")).kind == "page"
    assert any("第2页" in w and "OCR" in w for w in doc.warnings), doc.warnings
    rep = parse_source(doc).reports[0]
    assert rep.funds is not None and rep.funds.rows[0].executed.value == 181.62
    loc = doc.locate(rep.funds.rows[0].executed.start)
    assert loc.kind == "table_cell" and loc.page == 2
    assert sum(1 for r in rep.indicators if r.weight and r.score) >= 0.8 * len(INDICATORS)
