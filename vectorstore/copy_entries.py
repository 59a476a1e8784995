"""Copies across the files of a batch when each file is reviewed on its own, in a worker.

A batch reviews every file as soon as it is read, so no file waits for the slowest one
and an interruption loses only the files in flight.  Copy detection (R01) must still see
every report of the batch, so the work is split:

1. a worker reads and reviews one file with the copies *inside* that file, and returns,
   beside the file's outcome, its reports' sentence units as :class:`CopyEntry` records
   (plain JSON, stored in the batch's part file);
2. when every file is done, :func:`cross_file_matches` indexes all the entries (no file is
   read again) and finds, for each report, the near-identical sentences of *other* files
   (the same :class:`~vectorstore.boilerplate.BatchIndex` comparison as a whole-batch run);
3. only the files that have such matches are reviewed once more, with the matches handed
   to the retrieval reviewer, which then writes R01 (and J01, which skips text R01 already
   reports) exactly as if it had seen the whole batch.

Copies are decided per pair of reports, so 1 + 2 find what one whole-batch index finds
(up to :data:`~vectorstore.boilerplate.MAX_CANDIDATES` per sentence, which the two steps
apply separately).
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable, Iterable

from pydantic import BaseModel

from reviewer.models import Report
from vectorstore.boilerplate import BatchIndex, Match, RepEntry, ReportRef
from vectorstore.textutil import norm, shingles
from vectorstore.units import Unit

CrossMatches = dict[str, dict[int, list[Match]]]  # report key -> unit index -> matches in other files


class UnitRecord(BaseModel):
    start: int
    end: int
    text: str
    section: str
    role: str
    cell: bool = False
    label: str = ""

    def unit(self) -> Unit:
        u = Unit(self.start, self.end, self.text, self.section, self.role, cell=self.cell, label=self.label)
        u.n = norm(u.text)
        u.sh = shingles(u.text, 3)
        return u


class ReportStub(BaseModel):
    """What the comparison needs of a report: where it is and what it is about."""

    index: int
    start: int
    end: int
    title: str
    project: str | None = None
    organisation: str | None = None
    year: int | None = None

    def report(self, file: str) -> Report:
        return Report(file=file, index=self.index, start=self.start, end=self.end, title=self.title,
                      project=self.project, organisation=self.organisation, year=self.year)


class CopyEntry(BaseModel):
    """One report's sentence units, as stored in a batch part."""

    key: str
    file: str
    fhash: str = ""
    report: ReportStub
    units: list[UnitRecord]

    @classmethod
    def of(cls, e: RepEntry) -> "CopyEntry":
        r = e.report
        return cls(key=e.key, file=e.file, fhash=e.fhash,
                   report=ReportStub(index=r.index, start=r.start, end=r.end, title=r.title, project=r.project,
                                     organisation=r.organisation, year=r.year),
                   units=[UnitRecord(start=u.start, end=u.end, text=u.text, section=u.section, role=u.role,
                                     cell=u.cell, label=u.label) for u in e.units])

    def renamed(self, file: str) -> "CopyEntry":
        """The same entry for a file now named ``file`` (a resumed batch given other paths)."""
        if file == self.file:
            return self
        return self.model_copy(update={"file": file, "key": f"{file}#{self.report.index}"})


def cross_file_matches(entries: Iterable[CopyEntry] | Callable[[], Iterable[CopyEntry]]) -> CrossMatches:
    """For every report with any: the sentences of *other files* its target sentences
    copy.  ``entries`` in batch order (files by display path, reports by index), or a
    function that yields them afresh each time it is called (read from disk).

    The index keeps no text of the entries (:class:`~vectorstore.boilerplate.SlimEntry`:
    offsets, roles and distinct-sentence ids; only each distinct normalised sentence once),
    so its memory grows by a few bytes per sentence, not by the reports' text.  The quotes
    of the matches found are then read from a second pass over the entries."""
    again = entries if callable(entries) else None
    if again is None:
        entries = list(entries)
        again = lambda: entries  # noqa: E731
    index = BatchIndex()
    files: set[str] = set()
    for ce in again():  # one at a time: the caller may read them from disk
        files.add(ce.file)
        r = ce.report
        ref = ReportRef(r.index, r.title, r.project, r.organisation, r.year)
        index.add_units(ce.key, ce.file, ref, [u.unit() for u in ce.units], slim=True)
    if len(files) < 2:  # one file (``jixiao check FILE``): no other file to copy from
        return {}
    out: CrossMatches = {}
    quotes: dict[str, dict[int, list[Match]]] = {}  # other report -> its unit index -> matches quoting it
    for key, e in index.entries.items():
        found = {i: [m for m in ms if not m.other.same_file] for i, ms in index.copies(e).items()}
        found = {i: ms for i, ms in found.items() if ms}
        if found:
            out[key] = found
            for ms in found.values():
                for m in ms:
                    quotes.setdefault(m.other.key, {}).setdefault(m.other_unit, []).append(m)
    del index
    for ce in again():
        wanted = quotes.get(ce.key)
        if wanted:
            for j, ms in wanted.items():
                for m in ms:
                    m.quote = ce.units[j].text
    return out


def matches_digest(matches: CrossMatches) -> str:
    """A stable digest of a file's cross-file matches: a stored result is reused only
    when the other files still give the same matches."""
    rows = sorted((key, i, m.other.key, m.start, m.end, m.how, round(m.score, 6))
                  for key, by_unit in matches.items() for i, ms in by_unit.items() for m in ms)
    return hashlib.sha1(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
