"""The one place where errors become HTTP responses: an HTML page, JSON or plain text.

``BizarchError`` carries its own status (400, 403, 404, 413, 503, ...). The SPARQL endpoint answers
plain text (what SPARQL clients show to their users) unless JSON is preferred; ``/api/`` answers
JSON; pages answer HTML.
Anything else is a bug: a generic 500 page, never a traceback.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from bizarch.errors import BizarchError

log = logging.getLogger(__name__)


def _respond(status: int, title: str, message: str, hint: str | None) -> Response:
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "text/plain"])
    wants_json = request.path.startswith("/api/") or (
        best == "application/json" and request.accept_mimetypes[best] > 0
    )
    if wants_json:
        response = jsonify(error=title, message=message, hint=hint, status=status)
    elif request.path.startswith("/sparql") or best == "text/plain":
        text = message + (f"\n{hint}" if hint else "") + "\n"
        response = Response(text, mimetype="text/plain")
    else:
        response = Response(
            render_template(
                "errors/error.html", status=status, title=title, message=message, hint=hint
            ),
            mimetype="text/html",
        )
    response.status_code = status
    return response


def handle_bizarch_error(exc: BizarchError) -> Response:
    return _respond(exc.http_status, type(exc).__name__, exc.message, exc.hint)


def handle_http_exception(exc: HTTPException) -> Response:
    response = _respond(exc.code or 500, exc.name, exc.description or exc.name, None)
    if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def handle_unexpected(exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _respond(
        500,
        "Internal Server Error",
        "Something went wrong on the server; the error was logged.",
        None,
    )


def install(app: Flask) -> None:
    app.register_error_handler(BizarchError, handle_bizarch_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
