"""Writing every batch output into one folder."""

from __future__ import annotations

from pathlib import Path

from reviewer.outputs.html import write_html
from reviewer.outputs.jsonl import write_errors, write_flags, write_reports
from reviewer.outputs.records import FileOutcome
from reviewer.outputs.xlsx import write_xlsx

OUTPUT_NAMES: tuple[str, ...] = ("flags.jsonl", "reports.jsonl", "errors.jsonl", "summary.xlsx", "summary.html")


def write_all(out_dir: Path, outcomes: list[FileOutcome]) -> dict[str, Path]:
    """Write flags.jsonl, reports.jsonl, errors.jsonl, summary.xlsx and summary.html
    (each atomically) and return their paths by name."""
    out_dir = Path(out_dir)
    paths = {name: out_dir / name for name in OUTPUT_NAMES}
    write_flags(paths["flags.jsonl"], outcomes)
    write_reports(paths["reports.jsonl"], outcomes)
    write_errors(paths["errors.jsonl"], outcomes)
    write_xlsx(paths["summary.xlsx"], outcomes)
    write_html(paths["summary.html"], outcomes)
    return paths
