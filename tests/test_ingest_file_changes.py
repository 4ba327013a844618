"""A file's change or removal never takes another file's document with it (issue 11).

Two files with the same content share their documents: the second is recorded as a
duplicate of the first. Editing the first must leave the second's content in the archive,
now named as the second file's.
"""

from __future__ import annotations

from pathlib import Path

from archive.search import Archive, SearchRequest
from ingest.pipeline import ingest_paths

REPORT = ("2020年宣传思想工作总结\n一年来，我县坚持以习近平新时代中国特色社会主义思想为指导，"
          "扎实推进新时代文明实践中心建设，全年开展志愿服务活动1200余场次。\n")
EDITED = REPORT.replace("1200余场次", "1500余场次，群众满意度明显提升")


def _contents(index: Path) -> dict[str, tuple[str, str]]:
    """Each file's status and the text of its first document, as the store holds them."""
    archive = Archive(index)
    try:
        out = {}
        for record in archive.store.files():
            doc = archive.store.get(record.doc_ids[0], with_passages=False) if record.doc_ids else None
            out[Path(record.path).name] = (record.status, doc.text if doc else "", doc.source_path if doc else "")
        return out
    finally:
        archive.close()


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_editing_the_original_keeps_the_duplicates_content(tmp_path):
    files, index = tmp_path / "files", tmp_path / "ix"
    files.mkdir()
    _write(files, "a.txt", REPORT)
    _write(files, "b.txt", REPORT)
    ingest_paths([files], index, jobs=1)
    assert _contents(index)["b.txt"][0] == "duplicate"
    _write(files, "a.txt", EDITED)
    ingest_paths([files], index, jobs=1)
    after = _contents(index)
    assert "1500余场次" in after["a.txt"][1]
    status, text, source = after["b.txt"]
    assert "1200余场次" in text, "b.txt's content vanished with a.txt's old document"
    assert status == "ingested" and source.endswith("b.txt")
    archive = Archive(index)
    try:
        assert archive.search(SearchRequest(q="1200余场次")).total == 1
        assert archive.search(SearchRequest(q="1500余场次")).total == 1
    finally:
        archive.close()


def test_editing_the_original_alone_keeps_the_duplicates_content(tmp_path):
    """The second run names only the edited file: the duplicate's document stays."""
    files, index = tmp_path / "files", tmp_path / "ix"
    files.mkdir()
    a = _write(files, "a.txt", REPORT)
    _write(files, "b.txt", REPORT)
    ingest_paths([files], index, jobs=1)
    _write(files, "a.txt", EDITED)
    ingest_paths([a], index, jobs=1)
    assert "1200余场次" in _contents(index)["b.txt"][1]
    ingest_paths([files], index, jobs=1)  # and a full run later changes nothing more
    assert "1200余场次" in _contents(index)["b.txt"][1]


def test_three_copies_and_a_failing_original(tmp_path):
    """The original turns unreadable, two copies remain: one adopts the content, one stays its copy."""
    files, index = tmp_path / "files", tmp_path / "ix"
    files.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        _write(files, name, REPORT)
    ingest_paths([files], index, jobs=1)
    (files / "a.txt").write_bytes(b"")  # empty: rejected
    ingest_paths([files], index, jobs=1)
    after = _contents(index)
    assert after["a.txt"][0] == "rejected"
    assert "1200余场次" in after["b.txt"][1] and "1200余场次" in after["c.txt"][1]
    assert {after["b.txt"][0], after["c.txt"][0]} == {"ingested", "duplicate"}


def test_a_pruned_originals_duplicate_takes_the_content_over(tmp_path):
    files, index = tmp_path / "files", tmp_path / "ix"
    files.mkdir()
    _write(files, "a.txt", REPORT)
    _write(files, "b.txt", REPORT)
    ingest_paths([files], index, jobs=1)
    (files / "a.txt").unlink()
    ingest_paths([files], index, jobs=1, prune=True)
    status, text, source = _contents(index)["b.txt"]
    assert "1200余场次" in text and status == "ingested" and source.endswith("b.txt")
