"""Reuse as arrays over the facet table: template passages to hide, share of original text to sort by.

Built once per (facet table, reuse run) and shared by every request, so
`template=hide` and `sort=original` cost numpy work per query, not SQL.
"""

from __future__ import annotations

import threading

import numpy as np

from archive.facets import FacetTable
from archive.reuse.query import original_shares, reuse_generation, template_passages

# folder → (facet table, reuse generation, arrays): the table itself, not its id(), which a later table may reuse
_cache: dict[str, tuple[FacetTable, int, tuple[np.ndarray, np.ndarray]]] = {}
_lock = threading.Lock()


def reuse_arrays(conn, table: FacetTable, folder) -> tuple[np.ndarray, np.ndarray]:
    """(sorted keys ordinal << 32 | passage ordinal of template passages, original share per ordinal;
    NaN where a document was never compared)."""
    generation = reuse_generation(conn)
    with _lock:
        cached = _cache.get(str(folder))
    if cached is not None and cached[0] is table and cached[1] == generation:
        return cached[2]
    keys = [(table.ordinal[d] << 32) | o for d, o in template_passages(conn) if d in table.ordinal]
    template = np.unique(np.asarray(keys, dtype=np.int64))
    shares = np.full(len(table), np.nan)
    for doc_id, share in original_shares(conn).items():
        if doc_id in table.ordinal:
            shares[table.ordinal[doc_id]] = share
    with _lock:
        _cache[str(folder)] = (table, generation, (template, shares))
    return template, shares
