"""OWL reasoning over a scenario: is the model consistent with the ontology, and why not?

SHACL rules check how a model is written; a reasoner checks what it *means*. The ontology declares,
for instance, that nothing is both an application and a capability, and that ``ba:hasStage`` only
belongs to value streams: a model that says otherwise is inconsistent, and every conclusion drawn
from it is suspect.

- :func:`check_consistency` hands the ontology and one scenario (converted to N-Triples, since
  owlready2 does not read Turtle; ``owl:imports`` removed, since owlready2 would fetch them) to
  HermiT through owlready2, and explains an inconsistency in plain words with the named queries in
  ``queries/reasoning/`` (elements of two disjoint kinds, properties implying a contradicting kind,
  two values where one is allowed). When HermiT finds a contradiction none of them explains, the
  report says so rather than guess.
- :func:`materialise` adds what OWL RL rules (owlrl) conclude about the scenario's elements to a
  separate graph, ``urn:bizarch:inferred:<scenario>``: asserted data is never mixed with inferred.

HermiT needs a Java runtime; without one the error names the Debian package to install.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from bizarch.errors import BizarchError, ResourceLimitError
from bizarch.namespaces import INFERRED_BASE, ONTOLOGY_GRAPH, PREFIXES
from bizarch.queries.catalogue import default_catalogue
from bizarch.repository import short_name
from bizarch.store.base import GraphStore, RdfFormat, SelectResult

JAVA_PACKAGE = "default-jre-headless"
OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
HERMIT_TIMEOUT = 600


class JavaMissingError(BizarchError):
    """The HermiT reasoner needs a Java runtime and there is none."""


@dataclass(frozen=True)
class Explanation:
    """One reason (or suspect) for an inconsistency, in the architect's words."""

    kind: str
    element: str
    sentence: str
    certain: bool
    terms: tuple[str, ...] = ()


@dataclass
class ConsistencyReport:
    """HermiT's verdict on the ontology plus one scenario, with the explanations found."""

    scenario: str
    consistent: bool
    explanations: list[Explanation] = field(default_factory=list)
    reasoner: str = "HermiT"
    seconds: float = 0.0
    triples: int = 0

    @property
    def explained(self) -> bool:
        return any(e.certain for e in self.explanations)


@dataclass
class Materialisation:
    """What OWL RL rules added to the inferred graph of a scenario."""

    scenario: str
    graph: str
    triples: int
    seconds: float


def inferred_graph(scenario_graph: str) -> str:
    """Name of the graph holding what is inferred from a scenario (never the scenario itself)."""
    return INFERRED_BASE + short_name(scenario_graph)


# -- consistency --------------------------------------------------------------------------------


def check_consistency(store: GraphStore, scenario_graph: str) -> ConsistencyReport:
    """Ask HermiT whether ontology + scenario are consistent; explain when they are not."""
    java = _java()
    data = _ntriples(store, [ONTOLOGY_GRAPH, scenario_graph])
    started = time.perf_counter()
    consistent = _hermit_consistent(data, java)
    report = ConsistencyReport(
        scenario=scenario_graph,
        consistent=consistent,
        seconds=time.perf_counter() - started,
        triples=data.count(b"\n"),
    )
    if not consistent:
        report.explanations = explain(store, scenario_graph)
    return report


def explain(store: GraphStore, scenario_graph: str) -> list[Explanation]:
    """Contradictions (and suspects) the reasoning queries find in one scenario."""
    labels = _Labels(store, scenario_graph)
    found: list[Explanation] = []
    for row in _rows(store, scenario_graph, "reasoning/disjoint-types"):
        element, type1, type2 = row["element"], row["type1"], row["type2"]
        found.append(
            Explanation(
                "disjoint classes",
                element.value,
                f"{labels.name(element)} is typed both as {labels.kind(type1)} and as "
                f"{labels.kind(type2)}, which the ontology declares disjoint "
                f"({labels.curie(row['disjoint1'])} and {labels.curie(row['disjoint2'])}): "
                "an element is of one kind. Remove the wrong rdf:type, or split the element.",
                certain=True,
                terms=(type1.value, type2.value),
            )
        )
    conflicts: dict[tuple, list[tuple[str, ox.NamedNode]]] = {}
    for row in _rows(store, scenario_graph, "reasoning/domain-range-conflicts"):
        key = (row["element"], row["type"], row["implied"])
        side = "has" if row["role"].value == "subject" else "is the value of"
        conflicts.setdefault(key, []).append((side, row["property"]))
    for (element, typ, implied), uses in conflicts.items():
        said = " and ".join(
            f"{side} "
            + ", ".join(f"'{labels.label(p)}' ({labels.curie(p)})" for s, p in uses if s == side)
            for side in ("has", "is the value of")
            if any(s == side for s, _ in uses)
        )
        found.append(
            Explanation(
                "property implies another kind",
                element.value,
                f"{labels.name(element)} is {labels.kind(typ)} but {said}, which only "
                f"{labels.kind(implied)} can: the ontology declares these kinds disjoint. Move "
                "the statements to the right element, or correct the element's type.",
                certain=True,
                terms=(typ.value, implied.value, *sorted({p.value for _, p in uses})),
            )
        )
    values: dict[tuple, set[str]] = {}
    for row in _rows(store, scenario_graph, "reasoning/functional-values"):
        key = (row["element"], row["property"])
        values.setdefault(key, set()).update((row["value1"].value, row["value2"].value))
    for (element, prop), seen in values.items():
        listed = sorted(seen)
        found.append(
            Explanation(
                "two values where one is allowed",
                element.value,
                f"{labels.name(element)} has {len(listed)} values for '{labels.label(prop)}' "
                f"({labels.curie(prop)}): {', '.join(listed[:-1])} and {listed[-1]}; the "
                "ontology allows one. Keep the right value.",
                certain=True,
                terms=(prop.value,),
            )
        )
    for row in _rows(store, scenario_graph, "reasoning/enumeration-values"):
        element, prop, value = row["element"], row["property"], row["value"]
        found.append(
            Explanation(
                "value outside the code list",
                element.value,
                f"{labels.name(element)} has '{labels.label(prop)}' = {labels.curie(value)}, "
                f"which is not one of the values of {labels.kind(row['enumeration'])}.",
                certain=False,
                terms=(prop.value, value.value),
            )
        )
    return found


def _java() -> str:
    import owlready2

    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise JavaMissingError(
            "The HermiT reasoner needs a Java runtime, and no 'java' command was found.",
            hint=f"Install one (Debian/Ubuntu: apt-get install {JAVA_PACKAGE}) and run again.",
        )
    return java


def _ntriples(store: GraphStore, graphs: list[str]) -> bytes:
    """The graphs as one N-Triples document without owl:imports (owlready2 would follow them)."""
    out = io.BytesIO()
    for graph in graphs:
        buffer = io.BytesIO()
        store.export(buffer, RdfFormat.NTRIPLES, graph)
        triples = ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_TRIPLES)
        kept = (t for t in triples if t.predicate.value != OWL_IMPORTS)
        out.write(ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES) or b"")
    return out.getvalue()


def _hermit_consistent(data: bytes, java: str) -> bool:
    """HermiT's verdict, through owlready2 (which reads the N-Triples and ships HermiT)."""
    import owlready2
    from owlready2 import reasoning

    world = owlready2.World()
    world.get_ontology("urn:bizarch:consistency-check").load(
        fileobj=io.BytesIO(data), format="ntriples"
    )
    classpath = getattr(reasoning, "_HERMIT_CLASSPATH", None)
    if classpath is None:  # another owlready2 layout: its own (slower, classifying) entry point
        try:
            owlready2.sync_reasoner_hermit(world, ignore_unsupported_datatypes=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return False
        return True
    with tempfile.TemporaryDirectory(prefix="bizarch-hermit-") as folder:
        path = Path(folder) / "model.nt"
        world.save(str(path), format="ntriples")
        # -k: consistency only (owlready2's default also classifies: 11 s instead of 2 s).
        command = [
            java,
            f"-Xmx{owlready2.JAVA_MEMORY}M",
            "-cp",
            classpath,
            "org.semanticweb.HermiT.cli.CommandLine",
            "-k",
            "--ignoreUnsupportedDatatypes",
            path.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=HERMIT_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise ResourceLimitError(
                f"HermiT did not finish within {HERMIT_TIMEOUT} s.",
                hint="Check a smaller scenario, or use 'bizarch validate' for the modelling rules.",
            ) from None
    if "InconsistentOntologyException" in done.stderr:
        return False
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[:1]
        raise BizarchError(f"HermiT failed: {detail[0] if detail else 'no output'}")
    return True


# -- OWL RL materialisation ----------------------------------------------------------------


def materialise(store: GraphStore, scenario_graph: str) -> Materialisation:
    """Write what OWL RL rules infer about the scenario's elements to its inferred graph.

    Kept: inferred triples about nodes the scenario mentions (types from domains, ranges and
    superclasses, inverse and super-property statements, ...), not the reasoner's axiomatic
    triples about the vocabulary. The inferred graph is replaced as a whole, atomically.
    """
    import owlrl
    import rdflib

    started = time.perf_counter()
    graph = rdflib.Graph()
    asserted: set[tuple] = set()
    mentioned: set[rdflib.term.Node] = set()
    for name in (ONTOLOGY_GRAPH, scenario_graph):
        text = _ntriples(store, [name]).decode("utf-8")
        part = rdflib.Graph().parse(data=text, format="nt")
        for triple in part:
            graph.add(triple)
            asserted.add(triple)
            if name == scenario_graph:
                mentioned.add(triple[0])
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    target = ox.NamedNode(inferred_graph(scenario_graph))
    inferred = [
        ox.Quad(_ox(s), _ox(p), _ox(o), target)
        for s, p, o in graph
        if (s, p, o) not in asserted and s in mentioned and not (s == o and "sameAs" in str(p))
    ]
    store.replace_graphs({target.value: inferred})
    return Materialisation(
        scenario=scenario_graph,
        graph=target.value,
        triples=len(inferred),
        seconds=time.perf_counter() - started,
    )


def _ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from bizarch.validation.terms import to_oxigraph

    return to_oxigraph(term)  # type: ignore[arg-type]


# -- helpers ------------------------------------------------------------------------------------


def _rows(store: GraphStore, scenario_graph: str, name: str) -> list[dict]:
    result = default_catalogue().run(store, name, {}, scenario=scenario_graph)
    assert isinstance(result, SelectResult)
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


class _Labels:
    """Names of elements and classes for sentences (label and CURIE)."""

    def __init__(self, store: GraphStore, scenario_graph: str) -> None:
        self._store = store
        self._graphs = [scenario_graph, ONTOLOGY_GRAPH]
        self._cache: dict[str, str | None] = {}

    def label(self, term: ox.NamedNode) -> str:
        if term.value not in self._cache:
            result = default_catalogue().run(
                self._store, "validation/element-labels", {"node": term}, scenario=self._graphs[0]
            )
            labels = sorted(
                (row[1].language not in (None, "en"), row[1].value)
                for row in getattr(result, "rows", [])
                if isinstance(row[1], ox.Literal)
            )
            self._cache[term.value] = labels[0][1] if labels else None
        return self._cache[term.value] or self.curie(term)

    def curie(self, term: ox.NamedNode) -> str:
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"

    def name(self, term: ox.NamedNode) -> str:
        label = self.label(term)
        curie = self.curie(term)
        return f"'{label}' ({curie})" if label != curie else curie

    def kind(self, cls: ox.NamedNode) -> str:
        label = self.label(cls)
        article = "an" if label[:1].lower() in "aeiou" else "a"
        return f"{article} {label} ({self.curie(cls)})"
