"""The mapping applied to a model: classes of elements and bizarch triples of relationships.

Shared by import (to assert the triples) and export (to know which bizarch triples the exported
relationships already stand for), so import -> export -> import is a fixed point.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bizarch.interop.archimate.mapping import ANY
from bizarch.interop.archimate.mapping import Mapping as Table


@dataclass(frozen=True)
class RelationshipInfo:
    """What the mapping needs of a relationship (ends as identifiers)."""

    identifier: str
    type: str
    source: str
    target: str
    name: str | None = None
    bizarch_property: str | None = None


def _fits(allowed: frozenset[str], keys: Iterable[str]) -> bool:
    return ANY in allowed or not allowed.isdisjoint(keys)


def assign_classes(
    types: Mapping[str, str],
    relationships: Iterable[RelationshipInfo],
    table: Table,
    overrides: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Element identifier -> bizarch class: default by type, then refinements, then overrides."""
    relationships = list(relationships)
    classes = {identifier: table.default_class(kind) for identifier, kind in types.items()}
    for refinement in table.refinements:
        for rel in relationships:
            if rel.type != refinement.relationship:
                continue
            me, other = (
                (rel.target, rel.source) if refinement.end == "target" else (rel.source, rel.target)
            )
            if types.get(me) != refinement.type or other not in types:
                continue
            if _fits(refinement.other, {types[other], classes[other]}):
                classes[me] = refinement.cls
    classes.update(overrides or {})
    return classes


def mapped_triples(
    keys: Mapping[str, frozenset[str]],
    relationships: Iterable[RelationshipInfo],
    table: Table,
) -> list[tuple[str, str, str]]:
    """(subject id, property IRI, object id) for relationships between elements, and derivations.

    ``keys`` gives each element identifier the names it matches in the table: its exchange type and
    its bizarch classes. Relationships on relationships have no element ends and map to nothing.
    """
    triples: list[tuple[str, str, str]] = []
    relationships = [r for r in relationships if r.source in keys and r.target in keys]
    for rel in relationships:
        if rel.bizarch_property:
            triples.append((rel.source, rel.bizarch_property, rel.target))
            continue
        rule = table.rule_for(rel.type, keys[rel.source], keys[rel.target], rel.name)
        if rule is not None:
            triples.append(rule.triple(rel.source, rel.target))
    outgoing: dict[str, list[RelationshipInfo]] = defaultdict(list)
    for rel in relationships:
        outgoing[rel.source].append(rel)
    for derivation in table.derivations:
        for first in relationships:
            if first.type != derivation.first or not _fits(derivation.source, keys[first.source]):
                continue
            if not _fits(derivation.via, keys[first.target]):
                continue
            for second in outgoing[first.target]:
                if second.type == derivation.second and _fits(
                    derivation.target, keys[second.target]
                ):
                    if derivation.subject == "source":
                        triples.append((first.source, derivation.property, second.target))
                    else:
                        triples.append((second.target, derivation.property, first.source))
    return list(dict.fromkeys(triples))
