"""Unicode NFKC where it is safe for display: ２０２０ → 2020, ＱＱ → QQ, ⼀ → 一.

NFKC would also turn Chinese punctuation (，：；（）！？) into ASCII and ① into
1, which changes how the text reads; those characters are kept. Compatibility
ideographs, Kangxi radicals and enclosed ideographs (㈼, ㊙) become ordinary (possibly
traditional) characters, so the text is converted to simplified again when they occur.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from ingest.normalize.chinese import simplify
from ingest.normalize.lines import HAN_CHAR

# Full-width Chinese punctuation, ellipses, circled numbers, superscripts, squared units.
_KEEP = re.compile(
    "[\uff01\uff02\uff07\uff08\uff09\uff0c\uff1a\uff1b\uff1f\uff3b\uff3d\uff5b\uff5d\uff5e"
    "\u2025\u2026\u2460-\u2473\u24ea-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"
    "\u00b2\u00b3\u00b9\u2070-\u209f\u3371-\u33df]"
)
# Invisible format characters and control characters other than tab and line breaks.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_IDEOGRAPH_VARIANTS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_MAX_EXAMPLES = 20


@functools.cache
def _table() -> dict[int, str]:
    """Character → its NFKC form, for every character NFKC changes and we do not keep."""
    table: dict[int, str] = {}
    for code in range(0x80, 0x30000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        out = unicodedata.normalize("NFKC", ch)
        if out != ch and not _KEEP.match(ch):
            table[code] = out
    return table


def _char_class(codes: list[int]) -> re.Pattern[str]:
    ranges, start, prev = [], codes[0], codes[0]
    for code in codes[1:] + [-1]:
        if code != prev + 1:
            ranges.append(f"\\U{start:08x}-\\U{prev:08x}" if start != prev else f"\\U{start:08x}")
            start = code
        prev = code
    return re.compile("[" + "".join(ranges) + "]")


@functools.cache
def _changing() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The characters the table changes: those of the Basic Multilingual Plane, and the rest.

    Kept apart because re scans a class of BMP characters with a fast lookup table
    and a class reaching beyond the BMP range by range.
    """
    codes = sorted(_table())
    return _char_class([c for c in codes if c <= 0xFFFF]), _char_class([c for c in codes if c > 0xFFFF])


def nfkc_safe(text: str) -> tuple[str, dict[str, Any]]:
    """NFKC except the kept characters, then canonical composition (NFC); invisible characters go."""
    text, invisible = _INVISIBLE.subn("", text)
    if text.isascii():
        return text, {"step": "nfkc", "changed_chars": 0, "invisible_removed": invisible, "examples": []}
    table = _table()
    changed: list[str] = []

    def compat(m: re.Match[str]) -> str:
        changed.append(m.group())
        return table[ord(m.group())]

    bmp, astral = _changing()
    out = bmp.sub(compat, text)  # faster than str.translate: few characters change
    if _ASTRAL.search(out):
        out = astral.sub(compat, out)
    if not unicodedata.is_normalized("NFC", out):
        out = unicodedata.normalize("NFC", out)
    if changed and (_IDEOGRAPH_VARIANTS.search(text) or any(HAN_CHAR.search(table[ord(ch)]) for ch in set(changed))):
        out = simplify(out)  # ㈼ → (監) → (监): what NFKC makes may be traditional
    examples = sorted({f"{ch}→{table[ord(ch)]}" for ch in changed[:500]})[:_MAX_EXAMPLES]
    return out, {"step": "nfkc", "changed_chars": len(changed), "invisible_removed": invisible, "examples": examples}
