"""flags.jsonl, reports.jsonl and errors.jsonl, written atomically in outcome order."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Iterable, TextIO

from reviewer.outputs.atomic import atomic_writer
from reviewer.outputs.records import FileOutcome


def dumps(obj: dict) -> str:
    """One JSON line: UTF-8 text, no ASCII escapes, stable key order as given."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def write_flag_lines(outcomes: Iterable[FileOutcome], fh: TextIO) -> int:
    """Every flag as ``Flag.jsonl()``, one per line; returns the count."""
    n = 0
    for o in outcomes:
        for fr in o.flags:
            fh.write(dumps(fr.flag.jsonl()) + "\n")
            n += 1
    return n


def _atomic_text(path: Path, build) -> int:
    """Stream ``build``'s lines into the file (via a temporary file), not into memory first."""
    with atomic_writer(path) as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
        try:
            n = build(fh)
            fh.flush()
        finally:
            fh.detach()  # the raw handle is closed by atomic_writer
    return n


def write_flags(path: Path, outcomes: list[FileOutcome]) -> int:
    return _atomic_text(path, lambda fh: write_flag_lines(outcomes, fh))


def write_reports(path: Path, outcomes: list[FileOutcome]) -> int:
    def build(fh: TextIO) -> int:
        n = 0
        for o in outcomes:
            for r in o.reports:
                fh.write(dumps(r.model_dump()) + "\n")
                n += 1
        return n

    return _atomic_text(path, build)


def write_errors(path: Path, outcomes: list[FileOutcome]) -> int:
    def build(fh: TextIO) -> int:
        n = 0
        for o in outcomes:
            for err in o.error_records():  # the file's own, then its reports' (LLM failures)
                fh.write(dumps(err.model_dump(exclude_none=True)) + "\n")  # "report" only on a report's line
                n += 1
        return n

    return _atomic_text(path, build)


class JsonlStream:
    """flags.jsonl, reports.jsonl and errors.jsonl growing as a batch finishes each file,
    so an interrupted batch leaves the records of every finished file readable.  The batch
    replaces them at its end with the final, sorted files (:func:`write_flags` …)."""

    NAMES = ("flags.jsonl", "reports.jsonl", "errors.jsonl")

    def __init__(self, out_dir: Path):
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        self._fh = {name: open(Path(out_dir) / name, "w", encoding="utf-8") for name in self.NAMES}

    def add(self, outcome: FileOutcome) -> None:
        write_flag_lines([outcome], self._fh["flags.jsonl"])
        for r in outcome.reports:
            self._fh["reports.jsonl"].write(dumps(r.model_dump()) + "\n")
        for err in outcome.error_records():
            self._fh["errors.jsonl"].write(dumps(err.model_dump()) + "\n")
        for fh in self._fh.values():
            fh.flush()

    def close(self) -> None:
        for fh in self._fh.values():
            fh.close()

    def __enter__(self) -> "JsonlStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
