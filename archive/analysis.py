"""Index terms: jieba words, for ranking (exact matching is archive.gramindex's).

Words are cut from the folded search form, in ingest workers; the index's
tokenizer only splits them again and counts `pos` in tokens (not characters,
the mistake of jieba's own analyzer, see DESIGN.md §1).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator

from whoosh.analysis import Token, Tokenizer

from archive.config import data_file
from archive.fold import fold

FORMULATION_FREQ = 200000


def formulations() -> list[str]:
    """The official formulations (data/formulations.txt), folded: kept whole by segmentation."""
    path = data_file("formulations.txt")
    if not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [fold(word) for word in lines if word]


@functools.cache
def jieba_instance():
    """jieba, loaded once per process with the formulations dictionary (the reference segmenter)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for word in formulations():
        jieba.add_word(word, freq=FORMULATION_FREQ)
    return jieba


@functools.cache
def segmenter() -> Callable[[str], Iterable[str]]:
    """The word cutter: rjieba (jieba-rs, ~12× faster) when installed, else jieba.

    Both give the same words on real corpus text (tests/archive/test_segmentation.py);
    that test is the condition for using rjieba at all (DESIGN.md §2).
    """
    try:
        import rjieba
    except ImportError:
        jieba = jieba_instance()
        return lambda text: jieba.cut(text, HMM=False)
    for word in formulations():
        rjieba.add_word(word, FORMULATION_FREQ, None)
    return lambda text: rjieba.cut(text, False)


def words(text: str) -> list[str]:
    """Folded words of a text, punctuation dropped."""
    return [w for w in segmenter()(fold(text)) if any(c.isalnum() for c in w)]


class PretokenizedTokenizer(Tokenizer):
    """Tokens already computed (space-separated), positions counted in tokens.

    Index records are prepared in ingest worker processes (`index_terms`), so
    the single Whoosh writer only writes postings.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, text in enumerate(value.split(" ") if tokenize else [value]):
            if not text:
                continue
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + i
            yield token
