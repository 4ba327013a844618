"""The version of what the ingest derives from a file: a fingerprint of its code and rules.

A file read by an older pipeline is read again by the next ingest even though its bytes
did not change (better extraction reaches an existing index, not only a fresh one). The
fingerprint covers the ingest's own modules and the data files its rules live in, so
nobody has to remember to bump a number when a rule changes.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from archive.config import DATA_DIR

_INGEST_DIR = Path(__file__).resolve().parent
_ARCHIVE_DIR = _INGEST_DIR.parent / "archive"
_RULE_SUFFIXES = (".txt", ".toml", ".csv", ".json")
# What the documents written depend on besides ingest/: the document model, passages and folding.
_ARCHIVE_MODULES = ("model.py", "fold.py")


@functools.cache
def pipeline_version() -> str:
    """A short hash of ingest/**/*.py, the archive modules documents depend on and data/ rule files."""
    digest = hashlib.sha256()
    sources = [(_INGEST_DIR, sorted(_INGEST_DIR.rglob("*.py"))),
               (_ARCHIVE_DIR, [_ARCHIVE_DIR / name for name in _ARCHIVE_MODULES]),
               (DATA_DIR, sorted(p for p in DATA_DIR.rglob("*") if p.suffix in _RULE_SUFFIXES and p.is_file()
                                 and not {"index", "sample"} & set(p.relative_to(DATA_DIR).parts)))]
    for root, files in sources:
        for path in files:
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
