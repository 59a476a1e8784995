"""The outcomes of a batch, kept on disk instead of in memory.

A batch of 10,000 files held every outcome (flags, reports, errors) until the summaries
were written: tens of KiB per file.  :class:`SpilledOutcomes` pickles each outcome to one
temporary file as it is final and reads them back, in file order, every time it is
iterated; only the offsets stay in memory.
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path
from typing import Iterator

from reviewer.outputs.records import FileOutcome


class SpilledOutcomes:
    """A sequence of outcomes sorted by file, stored in a temporary file (deleted when
    this object is closed or collected)."""

    def __init__(self, folder: Path | None = None):
        self._fh = tempfile.TemporaryFile(dir=folder, prefix=".outcomes-")
        self._at: list[tuple[str, int, int]] = []  # (file, offset, length)
        self._sorted = True

    def add(self, out: FileOutcome) -> None:
        blob = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        self._fh.seek(0, 2)
        at = self._fh.tell()
        self._fh.write(blob)
        if self._at and out.file < self._at[-1][0]:
            self._sorted = False
        self._at.append((out.file, at, len(blob)))

    def _order(self) -> None:
        if not self._sorted:
            self._at.sort(key=lambda x: x[0])  # stable, like sorted(outcomes, key=file)
            self._sorted = True

    def __len__(self) -> int:
        return len(self._at)

    def _load(self, at: int, size: int) -> FileOutcome:
        self._fh.seek(at)
        return pickle.loads(self._fh.read(size))

    def __getitem__(self, i: int) -> FileOutcome:
        self._order()
        _, at, size = self._at[i]
        return self._load(at, size)

    def __iter__(self) -> Iterator[FileOutcome]:
        self._order()
        for _, at, size in list(self._at):
            yield self._load(at, size)

    def close(self) -> None:
        self._fh.close()
