"""Winnowed character n-gram seeds of canonical texts (Schleimer et al., SIGMOD 2003).

Of every `window` consecutive n-grams the one with the smallest hash is kept, so
two texts that share a run of `length + window - 1` characters share a seed,
at about 2/(window+1) of the positions. Vectorised over many texts at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)


@dataclass
class Seeds:
    hashes: np.ndarray  # uint64, one per kept seed
    texts: np.ndarray  # int64: which of the input texts (its index)
    positions: np.ndarray  # int32: the seed's start in that text


def _mixed(h: np.ndarray) -> np.ndarray:
    """A well-spread hash (splitmix64 finaliser): minima of polynomial hashes cluster otherwise."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


BATCH_CHARS = 2_000_000  # texts seeded together: bounds the temporaries (~40 bytes a character)


def winnowed_seeds(texts: list[str], length: int, window: int) -> Seeds:
    """The kept seeds of each text (texts shorter than `length` have none), in batches of texts."""
    parts, first, chars = [], 0, 0
    for i, text in enumerate(texts):
        chars += len(text)
        if chars >= BATCH_CHARS or i == len(texts) - 1:
            batch = _winnowed(texts[first:i + 1], length, window)
            batch.texts += first
            parts.append(batch)
            first, chars = i + 1, 0
    if not parts:
        return _winnowed([], length, window)
    return Seeds(np.concatenate([p.hashes for p in parts]), np.concatenate([p.texts for p in parts]),
                 np.concatenate([p.positions for p in parts]))


def _winnowed(texts: list[str], length: int, window: int) -> Seeds:
    sizes = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    if not len(texts) or int(sizes.sum()) < length:
        return Seeds(np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.int32))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate(([0], np.cumsum(sizes)))
    n = len(codes) - length + 1
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for k in range(length):
            h = h * _BASE + codes[k:k + n]
        h = _mixed(h * _MIX)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), sizes)[:n]
    valid = np.arange(n) + length <= starts[owner + 1]  # the n-gram ends inside its own text
    h = np.where(valid, h, np.uint64(np.iinfo(np.uint64).max))
    if n >= window:
        view = np.lib.stride_tricks.sliding_window_view(h, window)
        last = np.arange(len(view)) + window - 1
        inside = valid[last] & (owner[last] == owner[:len(view)])  # windows within one text only:
        chosen = view[inside].argmin(axis=1) + np.flatnonzero(inside)  # a text's seeds never depend on its neighbours
        kept = np.unique(chosen)
    else:
        kept = np.empty(0, np.int64)
    # Texts too short for a full window keep their smallest n-gram at least.
    extra = _short_text_minima(h, valid, owner, starts, sizes, length, window)
    if len(extra):
        kept = np.union1d(kept, extra)
    return Seeds(h[kept], owner[kept], (kept - starts[owner[kept]]).astype(np.int32))


def _short_text_minima(h, valid, owner, starts, sizes, length, window) -> np.ndarray:
    short = np.flatnonzero((sizes >= length) & (sizes < length + window - 1))
    out = []
    for t in short.tolist():
        lo, hi = int(starts[t]), int(starts[t] + sizes[t] - length + 1)
        out.append(lo + int(np.argmin(h[lo:hi])))
    return np.asarray(out, dtype=np.int64)
