"""Text reuse in the web UI: what the document page marks, the pair page, the reuse view and its exports.

Everything here reads what `archive reuse` stored (archive.reuse.query/report);
before the first run the pages say so instead of showing empty tables. The
place-to-place matrix is plain SVG geometry computed here and drawn by the
template with attributes only (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from archive.facets import facet_table
from archive.fold import merge_spans
from archive.model import Document
from archive.reuse.query import document_partners, document_reuse, pair_spans, passage_texts, reuse_generation
from archive.reuse.report import GROUP_BY, overview, pair_records, write_pairs_csv
from archive.search import Archive
from webui.document import Segment
from webui.export import content_disposition
from webui.params import bounded_int_arg, request_from_args
from webui.store import get_archive

bp = Blueprint("reuse", __name__)
MATCHES_SHOWN = 5  # other passages shown under a passage (the count 另见 N 篇 is always whole)
PARTNERS_SHOWN = 10  # partner documents listed before "more"
PAIRS_SHOWN = 100  # pairs in the reuse view's table (limit=…)
MAX_LIMIT = 10000
MATRIX_PLACES = 16  # places (rows and columns) the matrix draws, the most shared first
CELL, LABEL_LEFT, LABEL_TOP = 26, 110, 96  # column labels slant up and right: 70 more on the right


def reuse_computed(archive: Archive) -> bool:
    """Whether `archive reuse` has run on this index (before it, reuse pages explain instead of showing nothing)."""
    return reuse_generation(archive.store.conn) > 0


# -- the document page -------------------------------------------------------------


@dataclass
class ShownMatch:
    """Another document's passage aligned with this one, with both aligned texts for the side-by-side view."""

    doc_id: str
    title: str
    passage_id: str
    ordinal: int
    similarity: float
    mine: str
    theirs: str


@dataclass
class PassageReuse:
    role: str
    other_docs: int
    spans: list[tuple[int, int]]  # merged aligned spans in this passage's text
    matches: list[ShownMatch] = field(default_factory=list)
    more: int = 0  # other documents sharing it that the shown matches leave out


@dataclass
class Partner:
    doc_id: str
    title: str
    place: str
    year: Any
    passages: int
    chars: int
    source: str  # "other" (the partner is the probable source), "this" or "unknown"


@dataclass
class DocumentReuse:
    computed: bool
    summary: dict[str, Any] | None
    passages: dict[int, PassageReuse]  # by passage ordinal
    partners: list[Partner]


def document_reuse_view(archive: Archive, doc: Document) -> DocumentReuse:
    """The document's reuse as the page shows it: roles, highlighted spans, a few matches, the partners."""
    conn = archive.store.conn
    data = document_reuse(conn, doc.doc_id)
    if not data["computed"]:
        return DocumentReuse(False, None, {}, [])
    texts = {p.ordinal: p.text for p in doc.passages}
    wanted = {m["passage_id"] for p in data["passages"] for m in p["matches"][:MATCHES_SHOWN]}
    others = passage_texts(conn, wanted)
    passages = {}
    for p in data["passages"]:
        mine = texts.get(p["ordinal"], "")
        shown = [ShownMatch(m["doc_id"], m["title"] or m["doc_id"], m["passage_id"], m["ordinal"],
                            m["similarity"], mine[slice(*m["span"])], others.get(m["passage_id"], "")[slice(*m["other_span"])])
                 for m in p["matches"][:MATCHES_SHOWN]]
        more = max(0, p["other_docs"] - len({m.doc_id for m in shown}))
        passages[p["ordinal"]] = PassageReuse(p["role"], p["other_docs"], merge_spans([tuple(m["span"]) for m in p["matches"]]),
                                              shown, more)
    table = facet_table(archive.store)
    partners = []
    for entry in data["partners"]:
        row = table.rows[table.ordinal[entry["doc_id"]]] if entry["doc_id"] in table.ordinal else {}
        place = row.get("county") or row.get("city") or row.get("province") or ""
        source = "unknown" if entry["source"] is None else ("this" if entry["source"] == doc.doc_id else "other")
        partners.append(Partner(entry["doc_id"], row.get("title") or entry["doc_id"], place, row.get("year"),
                                entry["passages"], entry["chars"], source))
    return DocumentReuse(True, data["summary"], passages, partners)


def mark_aligned(segments: list[Segment], spans: list[tuple[int, int]]) -> list[Segment]:
    """The passage's segments cut again where aligned spans begin and end (query matches are kept whole)."""
    if not spans:
        return segments
    out, pos = [], 0
    for seg in segments:
        start, end = pos, pos + len(seg.text)
        pos = end
        if seg.match is not None:
            seg.aligned = any(s < end and e > start for s, e in spans)
            out.append(seg)
            continue
        cuts = sorted({start, end} | {x for s, e in spans for x in (s, e) if start < x < end})
        for a, b in zip(cuts, cuts[1:], strict=False):
            inside = any(s <= a and b <= e for s, e in spans)
            out.append(Segment(seg.text[a - start:b - start], None, inside))
    return out


# -- the reuse view: pairs and the place matrix ----------------------------------------


@dataclass
class Cell:
    x: int
    y: int
    fill: str
    dark: bool  # the number is written in white
    source: str
    copy: str
    pairs: int
    chars: int


@dataclass
class Matrix:
    width: int
    height: int
    cell: int
    left: int
    top: int
    places: list[str]
    cells: list[Cell]
    max_chars: int
    omitted: int  # places left out (beyond MATRIX_PLACES)


def shade(fraction: float) -> str:
    """A sequential blue from near white (little shared) to dark (the most)."""
    low, high = (0xF1, 0xF5, 0xFB), (0x08, 0x30, 0x6B)
    f = max(0.0, min(1.0, fraction))
    return "#" + "".join(f"{round(lo + (hi - lo) * f):02x}" for lo, hi in zip(low, high, strict=True))


def reuse_matrix(groups: list[dict[str, Any]], by: str, limit: int = MATRIX_PLACES) -> Matrix:
    """Rows: the probable source's place; columns: the copying place; shade: shared characters (square root)."""
    totals: dict[str, int] = {}
    for g in groups:
        totals[g["from"]] = totals.get(g["from"], 0) + g["chars"]
        totals[g["to"]] = totals.get(g["to"], 0) + g["chars"]
    chosen = sorted(totals, key=lambda p: -totals[p])[:limit]
    if by == "year":
        chosen.sort(key=lambda p: (p == "?", p))
    index = {p: i for i, p in enumerate(chosen)}
    shown = [g for g in groups if g["from"] in index and g["to"] in index]
    top = max((g["chars"] for g in shown), default=0)
    cells = []
    for g in shown:
        fraction = (g["chars"] / top) ** 0.5 if top else 0.0
        cells.append(Cell(LABEL_LEFT + index[g["to"]] * CELL, LABEL_TOP + index[g["from"]] * CELL, shade(fraction),
                          fraction > 0.55, g["from"], g["to"], g["pairs"], g["chars"]))
    n = len(chosen)
    return Matrix(LABEL_LEFT + n * CELL + 70, LABEL_TOP + n * CELL + 8, CELL, LABEL_LEFT, LABEL_TOP, chosen, cells, top,
                  len(totals) - n)


def _reuse_request():
    args = request.args
    search_request = request_from_args(args)
    search_request.query_tree()  # a bad query or parameter fails here, naming it
    by = args.get("by", GROUP_BY[0]) or GROUP_BY[0]
    limit = bounded_int_arg(args, "limit", PAIRS_SHOWN, 1, MAX_LIMIT)
    return search_request, by, limit


def reuse_data(archive: Archive) -> dict[str, Any]:
    """What /reuse and /api/reuse share: the found documents, their sharing pairs (limited) and the place sums."""
    search_request, by, limit = _reuse_request()
    found = overview(archive, search_request, by, limit)  # one search for the sums and the pairs
    return {"documents": found["documents"], "pairs": found["records"], "total_pairs": found["pairs"],
            "groups": found["groups"], "by": by, "limit": limit}


@bp.route("/reuse")
def reuse_page():
    archive = get_archive()
    data = reuse_data(archive)
    return render_template("reuse.html", data=data, computed=reuse_computed(archive), group_by=GROUP_BY,
                           matrix=reuse_matrix(data["groups"], data["by"]))


def _export_request():
    """An export's search and its limit (every pair unless `limit` is given)."""
    search_request, _by, _limit = _reuse_request()
    limit = bounded_int_arg(request.args, "limit", MAX_LIMIT, 1, MAX_LIMIT) if request.args.get("limit") else None
    return search_request, limit


@bp.route("/reuse/export.csv")
def export_csv():
    search_request, limit = _export_request()
    out = io.StringIO()
    write_pairs_csv(pair_records(get_archive(), search_request, limit=limit), out)
    return Response(out.getvalue().encode("utf-8"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition("文本复用-文档对.csv", "reuse-pairs.csv")})


@bp.route("/reuse/export.jsonl")
def export_jsonl():
    search_request, limit = _export_request()
    folder = current_app.config["INDEX_DIR"]

    def stream() -> Iterator[str]:
        # The aligned spans take a while for many pairs: streamed, with an archive handle of its own.
        archive = Archive(folder)
        try:
            for record in pair_records(archive, search_request, limit=limit, spans=True):
                yield json.dumps(record, ensure_ascii=False) + "\n"
        finally:
            archive.close()

    return Response(stream(), mimetype="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": content_disposition("文本复用-文档对.jsonl", "reuse-pairs.jsonl")})


@bp.route("/doc/<doc_id>/reuse/<other_id>")
def pair_page(doc_id: str, other_id: str):
    from webui.views import DOC_ID

    archive = get_archive()
    docs = []
    for d in (doc_id, other_id):
        doc = archive.store.get(d) if DOC_ID.match(d) else None
        if doc is None:
            abort(404, description=f"no document with id {d[:40]!r}")
        docs.append(doc)
    conn = archive.store.conn
    computed = reuse_computed(archive)
    pair = next((p for p in document_partners(conn, doc_id) if p["doc_id"] == other_id), None) if computed else None
    spans = pair_spans(conn, doc_id, other_id) if pair else []
    return render_template("reuse_pair.html", doc=docs[0], other=docs[1], pair=pair, spans=spans, computed=computed)
