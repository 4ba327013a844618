"""The Whoosh index: one record per document, jieba words for ranking.

Indexed: jieba words (pre-tokenized in ingest workers), the title, and
exact-term facet fields. Exact phrase matching is the character index's job
(archive.gramindex); texts live in the document store.
"""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from archive.analysis import words
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
        fields: dict = {
            "doc_id": doc.doc_id,
            "words": " ".join(words(doc.text)),
            "title": " ".join(words(doc.title or "")),
            "anonymized": "1" if doc.anonymized else "0",
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

    def searcher(self):
        return self.ix.searcher()

    def refreshed(self) -> None:
        """Pick up segments committed by other processes."""
        self.ix = whoosh_index.open_dir(str(self.path))
