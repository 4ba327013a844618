"""An index made by an earlier version is upgraded in place, losing no document or facet value.

tests/fixtures/upgrade/index-<commit>.tar.gz was written by the commit it names
(make_index.sh beside it says how). Its store records the files under RECORDED_ROOT;
the test lays the same files out in its own folder and rewrites the recorded paths, as if
the archive had been made on this machine.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

from archive.search import Archive, SearchRequest
from ingest.pipeline import ingest_paths
from ingest.version import pipeline_version
from tests.conftest import SEEDS

FIXTURES = Path(__file__).parent / "fixtures"
OLD_INDEX = FIXTURES / "upgrade" / "index-8bfdef2.tar.gz"
RECORDED_ROOT = "/tmp/xuanchuan-upgrade-src"
FACETS = ("level", "province", "city", "county", "year", "doctype", "organization", "themes")


def source_files(folder: Path) -> Path:
    """The files the old index was made from (make_index.sh)."""
    folder.mkdir()
    shutil.copy(SEEDS / "001_eaa05965459b041d.txt", folder / "seed-001.txt")
    shutil.copy(SEEDS / "001_eaa05965459b041d.txt", folder / "seed-001-copy.txt")
    shutil.copy(SEEDS / "004_edecab7bdecca6f6.txt", folder / "seed-004.txt")
    for name in ("sample.docx", "page-gbk.html", "big5.txt"):
        shutil.copy(FIXTURES / "readers" / name, folder / name)
    return folder


def old_index(tmp_path: Path, files: Path) -> Path:
    index = tmp_path / "ix"
    with tarfile.open(OLD_INDEX) as tar:
        tar.extractall(index, filter="data")
    with sqlite3.connect(index / "archive.sqlite3") as conn:
        conn.execute("UPDATE files SET path = replace(path, ?, ?)", (RECORDED_ROOT, str(files)))
        conn.execute("UPDATE documents SET source_path = replace(source_path, ?, ?)", (RECORDED_ROOT, str(files)))
    return index


def snapshot(index: Path) -> dict[str, dict]:
    """Every document's facet values and passage count, by doc id."""
    archive = Archive(index)
    try:
        return {doc.doc_id: {**{f: getattr(doc, f) for f in FACETS}, "passages": len(doc.passages),
                             "duplicate_of": doc.duplicate_of}
                for doc in archive.store.iter_documents()}
    finally:
        archive.close()


def test_old_index_is_read_again_and_keeps_every_document(tmp_path):
    files = source_files(tmp_path / "files")
    index = old_index(tmp_path, files)
    before = snapshot(index)
    assert len(before) == 5
    summary = ingest_paths([files], index, jobs=1)
    statuses = sorted(o.status for o in summary.outcomes)
    assert statuses == ["duplicate"] + ["ingested"] * 5, "files an older pipeline read are read again"
    after = snapshot(index)
    assert set(after) == set(before), "a document was lost or added by the upgrade"
    for doc_id, old in before.items():
        for facet in FACETS:
            if old[facet]:
                assert after[doc_id][facet], f"{doc_id}: {facet} was {old[facet]!r}, now empty"
    archive = Archive(index)
    try:
        assert {r.pipeline for r in archive.store.files()} == {pipeline_version()}
        result = archive.search(SearchRequest(q="通山县"))  # the facet table of the new schema, no KeyError
        assert result.total >= 1 and result.facets
    finally:
        archive.close()
    again = ingest_paths([files], index, jobs=1)
    assert {o.status for o in again.outcomes} == {"unchanged"}, "a second run reads nothing again"


def test_reindex_command_reads_every_file_again(tmp_path):
    files = source_files(tmp_path / "files")
    index = old_index(tmp_path, files)
    ingest_paths([files], index, jobs=1)
    (files / "big5.txt").unlink()
    run = subprocess.run([sys.executable, "-m", "archive.cli", "reindex", "--index", str(index), "-q"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "big5.txt: not on disk any more" in run.stderr
    assert "ingested 4" in run.stderr and "duplicate 1" in run.stderr
    assert len(snapshot(index)) == 5
