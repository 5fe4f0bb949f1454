"""Rendering query results for people and programs: table, CSV, TSV, JSON, Turtle.

Formats follow the W3C SPARQL 1.1 result formats where one exists (CSV: plain values; TSV:
terms in SPARQL/N-Triples form; JSON: ``application/sparql-results+json``) so that output can be
fed to other tools. The table is for people: IRIs shortened with the project prefixes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import IO, Any

import pyoxigraph as ox

from bizarch.errors import UserInputError
from bizarch.namespaces import PREFIXES
from bizarch.store.base import QueryResult, RdfFormat, SelectResult
from bizarch.store.serialize import write_quads

FORMATS = ("table", "csv", "tsv", "json")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def compact(iri: str) -> str:
    """``ba:Capability`` for a known namespace, else the IRI in angle brackets."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(c.isalnum() or c in "_-." for c in local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"


def display(term: object) -> str:
    """A term for humans: CURIEs, plain literal text, ``_:id`` for blank nodes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value  # language tags and datatypes are in the json/tsv formats
    return str(term)


def term_json(term: object) -> dict[str, Any]:
    """A term in the SPARQL JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def table(variables: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An aligned text table with a header rule."""
    widths = [len(v) for v in variables]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join([line, rule, *body])


def render(result: QueryResult, fmt: str, out: IO[bytes]) -> None:
    """Write a query result in ``fmt`` (SELECT/ASK: table/csv/tsv/json; CONSTRUCT: Turtle)."""
    if fmt not in FORMATS:
        raise UserInputError(f"Unknown output format '{fmt}'.", hint="Use " + ", ".join(FORMATS))
    if isinstance(result, bool):
        if fmt == "json":
            text = json.dumps({"head": {}, "boolean": result})
        else:
            text = "true" if result else "false"
        out.write((text + "\n").encode())
        return
    if isinstance(result, list):
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in result]
        write_quads(quads, out, RdfFormat.TURTLE, as_graph=True)
        return
    _render_select(result, fmt, out)


def _render_select(result: SelectResult, fmt: str, out: IO[bytes]) -> None:
    if fmt == "json":
        bindings = [
            {
                name: term_json(t)
                for name, t in zip(result.variables, row, strict=True)
                if t is not None
            }
            for row in result.rows
        ]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
        out.write((json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode())
        return
    if fmt == "table":
        rows = [[display(t) for t in row] for row in result.rows]
        text = table(result.variables, rows)
        count = len(result.rows)
        out.write(f"{text}\n({count} row{'s' if count != 1 else ''})\n".encode())
        return
    text_out = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(text_out, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_csv_value(t) for t in row])
    else:
        text_out.write("\t".join("?" + v for v in result.variables) + "\n")
        for row in result.rows:
            text_out.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    out.write(text_out.getvalue().encode())


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # blank nodes as _:id, triple terms in their own syntax
