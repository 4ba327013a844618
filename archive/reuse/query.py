"""Reading the reuse tables: a document's passages with what they share, pairs of documents,
and the passages a search leaves out when template text is hidden.

Spans are offsets into the passages' own texts (the canonical form maps back
character by character), so the document page highlights exactly what was
aligned. Readers never write: before the first `archive reuse` every answer
is empty and says so (`computed: false`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from archive.reuse.canon import canonical
from archive.reuse.settings import ReuseSettings, reuse_settings
from archive.reuse.store import has_run, rows_for_ids

MAX_MATCHES = 50  # other passages listed per passage (the count is always whole)


def _tables_exist(conn) -> bool:
    row = conn.execute("SELECT name FROM sqlite_master WHERE name='reuse_passages'").fetchone()
    return row is not None and has_run(conn)


def template_passages(conn) -> set[tuple[str, int]]:
    """(doc_id, passage ordinal) of every template passage."""
    if not _tables_exist(conn):
        return set()
    return {(d, o) for d, o in conn.execute("SELECT doc_id, ordinal FROM reuse_passages WHERE role='template'")}


def passage_roles(conn, doc_id: str) -> dict[int, dict[str, Any]]:
    """ordinal → {role, other_docs} of a document's compared passages (hits show 另见 N 篇)."""
    if not _tables_exist(conn):
        return {}
    rows = conn.execute("SELECT ordinal, role, other_docs FROM reuse_passages WHERE doc_id=?", (doc_id,))
    return {o: {"role": r, "other_docs": n} for o, r, n in rows}


def original_shares(conn) -> dict[str, float]:
    """doc_id → share of its compared characters no other document shares."""
    if not _tables_exist(conn):
        return {}
    return dict(conn.execute("SELECT doc_id, original_share FROM reuse_docs"))


def document_reuse(conn, doc_id: str, settings: ReuseSettings | None = None) -> dict[str, Any]:
    """What a document shares, passage by passage, with the aligned spans on both sides."""
    settings = settings or reuse_settings()
    if not _tables_exist(conn):
        return {"doc_id": doc_id, "computed": False, "summary": None, "passages": [], "partners": []}
    summary = conn.execute("SELECT chars, shared_chars, template_chars, original_share, partners FROM reuse_docs "
                           "WHERE doc_id=?", (doc_id,)).fetchone()
    texts = _Texts(conn, settings)
    passages = []
    for row in conn.execute("SELECT passage_id, ordinal, role, other_docs, chars, shared_chars, template_chars, "
                            "cluster FROM reuse_passages WHERE doc_id=? ORDER BY ordinal", (doc_id,)).fetchall():
        passage_id, ordinal, role, other_docs, chars, shared, template, cluster = row
        entry = {"passage_id": passage_id, "ordinal": ordinal, "role": role, "other_docs": other_docs,
                 "chars": chars, "shared_chars": shared, "template_chars": template, "cluster": cluster,
                 "matches": []}
        if role != "original":
            entry["matches"] = _matches(conn, passage_id, doc_id, texts)
        passages.append(entry)
    return {
        "doc_id": doc_id, "computed": True,
        "summary": None if summary is None else dict(zip(
            ("chars", "shared_chars", "template_chars", "original_share", "partners"), summary, strict=True)),
        "passages": passages,
        "partners": document_partners(conn, doc_id),
    }


def document_partners(conn, doc_id: str) -> list[dict[str, Any]]:
    """The documents this one shares text with, most shared first, with the probable source."""
    rows = conn.execute(
        "SELECT CASE WHEN doc_a=? THEN doc_b ELSE doc_a END, passages, chars, source FROM reuse_doc_pairs "
        "WHERE doc_a=? OR doc_b=? ORDER BY chars DESC", (doc_id, doc_id, doc_id))
    return [{"doc_id": other, "passages": n, "chars": chars, "source": source} for other, n, chars, source in rows]


def doc_pairs(conn, doc_ids: set[str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Pairs of documents sharing text (both in `doc_ids` when given), most shared first."""
    if not _tables_exist(conn):
        return []
    rows = conn.execute("SELECT doc_a, doc_b, passages, chars, source FROM reuse_doc_pairs ORDER BY chars DESC, "
                        "doc_a, doc_b")
    out = []
    for a, b, n, chars, source in rows:
        if doc_ids is not None and (a not in doc_ids or b not in doc_ids):
            continue
        out.append({"doc_a": a, "doc_b": b, "passages": n, "chars": chars, "source": source})
        if limit is not None and len(out) >= limit:
            break
    return out


class _Texts:
    """Passage texts and their canonical forms, read once per request."""

    def __init__(self, conn, settings: ReuseSettings) -> None:
        self.conn, self.settings = conn, settings
        self._cache: dict[str, Any] = {}

    def canonical(self, passage_id: str):
        if passage_id not in self._cache:
            row = self.conn.execute("SELECT text FROM passages WHERE passage_id=?", (passage_id,)).fetchone()
            self._cache[passage_id] = canonical(row[0] if row else "", self.settings.placeholders)
        return self._cache[passage_id]


def _aligned_classes(conn, class_id: int):
    """(other class, span here, span there, similarity) of every class aligned with this one; the class
    itself first, with no spans: its other members share the whole text."""
    yield class_id, None, None, 1.0
    for a, b, a0, a1, b0, b1, similarity in conn.execute(
            "SELECT class_a, class_b, a_start, a_end, b_start, b_end, similarity FROM reuse_pairs "
            "WHERE class_a=? OR class_b=?", (class_id, class_id)).fetchall():
        yield (b, (a0, a1), (b0, b1), similarity) if a == class_id else (a, (b0, b1), (a0, a1), similarity)


def _matches(conn, passage_id: str, doc_id: str, texts: _Texts) -> list[dict[str, Any]]:
    """The other documents' passages sharing a span with this one (class mates: the whole text)."""
    class_id = conn.execute("SELECT class_id FROM reuse_members WHERE passage_id=?", (passage_id,)).fetchone()[0]
    mine = texts.canonical(passage_id)
    whole = (0, len(mine.text))
    spans: list[tuple[str, str, int, tuple[int, int], tuple[int, int], float]] = []
    for other_class, here, there, similarity in _aligned_classes(conn, class_id):
        for other, other_doc, ordinal in conn.execute(
                "SELECT passage_id, doc_id, ordinal FROM reuse_members WHERE class_id=? AND doc_id<>? LIMIT ?",
                (other_class, doc_id, MAX_MATCHES)):
            spans.append((other, other_doc, ordinal, here or whole, there or whole, similarity))
        if len(spans) >= MAX_MATCHES:
            break
    titles = _titles(conn, {s[1] for s in spans})
    out = []
    for other, other_doc, ordinal, here, there, similarity in spans[:MAX_MATCHES]:
        theirs = texts.canonical(other)
        out.append({
            "doc_id": other_doc, "title": titles.get(other_doc), "passage_id": other, "ordinal": ordinal,
            "similarity": similarity, "span": list(mine.original_span(*here)),
            "other_span": list(theirs.original_span(*there)), "length": min(here[1] - here[0], there[1] - there[0]),
        })
    return out


def _titles(conn, doc_ids: set[str]) -> dict[str, str]:
    return dict(rows_for_ids(conn, "SELECT doc_id, json_extract(data, '$.title') FROM documents "
                                   "WHERE doc_id IN ({marks})", doc_ids))


def group_pairs(pairs: list[dict[str, Any]], place_of: dict[str, str | None]) -> list[dict[str, Any]]:
    """Pairs of documents summed by a place (or any label) of each side: who copies from whom."""
    total: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for pair in pairs:
        a, b = place_of.get(pair["doc_a"]) or "?", place_of.get(pair["doc_b"]) or "?"
        source = pair["source"]
        if source == pair["doc_b"]:
            a, b = b, a  # from the source's place to the copy's
        directed = source is not None
        entry = total[(a, b) if directed or a <= b else (b, a)]
        entry[0] += 1
        entry[1] += pair["chars"]
        entry[2] += int(directed)
    return [{"from": a, "to": b, "pairs": n, "chars": chars, "directed": d}
            for (a, b), (n, chars, d) in sorted(total.items(), key=lambda kv: -kv[1][1])]


def reuse_generation(conn) -> int:
    """A counter every `archive reuse` run bumps: what caches of its results are keyed by."""
    if not _tables_exist(conn):
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key='reuse_generation'").fetchone()
    return int(row[0]) if row else 0


def pair_spans(conn, doc_a: str, doc_b: str, settings: ReuseSettings | None = None) -> list[dict[str, Any]]:
    """Every aligned passage pair of two documents, in doc_a's reading order, with both aligned texts.

    Read from the class tables for the two documents alone (not through each passage's
    first matches, which would leave out most of what two template-heavy documents share).
    """
    members = {}
    for doc in (doc_a, doc_b):
        members[doc] = conn.execute("SELECT passage_id, ordinal, class_id FROM reuse_members WHERE doc_id=? "
                                    "ORDER BY ordinal", (doc,)).fetchall()
    in_b: dict[int, list[tuple[str, int]]] = {}
    for passage_id, ordinal, class_id in members[doc_b]:
        in_b.setdefault(class_id, []).append((passage_id, ordinal))
    found: list[tuple[str, int, str, int, tuple[int, int] | None, tuple[int, int] | None, float]] = []
    for passage_id, ordinal, class_id in members[doc_a]:
        for other_class, here, there, similarity in _aligned_classes(conn, class_id):
            for other, other_ordinal in in_b.get(other_class, []):
                found.append((passage_id, ordinal, other, other_ordinal, here, there, similarity))
    texts = passage_texts(conn, {f[0] for f in found} | {f[2] for f in found})
    placeholders = (settings or reuse_settings()).placeholders
    forms = {pid: canonical(text, placeholders) for pid, text in texts.items()}
    out = []
    for mine, ordinal, theirs, other_ordinal, here, there, similarity in found:
        span_a = forms[mine].original_span(*(here or (0, len(forms[mine].text))))
        span_b = forms[theirs].original_span(*(there or (0, len(forms[theirs].text))))
        out.append({"passage_a": mine, "ordinal_a": ordinal, "passage_b": theirs, "ordinal_b": other_ordinal,
                    "similarity": similarity, "span_a": list(span_a), "span_b": list(span_b),
                    "text_a": texts[mine][slice(*span_a)], "text_b": texts[theirs][slice(*span_b)]})
    return out


def passage_texts(conn, passage_ids: set[str]) -> dict[str, str]:
    """passage_id → text."""
    return dict(rows_for_ids(conn, "SELECT passage_id, text FROM passages WHERE passage_id IN ({marks})", passage_ids))
