"""The document store: documents, passages and ingested files in SQLite.

SQLite (WAL mode) holds everything the search index does not: texts, the
folded search form with passage bounds, facets with evidence, provenance,
and the file table that makes ingest incremental. Readers never block the
writer, and a killed writer leaves the last committed state.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from archive.fold import fold
from archive.model import Document, Passage

MAX_BOUND_ORDINALS = 500  # beyond this, read the document's passages and filter (SQLite's variable limit)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    file_hash TEXT NOT NULL,
    source_path TEXT NOT NULL,
    duplicate_of TEXT,
    data TEXT NOT NULL,
    folded TEXT NOT NULL,
    bounds TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file_hash);
CREATE INDEX IF NOT EXISTS documents_duplicate ON documents(duplicate_of);
CREATE TABLE IF NOT EXISTS passages (
    passage_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    themes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    file_hash TEXT,
    size INTEGER,
    mtime REAL,
    status TEXT NOT NULL,
    reason TEXT,
    encoding TEXT,
    doc_ids TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT,
    pipeline TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


_NOT_FACETS = ", ".join(f"'$.{key}'" for key in ("text", "original_text", "evidence", "provenance"))


@dataclass
class FileRecord:
    path: str
    file_hash: str | None
    size: int | None
    mtime: float | None
    status: str
    reason: str | None
    encoding: str | None
    doc_ids: list[str]
    ingested_at: str | None = None
    pipeline: str | None = None  # the ingest version that read it (ingest.version); None: before versions


def folded_form(doc: Document) -> tuple[str, list[int]]:
    """The document's folded text and each passage's start in it.

    Folding is character by character, so the folded text of the whole is the
    folded pieces between passage starts, end to end.
    """
    pieces, bounds, done, length = [], [], 0, 0
    for passage in doc.passages:
        piece = fold(doc.text[done:passage.start])
        pieces.append(piece)
        length += len(piece)
        bounds.append(length)
        done = passage.start
    pieces.append(fold(doc.text[done:]))
    return "".join(pieces), bounds


class DocStore:
    """One SQLite connection to the store of an index folder."""

    FILENAME = "archive.sqlite3"

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / self.FILENAME
        self.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring a store made by an earlier version up to the current tables (columns added, never dropped)."""
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(files)")}
        if "pipeline" not in columns:
            self.conn.execute("ALTER TABLE files ADD COLUMN pipeline TEXT")
            self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    # -- writing -----------------------------------------------------------
    def put_documents(self, docs: Iterable[Document]) -> None:
        """Insert or replace documents with their passages (no commit)."""
        for doc in docs:
            self._put(doc, *folded_form(doc))

    def put_prepared(self, items: Iterable) -> None:
        """Like put_documents, with folded forms computed already (archive.writer.Prepared)."""
        for item in items:
            self._put(item.doc, item.folded, item.bounds)

    def _put(self, doc: Document, folded: str, bounds: list[int]) -> None:
        self.delete_documents([doc.doc_id])
        data = _document_data(doc)
        self.conn.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?)",
            (doc.doc_id, doc.provenance.get("file_hash", ""), doc.source_path, doc.duplicate_of,
             json.dumps(data, ensure_ascii=False), folded, json.dumps(bounds)),
        )
        self.conn.executemany(
            "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?)",
            [(p.passage_id, p.doc_id, p.ordinal, json.dumps(p.section, ensure_ascii=False), p.text,
              p.start, p.end, json.dumps(p.themes, ensure_ascii=False)) for p in doc.passages],
        )

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            self.conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self.conn.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))

    def set_duplicate_of(self, doc_id: str, canonical: str | None) -> None:
        """Link a document to its canonical copy (None: it is canonical). Indexes need no change:
        search reads duplicate links from the store."""
        row = self.conn.execute("SELECT data FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row:
            data = json.loads(row[0])
            data["duplicate_of"] = canonical
            self.conn.execute("UPDATE documents SET duplicate_of=?, data=? WHERE doc_id=?",
                              (canonical, json.dumps(data, ensure_ascii=False), doc_id))

    def put_file(self, record: FileRecord) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
            (record.path, record.file_hash, record.size, record.mtime, record.status, record.reason,
             record.encoding, json.dumps(record.doc_ids), record.ingested_at, record.pipeline),
        )

    def delete_file(self, path: str) -> None:
        self.conn.execute("DELETE FROM files WHERE path=?", (path,))

    def commit(self, documents: bool = True) -> None:
        """Commit, counting a new generation (what the facet table is cached by) unless the caller
        knows no document changed: a commit of file records or settings alone makes readers rebuild nothing."""
        if documents:
            self.conn.execute(
                "INSERT INTO meta VALUES ('generation', '1') "
                "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
        self.conn.commit()

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    # -- reading -----------------------------------------------------------
    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def get_file(self, path: str) -> FileRecord | None:
        row = self.conn.execute("SELECT * FROM files WHERE path=?", (path,)).fetchone()
        return _file_record(row) if row else None

    def files(self, status: str | None = None) -> list[FileRecord]:
        if status:
            rows = self.conn.execute("SELECT * FROM files WHERE status=? ORDER BY path", (status,))
        else:
            rows = self.conn.execute("SELECT * FROM files ORDER BY path")
        return [_file_record(r) for r in rows]

    def doc_ids_for_hash(self, file_hash: str) -> list[str]:
        rows = self.conn.execute("SELECT doc_id FROM documents WHERE file_hash=? ORDER BY doc_id", (file_hash,))
        return [r[0] for r in rows]

    def get(self, doc_id: str, with_passages: bool = True) -> Document | None:
        row = self.conn.execute("SELECT data FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if not row:
            return None
        data = json.loads(row[0])
        data["passages"] = [asdict(p) for p in self.passages(doc_id)] if with_passages else []
        return Document.from_dict(data)

    def duplicates_of(self, doc_id: str) -> list[tuple[str, str]]:
        """(doc_id, source_path) of the documents linked to this one as its duplicates."""
        rows = self.conn.execute("SELECT doc_id, source_path FROM documents WHERE duplicate_of=? ORDER BY doc_id",
                                 (doc_id,))
        return [(r[0], r[1]) for r in rows]

    def passages(self, doc_id: str, ordinals: Collection[int] | None = None) -> list[Passage]:
        """The document's passages in order; only those with the given ordinals when asked
        (a hit shows a handful of a long report's passages: the rest are not decoded)."""
        sql = ("SELECT passage_id, doc_id, ordinal, text, section, start, end, themes FROM passages "
               "WHERE doc_id=?")
        args: list[Any] = [doc_id]
        wanted = set(ordinals) if ordinals is not None else None
        if wanted is not None and len(wanted) <= MAX_BOUND_ORDINALS:
            sql += f" AND ordinal IN ({','.join('?' * len(wanted))})"
            args.extend(sorted(wanted))
        rows = self.conn.execute(sql + " ORDER BY ordinal", args)
        if wanted is not None:
            rows = [r for r in rows if r[2] in wanted]
        return [Passage(passage_id=r[0], doc_id=r[1], ordinal=r[2], text=r[3], section=json.loads(r[4]),
                        start=r[5], end=r[6], themes=json.loads(r[7])) for r in rows]

    def folded(self, doc_ids: list[str]) -> Iterator[tuple[str, str, list[int]]]:
        """(doc_id, folded text, passage bounds) for the given ids, in batches."""
        for i in range(0, len(doc_ids), 500):
            batch = doc_ids[i:i + 500]
            marks = ",".join("?" * len(batch))
            for row in self.conn.execute(f"SELECT doc_id, folded, bounds FROM documents WHERE doc_id IN ({marks})", batch):
                yield row[0], row[1], json.loads(row[2])

    def dedup_rows(self) -> list[tuple[str, str, str | None]]:
        """(doc_id, folded text, duplicate_of) of every document, for duplicate grouping."""
        return self.conn.execute("SELECT doc_id, folded, duplicate_of FROM documents").fetchall()

    def facet_rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(doc_id, facet values) of every document, for the facet table: its fields without the
        texts, evidence and provenance, cut away by SQLite (they are most of the bytes; leaving
        them out halves the time a server spends rebuilding the table after each commit)."""
        for doc_id, data in self.conn.execute(f"SELECT doc_id, json_remove(data, {_NOT_FACETS}) FROM documents"):
            yield doc_id, json.loads(data)

    def all_doc_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT doc_id FROM documents ORDER BY source_path, doc_id")]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def iter_documents(self, with_passages: bool = True) -> Iterator[Document]:
        for doc_id in self.all_doc_ids():
            doc = self.get(doc_id, with_passages=with_passages)
            if doc:
                yield doc


def _document_data(doc: Document) -> dict[str, Any]:
    """The document's fields as stored (passages live in their own table)."""
    data = {f.name: getattr(doc, f.name) for f in fields(doc) if f.name != "passages"}
    data["evidence"] = [asdict(e) for e in doc.evidence]
    return data


def _file_record(row: tuple) -> FileRecord:
    return FileRecord(path=row[0], file_hash=row[1], size=row[2], mtime=row[3], status=row[4], reason=row[5],
                      encoding=row[6], doc_ids=json.loads(row[7]), ingested_at=row[8], pipeline=row[9])
