"""The validation gate: write new data only if the model it produces adds no violation.

Why compare with the state before instead of demanding a clean result: a store may already hold
violations (an import in progress, an old model); refusing every load until all of them are fixed
would block the fixes themselves. The gate refuses exactly the loads that make things worse.

How: the sources are parsed once (a syntax error stops everything before any write); the graphs
they touch are copied, with the ontology, into a scratch in-memory store, validated there, the new
quads added and validated again with the same rules and engine (the real store is only read); if
the new state has a violation the old one did not have, nothing is written and
:class:`LoadRefusedError` says which. Otherwise the parsed quads are added to the real store in one
atomic change. ``bizarch load --validate``
uses :func:`gate_load`; importers that map their own quads call :func:`check_addition` before
their write.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.errors import ValidationFailedError
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.repository import Repository, short_name
from bizarch.store.base import GraphStore, RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.parsing import ProgressCallback, iter_quads
from bizarch.validation.engines import AUTO, get_engine
from bizarch.validation.report import Finding, Severity, ValidationReport
from bizarch.validation.rules import RuleLibrary, RuleSet
from bizarch.validation.service import ValidationRun, run_validation
from bizarch.validation.sparql_engine import SPARQL


@dataclass
class GateResult:
    """What the gate decided, with the evidence."""

    written: bool
    quads: int
    graphs: list[str]
    runs: dict[str, ValidationRun] = field(default_factory=dict)
    """The validation of each touched scenario as it would be (is, when written) after the load."""
    new_violations: list[Finding] = field(default_factory=list)

    @property
    def report(self) -> ValidationReport:
        """All findings of the touched scenarios after the load, as one report."""
        merged = ValidationReport(scenario=", ".join(short_name(g) for g in self.graphs))
        for run in self.runs.values():
            merged.extend(run.report.findings)
            merged.rules_checked = run.report.rules_checked
        return merged

    def refusal(self) -> ValidationRun:
        """The new violations as a validation run of their own (what a refusal shows)."""
        runs = list(self.runs.values())
        report = ValidationReport(
            findings=list(self.new_violations),
            scenario=self.report.scenario,
            rules_checked=runs[0].report.rules_checked if runs else 0,
        )
        return ValidationRun(
            report=report,
            rules=runs[0].rules if runs else [],
            engine=runs[0].engine if runs else "none",
            seconds=sum(run.seconds for run in runs),
        )


class LoadRefusedError(ValidationFailedError):
    """The load would add violations; nothing was written. ``result`` holds the evidence."""

    def __init__(self, result: GateResult) -> None:
        count = len(result.new_violations)
        where = ", ".join(f"'{short_name(g)}'" for g in result.graphs)
        shown = "; ".join(_describe(f) for f in result.new_violations[:5])
        more = f"; and {count - 5} more" if count > 5 else ""
        super().__init__(
            f"Load refused: it would add {count} violation{'s' if count != 1 else ''} to "
            f"scenario {where}, so nothing was written: {shown}{more}.",
            hint="Fix the data and load again (bizarch validate explains each rule).",
        )
        self.result = result


def _describe(finding: Finding) -> str:
    element = finding.focus_label or finding.focus_node
    return f"{finding.rule_id} on {element}"


def gate_load(
    store: GraphStore,
    sources: Sequence[RdfSource],
    scenario: str | None = None,
    *,
    rules: str | Iterable[str] | None = None,
    engine: str = AUTO,
    progress: ProgressCallback | None = None,
    keep_named_graphs: bool = False,
    library: RuleLibrary | None = None,
) -> GateResult:
    """Load ``sources`` into ``scenario`` of ``store`` only if that adds no violation.

    Returns the :class:`GateResult` of a load that was written; raises :class:`LoadRefusedError`
    (and writes nothing) otherwise. Syntax errors raise before anything is validated or written.
    """
    target = Repository(store).scenario_graph(scenario, must_exist=False)
    quads = [
        quad
        for source in sources
        for quad in iter_quads(source, target, progress, keep_named_graphs=keep_named_graphs)
    ]
    result = check_addition(store, quads, rules=rules, engine=engine, library=library)
    store.add_quads(quads)
    result.written = True
    return result


def check_addition(
    store: GraphStore,
    quads: Sequence[ox.Quad],
    *,
    rules: str | Iterable[str] | None = None,
    engine: str = AUTO,
    library: RuleLibrary | None = None,
) -> GateResult:
    """Whether adding ``quads`` (in their named graphs) to ``store`` adds a violation.

    Writes nothing. Returns the evidence when the addition is acceptable; raises
    :class:`LoadRefusedError` when it is not. Importers that build their quads themselves call
    this before their own atomic write.
    """
    touched = sorted(
        {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        - {ONTOLOGY_GRAPH}
    )
    ruleset = (library or RuleLibrary()).select(rules)
    existing = {info.name for info in store.graphs()}
    result = GateResult(written=False, quads=len(quads), graphs=touched)
    # Both states are validated in a scratch copy: the real store is only read (exported) here,
    # whatever an engine keeps in the store it validates.
    scratch: OxigraphStore | None = None
    try:
        scratch = _scratch_copy(store, [g for g in (ONTOLOGY_GRAPH, *touched) if g in existing])
        if ONTOLOGY_GRAPH not in existing:
            Repository(scratch).ensure_ontology()
        size = sum(scratch.count(graph) for graph in touched if graph in existing)
        if _incremental(engine, quads, touched, size):
            for graph in touched:
                _gate_incrementally(scratch, graph, quads, ruleset, graph in existing, result)
        else:
            before = {
                graph: _violation_keys(scratch, graph, ruleset, engine)
                for graph in touched
                if graph in existing
            }
            scratch.add_quads(quads)
            for graph in touched:
                run = run_validation(scratch, graph, engine=engine, ruleset=ruleset)
                result.runs[graph] = run
                result.new_violations += _new_violations(run.report, before.get(graph, set()))
    finally:
        if scratch is not None:
            scratch.close()
    if result.new_violations:
        raise LoadRefusedError(result)
    return result


INCREMENTAL_MIN_LIMIT = 100
INCREMENTAL_SHARE = 300
"""Additions of more than one statement per :data:`INCREMENTAL_SHARE` of the scenarios they touch
(and more than :data:`INCREMENTAL_MIN_LIMIT`) are validated after in full: the incremental analysis
binds every new statement into its queries and grows faster than the addition, while a full
validation grows with the model (``bench/bench_gate.py --no-limit``: at 100k triples 510 statements
took 2.96 s incrementally against 2.60 s in full, 9,000 took 111 s against 2.6 s; at 1M 3,000 took
19.3 s against 22.5 s)."""


def _incremental(
    engine: str, quads: Sequence[ox.Quad], touched: Sequence[str], model_size: int
) -> bool:
    """Whether the state after the addition can be validated incrementally: the SPARQL engine,
    an addition small beside the ``model_size`` statements of the touched scenarios, and every
    statement in a scenario graph (a change to the ontology can affect any finding)."""
    limit = max(INCREMENTAL_MIN_LIMIT, model_size // INCREMENTAL_SHARE)
    if len(quads) > limit or get_engine(engine).name != SPARQL:
        return False
    graphs = set(touched)
    return all(
        isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in graphs for q in quads
    )


def _gate_incrementally(
    scratch: OxigraphStore,
    graph: str,
    quads: Sequence[ox.Quad],
    ruleset: RuleSet,
    existed: bool,
    result: GateResult,
) -> None:
    """Validate ``graph`` of the scratch copy in full, add its share of ``quads``, re-check only
    what they can affect (:mod:`bizarch.validation.incremental`), and record the new violations.

    Why: the state after a small addition differs from the state before in a handful of focus
    nodes; a second full validation (6-7 s at 1M triples) re-checked everything else too. The
    incremental report is the full one (a test compares them after random edits).
    """
    from bizarch.validation.incremental import IncrementalValidator

    started = time.perf_counter()
    validator = IncrementalValidator(scratch, graph, ruleset)
    # The scratch copy is this call's own: no other thread reads it while a child is forked.
    old = validator.full(fork_guard=contextlib.nullcontext())
    before = _keys_of_violations(old) if existed else set()
    new = validator.apply(added=[q for q in quads if q.graph_name.value == graph])
    new.scenario = short_name(graph)
    new.rules_checked = len(ruleset.rules)
    seconds = time.perf_counter() - started
    result.runs[graph] = ValidationRun(
        report=new, rules=ruleset.rules, engine=SPARQL, seconds=seconds
    )
    result.new_violations += _new_violations(new, before)


def _new_violations(
    report: ValidationReport, before: set[tuple[str, str, str | None, str | None]]
) -> list[Finding]:
    return [
        f for f in report.findings if f.severity is Severity.VIOLATION and f.key() not in before
    ]


def _keys_of_violations(report: ValidationReport) -> set[tuple[str, str, str | None, str | None]]:
    return {f.key() for f in report.findings if f.severity is Severity.VIOLATION}


def _violation_keys(
    store: GraphStore, graph: str, ruleset: RuleSet, engine: str
) -> set[tuple[str, str, str | None, str | None]]:
    return _keys_of_violations(run_validation(store, graph, engine=engine, ruleset=ruleset).report)


def _scratch_copy(store: GraphStore, graphs: Sequence[str]) -> OxigraphStore:
    """An in-memory copy of ``graphs`` of ``store``, each graph kept apart.

    The embedded store is copied the way a full validation copies it (two processes for a large
    on-disk store, :func:`bizarch.store.memory_copy.memory_copy`; a served store from its
    in-memory side); other stores through N-Triples. At 1M triples the N-Triples round trip
    (export, then parse) took 17 s of a 40 s gated load of three triples.
    """
    from bizarch.store.memory_copy import memory_copy
    from bizarch.store.serving import ServingStore

    source = store.memory if isinstance(store, ServingStore) else store
    if isinstance(source, OxigraphStore):
        return memory_copy(source, list(graphs))
    scratch = OxigraphStore(None)
    _copy_graphs(store, scratch, graphs)
    return scratch


def _copy_graphs(source: GraphStore, target: GraphStore, graphs: Iterable[str]) -> None:
    """Copy named graphs between stores through N-Triples (works for every backend)."""
    for graph in graphs:
        buffer = io.BytesIO()
        source.export(buffer, RdfFormat.NTRIPLES, graph)
        target.load([RdfSource(f"copy of {graph}", buffer.getvalue(), RdfFormat.NTRIPLES)], graph)
