"""The positional character index against brute-force truth, through adds, deletes and merges."""

from __future__ import annotations

import random

import numpy as np

from archive import gramindex
from archive.fold import find_all
from archive.gramindex import GramIndex, SegmentDoc

ALPHABET = "新时代文明实践中心意识形态工作责任制疫情防控，。（）一二三ab12"


def make_doc(rng: random.Random, doc_id: str) -> SegmentDoc:
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120)))
    cuts = sorted({0, *rng.sample(range(len(text) + 1), k=min(3, len(text) + 1))})
    starts = [c for c in cuts if c < len(text)] or ([0] if text else [])
    return SegmentDoc(doc_id, text, starts, list(range(1, len(starts) + 1)))


def truth(docs: dict[str, SegmentDoc], phrase: str) -> tuple[dict[str, int], set[tuple[str, int]]]:
    counts, passages = {}, set()
    for doc in docs.values():
        hits = find_all(doc.folded, phrase)
        if hits:
            counts[doc.doc_id] = len(hits)
        bounds = doc.passage_starts + [len(doc.folded)]
        for h in hits:
            for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
                if h < b and h + len(phrase) > a:
                    passages.add((doc.doc_id, doc.passage_ordinals[i]))
    return counts, passages


def found(index: GramIndex, phrase: str) -> tuple[dict[str, int], set[tuple[str, int]]]:
    counts, passages = {}, set()
    for occ in index.find(phrase):
        ordinals, n = np.unique(occ.doc_ordinals(), return_counts=True)
        for o, c in zip(ordinals.tolist(), n.tolist(), strict=True):
            counts[occ.segment.doc_ids[o]] = counts.get(occ.segment.doc_ids[o], 0) + c
        docs, ords = occ.passage_hits()
        passages.update((occ.segment.doc_ids[d], o) for d, o in zip(docs.tolist(), ords.tolist(), strict=True))
    return counts, passages


def check(index: GramIndex, docs: dict[str, SegmentDoc], rng: random.Random) -> None:
    texts = [d.folded for d in docs.values() if d.folded]
    for _ in range(200):
        text = rng.choice(texts)
        a = rng.randrange(len(text))
        phrase = text[a:a + rng.randint(1, 8)]
        assert found(index, phrase) == truth(docs, phrase), phrase
    assert found(index, "不存在的短语") == ({}, set())


def test_adds_deletes_and_merges(tmp_path, monkeypatch):
    monkeypatch.setattr(gramindex, "MAX_SEGMENTS", 3)
    rng = random.Random(5)
    index = GramIndex(tmp_path)
    docs: dict[str, SegmentDoc] = {}
    for batch in range(7):
        writer = index.writer()
        for i in range(15):
            doc = make_doc(rng, f"d{batch}-{i}")
            docs[doc.doc_id] = doc
            writer.add(doc)
        for doc_id in rng.sample(sorted(docs), k=4):  # delete some, replace others
            if rng.random() < 0.5:
                writer.delete(doc_id)
                del docs[doc_id]
            else:
                docs[doc_id] = make_doc(rng, doc_id)
                writer.add(docs[doc_id])
        writer.commit()
        assert len(index.segments()) <= 3
        check(index, docs, rng)
    # A new reader of the same folder sees the same committed state.
    check(GramIndex(tmp_path), docs, rng)


def test_positions_beyond_uint32_are_kept_whole(tmp_path):
    """A segment past 4.29 G characters (a merge of a national archive) stores int64 positions:
    written as uint32 they wrapped around to the start of the text."""
    far = 2**32 + 5
    folder = tmp_path / "seg"
    folder.mkdir()
    codes = np.array([7, 7, 9], dtype=np.int64)
    positions = np.array([3, far, far + 1], dtype=np.int64)
    gramindex._write_segment(folder, codes, positions, [0, far + 10], [0], [0], [1], ["d-1"])
    stored = np.load(folder / "positions.npy")
    assert stored.dtype == np.int64 and stored.tolist() == [3, far, far + 1]
    assert gramindex.position_dtype(far) is np.int64 and gramindex.position_dtype(1000) is np.uint32
