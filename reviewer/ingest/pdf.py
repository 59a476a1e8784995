"""The .pdf reader.

pypdf opens the file (encryption, corruption and page-count checks).  A PDF with ruled
tables is then read by pdfplumber (:mod:`reviewer.ingest.pdf_tables`) into real tables
with located cells; one without is read by pypdf as page texts joined by newlines, one
``page`` span per page, table columns turned into tabs.  A PDF whose pages carry
(almost) no extractable text is a scan: it is OCR'd (:mod:`reviewer.ingest.ocr`) when
the OCR engine is installed, else it raises ``scanned_pdf``.  An encrypted PDF is opened
with the empty password if possible, else ``encrypted_pdf``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from reviewer.ingest.errors import empty, read_error, too_large
from reviewer.ingest.layout import form_rows_warning
from reviewer.ingest.text import normalize_newlines
from reviewer.models import LocatedSpan, Location, ReadError, SourceDocument

# Fewer non-space characters than this per page on average: treated as a scan.
MIN_CHARS_PER_PAGE = 10

_TRAILING_SPACES = re.compile(r"[ \t\u3000]+$", re.MULTILINE)


def _corrupt(path: Path, exc: BaseException) -> ReadError:
    return read_error(
        path,
        "corrupt_pdf",
        f"PDF 文件已损坏，无法读取（{type(exc).__name__}）",
        f"the PDF file is corrupt and cannot be read ({type(exc).__name__}: {exc})",
    )


def _encrypted(path: Path, detail_zh: str = "", detail_en: str = "") -> ReadError:
    return read_error(
        path,
        "encrypted_pdf",
        f"PDF 文件已加密（设有打开密码）{detail_zh}，请先取消密码或导出未加密的副本",
        f"the PDF is encrypted (password-protected){detail_en}; remove the password or "
        "export an unencrypted copy",
    )


def page_text(raw: str) -> str:
    """A page's extracted text with universal newlines and no trailing spaces per line."""
    return _TRAILING_SPACES.sub("", normalize_newlines(raw)).strip("\n")


_GAP = re.compile(r" {2,}")


def columns_to_tabs(layout: str) -> str:
    """Text from pypdf's layout mode with table columns turned into tabs.

    A line with two or more gaps of 2+ spaces is a table row: each gap becomes a tab
    (leading indentation becomes an empty first cell), so the row-per-line table reader
    sees it.  Other lines lose their indentation and read as plain text.
    """
    out = []
    for line in layout.split("\n"):
        body = line.rstrip()
        inner = body.lstrip(" ")
        if len(_GAP.findall(inner)) >= 2:
            lead = "\t" if len(body) - len(inner) >= 2 else ""
            out.append(lead + _GAP.sub("\t", inner))
        else:
            out.append(inner)
    return "\n".join(out)


def read_pdf_document(path: Path, *, max_chars: int, max_pages: int, max_ocr_pages: int = 50) -> SourceDocument:
    """Read a PDF into a :class:`SourceDocument`: ruled tables as tables (pdfplumber),
    else one span per page (pypdf); a scan is OCR'd up to ``max_ocr_pages`` pages."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise _encrypted(path)
            except (DependencyError, NotImplementedError) as exc:
                raise _encrypted(path, f"（无法解密：{exc}）", f" (cannot decrypt: {exc})") from exc
        n_pages = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise _encrypted(path) from exc
    except ReadError:
        raise
    except Exception as exc:  # PdfReadError and the many plain errors pypdf raises on junk
        raise _corrupt(path, exc) from exc
    if n_pages > max_pages:
        raise too_large(path, f"{n_pages} 页，超过 {max_pages} 页的上限",
                        f"{n_pages} pages, more than the limit of {max_pages}")
    if n_pages == 0:
        raise empty(path)

    from reviewer.ingest.pdf_tables import read_pdf_tables

    tabled = read_pdf_tables(path, n_pages=n_pages, max_chars=max_chars, max_ocr_pages=max_ocr_pages)
    if tabled is not None:
        return tabled

    pages: list[str] = []
    warnings: list[str] = []
    total = 0
    for i in range(n_pages):
        try:
            try:
                raw = columns_to_tabs(reader.pages[i].extract_text(extraction_mode="layout") or "")
            except Exception:  # layout mode fails on some content streams: plain mode still works
                raw = reader.pages[i].extract_text() or ""
        except Exception as exc:  # pypdf raises many types on odd content streams
            warnings.append(f"第{i + 1}页文字提取失败（{type(exc).__name__}） / "
                            f"page {i + 1}: text extraction failed ({type(exc).__name__})")
            raw = ""
        pages.append(page_text(raw))
        total += len(pages[-1]) + 1
        if total > max_chars + 1:
            raise too_large(path, f"文字超过 {max_chars:,} 字符的上限",
                            f"the text exceeds the limit of {max_chars:,} characters")

    visible = sum(len("".join(p.split())) for p in pages)
    if visible < MIN_CHARS_PER_PAGE * n_pages:
        from reviewer.ingest.ocr import ocr_available, read_scanned_pdf

        if ocr_available():
            return read_scanned_pdf(path, n_pages=n_pages, max_chars=max_chars, max_ocr_pages=max_ocr_pages)
        raise read_error(
            path,
            "scanned_pdf",
            f"PDF 没有可提取的文字层（{n_pages} 页共 {visible} 个字符），看起来是扫描件或图片，"
            "需要先做文字识别（OCR），或提供原始 Word 文件",
            f"the PDF has no extractable text layer ({visible} characters on {n_pages} pages); "
            "it looks scanned (images only) and needs OCR first, or supply the original Word file",
        )

    spans: list[LocatedSpan] = []
    pos = 0
    for i, page in enumerate(pages):
        spans.append(LocatedSpan(start=pos, end=pos + len(page), location=Location(kind="page", page=i + 1)))
        pos += len(page) + 1
    text = "\n".join(pages)
    empty_pages = [str(i + 1) for i, p in enumerate(pages) if not p.strip()]
    if empty_pages:
        warnings.append(f"以下页面没有文字（可能是扫描页）：{', '.join(empty_pages)} / "
                        f"pages without text (maybe scanned): {', '.join(empty_pages)}")
    doc = SourceDocument(path=str(path), format="pdf", text=text, encoding=None, spans=spans, warnings=warnings)
    warning = form_rows_warning(doc)
    if warning:
        doc.warnings.append(warning)
    return doc
