"""Heading markers of Chinese official writing and the rank of each.

第一章 › 第一节 › 一、 › （一） › 1. › （1） › 一是: a smaller rank is an outer heading.
A report may skip ranks (一、 then 1.), so ranks order headings, they do not count depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十"
_CN_BIG = "一二三四五六七八九十百零〇"
# (rank, kind, pattern) in the order they are tried.
MARKERS: tuple[tuple[int, str, re.Pattern[str]], ...] = (
    (0, "编", re.compile(rf"^第[{_CN_BIG}\d]+编(?=\s|$|[\u4e00-\u9fff])")),
    (1, "章", re.compile(rf"^第[{_CN_BIG}\d]+章(?=\s|$|[\u4e00-\u9fff])")),
    (2, "节", re.compile(rf"^第[{_CN_BIG}\d]+节(?=\s|$|[\u4e00-\u9fff])")),
    (3, "一、", re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．](?![\d{_CN}])")),
    (4, "（一）", re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)]")),
    (5, "1.", re.compile(r"^(\d{1,2})\s*[.．、](?!\d)")),
    (6, "（1）", re.compile(r"^[（(](\d{1,2})[）)]")),
    (7, "一是", re.compile(rf"^([{_CN}]{{1,3}})是(?=[\u4e00-\u9fff“\"「《（(])")),
)
CLAUSE_RANK = 7
# Stray characters a PDF scrape leaves before a marker: ” (三)…
_LEAD_JUNK = re.compile(r"^[”’」』\"'\s]+")
_RUN_IN_END = re.compile(r"[。：:；;！？]")
_COMMA = re.compile(r"[，,]")
MAX_LABEL = 40


@dataclass(frozen=True)
class Heading:
    rank: int
    kind: str
    label: str  # the heading's own words, e.g. 二、管阵地、强队伍，舆论引导监管工作“出新出彩”
    number: int | None  # 3 for 三、 / （三） / 3. / 三是, when readable


_CN_VALUE = {ch: i for i, ch in enumerate(_CN, start=1)}


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if len(token) == 1:
        return _CN_VALUE.get(token)
    if token.startswith("十"):
        return 10 + _CN_VALUE.get(token[1:], 0)
    if len(token) == 2 and token[1] == "十":
        return _CN_VALUE.get(token[0], 0) * 10
    if len(token) == 3 and token[1] == "十":
        return _CN_VALUE.get(token[0], 0) * 10 + _CN_VALUE.get(token[2], 0)
    return None


def label_of(text: str) -> str:
    """A heading's own words: the whole line when short, else up to the first full stop."""
    text = text.strip()
    if len(text) <= MAX_LABEL and not _RUN_IN_END.search(text[:-1]):
        return text.rstrip("。；;：:")
    head = _RUN_IN_END.split(text, maxsplit=1)[0]
    if len(head) > MAX_LABEL:
        clause = _COMMA.split(head, maxsplit=1)[0]
        head = clause if len(clause) >= 4 else head
    return head[:MAX_LABEL]


_FIRST_CHARS = frozenset("第（(0123456789" + _CN + "”’」』\"' \t\u3000")


def match_heading(text: str) -> Heading | None:
    """The heading a paragraph starts with, or None."""
    if not text or text[0] not in _FIRST_CHARS:
        return None
    stripped = _LEAD_JUNK.sub("", text) if text[0] in "”’」』\"' \t\u3000" else text
    for rank, kind, pattern in MARKERS:
        match = pattern.match(stripped)
        if match:
            number = _number(match.group(1)) if match.groups() else None
            return Heading(rank, kind, label_of(stripped), number)
    return None


def lead_junk(text: str) -> int:
    """How many stray characters precede a marker."""
    match = _LEAD_JUNK.match(text)
    return match.end() if match else 0
