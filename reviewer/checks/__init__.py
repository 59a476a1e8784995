"""Deterministic checks. Importing this package registers every rule module in it."""

import importlib
import pkgutil

from reviewer.checks.base import REGISTRY, Finding, rule, run_rules, selected_rules

for _m in pkgutil.iter_modules(__path__):
    if _m.name != "base" and not _m.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_m.name}")

__all__ = ["REGISTRY", "Finding", "rule", "run_rules", "selected_rules"]
