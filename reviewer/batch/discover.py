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


# files a folder of reports holds beside them that are not reports: never listed as unreadable
_NOT_DOCUMENTS = (".jsonl", ".json", ".db", ".ini", ".lnk", ".tmp", ".log", ".md", ".py", ".sh", ".toml", ".yaml", ".yml",
                  ".css", ".js")


def discover(paths: Iterable[str], exclude: Iterable[str | Path] = ()) -> tuple[list[InputFile], list[tuple[str, ReadError]]]:
    """The files named by ``paths``, folders searched recursively; explicitly named files
    and files found in folders are kept whatever their extension, so that the review step
    reports an unsupported one with a clear error instead of skipping it in silence.
    Folders in ``exclude`` (a batch's own output folder) are not searched.

    Returns ``(files, missing)``: files sorted by display path and de-duplicated by
    absolute path, and a ``not_found`` error for each path that does not exist.
    """
    excluded = {Path(x).resolve() for x in exclude}
    found: dict[Path, InputFile] = {}
    missing: list[tuple[str, ReadError]] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            if p.resolve() in excluded:
                continue
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not _skip(d) and Path(root, d).resolve() not in excluded)
                for name in sorted(files):
                    if _skip(name) or name.lower().endswith(_NOT_DOCUMENTS):
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
