"""compare.xlsx: 问题对比 (one row per finding with its class), 改动 (one row per change),
报告匹配, 照搬上年. Sheets are laid out by the batch register's own sheet writer."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from reviewer.compare.models import CompareResult
from reviewer.outputs.labels import kind_zh, severity_zh
from reviewer.outputs.xlsx import _sheet

CLASS_FILL = {"已修正": "D4EDDA", "仍存在": "F8D7DA", "新出现": "FFF3CD", "随删除消失": "E2E3E5", "消失但依据未改": "DDE7F3"}
FINDING_COLUMNS = [("对", 5), ("类别", 12), ("规则", 7), ("问题类型", 10), ("严重程度", 8), ("说明（新版）", 48),
                   ("说明（旧版）", 48), ("旧版位置", 16), ("新版位置", 16), ("依据", 40), ("新版文件", 26), ("新版报告", 30)]
CHANGE_COLUMNS = [("对", 5), ("类型", 6), ("部分", 8), ("字段", 12), ("项目", 30), ("旧值", 40), ("旧版位置", 14),
                  ("新值", 40), ("新版位置", 14), ("数字改动", 8)]
MATCH_COLUMNS = [("对", 5), ("类型", 8), ("旧版文件", 26), ("旧版报告", 36), ("新版文件", 26), ("新版报告", 36),
                 ("得分", 7), ("匹配依据", 60)]
COPY_COLUMNS = [("对", 5), ("章节", 10), ("照搬的文字", 70), ("旧版位置", 14), ("新版位置", 14)]


def build_compare_workbook(r: CompareResult) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "问题对比"
    rows: list[list[Any]] = []
    for f in r.findings:
        m = r.matches[f.pair] if f.pair is not None else None
        new_file = m.new.file if m else (f.new.file if f.new else "")
        new_title = m.new.title if m else (f.new.title if f.new else "")
        rows.append([f.pair + 1 if f.pair is not None else "", f.cls, f.rule, kind_zh(f.flag.kind),
                     severity_zh(f.flag.severity), f.new.message if f.new else "", f.old.message if f.old else "",
                     "\n".join(f.old_locations), "\n".join(f.new_locations), f.reason, new_file, new_title])
    _sheet(ws, FINDING_COLUMNS, rows, wrap={6, 7, 10, 12})
    for i, f in enumerate(r.findings, start=2):
        ws.cell(row=i, column=2).fill = PatternFill("solid", fgColor=CLASS_FILL.get(f.cls, "FFFFFF"))

    crow = [[c.pair + 1, c.kind, c.area, c.field, c.item, c.old or "", c.old_location or "", c.new or "",
             c.new_location or "", "是" if c.numeric else ""] for c in r.changes]
    _sheet(wb.create_sheet("改动"), CHANGE_COLUMNS, crow, wrap={5, 6, 8})
    mrow = [[k + 1, m.kind, m.old.file, m.old.title, m.new.file, m.new.title, m.score, "；".join(m.reasons)]
            for k, m in enumerate(r.matches)]
    mrow += [["", "仅旧版", k.file, k.title, "", "", "", ""] for k in r.only_old]
    mrow += [["", "仅新版", "", "", k.file, k.title, "", ""] for k in r.only_new]
    _sheet(wb.create_sheet("报告匹配"), MATCH_COLUMNS, mrow, wrap={4, 6, 8})
    prow = [[c.pair + 1, c.section, c.text, c.old_location, c.new_location] for c in r.carried_over]
    _sheet(wb.create_sheet("照搬上年"), COPY_COLUMNS, prow, wrap={3})
    return wb
