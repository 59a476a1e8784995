"""Running a batch: review every input file (concurrently), store each finished file as a
part, and return the outcomes in input order, whatever the concurrency.

Test hook: with ``JIXIAO_BATCH_STOP_AFTER=N`` in the environment the process exits
abruptly (``os._exit(75)``, no clean-up) right after storing its N-th part — it
simulates a batch killed mid-way, for the resume tests.
"""

from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reviewer.batch.discover import InputFile
from reviewer.batch.progress import Progress
from reviewer.batch.review import error_outcome, parse_input, review_input
from reviewer.batch.session import Session
from reviewer.batch.state import PartStore
from reviewer.models import ParsedFile, ReadError
from reviewer.outputs.records import FileOutcome

STOP_AFTER_ENV = "JIXIAO_BATCH_STOP_AFTER"
STOP_EXIT_CODE = 75


@dataclass
class BatchResult:
    outcomes: list[FileOutcome]  # sorted by file, missing paths included
    reviewed: int = 0  # files reviewed in this run
    reused: int = 0  # files taken from parts of an earlier run
    notes: list[str] = field(default_factory=list)


def _for_each(func: Callable[[InputFile], object], items: list[InputFile], jobs: int,
                 on_done: Callable[[InputFile, object], None]) -> None:
    """Apply ``func`` to ``items`` with up to ``jobs`` threads; ``on_done`` runs in the
    calling thread as each finishes.  Ctrl-C cancels what has not started."""
    if jobs <= 1 or len(items) <= 1:
        for it in items:
            on_done(it, func(it))
        return
    ex = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="jixiao")
    try:
        pending: dict[Future, InputFile] = {}
        queue = list(items)
        while queue or pending:
            while queue and len(pending) < jobs * 2:
                it = queue.pop(0)
                pending[ex.submit(func, it)] = it
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda fu: pending[fu].display):
                on_done(pending.pop(fut), fut.result())
    except BaseException:
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    ex.shutdown(wait=True)


def _stop_after() -> int | None:
    raw = os.environ.get(STOP_AFTER_ENV, "").strip()
    return int(raw) if raw.isdigit() else None


def parse_and_prepare(
    files: list[InputFile], session: Session, jobs: int = 1, progress: bool = True,
    notes: list[str] | None = None,
) -> tuple[dict[str, ParsedFile], dict[str, BaseException]]:
    """Parse every file and hand the parsed ones to each reviewer's ``prepare`` (so
    cross-report reviewers see the whole batch).  Returns ``(parsed, failed)`` keyed by
    display path; a failing ``prepare`` is noted and the run goes on without it."""
    parsed: dict[str, ParsedFile] = {}
    failed: dict[str, BaseException] = {}

    def parse(f: InputFile) -> ParsedFile | BaseException:
        try:
            return parse_input(f)
        except Exception as e:  # noqa: BLE001 — becomes the file's error record
            return e

    with Progress(len(files), desc="解析", enabled=progress, lines=False) as bar:

        def parsed_one(f: InputFile, res: object) -> None:
            if isinstance(res, ParsedFile):
                parsed[f.display] = res
            else:
                failed[f.display] = res  # type: ignore[assignment]
            bar.advance(f.display, error=not isinstance(res, ParsedFile))

        _for_each(parse, files, jobs, parsed_one)
    batch = [parsed[f.display] for f in files if f.display in parsed]
    for rv in session.reviewers:
        prep = getattr(rv, "prepare", None)
        if callable(prep):
            try:
                prep(batch)
            except Exception as e:  # noqa: BLE001 — the reviewer then works without batch context
                name = getattr(rv, "name", type(rv).__name__)
                msg = f"{name}.prepare 失败（{type(e).__name__}: {e}），继续审阅"
                if notes is not None:
                    notes.append(msg)
    return parsed, failed


def run_batch(
    files: list[InputFile],
    missing: list[tuple[str, ReadError]],
    out_dir: Path,
    session: Session,
    jobs: int = 1,
    progress: bool = True,
) -> BatchResult:
    """Review ``files`` into ``out_dir/.parts`` (skipping finished ones) and return every
    outcome in order.  Per-file failures are outcomes with an error; nothing here raises
    for bad input."""
    store = PartStore(out_dir, session.fingerprint)
    keys = {f: store.key(f) for f in files}
    outcomes: dict[str, FileOutcome] = {}
    todo: list[InputFile] = []
    for f in files:
        prev = store.load(keys[f], f.display)
        if prev is None:
            todo.append(f)
        else:
            outcomes[f.display] = prev
    result = BatchResult(outcomes=[], reused=len(files) - len(todo))
    stop_after = _stop_after()
    stored = 0

    def finish(f: InputFile, out: FileOutcome, bar: Progress) -> None:
        nonlocal stored
        if out.error is None or out.error.code != "internal_error":  # a crash is retried on resume
            store.save(keys[f], out)
        outcomes[f.display] = out
        result.reviewed += 1
        if out.error is None:
            detail = f"{len(out.reports)} 份报告，{len(out.flags)} 个问题"
        else:
            detail = f"[{out.error.code}] {out.error.message_zh.removeprefix(f.display + '：')}"
        bar.advance(f.display, error=not out.ok, detail=detail)
        stored += 1
        if stop_after is not None and stored >= stop_after:
            os._exit(STOP_EXIT_CODE)  # test hook: die like a killed process

    parsed: dict[str, ParsedFile] = {}
    failed: dict[str, BaseException] = {}
    if session.needs_prepare and todo:  # the whole batch, finished files included
        parsed, failed = parse_and_prepare(files, session, jobs, progress, result.notes)

    def work(f: InputFile) -> FileOutcome:
        if f.display in failed:
            return error_outcome(f, failed[f.display])
        return review_input(f, session, parsed.pop(f.display, None))

    with Progress(len(files), desc="审阅", enabled=progress) as bar:
        bar.skip(len(files) - len(todo))
        _for_each(
            work,
            todo,
            jobs,
            lambda f, out: finish(f, out, bar),  # type: ignore[arg-type]
        )

    all_out = list(outcomes.values())
    for given, err in missing:
        all_out.append(error_outcome(InputFile(given, Path(given).absolute(), True), err))
    result.outcomes = sorted(all_out, key=lambda o: o.file)
    return result
