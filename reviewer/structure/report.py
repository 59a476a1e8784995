"""Building the structured Report models of a file."""

from __future__ import annotations

import bisect
import re

from reviewer.models import ParsedFile, Report, SourceDocument, Table, TextRef
from reviewer.structure.ocr_fix import fix_ocr
from reviewer.structure.vertical_labels import blank_vertical_labels
from reviewer.structure.funds import parse_funds_table, unit_hint
from reviewer.structure.indicators import parse_indicator_table
from reviewer.structure.numbers import find_amounts
from reviewer.structure.scores import find_grade, find_stated_totals
from reviewer.structure.sections import find_sections
from reviewer.structure.column_forms import find_column_forms
from reviewer.structure.csv_tables import find_csv_tables
from reviewer.structure.split import CHROME_LINE, HEADING_NUM, split_reports
from reviewer.structure.prose_indicators import find_prose_indicators
from reviewer.structure.text_forms import find_form_tables
from reviewer.structure.truncation import form_cut_off, truncation_point
from reviewer.structure.text_tables import find_pipe_grids, find_text_tables, split_lines
from reviewer.lazy_re import lazy

ORG_SUFFIX = lazy(r"(局|办公室|中心|委员会|政府|办|院|所|站|队|会|部|厅|处|馆|室|公司|学校|医院|管委会)$")
TITLE_SUFFIX = lazy(r"(关于)?(项目)?(支出)?(项目)?(绩效)?自评报告$|(支出)?绩效评价报告$")
YEAR_RE = lazy(r"(20\d{2})\s*年")


class TablesByStart:
    """The tables that start in a range, found by bisection: a file of many reports asks once
    per report, and a scan of every table each time grew with the square of the file."""

    def __init__(self, tables: list[Table]) -> None:
        self._order = sorted(range(len(tables)), key=lambda i: tables[i].start)
        self._starts = [tables[i].start for i in self._order]
        self._tables = tables

    def within(self, start: int, end: int) -> list[Table]:
        """The tables starting in ``[start, end)``, in the order of the list they came from."""
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [self._tables[i] for i in sorted(self._order[lo:hi])]


def _cell_after(tables: list[Table], label: re.Pattern) -> TextRef | None:
    for t in tables:
        for row in t.rows:
            cells = [c for c in row if c.text.strip()]
            for a, b in zip(cells, cells[1:]):
                if label.fullmatch(re.sub(r"\s+", "", a.text)):
                    return TextRef(text=b.text, start=b.start, end=b.end)
    return None


def _field(text: str, start: int, end: int, label: str) -> TextRef | None:
    m = re.compile(rf"{label}\s*[:：]\s*(?P<v>[^\n]+)").search(text, start, end)
    if not m:
        return None
    v = m.group("v").strip()
    s = m.start("v")
    return TextRef(text=v, start=s, end=s + len(v))


FISCAL_YEAR = lazy(r"(20\d{2})\s*年度")
SIGN_DATE = lazy(r"评价时间|填报日期|报送日期|填报时间|编制日期|打印日期")


def _fiscal_year(text: str, start: int, end: int, title_span: tuple[int, int] | None) -> TextRef | None:
    """The year the report evaluates: the title's year, else the first "20XX年度", else the
    year mentioned most often in the report."""
    if title_span:
        m = YEAR_RE.search(text, *title_span)
        if m:
            return TextRef(text=m.group(), start=m.start(), end=m.end())
    m = FISCAL_YEAR.search(text, start, end)
    if m:
        return TextRef(text=m.group(), start=m.start(), end=m.end())
    # the latest year the report speaks of (earlier years are history), leaving out the date it
    # was written or signed (评价时间/填报日期, or a line holding nothing but a date)
    found = []
    for f in YEAR_RE.finditer(text, start, end):
        ls = text.rfind("\n", start, f.start()) + 1
        le = text.find("\n", f.end(), end)
        line = text[ls:le if le >= 0 else end]
        if SIGN_DATE.search(line) or re.fullmatch(r"\s*20\d{2}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?\s*", line):
            continue
        found.append(f)
    if not found:
        return None
    f = max(found, key=lambda m: (m.group(1), -m.start()))
    return TextRef(text=f.group(), start=f.start(), end=f.end())


# the words of a 自评表 header, whitespace and pipes removed: funds columns or indicator columns
FORM_HEADER_SEEN = lazy(r"(?:年初预算数?|全年预算数?|预算数)[^\d，。,；;]{0,12}执行数|一级指标[^\d，。,；;]{0,12}二级指标|"
                              r"三级指标[^\d，。,；;]{0,30}(?:分值|得分)")  # header words side by side, no figures between
# a first line that is a section heading, a form's field or an attachment mark is not the title
NOT_A_TITLE = lazy(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|附件|项目名称|主管部门|单位名称|"
                         r"实施单位|绩效指标|一级指标)|^.{0,3}$|^[^，。,]{0,10}指标$|[:：]\s*$")
TITLE_WORDS = lazy(r"(?:绩效)?(?:自评报告|评价报告|自评表|自评结果|自评情况)|绩效自评|绩效评价")
# a line that is only a unit's name (the publisher's banner above the form's title)
ORG_ONLY = lazy(r"[\u4e00-\u9fff（）()]{2,24}?(?:局|委|委员会|办公室|办|中心|院|站|所|政府|人民政府|管委会|街道办事处|"
                r"政府网|门户网站?|网站)")  # (or its website's name: 某某县人民政府网)
PAGE_TITLE = lazy(r"[\u4e00-\u9fff（）()\d]{4,60}?(?:绩效自评报告|绩效评价报告|自评报告|绩效自评表)")
FILE_SUFFIX = lazy(r"\.(?:docx?|pdf|xlsx?|wps|et)\s*$", re.IGNORECASE)


def pick_title(text: str, start: int, end: int) -> TextRef | None:
    """The title of a report that has no title block: its first line of substance (often the
    project's name); when that line is a heading, a form field or an attachment mark, a later
    line among the first forty that names a report or form (…自评报告, …自评表), else the first
    line after all.  Site chrome (索引号, 发布日期, 浏览量, 首页 > …) is never a title; table pipes,
    a file name's extension and an introduction ("现将……如下：") are left out."""
    first: TextRef | None = None
    from_row = False
    for k, ln in enumerate(split_lines(text, start, end)):
        if k > 40:
            break
        raw = ln.text
        body = raw.strip().strip("|｜").strip()
        if len(raw) > 40 and CHROME_LINE.search(raw):
            # a whole page copied onto one line, its site chrome with it: the title is the
            # unbroken run that ends in the report's title words
            t = PAGE_TITLE.search(raw, 0, 600)
            if t:
                return TextRef(text=t.group(), start=ln.start + t.start(), end=ln.start + t.end())
        if not body or CHROME_LINE.search(raw) or re.fullmatch(r"[-—_\s|｜]*", body):
            continue
        cells = [c for c in re.split(r"\s*[|｜\t]\s*", body) if c.strip()]
        if len(cells) >= 3 and any(re.fullmatch(r"[≥≤=<>＞＜]?\s*[\d.,%％]+", c.strip()) for c in cells[1:]):
            continue  # a row of figures (the text starts inside a table): no title
        cut = re.split(r"\s*[|｜]\s*", body)[0].strip()
        cut = FILE_SUFFIX.sub("", cut).strip()
        cut = re.sub(r"(?:\s*,)+\s*$", "", cut)  # a sheet saved as CSV pads its title row: 自评表,,,,,,
        if not cut:
            continue
        intro = re.search(r"如下\s*[:：]", cut)
        if intro and len(cut) - intro.end() > 6:  # "现将……公示如下：项目支出绩效自评表…"
            cut = cut[intro.end():].strip()
        if len(cut) > 80:  # a whole page flattened onto one line: the title ends with its title word
            tw = TITLE_WORDS.search(cut, 0, 100)
            cut = cut[:tw.end()] if tw else cut[:40]
            paren = re.match(r"\s*[（(]\s*\d{4}\s*年度?\s*[）)]", raw[raw.find(cut) + len(cut):])
            if paren:
                cut += paren.group()
        s = ln.start + raw.find(cut)
        ref = TextRef(text=cut, start=s, end=s + len(cut))
        if first is None:
            first = ref
            from_row = len(cells) >= 2 and not TITLE_WORDS.search(cut)  # a field label (评价结论 | …)
            if not NOT_A_TITLE.search(cut) and not from_row and not ORG_ONLY.fullmatch(cut):
                return ref  # the first line of substance is the title (often the project's name)
            # (a bare unit name, 白榆县农业农村局, is the page's banner: the form's title follows)

        if TITLE_WORDS.search(cut) and len(cut) <= 60 and not re.match(r"^(现将|根据|按照|为了)", cut) \
                and not HEADING_NUM.match(cut) and not re.search(r"[。，,；;]", cut) and re.search(r"报告|自评表", cut):
            return ref
    if first is not None and (from_row or re.search(r"^[^，。,]{0,10}指标$|[:：]\s*$|^.{0,3}$|^\s*[一二三四五六七八九十]+、", first.text)):
        return None  # a form's field label, an indicator category, an addressee ("…指挥部："), a heading, a word or two
    return first


def build_report(src: SourceDocument, tables: TablesByStart, index: int, start: int, end: int, title_lines: list[str] | None,
                 title_span: tuple[int, int] | None) -> Report:
    text = src.text
    mine = tables.within(start, end)
    spans = [(t.start, t.end) for t in mine]
    sections = find_sections(text, start, end, mine)
    if title_lines:
        lines = [s.strip() for s in title_lines if s.strip()]
        title = "".join(lines)
        org = lines[0] if len(lines) > 1 and ORG_SUFFIX.search(lines[0]) else None
        tstart, tend = title_span or (start, start)
        title_ref = TextRef(text=text[tstart:tend], start=tstart, end=tend)
    else:
        title_ref = pick_title(text, start, end)
        title = title_ref.text if title_ref else src.path
        org = None
    proj = _cell_after(mine, re.compile(r"(自评)?项目名称[:：]?")) or _field(text, start, end, r"(自评)?项目名称")
    project = proj.text.strip() if proj else None
    if not title_lines and project and (title == src.path or re.match(r"^\s*(?:[一二三四五六七八九十]+、|\d+[、.．]|附件)", title)
                                        or title.endswith("自评表")):
        title = project  # no title line: the report opens with a heading, so name it by its project
    if not project and title:
        bare = title[len(org):] if org and title.startswith(org) else title
        project = TITLE_SUFFIX.sub("", bare).strip() or None
    if org is None:
        o = _field(text, start, end, r"(自评)?项目单位") or _cell_after(mine, re.compile(r"(实施单位|主管部门)"))
        org = o.text.strip() if o else None
    year_ref = _fiscal_year(text, start, end, title_span)
    funds = None
    indicators, subtotals = [], []
    for t in mine:
        if funds is None:
            funds = parse_funds_table(t, unit_hint(text, t))
        rows, subs = parse_indicator_table(t, text)
        base = len(indicators)
        for s in subs:
            s.members = [base + i for i in s.members]
        indicators.extend(rows)
        subtotals.extend(subs)
    totals = find_stated_totals(text, start, end, spans)
    table_totals = [s.score for s in subtotals if s.level == 0 and s.score is not None]
    stated_total = totals[-1] if totals else (table_totals[-1] if table_totals else None)
    amounts = [a for a in find_amounts(text, start, end) if not any(s <= a.start < e for s, e in spans)]
    truncated_at = truncation_point(text, start, end)
    if truncated_at is None and indicators and not any(s.level == 0 for s in subtotals):
        form = [t for t in mine if any(r.table_index == t.index for r in indicators)]
        truncated_at = form_cut_off(text, end, max(form, key=lambda t: t.end)) if form else None
    if truncated_at is None and not indicators and funds is not None and mine:
        # the text stops inside the funds block, before any indicator row: the form was cut there
        truncated_at = form_cut_off(text, end, max(mine, key=lambda t: t.end))
    if truncated_at is not None:
        funds = _drop_cut_cells(text, truncated_at, funds)
    cut = _cut_last_row(text, end, indicators, subtotals)
    if cut is not None:  # "受益牧民满意度 ≥90% 92% 1": the text stops inside the row's weight
        row = indicators[cut]
        indicators[cut] = row.model_copy(update={"weight": None, "score": None})
        truncated_at = row.row.start if truncated_at is None else min(truncated_at, row.row.start)
    elif truncated_at is not None and indicators and not any(s.level == 0 for s in subtotals):
        # the text stops inside the last row before its scores: which cells it has, and where
        # each belongs, is not known ("≥20000亩 2000" may be 20000 cut short)
        k = max(range(len(indicators)), key=lambda i: indicators[i].row.end)
        row = indicators[k]
        if row.score is None and not text[row.row.end:end].strip():
            indicators[k] = row.model_copy(update={"target": None, "actual": None, "weight": None, "score": None})
    form_unread = funds is None and not indicators and bool(FORM_HEADER_SEEN.search(re.sub(r"[\s|｜]", "", text[start:end])))
    warnings = []
    if truncated_at is not None:
        warnings.append(f"报告文字在第{truncated_at - start}字处中断（句子或表格行未完），缺失类检查只针对已见部分 / "
                        f"the text stops mid-sentence or mid-row at character {truncated_at - start}; "
                        "checks for missing parts were not run")
    if form_unread:
        warnings.append("看到自评表表头，但未能读出其中的资金或指标行，表格相关检查未执行 / a self-evaluation form header "
                        "was seen but none of its funds or indicator rows could be read; the form checks did not run")
    return Report(
        file=src.path, index=index, format=src.format, start=start, end=end, title=title, title_ref=title_ref,
        organisation=org, project=project, year=int(year_ref.text[:4]) if year_ref else None, year_ref=year_ref,
        sections=sections, funds=funds, indicators=indicators, subtotals=subtotals, stated_total=stated_total,
        stated_totals=totals + table_totals, stated_grade=find_grade(text, start, end, mine), amounts=amounts,
        tables=[t.index for t in mine], truncated_at=truncated_at, form_unread=form_unread, warnings=warnings,
        prose_indicators=find_prose_indicators(text, start, end, spans),
    )


_MONEY_VALUES = ("budget_initial", "budget_full", "executed")


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _drop_cut_cells(text: str, cut: int, funds):
    """Forget a figure the cut runs through: a money cell that ends where the text stops and is
    written to fewer decimals than the table's other money cells ("286" of 286.50, beside
    300.00), or a rate without its % sign.  A figure written like its neighbours is kept."""
    if funds is None:
        return funds
    cells = [getattr(r, f) for r in funds.rows for f in _MONEY_VALUES if getattr(r, f) is not None]
    for i, row in enumerate(funds.rows):
        upd = {}
        for f in (*_MONEY_VALUES, "rate"):
            ref = getattr(row, f)
            if ref is None or text[ref.end:cut].strip():
                continue
            others = [c for c in cells if c is not ref]
            if f == "rate" and "%" not in ref.text and "％" not in ref.text:
                upd[f] = None
            elif f != "rate" and others and _decimals(ref.text) < min(_decimals(c.text) for c in others):
                upd[f] = None
        if upd:
            funds.rows[i] = row.model_copy(update=upd)
    return funds


def _cut_last_row(text: str, end: int, indicators: list, subtotals: list) -> int | None:
    """The index of the form's last indicator row when the text stops inside it: nothing but
    blanks after it, no 总分 row, and a weight without a score where the other rows have both,
    or a score that is the first digits of the weight (15 | 1: the text stops inside 15)."""
    if not indicators or any(s.level == 0 for s in subtotals):
        return None
    k = max(range(len(indicators)), key=lambda i: indicators[i].row.end)
    row = indicators[k]
    if text[row.row.end:end].strip() or row.weight is None:
        return None
    if row.score is not None:
        w, sc = row.weight.text.strip(), row.score.text.strip()
        return k if row.score.end == row.row.end and len(sc) < len(w) and w.startswith(sc) else None
    scored = sum(1 for r in indicators if r is not row and r.weight is not None and r.score is not None)
    return k if scored >= 2 else None


def build_parsed(src: SourceDocument) -> ParsedFile:
    """Split ``src`` into reports and extract each report's structure. ``src`` is left as it
    is: when OCR misreadings (or vertically printed labels) are fixed, the result holds a copy
    that reads the fixed text."""
    if src.original_text is None:
        fixed = blank_vertical_labels(fix_ocr(src.text))
        if fixed != src.text:  # read the fixed copy; quotes still come from the original
            grids = [t.model_copy(deep=True) for t in src.tables]
            for t in grids:  # a grid's cells (an OCR'd scan's) read the fixed copy too
                for row in t.rows:
                    for c in row:
                        if src.text[c.start:c.end] == c.text:
                            c.text = fixed[c.start:c.end]
            src = src.model_copy(update={"text": fixed, "original_text": src.text, "tables": grids})
    text = src.text
    tables = list(src.tables)
    if not tables:
        tables = find_text_tables(text)
        # bar-framed rows that keep every cell: a grid as exact as a tab-separated one
        tables += find_pipe_grids(text, first_index=len(tables))
        # a sheet saved as CSV: its records, where the text-table reader saw none
        tables += find_csv_tables(text, first_index=len(tables))
    # a form read column by column (a PDF's columns one after another)
    tables += find_column_forms(text, covered=[(t.start, t.end) for t in tables], first_index=len(tables))
    # forms whose table layout was flattened (pipes, one cell per line, spaces, one line)
    tables += find_form_tables(text, covered=[(t.start, t.end) for t in tables], first_index=len(tables))
    top = TablesByStart([t for t in tables if t.nested_in is None])
    by_start = TablesByStart(tables)

    def has_narrative(s: int, e: int) -> bool:
        """Whether text[s:e] reads as a report body rather than a cover page or a form."""
        kinds = {sec.kind for sec in find_sections(text, s, e, top.within(s, e)) if sec.level == 1 and sec.number}
        return len(kinds & {"funds", "performance", "conclusion", "problems", "measures"}) >= 2

    reports = []
    for i, (s, e, block) in enumerate(split_reports(text, has_narrative)):
        reports.append(build_report(src, by_start, i, s, e, block.lines if block else None,
                                    (block.start, block.end) if block else None))
    # a department's file names the year once (沂岚县教育和体育局2023年度项目支出绩效自评材料) and
    # numbers its forms without it (项目二：…绩效自评表): a form with no year of its own and no
    # 20XX年度 in it is of the file's year, not of the latest date in its text
    first = reports[0] if reports else None
    if first is not None and first.year_ref is not None and first.title_ref is not None \
            and first.title_ref.start <= first.year_ref.start < first.title_ref.end:
        for rep in reports[1:]:
            own = rep.title_ref is not None and YEAR_RE.search(rep.title_ref.text)
            if not own and not FISCAL_YEAR.search(text, rep.start, rep.end):
                rep.year, rep.year_ref = first.year, first.year_ref
    return ParsedFile(source=src, tables=tables, reports=reports)
