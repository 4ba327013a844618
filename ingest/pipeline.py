"""The ingest run: files in, documents stored and indexed, a report out.

One file is processed by `process_file`, a pure function (bytes in,
documents out) so it can run in worker processes. The run skips unchanged
files by content hash, replaces changed ones, records every file's outcome
in the store and in a JSONL report, and never stops on a bad file.
Whoosh commits before the store marks a file done, so a killed run is
redone, never half-remembered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.docstore import FileRecord
from archive.model import Document, content_hash, make_doc_id
from archive.search import Archive
from ingest.dedup import DupCandidate, group_duplicates
from ingest.errors import IngestError
from ingest.facets import PageFacts, extract_facets
from ingest.normalize import normalize
from ingest.readers import RawText, ReaderOptions, read_path
from ingest.split import split_reports
from ingest.structure import build_structure

REPORT_NAME = "ingest-report.jsonl"
COMMIT_EVERY_SECONDS = 10.0


@dataclass
class FileOutcome:
    """One line of the ingest report."""

    path: str
    status: str  # ingested | unchanged | duplicate | rejected | removed
    reason: str | None = None
    encoding: str | None = None
    documents: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome]
    report_path: Path
    seconds: float

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("rejected") else 0


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str | None]]:
    """Every file under the given paths, sorted; (path, problem) for bad paths."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield Path(root) / name, None
        elif path.is_file():
            yield path, None
        elif path.exists():
            yield path, "not a regular file or folder"
        else:
            yield path, "no such file or folder; check the path"


def document_from_part(raw: RawText, text_part, file_hash: str, part_no: int, source_path: str,
                       page: PageFacts, steps: list[dict]) -> Document:
    doc_id = make_doc_id(file_hash, part_no)
    structure = build_structure(doc_id, text_part.text, text_part.title_hint)
    doc = Document(
        doc_id=doc_id, title=structure.title, source_path=source_path, text=text_part.text,
        original_text="", part=part_no, passages=structure.passages, source=raw.source,
        provenance={"file_hash": file_hash, "encoding": raw.encoding, "format": raw.format, "steps": steps},
    )
    extract_facets(doc, page)
    return doc


def process_file(path: Path, raw_bytes: bytes | None = None, options: ReaderOptions | None = None) -> tuple[list[Document], str | None]:
    """Read, normalize, split, structure and facet one file. Raises IngestError."""
    file_hash = content_hash(raw_bytes if raw_bytes is not None else path.read_bytes())
    docs: list[Document] = []
    encoding = None
    for record_no, raw in enumerate(read_path(path, options), start=1):
        encoding = raw.encoding
        norm = normalize(raw.text)
        if not norm.text.strip():
            if len(docs) == 0 and record_no == 1:
                raise IngestError("no text left after normalization (only boilerplate or whitespace)")
            continue
        page = PageFacts(published=raw.published, title_hint=raw.title_hint, source=raw.source)
        parts = split_reports(norm.text, raw.title_hint)
        for text_part in parts:
            doc = document_from_part(raw, text_part, file_hash, len(docs) + 1, str(path), page, norm.steps)
            doc.original_text = norm.original if len(parts) == 1 else ""
            docs.append(doc)
    if not docs:
        raise IngestError("no documents found in the file")
    return docs, encoding


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    index_folder: Path,
    report_path: Path | None = None,
    options: ReaderOptions | None = None,
    prune: bool = False,
    progress: Callable[[int, FileOutcome], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the index folder; see module docstring."""
    started = time.monotonic()
    archive = Archive(index_folder)
    store, index = archive.store, archive.index
    outcomes: list[FileOutcome] = []
    pending: list[tuple[FileRecord, list[Document], list[str]]] = []
    last_commit = time.monotonic()
    seen_paths: set[str] = set()

    def flush() -> None:
        if not pending:
            return
        writer = index.writer()
        try:
            for _, docs, stale in pending:
                index.delete(writer, stale)
                index.update(writer, docs)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        for record, docs, stale in pending:
            store.delete_documents(stale)
            store.put_documents(docs)
            store.put_file(record)
        store.commit()
        pending.clear()

    try:
        for n, (path, problem) in enumerate(discover(paths), start=1):
            key = str(path.resolve()) if problem is None else str(path)
            seen_paths.add(key)
            outcome = _ingest_one(store, path, key, problem, options, pending)
            outcomes.append(outcome)
            if progress:
                progress(n, outcome)
            if time.monotonic() - last_commit > COMMIT_EVERY_SECONDS:
                flush()
                last_commit = time.monotonic()
        flush()
        if prune:
            outcomes.extend(_prune(archive, seen_paths))
        _mark_duplicates(archive)
    finally:
        archive.close()
    report_path = report_path or index_folder / REPORT_NAME
    write_report(report_path, outcomes)
    return IngestSummary(outcomes=outcomes, report_path=report_path, seconds=time.monotonic() - started)


def _ingest_one(store, path: Path, key: str, problem: str | None, options, pending: list) -> FileOutcome:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if problem:
        outcome = FileOutcome(path=str(path), status="rejected", reason=problem)
        store.put_file(FileRecord(key, None, None, None, "rejected", problem, None, [], now))
        return outcome
    try:
        raw = path.read_bytes()
        stat = path.stat()
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}; check its permissions"
        store.put_file(FileRecord(key, None, None, None, "rejected", reason, None, [], now))
        return FileOutcome(path=str(path), status="rejected", reason=reason)
    file_hash = content_hash(raw)
    previous = store.get_file(key)
    if previous and previous.file_hash == file_hash and previous.status in ("ingested", "duplicate", "unchanged"):
        return FileOutcome(path=str(path), status="unchanged", encoding=previous.encoding, documents=previous.doc_ids)
    stale = previous.doc_ids if previous else []
    existing = store.doc_ids_for_hash(file_hash) or _pending_ids(pending, file_hash)
    if existing and not (previous and previous.file_hash == file_hash):
        record = FileRecord(key, file_hash, stat.st_size, stat.st_mtime, "duplicate",
                            "same content as a file already ingested", None, existing, now)
        still_used = [d for d in stale if d not in existing]
        pending.append((record, [], still_used))
        return FileOutcome(path=str(path), status="duplicate", reason=record.reason, documents=existing)
    try:
        docs, encoding = process_file(path, raw, options)
    except IngestError as exc:
        reason = str(exc)
        pending.append((FileRecord(key, file_hash, stat.st_size, stat.st_mtime, "rejected", reason, None, [], now), [], stale))
        return FileOutcome(path=str(path), status="rejected", reason=reason)
    except Exception as exc:  # a bug in a reader must not stop the batch
        reason = f"internal error while reading ({type(exc).__name__}: {exc}); please report this file"
        pending.append((FileRecord(key, file_hash, stat.st_size, stat.st_mtime, "rejected", reason, None, [], now), [], stale))
        return FileOutcome(path=str(path), status="rejected", reason=reason)
    ids = [d.doc_id for d in docs]
    record = FileRecord(key, file_hash, stat.st_size, stat.st_mtime, "ingested", None, encoding, ids, now)
    pending.append((record, docs, [d for d in stale if d not in ids]))
    return FileOutcome(path=str(path), status="ingested", encoding=encoding, documents=ids)


def _pending_ids(pending: list, file_hash: str) -> list[str]:
    """Document ids of a file with this content ingested earlier in the same batch."""
    for record, docs, _ in pending:
        if record.file_hash == file_hash and docs:
            return [d.doc_id for d in docs]
    return []


def _prune(archive: Archive, seen: set[str]) -> list[FileOutcome]:
    """Remove documents of files that no longer exist on disk."""
    outcomes = []
    gone = [r for r in archive.store.files() if r.path not in seen and not Path(r.path).exists()]
    if not gone:
        return outcomes
    writer = archive.index.writer()
    for record in gone:
        still_shared = any(other.path != record.path and set(other.doc_ids) & set(record.doc_ids)
                           for other in archive.store.files() if other.path not in {g.path for g in gone})
        if not still_shared:
            archive.index.delete(writer, record.doc_ids)
    writer.commit()
    for record in gone:
        archive.store.conn.execute("DELETE FROM files WHERE path=?", (record.path,))
        if not any(set(o.doc_ids) & set(record.doc_ids) for o in archive.store.files()):
            archive.store.delete_documents(record.doc_ids)
        outcomes.append(FileOutcome(path=record.path, status="removed", reason="file no longer exists", documents=record.doc_ids))
    archive.store.commit()
    return outcomes


def _mark_duplicates(archive: Archive) -> None:
    """Recompute duplicate groups over the whole archive; update what changed."""
    store = archive.store
    rows = store.conn.execute("SELECT doc_id, folded, duplicate_of FROM documents").fetchall()
    verdict = group_duplicates([DupCandidate(r[0], r[1]) for r in rows])
    changed = [r[0] for r in rows if verdict.get(r[0]) != r[2]]
    if not changed:
        return
    for doc_id in changed:
        store.set_duplicate_of(doc_id, verdict[doc_id])
    docs = [store.get(d) for d in changed]
    writer = archive.index.writer()
    archive.index.update(writer, [d for d in docs if d])
    writer.commit()
    store.commit()


def write_report(path: Path, outcomes: list[FileOutcome]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for o in outcomes:
            out.write(json.dumps(asdict(o), ensure_ascii=False) + "\n")
