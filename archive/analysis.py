"""Index terms: jieba words (ranking) and character n-grams (exact matching).

Both read the folded search form. The word tokenizer counts `pos` in tokens
(not characters, the mistake of jieba's own analyzer, see DESIGN.md §1). The
character analyzer emits each distinct bigram once, plus single characters
for one-character queries; exactness comes from the literal check after.
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


def char_grams(folded: str) -> set[str]:
    """Distinct bigrams and single characters of an already folded text."""
    grams = set(folded)
    grams.update(folded[i:i + 2] for i in range(len(folded) - 1))
    return grams


def query_grams(folded: str) -> set[str]:
    """The grams a literal must contain: its bigrams, or itself if one character."""
    if len(folded) <= 1:
        return {folded} if folded else set()
    return {folded[i:i + 2] for i in range(len(folded) - 1)}


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


def index_terms(text: str) -> tuple[str, str]:
    """(character grams, jieba words) of a text, space-joined for the index."""
    folded = fold(text)
    return " ".join(sorted(char_grams(folded))), " ".join(words(folded))
