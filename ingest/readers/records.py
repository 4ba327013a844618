"""Exports of scraped corpora (JSONL, CSV): one RawText per record, through a field mapping.

`ReaderOptions` names the fields: text (required), title, date, source and
id. A record that cannot be used (bad JSON, no text field, empty text) is
skipped, and the skips are listed on the first RawText as
`meta["skipped_records"] = [(row, reason), …]`; only a file with no usable
record at all is rejected. Rows are counted from 1: the line number in a
JSONL file, the data row (header not counted) in a CSV file. CSV files are
decoded like plain text (UTF-8 with or without BOM, GB18030, …) and their
dialect (comma, tab, semicolon) is sniffed.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ingest.decoding import decode
from ingest.errors import IngestError
from ingest.readers import RawText, ReaderOptions, check_length
from ingest.readers.dates import parse_date

MAX_REASONS_SHOWN = 3
_Row = tuple[int, Mapping[str, Any] | None, str | None]  # (row number, record or None, problem or None)


def read_jsonl(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText per JSON object line."""
    decoded = decode(raw)
    return _collect(_json_lines(decoded.text), options or ReaderOptions(), "jsonl", decoded.label)


def read_csv(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText per data row of a CSV (or TSV) file with a header row."""
    decoded = decode(raw)
    text = decoded.text.lstrip("\ufeff")
    try:
        sample = text[:8192]
        dialect = csv.Sniffer().sniff(sample[: sample.rfind("\n")] if "\n" in sample else sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in text[:4096] and "," not in text[:4096] else csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, 2**31 - 1)))  # one field may be a whole report
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    return _collect(_csv_rows(reader), options or ReaderOptions(), "csv", decoded.label)


def _json_lines(text: str) -> Iterator[_Row]:
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: JSON strings may hold U+2028
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            yield number, None, f"not valid JSON ({exc.args[0] if exc.args else exc})"
            continue
        if isinstance(value, dict):
            yield number, value, None
        else:
            yield number, None, f"a JSON {type(value).__name__}, not an object"


def _csv_rows(reader: csv.DictReader) -> Iterator[_Row]:
    number = 0
    try:
        for number, row in enumerate(reader, start=1):  # noqa: B007 - number is read after a csv.Error
            yield number, row, None
    except csv.Error as exc:
        yield number + 1, None, f"CSV error ({exc}); the rest of the file was not read"


def _field(record: Mapping[str, Any], name: str | None) -> str | None:
    if not name:
        return None
    value = record.get(name)
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def _collect(rows: Iterable[_Row], options: ReaderOptions, fmt: str, encoding: str) -> list[RawText]:
    texts: list[RawText] = []
    skipped: list[tuple[int, str]] = []
    fields_seen: set[str] = set()
    for number, record, problem in rows:
        if record is None:
            skipped.append((number, problem or "unreadable record"))
            continue
        fields_seen.update(str(key) for key in record if key is not None)
        text = record.get(options.text_field)
        if isinstance(text, list) and all(isinstance(part, str) for part in text):
            text = "\n".join(text)  # a list of paragraphs
        if options.text_field not in record:
            skipped.append((number, f"no '{options.text_field}' field"))
            continue
        if not isinstance(text, str) or not text.strip():
            skipped.append((number, f"empty or non-text '{options.text_field}' field"))
            continue
        try:
            check_length(len(text), options.max_chars, "record")
        except IngestError as exc:
            skipped.append((number, str(exc)))
            continue
        texts.append(
            RawText(
                text=text,
                format=fmt,
                encoding=encoding,
                title_hint=_field(record, options.title_field),
                published=parse_date(record.get(options.date_field)) if options.date_field else None,
                source=_field(record, options.source_field),
                record=_field(record, options.id_field) or str(number),
            )
        )
    if not texts:
        shown = "; ".join(f"row {number}: {reason}" for number, reason in skipped[:MAX_REASONS_SHOWN])
        hint = (
            f" Fields seen: {', '.join(sorted(fields_seen)[:12])}; choose the text field (--text-field)."
            if fields_seen
            else ""
        )
        raise IngestError(
            f"no usable record among {len(skipped)} in the {fmt} file ({shown}).{hint}"
            if skipped
            else f"no records in the {fmt} file"
        )
    if skipped:
        texts[0].meta["skipped_records"] = skipped
    return texts
