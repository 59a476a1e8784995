"""Batch tab: review many uploaded files, write summary.xlsx and a zip of annotated .docx.

Runs in the app's own process, one file after another, yielding a progress line per file.
Everything is written under a temporary folder on this machine.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from reviewer.models import ReadError

log = logging.getLogger(__name__)


@dataclass
class BatchOutput:
    folder: Path
    summary: Path | None = None
    zip_path: Path | None = None
    lines: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0


def _unique(name: str, used: set[str]) -> str:
    """The zip entry of one input's annotated .docx: the input's whole name (with its own
    suffix, so 报告.pdf and 报告.xlsx stay apart) and 审阅, numbered when an upload repeats it."""
    stem, kind = Path(name).stem, Path(name).suffix.lstrip(".").lower()
    base = f"{stem}（{kind}）" if kind and kind != "docx" else stem
    cand = f"{base}.审阅.docx"
    i = 2
    while cand in used:
        cand = f"{base}（第{i}个）.审阅.docx"
        i += 1
    used.add(cand)
    return cand


def run_batch(paths: list[str], out_dir: str | Path | None = None) -> Iterator[BatchOutput]:
    """Review ``paths``; yields the state after each file, the last one with the outputs."""
    from reviewer.batch.discover import InputFile
    from reviewer.batch.review import error_outcome, outcome_from_review
    from reviewer.outputs.annotate import write_annotated
    from reviewer.outputs.records import ground_flags
    from reviewer.parse import parse_file
    from reviewer.pipeline import review_parsed

    from ui.review import display_name, get_session

    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="jixiao-batch-"))
    annotated_dir = folder / "annotated"
    annotated_dir.mkdir(parents=True, exist_ok=True)
    state = BatchOutput(folder=folder, total=len(paths))
    session = get_session()
    parsed_files = []
    inputs = []
    for p in paths:
        name = display_name(p)
        inputs.append(InputFile(name, Path(p).resolve(), True))
    # reviewers that compare reports across the batch see every file first
    prepared: dict[int, object] = {}
    if session.needs_prepare:
        for i, f in enumerate(inputs):
            try:
                prepared[i] = parse_file(str(f.path))
            except Exception as e:  # noqa: BLE001
                prepared[i] = e
        ok = [v for v in prepared.values() if not isinstance(v, Exception)]
        for rv in session.reviewers:
            prep = getattr(rv, "prepare", None)
            if callable(prep):
                try:
                    prep(ok)
                except Exception:  # noqa: BLE001
                    log.exception("batch prepare failed")
                    state.lines.append("跨文件比对的准备工作出错（详情见服务端日志），各文件仍逐个审阅。")
    outcomes = []
    used: set[str] = set()
    zipped: list[Path] = []
    for i, f in enumerate(inputs):
        try:
            parsed = prepared.get(i)
            if isinstance(parsed, Exception):
                raise parsed
            if parsed is None:
                parsed = parse_file(str(f.path))
            parsed_files.append(parsed)
            fr = review_parsed(parsed, session.profile, session.reviewers)
            outcome = outcome_from_review(f, fr)
            flags = []
            for rr in sorted(fr.reports, key=lambda r: r.report.index):
                kept, _, _ = ground_flags(rr.flags, parsed.source)
                flags.extend(kept)
            target = annotated_dir / _unique(f.display, used)
            res = write_annotated(parsed, flags, target)
            zipped.append(target)
            state.lines.append(f"✔ {f.display}：{len(outcome.reports)} 份报告，{len(outcome.flags)} 个问题，{res.comments} 条批注")
        except ReadError as e:
            outcome = error_outcome(f, e)
            state.lines.append(f"✘ {f.display}：{e.zh}")
        except Exception as e:  # noqa: BLE001 — recorded per file, the batch goes on
            log.exception("batch: reviewing %s failed", f.display)
            outcome = error_outcome(f, e)
            state.lines.append(f"✘ {f.display}：审阅时出错，未能完成（程序内部错误，详情见服务端日志）")
        outcomes.append(outcome)
        state.done = i + 1
        yield state
    state.summary = folder / "summary.xlsx"
    try:
        from reviewer.outputs.xlsx import write_xlsx

        write_xlsx(state.summary, outcomes)
    except ImportError:
        state.summary = None
        state.lines.append("summary.xlsx 写出模块尚不可用")
    state.zip_path = folder / "批注版报告.zip"
    with zipfile.ZipFile(state.zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in zipped:
            zf.write(p, arcname=p.name)
    yield state
