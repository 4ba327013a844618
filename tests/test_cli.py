"""The `archive` command, end to end on real files."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

from archive.cli import main
from archive.model import HIT_FIELDS
from tests.conftest import SEEDS


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_ingest_is_idempotent(runner, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEEDS / "004_edecab7bdecca6f6.txt", files / "a.txt")
    index = tmp_path / "index"
    first = run(runner, "ingest", files, "--index", index)
    assert first.exit_code == 0, first.output
    second = run(runner, "ingest", files, "--index", index, "--report", tmp_path / "r.jsonl")
    assert second.exit_code == 0
    report = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in report] == ["unchanged"]
    docs = run(runner, "docs", "--jsonl", "--index", index)
    assert len(docs.output.splitlines()) == 1


def test_ingest_same_content_twice_keeps_one_document(runner, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEEDS / "001_eaa05965459b041d.txt", files / "one.txt")
    shutil.copy(SEEDS / "001_eaa05965459b041d.txt", files / "copy of one.txt")
    result = run(runner, "ingest", files, "--index", tmp_path / "ix", "-q")
    assert result.exit_code == 0
    statuses = sorted(json.loads(line)["status"] for line in (tmp_path / "ix" / "ingest-report.jsonl").read_text().splitlines())
    assert statuses == ["duplicate", "ingested"]
    assert len(run(runner, "docs", "--jsonl", "--index", tmp_path / "ix").output.splitlines()) == 1


def test_ingest_reports_rejected_files_and_exits_1(runner, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEEDS / "000_4d5dbc1edda40789.txt", files / "good.txt")
    (files / "empty.txt").write_bytes(b"")
    (files / "junk.txt").write_bytes(bytes(range(256)) * 10)
    result = run(runner, "ingest", files, tmp_path / "missing-folder", "--index", tmp_path / "ix")
    assert result.exit_code == 1
    report = {json.loads(line)["path"].rsplit("/", 1)[-1]: json.loads(line)
              for line in (tmp_path / "ix" / "ingest-report.jsonl").read_text(encoding="utf-8").splitlines()}
    assert report["good.txt"]["status"] == "ingested"
    assert report["empty.txt"]["status"] == "rejected" and "empty" in report["empty.txt"]["reason"]
    assert report["junk.txt"]["status"] == "rejected" and "binary" in report["junk.txt"]["reason"]
    assert report["missing-folder"]["status"] == "rejected" and "no such file" in report["missing-folder"]["reason"]
    rejected = run(runner, "files", "--status", "rejected", "--index", tmp_path / "ix")
    assert "junk.txt" in rejected.output


def test_max_mb_sets_the_size_limit_the_rejection_names(runner, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    text = (SEEDS / "000_4d5dbc1edda40789.txt").read_text(encoding="utf-8")
    (files / "big.txt").write_text(text * (2 * 1024 * 1024 // len(text.encode("utf-8")) + 1), encoding="utf-8")
    small = run(runner, "ingest", files, "--index", tmp_path / "small", "--max-mb", 1, "-q")
    assert small.exit_code == 1
    record = json.loads((tmp_path / "small" / "ingest-report.jsonl").read_text(encoding="utf-8"))
    assert record["status"] == "rejected" and "limit 1.0 MB" in record["reason"] and "--max-mb" in record["reason"]
    assert run(runner, "ingest", files, "--index", tmp_path / "large", "--max-mb", 3, "-q").exit_code == 0


def test_ingest_into_a_locked_index_says_so(runner, tmp_path, monkeypatch):
    from archive import textindex, writer

    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEEDS / "004_edecab7bdecca6f6.txt", files / "a.txt")
    index = tmp_path / "ix"
    assert run(runner, "ingest", files, "--index", index, "-q").exit_code == 0
    shutil.copy(SEEDS / "000_4d5dbc1edda40789.txt", files / "b.txt")
    monkeypatch.setattr(textindex.TextIndex, "writer", lambda self: self.ix.writer(timeout=0.5))
    monkeypatch.setattr(writer, "LOCK_SECONDS", 0.5)
    lock = textindex.TextIndex(index).ix.lock("WRITELOCK")  # another writer, as far as the ingest can tell
    assert lock.acquire()
    try:
        result = runner.invoke(main, ["ingest", str(files), "--index", str(index), "-q"])
    finally:
        lock.release()
    assert result.exit_code == 1 and "wait for that ingest to finish" in result.output, result.output
    assert "Traceback" not in result.output


def test_search_jsonl_has_documented_fields(runner, seed_index):
    result = run(runner, "search", "新时代文明实践", "--jsonl", "--index", seed_index)
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert hits
    for hit in hits:
        assert set(HIT_FIELDS) <= set(hit)
        assert hit["passages"] and all({"passage_id", "text", "highlighted"} <= set(p) for p in hit["passages"])
        assert all("新时代文明实践" in p["text"] or "<mark>" in p["highlighted"] for p in hit["passages"])


def test_search_filters_and_text_output(runner, seed_index):
    everything = run(runner, "search", "宣传", "--jsonl", "--limit", "100", "--index", seed_index)
    county = run(runner, "search", "宣传", "--level", "县", "--jsonl", "--limit", "100", "--index", seed_index)
    all_hits = [json.loads(x) for x in everything.output.splitlines()]
    county_hits = [json.loads(x) for x in county.output.splitlines()]
    assert 0 < len(county_hits) < len(all_hits)
    assert all(h["level"] == "县" for h in county_hits)
    excluded = run(runner, "search", "宣传", "--exclude", "level=县", "--jsonl", "--limit", "100", "--index", seed_index)
    assert all(json.loads(x)["level"] != "县" for x in excluded.output.splitlines())
    text = run(runner, "search", "通山", "--index", seed_index)
    assert "篇文档" in text.output and "【通山】" in text.output


def test_search_text_output_reads_three_passages_a_hit_and_counts_the_rest(runner, seed_index, monkeypatch):
    from archive.docstore import DocStore

    asked: list[int] = []
    real = DocStore.passages

    def counting(self, doc_id, ordinals=None):
        found = real(self, doc_id, ordinals)
        asked.append(len(found))
        return found

    monkeypatch.setattr(DocStore, "passages", counting)
    text = run(runner, "search", "工作", "--limit", "3", "--index", seed_index).output
    assert asked and max(asked) <= 3  # not every matching passage of a long report
    assert re.search(r"… 另有 \d+ 个段落 / \d+ more passages", text)
    full = [json.loads(x) for x in run(runner, "search", "工作", "--jsonl", "--index", seed_index).output.splitlines()]
    assert any(len(h["passages"]) > 3 for h in full)  # --jsonl keeps them all, as documented


def test_search_usage_errors_exit_2_with_message(runner, seed_index):
    result = runner.invoke(main, ["search", '"未闭合', "--index", str(seed_index)])
    assert result.exit_code == 2
    assert "unclosed quote" in result.output
    result = runner.invoke(main, ["search", "x", "--year", "二〇二〇", "--index", str(seed_index)])
    assert result.exit_code == 2 and "year" in result.output
    result = runner.invoke(main, ["search", "x", "--index", str(seed_index.parent / "nowhere")])
    assert result.exit_code == 1 and "archive ingest" in result.output


def test_docs_jsonl_with_text(runner, seed_index):
    result = run(runner, "docs", "--text", "--jsonl", "--index", seed_index)
    docs = [json.loads(line) for line in result.output.splitlines()]
    assert len(docs) >= 5
    assert all(set(HIT_FIELDS) | {"text"} <= set(d) for d in docs)
    assert any("通山县" in d["text"] for d in docs)


def test_export_csv_and_jsonl_match_search(runner, seed_index, tmp_path):
    search = run(runner, "search", "疫情防控", "--jsonl", "--limit", "1000", "--index", seed_index)
    hits = [json.loads(x) for x in search.output.splitlines()]
    expected = sum(h["passage_count"] for h in hits)
    assert expected > 0
    out_csv = tmp_path / "out.csv"
    result = run(runner, "export", "疫情防控", "--format", "csv", "-o", out_csv, "--index", seed_index)
    assert result.exit_code == 0
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == expected
    assert all("疫情防控" in r["段落文本"] for r in rows)
    assert all(r["链接"].startswith("http://127.0.0.1:5000/doc/") for r in rows)
    out_jsonl = tmp_path / "out.jsonl"
    run(runner, "export", "疫情防控", "--format", "jsonl", "-o", out_jsonl, "--index", seed_index)
    records = [json.loads(x) for x in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["passage_id"] for r in records] == [r["段落编号"] for r in rows]
    passage_ids = {p["passage_id"] for h in hits for p in h["passages"]}
    assert passage_ids <= {r["passage_id"] for r in records}


def test_changed_file_replaces_its_documents_and_prune_removes_vanished(runner, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    text = (SEEDS / "004_edecab7bdecca6f6.txt").read_text(encoding="utf-8")
    (files / "report.txt").write_text(text, encoding="utf-8")
    shutil.copy(SEEDS / "001_eaa05965459b041d.txt", files / "other.txt")
    index = tmp_path / "ix"
    assert run(runner, "ingest", files, "--index", index, "-q").exit_code == 0
    before = {json.loads(x)["doc_id"] for x in run(runner, "docs", "--jsonl", "--index", index).output.splitlines()}

    (files / "report.txt").write_text(text.replace("通山县", "崇阳县"), encoding="utf-8")
    assert run(runner, "ingest", files, "--index", index, "-q").exit_code == 0
    docs = [json.loads(x) for x in run(runner, "docs", "--text", "--jsonl", "--index", index).output.splitlines()]
    assert len(docs) == 2
    assert {d["doc_id"] for d in docs} != before
    assert not any("通山县" in d["text"] for d in docs)
    assert run(runner, "search", "通山县", "--jsonl", "--index", index).output == ""

    (files / "other.txt").unlink()
    result = run(runner, "ingest", files, "--index", index, "--prune", "-q")
    assert result.exit_code == 0
    report = [json.loads(x) for x in (index / "ingest-report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in report if r["path"].endswith("other.txt")] == ["removed"]
    assert len(run(runner, "docs", "--jsonl", "--index", index).output.splitlines()) == 1


def test_parallel_ingest_matches_serial(tmp_path, monkeypatch):
    from ingest import pipeline
    from ingest.pipeline import ingest_paths
    from tests.conftest import SAMPLE

    monkeypatch.setattr(pipeline._Runner, "INLINE_SECONDS", -1.0)  # workers from the first file

    serial = ingest_paths([SAMPLE / "地方性法规" / "北京地方法规"], tmp_path / "one", jobs=1)
    parallel = ingest_paths([SAMPLE / "地方性法规" / "北京地方法规"], tmp_path / "two", jobs=2)
    assert [(o.path, o.status, o.documents) for o in serial.outcomes] == \
           [(o.path, o.status, o.documents) for o in parallel.outcomes]


def test_copies_later_in_the_run_are_duplicates_not_reprocessed(tmp_path):
    """Copies that come after their original has been processed (a copied folder) are duplicates."""
    from ingest.pipeline import ingest_paths
    from tests.conftest import SAMPLE

    files = tmp_path / "files"
    shutil.copytree(SAMPLE / "地方性法规" / "北京地方法规", files / "a")
    shutil.copytree(SAMPLE / "地方性法规" / "北京地方法规", files / "b")
    shutil.copytree(SAMPLE / "地方性法规" / "北京地方法规", files / "c")
    summary = ingest_paths([files], tmp_path / "ix", jobs=1)
    assert summary.count("ingested") == 5
    assert summary.count("duplicate") == 10


def test_a_failing_index_write_stops_the_run_with_its_error(tmp_path, monkeypatch):
    """The background writer's error is raised in the ingest, and no file is marked done."""
    import pytest

    from archive.docstore import DocStore
    from archive.gramindex import GramWriter
    from ingest.pipeline import ingest_paths

    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEEDS / "004_edecab7bdecca6f6.txt", files / "a.txt")

    def broken_commit(self):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(GramWriter, "commit", broken_commit)
    with pytest.raises(OSError, match="disk full"):
        ingest_paths([files], tmp_path / "ix", jobs=1)
    store = DocStore(tmp_path / "ix")
    try:
        assert store.files() == [] and store.count() == 0
    finally:
        store.close()
    monkeypatch.undo()  # the disk has room again: the next run completes (the lock was released)
    assert ingest_paths([files], tmp_path / "ix", jobs=1).count("ingested") == 1
