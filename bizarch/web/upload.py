"""Import page: upload an ArchiMate exchange file, Archi CSV or a spreadsheet into a scenario.

The same service as ``bizarch import archimate|archi-csv|xlsx`` (``interop.service.import_upload``):
everything is parsed and mapped in memory, then written with one atomic ``add_quads``, so any error
writes nothing. Errors come back on the form with their status (400 bad input, 403 write path
closed or cross-site post, 413 too large, 422 refused by the validation gate), never a traceback.

The write path has no authentication yet. It is open only when ``allow_uploads`` is set
(``bizarch serve`` sets it when it listens on loopback), and a POST must come from this site: its
``Origin`` (or, without one, its ``Referer``) must name the host the request was sent to, and with
``upload_hosts`` set the ``Host`` itself must be one of them (DNS rebinding). See docs/web.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from bizarch.errors import BizarchError, ResourceLimitError, UserInputError
from bizarch.interop import service
from bizarch.interop.report import ImportReport
from bizarch.interop.spreadsheet import service as sheets
from bizarch.namespaces import graph_kind
from bizarch.repository import Repository, resolve_scenario, short_name
from bizarch.validation.gate import LoadRefusedError
from bizarch.validation.report import Finding
from bizarch.web.context import get_cache, get_settings, get_store, state
from bizarch.web.views import scenario_list

bp = Blueprint("upload", __name__)

KINDS: dict[str, str] = {
    "archimate": "ArchiMate exchange file (.xml, Open Group format 3.x)",
    "archi-csv": "Archi CSV (elements.csv, relations.csv, properties.csv, or a .zip of them)",
    "xlsx": "Spreadsheet template (.xlsx workbook, or one template sheet as .csv)",
}
SHOWN_ELEMENTS = 50
STATUS_FORBIDDEN = 403


@dataclass(frozen=True)
class RefusedRule:
    """One rule the refused import would break, with the elements that would break it."""

    rule_id: str
    label: str
    severity: str
    message: str
    findings: list[Finding]


@dataclass(frozen=True)
class Outcome:
    """What the import did: the report and the scenario's size before and after."""

    report: ImportReport
    scenario: str
    before: int
    after: int


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _templates() -> dict[str, bytes]:
    """The empty spreadsheet templates by download name: the workbook and one CSV per sheet."""
    return {**sheets.template(), **sheets.template(csv=True)}


def _page(status: int = 200, **context: Any) -> tuple[str, int]:
    settings = get_settings()
    form = context.pop("form", None) or {"kind": "archimate", "scenario": "current"}
    body = render_template(
        "upload/index.html",
        kinds=KINDS,
        scenarios=scenario_list(),
        template_names=list(_templates()),
        allowed=settings.allow_uploads,
        limit=settings.max_upload_bytes,
        limit_text=_mb(settings.max_upload_bytes),
        shown=SHOWN_ELEMENTS,
        form=form,
        status=status,
        **context,
    )
    return body, status


@bp.get("/import")
def index() -> tuple[str, int]:
    return _page()


@bp.get("/import/templates/<name>")
def template(name: str) -> Response:
    """An empty template for download (the same bytes as ``bizarch export xlsx --template``)."""
    files = _templates()
    if name not in files:
        abort(404, f"There is no template '{name}'. Known: {', '.join(files)}.")
    mimetype = (
        "text/csv"
        if name.endswith(".csv")
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = Response(files[name], mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _same_origin() -> str | None:
    """Why the POST does not come from this site (``None`` when it does)."""
    settings = get_settings()
    host = request.host.lower()
    if settings.upload_hosts and (urlsplit("//" + host).hostname or "") not in {
        h.lower() for h in settings.upload_hosts
    }:
        return (
            f"Uploads are accepted for the host names {', '.join(settings.upload_hosts)} only, "
            f"not '{request.host}'."
        )
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        origin = request.headers.get("Referer")
        if not origin:
            return (
                "The upload carries neither an Origin nor a Referer header, so it cannot be told "
                "apart from a cross-site post; send it from this site's import form."
            )
    # Host and port only: a TLS-terminating proxy in front makes the scheme differ.
    if urlsplit(origin).netloc.lower() != host:
        return (
            f"The upload comes from another site ({urlsplit(origin).netloc or origin}); "
            "uploads are accepted from this site's import form only."
        )
    return None


def _files() -> dict[str, bytes]:
    chosen = [f for f in request.files.getlist("file") if f.filename]
    if not chosen:
        raise UserInputError("Choose a file to upload.")
    files: dict[str, bytes] = {}
    for storage in chosen:
        name = storage.filename.replace("\\", "/").rsplit("/", 1)[-1] or "upload"
        if name in files:
            raise UserInputError(f"{name}: the same file name twice; upload each file once.")
        files[name] = storage.read()
    return files


def _target(form: Mapping[str, str]) -> str:
    """The scenario graph: a new name when given, else the chosen existing scenario."""
    name = (form.get("new_scenario") or "").strip() or (form.get("scenario") or "").strip()
    if not name:
        raise UserInputError("Choose a scenario, or type the name of a new one.")
    graph = resolve_scenario(name)
    if graph_kind(graph) != "scenario":
        raise UserInputError(
            f"'{name}' names the {graph_kind(graph)} graph, not a scenario.",
            hint="Choose a scenario, or type a new name such as 'imported'.",
        )
    return graph


def _import(kind: str, files: dict[str, bytes], graph: str, validate: bool) -> Outcome:
    """Run the import under the app's write lock; clear the web caches if anything was written."""
    store = get_store()
    wrote = False
    with state().write_lock:
        try:
            # as the CLI does; a no-op unless the store's ontology is older than this bizarch
            wrote = Repository(store).ensure_ontology()
            before = store.count(graph)
            report = service.import_upload(
                store,
                kind,
                files,
                scenario=graph,
                validate=validate,
                limit=get_settings().max_upload_bytes,
            )
            wrote = True
            return Outcome(report, short_name(graph), before, store.count(graph))
        finally:
            if wrote:
                get_cache().clear()


def _refused_rules(exc: LoadRefusedError) -> list[RefusedRule]:
    run = exc.result.refusal()
    rules = {rule.id: rule for rule in run.rules}
    groups = []
    for rule_id, findings in run.report.by_rule().items():
        rule = rules.get(rule_id)
        groups.append(
            RefusedRule(
                rule_id,
                rule.label if rule else "",
                findings[0].severity.label,
                findings[0].message,
                findings,
            )
        )
    return groups


def _limit_hint() -> str:
    return (
        f"The limit is {_mb(get_settings().max_upload_bytes)}. Raise it with 'bizarch serve "
        "--max-upload-mb N' (setting max_upload_bytes), or import the file from the command line: "
        "bizarch import archimate|archi-csv|xlsx FILE."
    )


@bp.post("/import")
def submit() -> tuple[str, int]:
    settings = get_settings()
    if not settings.allow_uploads:
        return _page(
            STATUS_FORBIDDEN,
            error="Uploads are turned off on this server, so nothing was written.",
            hint="See the note above for how to turn them on, or use 'bizarch import'.",
        )
    refusal = _same_origin()
    if refusal:
        return _page(STATUS_FORBIDDEN, error=refusal + " Nothing was written.")
    try:
        form = request.form.to_dict()
        files = _files()
    except RequestEntityTooLarge:
        return _page(
            413,
            error=(
                f"The upload is larger than the limit of {_mb(settings.max_upload_bytes)}; "
                "nothing was written."
            ),
            hint=_limit_hint(),
        )
    except BizarchError as exc:
        return _page(exc.http_status, error=exc.message, hint=exc.hint, form=request.form)
    kind = form.get("kind", "")
    validate = form.get("validate") == "on"
    try:
        if kind not in KINDS:
            raise UserInputError(
                f"Unknown import kind '{kind}'; one of {', '.join(KINDS)}.",
            )
        outcome = _import(kind, files, _target(form), validate)
    except LoadRefusedError as exc:
        return _page(
            exc.http_status,
            error=(
                f"Import refused by the validation gate: it would add "
                f"{len(exc.result.new_violations)} violation(s), so nothing was written."
            ),
            hint="Fix the data (or import without validation) and upload again.",
            refused=_refused_rules(exc),
            form=form,
        )
    except ResourceLimitError as exc:
        # a zip that inflates too far has its own hint; anything else is the upload's size
        hint = exc.hint if "unpacks" in exc.message else _limit_hint()
        return _page(413, error=exc.message, hint=hint, form=form)
    except BizarchError as exc:
        return _page(exc.http_status, error=exc.message, hint=exc.hint, form=form)
    return _page(200, outcome=outcome, form=form)
