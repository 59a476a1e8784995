"""Prompt files: ``prompts/<name>.v<version>.md``.

Each file starts with a header naming its variables::

    ---
    name: review
    version: 1
    variables: [report_table, rule_flags, passages, report_text]
    ---
    === system ===
    ...
    === user ===
    ... {{report_text}} ...

:func:`render` checks that every named variable is supplied and none extra, and that the
body uses exactly the named variables.  Values are inserted as data: text that would
close a data block (``</report_text>``) is neutralised so report content cannot step
outside its delimiters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_VAR = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
_TAG = re.compile(r"</?\s*([a-z_][a-z0-9_]*)\s*>", re.I)


class PromptError(ValueError):
    pass


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    variables: tuple[str, ...]
    system: str
    user: str

    @property
    def id(self) -> str:
        return f"{self.name}.v{self.version}"

    def render(self, **values: str) -> tuple[str, str]:
        missing = [v for v in self.variables if v not in values]
        extra = [k for k in values if k not in self.variables]
        if missing or extra:
            raise PromptError(f"prompt {self.id}: missing variables {missing}, unexpected {extra}")
        safe = {k: _neutralise(str(v)) for k, v in values.items()}

        def sub(t: str) -> str:
            return _VAR.sub(lambda m: safe[m.group(1)], t)

        return sub(self.system), sub(self.user)


def _neutralise(value: str) -> str:
    """Data may not contain our delimiter tags; ``<report_text>`` becomes ``‹report_text›``."""
    return _TAG.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), value)


def parse_prompt(text: str, origin: str = "<prompt>") -> Prompt:
    m = re.match(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", text, re.S)
    if not m:
        raise PromptError(f"{origin}: missing '---' header")
    head, body = m.groups()
    meta: dict[str, str] = {}
    for line in head.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    try:
        name, version = meta["name"], int(meta["version"])
        variables = tuple(x.strip() for x in meta["variables"].strip("[] ").split(",") if x.strip())
    except (KeyError, ValueError) as e:
        raise PromptError(f"{origin}: header needs name, version, variables ({e})") from e
    parts = re.split(r"^=== (system|user) ===\s*$", body, flags=re.M)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    if "user" not in sections:
        raise PromptError(f"{origin}: needs a '=== user ===' section")
    system, user = sections.get("system", ""), sections["user"]
    used = set(_VAR.findall(system + user))
    if used != set(variables):
        raise PromptError(f"{origin}: header names {sorted(variables)} but body uses {sorted(used)}")
    return Prompt(name=name, version=version, variables=variables, system=system, user=user)


def load_prompt(name: str, version: int | None = None) -> Prompt:
    """``load_prompt("review")`` → the highest version of prompts/review.v*.md."""
    files = resources.files("prompts")
    cands = []
    for f in files.iterdir():
        m = re.fullmatch(rf"{re.escape(name)}\.v(\d+)\.md", f.name)
        if m and (version is None or int(m.group(1)) == version):
            cands.append((int(m.group(1)), f))
    if not cands:
        raise PromptError(f"no prompt file prompts/{name}.v{version or '*'}.md")
    ver, f = max(cands, key=lambda c: c[0])
    p = parse_prompt(f.read_text("utf-8"), origin=f.name)
    if p.name != name or p.version != ver:
        raise PromptError(f"{f.name}: header says {p.id}")
    return p
