"""Styling shared by every .docx jixiao writes from scratch."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Pt


def set_cjk_font(document, size_pt: float | None = None, font: str = "宋体") -> None:
    """Make ``font`` the default (East Asian included) so Chinese renders everywhere."""
    style = document.styles["Normal"]
    style.font.name = font
    if size_pt is not None:
        style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)
