"""The Whoosh index: one record per document, jieba words for ranking.

Indexed: jieba words (pre-tokenized in ingest workers) and the title, for
BM25. Exact phrase matching is the character index's job (archive.gramindex);
filters and facet counts come from the store's facet table (archive.facets).
"""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from archive.analysis import words
from archive.model import Document
from archive.schema import build_schema


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
        return {
            "doc_id": doc.doc_id,
            "words": " ".join(words(doc.text)),
            "title": " ".join(words(doc.title or "")),
        }

    def searcher(self):
        return self.ix.searcher()
