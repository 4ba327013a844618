"""Traditional to simplified with OpenCC t2s (phrase level, for display).

The untouched original stays in `Normalized.original`; search folding does its
own character-level conversion (archive/fold.py).
"""

from __future__ import annotations

import functools
from typing import Any

import opencc

_MAX_EXAMPLES = 20


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """The text in simplified characters."""
    return _converter().convert(text)


def to_simplified(text: str) -> tuple[str, dict[str, Any]]:
    """t2s; report how many characters changed and a few of them."""
    converted = simplify(text)
    changed = [] if converted == text else [(a, b) for a, b in zip(text, converted, strict=False) if a != b]
    examples = sorted({f"{a}→{b}" for a, b in changed[:500]})[:_MAX_EXAMPLES]
    return converted, {"step": "t2s", "changed_chars": len(changed), "examples": examples}
