"""Each file's cross-file matches kept on disk between the copy search and the file's
second review (:mod:`reviewer.batch.runner`), instead of all of them in the batch process.

Why: at 10,000 reports the matches of every file, held whole until the last second review
(with the re-review task list that carried them), made the batch process about 2 GB, and
every worker of the second reviews was forked from that image.  Spilled, the batch
process holds one path per file, and the worker reads its file's matches itself.  Only
for workers on this machine (the local engine): a Ray worker elsewhere gets them in its
task, as before.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from pathlib import Path

from vectorstore.copy_entries import CrossMatches


class CrossSpill:
    """A folder of pickled :data:`CrossMatches`, one file per input file, removed on close."""

    def __init__(self, parent: Path | None = None):
        if parent is not None:
            Path(parent).mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="cross-pending-", dir=parent))
        self._n = 0

    def put(self, matches: CrossMatches) -> str:
        """Write ``matches``; the path a worker reads them from (:func:`load_cross`)."""
        self._n += 1
        path = self.folder / f"{self._n}.pickle"
        with open(path, "wb") as fh:
            pickle.dump(matches, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return str(path)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "CrossSpill":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_cross(path: str | os.PathLike) -> CrossMatches:
    """The matches :meth:`CrossSpill.put` wrote (a file this batch wrote itself)."""
    with open(path, "rb") as fh:
        return pickle.load(fh)
