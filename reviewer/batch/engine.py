"""Which engine runs a batch's files: the seam between the batch (reviewer.batch.runner)
and whatever executes :func:`reviewer.batch.task.review_file_task` for each file.

An engine is a *pool factory*: ``factory(jobs, budget)`` returns a context manager with
``run_each(func, items, on_done)`` and ``peak_mb`` — the interface of the local
:class:`~reviewer.batch.workers.WorkerPool`.  Two engines exist:

* ``local`` (the default): this machine's worker processes (reviewer.batch.workers);
* ``ray``: tasks on a Ray cluster, a local one or one given by address
  (reviewer.batch.engine_ray; Ray is imported only when this engine is asked for).

The runner does everything else (the stored parts, the streamed outputs, resuming, the
cross-file copy step at the end) the same way whatever the engine.
"""

from __future__ import annotations

from typing import Callable, ContextManager, Iterable, Literal, Protocol, TypeVar

from reviewer.batch.budget import WorkBudget
from reviewer.batch.workers import InlinePool, TaskResult, WorkerPool

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "ray")
EngineName = Literal["local", "ray"]


class TaskPool(Protocol):
    """What the runner needs of an engine while it is open."""

    peak_mb: float

    def run_each(self, func: Callable[[T], R], items: Iterable[T],
                 on_done: Callable[[T, TaskResult[R]], None]) -> None: ...


PoolFactory = Callable[[int, WorkBudget], ContextManager[TaskPool]]


def local_pool(jobs: int, budget: WorkBudget) -> ContextManager[TaskPool]:
    """This machine's worker processes (``jobs`` 0: in the calling process, no budget)."""
    return WorkerPool(jobs, budget) if jobs > 0 else InlinePool()


def pool_factory(engine: str = "local", address: str | None = None) -> PoolFactory:
    """The pool factory of ``engine``.  Raises :class:`EngineUnavailable` (a Chinese
    message for the user) when the engine cannot be used here."""
    if engine == "local":
        if address:
            raise EngineUnavailable("--address 只能与 --engine ray 一起使用")
        return local_pool
    if engine == "ray":
        from reviewer.batch.engine_ray import ray_pool_factory

        return ray_pool_factory(address)
    raise EngineUnavailable(f"未知的执行引擎 {engine!r}（可选：{'、'.join(ENGINES)}）")


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here (the message is for the user, in Chinese)."""
