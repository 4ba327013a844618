"""SIGKILL the ingest at random moments, again and again: nothing committed is lost, nothing doubles.

After every kill the index opens, every file the store says is done has its
documents whole and findable by a phrase of their text, no worker lives on,
and the write lock a killed writer held is free at once (Whoosh's lock is an
flock the kernel drops; the character index and SQLite commit atomically).
A final run completes the job: the same documents as an uninterrupted run,
none twice in the store, the Whoosh index or the character index, and no
file a killed writer left behind.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from archive.search import Archive, SearchRequest
from archive.textindex import TextIndex
from ingest.pipeline import ingest_paths
from tests.reliability.conftest import ENV, phrase_of
from tests.test_ingest_killed import processes_in_group

KILLS = 9
# Small, frequent commits (a whole run: ~75 commits, ~9 s): kills land before, inside and after them. "pool" starts worker processes
# at once (kills hit them mid-task); "inline" works in the ingest process until the pool pays.
SCRIPT = """
import sys
from pathlib import Path
from ingest import pipeline
pipeline.COMMIT_EVERY_SECONDS = 0.3
pipeline.COMMIT_EVERY_DOCS = 4
if sys.argv[3] == "pool":
    pipeline._Runner.INLINE_SECONDS = -1.0
pipeline.ingest_paths([Path(sys.argv[1])], Path(sys.argv[2]), jobs=2)
"""


def kill_at(files: Path, index: Path, mode: str, delay: float) -> bool:
    """Start an ingest, SIGKILL it after `delay` seconds; True if it was killed (not already done).

    The output goes to pipes read to the end before the process is reaped, as a shell's
    `$(archive ingest …)` does: workers must notice a zombie parent, or this never returns.
    """
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(files), str(index), mode], start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    try:
        proc.communicate(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
    try:
        proc.communicate(timeout=20)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("the killed ingest's workers kept its output open (they outlived it)") from exc
    deadline = time.monotonic() + 15
    while processes_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_in_group(proc.pid) == [], "worker processes outlived the killed ingest"
    return True


def committed_docs(archive: Archive) -> dict[str, str]:
    """doc_id → source path of every document of a file the store marks done; each must be stored."""
    done = {d: r.path for r in archive.store.files() for d in r.doc_ids if r.status == "ingested"}
    missing = [d for d in done if archive.store.get(d, with_passages=False) is None]
    assert not missing, f"files marked done whose documents are not stored: {missing[:5]}"
    return done


def assert_found(archive: Archive, doc_ids: list[str], rng: random.Random) -> None:
    """Each document is whole (text, passages) and a phrase of its text finds it."""
    for doc_id in doc_ids:
        doc = archive.store.get(doc_id)
        assert doc is not None and doc.text.strip() and doc.passages, doc_id
        phrase = phrase_of(doc.text, rng)
        found = {m.doc_id for m in archive.matches(SearchRequest(q=phrase, duplicates=True))}
        assert doc_id in found, f"{doc_id} not found by {phrase}"


def assert_lock_free(index: Path) -> None:
    """The write lock a killed writer held is free now (a stale lock would make this wait)."""
    started = time.monotonic()
    writer = TextIndex(index).ix.writer(timeout=2.0)
    writer.cancel()
    assert time.monotonic() - started < 2.0


def assert_nothing_twice(archive: Archive) -> set[str]:
    """The same documents, each once, in the store, the Whoosh index and the character index."""
    stored = archive.store.all_doc_ids()
    assert len(stored) == len(set(stored))
    with archive.index.searcher() as searcher:
        whoosh = [fields["doc_id"] for fields in searcher.all_stored_fields()]
    assert len(whoosh) == len(set(whoosh)), "a document is twice in the Whoosh index"
    grams = [d for seg in archive.grams.segments() for d, live in zip(seg.doc_ids, seg.live.tolist(), strict=True)
             if live]
    assert len(grams) == len(set(grams)), "a document is twice in the character index"
    assert set(whoosh) == set(grams) == set(stored)
    return set(stored)


def assert_no_leftovers(index: Path) -> None:
    """Files killed writers left in either index are collected by the next commit."""
    archive = Archive(index)
    try:
        manifest = archive.grams.manifest()
        named = {"manifest.json"} | {e["name"] for e in manifest["segments"]} | \
                {e["deleted"] for e in manifest["segments"] if e.get("deleted")}
        assert {p.name for p in archive.grams.path.iterdir()} <= named
        ix = archive.index.ix
        current = tuple(segment.segment_id() for segment in ix._segments())  # MAIN_<id>: its files' prefix
        whoosh = {p.name for p in archive.index.path.iterdir()} - {"MAIN_WRITELOCK", f"_MAIN_{ix.latest_generation()}.toc"}
        left = {n: os.stat(archive.index.path / n).st_mtime for n in whoosh if not n.startswith(current)}
        assert not left, f"generation {ix.latest_generation()}, segments {current}, left (mtime): {left}, now {time.time()}"
    finally:
        archive.close()


def test_repeated_sigkill_loses_nothing_and_rerun_completes(tmp_path, corpus_300):
    files = corpus_300[0].parent.parent
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    reference = tmp_path / "reference"
    expected = ingest_paths([files], reference, jobs=1)
    expected_ids = {d for o in expected.outcomes for d in o.documents}
    assert expected.count("rejected") == 0 and len(expected_ids) >= 290

    index = tmp_path / "ix"
    kills = 0
    for _ in range(KILLS):
        if not kill_at(files, index, rng.choice(["inline", "pool"]), rng.uniform(0.6, 2.4)):
            continue  # the run finished first: it has nothing more to lose
        kills += 1
        if not (index / "archive.sqlite3").exists():
            continue
        assert_lock_free(index)
        archive = Archive(index)
        try:
            done = committed_docs(archive)
            assert_found(archive, rng.sample(sorted(done), min(10, len(done))), rng)
        finally:
            archive.close()
    assert kills >= KILLS - 3, f"seed {seed}: the ingest finished before most kills"

    summary = ingest_paths([files], index, jobs=2)
    assert summary.count("rejected") == 0, f"seed {seed}"
    assert {d for o in summary.outcomes for d in o.documents} == expected_ids, f"seed {seed}"
    archive = Archive(index)
    try:
        assert assert_nothing_twice(archive) == expected_ids, f"seed {seed}"
        assert set(committed_docs(archive)) == expected_ids
        assert_found(archive, sorted(expected_ids), rng)
    finally:
        archive.close()
    assert_no_leftovers(index)
