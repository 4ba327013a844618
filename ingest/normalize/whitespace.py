"""Whitespace: one trimmed line per paragraph, no blank lines, no stray spaces.

PDF and web extraction leave spaces that mean nothing in Chinese: around
numbers (`313 起`, `2020 年`) and inside words (`我县新闻宣 传工作`). Spaces
between Han characters are removed only in running text (a line with commas
or full stops), since titles, signatures and name lists use them to separate
items; the space after 第一条 stays, as legal text writes it.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.normalize.lines import ARTICLE, HAN, is_prose

_CJK = f"{HAN}，。、；：！？（）《》“”‘’【】…—"
_AROUND_DIGITS = re.compile(rf"(?<=[{_CJK}])\s+(?=\d)|(?<=\d)\s+(?=[{_CJK}])")
_AROUND_PUNCT = re.compile(r"(?<=[，。、；：！？（《“【])\s+|\s+(?=[，。、；：！？）》”】])")
_BETWEEN_HAN = re.compile(rf"(?<=[{HAN}])\s(?=[{HAN}])")
_HAN_CHAR = re.compile(f"[{HAN}]")


def tighten(line: str) -> str:
    """Collapse and trim spaces; drop those around numbers and Chinese punctuation,
    and single spaces between Han characters in running text."""
    line = " ".join(line.split())
    if " " not in line or not _HAN_CHAR.search(line):
        return line
    line = _AROUND_DIGITS.sub("", line)
    line = _AROUND_PUNCT.sub("", line)
    if is_prose(line):
        article = ARTICLE.match(line)
        keep = article.end() + 1 if article and line[article.end() : article.end() + 1] == " " else 0
        line = line[:keep] + _BETWEEN_HAN.sub("", line[keep:])
    return line


def split_lines(text: str) -> list[str]:
    """Tightened non-blank lines; any Unicode line break counts."""
    return [line for line in (tighten(raw) for raw in text.splitlines()) if line]


def tidy(text: str) -> tuple[str, dict[str, Any]]:
    """Trim, tighten, and drop blank lines."""
    before = len(text.splitlines())
    lines = split_lines(text)
    return "\n".join(lines), {"step": "whitespace", "lines_in": before, "lines_out": len(lines)}
