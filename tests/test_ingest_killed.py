"""A killed ingest leaves no worker behind, and the next run completes the job without duplicates."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from archive.search import Archive, SearchRequest
from ingest.pipeline import ingest_paths
from tests.conftest import SAMPLE


def processes_in_group(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_sigkill_mid_ingest_then_rerun(tmp_path):
    files = tmp_path / "files"
    shutil.copytree(SAMPLE, files)
    index = tmp_path / "ix"
    script = ("import sys; from pathlib import Path; from ingest import pipeline; "
              "pipeline._Runner.INLINE_SECONDS = -1.0; pipeline.COMMIT_EVERY_DOCS = 5; "
              f"pipeline.ingest_paths([Path({str(files)!r})], Path({str(index)!r}), jobs=2)")
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (index / "archive.sqlite3").exists():
        time.sleep(0.1)
    time.sleep(3.0)  # well into the run: workers busy, some batches committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 15
    while processes_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_in_group(proc.pid) == [], "worker processes outlived the killed ingest"

    summary = ingest_paths([files], index, jobs=1)
    assert summary.count("rejected") == 0
    archive = Archive(index)
    try:
        docs = list(archive.store.iter_documents(with_passages=False))
        ids = {d.doc_id for d in docs}
        assert len(ids) == len(docs)
        reported = {d for o in summary.outcomes for d in o.documents}
        assert reported == ids  # every file's documents are there, and nothing else
        result = archive.search(SearchRequest(q="新时代文明实践", size=100))
        assert result.total >= 2
        every = archive.search(SearchRequest(duplicates=True, size=1000))
        assert every.total == len(docs)
    finally:
        archive.close()
