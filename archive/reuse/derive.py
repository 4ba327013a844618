"""Roles, clusters and document pairs, derived from classes, members and alignments.

Per passage: how many characters other documents share with it, how many
are shared by at least `template_docs` documents (template text), its role
(original / shared / template) and its cluster. Per document: its share of
original text and its partners. Per pair of documents: what they share and
the probable source. A cluster is a connected group of aligned passages; its
probable source is the member dated strictly earliest (by year, then date).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np

from archive.fold import merge_spans
from archive.reuse.settings import ReuseSettings
from archive.unionfind import UnionFind

MAX_PAIR_DOCS = 200  # a cluster of more documents is stock text: its pairs are not listed one by one


def derive(conn, settings: ReuseSettings) -> None:
    """Rewrite the derived tables from classes, members and alignments."""
    members: dict[int, list[tuple[str, str, int]]] = defaultdict(list)  # class → (doc, passage, ordinal)
    for passage_id, doc_id, ordinal, class_id in conn.execute(
            "SELECT passage_id, doc_id, ordinal, class_id FROM reuse_members"):
        members[class_id].append((doc_id, passage_id, ordinal))
    length = dict(conn.execute("SELECT class_id, length FROM reuse_classes"))
    pairs = conn.execute("SELECT class_a, class_b, a_start, a_end, b_start, b_end FROM reuse_pairs").fetchall()
    dating = _dating(conn)
    partners: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # class → (start, end, other class)
    for a, b, a0, a1, b0, b1 in pairs:
        if a in members and b in members:
            partners[a].append((a0, a1, b))
            partners[b].append((b0, b1, a))
    cluster_of = _clusters(members, pairs, length)
    cluster_docs = _cluster_docs(members, cluster_of)
    passage_rows, doc_totals = [], defaultdict(lambda: [0, 0, 0, set()])
    cluster_roles: dict[int, set[str]] = defaultdict(set)
    for class_id, held in members.items():
        n = length[class_id]
        covering = _covering_docs(class_id, n, held, partners, members)
        if len(covering) == 1:  # no other document shares it: most passages, no arrays needed
            (doc_id,) = covering
            for _d, passage_id, ordinal in held:
                passage_rows.append((passage_id, doc_id, ordinal, "original", 0, n, 0, 0, None))
            doc_totals[doc_id][0] += n * len(held)
            continue
        total = _depth(covering.values(), n)
        for doc_id, passage_id, ordinal in held:
            depth = total - _depth([covering.get(doc_id, [])], n)
            shared = int(np.count_nonzero(depth))
            template = int(np.count_nonzero(depth >= settings.template_docs - 1))
            others = {d for d in covering if d != doc_id}
            role = "template" if template >= settings.min_span else "shared" if shared else "original"
            cluster = cluster_of[class_id] if len(cluster_docs[cluster_of[class_id]][0]) > 1 else None
            if cluster is not None:
                cluster_roles[cluster].add(role)
            passage_rows.append((passage_id, doc_id, ordinal, role, len(others), n, shared, template, cluster))
            totals = doc_totals[doc_id]
            totals[0] += n
            totals[1] += shared
            totals[2] += template
            totals[3] |= others
    for table in ("reuse_passages", "reuse_docs", "reuse_doc_pairs", "reuse_clusters"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany("INSERT INTO reuse_passages VALUES (?,?,?,?,?,?,?,?,?)", passage_rows)
    conn.executemany("INSERT INTO reuse_docs VALUES (?,?,?,?,?,?)", [
        (d, t[0], t[1], t[2], round(1 - t[1] / t[0], 4) if t[0] else 1.0, len(t[3])) for d, t in doc_totals.items()])
    conn.executemany("INSERT INTO reuse_clusters VALUES (?,?,?,?,?)", [
        (c, len(docs), n_passages, _source(docs, dating), int("template" in cluster_roles.get(c, ())))
        for c, (docs, n_passages) in cluster_docs.items() if len(docs) > 1])
    conn.executemany("INSERT INTO reuse_doc_pairs VALUES (?,?,?,?,?)",
                     _doc_pairs(members, pairs, length, cluster_of, cluster_docs, dating))


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


def _doc_pairs(members, pairs, length, cluster_of, cluster_docs, dating) -> list[tuple]:
    """(doc_a, doc_b, passages, characters, probable source) for documents sharing text.

    Counted as coverage, not as a sum of alignments: a formula line of one document aligned with
    ten lines of the other (通过记录: 0年0月0日X人民代表大会常务委员会第…) counts its characters once.
    Of the two sides the smaller figures are kept: what the two have in common.
    """
    # (doc_a, doc_b) → per side: passage → its aligned spans
    cover: dict[tuple[str, str], tuple[dict, dict]] = defaultdict(lambda: (defaultdict(list), defaultdict(list)))

    def add(held_a, held_b, span_a: tuple[int, int], span_b: tuple[int, int]) -> None:
        for doc_a, passage_a, _o in held_a:
            for doc_b, passage_b, _r in held_b:
                if doc_a == doc_b:
                    continue
                if doc_a > doc_b:
                    doc_a, passage_a, span_a, doc_b, passage_b, span_b = doc_b, passage_b, span_b, doc_a, passage_a, span_a
                side_a, side_b = cover[(doc_a, doc_b)]
                side_a[passage_a].append(span_a)
                side_b[passage_b].append(span_b)

    def small(class_id: int) -> bool:
        return len(cluster_docs[cluster_of[class_id]][0]) <= MAX_PAIR_DOCS

    for class_id, held in members.items():
        if len(held) > 1 and small(class_id):
            whole = (0, length[class_id])
            for x, y in combinations(held, 2):
                add([x], [y], whole, whole)
    for a, b, a0, a1, b0, b1 in pairs:
        if a in members and b in members and small(a):
            add(members[a], members[b], (a0, a1), (b0, b1))
    rows = []
    for (doc_a, doc_b), sides in cover.items():
        passages = min(len(side) for side in sides)
        chars = min(sum(e - s for spans in side.values() for s, e in merge_spans(spans)) for side in sides)
        rows.append((doc_a, doc_b, passages, chars, _earlier(doc_a, doc_b, dating)))
    return rows
