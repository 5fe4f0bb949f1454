"""The measure pages (value-stream metrics panel, KPI pages, scenario comparison, dashboard
signals) through the Flask test client, with content assertions on the demo enterprise."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def text(response) -> str:
    return response.get_data(as_text=True)


def panels(page: str) -> dict[str, str]:
    found = re.findall(
        r'<section class="flow-panel" data-flow-scenario="([^"]+)">(.*?)</section>', page, re.S
    )
    return dict(found)


def test_value_stream_view_has_a_metrics_panel_per_scenario(client: FlaskClient) -> None:
    response = client.get("/value-streams", query_string={"vs": "mm:vs-settle-claim"})
    assert response.status_code == 200
    by_side = panels(text(response))
    assert sorted(by_side) == ["current", "target"]
    current, target = by_side["current"], by_side["target"]
    # data/demo/README.md: Settle Claim lead time 17.4 -> 9.6 days, rolled %C&A 40.3 -> 71.6 %
    assert '<td class="lead-total">17.4 days</td>' in current
    assert '<td class="lead-total">9.6 days</td>' in target
    assert '<td class="rolled-pca">40.33 %</td>' in current
    assert '<td class="bottleneck">Assess Claim <small>(7.8 days)</small></td>' in current


def test_lead_time_ladder_is_svg_on_one_scale(client: FlaskClient) -> None:
    page = text(client.get("/value-streams", query_string={"vs": "mm:vs-settle-claim"}))
    by_side = panels(page)
    widths = {}
    for side, html in by_side.items():
        assert '<svg class="ladder"' in html
        bars = re.findall(
            r'data-stage="([^"]+)">.*?class="wait"[^>]*width="([\d.]+)".*?class="process"[^>]*width="([\d.]+)"',
            html,
            re.S,
        )
        assert [b[0] for b in bars] == [
            "Report Loss",
            "Verify Cover",
            "Assess Claim",
            "Agree Settlement",
            "Pay Claim",
        ]
        widths[side] = {b[0]: float(b[1]) + float(b[2]) for b in bars}
    # the current Assess Claim stage (8 days, the longest of both sides) fills the width;
    # the target one (5 days) gets 5/8 of it on the same scale
    ratio = widths["target"]["Assess Claim"] / widths["current"]["Assess Claim"]
    assert abs(ratio - 5 / 8) < 0.01
    assert 'font-weight="bold">Assess Claim</text>' in page  # the bottleneck
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_kpi_list_shows_status_and_verdict(client: FlaskClient) -> None:
    page = text(client.get("/kpis"))
    rows = dict(re.findall(r'<tr data-kpi="[^"]*kpi-([a-z-]+)" data-verdict="([a-z ]+)">', page))
    assert len(rows) == 13
    assert rows["claim-lead-time"] == "significant change"
    assert rows["broker-satisfaction"] == "normal variation"
    assert page.count('<svg class="spark"') == 13


def test_kpi_page_draws_the_control_chart(client: FlaskClient) -> None:
    response = client.get("/kpis/kpi", query_string={"iri": "Claim settlement lead time"})
    assert response.status_code == 200
    page = text(response)
    heading = "<h2>Claim settlement lead time of Settle Claim <small class="
    assert heading + '"verdict">significant change</small></h2>' in page
    chart = page.split('<svg class="control-chart"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("<circle") == 18
    assert 'class="centre"' in chart and chart.count('class="limit"') == 2
    assert 'class="revised-centre"' in chart  # the limits after the shift
    assert "rule 2: values 9 to 18: 10 in a row below the centre line" in page


def test_kpi_page_errors(client: FlaskClient) -> None:
    missing = client.get("/kpis/kpi", query_string={"iri": "No Such KPI"})
    assert missing.status_code == 404 and "is labelled" in text(missing)
    assert client.get("/kpis/kpi").status_code == 400
    assert client.get("/kpis", query_string={"scenario": "nowhere"}).status_code == 404


def test_scenario_comparison_page(client: FlaskClient) -> None:
    response = client.get(
        "/scenarios/compare", query_string={"base": "current", "target": "target"}
    )
    assert response.status_code == 200
    page = text(response)
    summary = page.split('<p id="compare-summary">', 1)[1].split("</p>", 1)[0]
    assert "16 elements added, 30 removed" in summary
    assert "<li>lead time 17.4 days → 9.6 days (-44.8 %)</li>" in page
    gaps = page.split('<section id="gaps">', 1)[1].split("</section>", 1)[0]
    assert gaps.count('<tr class="gap add') == 16 and gaps.count('<tr class="gap remove') == 30
    same = client.get("/scenarios/compare", query_string={"base": "current", "target": "current"})
    assert "Choose two different scenarios." in text(same)


def test_dashboard_lists_kpis_with_signals(client: FlaskClient) -> None:
    page = text(client.get("/"))
    table = page.split('id="kpi-signals"', 1)[1].split("</table>", 1)[0]
    listed = re.findall(r'data-kpi="[^"]*kpi-([a-z-]+)"', table)
    # data/demo/README.md: the four series with a signal; the noise series are not listed
    assert sorted(listed) == [
        "claim-lead-time",
        "claims-stp-rate",
        "legacy-policy-share",
        "net-promoter-score",
    ]


def test_comparison_escapes_labels_and_links_through_element_pages(hostile_store) -> None:
    from bizarch.web import close_app
    from tests.web.conftest import make_app

    app = make_app(hostile_store)
    try:
        page = text(app.test_client().get("/scenarios/compare?base=current&target=target"))
    finally:
        close_app(app)
    # the application labelled with a script tag is removed in the target: listed, as text
    assert "<script>alert(" not in page
    assert "Application &#39;&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;&#39;" in page
    links = re.findall(r'(?:href|src|action)="([^"]*)"', page)
    assert not [h for h in links if h.strip().lower().startswith(("javascript:", "data:"))]
    assert "/element?iri=javascript:alert(1)&amp;scenario=current" in page
