"""Every page route through the Flask test client, with content assertions on the demo."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from bizarch.demo import load_demo
from bizarch.scenarios import list_scenarios
from bizarch.store import OxigraphStore, RdfFormat, RdfSource
from bizarch.web import close_app
from bizarch.web.security import CONTENT_SECURITY_POLICY
from tests.web.conftest import make_app

CLAIMCENTER = "https://data.meridian-mutual.example/id/app-guidewire-claimcenter"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_lists_both_demo_scenarios_and_graph_sizes(client: FlaskClient) -> None:
    page = text(client.get("/"))
    assert "Current state 2026" in page
    assert "Target state 2027" in page
    assert "urn:bizarch:scenario:target" in page
    assert "https://w3id.org/bizarch/ontology" in page


def test_pages_and_command_line_list_the_same_scenarios() -> None:
    """One listing (bizarch.scenarios.list_scenarios) behind the CLI and every picker: a
    scenario without a description is listed too, and the sizes agree with the CLI's."""
    with OxigraphStore() as store:
        load_demo(store)
        sketch = b"<https://example.org/a> <https://example.org/p> <https://example.org/b> ."
        store.load([RdfSource("s.nt", sketch, RdfFormat.NTRIPLES)], "urn:bizarch:scenario:sketch")
        listed = list_scenarios(store)
        assert [s.name for s in listed] == ["current", "target", "sketch"]
        app = make_app(store)
        try:
            client = app.test_client()
            picker = text(client.get("/kpis")).split('<select name="scenario">', 1)[1]
            picker = picker.split("</select>", 1)[0]
            assert re.findall(r'<option value="([^"]+)"', picker) == [s.name for s in listed]
            table = text(client.get("/")).split('id="scenarios"', 1)[1].split("</table>", 1)[0]
            assert re.findall(r'<td class="num">([\d,]+)</td>', table) == [
                f"{s.triples:,}" for s in listed
            ]
            assert "<code>sketch</code>" in table
        finally:
            close_app(app)


def test_dashboard_counts_elements_by_class_per_scenario(client: FlaskClient) -> None:
    page = text(client.get("/"))
    table = page.split('id="model-size"', 1)[1].split("</table>", 1)[0]
    header = table.split("</thead>", 1)[0]
    assert header.index("Current state 2026") < header.index("Target state 2027")
    # data/demo/README.md: 4 strategies in both, 234 measurements now and 156 in the target
    strategy = table.split(">strategy</a>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">([\d,]+)</td>', strategy) == ["4", "4"]
    measurement = table.split(">measurement</a>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">([\d,]+)</td>', measurement) == ["234", "156"]


def test_navigation_links_every_area_present(client: FlaskClient) -> None:
    page = text(client.get("/"))
    nav = page.split('<nav aria-label="main">', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="(/[^"]*)"', nav) == [
        "/",
        "/",
        "/trace",
        "/impact",
        "/capabilities",
        "/value-streams",
        "/kpis",
        "/scenarios/compare",
        "/validation",
        "/queries",
        "/ontology",
        "/console",
        "/import",
    ]


def test_element_page_shows_label_type_definition_and_formatted_literals(
    client: FlaskClient,
) -> None:
    response = client.get("/element", query_string={"iri": "mm:app-guidewire-claimcenter"})
    assert response.status_code == 200
    page = text(response)
    assert '<h1 id="element-label">Guidewire ClaimCenter</h1>' in page
    assert ">application</a>" in page  # the type, by its ontology label
    assert "Claims system of record since October 2024" in page
    assert "1,450,000" in page  # ba:annualCost 1450000.0 formatted
    assert "2024-10-01" in page
    assert "Guidewire Software" in page


def test_element_page_links_related_elements_in_both_directions(client: FlaskClient) -> None:
    page = text(client.get("/element", query_string={"iri": CLAIMCENTER}))
    outgoing = page.split('id="outgoing"', 1)[1].split("</table>", 1)[0]
    incoming = page.split('id="incoming"', 1)[1].split("</table>", 1)[0]
    # forward: it runs on the Guidewire cloud platform
    assert "/element?iri=https://data.meridian-mutual.example/id/plat-guidewire-cloud" in outgoing
    # backward: ClaimsSelf-service flows to it, processes are supported by it
    assert (
        "/element?iri=https://data.meridian-mutual.example/id/app-claims-self-service" in incoming
    )
    assert ">supported by</a>" in incoming


def test_element_page_follows_the_chosen_scenario(client: FlaskClient) -> None:
    current = text(client.get("/element", query_string={"iri": "mm:app-claimsone"}))
    target = text(
        client.get("/element", query_string={"iri": "mm:app-claimsone", "scenario": "target"})
    )
    assert ">phase-out</a>" in current
    assert ">phase-out</a>" not in target


def test_element_accepts_a_full_iri_and_a_curie_for_ontology_terms(client: FlaskClient) -> None:
    page = text(client.get("/element", query_string={"iri": "ba:Capability"}))
    assert '<h1 id="element-label">business capability</h1>' in page
    assert "Claims Assessment" in page  # an instance, in "referenced by"


@pytest.mark.parametrize(
    ("iri", "status", "message"),
    [
        ("mm:no-such-element", 404, "Nothing in scenario &#39;current&#39; is about"),
        ("not an iri", 400, "is not an IRI"),
        ("", 400, "Which element?"),
    ],
)
def test_element_errors_are_one_clear_message(
    client: FlaskClient, iri: str, status: int, message: str
) -> None:
    response = client.get("/element", query_string={"iri": iri})
    assert response.status_code == status
    assert message in text(response)
    assert "Traceback" not in text(response)


def test_element_errors_as_json_when_asked(client: FlaskClient) -> None:
    response = client.get(
        "/element", query_string={"iri": "mm:nothing"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 404
    assert response.json["error"] == "NotFoundError"
    assert "mm:nothing" not in response.json["message"]  # the IRI is expanded
    assert "https://data.meridian-mutual.example/id/nothing" in response.json["message"]


@pytest.mark.parametrize(
    ("how", "media_type", "fmt"),
    [
        ({"headers": {"Accept": "text/turtle"}}, "text/turtle", ox.RdfFormat.TURTLE),
        (
            {"headers": {"Accept": "application/ld+json"}},
            "application/ld+json",
            ox.RdfFormat.JSON_LD,
        ),
        ({"suffix": "ttl"}, "text/turtle", ox.RdfFormat.TURTLE),
        ({"suffix": "jsonld"}, "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_element_description_as_rdf(
    client: FlaskClient, how: dict, media_type: str, fmt: ox.RdfFormat
) -> None:
    path = f"/element.{how['suffix']}" if "suffix" in how else "/element"
    response = client.get(path, query_string={"iri": CLAIMCENTER}, headers=how.get("headers"))
    assert response.status_code == 200
    assert response.mimetype == media_type
    triples = {
        (q.subject.value, q.predicate.value, str(q.object))
        for q in ox.parse(response.data, format=fmt)
    }
    label = (
        CLAIMCENTER,
        "http://www.w3.org/2000/01/rdf-schema#label",
        '"Guidewire ClaimCenter"@en',
    )
    incoming = (
        "https://data.meridian-mutual.example/id/app-claims-self-service",
        "https://w3id.org/bizarch/ontology#flowsTo",
        f"<{CLAIMCENTER}>",
    )
    assert label in triples
    assert incoming in triples


def test_unknown_rdf_suffix_is_refused(client: FlaskClient) -> None:
    response = client.get("/element.xls", query_string={"iri": CLAIMCENTER})
    assert response.status_code == 400
    assert ".ttl (Turtle) or .jsonld" in text(response)


def test_ontology_page_lists_classes_and_properties_with_definitions(client: FlaskClient) -> None:
    page = text(client.get("/ontology"))
    classes = page.split('id="classes"', 1)[1].split('id="properties"', 1)[0]
    properties = page.split('id="properties"', 1)[1]
    assert 'id="ba:ValueStreamStage"' in classes
    assert "CourseOfAction" in classes  # Strategy's ArchiMate counterpart
    assert 'id="ba:enabledBy"' in properties
    assert 'id="ba:Capability"' not in properties
    performed = properties.split('id="ba:performedBy"', 1)[1].split("</tr>", 1)[0]
    assert "relationship" in performed
    # a union range lists its members
    assert ">organisation unit</a> or <a" in performed or ">role</a> or <a" in performed
    assert ">organisation unit</a>" in performed and ">role</a>" in performed
    lead = properties.split('id="ba:leadTime"', 1)[1].split("</tr>", 1)[0]
    assert "attribute" in lead


def test_console_page_points_yasgui_at_the_apps_own_endpoint(client: FlaskClient) -> None:
    page = text(client.get("/console"))
    assert '"endpoint": "http://localhost/sparql"' in page
    assert "/static/vendor/zazuko-yasgui/yasgui.min.js" in page
    assert "/static/js/console.js" in page


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    for path in (
        "/",
        "/ontology",
        "/console",
        "/sparql",
        "/element?iri=mm:none",
        "/static/css/bizarch.css",
    ):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY  # no inline scripts, no eval


def test_unknown_route_is_an_html_404_page(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "404 · Not Found" in text(response)


@pytest.mark.parametrize("path", ["/element?iri=mm:app-claimsone", "/capabilities"])
def test_an_unknown_scenario_is_404_naming_the_known_ones(client: FlaskClient, path: str) -> None:
    response = client.get(path + ("&" if "?" in path else "?") + "scenario=future")
    assert response.status_code == 404
    page = text(response)
    # the repository's one message, the same as on the command line
    assert "No scenario &#39;future&#39; in this store." in page
    assert "Known scenarios: current, target." in page
