"""The measure pages in a real browser: SVG charts drawn, no console or CSP errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.web.live import LiveServer

pytestmark = pytest.mark.browser


def test_kpi_control_chart_is_drawn(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/kpis/kpi?iri=mm:kpi-claim-lead-time")
    chart = page.locator("svg.control-chart").first
    box = chart.bounding_box()
    assert box["width"] > 400 and box["height"] > 100
    assert page.locator("svg.control-chart circle").count() == 18
    assert page.locator("svg.control-chart circle.signal").count() > 0
    # higher lead times sit higher: the first (21.6 days) is above the last (17.8 days)
    first = page.locator("svg.control-chart circle").nth(0).bounding_box()
    last = page.locator("svg.control-chart circle").nth(17).bounding_box()
    assert first["y"] < last["y"]
    screenshot(page, "kpi-control-chart")
    watch.assert_clean()


def test_value_stream_ladders_and_kpi_list(page, live_server: LiveServer) -> None:
    page, watch = page
    page.goto(live_server.base + "/value-streams?vs=mm:vs-settle-claim")
    ladders = page.locator("svg.ladder")
    assert ladders.count() == 2
    current = page.locator('[data-flow-scenario="current"] rect.wait').nth(2).bounding_box()
    target = page.locator('[data-flow-scenario="target"] rect.wait').nth(2).bounding_box()
    assert target["width"] < current["width"]  # Assess Claim waits less in the target
    screenshot(page, "value-stream-ladder")
    page.goto(live_server.base + "/kpis")
    assert page.locator("#kpis tbody tr").count() == 13
    assert page.locator("svg.spark").count() == 13
    watch.assert_clean()
