"""The fast validation engine: SHACL shapes compiled to SPARQL, run by Oxigraph in the store.

pySHACL (the reference) needs the model copied into rdflib and evaluates constraints node by node
in Python: 25 s for a million triples, plus 35 s for the copy. This engine leaves the data where it
is: each constraint becomes one SELECT that returns the violations of all focus nodes at once, run
against the scenario graph plus the ontology graph as the default graph. Findings are the same as
pySHACL's (rule id, focus node, path, value): a parity test compares both on every rule case, on
the demo enterprise and on the W3C SHACL core tests.

Shapes the compiler cannot translate are validated by pySHACL (only those shapes); the report says
which engine checked which shape.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from bizarch.namespaces import ONTOLOGY_GRAPH, REFERENCE_BASE, scenario_graph
from bizarch.resources import query_text
from bizarch.store.base import GraphStore, SelectResult, Term
from bizarch.validation.class_sets import ClassLists
from bizarch.validation.messages import fill_placeholders, generic_message
from bizarch.validation.parallel import ForkGuard, run_shared
from bizarch.validation.pyshacl_fallback import load_rdflib, run_pyshacl
from bizarch.validation.reference_graphs import ensure_reference_graphs, reference_file
from bizarch.validation.report import Finding, Severity, ValidationReport
from bizarch.validation.rules import RuleSet
from bizarch.validation.shape_model import ShapesGraph, Unsupported
from bizarch.validation.sparql_compiler import Check, Compiler
from bizarch.validation.terms import path_key, term_key, to_oxigraph, to_rdflib

SPARQL = "sparql"
PYSHACL = "pyshacl"


@dataclass
class Unit:
    """One top-level shape: its compiled checks, or why pySHACL has to check it."""

    shape: rdflib.term.Node
    rule_id: str
    targets: str = ""
    compiler: Compiler | None = None
    checks: list[Check] = field(default_factory=list)
    fallback_reason: str | None = None
    subjects_of: str | None = None
    """``<p>`` when the only target is "subjects of p" (checks reading p need no target)."""
    any_target: str = ""
    """A group body with a solution when the shape has a focus node (for one ASK)."""

    @property
    def engine(self) -> str:
        return PYSHACL if self.fallback_reason else SPARQL


@dataclass
class EngineReport(ValidationReport):
    """A :class:`ValidationReport` that also says which engine checked which shape."""

    engines: dict[str, str] = field(default_factory=dict)
    fallback_reasons: dict[str, str] = field(default_factory=dict)


class SparqlEngine:
    """Validates scenarios in a :class:`GraphStore` against one shapes graph.

    Compiling is done once per shapes graph; :meth:`validate` can then be called for any scenario
    or focus-node subset (incremental validation).
    """

    def __init__(self, shapes: ShapesGraph) -> None:
        self.shapes = shapes
        compiler = Compiler(shapes)
        self.units: list[Unit] = []
        for shape in shapes.top_level_shapes():
            unit = Unit(shape, shapes.rule_id(shape))
            if shapes.is_deactivated(shape):
                continue
            try:
                unit.targets = compiler.targets_pattern(shape)
                unit.any_target = compiler.any_target_pattern(shape)
                unit.compiler = compiler
                unit.checks = compiler.checks(shape)
                targets = shapes.targets(shape)
                if (
                    targets.subjects_of
                    and len(targets.subjects_of) == 1
                    and not (targets.classes or targets.nodes or targets.objects_of)
                ):
                    unit.subjects_of = f"<{targets.subjects_of[0]}>"
            except Unsupported as exc:
                unit.fallback_reason = str(exc)
                unit.checks = []
            self.units.append(unit)

    @classmethod
    def from_turtle(cls, *texts: str) -> SparqlEngine:
        return cls(ShapesGraph.parse(*texts))

    def engines(self) -> dict[str, str]:
        """Shape (as written in findings) -> the engine that checks it."""
        return {term_key(u.shape) or "": u.engine for u in self.units}

    def select_units(self, rules: Iterable[str] | None) -> list[Unit]:
        if rules is None:
            return list(self.units)
        wanted = set(rules)
        return [u for u in self.units if u.rule_id in wanted or term_key(u.shape) in wanted]

    # -- validation --------------------------------------------------------------------------

    def validate(
        self,
        store: GraphStore,
        scenario: str | None = None,
        *,
        data_graphs: Sequence[str] | None = None,
        focus_nodes: Iterable[Term | rdflib.term.Node] | None = None,
        rules: Iterable[str] | None = None,
        rdflib_data: rdflib.Graph | Callable[[], rdflib.Graph] | None = None,
        parallel: bool = False,
        rule_graphs: Mapping[str, Sequence[str]] | None = None,
        label_graphs: Sequence[str] | None = None,
        fork_guard: ForkGuard | None = None,
    ) -> EngineReport:
        """Validate one scenario (default ``current``) with the ontology graph as context.

        ``focus_nodes`` restricts validation to those nodes (those of them each shape targets);
        ``rules`` to the given rule ids. ``rdflib_data`` may hand in an rdflib copy of the data
        (or a function making one) for the pySHACL fallback; otherwise the data graphs are
        exported from the store, and only when some shape needs pySHACL. ``parallel``: share
        the checks of a full validation with a forked process (:mod:`.parallel`; only for a
        store no other thread uses, such as a private in-memory copy). ``rule_graphs``: graphs
        a rule reads besides ``data_graphs`` (reference data): every other rule's queries leave
        them out, since pyoxigraph looks each pattern up once per graph of the default graph
        (1M triples: the rules without reference data took 14.5-15.8 s over two graphs, 17.2-18.3 s
        over three). ``label_graphs``: in a shared run, the process that runs a check also names
        its findings' focus elements from these graphs (1M triples: 0.6-0.9 s of label lookups
        that one process did after all checks). ``fork_guard``: lets a process with other threads
        share the checks (:func:`bizarch.validation.parallel.run_shared`).
        """
        graphs = list(data_graphs or [scenario_graph(scenario or "current"), ONTOLOGY_GRAPH])
        extra = dict(rule_graphs or {})

        def graphs_of(unit: Unit) -> list[str]:
            return graphs + [g for g in extra.get(unit.rule_id, ()) if g not in graphs]

        units = self.select_units(rules)
        focus = _focus_values(focus_nodes) if focus_nodes is not None else None
        report = EngineReport(scenario=graphs[0], rules_checked=len({u.rule_id for u in units}))
        fallback: list[Unit] = []
        compiled: list[Unit] = []
        for unit in units:
            report.engines[term_key(unit.shape) or ""] = unit.engine
            if unit.fallback_reason:
                report.fallback_reasons[term_key(unit.shape) or ""] = unit.fallback_reason
                fallback.append(unit)
            elif focus != "":
                compiled.append(unit)
        if focus is None:  # a shape with no focus node in the model finds nothing
            compiled = [u for u in compiled if self.has_focus_nodes(store, graphs_of(u), u)]
        lists: dict[tuple[str, ...], ClassLists] = {}

        def class_lists(unit: Unit) -> ClassLists | None:
            if focus is not None:  # a few focus nodes: the walk is cheaper than the lists
                return None
            key = tuple(graphs_of(unit))
            return lists.setdefault(key, ClassLists(store, key))

        if parallel and focus is None:
            tasks = _heaviest_first([(unit, check) for unit in compiled for check in unit.checks])

            def run_task(task: tuple[Unit, Check]) -> list[Finding]:
                unit, check = task
                found = self.run_unit(
                    store, graphs_of(unit), unit, checks=[check], classes=class_lists(unit)
                )
                if label_graphs is not None and found:
                    _add_labels(store, list(label_graphs), found)
                return found

            report.extend(run_shared(tasks, run_task, fork_guard=fork_guard))
        else:
            for unit in compiled:
                classes = class_lists(unit)
                report.extend(self.run_unit(store, graphs_of(unit), unit, focus, classes=classes))
        if fallback and focus != "":
            if callable(rdflib_data):
                data = rdflib_data()
            elif rdflib_data is not None:
                data = rdflib_data
            else:
                every = sorted({g for u in fallback for g in graphs_of(u)} - set(graphs))
                data = load_rdflib(store, graphs + every)
            nodes = None if focus_nodes is None else [to_rdflib(n) for n in focus_nodes]
            report.extend(run_pyshacl(self.shapes, [u.shape for u in fallback], data, nodes))
        report.findings = _dedupe(report.findings)
        return report

    def has_focus_nodes(self, store: GraphStore, graphs: Sequence[str], unit: Unit) -> bool:
        """Whether a compiled shape targets any node of the model (one ASK before its checks).

        A check's own query may start anywhere: with no ArchiMate relationship in a 1M-triple
        model, Oxigraph began AM-001 and AM-002 with the relationship table and spent 0.4 s each
        finding nothing; the ASK answers in well under a millisecond.
        """
        if not unit.any_target:  # pragma: no cover - compiled units have their pattern
            return True
        return store.query(f"ASK {{ {unit.any_target} }}", default_graphs=list(graphs)) is not False

    def run_unit(
        self,
        store: GraphStore,
        graphs: Sequence[str],
        unit: Unit,
        focus: str | None = None,
        checks: Sequence[Check] | None = None,
        classes: ClassLists | None = None,
    ) -> list[Finding]:
        """Findings of one compiled shape (``checks``: only those of its checks); ``focus``: a
        VALUES body restricting ``?this``; ``classes``: test classes against lists (full runs)."""
        found: list[Finding] = []
        for check in unit.checks if checks is None else checks:
            targets = unit.targets
            implied = check.needs_value or (check.bulk is not None and focus is None)
            reads_target = unit.subjects_of is not None and check.path == unit.subjects_of
            if implied and check.focus_var == "this" and reads_target:
                targets = ""  # the check reads the target property itself
            if focus is not None:
                assert unit.compiler is not None
                targets = unit.compiler.targets_pattern(unit.shape, focus)
            focus_pattern = targets
            found.extend(
                self._run_check(
                    store, list(graphs), check, focus_pattern, bulk=focus is None, classes=classes
                )
            )
        return found

    def check_query(self, unit: Unit, check: Check) -> str:
        """The query of a check with the shape's targets, as written (for change analysis)."""
        if check.sparql is not None:
            return check.sparql.original_query(f"{{ {unit.targets} }}")
        branches = " UNION ".join(f"{{ {unit.targets} {alt} }}" for alt in check.alternatives)
        return f"SELECT DISTINCT ?this WHERE {{ {branches} }}"

    def _run_check(
        self,
        store: GraphStore,
        graphs: list[str],
        check: Check,
        focus_pattern: str,
        bulk: bool = False,
        classes: ClassLists | None = None,
    ) -> list[Finding]:
        if check.sparql is not None:
            query = check.sparql.query(f"{{ {focus_pattern} }}")
        elif check.bulk is not None and bulk:
            if (
                check.gate is not None
                and store.query(f"ASK {{ {check.gate} }}", default_graphs=graphs) is False
            ):
                return []
            variables = " ".join(f"?{v}" for v in check.variables)
            query = f"SELECT DISTINCT {variables} WHERE {{ {focus_pattern} {check.bulk} }}"
        else:
            branches = " UNION ".join(f"{{ {focus_pattern} {alt} }}" for alt in check.alternatives)
            variables = " ".join(f"?{v}" for v in check.variables)
            query = f"SELECT DISTINCT {variables} WHERE {{ {branches} }}"
        if classes is not None and check.sparql is None:  # only the compiler's own patterns
            query = classes.rewrite(query)
        result = store.query(query, default_graphs=graphs)
        if not isinstance(result, SelectResult):  # pragma: no cover - SELECT always gives rows
            raise TypeError("a compiled check must be a SELECT query")
        return [f for row in result.dicts() if (f := self._finding(check, row)) is not None]

    def _statics(self, check: Check) -> _CheckStatics:
        """What a check's findings share (read from the shapes graph once, not once per row:
        30,000 findings of one rule at 1M triples spent 2.8 s re-reading the same shape)."""
        cache: dict[int, tuple[Check, _CheckStatics]] = self.__dict__.setdefault(
            "_statics_cache", {}
        )
        hit = cache.get(id(check))
        if hit is not None and hit[0] is check:
            return hit[1]
        shapes = self.shapes
        static_path = shapes.path(check.shape)
        if check.sparql is not None:
            templates = [str(m) for m in check.sparql.messages] or [
                str(m) for m in shapes.messages(check.shape)
            ]
        else:
            templates = [str(m) for m in shapes.messages(check.shape)]
        statics = _CheckStatics(
            static_path=static_path,
            path=path_key(shapes.graph, static_path),
            template=templates[0] if templates else "",
            rule_id=shapes.rule_id(check.shape),
            severity=shapes.severity(check.shape),
            shape=term_key(check.shape),
            component=str(check.component or SH.SPARQLConstraintComponent),
        )
        cache[id(check)] = (check, statics)
        return statics

    def _finding(self, check: Check, row: dict[str, Term | None]) -> Finding | None:
        statics = self._statics(check)
        path = statics.path
        if check.sparql is not None:
            constraint = check.sparql
            if not constraint.reports_rows:
                return None
            projected = constraint.projected
            unbound = row.get("path") is None and row.get("value") is None
            if projected is not None and "this" not in projected and unbound:
                return None  # pySHACL skips such rows
            focus = row.get("this")
            value = row.get("value")
            if value is None and statics.static_path is None:
                value = focus
            if row.get("path") is not None:
                path = term_key(row["path"])
            bindings = {k: v for k, v in row.items() if v is not None}
            message = fill_placeholders(statics.template, bindings) if statics.template else ""
        else:
            focus = row.get(check.focus_var)
            value = row.get(check.value_var) if check.value_var else None
            if check.path_var:
                path = term_key(row.get(check.path_var))
            message = statics.template
        if focus is None:
            return None
        if not message:
            parameter = term_key(check.parameter) if check.parameter is not None else None
            message = generic_message(str(check.component), path, parameter)
        return Finding(
            rule_id=statics.rule_id,
            focus_node=term_key(focus) or "",
            severity=statics.severity,
            message=message,
            path=path,
            value=term_key(value),
            shape=statics.shape,
            constraint_component=statics.component,
        )


@dataclass(frozen=True)
class _CheckStatics:
    """The parts of a finding that depend on the check only."""

    static_path: rdflib.term.Node | None
    path: str | None
    template: str
    rule_id: str
    severity: Severity
    shape: str | None
    component: str


def check_weight(unit: Unit, check: Check) -> int:
    """How early two processes should take a check: 0 for checks that usually read the whole
    model (SPARQL-based and closed shapes), 2 for checks over one property's values, 1 else."""
    if check.sparql is not None or check.component == SH.ClosedConstraintComponent:
        return 0
    if unit.subjects_of is not None and check.path == unit.subjects_of:
        return 2  # one property's statements
    return 1


def _heaviest_first(tasks: list[tuple[Unit, Check]]) -> list[tuple[Unit, Check]]:
    """Checks in the order two processes should take them: likely long ones first.

    Each process takes the next check when it is free, so a long check taken last leaves the
    other process idle (at 1M triples the longest checks take 1-2 s).
    """
    return sorted(tasks, key=lambda task: check_weight(*task))


def _focus_values(nodes: Iterable[Term | rdflib.term.Node]) -> str:
    """A VALUES body from the terms' own N-Triples serialisations ('' when there are none).

    Blank nodes cannot be written in VALUES; like pySHACL's ``focus_nodes`` they are left out.
    """
    written = []
    for node in nodes:
        term = node if not isinstance(node, rdflib.term.Node) else to_oxigraph(node)
        if isinstance(term, ox.BlankNode):
            continue
        written.append(str(term))
    return " ".join(sorted(set(written)))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per key and shape (SPARQL rows and pySHACL may repeat a result)."""
    seen: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        key = (*finding.key(), finding.shape, finding.constraint_component)
        seen.setdefault(key, finding)
    return sorted(seen.values(), key=Finding.key)  # the order of Finding, without its tuples


class SparqlValidationEngine:
    """The SPARQL engine as the validation service runs it (see :mod:`bizarch.validation.engines`).

    Compiled shapes are kept per rule selection, so a web server or a load gate validating again
    pays only for the queries.
    """

    name = SPARQL

    def __init__(self) -> None:
        self._compiled: dict[str, SparqlEngine] = {}

    def engine_for(self, ruleset: RuleSet) -> SparqlEngine:
        digest = ruleset.digest or _digest(ruleset.shapes)
        if digest not in self._compiled:
            shapes = ShapesGraph(ruleset.shapes, rule_of=ruleset.shape_rule)
            self._compiled[digest] = SparqlEngine(shapes)
        return self._compiled[digest]

    def validate(
        self,
        store: GraphStore,
        scenario_graph: str,
        ruleset: RuleSet,
        *,
        focus_nodes: Iterable[Term | rdflib.term.Node] | None = None,
    ) -> EngineReport:
        """Validate one scenario graph with the selected rules; same findings as pySHACL's."""
        engine = self.engine_for(ruleset)
        graphs = self.data_graphs(store, scenario_graph, ruleset)
        missing = set(_required(ruleset)) - set(graphs)
        if missing:  # the rules needing reference data the store lacks are left to pySHACL
            problem = "the store cannot hold the reference data these rules read"
            engine = _with_fallback(engine, ruleset, missing, problem)

        def rdflib_copy() -> rdflib.Graph:
            from bizarch.validation.pyshacl_engine import data_graph

            return data_graph(store, scenario_graph, ruleset)

        copy = reading_copy(store, graphs) if focus_nodes is None else None
        if copy is not None and copy.private:  # every graph merged into one
            reader, read_graphs, rule_graphs = copy.store, copy.graphs, {}
        else:
            reader = copy.store if copy is not None else store
            read_graphs = [g for g in graphs if not g.startswith(REFERENCE_BASE)]
            rule_graphs = {
                rule.id: [g for g in rule.requires if g in graphs]
                for rule in ruleset.rules
                if rule.requires
            }
        try:
            shared = _shareable(reader)
            report = engine.validate(
                reader,
                data_graphs=read_graphs,
                focus_nodes=focus_nodes,
                rdflib_data=rdflib_copy,
                parallel=shared,
                rule_graphs=rule_graphs,
                label_graphs=read_graphs if shared else None,
                fork_guard=_fork_guard(store, copy) if shared else None,
            )
            unnamed = (f.focus_node for f in report.findings if f.focus_label is None)
            labels = element_labels(reader, read_graphs, unnamed)
            report.findings = _as_rules(report.findings, ruleset, engine.shapes, labels)
        finally:
            if copy is not None:
                copy.close()
        report.scenario = scenario_graph
        report.rules_checked = len(ruleset.rules)
        return report

    def data_graphs(self, store: GraphStore, scenario_graph: str, ruleset: RuleSet) -> list[str]:
        """The graphs that form the data graph: scenario, ontology, reference data it can hold."""
        present, _problem = ensure_reference_graphs(store, _required(ruleset))
        return [scenario_graph, ONTOLOGY_GRAPH, *present]


PARALLEL_MIN_QUADS = 20_000
"""Below this size a full validation takes well under a second; one process is enough."""

ENGINE = SparqlValidationEngine()


@dataclass
class ReadingCopy:
    """The store a full validation reads, and the graphs that form its data graph there."""

    store: GraphStore
    graphs: list[str]
    private: bool = False

    def close(self) -> None:
        if self.private:
            self.store.close()


def reading_copy(store: GraphStore, graphs: Sequence[str]) -> ReadingCopy:
    """What a full validation of ``graphs`` reads: an in-memory copy for an on-disk store.

    A full validation asks hundreds of queries that each touch most of the model, and every
    lookup in RocksDB costs 4-6x one in memory (``docs/benchmarks.md``): copying the graphs
    validated (:func:`bizarch.store.memory_copy.memory_copy`, two processes) and querying the
    copy is faster from about 10k triples on. The copy merges the graphs into one (the first's
    name): pyoxigraph looks every pattern up once per graph of the default graph, and the checks
    on one merged graph take about 15 % less time (1M: 17.1 s -> 14.6 s in one process); the
    merge is also what pySHACL validates. A serving store is read from its in-memory side.
    Findings are the same.
    """
    from bizarch.store.memory_copy import memory_copy
    from bizarch.store.oxigraph_store import OxigraphStore
    from bizarch.store.serving import ServingStore

    if isinstance(store, ServingStore):
        return ReadingCopy(store.memory, list(graphs))
    if not isinstance(store, OxigraphStore) or store.path is None:
        return ReadingCopy(store, list(graphs))
    # Reference data comes from its packaged file, which the store's graph mirrors
    # (``ensure_reference_graphs``): parsing the ArchiMate table takes a third of decoding its
    # 13,000 statements out of RocksDB (0.1 s, a tenth of the copy at 100k triples).
    from_store = [g for g in graphs if not g.startswith(REFERENCE_BASE)]
    copy = memory_copy(store, from_store, into=graphs[0])
    target = ox.NamedNode(graphs[0])
    for graph in graphs:
        if graph.startswith(REFERENCE_BASE):
            copy.engine.load(
                path=reference_file(graph), format=ox.RdfFormat.TURTLE, to_graph=target
            )
    return ReadingCopy(copy, [graphs[0]], private=True)


def _fork_guard(store: GraphStore, copy: ReadingCopy | None) -> ForkGuard | None:
    """What keeps other threads off the store a forked child reads, so that a threaded web server
    shares a validation's checks too (:mod:`.parallel`); ``None`` where nothing does."""
    from bizarch.store.serving import ServingStore

    if copy is not None and copy.private:
        return contextlib.nullcontext()  # a copy made for this run: no other thread has it
    if isinstance(store, ServingStore):
        return store.writes_paused()
    return None


def _shareable(reader: GraphStore) -> bool:
    """Whether a full validation can share its checks with a forked process (:mod:`.parallel`
    also requires a single-threaded process): an in-memory store large enough to repay it."""
    from bizarch.store.oxigraph_store import OxigraphStore

    if not isinstance(reader, OxigraphStore) or reader.path is not None:
        return False
    # Counting stops at the threshold: the size of an in-memory store is a scan (1M: 0.08 s).
    quads = reader.engine.quads_for_pattern(None, None, None, None)
    return sum(1 for _ in itertools.islice(quads, PARALLEL_MIN_QUADS)) >= PARALLEL_MIN_QUADS


def _required(ruleset: RuleSet) -> list[str]:
    return sorted({r for rule in ruleset.rules for r in rule.requires})


def _digest(graph: rdflib.Graph) -> str:
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _with_fallback(
    engine: SparqlEngine, ruleset: RuleSet, missing: set[str], problem: str
) -> SparqlEngine:
    """A copy of ``engine`` that hands the rules needing ``missing`` graphs to pySHACL."""
    needing = {rule.id for rule in ruleset.rules if missing & set(rule.requires)}
    copy = SparqlEngine.__new__(SparqlEngine)
    copy.shapes = engine.shapes
    copy.units = [
        Unit(u.shape, u.rule_id, fallback_reason=problem) if u.rule_id in needing else u
        for u in engine.units
    ]
    return copy


def _as_rules(
    findings: list[Finding],
    ruleset: RuleSet,
    shapes: ShapesGraph,
    labels: Mapping[str, str] | None = None,
) -> list[Finding]:
    """File findings the way the rule catalogue presents them (as the pySHACL engine does).

    The shape is the rule's shape; a nested shape without its own ``sh:message`` speaks with the
    rule's message; two constraints of one rule failing on the same value are one finding.
    ``labels`` (node -> label, :func:`element_labels`) names the focus elements in the same
    step: one new finding each, not two (33,824 findings at 1M: 0.4 s for the second).
    """
    by_key: dict[tuple[str, str, str | None, str | None], Finding] = {}
    # What a finding takes from its rule depends on (rule, shape) only: looked up once each
    # (33,824 findings at 1M triples spent 0.4 s looking the same few up again).
    filing: dict[tuple[str, str | None], tuple[str | None, str | None]] = {}
    for finding in findings:
        key = finding.key()
        if key in by_key:
            continue
        which = (finding.rule_id, finding.shape)
        if which not in filing:
            rule = ruleset.rule(finding.rule_id)
            shape_node = _node(finding.shape)
            own = shape_node is not None and bool(shapes.messages(shape_node))
            filing[which] = (rule.shape, None if own else rule.message)
        shape, message = filing[which]
        label = finding.focus_label
        if labels:
            label = labels.get(finding.focus_node, label)
        by_key[key] = finding.filed(
            shape=shape,
            message=finding.message if message is None else message,
            focus_label=label,
        )
    return sorted(by_key.values(), key=Finding.key)


def _node(key: str | None) -> rdflib.term.Node | None:
    if key is None:
        return None
    return rdflib.BNode(key[2:]) if key.startswith("_:") else rdflib.URIRef(key)


def _add_labels(store: GraphStore, graphs: list[str], findings: list[Finding]) -> None:
    """Name the focus elements of ``findings`` in place (see :func:`element_labels`)."""
    labels = element_labels(store, graphs, (f.focus_node for f in findings))
    for i, finding in enumerate(findings):
        found = labels.get(finding.focus_node)
        if found is not None:
            findings[i] = finding.labelled(found)


def element_labels(store: GraphStore, graphs: list[str], nodes: Iterable[str]) -> dict[str, str]:
    """The label of each node (an IRI as findings write it) that has one: English or untagged
    ``rdfs:label`` first, then the smallest."""
    wanted = sorted({n for n in nodes if n[:1] not in ("", "_", '"')})
    if not wanted:
        return {}
    text = query_text("validation/element-labels")
    labels: dict[str, tuple[bool, str]] = {}  # node -> (not preferred, label): smallest wins
    for start in range(0, len(wanted), 2000):
        chunk = " ".join(str(ox.NamedNode(n)) for n in wanted[start : start + 2000])
        result = store.query(f"{text}\nVALUES ?node {{ {chunk} }}", default_graphs=graphs)
        if not isinstance(result, SelectResult):  # pragma: no cover - a SELECT query
            continue
        for node, label in result.rows:
            if node is None or not isinstance(label, ox.Literal):
                continue
            candidate = (label.language not in (None, "en"), label.value)
            labels[node.value] = min(labels.get(node.value, candidate), candidate)
    return {node: label for node, (_other, label) in labels.items()}
