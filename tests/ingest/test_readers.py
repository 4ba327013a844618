"""Reader selection (content first, extension second), plain text, and the guards every file passes."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import ReaderOptions, read_path, sniff_format

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"


def _renamed(tmp_path: Path, fixture: str, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(FIXTURES / fixture, target)
    return target


@pytest.mark.parametrize(
    "fixture, name, fmt",
    [
        ("text.pdf", "report.txt", "pdf"),
        ("sample.docx", "report.doc", "docx"),
        ("sample.docx", "report.txt", "docx"),
        ("page-utf8-table.html", "page.txt", "html"),
        ("page-utf8-table.html", "page.doc", "html"),
        ("mhtml-saved-as.doc", "page.doc", "mhtml"),
        ("statute.md", "statute.md", "md"),
        ("export.jsonl", "export.jsonl", "jsonl"),
        ("export-utf8-bom.tsv", "export.tsv", "csv"),
        ("utf8.txt", "README", "txt"),
        ("gb18030.txt", "plain.doc", "txt"),
    ],
)
def test_content_decides_before_extension(tmp_path, fixture, name, fmt):
    path = _renamed(tmp_path, fixture, name)
    assert sniff_format(path, path.read_bytes()[:4096]) == fmt
    texts = read_path(path)
    assert texts[0].format == fmt
    assert "培育和践行" in texts[0].text


def test_plain_text_utf8():
    [raw] = read_path(FIXTURES / "utf8.txt")
    assert raw.format == "txt" and raw.encoding == "utf-8"
    assert raw.text.startswith("东莞市文明行为促进条例\n第一章 总 则\n第一条 为了培育")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "empty file (no text)"),
        ("whitespace.txt", "empty file (only whitespace)"),
        ("binary-junk.txt", "binary content, not text"),
        ("unknown.xyz", "unsupported file type '.xyz'; supported: .csv, .doc, .docm, .docx"),
        ("rtf-named.doc", "RTF document: not supported"),
    ],
)
def test_files_that_are_not_taken_say_why(name, reason):
    with pytest.raises(IngestError, match=reason.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_path(FIXTURES / name)


def test_size_limit_rejects_before_reading():
    with pytest.raises(
        IngestError, match=r"^file too large \(1,787 bytes, limit 1,000 bytes\); split it or raise the limit \(archive ingest --max-mb\)$"
    ):
        read_path(FIXTURES / "utf8.txt", ReaderOptions(max_bytes=1000))


def test_missing_file_is_an_ingest_error(tmp_path):
    with pytest.raises(IngestError, match="cannot read file"):
        read_path(tmp_path / "gone.txt")


def test_gzip_without_gz_extension_is_rejected(tmp_path):
    path = _renamed(tmp_path, "export.jsonl.gz", "export.jsonl")
    with pytest.raises(IngestError, match="gzip-compressed content without a .gz extension"):
        read_path(path)


def test_gzip_bomb_stops_at_the_size_limit(tmp_path):
    import gzip

    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b" " * 5_000_000))
    with pytest.raises(IngestError, match="decompressed content too large"):
        read_path(path, ReaderOptions(max_bytes=1_000_000))


def test_a_5mb_single_line_is_read_in_linear_time(tmp_path):
    path = tmp_path / "line.txt"
    path.write_bytes(("宣传思想工作取得新成效，" * 140_000).encode("utf-8"))  # 5 MB, no newline
    started = time.monotonic()
    [raw] = read_path(path)
    assert len(raw.text) == 12 * 140_000
    assert time.monotonic() - started < 5
