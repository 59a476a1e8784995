"""``parse_file``: read a file and extract the structured reports it holds."""

from __future__ import annotations

from pathlib import Path

from reviewer.models import ParsedFile, SourceDocument
from reviewer.structure.report import build_parsed


def parse_source(src: SourceDocument) -> ParsedFile:
    """Structure an already-read document."""
    return build_parsed(src)


def parse_file(path: str | Path) -> ParsedFile:
    """Read ``path`` (.txt/.docx/.pdf) and split it into structured reports.

    Raises :class:`reviewer.models.ReadError` with a bilingual message for bad input.
    """
    from reviewer.ingest import read_document

    return build_parsed(read_document(path))
