"""Builds the extra reviewers (retrieval, LLM) for a run.

Each provider module exposes ``make_reviewer(options: ReviewOptions) -> Reviewer | None``
and returns None when it does not apply (e.g. no LLM configured, or ``--no-llm``).
A reviewer may also define ``prepare(parsed_files: list[ParsedFile]) -> None``: batch
calls it once with every file of the batch before reviewing, so cross-report checks
(boilerplate shared between reports of one batch) can see the whole batch.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from reviewer.pipeline import Reviewer
from reviewer.profile import Profile

PROVIDERS = ("vectorstore.review", "reviewer.llm.review")
LLM_PROVIDERS = ("reviewer.llm.review",)  # nothing to do under --no-llm


@dataclass
class ReviewOptions:
    no_llm: bool = False
    corpus: str | None = None  # path of a vector-store index of earlier reports
    config: dict = field(default_factory=dict)  # the [tool.jixiao] table
    notices: list[str] = field(default_factory=list)  # one-line notices for the user
    profile: Profile | None = None  # the run's rule profile (select/ignore), for reviewers that show rule flags


def build_reviewers(options: ReviewOptions) -> list[Reviewer]:
    """Every provider's reviewer that applies to this run."""
    out: list[Reviewer] = []
    for name in PROVIDERS:
        if name in LLM_PROVIDERS and options.no_llm:  # its make_reviewer says None: spare the import
            continue
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:  # provider not built yet in this checkout
            if e.name and name.startswith(e.name):
                continue
            raise
        rv = mod.make_reviewer(options)
        if rv is not None:
            out.append(rv)
    return out
