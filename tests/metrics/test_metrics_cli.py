"""The measure commands through click's runner, on small fixtures and on the demo enterprise."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bizarch.cli import main
from bizarch.cli.metrics import sparkline

from .conftest import FIXTURES


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def claims(runner: CliRunner) -> CliRunner:
    code, _, err = run(runner, "load", str(FIXTURES / "claims.ttl"))
    assert code == 0, err
    return runner


def test_metrics_table_with_units(claims):
    code, out, _ = run(claims, "metrics", "Handle Claim")
    assert code == 0
    assert out.splitlines()[0] == "Handle Claim  (scenario current)"
    register = next(line for line in out.splitlines() if "Register Claim" in line)
    assert register.split()[:9] == [
        "1",
        "Register",
        "Claim",
        "2",
        "days",
        "0.167",
        "days",
        "1.83",
        "days",
    ]
    for expected in (
        "total lead time       15 days",
        "total process time    1.67 days",
        "activity ratio        11.11 %",
        "flow efficiency       0.764 %  (value-adding 0.115 days)",
        "rolled %C&A           68.4 %",
        "handoffs              2",
        "approval gates        1",
        "bottleneck (wait)     Assess Claim (9 days)",
        "takt time             11.25 minutes",
        "cost per transaction  105 EUR",
        "warning: Flow efficiency of 'Handle Claim'",
    ):
        assert expected in out, expected


def test_metrics_json_and_references(claims):
    code, out, _ = run(
        claims, "metrics", "https://example.org/claims/HandleClaim", "--format", "json"
    )
    assert code == 0
    (flow,) = json.loads(out)
    assert flow["label"] == "Handle Claim"
    assert (
        flow["lead_time"]["seconds"] == "1296000.0"
        or float(flow["lead_time"]["seconds"]) == 1296000
    )
    assert flow["lead_time"]["unit"]["label"] == "day"
    assert [h["reason"] for h in flow["handoffs"]] == [
        "flagged and performer change",
        "performer change",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["metrics", "No Such Stream"], "ba:ValueStream is labelled 'No Such Stream'"),
        (["metrics", "Register Claim"], "ba:ValueStream is labelled 'Register Claim'"),
        (["metrics", "ba:Nothing"], "No value stream ba:Nothing in scenario 'current'"),
        (["metrics", "-s", "future"], "No scenario 'future'"),
        (["kpi", "Handle Claim"], "No element of class ba:KPI is labelled 'Handle Claim'"),
        (["scenario", "copy", "current", "current"], "'current' already exists"),
        (["scenario", "diff", "current", "nowhere"], "No scenario 'nowhere'"),
    ],
)
def test_bad_input_is_one_line(claims, args, message):
    code, out, err = run(claims, *args)
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_ambiguous_label_lists_candidates(runner):
    twice = (
        "@prefix ba: <https://w3id.org/bizarch/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/a> a ba:ValueStream ; rdfs:label "Same" .\n'
        '<https://example.org/b> a ba:ValueStream ; rdfs:label "Same" .\n'
    )
    result = runner.invoke(main, ["load", "-", "--format", "turtle"], input=twice)
    assert result.exit_code == 0, result.output
    code, _, err = run(runner, "metrics", "Same")
    assert code == 1 and "'Same' matches 2 elements" in err
    assert "<https://example.org/a>" in err and "<https://example.org/b>" in err


def test_sparkline():
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8], [7]) == ("▁▂▃▄▅▆▇█", "       ^")
    assert sparkline([5, 5, 5]) == ("▁▁▁", "")
    assert sparkline([]) == ("", "")


@pytest.fixture
def demo(runner: CliRunner) -> CliRunner:
    code, _, err = run(runner, "demo")
    assert code == 0, err
    return runner


def test_kpi_list_and_detail_on_the_demo(demo):
    code, out, _ = run(demo, "kpi")
    assert code == 0
    lines = {line.split("  ")[0]: line for line in out.splitlines()[2:]}
    assert len(lines) == 13
    assert "significant change" in lines["Claim settlement lead time"]
    assert "normal variation" in lines["Broker satisfaction score"]
    code, out, _ = run(demo, "kpi", "mm:kpi-claim-lead-time")
    assert code == 0
    assert "Claim settlement lead time of Settle Claim  (scenario current)" in out
    assert "control chart (XmR): significant change, 18 values" in out
    assert "rule 2: values 9 to 18: 10 in a row below the centre line" in out
    assert "after the shift (from value 9)" in out


def test_scenario_list_copy_diff_on_the_demo(demo):
    code, out, _ = run(demo, "scenario", "copy", "current", "plan", "--date", "2028-06-30")
    assert code == 0
    assert out.strip().startswith(
        "Created scenario 'plan' (target, proposed, 2028-06-30) from 'current'"
    )
    code, out, _ = run(demo, "scenario", "list")
    names = [line.split()[0] for line in out.splitlines()[2:]]
    assert names == ["current", "target", "plan"]  # by date: 2026, 2027, 2028
    code, out, _ = run(demo, "scenario", "diff", "current", "target")
    assert code == 0
    assert "Value streams (5 of 5 changed)" in out
    assert "    lead time 17.4 days → 9.6 days (-44.8 %)" in out
    assert "Elements added (16)" in out
    assert "... and" in out and "(use --all)" in out
    code, full, _ = run(demo, "scenario", "diff", "current", "target", "--all")
    assert "(use --all)" not in full and len(full) > len(out)
