"""Facets with evidence: level, place, year, themes, doctype, organization.

`extract_facets` fills a Document's facet fields and appends the Evidence
for each value, so the document page can show why it says what it says.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.model import Document
from ingest.facets import themes, unit, years


@dataclass
class PageFacts:
    """Facts about the page or file a document came from, shared by its parts."""

    published: str | None = None  # YYYY-MM-DD
    title_hint: str | None = None
    source: str | None = None


def extract_facets(doc: Document, page: PageFacts) -> None:
    unit.assign_unit(doc)
    years.assign_year(doc, page)
    themes.assign_themes(doc)
