"""Trace and impact pages on the demo enterprise (services: bizarch.trace, bizarch.impact)."""

from __future__ import annotations

import csv
import io
import json
import re

from flask.testing import FlaskClient

MM = "https://data.meridian-mutual.example/id/"


def graph(page: str) -> dict:
    return json.loads(page.split('id="graph-data">', 1)[1].split("</script>", 1)[0])


def test_trace_page_shows_the_strategy_down_to_technology(client: FlaskClient) -> None:
    page = client.get("/trace", query_string={"strategy": "mm:strat-digital-claims"}).get_data(
        as_text=True
    )
    assert "How <a" in page and ">Digital-first claims</a> reaches the work" in page
    data = graph(page)
    labels = {n["label"] for n in data["nodes"]}
    assert {"Digital-first claims", "Settle Claim", "Guidewire ClaimCenter"} <= labels
    kinds = {n["kind"] for n in data["nodes"]}
    assert {"strategy", "value", "capability", "operations", "application"} <= kinds
    assert data["rankDir"] == "TB"
    focus = [n for n in data["nodes"] if n["focus"]]
    assert [n["id"] for n in focus] == [MM + "strat-digital-claims"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    table = page.split('id="trace-table"', 1)[1]
    assert table.count('class="trace-node') == len(data["nodes"])
    # the strategy picker lists all four strategies, this one selected
    assert re.search(r'<option value="[^"]*strat-digital-claims" selected>', page)
    assert page.count('<option value="' + MM + "strat-") == 4


def test_trace_csv_has_one_row_per_element_with_its_path(client: FlaskClient) -> None:
    response = client.get("/trace.csv", query_string={"strategy": "mm:strat-digital-claims"})
    assert response.mimetype == "text/csv"
    assert "trace-down-strat-digital-claims-current.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["depth"] == "0" and rows[0]["label"] == "Digital-first claims"
    settle = next(r for r in rows if r["element"] == MM + "vs-settle-claim")
    assert settle["layer"] == "value"
    assert settle["path"].startswith("Digital-first claims > ")
    assert settle["path"].endswith(" > Settle Claim")
    assert len({r["element"] for r in rows}) == len(rows)


def test_trace_up_from_any_element(client: FlaskClient) -> None:
    page = client.get("/trace", query_string={"element": "mm:app-claimsone"}).get_data(as_text=True)
    assert "Trace up" in page
    labels = {n["label"] for n in graph(page)["nodes"]}
    assert "Digital-first claims" in labels  # ClaimsOne serves the claims strategy
    assert graph(page)["rankDir"] == "BT"


def test_impact_page_groups_hits_by_layer_with_severity_and_path(client: FlaskClient) -> None:
    page = client.get("/impact", query_string={"element": "ClaimsOne"}).get_data(as_text=True)
    layers = re.findall(r'<section class="impact-layer" id="layer-(\w+)">', page)
    assert layers[:2] == ["strategy", "value"]
    operations = page.split('id="layer-operations"', 1)[1].split("</section>", 1)[0]
    row = operations.split(f'data-element="{MM}act-paper-rekey-claim-form"', 1)[1]
    row = row.split("</tr>", 1)[0]
    assert row.startswith(' data-severity="high">')
    assert "loses its only application" in row
    assert "ba:supportedBy" in row  # the path names the relationship
    data = graph(page)
    assert {n["kind"] for n in data["nodes"]} >= {"changed element", "high", "medium"}


def test_impact_of_an_unknown_element_is_404(client: FlaskClient) -> None:
    response = client.get("/impact", query_string={"element": "No such thing"})
    assert response.status_code == 404
    assert "No element is labelled" in response.get_data(as_text=True)


def test_element_page_summarises_what_the_element_serves(client: FlaskClient) -> None:
    page = client.get("/element", query_string={"iri": "mm:app-claimsone"}).get_data(as_text=True)
    serves = page.split('id="serves"', 1)[1].split("</p>", 1)[0]
    assert ">Digital-first claims</a>" in serves  # a strategy it serves, by trace up
    assert ">Cut claims leakage by two points</a>" in serves  # an objective
    assert "/trace?element=https://data.meridian-mutual.example/id/app-claimsone" in serves
    assert "/impact?element=https://data.meridian-mutual.example/id/app-claimsone" in serves
    strategy = client.get("/element", query_string={"iri": "mm:strat-digital-claims"})
    assert "Trace this strategy down to the work" in strategy.get_data(as_text=True)
    term = client.get("/element", query_string={"iri": "ba:Capability"}).get_data(as_text=True)
    assert 'id="serves"' not in term


def test_dashboard_lists_kpis_off_track_and_the_worst_flow(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    kpis = page.split('id="kpis-off-track"', 1)[1].split("</table>", 1)[0]
    # header + 12 demo KPIs (10 off track, 2 at risk); new-business premium is within its noise
    assert kpis.count("<tr>") == 1 + 12
    assert kpis.count(">off track<") == 10 and kpis.count(">at risk<") == 2
    assert kpis.index("off track") < kpis.index("at risk")
    assert "Broker new-business premium" not in kpis
    flow = page.split('id="worst-flow"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'vs-([\w-]+)">', flow)
    assert names[0] == "renew-policy"  # 0.3 % flow efficiency, the lowest in the demo
    assert len(names) == 5


def test_large_traces_show_the_nearest_layers_and_say_so(client: FlaskClient, monkeypatch) -> None:
    import bizarch.web.trace as trace_view

    monkeypatch.setattr(trace_view, "SHOWN_NODES", 10)
    page = client.get("/trace", query_string={"strategy": "mm:strat-digital-claims"}).get_data(
        as_text=True
    )
    assert "Showing the 10 elements nearest the start of 96" in page
    data = graph(page)
    assert len(data["nodes"]) == 10
    kinds = {n["kind"] for n in data["nodes"]}
    assert "technology" not in kinds  # breadth first: the far layers are the ones left out
    table = page.split('id="trace-table"', 1)[1]
    assert table.count('class="trace-node') == 10
    csv_rows = client.get("/trace.csv", query_string={"strategy": "mm:strat-digital-claims"})
    assert csv_rows.get_data(as_text=True).count("\r\n") == 1 + 96  # the CSV has them all
