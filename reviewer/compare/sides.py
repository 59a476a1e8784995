"""Reading and reviewing one side of a comparison (files or folders), exactly as
``jixiao check`` would: the same readers, rules, reviewers, profile and grounding.

Each side gets its own :class:`~reviewer.batch.session.Session`: cross-report reviewers
(boilerplate shared between the reports of a batch) must see the reports of one side only,
otherwise every revised report would be "copied" from its original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reviewer.batch.discover import InputFile, discover
from reviewer.batch.review import error_outcome, outcome_from_review, parse_input
from reviewer.batch.session import Session
from reviewer.compare.models import ReportKey, Side, SideSummary
from reviewer.models import Evidence, ParsedFile, Report
from reviewer.outputs.records import FlagRecord, Positioner
from reviewer.outputs.text import format_error
from reviewer.pipeline import review_parsed


@dataclass
class SideReport:
    """One report of one side, with its grounded findings."""

    key: ReportKey
    parsed: ParsedFile
    report: Report
    flags: list[FlagRecord]
    positioner: Positioner

    @property
    def text(self) -> str:
        return self.parsed.source.text[self.report.start:self.report.end]

    def position(self, start: int, end: int) -> str:
        """A display position for a span of the file text: the reader's location (cell,
        paragraph, page) when there is one, else ``line:col``."""
        src = self.parsed.source
        ev = Evidence(quote=src.quote(start, end), start=start, end=end, location=src.locate(start, end))
        return self.positioner.label(ev)


@dataclass
class LoadedSide:
    summary: SideSummary
    reports: list[SideReport] = field(default_factory=list)
    files: dict[str, ParsedFile] = field(default_factory=dict)  # display path -> parsed file


def _prepare(session: Session, batch: list[ParsedFile]) -> None:
    """Let cross-report reviewers see every file of this side first (the ``prepare`` hook of
    :mod:`reviewer.reviewers`); a failing hook only loses that context."""
    for rv in session.reviewers:
        prep = getattr(rv, "prepare", None)
        if callable(prep) and batch:
            try:
                prep(batch)
            except Exception:  # noqa: BLE001 — the reviewer then works without the side's context
                pass


def load_side(side: Side, paths: list[str], session: Session) -> LoadedSide:
    """Read, structure and review every file named (folders searched); unreadable files
    are listed in the summary's errors, never raised."""
    files, missing = discover(paths)
    parsed: dict[str, ParsedFile] = {}
    failed: dict[str, BaseException] = {}
    for f in files:
        try:
            parsed[f.display] = parse_input(f)
        except Exception as e:  # noqa: BLE001 — listed as the file's error
            failed[f.display] = e
    _prepare(session, [parsed[f.display] for f in files if f.display in parsed])
    errors = [format_error(error_outcome(f, failed[f.display]).error) for f in files if f.display in failed]
    errors += [format_error(error_outcome(InputFile(g, Path(g).absolute(), True), e).error) for g, e in missing]
    out = LoadedSide(summary=SideSummary(paths=list(paths), files=len(files), reports=0, errors=errors))
    for f in files:
        pf = parsed.get(f.display)
        if pf is None:
            continue
        try:
            outcome = outcome_from_review(f, review_parsed(pf, session.profile, session.reviewers), session.profile)
        except Exception as e:  # noqa: BLE001 — a review failure loses this file only
            out.summary.errors.append(format_error(error_outcome(f, e).error))
            continue
        out.files[f.display] = pf
        pos = Positioner(pf.source)
        for rep in pf.reports:
            mine = [fr for fr in outcome.flags if fr.flag.report == rep.index]
            key = ReportKey(side=side, file=f.display, index=rep.index, title=rep.title, project=rep.project,
                            organisation=rep.organisation, year=rep.year, flags=len(mine))
            out.reports.append(SideReport(key=key, parsed=pf, report=rep, flags=mine, positioner=pos))
    out.summary.reports = len(out.reports)
    return out
