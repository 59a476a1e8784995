"""Decide how to read a file: by its first bytes (content) first, then by extension.

Content wins over extension: a zip holding ``word/`` is read as .docx, ``xl/`` as .xlsx,
an OpenDocument spreadsheet as .ods and ``%PDF`` as .pdf whatever the file is called; a
.docx that is not a zip is ``corrupt_docx``.  OLE2 (compound) files: a ``Workbook``/``Book``
stream or an .xls/.et name is a BIFF workbook (``xls``); an ``EncryptionInfo`` stream is a
password-protected Office file (``encrypted``); an old binary Word file (.doc / .wps) is
``unsupported_format`` with a hint to save it as .docx — :func:`legacy_word` is the seam
where a LibreOffice conversion can be plugged in.  Text starting with ``<!DOCTYPE html`` or
``<html`` (or named .html/.htm/.mht/.mhtml) is a web page (``html``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Literal

from reviewer.ingest.errors import read_error
from reviewer.models import ReadError

Format = Literal["txt", "docx", "pdf", "xlsx", "xls", "ods", "html", "doc", "image"]

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"
PDF_SEARCH_BYTES = 1024  # the PDF header may follow a little junk (not in a .txt)

DOCX_EXTENSIONS = {".docx", ".docm", ".dotx", ".dotm"}
PDF_EXTENSIONS = {".pdf"}
TEXT_EXTENSIONS = {".txt", ".text", ".md", ".csv", ".tsv", ".log", ""}
XLSX_EXTENSIONS = {".xlsx", ".xlsm", ".xltx", ".xltm"}
XLS_EXTENSIONS = {".xls", ".xlt", ".et", ".ett"}
ODS_EXTENSIONS = {".ods", ".ots"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml"}
SUPPORTED_LIST_ZH = ".docx、.pdf、.txt、.xlsx、.xls、.et、.ods、.html、.mht"
SUPPORTED_LIST_EN = ".docx, .pdf, .txt, .xlsx, .xls, .et, .ods, .html and .mht"
OLE2_MAX_SCAN_BYTES = 128 * 1024 * 1024  # OLE2 files larger than this are not opened to list streams

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
        f"不支持的文件格式：{what_zh}；支持 {SUPPORTED_LIST_ZH}。{hint_zh}",
        f"unsupported file format: {what_en}; supported are {SUPPORTED_LIST_EN}. {hint_en}",
    )


def _zip_kind(path: Path) -> str:
    """``word`` / ``excel`` / ``xlsb`` / ``ods`` / ``odf`` / ``powerpoint`` / ``ofd`` / ``other`` / ``broken``."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = ""
            if "mimetype" in names and zf.getinfo("mimetype").file_size < 256:
                mimetype = zf.read("mimetype").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return "broken"
    if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return "odf"
    if any(n.startswith("word/") for n in names):
        return "word"
    if "xl/workbook.bin" in names:
        return "xlsb"
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
            return "xlsx"
        if kind == "xlsb":
            raise unsupported(path, "Excel 二进制工作簿（.xlsb）", "an Excel binary workbook (.xlsb)",
                              "请在 Excel 或 WPS 中另存为 .xlsx 后再审阅。", "save it as .xlsx in Excel or WPS, then review that file.")
        if kind == "ods":
            return "ods"
        if kind == "odf":
            raise unsupported(path, "OpenDocument 文档", "an OpenDocument file",
                              "请另存为 .docx 后再审阅。", "save it as .docx, then review that file.")
        if kind == "broken" and ext in XLSX_EXTENSIONS | ODS_EXTENSIONS:
            raise corrupt_workbook(path, "压缩包损坏或被截断", "the zip is damaged or truncated")
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
        streams = ole2_streams(path)
        if "encryptioninfo" in streams or "encryptedpackage" in streams:
            raise encrypted_office(path)
        if ext in XLS_EXTENSIONS or "workbook" in streams or "book" in streams:
            return "xls"
        if ext in XLSX_EXTENSIONS:
            raise corrupt_workbook(path, "不是有效的 Excel 文件", "it is not a valid Excel file")
        if "worddocument" in streams or ext in (".doc", ".wps", ".dot", ".wpt"):
            from reviewer.ingest.office import soffice_path

            if soffice_path():  # converted to .docx by reviewer.ingest.office
                return "doc"
            raise legacy_word(path, ext)
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
            from reviewer.ingest.ocr import ocr_available

            if ocr_available():  # OCR'd by reviewer.ingest.ocr
                return "image"
            raise unsupported(path, f"{name} 图片", f"a {name} image",
                              "图片需先做文字识别（OCR）。", "images need OCR first.")
    if ext in DOCX_EXTENSIONS:
        raise read_error(path, "corrupt_docx", ".docx 文件已损坏：不是有效的 Word（zip）文件",
                         "the .docx file is corrupt: it is not a valid Word (zip) file")
    if ext in PDF_EXTENSIONS:
        raise read_error(path, "corrupt_pdf", "PDF 文件已损坏：找不到 %PDF 文件头",
                         "the PDF file is corrupt: no %PDF header found")
    if looks_like_html(head) or ext in HTML_EXTENSIONS:
        return "html"
    if ext in XLSX_EXTENSIONS | ODS_EXTENSIONS:
        raise corrupt_workbook(path, "不是有效的表格（zip）文件", "it is not a valid spreadsheet (zip) file")
    if ext in XLS_EXTENSIONS and b"\x00" not in head:
        return "txt"  # a tab-separated text export named .xls: the text reader rebuilds its table
    if ext in XLS_EXTENSIONS:
        raise corrupt_workbook(path, "不是有效的 Excel 97-2003 / WPS 表格文件",
                               "it is not a valid Excel 97-2003 / WPS spreadsheet file")
    if ext in _OTHER_EXTENSIONS:
        raise unsupported(path, *_OTHER_EXTENSIONS[ext])
    return "txt"


_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)
_MHT_START = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)*?"  # header lines, folded ones too
                        rb"(?:MIME-Version|Content-Type):[^\n]*(?:multipart/related|text/html)",
                        re.IGNORECASE)


def looks_like_html(head: bytes) -> bool:
    """A web page (``<!DOCTYPE html`` / ``<html``) or a saved MHTML page, by its first bytes."""
    for enc_head in (head, _utf16_ascii(head)):
        if enc_head and (_HTML_START.match(enc_head) or _MHT_START.match(enc_head)):
            return True
    return False


def _utf16_ascii(head: bytes) -> bytes:
    """The ASCII of a UTF-16 page's first bytes (b"" if it is not UTF-16)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore").encode("ascii", "ignore")
    return b""


def ole2_streams(path: Path) -> set[str]:
    """Lower-cased names of the streams/storages in an OLE2 file (empty if unreadable)."""
    try:
        if path.stat().st_size > OLE2_MAX_SCAN_BYTES:
            return set()
        from xlrd.compdoc import CompDoc

        doc = CompDoc(path.read_bytes(), logfile=_Quiet())
        return {d.name.lower() for d in doc.dirlist if d.name}
    except Exception:  # noqa: BLE001 - a damaged compound file is judged by its extension instead
        return set()


class _Quiet:
    def write(self, _s: str) -> None:
        pass


def encrypted_office(path: Path) -> ReadError:
    """``encrypted``: an Office file saved with an open password (OLE2 + EncryptionInfo)."""
    what_zh, what_en = ("Excel 表格", "Excel workbook") if path.suffix.lower() in XLSX_EXTENSIONS | XLS_EXTENSIONS \
        else ("Word 文档", "Word document") if path.suffix.lower() in DOCX_EXTENSIONS else ("Office 文件", "Office file")
    return read_error(
        path, "encrypted",
        f"{what_zh}已加密（设有打开密码），无法读取；请在 Office 或 WPS 中取消密码后另存一份再审阅",
        f"the {what_en} is encrypted (password-protected) and cannot be read; remove the password "
        "in Office or WPS, save a copy and review that",
    )


def corrupt_workbook(path: Path, what_zh: str, what_en: str) -> ReadError:
    """``corrupt_workbook``: a spreadsheet that cannot be opened."""
    return read_error(path, "corrupt_workbook", f"表格文件已损坏：{what_zh}，请在 Excel 或 WPS 中打开后重新保存",
                      f"the spreadsheet file is corrupt: {what_en}; open it in Excel or WPS and save it again")


def legacy_word(path: Path, ext: str) -> ReadError:
    """An old binary Word / WPS Writer file.  Seam for a future LibreOffice conversion:
    convert here (or in ``read_document``) instead of raising, and return "docx"."""
    what = _OTHER_EXTENSIONS.get(ext, ("旧版 Word 二进制格式（.doc）", "old binary Word format (.doc)"))
    return unsupported(path, *what)

