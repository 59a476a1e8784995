"""Worker processes that can be stopped: each file is read and reviewed in one, under a
time and memory budget (:class:`~reviewer.batch.budget.WorkBudget`).

Why our own small pool rather than a library: ``concurrent.futures.ProcessPoolExecutor``
cannot stop one task (a hung task keeps its worker for ever, and killing a worker breaks
the whole pool); loky has the same limitation; pebble can stop a task on a timeout but has
no memory budget, and the memory budget must be watched from outside the worker (a regex
or a C decompressor that holds the GIL starves any watchdog thread inside it).  So the
parent process starts the workers, sends one task at a time to each over a pipe, and
sleeps in ``multiprocessing.connection.wait`` on their pipes and process sentinels: it
wakes when a result arrives or a worker dies, and otherwise only every
:data:`SUPERVISE_S` seconds to read each busy worker's CPU time and resident memory
(``/proc/<pid>/stat`` and ``statm``) and its time on the clock; a worker over budget is
killed (SIGKILL) and replaced, and the task's result says why.  A forked worker's memory
is counted from what it holds when forked: the batch process's own pages (its stored
results grow with the batch) are shared with it and are not the file's cost; counted
whole, a 10,000-report batch made every worker look over half the budget and retired it
after each file.  The parent's objects are frozen for the fork (``gc.freeze``, as the
``gc`` documentation advises before a fork), so a worker's garbage collections do not
touch, and thereby copy, the pages it shares with the batch process.  ``bench/bench_workers.py``
prints what supervision costs the parent: 2.7 ms of CPU per task (7 ms when it woke every
50 ms to read /proc), December 2026, two busy cores.  Each worker also arms
``signal.alarm`` for its task, so a worker whose parent died cannot run on for ever.

On the command line (one thread) workers are forked from the process itself; in the web
app they come from a ``forkserver`` that has imported the reader and the rules once, so a
new worker starts in milliseconds with nothing of the parent's threads or data.  A worker
serves up to ``max_tasks`` tasks (the web app uses 1: a fresh process per upload, so no
upload's text stays in a process that then serves another user, and its memory goes back
to the system when it exits) and is retired early once its memory has grown past half the
budget.
"""

from __future__ import annotations

import gc
import math
import multiprocessing as mp
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Generic, Iterable, TypeVar

from reviewer.batch.budget import WorkBudget, install_wait_cell, new_wait_cell, past_time_limit, reset_wait

T = TypeVar("T")
R = TypeVar("R")

SUPERVISE_S = 0.2  # how often a busy worker's CPU time, memory and clock are read
ALARM_GRACE_S = 10  # the worker's own alarm: the parent stops it first
PRELOAD = ["reviewer.batch.task"]  # imported once by the forkserver, shared by every worker

_CTX: Any = None


def _context():
    """``fork`` while this process runs a single thread (the command line: a worker starts
    at once with everything imported), else the ``forkserver`` (the web app's threads must
    not be forked mid-lock); ``spawn`` where neither exists."""
    global _CTX
    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1 and _CTX is None:
        return mp.get_context("fork")
    if _CTX is None:
        if "forkserver" in methods:
            _CTX = mp.get_context("forkserver")
            _CTX.set_forkserver_preload(PRELOAD)
        else:  # Windows
            _CTX = mp.get_context("spawn")
    return _CTX


@dataclass
class TaskResult(Generic[R]):
    """What became of one task: ``value`` when it finished, else ``stopped`` says why
    (``too_slow``, ``too_large``, ``died``, ``error``)."""

    value: R | None = None
    stopped: str | None = None
    seconds: float = 0.0  # on the clock
    cpu_seconds: float = 0.0  # CPU time of the worker for this task (as last seen while it ran)
    peak_mb: float = 0.0  # the worker's highest resident memory seen during the task (beyond what it was forked with)
    exitcode: int | None = None
    error: str = ""  # the exception when the task raised (stopped == "error")

    @property
    def ok(self) -> bool:
        return self.stopped is None


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, every thread) a process has used so far (None without /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (None where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return None


def _worker_main(conn: Connection, alarm_s: int, inherited_fd: int, wait_cell: Any = None) -> None:
    """The worker loop: run each ``(func, arg)`` received, send back ``(kind, payload)``.
    Ends when the parent says so, closes its end or dies.  ``wait_cell``: where the
    task's waits for the LLM are reported (:func:`reviewer.batch.budget.waiting_for_model`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if wait_cell is not None:
        install_wait_cell(wait_cell)
    if inherited_fd >= 0:  # forked: the parent's end of our pipe came along; EOF needs it closed
        os.close(inherited_fd)
    parent = os.getppid()
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:  # the parent died (we were adopted): stop
                    return
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        func, arg, env, cwd = msg
        if env != dict(os.environ):  # the parent's settings now, not when the forkserver started
            os.environ.clear()
            os.environ.update(env)
        try:
            os.chdir(cwd)
        except OSError:
            pass
        signal.alarm(alarm_s)
        try:
            out = ("ok", func(arg))
        except MemoryError:
            out = ("memory", "MemoryError")
        except BaseException as e:  # noqa: BLE001 — reported to the parent as the task's error
            out = ("error", f"{type(e).__name__}: {e}")
        signal.alarm(0)
        try:
            conn.send(out)
        except Exception as e:  # noqa: BLE001 — e.g. a result that cannot be pickled
            conn.send(("error", f"{type(e).__name__}: {e}"))


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    tasks: int = 0
    item: Any = None
    started: float = 0.0
    peak: float = 0.0
    cpu0: float = 0.0  # the worker's CPU time when its task started
    cpu: float = 0.0  # CPU time of the current task so far
    busy: bool = False
    wait: Any = None  # shared array: the task's waits for the LLM (not counted on the clock)
    inherited: float = 0.0  # MB resident when forked: the parent's pages, shared until written

    def own_mb(self) -> float | None:
        """Resident memory the worker holds beyond what it was forked with (what its files
        cost): a worker forked from a batch process that holds 800 MB of stored units shows
        800 MB resident before it reads anything, pages it shares with that process."""
        rss = rss_mb(self.proc.pid)
        return None if rss is None else max(0.0, rss - self.inherited)

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, AttributeError, ValueError):
            pass
        self.proc.join(timeout=5)
        self.conn.close()


class InlinePool:
    """The same interface in the calling process, without any budget: ``--jobs 0``, for
    debugging (a breakpoint in a rule) and for code that patches this process."""

    peak_mb = 0.0

    def run_each(self, func: Callable[[T], R], items: Iterable[T],
                 on_done: Callable[[T, TaskResult[R]], None]) -> None:
        for item in items:
            started = time.monotonic()
            on_done(item, TaskResult(value=func(item), seconds=time.monotonic() - started))

    def __enter__(self) -> "InlinePool":
        return self

    def __exit__(self, *exc: object) -> None:
        pass


# The request process of a check served warm (reviewer.warm.server) reviews its one file
# itself; the server watches it through this shared array (the budget's wait cell, and
# after it the task's state, start, CPU time and memory at the start, and its budget).
STATE, STARTED, CPU0, RSS0, B_SECONDS, B_WALL, B_MEMORY, B_LLM = 3, 4, 5, 6, 7, 8, 9, 10
WATCH_FIELDS = 11
IDLE, RUNNING, DONE, STOPPING = 0.0, 1.0, 2.0, 3.0
WATCH_CELL: Any = None  # set by the warm server in each request process
STOPPED: "TaskResult | None" = None  # set by the warm server in the process that replaces a stopped one
RESUME_FDS: tuple[int, int] | None = None  # that process's stdout and stderr, silenced until the stopped task


def new_watch_cell() -> Any:
    """The shared array a request process of the warm server is watched through."""
    return mp.get_context("fork").Array("d", WATCH_FIELDS)


class ServedPool:
    """One task run in this process, a request process of the warm server, which holds
    it to the budget from outside as :class:`WorkerPool` holds a worker: the server reads
    this process's CPU time, memory and clock while :data:`WATCH_CELL` says the task runs,
    and over budget kills it and answers the caller from a fresh fork of itself that runs
    the same command with the task's result set to the stop (:data:`STOPPED`), so the
    output is the one a stopped worker gives.  Saves a served one-file check the worker's
    fork (its pages copied again) and the result's trip through a pipe."""

    def __init__(self, budget: WorkBudget):
        self.budget = budget
        self.peak_mb = 0.0

    def __enter__(self) -> "ServedPool":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def run_each(self, func: Callable[[T], R], items: Iterable[T],
                 on_done: Callable[[T, TaskResult[R]], None]) -> None:
        for item in items:
            on_done(item, self._run(func, item))

    def _run(self, func: Callable[[T], R], item: T) -> TaskResult[R]:
        if STOPPED is not None:  # this process replaces one the server stopped on this task
            _resume_output()  # what came before the task, the stopped process printed
            self.peak_mb = STOPPED.peak_mb
            return STOPPED
        cell, me = WATCH_CELL, os.getpid()
        started, cpu0, base = time.monotonic(), cpu_seconds(me) or 0.0, rss_mb(me) or 0.0
        reset_wait(cell)
        b = self.budget
        with cell.get_lock():
            cell[B_SECONDS], cell[B_WALL], cell[B_MEMORY], cell[B_LLM] = \
                b.seconds, b.wall_seconds, b.memory_mb, b.llm_seconds or 0.0
            cell[STARTED], cell[CPU0], cell[RSS0], cell[STATE] = started, cpu0, base, RUNNING
        install_wait_cell(cell)
        signal.alarm(int(math.ceil(self.budget.wall_seconds)) + ALARM_GRACE_S)  # should the server be gone
        try:
            out: TaskResult = TaskResult(value=func(item))
        except MemoryError:
            out = TaskResult(stopped="too_large", error="MemoryError")
        except Exception as e:  # noqa: BLE001 — the task's error, as a worker reports it
            out = TaskResult(stopped="error", error=f"{type(e).__name__}: {e}")
        finally:
            signal.alarm(0)
            install_wait_cell(None)
            with cell.get_lock():
                stopping = cell[STATE] == STOPPING
                if not stopping:
                    cell[STATE] = DONE
        while stopping:  # the server is stopping this process: it answers from another
            time.sleep(60)
        out.seconds = time.monotonic() - started
        out.cpu_seconds = (cpu_seconds(me) or cpu0) - cpu0
        out.peak_mb = max(0.0, (rss_mb(me) or base) - base)
        self.peak_mb = max(self.peak_mb, out.peak_mb)
        return out


def _resume_output() -> None:
    global RESUME_FDS
    if RESUME_FDS is None:
        return
    import sys

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    for target, fd in zip((1, 2), RESUME_FDS):
        os.dup2(fd, target)
        os.close(fd)
    RESUME_FDS = None


def over_budget(pid: int, cell: Any) -> TaskResult | None:
    """For the warm server: the stopped result when the served process ``pid`` has gone
    over the budget its task runs under (the cell then says STOPPING: the task can no
    longer end), else None."""
    if cell[STATE] != RUNNING:
        return None
    budget = WorkBudget(seconds=cell[B_SECONDS], wall_seconds=cell[B_WALL], memory_mb=int(cell[B_MEMORY]),
                        llm_seconds=cell[B_LLM] or None)
    elapsed = time.monotonic() - cell[STARTED]
    cpu = cpu_seconds(pid)
    if cpu is None:
        return None
    cpu -= cell[CPU0]
    rss = rss_mb(pid)
    peak = max(0.0, rss - cell[RSS0]) if rss is not None else 0.0
    if past_time_limit(budget, cpu, elapsed, cell):
        stopped = "too_slow"
    elif peak > budget.memory_mb:
        stopped = "too_large"
    else:
        return None
    lock = cell.get_lock()
    if not lock.acquire(timeout=1):  # held by a process that died holding it: its end is reaped instead
        return None
    try:
        if cell[STATE] != RUNNING:  # it ended meanwhile
            return None
        cell[STATE] = STOPPING
    finally:
        lock.release()
    return TaskResult(stopped=stopped, seconds=elapsed, cpu_seconds=cpu, peak_mb=peak)


class WorkerPool:
    """``jobs`` worker processes; :meth:`run_each` maps a function over items under a
    per-item budget.  Use as a context manager (the workers are stopped on exit).  Each
    task runs with the caller's environment and working folder of the moment."""

    def __init__(self, jobs: int, budget: WorkBudget, max_tasks: int = 50):
        self.jobs = max(1, jobs)
        self.budget = budget
        self.max_tasks = max(1, max_tasks)
        self._idle: list[_Worker] = []
        self.peak_mb = 0.0  # highest resident memory of any worker

    # ------------------------------------------------------------ workers
    def _spawn(self) -> _Worker:
        ctx = _context()
        parent, child = ctx.Pipe()
        alarm = int(math.ceil(self.budget.wall_seconds)) + ALARM_GRACE_S
        inherited = parent.fileno() if ctx.get_start_method() == "fork" else -1
        cell = new_wait_cell(ctx)
        proc = ctx.Process(target=_worker_main, args=(child, alarm, inherited, cell), daemon=True,
                           name="jixiao-worker")
        forked = ctx.get_start_method() == "fork"
        if forked:  # the child's garbage collector must not walk (and so copy) the parent's objects
            gc.freeze()
        try:
            proc.start()
        finally:
            if forked:
                gc.unfreeze()
        child.close()
        inherited = (rss_mb(proc.pid) or 0.0) if ctx.get_start_method() == "fork" else 0.0
        return _Worker(proc, parent, wait=cell, inherited=inherited)

    def _retire(self, w: _Worker) -> None:
        try:
            w.conn.send(None)
        except OSError:
            pass
        w.proc.join(timeout=1)
        if w.proc.is_alive():
            w.kill()
        else:
            w.conn.close()

    def close(self) -> None:
        for w in self._idle:
            self._retire(w)
        self._idle.clear()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ tasks
    def run_each(self, func: Callable[[T], R], items: Iterable[T],
                 on_done: Callable[[T, TaskResult[R]], None]) -> None:
        """Run ``func(item)`` for every item, up to ``jobs`` at a time, each in a worker;
        ``on_done(item, result)`` runs in this thread as each finishes or is stopped.
        ``func`` must be a module-level function (it is pickled to the worker)."""
        queue = list(items)
        busy: list[_Worker] = []
        next_look = time.monotonic() + SUPERVISE_S
        try:
            while queue or busy:
                while queue and len(busy) < self.jobs:
                    item = queue.pop(0)
                    msg = (func, item, dict(os.environ), os.getcwd())
                    w = self._idle.pop() if self._idle else self._spawn()
                    reset_wait(w.wait)
                    try:
                        w.conn.send(msg)
                    except OSError:  # an idle worker that died meanwhile: a fresh one
                        w.kill()
                        w = self._spawn()
                        reset_wait(w.wait)
                        w.conn.send(msg)
                    w.item, w.started, w.peak, w.busy = item, time.monotonic(), 0.0, True
                    w.cpu0, w.cpu = cpu_seconds(w.proc.pid) or 0.0, 0.0
                    busy.append(w)
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                                 timeout=max(0.0, next_look - time.monotonic())))
                look = time.monotonic() >= next_look
                if look:
                    next_look = time.monotonic() + SUPERVISE_S
                for w in list(busy):
                    if not (look or w.conn in ready or w.proc.sentinel in ready):
                        continue
                    res = self._check(w, measure=look)
                    if res is not None:
                        busy.remove(w)
                        item = w.item
                        self._release(w, res)
                        on_done(item, res)
        finally:
            for w in busy:
                w.kill()

    def run_one(self, func: Callable[[T], R], item: T) -> TaskResult[R]:
        """``func(item)`` in a worker under the budget (blocking)."""
        out: list[TaskResult[R]] = []
        self.run_each(func, [item], lambda _, r: out.append(r))
        return out[0]

    def _check(self, w: _Worker, measure: bool = True) -> TaskResult | None:
        """The task's result when it finished or was stopped, None while it runs.
        ``measure``: also read the worker's CPU time and memory and apply the budget."""
        elapsed = time.monotonic() - w.started
        if w.conn.poll():
            cpu, rss = cpu_seconds(w.proc.pid), w.own_mb()  # once more, for the task's figures
            if cpu is not None:
                w.cpu = cpu - w.cpu0
            if rss is not None:
                w.peak = max(w.peak, rss)
                self.peak_mb = max(self.peak_mb, rss)
            try:
                kind, payload = w.conn.recv()
            except (EOFError, OSError):
                kind, payload = "died", None
            seen = dict(seconds=elapsed, cpu_seconds=w.cpu, peak_mb=w.peak)
            if kind == "ok":
                return TaskResult(value=payload, **seen)
            if kind == "memory":
                return TaskResult(stopped="too_large", error=str(payload), **seen)
            if kind == "error":
                return TaskResult(stopped="error", error=str(payload), **seen)
        if not w.proc.is_alive():
            w.proc.join(timeout=1)
            return TaskResult(stopped="died", seconds=elapsed, cpu_seconds=w.cpu, peak_mb=w.peak,
                              exitcode=w.proc.exitcode)
        if not measure:
            return None
        cpu = cpu_seconds(w.proc.pid)
        w.cpu = elapsed if cpu is None else cpu - w.cpu0
        if past_time_limit(self.budget, w.cpu, elapsed, w.wait):  # the waits for the model have their own limit
            w.kill()
            return TaskResult(stopped="too_slow", seconds=elapsed, cpu_seconds=w.cpu, peak_mb=w.peak)
        rss = w.own_mb()
        if rss is not None:
            w.peak = max(w.peak, rss)
            self.peak_mb = max(self.peak_mb, rss)
            if rss > self.budget.memory_mb:
                w.kill()
                return TaskResult(stopped="too_large", seconds=elapsed, cpu_seconds=w.cpu, peak_mb=w.peak)
        return None

    def _release(self, w: _Worker, res: TaskResult) -> None:
        """Keep a worker that finished its task for the next one, unless it was killed,
        served ``max_tasks`` tasks, or grew past half the memory budget."""
        w.busy, w.item = False, None
        w.tasks += 1
        if not w.proc.is_alive() or w.conn.closed:
            w.kill()
            return
        rss = w.own_mb() or 0.0
        if res.stopped in ("too_slow", "too_large", "died") or w.tasks >= self.max_tasks \
                or rss > self.budget.memory_mb / 2:
            self._retire(w)
        else:
            self._idle.append(w)
