"""Small helpers shared by the page blueprints (request parsing only, no business logic)."""

from __future__ import annotations

import re

from flask import request

from bizarch.browse.scenarios import list_scenarios, scenario_exists
from bizarch.errors import NotFoundError, UserInputError
from bizarch.web.context import get_repository, get_settings

_SCENARIO = re.compile(r"^(\*|[A-Za-z0-9_.\-]+|urn:[A-Za-z0-9_.:\-]+|https?://\S+)$")


def current_scenario() -> str:
    """The scenario a page shows: ``?scenario=`` or the configured default (``current``)."""
    return checked_scenario(request.args.get("scenario") or get_settings().default_scenario)


def checked_scenario(value: str) -> str:
    """``value`` when it names a scenario of the store; one clear error otherwise."""
    if not _SCENARIO.match(value):
        raise UserInputError(
            f"'{value}' is not a scenario name.",
            hint="Use a short name such as 'current' or 'target', or a scenario graph IRI.",
        )
    store = get_repository()
    if not scenario_exists(store, value):
        known = ", ".join(s.name for s in list_scenarios(store)) or "none yet"
        raise NotFoundError(
            f"There is no scenario '{value}' in this store.", hint=f"Known: {known}."
        )
    return value
