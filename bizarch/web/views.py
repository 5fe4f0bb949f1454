"""Small helpers shared by the page blueprints (request parsing only, no business logic)."""

from __future__ import annotations

import re

from flask import request

from bizarch.errors import UserInputError
from bizarch.web.context import get_settings

_SCENARIO = re.compile(r"^(\*|[A-Za-z0-9_.\-]+|urn:[A-Za-z0-9_.:\-]+|https?://\S+)$")


def current_scenario() -> str:
    """The scenario a page shows: ``?scenario=`` or the configured default (``current``)."""
    value = request.args.get("scenario") or get_settings().default_scenario
    if not _SCENARIO.match(value):
        raise UserInputError(
            f"'{value}' is not a scenario name.",
            hint="Use a short name such as 'current' or 'target', or a scenario graph IRI.",
        )
    return value
