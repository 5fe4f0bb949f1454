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
