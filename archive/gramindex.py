"""A positional character index: exact phrase matching by intersecting positions.

Each segment concatenates the folded texts of its documents (one gap between
documents) and stores, for every bigram and every single character, the
sorted positions where it occurs. A phrase c0…cn occurs at p exactly when the
bigram c_i c_i+1 occurs at p + i for every i, so chaining the bigrams' position
lists from the rarest one yields every occurrence — no candidate to verify, no
text to read, and the documents, passages and per-document counts follow from
the positions by binary search.

Files (numpy arrays, memory-mapped) per segment folder:
    keys.npy      sorted gram codes (int64)
    offsets.npy   where each gram's positions start in positions.npy (int64, len(keys) + 1)
    positions.npy occurrence positions (uint32; int64 in a segment of 4.29 G characters or more)
    doc_starts.npy   position of each document's first character, then the end (int64)
    passage_starts.npy, passage_docs.npy, passage_ordinals.npy   per passage
    doc_ids.json  document ids by ordinal
A manifest (`manifest.json`, replaced atomically) lists the live segments and,
per segment, the file of deleted document ordinals: a reader sees one
committed state; a killed writer leaves only unreferenced files behind.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

READ_ATTEMPTS = 5  # manifest re-reads when a concurrent commit removed what the last one named


class IndexDamagedError(RuntimeError):
    """The index folder is not in a state any commit leaves; the message says what to do."""


UNIGRAM = 0x1FFFFF  # a second "character" no code point reaches: marks single-character grams
SHIFT = 21
MANIFEST = "manifest.json"


def bigram_code(a: str, b: str) -> int:
    return (ord(a) << SHIFT) | ord(b)


def unigram_code(c: str) -> int:
    return (ord(c) << SHIFT) | UNIGRAM


@dataclass
class SegmentDoc:
    """What the index needs of a document: its id, folded text and passage starts in it."""

    doc_id: str
    folded: str
    passage_starts: list[int]  # offsets in `folded`
    passage_ordinals: list[int]


@dataclass
class Occurrences:
    """Where one literal occurs in one segment."""

    segment: Segment
    positions: np.ndarray  # start positions, sorted
    length: int
    _docs: np.ndarray | None = field(default=None, repr=False)  # doc_ordinals, computed once

    def doc_ordinals(self) -> np.ndarray:
        if self._docs is None:
            self._docs = np.searchsorted(self.segment.doc_starts, self.positions, side="right") - 1
        return self._docs

    def passage_hits(self) -> tuple[np.ndarray, np.ndarray]:
        """(doc ordinal, passage ordinal) of each passage holding (part of) an occurrence, unique."""
        seg = self.segment
        if not len(self.positions) or not len(seg.passage_starts):
            return np.empty(0, np.int64), np.empty(0, np.int64)
        index, owner = self._touched_passages()
        # An occurrence before a document's first passage (its title line) holds no passage.
        valid = (index >= 0) & (seg.passage_docs[np.clip(index, 0, None)] == owner)
        unique = sorted_unique(index[valid])
        return seg.passage_docs[unique], seg.passage_ordinals[unique]

    def _touched_passages(self) -> tuple[np.ndarray, np.ndarray]:
        """(segment passage index, owning doc ordinal) of every passage an occurrence touches (may repeat)."""
        starts, docs = self.segment.passage_starts, self.doc_ordinals()
        first = np.searchsorted(starts, self.positions, side="right") - 1
        ends = self.positions + self.length - 1
        crosses = np.flatnonzero((first + 1 < len(starts)) & (starts[np.minimum(first + 1, len(starts) - 1)] <= ends))
        if not len(crosses):  # the common case: every occurrence within one passage
            return first, docs
        # The few occurrences across a passage boundary also touch the passages after their first.
        after = np.searchsorted(starts, ends[crosses], side="right") - 1 - first[crosses]
        steps = np.arange(after.sum()) - np.repeat(np.cumsum(after) - after, after) + 1
        extra = np.repeat(first[crosses], after) + steps
        return np.concatenate([first, extra]), np.concatenate([docs, np.repeat(docs[crosses], after)])


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique without its hash table (far slower on large int64 arrays); sorted input costs one pass."""
    if len(values) > 1 and not (values[1:] >= values[:-1]).all():
        values = np.sort(values, kind="stable")
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


class Segment:
    """One immutable segment, its arrays memory-mapped."""

    def __init__(self, folder: Path, deleted: np.ndarray | None = None) -> None:
        self.folder = folder
        self.name = folder.name
        load = lambda name: np.load(folder / name, mmap_mode="r")  # noqa: E731
        self.keys = load("keys.npy")
        self.offsets = load("offsets.npy")
        self.positions = load("positions.npy")
        self.doc_starts = np.asarray(load("doc_starts.npy"))
        self.passage_starts = np.asarray(load("passage_starts.npy"))
        self.passage_docs = np.asarray(load("passage_docs.npy"))
        self.passage_ordinals = np.asarray(load("passage_ordinals.npy"))
        self.doc_ids: list[str] = json.loads((folder / "doc_ids.json").read_text(encoding="utf-8"))
        self.live = np.ones(len(self.doc_ids), dtype=bool)
        if deleted is not None and len(deleted):
            self.live[deleted] = False

    def postings(self, code: int) -> np.ndarray:
        i = int(np.searchsorted(self.keys, code))
        if i >= len(self.keys) or int(self.keys[i]) != code:
            return np.empty(0, dtype=np.int64)
        return np.asarray(self.positions[int(self.offsets[i]):int(self.offsets[i + 1])], dtype=np.int64)

    def find(self, folded: str) -> Occurrences:
        """Every start position of the folded literal in this segment (live documents only)."""
        n = len(folded)
        if n == 0:
            return Occurrences(self, np.empty(0, np.int64), 0)
        if n == 1:
            positions = self.postings(unigram_code(folded))
        else:
            lists = [self.postings(bigram_code(folded[i], folded[i + 1])) for i in range(n - 1)]
            order = sorted(range(n - 1), key=lambda i: len(lists[i]))
            positions = lists[order[0]] - order[0]
            for i in order[1:]:
                if not len(positions):
                    break
                wanted = positions + i
                other = lists[i]
                idx = np.searchsorted(other, wanted)
                idx[idx >= len(other)] = len(other) - 1 if len(other) else 0
                positions = positions[(other[idx] == wanted) if len(other) else np.zeros(len(wanted), bool)]
        if len(positions) and not self.live.all():
            docs = np.searchsorted(self.doc_starts, positions, side="right") - 1
            positions = positions[self.live[docs]]
        return Occurrences(self, positions, n)


def position_dtype(length: int) -> type:
    """uint32 positions while a segment's text fits them (4.29 G characters), int64 beyond: a merged
    segment of a national archive must not wrap its positions around."""
    return np.uint32 if length < 2**32 else np.int64


def build_segment(folder: Path, docs: list[SegmentDoc]) -> None:
    """Write one segment for these documents (into `folder`, which must not exist)."""
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    starts, passage_starts, passage_docs, passage_ordinals = [], [], [], []
    pos = 0
    for ordinal, doc in enumerate(docs):
        starts.append(pos)
        passage_starts.extend(pos + s for s in doc.passage_starts)
        passage_docs.extend([ordinal] * len(doc.passage_starts))
        passage_ordinals.extend(doc.passage_ordinals)
        pos += len(doc.folded) + 1  # one gap: no gram spans two documents
    starts.append(pos)
    text = "\0".join(d.folded for d in docs)
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    gap = chars == 0
    bi_codes = (chars[:-1] << SHIFT) | chars[1:]
    bi_keep = ~(gap[:-1] | gap[1:])
    uni_keep = ~gap
    codes = np.concatenate([bi_codes[bi_keep], ((chars << SHIFT) | UNIGRAM)[uni_keep]])
    where = np.concatenate([np.flatnonzero(bi_keep), np.flatnonzero(uni_keep)]).astype(position_dtype(pos))
    order = np.argsort(codes, kind="stable")  # stable: positions stay sorted within a gram
    _write_segment(tmp, codes[order], where[order], starts, passage_starts, passage_docs, passage_ordinals,
                   [d.doc_id for d in docs])
    os.replace(tmp, folder)


def _write_segment(tmp: Path, codes: np.ndarray, positions: np.ndarray, starts: list[int], passage_starts: list[int],
                   passage_docs: list[int], passage_ordinals: list[int], doc_ids: list[str]) -> None:
    """Write sorted (code, position) pairs and the document/passage tables."""
    keys, first = np.unique(codes, return_index=True)
    np.save(tmp / "keys.npy", keys)
    np.save(tmp / "offsets.npy", np.append(first, len(codes)).astype(np.int64))
    np.save(tmp / "positions.npy", positions.astype(position_dtype(starts[-1])))
    np.save(tmp / "doc_starts.npy", np.asarray(starts, np.int64))
    np.save(tmp / "passage_starts.npy", np.asarray(passage_starts, np.int64))
    np.save(tmp / "passage_docs.npy", np.asarray(passage_docs, np.int64))
    np.save(tmp / "passage_ordinals.npy", np.asarray(passage_ordinals, np.int64))
    (tmp / "doc_ids.json").write_text(json.dumps(doc_ids), encoding="utf-8")


# Segments loaded in this process, by segments folder: (the manifest's segment entries, segments).
_LOADED: dict[Path, tuple[tuple, list[Segment]]] = {}
_LOADED_LOCK = threading.Lock()
MAX_FOLDERS_LOADED = 8  # a server reads one; a test session opens many


class GramIndex:
    """The segments of an index folder, as of the last commit."""

    FOLDER = "grams"

    def __init__(self, folder: Path) -> None:
        self.path = folder / self.FOLDER
        self.path.mkdir(parents=True, exist_ok=True)

    # -- reading -------------------------------------------------------------
    def manifest(self) -> dict:
        try:
            return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"generation": 0, "segments": []}

    def segments(self) -> list[Segment]:
        """The committed segments, loaded once per process for each committed state.

        The web app opens an index for every request: loading the segments each time (memory maps,
        document ids) would cost more than a search. They are shared by every GramIndex of the
        folder and kept while the manifest names the same files (names are unique: a folder
        deleted and built again cannot match).
        """
        for _attempt in range(READ_ATTEMPTS):
            manifest = self.manifest()
            stamp = tuple((e["name"], e.get("deleted")) for e in manifest["segments"])
            with _LOADED_LOCK:
                loaded = _LOADED.get(self.path)
                if loaded and loaded[0] == stamp:
                    return loaded[1]
            try:
                segments = [_open_segment(self.path, entry) for entry in manifest["segments"]]
            except FileNotFoundError:
                continue  # a writer committed and collected while we read: read its manifest
            with _LOADED_LOCK:
                _LOADED.pop(self.path, None)
                _LOADED[self.path] = (stamp, segments)  # the most recent last
                while len(_LOADED) > MAX_FOLDERS_LOADED:
                    del _LOADED[next(iter(_LOADED))]
            return segments
        raise IndexDamagedError(f"the character index in {self.path} names segment files that are missing; "
                                "rebuild the index (ingest again into a new --index folder)")

    def find(self, folded: str) -> list[Occurrences]:
        return [seg.find(folded) for seg in self.segments()]

    # -- writing (one writer at a time: the caller holds the index's write lock) --
    def writer(self) -> GramWriter:
        return GramWriter(self)


class GramWriter:
    """Collects additions and deletions; `commit` makes them visible at once."""

    def __init__(self, index: GramIndex) -> None:
        self.index = index
        self.added: dict[str, SegmentDoc] = {}
        self.deleted: set[str] = set()

    def add(self, doc: SegmentDoc) -> None:
        self.deleted.add(doc.doc_id)  # replaces a committed version, if any
        self.added[doc.doc_id] = doc  # and a pending one

    def delete(self, doc_id: str) -> None:
        self.deleted.add(doc_id)
        self.added.pop(doc_id, None)

    def commit(self) -> None:
        manifest = self.index.manifest()
        path = self.index.path
        entries = []
        for entry in manifest["segments"]:
            seg = _open_segment(path, entry)
            gone = [i for i, d in enumerate(seg.doc_ids) if d in self.deleted and seg.live[i]]
            if gone:
                dead = np.flatnonzero(~seg.live).tolist() + gone
                if len(dead) == len(seg.doc_ids):
                    continue  # every document deleted: drop the segment
                name = f"{entry['name']}.del.{uuid.uuid4().hex[:8]}.npy"
                np.save(path / name, np.asarray(sorted(dead), np.int64))
                entry = {**entry, "deleted": name}
            entries.append(entry)
        if self.added:
            name = f"seg-{uuid.uuid4().hex[:12]}"
            build_segment(path / name, list(self.added.values()))
            entries.append({"name": name, "deleted": None})
        entries = _merge_small(path, entries)
        new = {"generation": manifest["generation"] + 1, "segments": entries}
        tmp = path / f"{MANIFEST}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(json.dumps(new), encoding="utf-8")
        os.replace(tmp, path / MANIFEST)
        self.added, self.deleted = {}, set()
        _collect_garbage(path, new)


    def collect_garbage(self) -> None:
        """Remove files no committed manifest names (the caller holds the index's write lock)."""
        _collect_garbage(self.index.path, self.index.manifest())


def _open_segment(path: Path, entry: dict) -> Segment:
    deleted = np.load(path / entry["deleted"]) if entry.get("deleted") else None
    return Segment(path / entry["name"], deleted)


MAX_SEGMENTS = 8


def _merge_small(path: Path, entries: list[dict]) -> list[dict]:
    """Keep the segment count bounded: merge all but a dominant largest segment."""
    if len(entries) <= MAX_SEGMENTS:
        return entries
    segments = [_open_segment(path, e) for e in entries]
    sizes = [int(s.doc_starts[-1]) for s in segments]
    largest = max(range(len(entries)), key=sizes.__getitem__)
    keep = [entries[largest]] if sizes[largest] * 2 > sum(sizes) else []
    merge = [s for i, s in enumerate(segments) if not keep or i != largest]
    name = f"seg-{uuid.uuid4().hex[:12]}"
    merge_segments(path / name, merge)
    return keep + [{"name": name, "deleted": None}]


def merge_segments(folder: Path, segments: list[Segment]) -> None:
    """One segment holding the live documents of several, positions moved, dead documents dropped."""
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    codes_parts, position_parts = [], []
    starts, p_starts, p_docs, p_ordinals, doc_ids = [], [], [], [], []
    base = 0
    for seg in segments:
        old_starts = seg.doc_starts
        lengths = np.diff(old_starts)
        live = seg.live
        new_starts = base + np.concatenate([[0], np.cumsum(np.where(live, lengths, 0))[:-1]])
        shift = new_starts - old_starts[:-1]  # per old document
        ordinal_map = np.cumsum(live) - 1 + len(doc_ids)
        codes = np.repeat(np.asarray(seg.keys), np.diff(np.asarray(seg.offsets)))
        positions = np.asarray(seg.positions, dtype=np.int64)
        owner = np.searchsorted(old_starts, positions, side="right") - 1
        alive = live[owner]
        codes_parts.append(codes[alive])
        position_parts.append(positions[alive] + shift[owner[alive]])
        starts.extend(new_starts[live].tolist())
        p_alive = live[seg.passage_docs]
        p_starts.extend((seg.passage_starts[p_alive] + shift[seg.passage_docs[p_alive]]).tolist())
        p_docs.extend(ordinal_map[seg.passage_docs[p_alive]].tolist())
        p_ordinals.extend(seg.passage_ordinals[p_alive].tolist())
        doc_ids.extend(d for d, ok in zip(seg.doc_ids, live.tolist(), strict=True) if ok)
        base += int(np.where(live, lengths, 0).sum())
    starts.append(base)
    codes = np.concatenate(codes_parts)
    positions = np.concatenate(position_parts)
    order = np.argsort(codes, kind="stable")  # segments in order: positions stay sorted within a gram
    _write_segment(tmp, codes[order], positions[order], starts, p_starts, p_docs, p_ordinals, doc_ids)
    os.replace(tmp, folder)


def _collect_garbage(path: Path, manifest: dict) -> None:
    """Remove files no committed manifest refers to (left by replaced segments or a killed writer:
    its segments, deletion lists and half-written manifests). The caller holds the write lock."""
    keep = {MANIFEST} | {e["name"] for e in manifest["segments"]} | {e["deleted"] for e in manifest["segments"]}
    for item in path.iterdir():
        if item.name not in keep:
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
