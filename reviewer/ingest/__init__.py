"""File readers: ``read_document(path) -> SourceDocument`` for .txt, .docx, .pdf,
spreadsheets (.xlsx/.xlsm, .xls/.et, .ods) and web pages (.html/.htm, .mht/.mhtml).

The format is detected from the file's first bytes (zip / ``%PDF`` / OLE2 magic) as well
as its extension; any unreadable input raises :class:`reviewer.models.ReadError` whose
``str()`` names the file and says the problem in Chinese and English.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.ingest.detect import detect_format
from reviewer.ingest.errors import empty, read_error
from reviewer.ingest.limits import InputLimits, check_document, load_limits
from reviewer.ingest.text import read_text_document
from reviewer.models import ReadError, SourceDocument

__all__ = ["read_document", "ReadError", "SUPPORTED_EXTENSIONS", "InputLimits"]

# Extensions a folder scan should pick up; content sniffing also reads a .docx or PDF
# that carries another name, and .docm/.dotx packages.
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".docx", ".pdf", ".txt", ".xlsx", ".xlsm", ".xls", ".et", ".ods",
                                         ".html", ".htm", ".mht", ".mhtml",
                                         ".doc", ".wps", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

_HEAD_BYTES = 1024


def read_document(path: str | Path, *, limits: InputLimits | None = None, max_chars: int | None = None,
                  max_pages: int | None = None, max_ocr_pages: int | None = None) -> SourceDocument:
    """Read a .txt, .docx, .pdf, spreadsheet or web-page file into a :class:`SourceDocument`.

    ``limits`` (default: ``[tool.jixiao.limits]`` of the nearest config file, see
    :mod:`reviewer.ingest.limits`) bounds the zip members, the pages of a PDF, the pages
    that are OCR'd, and the characters, lines, paragraphs and table cells of the text; a
    file over any of them is ``too_large``.  ``max_chars``/``max_pages``/``max_ocr_pages``
    override single limits.  Old .doc/.wps files are converted with LibreOffice when it is
    installed.  Raises :class:`ReadError` with one of the codes not_found, empty,
    unsupported_format, corrupt_docx, corrupt_pdf, scanned_pdf, encrypted_pdf, encrypted,
    corrupt_workbook, binary, undecodable, too_large, unsafe_xml.
    """
    limits = limits or load_limits()
    overrides = {"max_chars": max_chars, "max_pdf_pages": max_pages, "max_ocr_pages": max_ocr_pages}
    if any(v is not None for v in overrides.values()):
        limits = limits.model_copy(update={k: v for k, v in overrides.items() if v is not None})
    return check_document(_read(Path(path), limits), limits)


def _read(p: Path, limits: InputLimits) -> SourceDocument:
    shown = str(p)
    try:
        if not p.exists():
            raise read_error(shown, "not_found", "文件不存在", "file not found")
        if not p.is_file():
            raise read_error(shown, "not_found", "路径不是文件（可能是文件夹）",
                             "the path is not a file (perhaps a folder)")
        if p.stat().st_size == 0:
            raise empty(shown)
        with p.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except PermissionError as exc:
        raise read_error(shown, "not_found", "没有读取该文件的权限", "permission denied") from exc
    except OSError as exc:
        raise read_error(shown, "not_found", f"无法打开文件（{exc.strerror or exc}）",
                         f"cannot open the file ({exc})") from exc
    fmt = detect_format(p, head)
    max_chars, max_ocr_pages = limits.max_chars, limits.max_ocr_pages
    # each reader imported when its format is met (python-docx, pdfplumber: a .txt needs neither)
    if fmt == "docx":
        from reviewer.ingest.docx import read_docx_document

        return read_docx_document(p, limits=limits)
    if fmt == "pdf":
        from reviewer.ingest.pdf import read_pdf_document

        return read_pdf_document(p, max_chars=max_chars, max_pages=limits.max_pdf_pages, max_ocr_pages=max_ocr_pages)
    if fmt == "image":
        from reviewer.ingest.ocr import read_image_document

        return read_image_document(p, max_chars=max_chars, max_ocr_pages=max_ocr_pages)
    if fmt == "doc":
        from reviewer.ingest.office import read_legacy_word

        return read_legacy_word(p, limits=limits)
    if fmt in ("xlsx", "xls", "ods"):
        from reviewer.ingest.sheets import read_sheets_document

        return read_sheets_document(p, fmt, limits=limits)
    if fmt == "html":
        from reviewer.ingest.html import read_html_document

        return read_html_document(p, max_chars=max_chars)
    return read_text_document(p, max_chars=max_chars)
