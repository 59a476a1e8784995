"""Render one report into every carrier the readers accept (for the format-invariance tests).

The content is taken from a .docx (paragraphs and tables in document order, tables inside
content controls included, ``w:ins`` text kept, ``w:delText`` dropped) and written again as:

========================  ==========================================================
carrier                   how
========================  ==========================================================
``docx``                  the original file, copied
``xlsx``                  openpyxl: a paragraph per row in column A, each table below
                          it with its merges; numbers as numbers with a number format
``xls``                   xlwt, the same layout
``html``                  ``<p>`` and ``<table>`` with rowspan/colspan (nested tables kept)
``pdf``                   LibreOffice ``soffice --convert-to pdf`` of the .docx, else fpdf2
                          drawing ruled tables with a CJK font
``pdf_fpdf``              always fpdf2 (a second PDF producer)
``scan``                  the text PDF rasterised at 200 dpi (pypdfium2) as an image-only PDF
``pipe``                  ``| a | b |`` rows, vertically merged continuations left out
``oneline``               a table row per line, cells joined by single spaces
``oneline_table``         a whole table on one line
``cellline``              one cell per line
``cellline_blank``        one cell per line, a blank line between cells
========================  ==========================================================

Use ``render_all(docx_path, out_dir)`` → ``{carrier: path}`` (a carrier whose tool is
missing maps to a :class:`Missing` with the reason), or one renderer at a time.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

# --------------------------------------------------------------------------- content model


@dataclass
class TCell:
    """A table cell at its top-left grid position, with its spans; ``nested`` holds the
    rows (lists of cell texts) of tables nested in it."""

    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    nested: list[list[list[str]]] = field(default_factory=list)


@dataclass
class TableBlock:
    cells: list[TCell]
    n_rows: int
    n_cols: int

    def rows(self) -> list[list[TCell]]:
        """The cells that start in each row, left to right."""
        out: list[list[TCell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out


Block = str | TableBlock  # a paragraph's text, or a table


def _para_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _cell_paragraphs(tc) -> str:
    return "\n".join(_para_text(p) for p in tc.findall(qn("w:p")))


def _table(tbl) -> TableBlock:
    cells: list[TCell] = []
    open_: dict[int, TCell] = {}
    n_cols = 0
    trs = tbl.findall(qn("w:tr"))
    for r, tr in enumerate(trs):
        col = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span, vmerge = 1, None
            if pr is not None:
                gs = pr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val")))
                vm = pr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val")) or "continue"
            if vmerge == "continue" and col in open_:
                open_[col].row_span += 1
            else:
                nested = [[[_cell_paragraphs(c) for c in ntr.findall(qn("w:tc"))] for ntr in nt.findall(qn("w:tr"))]
                          for nt in tc.findall(qn("w:tbl"))]
                cell = TCell(_cell_paragraphs(tc), r, col, 1, span, nested)
                cells.append(cell)
                open_[col] = cell
            col += span
        n_cols = max(n_cols, col)
    return TableBlock(cells, len(trs), n_cols)


def read_blocks(docx_path) -> list[Block]:  # a path or a file object
    """Paragraphs and tables of a .docx body in document order (content controls opened)."""
    body = Document(str(docx_path) if isinstance(docx_path, (str, Path)) else docx_path).element.body
    out: list[Block] = []

    def walk(el) -> None:
        for child in el:
            if child.tag == qn("w:p"):
                out.append(_para_text(child))
            elif child.tag == qn("w:tbl"):
                out.append(_table(child))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(body)
    return out


def flat_text(cell: TCell, line_sep: str = "") -> str:
    """A cell's text on one line: its lines joined by ``line_sep``; a nested table follows
    as ``a，b；c，d``."""
    text = line_sep.join(ln.strip() for ln in cell.text.split("\n") if ln.strip())
    for nt in cell.nested:
        text += ("；" if text else "") + "；".join("，".join(r) for r in nt)
    return text


def multiline_text(cell: TCell) -> str:
    """A cell's text with its lines (spreadsheets keep line breaks inside a cell)."""
    lines = [ln for ln in cell.text.split("\n") if ln.strip()]
    for nt in cell.nested:
        lines += ["，".join(r) for r in nt]
    return "\n".join(lines)


# --------------------------------------------------------------------------- spreadsheets

_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?(%?)$")


def as_number(text: str) -> tuple[float, str] | None:
    """``'98.50'`` → (98.5, '0.00'), ``'95.00%'`` → (0.95, '0.00%'), ``'10'`` → (10, 'General');
    None for anything that is not a plain number."""
    m = _NUMBER.match(text)
    if not m:
        return None
    decimals, pct = len(m.group(1) or ""), m.group(2)
    value = float(text.rstrip("%"))
    if pct:
        value = round(value / 100, decimals + 2)
    fmt = ("0." + "0" * decimals if decimals else "0") + pct if (decimals or pct) else "General"
    return value, fmt


def _sheet_rows(blocks: list[Block]):
    """(row offset, block) placing paragraphs and tables one below the other."""
    r = 0
    for b in blocks:
        if isinstance(b, str):
            if b.strip():
                yield r, b
                r += 1
        else:
            yield r, b
            r += b.n_rows


def render_xlsx(blocks: list[Block], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r0, b in _sheet_rows(blocks):
        if isinstance(b, str):
            ws.cell(r0 + 1, 1, b).data_type = "s"
            continue
        for c in b.cells:
            text = multiline_text(c)
            cell = ws.cell(r0 + c.row + 1, c.col + 1)
            num = as_number(text)
            if num:
                cell.value, cell.number_format = num
            elif text:
                cell.value = text
                cell.data_type = "s"  # typed as text: '=100%' is not a formula
                if "\n" in text:
                    cell.alignment = Alignment(wrap_text=True)
            if c.row_span > 1 or c.col_span > 1:
                ws.merge_cells(start_row=r0 + c.row + 1, start_column=c.col + 1,
                               end_row=r0 + c.row + c.row_span, end_column=c.col + c.col_span)
    wb.save(str(path))
    return path


def render_xls(blocks: list[Block], path: Path) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    styles: dict[str, object] = {}

    def style(fmt: str):
        if fmt not in styles:
            styles[fmt] = xlwt.easyxf(num_format_str=fmt)
        return styles[fmt]

    for r0, b in _sheet_rows(blocks):
        if isinstance(b, str):
            ws.write(r0, 0, b)
            continue
        for c in b.cells:
            text = multiline_text(c)
            num = as_number(text)
            value, st = (num[0], style(num[1])) if num else (text, style("General"))
            if c.row_span > 1 or c.col_span > 1:
                ws.write_merge(r0 + c.row, r0 + c.row + c.row_span - 1, c.col, c.col + c.col_span - 1, value, st)
            else:
                ws.write(r0 + c.row, c.col, value, st)
    wb.save(str(path))
    return path


# --------------------------------------------------------------------------- web page


def _html_table(t: TableBlock) -> str:
    out = ['<table border="1" cellspacing="0">']
    for row in t.rows():
        out.append("<tr>")
        for c in row:
            attrs = (f' rowspan="{c.row_span}"' if c.row_span > 1 else "") + (f' colspan="{c.col_span}"' if c.col_span > 1 else "")
            inner = "<br>".join(escape(ln) for ln in c.text.split("\n") if ln.strip())
            for nt in c.nested:
                inner += '<table border="1">' + "".join(
                    "<tr>" + "".join(f"<td>{escape(x)}</td>" for x in r) + "</tr>" for r in nt) + "</table>"
            out.append(f"<td{attrs}>{inner}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(blocks: list[Block], path: Path) -> Path:
    body = [f"<p>{escape(b)}</p>" if isinstance(b, str) else _html_table(b) for b in blocks if not isinstance(b, str) or b.strip()]
    page = ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>项目支出绩效自评报告</title></head>\n<body>\n'
            + "\n".join(body) + "\n</body></html>\n")
    path.write_text(page, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- PDF


def cjk_font() -> str | None:
    """A CJK TrueType font for fpdf2, if one is installed."""
    for pattern in ("/usr/share/fonts/**/*[Ww]qy*.tt[fc]", "/usr/share/fonts/**/*CJK*.tt[fc]",
                    "/usr/share/fonts/**/*[Hh]ei*.ttf", "/usr/share/fonts/**/*[Ss]ong*.ttf"):
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    return None


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert(src: Path, fmt: str, out_dir: Path, timeout: int = 180) -> Path:
    """``soffice --headless --convert-to fmt`` with a private profile (other soffice runs
    on the machine neither block nor break it)."""
    exe = soffice()
    if not exe:
        raise FileNotFoundError("soffice not on PATH")
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(out_dir), str(src)],
                       check=True, capture_output=True, timeout=timeout)
    out = out_dir / (src.stem + "." + fmt.split(":")[0])
    if not out.exists():
        raise FileNotFoundError(f"soffice wrote no {out.name}")
    return out


def render_pdf_fpdf(blocks: list[Block], path: Path, font: str) -> Path:
    """A text PDF drawn with fpdf2: paragraphs as wrapped text, each table as a ruled grid
    on one page, a merged cell drawn as one box over the rows and columns it spans."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=8)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    line_h = 4.0
    for b in blocks:
        if isinstance(b, str):
            if b.strip():
                pdf.multi_cell(width, 5, b, new_x="LMARGIN", new_y="NEXT")
            continue
        colw = width / b.n_cols

        def lines(c: TCell) -> int:
            return len(pdf.multi_cell(colw * c.col_span - 1, line_h, multiline_text(c), dry_run=True, output="LINES"))

        heights = [line_h + 1.0] * b.n_rows
        for c in b.cells:
            if c.row_span == 1:
                heights[c.row] = max(heights[c.row], lines(c) * line_h + 1.0)
        for c in b.cells:  # a merged cell taller than its rows: the last row grows
            need = lines(c) * line_h + 1.0 - sum(heights[c.row:c.row + c.row_span])
            if need > 0:
                heights[c.row + c.row_span - 1] += need
        if pdf.get_y() + sum(heights) > pdf.h - 15:
            pdf.add_page()
        top = pdf.get_y()
        for c in b.cells:
            x = pdf.l_margin + c.col * colw
            y = top + sum(heights[:c.row])
            pdf.rect(x, y, colw * c.col_span, sum(heights[c.row:c.row + c.row_span]))
            pdf.set_xy(x + 0.5, y + 0.5)
            pdf.multi_cell(colw * c.col_span - 1, line_h, multiline_text(c))
        pdf.set_xy(pdf.l_margin, top + sum(heights) + 2)
    pdf.output(str(path))
    return path


def render_pdf(docx_path: Path, blocks: list[Block], path: Path) -> Path:
    """LibreOffice's PDF of the .docx when soffice is installed, else fpdf2 with a CJK font."""
    if soffice():
        with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as tmp:
            src = Path(tmp) / (path.stem + ".docx")
            shutil.copyfile(docx_path, src)
            out = soffice_convert(src, "pdf", Path(tmp))
            shutil.move(str(out), path)
        return path
    font = cjk_font()
    if not font:
        raise FileNotFoundError("no soffice and no CJK font under /usr/share/fonts")
    return render_pdf_fpdf(blocks, path, font)


def render_scan(pdf_path: Path, path: Path, dpi: int = 200) -> Path:
    """An image-only PDF: every page of ``pdf_path`` rasterised at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        images = [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()
    when = time.gmtime(1704186000)  # fixed (2024-01-02 09:00 UTC): the same pages give the same bytes
    images[0].save(str(path), "PDF", resolution=float(dpi), save_all=True, append_images=images[1:],
                   creationDate=when, modDate=when)
    return path


# --------------------------------------------------------------------------- flattened text


def _visible_rows(t: TableBlock) -> list[list[str]]:
    """Per row, the texts of the cells that start in it (merged continuations left out)."""
    return [[flat_text(c) for c in row] for row in t.rows()]


def render_text(blocks: list[Block], path: Path, table_lines) -> Path:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, str):
            if b.strip():
                lines.append(b)
        else:
            lines.extend(table_lines(b))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pipe_lines(t: TableBlock) -> list[str]:
    return ["| " + " | ".join(row) + " |" for row in _visible_rows(t)]


def oneline_lines(t: TableBlock) -> list[str]:
    return [" ".join(x for x in row if x) for row in _visible_rows(t)]


def oneline_table_lines(t: TableBlock) -> list[str]:
    return [" ".join(x for row in _visible_rows(t) for x in row if x)]


def cellline_lines(t: TableBlock, blank: bool = False) -> list[str]:
    cells = [x for row in _visible_rows(t) for x in row if x]
    if not blank:
        return cells
    out: list[str] = []
    for x in cells:
        out += [x, ""]
    return out[:-1]


# --------------------------------------------------------------------------- all carriers

TEXT_CARRIERS = {
    "pipe": pipe_lines,
    "oneline": oneline_lines,
    "oneline_table": oneline_table_lines,
    "cellline": cellline_lines,
    "cellline_blank": lambda t: cellline_lines(t, blank=True),
}
CARRIERS = ("docx", "xlsx", "xls", "html", "pdf", "pdf_fpdf", "scan", *TEXT_CARRIERS)
SUFFIX = {"docx": ".docx", "xlsx": ".xlsx", "xls": ".xls", "html": ".html", "pdf": ".pdf", "pdf_fpdf": ".pdf", "scan": ".pdf"}


@dataclass
class Missing:
    """A carrier that could not be rendered because a tool is absent."""

    reason: str


def render(carrier: str, docx_path: Path, out_dir: Path, blocks: list[Block] | None = None) -> Path:
    """Render one carrier of ``docx_path`` into ``out_dir``; the file is named after the
    report and the carrier. Raises FileNotFoundError when a needed tool is absent."""
    blocks = read_blocks(docx_path) if blocks is None else blocks
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{docx_path.stem}.{carrier}{SUFFIX.get(carrier, '.txt')}"
    if carrier == "docx":
        shutil.copyfile(docx_path, path)
        return path
    if carrier == "xlsx":
        return render_xlsx(blocks, path)
    if carrier == "xls":
        return render_xls(blocks, path)
    if carrier == "html":
        return render_html(blocks, path)
    if carrier == "pdf":
        return render_pdf(docx_path, blocks, path)
    if carrier == "pdf_fpdf":  # a second PDF producer, and the one used without LibreOffice
        font = cjk_font()
        if not font:
            raise FileNotFoundError("no CJK font under /usr/share/fonts")
        return render_pdf_fpdf(blocks, path, font)
    if carrier == "scan":
        text_pdf = out_dir / f"{docx_path.stem}.pdf.pdf"
        if not text_pdf.exists():
            render_pdf(docx_path, blocks, text_pdf)
        return render_scan(text_pdf, path)
    return render_text(blocks, path, TEXT_CARRIERS[carrier])


def render_all(docx_path: str | Path, out_dir: str | Path, carriers=CARRIERS) -> dict[str, Path | Missing]:
    """Every carrier of one .docx report: ``{carrier: path or Missing(reason)}``."""
    docx_path, out_dir = Path(docx_path), Path(out_dir)
    blocks = read_blocks(docx_path)
    out: dict[str, Path | Missing] = {}
    for carrier in carriers:
        try:
            out[carrier] = render(carrier, docx_path, out_dir, blocks)
        except FileNotFoundError as exc:
            out[carrier] = Missing(str(exc))
    return out


if __name__ == "__main__":  # render one report: python tests/carriers.py examples/02_….docx /tmp/out
    import sys

    for k, v in render_all(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else os.getcwd()).items():
        print(f"{k:16s} {v}")
