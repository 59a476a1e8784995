"""Text PDFs whose 自评表 is a ruled table (made with fpdf2, cell borders drawn as
rectangles) are read by pdfplumber into real tables: funds and indicator rows parse
with the right numbers, and every cell knows its page and box."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from fpdf import FPDF

from reviewer.ingest import read_document
from reviewer.parse import parse_source

try:
    from fixtures_ingest import check_invariants
except ImportError:  # tests/ imported as a package
    from tests.fixtures_ingest import check_invariants

CJK_FONTS = sorted(f for pattern in ("/usr/share/fonts/**/*[Ww]qy*.tt[fc]", "/usr/share/fonts/**/*CJK*.tt[fc]",
                                     "/usr/share/fonts/**/*[Hh]ei*.ttf", "/usr/share/fonts/**/*[Ss]ong*.ttf")
                   for f in glob.glob(pattern, recursive=True))
needs_cjk = pytest.mark.skipif(not CJK_FONTS, reason="no CJK TrueType font installed")

# Grid columns of the form (mm): 9 columns over the 190 mm between the margins.
WIDTHS = [16, 22, 24, 34, 22, 22, 12, 12, 26]
ROW_H = 8.0

FUNDS = [  # name, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
    ("年度资金总额", "180.00", "186.40", "181.62", "10", "97.44%", "9.74"),
    ("其中：当年财政拨款", "165.00", "171.40", "166.62", "—", "—", "—"),
    ("上年结转资金", "15.00", "15.00", "15.00", "—", "—", "—"),
    ("其他资金", "0.00", "0.00", "0.00", "—", "—", "—"),
]
# 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因 ("" under a merged 一级/二级)
INDICATORS = [
    ("产出指标", "数量指标", "维修集中供水工程", "≥42处", "42处", "8", "8", ""),
    ("", "", "更换入户水表", "≥1500块", "1560块", "8", "8", ""),
    ("", "", "改造输配水管网", "≥18公里", "13.5公里", "6", "4.5", "2段未完工"),
    ("", "质量指标", "工程验收合格率", "=100%", "100%", "8", "8", ""),
    ("", "", "供水水质达标率", "≥95%", "97.8%", "6", "6", ""),
    ("", "时效指标", "完工及时率", "100%", "100%", "6", "6", ""),
    ("", "成本指标", "单处平均维修成本", "≤3.20万元", "2.87万元", "8", "8", ""),
    ("效益指标", "社会效益指标", "受益农村人口", "≥3.60万人", "3.42万人", "10", "9.5", "管段未改造"),
    ("", "", "农村自来水普及率", "≥92%", "92.6%", "10", "10", ""),
    ("", "可持续影响指标", "管护台账建立率", "=100%", "100%", "10", "10", ""),
    ("满意度指标", "服务对象满意度", "受益群众满意度", "≥90%", "96.4%", "10", "10", ""),
]
TOTAL = ("100", "97.74")
WEIGHTS = [float(r[5]) for r in INDICATORS]
SCORES = [float(r[6]) for r in INDICATORS]


def _spans(rows: list[tuple[str, ...]], col: int) -> list[tuple[int, int]]:
    """(first row, row count) of the merged blocks of column ``col`` ("" continues a block)."""
    out: list[tuple[int, int]] = []
    for i, r in enumerate(rows):
        if r[col] or not out:
            out.append((i, 1))
        else:
            out[-1] = (out[-1][0], out[-1][1] + 1)
    return out


def form_cells(split_at: int | None = None) -> list[list[tuple[int, int, int, int, str]]]:
    """The form as (row, col, row_span, col_span, text) per page; ``split_at`` moves the
    indicator rows from that index on (and the total) to a second page, with no header."""
    head: list[tuple[int, int, int, int, str]] = [
        (0, 0, 1, 1, "项目名称"), (0, 1, 1, 8, "2023年度农村饮水安全工程维修养护项目"),
        (1, 0, 1, 1, "主管部门"), (1, 1, 1, 3, "青禾县水利局"), (1, 4, 1, 1, "实施单位"), (1, 5, 1, 4, "青禾县农村供水管理站"),
        (2, 0, 5, 1, "项目资金（万元）"), (2, 1, 1, 2, ""),
    ]
    head += [(2, 3 + k, 1, 1, h) for k, h in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])]
    for i, row in enumerate(FUNDS):
        head.append((3 + i, 1, 1, 2, row[0]))
        head += [(3 + i, 3 + k, 1, 1, v) for k, v in enumerate(row[1:])]
    r = 3 + len(FUNDS)
    head += [(r, 0, 2, 1, "年度总体目标"), (r, 1, 1, 4, "预期目标"), (r, 5, 1, 4, "实际完成情况"),
             (r + 1, 1, 1, 4, "完成42处工程维修养护"), (r + 1, 5, 1, 4, "完成42处，管网改造13.5公里")]
    r += 2
    header_row = r
    head += [(r, 1 + k, 1, 1, h) for k, h in enumerate(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])]
    pages_rows = [INDICATORS] if split_at is None else [INDICATORS[:split_at], INDICATORS[split_at:]]
    pages: list[list[tuple[int, int, int, int, str]]] = []
    for p, rows in enumerate(pages_rows):
        cells = head if p == 0 else []
        first = header_row + 1 if p == 0 else 0
        n_rows = len(rows) + (1 if p == len(pages_rows) - 1 else 0)
        cells.append((first - (1 if p == 0 else 0), 0, n_rows + (1 if p == 0 else 0), 1, "绩效指标" if p == 0 else ""))
        for col in (0, 1):
            for start, n in _spans(rows, col):
                cells.append((first + start, 1 + col, n, 1, rows[start][col]))
        for i, row in enumerate(rows):
            cells += [(first + i, 3 + k, 1, 1, v) for k, v in enumerate(row[2:])]
        if p == len(pages_rows) - 1:
            t = first + len(rows)
            cells += [(t, 1, 1, 5, "总分"), (t, 6, 1, 1, TOTAL[0]), (t, 7, 1, 1, TOTAL[1]), (t, 8, 1, 1, "")]
        pages.append(cells)
    return pages


def draw_grid(pdf: FPDF, cells: list[tuple[int, int, int, int, str]], top: float, left: float = 10.0) -> float:
    """Draw the cells (bordered rectangles with their text); returns the grid's bottom."""
    xs = [left]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    bottom = top
    for r, c, rs, cs, text in cells:
        x, y, w, h = xs[c], top + r * ROW_H, xs[c + cs] - xs[c], rs * ROW_H
        pdf.rect(x, y, w, h)
        bottom = max(bottom, y + h)
        if text:
            lines = pdf.multi_cell(w - 1, 3.6, text, dry_run=True, output="LINES", wrapmode="CHAR")
            pdf.set_xy(x + 0.5, y + (h - 3.6 * len(lines)) / 2)
            pdf.multi_cell(w - 1, 3.6, text, align="C", wrapmode="CHAR")
    return bottom


def build_form_pdf(path: Path, *, split_at: int | None = None, narrative: bool = True) -> Path:
    """A text PDF holding a 项目支出绩效自评表 drawn as a ruled grid."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", fname=CJK_FONTS[0])
    pdf.set_line_width(0.3)
    for p, cells in enumerate(form_cells(split_at)):
        pdf.add_page()
        y = 15.0
        if p == 0:
            pdf.set_font("cjk", size=14)
            pdf.set_xy(10, y)
            pdf.cell(190, 8, "项目支出绩效自评表", align="C")
            pdf.set_font("cjk", size=9)
            pdf.set_xy(10, y + 9)
            pdf.cell(190, 6, "（2023年度）")
            y += 17
        pdf.set_font("cjk", size=7.5)
        bottom = draw_grid(pdf, cells, y)
        if narrative and p == len(form_cells(split_at)) - 1:
            pdf.set_font("cjk", size=10)
            pdf.set_xy(10, bottom + 6)
            pdf.multi_cell(190, 6, "填报单位：青禾县农村供水管理站\n自评结论：项目总体完成较好，自评得分97.74分。")
    pdf.output(str(path))
    return path


def _report(path: Path):
    doc = read_document(path)
    check_invariants(doc)
    parsed = parse_source(doc)
    assert parsed.reports
    return doc, parsed.reports[0]


@needs_cjk
def test_ruled_form_reads_as_tables(tmp_path: Path) -> None:
    doc, rep = _report(build_form_pdf(tmp_path / "form.pdf"))
    assert doc.format == "pdf" and doc.tables
    assert not doc.warnings, doc.warnings
    assert doc.text.startswith("项目支出绩效自评表\n（2023年度）\n项目名称\t")
    total = rep.funds.rows[0]
    assert total.name.text == "年度资金总额"
    assert (total.budget_initial.value, total.budget_full.value, total.executed.value) == (180.0, 186.4, 181.62)
    assert (total.weight.value, total.rate.value, total.score.value) == (10, 97.44, 9.74)
    assert [r.name.text for r in rep.funds.rows] == [f[0] for f in FUNDS]
    assert [r.level3.text for r in rep.indicators] == [r[2] for r in INDICATORS]
    assert [r.weight.value for r in rep.indicators] == WEIGHTS
    assert [r.score.value for r in rep.indicators] == SCORES
    assert [r.level1 for r in rep.indicators][:2] == ["产出指标", "产出指标"]
    assert rep.indicators[7].level2 == "社会效益指标"
    assert rep.indicators[2].reason.text == "2段未完工"
    assert rep.stated_total is not None and rep.stated_total.value == 97.74

    # Every cell is located on page 1 with its box; the merged cells keep their spans.
    loc = doc.locate(total.executed.start)
    assert loc.kind == "table_cell" and loc.page == 1 and loc.table == 0 and loc.box is not None
    x0, y0, x1, y1 = loc.box
    assert 0 < x0 < x1 <= 596 and 0 < y0 < y1 <= 842
    assert loc.label().startswith("第1页·表1·")
    table = doc.tables[0]
    name_row = table.rows[0]
    assert [c.text for c in name_row] == ["项目名称", "2023年度农村饮水安全工程维修养护项目"]
    assert name_row[1].col_span == 8
    assert any(c.merged_up for c in table.rows[3])  # under 项目资金（万元）
    para = doc.locate(doc.text.index("自评结论"))
    assert para.kind == "page" and para.page == 1


@needs_cjk
def test_table_continues_over_page_break(tmp_path: Path) -> None:
    doc, rep = _report(build_form_pdf(tmp_path / "split.pdf", split_at=6))
    assert len([t for t in doc.tables if t.nested_in is None]) == 1, [t.rows[0][0].text for t in doc.tables]
    assert [r.level3.text for r in rep.indicators] == [r[2] for r in INDICATORS]
    assert [r.weight.value for r in rep.indicators] == WEIGHTS
    assert [r.score.value for r in rep.indicators] == SCORES
    assert rep.indicators[6].level2 == "成本指标"
    pages = {doc.locate(r.weight.start).page for r in rep.indicators}
    assert pages == {1, 2}
    assert doc.locate(rep.indicators[-1].score.start).label().startswith("第2页·表1·")


@needs_cjk
def test_form_without_rules_warns(tmp_path: Path) -> None:
    """The same words without cell borders: no table rows can be read, so a warning says so."""
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=CJK_FONTS[0])
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    pdf.multi_cell(190, 6, "项目支出绩效自评表\n项目资金 年初预算数 全年预算数 全年执行数\n"
                           "一级指标 二级指标 三级指标 分值 得分\n以上表格内容略。")
    path = tmp_path / "flat.pdf"
    pdf.output(str(path))
    doc = read_document(path)
    assert doc.format == "pdf" and not doc.tables
    assert any("自评表" in w and "rows" in w for w in doc.warnings), doc.warnings


def _summary(doc) -> list:  # noqa: ANN001
    out = []
    for rep in parse_source(doc).reports:
        funds = [(r.name.text, r.budget_initial and r.budget_initial.value, r.budget_full and r.budget_full.value,
                  r.executed and r.executed.value, r.score and r.score.value) for r in (rep.funds.rows if rep.funds else [])]
        rows = [(r.level1, r.level2, r.level3.text, r.weight and r.weight.value, r.score and r.score.value)
                for r in rep.indicators]
        out.append((funds, rows, rep.stated_total and rep.stated_total.value))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not CJK_FONTS, reason="no CJK TrueType font installed")
def test_word_exported_pdfs_read_like_the_docx(tmp_path: Path) -> None:
    """The example reports exported to PDF by LibreOffice (tables broken over pages, a
    header row and an indicator row cut in two by the page break) read like the .docx."""
    import subprocess

    from reviewer.ingest.office import soffice_path

    exe = soffice_path()
    examples = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.docx"))
    if exe is None or not examples:
        pytest.skip("needs LibreOffice and examples/*.docx")
    subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, examples)], check=True, capture_output=True, timeout=300,
                   stdin=subprocess.DEVNULL)
    for src in examples:
        doc = read_document(tmp_path / (src.stem + ".pdf"))
        check_invariants(doc)
        assert doc.tables and not doc.warnings, (src.name, doc.warnings)
        expected = _summary(read_document(src))
        assert expected[0][0] and expected[0][1]
        assert _summary(doc) == expected, src.name
