"""Small helpers shared by the page blueprints (request parsing only, no business logic)."""

from __future__ import annotations

import re

from flask import request

from bizarch.errors import UserInputError
from bizarch.scenarios import ScenarioInfo, list_scenarios
from bizarch.web.context import get_cache, get_repository, get_settings

_SCENARIO = re.compile(r"^(\*|[A-Za-z0-9_.\-]+|urn:[A-Za-z0-9_.:\-]+|https?://\S+)$")


def current_scenario() -> str:
    """The scenario a page shows: ``?scenario=`` or the configured default (``current``)."""
    return checked_scenario(request.args.get("scenario") or get_settings().default_scenario)


def checked_scenario(value: str) -> str:
    """``value`` when it names a scenario of the store (or is ``*``, the union of all graphs).

    Unknown scenarios get the repository's one error, which lists the known scenarios."""
    if not _SCENARIO.match(value):
        raise UserInputError(
            f"'{value}' is not a scenario name.",
            hint="Use a short name such as 'current' or 'target', or a scenario graph IRI.",
        )
    if value != "*":
        get_repository().scenario_graph(value)
    return value


def scenario_list() -> list[ScenarioInfo]:
    """The store's scenarios for pickers and the dashboard (:func:`list_scenarios`).

    Kept in the app's aggregate cache: the listing sizes every graph, which costs a scan of the
    store at a million triples, and every page shows the picker."""
    return get_cache().get("scenarios", lambda: list_scenarios(get_repository()))


def scenario_pair(first: str, second: str) -> tuple[str, str]:
    """Two scenarios to show side by side, from the query arguments ``first`` and ``second``.

    The first defaults to the configured scenario, the second to another scenario of the store
    (the first again when the store holds only one); both are checked."""
    one = checked_scenario(request.args.get(first) or get_settings().default_scenario)
    others = (s.name for s in scenario_list() if s.name != one)
    return one, checked_scenario(request.args.get(second) or next(others, one))
