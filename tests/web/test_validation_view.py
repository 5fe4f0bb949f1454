"""Validation report page, dashboard status and element findings on the demo enterprise.

The demo's current scenario conforms with three warnings (data/demo/README.md lists its deliberate
weaknesses): CAP-006 on "Manage Sales Leads", TEC-002 on ClaimsOne and on PolicyMaster.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_report_groups_findings_by_severity_and_rule_with_element_links(
    client: FlaskClient,
) -> None:
    page = client.get("/validation/report", query_string={"scenario": "current"}).get_data(
        as_text=True
    )
    assert "<html" in page  # a full page without htmx
    assert "Conforms" in page
    assert "0 violations" in page and "3 warnings" in page
    rules = re.findall(r'<details class="rule sev-(\w+)" id="rule-([\w-]+)"', page)
    assert rules == [("warning", "CAP-006"), ("warning", "TEC-002")]
    tec = page.split('id="rule-TEC-002"', 1)[1]
    assert ">ClaimsOne</a>" in tec and ">PolicyMaster</a>" in tec
    assert "/element?iri=https://data.meridian-mutual.example/id/app-claimsone" in tec


def test_report_is_a_fragment_for_htmx(client: FlaskClient) -> None:
    response = client.get(
        "/validation/report", query_string={"scenario": "current"}, headers={"HX-Request": "true"}
    )
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<section id="validation-report">')


def test_page_shell_loads_the_report_with_htmx(client: FlaskClient) -> None:
    page = client.get("/validation").get_data(as_text=True)
    assert 'hx-get="/validation/report?scenario=current"' in page
    assert "/static/vendor/htmx.org/htmx.min.js" in page


def test_dashboard_status_counts_findings_per_scenario(client: FlaskClient) -> None:
    assert 'hx-get="/validation/summary"' in client.get("/").get_data(as_text=True)
    table = client.get("/validation/summary").get_data(as_text=True)
    current = table.split("Current state 2026", 1)[1].split("</tr>", 1)[0]
    assert "conforms" in current
    assert re.findall(r'<td class="num sev-\w+">(\d+)</td>', current) == ["0", "3", "0"]


def test_element_findings(client: FlaskClient) -> None:
    element_page = client.get("/element", query_string={"iri": "mm:app-claimsone"})
    assert 'hx-get="/validation/element?iri=' in element_page.get_data(as_text=True)
    claimsone = client.get("/validation/element", query_string={"iri": "mm:app-claimsone"})
    assert "TEC-002" in claimsone.get_data(as_text=True)
    clean = client.get("/validation/element", query_string={"iri": "mm:app-guidewire-claimcenter"})
    assert "No finding about this element" in clean.get_data(as_text=True)
