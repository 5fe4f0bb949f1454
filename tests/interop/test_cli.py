"""The interop commands through click's runner on a real on-disk store."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from bizarch.cli import main
from tests.interop.conftest import shared_file


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_import_export_archimate_and_csv(runner: CliRunner, tmp_path: Path) -> None:
    source = shared_file("fixtures", "archimate", "Archisurance_opengroup_exchange_3.0.xml")
    code, out, _ = run(runner, "import", "archimate", str(source), "--scenario", "archi")
    assert code == 0 and "120 elements, 178 relationships, 17 views" in out
    target = tmp_path / "out.xml"
    code, _, err = run(runner, "export", "archimate", "--scenario", "archi", "-o", str(target))
    assert code == 0 and "120 elements, 178 relationships, 17 views" in err
    assert target.read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<model ")
    code, out, _ = run(runner, "export", "archimate", "--scenario", "archi")
    assert code == 0 and '<name xml:lang="en">CRM System</name>' in out
    code, out, _ = run(runner, "export", "--scenario", "archi")  # the core RDF export still works
    assert code == 0 and out.startswith("@prefix")
    folder = tmp_path / "csv"
    code, _, err = run(runner, "export", "archi-csv", "--scenario", "archi", "-o", str(folder))
    assert code == 0 and "CSV has no views" in err
    assert sorted(p.name for p in folder.iterdir()) == [
        "elements.csv",
        "properties.csv",
        "relations.csv",
    ]
    code, out, _ = run(runner, "import", "archi-csv", str(folder), "--scenario", "copy")
    assert code == 0 and "120 elements, 178 relationships" in out
    code, out, _ = run(runner, "graphs")
    assert "archi" in out and "copy" in out


def test_spreadsheet_template_round(runner: CliRunner, tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    code, _, _ = run(runner, "export", "xlsx", "--template", "-o", str(template))
    assert code == 0
    book = load_workbook(template)
    book["Capabilities"].append(["cap-a", "Claims", None, None, 1, 3])
    book["Capabilities"].append(["cap-b", "Intake", None, "cap-a", 2, "high"])
    book.save(template)
    code, _, err = run(runner, "import", "xlsx", str(template))
    assert code == 1
    assert err.startswith(
        "Error: Capabilities!F3: Current maturity must be an integer 1-5, got 'high'."
    )
    book["Capabilities"]["F3"] = 2
    book.save(template)
    code, out, _ = run(runner, "import", "xlsx", str(template))
    assert code == 0 and "Capabilities 2" in out
    exported = tmp_path / "current.xlsx"
    code, _, _ = run(runner, "export", "xlsx", "-o", str(exported))
    rows = list(load_workbook(io.BytesIO(exported.read_bytes()))["Capabilities"].values)
    assert rows[1][:6] == ("cap-a", "Claims", None, None, 1, 3)
    assert rows[2][:6] == ("cap-b", "Intake", None, "cap-a", 2, 2)
    folder = tmp_path / "sheets"
    code, _, _ = run(runner, "export", "xlsx", "--template", "--csv", "-o", str(folder))
    assert code == 0 and (folder / "Capabilities.csv").read_text().startswith("ID,Name,")


def test_validate_and_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    source = shared_file("fixtures", "archimate", "Sample1_opengroup_exchange.xml")
    reversed_assignment = tmp_path / "reversed.xml"
    reversed_assignment.write_bytes(
        source.read_bytes().replace(
            b'source="id-37d5bc4b" target="id-89c22226"',
            b'source="id-89c22226" target="id-37d5bc4b"',
        )
    )
    code, _, err = run(runner, "import", "archimate", str(reversed_assignment), "--validate")
    assert code == 1 and "Load refused" in err and "AM-001" in err
    code, out, _ = run(runner, "graphs")
    assert "current" not in out
    code, _, _ = run(runner, "import", "archimate", str(source), "--validate")
    assert code == 0
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><model/>')
    code, _, err = run(runner, "import", "archimate", str(bad))
    assert code == 1 and err.startswith("Error: bad.xml: the XML declares a DTD")
    code, _, err = run(runner, "export", "archimate", "--scenario", "nowhere")
    assert code == 1 and "No scenario 'nowhere'" in err
    code, _, err = run(runner, "export", "--scenario", "x", "archimate")
    assert code == 1 and "Put the options after the subcommand" in err
