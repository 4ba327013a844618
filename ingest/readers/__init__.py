"""Readers: one module per format family; the best match for a file wins.

A reader is chosen by content first (magic bytes: PDF, OLE2 Word, zip, gzip;
then markup: an HTML or MHTML page saved as .txt or .doc; a .doc that is
plain text is read as text), extension second. Each reader turns the
file's bytes into `RawText` records: most files give one, a JSONL or CSV
export gives one per record. Anything a reader cannot take is an
`IngestError` whose message says what is wrong and what to do.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.decoding import looks_binary
from ingest.errors import IngestError

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# One document's text. The longest real report or statute seen is 231,000 characters; analysing
# and indexing one document costs about 10 s and 200 MB per million characters (2.9 M: 30 s,
# 624 MB peak), so this bounds what any one file can take (a JSONL/CSV export: each record).
DEFAULT_MAX_CHARS = 3_000_000
RECORD_FORMATS = frozenset({"jsonl", "csv"})


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
    """Field mapping for JSONL/CSV exports (`--text-field`, `--title-field`, …) and reading limits."""

    text_field: str = "text"
    title_field: str | None = "title"
    date_field: str | None = "date"
    source_field: str | None = None
    id_field: str | None = "id"  # a record's id, else its row number, goes into RawText.record
    max_bytes: int = DEFAULT_MAX_BYTES  # larger files (and larger decompressed content) are rejected
    max_chars: int = DEFAULT_MAX_CHARS  # a longer document is rejected (an export's record: skipped)


@dataclass(frozen=True)
class Reader:
    """A format family: its extensions and the module whose `read(raw, options)` reads it."""

    format: str
    extensions: tuple[str, ...]
    module: str
    function: str = "read"


READERS = (
    Reader("txt", (".txt", ".text", ""), "ingest.readers.text"),
    Reader("html", (".html", ".htm", ".shtml", ".xhtml"), "ingest.readers.html"),
    Reader("mhtml", (".mht", ".mhtml"), "ingest.readers.html", "read_mhtml"),
    Reader("md", (".md", ".markdown"), "ingest.readers.markdown"),
    Reader("docx", (".docx", ".docm"), "ingest.readers.wordml"),
    Reader("doc", (".doc",), "ingest.readers.msword"),
    Reader("pdf", (".pdf",), "ingest.readers.pdf"),
    Reader("jsonl", (".jsonl", ".ndjson"), "ingest.readers.records", "read_jsonl"),
    Reader("csv", (".csv", ".tsv"), "ingest.readers.records", "read_csv"),
)
_BY_FORMAT = {reader.format: reader for reader in READERS}
SUPPORTED_SUFFIXES = frozenset(ext for reader in READERS for ext in reader.extensions if ext) | {".gz"}

# Magic bytes decide whatever the extension says.
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),  # OLE2 compound file: Word 97-2003 (or Excel, PowerPoint…)
    (b"PK\x03\x04", "docx"),  # a zip: the docx reader says so if it is not a Word document
    (b"PK\x05\x06", "docx"),  # an empty zip
)
# Extensions under which a file may really be a saved web page.
_MARKUP_SUFFIXES = frozenset({".txt", ".text", "", ".doc", ".htm", ".html", ".xls"})


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _sniff_markup(head: bytes) -> str | None:
    lowered = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"mime-version:") or (b"content-type: multipart/related" in lowered[:2048]):
        return "mhtml"
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<body", b"<head>", b"<meta ")):
        return "html"
    return None


def sniff_format(path: Path, head: bytes) -> str:
    """Pick the format by content first, extension second; IngestError if unsupported."""
    for magic, fmt in _MAGIC:
        if head.startswith(magic) or (fmt == "pdf" and magic in head[:1024]):
            return fmt
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise IngestError("RTF document: not supported; open it in Word or WPS and save it as .docx")
    suffix = _suffix(path)
    if suffix in _MARKUP_SUFFIXES:
        markup = _sniff_markup(head)
        if markup:
            return markup
    if suffix == ".doc" and not looks_binary(head):
        return "txt"  # a "Word file" that is plain text, as some sites serve
    for reader in READERS:
        if suffix in reader.extensions:
            return reader.format
    raise IngestError(f"unsupported file type '{suffix}'; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")


def read_bytes(path: Path, raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """Read a file's bytes (named `path`, for its extension) into raw texts, or raise IngestError."""
    from ingest.readers.compressed import GZIP_MAGIC, gunzip

    options = options or ReaderOptions()
    if raw.startswith(GZIP_MAGIC):
        if _suffix(path) != ".gz":
            raise IngestError("gzip-compressed content without a .gz extension; decompress it or name it .gz")
        return read_bytes(path.with_suffix(""), gunzip(raw, options.max_bytes), options)
    if not raw or raw.isspace():
        raise IngestError("empty file (no text)" if not raw else "empty file (only whitespace)")
    fmt = sniff_format(path, raw[:4096])
    reader = _BY_FORMAT[fmt]
    texts = getattr(importlib.import_module(reader.module), reader.function)(raw, options)
    if not any(text.text.strip() for text in texts):
        raise IngestError(f"no text found in the {fmt} file")
    if fmt not in RECORD_FORMATS:  # records check their own length, one by one
        for text in texts:
            check_length(len(text.text), options.max_chars)
    return texts


def read_path(path: Path, options: ReaderOptions | None = None, raw: bytes | None = None) -> list[RawText]:
    """Read one file into raw texts, or raise IngestError with the reason; `raw` saves reading it again."""
    options = options or ReaderOptions()
    if raw is None:
        try:
            check_size(path.stat().st_size, options.max_bytes)
            raw = path.read_bytes()
        except OSError as exc:
            raise IngestError(f"cannot read file: {exc.strerror or exc}; check the path and its permissions") from exc
    check_size(len(raw), options.max_bytes)
    return read_bytes(path, raw, options)


def check_size(size: int, limit: int, what: str = "file") -> None:
    """Reject content above the size limit (files, and what a compressed file or zip member holds)."""
    if size > limit:
        raise IngestError(
            f"{what} too large ({_amount(size)}, limit {_amount(limit)}); split it or raise the limit (archive ingest --max-mb)"
        )


def check_length(chars: int, limit: int, what: str = "text") -> None:
    """Reject a document whose text is longer than the limit (it would take minutes and gigabytes)."""
    if chars > limit:
        raise IngestError(
            f"{what} too long ({chars:,} characters, limit {limit:,} per document); split it into smaller files"
        )


def _amount(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"
