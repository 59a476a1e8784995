"""Decide how to read a file: by its first bytes (content) first, then by extension.

Content wins over extension: a zip holding ``word/`` is read as .docx and ``%PDF`` as
.pdf whatever the file is called; a .docx that is not a zip is ``corrupt_docx``; an old
binary Word file (.doc / .wps, OLE2) is ``unsupported_format`` with a hint to save it as
.docx.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from reviewer.ingest.errors import read_error
from reviewer.models import ReadError

Format = Literal["txt", "docx", "pdf"]

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"
PDF_SEARCH_BYTES = 1024  # the PDF header may follow a little junk (not in a .txt)

DOCX_EXTENSIONS = {".docx", ".docm", ".dotx", ".dotm"}
PDF_EXTENSIONS = {".pdf"}
TEXT_EXTENSIONS = {".txt", ".text", ".md", ".csv", ".tsv", ".log", ""}

SAVE_AS_DOCX_ZH = "请用 Word 或 WPS 打开并“另存为” .docx 后再审阅"
SAVE_AS_DOCX_EN = "open it in Word or WPS and save it as .docx, then review that file"

_IMAGE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)

_OTHER_EXTENSIONS: dict[str, tuple[str, str]] = {
    ".doc": ("旧版 Word 二进制格式（.doc）", "old binary Word format (.doc)"),
    ".wps": ("WPS 文字格式（.wps）", "WPS Writer format (.wps)"),
    ".rtf": ("RTF 格式", "RTF format"),
    ".xls": ("Excel 表格", "an Excel workbook"),
    ".xlsx": ("Excel 表格", "an Excel workbook"),
    ".ppt": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    ".pptx": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    ".ofd": ("OFD 版式文件", "an OFD document"),
    ".odt": ("OpenDocument 文本", "an OpenDocument text"),
}


def unsupported(path: Path, what_zh: str, what_en: str, hint_zh: str = SAVE_AS_DOCX_ZH,
                hint_en: str = SAVE_AS_DOCX_EN) -> ReadError:
    """``unsupported_format`` naming what the file seems to be and what to do."""
    return read_error(
        path,
        "unsupported_format",
        f"不支持的文件格式：{what_zh}；支持 .docx、.pdf、.txt。{hint_zh}",
        f"unsupported file format: {what_en}; supported are .docx, .pdf and .txt. {hint_en}",
    )


def _zip_kind(path: Path) -> str:
    """``word`` / ``excel`` / ``powerpoint`` / ``ofd`` / ``other`` / ``broken`` for a zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "broken"
    if any(n.startswith("word/") for n in names):
        return "word"
    if any(n.startswith("xl/") for n in names):
        return "excel"
    if any(n.startswith("ppt/") for n in names):
        return "powerpoint"
    if any(n.upper().startswith("OFD.XML") for n in names):
        return "ofd"
    return "other"


def detect_format(path: Path, head: bytes) -> Format:
    """The reader to use for ``path`` whose first bytes are ``head``; raise if none fits."""
    ext = path.suffix.lower()
    if head.startswith(ZIP_MAGICS):
        kind = _zip_kind(path)
        if kind == "word":
            return "docx"
        if kind == "excel":
            raise unsupported(path, "Excel 表格", "an Excel workbook",
                              "请将内容复制到 Word 另存为 .docx。",
                              "copy the content into Word and save it as .docx.")
        if kind == "powerpoint":
            raise unsupported(path, "PowerPoint 演示文稿", "a PowerPoint presentation")
        if kind == "ofd":
            raise unsupported(path, "OFD 版式文件", "an OFD document",
                              "请导出为 PDF 或 .docx。", "export it as PDF or .docx.")
        if ext in DOCX_EXTENSIONS or kind == "broken":
            what = "压缩包损坏或被截断" if kind == "broken" else "压缩包中没有 word/document.xml"
            what_en = "the zip is damaged or truncated" if kind == "broken" else \
                "the zip has no word/document.xml"
            raise read_error(path, "corrupt_docx", f".docx 文件已损坏：{what}",
                             f"the .docx file is corrupt: {what_en}")
        raise unsupported(path, "ZIP 压缩包", "a zip archive", "请解压后分别审阅其中的文件。",
                          "unzip it and review the files inside.")
    if head.startswith(PDF_MAGIC) or (PDF_MAGIC + b"-" in head[:PDF_SEARCH_BYTES]
                                       and ext not in TEXT_EXTENSIONS):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        if ext in DOCX_EXTENSIONS:
            raise unsupported(path, "加密的 Word 文件或改了扩展名的旧版 .doc 文件",
                              "a password-protected Word file or an old .doc renamed to .docx",
                              "如已加密请先取消密码，再另存为 .docx。",
                              "remove the password if any, then save it as .docx.")
        what = _OTHER_EXTENSIONS.get(ext, ("旧版 Office 二进制格式（如 .doc）",
                                           "an old binary Office format (e.g. .doc)"))
        raise unsupported(path, *what)
    if head.startswith(b"{\\rtf"):
        raise unsupported(path, "RTF 格式", "RTF format")
    for magic, name in _IMAGE_MAGICS:
        if head.startswith(magic) and ext not in TEXT_EXTENSIONS:
            raise unsupported(path, f"{name} 图片", f"a {name} image",
                              "图片需先做文字识别（OCR）。", "images need OCR first.")
    if ext in DOCX_EXTENSIONS:
        raise read_error(path, "corrupt_docx", ".docx 文件已损坏：不是有效的 Word（zip）文件",
                         "the .docx file is corrupt: it is not a valid Word (zip) file")
    if ext in PDF_EXTENSIONS:
        raise read_error(path, "corrupt_pdf", "PDF 文件已损坏：找不到 %PDF 文件头",
                         "the PDF file is corrupt: no %PDF header found")
    if ext in _OTHER_EXTENSIONS:
        raise unsupported(path, *_OTHER_EXTENSIONS[ext])
    return "txt"

