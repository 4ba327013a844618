"""The Whoosh schema: one record per document, declared once (jieba words and title, for BM25)."""

from __future__ import annotations

from whoosh import fields

from archive.analysis import PretokenizedTokenizer


def build_schema() -> fields.Schema:
    return fields.Schema(
        doc_id=fields.ID(stored=True, unique=True, sortable=True),
        words=fields.TEXT(analyzer=PretokenizedTokenizer(), phrase=False),
        title=fields.TEXT(analyzer=PretokenizedTokenizer(), phrase=False, field_boost=2.0),
    )
