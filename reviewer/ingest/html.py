"""The web-page reader: .html/.htm and saved pages (.mht/.mhtml) into the grid builder's model.

Library: **lxml.html** — libxml2's forgiving HTML parser, fast, already installed with
python-docx (the .docx reader uses lxml too), so no new dependency; a saved MHTML page is
MIME and its ``text/html`` part is taken with the standard library's :mod:`email`.

Rendering: text outside tables becomes paragraphs (block elements and ``<br>`` end a line);
a ``<table>`` becomes a :class:`~reviewer.models.Table` with ``rowspan``/``colspan`` placed on
the grid and cells located as ``Location(kind="table_cell", table=i, row=r, col=c)``.  A
table whose cells hold tables is either a *layout* table (the whole page put in a grid: no
row with two filled cells, or a sub-table sitting among running text; its cells are read as
blocks, in order, so the inner tables stay tables) or a real table with sub-tables (rendered,
then its inner tables follow it with ``nested_in``; unlike the .docx reader, the inner table's
text is not repeated inside the outer cell, because a grid cell's text holds no tabs).
``<del>`` (deleted text) is left out, as the .docx reader leaves out tracked deletions.  Site chrome is
dropped: script/style/nav/header/footer/form/iframe..., elements whose id or class says
nav/menu/header/footer/breadcrumb/share/banner, and the short 索引号/发布机构/浏览量 blocks
of government sites.

Encoding: BOM, then the charset the page (``<meta charset>`` / ``http-equiv``) or the MIME
part declares, then strict UTF-8, then GB18030 (a superset of GBK/GB2312), then
charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

from reviewer.ingest.errors import empty, read_error, too_large
from reviewer.ingest.grid import DocumentBuilder, GridCell
from reviewer.models import Location, SourceDocument

MAX_HTML_BYTES = 64 * 1024 * 1024
MAX_SPAN = 1_000  # rowspan/colspan are clamped to this
MAX_TABLE_ROWS = 2_000  # rows read per table (a 自评表 has a few dozen); the rest is dropped with a warning
MAX_TABLE_CELLS = 20_000  # cells read per table
LAYOUT_CELL_CHARS = 200  # a cell holding a sub-table and more running text than this is page layout

_DROP_TAGS = {"del", "script", "style", "noscript", "iframe", "frame", "frameset", "form", "nav", "template", "svg",
              "button", "select", "input", "textarea", "object", "embed", "canvas", "head", "title", "meta",
              "link", "map", "audio", "video", "option"}
_TABLE_PARTS = {"td", "th", "tr", "thead", "tbody", "tfoot", "caption", "col", "colgroup"}
_TABLE_PART_WORDS = {"header", "footer", "banner", "topbar", "toolbar", "copyright", "skip"}
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
               "article", "main", "blockquote", "pre", "address", "figure", "figcaption", "center", "hr",
               "caption", "fieldset", "body", "html", "header", "footer", "aside", "tr", "td", "th", "thead",
               "tbody", "tfoot", "details", "summary", "legend"}
_CHROME_WORDS = {"nav", "navbar", "navigation", "menu", "menus", "header", "footer", "breadcrumb", "breadcrumbs",
                 "crumb", "crumbs", "share", "banner", "topbar", "toolbar", "sidebar", "skip", "copyright"}
_CHROME_SPLIT = re.compile(r"[\s_\-]+")
_SITE_META_WORDS = ("索引号", "发布机构", "发布日期", "发文日期", "成文日期", "生成日期", "浏览量", "浏览次数",
                    "访问量", "点击数", "打印本页", "关闭窗口", "字号：", "【字体", "分享到", "信息来源")
_SITE_META_MAX_CHARS = 300
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # field marks some exporters leave in the text
_WS = re.compile(r"[ \t\r\n\f\v\xa0\u3000\u200b]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-.:]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")

_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
                    "gb_2312-80": "gb18030", "csgb2312": "gb18030", "x-gb2312": "gb18030", "euc-cn": "gb18030",
                    "big5": "big5hkscs", "unicode": "utf-16", "utf8": "utf-8"}


# --------------------------------------------------------------------------- bytes -> text


def _codec(name: str | None) -> str | None:
    """A Python codec for a declared charset (GBK family widened to GB18030); None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """``(text, encoding, warnings)`` for a page's bytes; ``declared`` is a MIME charset."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace"), codec, []
    warnings: list[str] = []
    m = _META_CHARSET.search(data[:8192])
    stated = _codec(declared) or _codec(m.group(1).decode("ascii", "ignore") if m else None)
    tried: list[str] = []
    for codec in (stated, "utf-8", "gb18030"):
        if not codec or codec in tried:
            continue
        tried.append(codec)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if stated and codec != stated:
            warnings.append(f"网页声明的编码 {stated} 与内容不符，按 {codec} 读取 / the page declares {stated} "
                            f"but is {codec}")
        return text, codec, warnings
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    codec = _codec(best.encoding) if best is not None else None
    codec = codec or "utf-8"
    warnings.append(f"网页编码无法确定，按 {codec} 读取（个别字符可能有误） / encoding unclear, read as {codec} "
                    "(some characters may be wrong)")
    return data.decode(codec, "replace"), codec, warnings


def mhtml_html_part(data: bytes) -> tuple[bytes, str | None] | None:
    """The first ``text/html`` part of a saved MHTML page: ``(payload bytes, charset)``."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get_content_charset()
    return None


def _is_mhtml(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in (".mht", ".mhtml"):
        return True
    head = data[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


# --------------------------------------------------------------------------- tree -> blocks


@dataclass
class _TableRef:
    element: object


Block = str | _TableRef


def _local(tag: object) -> str:
    return tag.split("}")[-1].lower() if isinstance(tag, str) else ""


def _is_chrome(el: object) -> bool:
    """Site chrome by tag, hidden style, or id/class words (nav, menu, header, banner ...)."""
    tag = _local(el.tag)  # type: ignore[attr-defined]
    if tag in _DROP_TAGS:
        return True
    get = el.get  # type: ignore[attr-defined]
    if get("hidden") is not None or get("aria-hidden") == "true" or _HIDDEN_STYLE.search(get("style") or ""):
        return True
    if tag in ("header", "footer", "aside") and not any(
            _local(a.tag) in ("article", "main", "td", "th") for a in el.iterancestors()):  # type: ignore[attr-defined]
        return True
    words = {w.lower() for attr in ("id", "class", "role") for w in _CHROME_SPLIT.split(get(attr) or "") if w}
    if tag in _TABLE_PARTS:  # a form's own rows may well be class="header"/"footer"; a side menu is not
        words -= _TABLE_PART_WORDS
    if words & _CHROME_WORDS:
        return True
    return tag in ("div", "ul", "table", "p", "span", "dl", "section") and _is_site_meta(el)


def _is_site_meta(el: object) -> bool:
    """A short block holding two or more of 索引号/发布机构/发布日期/浏览量 ... (page metadata)."""
    text = el.text_content()  # type: ignore[attr-defined]
    if len(text) > _SITE_META_MAX_CHARS:
        return False
    return sum(1 for w in _SITE_META_WORDS if w in text) >= 2


class _Walker:
    """Turns an element's content into blocks: paragraph strings and table references."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._line: list[str] = []
        self._pre = 0

    def flush(self) -> None:
        raw = "".join(self._line)
        self._line = []
        if self._pre:
            lines = [ln.rstrip() for ln in raw.split("\n")]
        else:
            lines = [_WS.sub(" ", ln).strip() for ln in raw.split("\n")]
        for ln in lines:
            if ln.strip():
                self.blocks.append(ln)

    def text(self, s: str | None) -> None:
        if s:
            s = _CONTROL.sub("", s)
            self._line.append(s if self._pre else s.replace("\n", " "))

    def walk(self, el: object) -> None:
        self.text(el.text)  # type: ignore[attr-defined]
        for child in el:  # type: ignore[attr-defined]
            tag = _local(child.tag)
            if not tag or _is_chrome(child):
                self.text(child.tail)
                continue
            if tag == "table":
                self.flush()
                self.blocks.append(_TableRef(child))
            elif tag == "br":
                self._line.append("\n")
            elif tag in ("td", "th") and _local(el.tag) == "tr":
                self.flush()
                self.walk(child)
                self.flush()
            elif tag in _BLOCK_TAGS:
                self.flush()
                pre = tag == "pre"
                self._pre += pre
                self.walk(child)
                self.flush()
                self._pre -= pre
            else:
                self.walk(child)
            self.text(child.tail)

    def done(self) -> list[Block]:
        self.flush()
        return self.blocks


def content_blocks(el: object) -> list[Block]:
    """The blocks of an element's content (chrome dropped, tables not entered)."""
    w = _Walker()
    w.walk(el)
    return w.done()


def _rows(table: object) -> list[object]:
    """A table's own rows (thead/tbody/tfoot included, nested tables' rows not)."""
    out = []
    for child in table:  # type: ignore[attr-defined]
        tag = _local(child.tag)
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(c for c in child if _local(c.tag) == "tr")
    return out


def _span(value: str | None, limit: int) -> int:
    try:
        n = int(re.sub(r"[^\d]", "", value or "") or 1)
    except ValueError:
        n = 1
    return max(1, min(n, limit, MAX_SPAN))


@dataclass
class _PlacedCell:
    row: int
    col: int
    row_span: int
    col_span: int
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n".join(b for b in self.blocks if isinstance(b, str))

    @property
    def nested(self) -> list[_TableRef]:
        return [b for b in self.blocks if isinstance(b, _TableRef)]


def _place(table: object, warnings: list[str] | None = None) -> list[_PlacedCell]:
    """The table's cells at their grid positions (the HTML table algorithm, simplified);
    at most :data:`MAX_TABLE_ROWS` rows / :data:`MAX_TABLE_CELLS` cells (warning if cut)."""
    rows = _rows(table)
    occupied: set[tuple[int, int]] = set()
    placed: list[_PlacedCell] = []
    for r, tr in enumerate(rows):
        if r >= MAX_TABLE_ROWS or len(placed) >= MAX_TABLE_CELLS:
            if warnings is not None:
                warnings.append(f"网页中的表格过大，只读取了前 {r:,} 行 / a table on the page is too large; "
                                f"only its first {r:,} rows were read")
            break
        c = 0
        for td in tr:  # type: ignore[attr-defined]
            if _local(td.tag) not in ("td", "th") or _is_chrome(td):
                continue
            while (r, c) in occupied:
                c += 1
            rs = _span(td.get("rowspan"), len(rows) - r)
            cs = _span(td.get("colspan"), MAX_SPAN)
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    occupied.add((rr, cc))
            placed.append(_PlacedCell(r, c, rs, cs, content_blocks(td)))
            c += cs
    return placed


def _is_layout(cells: list[_PlacedCell]) -> bool:
    """A table used for page layout rather than a grid of data: one column; or no row with two
    filled cells; or sub-tables sitting in cells that also hold running text (a page body)."""
    by_row: dict[int, int] = {}
    for c in cells:
        if c.text.strip() and not c.nested:
            by_row[c.row] = by_row.get(c.row, 0) + 1
    columns = max((c.col + c.col_span for c in cells), default=0)
    if columns <= 1 or not any(n >= 2 for n in by_row.values()):
        return True
    return any(c.nested and len(c.text) > LAYOUT_CELL_CHARS for c in cells)


class _Renderer:
    def __init__(self, builder: DocumentBuilder, max_chars: int) -> None:
        self.b = builder
        self.max_chars = max_chars
        self.paragraphs = 0

    def blocks(self, blocks: list[Block], nested_in: int | None = None) -> None:
        for block in blocks:
            if isinstance(block, str):
                self.b.paragraph(block, Location(kind="paragraph", paragraph=self.paragraphs))
                self.paragraphs += 1
            else:
                self.table(block, nested_in)
            if self.b.size > self.max_chars:
                return

    def table(self, ref: _TableRef, nested_in: int | None) -> None:
        cells = _place(ref.element, self.b.warnings)
        if _is_layout(cells):
            for c in sorted(cells, key=lambda c: (c.row, c.col)):
                self.blocks(c.blocks, nested_in)
            return
        grid = [GridCell(text=c.text, row=c.row, col=c.col, row_span=c.row_span, col_span=c.col_span)
                for c in cells]
        index = self.b.table(grid, nested_in=nested_in)
        for c in cells:
            for inner in c.nested:
                self.table(inner, index if index is not None else nested_in)


# --------------------------------------------------------------------------- entry point


def read_html_document(path: Path, *, max_chars: int) -> SourceDocument:
    """Read a web page (.html/.htm or a saved .mht/.mhtml) into a :class:`SourceDocument`."""
    import lxml.html

    size = path.stat().st_size
    if size > min(MAX_HTML_BYTES, 16 * max_chars + (1 << 20)):
        raise too_large(path, f"网页文件有 {size:,} 字节", f"the page is {size:,} bytes")
    data = path.read_bytes()
    declared: str | None = None
    warnings: list[str] = []
    if _is_mhtml(path, data):
        part = mhtml_html_part(data)
        if part is None:
            if path.suffix.lower() in (".mht", ".mhtml"):
                raise empty(path)
        else:
            data, declared = part
            warnings.append("已读取保存网页（MHTML）中的 HTML 部分 / read the HTML part of a saved web page (MHTML)")
    if b"\x00" in data[:65536] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise read_error(path, "binary", "文件不是网页（含有二进制数据），请确认文件类型是否正确",
                         "the file is not a web page (it contains binary data); check the file type")
    text, encoding, more = decode_html(data, declared)
    warnings.extend(more)
    text = _XML_DECL.sub("", text.replace("\x00", ""))
    if not text.strip():
        raise empty(path)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError on a page with no elements at all
        raise empty(path) from exc
    body = root.find("body")
    builder = DocumentBuilder()
    _Renderer(builder, max_chars).blocks(content_blocks(body if body is not None else root))
    if builder.size > max_chars:
        raise too_large(path, f"超过 {max_chars:,} 字符的上限", f"more than the limit of {max_chars:,} characters")
    if not _WORDISH.search(builder.text()):
        raise empty(path)
    builder.warnings.extend(warnings)
    return builder.build(str(path), "html", encoding=encoding)
