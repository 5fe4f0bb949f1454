"""The query catalogue: headers, parsing, parameter typing and resolution, injection safety."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch.errors import AmbiguousReferenceError, NotFoundError, QueryError, UserInputError
from bizarch.namespaces import DEMO
from bizarch.queries.catalogue import (
    PARAM_TYPES,
    Catalogue,
    QueryParam,
    parse_query_file,
    variables_used,
)
from bizarch.repository import ALL, Repository
from bizarch.store.base import SelectResult
from bizarch.store.oxigraph_store import OxigraphStore

CLAIMSONE = ox.NamedNode(DEMO + "app-claimsone")


def test_every_query_parses_and_declares_its_parameters(catalogue: Catalogue) -> None:
    names = catalogue.names()
    assert "lookup/by-label" in names and "trace/down" in names
    for name in names:
        query = catalogue.get(name)
        assert query.summary, name
        used = variables_used(query.text)
        for param in query.params:
            assert param.type in PARAM_TYPES, name
            assert param.name in used, name
        ox.Store().query(query.text)  # runnable as-is in a console: every prefix declared


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(body, encoding="utf-8")
    return path


def test_header_errors_name_the_file(tmp_path: Path) -> None:
    cases = {
        "#+ params:\n#+   - name: x\nSELECT ?x WHERE { ?x ?p ?o }": "summary",
        "#+ summary: s\n#+ params:\n#+   - name: y\nSELECT ?x WHERE { ?x ?p ?o }": "never used",
        "#+ summary: s\n#+ params:\n#+   - {name: x, type: uri}\nSELECT ?x {?x ?p ?o}": "type",
        "#+ summary: s\nSELECT ?x WHERE { ?x ?p  }": "q.rq",
        "#+ summary: s\nSELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }": "SERVICE",
        "#+ summary: [\nSELECT * WHERE { ?s ?p ?o }": "YAML",
        "#+ summary: s\n#+ reads: [ontology]\nSELECT * WHERE { ?s ?p ?o }": "must list",
        "#+ summary: s\n#+ reads: [scenario, shapes]\nSELECT * {?s ?p ?o}": "shapes",
    }
    for body, expected in cases.items():
        with pytest.raises(QueryError, match=expected):
            parse_query_file(_write(tmp_path, body), "q")


def test_reads_defaults_to_scenario_and_ontology(tmp_path: Path) -> None:
    plain = parse_query_file(_write(tmp_path, "#+ summary: s\nSELECT * {?s ?p ?o}"), "q")
    assert plain.reads == ("scenario", "ontology") and plain.reads_ontology
    model = parse_query_file(
        _write(tmp_path, "#+ summary: s\n#+ reads: scenario\nSELECT * {?s ?p ?o}"), "q"
    )
    assert model.reads == ("scenario",) and not model.reads_ontology


def test_model_only_queries_answer_the_same_with_the_ontology(
    catalogue: Catalogue, demo_store: OxigraphStore
) -> None:
    """A wrong ``reads: [scenario]`` would silently drop vocabulary rows: compare on the demo."""
    from dataclasses import replace

    from bizarch.queries.golden import DEMO_PARAMS, as_tsv

    model_only = [q for q in catalogue if not q.reads_ontology]
    assert {"trace/down", "trace/up", "impact/element"} <= {q.name for q in model_only}
    for query in model_only:
        params = DEMO_PARAMS.get(query.name, {})
        with_ontology = Catalogue({query.name: replace(query, reads=("scenario", "ontology"))})
        declared = as_tsv(catalogue.run(demo_store, query.name, params))
        assert declared.count("\n") > 10, query.name  # a real result, not an empty one
        assert declared == as_tsv(with_ontology.run(demo_store, query.name, params)), query.name


def test_a_query_reading_the_ontology_loses_rows_without_it(
    catalogue: Catalogue, demo_store: OxigraphStore
) -> None:
    """The comparison above can fail: impact/application needs the ontology's level ranks."""
    from dataclasses import replace

    from bizarch.queries.golden import DEMO_PARAMS, as_tsv

    query = catalogue.get("impact/application")
    assert query.reads_ontology
    params = DEMO_PARAMS[query.name]
    model_only = Catalogue({query.name: replace(query, reads=("scenario",))})
    assert as_tsv(catalogue.run(demo_store, query.name, params)) != as_tsv(
        model_only.run(demo_store, query.name, params)
    )


def test_variable_in_comment_or_string_does_not_count(tmp_path: Path) -> None:
    body = '#+ summary: s\n#+ params:\n#+   - name: x\n# ?x\nSELECT ?s WHERE { ?s ?p "?x" }'
    with pytest.raises(QueryError, match="never used"):
        parse_query_file(_write(tmp_path, body), "q")


def test_label_curie_and_iri_resolve_to_the_same_element(
    catalogue: Catalogue, demo_repo: Repository
) -> None:
    param = QueryParam("application", "iri", None)
    for given in ("ClaimsOne", "mm:app-claimsone", str(CLAIMSONE.value), f"<{CLAIMSONE.value}>"):
        assert catalogue.term(demo_repo, param, given, scenario=None) == CLAIMSONE


def test_ambiguous_label_lists_candidates_and_class_disambiguates(
    catalogue: Catalogue, demo_repo: Repository
) -> None:
    with pytest.raises(AmbiguousReferenceError) as info:
        catalogue.resolve(demo_repo, "Claim Triage", scenario=None)
    assert "mm:cap-claim-triage" in str(info.value) and "mm:proc-claim-triage" in str(info.value)
    capability = "https://w3id.org/bizarch/ontology#Capability"
    found = catalogue.resolve(demo_repo, "Claim Triage", cls=capability, scenario=None)
    assert found == ox.NamedNode(DEMO + "cap-claim-triage")
    with pytest.raises(NotFoundError, match="No element"):
        catalogue.resolve(demo_repo, "No Such Thing", scenario=None)


def test_typed_parameters(catalogue: Catalogue, demo_repo: Repository) -> None:
    as_term = catalogue.term
    assert as_term(demo_repo, QueryParam("n", "integer"), " 42", scenario=None).value == "42"
    assert as_term(demo_repo, QueryParam("d", "decimal"), "1.50", scenario=None).value == "1.50"
    day = as_term(demo_repo, QueryParam("d", "date"), "2025-01-31", scenario=None)
    assert day.datatype.value.endswith("#date")
    assert as_term(demo_repo, QueryParam("b", "boolean"), "yes", scenario=None).value == "true"
    for kind, bad in (("integer", "4 2"), ("decimal", "NaN"), ("date", "31/01/2025")):
        with pytest.raises(UserInputError, match=kind):
            as_term(demo_repo, QueryParam("x", kind), bad, scenario=None)


def test_run_checks_parameters_and_paginates(catalogue: Catalogue, demo_store) -> None:
    with pytest.raises(UserInputError, match="needs the parameter 'text'"):
        catalogue.run(demo_store, "lookup/search")
    with pytest.raises(UserInputError, match="no parameter 'nope'"):
        catalogue.run(demo_store, "lookup/search", {"text": "claim", "nope": "1"})
    with pytest.raises(NotFoundError, match="No query named"):
        catalogue.run(demo_store, "lookup/nothing")
    full = catalogue.run(demo_store, "lookup/search", {"text": "claim"})
    page = catalogue.run(demo_store, "lookup/search", {"text": "claim"}, limit=3, offset=2)
    assert isinstance(full, SelectResult) and isinstance(page, SelectResult)
    assert len(full) > 5 and page.rows == full.rows[2:5]
    with pytest.raises(UserInputError, match="Limit"):
        catalogue.run(demo_store, "lookup/search", {"text": "claim"}, limit=-1)


def test_scenarios(catalogue: Catalogue, demo_store) -> None:
    def labels(scenario: str | None) -> set[str]:
        result = catalogue.run(demo_store, "lookup/search", {"text": "claim"}, scenario=scenario)
        assert isinstance(result, SelectResult)
        return {row["label"].value for row in result.dicts()}

    current, target, union = labels(None), labels("target"), labels(ALL)
    assert "ClaimsOne" in current and current <= union and target <= union
    with pytest.raises(NotFoundError, match="No scenario 'nowhere'"):
        labels("nowhere")


INJECTIONS = [
    "> } ; DROP ALL ; #",
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    "x\n} DROP ALL {\n",
    "\\u003E } ; DROP ALL ; #",
    '\\" } DROP ALL #',
    "<http://x> . } DELETE WHERE { ?s ?p ?o",
    "http://x> . } DELETE WHERE { ?s ?p ?o } #",
]


def test_injection_strings_change_nothing(catalogue: Catalogue, fresh_demo: OxigraphStore) -> None:
    before = fresh_demo.count()
    for value in INJECTIONS:
        # a string parameter: the text is a literal, so it simply matches nothing
        result = catalogue.run(fresh_demo, "lookup/search", {"text": value})
        assert isinstance(result, SelectResult) and result.rows == [], value
        # an IRI parameter: not an IRI, CURIE or label -> a clear error
        with pytest.raises((NotFoundError, UserInputError)):
            catalogue.run(fresh_demo, "lookup/element", {"element": value})
    assert fresh_demo.count() == before and before > 10_000


def test_prepare_gives_the_text_run_sends(catalogue: Catalogue, demo_repo: Repository) -> None:
    # Benchmarks hand this text to other engines: it must be what run() evaluates, header off
    # and the parameter bound as a term in a leading VALUES block.
    text = catalogue.prepare(demo_repo, "trace/up", {"element": "mm:app-claimsone"})
    assert not text.lstrip().startswith("#") and "#+" not in text
    assert f"VALUES (?element) {{ ({CLAIMSONE}) }}" in text
    assert text.index("VALUES") < text.index("?element (")
    direct = demo_repo.query(text, scenario=None)
    via_run = catalogue.run(demo_repo, "trace/up", {"element": CLAIMSONE})
    assert isinstance(direct, SelectResult) and isinstance(via_run, SelectResult)
    assert len(via_run.rows) > 3
    assert sorted(map(str, direct.rows)) == sorted(map(str, via_run.rows))


def test_scenario_elements_compares_the_graph_outside_its_graph_block(
    catalogue: Catalogue, demo_repo: Repository
) -> None:
    # Inside GRAPH ?graph { } the variable is not yet bound for engines that follow the SPARQL
    # algebra (Jena, rdflib); a comparison with it there dropped every row on those engines.
    text = catalogue.get("scenarios/elements").text
    graph_block = text[text.index("GRAPH ?graph {") : text.index("}", text.index("GRAPH ?graph {"))]
    assert "?graph" not in graph_block.replace("GRAPH ?graph {", "")
    rows = catalogue.run(
        demo_repo, "scenarios/elements", {"graph": "urn:bizarch:scenario:current"}, scenario=ALL
    )
    assert isinstance(rows, SelectResult) and len(rows) > 20
    assert all(str(row[0]) == "<urn:bizarch:scenario:current>" for row in rows.rows)
