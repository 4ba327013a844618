"""Facets with evidence: level, place, year, themes, doctype, organization, anonymized, source.

`extract_facets` fills a Document's facet fields and appends the Evidence for each
value, so the document page can show why it says what it says. Each facet has its
own module; they share one view of the document (view.py) and its unit and place
mentions (mentions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.model import Document, Evidence
from ingest.facets import themes
from ingest.facets.doctype import decide_doctype
from ingest.facets.mentions import Mentions
from ingest.facets.places import decide_places
from ingest.facets.unit import decide_unit
from ingest.facets.view import view_of
from ingest.facets.years import decide_year


@dataclass
class PageFacts:
    """Facts about the page or file a document came from, shared by its parts."""

    published: str | None = None  # YYYY-MM-DD
    title_hint: str | None = None
    source: str | None = None
    headline: str | None = None  # the line above the page's meta line (时间：…), see ingest.pagefacts


def extract_facets(doc: Document, page: PageFacts) -> None:
    """Fill level, organization, anonymized, places, doctype, year/date, themes and source."""
    view = view_of(doc)
    mentions = Mentions(view)
    unit = decide_unit(doc, mentions)
    doc.level, doc.organization, doc.anonymized = unit.level, unit.organization, unit.anonymized
    decide_places(doc, mentions, unit)
    doctype = decide_doctype(doc, view)
    decide_year(doc, view, doctype, page.published)
    themes.assign_themes(doc)
    _source(doc, page)


def _source(doc: Document, page: PageFacts) -> None:
    """The site or collection: the reader's word, else the file's folder."""
    if page.source:
        doc.source = page.source
        doc.evidence.append(Evidence("source", page.source, "given by the reader"))
    elif doc.source:
        doc.evidence.append(Evidence("source", doc.source, "given by the reader"))
    elif doc.source_path:
        folder = Path(doc.source_path).parent.name
        if folder:
            doc.source = folder
            doc.evidence.append(Evidence("source", folder, "folder of the file", doc.source_path))
