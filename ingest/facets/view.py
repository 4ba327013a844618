"""One document seen by the facet extractors: its lines, their roles and their weights.

A unit or a place counts by where it stands: in the title or the signature it names
the author; in the addressee line it names a superior; in the body, once, it may be
a visitor. Every extractor reads the same view, built once per document.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from archive.model import Document
from ingest.structure import Frame, match_heading, read_frame

# How much a mention counts as evidence of the author, by the role of its line.
ROLE_WEIGHT = {
    "title": 6.0, "org": 5.0, "signature": 5.0, "date": 5.0, "record": 3.0, "subtitle": 2.0,
    "opening": 3.0, "body": 0.5, "addressee": 0.0, "salutation": 0.0, "hint": 2.0,
}
OPENING_CHARS = 40  # the opening words of the first body paragraph name who speaks (2020年，通山县委…)
_PLAN_HEADING = re.compile(r"(计划|打算|思路|下一步|明年|今后|工作安排|工作重点|努力方向|主要任务)")
_CLAUSE_LABEL = re.compile(r"^[一二三四五六七八九十]{1,3}是")


@dataclass
class DocView:
    doc: Document
    lines: list[str]
    starts: list[int]  # offset of each line in doc.text
    frame: Frame
    opening_line: int | None
    plan_lines: set[int] = field(default_factory=set)  # lines under a 下一步/计划 heading

    @property
    def text(self) -> str:
        return self.doc.text

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def role(self, line: int) -> str:
        role = self.frame.role(line)
        if role == "body" and line == self.opening_line:
            return "opening"
        return role

    def role_at(self, offset: int) -> str:
        """The role of the line holding `offset`; 'opening' only for its first sentences."""
        line = self.line_of(offset)
        role = self.role(line)
        if role == "opening" and (offset - self.starts[line] > OPENING_CHARS
                                  or "。" in self.text[self.starts[line]:offset]):
            return "body"  # only the first sentence's opening words name who speaks
        return role

    def weight_at(self, offset: int) -> float:
        return ROLE_WEIGHT[self.role_at(offset)]

    @functools.cached_property
    def head_text(self) -> str:
        """Title, frame lines and the opening words: where the author names itself."""
        parts = []
        for n in range(len(self.lines)):
            role = self.role(n)
            if role == "opening":
                parts.append(self.lines[n][:OPENING_CHARS])
            elif role != "body":
                parts.append(self.lines[n])
        return "\n".join(parts)


def view_of(doc: Document) -> DocView:
    lines = doc.text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    frame = read_frame(doc.text, doc.title)  # the same frame build_structure found: its title anchors it
    first = frame.body_start
    if frame.title_line is None and lines and doc.title and lines[0].strip() == doc.title.strip():
        first = max(first, 1)  # a headline the frame did not know as a title still opens nothing
    opening = next((n for n in range(first, len(lines))
                    if lines[n].strip() and frame.role(n) == "body" and not match_heading(lines[n].strip())), None)
    view = DocView(doc=doc, lines=lines, starts=starts, frame=frame, opening_line=opening)
    view.plan_lines = _plan_lines(view)
    return view


def _plan_lines(view: DocView) -> set[int]:
    """Lines of passages under a heading that announces next year's plan (read off the passages' sections)."""
    out: set[int] = set()
    for passage in view.doc.passages:
        if any(_PLAN_HEADING.search(label) and not _CLAUSE_LABEL.match(label) for label in passage.section):
            out.add(view.line_of(passage.start))
    return out
