"""The web-page reader on real pages written here: a county-site page holding a 自评表
(rowspan/colspan, a layout table around it, banner/nav/footer chrome), GBK pages, a saved
.mht page, a page without tables and garbage pages."""

from __future__ import annotations

import quopri
import shutil
import subprocess
import time
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from test_ingest_sheets import assert_same_report

from reviewer.ingest import SUPPORTED_EXTENSIONS, read_document
from reviewer.models import ReadError, SourceDocument
from reviewer.parse import parse_source

FORM = """
<table border="1" cellspacing="0">
<tr><td colspan="8" align="center"><b>项目支出绩效自评表</b></td></tr>
<tr><td colspan="8">（2023年度）</td></tr>
<tr><td>项目名称</td><td colspan="7">农村饮水安全巩固提升工程</td></tr>
<tr><td>主管部门</td><td colspan="3">某县水务局</td><td>实施单位</td><td colspan="3">某县农村供水站</td></tr>
<tr><td rowspan="5">项目资金（万元）</td><td>&nbsp;</td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td>
<td>分值</td><td>执行率</td><td>得分</td></tr>
<tr><td>年度资金总额</td><td>100</td><td>120</td><td>115</td><td>10</td><td>95.83%</td><td>9.58</td></tr>
<tr><td>其中：财政拨款</td><td>100</td><td>110</td><td>106</td><td></td><td>96.36%</td><td></td></tr>
<tr><td>上年结转</td><td>0</td><td>10</td><td>9</td><td></td><td>90%</td><td></td></tr>
<tr><td>其他资金</td><td>0</td><td>0</td><td>0</td><td></td><td></td><td></td></tr>
<tr><td>年度总体目标</td><td colspan="7">完成5处供水工程建设，受益人口2万人。</td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>年度指标值</th><th>实际完成值</th><th>分值</th>
<th>得分</th><th>偏差原因分析及改进措施</th></tr>
<tr><td rowspan="4">产出指标</td><td rowspan="2">数量指标</td><td>新建供水工程</td><td>≥5处</td><td>5处</td>
<td>15</td><td>15</td><td></td></tr>
<tr><td>受益人口</td><td>≥2万人</td><td>2.1万人</td><td>15</td><td>15</td><td></td></tr>
<tr><td>质量指标</td><td>工程验收合格率</td><td>100%</td><td>100%</td><td>15</td><td>15</td><td></td></tr>
<tr><td>时效指标</td><td>完工及时率</td><td>100%</td><td>90%</td><td>15</td><td>12</td>
<td>工期受雨季影响，下一步加强调度。</td></tr>
<tr><td>效益指标</td><td>社会效益指标</td><td>农村自来水普及率提高</td><td>≥1个百分点</td><td>1.2个百分点</td>
<td>20</td><td>20</td><td></td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>受益群众满意度</td><td>≥90%</td><td>95%</td><td>10</td>
<td>10</td><td></td></tr>
<tr><td colspan="5">总分</td><td>100</td><td>96.58</td><td></td></tr>
<tr><td>填报日期</td><td colspan="7">2024-03-15</td></tr>
</table>
"""

CHROME_WORDS = ("门户网站", "首页", "政务公开", "当前位置", "索引号", "发布机构", "浏览量", "栏目导航", "分享到",
                "版权所有", "网站标识码", "var nav", "color:red")


def county_page(charset: str = "utf-8") -> str:
    """A county government page: banner, nav menu, breadcrumb, a layout table with a side
    menu, the 索引号/发布机构 info block, the form, a share bar and a footer."""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>某县2023年度项目支出绩效自评表_某县人民政府门户网站</title>
<style>.x {{ color:red }}</style><script>var nav = "首页";</script></head>
<body>
<div id="top-banner">某县人民政府门户网站 欢迎您</div>
<ul class="main-nav"><li><a href="/">首页</a></li><li>政务公开</li><li>政策解读</li></ul>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 财政信息</div>
<table width="1000"><tr><td class="left-menu">栏目导航 财政预决算</td><td>
<div class="xxgk-info"><span>索引号：11620000/2024-00123</span> <span>发布机构：某县财政局</span>
<span>发布日期：2024-03-15</span> <span>浏览量：1024</span></div>
{FORM}
<p>填报单位：某县农村供水站&nbsp;&nbsp;联系电话：0936-1234567</p>
<div class="share-box">分享到：微信 微博</div>
</td></tr></table>
<footer>主办单位：某县人民政府办公室 版权所有</footer>
<div id="footer">网站标识码 6207250001</div>
</body></html>
"""


def _assert_error(path: Path, code: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path)
    err = info.value
    assert err.code == code, str(err)
    assert path.name in str(err)
    return err


def _no_chrome(doc: SourceDocument) -> None:
    for word in CHROME_WORDS:
        assert word not in doc.text, word


def test_county_page_report(tmp_path: Path) -> None:
    path = tmp_path / "自评表.html"
    path.write_text(county_page(), encoding="utf-8")
    doc = read_document(path)
    assert_same_report(doc, "html")
    _no_chrome(doc)
    assert doc.text.endswith("填报单位：某县农村供水站 联系电话：0936-1234567")
    assert doc.encoding == "utf-8"
    report = parse_source(doc).reports[0]
    late = report.indicators[3]
    loc = doc.locate(late.score.start)
    assert loc is not None and loc.kind == "table_cell" and (loc.table, loc.row, loc.col) == (0, 14, 6)
    assert loc.label() == "表1·R15·C7"
    tail = doc.locate(doc.text.index("联系电话"))
    assert tail is not None and tail.kind == "paragraph"
    table = doc.tables[0]
    assert table.rows[0][0].col_span == 8
    assert [c.merged_up for c in (row[0] for row in table.rows[12:15])] == [True, True, True]


@pytest.mark.parametrize("declared", ["gb2312", "GBK", "utf-8"])
def test_gbk_page(tmp_path: Path, declared: str) -> None:
    """GBK bytes; the meta charset says gb2312/GBK (honoured) or wrongly utf-8 (detected)."""
    path = tmp_path / "gbk.htm"
    path.write_bytes(county_page(declared).encode("gbk"))
    doc = read_document(path)
    assert_same_report(doc, "html")
    _no_chrome(doc)
    assert doc.encoding == "gb18030"
    if declared == "utf-8":
        assert any("gb18030" in w for w in doc.warnings)


def test_saved_mht_page(tmp_path: Path) -> None:
    msg = MIMEMultipart("related", type="text/html")
    msg["Subject"] = Header("项目支出绩效自评表", "utf-8")
    msg["Content-Location"] = "http://www.example.gov.cn/zfxxgk/123.html"
    part = MIMEText(county_page("gb2312"), "html", "gb2312")  # GB2312 declared in the part
    msg.attach(part)
    css = MIMEText("body { font-size: 14px }", "css", "utf-8")
    msg.attach(css)
    path = tmp_path / "保存的网页.mht"
    path.write_bytes(msg.as_bytes())
    doc = read_document(path)
    assert_same_report(doc, "html")
    _no_chrome(doc)
    assert "font-size" not in doc.text
    assert {".html", ".htm", ".mht", ".mhtml"} <= set(SUPPORTED_EXTENSIONS)


def test_chrome_style_mhtml(tmp_path: Path) -> None:
    """The shape Chrome's "Save as single file" writes: quoted-printable UTF-8, no charset
    on the multipart, the page's own meta charset inside."""
    body = quopri.encodestring(county_page("utf-8").encode("utf-8")).decode("ascii")
    data = (
        "From: <Saved by Blink>\r\n"
        "Snapshot-Content-Location: http://www.example.gov.cn/zfxxgk/123.html\r\n"
        "Subject: =?utf-8?Q?=E8=87=AA=E8=AF=84=E8=A1=A8?=\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----MultipartBoundary--abc----"\r\n\r\n'
        "------MultipartBoundary--abc----\r\n"
        "Content-Type: text/html\r\n"
        "Content-ID: <frame-1@mhtml.blink>\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: http://www.example.gov.cn/zfxxgk/123.html\r\n\r\n"
        + body.replace("\n", "\r\n") +
        "\r\n------MultipartBoundary--abc------\r\n"
    )
    path = tmp_path / "page.mhtml"
    path.write_bytes(data.encode("ascii"))
    doc = read_document(path)
    assert_same_report(doc, "html")
    _no_chrome(doc)
    renamed = tmp_path / "page.txt"  # content wins over the extension
    renamed.write_bytes(data.encode("ascii"))
    assert read_document(renamed).format == "html"


def test_page_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("""<html><body><nav>首页 | 政务公开</nav>
<article><header><h1>某县2023年度农村饮水安全项目支出绩效自评报告</h1></header>
<p>一、项目基本情况</p><p>项目全年预算数为120万元，<br>全年执行数为115万元。</p>
<ul><li>新建供水工程5处；</li><li>受益人口2.1万人。</li></ul>
<div class="content"><div><p>二、存在问题</p>  <p>  资金拨付   进度偏慢。 </p></div></div>
</article><div class="footer-wrap">版权所有</div></body></html>""", encoding="utf-8")
    doc = read_document(path)
    assert doc.tables == []
    assert doc.text.split("\n") == [
        "某县2023年度农村饮水安全项目支出绩效自评报告",
        "一、项目基本情况",
        "项目全年预算数为120万元，",
        "全年执行数为115万元。",
        "新建供水工程5处；",
        "受益人口2.1万人。",
        "二、存在问题",
        "资金拨付 进度偏慢。",
    ]
    loc = doc.locate(doc.text.index("二、存在问题"))
    assert loc is not None and loc.kind == "paragraph"


def test_nested_tables(tmp_path: Path) -> None:
    """A real table whose cell holds a sub-table: both are tables, the inner one nested."""
    path = tmp_path / "nested.html"
    path.write_text("""<html><body><table>
<tr><td>名称</td><td>说明</td></tr>
<tr><td>慰问</td><td>明细如下：<table><tr><td>项目</td><td>金额</td></tr><tr><td>慰问金</td><td>5.2</td></tr></table></td></tr>
<tr><td>合计</td><td>5.2</td></tr>
</table></body></html>""", encoding="utf-8")
    doc = read_document(path)
    assert len(doc.tables) == 2
    outer, inner = doc.tables
    assert inner.nested_in == outer.index == 0
    assert [[c.text for c in row] for row in outer.rows] == [["名称", "说明"], ["慰问", "明细如下："], ["合计", "5.2"]]
    assert [[c.text for c in row] for row in inner.rows] == [["项目", "金额"], ["慰问金", "5.2"]]
    loc = doc.locate(doc.text.index("慰问金"))
    assert loc is not None and (loc.table, loc.row, loc.col) == (1, 1, 0)


def test_html_named_xls_is_read_as_html(tmp_path: Path) -> None:
    """Many systems export "Excel" files that are really HTML tables."""
    path = tmp_path / "导出.xls"
    path.write_text("<html><head><meta charset='utf-8'></head><body>" + FORM + "</body></html>", encoding="utf-8")
    assert_same_report(read_document(path), "html")


@pytest.mark.parametrize("body", [
    b"",
    b"<html><head><title>x</title></head><body><script>var a=1;</script></body></html>",
    b"<!DOCTYPE html><html><body><nav>menu</nav><div>   &nbsp; </div></body></html>",
])
def test_empty_pages(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "空.html"
    path.write_bytes(body)
    _assert_error(path, "empty")


def test_binary_named_html(tmp_path: Path) -> None:
    path = tmp_path / "乱码.html"
    path.write_bytes(bytes(range(256)) * 16)
    _assert_error(path, "binary")


def test_mht_without_html_part(tmp_path: Path) -> None:
    msg = MIMEMultipart("related")
    msg.attach(MIMEText("body { color: red }", "css", "utf-8"))
    path = tmp_path / "坏.mht"
    path.write_bytes(msg.as_bytes())
    _assert_error(path, "empty")


def test_form_rows_with_chrome_like_classes_are_kept(tmp_path: Path) -> None:
    """``class="header"`` on a form's own rows is not site chrome."""
    page = FORM.replace("<tr><th>一级指标</th>", '<tr class="header"><th class="header">一级指标</th>')
    page = page.replace('<tr><td colspan="5">总分</td>', '<tr class="footer"><td colspan="5">总分</td>')
    path = tmp_path / "classes.html"
    path.write_text(f"<html><body>{page}</body></html>", encoding="utf-8")
    assert_same_report(read_document(path), "html")


def test_huge_table_is_bounded(tmp_path: Path) -> None:
    rows = "".join(f"<tr><td>{i}</td><td>项目{i}</td><td>{i * 1.5}</td></tr>" for i in range(50_000))
    path = tmp_path / "big.html"
    path.write_text(f"<html><body><p>明细</p><table>{rows}</table></body></html>", encoding="utf-8")
    t0 = time.perf_counter()
    doc = read_document(path)
    assert time.perf_counter() - t0 < 30
    assert any("只读取了前" in w for w in doc.warnings), doc.warnings


def test_docx_saved_as_html_by_libreoffice_reads_like_the_docx(tmp_path: Path) -> None:
    """Writer's HTML export of the .docx fixture (merged cells, a nested table, content
    controls): the same linear text and tables as the .docx reader gives."""
    from fixtures_ingest import build_report_docx

    source = build_report_docx(tmp_path / "report.docx")
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "html",
                    "--outdir", str(tmp_path), str(source)], check=False, timeout=180, capture_output=True)
    page = tmp_path / "report.html"
    if not page.exists():
        pytest.skip("LibreOffice Writer could not convert the .docx")
    want, got = read_document(source), read_document(page)
    # Writer's HTML keeps tracked deletions as plain text; the .docx reader leaves them out.
    assert got.text.replace("100%90%", "100%") == want.text
    assert [t.nested_in for t in got.tables] == [t.nested_in for t in want.tables] == [None, None, 1, None]
    grids = [[[c.text for c in row] for row in t.rows] for t in got.tables]
    wanted = [[[c.text for c in row] for row in t.rows] for t in want.tables]
    # The .docx reader renders a nested table inside its outer cell's text; the page reader
    # renders it right after the outer table (same linear text here), as its own table only.
    assert wanted[1][1][1] == "明细如下：\n项目\t金额\n慰问金\t5.2"
    wanted[1][1][1] = "明细如下："
    assert grids == wanted
