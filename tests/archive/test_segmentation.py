"""rjieba (jieba-rs) may stand in for jieba only while both cut real text into the same words."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest

from archive.analysis import formulations, jieba_instance
from archive.fold import fold
from tests.conftest import CORPORA, SEEDS

rjieba = pytest.importorskip("rjieba")


def corpus_texts(n: int) -> list[str]:
    texts = [fold(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    for name in ("civilized-behavior-regs/regs.jsonl.gz", "laws-lawrefbook/laws.jsonl.gz", "xwlb-cctv/items.jsonl.gz"):
        with gzip.open(CORPORA / name, "rt", encoding="utf-8") as f:
            texts.extend(fold(json.loads(line)["text"]) for line in itertools.islice(f, n))
    return texts


def test_rjieba_cuts_like_jieba_with_the_formulations():
    from archive.analysis import segmenter

    jieba = jieba_instance()
    cut = segmenter()
    for text in corpus_texts(150):
        assert list(cut(text)) == list(jieba.cut(text, HMM=False))
    for word in formulations():
        assert list(cut(word)) == list(jieba.cut(word, HMM=False))
        if word.isalnum():  # both split at punctuation (不忘初心、牢记使命); the rest stays whole
            assert list(cut(word)) == [word]
