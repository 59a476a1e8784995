"""Chinese dates in reports: 2023年5月15日, 11月底, 2023.9.18, 2023-09-18, 2024年1月."""

from __future__ import annotations

import calendar
import re
from datetime import date

DATE_RE = re.compile(
    r"(?:(?P<y>20\d{2})\s*[年.\-/]\s*)?(?P<m>\d{1,2})\s*(?:月|[.\-/])\s*(?:(?P<d>\d{1,2})\s*日?|(?P<end>底|末|下旬))?"
)


def parse_date(text: str, default_year: int | None) -> date | None:
    """The first date in ``text``; a month without a day (11月底, 2024年1月) is its last day."""
    for m in DATE_RE.finditer(text or ""):
        y = int(m.group("y")) if m.group("y") else default_year
        if y is None:
            continue
        mo = int(m.group("m"))
        if not 1 <= mo <= 12:
            continue
        if m.group("d") and not m.group("end"):
            d = int(m.group("d"))
            if not 1 <= d <= calendar.monthrange(y, mo)[1]:
                continue
        else:
            if not (m.group("y") or "月" in m.group()):
                continue  # a bare "5.15" is not a date
            d = calendar.monthrange(y, mo)[1]
        return date(y, mo, d)
    return None
