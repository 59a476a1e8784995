"""WordprocessingML element helpers: tag names, block iteration, paragraph text.

Works on the raw lxml elements (not python-docx proxies), so every ``<w:p>``, ``<w:tbl>``
and ``<w:tc>`` is visited exactly once and nothing hides behind ``w:sdt`` content controls.
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def w(tag: str) -> str:
    """Clark name of a ``w:`` tag, e.g. ``w("p")``."""
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT = w("p"), w("tbl"), w("tr"), w("tc"), w("sdt"), w("sdtContent")
CUSTOM_XML, TXBX_CONTENT = w("customXml"), w("txbxContent")
MC_ALTERNATE, MC_CHOICE, MC_FALLBACK = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice", \
    f"{{{MC_NS}}}Fallback"

# Containers whose children are the same kind of content as the container's siblings.
_TRANSPARENT = {SDT_CONTENT, CUSTOM_XML, w("ins"), w("moveTo"), w("smartTag"), MC_CHOICE}

# Never rendered: deleted / moved-away text, properties, field codes, the second copy of
# an mc:AlternateContent, footnote/comment marks.
_SKIP = {
    w("del"), w("moveFrom"), w("pPr"), w("rPr"), w("sdtPr"), w("sdtEndPr"), w("tblPr"),
    w("trPr"), w("tcPr"), w("instrText"), w("delText"), w("delInstrText"), MC_FALLBACK,
    w("footnoteReference"), w("endnoteReference"), w("commentReference"),
}

# Wingdings / Wingdings 2 check boxes used in forms (w:sym w:char=...).
_SYMBOLS = {
    "F0A8": "□", "F06F": "□", "F071": "□", "F0FE": "☑", "F0FD": "☒", "F0FC": "✓",
    "F0FB": "✗", "F052": "☑", "F0A3": "□", "F050": "✓", "F053": "☒", "F0A4": "☐",
}


def iter_children(container: etree._Element, wanted: frozenset[str]) -> Iterator[etree._Element]:
    """Children of ``container`` whose tag is in ``wanted``, looking through content
    controls (``w:sdt/w:sdtContent``), ``w:customXml``, tracked-insert wrappers and
    ``mc:AlternateContent`` (first ``mc:Choice`` only)."""
    for child in container:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag == SDT:
            for content in child:
                if content.tag == SDT_CONTENT:
                    yield from iter_children(content, wanted)
        elif tag in _TRANSPARENT:
            yield from iter_children(child, wanted)
        elif tag == MC_ALTERNATE:
            for choice in child:
                if choice.tag == MC_CHOICE:
                    yield from iter_children(choice, wanted)
                    break


BLOCKS = frozenset({P, TBL})
ROWS = frozenset({TR})
CELLS = frozenset({TC})


def is_deleted_row(tr: etree._Element) -> bool:
    """A table row removed with track changes on (``w:trPr/w:del``)."""
    return tr.find(f"{w('trPr')}/{w('del')}") is not None


def paragraph_text(p: etree._Element) -> tuple[str, list[str]]:
    """``(text, text_box_paragraphs)`` of a ``<w:p>``.

    Text is every ``w:t`` in order, tracked insertions included and deletions left out;
    ``w:tab`` -> tab, ``w:br``/``w:cr`` -> newline.  Text boxes anchored in the paragraph
    are returned separately (their paragraphs' text), not mixed into the line.
    """
    out: list[str] = []
    boxes: list[str] = []
    _collect(p, out, boxes)
    return "".join(out), boxes


def _collect(el: etree._Element, out: list[str], boxes: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == w("t") or tag == f"{{{M_NS}}}t":
            out.append(child.text or "")
        elif tag in (w("tab"), w("ptab")):
            out.append("\t")
        elif tag in (w("br"), w("cr")):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        elif tag == w("sym"):
            code = (child.get(w("char")) or "").upper()
            out.append(_SYMBOLS.get(code, _plain_symbol(code)))
        elif tag == TXBX_CONTENT:
            for inner in child.iter(P):
                if inner.getparent() is not None and not _inside_fallback(inner, child):
                    text, _ = paragraph_text(inner)
                    boxes.append(text)
        elif tag == MC_ALTERNATE:
            for choice in child:
                if choice.tag == MC_CHOICE:
                    _collect(choice, out, boxes)
                    break
        else:
            _collect(child, out, boxes)


def _inside_fallback(el: etree._Element, stop: etree._Element) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag == MC_FALLBACK:
            return True
        node = node.getparent()
    return False


def _plain_symbol(code: str) -> str:
    """The character for a ``w:sym`` code unless it is a private-use (font-specific) one."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xE000 <= value <= 0xF8FF or not 0 < value <= 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return ""  # private use (font-specific), or no character at all: a surrogate, negative, > 0x10FFFF
    return chr(value)


def grid_span(tc: etree._Element) -> int:
    """``w:gridSpan`` of a cell (1 if absent)."""
    el = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
    try:
        return max(1, int(el.get(w("val"), "1"))) if el is not None else 1
    except ValueError:
        return 1


def merge_state(tc: etree._Element, tag: str) -> str | None:
    """``restart`` / ``continue`` for ``w:vMerge`` or legacy ``w:hMerge``; None if absent."""
    el = tc.find(f"{w('tcPr')}/{w(tag)}")
    if el is None:
        return None
    return el.get(w("val")) or "continue"


def grid_before(tr: etree._Element) -> int:
    """Grid columns skipped before a row's first cell (``w:trPr/w:gridBefore``)."""
    el = tr.find(f"{w('trPr')}/{w('gridBefore')}")
    try:
        return max(0, int(el.get(w("val"), "0"))) if el is not None else 0
    except ValueError:
        return 0
