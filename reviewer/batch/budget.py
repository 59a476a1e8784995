"""The time and memory one file may take while it is read and reviewed.

A file over its budget is stopped (its worker process is killed) and recorded in
errors.jsonl as ``too_slow`` or ``too_large``; the batch and the web app go on.  The
defaults leave a real report (seconds, a few hundred MB) far inside; change them in
``jixiao.toml`` or ``[tool.jixiao]`` of a pyproject.toml::

    [tool.jixiao.budget]
    seconds = 60         # CPU time to read and review one file
    wall_seconds = 180   # clock time, for a file that waits without computing
    memory_mb = 1200     # resident memory of the worker process reviewing it

Time is counted in CPU seconds of the worker, not on the clock: on a busy server (six
batches on two cores) a scanned report that needs 30 s of OCR takes 80 s on the clock,
and its cost, not the machine's load, decides whether it is too slow.  The clock limit
catches what waits without computing (a hung converter, a model endpoint that never
answers) and bounds what one file can take when many wait for a core.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewer.models import ReadError


class WorkBudget(BaseModel):
    """Per-file limits (``[tool.jixiao.budget]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seconds: float = Field(60.0, gt=0)
    wall_seconds: float = Field(180.0, gt=0)
    memory_mb: int = Field(1200, gt=0)


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
    limit = f"{budget.seconds:g} 秒 CPU 时间或 {budget.wall_seconds:g} 秒总时长"
    return ReadError(display, "too_slow",
                     f"读取和审阅超过时间上限（{limit}），已停止（可在 [tool.jixiao.budget] 调整）",
                     f"reading and reviewing took longer than the limit of {budget.seconds:g} s of CPU time "
                     f"or {budget.wall_seconds:g} s in all; stopped")


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
