"""The ArchiMate <-> bizarch mapping, loaded from ``mapping.yaml`` (the table is data, not code)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from bizarch.namespaces import BA

ANY = "*"


def expand(curie_or_name: str) -> str:
    """``ba:Capability`` -> full IRI; exchange type names and ``*`` are returned unchanged."""
    return BA + curie_or_name[3:] if curie_or_name.startswith("ba:") else curie_or_name


def _ends(value: str | list[str]) -> frozenset[str]:
    values = [value] if isinstance(value, str) else value
    return frozenset(expand(v) for v in values)


@dataclass(frozen=True)
class Refinement:
    """An element of ``type`` at ``end`` of a ``relationship`` whose other end is ``other``."""

    type: str
    relationship: str
    end: str
    other: frozenset[str]
    cls: str


@dataclass(frozen=True)
class RelationshipRule:
    """A relationship of ``type`` from ``source`` to ``target`` stands for ``property``."""

    type: str
    source: frozenset[str]
    target: frozenset[str]
    property: str
    subject: str
    name: str | None = None

    def matches(
        self,
        rel_type: str,
        source_keys: Iterable[str],
        target_keys: Iterable[str],
        name: str | None,
    ) -> bool:
        if rel_type != self.type:
            return False
        if self.name is not None and (name or "").strip().lower() != self.name.lower():
            return False
        return _fits(self.source, source_keys) and _fits(self.target, target_keys)

    def triple(self, source: str, target: str) -> tuple[str, str, str]:
        """The mapped (subject, property, object) for a relationship from source to target."""
        if self.subject == "source":
            return (source, self.property, target)
        return (target, self.property, source)


@dataclass(frozen=True)
class Derivation:
    """``first`` from source to a ``via`` element, then ``second`` from it to target."""

    first: str
    source: frozenset[str]
    via: frozenset[str]
    second: str
    target: frozenset[str]
    property: str
    subject: str


def _fits(allowed: frozenset[str], keys: Iterable[str]) -> bool:
    return ANY in allowed or not allowed.isdisjoint(keys)


@dataclass(frozen=True)
class Mapping:
    """The table: element classes, refinements, export types, relationship rules, reserved keys."""

    element_classes: dict[str, str]
    refinements: tuple[Refinement, ...]
    export_types: dict[str, str]
    rules: tuple[RelationshipRule, ...]
    derivations: tuple[Derivation, ...]
    reserved: dict[str, str]

    def default_class(self, archimate_type: str) -> str:
        """The class an element of this type gets before refinements."""
        return self.element_classes.get(archimate_type, BA + "ArchimateElement")

    def rule_for(
        self,
        rel_type: str,
        source_keys: Iterable[str],
        target_keys: Iterable[str],
        name: str | None,
    ) -> RelationshipRule | None:
        source_keys, target_keys = list(source_keys), list(target_keys)
        for rule in self.rules:
            if rule.matches(rel_type, source_keys, target_keys, name):
                return rule
        return None

    def rules_for_property(self, prop: str) -> list[RelationshipRule]:
        return [r for r in self.rules if r.property == prop]

    @property
    def mapped_properties(self) -> frozenset[str]:
        """Every bizarch property some relationship rule or derivation produces."""
        return frozenset(r.property for r in self.rules) | frozenset(
            d.property for d in self.derivations
        )


def _load(raw: dict[str, Any]) -> Mapping:
    return Mapping(
        element_classes={k: expand(v) for k, v in raw["elements"].items()},
        refinements=tuple(
            Refinement(
                r["type"], r["relationship"], r["end"], _ends(r["other"]), expand(r["class"])
            )
            for r in raw["refinements"]
        ),
        export_types={expand(k): v for k, v in raw["export_types"].items()},
        rules=tuple(
            RelationshipRule(
                r["type"],
                _ends(r["source"]),
                _ends(r["target"]),
                expand(r["property"]),
                r["subject"],
                r.get("name"),
            )
            for r in raw["relationships"]
        ),
        derivations=tuple(
            Derivation(
                d["first"],
                _ends(d["source"]),
                _ends(d["via"]),
                d["second"],
                _ends(d["target"]),
                expand(d["property"]),
                d["subject"],
            )
            for d in raw["derivations"]
        ),
        reserved=dict(raw["reserved_properties"]),
    )


@cache
def load_mapping() -> Mapping:
    """The packaged mapping table (read once per process)."""
    text = resources.files(__package__).joinpath("mapping.yaml").read_text(encoding="utf-8")
    return _load(yaml.safe_load(text))
