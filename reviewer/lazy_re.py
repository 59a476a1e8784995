"""Regular expressions compiled on first use.

The rules and readers define some 350 module-level patterns; compiling all of them took
about 0.1 s of every ``jixiao check`` start, and a report uses about two thirds of them.
Convention: a module-level pattern is written ``NAME = lazy(r"…", re.X)`` instead of
``NAME = re.compile(r"…", re.X)`` (``from reviewer.lazy_re import lazy``); nothing else
changes.  ``NAME.search(...)``, ``.match``, ``.finditer``, ``.sub`` … and ``.pattern``,
``.flags``, ``.groups``, ``.groupindex`` behave exactly as on the compiled pattern (after
the first use they *are* its bound methods, no indirection).  What it is not: an instance
of ``re.Pattern`` — pass ``NAME.compiled()`` where a ``re.Pattern`` is required
(``re.sub(NAME, …)``, ``isinstance``).  ``compile_all()`` compiles every pattern made so
far (the warm server does, before it forks a request).
"""

from __future__ import annotations

import re
from typing import Any

_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
              "flags", "groups", "groupindex")
_MADE: list["LazyPattern"] = []


class LazyPattern:
    """``re.compile(pattern, flags)``, done the first time the pattern is used."""

    def __init__(self, pattern: str | bytes, flags: int | re.RegexFlag = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern | None = None
        _MADE.append(self)

    def compiled(self) -> re.Pattern:
        """The compiled ``re.Pattern``."""
        p = self._compiled
        if p is None:
            p = re.compile(self.pattern, self._flags)
            d = self.__dict__
            for name in _FORWARDED:  # from now on found in the instance: no __getattr__
                d[name] = getattr(p, name)
            self._compiled = p
        return p

    def __getattr__(self, name: str) -> Any:  # only for names not yet in the instance
        if name.startswith("__") or name == "_compiled":
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __reduce__(self) -> tuple:
        return (LazyPattern, (self.pattern, self._flags))

    def __copy__(self) -> "LazyPattern":
        return self

    def __deepcopy__(self, memo: dict) -> "LazyPattern":
        return self

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {int(self._flags)})"


def lazy(pattern: str | bytes, flags: int | re.RegexFlag = 0) -> LazyPattern:
    """A module-level pattern compiled on first use (see the module docstring)."""
    return LazyPattern(pattern, flags)


def compile_all() -> int:
    """Compile every lazy pattern made so far; how many there are."""
    for p in _MADE:
        p.compiled()
    return len(_MADE)
