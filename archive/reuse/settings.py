"""The reuse settings of data/reuse.toml, read once."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, fields, replace

from archive.config import data_file


@dataclass(frozen=True)
class ReuseSettings:
    min_span: int = 20
    template_docs: int = 5
    min_similarity: float = 0.8
    seed_length: int = 5
    winnow_window: int = 6
    max_gap: int = 24
    max_shift: int = 6
    max_seed_postings: int = 100
    placeholders: str = "X×x"

    def with_overrides(self, **values) -> ReuseSettings:
        """These settings with the given ones changed (None: keep)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


@functools.cache
def reuse_settings() -> ReuseSettings:
    with open(data_file("reuse.toml"), "rb") as handle:
        raw = tomllib.load(handle)
    known = {f.name for f in fields(ReuseSettings)}
    values = {k: v for k, v in raw.get("settings", {}).items() if k in known}
    values["placeholders"] = raw.get("compare", {}).get("placeholders", ReuseSettings.placeholders)
    return ReuseSettings(**values)
