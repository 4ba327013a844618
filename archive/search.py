"""Search: exact literals from the character index, masks, facets, ranking.

For every query: parse → each literal's occurrences from the positional
character index (exact: documents, passages and counts) → the query tree as
bool masks over the facet table's document numbering (fields from its numpy
columns, NOT as the live mask minus its child, proximity checked on the texts
of documents holding all its parts) → facet counts over the whole result
(bincounts) → ranking (BM25 over the literals' occurrences, a title bonus,
then BM25 on jieba words from Whoosh for the top documents) → the page's hits
with their passages, highlighted. Python work per query is bounded by the
page, not by the number of matches.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq

from archive.analysis import words
from archive.docstore import DocStore
from archive.facets import FacetTable, facet_table
from archive.fold import fold
from archive.gramindex import GramIndex, Occurrences, sorted_unique
from archive.highlight import crossing_spans, highlight_passage
from archive.matching import near_spans
from archive.model import HIT_FIELDS, Passage
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
# The name a filter has in URLs and on the command line (theme=…, --theme) → its field.
FILTER_PARAMS = {("theme" if f == "themes" else f): f for f in FILTER_FIELDS}
PARAM_OF_FIELD = {f: p for p, f in FILTER_PARAMS.items()}
SORTS = ("relevance", "date", "date_asc", "original")  # original: most original text first (archive reuse)
TEMPLATE_MODES = ("show", "hide")  # hide: template passages (archive reuse) leave hits, counts and exports
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
class LiteralHits:
    """Where one literal (or proximity group) occurs, over the facet table's document numbering."""

    counts: np.ndarray  # occurrences per table ordinal
    lengths: np.ndarray  # folded length per table ordinal (where counts > 0)
    pair_docs: np.ndarray  # table ordinal of each passage holding an occurrence
    pair_passages: np.ndarray  # that passage's ordinal
    df: int = 0  # documents holding it in the index, also ones the store lacks (BM25's idf, as ranked)
    length_sum: int = 0  # their folded lengths (BM25's average length)

    @classmethod
    def empty(cls, n_docs: int) -> LiteralHits:
        zeros = np.zeros(n_docs, dtype=np.int64)
        return cls(zeros, zeros.copy(), np.empty(0, np.int64), np.empty(0, np.int64))


class _Evaluator:
    """The query tree as bool masks over the facet table's documents."""

    def __init__(self, archive: Archive, table: FacetTable, live: np.ndarray) -> None:
        self.archive, self.table, self.live = archive, table, live
        self.hits: dict[Node, LiteralHits] = {}

    def mask(self, node: Node) -> np.ndarray:
        if isinstance(node, MatchAll):
            return self.live
        if isinstance(node, Literal):
            return (self.literal(node.text).counts > 0) & self.live
        if isinstance(node, Near):
            return self.near(node)
        if isinstance(node, FieldTerm):
            return self.table.field_mask(node) & self.live
        if isinstance(node, And):
            children = sorted(node.children, key=lambda c: isinstance(c, Not))  # positives first
            result = self.mask(children[0])
            for child in children[1:]:
                if not result.any():
                    break  # what is not evaluated neither counts nor highlights, as before
                result = result & (~self.mask(child.child) if isinstance(child, Not) else self.mask(child))
            return result
        if isinstance(node, Or):
            return np.logical_or.reduce([self.mask(c) for c in node.children])
        if isinstance(node, Not):
            return self.live & ~self.mask(node.child)
        raise TypeError(node)

    def literal(self, text: str) -> LiteralHits:
        key = Literal(text)
        if key not in self.hits:
            hits = LiteralHits.empty(len(self.table))
            pairs = [self._add_segment(hits, occ) for occ in self.archive.grams.find(text) if len(occ.positions)]
            if pairs:
                hits.pair_docs = np.concatenate([d for d, _ in pairs])
                hits.pair_passages = np.concatenate([p for _, p in pairs])
            self.hits[key] = hits
        return self.hits[key]

    def _add_segment(self, hits: LiteralHits, occ: Occurrences) -> tuple[np.ndarray, np.ndarray]:
        """Add one segment's occurrences to hits; return its (table ordinal, passage ordinal) pairs."""
        seg = occ.segment
        to_table = self.table.segment_ordinals(seg.name, seg.doc_ids)
        per_doc = np.bincount(occ.doc_ordinals(), minlength=len(seg.doc_ids))
        held = np.flatnonzero(per_doc)
        lengths = seg.doc_starts[held + 1] - seg.doc_starts[held] - 1
        hits.df += len(held)
        hits.length_sum += int(lengths.sum())
        ordinals = to_table[held]
        known = ordinals >= 0
        hits.counts[ordinals[known]] = per_doc[held[known]]
        hits.lengths[ordinals[known]] = lengths[known]
        docs, passages = occ.passage_hits()
        docs = to_table[docs]
        return docs[docs >= 0], passages[docs >= 0]

    def near(self, node: Near) -> np.ndarray:
        """Documents holding every part, then the pattern checked on their texts."""
        candidates = self.live.copy()
        for part in node.parts:
            candidates &= self.literal(part).counts > 0
        hits = LiteralHits.empty(len(self.table))
        pair_docs: list[int] = []
        pair_passages: list[int] = []
        ids = [self.table.ids[o] for o in np.flatnonzero(candidates).tolist()]
        for doc_id, folded, bounds in self.archive.store.folded(ids):
            spans = near_spans(folded, node)
            if spans:
                ordinal = self.table.ordinal[doc_id]
                hits.counts[ordinal], hits.lengths[ordinal] = len(spans), len(folded)
                hits.df += 1
                hits.length_sum += len(folded)
                passages = sorted(_passages_of_spans(spans, bounds))
                pair_docs += [ordinal] * len(passages)
                pair_passages += passages
        hits.pair_docs, hits.pair_passages = np.asarray(pair_docs, np.int64), np.asarray(pair_passages, np.int64)
        self.hits[node] = hits
        return hits.counts > 0

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


def _bm25(docs: np.ndarray, positives: list[LiteralHits], n_docs: int) -> np.ndarray:
    """BM25 over the literals' occurrence counts, for these table ordinals.

    `n_docs` counts every document of the index, duplicates too, as df does: counted over live
    documents only, N fell below df on the seeds (工作: idf −0.17) and more occurrences ranked lower.
    """
    df = sum(h.df for h in positives)
    average = sum(h.length_sum for h in positives) / df if df else 1.0
    scores = np.zeros(len(docs))
    for hits in positives:
        tf = hits.counts[docs]
        has = tf > 0
        tf = tf[has]
        idf = math.log(1 + (max(n_docs, hits.df) - hits.df + 0.5) / (hits.df + 0.5))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * hits.lengths[docs][has] / average)
        scores[has] += idf * tf * (BM25_K1 + 1) / (tf + norm)
    return scores


def _by_score(docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The table ordinals by score, highest first, ties by ordinal (= doc_id)."""
    return docs[np.lexsort((docs, -scores[docs]))]


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


_numbers: dict[Path, tuple[int, dict[str, int] | None]] = {}  # index path → (generation, doc_id → number)
_numbers_lock = threading.Lock()


def _whoosh_numbers(index: TextIndex, searcher, doc_ids: list[str]) -> list[int | None]:
    """The Whoosh document numbers of these doc_ids (None: not in the word index).

    A process that searches once (a CLI query) looks the few ids up one by one; from the
    second query on an index generation, a doc_id → number map of all live records (hundreds
    of ms to read on a large archive) is shared by every thread until the index changes.
    """
    generation = searcher.reader().generation()
    with _numbers_lock:
        cached = _numbers.get(index.path)
        if cached is None or cached[0] != generation:
            _numbers[index.path] = (generation, None)
    if cached is None or cached[0] != generation:
        return [searcher.document_number(doc_id=d) for d in doc_ids]
    numbers = cached[1] if cached[1] is not None else _load_numbers(index, searcher)
    return [numbers.get(d) for d in doc_ids]


def _load_numbers(index: TextIndex, searcher) -> dict[str, int]:
    reader = searcher.reader()
    ids = reader.column_reader("doc_id")
    numbers = {ids[n]: n for n in reader.all_doc_ids()}
    with _numbers_lock:
        _numbers[index.path] = (reader.generation(), numbers)
    return numbers


def _whoosh_scores(searcher, query: wq.Or, docnums: list[int]) -> dict[int, float]:
    """What `searcher.search(query)` scores these documents, without stepping through all its matches."""
    scores: dict[int, float] = {}
    context = searcher.context()  # the context `search` uses: the same matchers, the same sums
    for leaf, offset in searcher.leaf_searchers():
        wanted = sorted({d - offset for d in docnums if offset <= d < offset + leaf.doc_count_all()})
        for matcher in _leaf_matchers(query, leaf, context):
            for docnum in wanted:
                if matcher.is_active() and matcher.id() < docnum:
                    matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
                if matcher.id() == docnum:
                    scores[docnum + offset] = scores.get(docnum + offset, 0.0) + matcher.score()
    return scores


def _leaf_matchers(query: wq.Or, leaf, context) -> list:
    """Matchers whose scores at a document, added in order, are the score Whoosh's `search` gives it.

    On a small segment (≤ 5000 documents) Whoosh's Or with more than two clauses reads every match
    into an array, adding the clauses' scores in clause order (whoosh.query.compound.Or._matcher);
    the clauses' own matchers give the same sum at the wanted documents without reading the rest.
    Elsewhere it is a tree of unions, which skips well.
    """
    subs = query.subqueries
    if len(subs) > 2 and (len(subs) >= query.TOO_MANY_CLAUSES or leaf.doc_count_all() <= 5000):
        return [sub.matcher(leaf, context) for sub in subs]
    return [query.matcher(leaf, context)]


class _WordScoreCache:
    """(index folder, Whoosh generation, words) → {Whoosh document number: score}, least recently used out.

    A generation's numbers and scores never change, so entries are never stale, only unused.
    Threads may fill one entry at once: they write the same values.
    """

    MAX_ENTRIES = 256

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, dict[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> dict[int, float]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = {}
                while len(self._entries) > self.MAX_ENTRIES:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(key)
            return entry


_word_score_cache = _WordScoreCache()


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
        _load_numbers(self.index, _cached_searcher(self.index))

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
        evaluator = _Evaluator(self, table, live)
        matched = evaluator.mask(tree)
        positives = evaluator.positive_hits(tree)
        template, shares = self._reuse_arrays(table, request)
        if request.template == "hide" and positives:
            positives = [_without_keys(h, template) for h in positives]
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
        scores[docs] = _bm25(docs, positives, n_docs) + 2.0 * in_title
        top = _by_score(docs, scores)[:RERANK_TOP]
        scores[top] += self._word_scores([table.ids[o] for o in top.tolist()], literals)
        return _by_score(docs, scores)

    def _word_scores(self, doc_ids: list[str], literals: list[str]) -> list[float]:
        """Whoosh BM25 on the literals' jieba words, for these documents (0 when none matches).

        Scores already computed for the same words on the same index generation are reused:
        a facet click, the next page or an export repeats the query's top documents.
        """
        terms = tuple(sorted({w for lit in literals for w in words(lit)}))
        if not terms or not doc_ids:
            return [0.0] * len(doc_ids)
        searcher = _cached_searcher(self.index)
        numbers = _whoosh_numbers(self.index, searcher, doc_ids)
        known = _word_score_cache.get((self.index.path, searcher.reader().generation(), terms))
        missing = [n for n in numbers if n is not None and n not in known]
        if missing:
            word_query = wq.Or([wq.Term(f, w) for w in terms for f in ("words", "title")])
            scores = _whoosh_scores(searcher, word_query, missing)
            known.update({n: scores.get(n, 0.0) for n in missing})
        return [0.0 if n is None else known[n] for n in numbers]

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
        literals = positive_literals(tree)
        hit["passages"] = [passage_hit(p, literals) for p in chosen]
        self._mark_crossing_matches(match.doc_id, chosen, hit["passages"], literals)
        hit["score"] = round(match.score, 4)
        self._add_reuse(hit)
        return hit

    def _mark_crossing_matches(self, doc_id: str, chosen: list[Passage], shown: list[dict[str, Any]],
                               literals: list[str]) -> None:
        """A passage that matched only through a match crossing into its neighbour shows its part marked."""
        unmarked = [i for i, p in enumerate(shown) if literals and "<mark>" not in p["highlighted"]]
        if not unmarked:
            return
        for _doc, folded, bounds in self.store.folded([doc_id]):
            for i in unmarked:
                spans = crossing_spans(folded, bounds, chosen[i].ordinal, literals)
                if spans:
                    shown[i] = passage_hit(chosen[i], literals, spans)

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
            shown = [passage_hit(p, literals) for p in chosen]
            self._mark_crossing_matches(match.doc_id, chosen, shown, literals)
            for passage in shown:
                yield doc, passage

    def passage_counts(self, request: SearchRequest) -> tuple[FacetTable, np.ndarray, np.ndarray]:
        """The whole result as arrays over the facet table: (table, matched mask, matching passages
        per document). Unranked and without hits, for aggregates such as matches per year."""
        ranked = self._ranked(replace(request, sort="date", page=1))
        keys = ranked.passage_keys(ranked.matched)
        return ranked.table, ranked.matched, np.bincount(keys >> 32, minlength=len(ranked.table))



def passage_hit(p: Passage, literals: list[str], folded_spans=()) -> dict[str, Any]:
    highlighted, snippet = highlight_passage(p.text, literals, folded_spans)
    return {
        "passage_id": p.passage_id, "ordinal": p.ordinal, "section": p.section,
        "section_path": p.section_path, "text": p.text, "highlighted": highlighted,
        "snippet": snippet, "themes": p.themes,
    }


def _doc_fields(table: FacetTable, doc_id: str) -> dict[str, Any]:
    row = table.rows[table.ordinal[doc_id]]
    return {k: row.get(k) for k in HIT_FIELDS}


def _without_keys(hits: LiteralHits, keys: np.ndarray) -> LiteralHits:
    """The literal's hits without the passages whose keys (ordinal << 32 | passage) are given."""
    if not len(keys) or not len(hits.pair_docs):
        return hits
    codes = (hits.pair_docs << 32) | hits.pair_passages
    at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
    keep = keys[at] != codes
    return replace(hits, pair_docs=hits.pair_docs[keep], pair_passages=hits.pair_passages[keep])


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
