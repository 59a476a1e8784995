"""Reviewing uploaded files for the app: one :class:`ReportView` per report found."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.models import Flag, ParsedFile, Report

from ui.passages import Passage, report_passages
from ui.render import sort_flags

log = logging.getLogger(__name__)

UPLOAD_JOBS = 2  # worker processes for the files of one upload


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
    """Read and review each file in a worker process of its own under the budget
    (``[tool.jixiao.budget]``): a hostile upload is stopped and named, and the app and
    the other users go on.  The files of one upload are compared with each other and with
    the administrator's corpus only: the workers start from nothing, so no other user's
    upload is ever in the comparison.  Unreadable files become error lines."""
    from reviewer.batch.discover import InputFile
    from reviewer.batch.runner import review_files

    session = get_session(no_llm=True)  # rules first: the model runs in the background (ui.llm_review)
    out = Reviewed(notices=[reviewer_text(n) for n in session.notices])
    # the temporary path is unique per upload; the name shown is the file's own
    files = [InputFile(str(Path(p).resolve()), Path(p).resolve(), True) for p in paths]
    results, _ = review_files(files, session, jobs=UPLOAD_JOBS, keep_parsed=True)
    for n, (path, f) in enumerate(zip(paths, files), start_index):
        name = display_name(path)
        res = results[f.display]
        if res.outcome.error is not None:
            err = res.outcome.error
            if err.code == "internal_error":
                log.error("reviewing %s failed: %s", name, err.message_en)
                out.errors.append(f"{name}：审阅时出错，未能完成（程序内部错误，详情见服务端日志）。"
                                  "请确认文件能正常打开，或另存为 .docx 后重试。")
            else:
                out.errors.append(f"{name}：{err.message_zh.removeprefix(f.display + '：')}")
            continue
        parsed = res.parsed
        if parsed is None or not res.outcome.reports:
            out.errors.append(f"{name}：未识别出绩效自评报告")
            continue
        by_index = {r.index: r for r in parsed.reports}
        for rec in res.outcome.reports:
            report = by_index[rec.index]
            flags = [fr.flag.model_copy(update={"file": name}) for fr in res.outcome.flags if fr.flag.report == rec.index]
            out.views.append(ReportView(
                key=f"{n}:{rec.index}", name=name, parsed=parsed, report=report,
                flags=sort_flags(flags), passages=report_passages(parsed, report),
                recomputed=rec.recomputed_score, stats=dict(rec.stats)))
    return out
