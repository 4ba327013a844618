"""Exact and near duplicates: one canonical document, the others linked to it.

Copies differ in placeholders (20xx, ====, blanked numbers) and sometimes in
a few edited sentences, so documents are compared on a fingerprint without
digits, Latin letters, placeholder marks and punctuation. Near duplicates
share at least `THRESHOLD` of their fingerprints' character 5-gram shingles
(Jaccard) and do not each name a place the other never names (one template
filled in for two cities is two documents).

Comparing every pair is quadratic, so candidates come from MinHash with LSH
banding over a content-defined sample of each text: the word runs that
follow 的, 在 or 和 (copies sample alike, and a blanked number only breaks
the run it sits in). One-permutation MinHash of the sample gives a
signature; documents sharing a band of it are compared exactly. 25k
documents group in seconds.

The canonical copy is the most informative one: the one that kept the most
digits, then the fewest placeholders, then the longest. Others are linked to
it (`duplicate_of`), never deleted.
"""

from __future__ import annotations

import functools
import operator
import re
import tomllib
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain

from archive.config import data_file
from archive.unionfind import UnionFind

THRESHOLD = 0.8  # Jaccard of 5-gram shingles for a near duplicate
SHINGLE = 5
MIN_CHARS = 50  # shorter fingerprints are grouped only when their folded texts are equal

_BINS, _ROWS = 63, 3  # MinHash bins; 21 LSH bands of 3 bins: 0.9996 recall at chunk Jaccard 0.68
_MIN_ESTIMATE = 0.35  # share of equal bins below which a candidate is not compared
_COMMON_MIN_DOCS, _COMMON_SHARE = 50, 0.01  # a sampled run in more documents than both is boilerplate
_MAX_BUCKET = 200  # an LSH bucket larger than this holds a template's offspring, not copies
_MIN_SAMPLES = 5  # fewer sampled runs make no useful signature
_MIN_NUMBERS, _MIN_SHARED_NUMBERS = 5, 0.5  # of the fewer numbers (at least 5), copies share half

_NOISE = re.compile(r"[0-9a-z×=＝_\-\s\W]+")
# The sample: a run of word characters after 的/在/和, up to the next frequent character or mark.
_SAMPLE = re.compile(r"[的在和]([^\W\d_a-z的是在和了对为与及等中有不以人应]{3,})")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PLACEHOLDER = re.compile(r"(?:20)?x{2,4}|[=＝]{2,}|×{2,}")


def fingerprint(folded: str) -> str:
    """The folded text without digits, Latin letters, placeholder marks and punctuation."""
    return _NOISE.sub("", folded)


@dataclass
class DupCandidate:
    doc_id: str
    folded: str

    @property
    def informativeness(self) -> tuple[int, int, int, str]:
        digits = sum(map(self.folded.count, "0123456789"))
        return (digits, -len(_PLACEHOLDER.findall(self.folded)), len(self.folded), self.doc_id)


def _shingles(fp: str) -> set[str]:
    return {fp[i : i + SHINGLE] for i in range(max(1, len(fp) - SHINGLE + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    common = len(a & b)
    return common / (len(a) + len(b) - common) if a or b else 1.0


def similarity(folded_a: str, folded_b: str) -> float:
    """Jaccard of the 5-gram shingles of two folded texts' fingerprints."""
    return jaccard(_shingles(fingerprint(folded_a)), _shingles(fingerprint(folded_b)))


@functools.cache
def _place_pattern() -> tuple[re.Pattern[str], int]:
    places = tomllib.loads(data_file("dedup.toml").read_text(encoding="utf-8"))["places"]
    name = f"[^{re.escape(places['not_in_name'])}]{{2,4}}?"
    return re.compile(f"(?=({name})[{re.escape(places['suffixes'])}])"), places["min_count"]


def _own_places(fp: str, other: str) -> list[str]:
    """Place names `fp` repeats whose every tail (舟山 of 在舟山) is absent from `other`."""
    pattern, min_count = _place_pattern()
    counts = Counter(pattern.findall(fp))
    return [n for n, c in counts.items() if c >= min_count and all(n[k:] not in other for k in range(len(n) - 1))]


def different_places(fp_a: str, fp_b: str) -> bool:
    """Whether each fingerprint keeps naming a place the other never names."""
    return bool(_own_places(fp_a, fp_b)) and bool(_own_places(fp_b, fp_a))


def _signature(hashes: set[int]) -> list[int]:
    """One-permutation MinHash of a set of hashes; an empty bin takes the next filled one's value."""
    mins = {h % _BINS: h for h in sorted(hashes, reverse=True)}  # the smallest hash of each bin wins
    sig = [0] * _BINS
    top = donor = max(mins)
    for step in range(_BINS + top, -1, -1):  # downwards from the highest filled bin, wrapping around
        b = step % _BINS
        if b in mins:
            donor = b
        sig[b] = mins[b] if donor == b else mins[donor] * _BINS + (donor - b) % _BINS
    return sig


def _samples(folded: list[str]) -> list[set[int]]:
    """Each text's sampled runs, hashed, without runs common to many documents (boilerplate)."""
    sets = [set(map(zlib.crc32, map(str.encode, _SAMPLE.findall(text)))) for text in folded]
    df = Counter(chain.from_iterable(sets))
    limit = max(_COMMON_MIN_DOCS, _COMMON_SHARE * len(sets))
    common = {h for h, n in df.items() if n > limit}
    return [s - common for s in sets] if common else sets


def _candidates(folded: list[str]) -> set[tuple[int, int]]:
    """Pairs sharing a band of their MinHash signatures and enough bins overall.

    A text with few sampled runs gets no signature (it would be mostly
    padding); it is a candidate only beside texts with the same runs.
    """
    buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
    signatures: dict[int, list[int]] = {}
    for i, hashes in enumerate(_samples(folded)):
        if len(hashes) < _MIN_SAMPLES:
            if hashes:
                buckets[(-1, *sorted(hashes))].append(i)
            continue
        sig = signatures[i] = _signature(hashes)
        for band in range(0, _BINS, _ROWS):
            buckets[(band, *sig[band : band + _ROWS])].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if 1 < len(members) <= _MAX_BUCKET:
            pairs.update((i, j) for x, i in enumerate(members) for j in members[x + 1 :])
    min_equal = _MIN_ESTIMATE * _BINS
    return {
        (i, j)
        for i, j in pairs
        if i not in signatures or sum(map(operator.eq, signatures[i], signatures[j])) >= min_equal
    }


class Comparable:
    """A text's fingerprint, shingles and numbers for the exact test, each computed once."""

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self.fp = fingerprint(folded)
        self._shingles: set[str] | None = None
        self._numbers: set[str] | None = None

    @property
    def shingles(self) -> set[str]:
        if self._shingles is None:
            self._shingles = _shingles(self.fp)
        return self._shingles

    @property
    def numbers(self) -> set[str]:
        if self._numbers is None:
            self._numbers = set(_NUMBER.findall(self.folded))
        return self._numbers


def different_numbers(a: set[str], b: set[str]) -> bool:
    """Whether two texts both keep their numbers and most of them disagree: two years' or two days' reports.

    A copy with its numbers blanked has few left, and one with extra numbers
    (an export's header) still contains the other's, so both match the original.
    """
    smaller = min(len(a), len(b))
    return smaller >= _MIN_NUMBERS and len(a & b) < _MIN_SHARED_NUMBERS * smaller


def is_near_duplicate(a: Comparable, b: Comparable, threshold: float = THRESHOLD) -> bool:
    """The exact test for a candidate pair, cheapest checks first."""
    short, long_ = sorted((len(a.fp), len(b.fp)))
    if short < MIN_CHARS or short < threshold * long_ * 0.95:  # too short, or too unequal to reach it
        return False
    if different_numbers(a.numbers, b.numbers):
        return False
    return a.fp == b.fp or (not different_places(a.fp, b.fp) and jaccard(a.shingles, b.shingles) >= threshold)


def _near_pairs(folded: list[str], threshold: float) -> list[tuple[int, int]]:
    """Pairs of texts that are near duplicates."""
    texts: dict[int, Comparable] = {}
    pairs = []
    for i, j in sorted(_candidates(folded)):
        a = texts.get(i) or texts.setdefault(i, Comparable(folded[i]))
        b = texts.get(j) or texts.setdefault(j, Comparable(folded[j]))
        if is_near_duplicate(a, b, threshold):
            pairs.append((i, j))
    return pairs


def group_duplicates(docs: list[DupCandidate], threshold: float = THRESHOLD) -> dict[str, str | None]:
    """doc_id → canonical doc_id (None for canonical and unique documents)."""
    same_text: dict[str, list[DupCandidate]] = defaultdict(list)
    for doc in docs:
        same_text[doc.folded or f"\x00{doc.doc_id}"].append(doc)  # an empty text is like no other
    texts = list(same_text)
    sets = UnionFind(len(texts))
    for i, j in _near_pairs(texts, threshold):
        sets.union(i, j)
    groups: dict[int, list[DupCandidate]] = defaultdict(list)
    for n, text in enumerate(texts):
        groups[sets.find(n)].extend(same_text[text])
    result: dict[str, str | None] = {}
    for members in groups.values():
        canonical = max(members, key=lambda d: d.informativeness) if len(members) > 1 else members[0]
        for m in members:
            result[m.doc_id] = None if m is canonical else canonical.doc_id
    return result
