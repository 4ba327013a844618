"""Every literal occurrence is found, and nothing else (recall = precision = 1)."""

from __future__ import annotations

import random
import shutil

import opencc
import pytest

from archive.analysis import words
from archive.fold import fold
from archive.search import SearchRequest
from tests.conftest import CORPORA


def documents(archive):
    return {d.doc_id: d for d in archive.store.iter_documents()}


def truth(docs, phrase: str) -> set[str]:
    needle = fold(phrase)
    return {doc_id for doc_id, d in docs.items() if needle in fold(d.text)}


def found(archive, phrase: str) -> set[str]:
    quoted = '"' + phrase.replace('"', "") + '"'
    result = archive.search(SearchRequest(q=quoted, duplicates=True, size=1000))
    return {h["doc_id"] for h in result.hits}


def sample_phrases(docs, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [d.text for d in docs.values()]
    phrases = []
    while len(phrases) < n:
        text = rng.choice(texts)
        length = rng.randint(2, 10)
        start = rng.randrange(0, max(1, len(text) - length))
        phrase = text[start:start + length]
        if fold(phrase.replace('"', "")) and len(fold(phrase.replace('"', ""))) >= 2:
            phrases.append(phrase)
    return phrases


def test_random_phrases_recall_and_precision(seed_archive):
    docs = documents(seed_archive)
    for phrase in sample_phrases(docs, 150, seed=7):
        assert found(seed_archive, phrase) == truth(docs, phrase.replace('"', "")), phrase


def test_traditional_queries_find_the_same(seed_archive):
    docs = documents(seed_archive)
    s2t = opencc.OpenCC("s2t")
    for phrase in sample_phrases(docs, 60, seed=11):
        traditional = s2t.convert(phrase)
        assert found(seed_archive, traditional) == truth(docs, phrase.replace('"', "")), (phrase, traditional)


def test_user_phrases(seed_archive):
    docs = documents(seed_archive)
    for phrase in ("新时代文明实践", "意识形态工作责任制", "疫情防控", "文明城市", "学习强国", "舆情", "志愿服务"):
        assert found(seed_archive, phrase) == truth(docs, phrase), phrase


def test_phrase_across_a_line_break_is_found(seed_archive):
    docs = documents(seed_archive)
    for doc in docs.values():
        lines = doc.text.split("\n")
        for a, b in zip(lines, lines[1:], strict=False):
            if len(a) > 3 and len(b) > 3:
                phrase = a[-3:] + b[:3]
                assert doc.doc_id in found(seed_archive, phrase), phrase
                return
    raise AssertionError("no multi-line document")


def test_passage_counts_match_literal_truth(seed_archive):
    result = seed_archive.search(SearchRequest(q="宣传", size=1000))
    for hit in result.hits:
        passages = seed_archive.store.passages(hit["doc_id"])
        assert hit["passage_count"] == sum(1 for p in passages if "宣传" in fold(p.text))


@pytest.fixture(scope="module")
def corpus_archive(tmp_path_factory):
    """40 real local regulations (the shared corpus's .docx/.doc originals) ingested afresh."""
    from archive.search import Archive
    from ingest.pipeline import ingest_paths

    originals = sorted(p for p in (CORPORA / "civilized-behavior-regs" / "original").rglob("*")
                       if p.suffix in (".docx", ".doc"))[:40]
    if not originals:
        pytest.skip("the shared corpora are not beside the project")
    files = tmp_path_factory.mktemp("corpus-files")
    for n, path in enumerate(originals):
        shutil.copy(path, files / f"{n:02d}{path.suffix}")
    folder = tmp_path_factory.mktemp("corpus-index")
    ingest_paths([files], folder)
    archive = Archive(folder)
    yield archive
    archive.close()


def word_phrases(docs, n: int, seed: int) -> list[str]:
    """Phrases of 1–3 whole jieba words, as a user types them."""
    rng = random.Random(seed)
    texts = [d.text for d in docs.values()]
    phrases = []
    while len(phrases) < n:
        cut = words(rng.choice(texts)[:2000])
        start = rng.randrange(0, max(1, len(cut) - 3))
        phrase = "".join(cut[start:start + rng.randint(1, 3)])
        if len(fold(phrase)) >= 2:
            phrases.append(phrase)
    return phrases


@pytest.mark.parametrize("kind", ["random", "words"])
def test_corpus_sample_recall_and_precision_simplified_and_traditional(corpus_archive, kind):
    docs = documents(corpus_archive)
    assert len(docs) >= 30
    s2t = opencc.OpenCC("s2t")
    phrases = sample_phrases(docs, 80, seed=3) if kind == "random" else word_phrases(docs, 80, seed=5)
    for phrase in phrases:
        expected = truth(docs, phrase.replace('"', ""))
        assert found(corpus_archive, phrase) == expected, phrase
        assert found(corpus_archive, s2t.convert(phrase)) == expected, (phrase, s2t.convert(phrase))
