"""Atomic file writes: a reader never sees a half-written output or part file."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then
    :func:`os.replace`.  The file gets the usual permissions (umask applies)."""
    with atomic_writer(path) as fh:
        fh.write(data)


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle on a temporary file next to ``path``, moved onto ``path`` when the
    block ends without an exception (deleted otherwise): a writer streams to it instead of
    building the whole output in memory first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "xb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def remove_stale_temps(folder: Path) -> int:
    """Delete the temporary files a killed writer left in ``folder`` (``.<name>.<hex>.tmp``,
    e.g. ``.summary.xlsx.3f….tmp``); run before writing there again.  Returns the count."""
    n = 0
    for p in Path(folder).glob(".*.*.tmp"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n
