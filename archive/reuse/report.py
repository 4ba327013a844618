"""Reuse among a search's documents: pair records for exports, and place-to-place sums for the reuse view.

The fields of a pair record (`archive reuse-pairs --jsonl`, `/api/reuse`) are
stable: for each side `doc_<a|b>`, `title_`, `level_`, `province_`, `city_`,
`county_`, `year_`, `date_`; then `passages` (passages with an aligned span, the
smaller side), `chars` (aligned characters counted once, the smaller side) and `source` (the doc_id of the probable source, or null
when the two are not told apart by date).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

import numpy as np

from archive.reuse.query import doc_pairs, group_pairs, pair_spans
from archive.search import Archive, RequestError, SearchRequest

SIDE_FIELDS = ("title", "level", "province", "city", "county", "year", "date")
PAIR_FIELDS = (*(f"{f}_{s}" for s in "ab" for f in ("doc", *SIDE_FIELDS)), "passages", "chars", "source")
GROUP_BY = ("province", "city", "county", "level", "year")


def _result_rows(archive: Archive, request: SearchRequest) -> dict[str, dict[str, Any]]:
    """doc_id → public fields of every document the request finds (unranked: pairs have their own order)."""
    table, matched = archive.result_mask(request)
    return {table.ids[o]: table.rows[o] for o in np.flatnonzero(matched).tolist()}


def pair_records(archive: Archive, request: SearchRequest, limit: int | None = None,
                 spans: bool = False) -> Iterator[dict[str, Any]]:
    """One record per pair of found documents that share text, most shared first."""
    rows = _result_rows(archive, request)
    return _records(archive, rows, doc_pairs(archive.store.conn, set(rows), limit=limit), spans)


def _records(archive: Archive, rows: dict[str, dict[str, Any]], pairs: list[dict[str, Any]],
             spans: bool) -> Iterator[dict[str, Any]]:
    for pair in pairs:
        record: dict[str, Any] = {}
        for side in "ab":
            doc_id = pair[f"doc_{side}"]
            record[f"doc_{side}"] = doc_id
            for name in SIDE_FIELDS:
                record[f"{name}_{side}"] = rows[doc_id].get(name)
        record.update(passages=pair["passages"], chars=pair["chars"], source=pair["source"])
        if spans:
            record["spans"] = pair_spans(archive.store.conn, pair["doc_a"], pair["doc_b"])
        yield record


def write_pairs_csv(records, out: IO[str]) -> int:
    """CSV with a BOM (Excel reads it as UTF-8); returns the rows written."""
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=PAIR_FIELDS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow(record)
        n += 1
    return n


def overview(archive: Archive, request: SearchRequest, by: str = "province", limit: int | None = None) -> dict[str, Any]:
    """The reuse view's data from one search: the found documents, the place sums over all their
    pairs (`groups`, by a facet of each side), and the first `limit` pair records (`records`)."""
    if by not in GROUP_BY:
        raise RequestError(f"by must be one of {', '.join(GROUP_BY)}, got {by!r}")
    rows = _result_rows(archive, request)
    pairs = doc_pairs(archive.store.conn, set(rows))
    labels = {d: (str(r.get(by)) if r.get(by) is not None else None) for d, r in rows.items()}
    return {"by": by, "documents": len(rows), "pairs": len(pairs), "groups": group_pairs(pairs, labels),
            "records": list(_records(archive, rows, pairs[:limit] if limit is not None else pairs, spans=False))}
