"""Exports: every matching passage of a result set, with its citation, as CSV, JSONL, XLSX, DOCX or Markdown.

Rows come one at a time from `Archive.iter_passages` (rows.py); each format
is one module; formats.py names them. Every format runs in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from archive.export.cells import safe_cell
from archive.export.formats import FORMATS, Format
from archive.export.info import ExportInfo
from archive.export.rows import COLUMNS, CountingRows, Row, export_rows

if TYPE_CHECKING:
    from archive.search import Archive, SearchRequest

__all__ = ["COLUMNS", "FORMATS", "CountingRows", "ExportInfo", "Format", "Row", "export_rows", "passage_rows",
           "safe_cell"]


def passage_rows(archive: Archive, request: SearchRequest, base_url: str) -> Iterator[Row]:
    """The export rows of a search request: every matching passage, in result order."""
    return export_rows(archive.iter_passages(request), base_url)
