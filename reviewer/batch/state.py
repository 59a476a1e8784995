"""Resumable batch state: one part file per finished input under ``OUT/.parts/``.

A part is named by ``sha1(absolute path, content hash, run fingerprint)``, so a file is
redone only when it changed or the run's options changed.  It holds the file's outcome
and its reports' sentence units (for the cross-file copy pass, so a resumed batch never
reads a finished file again).  A file reviewed a second time with its copies in other
files keeps that result beside it, ``<key>.cross.json``, valid while those copies are the
same (their digest is stored with it).  Parts are written to a temporary file and moved
into place with :func:`os.replace`, so a batch killed at any moment leaves only complete
parts behind.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from reviewer.batch.discover import InputFile
from reviewer.outputs.atomic import atomic_write_bytes
from reviewer.outputs.records import FileOutcome
from vectorstore.copy_entries import CopyEntry

PARTS_DIR = ".parts"


def content_hash(path: Path, chunk: int = 1 << 20) -> str:
    """sha256 of a file's bytes ("unreadable" when it cannot be read: the reader reports
    why).  Only regular files are read here: opening a named pipe or a device would block
    the batch itself; the worker that reads it is stopped by its time budget instead."""
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return "unreadable"
        with open(path, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
    except OSError:
        return "unreadable"
    return h.hexdigest()


class Part(BaseModel):
    """A finished file: its outcome and its reports' sentence units."""

    outcome: FileOutcome
    entries: list[CopyEntry] = Field(default_factory=list)


class CrossPart(BaseModel):
    """A file's outcome after its second review with the copies in other files."""

    digest: str
    outcome: FileOutcome


class PartStore:
    """The finished-file results of one output folder."""

    def __init__(self, out_dir: Path, fingerprint: str):
        self.dir = Path(out_dir) / PARTS_DIR
        self.fingerprint = fingerprint

    def key(self, f: InputFile, digest: str | None = None) -> str:
        """``digest``: the file's content hash when the caller has it already."""
        raw = "\0".join([str(f.path), digest or content_hash(f.path), self.fingerprint])
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def cross_path(self, key: str) -> Path:
        return self.dir / f"{key}.cross.json"

    def load(self, key: str, display: str) -> Part | None:
        """The stored part, or None when absent or unreadable (then it is redone).
        ``display`` replaces the stored path so the same file named differently still
        shows as given."""
        try:
            part = Part.model_validate_json(self.path(key).read_bytes())
        except (OSError, ValidationError, ValueError):
            return None
        if part.outcome.file == display:
            return part
        return Part(outcome=rename(part.outcome, display), entries=[e.renamed(display) for e in part.entries])

    def save(self, key: str, part: Part) -> None:
        atomic_write_bytes(self.path(key), part.model_dump_json().encode("utf-8"))

    def load_cross(self, key: str, digest: str, display: str) -> FileOutcome | None:
        """The second-review outcome stored for the same cross-file matches, else None."""
        try:
            part = CrossPart.model_validate_json(self.cross_path(key).read_bytes())
        except (OSError, ValidationError, ValueError):
            return None
        if part.digest != digest:
            return None
        return rename(part.outcome, display) if part.outcome.file != display else part.outcome

    def save_cross(self, key: str, digest: str, outcome: FileOutcome) -> None:
        atomic_write_bytes(self.cross_path(key), CrossPart(digest=digest, outcome=outcome).model_dump_json().encode())


def rename(out: FileOutcome, display: str) -> FileOutcome:
    """The same outcome with every ``file`` field set to ``display``."""
    out = out.model_copy(deep=True)
    out.file = display
    for r in out.reports:
        r.file = display
    for fr in out.flags:
        fr.flag.file = display
    if out.error is not None:
        old = out.error.file
        out.error.file = display
        out.error.message_zh = out.error.message_zh.replace(old, display, 1)
        out.error.message_en = out.error.message_en.replace(old, display, 1)
    return out
