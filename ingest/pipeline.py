"""The ingest run: files in, documents stored and indexed, a report out.

Files are analysed in worker processes (`ingest.process`); this process
hashes them, skips unchanged ones, writes the store and the index, and
records every file's outcome. A bad file never stops the batch. Whoosh
commits before the store marks a file done, so a killed run is redone,
never half-remembered.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from archive.docstore import DocStore, FileRecord
from archive.model import file_content_hash
from archive.search import Archive
from archive.writer import ArchiveWriter, Prepared, collect_garbage
from ingest.dedup import DupCandidate, group_duplicates
from ingest.discover import Found, discover, path_text, same_as_reason, text_path
from ingest.errors import IngestError
from ingest.normalize.learned import LearnedBoilerplate
from ingest.process import Processed, learn_safely, process_safely
from ingest.readers import ReaderOptions, check_size
from ingest.report import FileOutcome, IngestSummary, write_report
from ingest.version import pipeline_version
from ingest.watchdog import exit_with

REPORT_NAME = "ingest-report.jsonl"
COMMIT_EVERY_SECONDS = 10.0
COMMIT_EVERY_DOCS = 2000
MIN_FILES_TO_LEARN = 3


@dataclass
class _Job:
    """A file on its way through the run."""

    path: Path
    key: str  # the resolved path: the file's identity in the store
    file_hash: str | None = None
    size: int | None = None
    mtime: float | None = None
    stale: list[str] = field(default_factory=list)  # doc ids the file had before
    outcome: FileOutcome | None = None  # decided without processing
    future: Future | None = None
    task: tuple | None = None
    pool_generation: int = 0  # which pool the future belongs to
    attempts: int = 0
    was_duplicate: bool = False  # unchanged, and recorded as a copy of another file's content
    adopt: bool = False  # processed although its content is in the archive (see _adopt_duplicates)

    @property
    def name(self) -> str:
        """The path as the report and the store show it."""
        return path_text(self.path)

    def record(self, status: str, reason: str | None, encoding: str | None, doc_ids: list[str]) -> FileRecord:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return FileRecord(self.key, self.file_hash, self.size, self.mtime, status, reason, encoding, doc_ids, now,
                          pipeline_version())


class _Owners:
    """Which file records hold each document id, so no file's change deletes another's document.

    Two files with the same content share documents: the first is recorded as ingested
    (their owner), the others as duplicates. A file that changes or fails gives up its old
    ids; an id is deleted only when no other file still holds it.
    """

    def __init__(self, records: Iterable[FileRecord]) -> None:
        self.holders: dict[str, dict[str, str]] = defaultdict(dict)  # doc id → {path: status}
        for record in records:
            for doc_id in record.doc_ids:
                self.holders[doc_id][record.path] = record.status

    def settle(self, record: FileRecord, before: list[str]) -> list[str]:
        """Record that the file now holds its record's ids instead of `before`; the ids nobody holds any more."""
        path, now = record.path, record.doc_ids
        for doc_id in now:
            self.holders[doc_id][path] = record.status
        released = []
        for doc_id in before:
            if doc_id in now:
                continue
            holders = self.holders.get(doc_id, {})
            holders.pop(path, None)
            if not holders:
                released.append(doc_id)
        return released

    def owned_by_others(self, path: str, doc_ids: list[str]) -> bool:
        """Another file holds one of these documents as its own (not as a duplicate)."""
        return any(status == "ingested" and other != path
                   for d in doc_ids for other, status in self.holders.get(d, {}).items())


class _Batch:
    """Writes waiting for the next commit: indexes first, then the store.

    A batch is written by a background thread with its own store connection, so
    the next files are analysed while the previous batch is written; at most one
    batch is being written at a time (bounded memory). The hashes of batches not
    yet committed stay visible for duplicate checks until their write is done.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.owners = _Owners(archive.store.files())
        self.items: list[tuple[FileRecord, list[Prepared], list[str]]] = []
        self.hashes: dict[str, list[str]] = {}
        self.writing: dict[str, list[str]] = {}  # hashes of the batch being written
        self.docs = 0
        self.last_commit = time.monotonic()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def add(self, record: FileRecord, prepared: list[Prepared], before: list[str]) -> None:
        """Queue a file's outcome; of the ids it held `before`, only those no other file holds go."""
        stale = self.owners.settle(record, before)
        self.items.append((record, prepared, stale))
        if prepared and record.file_hash:
            self.hashes[record.file_hash] = [p.doc.doc_id for p in prepared]
        self.docs += len(prepared)

    def pending_ids(self, file_hash: str) -> list[str]:
        return self.hashes.get(file_hash) or self.writing.get(file_hash, [])

    def due(self) -> bool:
        return self.docs >= COMMIT_EVERY_DOCS or time.monotonic() - self.last_commit > COMMIT_EVERY_SECONDS

    def flush(self) -> None:
        """Hand the batch to the writer thread (after the previous one is written)."""
        if not self.items:
            return
        self.wait()
        items, self.items = self.items, []
        self.writing, self.hashes = self.hashes, {}
        self.docs = 0
        self.last_commit = time.monotonic()
        self._thread = threading.Thread(target=self._write, args=(items,), name="index-writer")
        self._thread.start()

    def _write(self, items: list[tuple[FileRecord, list[Prepared], list[str]]]) -> None:
        store = DocStore(self.archive.folder)  # a connection of this thread's own
        writer = None
        try:
            writer = ArchiveWriter(store, self.archive.index, self.archive.grams)
            for record, prepared, stale in items:
                writer.delete(stale)
                writer.put(prepared)
                writer.put_file(record)
            writer.commit()
        except BaseException as exc:  # re-raised in the ingest's own thread by wait()
            self._error = exc
            if writer is not None:
                writer.cancel()  # release the index's write lock and files
        finally:
            store.close()

    def wait(self) -> None:
        """Wait for the batch being written; raise what the writer raised."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            self.writing = {}
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def _duplicate(store: DocStore, batch: _Batch, job: _Job) -> bool:
    """Settle the job as a duplicate if its content is already in (or going into) the archive."""
    existing = store.doc_ids_for_hash(job.file_hash) or batch.pending_ids(job.file_hash)
    if not existing or not batch.owners.owned_by_others(job.key, existing):
        return False  # new content, or this file's own documents read by an older pipeline
    reason = "same content as a file already ingested"
    job.outcome = FileOutcome(job.name, "duplicate", reason, None, existing)
    batch.add(job.record("duplicate", reason, None, existing), [], job.stale)
    return True


def _reject(batch: _Batch, job: _Job, reason: str) -> _Job:
    job.outcome = FileOutcome(job.name, "rejected", reason)
    batch.add(job.record("rejected", reason, None, []), [], [])
    return job


def _prepare(store: DocStore, batch: _Batch, found: Found, max_bytes: int, force: bool = False) -> _Job:
    """Hash the file (streamed: memory stays flat) and decide what needs no processing: a file
    is unchanged when its bytes and the pipeline that read it are the same (unless `force`)."""
    path = found.path
    job = _Job(path, found.key or path_text(path))
    if found.same_as:  # a second way to a file or folder of this run: reported, not stored
        job.outcome = FileOutcome(job.name, "duplicate", same_as_reason(found))
        return job
    if found.problem:
        return _reject(batch, job, found.problem)
    try:
        check_size(found.size or 0, max_bytes)
        with open(path, "rb") as handle:
            job.file_hash = file_content_hash(handle)
            stat = os.fstat(handle.fileno())
    except IngestError as exc:
        return _reject(batch, job, str(exc))
    except OSError as exc:
        return _reject(batch, job, f"cannot read file: {exc.strerror or exc}; check its permissions")
    job.size, job.mtime = stat.st_size, stat.st_mtime
    previous = store.get_file(job.key)
    if previous and previous.file_hash == job.file_hash and previous.status in ("ingested", "duplicate") \
            and previous.pipeline == pipeline_version() and not force:
        job.outcome = FileOutcome(job.name, "unchanged", None, previous.encoding, previous.doc_ids)
        job.was_duplicate = previous.status == "duplicate"
        return job
    job.stale = previous.doc_ids if previous else []
    _duplicate(store, batch, job)
    return job


def _adopt_duplicates(jobs: list[_Job], owners: _Owners) -> None:
    """A duplicate whose original changes in this run, or is gone, now stands for that content itself.

    It is processed again (instead of skipped as unchanged), so its documents, which keep
    their ids (ids come from the content), name it as their file. One file per content.
    """
    leaving = {d for job in jobs if job.outcome is None for d in job.stale}
    adopted: set[str] = set()
    for job in jobs:
        if not job.was_duplicate or job.file_hash in adopted:
            continue
        ids = job.outcome.documents
        if leaving.intersection(ids) or not owners.owned_by_others(job.key, ids):
            adopted.add(job.file_hash)
            job.stale, job.outcome, job.adopt = list(ids), None, True


def _finish(job: _Job, batch: _Batch, result: Processed | None, reason: str | None) -> FileOutcome:
    if result is None:
        batch.add(job.record("rejected", reason, None, []), [], job.stale)
        return FileOutcome(job.name, "rejected", reason)
    ids = [d.doc_id for d in result.docs]
    batch.add(job.record("ingested", result.note, result.encoding, ids), result.prepared, job.stale)
    return FileOutcome(job.name, "ingested", result.note, result.encoding, ids)


class _Runner:
    """Runs ingest tasks inline, or in worker processes once that pays.

    Starting workers costs about two seconds (each loads jieba and OpenCC),
    so a run works inline until it has spent INLINE_SECONDS, then starts the
    pool: small ingests stay quick, large ones use every core.
    """

    INLINE_SECONDS = 1.5

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self.generation = 0
        self.inline_seconds = 0.0

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=exit_with, initargs=(os.getpid(),))

    def submit(self, job: _Job, task: Callable, *args) -> None:
        job.attempts += 1
        job.task = (task, args)
        if self.pool is None and self.jobs > 1 and self.inline_seconds > self.INLINE_SECONDS:
            self.pool = self._new_pool()
        if self.pool is not None:
            job.future = self.pool.submit(task, *args)
            job.pool_generation = self.generation
            return
        started = time.monotonic()
        job.future = Future()
        job.future.set_result(task(*args))
        self.inline_seconds += time.monotonic() - started

    def result(self, job: _Job) -> tuple[object | None, str | None]:
        """The task's (result, reason); a file whose worker died is retried once on a new pool."""
        try:
            return job.future.result()
        except BrokenProcessPool:
            if job.pool_generation == self.generation:  # first to notice: replace the pool
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
                self.generation += 1
            if job.attempts >= 2:
                return None, "the worker process died twice while reading this file (too large or malformed?)"
            self.submit(job, job.task[0], *job.task[1])
            return self.result(job)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _learn(runner: _Runner, paths: list[Path], options: ReaderOptions | None) -> str:
    """A LearnedBoilerplate (JSON) from the records of the given files, learned in workers."""
    probes = []
    for path in paths:
        probe = _Job(path, str(path))
        runner.submit(probe, learn_safely, str(path), options)
        probes.append(probe)
    keysets = [keys for probe in probes for keys in (runner.result(probe)[0] or [])]
    return LearnedBoilerplate.learn_keys(keysets).to_json()


def _folder_key(path: Path) -> str:
    """The real folder of a file, as text: the key of its learned boilerplate."""
    return path_text(os.path.realpath(path.parent))


def learn_boilerplate(runner: _Runner, store: DocStore, jobs: list[_Job],
                      options: ReaderOptions | None) -> dict[str, str]:
    """Learned boilerplate (JSON) by folder, before its files are processed.

    A folder with at least MIN_FILES_TO_LEARN files to process in this run is
    learned from them, and the model is kept in the store; a folder with fewer
    reuses the model an earlier run kept, if any. (A JSONL/CSV export without a
    folder model learns across its own records while it is processed.)
    """
    folders: dict[str, list[_Job]] = defaultdict(list)
    for job in jobs:
        folders[_folder_key(job.path)].append(job)
    models: dict[str, str] = {}
    for folder, members in folders.items():
        if len(members) >= MIN_FILES_TO_LEARN:
            store.set_meta(f"learned:{folder}", _learn(runner, [j.path for j in members], options))
            store.commit(documents=False)
        saved = store.get_meta(f"learned:{folder}")
        if saved:
            models[folder] = saved
    return models


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    index_folder: Path,
    report_path: Path | None = None,
    options: ReaderOptions | None = None,
    prune: bool = False,
    progress: Callable[[int, FileOutcome], None] | None = None,
    jobs: int | None = None,
    force: bool = False,
) -> IngestSummary:
    """Ingest files and folders into the index folder; see module docstring. `force` reads
    unchanged files again too (`archive reindex`)."""
    started = time.monotonic()
    jobs = max(1, jobs or os.cpu_count() or 1)
    archive = Archive(index_folder)
    batch = _Batch(archive)
    runner = _Runner(jobs)
    outcomes: list[FileOutcome] = []
    in_flight: deque[_Job] = deque()
    hashes_in_flight: set[str] = set()

    def start(job: _Job) -> None:
        runner.submit(job, process_safely, str(job.path), options, models.get(_folder_key(job.path)))

    def complete(job: _Job) -> None:
        if job.outcome is None and job.future is None:
            # Same content as a file before it in this run: a duplicate, unless that one failed.
            if not _duplicate(archive.store, batch, job):
                start(job)
        if job.future is not None:
            hashes_in_flight.discard(job.file_hash)
        outcome = job.outcome or _finish(job, batch, *runner.result(job))
        outcomes.append(outcome)
        if progress:
            progress(len(outcomes), outcome)
        if batch.due():
            batch.flush()

    try:
        max_bytes = (options or ReaderOptions()).max_bytes
        prepared = [_prepare(archive.store, batch, found, max_bytes, force) for found in discover(paths)]
        if prune:  # before processing: a copy of a removed file takes its content over in this run
            outcomes.extend(_prune(archive, {j.key for j in prepared}, batch.owners))
        _adopt_duplicates(prepared, batch.owners)
        models = learn_boilerplate(runner, archive.store, [j for j in prepared if j.outcome is None], options)
        for job in prepared:
            # A copy of a file finished earlier in this run is a duplicate; one of a file still
            # in flight is settled when it completes (after its original).
            if job.outcome is None and job.file_hash not in hashes_in_flight \
                    and (job.adopt or not _duplicate(archive.store, batch, job)):
                start(job)
                hashes_in_flight.add(job.file_hash)
            in_flight.append(job)
            while len(in_flight) > jobs * 4 or (in_flight and in_flight[0].outcome):
                complete(in_flight.popleft())
        while in_flight:
            complete(in_flight.popleft())
        batch.flush()
        batch.wait()
        mark_duplicates(archive)
        collect_garbage(archive.index, archive.grams)  # what a killed run left, if this run committed nothing
    finally:
        runner.close()
        archive.close()
    report_path = report_path or index_folder / REPORT_NAME
    write_report(report_path, outcomes)
    bytes_read = sum(j.size or 0 for j in prepared)
    return IngestSummary(outcomes, report_path, time.monotonic() - started, bytes_read)


def _prune(archive: Archive, seen: set[str], owners: _Owners) -> list[FileOutcome]:
    """Remove documents of files that no longer exist on disk (unless another file holds them)."""
    store = archive.store
    gone = [r for r in store.files() if r.path not in seen and not text_path(r.path).exists()]
    if not gone:
        return []
    released = [d for r in gone for d in owners.settle(FileRecord(r.path, None, None, None, "removed", None, None,
                                                                  []), r.doc_ids)]
    writer = archive.writer()
    writer.delete(released)
    writer.commit()
    for record in gone:
        store.delete_file(record.path)
    store.commit(documents=False)  # their documents went with the writer's commit
    return [FileOutcome(r.path, "removed", "file no longer exists", None, r.doc_ids) for r in gone]


def mark_duplicates(archive: Archive) -> None:
    """Recompute duplicate groups over the whole archive; update the links that changed."""
    store = archive.store
    rows = store.dedup_rows()
    verdict = group_duplicates([DupCandidate(r[0], r[1]) for r in rows])
    changed = [r[0] for r in rows if verdict.get(r[0]) != r[2]]
    for doc_id in changed:
        store.set_duplicate_of(doc_id, verdict[doc_id])
    if changed:
        store.commit()
