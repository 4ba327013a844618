"""Search: exact literals from the character index, set algebra, facets, ranking.

For every query: parse → each literal's occurrences from the positional
character index (exact: documents, passages and counts) → the query tree as
set operations over documents (fields from the facet table, NOT as the live
set minus its child, proximity checked on the texts of documents holding all
its parts) → facet counts over the whole result → ranking (BM25 over the
literals' occurrences, a title bonus, then BM25 on jieba words from Whoosh
for the top documents) → the page's hits with their passages, highlighted.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq

from archive.analysis import words
from archive.docstore import DocStore
from archive.facets import count_facets, facet_table
from archive.fold import fold
from archive.gramindex import GramIndex
from archive.highlight import highlight_passage
from archive.matching import facet_matches, near_pattern
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
RERANK_TOP = 200  # documents re-scored with Whoosh BM25 on jieba words
BM25_K1, BM25_B = 1.2, 0.75


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
    """A matching document: its score and the passages that hold the query."""

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


@dataclass
class LiteralHits:
    """Where one literal occurs: occurrences per document and the passages holding them."""

    counts: dict[str, int] = field(default_factory=dict)
    passages: dict[str, set[int]] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)  # folded length of each document


class _Evaluator:
    """The query tree as set operations over document ids."""

    def __init__(self, archive: Archive, table: dict[str, dict[str, Any]], live: set[str]) -> None:
        self.archive, self.table, self.live = archive, table, live
        self.hits: dict[Node, LiteralHits] = {}

    def docs(self, node: Node) -> set[str]:
        if isinstance(node, MatchAll):
            return self.live
        if isinstance(node, Literal):
            return set(self.literal(node.text).counts) & self.live
        if isinstance(node, Near):
            return self.near(node)
        if isinstance(node, FieldTerm):
            return {d for d in self.live if facet_matches(node, self.table[d])}
        if isinstance(node, And):
            result = None
            for child in sorted(node.children, key=lambda c: isinstance(c, Not)):  # positives first
                if isinstance(child, Not) and result is not None:
                    result = result - self.docs(child.child)
                else:
                    result = self.docs(child) if result is None else result & self.docs(child)
                if not result:
                    break
            return result or set()
        if isinstance(node, Or):
            return set().union(*(self.docs(c) for c in node.children))
        if isinstance(node, Not):
            return self.live - self.docs(node.child)
        raise TypeError(node)

    def literal(self, text: str) -> LiteralHits:
        key = Literal(text)
        if key not in self.hits:
            hits = LiteralHits()
            for occ in self.archive.grams.find(text):
                seg = occ.segment
                ordinals, counts = np.unique(occ.doc_ordinals(), return_counts=True)
                starts = seg.doc_starts
                for o, c in zip(ordinals.tolist(), counts.tolist(), strict=True):
                    doc_id = seg.doc_ids[o]
                    hits.counts[doc_id] = c
                    hits.lengths[doc_id] = int(starts[o + 1] - starts[o] - 1)
                docs, passage_ordinals = occ.passage_hits()
                for d, p in zip(docs.tolist(), passage_ordinals.tolist(), strict=True):
                    hits.passages.setdefault(seg.doc_ids[d], set()).add(p)
            self.hits[key] = hits
        return self.hits[key]

    def near(self, node: Near) -> set[str]:
        """Documents holding every part, then the pattern checked on their texts."""
        candidates = set(self.live)
        for part in node.parts:
            candidates &= set(self.literal(part).counts)
        pattern = near_pattern(node)
        hits = LiteralHits()
        for doc_id, folded, bounds in self.archive.store.folded(sorted(candidates)):
            spans = [m.span() for m in pattern.finditer(folded)]
            if spans:
                hits.counts[doc_id] = len(spans)
                hits.lengths[doc_id] = len(folded)
                hits.passages[doc_id] = _passages_of_spans(spans, bounds)
        self.hits[node] = hits
        return set(hits.counts)

    def positive_hits(self, node: Node) -> list[LiteralHits]:
        """The hits of literals and proximity groups not under NOT (they count and highlight)."""
        if isinstance(node, Literal):
            return [self.literal(node.text)]
        if isinstance(node, Near):
            return [self.hits[node]] if node in self.hits else []
        if isinstance(node, And | Or):
            return [h for c in node.children for h in self.positive_hits(c)]
        return []


def _passages_of_spans(spans: list[tuple[int, int]], bounds: list[int]) -> set[int]:
    from bisect import bisect_right

    hit: set[int] = set()
    for start, end in spans:
        first, last = bisect_right(bounds, start) - 1, bisect_right(bounds, end - 1) - 1
        hit.update(i + 1 for i in range(max(first, 0), last + 1))
    return hit


_searchers = threading.local()


def _cached_searcher(index: TextIndex):
    """One Whoosh searcher per thread and index folder, refreshed when the index changed."""
    cache = _searchers.__dict__.setdefault("by_path", {})
    searcher = cache.get(index.path)
    if searcher is None:
        searcher = index.searcher()
    elif not searcher.up_to_date():
        searcher = searcher.refresh()
    cache[index.path] = searcher
    return searcher


class Archive:
    """An index folder: the document store, the character index and the Whoosh index."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.store = DocStore(self.folder)
        self.index = TextIndex(self.folder)
        self.grams = GramIndex(self.folder)

    def close(self) -> None:
        self.store.close()

    def warm_up(self) -> None:
        """Load what the first query would (folding table, jieba, facet table, segments)."""
        from archive.analysis import jieba_instance

        fold("预热")
        jieba_instance()
        facet_table(self.store)
        self.grams.segments()

    def writer(self):
        from archive.writer import ArchiveWriter

        return ArchiveWriter(self.store, self.index, self.grams)

    # -- matching ------------------------------------------------------------
    def matches(self, request: SearchRequest) -> list[Match]:
        """Every document that satisfies the request, ranked."""
        tree = request.query_tree()
        table = facet_table(self.store)
        live = {d for d, row in table.items() if request.duplicates or not row.get("duplicate_of")}
        evaluator = _Evaluator(self, table, live)
        matched = evaluator.docs(tree)
        positives = evaluator.positive_hits(tree)
        found = []
        for doc_id in matched:
            ordinals: set[int] = set()
            for hits in positives:
                ordinals |= hits.passages.get(doc_id, set())
            found.append(Match(doc_id, 0.0, sorted(ordinals)))
        text_terms = bool(positives)
        if text_terms and request.sort == "relevance":
            self._rank(found, positives, tree, table, len(live))
        return _sort(found, request.sort, table, text_terms)

    def _rank(self, found: list[Match], positives: list[LiteralHits], tree: Node, table: dict, n_docs: int) -> None:
        """BM25 over literal occurrences + title bonus; then jieba-word BM25 (Whoosh) for the top."""
        literals = positive_literals(tree)
        lengths = [length for hits in positives for length in hits.lengths.values()]
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        for m in found:
            score = 0.0
            for hits in positives:
                tf = hits.counts.get(m.doc_id, 0)
                if tf:
                    idf = math.log(1 + (n_docs - len(hits.counts) + 0.5) / (len(hits.counts) + 0.5))
                    norm = BM25_K1 * (1 - BM25_B + BM25_B * hits.lengths[m.doc_id] / average)
                    score += idf * tf * (BM25_K1 + 1) / (tf + norm)
            title = fold(table[m.doc_id].get("title") or "")
            m.score = score + 2.0 * sum(1 for lit in literals if lit in title)
        found.sort(key=lambda m: -m.score)
        top = found[:RERANK_TOP]
        terms = sorted({w for lit in literals for w in words(lit)})
        if not terms or not top:
            return
        searcher = _cached_searcher(self.index)
        ids = searcher.reader().column_reader("doc_id")
        wanted = {m.doc_id for m in top}
        wquery = wq.Or([wq.Term("doc_id", d) for d in wanted])
        allowed = {n for n in searcher.docs_for_query(wquery)}
        word_query = wq.Or([wq.Term(f, w) for w in terms for f in ("words", "title")])
        scores = {ids[hit.docnum]: hit.score for hit in searcher.search(word_query, filter=allowed, limit=None)}
        for m in top:
            m.score += scores.get(m.doc_id, 0.0)

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
        wanted = set(match.passage_ordinals)
        chosen = [p for p in self.store.passages(match.doc_id) if p.ordinal in wanted]
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
        text_terms = bool(literals)
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
