"""``jixiao batch --engine ray``: the batch's files as Ray tasks, on a local Ray (started
here, ``num_cpus`` = ``--jobs``) or on a running cluster (``--address``).

Why Ray: it is a well-kept engine that already does what a province-scale batch needs of
a cluster — it schedules tasks over the nodes' CPUs, moves arguments and results, notices a
worker process that died and runs its task again (``max_retries``), and stops a task on
request (``ray.cancel(force=True)`` kills its worker).  We write none of that.

Each task calls the same seam as the local pool, :func:`reviewer.batch.task.review_file_task`,
and returns its :class:`~reviewer.batch.task.FileResult` (the outcome and the file's
sentence units) to the driver.  Everything else stays on the driver, exactly as in the
local batch (reviewer.batch.runner): the stored parts under ``--out/.parts`` (resume), the
streamed jsonl outputs, and the cross-file copy step at the end, run over the sentence
units the tasks sent back.  That is the "shared copy index" in its simplest honest form:
one index, built on the driver from every file's units, not a service the workers query.

The per-file budget (``[tool.jixiao.budget]``) under Ray:

* ``seconds`` (CPU), ``wall_seconds`` (the clock, leaving out the waits for the model,
  which have their own limit ``llm_seconds``, as in the local pool) and ``memory_mb``
  (resident memory) — held inside the task by a watch thread that reads the worker's own
  CPU time, clock, model waits and RSS every 0.1 s and raises an exception in the
  reviewing thread when one is over → ``too_slow`` / ``too_large``.
* A task that cannot be stopped from inside (a C call that holds the GIL: a regex, a
  decompressor, a sleep) — stopped by the driver with ``ray.cancel(force=True)`` (its worker
  process is killed) → ``too_slow``, once ``wall_seconds + llm_seconds`` (default
  2 × ``wall_seconds``) have passed since it started: each task first tells the driver it
  started (a streaming generator task), so Ray's start-up of a worker is not counted.  A
  worker that runs a node out of memory is killed by Ray's own memory monitor
  (``OutOfMemoryError`` → ``too_large``).  At most as many tasks are in flight as the
  cluster has CPUs; one that has not started after :data:`START_TIMEOUT_S` is given up
  (``too_slow``).
* A worker process that dies (killed, segfault) — Ray runs the task again, up to
  :data:`MAX_RETRIES` times; when every attempt died the file is ``worker_died``.  Each
  file's result is taken once, by the driver, so nothing is counted twice.
* A worker serves at most :data:`MAX_CALLS` tasks, then Ray starts a fresh one.

Every node must have jixiao (and the same Python packages) installed and must see the
input files, the config file and any ``--corpus`` at the same paths as the driver (a
shared file system); the outputs are written by the driver only.  The driver's settings
from the environment (the LLM endpoint and key, ``JIXIAO_*``) travel with each task.

Nothing is fetched from the network: Ray's usage statistics are off
(``RAY_USAGE_STATS_ENABLED=0``), no dashboard, no ``runtime_env``, and the probes Ray's
head makes anyway are sent to a dead local proxy (:func:`offline_ray_env`; checked with
``strace -f -e trace=connect``: what remains is Ray's UDP ``connect`` to 8.8.8.8:53 to
learn its own address, which sends no packet).

Test hook: ``JIXIAO_RAY_TEST_DIE=<name>[|<marker file>]`` makes the worker reviewing a
file whose name contains ``<name>`` exit at once (``os._exit``), as a killed worker does:
every attempt when no marker is given, else only the first (the marker is created).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, TypeVar

from reviewer.batch.budget import WorkBudget, install_wait_cell, past_time_limit, reset_wait
from reviewer.batch.engine import EngineUnavailable, PoolFactory
from reviewer.batch.workers import TaskResult, cpu_seconds, rss_mb

T = TypeVar("T")
R = TypeVar("R")

POLL_S = 0.05  # how often the driver looks at the tasks in flight
WATCH_S = 0.1  # how often a task's watch thread reads its CPU time and memory
MAX_RETRIES = 2  # a task whose worker died runs again this many times
MAX_CALLS = 50  # tasks a worker process serves before Ray replaces it (as the local pool's max_tasks)
TEST_DIE_ENV = "JIXIAO_RAY_TEST_DIE"

# the driver's environment travels with each task, except what belongs to its own machine
_MACHINE_ENV = frozenset({
    "PATH", "HOME", "PWD", "OLDPWD", "SHELL", "USER", "LOGNAME", "HOSTNAME", "TERM", "SHLVL", "_", "TMPDIR",
    "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH", "LD_PRELOAD", "DISPLAY", "MAIL", "SSH_AUTH_SOCK",
    "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "XDG_RUNTIME_DIR", "XDG_SESSION_ID", "OMP_NUM_THREADS",
    "CUDA_VISIBLE_DEVICES", "PYTEST_CURRENT_TEST",
})
_MACHINE_PREFIXES = ("RAY_", "LC_", "XDG_", "CONDA_", "PYTEST_")


def _import_ray(local: bool = False) -> Any:
    """``ray``, imported with its usage statistics off; ``local``: for a Ray started here,
    with token authentication on (Ray's default for a new cluster, said here so Ray does not
    warn about it; it must be set before ray is imported)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # before ray is imported: nothing phones home
    if local:
        os.environ.setdefault("RAY_AUTH_MODE", "token")
    try:
        import ray
    except ImportError as e:
        raise EngineUnavailable(
            "未安装 Ray，无法使用 --engine ray：请先安装（pip install 'jixiao[ray]' 或 pip install ray），"
            f"或改用默认的 --engine local（{e}）") from e
    return ray


def task_env() -> dict[str, str]:
    """The driver's settings that each task runs with (not its machine's paths)."""
    return {k: v for k, v in os.environ.items()
            if k not in _MACHINE_ENV and not k.startswith(_MACHINE_PREFIXES)}


PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY")
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, a request fails at once


def offline_ray_env() -> dict[str, str]:
    """Settings for Ray's own processes (a local Ray started here, or ``ray start`` on a
    node) so that none of them reaches the network: no usage statistics, and Python HTTP
    clients sent to a proxy that is not there.  Even without a dashboard, Ray's head runs a
    usage-statistics module that probes the cloud metadata address (169.254.169.254, and
    metadata.google.internal through DNS) and, on a ``ray start`` cluster, sends a "usage
    disabled" notice to usage-stats.ray.io; with these settings each fails on 127.0.0.1.
    Ray's own gRPC ignores the proxy (``RAY_grpc_enable_http_proxy`` is off by default).
    Each task gets the driver's proxy settings back (:func:`run_task`)."""
    env = {k: DEAD_PROXY for k in PROXY_VARS}
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    env["RAY_USAGE_STATS_REPORT_URL"] = DEAD_PROXY
    return env


@contextlib.contextmanager
def _env_for_ray_processes(env: dict[str, str]):
    """``env`` in this process's environment while Ray starts its processes (they inherit
    it), the driver's own settings back afterwards."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# ------------------------------------------------------------------ in the Ray worker
class _OverBudget(BaseException):
    """Raised in the reviewing thread by the watch thread (a BaseException, so the
    reviewers' ``except Exception`` do not swallow it)."""


_SET_ENV: set[str] = set()  # keys a previous task of this worker set


def _apply_env(env: dict[str, str], cwd: str) -> None:
    for k in (_SET_ENV | set(PROXY_VARS)) - env.keys():  # the proxy: the driver's, not Ray's (offline_ray_env)
        os.environ.pop(k, None)
    for k, v in env.items():
        if os.environ.get(k) != v:
            os.environ[k] = v
    _SET_ENV.clear()
    _SET_ENV.update(env)
    with contextlib.suppress(OSError):
        os.chdir(cwd)


def _test_die(item: Any) -> None:
    raw = os.environ.get(TEST_DIE_ENV, "")
    if not raw:
        return
    name, _, marker = raw.partition("|")
    display = getattr(getattr(item, "file", None), "display", "")
    if not name or name not in display:
        return
    if marker:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return  # died once already: this attempt runs
        os.close(fd)
    os._exit(13)


class _Watch(threading.Thread):
    """Reads this process's CPU time and RSS while the task runs; over the budget, raises
    :class:`_OverBudget` in the reviewing thread (again every second while it goes on)."""

    def __init__(self, target_ident: int, budget: WorkBudget, wait_cell: Any):
        super().__init__(daemon=True, name="jixiao-budget")
        self.target, self.budget, self.cell = target_ident, budget, wait_cell
        self.started = time.monotonic()
        self.pid = os.getpid()
        self.cpu0 = cpu_seconds(self.pid) or time.process_time()
        self.cpu = 0.0
        self.peak = rss_mb(self.pid) or 0.0
        self.stopped: str | None = None
        self._done = threading.Event()
        self._raised_at = 0.0

    def run(self) -> None:
        while not self._done.wait(WATCH_S):
            cpu = cpu_seconds(self.pid)
            self.cpu = (cpu if cpu is not None else time.process_time()) - self.cpu0
            rss = rss_mb(self.pid)
            if rss is not None:
                self.peak = max(self.peak, rss)
            # the local pool's rule: the clock leaves out the waits for the model, which have their own limit
            slow = past_time_limit(self.budget, self.cpu, time.monotonic() - self.started, self.cell)
            over = "too_slow" if slow else "too_large" if rss is not None and rss > self.budget.memory_mb else None
            if over and time.monotonic() - self._raised_at > 1.0:
                self.stopped = self.stopped or over
                self._raised_at = time.monotonic()
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), ctypes.py_object(_OverBudget))

    def finish(self) -> None:
        self._done.set()
        self.join()
        # an exception the watch raised that did not land yet must not hit the next task
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), None)


STARTED = "started"
_CELL: Any = None


def _wait_cell() -> Any:
    """This worker's record of its waits for the model (reviewer.batch.budget.waiting_for_model),
    made once per worker process."""
    global _CELL
    if _CELL is None:
        import multiprocessing

        _CELL = multiprocessing.Array("d", 3)
        install_wait_cell(_CELL)
    return _CELL


def run_task(func: Callable[[Any], Any], item: Any, env: dict[str, str], cwd: str,
             budget: WorkBudget) -> Iterator[Any]:
    """What a Ray task runs (a streaming generator): first :data:`STARTED`, the moment the
    task runs on a worker (the driver's clock for the wall budget starts then, not while
    Ray starts a worker process), then the outcome of ``func(item)`` run with the driver's
    settings under the CPU and memory budget: ``{kind, value|error, seconds, cpu_seconds,
    peak_mb}``.  When Ray runs the task again after its worker died, the replayed
    :data:`STARTED` is not given to the driver twice."""
    yield STARTED
    yield _run_task(func, item, env, cwd, budget)


def _run_task(func: Callable[[Any], Any], item: Any, env: dict[str, str], cwd: str,
              budget: WorkBudget) -> dict[str, Any]:
    _apply_env(env, cwd)
    _test_die(item)
    started = time.monotonic()
    cell = _wait_cell()
    reset_wait(cell)
    watch = _Watch(threading.get_ident(), budget, cell)
    watch.start()
    kind, payload = "ok", None
    try:
        try:
            payload = func(item)
        finally:
            watch.finish()
    except _OverBudget:
        kind = watch.stopped or "too_slow"
    except MemoryError:
        kind = "too_large"
    except BaseException as e:  # noqa: BLE001 — reported to the driver as the task's error
        kind, payload = "error", f"{type(e).__name__}: {e}"
    if kind != "ok" and watch.stopped:
        kind = watch.stopped
    if kind in ("too_slow", "too_large"):  # what the stopped review held is dropped with it
        from reviewer.batch import task as task_module

        task_module._SESSIONS.clear()
        payload = None
        gc.collect()
    return {"kind": kind, "value": payload if kind == "ok" else None, "error": payload if kind == "error" else "",
            "seconds": time.monotonic() - started, "cpu_seconds": watch.cpu, "peak_mb": watch.peak}


# ------------------------------------------------------------------ on the driver
START_TIMEOUT_S = 600.0  # a task that has not started on any worker by then is given up (too_slow)


@dataclass
class _InFlight:
    item: Any
    submitted: float
    started: float | None = None


class RayPool:
    """The batch's files as Ray tasks: the :class:`~reviewer.batch.engine.TaskPool`
    interface.  ``address`` None: a local Ray with ``jobs`` CPUs, started on entry and
    stopped on exit; else the cluster at that address (this process connects as a driver
    and disconnects on exit).  At most as many tasks are in flight as the cluster has CPUs
    (``jobs`` for a local Ray)."""

    def __init__(self, jobs: int, budget: WorkBudget, address: str | None = None,
                 max_retries: int = MAX_RETRIES, max_calls: int = MAX_CALLS):
        if jobs < 1:
            raise EngineUnavailable("--engine ray 需要 --jobs ≥ 1")
        self.jobs = jobs
        self.budget = budget
        self.address = address
        self.max_retries = max_retries
        self.max_calls = max_calls
        self.peak_mb = 0.0
        self.slots = jobs
        # the task's own watch applies wall_seconds (without the waits for the model); the
        # driver stops a task that could not be stopped from inside (a C call holding the GIL)
        self.backstop_seconds = budget.wall_seconds + (budget.llm_seconds or budget.wall_seconds)
        self._ray: Any = None
        self._remote: Any = None

    def __enter__(self) -> "RayPool":
        ray = self._ray = _import_ray(local=not self.address)
        common = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                      configure_logging=True)
        try:
            if self.address:
                ray.init(address=self.address, **common)
                self.slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
            else:
                # "local": a new Ray of our own, never one that happens to run on this machine
                with _env_for_ray_processes(offline_ray_env()):
                    ray.init(address="local", num_cpus=self.jobs, _node_ip_address="127.0.0.1", **common)
        except EngineUnavailable:
            raise
        except Exception as e:  # noqa: BLE001 — any failure to start or reach Ray is the user's to see
            where = f"Ray 集群 {self.address}" if self.address else "本地 Ray"
            raise EngineUnavailable(f"无法连接{where}：{type(e).__name__}: {e}") from e
        self._remote = ray.remote(max_retries=self.max_retries, retry_exceptions=False,
                                  max_calls=self.max_calls, num_cpus=1)(run_task)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._ray is not None and self._ray.is_initialized():
            self._ray.shutdown()

    def run_each(self, func: Callable[[T], R], items: Iterable[T],
                 on_done: Callable[[T, TaskResult[R]], None]) -> None:
        """Run ``func(item)`` for every item as a Ray task, up to :attr:`slots` at a time;
        ``on_done(item, result)`` runs in this thread once per item, as each finishes or
        is stopped."""
        ray = self._ray
        queue = list(items)
        env = task_env()
        cwd = os.getcwd()
        budget_ref = ray.put(self.budget)
        busy: dict[Any, _InFlight] = {}  # the task's generator -> what the driver knows of it
        try:
            while queue or busy:
                while queue and len(busy) < self.slots:
                    item = queue.pop(0)
                    busy[self._remote.remote(func, item, env, cwd, budget_ref)] = _InFlight(item, time.monotonic())
                ready, _ = ray.wait(list(busy), num_returns=len(busy), timeout=POLL_S)
                now = time.monotonic()
                for gen in ready:
                    task = busy[gen]
                    res = self._next(gen, task, now)
                    if res is None:  # it started
                        continue
                    del busy[gen]
                    self.peak_mb = max(self.peak_mb, res.peak_mb)
                    on_done(task.item, res)
                for gen, task in list(busy.items()):
                    clock = now - (task.started if task.started is not None else task.submitted)
                    limit = self.backstop_seconds if task.started is not None else START_TIMEOUT_S
                    if clock > limit:
                        ray.cancel(gen, force=True)  # kills its worker; a cancelled task is not retried
                        del busy[gen]
                        on_done(task.item, TaskResult(stopped="too_slow", seconds=clock))
        finally:
            for gen in busy:
                with contextlib.suppress(Exception):
                    ray.cancel(gen, force=True)

    def _next(self, gen: Any, task: "_InFlight", now: float) -> TaskResult | None:
        """The next thing a task said: None when it just started, else its result."""
        try:
            ref = next(gen)
        except StopIteration:  # cannot happen before the outcome; a broken task if it does
            return TaskResult(stopped="error", error="Ray task ended without a result")
        started = task.started if task.started is not None else task.submitted
        res = self._result(ref, now - started)
        if res.ok and res.value == STARTED and task.started is None:
            task.started = now
            return None
        return res

    def _result(self, ref: Any, seconds: float) -> TaskResult:
        ray = self._ray
        try:
            out = ray.get(ref)
        except ray.exceptions.OutOfMemoryError as e:  # Ray's memory monitor killed the worker
            return TaskResult(stopped="too_large", seconds=seconds, error=str(e)[:500])
        except ray.exceptions.TaskCancelledError:
            return TaskResult(stopped="too_slow", seconds=seconds)
        except (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError,
                ray.exceptions.ObjectLostError, ray.exceptions.LocalRayletDiedError) as e:
            return TaskResult(stopped="died", seconds=seconds, error=str(e)[:500])
        except ray.exceptions.RayError as e:
            return TaskResult(stopped="error", seconds=seconds, error=f"{type(e).__name__}: {str(e)[:500]}")
        if out == STARTED:
            return TaskResult(value=STARTED, seconds=seconds)
        seen = dict(seconds=seconds, cpu_seconds=out["cpu_seconds"], peak_mb=out["peak_mb"])
        if out["kind"] == "ok":
            return TaskResult(value=out["value"], **seen)
        return TaskResult(stopped=out["kind"], error=out["error"], **seen)


def ray_pool_factory(address: str | None = None) -> PoolFactory:
    """The ``ray`` engine's pool factory; checks at once that Ray can be imported."""
    _import_ray(local=not address)

    def factory(jobs: int, budget: WorkBudget) -> RayPool:
        return RayPool(jobs, budget, address)

    return factory

