"""Sentence embeddings kept on disk between runs, so a passage embedded once (a county's
stock 存在问题, a form's headings) is not embedded again by the next ``jixiao check``.

Why: confirming a paraphrase (R01) needs the dense model; loading USE and embedding a
report's candidate sentences took about 1.5 s of a 3 s ``check`` of a 16-report file,
every run.  With the vectors on disk a re-run loads no model at all.

One SQLite file (stdlib ``sqlite3``: one file, safe with several worker processes writing
at once, no server) under the user's cache dir (``~/.cache/jixiao/embeddings.sqlite3``
on Linux), or where ``JIXIAO_EMBED_CACHE`` says (``off`` disables it).  The key is a
SHA-1 of the backend's spec, the model package's version, :data:`SCHEMA` and the text,
so another model or version never reads these vectors; the value is the float32 vector
as the backend returned it.  The file is kept under :data:`MAX_ROWS` vectors (2 KB each),
the oldest half dropped when it grows past.  Any error of the cache (disk full, a locked
or damaged file) switches it off for the process: the vectors are then computed, as
without a cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Callable

import numpy as np

log = logging.getLogger(__name__)

ENV = "JIXIAO_EMBED_CACHE"
SCHEMA = 1
MAX_ROWS = 200_000  # about 400 MB of 512-d float32 vectors
_BATCH = 500  # keys per SQL query


def cache_path() -> Path | None:
    """The cache file, or None when ``JIXIAO_EMBED_CACHE=off``."""
    raw = os.environ.get(ENV, "").strip()
    if raw.lower() in ("off", "0", "false", "no", "none"):
        return None
    if raw:
        return Path(raw).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jixiao")) / "embeddings.sqlite3"


class EmbeddingCache:
    """Vectors by (model, text) in one SQLite file; every method tolerates failure."""

    def __init__(self, path: Path | None, model_key: str):
        self.path = path
        self.model_key = model_key
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._off = path is None
        self._pruned = False

    def _conn(self) -> sqlite3.Connection | None:
        if self._off:
            return None
        if self._db is None:
            try:
                assert self.path is not None
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS vec (key BLOB PRIMARY KEY, v BLOB NOT NULL)")
                self._db = db
            except (sqlite3.Error, OSError) as e:
                self._disable(e)
        return self._db

    def _disable(self, e: BaseException) -> None:
        log.debug("embedding cache %s off: %s", self.path, e)
        self._off = True
        self._db = None

    def _key(self, text: str) -> bytes:
        return hashlib.sha1(f"{self.model_key}\x00{text}".encode("utf-8")).digest()

    def get_many(self, texts: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one."""
        with self._lock:
            db = self._conn()
            if db is None or not texts:
                return {}
            keys = {self._key(t): t for t in texts}
            out: dict[str, np.ndarray] = {}
            try:
                ks = list(keys)
                for i in range(0, len(ks), _BATCH):
                    part = ks[i:i + _BATCH]
                    rows = db.execute(f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(part))})", part)
                    for k, v in rows:
                        out[keys[bytes(k)]] = np.frombuffer(v, dtype=np.float32).copy()
            except sqlite3.Error as e:
                self._disable(e)
                return {}
            return out

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            db = self._conn()
            if db is None or not vectors:
                return
            try:
                with db:
                    db.executemany("INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                                   [(self._key(t), np.asarray(v, dtype=np.float32).tobytes())
                                    for t, v in vectors.items()])
                if not self._pruned:  # once per process: keep the file bounded
                    self._pruned = True
                    (n,) = db.execute("SELECT count(*) FROM vec").fetchone()
                    if n > MAX_ROWS:
                        with db:
                            db.execute("DELETE FROM vec WHERE rowid IN (SELECT rowid FROM vec ORDER BY rowid LIMIT ?)",
                                       (n - MAX_ROWS // 2,))
            except sqlite3.Error as e:
                self._disable(e)


_CACHES: dict[str, EmbeddingCache] = {}
_CACHES_LOCK = threading.Lock()


def cache_for(model_key: str) -> EmbeddingCache:
    """This process's cache for one model (path from the environment of the moment)."""
    path = cache_path()
    k = f"{path}\x00{model_key}"
    with _CACHES_LOCK:
        if k not in _CACHES:
            _CACHES[k] = EmbeddingCache(path, model_key)
        return _CACHES[k]


def cached_docs(spec: str, version: str, texts: list[str],
                compute: Callable[[list[str]], np.ndarray]) -> list[np.ndarray]:
    """The vectors of ``texts`` (in order): stored ones from the cache, the others by one
    ``compute(missing)`` call, then stored.  ``spec`` and ``version`` name the model."""
    cache = cache_for(f"{spec}|{version}|{SCHEMA}")
    found = cache.get_many(list(dict.fromkeys(texts)))
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    if missing:
        new = dict(zip(missing, compute(missing)))
        cache.put_many(new)
        found.update(new)
    return [found[t] for t in texts]
