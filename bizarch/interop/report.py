"""What an import did, for the CLI, the web page and tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.namespaces import BA

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

BOOKKEEPING_CLASSES = frozenset(
    BA + name
    for name in (
        "ArchimateRelationship",
        "ArchimateFolder",
        "ArchimateView",
        "ArchimateProperty",
        "ArchimatePropertyDefinition",
        "ArchimateModel",
        "Measurement",
    )
)
"""Typed resources an import writes that are not model elements (relationships, folders, ...)."""


@dataclass
class ImportReport:
    """Counts of what was read and written, and warnings about what was kept but not mapped."""

    source: str
    format: str
    graph: str = ""
    elements: int = 0
    relationships: int = 0
    views: int = 0
    properties: int = 0
    quads: int = 0
    mapped_triples: int = 0
    by_class: Counter[str] = field(default_factory=Counter)
    unmapped_types: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    validated: bool = False
    imported: list[tuple[str, str]] = field(default_factory=list)
    """The imported elements as (IRI, label), in the order of the input (the web links them)."""

    def note_elements(self, quads: Iterable[ox.Quad]) -> None:
        """Record the elements among ``quads``: typed subjects that are not bookkeeping."""
        typed: dict[str, None] = {}  # insertion-ordered set
        labels: dict[str, str] = {}
        skip: set[str] = set()
        for quad in quads:
            subject, predicate = quad.subject, quad.predicate.value
            if not isinstance(subject, ox.NamedNode):
                continue
            if predicate == RDF_TYPE:
                typed[subject.value] = None
                if quad.object.value in BOOKKEEPING_CLASSES:
                    skip.add(subject.value)
            elif predicate == RDFS_LABEL:
                labels.setdefault(subject.value, quad.object.value)
        self.imported = [(iri, labels.get(iri, "")) for iri in typed if iri not in skip]

    def summary(self) -> str:
        """One paragraph for the command line."""
        if self.format in ("xlsx", "csv"):
            rows = ", ".join(f"{sheet} {n}" for sheet, n in self.by_class.items()) or "no rows"
            lines = [f"Imported {self.source} into {self.graph}: {rows}; {self.quads} quads."]
            lines.extend(f"Warning: {w}" for w in self.warnings)
            return "\n".join(lines)
        lines = [
            f"Imported {self.source} ({self.format}) into {self.graph}: {self.elements} elements, "
            f"{self.relationships} relationships, {self.views} views, {self.properties} property "
            f"values; {self.mapped_triples} bizarch relationships derived; {self.quads} quads."
        ]
        if self.unmapped_types:
            kept = ", ".join(f"{t} ({n})" for t, n in sorted(self.unmapped_types.items()))
            lines.append(f"Kept with their ArchiMate type (no bizarch class): {kept}.")
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)
