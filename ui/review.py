"""Reviewing uploaded files for the app: one :class:`ReportView` per report found."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.models import Flag, ParsedFile, ReadError, Report

from ui.passages import Passage, report_passages
from ui.render import sort_flags

log = logging.getLogger(__name__)


@dataclass
class ReportView:
    key: str  # "<file n>:<report index>"
    name: str  # file name as uploaded
    parsed: ParsedFile
    report: Report
    flags: list[Flag]  # sorted: errors first, then by position
    passages: list[Passage]
    recomputed: float | None = None
    stats: dict = field(default_factory=dict)

    @property
    def choice(self) -> str:
        title = (self.report.title or "").strip() or "（无标题）"
        n = len(self.parsed.reports)
        suffix = f" · 报告{self.report.index + 1}/{n}" if n > 1 else ""
        return f"{self.name}{suffix} · {title[:30]}"


@dataclass
class Reviewed:
    views: list[ReportView] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


_SESSION = None


def get_session(no_llm: bool | None = None):
    """The profile and reviewers, built once per process (and per no_llm setting)."""
    global _SESSION
    from reviewer.batch.session import open_session

    if no_llm is None:
        no_llm = os.environ.get("JIXIAO_UI_NO_LLM", "").lower() in ("1", "true", "yes")
    corpus = os.environ.get("JIXIAO_CORPUS") or None
    key = (no_llm, corpus)
    if _SESSION is None or _SESSION[0] != key:
        notes: list[str] = []
        _SESSION = (key, open_session(no_llm=no_llm, corpus=corpus, notify=notes.append))
    return _SESSION[1]


def reviewer_text(notice: str) -> str:
    """The Chinese half of a bilingual notice ("中文 / English"), without the names of
    environment variables a reviewer does not set (（OPENAI_BASE_URL/JIXIAO_MODEL）)."""
    zh = notice.split(" / ", 1)[0]
    return re.sub(r"[（(][A-Z0-9_/、, ]+[）)]", "", zh).strip()


def display_name(path: str | Path) -> str:
    """The uploaded file's own name (Gradio keeps it as the temp file's name)."""
    return Path(path).name


def review_paths(paths: list[str], start_index: int = 0) -> Reviewed:
    """Parse and review each file; unreadable files become error lines, never exceptions."""
    from reviewer.outputs.records import ground_flags
    from reviewer.structure.scores import recompute_total
    from reviewer.parse import parse_file
    from reviewer.pipeline import review_parsed

    session = get_session()
    out = Reviewed(notices=[reviewer_text(n) for n in session.notices])
    for n, path in enumerate(paths, start_index):
        name = display_name(path)
        try:
            parsed = parse_file(path)
            fr = review_parsed(parsed, session.profile, session.reviewers)
        except ReadError as e:
            out.errors.append(f"{name}：{e.zh}")
            continue
        except Exception:  # noqa: BLE001 — one bad file must not break the page
            log.exception("reviewing %s failed", name)
            out.errors.append(f"{name}：审阅时出错，未能完成（程序内部错误，详情见服务端日志）。请确认文件能正常打开，或另存为 .docx 后重试。")
            continue
        if not fr.reports:
            out.errors.append(f"{name}：未识别出绩效自评报告")
        for rr in sorted(fr.reports, key=lambda r: r.report.index):
            flags, _, _ = ground_flags([f.model_copy(update={"file": name}) for f in rr.flags], parsed.source)
            try:
                recomputed = recompute_total(rr.report)
            except Exception:  # noqa: BLE001
                recomputed = None
            out.views.append(ReportView(
                key=f"{n}:{rr.report.index}", name=name, parsed=parsed, report=rr.report,
                flags=sort_flags(flags), passages=report_passages(parsed, rr.report),
                recomputed=recomputed, stats=dict(rr.stats)))
    return out
