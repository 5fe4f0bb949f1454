"""Jinja filters and globals: how RDF terms look on a page.

Links to resources always go to their element page (``/element?iri=...``), whatever the IRI's
scheme, so an IRI such as ``javascript:alert(1)`` can never become an executable link; the
optional "original IRI" link passes through :func:`bizarch.web.security.external_href`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Flask, g, request, url_for

from bizarch.browse.element import Ref
from bizarch.browse.terms import curie
from bizarch.metrics.units import format_number
from bizarch.web.security import external_href

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
    )
}
_DECIMALS = {XSD + "decimal", XSD + "double", XSD + "float"}


def format_literal(literal: ox.Literal) -> str:
    """A literal as a reader wants it: grouped digits, trimmed decimals, yes/no, ISO dates."""
    datatype = literal.datatype.value if literal.datatype else ""
    text = literal.value
    try:
        if datatype in _INTEGERS:
            return f"{int(text):,}"
        if datatype in _DECIMALS:
            number = Decimal(text)
            if number == number.to_integral_value() and abs(number) < Decimal(10) ** 15:
                return f"{int(number):,}"
            return f"{number.normalize():,f}"
    except (ValueError, InvalidOperation):
        return text  # ill-typed: show what is there
    if datatype == XSD + "boolean":
        return {"true": "yes", "1": "yes", "false": "no", "0": "no"}.get(text, text)
    return text


def literal_note(literal: ox.Literal) -> str | None:
    """The language or an unusual datatype, shown small next to the value."""
    if literal.language:
        return literal.language
    datatype = literal.datatype.value if literal.datatype else ""
    if datatype in _INTEGERS | _DECIMALS | {XSD + "string", XSD + "boolean", ""}:
        return None
    return curie(datatype)


def element_url(value: Ref | ox.NamedNode | str, **params: Any) -> str:
    """URL of the element page of a resource, keeping the current scenario.

    Pages link hundreds of resources, so the route is resolved once per request and the query
    string is encoded here (``url_for`` per link was a third of the capability map's time).
    """
    iri = value.iri if isinstance(value, Ref) else getattr(value, "value", value)
    scenario = params.pop("scenario", request.args.get("scenario"))
    query = {"iri": iri, **({"scenario": scenario} if scenario else {}), **params}
    if "element_path" not in g:
        g.element_path = url_for("element.show")
    return g.element_path + "?" + urlencode(query, safe=":/!$'()*,;@?", quote_via=quote)


def is_literal(value: object) -> bool:
    return isinstance(value, ox.Literal)


def format_percent(value: Decimal | float | None) -> str:
    """A percentage of the measure pages ("12.5 %"), rounded for display only."""
    return "\u2013" if value is None else f"{format_number(Decimal(str(value)))} %"


def format_plain_number(value: Decimal | float | None) -> str:
    """A decimal figure rounded for display only (exact values stay in the services)."""
    return "\u2013" if value is None else format_number(Decimal(str(value)))


def install(app: Flask) -> None:
    app.jinja_env.filters.update(
        literal=format_literal,
        literal_note=literal_note,
        curie=curie,
        percent=format_percent,
        number=format_plain_number,
    )
    app.jinja_env.globals.update(
        element_url=element_url, external_href=external_href, is_literal=is_literal
    )
