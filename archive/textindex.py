"""The Whoosh index: one record per document, for candidates and ranking.

Only what search needs is indexed: character grams, jieba words, the title,
and exact-term facet fields. Texts live in the document store.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from archive.analysis import index_terms, words
from archive.fold import fold
from archive.model import Document
from archive.schema import TERM_FACETS, build_schema


class TextIndex:
    FOLDER = "whoosh"

    def __init__(self, folder: Path) -> None:
        self.path = folder / self.FOLDER
        self.path.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(str(self.path)):
            self.ix = whoosh_index.open_dir(str(self.path))
        else:
            self.ix = whoosh_index.create_in(str(self.path), build_schema())

    def writer(self) -> IndexWriter:
        # A larger pool (MB) spills fewer sorted runs to disk: far faster on big batches.
        return self.ix.writer(timeout=60.0, limitmb=512)

    @staticmethod
    def record(doc: Document) -> dict:
        """The Whoosh record of a document (CPU-heavy: build it in a worker)."""
        grams, text_words = index_terms(doc.text)
        fields: dict = {
            "doc_id": doc.doc_id,
            "chars": grams,
            "words": text_words,
            "title": " ".join(words(doc.title or "")),
            "anonymized": "1" if doc.anonymized else "0",
            "duplicate": "1" if doc.duplicate_of else "0",
        }
        for name in TERM_FACETS:
            value = getattr(doc, name, None)
            if value:
                fields[name] = fold(str(value))
        if doc.year:
            fields["year"] = int(doc.year)
        if doc.themes:
            fields["themes"] = ",".join(doc.themes)
        return fields

    def update(self, writer: IndexWriter, docs: Iterable[Document], records: list[dict] | None = None) -> None:
        """Add or replace documents; `records` are their prepared records, if any."""
        for doc, record in zip(docs, records or itertools.repeat(None), strict=False):
            writer.update_document(**(record or self.record(doc)))

    @staticmethod
    def delete(writer: IndexWriter, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            writer.delete_by_term("doc_id", doc_id)

    def searcher(self):
        return self.ix.searcher()

    def refreshed(self) -> None:
        """Pick up segments committed by other processes."""
        self.ix = whoosh_index.open_dir(str(self.path))
