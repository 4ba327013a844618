"""The Whoosh index: one record per document, jieba words for ranking.

Indexed: jieba words (pre-tokenized in ingest workers) and the title, for
BM25. Exact phrase matching is the character index's job (archive.gramindex);
filters and facet counts come from the store's facet table (archive.facets).
"""

from __future__ import annotations

import time
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.reading import ReaderClosed
from whoosh.writing import IndexWriter

from archive.analysis import words
from archive.model import Document
from archive.schema import build_schema


class TextIndex:
    FOLDER = "whoosh"

    def __init__(self, folder: Path) -> None:
        self.path = folder / self.FOLDER
        self.path.mkdir(parents=True, exist_ok=True)
        self.ix = _open(self.path)

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


OPEN_ATTEMPTS = 20
INDEX_NAME = "MAIN"  # Whoosh's default


class _FileIndex(FileIndex):
    """Whoosh's index, with readers that survive a commit made meanwhile by another process.

    `Searcher.refresh()` builds its new reader reusing the old one's segment readers. When a
    commit deletes a file just then, Whoosh retries, but the failed attempt has already closed
    some of the readers it reuses, so the retry fails with ReaderClosed, and a searcher kept
    for reuse would fail so on every later search. Then the reader is built afresh.
    """

    def reader(self, reuse=None):
        try:
            return super().reader(reuse=reuse)
        except (ReaderClosed, FileNotFoundError):
            if reuse is None:
                raise
            return super().reader()


def _open(path: Path) -> FileIndex:
    """Open the index, or create it if the folder has none.

    Opening reads the newest table of contents (_MAIN_<n>.toc) the folder lists; a commit in
    another process may delete it between the listing and the read (it writes n + 1 first).
    Whoosh retries that in `reader()`, not when an index is opened: here it is retried too.
    """
    storage = FileStorage(str(path))
    attempts = 0
    while True:
        try:
            return _FileIndex(storage, indexname=INDEX_NAME)
        except EmptyIndexError:
            return _FileIndex.create(storage, build_schema(), INDEX_NAME)
        except FileNotFoundError:
            attempts += 1
            if attempts == OPEN_ATTEMPTS:
                raise
            time.sleep(0.02)
