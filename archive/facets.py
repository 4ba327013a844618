"""Facet values of every document as numpy columns: filters are masks, counts are bincounts.

The table is loaded from the document store once per store generation (a
counter bumped by every commit) and kept on disk beside the store, so a new
process (a CLI search, a restarted server) loads it in a fraction of the
time it takes to parse every document's record again. Documents are numbered in doc_id order, so
"ties by doc_id" is "ties by ordinal", and a result set is a bool mask over
that numbering: filtering and counting facets cost numpy work over arrays,
not Python work per matching document.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from archive.docstore import DocStore
from archive.fold import fold
from archive.matching import facet_matches
from archive.model import FACET_FIELDS, HIT_FIELDS
from archive.query import FieldTerm

TABLE_FIELDS = (*HIT_FIELDS, "source")
# Single-valued facets held as codes into a vocabulary of their raw values (−1: none).
CODED_FIELDS = ("level", "province", "city", "county", "town", "year", "doctype", "organization", "source",
                "anonymized")

CACHE_FILE = "facet-table.pickle"  # written by this module only, in the archive's own folder


def _schema_stamp() -> str:
    """A hash of the code that shapes a saved table (this module and the document model): a table
    saved by another version is rebuilt, never loaded into classes whose attributes changed."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("facets.py", "model.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


SCHEMA_STAMP = _schema_stamp()

_cache: dict[str, tuple[int, FacetTable]] = {}
_lock = threading.Lock()
_building: dict[str, threading.Lock] = {}


def _encode(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Codes into the vocabulary of the values (in order of first appearance); None → −1."""
    vocab: dict[Any, int] = {}
    codes = np.fromiter((-1 if v is None else vocab.setdefault(v, len(vocab)) for v in values),
                        dtype=np.int64, count=len(values))
    return codes, list(vocab)


def _theme_matrix(rows: list[dict[str, Any]]) -> tuple[list[str], np.ndarray]:
    """The theme names and a document × theme bool matrix (themes are several per document)."""
    names = sorted({t for r in rows for t in r.get("themes") or []})
    column = {t: i for i, t in enumerate(names)}
    matrix = np.zeros((len(rows), len(names)), dtype=bool)
    for i, r in enumerate(rows):
        matrix[i, [column[t] for t in r.get("themes") or []]] = True
    return names, matrix


class FacetTable:
    """Every document's public fields, numbered in doc_id order, with numpy columns per facet."""

    def __init__(self, rows: dict[str, dict[str, Any]]) -> None:
        self.ids: list[str] = sorted(rows)
        self.ordinal: dict[str, int] = {d: i for i, d in enumerate(self.ids)}
        self.rows: list[dict[str, Any]] = [rows[d] for d in self.ids]
        self.columns = {f: _encode([self._value(r, f) for r in self.rows]) for f in CODED_FIELDS}
        codes, vocab = self.columns["year"]
        self.year = np.asarray([int(y) for y in vocab] + [0], dtype=np.int64)[codes]  # 0: none
        self.duplicate = np.array([bool(r.get("duplicate_of")) for r in self.rows], dtype=bool)
        self.theme_names, self.themes = _theme_matrix(self.rows)
        self.titles = [fold(r.get("title") or "") for r in self.rows]
        self._title_text = "\n".join(self.titles)  # folded titles hold no whitespace: "\n" separates
        self._title_starts = np.cumsum([0] + [len(t) + 1 for t in self.titles[:-1]], dtype=np.int64)
        self._segment_maps: dict[str, np.ndarray] = {}

    @staticmethod
    def _value(row: dict[str, Any], field: str) -> Any:
        if field == "anonymized":
            return bool(row.get("anonymized"))
        return None if field == "year" and not row.get("year") else row.get(field)

    def __len__(self) -> int:
        return len(self.ids)

    # -- filters ---------------------------------------------------------------
    def field_mask(self, term: FieldTerm) -> np.ndarray:
        """Documents the field term selects; each distinct value is judged once by `facet_matches`."""
        if term.field == "title":
            return self.title_mask(term.value)
        if term.field == "themes":
            wanted = [i for i, t in enumerate(self.theme_names) if facet_matches(term, {"themes": [t]})]
            return self.themes[:, wanted].any(axis=1)
        codes, vocab = self.columns[term.field]
        wanted = [i for i, v in enumerate(vocab) if facet_matches(term, {term.field: v})]
        return np.isin(codes, wanted)

    def title_mask(self, folded: str) -> np.ndarray:
        """Documents whose folded title holds the folded string (one scan of all titles)."""
        mask = np.zeros(len(self.ids), dtype=bool)
        if not folded:
            mask[:] = True
            return mask
        starts = [m.start() for m in re.finditer(re.escape(folded), self._title_text)]
        mask[np.searchsorted(self._title_starts, np.asarray(starts, np.int64), side="right") - 1] = True
        return mask

    # -- counts ----------------------------------------------------------------
    def counts(self, mask: np.ndarray) -> dict[str, list[list[Any]]]:
        """[value, count] lists per facet over the selected documents, most frequent first (years: newest first)."""
        out = {}
        for f in FACET_FIELDS:
            pairs = [(v, c) for v, c in self._tally(f, mask) if c and v != ""]
            key = (lambda kv: -int(kv[0])) if f == "year" else (lambda kv: (-kv[1], str(kv[0])))
            out[f] = [[value, count] for value, count in sorted(pairs, key=key)]
        return out

    def _tally(self, field: str, mask: np.ndarray) -> list[tuple[Any, int]]:
        """(value as shown, count) of every value of one facet over the selected documents."""
        if field == "themes":
            return list(zip(self.theme_names, np.count_nonzero(self.themes[mask], axis=0).tolist(), strict=True))
        codes, vocab = self.columns[field]
        tally = np.bincount(codes[mask] + 1, minlength=len(vocab) + 1)[1:].tolist()
        shown = [("true" if v else "false") for v in vocab] if field == "anonymized" else vocab
        return list(zip(shown, tally, strict=True))

    # -- orders (permutations of all ordinals, computed once per table) --------
    def complete(self) -> None:
        """Compute the lazy orders now, so that a saved table carries them."""
        self.browse_order, self.date_order, self.date_asc_order  # noqa: B018 - computed and cached

    @cached_property
    def browse_order(self) -> np.ndarray:
        """Newest year first, then title, then doc_id: the order of a query without text."""
        return self._permutation(lambda i: (-int(self.year[i]), self.rows[i].get("title") or ""))

    @cached_property
    def date_order(self) -> np.ndarray:
        """Ascending by (date, or the year when undated, or ""; doc_id)."""
        return self._permutation(lambda i: self._date_key(i))

    @cached_property
    def date_asc_order(self) -> np.ndarray:
        """Like date_order with undated documents last."""
        return self._permutation(lambda i: (self._date_key(i) == "", self._date_key(i)))

    def _date_key(self, i: int) -> str:
        row = self.rows[i]
        return row.get("date") or (f"{row['year']}" if row.get("year") else "")

    def _permutation(self, key) -> np.ndarray:
        """Ordinals sorted by key, ties by ordinal (= doc_id)."""
        return np.asarray(sorted(range(len(self.ids)), key=lambda i: (key(i), i)), dtype=np.int64)

    # -- the character index's documents ---------------------------------------
    def segment_ordinals(self, name: str, doc_ids: list[str]) -> np.ndarray:
        """Segment document ordinal → table ordinal (−1: not in the store), cached per segment."""
        mapped = self._segment_maps.get(name)
        if mapped is None:
            get = self.ordinal.get
            mapped = np.fromiter((get(d, -1) for d in doc_ids), dtype=np.int64, count=len(doc_ids))
            self._segment_maps[name] = mapped
        return mapped


def facet_table(store: DocStore) -> FacetTable:
    """The facet table of the store, cached per store file and generation (in memory, then on disk).

    While another thread builds a newer generation's table, the last one built is returned.
    """
    key = str(store.path)
    table = _cached(key, store.generation())
    if table is not None:
        return table
    with _lock:
        building = _building.setdefault(key, threading.Lock())
        previous = _cache.get(key)
    # One thread builds a generation's table. The others answer from the previous generation's
    # meanwhile (documents committed since are not found for a second or two: the same as if
    # the request had come in earlier), or wait for it when there is none.
    if not building.acquire(blocking=previous is None):
        return previous[1]
    try:
        generation = store.generation()
        table = _cached(key, generation)
        return table if table is not None else _build(store, key, generation)
    finally:
        building.release()


def _cached(key: str, generation: int) -> FacetTable | None:
    with _lock:
        cached = _cache.get(key)
    return cached[1] if cached and cached[0] == generation else None


def _build(store: DocStore, key: str, generation: int) -> FacetTable:
    stamp = _stamp(store, generation)
    table = _load_saved(store.path.parent, stamp)
    if table is None:
        rows = {doc_id: {f: data.get(f) for f in TABLE_FIELDS} for doc_id, data in store.facet_rows()}
        table = FacetTable(rows)
        table.complete()
        _save(store.path.parent, stamp, table)
    with _lock:
        _cache[key] = (generation, table)
    return table


def _stamp(store: DocStore, generation: int) -> tuple[str | int, ...]:
    """What the saved table must agree with: a store recreated from scratch restarts its
    generation count, so its file identity and document count are part of the stamp."""
    return (SCHEMA_STAMP, generation, os.stat(store.path).st_ino, store.count())


def _load_saved(folder: Path, stamp: tuple[str | int, ...]) -> FacetTable | None:
    try:
        with (folder / CACHE_FILE).open("rb") as f:
            saved_stamp, table = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign cache is rebuilt, never trusted
        return None
    return table if saved_stamp == stamp and isinstance(table, FacetTable) else None


def _save(folder: Path, stamp: tuple[str | int, ...], table: FacetTable) -> None:
    """Write atomically (readers in other processes never see half a file); a read-only folder is fine."""
    tmp = folder / f".{CACHE_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        with tmp.open("wb") as f:
            pickle.dump((stamp, table), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / CACHE_FILE)
    except OSError:
        tmp.unlink(missing_ok=True)
