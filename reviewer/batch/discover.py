"""Finding the input files of a run: files and folders (recursive), deterministic order."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from reviewer.models import ReadError

DEFAULT_EXTENSIONS: tuple[str, ...] = (".docx", ".txt", ".pdf")


def supported_extensions() -> tuple[str, ...]:
    """The extensions the reader handles (the ingest package may declare more)."""
    try:
        from reviewer.ingest import SUPPORTED_EXTENSIONS  # type: ignore[attr-defined]
    except ImportError:
        return DEFAULT_EXTENSIONS
    return tuple(sorted({e.lower() for e in SUPPORTED_EXTENSIONS} | set(DEFAULT_EXTENSIONS)))


@dataclass(frozen=True)
class InputFile:
    """One file to review. ``display`` is the path as given or found (used in every
    output); ``path`` is absolute; ``explicit`` when it was named on the command line."""

    display: str
    path: Path
    explicit: bool = False


def _skip(name: str) -> bool:
    """Hidden files/folders and Office lock files (``~$报告.docx``)."""
    return name.startswith(".") or name.startswith("~$")


def discover(paths: Iterable[str]) -> tuple[list[InputFile], list[tuple[str, ReadError]]]:
    """The files named by ``paths``, folders searched recursively for supported
    extensions; explicitly named files are kept whatever their extension (the review
    step rejects unsupported ones with a clear error).

    Returns ``(files, missing)``: files sorted by display path and de-duplicated by
    absolute path, and a ``not_found`` error for each path that does not exist.
    """
    exts = supported_extensions()
    found: dict[Path, InputFile] = {}
    missing: list[tuple[str, ReadError]] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not _skip(d))
                for name in sorted(files):
                    if _skip(name) or not name.lower().endswith(exts):
                        continue
                    disp = os.path.join(root, name)
                    found.setdefault(Path(disp).resolve(), InputFile(disp, Path(disp).resolve(), False))
        elif p.exists():
            key = p.resolve()
            prev = found.get(key)
            if prev is None or not prev.explicit:
                found[key] = InputFile(given, key, True)
        else:
            missing.append((given, ReadError(given, "not_found", "文件或文件夹不存在", "no such file or folder")))
    files = sorted(found.values(), key=lambda f: (f.display, str(f.path)))
    return files, missing


def unsupported_error(f: InputFile) -> ReadError | None:
    """A clear error for a file whose extension the reader does not handle."""
    if f.path.suffix.lower() in supported_extensions():
        return None
    ext = f.path.suffix or "（无扩展名）"
    allowed = " ".join(supported_extensions())
    return ReadError(
        f.display,
        "unsupported_format",
        f"不支持的文件格式 {ext}，仅支持 {allowed}",
        f"unsupported file format {f.path.suffix or '(no extension)'}; supported: {allowed}",
    )
