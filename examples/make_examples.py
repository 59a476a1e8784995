#!/usr/bin/env python3
"""Generate the synthetic sample reports in examples/.

Writes four .docx reports (python-docx, real merged-cell 项目支出绩效自评表), one
GBK-encoded .txt report, an Excel 自评表 (.xlsx) and a scanned report (image-only PDF); the
last two are rendered with tests/carriers.py (openpyxl; fpdf2 with a CJK font, pypdfium2).
The hand-written UTF-8 .txt samples in this folder are left untouched. Everything here is
fictional (counties, departments, companies, people).

Deterministic and idempotent: no randomness, fixed document properties, and the zip entries
and PDF dates get a fixed timestamp, so running it twice gives byte-identical files.

    python examples/make_examples.py            # (re)write the generated files
    python examples/make_examples.py --check    # also verify merges and expected.json quotes

See examples/EXPECTED.md for the defects planted in each sample.
"""

from __future__ import annotations

import argparse
import copy
import datetime as _dt
import io
import json
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
FIXED_ZIP_TIME = (2024, 1, 2, 9, 0, 0)
NCOLS = 9  # grid columns of the 自评表

# --------------------------------------------------------------------------- helpers


def _set_run_font(run, size=None, bold=None, east_asia="仿宋_GB2312"):
    run.font.name = "Times New Roman"
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def para(doc, text, *, bold=False, size=12, center=False, indent=True, font="仿宋_GB2312"):
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(20)
    if text:
        r = p.add_run(text)
        _set_run_font(r, size=size, bold=bold, east_asia=font)
    return p


def heading(doc, text):
    return para(doc, text, bold=True, size=12, indent=True, font="黑体")


def title(doc, lines):
    for ln in lines:
        para(doc, ln, bold=True, size=16, center=True, font="方正小标宋简体")
    para(doc, "", indent=False)


def _cell_text(cell, text, *, bold=False, center=True, size=9):
    cell.text = ""
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        if i:
            p = cell.add_paragraph()
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if ln:
            r = p.add_run(ln)
            _set_run_font(r, size=size, bold=bold, east_asia="宋体")


def _table_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def selfeval_table(doc, spec):
    """Build a 项目支出绩效自评表 with merges like the MOF 附件2 form.

    spec keys: year_label, name, dept, unit, funds (list of 4 rows: label, 年初, 全年,
    执行, 分值, 执行率, 得分), goal_expected, goal_actual, indicators (list of
    (一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 偏差原因)), total (分值, 得分).
    Returns (table, layout) where layout records the row ranges for verification.
    """
    para(doc, "项目支出绩效自评表", bold=True, size=14, center=True, font="黑体")
    para(doc, spec["year_label"], size=11, center=True)
    inds = spec["indicators"]
    n_rows = 2 + 5 + 2 + 1 + len(inds) + 1
    t = doc.add_table(rows=n_rows, cols=NCOLS)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(t)
    widths = [Cm(0.9), Cm(1.5), Cm(1.9), Cm(3.4), Cm(1.9), Cm(1.9), Cm(1.1), Cm(1.1), Cm(2.8)]
    t.autofit = False
    for gc, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        gc.set(qn("w:w"), str(w.twips))
    for row in t.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = w
    C = t.cell
    r = 0
    # 项目名称
    C(r, 1).merge(C(r, 8))
    _cell_text(C(r, 0), "项目名称")
    _cell_text(C(r, 1), spec["name"])
    r += 1
    # 主管部门 / 实施单位
    C(r, 1).merge(C(r, 3))
    C(r, 5).merge(C(r, 8))
    _cell_text(C(r, 0), "主管部门")
    _cell_text(C(r, 1), spec["dept"])
    _cell_text(C(r, 4), "实施单位")
    _cell_text(C(r, 5), spec["unit"])
    r += 1
    # 项目资金: header + 4 rows, label merged down 5 rows
    funds_top = r
    C(r, 1).merge(C(r, 2))
    for c, h in zip(range(3, 9), ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        _cell_text(C(r, c), h, bold=True)
    for i, row in enumerate(spec["funds"]):
        rr = r + 1 + i
        C(rr, 1).merge(C(rr, 2))
        _cell_text(C(rr, 1), row[0], center=False)
        for c, v in zip(range(3, 9), row[1:]):
            _cell_text(C(rr, c), v)
    C(funds_top, 0).merge(C(funds_top + 4, 0))
    _cell_text(C(funds_top, 0), "项目资金\n（万元）", bold=True)
    r += 5
    # 年度总体目标
    goal_top = r
    C(r, 1).merge(C(r, 4))
    C(r, 5).merge(C(r, 8))
    C(r + 1, 1).merge(C(r + 1, 4))
    C(r + 1, 5).merge(C(r + 1, 8))
    C(r, 0).merge(C(r + 1, 0))
    _cell_text(C(r, 0), "年度总体目标", bold=True)
    _cell_text(C(r, 1), "预期目标", bold=True)
    _cell_text(C(r, 5), "实际完成情况", bold=True)
    _cell_text(C(r + 1, 1), spec["goal_expected"], center=False)
    _cell_text(C(r + 1, 5), spec["goal_actual"], center=False)
    r += 2
    # 绩效指标
    ind_top = r
    for c, h in zip(range(1, 9), ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]):
        _cell_text(C(r, c), h, bold=True)
    first = r + 1
    for i, row in enumerate(inds):
        rr = first + i
        for c, v in zip(range(3, 9), row[2:]):
            _cell_text(C(rr, c), v, center=(c != 3 and c != 8))
    # vertical merges for 一级 (col 1) and 二级 (col 2)
    for col, key in ((1, 0), (2, 1)):
        i = 0
        while i < len(inds):
            j = i
            while j + 1 < len(inds) and inds[j + 1][key] == inds[i][key] and (key == 0 or inds[j + 1][0] == inds[i][0]):
                j += 1
            if j > i:
                C(first + i, col).merge(C(first + j, col))
            _cell_text(C(first + i, col), inds[i][key])
            i = j + 1
    last = first + len(inds) - 1
    C(ind_top, 0).merge(C(last, 0))
    _cell_text(C(ind_top, 0), "绩\n效\n指\n标", bold=True)
    r = last + 1
    # 总分
    C(r, 0).merge(C(r, 5))
    _cell_text(C(r, 0), "总分", bold=True)
    _cell_text(C(r, 6), spec["total"][0])
    _cell_text(C(r, 7), spec["total"][1])
    _cell_text(C(r, 8), "")
    layout = {"funds_top": funds_top, "goal_top": goal_top, "ind_top": ind_top, "first": first,
              "last": last, "total_row": r, "indicators": inds}
    return t, layout


def wrap_in_sdt(table, alias, tag, sdt_id):
    """Move a table into a block-level content control (w:sdt), as Word templates do."""
    tbl = table._tbl
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    a = OxmlElement("w:alias")
    a.set(qn("w:val"), alias)
    tg = OxmlElement("w:tag")
    tg.set(qn("w:val"), tag)
    i = OxmlElement("w:id")
    i.set(qn("w:val"), str(sdt_id))
    pr.extend([a, tg, i])
    content = OxmlElement("w:sdtContent")
    sdt.append(pr)
    sdt.append(content)
    tbl.addprevious(sdt)
    content.append(tbl)
    return sdt


def add_tracked_insertion(paragraph, inserted, after, author, date, rid=1):
    """Append a w:ins (tracked insertion) run, then ordinary text, to a paragraph."""
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), str(rid))
    ins.set(qn("w:author"), author)
    ins.set(qn("w:date"), date)
    base = paragraph.runs[0]._r if paragraph.runs else None
    r = OxmlElement("w:r")
    if base is not None and base.rPr is not None:
        r.append(copy.deepcopy(base.rPr))
    t = OxmlElement("w:t")
    t.text = inserted
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    ins.append(r)
    paragraph._p.append(ins)
    if after:
        run = paragraph.add_run(after)
        _set_run_font(run, size=12)


def new_document(author, when):
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(2.2)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.2)
    cp = doc.core_properties
    cp.author = author
    cp.last_modified_by = author
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    cp.title = ""
    cp.comments = ""
    return doc


def save_deterministic(doc, path: Path):
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, src.read(info.filename))
    data = out.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def narrative(doc, blocks):
    """blocks: list of (kind, text); kind 'h' heading, 'p' paragraph, 't' title lines."""
    for kind, text in blocks:
        if kind == "h":
            heading(doc, text)
        else:
            para(doc, text)


# --------------------------------------------------------------------------- report 01 (clean)


def report_01():
    """青禾县水利局 农村饮水安全工程维修养护 — the clean sample (no planted defects).
    Word quirk: a tracked insertion (w:ins) in the 满意度 paragraph."""
    when = _dt.datetime(2023, 12, 28, 10, 0, 0)
    doc = new_document("青禾县水利局", when)
    title(doc, ["青禾县水利局", "2023年度农村饮水安全工程维修养护项目支出绩效自评报告"])
    narrative(doc, [
        ("p", "根据《青禾县财政局关于开展2023年度项目支出绩效自评工作的通知》（青财绩〔2023〕21号）要求，我局对2023年度农村饮水安全工程维修养护项目开展了绩效自评，现将有关情况报告如下："),
        ("h", "一、基本情况"),
        ("h", "（一）项目概况"),
        ("p", "全县现有农村集中供水工程42处，覆盖12个乡镇、3.60万农村人口。部分工程建成已超过10年，管网漏损、水表老化问题突出。2023年我局安排农村饮水安全工程维修养护资金，对42处集中供水工程实施维修养护，更换入户水表1500块，改造老旧输配水管网18公里，并委托第三方开展水质检测。项目实施单位为青禾县农村供水管理站。"),
        ("h", "（二）项目绩效目标"),
        ("p", "2023年完成42处集中供水工程维修养护，更换入户水表不少于1500块，改造输配水管网不少于18公里，维修工程验收合格率100%，集中供水工程水质达标率不低于95%，受益农村人口不少于3.60万人，受益群众满意度不低于90%。"),
        ("h", "二、项目资金使用及管理情况"),
        ("p", "2023年该项目年初预算180.00万元，其中当年财政拨款165.00万元、上年结转资金15.00万元。2023年8月县财政追加水质检测经费6.40万元，全年预算数186.40万元。全年执行数181.62万元，预算执行率97.44%。"),
        ("p", "资金支出明细：工程维修养护费120.54万元；入户水表购置及安装费43.68万元（1560块×280元）；水质检测费17.40万元；合计181.62万元。未执行的4.78万元为石桥镇2段输配水管网改造的材料款，因工程顺延至2024年实施，已按规定办理结转。项目资金实行专账核算，支付均经县农村供水管理站、局财务股两级审核，未发现截留、挪用情况。"),
        ("h", "三、绩效目标完成情况"),
        ("p", "（一）产出指标。全年完成42处集中供水工程维修养护，更换入户水表1560块；改造输配水管网13.5公里，完成年度目标的75%。42处维修工程均通过验收，验收合格率100%；全年水质检测合格率97.8%。维修养护工程于2023年11月20日全部完工，12月8日完成验收。单处工程平均维修成本2.87万元（120.54万元÷42处），低于3.20万元的控制标准。"),
        ("p", "（二）效益指标。项目受益农村人口3.42万人，较目标少0.18万人，主要是石桥镇下湾村、柳溪村约1800人所在管段未改造；全县农村自来水普及率达到92.6%；42处工程全部建立管护台账。"),
    ])
    p = para(doc, "（三）满意度指标。")
    add_tracked_insertion(
        p,
        "11月我局委托县农村供水协会开展入户问卷调查，发放问卷320份，回收有效问卷306份，其中表示满意或基本满意的295份，",
        "受益群众满意度为96.4%。",
        author="李晓芸", date="2023-12-27T09:30:00Z",
    )
    narrative(doc, [
        ("h", "四、自评结论"),
        ("p", "按照项目支出绩效自评表逐项打分，本项目预算执行率得分9.74分，产出指标得分48.50分，效益指标得分29.50分，满意度指标得分10分，自评得分97.74分，等级为“优”。"),
        ("h", "五、存在的问题"),
        ("p", "1.管网改造未全部完成。石桥镇下湾村、柳溪村2段共4.5公里输配水管网与县道X312拓宽工程线位交叉，需待道路红线确定后施工，年内仅完成管网改造13.5公里，完成率75%，涉及约1800人的供水改善推迟，相应4.78万元资金未能执行。"),
        ("p", "2.部分工程日常管护力量薄弱。42处工程中有9处由村干部兼任管护员，2023年第三季度抽查发现其中5处巡查记录不完整。"),
        ("h", "六、改进措施"),
        ("p", "1.由局农村水利股牵头，与县交通运输局对接X312施工进度，于2024年6月30日前完成剩余4.5公里管网改造，结转资金4.78万元专款用于该段工程。"),
        ("p", "2.由县农村供水管理站负责，于2024年3月31日前与9处兼职管护工程所在村签订管护责任书，落实每月至少2次巡查并按月报送巡查记录，局农村水利股每季度抽查1次。"),
    ])
    funds = [
        ("年度资金总额", "180.00", "186.40", "181.62", "10", "97.44%", "9.74"),
        ("其中：当年财政拨款", "165.00", "171.40", "166.62", "—", "—", "—"),
        ("上年结转资金", "15.00", "15.00", "15.00", "—", "—", "—"),
        ("其他资金", "0.00", "0.00", "0.00", "—", "—", "—"),
    ]
    inds = [
        ("产出指标", "数量指标", "指标1：维修养护集中供水工程数量", "≥42处", "42处", "8", "8", ""),
        ("产出指标", "数量指标", "指标2：更换入户水表数量", "≥1500块", "1560块", "8", "8", ""),
        ("产出指标", "数量指标", "指标3：改造输配水管网长度", "≥18公里", "13.5公里", "6", "4.5",
         "石桥镇2段4.5公里管网与县道X312拓宽工程线位交叉，顺延至2024年6月底前实施，结转资金4.78万元专款使用。"),
        ("产出指标", "质量指标", "指标1：维修工程验收合格率", "=100%", "100%", "8", "8", ""),
        ("产出指标", "质量指标", "指标2：集中供水工程水质达标率", "≥95%", "97.8%", "6", "6", ""),
        ("产出指标", "时效指标", "指标1：维修养护工程完工时间", "2023年11月30日前", "2023年11月20日", "6", "6", ""),
        ("产出指标", "成本指标", "指标1：单处工程平均维修成本", "≤3.20万元", "2.87万元", "8", "8", ""),
        ("效益指标", "社会效益指标", "指标1：受益农村人口", "≥3.60万人", "3.42万人", "10", "9.5",
         "未改造管段涉及约1800人，待2024年管网改造完成后受益。"),
        ("效益指标", "社会效益指标", "指标2：农村自来水普及率", "≥92%", "92.6%", "10", "10", ""),
        ("效益指标", "可持续影响指标", "指标1：建立管护台账的工程比例", "=100%", "100%", "10", "10", ""),
        ("满意度指标", "服务对象满意度指标", "指标1：受益群众满意度", "≥90%", "96.4%", "10", "10", ""),
    ]
    t, layout = selfeval_table(doc, {
        "year_label": "（2023年度）",
        "name": "2023年度农村饮水安全工程维修养护项目",
        "dept": "青禾县水利局",
        "unit": "青禾县农村供水管理站",
        "funds": funds,
        "goal_expected": "完成42处集中供水工程维修养护，更换入户水表不少于1500块，改造输配水管网不少于18公里；维修工程验收合格率100%，水质达标率不低于95%；受益农村人口不少于3.60万人，受益群众满意度不低于90%。",
        "goal_actual": "完成42处集中供水工程维修养护，更换入户水表1560块，改造输配水管网13.5公里（剩余4.5公里顺延至2024年）；验收合格率100%，水质达标率97.8%；受益农村人口3.42万人，受益群众满意度96.4%。",
        "indicators": inds,
        "total": ("100", "97.74"),
    })
    para(doc, "青禾县水利局", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "2023年12月28日", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc, [(t, layout)]


# --------------------------------------------------------------------------- report 02


def report_02():
    """云岭县政务服务中心 12345热线运维 — 自评表 inside a content control (w:sdt)."""
    when = _dt.datetime(2024, 1, 18, 15, 20, 0)
    doc = new_document("云岭县政务服务中心", when)
    title(doc, ["云岭县政务服务中心", "2023年度12345政务服务便民热线运维项目支出绩效自评报告"])
    narrative(doc, [
        ("p", "按照云岭县财政局《关于做好2023年度部门预算项目支出绩效自评工作的通知》要求，我中心成立绩效自评工作小组，对12345政务服务便民热线运维项目开展了自评，现报告如下："),
        ("h", "一、基本情况"),
        ("p", "云岭县12345政务服务便民热线于2021年开通，实行“一号对外、集中受理、分类处置、统一督办”。2023年热线设置12个坐席，7×24小时受理群众来电，坐席服务通过政府采购委托云岭县智联通信服务有限公司承担，热线平台及知识库运维由我中心信息股负责。"),
        ("h", "二、项目资金情况"),
        ("p", "2023年该项目年初预算96.00万元，全年预算数98.50万元，全年执行数86.19万元。其中坐席外包服务费72.00万元、平台运维费14.19万元。"),
        ("p", "坐席外包服务合同金额144.00万元，服务期为2023年1月1日至2024年12月31日，按季度支付，本年度已支付72.00万元，占合同金额的45%。"),
        ("h", "三、绩效目标完成情况"),
        ("p", "全年受理群众来电4.8万件，转派工单1.95万件，工单按时办结率76%，群众诉求办结率72%；紧急工单平均响应时间36分钟。来电接通率93.2%，平台全年正常运行率99.6%。来电群众满意度通过工单办结后电话回访测评，全年回访1.21万件，满意率81%。"),
        ("h", "四、自评结论"),
        ("p", "经自评，本项目自评得分88.5分，等级为“优”。"),
        ("h", "五、存在的问题"),
        ("p", "一是来电量低于年初预期。2023年6月起110非警务类来电分流至12345，但县内政务事项咨询大量转向“云岭通”小程序，全年来电4.8万件，仅为目标的80%。二是工单按时办结率、诉求办结率偏低，全年超期工单4680件，其中住建、市场监管等6个承办单位占2164件。三是知识库更新滞后，全年仅更新600条，为目标的50%。四是全年预算结余12.31万元，主要是原计划外包的知识库运维服务因需求调整未完成采购。"),
        ("h", "六、改进措施"),
        ("p", "一是由中心督办股负责，2024年3月底前建立超期工单“周通报、月约谈”机制，对超期工单最多的6个承办单位实行专项督办；二是由信息股负责，2024年每月更新知识库不少于100条；三是2024年4月起将小程序咨询量纳入热线受理量统计口径，合理设置年度指标值；四是由中心办公室负责，2024年5月底前完成知识库运维服务采购。"),
    ])
    funds = [
        ("年度资金总额", "96.00", "98.50", "86.19", "10", "95.00%", "9.5"),
        ("其中：当年财政拨款", "96.00", "96.00", "84.69", "—", "—", "—"),
        ("上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"),
        ("其他资金", "0.00", "1.50", "1.50", "—", "—", "—"),
    ]
    L1, L2, L3 = "产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"
    inds = [
        (L1, "数量指标（20分）", "热线坐席数量", "≥12个", "12个", "5", "5", ""),
        (L1, "数量指标（20分）", "年度受理来电量", "≥6万件", "4.8万件", "5", "4", "110非警务类来电分流未达预期，部分咨询转至“云岭通”小程序。"),
        (L1, "数量指标（20分）", "工单转派量", "≥1.8万件", "1.95万件", "5", "5", ""),
        (L1, "质量指标（15分）", "工单按时办结率", "≥95%", "76%", "5", "4", "超期工单4680件，集中在6个承办单位，已纳入督办。"),
        (L1, "质量指标（15分）", "来电接通率", "≥90%", "93.2%", "5", "6", "超额完成目标，酌情加1分。"),
        (L1, "质量指标（15分）", "工单回访率", "≥60%", "62%", "5", "5", ""),
        (L1, "时效指标（10分）", "一般工单办结时限", "≤5个工作日", "4.2个工作日", "5", "5", ""),
        (L1, "时效指标（10分）", "紧急工单平均响应时间", "≤30分钟", "36分钟", "5", "4", "夜间紧急工单承办单位联系不畅，2024年建立夜间值班联络表。"),
        (L1, "成本指标（10分）", "单个坐席年服务成本", "≤6.50万元", "6.00万元", "5", "5", ""),
        (L1, "成本指标（10分）", "平台年度运维成本", "≤15.00万元", "14.19万元", "5", "5", ""),
        (L2, "社会效益指标（20分）", "群众诉求办结率", "≥90%", "72%", "10", "8", "部分诉求涉及历史遗留问题，需跨部门协调。"),
        (L2, "社会效益指标（20分）", "知识库条目更新数量", "≥1200条", "600条", "10", "5", "信息股人员调整，知识库维护不及时。"),
        (L2, "可持续影响指标（10分）", "平台全年正常运行率", "≥99%", "99.6%", "10", "10", ""),
        (L3, "服务对象满意度指标（10分）", "来电群众满意度", "≥90%", "81%", "10", "9", "回访1.21万件，不满意主要集中在超期工单。"),
    ]
    t, layout = selfeval_table(doc, {
        "year_label": "（2023年度）",
        "name": "2023年度12345政务服务便民热线运维项目",
        "dept": "云岭县人民政府办公室",
        "unit": "云岭县政务服务中心",
        "funds": funds,
        "goal_expected": "保障12345热线7×24小时稳定运行，全年受理来电不少于6万件，工单按时办结率不低于95%，群众诉求办结率不低于90%，来电群众满意度不低于90%。",
        "goal_actual": "热线全年稳定运行，受理来电4.8万件，工单按时办结率76%，群众诉求办结率72%，来电群众满意度81%。",
        "indicators": inds,
        "total": ("100", "88.5"),
    })
    wrap_in_sdt(t, "项目支出绩效自评表", "selfeval_2023", 804412331)
    para(doc, "", indent=False)
    para(doc, "云岭县政务服务中心", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "2024年1月18日", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc, [(t, layout)]


# --------------------------------------------------------------------------- report 03


def report_03():
    """青禾县民政局 老年助餐服务补贴 — nested table in the 实际完成情况 cell."""
    when = _dt.datetime(2024, 1, 22, 11, 5, 0)
    doc = new_document("青禾县民政局", when)
    title(doc, ["青禾县民政局", "2023年度老年助餐服务补贴项目支出绩效自评报告"])
    narrative(doc, [
        ("p", "根据县财政局关于开展2023年度项目支出绩效自评的统一部署，我局对老年助餐服务补贴项目实施情况进行了自评，现将自评情况报告如下："),
        ("h", "一、基本情况"),
        ("p", "为解决农村留守、独居、高龄老年人“吃饭难”问题，2023年我县依托村级互助幸福院和社区日间照料中心运营老年助餐点30个，对60周岁以上老年人就餐给予每人次4元补贴，由助餐点按月申报、乡镇审核、县民政局按季度拨付。"),
        ("h", "二、项目资金使用情况"),
        ("p", "2023年老年助餐服务补贴项目年初预算资金130.00万元，全年预算数120.00万元，全年执行数114.60万元，预算执行率95.50%。"),
        ("p", "资金使用明细：全年累计助餐27.70万人次，按每人次4元标准拨付助餐补贴110.80万元；为30个助餐点各配备消毒柜1台，单价1200元，计3.80万元。两项合计114.60万元。"),
        ("h", "三、绩效目标完成情况"),
        ("p", "全年30个助餐点正常运营，累计服务老年人27.70万人次，惠及60岁以上老年人7200人，独居、高龄老人助餐覆盖率82.5%。补贴资金均按季度及时拨付。老年人对助餐服务普遍满意，满意度100%。"),
        ("h", "四、自评结论"),
        ("p", "本项目自评得分97.05分，等级为“优”。"),
        ("h", "五、存在的问题"),
        ("p", "暂无。"),
        ("h", "六、改进措施"),
        ("p", "继续加强资金监管，提升助餐服务质量，扩大受益老年人覆盖面，推动老年助餐服务提质增效。"),
    ])
    funds = [
        ("年度资金总额", "120.00", "120.00", "114.60", "10", "95.50%", "9.55"),
        ("其中：当年财政拨款", "120.00", "120.00", "114.60", "—", "—", "—"),
        ("上年结转资金", "", "", "", "—", "—", "—"),
        ("其他资金", "", "", "", "—", "—", "—"),
    ]
    inds = [
        ("产出指标", "数量指标", "运营老年助餐点数量", "≥30个", "30个", "10", "10", ""),
        ("产出指标", "数量指标", "年度助餐服务人次", "≥30万人次", "27.70万人次", "10", "8.5", "夏季部分助餐点就餐人数下降。"),
        ("产出指标", "质量指标", "助餐点食品安全检查合格率", "≥95%", "85%", "10", "10", "个别助餐点后厨卫生问题已整改，复查合格。"),
        ("产出指标", "时效指标", "补贴资金按季度拨付及时率", "=100%", "100%", "5", "5", ""),
        ("产出指标", "时效指标", "新增助餐点建成投用时间", "XX月XX日前", "2023年6月30日", "5", "5", ""),
        ("产出指标", "成本指标", "每人次助餐补贴标准", "≤4元", "4元", "10", "10", ""),
        ("效益指标", "社会效益指标", "惠及60岁以上老年人数", "≥8000人", "7200人", "10", "9", ""),
        ("效益指标", "社会效益指标", "独居、高龄老人助餐覆盖率", "≥80%", "82.5%", "10", "10", ""),
        ("效益指标", "可持续影响指标", "助餐点持续运营率", "≥90%", "100%", "10", "10", ""),
        ("满意度指标", "服务对象满意度指标", "就餐老年人满意度", "≥90%", "100%", "10", "10", ""),
    ]
    t, layout = selfeval_table(doc, {
        "year_label": "（2023年度）",
        "name": "2023年度老年助餐服务补贴项目",
        "dept": "青禾县民政局",
        "unit": "青禾县民政局养老服务股",
        "funds": funds,
        "goal_expected": "运营老年助餐点30个，全年提供助餐服务不少于30万人次，惠及60岁以上老年人不少于8000人，就餐老年人满意度不低于90%。",
        "goal_actual": "30个助餐点正常运营，全年助餐27.70万人次，惠及老年人7200人。分季度情况如下：",
        "indicators": inds,
        "total": ("100", "97.05"),
    })
    # nested table inside the 实际完成情况 cell (pasted from the quarterly statistics)
    goal_cell = t.cell(layout["goal_top"] + 1, 5)
    nt = goal_cell.add_table(rows=6, cols=3)
    _table_borders(nt)
    data = [("季度", "助餐人次（万人次）", "补贴资金（万元）"),
            ("第一季度", "6.20", "24.80"), ("第二季度", "7.10", "28.40"),
            ("第三季度", "6.80", "27.20"), ("第四季度", "7.60", "30.40"),
            ("合计", "27.70", "110.80")]
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            _cell_text(nt.cell(i, j), v, size=9)
    para(doc, "", indent=False)
    para(doc, "青禾县民政局", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "2024年1月22日", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc, [(t, layout)]


# --------------------------------------------------------------------------- report 04


def report_04():
    """云岭县教育局 校园安全设施改造 — table year 2022 in a 2023 report; no 满意度 block."""
    when = _dt.datetime(2024, 2, 1, 16, 40, 0)
    doc = new_document("云岭县教育局", when)
    title(doc, ["云岭县教育局", "2023年度校园安全设施改造项目支出绩效自评报告"])
    narrative(doc, [
        ("p", "根据《云岭县预算绩效管理办法》和县财政局2023年度绩效自评工作安排，我局对校园安全设施改造项目开展了绩效自评。现报告如下："),
        ("h", "一、基本情况"),
        ("p", "为落实校园安全“技防”建设要求，2023年我局对全县24所中小学校视频监控系统实施改造，新增高清摄像头480个，将校门口、围墙周界、食堂后厨、宿舍走廊等重点区域接入县教育局校园安全监控平台。项目采用公开招标方式，由云岭县恒安智能科技有限公司中标实施。"),
        ("h", "二、项目资金使用情况"),
        ("p", "2023年该项目年初预算210.00万元，全年预算数210.00万元，全年执行数219.45万元，预算执行率104.50%。资金主要用于高清摄像头采购118.05万元，存储设备、线路敷设及安装调试费101.40万元，合计219.45万元。"),
        ("h", "三、绩效目标完成情况"),
        ("p", "（一）产出情况。24所学校视频监控改造全部完成，新增高清摄像头496个，摄像头采购平均单价2380元/个，改造工程于2023年10月18日全部完工，经县教育局会同中标单位联合验收，合格率100%。"),
        ("p", "（二）效益情况。全县中小学校重点区域视频监控覆盖率由改造前的64.5%提高到91.2%；县教育局制定了《云岭县中小学校视频监控系统运维管理办法》，明确学校为设备日常管理责任主体。"),
        ("h", "四、自评结论"),
        ("p", "经对照绩效指标逐项自评，本项目自评得分99.4分，评价等级为“优”。"),
        ("h", "五、存在的问题"),
        ("p", "一是3所村小（河口小学、岭脚小学、新田小学）围墙周界区域因线路需跨越农田，摄像头已安装但尚未接入平台，重点区域视频监控覆盖率91.2%，未达到95%的目标。二是部分学校安保人员对平台操作不熟练，24所学校中有7所未按要求每日查看回放。"),
        ("h", "六、改进措施"),
        ("p", "一是由局基建与装备股负责，督促中标单位于2024年4月30日前完成3所村小周界线路架设并接入平台；二是由局安全稳定股负责，2024年3月底前对24所学校安保人员开展平台操作培训，并将每日回放查看纳入学校安全工作月度考核。"),
    ])
    funds = [
        ("年度资金总额", "210.00", "210.00", "219.45", "10", "104.50%", "10"),
        ("其中：当年财政拨款", "210.00", "210.00", "219.45", "—", "—", "—"),
        ("上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"),
        ("其他资金", "0.00", "0.00", "0.00", "—", "—", "—"),
    ]
    inds = [
        ("产出指标", "数量指标", "完成视频监控改造学校数", "≥24所", "24所", "10", "10", ""),
        ("产出指标", "数量指标", "新增高清摄像头数量", "≥480个", "496个", "10", "10", ""),
        ("产出指标", "质量指标", "改造工程验收合格率", "=100%", "100%", "10", "10", ""),
        ("产出指标", "时效指标", "改造工程完工时间", "2023年10月31日前", "2023年10月18日", "10", "10", ""),
        ("产出指标", "成本指标", "摄像头采购平均单价", "≤0.25万元/个", "2380元/个", "10", "10", ""),
        ("效益指标", "社会效益指标", "校园重点区域视频监控覆盖率", "≥95%", "91.2%", "15", "14.4", "3所村小周界线路未接入，2024年4月底前完成。"),
        ("效益指标", "社会效益指标", "校园安全事件同比下降率", "≥10%", "", "15", "15", ""),
        ("效益指标", "可持续影响指标", "视频监控运维管理制度", "建立", "已建立", "10", "10", ""),
    ]
    t, layout = selfeval_table(doc, {
        "year_label": "（2022年度）",
        "name": "2023年度校园安全设施改造项目",
        "dept": "云岭县教育局",
        "unit": "云岭县教育局基建与装备股",
        "funds": funds,
        "goal_expected": "完成24所中小学校视频监控系统改造，新增高清摄像头不少于480个，重点区域视频监控覆盖率不低于95%，校园安全事件同比下降10%以上。",
        "goal_actual": "完成24所学校改造，新增高清摄像头496个，重点区域视频监控覆盖率91.2%。",
        "indicators": inds,
        "total": ("100", "99.4"),
    })
    para(doc, "", indent=False)
    para(doc, "云岭县教育局", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "2024年2月1日", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc, [(t, layout)]


# --------------------------------------------------------------------------- report 09 (Excel 自评表)


def report_09():
    """青禾县交通运输局 农村公路日常养护 — only the 自评表, written as an Excel workbook."""
    when = _dt.datetime(2024, 1, 16, 9, 30, 0)
    doc = new_document("青禾县交通运输局", when)
    funds = [
        ("年度资金总额", "260.00", "268.00", "259.96", "10", "97.00%", "9.70"),
        ("其中：当年财政拨款", "240.00", "246.00", "241.96", "—", "—", "—"),
        ("上年结转资金", "20.00", "20.00", "18.00", "—", "—", "—"),
        ("其他资金", "0.00", "0.00", "0.00", "—", "—", "—"),
    ]
    inds = [
        ("产出指标", "数量指标", "日常养护农村公路里程", "≥320公里", "320公里", "10", "10", ""),
        ("产出指标", "数量指标", "修复路面坑槽面积", "≥12000平方米", "9600平方米", "10", "10", ""),
        ("产出指标", "质量指标", "养护路段优良路率", "≥80%", "82.5%", "10", "10", ""),
        ("产出指标", "时效指标", "汛后水毁路段修复完成时间", "2023年10月31日前", "2023年10月25日", "10", "10", ""),
        ("产出指标", "成本指标", "每公里年养护成本", "≤0.85万元", "0.81万元", "10", "10", ""),
        ("效益指标", "社会效益指标", "农村公路列养率", "=100%", "100%", "10", "10", ""),
        ("效益指标", "社会效益指标", "养护路段安全通畅率", "≥80%", "76%", "10", "9.5", ""),
        ("效益指标", "可持续影响指标", "村道养护长效机制", "建立", "已建立", "10", "10", ""),
        ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "93.2%", "10", "10",
         "问卷调查：发放问卷300份，回收有效问卷292份，其中满意272份。"),
    ]
    t, layout = selfeval_table(doc, {
        "year_label": "（2023年度）",
        "name": "2023年度农村公路日常养护项目",
        "dept": "青禾县交通运输局",
        "unit": "青禾县农村公路养护站",
        "funds": funds,
        "goal_expected": "完成全县320公里农村公路日常养护，修复路面坑槽不少于12000平方米，优良路率不低于80%，沿线群众满意度不低于90%。",
        "goal_actual": "完成320公里农村公路日常养护，修复路面坑槽9600平方米，优良路率82.5%，沿线群众满意度93.2%。",
        "indicators": inds,
        "total": ("100", "99.7"),
    })
    return doc, [(t, layout)]


# --------------------------------------------------------------------------- report 10 (scanned)


def report_10():
    """云岭县林业局 森林防火能力提升 — printed and scanned: an image-only PDF."""
    when = _dt.datetime(2024, 1, 25, 14, 0, 0)
    doc = new_document("云岭县林业局", when)
    title(doc, ["云岭县林业局", "2023年度森林防火能力提升项目支出绩效自评报告"])
    narrative(doc, [
        ("p", "根据县财政局2023年度项目支出绩效自评工作安排，我局对森林防火能力提升项目开展了自评，现报告如下："),
        ("h", "一、基本情况"),
        ("p", "全县林地面积86万亩，森林覆盖率71.3%。2023年我局实施森林防火能力提升项目，新建生物防火林带，购置扑火机具，开展防火宣传和扑火队员培训。"),
        ("h", "二、项目资金使用情况"),
        ("p", "2023年该项目年初预算150.00万元，全年预算数150.00万元，全年执行数138.00万元。"),
        ("p", "资金支出明细：防火林带建设63.00万元（15公里×4.20万元）；扑火机具购置45.00万元（300台×0.15万元）；宣传及培训30.00万元；合计138.00万元。未执行资金12.00万元结转下年使用。"),
        ("h", "三、绩效目标完成情况"),
        ("p", "全年新建生物防火林带15公里，购置扑火机具300台，造林成活率88%，扑火物资于2023年11月20日到位。"),
        ("p", "开展防火宣传进村入户，覆盖率96%；培训专业扑火队员300人次。"),
        ("p", "11月发放问卷210份，回收有效问卷200份，其中满意162份，林区群众满意度81%。"),
        ("h", "四、自评结论"),
        ("p", "本项目自评得分89.1分，等级为“优”。"),
        ("h", "五、存在的问题"),
        ("p", "一是2处地块林权纠纷未解决，防火林带完成15公里，剩余5公里未建。二是秋季护林值守任务重，扑火队员培训300人次，仅完成目标的50%。三是群众满意度81%，低于90%的目标，主要是对防火期野外用火管控不理解。四是预算执行率未达100%，结余12.00万元。"),
        ("h", "六、改进措施"),
        ("p", "一是由局营林股负责，2024年3月底前调处林权纠纷，6月底前建成剩余5公里林带。二是由局防火办负责，2024年一季度完成扑火队员集中培训300人次。三是由各乡镇林业站负责，2024年防火期前开展入户宣传解释。"),
    ])
    funds = [
        ("年度资金总额", "150.00", "150.00", "138.00", "10", "96.00%", "9.60"),
        ("其中：当年财政拨款", "130.00", "130.00", "120.00", "—", "—", "—"),
        ("上年结转资金", "20.00", "20.00", "18.00", "—", "—", "—"),
        ("其他资金", "0.00", "0.00", "0.00", "—", "—", "—"),
    ]
    inds = [
        ("产出指标", "数量指标", "新建生物防火林带长度", "≥20公里", "15公里", "10", "7.5", "2处地块林权纠纷未解决，剩余5公里2024年实施。"),
        ("产出指标", "数量指标", "购置扑火机具数量", "≥300台", "300台", "10", "10", ""),
        ("产出指标", "质量指标", "防火林带造林成活率", "≥85%", "88%", "10", "10", ""),
        ("产出指标", "时效指标", "扑火物资到位时间", "2023年11月30日前", "2023年11月20日", "10", "10", ""),
        ("产出指标", "成本指标", "每公里防火林带建设成本", "≤4.50万元", "4.20万元", "10", "10", ""),
        ("效益指标", "社会效益指标", "防火宣传入户覆盖率", "≥95%", "96%", "10", "10", ""),
        ("效益指标", "社会效益指标", "专业扑火队员培训人次", "≥600人次", "300人次", "10", "3", "护林值守任务重，培训推迟至2024年一季度。"),
        ("效益指标", "可持续影响指标", "防火设施管护制度", "建立", "已建立", "10", "10", ""),
        ("满意度指标", "服务对象满意度指标", "林区群众满意度", "≥90%", "81%", "10", "9", "群众对野外用火管控不理解，将加强宣传。"),
    ]
    t, layout = selfeval_table(doc, {
        "year_label": "（2023年度）",
        "name": "2023年度森林防火能力提升项目",
        "dept": "云岭县林业局",
        "unit": "云岭县森林防火办公室",
        "funds": funds,
        "goal_expected": "新建生物防火林带不少于20公里，购置扑火机具不少于300台，培训专业扑火队员不少于600人次，林区群众满意度不低于90%。",
        "goal_actual": "新建防火林带15公里，购置扑火机具300台，培训扑火队员300人次，林区群众满意度81%。",
        "indicators": inds,
        "total": ("100", "89.1"),
    })
    para(doc, "", indent=False)
    para(doc, "云岭县林业局", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "2024年1月25日", indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc, [(t, layout)]


# --------------------------------------------------------------------------- other carriers (xlsx, scan)

XLSX_NAME = "09_qinghe_jiaotong_gonglu_2023.xlsx"
SCAN_NAME = "10_yunling_linye_fanghuo_2023_scan.pdf"
FIXED_ISO = "2024-01-02T09:00:00Z"


def _carriers():
    """tests/carriers.py: the renderers the format-invariance tests use."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import carriers

    return carriers


def _blocks(doc):
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    return _carriers().read_blocks(buf)


def _write_if_changed(path: Path, data: bytes) -> Path:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def write_xlsx(doc, path: Path) -> Path:
    """The document's blocks as a workbook (carriers.render_xlsx), with fixed document
    properties and zip timestamps so that the bytes do not change from run to run."""
    import re
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        raw = _carriers().render_xlsx(_blocks(doc), Path(tmp) / path.name).read_bytes()
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{FIXED_ISO}\g<2>", text)
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return _write_if_changed(path, out.getvalue())


def write_scan(doc, path: Path) -> Path | None:
    """The document drawn as a text PDF with fpdf2 and a CJK font, rasterised at 200 dpi
    (pypdfium2) into an image-only PDF.  Without a CJK font the committed file is kept."""
    import tempfile

    c = _carriers()
    font = c.cjk_font()
    if not font:
        print(f"no CJK font under /usr/share/fonts: examples/{path.name} kept as it is")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        text_pdf = c.render_pdf_fpdf(_blocks(doc), Path(tmp) / "text.pdf", font)
        data = c.render_scan(text_pdf, Path(tmp) / path.name).read_bytes()
    return _write_if_changed(path, data)


# --------------------------------------------------------------------------- GBK text report

GBK_NAME = "08_qinghe_wenlv_shuwu_2023_gbk.txt"
GBK_TEXT = """青禾县文化和旅游局
2023年度农家书屋出版物补充更新项目支出绩效自评报告

根据县财政局统一安排，我局对2023年度农家书屋出版物补充更新项目开展了绩效自评，现将自评情况报告如下：
一、项目基本情况
全县共有农家书屋142个。为保持农家书屋出版物常看常新，2023年安排专项资金45.00万元，为142个农家书屋补充更新图书、报刊等出版物，每个书屋补充出版物不少于60种，并依托书屋开展群众阅读活动。
二、项目资金情况
2023年该项目年初预算45.00万元，全年预算数45.00万元，全年执行数42.57万元，预算执行率94.60%。其中出版物采购38.34万元，配送及上架服务费4.23万元，合计42.57万元。
三、绩效目标完成情况
全年为142个农家书屋各补充更新出版物60种，出版物质量抽检合格率100%，2023年11月25日前全部配送上架。农家书屋全年借阅2.68万人次，开展“书香青禾”等群众阅读活动126场。12月通过书屋借阅登记簿随机抽取400名读者开展问卷调查，读者满意度95.2%。项目全面完成各项绩效目标。
项目支出绩效自评表
（2023年度）
项目名称\t2023年度农家书屋出版物补充更新项目
主管部门\t青禾县文化和旅游局\t实施单位\t青禾县图书馆
项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
\t年度资金总额\t45.00\t45.00\t42.57\t10\t94.60%\t9.46
\t其中：当年财政拨款\t45.00\t45.00\t42.57\t—\t—\t—
\t上年结转资金\t\t\t\t—\t\t—
\t其他资金\t\t\t\t—\t\t—
年度总体目标\t预期目标\t实际完成情况
\t为142个农家书屋补充更新出版物，每个书屋不少于60种；全年借阅不少于2.5万人次，开展阅读活动不少于120场，读者满意度不低于90%。\t142个农家书屋各补充更新出版物60种；全年借阅2.68万人次，开展阅读活动126场，读者满意度95.2%。
绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
\t产出指标\t数量指标\t补充更新农家书屋数量\t≥142个\t142个\t15\t15\t
\t\t\t每个书屋补充出版物种类\t≥60种\t60种\t10\t10\t
\t\t质量指标\t出版物质量抽检合格率\t=100%\t100%\t10\t10\t
\t\t时效指标\t出版物配送上架完成时间\t2023年11月30日前\t2023年11月25日\t5\t5\t
\t\t成本指标\t项目采购成本\t≤45.00万元\t42.57万元\t10\t10\t
\t效益指标\t社会效益指标\t农家书屋年度借阅人次\t≥2.5万人次\t2.68万人次\t15\t15\t
\t\t\t群众阅读活动开展场次\t≥120场\t126场\t15\t15\t
\t满意度指标\t服务对象满意度指标\t读者满意度\t≥90%\t95.2%\t10\t10\t
总分\t\t\t\t\t\t100\t99.46\t
四、自评结论
本项目自评得分99.46分，等级为“优”。
五、存在的问题
无。
六、下一步改进措施
继续做好农家书屋出版物更新工作，进一步丰富出版物种类，提高农家书屋使用效率，更好满足农村群众阅读需求。

青禾县文化和旅游局
2024年1月12日
"""


def write_gbk():
    path = HERE / GBK_NAME
    data = GBK_TEXT.replace("\n", "\r\n").encode("gbk")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- verification


def _render_docx_text(path) -> str:
    """A simple linear rendering for checking quotes: paragraph text (including runs in
    w:ins, excluding w:delText), table cells (nested and inside w:sdt) one per line.
    ``path`` may also be an in-memory document (python-docx ``Document``)."""
    from docx import Document as _D

    d = path if hasattr(path, "element") else _D(str(path))
    body = d.element.body
    out = []
    for p in body.iter(qn("w:p")):
        out.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "\n".join(out)


def _check_merges(path: Path, layout_inds, sdt=False):
    from docx import Document as _D
    from docx.table import Table

    d = _D(str(path))
    tbls = d.element.body.findall(".//" + qn("w:tbl"))
    outer = [t for t in tbls if t.getparent().tag != qn("w:tc")]
    assert outer, f"{path.name}: no table"
    t = Table(outer[0], d)
    if sdt:
        assert outer[0].getparent().tag == qn("w:sdtContent"), "table is not inside w:sdt"
    cell = t.cell
    # 项目资金 label merged over 5 rows
    assert cell(2, 0)._tc is cell(6, 0)._tc, "项目资金 label not vertically merged"
    assert "项目资金" in cell(6, 0).text
    # 预期目标 spans 4 columns, 实际完成情况 4 columns
    assert cell(7, 1)._tc is cell(7, 4)._tc and cell(7, 5)._tc is cell(7, 8)._tc
    assert cell(7, 0)._tc is cell(8, 0)._tc, "年度总体目标 label not merged"
    # 一级/二级 vertical merges
    first = 10
    n = len(layout_inds)
    assert cell(9, 0)._tc is cell(first + n - 1, 0)._tc, "绩效指标 label not merged"
    for i in range(1, n):
        same1 = layout_inds[i][0] == layout_inds[i - 1][0]
        same2 = same1 and layout_inds[i][1] == layout_inds[i - 1][1]
        assert (cell(first + i, 1)._tc is cell(first + i - 1, 1)._tc) == same1, f"一级 merge row {i}"
        assert (cell(first + i, 2)._tc is cell(first + i - 1, 2)._tc) == same2, f"二级 merge row {i}"
    tot = first + n
    assert cell(tot, 0)._tc is cell(tot, 5)._tc and cell(tot, 0).text == "总分"
    return True


def check(paths, sources=None):
    ok = True
    # merges
    for name, sdt in (("01_qinghe_shuili_yinshui_2023.docx", False), ("02_yunling_zhengwu_rexian_2023.docx", True),
                      ("03_qinghe_minzheng_zhucan_2023.docx", False), ("04_yunling_jiaoyu_xiaoyuan_2023.docx", False)):
        inds = paths[name][1]
        _check_merges(HERE / name, inds, sdt=sdt)
        print(f"merges ok: {name}")
    # expected quotes
    exp = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    texts = {}
    for e in exp:
        f = e["file"]
        if f not in texts:
            p = HERE / f
            if f in (sources or {}):  # a scan: the document it was printed from
                texts[f] = _render_docx_text(sources[f])
            elif p.suffix == ".xlsx":
                sys.path.insert(0, str(HERE.parent))
                from reviewer.ingest import read_document

                texts[f] = read_document(p).text
            elif p.suffix == ".docx":
                texts[f] = _render_docx_text(p)
            elif f.endswith("_gbk.txt"):
                texts[f] = p.read_bytes().decode("gbk").replace("\r\n", "\n")
            else:
                texts[f] = p.read_text(encoding="utf-8")
        text = texts[f]
        for q in [e["quote"], *e.get("related_quotes", [])]:
            if q not in text:
                ok = False
                print(f"QUOTE NOT FOUND: {f} {e['rule']}: {q!r}")
        if e["report"] not in text:
            ok = False
            print(f"REPORT TITLE NOT FOUND: {f}: {e['report']!r}")
    for e in json.loads((HERE / "expected_clean.json").read_text(encoding="utf-8")):
        if not (HERE / e["file"]).exists():
            ok = False
            print(f"CLEAN SAMPLE MISSING: {e['file']}")
    print(f"expected.json: {len(exp)} entries, {'all quotes found' if ok else 'ERRORS'}")
    return ok


# --------------------------------------------------------------------------- main

BUILDERS = {
    "01_qinghe_shuili_yinshui_2023.docx": report_01,
    "02_yunling_zhengwu_rexian_2023.docx": report_02,
    "03_qinghe_minzheng_zhucan_2023.docx": report_03,
    "04_yunling_jiaoyu_xiaoyuan_2023.docx": report_04,
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify merges and expected.json quotes")
    args = ap.parse_args(argv)
    layouts = {}
    sources = {}  # file -> the document it was rendered from, for checking quotes
    for name, build in BUILDERS.items():
        doc, tables = build()
        save_deterministic(doc, HERE / name)
        layouts[name] = (tables[0][1], tables[0][1]["indicators"])
        print(f"wrote examples/{name}")
    write_gbk()
    print(f"wrote examples/{GBK_NAME}")
    doc, tables = report_09()
    write_xlsx(doc, HERE / XLSX_NAME)
    layouts[XLSX_NAME] = (tables[0][1], tables[0][1]["indicators"])
    print(f"wrote examples/{XLSX_NAME}")
    doc, tables = report_10()
    if write_scan(doc, HERE / SCAN_NAME):
        print(f"wrote examples/{SCAN_NAME}")
    sources[SCAN_NAME] = doc
    hand = sorted(p.name for p in HERE.glob("*.txt") if p.name != GBK_NAME)
    print("hand-written .txt kept: " + ", ".join(hand))
    if args.check:
        return 0 if check(layouts, sources) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
