"""Bytes to text: strict UTF-8 first, then BOMs, then GB18030 or Big5.

The encoding found is recorded with the document. A file that decodes
under no candidate, or that looks binary, is rejected with a reason.
"""

from __future__ import annotations

import codecs

from ingest.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _han_share(text: str) -> float:
    if not text:
        return 0.0
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return han / len(text)


def _common_share(text: str) -> float:
    """Share of the 3,500 most common simplified or traditional characters.

    Big5 bytes decoded as GB18030 (and the reverse) give rare characters, so
    the decoding whose characters are common is the right one.
    """
    from ingest.charfreq import COMMON

    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    return sum(1 for c in han if c in COMMON) / len(han)


def looks_binary(raw: bytes) -> bool:
    """NUL bytes or many control bytes outside a UTF-16/32 text mean binary."""
    sample = raw[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return b"\x00" in sample or controls / len(sample) > 0.05


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode raw bytes; returns (text, encoding name)."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise IngestError(f"starts with a {name} byte-order mark but does not decode as {name}: {exc}") from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if looks_binary(raw):
        raise IngestError("binary content, not text (NUL or control bytes); convert it to a text format first")
    candidates = []
    for name in ([declared] if declared else []) + ["gb18030", "big5"]:
        try:
            text = raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        candidates.append((_common_share(text), _han_share(text), name, text))
    if not candidates:
        raise IngestError("does not decode as UTF-8, UTF-16, GB18030 or Big5; re-save it as UTF-8")
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    _, han, name, text = candidates[0]
    if han < 0.05:
        raise IngestError(f"decodes as {name} but holds almost no Chinese text; is it binary or in another encoding?")
    return text, name
