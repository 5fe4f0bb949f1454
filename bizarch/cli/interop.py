"""Interop commands: ``bizarch import archimate|archi-csv|xlsx`` and ``bizarch export ...``.

Thin: read the files, call one service of :mod:`bizarch.interop`, write or print the result.
``bizarch export`` without a subcommand stays the core RDF export.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bizarch.cli.common import SCENARIO_HELP, get_settings, open_repository
from bizarch.errors import UserInputError
from bizarch.interop import service
from bizarch.interop.archimate.csv_format import ROLES
from bizarch.interop.report import ImportReport
from bizarch.interop.spreadsheet import service as sheets
from bizarch.repository import short_name

VALIDATE_HELP = "Refuse the import (write nothing) if the scenario would break the modelling rules."


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserInputError(f"Cannot read {path}: {exc.strerror}.") from None


def _archi_csv_files(path: Path) -> dict[str, bytes]:
    """Archi's three files from a folder, or from the path of one of them (prefix-elements.csv)."""
    if path.is_dir():
        found = sorted(path.glob("*elements.csv"))
        if len(found) != 1:
            raise UserInputError(
                f"{path}: expected one *elements.csv in the folder, found {len(found)}.",
                hint="Give the path of the elements.csv file instead.",
            )
        path = found[0]
    stem = path.name.removesuffix(".csv")
    role = next((r for r in ROLES if stem.endswith(r)), None)
    if role is None:
        raise UserInputError(f"{path}: not an Archi CSV file (elements.csv, relations.csv, ...).")
    prefix = stem[: -len(role)]
    files = {}
    for other in ROLES:
        sibling = path.with_name(f"{prefix}{other}.csv")
        if sibling.exists():
            files[other] = _read(sibling)
    return files


def _report(report: ImportReport) -> None:
    click.echo(report.summary())


def _write(output: Path, data: bytes) -> None:
    partial = output.with_name(output.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(output)
    except OSError as exc:
        raise UserInputError(f"Cannot write {output}: {exc.strerror}.") from None
    finally:
        partial.unlink(missing_ok=True)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


@click.group("import")
def import_group() -> None:
    """Import a model from an architecture tool or a spreadsheet into one scenario, atomically."""


def _import_options(function: Any) -> Any:
    function = click.option("--validate", is_flag=True, help=VALIDATE_HELP)(function)
    function = click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)(function)
    return click.argument("file", type=click.Path(exists=True, path_type=Path))(function)


@import_group.command("archimate")
@_import_options
def import_archimate(file: Path, scenario: str | None, validate: bool) -> None:
    """Import an Open Group ArchiMate exchange file (3.x), e.g. exported from Archi."""
    _run_import(service.import_archimate, _read(file), file, scenario, validate)


@import_group.command("archi-csv")
@_import_options
def import_archi_csv(file: Path, scenario: str | None, validate: bool) -> None:
    """Import Archi CSV: FILE is elements.csv (relations.csv and properties.csv beside it are
    read too) or the folder holding them."""
    _run_import(service.import_archi_csv, _archi_csv_files(file), file, scenario, validate)


@import_group.command("xlsx")
@_import_options
def import_xlsx(file: Path, scenario: str | None, validate: bool) -> None:
    """Import a filled-in template workbook (.xlsx), or one template sheet saved as CSV
    (named after the sheet, e.g. Capabilities.csv). Get the template with
    'bizarch export xlsx --template'."""
    _run_import(sheets.import_workbook, _read(file), file, scenario, validate)


def _run_import(
    importer: Callable[..., ImportReport],
    content: object,
    file: Path,
    scenario: str | None,
    validate: bool,
) -> None:
    """Run one importer into the scenario (created if missing) and print its report: what every
    import command does with the content it read."""
    limit = get_settings().limits.max_upload_bytes
    with open_repository() as repo:
        repo.ensure_ontology()
        graph = repo.scenario_graph(scenario, must_exist=False)
        report = importer(
            repo.store, content, source=file.name, scenario=graph, validate=validate, limit=limit
        )
    _report(report)


def _export_group(core_export: click.Command | None) -> click.Group:
    """``bizarch export``: the core RDF export when no subcommand is given."""

    @click.pass_context
    def callback(ctx: click.Context, **options: Any) -> None:
        if ctx.invoked_subcommand is None and core_export is not None:
            ctx.invoke(core_export, **options)
        elif any(value not in (None, False) for value in options.values()):
            raise UserInputError(
                f"Put the options after the subcommand: bizarch export {ctx.invoked_subcommand} ..."
            )

    help_text = (core_export.help or "") + (
        "\n\nSubcommands export for other tools: archimate (Open Group exchange file), archi-csv "
        "(Archi's CSV files), xlsx (spreadsheet templates)."
    )
    return click.Group(
        "export",
        params=list(core_export.params) if core_export else [],
        callback=callback,
        invoke_without_command=True,
        help=help_text,
        short_help="Export a scenario as RDF, ArchiMate, Archi CSV or spreadsheets.",
    )


def _scenario_graph(repo: Any, scenario: str | None) -> str:
    return repo.scenario_graph(scenario)


@click.command("archimate")
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP + " '*' = all scenarios.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_archimate(scenario: str | None, output: Path | None) -> None:
    """Export a scenario as an Open Group ArchiMate exchange file (stdout without --output)."""
    with open_repository(create=False) as repo:
        graph = scenario if scenario == service.ALL_SCENARIOS else _scenario_graph(repo, scenario)
        exported = service.export_archimate(repo.store, scenario=graph)
    _warn(exported.warnings)
    data = exported.files["model.xml"]
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    _write(output, data)
    click.echo(
        f"Wrote {output}: {len(exported.model.elements)} elements, "
        f"{len(exported.model.relationships)} relationships, {len(exported.model.views)} views.",
        err=True,
    )


@click.command("archi-csv")
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP + " '*' = all scenarios.")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for elements.csv, relations.csv and properties.csv.",
)
@click.option(
    "--prefix", default="", help="Prefix of the file names, as in Archi (x-elements.csv)."
)
def export_archi_csv(scenario: str | None, output: Path, prefix: str) -> None:
    """Export a scenario as Archi's CSV files."""
    with open_repository(create=False) as repo:
        graph = scenario if scenario == service.ALL_SCENARIOS else _scenario_graph(repo, scenario)
        exported = service.export_archi_csv(repo.store, scenario=graph)
    _warn(exported.warnings)
    output.mkdir(parents=True, exist_ok=True)
    for name, data in exported.files.items():
        _write(output / f"{prefix}{name}", data)
    click.echo(f"Wrote {', '.join(prefix + n for n in exported.files)} to {output}.", err=True)


@click.command("xlsx")
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Workbook file, or folder with --csv [default: bizarch-<scenario>.xlsx, or "
    "bizarch-template.xlsx with --template].",
)
@click.option("--template", is_flag=True, help="The empty template with instructions.")
@click.option("--csv", "as_csv", is_flag=True, help="One CSV file per sheet instead of a workbook.")
def export_xlsx(scenario: str | None, output: Path | None, template: bool, as_csv: bool) -> None:
    """Export a scenario on the spreadsheet templates, or download the empty template."""
    if template:
        files = sheets.template(csv=as_csv)
    else:
        with open_repository(create=False) as repo:
            graph = _scenario_graph(repo, scenario)
            files = sheets.export_workbook(repo.store, scenario=graph, csv=as_csv)
        files = {name.replace(graph, short_name(graph)): data for name, data in files.items()}
    if as_csv:
        folder = output or Path(".")
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            _write(folder / name, data)
        click.echo(f"Wrote {len(files)} CSV files to {folder}.", err=True)
        return
    ((name, data),) = files.items()
    target = output or Path(name.replace(":", "-").replace("/", "-"))
    _write(target, data)
    click.echo(f"Wrote {target}.", err=True)


def register(group: click.Group) -> None:
    """Attach ``import`` and turn ``export`` into a group keeping the core export as default."""
    group.add_command(import_group)
    export = _export_group(group.commands.get("export"))
    for command in (export_archimate, export_archi_csv, export_xlsx):
        export.add_command(command)
    group.add_command(export)
