"""The archive of the current request, opened once and closed on teardown.

Opening it also makes sure the facet table of the store's current generation is built
once. After an ingest commits, the first request builds the new table (seconds on a large
archive) while the others wait for it and share it: without this every server thread would
build its own copy at the same time, and under an ingest committing every few seconds the
server would do nothing else.
"""

from __future__ import annotations

import threading

from flask import current_app, g

from archive.facets import facet_table
from archive.search import Archive

_building = threading.Lock()


def get_archive() -> Archive:
    if "archive" not in g:
        archive = Archive(current_app.config["INDEX_DIR"])
        warm_facets(archive)
        g.archive = archive
    return g.archive


def warm_facets(archive: Archive) -> None:
    """The facet table of the store's current generation, built by one thread at a time."""
    with _building:
        facet_table(archive.store)
