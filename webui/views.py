"""HTML pages: the search page and the document page."""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request

from archive.highlight import highlight_passage
from archive.model import FACET_FIELDS
from archive.query import parse, positive_literals
from webui.params import request_from_args, url_args
from webui.store import get_archive

bp = Blueprint("views", __name__)
DOC_ID = re.compile(r"^[0-9a-f]{12}-\d{1,5}$")
PASSAGES_PER_HIT = 5


@bp.app_template_global()
def url_with(**kwargs) -> str:
    return "?" + url_args(request.args, **kwargs)


@bp.route("/")
def search_page():
    search_request = request_from_args(request.args)
    search_request.passages_per_hit = PASSAGES_PER_HIT
    archive = get_archive()
    result = archive.search(search_request)
    selected = {name: request.args.getlist(name) for name in request.args if name not in ("q", "page", "size", "sort", "lang")}
    rejected = archive.store.files("rejected")
    return render_template("search.html", result=result, req=search_request, facet_fields=FACET_FIELDS,
                           selected=selected, rejected=rejected)


@bp.route("/doc/<doc_id>")
def document_page(doc_id: str):
    if not DOC_ID.match(doc_id):
        abort(404, description=f"no document with id {doc_id[:40]!r}")
    archive = get_archive()
    doc = archive.store.get(doc_id)
    if doc is None:
        abort(404, description=f"no document with id {doc_id!r}")
    q = request.args.get("q", "")
    literals = positive_literals(parse(q)) if q else []
    passages = [(p, highlight_passage(p.text, literals)[0]) for p in doc.passages]
    duplicates = archive.store.duplicates_of(doc_id)
    return render_template("document.html", doc=doc, passages=passages, duplicates=duplicates, q=q,
                           evidence=group_evidence(doc.evidence))


def group_evidence(evidence: list) -> dict[str, list[dict]]:
    """Evidence by facet, identical lines (the same event cited five times) shown once with a count."""
    grouped: dict[str, dict[tuple, dict]] = {}
    for e in evidence:
        key = (e.rule, e.text, str(e.value) if e.facet == "themes" else "")
        entry = grouped.setdefault(e.facet, {}).setdefault(key, {"rule": e.rule, "text": e.text, "value": e.value,
                                                                   "line": e.line, "count": 0})
        entry["count"] += 1
    return {facet: list(entries.values()) for facet, entries in grouped.items()}
