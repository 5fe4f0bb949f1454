"""The SPARQL console (YASGUI) and the browsing pages in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.web.live import LiveServer

pytestmark = pytest.mark.browser


def test_yasgui_runs_a_query_against_the_own_endpoint_and_shows_rows(
    page, live_server: LiveServer
) -> None:
    page, watch = page
    page.goto(live_server.base + "/console")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate(
        """() => window.bizarchYasgui.getTab().getYasqe().setValue(
        'PREFIX ba: <https://w3id.org/bizarch/ontology#>\\n' +
        'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n' +
        'SELECT ?label WHERE { GRAPH <urn:bizarch:scenario:current> ' +
        '{ ?s a ba:ValueStream ; rdfs:label ?label } } ORDER BY ?label')"""
    )
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table.dataTable tbody tr")
    cells = page.locator(".yasr table.dataTable tbody tr td").all_inner_texts()
    text = " ".join(cells)
    for name in ("Acquire Policyholder", "Onboard Broker", "Settle Claim"):
        assert name in text
    rows = page.locator(".yasr table.dataTable tbody tr").count()
    assert rows == 5
    screenshot(page, "console")
    # typing where the stock completers would ask LOV (classes after "a", properties) sends
    # nothing anywhere: only local completion (variables) is on
    page.evaluate(
        """() => { const y = window.bizarchYasgui.getTab().getYasqe();
        y.setValue('PREFIX foaf: <http://xmlns.com/foaf/0.1/>\\nSELECT * WHERE { ?s a foaf:Pe');
        y.focus(); y.setCursor(y.lineCount(), 0); }"""
    )
    page.keyboard.type("rs")
    page.keyboard.press("Control+Space")
    page.keyboard.type(" ; foaf:na")
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1500)
    watch.assert_clean()


def test_element_page_renders_and_links_work(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/element?iri=mm:app-guidewire-claimcenter")
    assert page.inner_text("#element-label") == "Guidewire ClaimCenter"
    page.click("#incoming a:text-is('Meridian Claims Self-Service')")
    assert page.inner_text("#element-label") == "Meridian Claims Self-Service"
    screenshot(page, "element")
    watch.assert_clean()


def test_ontology_and_home_pages_render_without_errors(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/ontology")
    assert page.locator("#classes tbody tr").count() >= 30
    screenshot(page, "ontology")
    page.goto(live_server.base + "/")
    assert "Target state 2027" in page.inner_text("#scenarios")
    screenshot(page, "home")
    watch.assert_clean()


def test_element_graph_draws_the_related_elements(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/element?iri=mm:app-claimsone")
    page.wait_for_function("() => window.bizarchGraph && window.bizarchGraph.nodes().length > 0")
    labels = page.evaluate("() => window.bizarchGraph.nodes().map(n => n.data('label'))")
    assert "ClaimsOne" in labels  # the element itself, in focus
    assert "Payment Hub" in labels  # ClaimsOne flows to the payment hub
    assert "phase-out" not in labels  # code-list values are attributes, not related elements
    edges = page.evaluate("() => window.bizarchGraph.edges().map(e => e.data('label'))")
    assert "flows to" in edges
    # dagre laid the graph out left to right: the element is not where every node starts
    positions = page.evaluate("() => window.bizarchGraph.nodes().map(n => n.position('x'))")
    assert len(set(round(x) for x in positions)) > 1
    assert page.locator("#graph-legend li").count() >= 2
    screenshot(page, "element-graph")
    watch.assert_clean()
