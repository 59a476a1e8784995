"""Running a batch: each file is read and reviewed as soon as a worker process is free
(:mod:`reviewer.batch.workers`, under the per-file time and memory budget), stored as a
part and appended to the jsonl outputs as it finishes; then the copies across files are
found from the stored sentence units and the few files that have such copies are
reviewed once more (:mod:`vectorstore.copy_entries`).  The outcomes come back in input
order, whatever the concurrency.

Test hook: with ``JIXIAO_BATCH_STOP_AFTER=N`` in the environment the process exits
abruptly (``os._exit(75)``, no clean-up) right after storing its N-th part — it
simulates a batch killed mid-way, for the resume tests.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from reviewer.batch.budget import WorkBudget, load_budget, too_much_memory, too_slow, worker_died
from reviewer.batch.cross_spill import CrossSpill
from reviewer.batch.discover import InputFile
from reviewer.batch import workers
from reviewer.batch.engine import PoolFactory, TaskPool, local_pool
from reviewer.batch.outcomes import SpilledOutcomes
from reviewer.batch.progress import Progress
from reviewer.batch.review import error_outcome, with_retrieval_of
from reviewer.batch.session import Session
from reviewer.batch.state import Part, PartStore, content_hash
from reviewer.batch.task import FileResult, FileTask, review_file_task
from reviewer.batch.workers import TaskResult
from reviewer.lazy_re import compile_all
from reviewer.models import ParsedFile, ReadError
from reviewer.outputs.atomic import remove_stale_temps
from reviewer.outputs.jsonl import JsonlStream
from reviewer.outputs.records import FileOutcome
from vectorstore.copy_entries import CopyEntry, cross_file_matches, matches_digest

STOP_AFTER_ENV = "JIXIAO_BATCH_STOP_AFTER"
STOP_EXIT_CODE = 75
KEPT_ERRORS = ("internal_error", "too_slow", "too_large", "worker_died")  # retried when a batch resumes


@dataclass
class BatchResult:
    outcomes: SpilledOutcomes | list[FileOutcome]  # sorted by file, missing paths included (read back from disk)
    reviewed: int = 0  # files reviewed in this run
    reused: int = 0  # files taken from parts of an earlier run
    notes: list[str] = field(default_factory=list)
    peak_mb: float = 0.0  # the highest resident memory of a worker process


def _stop_after() -> int | None:
    raw = os.environ.get(STOP_AFTER_ENV, "").strip()
    return int(raw) if raw.isdigit() else None


def _compares_corpus(session: Session) -> bool:
    """Whether a reviewer of the session compares the reports with a corpus of earlier ones."""
    return any(getattr(rv, "corpus", None) for rv in session.reviewers)


def task_outcome(f: InputFile, res: TaskResult[FileResult], budget: WorkBudget) -> FileResult:
    """The file's result, or its error when the worker was stopped or died."""
    if res.ok and res.value is not None:
        return res.value
    if res.stopped == "too_slow":
        err: BaseException = too_slow(f.display, budget)
    elif res.stopped == "too_large":
        err = too_much_memory(f.display, budget, res.peak_mb)
    elif res.stopped == "died":
        err = worker_died(f.display, res.exitcode)
    else:
        err = RuntimeError(res.error)
    return FileResult(outcome=error_outcome(f, err))


def review_files(
    files: list[InputFile],
    session: Session,
    *,
    jobs: int = 1,
    budget: WorkBudget | None = None,
    store: PartStore | None = None,
    on_outcome: Callable[[InputFile, FileOutcome, bool], None] | None = None,
    notes: list[str] | None = None,
    keep_parsed: bool = False,
    pool_factory: PoolFactory | None = None,
    spill: SpilledOutcomes | None = None,
) -> tuple[dict[str, FileResult], float]:
    """Review ``files`` in ``jobs`` worker processes (0: in this process, no budget) and
    return ``({display: result}, peak MB)``; ``keep_parsed``: each result carries the
    parsed file (not for files taken from the store).

    With ``store``, finished files are taken from it and each newly finished file is saved
    there at once.  ``pool_factory``: the engine that runs the files (reviewer.batch.engine;
    default this machine's worker processes).  ``on_outcome(file, outcome, reused)`` runs as each file's first review
    finishes (or is taken from the store), in input order for stored ones.

    ``spill`` (with ``store``): each file's final outcome goes there instead of into the
    returned dict (which is then empty), and the outcomes of stored files are not held
    meanwhile but read back from the store, so memory does not grow with the batch."""
    budget = budget or load_budget(session.options.config_path)
    hashes = {f.display: content_hash(f.path) for f in files}
    keys = {f.display: store.key(f, hashes[f.display]) for f in files} if store is not None else {}
    parts: dict[str, Part] = {}
    on_disk: set[str] = set()  # files whose sentence units are read back from the store when needed
    parsed: dict[str, ParsedFile | None] = {}
    todo: list[InputFile] = []

    def keep(display: str, part: Part, saved: bool) -> None:
        """Hold the outcome; the sentence units too unless the store has them (a batch of
        10,000 reports held 0.8 GB of units, which every forked worker then carried)."""
        if saved:
            on_disk.add(display)
            part = Part(outcome=part.outcome) if spill is None else None
        parts[display] = part

    def first_outcome(display: str) -> FileOutcome:
        """The file's first-review outcome (read back from the store when not held)."""
        held = parts[display]
        if held is not None:
            return held.outcome
        assert store is not None
        stored = store.load(keys[display], display)
        if stored is None:
            raise RuntimeError(f"{display}: stored part unreadable")
        return stored.outcome

    finals: set[str] = set()

    def final(display: str, out: FileOutcome) -> None:
        finals.add(display)
        if spill is not None:
            spill.add(out)
        else:
            outcomes[display] = out

    for f in files:
        part = store.load(keys[f.display], f.display) if store is not None else None
        if part is None:
            todo.append(f)
        else:
            keep(f.display, part, True)
            if on_outcome is not None:
                on_outcome(f, part.outcome, True)
    # every task carries them, so only when a corpus is compared (vectorstore.review: a corpus
    # hit in a file of this batch is no corpus copy): 10,000 hashes pickled into each of
    # 20,000 tasks cost a 10,000-report batch about 7 ms of CPU per task
    batch_hashes = (frozenset(h for h in hashes.values() if h != "unreadable") if _compares_corpus(session)
                    else frozenset())
    said: set[str] = set()

    def tell(fr: FileResult) -> None:
        for line in fr.notices:  # once per run, however many workers said it
            if line not in said:
                said.add(line)
                print(line, file=sys.stderr, flush=True)

    def first_done(task: FileTask, res: TaskResult[FileResult]) -> None:
        fr = task_outcome(task.file, res, budget)
        tell(fr)
        part = Part(outcome=fr.outcome, entries=fr.entries)
        parsed[task.file.display] = fr.parsed
        saved = store is not None and (fr.outcome.error is None or fr.outcome.error.code not in KEPT_ERRORS)
        if saved:
            store.save(keys[task.file.display], part)
        keep(task.file.display, part, saved)
        if on_outcome is not None:
            on_outcome(task.file, fr.outcome, False)

    outcomes: dict[str, FileOutcome] = {}
    if len(todo) > 1 and jobs > 0:
        # the rules' patterns compile on first use (reviewer.lazy_re); compiled here once,
        # every forked worker has them, instead of each worker compiling its own
        compile_all()
    # one file and nothing stored (``jixiao check FILE``): no other file to copy from, so
    # its sentence units are neither returned nor compared across files
    alone = len(files) == 1 and store is None
    if alone and jobs == 1 and pool_factory is None and workers.WATCH_CELL is not None:
        # a check served warm (reviewer.warm.server): its request process reviews the file
        # itself, the server holding it to the budget
        opened: ContextManager[TaskPool] = workers.ServedPool(budget)
    else:
        opened = (pool_factory or local_pool)(jobs, budget)
    with opened as pool:
        pool.run_each(review_file_task, [FileTask(f, session.options, batch_hashes, keep_parsed=keep_parsed,
                                                  entries=not alone) for f in todo], first_done)
        # copies across files: from the stored sentence units, no file is read again
        def entries() -> Iterator[CopyEntry]:  # file by file, read back from the store
            for f in files:
                if f.display not in on_disk:
                    yield from parts[f.display].entries  # type: ignore[union-attr]
                    continue
                assert store is not None
                stored = store.load(keys[f.display], f.display)
                yield from (stored.entries if stored is not None else [])

        by_file: dict[str, dict] = {}
        for key, found in (cross_file_matches(entries) if not alone else {}).items():
            by_file.setdefault(key.rsplit("#", 1)[0], {})[key] = found
        # workers on this machine read each file's matches from disk: the batch process
        # does not hold them all through the second reviews (reviewer.batch.cross_spill)
        local = pool_factory is None or pool_factory is local_pool
        pending = CrossSpill(store.dir if store is not None else None) if local else None
        redo: list[FileTask] = []
        digests: dict[str, str] = {}  # each file's matches digested once (for load_cross and save_cross)
        for f in files:
            mine = by_file.pop(f.display, None)
            if not mine:
                final(f.display, first_outcome(f.display))
                continue
            digests[f.display] = digest = matches_digest(mine)
            kept = store.load_cross(keys[f.display], digest, f.display) if store is not None else None
            if kept is not None:
                final(f.display, kept)
            elif pending is not None:
                redo.append(FileTask(f, session.options, batch_hashes).second(None, pending.put(mine)))
            else:
                redo.append(FileTask(f, session.options, batch_hashes).second(mine))
            del mine
        del by_file

        def second_done(task: FileTask, res: TaskResult[FileResult]) -> None:
            fr = task_outcome(task.file, res, budget)
            tell(fr)
            name = task.file.display
            if fr.outcome.error is not None:  # keep the first review, without the cross-file copies
                if notes is not None:
                    notes.append(f"{name}：与其他文件的雷同比对未完成（{fr.outcome.error.message_zh}）")
                return
            out = with_retrieval_of(first_outcome(name), fr.outcome)
            final(name, out)
            if store is not None:
                store.save_cross(keys[name], digests[name], out)

        try:
            pool.run_each(review_file_task, redo, second_done)
        finally:
            if pending is not None:
                pending.close()
        for task in redo:  # a second review that failed keeps the first, without the cross-file copies
            if task.file.display not in finals:
                final(task.file.display, first_outcome(task.file.display))
    if spill is not None:
        return {}, pool.peak_mb
    results = {f.display: FileResult(outcome=outcomes[f.display], parsed=parsed.get(f.display)) for f in files}
    return results, pool.peak_mb


def run_batch(
    files: list[InputFile],
    missing: list[tuple[str, ReadError]],
    out_dir: Path,
    session: Session,
    jobs: int = 1,
    progress: bool = True,
    budget: WorkBudget | None = None,
    pool_factory: PoolFactory | None = None,
) -> BatchResult:
    """Review ``files`` into ``out_dir/.parts`` (skipping finished ones), appending each
    finished file's records to the jsonl outputs, and return every outcome in order.
    Per-file failures are outcomes with an error; nothing here raises for bad input."""
    store = PartStore(out_dir, session.fingerprint)
    for folder in (Path(out_dir), store.dir):  # what a killed run was writing
        remove_stale_temps(folder)
    result = BatchResult(outcomes=[])
    stop_after = _stop_after()
    stored = 0

    with Progress(len(files), desc="审阅", enabled=progress) as bar, JsonlStream(out_dir) as stream:

        def finished(f: InputFile, out: FileOutcome, reused: bool) -> None:
            nonlocal stored
            stream.add(out)
            if reused:  # these come first, before any file is reviewed
                result.reused += 1
                return
            if result.reviewed == 0:
                bar.skip(result.reused)
            result.reviewed += 1
            if out.error is None:
                detail = f"{len(out.reports)} 份报告，{len(out.flags)} 个问题"
            else:
                detail = f"[{out.error.code}] {out.error.message_zh.removeprefix(f.display + '：')}"
            bar.advance(f.display, error=not out.ok, detail=detail)
            stored += 1
            if stop_after is not None and stored >= stop_after:
                os._exit(STOP_EXIT_CODE)  # test hook: die like a killed process

        spilled = SpilledOutcomes()
        _, result.peak_mb = review_files(files, session, jobs=jobs, budget=budget, store=store, on_outcome=finished,
                                         notes=result.notes, pool_factory=pool_factory, spill=spilled)
        if result.reviewed == 0:
            bar.skip(result.reused)

    for given, err in missing:
        spilled.add(error_outcome(InputFile(given, Path(given).absolute(), True), err))
    result.outcomes = spilled
    return result
