"""Review pipeline: parse a file, run the rules, then any extra reviewers; one defect
reported by several rules (or twice by one) is one finding (reviewer.dedupe).

Extra reviewers are the plugin seam for the retrieval layer (boilerplate, vague
problems) and the LLM judge.  A reviewer sees the rule flags but cannot change them:
the pipeline keeps the rule flags as they were and only appends what reviewers add.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from reviewer.checks import run_rules
from reviewer.dedupe import dedupe_flags
from reviewer.models import Flag, ParsedFile, Report
from reviewer.profile import Profile

log = logging.getLogger("jixiao")


@dataclass
class ReviewResult:
    """What a reviewer adds for one report."""

    flags: list[Flag] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)  # e.g. {"llm_dropped_quotes": 2}
    failures: list = field(default_factory=list)  # why the reviewer could not do its part (reviewer.llm.failures.Failure)


class Reviewer(Protocol):
    """A source of flags beyond the deterministic rules (retrieval, llm)."""

    name: str

    def review(self, parsed: ParsedFile, report: Report, rule_flags: list[Flag]) -> ReviewResult: ...


@dataclass
class ReportReview:
    report: Report
    flags: list[Flag]
    stats: dict[str, int] = field(default_factory=dict)
    failures: list = field(default_factory=list)  # the reviewers' explained failures for this report


@dataclass
class FileReview:
    parsed: ParsedFile
    reports: list[ReportReview]


def review_parsed(parsed: ParsedFile, profile: Profile, reviewers: list[Reviewer] | None = None) -> FileReview:
    """Rule flags for every report of a parsed file, then each reviewer's additions."""
    out = []
    for rep in parsed.reports:
        errors: list[str] = []
        rule_flags = dedupe_flags(list(run_rules(parsed, rep, profile, errors)))
        frozen = [f.model_copy(deep=True) for f in rule_flags]
        flags = list(rule_flags)
        stats: dict[str, int] = {"rule_errors": len(errors)} if errors else {}
        for e in errors:
            log.warning("%s report %d: rule failed: %s", parsed.source.path, rep.index, e)
        failures: list = []
        for rv in reviewers or []:
            try:
                res = rv.review(parsed, rep, [f.model_copy(deep=True) for f in frozen])
            except Exception as exc:  # a reviewer's own failure never costs the report its rule flags
                log.exception("%s report %d: reviewer %s failed", parsed.source.path, rep.index, rv.name)
                stats["reviewer_errors"] = stats.get("reviewer_errors", 0) + 1
                failures.append(reviewer_failure(rv.name, exc))
                continue
            flags.extend(f for f in res.flags if f.source != "rule")
            for k, v in res.stats.items():
                stats[k] = stats.get(k, 0) + v
            failures.extend(getattr(res, "failures", []))
        out.append(ReportReview(report=rep, flags=dedupe_flags(flags), stats=stats, failures=failures))
    return FileReview(parsed=parsed, reports=out)


def reviewer_failure(name: str, exc: BaseException):
    """The explained failure of a reviewer that raised: the report keeps its rule flags."""
    from reviewer.llm.failures import Failure

    what = f"{type(exc).__name__}: {exc}"[:160]
    return Failure(code="reviewer_error", message_zh=f"{name} 审阅出错（{what}），本报告只保留规则检查结果",
                   message_en=f"the {name} reviewer failed ({what}); this report keeps its rule findings only")


def review_file(path: str | Path, profile: Profile, reviewers: list[Reviewer] | None = None) -> FileReview:
    """Read, structure and review one file. Raises ReadError for unreadable input."""
    from reviewer.parse import parse_file

    return review_parsed(parse_file(path), profile, reviewers)
