"""Index terms: jieba words, for ranking (exact matching is archive.gramindex's).

Words are cut from the folded search form, in ingest workers; the index's
tokenizer only splits them again and counts `pos` in tokens (not characters,
the mistake of jieba's own analyzer, see DESIGN.md §1).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from archive.config import data_file
from archive.fold import fold


@functools.cache
def jieba_instance():
    """jieba, loaded once per process with the formulations dictionary."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    path = data_file("formulations.txt")
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                jieba.add_word(fold(word), freq=200000)
    return jieba


def words(text: str) -> list[str]:
    """Folded jieba words of a text, punctuation dropped."""
    jieba = jieba_instance()
    return [w for w in jieba.cut(fold(text), HMM=False) if any(c.isalnum() for c in w)]


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
