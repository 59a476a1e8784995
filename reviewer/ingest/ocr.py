"""Offline OCR of scanned PDFs and images: rapidocr_onnxruntime + pypdfium2.

Why these: ``rapidocr_onnxruntime`` 1.3/1.4 ships the PP-OCRv4 Chinese detection,
direction and recognition models *inside its wheel* (``rapidocr_onnxruntime/models``)
and runs them with onnxruntime, so nothing is downloaded at run time (its successor
``rapidocr`` 2.x/3.x fetches models on first use and is not used).  ``pypdfium2`` (a
pdfplumber dependency) renders PDF pages to images.  Table structure comes from the
image: ruling lines found with OpenCV morphology (OpenCV is a rapidocr dependency) are
turned into cells by pdfplumber's own edge→intersection→cell functions; without rulings,
lines whose text boxes fall into ≥3 aligned columns for ≥3 consecutive lines form a table.
Everything is rendered through :class:`reviewer.ingest.grid.DocumentBuilder`.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.ingest.errors import read_error, too_large
from reviewer.ingest.grid import DocumentBuilder
from reviewer.ingest.layout import (Box, PageLayout, PlacedCell, TableBlock, TextBlock, drop_overlapping, form_rows_warning,
                                    grid_cells, join_continued_tables, join_wrapped, render)
from reviewer.models import SourceDocument

MAX_OCR_PAGES = 50  # default bound on the pages of a scan that are OCR'd
# Render resolution for scanned PDF pages: an A4 page at 170 dpi is 1987 px tall, just
# under RapidOCR's max_side_len (2000) — a higher resolution is only scaled back down.
# About 3.5 s per A4 form page on 2 cores (bench/bench_ocr.py).
OCR_DPI = 170
MIN_SCORE = 0.5  # recognition confidence below which a box is dropped
OCR_WARNING = ("已做文字识别（OCR），文字和数字可能有误，请与原件核对 / "
               "text recognised by OCR; check words and numbers against the original")


@dataclass
class OcrBox:
    """One recognised text box (pixels)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def ocr_available() -> bool:
    """Whether the OCR engine and the PDF renderer can be imported."""
    try:
        import cv2  # noqa: F401
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # ImportError, or a broken native library (libGL ...)
        return False
    return True


@functools.lru_cache(maxsize=1)
def _engine() -> Any:
    """The RapidOCR engine (models from the installed wheel; loaded once per process)."""
    from rapidocr_onnxruntime import RapidOCR

    threads = int(os.environ.get("JIXIAO_OCR_THREADS", "0")) or -1
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=threads)


def ocr_image(image: Any) -> list[OcrBox]:
    """Text boxes of an RGB image (numpy array or PIL image), in pixels."""
    import numpy as np

    arr = np.asarray(image.convert("RGB") if hasattr(image, "convert") else image)
    result, _ = _engine()(arr, use_cls=False)  # scans are upright; the 180° classifier flips "6" into "9"
    boxes = []
    for points, text, score in result or []:
        if not str(text).strip() or float(score) < MIN_SCORE:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append(OcrBox(text=str(text).strip(), x0=min(xs), y0=min(ys), x1=max(xs), y1=max(ys)))
    return boxes


# --------------------------------------------------------------------------- rulings


def ruled_cells(image: Any, min_len: int) -> list[list[Box]]:
    """Cell boxes (pixels) of the ruled tables in the image, one list per table.

    Horizontal and vertical strokes at least ``min_len`` pixels long are kept by a
    morphological opening; their bounding rectangles become edges for pdfplumber's
    table geometry (snap, join, intersections, cells, tables)."""
    import cv2
    import numpy as np
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    gray = cv2.cvtColor(np.asarray(image.convert("RGB") if hasattr(image, "convert") else image), cv2.COLOR_RGB2GRAY)
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    edges: list[dict] = []
    for orient, kernel in (("h", (min_len, 1)), ("v", (1, min_len))):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if orient == "h":
                mid = y + h / 2
                e = {"x0": float(x), "x1": float(x + w), "top": mid, "bottom": mid, "width": float(w), "height": 0.0}
            else:
                mid = x + w / 2
                e = {"x0": mid, "x1": mid, "top": float(y), "bottom": float(y + h), "width": 0.0, "height": float(h)}
            e.update(orientation=orient, doctop=e["top"], object_type="line")
            edges.append(e)
    if not edges:
        return []
    tol = max(3.0, min_len / 8)
    edges = merge_edges(edges, snap_x_tolerance=tol, snap_y_tolerance=tol, join_x_tolerance=tol, join_y_tolerance=tol)
    cells = intersections_to_cells(edges_to_intersections(edges, tol, tol))
    return [t for t in cells_to_tables(drop_overlapping(cells)) if len(t) >= 2]


# --------------------------------------------------------------------------- layout


def group_lines(boxes: list[OcrBox]) -> list[list[OcrBox]]:
    """Boxes grouped into text lines by vertical overlap, top to bottom, each left to right."""
    lines: list[list[OcrBox]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        if lines:
            line = lines[-1]
            top, bottom = min(x.y0 for x in line), max(x.y1 for x in line)
            overlap = min(bottom, b.y1) - max(top, b.y0)
            if overlap >= 0.5 * min(b.height, bottom - top):
                line.append(b)
                continue
        lines.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _segments(line: list[OcrBox]) -> list[list[OcrBox]]:
    """A line cut where the gap between boxes is wider than about one character."""
    segs: list[list[OcrBox]] = []
    for b in line:
        if segs and b.x0 - segs[-1][-1].x1 < 1.2 * max(b.height, segs[-1][-1].height):
            segs[-1].append(b)
        else:
            segs.append([b])
    return segs


def _union(boxes: list[OcrBox]) -> Box:
    return (min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes))


def _text_of(boxes: list[OcrBox]) -> str:
    """The text of boxes inside one cell: by lines, soft wraps joined."""
    return join_wrapped(["".join(b.text for b in line) for line in group_lines(boxes)])


def _scale(box: Box, k: float) -> Box:
    return (round(box[0] * k, 2), round(box[1] * k, 2), round(box[2] * k, 2), round(box[3] * k, 2))


def _aligned_table(run: list[list[list[OcrBox]]], page: int, k: float) -> TableBlock | None:
    """A borderless table from consecutive lines of segments: the columns are the gaps in
    the union of the segments' horizontal extents."""
    spans = sorted((s[0].x0, s[-1].x1) for line in run for s in line)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 3:
        return None
    cells: list[PlacedCell] = []
    for r, line in enumerate(run):
        by_col: dict[int, list[OcrBox]] = {}
        for seg in line:
            c = next(i for i, (a, b) in enumerate(cols) if a <= seg[0].x0 <= b)
            by_col.setdefault(c, []).extend(seg)
        last = max(by_col)
        for c in range(last + 1):
            boxes = by_col.get(c)
            box = _union(boxes) if boxes else (cols[c][0], min(b.y0 for s in line for b in s), cols[c][1],
                                               max(b.y1 for s in line for b in s))
            cells.append(PlacedCell(text="".join(b.text for b in boxes) if boxes else "", row=r, col=c, row_span=1,
                                    col_span=1, box=_scale(box, k), page=page))
    xs = [cols[0][0] * k] + [(cols[i][1] + cols[i + 1][0]) / 2 * k for i in range(len(cols) - 1)] + [cols[-1][1] * k]
    top, bottom = min(c.box[1] for c in cells), max(c.box[3] for c in cells)
    return TableBlock(page=page, top=top, bottom=bottom, xs=xs, cells=cells, n_rows=len(run))


def _char_weight(ch: str) -> float:
    return 1.0 if ord(ch) > 0x2e80 else 0.55  # Chinese / full-width vs Latin, digits


def split_at_rulings(boxes: list[OcrBox], cells: list[Box]) -> list[OcrBox]:
    """Boxes cut where a cell border of the table crosses them.  The detector sometimes
    reads two neighbouring cells as one box (分值执行); the text is shared out by the
    characters' estimated positions (Chinese characters are of one width)."""
    out: list[OcrBox] = []
    for b in boxes:
        cuts = sorted({x for c in cells if c[1] <= b.cy < c[3] for x in (c[0], c[2])
                       if b.x0 + 0.25 * b.height < x < b.x1 - 0.25 * b.height})
        if not cuts or len(b.text) < 2:
            out.append(b)
            continue
        weights = [_char_weight(ch) for ch in b.text]
        total, pos = sum(weights), 0.0
        pieces: dict[int, list[str]] = {}
        for ch, w in zip(b.text, weights):
            centre = b.x0 + (pos + w / 2) / total * (b.x1 - b.x0)
            pos += w
            pieces.setdefault(sum(1 for x in cuts if x < centre), []).append(ch)
        bounds = [b.x0, *cuts, b.x1]
        for k, chars in sorted(pieces.items()):
            out.append(OcrBox(text="".join(chars), x0=bounds[k], y0=b.y0, x1=bounds[k + 1], y1=b.y1))
    return out


def page_layout_from_ocr(boxes: list[OcrBox], tables: list[list[Box]], page: int, k: float) -> PageLayout:
    """Blocks of a page from its OCR boxes and ruled-table cells (pixels; ``k`` scales
    pixels to the unit of the locations)."""
    layout = PageLayout(page=page)
    for cells in tables:
        boxes = split_at_rulings(boxes, cells)
    used: set[int] = set()
    for cells in tables:
        texts: list[tuple[Box, str]] = []
        taken: set[int] = set()
        for cell in cells:
            mine = [i for i, b in enumerate(boxes)
                    if i not in used and i not in taken and cell[0] <= b.cx < cell[2] and cell[1] <= b.cy < cell[3]]
            taken.update(mine)
            texts.append((_scale(cell, k), _text_of([boxes[i] for i in mine])))
        placed, xs, n_rows = grid_cells(texts, page, 3.0)
        if n_rows * (len(xs) - 1) < 2 or not any(c.text for c in placed):
            continue  # a frame around some text, or an empty grid: read as text
        used.update(taken)
        top, bottom = min(c.box[1] for c in placed), max(c.box[3] for c in placed)
        layout.blocks.append(TableBlock(page=page, top=top, bottom=bottom, xs=xs, cells=placed, n_rows=n_rows))
    rest = [b for i, b in enumerate(boxes) if i not in used]
    lines = group_lines(rest)
    segs = [_segments(line) for line in lines]
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(segs[j]) >= 3:
            j += 1
        if j - i >= 3:
            table = _aligned_table(segs[i:j], page, k)
            if table is not None:
                layout.blocks.append(table)
                i = j
                continue
        line = lines[i]
        text = " ".join("".join(b.text for b in seg) for seg in segs[i])
        box = _scale(_union(line), k)
        layout.blocks.append(TextBlock(page=page, top=box[1], bottom=box[3], text=text, box=box))
        i += 1
    layout.blocks.sort(key=lambda b: (b.top, 0 if isinstance(b, TableBlock) else 1))
    return layout


BLANK_CONTRAST = 16  # grey levels between the darkest and lightest pixel of a page with anything on it


def ocr_page(image: Any, page: int, k: float) -> PageLayout:
    """OCR one page image into blocks (locations scaled by ``k``).  A ruling is a stroke
    at least 1/60 of the page's long side (5 mm on A4): longer than any character's."""
    lo, hi = image.convert("L").getextrema()
    if hi - lo < BLANK_CONTRAST:  # a blank page: nothing to recognise (50 blank pages took minutes of OCR)
        return PageLayout(page=page)
    boxes = ocr_image(image)
    tables = ruled_cells(image, max(20, round(max(image.size) / 60))) if boxes else []
    return page_layout_from_ocr(boxes, tables, page, k)


# --------------------------------------------------------------------------- readers


def _finish(path: Path, pages: list[PageLayout], fmt: str, max_chars: int, tol: float) -> SourceDocument:
    blank = [str(p.page) for p in pages if not p.blocks]
    join_continued_tables(pages, tol)
    builder = DocumentBuilder()
    render(pages, builder, "box")
    if builder.size > max_chars:
        raise too_large(path, f"文字超过 {max_chars:,} 字符的上限",
                        f"the text exceeds the limit of {max_chars:,} characters")
    if blank and len(pages) > 1:
        builder.warnings.append(f"以下页面没有识别出文字：{', '.join(blank)} / "
                                f"no text was recognised on pages {', '.join(blank)}")
    builder.warnings.insert(0, OCR_WARNING)
    doc = builder.build(str(path), fmt)
    warning = form_rows_warning(doc)
    if warning:
        doc.warnings.append(warning)
    return doc


def read_scanned_pdf(path: Path, *, n_pages: int, max_chars: int, max_ocr_pages: int = MAX_OCR_PAGES,
                     dpi: int = OCR_DPI) -> SourceDocument:
    """OCR every page of a scanned PDF (at most ``max_ocr_pages``).  Locations are in PDF
    points, like those of a text PDF."""
    if n_pages > max_ocr_pages:
        raise too_large(path, f"扫描件共 {n_pages} 页，超过文字识别（OCR）{max_ocr_pages} 页的上限",
                        f"the scan has {n_pages} pages, more than the OCR limit of {max_ocr_pages} pages")
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium may reject what pypdf opened
        raise read_error(path, "corrupt_pdf", f"PDF 页面无法渲染，无法做文字识别（{type(exc).__name__}）",
                         f"the PDF pages cannot be rendered for OCR ({type(exc).__name__}: {exc})") from exc
    pages = []
    try:
        for i in range(min(n_pages, len(pdf))):
            image = pdf[i].render(scale=dpi / 72).to_pil()
            pages.append(ocr_page(image, i + 1, 72 / dpi))
    finally:
        pdf.close()
    if not any(p.blocks for p in pages):
        raise read_error(
            path, "scanned_pdf",
            f"PDF 没有可提取的文字层，看起来是扫描件或图片；已做文字识别（OCR），但 {len(pages)} 页都没有识别出文字，"
            "请提供清晰的扫描件或原始 Word 文件",
            f"the PDF has no text layer (it looks scanned) and OCR recognised no text on its {len(pages)} "
            "page(s); supply a clearer scan or the original Word file")
    return _finish(path, pages, "pdf", max_chars, 3.0)


def read_image_document(path: Path, *, max_chars: int, max_ocr_pages: int = MAX_OCR_PAGES) -> SourceDocument:
    """OCR an image file (every frame of a multi-page TIFF).  Locations are in pixels."""
    from PIL import Image, ImageSequence

    try:
        img = Image.open(path)
        img.load()
    except Exception as exc:
        raise read_error(path, "unsupported_format",
                         f"图片无法打开（可能已损坏，{type(exc).__name__}），无法做文字识别（OCR）；"
                         "请提供清晰的扫描件或原始 Word 文件",
                         f"the image cannot be opened (perhaps corrupt, {type(exc).__name__}), so it cannot be OCR'd; "
                         "supply a clear scan or the original Word file") from exc
    n = getattr(img, "n_frames", 1)
    if n > max_ocr_pages:
        raise too_large(path, f"图片共 {n} 页，超过文字识别（OCR）{max_ocr_pages} 页的上限",
                        f"the image has {n} pages, more than the OCR limit of {max_ocr_pages} pages")
    pages = [ocr_page(frame.convert("RGB"), i + 1, 1.0)
             for i, frame in enumerate(ImageSequence.Iterator(img))]
    if not any(p.blocks for p in pages):
        raise read_error(path, "empty", "图片中没有识别出文字（文字识别 OCR 结果为空），请提供清晰的扫描件或原始 Word 文件",
                         "no text was recognised in the image (OCR found nothing); supply a clearer scan "
                         "or the original Word file")
    return _finish(path, pages, "image", max_chars, 8.0)
