"""The registry of validation engines: one contract, several ways to check the same rules.

Why a registry: pySHACL is the reference (slow, exact), the SPARQL engine on Oxigraph is fast and
must report the same findings. Commands and importers call
:func:`bizarch.validation.service.validate` with an engine name; this module maps the name to an
engine object.

An engine is any object with a ``name`` and a ``validate(store, scenario_graph, ruleset)`` method
returning a :class:`~bizarch.validation.report.ValidationReport`. It must

- read the data graph as the scenario graph plus the ontology graph, plus ``ruleset.reference``
  (reference data such as the ArchiMate relationship table that some rules query);
- run only ``ruleset.rules`` (``ruleset.shapes`` holds exactly their shapes) and file each finding
  under ``ruleset.shape_rule[source shape]``;
- write focus nodes, paths and values with :mod:`bizarch.validation.terms`, so engines compare.

Built-in engines are found lazily by module (``ENGINE`` attribute), so an engine whose module is
not installed, or not finished, is simply not available; ``auto`` prefers the fast one.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from bizarch.errors import UserInputError
from bizarch.store.base import GraphStore
from bizarch.validation.report import ValidationReport
from bizarch.validation.rules import RuleSet

AUTO = "auto"

#: Engine name -> module defining ``ENGINE``; ``auto`` tries them in this order.
BUILTIN_MODULES: dict[str, str] = {
    "sparql": "bizarch.validation.sparql_engine",
    "pyshacl": "bizarch.validation.pyshacl_engine",
}


class ValidationEngine(Protocol):
    """What every engine offers (see the module docstring for the rules it must follow)."""

    name: str

    def validate(
        self, store: GraphStore, scenario_graph: str, ruleset: RuleSet
    ) -> ValidationReport: ...


_registered: dict[str, ValidationEngine] = {}


def register_engine(engine: ValidationEngine) -> None:
    """Make an engine available under its name (replaces a built-in of the same name)."""
    _registered[engine.name] = engine


def _builtin(name: str) -> ValidationEngine | None:
    module_name = BUILTIN_MODULES.get(name)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, "ENGINE", None)


def available_engines() -> list[str]:
    """Names of the engines that can run here, ``auto`` first."""
    names = [n for n in BUILTIN_MODULES if n in _registered or _builtin(n) is not None]
    names += [n for n in _registered if n not in names]
    return [AUTO, *names]


def get_engine(name: str = AUTO) -> ValidationEngine:
    """The engine called ``name``; ``auto`` is the first available of :data:`BUILTIN_MODULES`."""
    candidates = list(BUILTIN_MODULES) if name == AUTO else [name]
    for candidate in candidates:
        engine = _registered.get(candidate) or _builtin(candidate)
        if engine is not None:
            return engine
    raise UserInputError(
        f"Validation engine '{name}' is not available.",
        hint=f"Choose one of: {', '.join(available_engines())}.",
    )
