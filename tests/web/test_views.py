"""Capability map and value-stream view on the demo enterprise."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

CLAIMS = "https://data.meridian-mutual.example/id/cap-claims-management"


def box(page: str, iri: str) -> str:
    """The opening tag of a capability's box."""
    match = re.search(rf'<div class="([^"]*)" data-capability="{re.escape(iri)}"', page)
    assert match, iri
    return match.group(1)


def test_capability_map_has_a_column_per_tier1_capability_with_nested_boxes(
    client: FlaskClient,
) -> None:
    page = client.get("/capabilities").get_data(as_text=True)
    assert page.count('<section class="cap-column">') == 11
    column = page.split(f'data-capability="{CLAIMS}"', 1)[1].split('<section class="cap-column">')[
        0
    ]
    assert "Claims Assessment" in column  # a tier-2 child inside the Claims Management column
    assert "tier-3" in column
    assert "Current maturity (1-5)" in page


@pytest.mark.parametrize(
    ("measure", "klass", "legend"),
    [
        ("maturity", "heat-good-high-", "higher is better"),
        ("gap", "heat-good-low-", "lower is better"),
        ("importance", "heat-neutral-", "Strategic importance"),
        ("applications", "heat-neutral-", "Number of supporting applications"),
        ("cost", "heat-neutral-", "Annual cost of supporting applications"),
        ("risk", "heat-good-low-", "Lifecycle risk"),
    ],
)
def test_capability_map_colours_by_each_measure(
    client: FlaskClient, measure: str, klass: str, legend: str
) -> None:
    page = client.get("/capabilities", query_string={"measure": measure}).get_data(as_text=True)
    assert legend in page
    assert klass in box(page, CLAIMS)
    assert page.count('<span class="swatch ') >= 3


def test_capability_map_values_follow_the_data(client: FlaskClient) -> None:
    # Claims Management: maturity 2 of 4 in the current state (data/demo/current/capabilities.ttl)
    current = client.get("/capabilities", query_string={"measure": "gap"}).get_data(as_text=True)
    column = current.split(f'data-capability="{CLAIMS}"', 1)[1]
    assert re.match(
        r'[^>]*>\s*<div class="cap-head"><a [^>]*>Claims Management</a>\s*'
        r'<span class="cap-value">2</span>',
        column,
    )
    # lifecycle risk rolls up: ClaimsOne (phase-out) supports a claims sub-capability
    risk = client.get("/capabilities", query_string={"measure": "risk"}).get_data(as_text=True)
    column = risk.split(f'data-capability="{CLAIMS}"', 1)[1]
    assert 'title="sum of the sub-capabilities"' in column.split("</span>", 1)[0]


def test_capability_map_unknown_measure_is_400(client: FlaskClient) -> None:
    response = client.get("/capabilities", query_string={"measure": "colour"})
    assert response.status_code == 400
    assert "Choose one of: maturity, gap, importance" in response.get_data(as_text=True)


def test_value_stream_view_shows_stages_in_order_for_both_scenarios(client: FlaskClient) -> None:
    page = client.get("/value-streams", query_string={"vs": "mm:vs-settle-claim"}).get_data(
        as_text=True
    )
    current, target = page.split('data-scenario="current"', 1)[1].split('data-scenario="target"')
    stages = re.findall(r'class="chevron" data-stage="[^"]*stage-settle-claim-(\w+)"', current)
    assert stages[0] == "report"
    assert len(stages) == len(re.findall(r'class="chevron"', target)) >= 4
    assert "Policyholder reports a loss" in current  # entrance criterion
    assert "Registered claim" in current  # value item
    assert "First Notice of Loss" in current  # enabling capability
    lead_current = re.findall(r'class="lead-time">([^<]*)<', current)
    lead_target = re.findall(r'class="lead-time">([^<]*)<', target)
    assert lead_current != lead_target  # the target state is faster
    assert all(t.endswith(("day", "days")) for t in lead_current)


def test_value_stream_view_rejects_an_unknown_stream(client: FlaskClient) -> None:
    response = client.get("/value-streams", query_string={"vs": "mm:vs-nothing"})
    assert response.status_code == 404
