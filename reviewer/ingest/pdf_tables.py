"""Ruled tables of a text PDF, read with pdfplumber (maintained, pure Python on pdfminer.six).

pypdf gives a page's text but not its tables; pdfplumber finds the ruling lines of a
page (``page.find_tables()``) and the cells they enclose.  Each table is rendered as a
real table (merged cells from the cell boxes, cell text from the characters inside each
box) and the text outside the tables as paragraphs, in reading order, through
:class:`reviewer.ingest.grid.DocumentBuilder`.  :func:`read_pdf_tables` returns None when
no page has a ruled table with text, so the caller keeps its pypdf path for unruled PDFs.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from reviewer.ingest.errors import too_large
from reviewer.ingest.grid import DocumentBuilder
from reviewer.ingest.layout import (PageLayout, TableBlock, TextBlock, drop_overlapping, form_rows_warning, grid_cells,
                                    join_continued_tables, join_wrapped, render)
from reviewer.models import SourceDocument

EDGE_TOL = 3.0  # points: cell edges closer than this are one grid line
# A gap wider than this share of the font size between two characters is a space.  Word
# and LibreOffice put 0.2 em between Chinese and Latin/digits ("2023年度"): no space.
X_TOLERANCE_RATIO = 0.22


def _inside(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    """Whether the object's centre lies in ``bbox`` (x0, top, x1, bottom)."""
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx < bbox[2] and bbox[1] <= cy < bbox[3]


_PERCENT_GAP = re.compile(r"(?<=\d)[ \u3000]+(?=[%％])")


def _tidy(text: str) -> str:
    """No gap between a number and its percent sign ('95.00 %' → '95.00%')."""
    return _PERCENT_GAP.sub("", text)


def _cell_text(chars: list[dict]) -> str:
    from pdfplumber.utils import extract_text

    if not chars:
        return ""
    return _tidy(join_wrapped(extract_text(chars, x_tolerance_ratio=X_TOLERANCE_RATIO).split("\n")))


def page_layout(page, number: int) -> tuple[PageLayout, bool]:  # noqa: ANN001 - a pdfplumber Page
    """The blocks of one page and whether it held a ruled table with text."""
    layout = PageLayout(page=number)
    chars = page.chars
    tables: list[TableBlock] = []
    for found in page.find_tables():
        bbox = found.bbox
        mine = [ch for ch in chars if _inside(ch, bbox)]
        boxes = [(cell, _cell_text([ch for ch in mine if _inside(ch, cell)])) for cell in drop_overlapping(found.cells)]
        cells, xs, n_rows = grid_cells(boxes, number, EDGE_TOL)
        if n_rows * (len(xs) - 1) < 2 or not any(c.text.strip() for c in cells):
            continue  # a frame around some text, or an empty grid: read as text
        tables.append(TableBlock(page=number, top=bbox[1], bottom=bbox[3], xs=xs, cells=cells, n_rows=n_rows))
    areas = [(t.xs[0], t.top, t.xs[-1], t.bottom) for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, a) for a in areas)) \
        if areas else page
    lines = [TextBlock(page=number, top=ln["top"], bottom=ln["bottom"], text=_tidy(ln["text"]),
                       box=(ln["x0"], ln["top"], ln["x1"], ln["bottom"]))
             for ln in outside.extract_text_lines(return_chars=False, x_tolerance_ratio=X_TOLERANCE_RATIO) if ln["text"].strip()]
    layout.blocks = sorted([*tables, *lines], key=lambda b: (b.top, 0 if isinstance(b, TableBlock) else 1))
    return layout, bool(tables)


def _ocr_blank_pages(path: Path, pages: list[PageLayout], blank: list[int]) -> list[str]:
    """OCR the pages (1-based numbers) that carry no text in a PDF that has text
    elsewhere — a scanned page inside a typed report.  Returns warnings."""
    import pypdfium2 as pdfium

    from reviewer.ingest import ocr

    pdf = pdfium.PdfDocument(str(path))
    try:
        for n in blank:
            image = pdf[n - 1].render(scale=ocr.OCR_DPI / 72).to_pil()
            layout = ocr.ocr_page(image, n, 72 / ocr.OCR_DPI)
            layout.ocr = True
            pages[n - 1] = layout
    finally:
        pdf.close()
    shown = ", ".join(map(str, blank))
    return [f"第{shown}页没有文字层，已做文字识别（OCR），请与原件核对 / "
            f"page(s) {shown} had no text layer and were read by OCR; check them against the original"]


def read_pdf_tables(path: Path, *, n_pages: int, max_chars: int, max_ocr_pages: int = 0) -> SourceDocument | None:
    """The PDF rendered with its ruled tables, or None when it has none (or pdfplumber
    is missing or cannot parse the file: the caller falls back to pypdf's text).

    With ``max_ocr_pages`` > 0 and the OCR engine installed, pages without text in a
    PDF that has text on other pages are OCR'd (if there are at most that many), and the
    document is returned even without tables; a PDF with no text at all is left to the
    caller's scanned-PDF path."""
    try:
        import pdfplumber
    except ImportError:
        return None
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[PageLayout] = []
    warnings: list[str] = []
    any_table = False
    image_pages: set[int] = set()  # pages without text that show an image (a scanned page)
    chars = 0
    try:
        with pdfplumber.open(str(path)) as pdf:
            for i, page in enumerate(pdf.pages[:n_pages]):
                try:
                    layout, has_table = page_layout(page, i + 1)
                except Exception as exc:  # odd content streams: keep the other pages
                    warnings.append(f"第{i + 1}页版面解析失败（{type(exc).__name__}） / "
                                    f"page {i + 1}: layout analysis failed ({type(exc).__name__})")
                    layout, has_table = PageLayout(page=i + 1), False
                    text = page.extract_text() or ""
                    layout.blocks = [TextBlock(page=i + 1, top=0, bottom=0, text=text)] if text.strip() else []
                any_table = any_table or has_table
                if not layout.blocks and page.images:
                    image_pages.add(i + 1)
                chars += sum(len(b.text) + 1 for b in layout.blocks if isinstance(b, TextBlock))
                chars += sum(len(c.text) + 1 for b in layout.blocks if isinstance(b, TableBlock) for c in b.cells)
                if chars > max_chars + 1:
                    raise too_large(path, f"文字超过 {max_chars:,} 字符的上限",
                                    f"the text exceeds the limit of {max_chars:,} characters")
                page.flush_cache()
                pages.append(layout)
    except Exception as exc:
        from reviewer.models import ReadError

        if isinstance(exc, ReadError):
            raise
        return None
    blank = [p.page for p in pages if not p.blocks and p.page in image_pages]
    if blank and any(p.blocks for p in pages) and len(blank) <= max_ocr_pages:
        from reviewer.ingest.ocr import ocr_available

        if ocr_available():
            warnings.extend(_ocr_blank_pages(path, pages, blank))
            any_table = True  # render through the builder so the OCR'd pages keep their boxes
    if not any_table:
        return None
    empty_pages = [str(p.page) for p in pages if not p.blocks]
    join_continued_tables(pages, EDGE_TOL)
    builder = DocumentBuilder()
    builder.warnings.extend(warnings)
    render(pages, builder, "page")
    if builder.size > max_chars:
        raise too_large(path, f"文字超过 {max_chars:,} 字符的上限",
                        f"the text exceeds the limit of {max_chars:,} characters")
    if empty_pages:
        builder.warnings.append(f"以下页面没有文字（可能是扫描页）：{', '.join(empty_pages)} / "
                                f"pages without text (maybe scanned): {', '.join(empty_pages)}")
    doc = builder.build(str(path), "pdf")
    warning = form_rows_warning(doc)
    if warning:
        doc.warnings.append(warning)
    return doc
