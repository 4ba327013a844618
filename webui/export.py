"""/export?format=csv|jsonl|xlsx|docx|md&<the search page's parameters>: every matching passage of the search.

CSV, JSONL and Markdown are streamed as they are written. XLSX and DOCX are
zip files: they are written to an anonymous temporary file (it has no name
on disk, so nothing is left behind however the request ends) and sent from
there.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request

from archive.export import FORMATS, ExportInfo, Format, passage_rows
from archive.search import Archive, SearchRequest
from webui.params import request_from_args
from webui.store import get_archive

bp = Blueprint("export", __name__)
QUERY_IN_NAME = 40  # characters of the query kept in the file name
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\'`;,%]')


@bp.route("/export")
def export():
    name = request.args.get("format", "csv")
    if name not in FORMATS:
        abort(400, description=f"unknown export format {name[:20]!r}; use format= one of {', '.join(FORMATS)}")
    fmt = FORMATS[name]
    search_request = request_from_args(request.args)
    search_request.query_tree()  # a malformed query fails here, before any output
    base_url = current_app.config.get("BASE_URL") or request.host_url
    info = ExportInfo.from_request(search_request, base_url)
    day = info.created.date()
    headers = {"Content-Disposition": content_disposition(download_name(search_request.q, fmt, day),
                                                          f"export-{day.isoformat()}.{fmt.extension}")}
    if fmt.binary:
        return _send_file(fmt, info, search_request, headers)
    folder = current_app.config["INDEX_DIR"]

    def stream():
        # The stream outlives the request context, so it owns its archive handle.
        archive = Archive(folder)
        try:
            yield from fmt.chunks(passage_rows(archive, search_request, info.base_url), info)
        finally:
            archive.close()

    return Response(stream(), mimetype=fmt.mimetype, headers=headers)


def _send_file(fmt: Format, info: ExportInfo, search_request: SearchRequest, headers: dict[str, str]) -> Response:
    """Write the zip format to an anonymous temporary file, then send it."""
    spool = tempfile.TemporaryFile()
    try:
        fmt.write(passage_rows(get_archive(), search_request, info.base_url), info, spool)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    headers["Content-Length"] = str(size)
    response = Response(_blocks(spool), mimetype=fmt.mimetype, headers=headers, direct_passthrough=True)
    response.call_on_close(spool.close)  # the server closes the response when the client goes away
    return response


def _blocks(spool: BinaryIO, size: int = 64 * 1024) -> Iterator[bytes]:
    """The file's bytes; the file is closed once they are sent (or when the sending is abandoned)."""
    try:
        while block := spool.read(size):
            yield block
    finally:
        spool.close()


def download_name(query: str, fmt: Format, day: dt.date) -> str:
    """导出-<query>-<date>.<ext>, the query without path separators, quotes or control characters."""
    cleaned = "".join(c for c in query if unicodedata.category(c)[0] != "C")
    cleaned = re.sub(r"\s+", "_", _UNSAFE_IN_NAME.sub("", cleaned)).strip("._")[:QUERY_IN_NAME]
    return f"导出-{cleaned or '全部'}-{day.isoformat()}.{fmt.extension}"


def content_disposition(name: str, ascii_name: str) -> str:
    """An attachment with the UTF-8 name (RFC 6266) and an ASCII one for clients that ignore it."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
