"""Facet values of every document, held in memory, and counting them.

The table is loaded from the document store once per store generation
(a counter bumped by every commit), so counts over a whole result set cost
a dictionary lookup per document, not a database query.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from archive.docstore import DocStore
from archive.model import FACET_FIELDS

TABLE_FIELDS = (
    "doc_id", "title", "source_path", "level", "province", "city", "county", "town", "year",
    "date", "themes", "doctype", "organization", "anonymized", "duplicate_of", "source",
)

_cache: dict[str, tuple[int, dict[str, dict[str, Any]]]] = {}
_lock = threading.Lock()


def facet_table(store: DocStore) -> dict[str, dict[str, Any]]:
    """doc_id → its public fields, cached per store file and generation."""
    key = str(store.path)
    generation = store.generation()
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == generation:
            return cached[1]
    table = {doc_id: {f: data.get(f) for f in TABLE_FIELDS} for doc_id, data in store.facet_rows()}
    with _lock:
        _cache[key] = (generation, table)
    return table


def facet_value_list(field: str, values: dict[str, Any]) -> list[Any]:
    """The values one document contributes to a facet (themes: several)."""
    value = values.get(field)
    if field == "themes":
        return list(value or [])
    if field == "anonymized":
        return ["true" if value else "false"]
    return [] if value in (None, "") else [value]


def count_facets(rows: Iterable[dict[str, Any]], fields: tuple[str, ...] = FACET_FIELDS) -> dict[str, list[list[Any]]]:
    """[value, count] lists per facet, most frequent first (years: newest first)."""
    counters = {f: Counter() for f in fields}
    for values in rows:
        for f in fields:
            counters[f].update(facet_value_list(f, values))
    out = {}
    for f, counter in counters.items():
        if f == "year":
            items = sorted(counter.items(), key=lambda kv: -int(kv[0]))
        else:
            items = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
        out[f] = [[value, count] for value, count in items]
    return out
