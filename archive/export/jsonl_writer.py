"""JSONL: one JSON object per passage with the COLUMNS' keys, values as they are (lists stay lists)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from archive.export.info import ExportInfo
from archive.export.rows import KEYS, Row, chunked


def jsonl_chunks(rows: Iterable[Row], info: ExportInfo | None = None) -> Iterator[str]:
    yield from chunked(json.dumps({key: row.get(key) for key in KEYS}, ensure_ascii=False) + "\n" for row in rows)
