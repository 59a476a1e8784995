"""Batch tab: review many uploaded files, write summary.xlsx and a zip of annotated .docx.

Each file is read and reviewed in a worker process under the budget (the engine of
``jixiao batch``), with a progress line as each finishes.  Everything is written under a
temporary folder on this machine.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


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
    """Review ``paths``; yields the state after each file, the last one with the outputs.

    The files are read and reviewed in worker processes under the budget (the same engine
    as ``jixiao batch``): a runaway file is stopped and named, the others are reviewed, and
    they are compared with each other and the administrator's corpus only."""
    import queue
    import threading

    from reviewer.batch.discover import InputFile
    from reviewer.batch.runner import review_files
    from reviewer.batch.state import rename
    from reviewer.outputs.annotate import write_annotated

    from ui.review import UPLOAD_JOBS, display_name, get_session

    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="jixiao-batch-"))
    annotated_dir = folder / "annotated"
    annotated_dir.mkdir(parents=True, exist_ok=True)
    state = BatchOutput(folder=folder, total=len(paths))
    session = get_session()
    # the temporary path is unique and readable; the name shown is the file's own
    inputs = [InputFile(str(Path(p).resolve()), Path(p).resolve(), True) for p in paths]
    names = {f.display: display_name(p) for f, p in zip(inputs, paths)}
    done: queue.Queue = queue.Queue()
    box: dict = {}

    def work() -> None:
        try:
            box["results"], _ = review_files(inputs, session, jobs=UPLOAD_JOBS, keep_parsed=True,
                                             on_outcome=lambda f, o, _: done.put(o))
        except BaseException as e:  # noqa: BLE001 — shown below, the page stays up
            box["error"] = e
        done.put(None)

    threading.Thread(target=work, name="jixiao-ui-batch", daemon=True).start()
    while (first := done.get()) is not None:  # a line as each file's first review finishes
        name = names.get(first.file, first.file)
        if first.error is None:
            state.lines.append(f"✔ {name}：{len(first.reports)} 份报告，{len(first.flags)} 个问题")
        else:
            state.lines.append(f"✘ {first.error.message_zh.replace(first.file, name, 1)}")
        state.done += 1
        yield state
    if "error" in box:
        log.error("batch failed: %r", box["error"])
        state.lines.append("批量审阅出错，未能完成（程序内部错误，详情见服务端日志）")
        yield state
        return
    outcomes = []
    used: set[str] = set()
    zipped: list[Path] = []
    for f in inputs:
        res = box["results"][f.display]
        name = names[f.display]
        outcome = rename(res.outcome, name)
        outcomes.append(outcome)
        if res.parsed is None or outcome.error is not None:
            continue
        target = annotated_dir / _unique(name, used)
        written = write_annotated(res.parsed, [fr.flag for fr in res.outcome.flags], target)
        zipped.append(target)
        state.lines.append(f"✔ {name}：{written.comments} 条批注")
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
