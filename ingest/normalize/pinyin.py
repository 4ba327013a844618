"""Remove tone-marked pinyin notes that some sites put after characters: 以來(lái) → 以來.

Only a parenthesised group of valid pinyin syllables with at least one tone
mark, right after a Han character (or after `?`/U+FFFD standing for a lost
one), is a note. `(二)`, `(试行)`, `(2020)`, `(lai)` or English in brackets
stay. Garbled notes whose `(` was lost (`?qǐng)`) are removed after `?` too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

from ingest.normalize.lines import HAN

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_COMBINING_TONES = "\u0304\u0301\u030c\u0300"
_LETTERS = f"a-zü{_TONED}{_COMBINING_TONES}"
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iong|iang|uang|ang|eng|ing|ong|ian|iao|uai|uan|üan|van|ai|ei|ao|ou|an|en|er|in|un|ün|ia|ie|iu|"
    r"ua|uo|ui|ue|üe|ve|a|o|e|i|u|ü|v|ng|n|m)r?"
)
_WORD = rf"[{_LETTERS}]+"
_NOTE_BODY = rf"{_WORD}(?: {_WORD}){{0,3}}"
# A bracketed reading anywhere (group 1), and a note: one after a Han character or a lost one.
BRACKETED = re.compile(rf"[(（]({_NOTE_BODY})[)）]")
NOTE = re.compile(rf"(?<=[{HAN}?\ufffd]){BRACKETED.pattern}")
# A note whose opening bracket was eaten by garbling, after a lost character.
_HEADLESS = re.compile(rf"(?<=[?\ufffd])({_NOTE_BODY})[)）]")
_TONE_MARK = re.compile(f"[{_TONED}{_COMBINING_TONES}]")
_MAX_EXAMPLES = 20


def has_tone_marks(text: str) -> bool:
    """Cheap test before looking for notes: no tone mark, no note."""
    return _TONE_MARK.search(text) is not None


def _plain(reading: str) -> str:
    """The reading without tone marks (lái → lai, lǚ → lü)."""
    decomposed = unicodedata.normalize("NFD", reading.replace("ü", "v").replace("Ü", "v"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("v", "ü")


def is_pinyin(reading: str) -> bool:
    """Every syllable is valid pinyin and at least one carries a tone mark."""
    nfc = unicodedata.normalize("NFC", reading)
    if not any(c in _TONED for c in nfc):
        return False
    return all(_SYLLABLE.fullmatch(_plain(word)) for word in nfc.split(" "))


def readings(text: str) -> dict[str, set[str]]:
    """Which characters the text's own notes give each reading (lái → {來})."""
    found: dict[str, set[str]] = defaultdict(set)
    for m in NOTE.finditer(text):
        if is_pinyin(m.group(1)):
            found[unicodedata.normalize("NFC", m.group(1))].add(text[m.start() - 1])
    return found


def strip_pinyin(text: str) -> tuple[str, dict[str, Any]]:
    """Drop the notes; report how many and a few examples."""
    examples: list[str] = []
    count = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal count
        if not is_pinyin(m.group(1)):
            return m.group(0)
        count += 1
        if len(examples) < _MAX_EXAMPLES:
            start = max(0, m.start() - 1)
            examples.append(text[start : m.end()] if m.re is NOTE else m.group(0))
        return ""

    if has_tone_marks(text):
        text = NOTE.sub(drop, text)
        text = _HEADLESS.sub(drop, text)
    return text, {"step": "pinyin", "removed": count, "examples": examples}
