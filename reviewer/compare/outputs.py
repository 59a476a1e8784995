"""Writing every output of a comparison into one folder: compare.html, compare.xlsx and a
commented .docx per NEW file (each written atomically or by the Word writer)."""

from __future__ import annotations

import io
from pathlib import Path

from pydantic import BaseModel, Field

from reviewer.compare.commented_docx import write_commented
from reviewer.compare.register_xlsx import build_compare_workbook
from reviewer.compare.run import Comparison
from reviewer.compare.side_by_side import render_compare_html
from reviewer.outputs.atomic import atomic_write_bytes


class CompareOutputs(BaseModel):
    html: Path
    xlsx: Path
    docx: list[Path] = Field(default_factory=list)
    comments: int = 0  # Word comments written over all .docx


def write_compare_outputs(cmp: Comparison, out_dir: str | Path) -> CompareOutputs:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html = out / "compare.html"
    atomic_write_bytes(html, render_compare_html(cmp).encode("utf-8"))
    xlsx = out / "compare.xlsx"
    buf = io.BytesIO()
    build_compare_workbook(cmp.result).save(buf)
    atomic_write_bytes(xlsx, buf.getvalue())
    written = write_commented(cmp, out)
    return CompareOutputs(html=html, xlsx=xlsx, docx=[w.path for w in written], comments=sum(w.comments for w in written))
