"""Response cache: SQLite, keyed by model + a hash of the prompt (messages and output
mode), so a re-run costs nothing and gives the same result."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path


def prompt_key(model: str, payload: object) -> str:
    """Stable key for ``model`` and a JSON-serialisable prompt ``payload``."""
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{model}\x00{blob}".encode("utf-8")).hexdigest()


class ResponseCache:
    """A tiny thread-safe key → text store. ``path=None`` keeps it in memory only."""

    def __init__(self, path: str | None):
        self.path = path
        self._lock = threading.Lock()
        self._mem: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
            with self._db:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, model TEXT, "
                    "created REAL, response TEXT)"
                )

    def get(self, key: str) -> str | None:
        with self._lock:
            if key in self._mem:
                return self._mem[key]
            if self._db is None:
                return None
            row = self._db.execute("SELECT response FROM responses WHERE key=?", (key,)).fetchone()
            if row is not None:
                self._mem[key] = row[0]
                return row[0]
            return None

    def put(self, key: str, model: str, response: str) -> None:
        with self._lock:
            self._mem[key] = response
            if self._db is not None:
                with self._db:
                    self._db.execute(
                        "INSERT OR REPLACE INTO responses (key, model, created, response) VALUES (?,?,?,?)",
                        (key, model, time.time(), response),
                    )

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
