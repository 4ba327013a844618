"""Plain text in any common Chinese encoding."""

from __future__ import annotations

from ingest.decoding import decode_bytes
from ingest.errors import IngestError
from ingest.readers import RawText


def read_text(raw: bytes) -> RawText:
    text, encoding = decode_bytes(raw)
    if not text.strip():
        raise IngestError(f"no text after decoding as {encoding} (only whitespace)")
    return RawText(text=text, format="txt", encoding=encoding)
