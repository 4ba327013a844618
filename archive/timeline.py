"""Matches per year: the series of the search page's timeline chart.

A series is one query over the current filters: its matching documents and
passages per year. The denominators of the normalized view are the documents
per year under the same filters without the query's text, so a share says
"what part of that year's reports use the phrase" rather than "how many
reports survive from that year". Compared phrases keep the query's field
filters (level:县 …) and replace only its text.

The year filter itself is left out of every series: the chart shows the chosen
years in the context of all the others (they are highlighted, not isolated).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from archive.query import And, FieldTerm, Literal, MatchAll, Near, Node, Not, Or, QueryError, parse
from archive.search import Archive, SearchRequest

MAX_SERIES = 3


@dataclass
class Series:
    """One query's matches per year (documents without a year are counted apart)."""

    label: str
    documents: dict[int, int] = field(default_factory=dict)
    passages: dict[int, int] = field(default_factory=dict)
    undated: int = 0
    error: str | None = None
    compared: bool = False  # a phrase added with `compare`, not the search itself

    @property
    def total(self) -> int:
        return sum(self.documents.values()) + self.undated


@dataclass
class Timeline:
    main: Series  # the search itself (all documents under the filters when there is no text)
    shown: list[Series]  # the series drawn: the search and the compared phrases, at most MAX_SERIES
    base: dict[int, int]  # documents per year under the filters without the text: the share's denominator
    has_text: bool

    @property
    def years(self) -> list[int]:
        """Every year from the first to the last with a match or a document, gaps included."""
        return year_span({y for s in [self.main, *self.shown] for y in s.documents} | set(self.base))

    @property
    def active_years(self) -> list[int]:
        """The years with a document under the filters or a match (the rows of the data table)."""
        return [y for y in self.years if self.base.get(y) or any(y in s.documents for s in self.shown)]

    def share(self, series: Series, year: int) -> float | None:
        """Percent of that year's documents (under the filters) that match; None without documents."""
        base = self.base.get(year, 0)
        return 100.0 * series.documents.get(year, 0) / base if base else None

    def values(self, series: Series, measure: str) -> list[float | None]:
        """A series over `years` in one measure: documents, passages or share (None: no documents that year)."""
        if measure == "share":
            return [self.share(series, y) for y in self.years]
        counts = series.passages if measure == "passages" else series.documents
        return [float(counts.get(y, 0)) for y in self.years]


def year_span(years: set[int]) -> list[int]:
    """The years from the first to the last, gaps included (unless a stray year would stretch it past 80)."""
    if not years:
        return []
    low, high = min(years), max(years)
    return list(range(low, high + 1)) if high - low <= 80 else sorted(years)


def text_free_query(q: str) -> str:
    """The query's field filters alone, as a query string ('' when it has none).

    Only conjuncts without text count (`新时代 level:县 -year:2018` → `level:县 NOT year:2018`);
    a field inside an OR with text cannot be separated from it and is dropped with the text.
    """
    node = parse(q)
    parts = node.children if isinstance(node, And) else (node,)
    return " ".join(_as_query(p) for p in parts if not _has_text(p))


def _has_text(node: Node) -> bool:
    if isinstance(node, Literal | Near):
        return True
    if isinstance(node, FieldTerm | MatchAll):
        return False
    if isinstance(node, Not):
        return _has_text(node.child)
    return any(_has_text(c) for c in node.children)


def _as_query(node: Node) -> str:
    if isinstance(node, FieldTerm):
        return f'{node.field}:"{node.value}"'
    if isinstance(node, Not):
        return f"NOT {_as_query(node.child)}"
    if isinstance(node, Or):
        return "(" + " OR ".join(_as_query(c) for c in node.children) + ")"
    if isinstance(node, And):
        return "(" + " ".join(_as_query(c) for c in node.children) + ")"
    return ""


def per_year(archive: Archive, request: SearchRequest, label: str) -> Series:
    """Documents and matching passages per year of everything `request` matches."""
    table, matched, passages = archive.passage_counts(request)
    years = table.year[matched]
    docs = np.bincount(years)
    hits = np.bincount(table.year, weights=passages, minlength=len(docs)).astype(np.int64)
    series = Series(label, undated=int(docs[0]) if len(docs) else 0)
    for year in np.flatnonzero(docs).tolist():
        if year:
            series.documents[year] = int(docs[year])
            series.passages[year] = int(hits[year])
    return series


def timeline(archive: Archive, request: SearchRequest, compare: list[str]) -> Timeline:
    """The search's series, the compared phrases' series and the documents per year under the filters."""
    include = {k: v for k, v in request.include.items() if k != "year"}
    filters = dict(include=include, exclude=request.exclude, duplicates=request.duplicates)
    fields_only = text_free_query(request.q)
    has_text = _has_text(parse(request.q))
    main = per_year(archive, SearchRequest(q=request.q, **filters), request.q)
    base = main if not has_text else per_year(archive, SearchRequest(q=fields_only, **filters), "")
    shown = [main] if has_text or not compare else []
    for phrase in [c for c in compare if c.strip()][: MAX_SERIES - len(shown)]:
        try:
            series = per_year(archive, SearchRequest(q=f"({phrase}) {fields_only}", **filters), phrase)
        except QueryError as exc:
            series = Series(phrase, error=str(exc))
        series.compared = True
        shown.append(series)
    return Timeline(main=main, shown=shown, base=base.documents, has_text=has_text)
