"""Administrative divisions (data/gazetteer/divisions.csv) and finding their names in text.

Full names (通山县, 朝天区, 北京市) are found from the character that ends them
(县/区/市/省…), looking back for the longest known name: that costs a few dictionary
look-ups per such character, where one regular expression of 3,000 names costs a
branch scan at every position. Short names (通山, 朝天) are matched with a small
per-document pattern: only for places the document also names in full, or in the
short stretches (title, signature) scanned with every short name. Short names that are
also ordinary words (振兴, 朝阳: data/gazetteer/common_words.txt) never count alone.
"""

from __future__ import annotations

import bisect
import csv
import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archive.config import data_file


def _overlap_test(spans: list[PlaceMention]) -> Callable[[int, int], bool]:
    """Whether [start, end) overlaps any of the spans, by binary search (a long text has thousands)."""
    ordered = sorted(spans, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    reach = list(itertools.accumulate((m.end for m in ordered), max))  # furthest end so far

    def overlaps(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end) - 1  # the last span starting before `end`
        return i >= 0 and reach[i] > start

    return overlaps


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short: str
    level: str  # 省 | 市 | 县 | 区
    parent: str | None

    @property
    def rank(self) -> int:
        """0 province, 1 prefecture, 2 county-level."""
        return {2: 0, 4: 1}.get(len(self.code), 2)


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    codes: tuple[str, ...]  # every division the surface may name
    full: bool  # the full name (with 县/区/市…), not a short name


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of `words` shaped as a trie; longer words win at the same start."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return render(trie)


@functools.lru_cache(maxsize=1024)
def _compiled(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(trie_pattern(words))


class Gazetteer:
    """Lookups by code and name, ancestry, and a matcher for names in running text."""

    def __init__(self, divisions: Iterable[Division], common_words: set[str]):
        self.by_code: dict[str, Division] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_short: dict[str, list[str]] = {}
        for d in divisions:
            self.by_code[d.code] = d
            self.by_name.setdefault(d.name, []).append(d.code)
            if d.short and d.short not in common_words:
                self.by_short.setdefault(d.short, []).append(d.code)
        self._longest = max(map(len, self.by_name))
        self._anchor = re.compile("[" + "".join(sorted({name[-1] for name in self.by_name})) + "]")
        self._all_short = re.compile(trie_pattern(self.by_short)) if self.by_short else None

    def find_full(self, text: str) -> list[PlaceMention]:
        """Every full name in `text`, the longest one ending at each anchor character."""
        out: list[PlaceMention] = []
        last_end = 0
        for match in self._anchor.finditer(text):
            end = match.end()
            for length in range(min(self._longest, end - last_end), 1, -1):
                surface = text[end - length:end]
                codes = self.by_name.get(surface)
                if codes:
                    out.append(PlaceMention(end - length, end, surface, tuple(codes), True))
                    last_end = end
                    break
        return out

    def find_short(self, text: str, codes: Iterable[str] | None = None) -> list[PlaceMention]:
        """Short names in `text`: of the given divisions only, or of all when codes is None."""
        if codes is None:
            pattern = self._all_short
        else:
            shorts = frozenset({self.by_code[c].short for c in codes if c in self.by_code} & self.by_short.keys())
            pattern = _compiled(shorts) if shorts else None
        if pattern is None:
            return []
        out = []
        for match in pattern.finditer(text):
            surface = match.group()
            out.append(PlaceMention(match.start(), match.end(), surface, tuple(self.by_short[surface]), False))
        return out

    def find(self, text: str, short_codes: Iterable[str] | None = None,
             full: list[PlaceMention] | None = None) -> list[PlaceMention]:
        """Full names (pass them if already found), and short names (see `find_short`) not overlapping them."""
        full = self.find_full(text) if full is None else full
        overlaps = _overlap_test(full)
        short = [m for m in self.find_short(text, short_codes) if not overlaps(m.start, m.end)]
        return sorted(full + short, key=lambda m: m.start)

    def chain(self, code: str) -> list[Division]:
        """The division and its ancestors, innermost first."""
        out = []
        current: str | None = code
        while current and current in self.by_code:
            division = self.by_code[current]
            out.append(division)
            current = division.parent
        return out

    def ancestors(self, code: str) -> set[str]:
        return {d.code for d in self.chain(code)[1:]}

    def level(self, code: str) -> str:
        return self.by_code[code].level


def load_divisions() -> list[Division]:
    """Current divisions, then historical ones (data/gazetteer/historical.csv) older texts name."""
    out = []
    for name in ("gazetteer/divisions.csv", "gazetteer/historical.csv"):
        path = data_file(name)
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                out += [Division(row["code"], row["name"], row["short"], row["level"], row["parent"] or None)
                        for row in csv.DictReader(handle)]
    return out


def load_common_words() -> set[str]:
    words: set[str] = set()
    for line in data_file("gazetteer/common_words.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return words


@functools.cache
def gazetteer() -> Gazetteer:
    return Gazetteer(load_divisions(), load_common_words())
