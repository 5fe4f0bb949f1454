"""The load gate writes only what adds no violation, and nothing at all otherwise."""

from __future__ import annotations

import pytest

from bizarch.errors import RdfSyntaxError
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.validation.gate import LoadRefusedError, gate_load
from bizarch.validation.report import Severity

PREFIXES = """
@prefix ba:   <https://w3id.org/bizarch/ontology#> .
@prefix ex:   <https://example.org/small/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def source(text: str, name: str = "addition.ttl") -> RdfSource:
    return RdfSource(name, (PREFIXES + text).encode(), RdfFormat.TURTLE)


def dump(store: OxigraphStore) -> set[str]:
    return {str(q) for q in store.engine}


def test_refused_load_leaves_the_store_unchanged(small_store: OxigraphStore) -> None:
    before = dump(small_store)
    bad = source(
        'ex:vs-complaint a ba:ValueStream ; rdfs:label "Resolve Complaint"@en .\n'
        "ex:stage-pay ba:enabledBy ex:nothing-typed ."
    )
    with pytest.raises(LoadRefusedError) as caught:
        gate_load(small_store, [bad], "current", rules="value-stream,STR-016", engine="pyshacl")
    assert dump(small_store) == before
    result = caught.value.result
    assert not result.written and result.graphs == ["urn:bizarch:scenario:current"]
    new = {(f.rule_id, f.focus_node) for f in result.new_violations}
    assert ("VS-004", "https://example.org/small/vs-complaint") in new
    assert ("STR-016", "https://example.org/small/stage-pay") in new
    # violations the model already had are not blamed on the load
    assert not any(f.focus_node.endswith("vs-renew") for f in result.new_violations)
    assert all(f.severity is Severity.VIOLATION for f in result.new_violations)
    message = str(caught.value)
    assert "nothing was written" in message and "VS-001 on Resolve Complaint" in message
    refusal = result.refusal()
    assert refusal.report.findings == result.new_violations and refusal.rules


def test_conforming_load_is_written_despite_existing_violations(
    small_store: OxigraphStore,
) -> None:
    count = small_store.count("urn:bizarch:scenario:current")
    good = source(
        'ex:cap-fraud a ba:Capability ; rdfs:label "Fraud Screening"@en ; ba:tier 2 ;\n'
        "    ba:parentCapability ex:cap-claims ."
    )
    result = gate_load(small_store, [good], "current", rules="value-stream,CAP", engine="pyshacl")
    assert result.written and result.quads == 4
    assert small_store.count("urn:bizarch:scenario:current") == count + 4
    after = result.runs["urn:bizarch:scenario:current"].report
    assert {f.rule_id for f in after.findings if f.severity is Severity.VIOLATION} == {
        "VS-004",
        "VS-005",
        "VS-014",
    }


def test_fixing_a_violation_is_allowed(small_store: OxigraphStore) -> None:
    fix = source("ex:stage-renew-quote ba:enabledBy ex:cap-intake .")
    result = gate_load(small_store, [fix], "current", rules="VS-014", engine="pyshacl")
    assert result.written and result.report.findings == []


def test_a_new_scenario_starts_from_nothing(small_store: OxigraphStore) -> None:
    bad = source('ex:s a ba:ValueStreamStage ; rdfs:label "Lonely"@en .')
    with pytest.raises(LoadRefusedError):
        gate_load(small_store, [bad], "draft", rules="VS-005", engine="pyshacl")
    assert "urn:bizarch:scenario:draft" not in {g.name for g in small_store.graphs()}


def test_syntax_errors_stop_before_validation(small_store: OxigraphStore) -> None:
    before = dump(small_store)
    with pytest.raises(RdfSyntaxError) as caught:
        gate_load(small_store, [source("ex:a ba:tier .", "broken.ttl")], "current", rules="VS")
    assert "broken.ttl" in str(caught.value)
    assert dump(small_store) == before


def test_an_on_disk_store_is_gated_on_a_two_process_copy(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate copies an on-disk store the way full validation does (the helper reads most of
    it), refuses the same load as in memory, and leaves the store as it was."""
    from bizarch.store import memory_copy

    from .conftest import load_small_model

    monkeypatch.setattr(memory_copy, "SPLIT_MIN_QUADS", 0)
    monkeypatch.setattr(memory_copy, "SPLIT_MIN_BYTES", 0)
    with OxigraphStore(tmp_path / "store") as store:
        load_small_model(store)
        before = dump(store)
        bad = source("ex:stage-pay ba:enabledBy ex:nothing-typed .")
        with pytest.raises(LoadRefusedError) as caught:
            gate_load(store, [bad], "current", rules="STR-016", engine="sparql")
        assert memory_copy.last_record.helper_used, memory_copy.last_record.helper_problem
        assert dump(store) == before
        new = {(f.rule_id, f.focus_node) for f in caught.value.result.new_violations}
        assert new == {("STR-016", "https://example.org/small/stage-pay")}


@pytest.mark.parametrize(
    ("scenario", "text"),
    [
        ("current", 'ex:vs-complaint a ba:ValueStream ; rdfs:label "Resolve Complaint"@en .'),
        ("current", "ex:stage-pay ba:enabledBy ex:nothing-typed ."),
        (
            "current",
            'ex:cap-fraud a ba:Capability ; rdfs:label "Fraud Screening"@en ; ba:tier 2 ;\n'
            "    ba:parentCapability ex:cap-claims .",
        ),
        ("current", "ex:stage-renew-quote ba:enabledBy ex:cap-intake ."),
        ("draft", 'ex:s a ba:ValueStreamStage ; rdfs:label "Lonely"@en .'),
    ],
)
def test_the_incremental_gate_decides_as_two_full_validations(
    small_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch, scenario: str, text: str
) -> None:
    """With the SPARQL engine the state after an addition is validated incrementally; the
    decision, the new violations and the report after are those of two full validations."""
    from bizarch.repository import Repository
    from bizarch.store.parsing import iter_quads
    from bizarch.validation import gate

    graph = Repository(small_store).scenario_graph(scenario, must_exist=False)
    quads = list(iter_quads(source(text), graph, None))
    before = dump(small_store)

    def decide() -> tuple[set[tuple], set[tuple]]:
        try:
            result = gate.check_addition(small_store, quads, engine="sparql")
        except LoadRefusedError as refused:
            result = refused.result
        return {f.key() for f in result.new_violations}, result.report.keys()

    calls: list[bool] = []
    real = gate._incremental
    monkeypatch.setattr(gate, "_incremental", lambda *a: calls.append(real(*a)) or calls[-1])
    incremental = decide()
    monkeypatch.setattr(gate, "_incremental", lambda *a: False)
    full = decide()
    assert calls == [True]
    assert incremental == full and full[1]  # the small model has findings before and after
    assert bool(full[0]) == ("nothing-typed" in text or "Lonely" in text or "Complaint" in text)
    assert dump(small_store) == before  # check_addition writes nothing


def test_a_large_addition_is_validated_in_full_after(
    small_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The incremental analysis grows faster than the addition: above a share of the model's
    size, both states are validated in full."""
    from bizarch.validation import gate

    quads = iter_quads_of('ex:s a ba:ValueStreamStage ; rdfs:label "Lonely"@en .')
    current = ["urn:bizarch:scenario:current"]
    assert gate._incremental("sparql", quads, current, 0)  # below the smallest limit
    monkeypatch.setattr(gate, "INCREMENTAL_MIN_LIMIT", 1)
    assert not gate._incremental("sparql", quads, current, 0)
    assert gate._incremental("sparql", quads, current, 2 * gate.INCREMENTAL_SHARE)
    assert not gate._incremental("pyshacl", quads[:1], current, 0)
    decided: list[bool] = []
    real = gate._incremental
    monkeypatch.setattr(gate, "_incremental", lambda *a: decided.append(real(*a)) or decided[-1])
    with pytest.raises(LoadRefusedError) as caught:
        gate.check_addition(small_store, quads, engine="sparql")
    assert decided == [False]  # two statements, above the limit of one set above
    assert {f.rule_id for f in caught.value.result.new_violations} >= {"VS-005"}


def iter_quads_of(text: str) -> list:
    from bizarch.store.parsing import iter_quads

    return list(iter_quads(source(text), "urn:bizarch:scenario:current", None))
