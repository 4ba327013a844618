"""Chinese punctuation in Chinese text: `2020年,通山县委` → `2020年，通山县委`.

Scraped and converted files often carry ASCII marks between Chinese words.
A mark is converted only where Chinese text is on its left and Chinese text,
a digit or the line end on its right, so `1,500`, `12:30`, `3.5` and English
stay as they are; `?` stays too, since garbled text uses it for a lost character.
A bracket pair becomes full-width when it encloses Chinese.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.normalize.lines import HAN

_FULL = {",": "，", ";": "；", ":": "：", "!": "！", ".": "。"}
_LEFT = f"{HAN}”’》）」』】"
_RIGHT = f"{HAN}“‘《（「『【"
_MARK = re.compile(rf"(?<=[{_LEFT}])[^\S\n]*(?:[,;:!](?=\s*(?:[{_RIGHT}0-9]|$))|\.(?=\s*(?:[{_RIGHT}]|$)))", re.M)
_BRACKETS = re.compile(rf"\(([^()\n]*[{HAN}][^()\n]*)\)")


def to_chinese_marks(text: str) -> tuple[str, int]:
    """The text with ASCII marks inside Chinese made Chinese, and how many were."""
    count = 0

    def full(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return _FULL[m.group().strip()]

    def brackets(m: re.Match[str]) -> str:
        nonlocal count
        count += 2
        return f"（{m.group(1)}）"

    text = _BRACKETS.sub(brackets, text)  # first: a mark after （…） is then seen as Chinese
    text = _MARK.sub(full, text)
    return text, count


def chinese_punctuation(text: str) -> tuple[str, dict[str, Any]]:
    """ASCII marks inside Chinese text become their Chinese forms."""
    text, count = to_chinese_marks(text)
    return text, {"step": "punctuation", "converted": count}
