"""Capability map and value-stream view in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.web.live import LiveServer

pytestmark = pytest.mark.browser
CLAIMS = '[data-capability="https://data.meridian-mutual.example/id/cap-claims-management"]'


def background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")


def test_capability_map_colours_change_with_the_measure(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/capabilities")
    assert page.locator(".cap-column").count() == 11
    maturity = background(page, CLAIMS)
    legend_before = page.inner_text("#legend")
    screenshot(page, "capability-map-maturity")
    with page.expect_navigation():
        page.select_option("#measure", "cost")  # the picker submits itself on change
    assert "measure=cost" in page.url
    cost = background(page, CLAIMS)
    assert cost != maturity
    assert "Annual cost" in page.inner_text("#legend")
    assert page.inner_text("#legend") != legend_before
    # the colour of every box is one of the legend's swatches
    swatches = set(
        page.eval_on_selector_all(
            "#legend .swatch", "els => els.map(e => getComputedStyle(e).backgroundColor)"
        )
    )
    boxes = set(
        page.eval_on_selector_all(
            ".cap", "els => els.map(e => getComputedStyle(e).backgroundColor)"
        )
    )
    assert boxes <= swatches
    assert len(boxes) >= 3
    screenshot(page, "capability-map-cost")
    watch.assert_clean()


def test_value_stream_view_draws_chevrons_side_by_side(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/value-streams?vs=mm:vs-settle-claim")
    current = page.locator('[data-scenario="current"] .chevron')
    target = page.locator('[data-scenario="target"] .chevron')
    assert current.count() >= 4 and current.count() == target.count()
    left = page.locator('[data-scenario="current"]').bounding_box()
    right = page.locator('[data-scenario="target"]').bounding_box()
    assert right["x"] > left["x"] + left["width"] / 2  # side by side on a wide screen
    first, second = current.nth(0).bounding_box(), current.nth(1).bounding_box()
    assert second["x"] > first["x"]  # stages run left to right
    screenshot(page, "value-stream")
    watch.assert_clean()


def test_validation_report_loads_through_htmx(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/validation")
    page.wait_for_selector("#rule-TEC-002", timeout=60_000)
    assert "ClaimsOne" in page.inner_text("#rule-TEC-002")
    screenshot(page, "validation")
    watch.assert_clean()


def test_trace_graph_renders_the_expected_nodes(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/trace?strategy=mm:strat-digital-claims")
    page.wait_for_function("() => window.bizarchGraph && window.bizarchGraph.nodes().length > 0")
    labels = page.evaluate("() => window.bizarchGraph.nodes().map(n => n.data('label'))")
    for expected in ("Digital-first claims", "Settle Claim", "Guidewire ClaimCenter"):
        assert expected in labels
    # layered top-down: the strategy sits above the applications it reaches
    y = page.evaluate(
        """() => Object.fromEntries(window.bizarchGraph.nodes().map(
            n => [n.data('label'), n.position('y')]))"""
    )
    assert y["Digital-first claims"] < y["Settle Claim"] < y["Guidewire ClaimCenter"]
    # the collapsible table opens and closes
    first = page.locator("#trace-table details").first
    assert first.get_attribute("open") is not None
    first.locator("summary").first.click()
    assert first.get_attribute("open") is None
    screenshot(page, "trace")
    watch.assert_clean()


def test_impact_page_lists_the_expected_elements(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/impact")
    page.fill("#element", "ClaimsOne")
    with page.expect_navigation():
        page.click("form.impact-picker button")
    operations = page.inner_text("#layer-operations")
    assert "Re-key claim form" in operations
    assert "loses its only application" in operations
    assert "Claims Assessment" in page.inner_text("#layer-capability")
    page.wait_for_function("() => window.bizarchGraph && window.bizarchGraph.nodes().length > 0")
    screenshot(page, "impact")
    watch.assert_clean()
