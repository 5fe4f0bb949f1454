"""The data block the page script ``web/static/js/graph.js`` draws (cytoscape + dagre).

Shared by the element, trace and impact pages: nodes link to their element pages (never to the IRI
itself), are coloured by a kind (layer or type), and one node may be the focus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bizarch.browse.terms import curie
from bizarch.web.filters import element_url


@dataclass(frozen=True)
class GraphNode:
    iri: str
    label: str
    kind: str
    focus: bool = False


def graph_data(
    nodes: Iterable[GraphNode],
    edges: Iterable[tuple[str, str, str]],
    *,
    rank_dir: str = "LR",
    scenario: str | None = None,
) -> dict[str, Any]:
    """JSON-ready graph; ``edges`` are ``(source IRI, target IRI, label)``, kept when both ends
    are nodes."""
    listed = list(nodes)
    known = {n.iri for n in listed}
    params = {"scenario": scenario} if scenario else {}
    return {
        "rankDir": rank_dir,
        "nodes": [
            {
                "id": n.iri,
                "label": n.label or curie(n.iri),
                "kind": n.kind,
                "href": element_url(n.iri, **params),
                "focus": n.focus,
            }
            for n in listed
        ],
        "edges": [
            {"source": s, "target": t, "label": label}
            for s, t, label in edges
            if s in known and t in known
        ],
    }
