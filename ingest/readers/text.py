"""Plain text in any common Chinese encoding (the decoding module decides which)."""

from __future__ import annotations

from ingest.decoding import decode
from ingest.errors import IngestError
from ingest.readers import RawText, ReaderOptions


def read(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText for the whole file, with the encoding found."""
    decoded = decode(raw)
    if not decoded.text.strip():
        raise IngestError(f"no text after decoding as {decoded.label} (only whitespace)")
    return [RawText(text=decoded.text, format="txt", encoding=decoded.label)]
