"""The rule registry: one small rule per code, linter style.

A rule is a function ``(report, ctx) -> Iterable[Finding]`` registered with
:func:`rule`.  Its docstring says what it checks and shows a bad and a good example;
``jixiao rules`` prints them.  The registry builds :class:`~reviewer.models.Flag` objects,
so a rule only states the finding: message, evidence spans, expected and stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from reviewer.models import Evidence, Flag, Kind, ParsedFile, Report, Severity, TextRef
from reviewer.profile import Profile
from reviewer.structure.spans import trim_span


@dataclass
class Finding:
    """What a rule reports; turned into a Flag by :func:`run_rules`."""

    message: str
    evidence: list[TextRef | tuple[int, int]]
    expected: str | None = None
    stated: str | None = None
    severity: Severity | None = None  # overrides the rule's default
    kind: Kind | None = None  # overrides the rule's default


@dataclass
class CheckContext:
    """What a rule may look at besides its report."""

    parsed: ParsedFile
    profile: Profile
    cache: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.parsed.source.text


RuleFunc = Callable[[Report, CheckContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    kind: Kind
    severity: Severity
    func: RuleFunc
    absence: bool = False  # reports that something is missing: silent on a report that is cut off
    default_off: bool = False  # runs only when selected by its full code (select = ["D11"])

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, kind: Kind, severity: Severity, *, absence: bool = False,
         default_off: bool = False) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule under ``code`` (e.g. ``D02``).  ``absence=True`` marks a rule that reports
    something *missing* from the whole report: it does not run on a report whose text is cut
    off (``Report.truncated_at``), where the missing part may simply lie past the cut.
    ``default_off=True`` marks a rule about what the rules allow (财预〔2020〕10号 lets a
    department adjust its weights): it runs only when a profile selects its full code."""

    def deco(func: RuleFunc) -> RuleFunc:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        REGISTRY[code] = Rule(code, name, kind, severity, func, absence, default_off)
        return func

    return deco


MIN_QUOTE = 4  # non-space characters; a shorter quote ("94", "优") says little on its own


def widen(parsed: ParsedFile, start: int, end: int) -> tuple[int, int]:
    """A span too short to stand alone, widened to its table row or its sentence."""
    text = parsed.source.text
    for t in parsed.tables:
        if not (t.start <= start < t.end + 1):
            continue
        for row in t.rows:
            if row and row[0].start <= start and end <= row[-1].end:
                return row[0].start, row[-1].end
    from reviewer.checks._common import sentence_at

    return sentence_at(text, start)


def make_evidence(parsed: ParsedFile, spans: Iterable[TextRef | tuple[int, int]]) -> list[Evidence]:
    """Evidence objects for spans of the source text; quotes are sliced, never retyped."""
    text = parsed.source.text
    out: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for sp in spans:
        start, end = (sp.start, sp.end) if isinstance(sp, TextRef) else sp
        if len("".join(text[start:end].split())) < MIN_QUOTE:
            start, end = widen(parsed, start, end)
        start, end = trim_span(text, start, end)  # quotes read well; offsets stay exact
        if end <= start or (start, end) in seen:
            continue
        seen.add((start, end))
        out.append(Evidence(quote=parsed.source.quote(start, end), start=start, end=end, location=parsed.source.locate(start, end)))
    return out


def _match(code: str, pats: list[str]) -> bool:
    return any(code.startswith(p) for p in pats)


def rule_selected(profile: Profile, code: str) -> bool:
    """Whether the profile's ``select``/``ignore`` (prefix match, like ruff) enable ``code``."""
    if profile.select and not _match(code, profile.select):
        return False
    if code in REGISTRY and REGISTRY[code].default_off and code not in profile.select:
        return False  # opt-in: a prefix (select = ["D"]) does not turn it on
    return not _match(code, profile.ignore)


def selected_rules(profile: Profile) -> list[Rule]:
    """Rules enabled by the profile's ``select``/``ignore``."""
    import reviewer.checks  # noqa: F401  (registers every rule module)

    return [REGISTRY[code] for code in sorted(REGISTRY) if rule_selected(profile, code)]


def _scattered_rows(parsed: ParsedFile, report: Report) -> dict[tuple[int, int], list[TextRef]]:
    """For each indicator row of a form read column by column, whose cells lie apart in the
    text (its ``row`` is only its name): the row's value cells, keyed by the row's span."""
    scattered = {t.index for t in parsed.tables if t.scattered}
    if not scattered:
        return {}
    # (a cell too short to quote on its own, a weight of 10, would be widened into the columns around it)
    return {(r.row.start, r.row.end): [c for c in (r.target, r.actual) if c is not None and len("".join(c.text.split())) >= MIN_QUOTE]
            for r in report.indicators if r.table_index in scattered}


def _with_cells(spans: Iterable[TextRef | tuple[int, int]], cells: dict[tuple[int, int], list[TextRef]]) -> list:
    """``spans``, each row of a column-read form followed by its value cells: the evidence of a
    row then quotes its figures, as a row read across would."""
    out: list = []
    for sp in spans:
        out.append(sp)
        out.extend(cells.get((sp.start, sp.end) if isinstance(sp, TextRef) else tuple(sp), []))
    return out


def run_rules(parsed: ParsedFile, report: Report, profile: Profile, errors: list[str] | None = None) -> Iterator[Flag]:
    """Run every selected rule on one report and yield its flags.

    A rule that raises loses only its own findings: the error is appended to ``errors``
    (re-raised when ``errors`` is None, so tests see it) and the other rules still run."""
    ctx = CheckContext(parsed=parsed, profile=profile)
    cells = _scattered_rows(parsed, report)
    for r in selected_rules(profile):
        if r.absence and report.truncated_at is not None:
            continue
        try:
            found = list(r.func(report, ctx))
        except Exception as exc:  # noqa: BLE001 — one broken rule must not sink the report
            if errors is None:
                raise
            errors.append(f"{r.code}: {type(exc).__name__}: {exc}")
            continue
        for f in found:
            ev = make_evidence(parsed, _with_cells(f.evidence, cells) if cells else f.evidence)
            if not ev:
                continue
            yield Flag(
                file=parsed.source.path,
                report=report.index,
                title=report.title,
                rule=r.code,
                kind=f.kind or r.kind,
                severity=profile.severity_for(r.code, f.severity or r.severity),
                message=f.message,
                evidence=ev,
                expected=f.expected,
                stated=f.stated,
                source="rule",
            )
