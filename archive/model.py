"""The data model shared by ingest, index, search, web UI and exports.

A `Document` is one report (a file may hold several). Its `passages` are
first-class records with stable ids, section paths and offsets into the
document's normalized `text`. Facet values carry `evidence`: which line and
which rule produced them, so the UI can say why a document is from 通山县.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO

LEVELS = ("中央", "省", "市", "县", "区", "镇", "乡", "街道", "村")

# The public fields of a document hit (API, `archive search/docs --jsonl`).
HIT_FIELDS = (
    "doc_id", "title", "source_path", "level", "province", "city", "county", "town",
    "year", "date", "themes", "doctype", "organization", "anonymized", "duplicate_of", "covers",
)
# Facets counted for a result set, in display order.
FACET_FIELDS = (
    "level", "province", "city", "county", "year", "themes", "doctype",
    "organization", "anonymized",
)


@dataclass
class Evidence:
    """Why a facet has its value: the rule that fired and the text it read."""

    facet: str
    value: Any
    rule: str
    text: str = ""
    line: int | None = None
    weight: float = 1.0


@dataclass
class Passage:
    """A paragraph (or 一是/二是 clause) of a document, with its section path."""

    passage_id: str
    doc_id: str
    ordinal: int
    text: str
    section: list[str] = field(default_factory=list)
    start: int = 0  # offset of `text` in the document's normalized text
    end: int = 0
    themes: list[str] = field(default_factory=list)

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)


@dataclass
class Document:
    """One report with its facets, passages, evidence and provenance."""

    doc_id: str
    title: str
    source_path: str
    text: str
    original_text: str = ""
    level: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    town: str | None = None
    year: int | None = None
    covers: int | None = None  # the year of the work reported on (year: the one the title names)
    date: str | None = None
    themes: list[str] = field(default_factory=list)
    doctype: str | None = None
    organization: str | None = None
    anonymized: bool = False
    duplicate_of: str | None = None
    source: str | None = None
    part: int = 1
    passages: list[Passage] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    def hit_fields(self) -> dict[str, Any]:
        """The document's public fields, in the documented order."""
        return {name: getattr(self, name) for name in HIT_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        data["passages"] = [Passage(**p) for p in data.get("passages", [])]
        data["evidence"] = [Evidence(**e) for e in data.get("evidence", [])]
        return cls(**data)


CONTENT_HASH = "sha256"


def content_hash(raw: bytes) -> str:
    """The identity of a file's content (sha256 hex)."""
    return hashlib.new(CONTENT_HASH, raw).hexdigest()


def file_content_hash(handle: BinaryIO) -> str:
    """`content_hash` of an open file, read in chunks (a large file is never held whole)."""
    return hashlib.file_digest(handle, CONTENT_HASH).hexdigest()


def make_doc_id(file_hash: str, part: int) -> str:
    """Document ids follow content, so permalinks survive moving a folder."""
    return f"{file_hash[:12]}-{part}"


def make_passage_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}.p{ordinal}"
