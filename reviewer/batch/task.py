"""One file of a batch, read and reviewed in a worker process: the unit of work every
executor maps (the worker pool of :mod:`reviewer.batch.workers`; another engine can map
:func:`review_file_task` the same way).  Everything here crosses a process boundary, so
the task and its result are plain picklable data and the session is rebuilt from its
options in the worker."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass

from pydantic import BaseModel, Field

from reviewer.batch.discover import InputFile
from reviewer.batch.review import error_outcome, parse_input, review_input
from reviewer.batch.session import Session, SessionOptions, reopen_session
from reviewer.models import ParsedFile
from reviewer.outputs.records import FileOutcome
from vectorstore.copy_entries import CopyEntry, CrossMatches

# imported here so the forkserver that starts the workers has them loaded once
import reviewer.parse  # noqa: F401,E402
import vectorstore.review  # noqa: F401,E402


@dataclass(frozen=True)
class FileTask:
    """Review ``file``.  ``batch_hashes``: content hashes of every file of the batch
    (a corpus hit in one of them is not a copy from the corpus); ``cross``: this file's
    reports' matches in the batch's other files, for the second review of a file that
    shares text with others (vectorstore.copy_entries)."""

    file: InputFile
    options: SessionOptions
    batch_hashes: frozenset[str] = frozenset()
    cross: CrossMatches | None = None
    keep_parsed: bool = False  # return the parsed file too (the web app shows its text)
    cross_file: str | None = None  # ``cross`` spilled to disk by the batch (reviewer.batch.cross_spill)
    entries: bool = True  # return the reports' sentence units (not when no other file is compared with them)

    def second(self, cross: CrossMatches | None, cross_file: str | None = None) -> "FileTask":
        """The second review with the copies in other files (``cross``, or the file
        ``cross_file`` holding them): rules and retrieval only (the model's findings do not
        depend on them and are kept from the first review, see
        :func:`reviewer.batch.review.with_retrieval_of`)."""
        return FileTask(self.file, self.options.model_copy(update={"no_llm": True}), self.batch_hashes, cross,
                        self.keep_parsed, cross_file, self.entries)


class FileResult(BaseModel):
    """The file's outcome and its reports' sentence units for the cross-file pass."""

    outcome: FileOutcome
    entries: list[CopyEntry] = Field(default_factory=list)
    parsed: ParsedFile | None = None  # with FileTask.keep_parsed
    notices: list[str] = Field(default_factory=list)  # what the reviewers told the user (printed once by the caller)


_SESSIONS: dict[str, Session] = {}


def _session(options: SessionOptions) -> Session:
    """Built once per worker for the same options and environment (the LLM endpoint and
    the corpus come from the environment too)."""
    key = options.model_dump_json() + repr(sorted(os.environ.items()))
    if key not in _SESSIONS:
        _SESSIONS[key] = reopen_session(options)
    return _SESSIONS[key]


def review_file_task(task: FileTask) -> FileResult:
    """Read and review one file (never raises on bad input: the error is the outcome).
    What the reviewers print for the user (an LLM endpoint that rejected a mode …) is
    returned as ``notices``: the caller says each once for the whole run."""
    buf = io.StringIO()
    with contextlib.redirect_stderr(buf):
        res = _review(task)
    res.notices = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    return res


def _review(task: FileTask) -> FileResult:
    session = _session(task.options)
    f = task.file
    cross = task.cross
    if cross is None and task.cross_file is not None:
        from reviewer.batch.cross_spill import load_cross

        cross = load_cross(task.cross_file)
    for rv in session.reviewers:
        begin = getattr(rv, "begin_file", None)
        if callable(begin):
            begin(task.batch_hashes, cross)
    try:
        parsed = parse_input(f)
    except Exception as e:  # noqa: BLE001 — the file's error record
        return FileResult(outcome=error_outcome(f, e))
    for rv in session.reviewers:  # e.g. the LLM reviewer starts on every report of the file at once
        prep = getattr(rv, "prepare", None)
        if callable(prep):
            try:
                prep([parsed])
            except Exception:  # noqa: BLE001 — the reviewer then reviews report by report
                pass
    outcome = review_input(f, session, parsed)
    entries: list[CopyEntry] = []
    for rv in session.reviewers if task.entries else ():
        export = getattr(rv, "copy_entries", None)
        if callable(export) and outcome.error is None:
            entries = export(parsed)
    return FileResult(outcome=outcome, entries=entries, parsed=parsed if task.keep_parsed else None)
