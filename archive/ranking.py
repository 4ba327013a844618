"""Ranking: BM25 over the literals' exact occurrences, then Whoosh BM25 on jieba words for the top.

Whoosh state is cached per thread and index generation (searchers, doc_id →
document number maps, word scores), so a facet click or the next page of a
query costs no Whoosh work again.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from whoosh import query as wq

from archive.analysis import words
from archive.literals import LiteralHits
from archive.textindex import TextIndex

RERANK_TOP = 200  # documents re-scored with Whoosh BM25 on jieba words
BM25_K1, BM25_B = 1.2, 0.75


def literal_bm25(docs: np.ndarray, positives: list[LiteralHits], n_docs: int) -> np.ndarray:
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


def by_score(docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The table ordinals by score, highest first, ties by ordinal (= doc_id)."""
    return docs[np.lexsort((docs, -scores[docs]))]


_searchers = threading.local()


def cached_searcher(index: TextIndex):
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
    numbers = cached[1] if cached[1] is not None else load_numbers(index, searcher)
    return [numbers.get(d) for d in doc_ids]


def load_numbers(index: TextIndex, searcher) -> dict[str, int]:
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


def word_scores(index: TextIndex, doc_ids: list[str], literals: list[str]) -> list[float]:
    """Whoosh BM25 on the literals' jieba words, for these documents (0 when none matches).

    Scores already computed for the same words on the same index generation are reused:
    a facet click, the next page or an export repeats the query's top documents.
    """
    terms = tuple(sorted({w for lit in literals for w in words(lit)}))
    if not terms or not doc_ids:
        return [0.0] * len(doc_ids)
    searcher = cached_searcher(index)
    numbers = _whoosh_numbers(index, searcher, doc_ids)
    known = _word_score_cache.get((index.path, searcher.reader().generation(), terms))
    missing = [n for n in numbers if n is not None and n not in known]
    if missing:
        word_query = wq.Or([wq.Term(f, w) for w in terms for f in ("words", "title")])
        scores = _whoosh_scores(searcher, word_query, missing)
        known.update({n: scores.get(n, 0.0) for n in missing})
    return [0.0 if n is None else known[n] for n in numbers]
