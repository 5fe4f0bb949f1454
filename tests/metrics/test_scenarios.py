"""Scenarios: list, copy (one atomic write), and compare on a hand-made pair (fixtures/pair_*)."""

from __future__ import annotations

import datetime as dt

import pytest

from bizarch.errors import NotFoundError, UserInputError
from bizarch.scenarios import ScenarioComparison, compare_scenarios, copy_scenario, list_scenarios


@pytest.fixture
def pair(store, load):
    load("pair_base.ttl", scenario="current")
    load("pair_target.ttl", scenario="target")
    return store


@pytest.fixture
def comparison(pair) -> ScenarioComparison:
    return compare_scenarios(pair, "current", "target")


def test_list_reads_the_descriptions(pair, load):
    load(text="<https://example.org/x> a <https://example.org/Thing> .", scenario="scratch")
    listed = {s.name: s for s in list_scenarios(pair)}
    assert sorted(listed) == ["current", "scratch", "target"]
    target = listed["target"]
    assert (target.label, target.kind, target.status) == ("Target state 2027", "target", "proposed")
    assert target.date == dt.date(2027, 6, 30) and target.derived_from == "current"
    assert listed["current"].kind == "baseline" and listed["current"].triples == 57
    assert listed["scratch"].described is False


def test_elements_added_removed_changed(comparison):
    diff = comparison.diff
    assert [str(c.element) for c in diff.added] == ["Application 'Claims Hub'"]
    assert [str(c.element) for c in diff.removed] == ["Capability 'Claims Intake'"]
    sentences = [a.sentence for c in diff.changed for a in c.attributes]
    assert sentences == [
        "Application 'Legacy Claims' lifecycle status changed from active to phase-out",
        "Capability 'Claims Assessment' current maturity changed from 2 to 4",
        "Stage 'Assess Claim' lead time changed from 10 days to 6 days (-40 %)",
        "Stage 'Assess Claim' %C&A changed from 80 % to 90 % (+10 points)",
    ]
    # 120000 and 120000.00 are the same cost: no change reported
    assert not any("annual cost" in s for s in sentences)
    # measurements and scenario descriptions are not model differences
    assert not any("Measurement" in str(c.element) for c in diff.changed + diff.removed)


def test_relationships_in_words(comparison):
    assert [r.sentence for r in comparison.diff.relationships_added] == [
        "Business process 'Assess claims' supported by Application 'Claims Hub' (added)",
        "Initiative 'Claims Modernisation' changes Application 'Claims Hub' (added)",
    ]
    assert [r.sentence for r in comparison.diff.relationships_removed] == [
        "Business process 'Assess claims' supported by Application 'Legacy Claims' (removed)",
    ]


def test_metric_deltas_per_value_stream(comparison):
    (delta,) = comparison.value_streams
    assert delta.label == "Settle Claim" and delta.status == "changed"
    # lead 2 + 10 = 12 days -> 2 + 6 = 8 days; rolled %C&A 0.9 * 0.8 = 72 % -> 0.9 * 0.9 = 81 %
    assert [str(c) for c in delta.changes] == [
        "lead time 12 days → 8 days (-33.3 %)",
        "activity ratio 12.5 % → 18.75 % (+6.25 points)",
        "rolled %C&A 72 % → 81 % (+9 points)",
    ]


def test_capability_maturity_changes(comparison):
    assert [str(m) for m in comparison.maturity] == [
        "Capability 'Claims Assessment' maturity 2 → 4",
        "Capability 'Claims Intake' maturity 3 → none",
    ]


def test_gap_list(comparison):
    gaps = {(g.action, str(g.element)): g for g in comparison.gaps}
    assert list(gaps)[:2] == [
        ("add", "Application 'Claims Hub'"),
        ("change", "Application 'Legacy Claims'"),
    ]
    assert list(gaps)[-1] == ("remove", "Capability 'Claims Intake'")
    hub = gaps[("add", "Application 'Claims Hub'")]
    assert hub.initiatives == ["Claims Modernisation"] and hub.covered
    legacy = gaps[("change", "Application 'Legacy Claims'")]
    assert legacy.details == [
        "Application 'Legacy Claims' lifecycle status changed from active to phase-out",
        "Business process 'Assess claims' supported by Application 'Legacy Claims' (removed)",
    ]
    assert not gaps[("remove", "Capability 'Claims Intake'")].covered
    assert not gaps[("change", "Business process 'Assess claims'")].covered


def test_copy_is_a_complete_start_for_a_future_state(pair):
    before = pair.count()
    info = copy_scenario(
        pair, "current", "future-2028", label="Future 2028", date=dt.date(2026, 5, 1)
    )
    assert (info.name, info.label, info.kind, info.status) == (
        "future-2028",
        "Future 2028",
        "target",
        "proposed",
    )
    assert info.derived_from == "current" and info.date == dt.date(2026, 5, 1)
    # 57 triples minus the source description (5) and the measurement (4), plus 6 new ones
    assert info.triples == 54 and pair.count() == before + 54
    same = compare_scenarios(pair, "current", "future-2028")
    assert (same.diff.added, same.diff.removed, same.diff.changed) == ([], [], [])
    assert [d.status for d in same.value_streams] == ["same"]


def test_copy_refuses_to_overwrite_and_changes_nothing(pair):
    before = pair.count()
    with pytest.raises(UserInputError, match="'target' already exists"):
        copy_scenario(pair, "current", "target")
    with pytest.raises(UserInputError, match="not a scenario kind"):
        copy_scenario(pair, "current", "new", kind="someday")
    with pytest.raises(NotFoundError, match="No scenario 'nowhere'"):
        copy_scenario(pair, "nowhere", "new")
    with pytest.raises(UserInputError, match="not a scenario name"):
        copy_scenario(pair, "current", "bad name }")
    assert pair.count() == before


def test_compare_needs_two_existing_different_scenarios(pair):
    with pytest.raises(UserInputError, match="same scenario"):
        compare_scenarios(pair, "current", "urn:bizarch:scenario:current")
    with pytest.raises(NotFoundError):
        compare_scenarios(pair, "current", "nowhere")
