"""Reviewing one input file into a :class:`FileOutcome` (never raises on bad input)."""

from __future__ import annotations

from reviewer.batch.discover import InputFile, unsupported_error
from reviewer.batch.session import Session
from reviewer.models import Flag, ParsedFile, ReadError, Report
from reviewer.outputs.records import (
    ErrorRecord,
    FileOutcome,
    FlagRecord,
    Positioner,
    ReportRecord,
    count_by,
    ground_flags,
)
from reviewer.parse import parse_file
from reviewer.pipeline import FileReview, review_parsed
from reviewer.profile import Profile
from reviewer.structure.scores import grade_of, recompute_total


def parse_input(f: InputFile) -> ParsedFile:
    """Read and structure one file. Raises ReadError (unsupported format included)."""
    err = unsupported_error(f)
    if err is not None:
        raise err
    return parse_file(f.display)


def _grade(report: Report) -> str | None:
    """The stated grade normalised to 优/良/中/差 (the verbatim text if it is none of them)."""
    if report.stated_grade is None:
        return None
    return grade_of(report.stated_grade) or report.stated_grade.text.strip()


def error_outcome(f: InputFile, exc: BaseException) -> FileOutcome:
    """The outcome of a file that could not be read or reviewed."""
    if isinstance(exc, MemoryError):  # the worker's memory ran out: the file is too large to review
        exc = ReadError(f.display, "too_large", "读取和审阅时内存不足，已停止", "ran out of memory while reading and reviewing")
    if isinstance(exc, ReadError):
        rec = ErrorRecord.from_read_error(f.display, exc)
    else:
        rec = ErrorRecord.from_exception(f.display, exc)
    return FileOutcome(file=f.display, error=rec)


def _matches(code: str, prefixes: list[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def apply_profile(flags: list[Flag], profile: Profile) -> list[Flag]:
    """``select``/``ignore`` and severity overrides for every flag, the reviewers' codes
    (R01, J01 …) included — the rule runner already applied them to rule flags."""
    out = []
    for fl in flags:
        if (profile.select and not _matches(fl.rule, profile.select)) or _matches(fl.rule, profile.ignore):
            continue
        if fl.rule in profile.severity and fl.severity != profile.severity[fl.rule]:
            fl = fl.model_copy(update={"severity": profile.severity[fl.rule]})
        out.append(fl)
    return out


def outcome_from_review(f: InputFile, fr: FileReview, profile: Profile | None = None) -> FileOutcome:
    """Grounded flags with display positions, and one ReportRecord per report."""
    source = fr.parsed.source
    pos = Positioner(source)
    out = FileOutcome(file=f.display, format=source.format)
    for rr in sorted(fr.reports, key=lambda r: r.report.index):
        rep = rr.report
        flags = [fl.model_copy(update={"file": f.display}) for fl in rr.flags]
        if profile is not None:
            flags = apply_profile(flags, profile)
        flags, dropped_q, dropped_f = ground_flags(flags, source)
        stats = dict(rr.stats)
        if dropped_q:
            stats["ungrounded_quotes_dropped"] = stats.get("ungrounded_quotes_dropped", 0) + dropped_q
        if dropped_f:
            stats["ungrounded_flags_dropped"] = stats.get("ungrounded_flags_dropped", 0) + dropped_f
        warnings = list(source.warnings) if rep.index == fr.reports[0].report.index else []
        warnings += rep.warnings
        try:
            recomputed = recompute_total(rep)
        except Exception as e:  # a scoring bug must not lose the file's flags
            recomputed = None
            warnings.append(f"recompute_total failed: {type(e).__name__}: {e}")
        out.reports.append(
            ReportRecord(
                file=f.display,
                index=rep.index,
                title=rep.title,
                project=rep.project,
                organisation=rep.organisation,
                year=rep.year,
                sections=list(dict.fromkeys(s.kind for s in rep.sections)),
                stated_score=rep.stated_total.value if rep.stated_total is not None else None,
                recomputed_score=recomputed,
                stated_grade=_grade(rep),
                flags=len(flags),
                flags_by_severity=count_by(flags, "severity"),
                flags_by_kind=count_by(flags, "kind"),
                flags_by_source=count_by(flags, "source"),
                stats=dict(sorted(stats.items())),
                truncated_at=rep.truncated_at,
                form_unread=rep.form_unread,
                warnings=warnings,
            )
        )
        out.flags.extend(FlagRecord(flag=fl, positions=[pos.label(ev) for ev in fl.evidence]) for fl in flags)
        out.report_errors.extend(ErrorRecord.from_failure(f.display, rep.index, x) for x in rr.failures)
    return out


def with_retrieval_of(first: FileOutcome, second: FileOutcome) -> FileOutcome:
    """``first`` with the retrieval findings (and their counts) of ``second``, the same
    file reviewed again by the rules and the retrieval reviewer only: each report's flags
    stay in pipeline order (rules, retrieval, then the other reviewers')."""
    if first.error is not None or second.error is not None:
        return first
    out = first.model_copy(deep=True)
    out.flags = []
    retrieval = {r.index: [fr for fr in second.flags if fr.flag.report == r.index and fr.flag.source == "retrieval"]
                 for r in second.reports}
    for rec in out.reports:
        mine = [fr for fr in first.flags if fr.flag.report == rec.index]
        kept = [fr for fr in mine if fr.flag.source == "rule"] + retrieval.get(rec.index, []) + \
               [fr for fr in mine if fr.flag.source not in ("rule", "retrieval")]
        flags = [fr.flag for fr in kept]
        new_stats = next((r.stats for r in second.reports if r.index == rec.index), {})
        stats = {k: v for k, v in rec.stats.items() if not k.startswith("retrieval_")}
        stats.update({k: v for k, v in new_stats.items() if k.startswith("retrieval_")})
        rec.stats = dict(sorted(stats.items()))
        rec.flags = len(flags)
        rec.flags_by_severity = count_by(flags, "severity")
        rec.flags_by_kind = count_by(flags, "kind")
        rec.flags_by_source = count_by(flags, "source")
        out.flags.extend(kept)
    return out


def review_input(f: InputFile, session: Session, parsed: ParsedFile | None = None) -> FileOutcome:
    """Parse (unless ``parsed`` is given) and review one file; any failure becomes the
    file's error record so a batch can go on."""
    try:
        if parsed is None:
            parsed = parse_input(f)
        return outcome_from_review(f, review_parsed(parsed, session.profile, session.reviewers), session.profile)
    except Exception as e:  # noqa: BLE001 — recorded per file, the batch goes on
        return error_outcome(f, e)
