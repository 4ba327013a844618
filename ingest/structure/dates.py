"""Dates written in reports: 2021年1月22日, 二〇二一年一月二十二日, 2021-01-22, 2021.1.22.

Signature lines, adoption records of regulations and page dates all use these forms;
one parser serves structure (date lines) and facets (year evidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇○零Ｏ一二三四五六七八九十百"
_Y = rf"(?:(?:19|20)\d{{2}}|[{_CN_NUM[:-2]}O]{{4}})"
_MD = rf"(?:\d{{1,2}}|[{_CN_NUM[4:-1]}]{{1,3}})"
DATE = re.compile(
    rf"(?<!\d)(?P<y>{_Y})\s*年\s*(?P<m>{_MD})\s*月\s*(?P<d>{_MD})\s*日"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})\s*[-./]\s*(?P<m2>\d{1,2})\s*[-./]\s*(?P<d2>\d{1,2})(?!\d)"
)
YEAR = re.compile(rf"(?<![0-9A-Za-z])(?P<y>{_Y})\s*年(?P<du>度)?")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int
    month: int
    day: int

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def cn_number(text: str) -> int | None:
    """'22', '二十二', '十', '二〇二一' (digit by digit), '一百' → int; None if not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    if "十" not in text and "百" not in text:  # 二〇二一: read digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def find_dates(text: str) -> Iterator[DateMention]:
    """Every well-formed date in `text` (months 1–12, days 1–31)."""
    for match in DATE.finditer(text):
        y, m, d = (match.group("y"), match.group("m"), match.group("d")) if match.group("y") else (
            match.group("y2"), match.group("m2"), match.group("d2"))
        year, month, day = cn_number(y), cn_number(m), cn_number(d)
        if year and month and day and 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            yield DateMention(match.start(), match.end(), year, month, day)


def year_of(text: str) -> int | None:
    """The year a '2020年' / '二〇二〇年' token names, if plausible."""
    value = cn_number(text)
    return value if value and 1900 <= value <= 2100 else None
