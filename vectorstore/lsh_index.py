"""Banded MinHash LSH held in sorted numpy arrays: bounded memory per sentence and bounded
work per query, whatever the size of the batch.

Each band of a signature is hashed to one uint64; per band the index keeps the keys sorted
with the sentence ids beside them (12 bytes per band per sentence). A query reads at most
``bucket_cap`` ids from each band's bucket (a template sentence that thousands of reports
share fills its buckets; reading the first ``bucket_cap`` of them is enough to know that)
and returns at most ``limit`` ids, those sharing most bands first.

Why not datasketch's ``MinHashLSH`` (the library the issue names): its in-memory storage
is a dict of Python sets per band plus the band byte strings of every key. Measured here
(datasketch 2.0.0, 60 permutations in 30 bands, 2-core machine) 100,000 inserted keys took
1.0 GB of RSS and 17 s of CPU, and ``query`` returns the whole union of the matching
buckets, so a sentence that 10,000 reports share costs 10,000 ids on every query. A
province batch holds about 10⁶ distinct sentences: that would not fit in 4 GiB, and the
cost per report would grow with the batch. datasketch also pulls in scipy (for its
parameter optimiser, which this index does not need: the bands are fixed).
"""

from __future__ import annotations

import numpy as np

from vectorstore.textutil import _splitmix

FREEZE_AT = 4096  # added ids searched linearly until there are this many (or 1/8 of the index)


def band_hashes(sigs: np.ndarray, bands: int) -> np.ndarray:
    """One uint64 per band for each MinHash signature (rows of ``sigs``, shape (m, P))."""
    sigs = np.atleast_2d(np.asarray(sigs, dtype=np.uint64))
    m, p = sigs.shape
    rows = p // bands
    parts = sigs[:, : bands * rows].reshape(m, bands, rows)
    salt = _splitmix(np.arange(1, bands + 1, dtype=np.uint64))
    h = _splitmix(parts[:, :, 0] ^ salt[None, :])
    for k in range(1, rows):
        h = _splitmix(h ^ parts[:, :, k])
    return h


class BandIndex:
    """LSH buckets over integer ids, added in increasing order with their band hashes."""

    def __init__(self, bands: int):
        self.bands = bands
        self._keys = np.zeros((bands, 0), dtype=np.uint64)  # per band, sorted
        self._ids = np.zeros((bands, 0), dtype=np.int32)  # the id beside each key
        self._pend_ids: list[int] = []
        self._pend_keys: list[np.ndarray] = []
        self._pend_matrix: np.ndarray | None = None

    def __len__(self) -> int:
        return self._keys.shape[1] + len(self._pend_ids)

    def add(self, ident: int, keys: np.ndarray) -> None:
        """Index ``ident`` (larger than every id added before) under its band hashes."""
        self._pend_ids.append(ident)
        self._pend_keys.append(np.asarray(keys, dtype=np.uint64))
        self._pend_matrix = None

    def freeze(self) -> None:
        """Merge the ids added since the last freeze into the sorted arrays."""
        if not self._pend_ids:
            return
        new_keys = np.stack(self._pend_keys, axis=1)  # (bands, p)
        new_ids = np.broadcast_to(np.asarray(self._pend_ids, dtype=np.int32), new_keys.shape)
        keys = np.concatenate([self._keys, new_keys], axis=1)
        ids = np.concatenate([self._ids, new_ids], axis=1)
        order = np.argsort(keys, axis=1, kind="stable")  # equal keys keep the earlier id first
        self._keys = np.take_along_axis(keys, order, axis=1)
        self._ids = np.take_along_axis(ids, order, axis=1)
        self._pend_ids, self._pend_keys, self._pend_matrix = [], [], None

    def query_many(self, keys: np.ndarray, limit: int, bucket_cap: int) -> list[np.ndarray]:
        """For each row of ``keys`` (shape (m, bands)): at most ``limit`` ids that share a
        band with it, most shared bands first, then the earliest added; at most
        ``bucket_cap`` ids are read from any one bucket."""
        keys = np.atleast_2d(np.asarray(keys, dtype=np.uint64))
        if len(self._pend_ids) > max(FREEZE_AT, self._keys.shape[1] // 8):
            self.freeze()
        m = keys.shape[0]
        found: list[list[np.ndarray]] = [[] for _ in range(m)]
        if self._keys.shape[1]:
            for b in range(self.bands):
                col = self._keys[b]
                lo = np.searchsorted(col, keys[:, b], side="left")
                hi = np.minimum(np.searchsorted(col, keys[:, b], side="right"), lo + bucket_cap)
                for q in np.nonzero(hi > lo)[0]:
                    found[q].append(self._ids[b, lo[q]:hi[q]])
        if self._pend_ids:
            if self._pend_matrix is None:
                self._pend_matrix = np.stack(self._pend_keys)  # (p, bands)
            pend = np.asarray(self._pend_ids, dtype=np.int32)
            for q in range(m):
                hit = self._pend_matrix == keys[q][None, :]
                for b in np.nonzero(hit.any(axis=0))[0]:
                    found[q].append(pend[hit[:, b]][:bucket_cap])
        out = []
        for parts in found:
            if not parts:
                out.append(np.zeros(0, dtype=np.int32))
                continue
            ids, counts = np.unique(np.concatenate(parts), return_counts=True)
            order = np.lexsort((ids, -counts))[:limit]
            out.append(ids[order])
        return out
