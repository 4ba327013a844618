"""The archive of the current request, opened once and closed on teardown.

After an ingest commits, the first request to need the new generation's facet table builds
it while the others wait and share it (archive.facets.facet_table builds each generation once).
"""

from __future__ import annotations

from flask import current_app, g

from archive.search import Archive


def get_archive() -> Archive:
    if "archive" not in g:
        g.archive = Archive(current_app.config["INDEX_DIR"])
    return g.archive
