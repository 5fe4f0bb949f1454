"""Turn what a user typed (IRI, CURIE or exact label) into the IRI of one element of a class.

Labels, CURIEs and IRIs are resolved by the query catalogue's resolver
(:meth:`bizarch.queries.catalogue.Catalogue.resolve`, the same rules as every ``-p`` parameter);
this function adds what a measure command needs on top: the element must exist, with that class,
in the chosen scenario (``queries/metrics/lookup-element.rq``), so a typo in an IRI is a clear
"not found" rather than an empty table.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from bizarch.errors import NotFoundError, UserInputError
from bizarch.metrics import _catalogue
from bizarch.queries.catalogue import default_catalogue
from bizarch.repository import Repository
from bizarch.results import compact
from bizarch.store.base import GraphStore


def resolve_reference(
    store: GraphStore, text: str, cls: str, *, scenario: str | None = None, what: str = "element"
) -> str:
    """The IRI of the one element of class ``cls`` that ``text`` names in the scenario.

    Raises :class:`NotFoundError` when nothing matches and
    :class:`~bizarch.errors.AmbiguousReferenceError` (listing the candidates) when a label
    matches several elements of the class."""
    reference = text.strip()
    name = scenario or _catalogue.DEFAULT_SCENARIO
    _catalogue.require_scenario(store, name)
    if not reference:
        raise UserInputError(f"Give the {what} as an IRI, a CURIE or its exact label.")
    node = default_catalogue().resolve(Repository(store), reference, cls=cls, scenario=name)
    params = {"class": NamedNode(cls), "element": node}
    if _catalogue.run_select(store, "metrics/lookup-element", params, scenario=name).rows:
        return node.value
    raise NotFoundError(
        f"No {what} {compact(node.value)} in scenario '{name}'.",
        hint=f"Check the IRI, or give the {what}'s exact label.",
    )
