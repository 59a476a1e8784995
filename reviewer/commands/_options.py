"""Command-line options shared by the commands that review reports."""

from __future__ import annotations

import argparse


def add_review_options(p: argparse.ArgumentParser, *, rules: bool = True) -> None:
    """--no-llm and --corpus, and (with ``rules``) --select/--ignore, worded the same everywhere."""
    p.add_argument("--no-llm", action="store_true", help="不调用大模型，只用规则与检索")
    p.add_argument("--corpus", metavar="DIR", help="往年报告向量库（用于套话比对）")
    if rules:
        p.add_argument("--select", metavar="CODES", help="只启用这些规则（逗号分隔的前缀，如 D0,J01；覆盖配置）")
        p.add_argument("--ignore", metavar="CODES", help="忽略这些规则（逗号分隔的前缀；覆盖配置）")
