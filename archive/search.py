"""Search: exact literals from the character index, masks, facets, ranking.

For every query: parse → each literal's occurrences from the positional
character index (exact: documents, passages and counts) → the query tree as
bool masks over the facet table's document numbering (fields from its numpy
columns, NOT as the live mask minus its child, proximity checked on the texts
of documents holding all its parts) → facet counts over the whole result
(bincounts) → ranking (BM25 over the literals' occurrences, a title bonus,
then BM25 on jieba words from Whoosh for the top documents) → the page's hits
with their passages, highlighted. Python work per query is bounded by the
page, not by the number of matches. The masks are archive.literals' job, the
scores archive.ranking's; this module puts a request through them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from archive.docstore import DocStore
from archive.facets import FacetTable, facet_table
from archive.fold import fold
from archive.gramindex import GramIndex, Occurrences, sorted_unique
from archive.highlight import crossing_spans, highlight_passage, match_spans
from archive.literals import Evaluator, LiteralHits, without_keys
from archive.model import HIT_FIELDS, Passage
from archive.query import And, FieldTerm, MatchAll, Node, Not, Or, parse, parse_year_range, positive_literals
from archive.ranking import (
    RERANK_TOP,
    by_score,
    cached_searcher,
    literal_bm25,
    load_numbers,
    word_scores,
)
from archive.textindex import TextIndex

MAX_PAGE_SIZE = 1000
FILTER_FIELDS = ("level", "province", "city", "county", "town", "year", "themes", "doctype",
                 "organization", "anonymized", "source")
# The name a filter has in URLs and on the command line (theme=…, --theme) → its field.
FILTER_PARAMS = {("theme" if f == "themes" else f): f for f in FILTER_FIELDS}
PARAM_OF_FIELD = {f: p for p, f in FILTER_PARAMS.items()}
SORTS = ("relevance", "date", "date_asc", "original")  # original: most original text first (archive reuse)
TEMPLATE_MODES = ("show", "hide")  # hide: template passages (archive reuse) leave hits, counts and exports


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
    template: str = "show"

    def validate(self) -> None:
        if self.page < 1 or self.page > 100000:
            raise RequestError(f"page must be between 1 and 100000, got {self.page}")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise RequestError(f"size must be between 1 and {MAX_PAGE_SIZE}, got {self.size}")
        if self.sort not in SORTS:
            raise RequestError(f"sort must be one of {', '.join(SORTS)}, got {self.sort!r}")
        if self.template not in TEMPLATE_MODES:
            raise RequestError(f"template must be one of {', '.join(TEMPLATE_MODES)}, got {self.template!r}")
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
class _Ranked:
    """A request's matching documents in result order, and what their passages and counts need."""

    table: FacetTable
    tree: Node
    matched: np.ndarray  # bool per table ordinal
    order: np.ndarray  # the matched ordinals, ranked
    scores: np.ndarray  # per table ordinal
    positives: list[LiteralHits]
    hidden: np.ndarray | None = None  # keys of template passages left out (template=hide)

    def passage_keys(self, mask: np.ndarray) -> np.ndarray:
        """Sorted unique (ordinal << 32 | passage ordinal) of the positives' passages in the masked documents."""
        keys = [(h.pair_docs[keep] << 32) | h.pair_passages[keep]
                for h in self.positives for keep in [mask[h.pair_docs]]]
        return sorted_unique(np.concatenate(keys)) if keys else np.empty(0, np.int64)

    def total_passages(self) -> int:
        if len(self.positives) == 1:  # one literal's pairs are unique already: no sort needed
            return int(np.count_nonzero(self.matched[self.positives[0].pair_docs]))
        return len(self.passage_keys(self.matched))

    def matches(self, ordinals: np.ndarray) -> list[Match]:
        """These documents as Match records, with their passage ordinals (extracted for them only)."""
        mask = np.zeros(len(self.table), dtype=bool)
        mask[ordinals] = True
        keys = self.passage_keys(mask)
        docs, passages = keys >> 32, (keys & 0xFFFFFFFF).tolist()
        starts, ends = np.searchsorted(docs, ordinals), np.searchsorted(docs, ordinals, side="right")
        ids, scores = self.table.ids, self.scores
        return [Match(ids[o], float(scores[o]), passages[s:e])
                for o, s, e in zip(ordinals.tolist(), starts.tolist(), ends.tolist(), strict=True)]


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
        """Load what the first query would (folding table, jieba, facet table, segments and their maps)."""
        from archive.analysis import segmenter

        fold("预热")
        segmenter()
        table = facet_table(self.store)
        for seg in self.grams.segments():
            table.segment_ordinals(seg.name, seg.doc_ids)
        load_numbers(self.index, cached_searcher(self.index))

    # -- what the evaluator reads (archive.literals.LiteralSource) ------------
    def occurrences(self, folded: str) -> list[Occurrences]:
        return self.grams.find(folded)

    def folded_texts(self, doc_ids: list[str]) -> Iterator[tuple[str, str, list[int]]]:
        return self.store.folded(doc_ids)

    def writer(self):
        from archive.writer import ArchiveWriter

        return ArchiveWriter(self.store, self.index, self.grams)

    # -- matching ------------------------------------------------------------
    def matches(self, request: SearchRequest) -> list[Match]:
        """Every document that satisfies the request, ranked."""
        ranked = self._ranked(request)
        return ranked.matches(ranked.order)

    def _ranked(self, request: SearchRequest) -> _Ranked:
        tree = request.query_tree()
        table = facet_table(self.store)
        live = np.ones(len(table), dtype=bool) if request.duplicates else ~table.duplicate
        evaluator = Evaluator(self, table, live)
        matched = evaluator.mask(tree)
        positives = evaluator.positive_hits(tree)
        template, shares = self._reuse_arrays(table, request)
        if request.template == "hide" and positives:
            positives = [without_keys(h, template) for h in positives]
            held = np.zeros(len(table), dtype=bool)
            for h in positives:
                held[h.pair_docs] = True
            matched = matched & held
        scores = np.zeros(len(table))
        if positives and request.sort == "relevance":
            order = self._rank(scores, matched, positives, tree, table, len(table))
        elif request.sort == "original":
            order = _by_original_share(matched, shares)
        else:
            order = _sorted(table, matched, request.sort)
        return _Ranked(table, tree, matched, order, scores, positives, template if request.template == "hide" else None)

    def _reuse_arrays(self, table: FacetTable, request: SearchRequest) -> tuple[np.ndarray, np.ndarray]:
        """Template passage keys and original shares, read only when the request needs them."""
        if request.template == "hide" or request.sort == "original":
            from archive.reuse.masks import reuse_arrays

            return reuse_arrays(self.store.conn, table, self.folder)
        return np.empty(0, np.int64), np.empty(0)

    def _rank(self, scores: np.ndarray, matched: np.ndarray, positives: list[LiteralHits], tree: Node,
              table: FacetTable, n_docs: int) -> np.ndarray:
        """BM25 over literal occurrences + title bonus; then jieba-word BM25 (Whoosh) for the top."""
        literals = positive_literals(tree)
        docs = np.flatnonzero(matched)
        in_title = sum(table.title_mask(lit)[docs].astype(np.int64) for lit in literals)
        scores[docs] = literal_bm25(docs, positives, n_docs) + 2.0 * in_title
        top = by_score(docs, scores)[:RERANK_TOP]
        scores[top] += self._word_scores([table.ids[o] for o in top.tolist()], literals)
        return by_score(docs, scores)

    def _word_scores(self, doc_ids: list[str], literals: list[str]) -> list[float]:
        return word_scores(self.index, doc_ids, literals)

    # -- results ---------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        ranked = self._ranked(request)
        start = (request.page - 1) * request.size
        page = ranked.matches(ranked.order[start:start + request.size])
        hits = [self.hit(m, ranked.tree, request.passages_per_hit, ranked.table) for m in page]
        return SearchResult(
            total=len(ranked.order), total_passages=ranked.total_passages(),
            hits=hits, facets=ranked.table.counts(ranked.matched), page=request.page, size=request.size,
            terms=positive_literals(ranked.tree),
        )

    def hit(self, match: Match, tree: Node, limit: int | None = None, table: FacetTable | None = None) -> dict[str, Any]:
        """One hit's fields and passages; `table` is the request's own (the store may move on meanwhile)."""
        hit = _doc_fields(table or facet_table(self.store), match.doc_id)
        wanted = sorted(set(match.passage_ordinals))
        hit["passage_count"] = len(wanted)
        chosen = self.store.passages(match.doc_id, wanted[:limit] if limit is not None else wanted)
        hit["passages"] = self._passage_hits(match.doc_id, chosen, positive_literals(tree))
        hit["score"] = round(match.score, 4)
        self._add_reuse(hit)
        return hit

    def _passage_hits(self, doc_id: str, chosen: list[Passage], literals: list[str]) -> list[dict[str, Any]]:
        """These passages of a document as hits. One that matched only through a match crossing into
        its neighbour shows its part of it marked (the document's folded text is read for those only)."""
        shown = [passage_hit(p, literals) for p in chosen]
        unmarked = [i for i, p in enumerate(shown) if literals and not p["spans"]]
        for _doc, folded, bounds in self.folded_texts([doc_id]) if unmarked else ():
            for i in unmarked:
                spans = crossing_spans(folded, bounds, chosen[i].ordinal, literals)
                if spans:
                    shown[i] = passage_hit(chosen[i], literals, spans)
        return shown

    def _add_reuse(self, hit: dict[str, Any]) -> None:
        """Each passage's reuse role and how many other documents share it (另见 N 篇)."""
        from archive.reuse.query import passage_roles

        roles = passage_roles(self.store.conn, hit["doc_id"])
        for p in hit["passages"]:
            p["reuse"] = roles.get(p["ordinal"], {"role": "original", "other_docs": 0}) if roles else None

    def iter_passages(self, request: SearchRequest) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(document fields, passage hit) for every matching passage, in rank order."""
        ranked = self._ranked(request)
        literals = positive_literals(ranked.tree)
        text_terms = bool(literals)
        for match in ranked.matches(ranked.order):
            doc = _doc_fields(ranked.table, match.doc_id)
            hidden = _hidden_ordinals(ranked, match.doc_id) if not text_terms else set()
            chosen = [p for p in self.store.passages(match.doc_id, match.passage_ordinals if text_terms else None)
                      if p.ordinal not in hidden]
            for passage in self._passage_hits(match.doc_id, chosen, literals):
                yield doc, passage

    def result_mask(self, request: SearchRequest) -> tuple[FacetTable, np.ndarray]:
        """The whole result as a bool mask over the facet table, unranked (for aggregates over it)."""
        ranked = self._ranked(replace(request, sort="date", page=1))
        return ranked.table, ranked.matched

    def passage_counts(self, request: SearchRequest) -> tuple[FacetTable, np.ndarray, np.ndarray]:
        """The whole result as arrays over the facet table: (table, matched mask, matching passages
        per document). Unranked and without hits, for aggregates such as matches per year."""
        ranked = self._ranked(replace(request, sort="date", page=1))
        keys = ranked.passage_keys(ranked.matched)
        return ranked.table, ranked.matched, np.bincount(keys >> 32, minlength=len(ranked.table))


def passage_hit(p: Passage, literals: list[str], folded_spans=()) -> dict[str, Any]:
    """A passage as hits, the API and exports carry it: `spans` are the [start, end) offsets of the
    matches in `text` (what exports mark); `highlighted` and `snippet` are them rendered as HTML."""
    spans = match_spans(p.text, literals, folded_spans) if literals else []
    highlighted, snippet = highlight_passage(p.text, spans)
    return {
        "passage_id": p.passage_id, "ordinal": p.ordinal, "section": p.section,
        "section_path": p.section_path, "text": p.text, "spans": [list(span) for span in spans],
        "highlighted": highlighted,
        "snippet": snippet, "themes": p.themes,
    }


def _doc_fields(table: FacetTable, doc_id: str) -> dict[str, Any]:
    row = table.rows[table.ordinal[doc_id]]
    return {k: row.get(k) for k in HIT_FIELDS}


def _hidden_ordinals(ranked: _Ranked, doc_id: str) -> set[int]:
    """Passage ordinals of a document that template=hide leaves out of a browse export."""
    if ranked.hidden is None or not len(ranked.hidden):
        return set()
    ordinal = ranked.table.ordinal[doc_id]
    lo, hi = np.searchsorted(ranked.hidden, [ordinal << 32, (ordinal + 1) << 32])
    return set((ranked.hidden[lo:hi] & 0xFFFFFFFF).tolist())


def _by_original_share(matched: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """The matched ordinals, most original text first; never compared documents last; ties by ordinal."""
    docs = np.flatnonzero(matched)
    key = np.where(np.isnan(shares[docs]), -1.0, shares[docs])
    return docs[np.lexsort((docs, -key))]


def _sorted(table: FacetTable, matched: np.ndarray, sort: str) -> np.ndarray:
    """The matched ordinals in an order that is not by relevance (dates; newest first without text)."""
    if sort == "date":
        order = table.date_order[::-1]
    elif sort == "date_asc":
        order = table.date_asc_order
    else:
        order = table.browse_order
    return order[matched[order]]
