"""Dates as pages and exports write them (2019-10-30T09:58, 2019/10/30, 2019年10月30日, 20191030) → YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)(?!\d)"
)
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")


def _valid(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """The first valid full date in a value (str, or an int like 20191030), as YYYY-MM-DD; else None."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value)[:200]
    for match in _DATE.finditer(text):
        year, m1, d1, m2, d2 = match.groups()
        found = _valid(year, m1 or m2, d1 or d2)
        if found:
            return found
    for match in _COMPACT.finditer(text):
        found = _valid(*match.groups())
        if found:
            return found
    return None
