"""A Whoosh writer killed while it writes its table of contents leaves files Whoosh's own
cleaner never matches (the half-written _MAIN_<n>.toc.<time> and its MAIN.tmp folder);
collect_garbage removes them and keeps everything the committed state names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archive.gramindex import GramIndex
from archive.textindex import TextIndex
from archive.writer import collect_garbage

ROOT = Path(__file__).resolve().parents[2]

KILLED_IN_COMMIT = """
import os, sys
from pathlib import Path
from archive.textindex import TextIndex
index = TextIndex(Path(sys.argv[1]))
writer = index.writer()
writer.update_document(doc_id="killed", words="宣传 工作", title="汇报")
index.ix.storage.rename_file = lambda *args, **kwargs: os._exit(9)  # SIGKILL between TOC write and rename
writer.commit()
"""


def add(folder: Path, doc_id: str) -> None:
    writer = TextIndex(folder).writer()
    writer.update_document(doc_id=doc_id, words="意识形态 工作", title="总结")
    writer.commit()


def test_collect_garbage_removes_what_a_writer_killed_in_its_commit_left(tmp_path):
    add(tmp_path, "kept")
    killed = subprocess.run([sys.executable, "-c", KILLED_IN_COMMIT, str(tmp_path)], cwd=ROOT)
    assert killed.returncode == 9
    folder = tmp_path / TextIndex.FOLDER
    names = {p.name for p in folder.iterdir()}
    assert any(".toc." in n for n in names) and "MAIN.tmp" in names  # what the kill left

    index = TextIndex(tmp_path)
    collect_garbage(index, GramIndex(tmp_path))

    toc = index.ix._read_toc()
    segments = {s.segment_id() for s in toc.segments}
    left = {p.name for p in folder.iterdir()} - {f"_MAIN_{toc.generation}.toc", "MAIN_WRITELOCK"}
    assert left and all(n.split(".")[0] in segments for n in left), left
    with index.searcher() as searcher:
        assert [f["doc_id"] for f in searcher.all_stored_fields()] == ["kept"]
