"""Document type (工作汇报, 工作总结, 情况汇报, 汇报发言, 讲话, 工作要点, 条例 …) from data/doctypes.toml.

A news dateline opening the body decides first (a story about a 讲话 is a story); then the
title; without a title line, the opening's 现将…汇报如下 does.
"""

from __future__ import annotations

from archive.model import Document, Evidence
from ingest.facets.view import DocView
from ingest.structure.lexicon import Doctype, lexicon

BODY_LINES = 3


def decide_doctype(doc: Document, view: DocView) -> Doctype | None:
    """Set doc.doctype with its evidence; return the matching Doctype (for its tense)."""
    frame = view.frame
    title = doc.title if frame.title_line is not None else ""
    if frame.subtitle_line is not None:
        title += view.lines[frame.subtitle_line]
    body = [n for n in range(frame.body_start, len(view.lines)) if view.lines[n].strip()][:BODY_LINES]
    if found := _in_opening(view, body, "dateline"):
        return _decided(doc, *found, "news dateline in opening")
    if title and (doctype := _named_by(title)):
        return _decided(doc, doctype, title, frame.title_line, "type word in title")
    if found := _in_opening(view, body, "body"):
        return _decided(doc, *found, "type phrase in opening")
    if not title and doc.title and (doctype := _named_by(doc.title)):  # a page title (weaker) still says what the page holds
        return _decided(doc, doctype, doc.title, None, "type word in page title", weight=0.5)
    return None


def _named_by(title: str) -> Doctype | None:
    """The first doctype whose title patterns match."""
    return next((d for d in lexicon().doctypes if any(p.search(title) for p in d.title)), None)


def _in_opening(view: DocView, lines: list[int], patterns: str) -> tuple[Doctype, str, int] | None:
    """The first doctype whose `patterns` (dateline or body) match one of the opening lines."""
    for doctype in lexicon().doctypes:
        for n in lines:
            match = next((m for p in getattr(doctype, patterns) if (m := p.search(view.lines[n]))), None)
            if match:
                return doctype, match.group(), n
    return None


def _decided(doc: Document, doctype: Doctype, phrase: str, line: int | None, rule: str,
             weight: float = 1.0) -> Doctype:
    doc.doctype = doctype.name
    doc.evidence.append(Evidence("doctype", doctype.name, rule, phrase, line=line, weight=weight))
    return doctype
