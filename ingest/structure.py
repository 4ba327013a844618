"""Structure: the title line, heading hierarchy and passages of one report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.model import Passage, make_passage_id

TITLE_WORDS = re.compile(r"(汇报|总结|报告|讲话|发言|要点|计划|情况|材料|意见|方案|条例|办法|规定|决定)")
# (level, pattern) of the heading forms these reports use, outermost first.
HEADINGS = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、]\D")),
)
_SENTENCE_END = re.compile(r"[。！？；]$")


@dataclass
class Structure:
    title: str
    title_line: int | None
    passages: list[Passage] = field(default_factory=list)


def heading_level(line: str) -> int | None:
    for level, pattern in HEADINGS:
        if pattern.match(line):
            return level
    return None


def heading_text(line: str) -> str:
    """A heading's own words: up to its first full stop."""
    head = re.split(r"[。：:]", line, maxsplit=1)[0]
    return head[:60]


def find_title(lines: list[str], title_hint: str | None) -> tuple[str, int | None]:
    for i, line in enumerate(lines[:8]):
        if len(line) <= 50 and TITLE_WORDS.search(line) and not _SENTENCE_END.search(line):
            return line.rstrip("。."), i
    if title_hint:
        return title_hint, None
    first = lines[0] if lines else ""
    return (first[:30] + ("…" if len(first) > 30 else "")), None


def build_structure(doc_id: str, text: str, title_hint: str | None = None) -> Structure:
    lines = text.split("\n")
    title, title_line = find_title(lines, title_hint)
    passages: list[Passage] = []
    section: list[tuple[int, str]] = []
    offset = 0
    for i, line in enumerate(lines):
        start, end = offset, offset + len(line)
        offset = end + 1
        if i == title_line or not line.strip():
            continue
        level = heading_level(line)
        if level is not None:
            section = [s for s in section if s[0] < level] + [(level, heading_text(line))]
        ordinal = len(passages) + 1
        passages.append(Passage(
            passage_id=make_passage_id(doc_id, ordinal), doc_id=doc_id, ordinal=ordinal,
            text=line, section=[s[1] for s in section], start=start, end=end,
        ))
    return Structure(title=title, title_line=title_line, passages=passages)
