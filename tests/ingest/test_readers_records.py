"""JSONL and CSV exports: one RawText per record through the field mapping; bad records listed, not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import ReaderOptions, read_path
from tests.conftest import CORPORA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"


@pytest.mark.parametrize("name", ["export.jsonl", "export.jsonl.gz"])
def test_jsonl_records_with_skips_listed_on_the_first(name):
    texts = read_path(FIXTURES / name)
    assert [t.record for t in texts] == ["dg-001", "dg-002", "6"]  # the id field, else the line number
    assert [t.published for t in texts] == ["2023-02-23", "2023-02-23", "2023-02-24"]
    assert texts[0].title_hint == "东莞市文明行为促进条例" and texts[0].format == "jsonl"
    assert texts[0].text.startswith("第一章 总 则\n第一条")
    skipped = texts[0].meta["skipped_records"]
    assert [row for row, _ in skipped] == [3, 4, 5]
    assert skipped[0][1] == "no 'text' field"
    assert skipped[1][1].startswith("not valid JSON")
    assert skipped[2][1] == "empty or non-text 'text' field"
    assert all("skipped_records" not in t.meta for t in texts[1:])


def test_jsonl_without_any_usable_record_names_the_fields_it_has():
    with pytest.raises(
        IngestError,
        match=r"no usable record among 2 in the jsonl file \(row 1: no 'text' field; "
        r"row 2: no 'text' field\)\. Fields seen: content, id; choose the text field",
    ):
        read_path(FIXTURES / "no-text.jsonl")


def test_gb18030_csv_with_a_field_mapping():
    options = ReaderOptions(text_field="正文", title_field="标题", date_field="日期", id_field="编号")
    texts = read_path(FIXTURES / "export-gb18030.csv", options)
    assert [t.record for t in texts] == ["1", "2", "3"]
    assert texts[0].encoding == "gb18030" and texts[0].format == "csv"
    assert texts[1].title_hint == "东莞市文明行为促进条例（2）" and texts[1].published == "2023-02-22"
    assert texts[0].text.startswith("第一条 为了培育和践行社会主义核心价值观，加强公民道德建设，")


def test_tab_separated_utf8_with_bom_and_source_field():
    texts = read_path(FIXTURES / "export-utf8-bom.tsv", ReaderOptions(source_field="id", date_field=None))
    assert [(t.record, t.title_hint, t.source) for t in texts] == [("t1", "标题1", "t1"), ("t2", "标题2", "t2")]
    assert texts[0].encoding == "utf-8-sig"


def test_jsonl_text_given_as_a_list_of_paragraphs(tmp_path):
    path = tmp_path / "paragraphs.jsonl"
    path.write_text('{"text": ["第一段\u2028续", "第二段"], "date": "2019-10-30"}\r\n', encoding="utf-8")
    [raw] = read_path(path)
    assert (raw.text, raw.published, raw.record) == ("第一段\u2028续\n第二段", "2019-10-30", "1")


def test_csv_field_larger_than_the_default_csv_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("id,text\n1," + "宣传" * 100_000 + "\n", encoding="utf-8")
    [raw] = read_path(path)
    assert len(raw.text) == 200_000


def test_real_corpus_export_reads_every_record():
    path = CORPORA / "civilized-behavior-regs" / "regs.jsonl.gz"
    if not path.exists():
        pytest.skip(f"corpus not found: {path}")
    texts = read_path(path)
    assert len(texts) == 484 and "skipped_records" not in texts[0].meta
    assert texts[0].record == "docs/云南省/2018_昆明市文明行为促进条例.doc"
