"""Gzip-compressed files (`.jsonl.gz`, `.txt.gz`, …): decompressed with a size cap, then read as the inner file."""

from __future__ import annotations

import gzip
import io
import zlib

from ingest.errors import IngestError
from ingest.readers import check_size

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20


def gunzip(raw: bytes, limit: int) -> bytes:
    """The decompressed bytes; IngestError if damaged or larger than `limit` (a gzip bomb stops early)."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                check_size(len(out), limit, "decompressed content")
    except (OSError, EOFError, zlib.error) as exc:
        raise IngestError(f"damaged or truncated gzip file ({exc}); download or compress it again") from exc
    return bytes(out)
