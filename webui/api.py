"""The JSON API: /api/search and /api/doc/<doc_id> (fields documented in README)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, request

from webui.params import request_from_args
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
