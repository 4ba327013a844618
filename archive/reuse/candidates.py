"""Candidate class pairs from shared seeds, vectorised (no Python work per seed).

Seeds of all classes involved are sorted by hash; within a run of equal
hashes every two entries of different classes are a pair. A hash held by more
than `max_postings` classes is a stock phrase (第一条 为了…) and seeds nothing.
A pair needs two shared seeds near each other on one diagonal (at most
`max_gap` apart, drifting at most `max_shift`): a run of 20 equal characters
shares at least two under winnowing, while two stock words met far apart are
no copy. Classes, positions and pair codes are kept narrow: a whole archive's
seeds are in memory at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PARTITION = 2_000_000  # seed pairs sorted at once


@dataclass
class SeedMatches:
    """Every shared seed of candidate pairs, grouped by pair (class_a < class_b)."""

    class_a: np.ndarray
    class_b: np.ndarray
    pos_a: np.ndarray
    pos_b: np.ndarray
    starts: np.ndarray  # slice starts of each pair's seeds (and a final end)

    def __len__(self) -> int:
        return len(self.starts) - 1


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Per entry of a sorted array: whether it starts a run of equal values."""
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    return starts


def _runs(sorted_hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each entry: its rank within its run of equal hashes, and that run's size."""
    n = len(sorted_hashes)
    new_run = _run_starts(sorted_hashes)
    run_start = np.flatnonzero(new_run)
    sizes = np.diff(np.append(run_start, n))
    run_of = np.cumsum(new_run) - 1
    return np.arange(n) - run_start[run_of], sizes[run_of]


def seed_matches(hashes: np.ndarray, classes: np.ndarray, positions: np.ndarray, is_new: np.ndarray,
                 max_postings: int, max_gap: int, max_shift: int) -> SeedMatches:
    """Pairs of classes (at least one of them new) with two seeds close on one diagonal, and all their seeds."""
    order = np.lexsort((classes, hashes))
    hashes, classes, positions, is_new = hashes[order], classes[order].astype(np.int32), positions[order], is_new[order]
    distinct = _distinct_classes_per_run(hashes, classes)
    keep = (distinct >= 2) & (distinct <= max_postings)
    hashes, classes, positions, is_new = hashes[keep], classes[keep], positions[keep], is_new[keep]
    del distinct, keep, order
    a, b, pa, pb = _pairs_within_runs(hashes, classes, positions.astype(np.int32), is_new)
    parts = []
    shares = max(1, len(a) // PARTITION)  # sorted share by share (by class_a): bounded temporaries
    for share in range(shares):
        pick = np.flatnonzero(a % shares == share) if shares > 1 else slice(None)
        parts.append(_grouped_by_pair(a[pick], b[pick], pa[pick], pb[pick], max_gap, max_shift))
    del a, b, pa, pb
    counts = np.concatenate([np.diff(p.starts) for p in parts])
    return SeedMatches(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("class_a", "class_b", "pos_a", "pos_b")),
                       np.concatenate(([0], np.cumsum(counts))))


def _grouped_by_pair(a, b, pa, pb, max_gap: int, max_shift: int) -> SeedMatches:
    """These seed pairs sorted by class pair then position, only pairs with two seeds close on a diagonal."""
    code = (a.astype(np.int64) << 32) | b.astype(np.int64)
    order = np.lexsort((pa, code))
    code, a, b, pa, pb = code[order], a[order], b[order], pa[order], pb[order]
    if not len(code):
        return SeedMatches(a, b, pa, pb, np.zeros(1, np.int64))
    first = np.flatnonzero(_run_starts(code))
    ends = np.append(first[1:], len(code))
    mask = np.repeat(_close_on_a_diagonal(code, pa, pb, first, max_gap, max_shift), ends - first)
    a, b, pa, pb = a[mask], b[mask], pa[mask], pb[mask]
    kept = mask[first]
    starts = np.concatenate(([0], np.cumsum((ends - first)[kept])))
    return SeedMatches(a, b, pa, pb, starts)


def _pairs_within_runs(hashes, classes, positions, is_new) -> tuple[np.ndarray, ...]:
    """(class_a < class_b, position in a, position in b) of every two entries of one hash's run,
    of different classes, one of them new; emitted offset by offset and narrowed at once."""
    rank, size = _runs(hashes)
    parts = []
    live = np.arange(len(hashes))
    offset = 1
    while len(live):
        live = live[rank[live] + offset < size[live]]
        i, j = live, live + offset
        useful = (classes[i] != classes[j]) & (is_new[i] | is_new[j])
        i, j = i[useful], j[useful]
        swap = classes[i] > classes[j]
        parts.append((np.where(swap, classes[j], classes[i]), np.where(swap, classes[i], classes[j]),
                      np.where(swap, positions[j], positions[i]), np.where(swap, positions[i], positions[j])))
        offset += 1
    if not parts:
        return tuple(np.empty(0, np.int32) for _ in range(4))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _close_on_a_diagonal(code, pa, pb, first, max_gap: int, max_shift: int) -> np.ndarray:
    """Per pair (runs of equal code, seeds by position in a): whether two consecutive seeds are
    within `max_gap` in a, in order in b, and on diagonals at most `max_shift` apart."""
    gap_a = np.diff(pa.astype(np.int64))
    gap_b = np.diff(pb.astype(np.int64))
    close = (code[1:] == code[:-1]) & (gap_a > 0) & (gap_a <= max_gap) & (gap_b > 0) & \
        (np.abs(gap_a - gap_b) <= max_shift)
    pair_of = np.cumsum(_run_starts(code)) - 1
    found = np.zeros(len(first), dtype=bool)
    found[pair_of[1:][close]] = True
    return found


def _distinct_classes_per_run(hashes: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Per entry (sorted by hash, then class): how many distinct classes its hash's run holds."""
    if not len(hashes):
        return np.empty(0, np.int64)
    new_run = _run_starts(hashes)
    new_class = new_run.copy()
    new_class[1:] |= classes[1:] != classes[:-1]
    run_of = np.cumsum(new_run) - 1
    per_run = np.bincount(run_of, weights=new_class).astype(np.int64)
    return per_run[run_of]
