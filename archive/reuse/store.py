"""Reuse tables in the archive's SQLite store, and the seed segments beside it.

Passages with the same canonical text are one *class*; alignments are kept
between classes (`reuse_pairs`), so a paragraph sold verbatim to a hundred
towns is aligned once. What the search, the document page and the reuse view
read is derived from them after every run: per passage its role and the
documents it shares with, per document its share of original text, per pair
of documents what they share and which is the probable source.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS reuse_seen (doc_id TEXT PRIMARY KEY, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reuse_classes (class_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL,
    length INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reuse_members (passage_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, class_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS reuse_members_doc ON reuse_members(doc_id);
CREATE INDEX IF NOT EXISTS reuse_members_class ON reuse_members(class_id);
CREATE TABLE IF NOT EXISTS reuse_pairs (class_a INTEGER NOT NULL, class_b INTEGER NOT NULL,
    a_start INTEGER, a_end INTEGER, b_start INTEGER, b_end INTEGER, similarity REAL);
CREATE INDEX IF NOT EXISTS reuse_pairs_a ON reuse_pairs(class_a);
CREATE INDEX IF NOT EXISTS reuse_pairs_b ON reuse_pairs(class_b);
CREATE TABLE IF NOT EXISTS reuse_passages (passage_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, role TEXT NOT NULL, other_docs INTEGER NOT NULL, chars INTEGER NOT NULL,
    shared_chars INTEGER NOT NULL, template_chars INTEGER NOT NULL, cluster INTEGER);
CREATE INDEX IF NOT EXISTS reuse_passages_doc ON reuse_passages(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS reuse_docs (doc_id TEXT PRIMARY KEY, chars INTEGER NOT NULL,
    shared_chars INTEGER NOT NULL, template_chars INTEGER NOT NULL, original_share REAL NOT NULL,
    partners INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reuse_doc_pairs (doc_a TEXT NOT NULL, doc_b TEXT NOT NULL, passages INTEGER NOT NULL,
    chars INTEGER NOT NULL, source TEXT);
CREATE INDEX IF NOT EXISTS reuse_doc_pairs_a ON reuse_doc_pairs(doc_a);
CREATE INDEX IF NOT EXISTS reuse_doc_pairs_b ON reuse_doc_pairs(doc_b);
CREATE TABLE IF NOT EXISTS reuse_clusters (cluster INTEGER PRIMARY KEY, docs INTEGER NOT NULL,
    passages INTEGER NOT NULL, source TEXT, template INTEGER NOT NULL);
"""
DERIVED = ("reuse_passages", "reuse_docs", "reuse_doc_pairs", "reuse_clusters")
SEED_FOLDER = "reuse"


def rows_for_ids(conn: sqlite3.Connection, sql: str, ids) -> list[tuple]:
    """The rows of `sql` (with `{marks}` where the id list goes) for these ids, 500 at a time
    (SQLite's limit on bound variables)."""
    ids = sorted(ids)
    rows: list[tuple] = []
    for i in range(0, len(ids), 500):
        batch = ids[i:i + 500]
        rows.extend(conn.execute(sql.format(marks=",".join("?" * len(batch))), batch))
    return rows


def ensure_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def has_run(conn: sqlite3.Connection) -> bool:
    """Whether `archive reuse` ever ran on this store (before it, no passage has a role)."""
    row = conn.execute("SELECT value FROM meta WHERE key='reuse_settings'").fetchone()
    return row is not None


@dataclass
class SeedSegment:
    """The seeds of the classes added by one run, sorted by hash."""

    hashes: np.ndarray
    classes: np.ndarray
    positions: np.ndarray


def seed_segments(folder: Path) -> list[tuple[Path, SeedSegment]]:
    out = []
    for path in sorted((folder / SEED_FOLDER).glob("seeds-*.npz")):
        with np.load(path) as data:
            out.append((path, SeedSegment(data["hashes"], data["classes"], data["positions"])))
    return out


def write_seed_segment(folder: Path, segment: SeedSegment, number: int) -> Path:
    """Write atomically (a killed run leaves the segments it had)."""
    target = folder / SEED_FOLDER
    target.mkdir(exist_ok=True)
    path = target / f"seeds-{number:06d}.npz"
    tmp = target / f".tmp-{number:06d}.npz"
    np.savez(tmp, hashes=segment.hashes, classes=segment.classes, positions=segment.positions)
    tmp.replace(path)
    return path


def save_settings(conn: sqlite3.Connection, settings: dict) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('reuse_settings', ?)", (json.dumps(settings),))


def saved_settings(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute("SELECT value FROM meta WHERE key='reuse_settings'").fetchone()
    return json.loads(row[0]) if row else None
