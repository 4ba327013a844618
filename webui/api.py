"""The JSON API: /api/search, /api/doc/<doc_id>, /api/doc/<doc_id>/reuse and /api/reuse (fields in README)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, request

from archive.reuse.query import document_reuse
from webui.params import request_from_args
from webui.reuse_view import reuse_data
from webui.store import get_archive
from webui.views import DOC_ID

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/search")
def api_search():
    result = get_archive().search(request_from_args(request.args))
    return jsonify(total=result.total, total_passages=result.total_passages, page=result.page, size=result.size,
                   hits=result.hits, facets=result.facets)


@bp.route("/doc/<doc_id>")
def api_doc(doc_id: str):
    doc = get_archive().store.get(doc_id) if DOC_ID.match(doc_id) else None
    if doc is None:
        abort(404, description=f"no document with id {doc_id[:40]!r}")
    record = doc.hit_fields()
    record.update(text=doc.text, original_text=doc.original_text, source=doc.source,
                  passages=[asdict(p) | {"section_path": p.section_path} for p in doc.passages],
                  evidence=[asdict(e) for e in doc.evidence], provenance=doc.provenance)
    return jsonify(record)


@bp.route("/doc/<doc_id>/reuse")
def api_doc_reuse(doc_id: str):
    """What the document shares with others, passage by passage (archive.reuse.query.document_reuse)."""
    archive = get_archive()
    if not DOC_ID.match(doc_id) or archive.store.get(doc_id) is None:
        abort(404, description=f"no document with id {doc_id[:40]!r}")
    return jsonify(document_reuse(archive.store.conn, doc_id))


@bp.route("/reuse")
def api_reuse():
    """Pairs of found documents sharing text and their sums by place (the search's filters, by=…, limit=…)."""
    data = reuse_data(get_archive())
    return jsonify(documents=data["documents"], total_pairs=data["total_pairs"], pairs=data["pairs"],
                   groups=data["groups"], by=data["by"])
