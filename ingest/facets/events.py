"""Dated events a text mentions: plenums, campaigns, the epidemic, anniversaries.

data/events.csv gives each phrase the span of years in which a report would mention
it (保持共产党员先进性教育活动: 2005–2006); data/anniversaries.csv gives base years so
that 抗日战争胜利60周年 means 2005 (celebrated that year, planned the year before);
data/congresses.csv gives each 届 of the 全国人大 and 全国政协 its first year, so that
十四届全国人大二次会议 (or 全国政协十四届二次会议) means 2024.
Enumerations are expanded: 十九届四中、五中全会 is the 四中 and the 五中 plenum.
Phrases are matched on the text without quotes, spaces and 、, so
“不忘初心、牢记使命”主题教育 matches 不忘初心牢记使命主题教育.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from archive.config import data_file
from ingest.facets.gazetteer import trie_pattern
from ingest.structure.dates import cn_number

_SQUEEZE = re.compile(r"[\s“”\"‘’'「」『』、·•]")
_PLENUM_LIST = re.compile(r"(十[五六七八九]|二十)届((?:[一二三四五六七八九]中[、，,和及与]?){2,})全会")


@dataclass(frozen=True)
class Event:
    phrase: str
    earliest: int
    latest: int
    weight: float
    note: str


@dataclass(frozen=True)
class EventMention:
    phrase: str
    earliest: int
    latest: int
    weight: float
    rule: str


def squeeze(text: str) -> str:
    return _SQUEEZE.sub("", text)


@functools.cache
def _events() -> tuple[dict[str, Event], re.Pattern[str] | None]:
    events: dict[str, Event] = {}
    with data_file("events.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            phrase = squeeze(row["phrase"])
            events[phrase] = Event(phrase, int(row["earliest_year"]), int(row["latest_year"]),
                                   float(row.get("weight") or 1.0), row.get("note") or "")
    pattern = re.compile(trie_pattern(events)) if events else None
    return events, pattern


@functools.cache
def _anniversaries() -> tuple[dict[str, int], re.Pattern[str] | None]:
    bases: dict[str, int] = {}
    with data_file("anniversaries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            bases[squeeze(row["subject"])] = int(row["base_year"])
    if not bases:
        return bases, None
    return bases, re.compile(rf"({trie_pattern(bases)})(\d{{1,3}}|[一二三四五六七八九十百]{{1,4}})周年")


_TERM = "(十[一二三四五六七八九]?|[五六七八九]|二十)"
_SESSION = re.compile(
    rf"第?{_TERM}届(?:全国人大|全国人民代表大会|全国政协|全国委员会)第?([一二三四五])次(?:会议|全体会议)"
    rf"|全国政协{_TERM}届([一二三四五])次会议"
)
SESSION_WEIGHT = 1.5


@functools.cache
def _congress_terms() -> dict[str, int]:
    with data_file("congresses.csv").open(encoding="utf-8") as handle:
        return {row["term"]: int(row["first_year"]) for row in csv.DictReader(handle)}


def find_events(text: str) -> Iterator[EventMention]:
    """Every dated event `text` mentions, in order of the listing rules."""
    flat = squeeze(text)
    flat = _PLENUM_LIST.sub(_expand_plenums, flat)
    events, pattern = _events()
    if pattern is not None:
        for match in pattern.finditer(flat):
            event = events.get(match.group())
            if event:
                yield EventMention(event.phrase, event.earliest, event.latest, event.weight, "dated event")
    bases, anniversary = _anniversaries()
    if anniversary is not None:
        for match in anniversary.finditer(flat):
            n = cn_number(match.group(2))
            if n:
                year = bases[match.group(1)] + n
                yield EventMention(match.group(), year - 1, year, 1.0, "anniversary")
    yield from _sessions(flat)


def _sessions(flat: str) -> Iterator[EventMention]:
    """十四届全国人大二次会议 → 2024: the annual session of a 届 is held in its first year + n − 1."""
    terms = _congress_terms()
    for match in _SESSION.finditer(flat):
        term, session = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        first, n = terms.get(term), cn_number(session)
        if first and n:
            year = first + n - 1
            yield EventMention(match.group(), year, year, SESSION_WEIGHT, "congress session")


def _expand_plenums(match: re.Match[str]) -> str:
    """十九届四中、五中全会 → 十九届四中全会 十九届五中全会."""
    term = match.group(1)
    sessions = re.findall(r"[一二三四五六七八九]中", match.group(2))
    return "|".join(f"{term}届{s}全会" for s in sessions)
