"""Aligned spans between two canonical texts, from the seeds they share.

In the spirit of passim and BLAST: shared seeds are chained along a diagonal
(gaps up to `max_gap` characters, a drift of up to `max_shift` between the two
sides, as when 通山县 became X县 or a number changed length), each chain is
extended over equal characters at both ends, and kept when both sides are at
least `min_span` characters long and their edit similarity is high enough.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from archive.reuse.settings import ReuseSettings


@dataclass(frozen=True)
class Span:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    similarity: float

    @property
    def length(self) -> int:
        return min(self.a_end - self.a_start, self.b_end - self.b_start)


def shared_seed_pairs(a_seeds: dict[int, list[int]], b_seeds: dict[int, list[int]]) -> list[tuple[int, int]]:
    """(position in a, position in b) of every seed hash the two texts share."""
    if len(b_seeds) < len(a_seeds):
        return [(pa, pb) for h, pbs in b_seeds.items() if h in a_seeds for pa in a_seeds[h] for pb in pbs]
    return [(pa, pb) for h, pas in a_seeds.items() if h in b_seeds for pa in pas for pb in b_seeds[h]]


def _chains(pairs: list[tuple[int, int]], settings: ReuseSettings) -> list[list[tuple[int, int]]]:
    chains: list[list[tuple[int, int]]] = []
    for pa, pb in sorted(pairs):
        best, best_gap = None, None
        for chain in chains:
            la, lb = chain[-1]
            gap_a, gap_b = pa - la, pb - lb
            if 0 < gap_a <= settings.max_gap and 0 < gap_b <= settings.max_gap \
                    and abs(gap_a - gap_b) <= settings.max_shift:
                if best_gap is None or gap_a + gap_b < best_gap:
                    best, best_gap = chain, gap_a + gap_b
        if best is None:
            chains.append([(pa, pb)])
        else:
            best.append((pa, pb))
    return chains


def aligned_spans(a: str, b: str, pairs: list[tuple[int, int]], settings: ReuseSettings) -> list[Span]:
    """The aligned spans of a and b that the shared seeds support, longest first, not overlapping."""
    k = settings.seed_length
    found: list[Span] = []
    for chain in _chains(pairs, settings):
        a0, b0 = chain[0]
        a1, b1 = chain[-1][0] + k, chain[-1][1] + k
        while a0 > 0 and b0 > 0 and a[a0 - 1] == b[b0 - 1]:
            a0, b0 = a0 - 1, b0 - 1
        while a1 < len(a) and b1 < len(b) and a[a1] == b[b1]:
            a1, b1 = a1 + 1, b1 + 1
        if min(a1 - a0, b1 - b0) < settings.min_span:
            continue
        similarity = Indel.normalized_similarity(a[a0:a1], b[b0:b1])
        if similarity >= settings.min_similarity:
            found.append(Span(a0, a1, b0, b1, round(similarity, 4)))
    return _without_overlaps(found)


def _without_overlaps(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: -s.length):
        if all(span.a_end <= o.a_start or span.a_start >= o.a_end or span.b_end <= o.b_start
               or span.b_start >= o.b_end for o in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.a_start)
