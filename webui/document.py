"""What the document page shows besides the record itself: the outline, numbered matches, evidence.

Matches are numbered through the whole text (m1, m2, …) so that every one can
link to the one before and after: plain anchors, which work without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.highlight import match_spans
from archive.model import Evidence, Passage


@dataclass
class Heading:
    title: str
    passage_id: str  # the first passage of the section
    children: list[Heading] = field(default_factory=list)


@dataclass
class Segment:
    text: str
    match: int | None = None  # the match's number (1-based) when this is a match
    aligned: bool = False  # inside a span aligned with another document's passage (archive reuse)


def outline(passages: list[Passage]) -> list[Heading]:
    """The headings tree of the section paths, each heading linking to its section's first passage."""
    roots: list[Heading] = []
    seen: dict[tuple[str, ...], Heading] = {}
    for p in passages:
        for depth in range(len(p.section)):
            path = tuple(p.section[: depth + 1])
            if path in seen:
                continue
            heading = seen[path] = Heading(path[-1], p.passage_id)
            (seen[path[:-1]].children if depth else roots).append(heading)
    return roots


def numbered_matches(passages: list[Passage], literals: list[str]) -> tuple[list[tuple[Passage, list[Segment]]], int]:
    """Each passage cut into plain and matching segments, matches numbered in reading order; and their count."""
    out, n = [], 0
    for p in passages:
        segments, pos = [], 0
        for start, end in match_spans(p.text, literals) if literals else []:
            if start > pos:
                segments.append(Segment(p.text[pos:start]))
            n += 1
            segments.append(Segment(p.text[start:end], n))
            pos = end
        if pos < len(p.text) or not segments:
            segments.append(Segment(p.text[pos:]))
        out.append((p, segments))
    return out, n


def group_evidence(evidence: list[Evidence]) -> dict[str, list[dict]]:
    """Evidence by facet, identical lines (the same event cited five times) shown once with a count."""
    grouped: dict[str, dict[tuple, dict]] = {}
    for e in evidence:
        key = (e.rule, e.text, str(e.value) if e.facet == "themes" else "")
        entry = grouped.setdefault(e.facet, {}).setdefault(key, {"rule": e.rule, "text": e.text, "value": e.value,
                                                                   "line": e.line, "count": 0})
        entry["count"] += 1
    return {facet: list(entries.values()) for facet, entries in grouped.items()}
