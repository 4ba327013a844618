"""Traditional to simplified with OpenCC t2s (phrase level, for display)."""

from __future__ import annotations

import functools
from typing import Any

import opencc


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, dict[str, Any]]:
    converted = _converter().convert(text)
    changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b)
    return converted, {"step": "t2s", "changed_chars": changed}
