"""The CLI imports an area only when one of its commands runs; its command map must be right."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys

import click

from bizarch.cli import AREAS, COMMAND_AREAS


def test_command_map_matches_what_the_areas_register() -> None:
    group = click.Group("probe")
    defined_by: dict[str, set[str]] = {}
    for area in AREAS:
        before = {name: id(cmd) for name, cmd in group.commands.items()}
        importlib.import_module(f"bizarch.cli.{area}").register(group)
        for name, command in group.commands.items():
            if before.get(name) != id(command):
                defined_by.setdefault(name, set()).add(area)
    assert set(COMMAND_AREAS) == set(defined_by)
    for name, areas in defined_by.items():
        assert areas <= set(COMMAND_AREAS[name]), name


def test_a_core_command_does_not_import_the_other_areas() -> None:
    probe = (
        "import sys; from bizarch.cli import main; "
        "main.get_command(None, 'graphs'); "
        "print(sorted(m for m in sys.modules if m.startswith('bizarch.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(out.stdout)
    assert "bizarch.cli.core" in loaded
    assert not {"bizarch.cli.web", "bizarch.cli.interop", "bizarch.cli.reason"} & set(loaded)


def test_export_keeps_the_interop_formats_and_an_unknown_command_is_suggested() -> None:
    from click.testing import CliRunner

    from bizarch.cli import main

    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0 and "archimate" in result.output
    wrong = CliRunner().invoke(main, ["valdate"])
    assert wrong.exit_code == 2 and "validate" in wrong.output
