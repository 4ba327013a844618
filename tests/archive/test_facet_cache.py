"""The facet table kept on disk: reused by a new process, never trusted when stale or damaged."""

from __future__ import annotations

import shutil

import pytest

from archive import facets
from archive.search import Archive, SearchRequest


@pytest.fixture()
def archive_copy(seed_index, tmp_path):
    folder = tmp_path / "ix"
    shutil.copytree(seed_index, folder)
    (folder / facets.CACHE_FILE).unlink(missing_ok=True)
    archive = Archive(folder)
    yield archive
    archive.close()


def _fresh_table(archive: Archive) -> facets.FacetTable:
    """The table as a new process gets it: the in-memory cache emptied."""
    facets._cache.clear()
    return facets.facet_table(archive.store)


def test_saved_table_is_reused_and_equal(archive_copy, monkeypatch):
    built = _fresh_table(archive_copy)
    assert (archive_copy.store.path.parent / facets.CACHE_FILE).exists()
    monkeypatch.setattr(archive_copy.store, "facet_rows", lambda: pytest.fail("store re-read"))
    loaded = _fresh_table(archive_copy)
    assert loaded.ids == built.ids
    assert loaded.counts(~loaded.duplicate) == built.counts(~built.duplicate)
    assert loaded.browse_order.tolist() == built.browse_order.tolist()


def test_stale_table_is_rebuilt_after_a_commit(archive_copy):
    before = _fresh_table(archive_copy)
    doc_id = before.ids[0]
    with archive_copy.store.conn:
        archive_copy.store.conn.execute("UPDATE documents SET data = json_set(data, '$.year', 1999) WHERE doc_id=?",
                                        (doc_id,))
    archive_copy.store.commit()
    after = _fresh_table(archive_copy)
    assert after.rows[after.ordinal[doc_id]]["year"] == 1999
    result = archive_copy.search(SearchRequest(q="", include={"year": ["1999"]}, duplicates=True))
    assert [h["doc_id"] for h in result.hits] == [doc_id]


def test_damaged_table_file_is_ignored(archive_copy):
    built = _fresh_table(archive_copy)
    (archive_copy.store.path.parent / facets.CACHE_FILE).write_bytes(b"\x80\x05not a pickle")
    again = _fresh_table(archive_copy)
    assert again.ids == built.ids


def test_previous_table_answers_while_another_thread_builds_the_new_one(archive_copy):
    before = _fresh_table(archive_copy)
    with archive_copy.store.conn:
        archive_copy.store.conn.execute("UPDATE documents SET data = json_set(data, '$.year', 1999) WHERE doc_id=?",
                                        (before.ids[0],))
    archive_copy.store.commit()
    building = facets._building[str(archive_copy.store.path)]
    assert building.acquire(timeout=5)  # as a thread building the new generation holds it
    try:
        assert facets.facet_table(archive_copy.store) is before  # no wait
    finally:
        building.release()
    after = facets.facet_table(archive_copy.store)
    assert after is not before and after.rows[after.ordinal[before.ids[0]]]["year"] == 1999
