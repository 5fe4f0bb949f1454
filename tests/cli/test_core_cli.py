"""The core commands through click's runner, and the locked-store case through a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bizarch.cli import main
from bizarch.store.oxigraph_store import OxigraphStore

MODEL = """@prefix ba: <https://w3id.org/bizarch/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix mm: <https://data.meridian-mutual.example/id/> .
mm:claims a ba:Capability ; rdfs:label "Claims" ; ba:capabilityTier 1 .
mm:policy a ba:Capability ; rdfs:label "Policy, \\"admin\\"" ; ba:parentCapability mm:claims .
"""
QUERY = "SELECT ?c ?label WHERE { ?c a ba:Capability ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.ttl"
    path.write_text(MODEL)
    return path


def run(runner: CliRunner, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), input=input)
    assert "Traceback" not in result.output + result.stderr
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_help_everywhere(runner: CliRunner) -> None:
    code, out, _ = run(runner, "--help")
    assert code == 0
    for command in ("init", "load", "export", "graphs", "sparql", "demo"):
        assert command in out
        code, sub, _ = run(runner, command, "--help")
        assert code == 0 and "Usage:" in sub


def test_init_load_graphs_query(runner: CliRunner, model: Path) -> None:
    code, out, _ = run(runner, "init")
    assert code == 0 and "ontology loaded" in out
    code, out, _ = run(runner, "load", str(model), "--scenario", "current")
    assert (code, out.strip()) == (0, "Loaded 6 triples from 1 document into scenario 'current'.")
    code, out, _ = run(runner, "graphs")
    lines = out.splitlines()
    assert lines[0].split() == ["kind", "name", "graph", "triples"]
    assert lines[-1].split() == ["scenario", "current", "urn:bizarch:scenario:current", "6"]
    code, out, _ = run(runner, "sparql", QUERY)
    assert out.splitlines()[2:] == ["mm:claims  Claims", 'mm:policy  Policy, "admin"', "(2 rows)"]


def test_sparql_output_formats(runner: CliRunner, model: Path) -> None:
    run(runner, "load", str(model))
    _, csv_out, _ = run(runner, "sparql", "--format", "csv", QUERY)
    assert csv_out.splitlines() == [
        "c,label",
        "https://data.meridian-mutual.example/id/claims,Claims",
        'https://data.meridian-mutual.example/id/policy,"Policy, ""admin"""',
    ]
    _, tsv_out, _ = run(runner, "sparql", "--format", "tsv", QUERY)
    assert tsv_out.splitlines()[1] == '<https://data.meridian-mutual.example/id/claims>\t"Claims"'
    _, json_out, _ = run(runner, "sparql", "--format", "json", QUERY)
    doc = json.loads(json_out)
    assert doc["head"]["vars"] == ["c", "label"]
    assert doc["results"]["bindings"][1]["label"] == {"type": "literal", "value": 'Policy, "admin"'}
    _, ask, _ = run(runner, "sparql", "ASK { mm:policy ba:parentCapability mm:claims }")
    assert ask.strip() == "true"
    _, turtle, _ = run(
        runner, "sparql", "CONSTRUCT { ?p rdfs:seeAlso ?c } WHERE { ?p ba:parentCapability ?c }"
    )
    assert "mm:policy rdfs:seeAlso mm:claims ." in turtle


def test_sparql_reads_file_and_stdin(runner: CliRunner, model: Path, tmp_path: Path) -> None:
    run(runner, "load", str(model))
    query_file = tmp_path / "q.rq"
    query_file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a ba:Capability }")
    _, out, _ = run(runner, "sparql", "-f", str(query_file), "--format", "csv")
    assert out.splitlines() == ["n", "2"]
    _, out, _ = run(runner, "sparql", "--format", "csv", "-", input="ASK { ?s ?p ?o }")
    assert out.strip() == "true"
    count_all = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    _, out, _ = run(runner, "sparql", "--all", "--format", "csv", "-", input=count_all)
    assert int(out.splitlines()[1]) > 500  # the union includes the ontology graph


def test_load_stdin_and_export_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(runner, "load", "-", "--format", "turtle", "-s", "target", input=MODEL)
    assert code == 0 and "scenario 'target'" in out
    target = tmp_path / "out" / "target.ttl"
    target.parent.mkdir()
    code, _, err = run(runner, "export", "-s", "target", "-o", str(target))
    assert code == 0 and "Wrote" in err
    code, stdout_export, _ = run(runner, "export", "-s", "target")
    assert stdout_export.encode() == target.read_bytes()
    assert "mm:claims a ba:Capability" in stdout_export
    code, out, _ = run(runner, "export", "--all", "--format", "nquads")
    assert code == 0
    assert out.count("<urn:bizarch:scenario:target> .") == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "{bad}"], "Error: {bad}, line 2, column"),
        (["load", "missing.ttl"], "Error: No such file or folder: missing.ttl"),
        (["sparql", "-s", "nope", "ASK {}"], "Error: No scenario 'nope'"),
        (["sparql", "SELECT ?x WHERE {"], "Error: SPARQL syntax error: error at 1:18"),
        (["export", "--all", "--format", "turtle"], "Error: turtle cannot hold several graphs."),
        (["load", "-"], "Error: The format of standard input is unknown."),
    ],
)
def test_user_errors_are_one_line_and_exit_1(
    runner: CliRunner, model: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "open .\n')
    run(runner, "load", str(model))
    args = [str(bad) if a == "{bad}" else a for a in args]
    code, _, err = run(runner, *args, input="")
    assert code == 1
    assert err.startswith(message.replace("{bad}", str(bad)))
    assert len(err.strip().splitlines()) == 1


def test_read_commands_do_not_create_a_missing_store(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "--store", str(tmp_path / "typo"), "graphs")
    assert code == 1 and "There is no store at" in err
    assert not (tmp_path / "typo").exists()


def test_locked_store_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "held"
    holder = OxigraphStore(path)  # this process holds the store, as a running server would
    try:
        env = {**os.environ, "BIZARCH_STORE": str(path)}
        done = subprocess.run(
            [sys.executable, "-m", "bizarch", "graphs"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        holder.close()
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: The store {path} is already open in another process")
    assert "--store http://HOST:PORT/sparql" in done.stderr  # what bizarch serve answers on
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_generate_then_load_keeping_both_scenarios(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "big.trig"
    code, _, err = run(runner, "generate", "--triples", "5000", "--seed", "4", "-o", str(out))
    assert code == 0 and "Wrote" in err
    code, stdout, _ = run(runner, "generate", "--triples", "5000", "--seed", "4")
    assert stdout.encode() == out.read_bytes()
    code, msg, _ = run(runner, "load", str(out), "--keep-graphs")
    assert code == 0 and "into their own graphs" in msg
    _, listing, _ = run(runner, "graphs")
    names = [line.split()[1] for line in listing.splitlines()[2:]]
    assert names == ["https://w3id.org/bizarch/ontology", "current", "target"]
    _, counted, _ = run(
        runner,
        "sparql",
        "-s",
        "target",
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ba:lifecycleStatus ba:Retired }",
    )
    assert int(counted.splitlines()[1]) >= 1


def test_demo_builds_both_scenarios_and_answers_queries(runner: CliRunner) -> None:
    code, out, _ = run(runner, "demo")
    assert code == 0
    assert "urn:bizarch:scenario:current" in out and "urn:bizarch:scenario:target" in out
    _, rows, _ = run(
        runner,
        "sparql",
        "--format",
        "csv",
        "SELECT ?label WHERE { ?c a ba:Capability ; ba:tier 1 ; rdfs:label ?label } "
        "ORDER BY ?label",
    )
    labels = rows.splitlines()[1:]
    assert len(labels) >= 5 and "Claims Management" in labels
    code, again, _ = run(runner, "demo")  # refreshes, never duplicates
    assert again == out
