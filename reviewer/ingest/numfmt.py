"""Spreadsheet numbers as a person sees them: a stored float plus the cell's number format.

Spreadsheets store ``0.978`` and show ``97.8%``; they store ``10.0`` and show ``10``.  The
readers render what is shown, because that is what the report's author wrote and what a
reviewer quotes.  Only the parts of Excel's number-format language that matter for a 自评表
are honoured: percent, fixed decimals (``0.00``), thousands separators (``#,##0``) and dates;
anything else falls back to the "General" rendering (up to 15 significant digits).
"""

from __future__ import annotations

import datetime as dt
import math
import re

_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DECIMALS = re.compile(r"\.([0#?]+)")


def _split_sections(number_format: str) -> list[str]:
    """The ``;``-separated sections of a format, ignoring ``;`` inside quotes."""
    sections, buf, quoted = [], [], False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    sections.append("".join(buf))
    return sections


def general(value: float) -> str:
    """Excel's "General" look: integers without ``.0``, floats to 15 significant digits."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        return text
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: float, number_format: str | None) -> str:
    """``value`` rendered under ``number_format`` (Excel syntax; None or General → general)."""
    if isinstance(value, bool):
        return general(value)
    fmt = (number_format or "General").strip()
    sections = _split_sections(fmt)
    section = sections[0]
    negative_section = value < 0 and len(sections) > 1
    if negative_section:
        section = sections[1]
    core = _LITERALS.sub("", section)
    if not core or core.lower() in ("general", "@") or not re.search(r"[0#?]", core) or "/" in core \
            or "E" in core.upper():
        return general(value)
    v = float(value)
    if "%" in core:
        v *= 100
    m = _DECIMALS.search(core)
    places = m.group(1) if m else ""
    most = len(places)
    least = places.count("0")
    integer_part = core[: m.start()] if m else core
    grouping = "," in integer_part.strip(",")
    shown = abs(v) if negative_section else v
    text = f"{shown:,.{most}f}" if grouping else f"{shown:.{most}f}"
    if most > least and "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        frac = frac + "0" * max(0, least - len(frac))
        text = f"{whole}.{frac}" if frac else whole
    if text.lstrip("-").strip("0.,") == "" and text.startswith("-"):
        text = text[1:]  # -0.00 shows as 0.00
    if negative_section and "-" in core:
        text = "-" + text
    elif negative_section and "(" in section:
        text = f"({text})"
    if "%" in core:
        text += "%"
    return text


def format_date(value: dt.datetime | dt.date | dt.time) -> str:
    """A date as ``YYYY-MM-DD`` (with ``HH:MM`` when it carries a time of day)."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
