"""Where a query's literals occur, as arrays over the facet table's document numbering.

The evaluator turns the query tree into bool masks: literals from the
positional character index (exact documents, passages and counts), fields
from the facet table's columns, proximity checked on the texts of documents
holding all its parts. What it reads of an engine is a `LiteralSource`: the
occurrences of a folded literal and the folded texts of documents — the seam
a second engine plugs into (issue 13).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from archive.facets import FacetTable
from archive.gramindex import Occurrences
from archive.matching import near_spans
from archive.query import And, FieldTerm, Literal, MatchAll, Near, Node, Not, Or


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


class LiteralSource(Protocol):
    """What evaluating a query needs of an engine (the local one: archive.search.Archive)."""

    def occurrences(self, folded: str) -> Iterable[Occurrences]:
        """Every occurrence of a folded literal, segment by segment."""

    def folded_texts(self, doc_ids: list[str]) -> Iterator[tuple[str, str, list[int]]]:
        """(doc_id, folded text, passage starts) of these documents."""


class Evaluator:
    """The query tree as bool masks over the facet table's documents."""

    def __init__(self, source: LiteralSource, table: FacetTable, live: np.ndarray) -> None:
        self.source, self.table, self.live = source, table, live
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
            pairs = [self._add_segment(hits, occ) for occ in self.source.occurrences(text) if len(occ.positions)]
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
        for doc_id, folded, bounds in self.source.folded_texts(ids):
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


def without_keys(hits: LiteralHits, keys: np.ndarray) -> LiteralHits:
    """The literal's hits without the passages whose keys (ordinal << 32 | passage) are given."""
    if not len(keys) or not len(hits.pair_docs):
        return hits
    codes = (hits.pair_docs << 32) | hits.pair_passages
    at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
    keep = keys[at] != codes
    return replace(hits, pair_docs=hits.pair_docs[keep], pair_passages=hits.pair_passages[keep])
