"""The rows of an export: one flat record per matching passage, with its permalink.

Rows are produced one at a time from `Archive.iter_passages`, so every
format can write the whole archive in bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, groupby
from typing import Any

Row = dict[str, Any]

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
KEYS = tuple(key for key, _ in COLUMNS)
HEADERS = tuple(header for _, header in COLUMNS)


def export_rows(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]], base_url: str) -> Iterator[Row]:
    """One flat row per (document, passage) pair: the COLUMNS, plus `ordinal` and `marks` for citations.

    `marks` are the [start, end) spans of the text that match the query (bold in DOCX and Markdown).
    """
    base = base_url.rstrip("/")
    for doc, passage in pairs:
        row = {key: doc.get(key) for key in KEYS}
        row.update(passage_id=passage["passage_id"], text=passage["text"], section_path=passage["section_path"],
                   ordinal=passage["ordinal"], marks=[tuple(span) for span in passage.get("spans", ())])
        row["permalink"] = f"{base}/doc/{doc['doc_id']}#{passage['passage_id']}"
        yield row


def by_document(rows: Iterable[Row]) -> Iterator[tuple[Row, Iterator[Row]]]:
    """(first row, all its rows) per document: a search yields a document's passages together."""
    for _, group in groupby(rows, key=lambda row: row["doc_id"]):
        items = iter(group)
        first = next(items)
        yield first, chain([first], items)


class CountingRows:
    """Wraps a row iterator and counts what went through; `report(count)` every `every` rows (progress)."""

    def __init__(self, rows: Iterable[Row], every: int = 0, report: Callable[[int], None] | None = None) -> None:
        self.rows = rows
        self.count = 0
        self.every, self.report = every, report

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.count += 1
            yield row
            if self.report and self.every and self.count % self.every == 0:
                self.report(self.count)


def chunked(pieces: Iterable[str], per_chunk: int = 200) -> Iterator[str]:
    """The pieces joined into fewer, larger strings (a streamed response writes each as one block)."""
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= per_chunk:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)
