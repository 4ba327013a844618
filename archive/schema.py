"""The Whoosh schema: one record per document, declared once (jieba words, title, facets)."""

from __future__ import annotations

from whoosh import fields

from archive.analysis import PretokenizedTokenizer

# Facet fields indexed as exact terms, so filters are exact.
TERM_FACETS = ("level", "province", "city", "county", "town", "doctype", "organization", "source")


def build_schema() -> fields.Schema:
    facet_fields = {name: fields.ID(stored=False) for name in TERM_FACETS}
    return fields.Schema(
        doc_id=fields.ID(stored=True, unique=True, sortable=True),
        words=fields.TEXT(analyzer=PretokenizedTokenizer(), phrase=False),
        title=fields.TEXT(analyzer=PretokenizedTokenizer(), phrase=False, field_boost=2.0),
        year=fields.NUMERIC(int, bits=32, signed=False),
        themes=fields.KEYWORD(commas=True),
        anonymized=fields.ID,
        **facet_fields,
    )
