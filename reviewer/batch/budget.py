"""The time and memory one file may take while it is read and reviewed.

A file over its budget is stopped (its worker process is killed) and recorded in
errors.jsonl as ``too_slow`` or ``too_large``; the batch and the web app go on.  The
defaults leave a real report (seconds, a few hundred MB) far inside; change them in
``jixiao.toml`` or ``[tool.jixiao]`` of a pyproject.toml::

    [tool.jixiao.budget]
    seconds = 60         # CPU time to read and review one file
    wall_seconds = 180   # clock time, for a file that waits without computing
    memory_mb = 1200     # resident memory of the worker process reviewing it
    llm_seconds = 900    # clock time one file may wait for the LLM (default: from its time-outs)

Time is counted in CPU seconds of the worker, not on the clock: on a busy server (six
batches on two cores) a scanned report that needs 30 s of OCR takes 80 s on the clock,
and its cost, not the machine's load, decides whether it is too slow.  The clock limit
catches what waits without computing (a hung converter, a model endpoint that never
answers) and bounds what one file can take when many wait for a core.

Waiting for the LLM does not count in ``wall_seconds``: a local model on a CPU takes
minutes per report while the worker only waits.  The LLM reviewer wraps each wait in
:func:`waiting_for_model`, which publishes in a small shared array (installed in each
worker by :mod:`reviewer.batch.workers`) since when the worker waits, how long it has
waited for this file and the allowance the LLM client's own time-outs give the wait; the
parent takes the waited time off the clock and stops the file only when the wait itself
passes ``llm_seconds`` (when set) or that allowance.  The worker's own alarm is held while
it waits.  Reading and the rules stay under ``seconds`` and ``wall_seconds`` as before.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewer.models import ReadError


class WorkBudget(BaseModel):
    """Per-file limits (``[tool.jixiao.budget]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seconds: float = Field(60.0, gt=0)
    wall_seconds: float = Field(180.0, gt=0)
    memory_mb: int = Field(1200, gt=0)
    llm_seconds: float | None = Field(None, gt=0)  # None: the allowance of the LLM client's time-outs


def load_budget(config_path: str | Path | None = None) -> WorkBudget:
    """The budget of ``[tool.jixiao.budget]`` in the config (defaults when absent).
    Raises ValueError naming the config file when a value is not a positive number."""
    from reviewer.profile import find_config, load_config

    path = Path(config_path) if config_path else find_config()
    raw = load_config(path) if path is not None else {}
    table = raw.get("budget", {}) if isinstance(raw, dict) else {}
    try:
        return WorkBudget(**table) if isinstance(table, dict) else WorkBudget()
    except ValidationError as exc:
        raise ValueError(f"{path}: [tool.jixiao.budget] 设置有误 / invalid budget: {exc}") from exc


def too_slow(display: str, budget: WorkBudget) -> ReadError:
    limit = f"{budget.seconds:g} 秒 CPU 时间或 {budget.wall_seconds:g} 秒总时长（不含等待大模型的时间）"
    model = f"{budget.llm_seconds:g} 秒" if budget.llm_seconds else "大模型超时设置所允许的时间"
    return ReadError(display, "too_slow",
                     f"读取和审阅超过时间上限（{limit}），或等待大模型超过{model}，已停止"
                     f"（可在 [tool.jixiao.budget] 调整）",
                     f"reading and reviewing took longer than the limit of {budget.seconds:g} s of CPU time "
                     f"or {budget.wall_seconds:g} s in all (waiting for the LLM not counted), or the wait for the "
                     f"LLM took longer than its own limit; stopped")


# --------------------------------------------------------------------------- waiting for the model

SINCE, WAITED, ALLOWED = 0, 1, 2  # the shared array: wait started (monotonic, 0: not waiting), seconds waited, allowance
_CELL: Any = None  # this worker's array (None outside a worker: waiting_for_model does nothing)
_DEPTH = 0
_DEPTH_LOCK = threading.Lock()


def new_wait_cell(ctx: Any) -> Any:
    """The shared array a worker reports its waits for the model in."""
    return ctx.Array("d", 3)


def install_wait_cell(cell: Any) -> None:
    """In a worker process: waits for the model are reported in ``cell`` from now on."""
    global _CELL
    _CELL = cell


def reset_wait(cell: Any) -> None:
    """A new task: nothing waited yet."""
    with cell.get_lock():
        cell[SINCE] = cell[WAITED] = cell[ALLOWED] = 0.0


def model_wait(cell: Any) -> tuple[float, float]:
    """(seconds this task has waited for the model, including a wait under way; the
    allowance its waits were given)."""
    with cell.get_lock():
        since, waited, allowed = cell[SINCE], cell[WAITED], cell[ALLOWED]
    if since:
        waited += max(0.0, time.monotonic() - since)
    return waited, allowed


def past_time_limit(budget: WorkBudget, cpu: float, elapsed: float, cell: Any | None) -> bool:
    """Whether a task has used up its time: CPU over ``budget.seconds``, or the clock over
    ``budget.wall_seconds`` leaving out its waits for the model (``cell``, None: none), or
    those waits over their own limit.  The one rule of the local pool, the warm server and
    the Ray engine."""
    waited, allowed = model_wait(cell) if cell is not None else (0.0, 0.0)
    model_limit = budget.llm_seconds or allowed or budget.wall_seconds
    return cpu > budget.seconds or elapsed - waited > budget.wall_seconds or bool(waited and waited > model_limit)


@contextlib.contextmanager
def waiting_for_model(allow: float) -> Iterator[None]:
    """Around a wait for the LLM in a worker: the wait is not counted in ``wall_seconds``
    (``allow``: seconds this wait may take, from the client's time-outs and retries).
    Nested or concurrent waits count once."""
    global _DEPTH
    cell = _CELL
    if cell is None:
        yield
        return
    with _DEPTH_LOCK:
        _DEPTH += 1
        first = _DEPTH == 1
        with cell.get_lock():
            if first:
                cell[SINCE] = time.monotonic()
            cell[ALLOWED] += max(0.0, allow)
    held = 0
    if first and threading.current_thread() is threading.main_thread():
        held = signal.alarm(0)  # the worker's own alarm must not ring while it only waits
    try:
        yield
    finally:
        with _DEPTH_LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                with cell.get_lock():
                    if cell[SINCE]:
                        cell[WAITED] += max(0.0, time.monotonic() - cell[SINCE])
                    cell[SINCE] = 0.0
        if held:
            signal.alarm(held)


def too_much_memory(display: str, budget: WorkBudget, peak_mb: float) -> ReadError:
    return ReadError(display, "too_large",
                     f"读取和审阅占用内存超过上限 {budget.memory_mb} MB（已达 {peak_mb:.0f} MB），已停止"
                     f"（可在 [tool.jixiao.budget] memory_mb 调整）",
                     f"reading and reviewing used more memory than the limit of {budget.memory_mb} MB "
                     f"({peak_mb:.0f} MB); stopped")


def worker_died(display: str, exitcode: int | None) -> ReadError:
    return ReadError(display, "worker_died",
                     f"审阅进程意外退出（退出码 {exitcode}），可能是文件损坏或内存不足",
                     f"the worker process reviewing this file exited unexpectedly (exit code {exitcode})")
