"""Resumable batch state: one part file per finished input under ``OUT/.parts/``.

A part is named by ``sha1(absolute path, content hash, run fingerprint)``, so a file is
redone only when it changed or the run's options changed.  Parts are written to a
temporary file and moved into place with :func:`os.replace`, so a batch killed at any
moment leaves only complete parts behind.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from reviewer.batch.discover import InputFile
from reviewer.outputs.atomic import atomic_write_bytes
from reviewer.outputs.records import FileOutcome

PARTS_DIR = ".parts"


def content_hash(path: Path, chunk: int = 1 << 20) -> str:
    """sha256 of a file's bytes ("missing" when it cannot be read: the reader reports why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
    except OSError:
        return "unreadable"
    return h.hexdigest()


class PartStore:
    """The finished-file results of one output folder."""

    def __init__(self, out_dir: Path, fingerprint: str):
        self.dir = Path(out_dir) / PARTS_DIR
        self.fingerprint = fingerprint

    def key(self, f: InputFile) -> str:
        raw = "\0".join([str(f.path), content_hash(f.path), self.fingerprint])
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def load(self, key: str, display: str) -> FileOutcome | None:
        """The stored outcome, or None when absent or unreadable (then it is redone).
        ``display`` replaces the stored path so the same file named differently still
        shows as given."""
        p = self.path(key)
        try:
            data = p.read_bytes()
            out = FileOutcome.model_validate_json(data)
        except (OSError, ValidationError, ValueError):
            return None
        return rename(out, display) if out.file != display else out

    def save(self, key: str, outcome: FileOutcome) -> None:
        atomic_write_bytes(self.path(key), outcome.model_dump_json().encode("utf-8"))


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
