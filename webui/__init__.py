"""The Flask web UI and JSON API over an archive folder (application factory)."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, g

from archive.config import index_dir


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `INDEX_DIR` names the archive folder to serve."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=str(index_dir()), BASE_URL=None, JSON_AS_ASCII=False)
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False

    from webui import api, errors, export, i18n, reuse_view, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(reuse_view.bp)
    errors.register(app)
    i18n.register(app)

    if app.config.get("WARM_UP", not app.testing):
        _start_warm_up(app.config["INDEX_DIR"])

    @app.teardown_appcontext
    def close_archive(_exc: BaseException | None) -> None:
        archive = g.pop("archive", None)
        if archive is not None:
            archive.close()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


def _start_warm_up(folder: str) -> None:
    """Load dictionaries and tables in the background, so the first search is as quick as the rest."""
    from archive.search import Archive

    def warm() -> None:
        archive = Archive(folder)
        try:
            archive.warm_up()  # its facet table is built once, shared with requests arriving meanwhile
        finally:
            archive.close()

    threading.Thread(target=warm, name="warm-up", daemon=True).start()
