"""Whitespace: trim lines, drop blank ones, join digits to Han characters."""

from __future__ import annotations

import re
from typing import Any

_HAN = r"\u3400-\u9fff"
_SPACE_DIGIT = re.compile(rf"(?<=[{_HAN}])[ \t\u3000]+(?=[0-9])|(?<=[0-9])[ \t\u3000]+(?=[{_HAN}])")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def tidy(text: str) -> tuple[str, dict[str, Any]]:
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACE_DIGIT.sub("", line)
        line = _SPACES.sub(" ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines), {"step": "whitespace", "lines": len(lines)}
