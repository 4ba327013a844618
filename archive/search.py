"""Search: candidates from the index, literal verification, ranking, facets.

The flow for every query: parse → candidate query on character grams and
exact facet terms (a superset) → literal check of each candidate's folded
text (exact) → facet counts over the whole verified set → ranking (BM25 on
jieba words plus phrase and title bonuses) → the page's hits with their
matching passages, highlighted.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from archive.analysis import query_grams, words
from archive.docstore import DocStore
from archive.facets import count_facets, facet_table
from archive.fold import fold
from archive.highlight import highlight_passage
from archive.matching import evaluate, has_text_terms, positive_spans
from archive.model import Passage
from archive.query import (
    And,
    FieldTerm,
    Literal,
    MatchAll,
    Near,
    Node,
    Not,
    Or,
    parse,
    parse_year_range,
    positive_literals,
)
from archive.textindex import TextIndex

MAX_PAGE_SIZE = 1000
FILTER_FIELDS = ("level", "province", "city", "county", "town", "year", "themes", "doctype",
                 "organization", "anonymized", "source")
SORTS = ("relevance", "date", "date_asc")


class RequestError(ValueError):
    """A request parameter out of range; the message names it."""


@dataclass
class SearchRequest:
    q: str = ""
    include: dict[str, list[str]] = field(default_factory=dict)  # facet → values (OR)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    size: int = 20
    sort: str = "relevance"
    duplicates: bool = False
    passages_per_hit: int | None = None

    def validate(self) -> None:
        if self.page < 1 or self.page > 100000:
            raise RequestError(f"page must be between 1 and 100000, got {self.page}")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise RequestError(f"size must be between 1 and {MAX_PAGE_SIZE}, got {self.size}")
        if self.sort not in SORTS:
            raise RequestError(f"sort must be one of {', '.join(SORTS)}, got {self.sort!r}")
        for name in list(self.include) + list(self.exclude):
            if name not in FILTER_FIELDS:
                raise RequestError(f"unknown filter '{name}'; known: {', '.join(FILTER_FIELDS)}")

    def query_tree(self) -> Node:
        """The parsed query with the facet filters folded in."""
        self.validate()
        parts: list[Node] = []
        node = parse(self.q)
        if not isinstance(node, MatchAll):
            parts.append(node)
        for name, values in self.include.items():
            terms = [_filter_term(name, v) for v in values if v != ""]
            if terms:
                parts.append(terms[0] if len(terms) == 1 else Or(tuple(terms)))
        for name, values in self.exclude.items():
            parts.extend(Not(_filter_term(name, v)) for v in values if v != "")
        if not parts:
            return MatchAll()
        return parts[0] if len(parts) == 1 else And(tuple(parts))


def _filter_term(name: str, value: str) -> FieldTerm:
    if name == "year" and not parse_year_range(str(value)):
        raise RequestError(f"year must look like 2020 or 2019-2021, got {value!r}")
    return FieldTerm(name, fold(str(value)))


@dataclass
class Match:
    """A verified document: its score and the passages that hold the query."""

    doc_id: str
    score: float
    passage_ordinals: list[int]


@dataclass
class SearchResult:
    total: int
    total_passages: int
    hits: list[dict[str, Any]]
    facets: dict[str, list[list[Any]]]
    page: int
    size: int
    terms: list[str]


def candidate_query(node: Node) -> wq.Query:
    """A Whoosh query matching a superset of the documents `node` matches."""
    if isinstance(node, Literal):
        return wq.And([wq.Term("chars", g) for g in sorted(query_grams(node.text))])
    if isinstance(node, Near):
        return wq.And([wq.Term("chars", g) for p in node.parts for g in sorted(query_grams(p))])
    if isinstance(node, FieldTerm):
        if node.field == "year":
            lo, hi = parse_year_range(node.value)
            return wq.NumericRange("year", lo, hi)
        if node.field == "anonymized":
            return wq.Term("anonymized", "1" if node.value in ("1", "true", "yes", "是") else "0")
        if node.field == "title":
            return wq.Every()
        return wq.Term(node.field, node.value)
    if isinstance(node, And):
        return wq.And([candidate_query(c) for c in node.children])
    if isinstance(node, Or):
        return wq.Or([candidate_query(c) for c in node.children])
    return wq.Every()  # NOT and match-all: decided by verification


class Archive:
    """An index folder: the document store and the Whoosh index together."""

    def __init__(self, folder) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.store = DocStore(self.folder)
        self.index = TextIndex(self.folder)

    def close(self) -> None:
        self.store.close()

    # -- matching ------------------------------------------------------------
    def matches(self, request: SearchRequest) -> list[Match]:
        """Every document that satisfies the request, ranked."""
        tree = request.query_tree()
        table = facet_table(self.store)
        cq = candidate_query(tree)
        if not request.duplicates:
            cq = wq.And([cq, wq.Term("duplicate", "0")])
        with self.index.searcher() as searcher:
            docnums = list(searcher.search(cq, limit=None, scored=False).docs())
            ids = searcher.reader().column_reader("doc_id")
            by_id = {ids[n]: n for n in docnums}
            candidates = [d for d in by_id if d in table]
            text_terms = has_text_terms(tree)
            found: list[Match] = []
            texts = self.store.folded(candidates) if text_terms else ((d, "", []) for d in candidates)
            for doc_id, folded, bounds in texts:
                facets = table[doc_id]
                if not request.duplicates and facets.get("duplicate_of"):
                    continue
                if not evaluate(tree, folded, facets):
                    continue
                ordinals = _passages_hit(tree, folded, bounds) if text_terms else []
                found.append(Match(doc_id, float(len(ordinals)), ordinals))
            if text_terms and request.sort == "relevance":
                self._rank(searcher, tree, found, by_id, table)
        return _sort(found, request.sort, table, text_terms)

    def _rank(self, searcher, tree: Node, found: list[Match], by_id: dict, table: dict) -> None:
        literals = positive_literals(tree)
        terms = sorted({w for lit in literals for w in words(lit)})
        scores: dict[int, float] = {}
        if terms and found:
            wquery = wq.Or([wq.Term(f, w) for w in terms for f in ("words", "title")])
            allowed = {by_id[m.doc_id] for m in found}
            for hit in searcher.search(wquery, filter=allowed, limit=None):
                scores[hit.docnum] = hit.score
        for m in found:
            title = fold(table[m.doc_id].get("title") or "")
            bonus = 2.0 * sum(1 for lit in literals if lit in title)
            m.score = scores.get(by_id[m.doc_id], 0.0) + math.log1p(len(m.passage_ordinals)) + bonus

    # -- results ---------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        tree = request.query_tree()
        found = self.matches(request)
        table = facet_table(self.store)
        facets = count_facets(table[m.doc_id] for m in found)
        start = (request.page - 1) * request.size
        page = found[start:start + request.size]
        hits = [self.hit(m, tree, request.passages_per_hit) for m in page]
        return SearchResult(
            total=len(found), total_passages=sum(len(m.passage_ordinals) for m in found),
            hits=hits, facets=facets, page=request.page, size=request.size,
            terms=positive_literals(tree),
        )

    def hit(self, match: Match, tree: Node, limit: int | None = None) -> dict[str, Any]:
        table = facet_table(self.store)
        hit = {k: table[match.doc_id].get(k) for k in _HIT_KEYS}
        passages = self.store.passages(match.doc_id)
        wanted = set(match.passage_ordinals)
        chosen = [p for p in passages if p.ordinal in wanted]
        hit["passage_count"] = len(chosen)
        if limit is not None:
            chosen = chosen[:limit]
        literals = positive_literals(tree)
        hit["passages"] = [passage_hit(p, literals) for p in chosen]
        hit["score"] = round(match.score, 4)
        return hit

    def iter_passages(self, request: SearchRequest) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(document fields, passage hit) for every matching passage, in rank order."""
        tree = request.query_tree()
        literals = positive_literals(tree)
        table = facet_table(self.store)
        text_terms = has_text_terms(tree)
        for match in self.matches(request):
            doc = {k: table[match.doc_id].get(k) for k in _HIT_KEYS}
            wanted = set(match.passage_ordinals)
            for p in self.store.passages(match.doc_id):
                if not text_terms or p.ordinal in wanted:
                    yield doc, passage_hit(p, literals)


_HIT_KEYS = (
    "doc_id", "title", "source_path", "level", "province", "city", "county", "town", "year",
    "date", "themes", "doctype", "organization", "anonymized", "duplicate_of",
)


def passage_hit(p: Passage, literals: list[str]) -> dict[str, Any]:
    highlighted, snippet = highlight_passage(p.text, literals)
    return {
        "passage_id": p.passage_id, "ordinal": p.ordinal, "section": p.section,
        "section_path": p.section_path, "text": p.text, "highlighted": highlighted,
        "snippet": snippet, "themes": p.themes,
    }


def _passages_hit(tree: Node, folded: str, bounds: list[int]) -> list[int]:
    """Ordinals of passages that hold (part of) a positive literal match."""
    from bisect import bisect_right

    if not bounds:
        return []
    hit: set[int] = set()
    for start, end in positive_spans(tree, folded):
        first = bisect_right(bounds, start) - 1
        last = bisect_right(bounds, end - 1) - 1
        for i in range(max(first, 0), last + 1):
            hit.add(i + 1)
    return sorted(hit)


def _sort(found: list[Match], sort: str, table: dict, text_terms: bool) -> list[Match]:
    def date_key(m: Match) -> tuple:
        row = table[m.doc_id]
        return (row.get("date") or (f"{row['year']}" if row.get("year") else ""), m.doc_id)

    if sort == "date":
        return sorted(found, key=date_key, reverse=True)
    if sort == "date_asc":
        return sorted(found, key=lambda m: (date_key(m)[0] == "",) + date_key(m))
    if text_terms:
        return sorted(found, key=lambda m: (-m.score, m.doc_id))
    return sorted(found, key=lambda m: (-(table[m.doc_id].get("year") or 0), table[m.doc_id].get("title") or "", m.doc_id))
