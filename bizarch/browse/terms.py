"""Turning user references into RDF terms, and RDF terms into short names."""

from __future__ import annotations

import pyoxigraph as ox

from bizarch.errors import UserInputError
from bizarch.namespaces import PREFIXES


def to_iri(reference: str) -> ox.NamedNode:
    """An IRI from a full IRI or a CURIE with a known prefix (``mm:claims``, ``ba:Capability``).

    Raises :class:`UserInputError` for anything that is not an absolute IRI.
    """
    reference = reference.strip()
    prefix, sep, local = reference.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        reference = PREFIXES[prefix] + local
    if not sep or not prefix or " " in reference:
        raise UserInputError(
            f"'{reference}' is not an IRI.",
            hint="Give a full IRI (https://...) or a CURIE with a known prefix: "
            + ", ".join(f"{p}:" for p in sorted(PREFIXES))
            + ".",
        )
    try:
        return ox.NamedNode(reference)
    except ValueError as exc:
        raise UserInputError(f"'{reference}' is not a valid IRI: {exc}") from None


def curie(iri: str) -> str:
    """The shortest CURIE for ``iri`` with the project's prefixes, or the IRI itself."""
    best = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if best is None or len(local) < len(best[1]):
                best = (prefix, local)
    return f"{best[0]}:{best[1]}" if best else iri


def local_name(iri: str) -> str:
    """The last segment of an IRI, a readable fallback when an element has no label."""
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri
