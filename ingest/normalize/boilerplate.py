"""Boilerplate: page chrome and 范文-site advertising, by rules in data/boilerplate.txt."""

from __future__ import annotations

import functools
import re
from typing import Any

from archive.config import data_file


@functools.cache
def _rules() -> list[re.Pattern[str]]:
    rules = []
    for line in data_file("boilerplate.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append(re.compile(line))
    return rules


def is_boilerplate(line: str) -> bool:
    return any(rule.search(line) for rule in _rules())


def strip_boilerplate(text: str) -> tuple[str, dict[str, Any]]:
    kept, removed = [], []
    for line in text.split("\n"):
        (removed if is_boilerplate(line) else kept).append(line)
    return "\n".join(kept), {"step": "boilerplate", "removed_lines": len(removed), "removed": removed[:50]}
