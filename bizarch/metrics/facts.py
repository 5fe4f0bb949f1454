"""Typed reading of the long-form "facts" rows the metrics queries return.

Queries return one row per (subject, property, value) so that a missing, repeated or ill-typed
value is seen here, reported as a :class:`MetricIssue`, and never silently guessed: a functional
property with two different values counts as absent (with an error), a duration that is not a
number counts as absent (with an error).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal, NamedNode

from bizarch.namespaces import BA
from bizarch.store.base import Term

XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_NUMERIC = {
    XSD + t
    for t in (
        "decimal",
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


@dataclass(frozen=True)
class MetricIssue:
    """A problem in the data that affects a figure: what, where, and what to do.

    ``severity`` is ``"error"`` (a figure could not be computed from this element's data) or
    ``"warning"`` (a figure is computed but partial or questionable)."""

    severity: str
    subject: str | None
    subject_label: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


def local_name(iri: str) -> str:
    """The part of an IRI after its last '#', '/' or ':' (a fallback label)."""
    for sep in ("#", "/", ":"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def best_label(labels: Iterable[Literal | Term], fallback: str) -> str:
    """English label first, then one without language, then any; ties broken alphabetically."""
    ranked: list[tuple[int, str]] = []
    for term in labels:
        if isinstance(term, Literal):
            lang = term.language or ""
            rank = 0 if lang.lower().startswith("en") else (1 if not lang else 2)
            ranked.append((rank, term.value))
    return min(ranked)[1] if ranked else fallback


def to_decimal(term: Term) -> Decimal:
    """The value of a numeric literal; ``ValueError`` naming the lexical form otherwise."""
    if not isinstance(term, Literal) or term.datatype.value not in _NUMERIC:
        shown = term.value if isinstance(term, Literal | NamedNode) else str(term)
        raise ValueError(f"'{shown}' is not a number")
    try:
        value = Decimal(term.value.strip())
    except InvalidOperation:
        raise ValueError(f"'{term.value}' is not a valid number") from None
    if not value.is_finite():
        raise ValueError(f"'{term.value}' is not a finite number")
    return value


def to_date(term: Term) -> dt.date:
    """The value of an ``xsd:date`` (or the date part of an ``xsd:dateTime``)."""
    if isinstance(term, Literal) and term.datatype.value in (XSD + "date", XSD + "dateTime"):
        try:
            return dt.date.fromisoformat(term.value.strip()[:10])
        except ValueError:
            pass
    shown = term.value if isinstance(term, Literal | NamedNode) else str(term)
    raise ValueError(f"'{shown}' is not a date (xsd:date)")


def to_bool(term: Term) -> bool:
    """The value of an ``xsd:boolean`` literal."""
    if isinstance(term, Literal) and term.datatype.value == XSD + "boolean":
        if term.value.strip() in ("true", "1"):
            return True
        if term.value.strip() in ("false", "0"):
            return False
    shown = term.value if isinstance(term, Literal | NamedNode) else str(term)
    raise ValueError(f"'{shown}' is not a boolean")


def _property_label(prop: str) -> str:
    name = local_name(prop)
    words = "".join(" " + c.lower() if c.isupper() else c for c in name).strip()
    return {"percent complete accurate": "%C&A", "label": "label"}.get(words, words)


@dataclass
class FactSheet:
    """All values of the queried properties of one subject, with the labels of IRI values."""

    iri: str
    values: dict[str, list[Term]] = field(default_factory=dict)
    value_labels: dict[Term, list[Term]] = field(default_factory=dict)

    def add(self, prop: str | None, value: Term | None, value_label: Term | None) -> None:
        if prop is None or value is None:
            return
        bucket = self.values.setdefault(prop, [])
        if value not in bucket:
            bucket.append(value)
        if value_label is not None:
            labels = self.value_labels.setdefault(value, [])
            if value_label not in labels:
                labels.append(value_label)

    @property
    def label(self) -> str:
        return best_label(self.values.get(RDFS_LABEL, []), local_name(self.iri))

    def all(self, prop: str) -> list[Term]:
        return list(self.values.get(prop, []))

    def label_of(self, value: Term) -> str:
        fallback = local_name(value.value) if isinstance(value, NamedNode) else str(value)
        return best_label(self.value_labels.get(value, []), fallback)

    def one(self, prop: str, issues: list[MetricIssue], what: str) -> Term | None:
        """The single value of a functional property; two different values give an error."""
        found = self.values.get(prop, [])
        if len(found) > 1:
            shown = ", ".join(sorted(t.value if hasattr(t, "value") else str(t) for t in found))
            issues.append(
                MetricIssue(
                    "error",
                    self.iri,
                    self.label,
                    f"{what} '{self.label}' has {len(found)} values for "
                    f"{_property_label(prop)} ({shown}); none is used. Keep one value.",
                )
            )
            return None
        return found[0] if found else None

    def number(self, prop: str, issues: list[MetricIssue], what: str) -> Decimal | None:
        term = self.one(prop, issues, what)
        if term is None:
            return None
        try:
            return to_decimal(term)
        except ValueError as exc:
            issues.append(
                MetricIssue(
                    "error",
                    self.iri,
                    self.label,
                    f"{what} '{self.label}': {_property_label(prop)} {exc}; it is ignored. "
                    "Give it as an xsd:decimal.",
                )
            )
            return None

    def flag(self, prop: str, issues: list[MetricIssue], what: str) -> bool | None:
        term = self.one(prop, issues, what)
        if term is None:
            return None
        try:
            return to_bool(term)
        except ValueError as exc:
            issues.append(
                MetricIssue(
                    "error",
                    self.iri,
                    self.label,
                    f"{what} '{self.label}': {_property_label(prop)} {exc}; it is ignored.",
                )
            )
            return None

    def iri_value(self, prop: str, issues: list[MetricIssue], what: str) -> str | None:
        term = self.one(prop, issues, what)
        return term.value if isinstance(term, NamedNode) else None


def ba(name: str) -> str:
    """Full IRI of a term of the bizarch vocabulary."""
    return BA + name
