"""The canonical form passages are compared in, with a map back to the passage's text.

Folded (traditional → simplified, full-width → half-width), without punctuation,
spaces and Latin letters, every run of digits as one `0` and every run of
placeholders (X县, ×区, 某镇, xx) as one `X`: a copied paragraph whose numbers,
redactions and punctuation changed is still the same sentence. Latin letters
are left out because in these files they are labels and artefacts
(`three_exemplify_moral_behavior`), where twenty letters are three words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from archive.fold import fold

DIGIT, PLACEHOLDER = "0", "X"


@dataclass(frozen=True)
class Canonical:
    text: str
    offsets: tuple[int, ...]  # per canonical character: its index in the original text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's [start, end) that canonical [start, end) came from."""
        if not self.offsets or start >= end:
            return 0, 0
        return self.offsets[start], self.offsets[end - 1] + 1


def canonical(text: str, placeholders: str) -> Canonical:
    chars: list[str] = []
    offsets: list[int] = []
    marks = set(placeholders)
    for index, original in enumerate(text):
        for ch in fold(original):
            if ch in marks:
                ch = PLACEHOLDER
            elif ch.isdigit():
                ch = DIGIT
            elif not ch.isalnum() or ch.isascii():
                continue
            if chars and ch in (DIGIT, PLACEHOLDER) and chars[-1] == ch:
                continue
            chars.append(ch)
            offsets.append(index)
    return Canonical("".join(chars), tuple(offsets))


@functools.cache
def _marks_table(placeholders: str) -> dict[int, str]:
    """Digits → 0 and placeholders → X for every code point folding can leave."""
    table = {code: DIGIT for code in range(0x30000) if chr(code).isdigit()}
    table.update({ord(ch): PLACEHOLDER for ch in placeholders})
    return table


_NOT_COMPARED = re.compile(r"[\W_a-zA-WYZ]+")  # X is the placeholder mark by now
_RUNS = re.compile(r"0{2,}|X{2,}")


def canonical_text(text: str, placeholders: str) -> str:
    """`canonical(text).text` by whole-string operations (no offsets): what comparison needs, fast."""
    marked = fold(text).translate(_marks_table(placeholders))
    return _RUNS.sub(lambda m: m.group()[0], _NOT_COMPARED.sub("", marked))
