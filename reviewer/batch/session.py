"""What a run of ``check`` or ``batch`` is set up with: the profile, the extra reviewers
(built once per run) and a fingerprint of every option that changes the results."""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from reviewer.checks import selected_rules
from reviewer.pipeline import Reviewer
from reviewer.profile import Profile, load_config, load_profile
from reviewer.reviewers import ReviewOptions, build_reviewers


class SessionOptions(BaseModel):
    """Everything a session is built from: a worker process rebuilds the same session
    from these (reviewers hold clients and threads that do not cross a process)."""

    config_path: str | None = None
    no_llm: bool = False
    corpus: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None


@dataclass
class Session:
    profile: Profile
    reviewers: list[Reviewer] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    options: SessionOptions = field(default_factory=SessionOptions)
    _basis: dict = field(default_factory=dict, repr=False)
    _fingerprint: str | None = field(default=None, repr=False)

    @property
    def fingerprint(self) -> str:
        """A digest of every option and of the code that changes the results (what a
        resumed batch's stored parts are keyed by).  Computed when first asked: it hashes
        the source of every module (about 10 ms), which a ``check`` never needs."""
        if self._fingerprint is None:
            fp = json.dumps({**self._basis, "version": _version()}, sort_keys=True, ensure_ascii=False)
            self._fingerprint = hashlib.sha1(fp.encode("utf-8")).hexdigest()[:16]
        return self._fingerprint

    @property
    def needs_prepare(self) -> bool:
        """True when a reviewer wants to see every parsed file before reviewing."""
        return any(callable(getattr(rv, "prepare", None)) for rv in self.reviewers)


@functools.lru_cache(maxsize=1)
def _version() -> str:
    """The package version plus a hash of the code that produces findings, so a resumed
    batch never reuses results computed by other rules (an editable install keeps the
    version number while the code changes)."""
    try:
        from importlib.metadata import version

        v = version("jixiao")
    except Exception:  # noqa: BLE001 — not installed (running from a checkout)
        v = "dev"
    import reviewer
    import vectorstore

    h = hashlib.sha1()
    for pkg in (reviewer, vectorstore):
        root = Path(pkg.__file__).parent
        for f in sorted(root.rglob("*.py")):
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    prompts = Path(reviewer.__file__).parent.parent / "prompts"
    for f in sorted(prompts.glob("*.md")) if prompts.is_dir() else []:
        h.update(f.read_bytes())
    return f"{v}+{h.hexdigest()[:12]}"


def split_codes(value: str | None) -> list[str] | None:
    """``"D0,J01"`` → ``["D0", "J01"]``; None when the option was not given."""
    if value is None:
        return None
    return [c.strip() for c in value.split(",") if c.strip()]


def open_session(
    *,
    config_path: str | None = None,
    no_llm: bool = False,
    corpus: str | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    notify: Callable[[str], None] | None = None,
) -> Session:
    """Load the config, build the profile and the reviewers, and print each notice once
    (to stderr unless ``notify`` is given).  ``select``/``ignore`` override the config."""
    cfg_path = Path(config_path) if config_path else None
    config = load_config(cfg_path)
    profile = load_profile(cfg_path, select=select, ignore=ignore)
    options = ReviewOptions(no_llm=no_llm, corpus=corpus, config=config, profile=profile)
    reviewers = build_reviewers(options)
    say = notify or (lambda s: print(s, file=sys.stderr, flush=True))
    seen: set[str] = set()
    for note in options.notices:
        if note not in seen:
            seen.add(note)
            say(note)
    basis = {  # what the results depend on besides the code (hashed with it when first asked)
        "profile": profile.model_dump(mode="json"),
        "rules": [r.code for r in selected_rules(profile)],
        "no_llm": no_llm,
        "corpus": str(Path(corpus).resolve()) if corpus else None,
        "reviewers": [f'{getattr(rv, "name", type(rv).__name__)}:{getattr(rv, "fingerprint", "")}' for rv in reviewers],
    }
    return Session(profile=profile, reviewers=reviewers, notices=list(dict.fromkeys(options.notices)),
                   options=SessionOptions(config_path=config_path, no_llm=no_llm, corpus=corpus, select=select,
                                          ignore=ignore), _basis=basis)


def reopen_session(options: SessionOptions) -> Session:
    """The session ``options`` describe, rebuilt in a worker process (its notices were
    already shown once by the process that started the run)."""
    return open_session(**options.model_dump(), notify=lambda s: None)
