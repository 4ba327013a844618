"""Roles, clusters and document pairs, derived from classes, members and alignments.

Per passage: how many characters other documents share with it, how many
are shared by at least `template_docs` documents (template text), its role
(original / shared / template) and its cluster. Per document: its share of
original text and its partners. Per pair of documents: what they share and
the probable source. A cluster is a connected group of passages aligned over
at least half of each (versions of one paragraph); its probable source is the
member dated strictly earliest (by year, then date).
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations

import numpy as np

from archive.fold import merge_spans
from archive.reuse.settings import ReuseSettings
from archive.unionfind import UnionFind

MAX_PAIR_DOCS = 200  # a passage text held by more documents is stock text: its pairs are not listed one by one


def derive(conn, settings: ReuseSettings, changed_classes: set[int] | None = None,
           changed_docs: set[str] = frozenset()) -> None:
    """Bring the derived tables up to date with classes, members and alignments.

    `changed_classes` None: everything anew. Otherwise only what those classes (which gained or
    lost members, or lost a partner) reach: roles of their passages and their partners', the
    totals of the documents holding them, the pairs of those documents, the clusters.
    An incremental run equals a full one (tests/archive/test_reuse.py).
    """
    members: dict[int, list[tuple[str, str, int]]] = defaultdict(list)  # class → (doc, passage, ordinal)
    for passage_id, doc_id, ordinal, class_id in conn.execute(
            "SELECT passage_id, doc_id, ordinal, class_id FROM reuse_members"):
        members[class_id].append((doc_id, passage_id, ordinal))
    length = dict(conn.execute("SELECT class_id, length FROM reuse_classes"))
    pairs = conn.execute("SELECT class_a, class_b, a_start, a_end, b_start, b_end FROM reuse_pairs").fetchall()
    partners: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # class → (start, end, other class)
    for a, b, a0, a1, b0, b1 in pairs:
        if a in members and b in members:
            partners[a].append((a0, a1, b))
            partners[b].append((b0, b1, a))
    cluster_of = _clusters(members, pairs, length)
    cluster_docs = _cluster_docs(members, cluster_of)
    full = changed_classes is None
    if full:
        for table in ("reuse_passages", "reuse_docs", "reuse_doc_pairs", "reuse_clusters"):
            conn.execute(f"DELETE FROM {table}")
        redo, pair_docs = set(members), None
    else:
        redo = {c for c in changed_classes if c in members}
        redo |= {other for c in list(redo) for _s, _e, other in partners.get(c, ())}
        pair_docs = set(changed_docs) | {d for c in changed_classes if c in members for d, _p, _o in members[c]}
        _delete_for_docs(conn, "reuse_passages", changed_docs)
    conn.executemany("INSERT OR REPLACE INTO reuse_passages VALUES (?,?,?,?,?,?,?,?,?)",
                     _passage_rows(redo, members, length, partners, cluster_of, cluster_docs, settings))
    if not full:
        _update_clusters(conn, members, cluster_of, cluster_docs)
        _delete_pairs_of(conn, pair_docs)
    dating = _dating(conn)
    conn.executemany("INSERT INTO reuse_doc_pairs VALUES (?,?,?,?,?)",
                     _doc_pairs(members, pairs, length, dating, pair_docs))
    total_docs = None if full else set(changed_docs) | {d for c in redo for d, _p, _o in members[c]}
    _doc_totals(conn, total_docs)
    conn.execute("DELETE FROM reuse_clusters")
    templates = {c for (c,) in conn.execute(
        "SELECT DISTINCT cluster FROM reuse_passages WHERE role='template' AND cluster IS NOT NULL")}
    conn.executemany("INSERT INTO reuse_clusters VALUES (?,?,?,?,?)", [
        (c, len(docs), n_passages, _source(docs, dating), int(c in templates))
        for c, (docs, n_passages) in cluster_docs.items() if len(docs) > 1])


def _passage_rows(classes, members, length, partners, cluster_of, cluster_docs, settings) -> list[tuple]:
    """Rows of reuse_passages for the members of these classes."""
    rows = []
    for class_id in classes:
        held, n = members[class_id], length[class_id]
        covering = _covering_docs(class_id, n, held, partners, members)
        if len(covering) == 1:  # no other document shares it: most passages, no arrays needed
            rows.extend((p, d, o, "original", 0, n, 0, 0, None) for d, p, o in held)
            continue
        total = _depth(covering.values(), n)
        cluster = _cluster_value(class_id, cluster_of, cluster_docs)
        for doc_id, passage_id, ordinal in held:
            depth = total - _depth([covering.get(doc_id, [])], n)
            shared = int(np.count_nonzero(depth))
            template = int(np.count_nonzero(depth >= settings.template_docs - 1))
            others = sum(1 for d in covering if d != doc_id)
            role = "template" if template >= settings.min_span else "shared" if shared else "original"
            rows.append((passage_id, doc_id, ordinal, role, others, n, shared, template, cluster))
    return rows


def _cluster_value(class_id: int, cluster_of, cluster_docs) -> int | None:
    """The class's cluster as stored: None when the cluster holds one document only."""
    cluster = cluster_of[class_id]
    return cluster if len(cluster_docs[cluster][0]) > 1 else None


def _update_clusters(conn, members, cluster_of, cluster_docs) -> None:
    """Shared passages whose cluster changed because clusters merged or split elsewhere."""
    class_of = {p: c for c, held in members.items() for _d, p, _o in held}
    stale = []
    for passage_id, cluster in conn.execute("SELECT passage_id, cluster FROM reuse_passages WHERE role<>'original'"):
        value = _cluster_value(class_of[passage_id], cluster_of, cluster_docs)
        if value != cluster:
            stale.append((value, passage_id))
    conn.executemany("UPDATE reuse_passages SET cluster=? WHERE passage_id=?", stale)


def _delete_for_docs(conn, table: str, doc_ids) -> None:
    conn.executemany(f"DELETE FROM {table} WHERE doc_id=?", [(d,) for d in doc_ids])


def _delete_pairs_of(conn, doc_ids) -> None:
    conn.executemany("DELETE FROM reuse_doc_pairs WHERE doc_a=? OR doc_b=?", [(d, d) for d in doc_ids])


def _doc_totals(conn, doc_ids: set[str] | None) -> None:
    """reuse_docs from the passages' rows and the document pairs (None: every document)."""
    where = "" if doc_ids is None else "WHERE doc_id IN (SELECT value FROM json_each(?))"
    args = () if doc_ids is None else (json.dumps(sorted(doc_ids)),)
    if doc_ids is not None:
        conn.execute(f"DELETE FROM reuse_docs {where}", args)
    conn.execute(f"""
        INSERT INTO reuse_docs
        SELECT doc_id, sum(chars), sum(shared_chars), sum(template_chars),
               round(1.0 - 1.0 * sum(shared_chars) / max(sum(chars), 1), 4),
               (SELECT count(*) FROM reuse_doc_pairs WHERE doc_a = p.doc_id OR doc_b = p.doc_id)
        FROM reuse_passages p {where} GROUP BY doc_id""", args)


def _covering_docs(class_id: int, n: int, held, partners, members) -> dict[str, list[tuple[int, int]]]:
    """doc → the intervals of this class's text that its passages share (own class: the whole text)."""
    covering: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, _p, _o in held:
        covering[doc_id].append((0, n))
    for start, end, other in partners.get(class_id, ()):
        for doc_id, _p, _o in members[other]:
            covering[doc_id].append((start, end))
    return covering


def _depth(interval_lists, n: int) -> np.ndarray:
    """Per position: how many of the interval lists cover it (each list counted once per position)."""
    diff = np.zeros(n + 1, dtype=np.int64)
    for intervals in interval_lists:
        for start, end in merge_spans(intervals):
            diff[start] += 1
            diff[end] -= 1
    return np.cumsum(diff[:-1])


def _clusters(members, pairs, length) -> dict[int, int]:
    """class → its cluster (the smallest class id of its connected group).

    Two passage texts join one cluster when their alignment covers at least half of each: a
    cluster holds the versions of one paragraph. Joined by any shared span instead, stock
    phrases chain nearly every regulation into one cluster whose "source" means nothing.
    """
    ids = sorted(members)
    index = {c: i for i, c in enumerate(ids)}
    sets = UnionFind(len(ids))
    for a, b, a0, a1, b0, b1 in pairs:
        if a in index and b in index and 2 * (a1 - a0) >= length[a] and 2 * (b1 - b0) >= length[b]:
            sets.union(index[a], index[b])
    smallest: dict[int, int] = {}
    for c in ids:
        root = sets.find(index[c])
        smallest.setdefault(root, c)
    return {c: smallest[sets.find(index[c])] for c in ids}


def _cluster_docs(members, cluster_of) -> dict[int, tuple[set[str], int]]:
    docs: dict[int, set[str]] = defaultdict(set)
    count: dict[int, int] = defaultdict(int)
    for class_id, held in members.items():
        cluster = cluster_of[class_id]
        docs[cluster].update(d for d, _p, _o in held)
        count[cluster] += len(held)
    return {c: (docs[c], count[c]) for c in docs}


def _dating(conn) -> dict[str, tuple]:
    """doc → (year, date) for ordering by time; documents without a year are never a source."""
    rows = conn.execute("SELECT doc_id, json_extract(data, '$.year'), json_extract(data, '$.date') "
                        "FROM documents WHERE duplicate_of IS NULL")
    return {d: (int(y), str(dt or "")) for d, y, dt in rows if y}


def _earlier(a: str, b: str, dating) -> str | None:
    """The one of two documents dated earlier, when their dates tell them apart."""
    ka, kb = dating.get(a), dating.get(b)
    if not ka or not kb:
        return None
    if ka[0] != kb[0]:
        return a if ka[0] < kb[0] else b
    if ka[1] and kb[1] and ka[1] != kb[1]:
        return a if ka[1] < kb[1] else b
    return None


def _source(docs: set[str], dating) -> str | None:
    """The member dated strictly before every other member, if there is one."""
    dated = sorted(docs, key=lambda d: dating.get(d, (10**6, "")))
    if len(dated) < 2 or dated[0] not in dating:
        return None
    first = dated[0]
    return first if all(_earlier(first, d, dating) == first for d in dated[1:]) else None


def _doc_pairs(members, pairs, length, dating, only_docs: set[str] | None = None) -> list[tuple]:
    """(doc_a, doc_b, passages, characters, probable source) for documents sharing text
    (only pairs with a document of `only_docs` when given).

    Counted as coverage, not as a sum of alignments: a formula line of one document aligned with
    ten lines of the other (通过记录: 0年0月0日X人民代表大会常务委员会第…) counts its characters once.
    Of the two sides the smaller figures are kept: what the two have in common. A passage text
    held by more than MAX_PAIR_DOCS documents is stock text: it makes no pairs one by one.
    """
    # (doc_a, doc_b) → per side: passage → its aligned spans
    cover: dict[tuple[str, str], tuple[dict, dict]] = defaultdict(lambda: (defaultdict(list), defaultdict(list)))

    def add(held_a, held_b, span_a: tuple[int, int], span_b: tuple[int, int]) -> None:
        for doc_a, passage_a, _o in held_a:
            for doc_b, passage_b, _r in held_b:
                if doc_a == doc_b or only_docs is not None and doc_a not in only_docs and doc_b not in only_docs:
                    continue
                if doc_a < doc_b:
                    side_a, side_b = cover[(doc_a, doc_b)]
                    side_a[passage_a].append(span_a)
                    side_b[passage_b].append(span_b)
                else:
                    side_b, side_a = cover[(doc_b, doc_a)]
                    side_a[passage_a].append(span_a)
                    side_b[passage_b].append(span_b)

    stock = {c for c, held in members.items() if len({d for d, _p, _o in held}) > MAX_PAIR_DOCS}
    wanted = set(members) if only_docs is None else \
        {c for c, held in members.items() if any(d in only_docs for d, _p, _o in held)}
    for class_id in wanted - stock:
        held = members[class_id]
        if len(held) > 1:
            whole = (0, length[class_id])
            for x, y in combinations(held, 2):
                add([x], [y], whole, whole)
    for a, b, a0, a1, b0, b1 in pairs:
        if (a in wanted or b in wanted) and a in members and b in members and a not in stock and b not in stock:
            add(members[a], members[b], (a0, a1), (b0, b1))
    rows = []
    for (doc_a, doc_b), sides in cover.items():
        passages = min(len(side) for side in sides)
        chars = min(sum(e - s for spans in side.values() for s, e in merge_spans(spans)) for side in sides)
        rows.append((doc_a, doc_b, passages, chars, _earlier(doc_a, doc_b, dating)))
    return rows
