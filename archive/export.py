"""Export writers: every matching passage of a result set, streamed, with citations.

Rows are produced one at a time from `Archive.iter_passages`, so an export
of the whole archive runs in bounded memory. CSV is UTF-8 with a BOM so
Excel opens it without mojibake; cells that a spreadsheet would run as a
formula are neutralized.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

# (key in JSONL, column header in CSV/XLSX), in order.
COLUMNS = (
    ("passage_id", "段落编号"),
    ("text", "段落文本"),
    ("section_path", "章节路径"),
    ("title", "文档标题"),
    ("organization", "单位"),
    ("level", "层级"),
    ("province", "省"),
    ("city", "市"),
    ("county", "县区"),
    ("town", "乡镇街道"),
    ("year", "年份"),
    ("date", "日期"),
    ("themes", "主题"),
    ("doctype", "文种"),
    ("source_path", "来源文件"),
    ("doc_id", "文档编号"),
    ("permalink", "链接"),
)
FORMATS = ("csv", "jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_rows(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]], base_url: str) -> Iterator[dict[str, Any]]:
    """One flat row per (document, passage) pair, with a permalink."""
    base = base_url.rstrip("/")
    for doc, passage in pairs:
        row = {key: doc.get(key) for key, _ in COLUMNS}
        row.update(passage_id=passage["passage_id"], text=passage["text"], section_path=passage["section_path"])
        row["permalink"] = f"{base}/doc/{doc['doc_id']}#{passage['passage_id']}"
        yield row


def safe_cell(value: Any) -> str:
    """A cell value as text; formulas (=, +, -, @ …) are made inert with a quote."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _Buffer(io.StringIO):
    def take(self) -> str:
        value = self.getvalue()
        self.seek(0)
        self.truncate()
        return value


def csv_chunks(rows: Iterable[dict[str, Any]], batch: int = 200) -> Iterator[str]:
    """CSV text, a UTF-8 BOM first (Excel reads the encoding from it)."""
    buffer = _Buffer()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([header for _, header in COLUMNS])
    for n, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(row.get(key)) for key, _ in COLUMNS])
        if n % batch == 0:
            yield buffer.take()
    yield buffer.take()


def jsonl_chunks(rows: Iterable[dict[str, Any]], batch: int = 200) -> Iterator[str]:
    lines = []
    for row in rows:
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


class CountingRows:
    """Wraps a row iterator and counts what went through (for progress and totals)."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            self.count += 1
            yield row


CHUNKERS = {"csv": csv_chunks, "jsonl": jsonl_chunks}
MIMETYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
