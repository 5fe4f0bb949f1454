"""Turn what a user typed (IRI, CURIE or exact label) into the IRI of one element of a class.

The query catalogue's own resolver is built in another area; until it is on main this small one,
behind one function, serves the metrics and scenario commands. The text reaches the queries only
as a bound literal (``queries/metrics/lookup-label.rq``), never pasted into query text.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from bizarch.errors import AmbiguousReferenceError, NotFoundError, UserInputError
from bizarch.metrics import _catalogue
from bizarch.namespaces import PREFIXES
from bizarch.results import compact
from bizarch.store.base import GraphStore

_IRI_SCHEMES = ("http://", "https://", "urn:")


def _as_iri(text: str) -> str | None:
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(_IRI_SCHEMES):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and " " not in local:
        return PREFIXES[prefix] + local
    return None


def resolve_reference(
    store: GraphStore, text: str, cls: str, *, scenario: str | None = None, what: str = "element"
) -> str:
    """The IRI of the one element of class ``cls`` that ``text`` names in the scenario.

    ``text`` is an IRI (``https://...``, ``<...>``, ``urn:...``), a CURIE with a known prefix
    (``mm:vs-settle-claim``) or an exact label. Raises :class:`NotFoundError` when nothing matches
    and :class:`AmbiguousReferenceError` (listing the candidates) when a label matches several."""
    reference = text.strip()
    if scenario != "*":
        _catalogue.require_scenario(store, scenario)
    if not reference:
        raise UserInputError(f"Give the {what} as an IRI, a CURIE or its exact label.")
    klass = NamedNode(cls)
    iri = _as_iri(reference)
    if iri is not None:
        try:
            node = NamedNode(iri)
        except ValueError as exc:
            raise UserInputError(f"'{reference}' is not a valid IRI: {exc}") from None
        params = {"class": klass, "element": node}
        if _catalogue.run_select(store, "metrics/lookup-element", params, scenario=scenario).rows:
            return iri
        raise NotFoundError(
            f"No {what} <{iri}> in scenario '{scenario or _catalogue.DEFAULT_SCENARIO}'.",
            hint=f"Check the IRI, or give the {what}'s exact label.",
        )
    params = {"class": klass, "text": Literal(reference)}
    rows = _catalogue.run_select(store, "metrics/lookup-label", params, scenario=scenario).rows
    found = sorted({row[2].value for row in rows if isinstance(row[2], NamedNode)})
    if not found:
        raise NotFoundError(
            f"No {what} labelled '{reference}' in scenario "
            f"'{scenario or _catalogue.DEFAULT_SCENARIO}'.",
            hint=f"Labels must match exactly; or give the {what}'s IRI or CURIE.",
        )
    if len(found) > 1:
        raise AmbiguousReferenceError(reference, [compact(f) for f in found])
    return found[0]
