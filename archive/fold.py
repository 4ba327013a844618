"""Search folding: the one form in which queries and documents are compared.

Folding is character by character (a `str.translate` table), so a substring
of a text always folds to a substring of the folded text — the property that
makes literal phrase checks exact. It maps traditional characters to
simplified (OpenCC `t2s`, character level), applies NFKC, unifies punctuation
variants, lowercases Latin letters and removes all whitespace, so a phrase
broken across a line or passage boundary still matches.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import opencc

# Variants NFKC leaves apart but readers treat as one mark.
_PUNCT = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'",
    "〔": "(", "〕": ")", "【": "[", "】": "]", "〈": "<", "〉": ">", "《": "<", "》": ">",
    "—": "-", "–": "-", "―": "-", "－": "-", "‐": "-", "‑": "-",
    "・": "·", "•": "·", "∙": "·", "‧": "·",
    "｡": "。", "､": "、", "…": "...",
}
_CJK_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))


def _t2s_chars() -> dict[str, str]:
    """Character-level OpenCC t2s: each character converted alone."""
    converter = opencc.OpenCC("t2s")
    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi)]
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a multi-character rule fired; fall back
        converted = [converter.convert(c) for c in chars]
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b}


@functools.cache
def _table() -> dict[int, str]:
    t2s = _t2s_chars()
    table: dict[int, str] = {}
    for code in range(0x30000):
        ch = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        out = unicodedata.normalize("NFKC", ch) if code >= 0x80 else ch
        out = "".join(_fold_char(c, t2s) for c in out) if len(out) > 1 else _fold_char(out, t2s)
        if out != ch:
            table[code] = out
    # Zero-width and format characters never separate words for a reader.
    for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
        table[code] = ""
    return table


def _fold_char(c: str, t2s: dict[str, str]) -> str:
    """One character after NFKC: simplified, punctuation unified, whitespace dropped, lowercased."""
    c = t2s.get(c, c)
    c = _PUNCT.get(c, c)
    return "" if c.isspace() else c.lower()


def fold(text: str) -> str:
    """Fold text to its search form (see module docstring)."""
    return text.translate(_table())


def fold_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """Fold `text` and return, for each folded character, its source index.

    Used to map a match in the folded form back onto the display text. Most
    characters fold to exactly one character; only the few that fold to zero
    or several (whitespace, ligatures, ㈠ …) are mapped one by one.
    """
    table = _table()
    folded = text.translate(table)
    resizing = list(_resizing_chars().finditer(text))
    if not resizing:
        return folded, range(len(text))
    origin: list[int] = []
    pos = 0
    for m in resizing:
        i = m.start()
        origin.extend(range(pos, i))
        origin.extend([i] * len(table[ord(text[i])]))
        pos = i + 1
    origin.extend(range(pos, len(text)))
    return folded, origin


@functools.cache
def _resizing_chars() -> re.Pattern[str]:
    """The characters whose folded form is not exactly one character (whitespace, ligatures, ㈠ …)."""
    codes = sorted(code for code, out in _table().items() if len(out) != 1)
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(_class_range(lo, hi) for lo, hi in ranges) + "]")


def _class_range(lo: int, hi: int) -> str:
    return re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"


def find_all(haystack: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of needle."""
    if not needle:
        return []
    hits = []
    pos = haystack.find(needle)
    while pos != -1:
        hits.append(pos)
        pos = haystack.find(needle, pos + 1)
    return hits


def source_spans(origin: Sequence[int], starts: list[int], length: int) -> list[tuple[int, int]]:
    """Map folded-form matches (start, length) to [start, end) in the source."""
    spans = []
    for s in starts:
        e = s + length - 1
        if s < len(origin) and e < len(origin):
            spans.append((origin[s], origin[e] + 1))
    return spans


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching [start, end) spans."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
