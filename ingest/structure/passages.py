"""Paragraphs into passages, each with its section path and exact offsets.

A paragraph is one line of normalized text. Two things make one line several passages:
a heading run into the line after a space (`一、压实工作责任… (一)落实…`, as PDF
scrapes leave them) and a long paragraph listing 一是…二是…三是… clauses, which is cut
before each clause so that a search hit points at the clause that matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.structure.headings import CLAUSE_RANK, Heading, match_heading

LONG_PARAGRAPH = 80  # shorter paragraphs are not cut at clauses
_CN = "一二三四五六七八九十"
# A heading marker run into a line after whitespace.
_RUN_IN_HEADING = re.compile(rf"(?<=\S)\s+(?=[（(][{_CN}]{{1,3}}[）)]|[{_CN}]{{1,3}}、)")
# A clause marker after the end of a sentence (or a colon): 。二是… ；三是…
_CLAUSE = re.compile(rf"(?<=[。；;：:！？!?])\s*(?=([{_CN}]{{1,3}})是[\u4e00-\u9fff“\"「《（(])")
_CN_VALUE = {ch: i for i, ch in enumerate(_CN, start=1)}


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    heading: Heading | None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clause_number(token: str) -> int | None:
    return _CN_VALUE.get(token) if len(token) == 1 else (10 + _CN_VALUE.get(token[1:], 0) if token[0] == "十" else None)


def split_line(text: str, start: int, end: int, last_clause: int | None) -> tuple[list[Piece], int | None]:
    """Pieces of the line text[start:end], in order, none empty; and the last clause number seen.

    `last_clause` is the number of the last 一是/二是 clause of the current section, so a
    line that continues a list (`…作用。四是建立…`) is cut at the next clause only.
    """
    bounds = [start] + [m.end() for m in _RUN_IN_HEADING.finditer(text, start, end)] + [end]
    pieces: list[Piece] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        for piece in _split_clauses(text, a, b, last_clause):
            pieces.append(piece)
            if piece.heading is not None:
                last_clause = piece.heading.number if piece.heading.rank == CLAUSE_RANK else None
    return pieces, last_clause


def _split_clauses(text: str, start: int, end: int, last_clause: int | None) -> Iterator[Piece]:
    segment = text[start:end]
    cuts = [0]
    first = match_heading(segment)
    if len(segment) < LONG_PARAGRAPH:
        s, e = _trim(text, start, end)
        if s < e:
            yield Piece(s, e, first if s == start else match_heading(text[s:e]))
        return
    if first is not None and first.rank < CLAUSE_RANK:
        last_clause = None
    expected = (first.number if first and first.rank == CLAUSE_RANK else last_clause or 0) + 1
    if len(segment) >= LONG_PARAGRAPH:
        for match in _CLAUSE.finditer(segment):
            if _clause_number(match.group(1)) == expected:  # the next clause in sequence, not any 一是
                cuts.append(match.end())
                expected += 1
    cuts.append(len(segment))
    for a, b in zip(cuts, cuts[1:], strict=False):
        s, e = _trim(text, start + a, start + b)
        if s < e:
            yield Piece(s, e, match_heading(text[s:e]))
