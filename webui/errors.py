"""Errors as clear pages (HTML) or JSON (API), never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from archive.query import QueryError
from archive.search import RequestError


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(QueryError)
    @app.errorhandler(RequestError)
    def bad_request(exc: Exception):
        if _wants_json():
            return jsonify(error=str(exc)), 400
        return render_template("error.html", status=400, message=str(exc)), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            return jsonify(error=exc.description), exc.code
        return render_template("error.html", status=exc.code, message=exc.description), exc.code

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        app.logger.exception("unhandled error")
        message = "internal error; the server log has the details"
        if _wants_json():
            return jsonify(error=message), 500
        return render_template("error.html", status=500, message=message), 500
