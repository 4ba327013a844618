"""Writing the archive: documents into the character index, Whoosh and the store, in that order.

Indexes commit before the store: the store marks a file done last, so a run
killed in between is redone by the next one, never half-remembered (search
only shows documents the store holds).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import LockError
from whoosh.util.filelock import try_for

from archive.docstore import DocStore, FileRecord, folded_form
from archive.gramindex import GramIndex, SegmentDoc
from archive.model import Document
from archive.textindex import TextIndex


@dataclass
class Prepared:
    """A document with what indexing needs, computed where CPU is cheap (an ingest worker)."""

    doc: Document
    fields: dict  # the Whoosh record
    folded: str
    bounds: list[int]  # each passage's start in `folded`


def prepare(doc: Document) -> Prepared:
    folded, bounds = folded_form(doc)
    return Prepared(doc, TextIndex.record(doc), folded, bounds)


class ArchiveWriter:
    """One writer at a time (Whoosh's lock); `commit` makes everything visible."""

    def __init__(self, store: DocStore, text_index: TextIndex, grams: GramIndex) -> None:
        self.store, self.text_index = store, text_index
        self.whoosh = text_index.writer()
        self.grams = grams.writer()
        self.files: list[FileRecord] = []
        self.puts: list[Prepared] = []
        self.deletes: set[str] = set()

    def put(self, items: Iterable[Prepared]) -> None:
        for item in items:
            self.whoosh.update_document(**item.fields)
            self.grams.add(SegmentDoc(item.doc.doc_id, item.folded, item.bounds,
                                      [p.ordinal for p in item.doc.passages]))
            self.deletes.discard(item.doc.doc_id)
            self.puts.append(item)

    def delete(self, doc_ids: Iterable[str]) -> None:
        """Delete documents, also ones put earlier in this writer (all three stores agree)."""
        doc_ids = set(doc_ids)
        for doc_id in doc_ids:
            self.whoosh.delete_by_term("doc_id", doc_id)
            self.grams.delete(doc_id)
            self.deletes.add(doc_id)
        if doc_ids:
            self.puts = [p for p in self.puts if p.doc.doc_id not in doc_ids]

    def put_file(self, record: FileRecord) -> None:
        self.files.append(record)

    def commit(self) -> None:
        try:
            self.grams.commit()
            self.whoosh.commit()
        except BaseException:
            self.cancel()
            raise
        self.store.delete_documents(self.deletes)
        self.store.put_prepared(self.puts)
        for record in self.files:
            self.store.put_file(record)
        self.store.commit(documents=bool(self.puts or self.deletes))

    def cancel(self) -> None:
        """Give up: nothing of this writer becomes visible; Whoosh's lock is released (idempotent)."""
        if not self.whoosh.is_closed:
            self.whoosh.cancel()


LOCK_SECONDS = 60.0  # as long as a writer waits for another to finish (TextIndex.writer)


def collect_garbage(text_index: TextIndex, grams: GramIndex) -> None:
    """Remove what killed writers left in both indexes (files no commit names), holding the write lock.

    A commit does this too; a run that has nothing to commit after a killed one calls this. The
    lock is taken as Whoosh's writers take it (a writer opened only for it would leave a file).
    """
    ix = text_index.ix
    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=LOCK_SECONDS, delay=0.1):
        raise LockError(f"another process has been writing to {text_index.path} for {LOCK_SECONDS:.0f} s")
    try:
        toc = ix._read_toc()  # the committed state: its generation and segments
        _remove_unnamed_files(text_index.path, ix.indexname, toc.generation,
                              {segment.segment_id() for segment in toc.segments})
        grams.writer().collect_garbage()
    finally:
        lock.release()


def _remove_unnamed_files(folder: Path, indexname: str, generation: int, segment_ids: set[str]) -> None:
    """Remove every index file the committed table of contents does not name.

    Whoosh's `clean_files` leaves some of what a writer killed mid-commit wrote: a table of
    contents half written under its temporary name (_MAIN_3.toc.<time>) and the writer's
    temporary folder (MAIN.tmp). Only called with the write lock held: no live writer owns them.
    """
    keep = {f"_{indexname}_{generation}.toc", f"{indexname}_WRITELOCK"}
    for entry in folder.iterdir():
        name = entry.name
        if name in keep or name.split(".")[0] in segment_ids or not name.lstrip("_").startswith(indexname):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
