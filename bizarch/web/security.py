"""Security headers on every response, and the one rule for links to RDF resources.

The Content-Security-Policy allows scripts from this origin only (no inline scripts, no eval):
page scripts live in ``web/static/js`` and read their data from ``<script type="application/json">``
blocks, which are data, not code. Inline *styles* are allowed because CodeMirror (inside YASGUI)
and Cytoscape position elements with style attributes (measured with the browser tests, which fail
on any CSP violation reported in the console).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def external_href(iri: str) -> str | None:
    """``iri`` when it may be an outbound link (http, https, mailto), else ``None``.

    RDF resources are linked through their element page (``/element?iri=...``), which is safe for
    any IRI; only the "open original" link uses the IRI itself, and never for ``javascript:``,
    ``data:`` or other schemes that run code or hide content.
    """
    try:
        scheme = urlsplit(iri.strip()).scheme.lower()
    except ValueError:
        return None
    return iri if scheme in SAFE_SCHEMES else None


def install(app: Flask) -> None:
    app.after_request(add_security_headers)
