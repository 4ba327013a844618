"""CSV: UTF-8 with a BOM (Excel reads the encoding from it), one row per passage, formulas neutralized."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from archive.export.cells import safe_cell
from archive.export.info import ExportInfo
from archive.export.rows import HEADERS, KEYS, Row, chunked


def csv_chunks(rows: Iterable[Row], info: ExportInfo | None = None) -> Iterator[str]:
    yield from chunked(_lines(rows))


def _lines(rows: Iterable[Row]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield "\ufeff" + line(HEADERS)
    for row in rows:
        yield line(safe_cell(row.get(key)) for key in KEYS)
