"""Word output: the reviewed document with one comment (批注) per flag.

* ``.docx`` input: :func:`annotate_docx` copies the original file and anchors each
  flag's comment on the runs of the paragraph or table cell its evidence came from.
* ``.txt`` / ``.pdf`` input: :func:`text_to_annotated_docx` writes a new .docx with the
  linear text, one paragraph per line, and anchors each comment exactly on the quote.

Comments are added with python-docx's own ``Document.add_comment`` (python-docx ≥ 1.2).

Mapping a :class:`~reviewer.models.Location` back to the file follows the reader's walk
(``reviewer/ingest``): body paragraphs are the ``w:p`` outside tables in document order,
descending into content controls (``w:sdt``); tables are counted in document order with
nested tables included (an outer table before the tables nested in it); a cell is
addressed by its row and the grid column of its left edge, merged cells once.
"""

from __future__ import annotations

from reviewer.outputs.wordstyle import set_cjk_font

import bisect
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from reviewer.ingest import wordml
from reviewer.models import Evidence, Flag, Location, ParsedFile

AUTHOR = "jixiao 审阅"
INITIALS = "JX"

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_ZH = {
    "arithmetic": "计算",
    "contradiction": "矛盾",
    "missing": "缺失",
    "boilerplate": "套话",
    "vague_problems": "问题空泛",
    "score_inflation": "评分虚高",
    "format": "格式",
}
SOURCE_ZH = {"rule": "规则", "retrieval": "检索", "llm": "大模型"}


# --------------------------------------------------------------------------- comment text


def comment_lines(flag: Flag, extra_locations: Sequence[str] = ()) -> list[str]:
    """The lines of one flag's comment: code and severity, message, expected vs stated."""
    head = f"[{flag.rule}·{SEVERITY_ZH.get(flag.severity, flag.severity)}·{KIND_ZH.get(flag.kind, flag.kind)}] {flag.message}"
    lines = [head]
    if flag.expected is not None or flag.stated is not None:
        lines.append(f"应为：{flag.expected if flag.expected is not None else '—'}；报告所述：{flag.stated if flag.stated is not None else '—'}")
    if extra_locations:
        lines.append("另见：" + "、".join(extra_locations))
    if flag.source != "rule":
        lines.append(f"来源：{SOURCE_ZH.get(flag.source, flag.source)}")
    return lines


def comment_text(flag: Flag, extra_locations: Sequence[str] = ()) -> str:
    return "\n".join(comment_lines(flag, extra_locations))


def _add_comment(document, runs: Sequence[Run], lines: list[str]):
    comment = document.add_comment(list(runs), text=lines[0], author=AUTHOR, initials=INITIALS)
    for line in lines[1:]:
        comment.add_paragraph(line)
    return comment


def primary_evidence(flag: Flag) -> Evidence | None:
    """The evidence a flag's comment is anchored on: the first one with a location."""
    for ev in flag.evidence:
        if ev.location is not None:
            return ev
    return flag.evidence[0] if flag.evidence else None


# --------------------------------------------------------------------------- docx walk


@dataclass
class DocxMap:
    """Body paragraphs and tables of a .docx in the reader's order."""

    paragraphs: list = field(default_factory=list)  # w:p elements outside tables
    tables: list = field(default_factory=list)  # w:tbl elements, nested included
    cells: list[dict[tuple[int, int], object]] = field(default_factory=list)  # per table: (row, col) -> w:tc

    def cell(self, table: int, row: int, col: int):
        """The w:tc at (row, col) of a table; the cell covering ``col`` if none starts there."""
        if table < 0 or table >= len(self.cells):
            return None
        grid = self.cells[table]
        tc = grid.get((row, col))
        if tc is not None:
            return tc
        best = None
        for (r, c), el in grid.items():
            if r == row and c <= col and (best is None or c > best[0]):
                best = (c, el)
        return best[1] if best else None


def map_docx(document) -> DocxMap:
    """Walk the body exactly as the reader does (:mod:`reviewer.ingest.docx`): body
    paragraphs in document order through content controls, tables numbered depth-first in
    document order (a nested table right where it appears in its outer cell), tracked-deleted
    rows left out, cells keyed by the grid column of their left edge, a legacy ``hMerge``
    continuation folded into the cell before it."""
    m = DocxMap()

    def walk_table(tbl) -> None:
        grid: dict[tuple[int, int], object] = {}
        m.tables.append(tbl)
        m.cells.append(grid)
        rows = [tr for tr in wordml.iter_children(tbl, wordml.ROWS) if not wordml.is_deleted_row(tr)]
        for r, tr in enumerate(rows):
            col = wordml.grid_before(tr)
            first = True
            for tc in wordml.iter_children(tr, wordml.CELLS):
                span = wordml.grid_span(tc)
                if wordml.merge_state(tc, "hMerge") == "continue" and not first:
                    col += span
                    continue
                first = False
                grid.setdefault((r, col), tc)
                if wordml.merge_state(tc, "vMerge") != "continue":
                    for block in wordml.iter_children(tc, wordml.BLOCKS):
                        if block.tag == wordml.TBL:
                            walk_table(block)
                col += span

    for block in wordml.iter_children(document.element.body, wordml.BLOCKS):
        if block.tag == wordml.P:
            m.paragraphs.append(block)
        else:
            walk_table(block)
    return m


def _anchor_runs(p_el, parent) -> list[Run]:
    """Runs of a paragraph to anchor a comment on (a run is added to an empty paragraph)."""
    para = Paragraph(p_el, parent)
    runs = [Run(r, para) for r in p_el.iterchildren(qn("w:r"))]
    text_runs = [r for r in runs if r._r.find(qn("w:t")) is not None]
    if text_runs:
        return [text_runs[0], text_runs[-1]]
    # text only inside hyperlinks, tracked insertions, smart tags or inline content controls
    wrapped = [Run(r, para) for r in p_el.xpath(
        "./w:hyperlink/w:r[w:t] | ./w:ins/w:r[w:t] | ./w:smartTag/w:r[w:t] | ./w:sdt/w:sdtContent/w:r[w:t]")]
    if wrapped:
        return [wrapped[0], wrapped[-1]]
    if runs:
        return [runs[0], runs[-1]]
    return [para.add_run("")]  # an empty paragraph


def _target(m: DocxMap, loc: Location | None):
    """The w:p to anchor on for a location, or None when it cannot be found."""
    if loc is None:
        return None
    if loc.kind == "paragraph" and loc.paragraph is not None:
        if 0 <= loc.paragraph < len(m.paragraphs):
            return m.paragraphs[loc.paragraph]
        return None
    if loc.kind == "table_cell" and loc.table is not None:
        tc = m.cell(loc.table, loc.row or 0, loc.col or 0)
        if tc is None:
            return None
        paras = [b for b in wordml.iter_children(tc, wordml.BLOCKS) if b.tag == wordml.P]
        for p in paras:  # the reader drops leading empty paragraphs: anchor on the first with text
            text, _ = wordml.paragraph_text(p)
            if text.strip():
                return p
        return paras[0] if paras else None
    return None


@dataclass
class AnnotateResult:
    path: Path
    comments: int = 0
    placed: list[tuple[Flag, str]] = field(default_factory=list)  # flag, where its comment went
    unplaced: int = 0  # flags without a usable location, anchored on the report title / first paragraph


def evidence_location(source, ev: Evidence, flag: Flag | None = None) -> Location | None:
    """Where an evidence quote points.  A quote spanning several table cells (a whole row)
    points at the cell holding the stated value when there is one (e.g. the 95% cell of a
    row quoted for a wrong 执行率), else at its first cell."""
    loc = ev.location or source.locate(ev.start, ev.end)
    if loc is None or loc.kind != "table_cell" or flag is None or not flag.stated or not source.spans:
        return loc
    stated = str(flag.stated).strip()
    if not stated:
        return loc
    text = source.verbatim
    starts = [sp.start for sp in source.spans]
    i = max(0, bisect.bisect_right(starts, ev.start) - 1)
    cands = []
    while i < len(source.spans) and source.spans[i].start < ev.end:
        sp = source.spans[i]
        if sp.end > ev.start and sp.location.kind == "table_cell":
            cell = text[sp.start:sp.end].strip()
            if cell and (cell == stated or stated in cell):
                cands.append((cell != stated, sp.location))
        i += 1
    if cands:
        # exact matches first; among them the last: in a 自评表 row the judged value
        # (得分, 执行率) comes after the reference values (分值, 预算数)
        exact = [c[1] for c in cands if not c[0]]
        return exact[-1] if exact else cands[0][1]
    return loc


def _locations_of(flag: Flag, parsed: ParsedFile) -> list[Location | None]:
    return [evidence_location(parsed.source, ev, flag) for ev in flag.evidence]


def annotate_docx(parsed: ParsedFile, flags: Iterable[Flag], out_path: str | Path, source_path: str | Path | None = None) -> AnnotateResult:
    """Copy the original .docx to ``out_path`` with one comment per flag.

    A flag's comment goes on the paragraph (or the first paragraph of the table cell) of its
    first located evidence; its other evidence locations are listed in the comment.  A flag
    without a usable location goes on the report's title paragraph, else the first paragraph.
    """
    src = Path(source_path or parsed.source.path)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if src.resolve() != out.resolve():
        shutil.copyfile(src, out)
    document = Document(str(out))
    m = map_docx(document)
    body = document._body
    result = AnnotateResult(path=out)
    report_starts = {}
    for flag in flags:
        locs = _locations_of(flag, parsed)
        target, label = None, ""
        for loc in locs:
            target = _target(m, loc)
            if target is not None:
                label = loc.label()
                break
        others = []
        for loc in locs:
            if loc is not None and loc.label() != label and loc.label() not in others:
                others.append(loc.label())
        if target is None:
            result.unplaced += 1
            if flag.report not in report_starts:
                rep = next((r for r in parsed.reports if r.index == flag.report), None)
                loc = parsed.source.locate(rep.title_ref.start if rep and rep.title_ref else (rep.start if rep else 0))
                report_starts[flag.report] = (_target(m, loc), loc.label() if loc else "")
            target, label = report_starts[flag.report]
            if target is None:
                if not m.paragraphs:
                    m.paragraphs.append(document.add_paragraph()._p)
                target, label = m.paragraphs[0], "段落1"
        runs = _anchor_runs(target, body)
        _add_comment(document, runs, comment_lines(flag, others))
        result.comments += 1
        result.placed.append((flag, label))
    document.save(str(out))
    return result


# --------------------------------------------------------------------------- txt / pdf


def text_to_annotated_docx(parsed: ParsedFile, flags: Iterable[Flag], out_path: str | Path) -> AnnotateResult:
    """A new .docx holding the linear text (one paragraph per line) with one comment per
    flag, anchored exactly on the quote of its first evidence."""
    text = parsed.source.verbatim
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    flags = list(flags)
    # line boundaries
    line_starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(i + 1)
    lines = []
    for k, s in enumerate(line_starts):
        e = line_starts[k + 1] - 1 if k + 1 < len(line_starts) else len(text)
        lines.append((s, e))

    # the anchor range of each flag, clipped to the line of its start
    anchors: list[tuple[int, int, int]] = []  # (line, start, end)
    for flag in flags:
        ev = primary_evidence(flag)
        if ev is None:
            rep = next((r for r in parsed.reports if r.index == flag.report), None)
            s = rep.title_ref.start if rep and rep.title_ref else (rep.start if rep else 0)
            e = rep.title_ref.end if rep and rep.title_ref else s
        else:
            s, e = ev.start, ev.end
        s = min(max(0, s), len(text))
        li = max(0, bisect.bisect_right(line_starts, s) - 1)
        ls, le = lines[li]
        e = min(max(e, s), le)
        anchors.append((li, s, e))

    cuts_by_line: dict[int, set[int]] = {}
    for li, s, e in anchors:
        cuts_by_line.setdefault(li, set()).update((s, e))

    document = Document()
    _set_cjk_font(document)
    title = Path(parsed.source.path).name
    document.add_heading(f"{title}（审阅稿）", level=1)
    note = document.add_paragraph(f"原文件为 {parsed.source.format} 格式，以下为读取的文本，批注标注审阅发现的问题。")
    note.runs[0].italic = True
    # line -> list of (start, end, Run)
    line_runs: dict[int, list[tuple[int, int, Run]]] = {}
    for li, (ls, le) in enumerate(lines):
        para = document.add_paragraph()
        cuts = sorted({ls, le} | {c for c in cuts_by_line.get(li, ()) if ls <= c <= le})
        segs = []
        for a, b in zip(cuts, cuts[1:]):
            if b > a:
                segs.append((a, b, para.add_run(text[a:b])))
        line_runs[li] = segs
    result = AnnotateResult(path=out)
    for flag, (li, s, e) in zip(flags, anchors):
        segs = line_runs.get(li) or []
        chosen = [r for a, b, r in segs if a < e and b > s] if e > s else []
        if not chosen:
            chosen = [r for _, _, r in segs][:1] or [document.paragraphs[-1].add_run("")]
        others = []
        ev0 = primary_evidence(flag)
        for ev in flag.evidence:
            if ev is ev0:
                continue
            lab = ev.location.label() if ev.location else f"第{bisect.bisect_right(line_starts, ev.start)}行"
            if lab not in others:
                others.append(lab)
        _add_comment(document, [chosen[0], chosen[-1]], comment_lines(flag, others))
        result.comments += 1
        loc = ev0.location if ev0 and ev0.location else None
        result.placed.append((flag, loc.label() if loc else f"第{li + 1}行"))
    document.save(str(out))
    return result


def _set_cjk_font(document) -> None:
    """Default East Asian font so the new document renders Chinese everywhere."""
    set_cjk_font(document)


def write_annotated(parsed: ParsedFile, flags: Iterable[Flag], out_path: str | Path) -> AnnotateResult:
    """The reviewed .docx for any input format."""
    if parsed.source.format == "docx":
        return annotate_docx(parsed, flags, out_path)
    return text_to_annotated_docx(parsed, flags, out_path)
