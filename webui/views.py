"""HTML pages: the search page (results, facets, timeline) and the document page."""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request

from archive.query import parse, positive_literals
from archive.search import PARAM_OF_FIELD, SORTS
from archive.timeline import MAX_SERIES, timeline
from webui.chart import PALETTE, histogram, timeline_charts
from webui.document import group_evidence, numbered_matches, outline
from webui.params import EXPORT_FORMATS, MEASURES, measure_arg, page_numbers, request_from_args, url_args
from webui.reuse_view import PARTNERS_SHOWN, document_reuse_view, mark_aligned
from webui.sidebar import build_sidebar, chips, own_choice_counts, without_filters
from webui.store import get_archive
from webui.timeline_view import series_name, year_columns

bp = Blueprint("views", __name__)
DOC_ID = re.compile(r"^[0-9a-f]{12}-\d{1,5}$")
PASSAGES_PER_HIT = 5


@bp.app_template_global()
def param_of(field: str) -> str:
    """A field's URL parameter (themes → theme)."""
    return PARAM_OF_FIELD.get(field, field)


bp.add_app_template_global(series_name)


@bp.app_template_global()
def url_with(**kwargs) -> str:
    """This page's URL with values added, removed or replaced (the `lang` and every other state kept)."""
    return "?" + url_args(request.args, **kwargs)


@bp.route("/")
def search_page():
    args = request.args
    search_request = request_from_args(args)
    search_request.passages_per_hit = PASSAGES_PER_HIT
    archive = get_archive()
    result = archive.search(search_request)
    years = timeline(archive, search_request, args.getlist("compare"))
    sidebar = build_sidebar(args, result.facets, own_choice_counts(archive, search_request), years)
    measure = measure_arg(args)
    charts = timeline_charts(years.years, [years.values(s, measure) for s in years.shown])
    numbers, last_page = page_numbers(result.page, result.size, result.total)
    return render_template(
        "search.html", result=result, req=search_request, sidebar=sidebar, chips=chips(args),
        clear_filters=without_filters(args),
        histogram=histogram([b.count for b in sidebar.years]), timeline=years, charts=charts, measure=measure,
        year_columns=year_columns(years, measure, args),
        measures=MEASURES, palette=PALETTE, max_series=MAX_SERIES, sorts=SORTS, page_numbers=numbers,
        last_page=last_page, export_formats=EXPORT_FORMATS, rejected=archive.store.files("rejected"))


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
    passages, match_count = numbered_matches(doc.passages, literals)
    reuse = document_reuse_view(archive, doc)
    passages = [(p, mark_aligned(segments, reuse.passages[p.ordinal].spans) if p.ordinal in reuse.passages
                 else segments) for p, segments in passages]
    return render_template("document.html", doc=doc, passages=passages, match_count=match_count,
                           outline=outline(doc.passages), duplicates=archive.store.duplicates_of(doc_id),
                           q=q if literals else "", evidence=group_evidence(doc.evidence), reuse=reuse,
                           partners_shown=PARTNERS_SHOWN)
