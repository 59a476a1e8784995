"""Batch progress on stderr: a tqdm bar on a terminal, one plain line per file otherwise
(logs, CI, pipes), so it never fills a log with carriage returns or breaks on encoding."""

from __future__ import annotations

import os
import sys
from typing import TextIO


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _columns(stream: TextIO) -> int | None:
    """The terminal width, or None when the terminal reports none (tqdm would draw an empty bar)."""
    try:
        cols = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return None
    return cols if cols > 0 else None


class Progress:
    """Counts done files and errors and shows the file just finished."""

    def __init__(self, total: int, desc: str = "审阅", stream: TextIO | None = None, enabled: bool = True,
                 lines: bool = True):
        """``lines=False``: no per-file lines when stderr is not a terminal (a bar still
        shows on a terminal)."""
        self.total, self.done, self.errors, self.desc = total, 0, 0, desc
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.lines = lines
        self._bar = None
        if enabled and total and _is_tty(self.stream):
            from tqdm import tqdm

            width = _columns(self.stream)
            self._bar = tqdm(total=total, desc=desc, unit="文件", file=self.stream, leave=True,
                             dynamic_ncols=width is not None, ncols=None if width else 100,
                             nrows=None if width else 50)

    def skip(self, n: int) -> None:
        """Files already finished by an earlier, interrupted run."""
        if not n:
            return
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            self._bar.set_postfix_str(f"已完成 {self.done} · 错误 {self.errors}")
        elif self.enabled and self.lines:
            self._write(f"{self.desc}：{n} 个文件此前已完成，跳过")

    def advance(self, name: str, error: bool = False, detail: str = "") -> None:
        """One more file done; ``detail`` (e.g. counts) goes on the plain line."""
        self.done += 1
        self.errors += int(error)
        if self._bar is not None:
            self._bar.set_postfix_str(f"{_short(name)} · 已完成 {self.done} · 错误 {self.errors}", refresh=False)
            self._bar.update(1)
        elif self.enabled and self.lines:
            mark = "读取错误" if error else "完成"
            extra = f"：{detail}" if detail else ""
            self._write(f"{self.desc} [{self.done}/{self.total}] {mark} {name}{extra}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _write(self, line: str) -> None:
        try:
            print(line, file=self.stream, flush=True)
        except UnicodeEncodeError:
            enc = getattr(self.stream, "encoding", None) or "ascii"
            print(line.encode(enc, "replace").decode(enc), file=self.stream, flush=True)
        except (OSError, ValueError):  # closed pipe: progress is best effort
            pass

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _short(name: str, width: int = 32) -> str:
    from pathlib import PurePath

    base = PurePath(name).name
    return base if len(base) <= width else "…" + base[-(width - 1):]
