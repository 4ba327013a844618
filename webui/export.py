"""Export of every matching passage of the current search, streamed."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request

from archive.export import CHUNKERS, FORMATS, MIMETYPES, export_rows
from archive.search import Archive
from webui.params import request_from_args

bp = Blueprint("export", __name__)


@bp.route("/export")
def export():
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(400, description=f"format must be one of {', '.join(FORMATS)}")
    search_request = request_from_args(request.args)
    search_request.query_tree()  # a malformed query fails here, before streaming starts
    base_url = request.host_url
    folder = current_app.config["INDEX_DIR"]

    def stream():
        # The stream outlives the request context, so it owns its archive handle.
        archive = Archive(folder)
        try:
            yield from CHUNKERS[fmt](export_rows(archive.iter_passages(search_request), base_url))
        finally:
            archive.close()

    name = f"archive-export-{dt.date.today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    return Response(stream(), mimetype=MIMETYPES[fmt], headers=headers)
