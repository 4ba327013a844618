"""Readers: one module per format family; the best match for a file wins.

A reader is chosen by content (magic bytes, markup) first and extension
second. Each returns `RawText` records: most files give one, a JSONL or CSV
export gives one per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import IngestError


@dataclass
class RawText:
    """Text as a reader found it, with what the reader learned on the way."""

    text: str
    format: str
    encoding: str | None = None
    title_hint: str | None = None  # e.g. an HTML <title>: weaker than a title line
    published: str | None = None  # a page's publication date (YYYY-MM-DD) if seen
    source: str | None = None  # the site or collection
    record: str | None = None  # row number or id within a JSONL/CSV export
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReaderOptions:
    """Field mapping for JSONL/CSV exports (`--text-field`, `--title-field`, …)."""

    text_field: str = "text"
    title_field: str = "title"
    date_field: str | None = "date"
    source_field: str | None = None


SUPPORTED_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".shtml", ".xhtml"})


def sniff_format(path: Path, head: bytes) -> str:
    """Pick the format by content first, extension second."""
    lowered = head[:2048].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<body" in lowered:
        return "html"
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    if suffix in (".txt", ".text", ""):
        return "txt"
    raise IngestError(f"unsupported file type '{suffix}'; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")


def read_path(path: Path, options: ReaderOptions | None = None) -> list[RawText]:
    """Read one file into raw texts, or raise IngestError with the reason."""
    from ingest.readers import html, text

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise IngestError("empty file (no text)")
    fmt = sniff_format(path, raw)
    if fmt == "html":
        return [html.read_html(raw)]
    return [text.read_text(raw)]
