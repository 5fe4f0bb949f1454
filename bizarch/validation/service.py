"""Validation as one service call: which store, which scenario, which rules, which engine.

The CLI, the load gate, importers and the web layer all call :func:`run_validation` (or
:func:`validate`, which returns just the report), so they agree on what a scenario is, how rules
are selected and which engine runs by default.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from bizarch.repository import Repository, short_name
from bizarch.store.base import GraphStore
from bizarch.validation.engines import AUTO, get_engine
from bizarch.validation.report import ValidationReport
from bizarch.validation.rules import Rule, RuleLibrary, RuleSet


@dataclass
class ValidationRun:
    """A report with what produced it: the rules checked, the engine, the time taken."""

    report: ValidationReport
    rules: list[Rule]
    engine: str
    seconds: float


def run_validation(
    store: GraphStore,
    scenario: str | None = None,
    rules: str | Iterable[str] | None = None,
    engine: str = AUTO,
    *,
    library: RuleLibrary | None = None,
    ruleset: RuleSet | None = None,
) -> ValidationRun:
    """Validate one scenario of ``store`` (default ``current``) against a selection of rules.

    ``rules``: ``None`` for all, or areas / id prefixes / ids (``"value-stream,CAP-002"``).
    A scenario that does not exist, an unknown rule or engine is a :class:`UserInputError`.
    """
    graph = Repository(store).scenario_graph(scenario)
    chosen = ruleset or (library or RuleLibrary()).select(rules)
    runner = get_engine(engine)
    started = time.perf_counter()
    report = runner.validate(store, graph, chosen)
    seconds = time.perf_counter() - started
    report.scenario = short_name(graph)
    report.rules_checked = len(chosen.rules)
    return ValidationRun(report=report, rules=chosen.rules, engine=runner.name, seconds=seconds)


def validate(
    store: GraphStore,
    scenario: str | None = None,
    rules: str | Iterable[str] | None = None,
    engine: str = AUTO,
) -> ValidationReport:
    """The report of :func:`run_validation`."""
    return run_validation(store, scenario, rules, engine).report
