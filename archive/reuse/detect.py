"""`archive reuse`: bring the reuse tables up to date with the store, incrementally.

Documents are compared once: a run reads the documents added (or changed)
since the last run, makes classes of their passages' canonical texts, seeds
the new classes, finds candidates among the new seeds and the seeds of every
earlier run, aligns them, then derives again the roles, totals and pairs that
the changed classes reach (archive.reuse.derive). Duplicates are left out:
a copy of a document is not reuse of it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from archive.docstore import DocStore
from archive.reuse import store as tables
from archive.reuse.align import Span, aligned_spans
from archive.reuse.candidates import seed_matches
from archive.reuse.canon import canonical_text
from archive.reuse.derive import derive
from archive.reuse.seeds import winnowed_seeds
from archive.reuse.settings import ReuseSettings, reuse_settings

BATCH = 2000  # documents read from the store at once
MAX_SEGMENTS = 8  # seed segments merged into one beyond this


@dataclass
class ReuseReport:
    documents: int = 0
    added: int = 0
    removed: int = 0
    passages_compared: int = 0
    new_classes: int = 0
    candidate_pairs: int = 0
    aligned_pairs: int = 0
    shared_passages: int = 0
    template_passages: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


Progress = Callable[[str], None]


def update_reuse(folder: Path, settings: ReuseSettings | None = None, rebuild: bool = False,
                 progress: Progress | None = None) -> ReuseReport:
    """Compare what is new in the archive at `folder` with everything; derive what that changed."""
    began = time.perf_counter()
    settings = settings or reuse_settings()
    say = progress or (lambda _message: None)
    store = DocStore(folder)
    try:
        conn = store.conn
        tables.ensure_tables(conn)
        if rebuild or tables.saved_settings(conn) not in (None, asdict(settings)):
            _wipe(conn, folder)
        report = ReuseReport()
        live = _live_digests(conn)
        report.documents = len(live)
        seen = dict(conn.execute("SELECT doc_id, digest FROM reuse_seen"))
        gone = [d for d, digest in seen.items() if live.get(d) != digest]
        changed_classes = _forget(conn, gone)
        report.removed = sum(1 for d in gone if d not in live)
        new_docs = sorted(set(live) - set(seen) | (set(gone) & set(live)))
        report.added = len(new_docs)
        say(f"{len(new_docs)} documents to compare, {len(gone)} removed or changed")
        keys = dict(conn.execute("SELECT key, class_id FROM reuse_classes"))
        next_id = (conn.execute("SELECT max(class_id) FROM reuse_classes").fetchone()[0] or 0) + 1
        new_texts: dict[int, str] = {}
        for i in range(0, len(new_docs), BATCH):
            batch = new_docs[i:i + BATCH]
            members, next_id = _classify(conn, batch, keys, new_texts, next_id, settings)
            changed_classes.update(m[3] for m in members)
            report.passages_compared += len(members)
            conn.executemany("INSERT OR REPLACE INTO reuse_members VALUES (?,?,?,?)", members)
            conn.executemany("INSERT OR REPLACE INTO reuse_seen VALUES (?,?)", [(d, live[d]) for d in batch])
        report.new_classes = len(new_texts)
        say(f"{len(new_texts)} new passage texts to seed")
        aligned = _align_new(conn, folder, new_texts, settings, report)
        conn.executemany("INSERT INTO reuse_pairs VALUES (?,?,?,?,?,?,?)", aligned)
        tables.save_settings(conn, asdict(settings))
        conn.execute("INSERT INTO meta VALUES ('reuse_generation', '1') "
                     "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
        conn.commit()
        _merge_segments(folder, conn)
        derived = conn.execute("SELECT 1 FROM reuse_passages LIMIT 1").fetchone() is not None
        if new_docs or gone or not derived:
            say("deriving roles, clusters and pairs")
            derive(conn, settings, changed_classes if derived else None, set(new_docs) | set(gone))
            conn.commit()
        report.shared_passages, report.template_passages = conn.execute(
            "SELECT count(*) FILTER (WHERE role<>'original'), count(*) FILTER (WHERE role='template') "
            "FROM reuse_passages").fetchone()
        report.seconds = round(time.perf_counter() - began, 2)
        return report
    finally:
        store.close()


def _live_digests(conn) -> dict[str, str]:
    """Canonical documents and a digest of their passage layout (a re-read document compares anew)."""
    rows = conn.execute("SELECT doc_id, length(folded), bounds FROM documents WHERE duplicate_of IS NULL")
    return {d: hashlib.blake2b(f"{n}:{b}".encode(), digest_size=8).hexdigest() for d, n, b in rows}


def _wipe(conn, folder: Path) -> None:
    for table in ("reuse_seen", "reuse_classes", "reuse_members", "reuse_pairs", *tables.DERIVED):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM meta WHERE key='reuse_settings'")
    for path in (folder / tables.SEED_FOLDER).glob("*.npz"):
        path.unlink()


def _forget(conn, doc_ids: list[str]) -> set[int]:
    """Remove these documents' passages from their classes; classes left empty go with their pairs.
    Returns the classes that lost a member or a partner (what derivation must look at again)."""
    touched = {c for d in doc_ids for (c,) in conn.execute("SELECT class_id FROM reuse_members WHERE doc_id=?", (d,))}
    for class_id in list(touched):
        touched.update(r[0] for r in conn.execute(
            "SELECT class_b FROM reuse_pairs WHERE class_a=? UNION SELECT class_a FROM reuse_pairs WHERE class_b=?",
            (class_id, class_id)))
    for doc_id in doc_ids:
        conn.execute("DELETE FROM reuse_members WHERE doc_id=?", (doc_id,))
        conn.execute("DELETE FROM reuse_seen WHERE doc_id=?", (doc_id,))
    if doc_ids:
        conn.execute("DELETE FROM reuse_classes WHERE class_id NOT IN (SELECT class_id FROM reuse_members)")
        conn.execute("DELETE FROM reuse_pairs WHERE class_a NOT IN (SELECT class_id FROM reuse_classes) "
                     "OR class_b NOT IN (SELECT class_id FROM reuse_classes)")
    return touched


def _classify(conn, doc_ids: list[str], keys: dict[str, int], new_texts: dict[int, str], next_id: int,
              settings: ReuseSettings) -> tuple[list[tuple], int]:
    """Member rows of these documents' passages; classes made for canonical texts not seen before."""
    marks = ",".join("?" * len(doc_ids))
    rows = conn.execute(f"SELECT passage_id, doc_id, ordinal, text FROM passages WHERE doc_id IN ({marks})", doc_ids)
    members, fresh = [], []
    for passage_id, doc_id, ordinal, text in rows:
        canon = canonical_text(text, settings.placeholders)
        if len(canon) < settings.min_span:
            continue
        key = hashlib.blake2b(canon.encode(), digest_size=12).hexdigest()
        class_id = keys.get(key)
        if class_id is None:
            class_id = keys[key] = next_id
            next_id += 1
            new_texts[class_id] = canon
            fresh.append((class_id, key, len(canon)))
        members.append((passage_id, doc_id, ordinal, class_id))
    conn.executemany("INSERT INTO reuse_classes VALUES (?,?,?)", fresh)
    return members, next_id


def _align_new(conn, folder: Path, new_texts: dict[int, str], settings: ReuseSettings,
               report: ReuseReport) -> list[tuple]:
    """Alignments of the new classes with each other and with every earlier class."""
    if not new_texts:
        return []
    ids = np.fromiter(new_texts, dtype=np.int64, count=len(new_texts))
    seeds = winnowed_seeds(list(new_texts.values()), settings.seed_length, settings.winnow_window)
    parts = [(seeds.hashes, ids[seeds.texts], seeds.positions, np.ones(len(seeds.hashes), bool))]
    alive = _alive_classes(conn)
    wanted = np.unique(seeds.hashes)
    for _path, old in tables.seed_segments(folder):
        keep = np.isin(old.hashes, wanted) & np.isin(old.classes, alive)
        parts.append((old.hashes[keep], old.classes[keep], old.positions[keep], np.zeros(int(keep.sum()), bool)))
    matches = seed_matches(*(np.concatenate(column) for column in zip(*parts, strict=True)),
                           max_postings=settings.max_seed_postings, max_gap=settings.max_gap,
                           max_shift=settings.max_shift)
    report.candidate_pairs = len(matches)
    texts = dict(new_texts)
    texts.update(_old_texts(conn, {int(c) for c in np.concatenate((matches.class_a, matches.class_b))} - set(texts),
                            settings))
    rows = []
    for k in range(len(matches)):
        s, e = int(matches.starts[k]), int(matches.starts[k + 1])
        a, b = int(matches.class_a[s]), int(matches.class_b[s])
        pairs = list(zip(matches.pos_a[s:e].tolist(), matches.pos_b[s:e].tolist(), strict=True))
        for span in aligned_spans(texts[a], texts[b], pairs, settings):
            rows.append(_pair_row(a, b, span))
    report.aligned_pairs = len({(r[0], r[1]) for r in rows})
    order = np.argsort(seeds.hashes, kind="stable")
    tables.write_seed_segment(folder, tables.SeedSegment(seeds.hashes[order], ids[seeds.texts][order],
                                                         seeds.positions[order]), _next_segment_number(folder))
    return rows


def _pair_row(a: int, b: int, span: Span) -> tuple:
    return (a, b, span.a_start, span.a_end, span.b_start, span.b_end, span.similarity)


def _alive_classes(conn) -> np.ndarray:
    return np.fromiter((r[0] for r in conn.execute("SELECT class_id FROM reuse_classes")), dtype=np.int64)


def _old_texts(conn, class_ids: set[int], settings: ReuseSettings) -> dict[int, str]:
    """The canonical text of earlier classes, from one member passage each."""
    rows = tables.rows_for_ids(conn, "SELECT m.class_id, p.text FROM reuse_members m JOIN passages p "
                                     "ON p.passage_id = m.passage_id WHERE m.class_id IN ({marks}) "
                                     "GROUP BY m.class_id", class_ids)
    return {class_id: canonical_text(text, settings.placeholders) for class_id, text in rows}


def _next_segment_number(folder: Path) -> int:
    names = [p.stem for p in (folder / tables.SEED_FOLDER).glob("seeds-*.npz")]
    return max((int(n.split("-")[1]) for n in names), default=0) + 1


def _merge_segments(folder: Path, conn) -> None:
    """Many runs leave many segments: merge them into one, without the seeds of dead classes."""
    segments = tables.seed_segments(folder)
    if len(segments) <= MAX_SEGMENTS:
        return
    alive = _alive_classes(conn)
    hashes, classes, positions = (np.concatenate(c) for c in zip(
        *[(s.hashes, s.classes, s.positions) for _p, s in segments], strict=True))
    keep = np.isin(classes, alive)
    order = np.argsort(hashes[keep], kind="stable")
    number = _next_segment_number(folder)
    tables.write_seed_segment(folder, tables.SeedSegment(hashes[keep][order], classes[keep][order],
                                                         positions[keep][order]), number)
    for path, _segment in segments:
        path.unlink()

