"""The ``jixiao`` command line. Each subcommand lives in ``reviewer/commands/<name>.py``
and exposes ``register(subparsers)``; this module only discovers and dispatches."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

import reviewer.commands as commands_pkg


def _quiet_environment() -> None:
    """Nothing this tool runs may phone home."""
    for k, v in {"ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
                 "TOKENIZERS_PARALLELISM": "false"}.items():
        os.environ.setdefault(k, v)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jixiao", description="绩效自评报告审阅工具")
    p.add_argument("--config", help="配置文件 jixiao.toml")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for m in sorted(pkgutil.iter_modules(commands_pkg.__path__), key=lambda m: m.name):
        if m.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{commands_pkg.__name__}.{m.name}")
        mod.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    _quiet_environment()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. `jixiao check … | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
