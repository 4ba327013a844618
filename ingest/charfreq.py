"""Common Han characters (data/common_chars.txt), to rank candidate decodings."""

from __future__ import annotations

from archive.config import data_file


def _load() -> frozenset[str]:
    lines = data_file("common_chars.txt").read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line for line in lines if not line.startswith("#")))


COMMON = _load()
