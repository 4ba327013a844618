"""Structure: the frame (title, addressee, signature), heading hierarchy and passages of one report.

`build_structure` is called once per report by the ingest pipeline; `read_frame` is also
used by the facet extractors, which weigh what they find by the role of its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.model import Passage, make_passage_id
from ingest.normalize.adlines import out_of_place
from ingest.structure.frame import Frame, clean_title, headline_like, read_frame
from ingest.structure.headings import CLAUSE_RANK, Heading, match_heading
from ingest.structure.lexicon import lexicon
from ingest.structure.passages import split_line

__all__ = ["Frame", "Heading", "Structure", "build_structure", "clean_title", "match_heading", "read_frame"]
FALLBACK_TITLE = 30
DATELINE_LOOKAHEAD = 4  # a story's dateline opens one of its first lines


@dataclass
class Structure:
    title: str
    title_line: int | None
    passages: list[Passage] = field(default_factory=list)
    frame: Frame = field(default_factory=Frame)

    @property
    def addressee(self) -> str | None:
        return self.frame.addressee

    @property
    def date(self) -> str | None:
        return self.frame.date


def fallback_title(text: str, title_hint: str | None) -> str:
    """Without a title line: the page's title, else the first line if it reads as a headline (short,
    no sentence end) and the witness takes it for no label, else the line above a news dateline,
    else the first line or its opening words."""
    if title_hint and title_hint.strip():
        return clean_title(title_hint)
    lines = [line.strip() for line in text.split("\n") if line.strip()][:DATELINE_LOOKAHEAD]
    first = lines[0] if lines else ""
    if headline_like(first) and not out_of_place(first):
        return first  # a headline that names no kind of document (新闻: 龙舟赛开赛 …夺冠)
    # below a button the witness knows, a story's headline stands right above its dateline
    dateline = next((n for n, line in enumerate(lines) if n and lexicon().opens_with_dateline(line)), None)
    if dateline is not None and headline_like(lines[dateline - 1]):
        return lines[dateline - 1]
    if headline_like(first):
        return first
    return first[:FALLBACK_TITLE] + ("…" if len(first) > FALLBACK_TITLE else "")


def build_structure(doc_id: str, text: str, title_hint: str | None = None) -> Structure:
    """Title, frame and passages; every passage satisfies text[p.start:p.end] == p.text."""
    frame = read_frame(text, title_hint)
    title = frame.title or fallback_title(text, title_hint)
    passages: list[Passage] = []
    section: list[Heading] = []
    last_clause: int | None = None
    offset = 0
    for n, line in enumerate(text.split("\n")):
        start, end = offset, offset + len(line)
        offset = end + 1
        if n == frame.title_line and frame.title_span is not None:
            # The title is not a passage; an addressee on the same line is.
            if frame.addressee_line == n and frame.addressee_span is not None:
                start, end = start + frame.addressee_span[0], start + frame.addressee_span[1]
            else:
                continue
        if not line.strip():
            continue
        pieces, _ = split_line(text, start, end, last_clause)
        for piece in pieces:
            heading = piece.heading
            if heading is not None:
                section = [h for h in section if h.rank < heading.rank] + [heading]
                last_clause = heading.number if heading.rank == CLAUSE_RANK else None
            ordinal = len(passages) + 1
            passages.append(Passage(
                passage_id=make_passage_id(doc_id, ordinal), doc_id=doc_id, ordinal=ordinal,
                text=text[piece.start:piece.end], section=[h.label for h in section],
                start=piece.start, end=piece.end,
            ))
    return Structure(title=title, title_line=frame.title_line, passages=passages, frame=frame)
