"""Ask a running ``bizarch serve`` to validate its store (``bizarch validate --store http://...``).

Why: while ``bizarch serve`` runs, it holds the on-disk store's lock, so other processes read
through its SPARQL endpoint. Validating through that endpoint means hundreds of queries whose
answers the endpoint caps (``--sparql-max-rows``) and times out (``--sparql-timeout``); the server
itself validates its in-memory copy in seconds (1M triples: about 7 s). So the CLI asks the
server's ``/api/validation`` for the report in the format wanted, and computes its exit status
from the counts the server sends. An endpoint that is not a bizarch server (no such API) is
validated the old way, through SPARQL.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass

from bizarch.errors import BizarchError, UserInputError
from bizarch.store.sparql_store import SparqlStore
from bizarch.validation.report import Severity

API_PATH = "/api/validation"
COUNTS_HEADER = "X-Bizarch-Findings"
SCENARIO_HEADER = "X-Bizarch-Scenario"
TIMEOUT_S = 900.0
"""How long a validation may take on the server (pySHACL over a large model takes minutes)."""


@dataclass
class RemoteReport:
    """The report as the server rendered it, and its counts per severity."""

    text: str
    counts: dict[Severity, int]
    scenario: str
    server: str


def api_address(store: SparqlStore) -> str | None:
    """The validation API beside ``store``'s endpoint, if it is a bizarch server's ``/sparql``."""
    parts = urllib.parse.urlsplit(store.query_endpoint)
    path = parts.path.rstrip("/")
    if not path.endswith("/sparql"):
        return None
    return urllib.parse.urlunsplit(parts._replace(path=path[: -len("/sparql")] + API_PATH))


def validate_remotely(
    store: SparqlStore,
    scenario: str | None,
    rules: str | None,
    fmt: str,
    *,
    strict: bool = False,
    engine: str | None = None,
) -> RemoteReport | None:
    """The server's report, or ``None`` when the endpoint has no validation API (not bizarch)."""
    address = api_address(store)
    if address is None:
        return None
    params = {"format": fmt, "strict": "1" if strict else "0"}
    if scenario:
        params["scenario"] = scenario
    if rules:
        params["rules"] = rules
    if engine:
        params["engine"] = engine
    url = f"{address}?{urllib.parse.urlencode(params)}"
    status, body, headers = store.get(url, accept="*/*", timeout=TIMEOUT_S)
    if status == 404:
        return None
    if status != 200:
        raise _refusal(store, status, body)
    counts = _counts(headers.get(COUNTS_HEADER))
    if counts is None:  # a 200 without the header: not the API this client knows
        raise BizarchError(
            f"The server at {address} answered without the validation counts.",
            hint="Upgrade bizarch on the server, or validate its store folder directly.",
        )
    return RemoteReport(
        text=body.decode("utf-8"),
        counts=counts,
        scenario=headers.get(SCENARIO_HEADER) or scenario or "",
        server=address[: -len(API_PATH)],
    )


def _counts(header: str | None) -> dict[Severity, int] | None:
    if not header:
        return None
    counts = dict.fromkeys(Severity, 0)
    by_name = {s.name.lower(): s for s in Severity}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name in by_name and value.strip().isdigit():
            counts[by_name[name]] = int(value)
    return counts


def _refusal(store: SparqlStore, status: int, body: bytes) -> BizarchError:
    """The server's own words for a refused request (unknown scenario, rule or format: 400)."""
    try:
        said = json.loads(body)
        message, hint = str(said.get("message") or said), said.get("hint")
    except (ValueError, AttributeError):
        message, hint = body.decode("utf-8", "replace").strip()[:500], None
    if status == 400:
        return UserInputError(message, hint=hint)
    return BizarchError(f"The server {store.address} could not validate (HTTP {status}): {message}")
