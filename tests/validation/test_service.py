"""The validation service reads a scenario out of a real store and runs the selected rules."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from bizarch.cli import main
from bizarch.errors import NotFoundError, UserInputError
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.store.base import GraphStore
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.sparql_store import SparqlStore
from bizarch.validation import engines
from bizarch.validation.report import Severity, ValidationReport
from bizarch.validation.service import run_validation, validate
from tests.validation.conftest import SMALL_EXPECTED, SMALL_RULES, load_small_model


def test_small_model_findings(small_store: OxigraphStore) -> None:
    run = run_validation(small_store, "current", SMALL_RULES, engine="pyshacl")
    report = run.report
    assert {(f.rule_id, f.focus_node) for f in report.findings} == SMALL_EXPECTED
    assert report.scenario == "current" and run.engine == "pyshacl"
    assert report.rules_checked == len(run.rules) == 18
    assert report.counts() == {Severity.VIOLATION: 3, Severity.WARNING: 1, Severity.INFO: 1}
    assert not report.conforms
    by_focus = {f.focus_node: f for f in report.findings if f.rule_id != "VS-017"}
    assert by_focus["https://example.org/small/vs-renew"].focus_label == "Renew Policy"
    orphan = by_focus["https://example.org/small/stage-orphan"]
    assert orphan.path == "^<https://w3id.org/bizarch/ontology#hasStage>"


def test_remote_store_gives_the_same_findings(
    remote_store: SparqlStore, small_store: OxigraphStore
) -> None:
    load_small_model(remote_store)
    remote = validate(remote_store, "current", SMALL_RULES, engine="pyshacl")
    local = validate(small_store, "current", SMALL_RULES, engine="pyshacl")
    assert remote.keys() == local.keys() and len(remote.keys()) == len(SMALL_EXPECTED)


def test_plain_and_typed_strings_read_alike(memory_store: OxigraphStore) -> None:
    """Terms cross into rdflib one by one: a plain literal stays plain, so sh:in matches it."""
    memory_store.update(
        "PREFIX ba: <https://w3id.org/bizarch/ontology#> "
        "INSERT DATA { GRAPH <urn:bizarch:scenario:current> { "
        '<urn:x:r1> a ba:ArchimateRelationship ; ba:relationshipType "Serving" ; '
        "ba:source <urn:x:a> ; ba:target <urn:x:b> . "
        '<urn:x:r2> a ba:ArchimateRelationship ; ba:relationshipType "Serving"@en ; '
        "ba:source <urn:x:a> ; ba:target <urn:x:b> . } }"
    )
    report = validate(memory_store, "current", "AM-003", engine="pyshacl")
    assert {f.focus_node for f in report.findings} == {"urn:x:r2"}


def test_each_scenario_is_validated_on_its_own(memory_store: OxigraphStore) -> None:
    load_small_model(memory_store, "current")
    load_small_model(memory_store, "target")
    memory_store.update(
        "PREFIX ba: <https://w3id.org/bizarch/ontology#> "
        "INSERT DATA { GRAPH <urn:bizarch:scenario:target> { "
        "<https://example.org/small/vs-renew> ba:hasStage <https://example.org/small/stage-orphan> "
        "} }"
    )
    current = validate(memory_store, "current", "VS-004,VS-005", engine="pyshacl")
    target = validate(memory_store, "target", "VS-004,VS-005", engine="pyshacl")
    assert len(current.findings) == 2 and target.findings == []


def test_a_missing_scenario_is_named(small_store: OxigraphStore) -> None:
    with pytest.raises(NotFoundError) as caught:
        validate(small_store, "futur", "VS-004")
    assert "futur" in str(caught.value) and "current" in str(caught.value.hint)


def test_unknown_engine_lists_the_available_ones(small_store: OxigraphStore) -> None:
    with pytest.raises(UserInputError) as caught:
        validate(small_store, "current", "VS-004", engine="jena")
    assert "jena" in str(caught.value) and "pyshacl" in str(caught.value.hint)


def test_auto_uses_the_first_available_engine() -> None:
    assert engines.get_engine("auto").name == engines.available_engines()[1]
    assert "pyshacl" in engines.available_engines()


def test_an_engine_can_be_registered(small_store: OxigraphStore) -> None:
    seen = {}

    class Recording:
        name = "recording"

        def validate(self, store, scenario_graph, ruleset) -> ValidationReport:
            seen["graph"], seen["rules"] = scenario_graph, ruleset.ids
            return ValidationReport()

    engines.register_engine(Recording())
    try:
        run = run_validation(small_store, "current", "VS-004,CAP", engine="recording")
    finally:
        engines._registered.pop("recording")
    assert seen["graph"] == "urn:bizarch:scenario:current"
    assert seen["rules"][0] == "VS-004" and len(seen["rules"]) == 11
    assert run.engine == "recording" and run.report.rules_checked == 11


def test_a_disk_store_is_validated_on_a_memory_copy_with_the_same_findings(
    tmp_path: Path, small_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bizarch.validation import sparql_engine

    disk = OxigraphStore(tmp_path / "store")
    load_small_model(disk)
    before = set(disk.engine.quads_for_pattern(None, None, None, None))
    copies: list[sparql_engine.ReadingCopy] = []
    make_copy = sparql_engine.reading_copy

    merged: set[tuple[object, ...]] = set()

    def spy(store: GraphStore, graphs: Sequence[str]) -> sparql_engine.ReadingCopy:
        copy = make_copy(store, graphs)
        copies.append(copy)
        if not merged:  # what the first (disk) copy holds, before validation closes it
            merged.update((q.subject, q.predicate, q.object) for q in copy.store.quads())
        return copy

    monkeypatch.setattr(sparql_engine, "reading_copy", spy)
    on_disk = validate(disk, "current", SMALL_RULES, engine="sparql")
    in_memory = validate(small_store, "current", SMALL_RULES, engine="sparql")
    assert on_disk.keys() == in_memory.keys() and len(on_disk.keys()) == len(SMALL_EXPECTED)
    assert [f.focus_label for f in on_disk.findings] == [f.focus_label for f in in_memory.findings]
    # The disk store was copied into memory, its graphs merged into the scenario graph.
    assert copies[0].store is not disk and copies[0].store.address == "memory:"
    assert copies[0].graphs == ["urn:bizarch:scenario:current"] and copies[0].private
    validated = {
        (q.subject, q.predicate, q.object)
        for graph in ("urn:bizarch:scenario:current", ONTOLOGY_GRAPH)
        for q in disk.quads(graph)
    }
    assert validated <= merged and len(merged) >= len(validated) > 100
    assert copies[1].store is small_store and not copies[1].private  # read as it is
    assert set(disk.engine.quads_for_pattern(None, None, None, None)) == before
    disk.close()


def test_only_rules_with_reference_data_read_it(
    small_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every graph of a query's default graph costs a lookup per pattern, so the ArchiMate table
    is in the dataset of the rules that compare with it and of no other rule."""
    reference = "https://w3id.org/bizarch/shapes/archimate-relationships"
    datasets: list[tuple[str, ...]] = []
    real_query = OxigraphStore.query

    def recording(self: OxigraphStore, sparql: str, **options: object):  # type: ignore[no-untyped-def]
        datasets.append(tuple(options.get("default_graphs") or ()))  # type: ignore[arg-type]
        return real_query(self, sparql, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(OxigraphStore, "query", recording)
    run_validation(small_store, "current", "AM-001")
    with_table = len(datasets)
    run_validation(small_store, "current", "STR-001")
    assert with_table >= 1 and len(datasets) > with_table
    assert any(reference in d for d in datasets[:with_table])
    assert not any(reference in d for d in datasets[with_table:])


def test_the_cli_validates_a_plain_endpoint_itself(
    remote_store: SparqlStore, runner: CliRunner
) -> None:
    """An endpoint that is not a bizarch server (Oxigraph's ``/query``) has no validation API:
    the CLI validates through SPARQL, with the same findings as on an embedded store."""
    load_small_model(remote_store)
    address = remote_store.address
    result = runner.invoke(
        main, ["--store", address, "validate", "--rules", SMALL_RULES, "--format", "json"]
    )
    assert result.exit_code == 1  # the small model has violations
    assert "validated by the server" not in result.stderr
    document = json.loads(result.stdout)
    assert {(f["rule_id"], f["focus_node"]) for f in document["findings"]} == SMALL_EXPECTED
