"""Input limits: what one file may hold before jixiao refuses it, checked before the work.

Reports come from hundreds of offices and through the web app, so a file can be careless
(a 10 MB line, 200,000 empty paragraphs) or hostile (a zip bomb).  Each bound below is far
above what a real 自评报告 reaches (under 200 pages, a few hundred thousand characters)
and each is checked *before* the work that depends on it: zip members before anything is
inflated (:mod:`reviewer.ingest.zipguard`), pages before a PDF is read, paragraphs and
table cells of a .docx before it is rendered, and the text of every carrier before the
structure layer and the rules see it (:func:`check_document`).  A file over a bound is a
``too_large`` :class:`~reviewer.models.ReadError` that names the file and the limit.

XML nesting is bounded by libxml2 itself: the parsers jixiao and python-docx use are built
without ``huge_tree`` and stop at 256 levels; entities are not expanded (python-docx's parser
has ``resolve_entities=False``, openpyxl reads worksheets through defusedxml) and an OOXML/ODF
part that declares a DTD is refused before parsing (Office never writes one).

Every bound can be changed in ``jixiao.toml`` or ``[tool.jixiao]`` of a pyproject.toml::

    [tool.jixiao.limits]
    max_chars = 1000000
    max_pdf_pages = 300
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from reviewer.ingest.errors import too_large
from reviewer.models import SourceDocument

MB = 1024 * 1024


class InputLimits(BaseModel):
    """Bounds on one input file (``[tool.jixiao.limits]``)."""

    model_config = ConfigDict(extra="forbid")

    max_unzipped_mb: float = Field(256, gt=0)  # all members of a .docx/.xlsx/.ods together, media included
    max_member_mb: float = Field(128, gt=0)  # any one member
    max_xml_mb: float = Field(48, gt=0)  # the XML members together: what the parsers build trees from
    max_zip_members: int = Field(5_000, gt=0)  # a .docx has a few dozen members
    max_chars: int = Field(1_000_000, gt=0)  # characters of linear text per file (a real report: a few hundred thousand)
    max_line_chars: int = Field(200_000, gt=0)  # characters in one line (paragraph)
    max_paragraphs: int = Field(100_000, gt=0)  # paragraphs (lines of a .txt) per file
    max_table_cells: int = Field(200_000, gt=0)  # table cells per file, all tables together
    max_pdf_pages: int = Field(300, gt=0)
    max_ocr_pages: int = Field(50, gt=0)  # pages of a scan or image that are OCR'd

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * MB)

    @property
    def max_member_bytes(self) -> int:
        return int(self.max_member_mb * MB)

    @property
    def max_xml_bytes(self) -> int:
        return int(self.max_xml_mb * MB)


def load_limits(config_path: Path | None = None) -> InputLimits:
    """The limits of ``[tool.jixiao.limits]`` in the nearest config file (defaults if none).

    Raises ValueError naming the config file when a limit is unknown or not a positive number."""
    from reviewer.profile import load_section

    return load_section("limits", InputLimits, config_path)


def _over(path: object, what_zh: str, what_en: str, value: int, limit: int, key: str):
    return too_large(path, f"{what_zh} {value:,}，超过上限 {limit:,}（可在配置 [tool.jixiao.limits] {key} 中调整）",
                     f"{what_en} {value:,}, over the limit of {limit:,} (set {key} in [tool.jixiao.limits])")


def check_count(path: object, what_zh: str, what_en: str, value: int, limit: int, key: str) -> None:
    """Raise ``too_large`` when ``value`` exceeds ``limit`` (``key`` names the setting)."""
    if value > limit:
        raise _over(path, what_zh, what_en, value, limit, key)


def check_document(doc: SourceDocument, limits: InputLimits) -> SourceDocument:
    """Refuse a read document whose text or tables exceed ``limits`` (before any structure
    or rule sees it); return it unchanged otherwise."""
    path = doc.path
    check_count(path, "文字字符数", "characters of text", len(doc.text), limits.max_chars, "max_chars")
    lines = doc.text.split("\n")
    lengths = list(map(len, lines))
    longest = max(lengths)
    check_count(path, f"第 {lengths.index(longest) + 1} 行（段落）的字符数", f"characters in line {lengths.index(longest) + 1}",
                longest, limits.max_line_chars, "max_line_chars")
    if doc.spans and any(s.location.kind == "paragraph" for s in doc.spans):
        paragraphs = sum(1 for s in doc.spans if s.location.kind == "paragraph")
    else:  # .txt, PDF pages, OCR: lines with text
        paragraphs = len(lines) - lengths.count(0)
    check_count(path, "段落（行）数", "paragraphs (lines)", paragraphs, limits.max_paragraphs, "max_paragraphs")
    cells = sum(len(row) for t in doc.tables for row in t.rows)
    check_count(path, "表格单元格数", "table cells", cells, limits.max_table_cells, "max_table_cells")
    return _without_surrogates(doc)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(doc: SourceDocument) -> SourceDocument:
    """Lone surrogates (a reader passing on an escaped ``_xD800_`` or a broken code point)
    become U+FFFD, one character for one so every offset stays; they could not be written
    as UTF-8 and failed the outputs and the retrieval of the whole batch."""
    try:
        doc.text.encode("utf-8")
        return doc
    except UnicodeEncodeError:
        pass
    doc.text = _SURROGATE.sub("\ufffd", doc.text)
    for t in doc.tables:
        for row in t.rows:
            for c in row:
                c.text = _SURROGATE.sub("\ufffd", c.text)
    doc.warnings.append("文件含有无效字符（代理码位），已替换为 � / invalid characters (lone surrogates) replaced by U+FFFD")
    return doc
