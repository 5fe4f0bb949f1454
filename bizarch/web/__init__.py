"""The bizarch web application (Flask app factory, flaskr pattern).

``create_app(settings)`` opens the store and the SPARQL query pool and keeps them in
``app.extensions``; views reach them through :mod:`bizarch.web.context`. Nothing is opened at
import time. Each area of the UI is one blueprint module of this package; templates live in
``web/templates/<area>/`` and static files in ``web/static/`` (located by ``bizarch.resources``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from bizarch import resources
from bizarch.endpoint.executor import QueryExecutor
from bizarch.store.base import GraphStore
from bizarch.web import errors, security
from bizarch.web.cache import ResultCache
from bizarch.web.context import EXTENSION, AppState
from bizarch.web.settings import WebSettings

FORM_ALLOWANCE_BYTES = 64 * 1024
"""Room in a request for the form fields and multipart framing around the uploaded files."""

# (module, endpoint shown in the navigation, navigation label); modules are imported lazily.
AREAS: tuple[tuple[str, str | None, str], ...] = (
    ("home", "home.index", "Home"),
    ("element", None, "Element"),
    ("trace", "trace.index", "Trace"),
    ("impact", "impact.index", "Impact"),
    ("capabilities", "capabilities.index", "Capabilities"),
    ("valuestreams", "valuestreams.index", "Value streams"),
    ("kpis", "kpis.index", "KPIs"),
    ("compare", "compare.index", "Compare"),
    ("validation", "validation.index", "Validation"),
    ("library", "library.index", "Queries"),
    ("ontology", "ontology.index", "Ontology"),
    ("console", "console.index", "SPARQL"),
    ("upload", "upload.index", "Import"),
    ("sparql", None, "SPARQL endpoint"),
)


def open_store(settings: WebSettings) -> GraphStore:
    """The store to serve, through the core's store factory (an existing store only)."""
    from bizarch.config import Settings
    from bizarch.store.factory import open_store as open_address

    core = Settings(
        store=settings.store,
        scenario=settings.default_scenario,
        serve_from_memory=settings.serve_from_memory,
    )
    return open_address(settings.store, core, create=False)  # a typo must not serve an empty model


def create_app(
    settings: WebSettings | Mapping[str, Any] | None = None,
    *,
    store: GraphStore | None = None,
) -> Flask:
    """Build the app. ``store`` serves an already open store (the caller keeps closing it);
    otherwise the store named by the settings is opened here and closed by ``close_app``."""
    if settings is None:
        settings = WebSettings()
    elif not isinstance(settings, WebSettings):
        settings = WebSettings.from_mapping(settings)
    web = resources.web_dir()
    app = Flask(
        __name__,
        template_folder=str(web / "templates"),
        static_folder=str(web / "static"),
    )
    app.config.update(
        TESTING=settings.testing,
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + FORM_ALLOWANCE_BYTES,
    )
    app.jinja_env.autoescape = True  # every template, whatever its extension
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    owns = store is None
    the_store = open_store(settings) if store is None else store
    app.extensions[EXTENSION] = AppState(
        settings=settings,
        store=the_store,
        executor=QueryExecutor(settings.endpoint_limits()),
        owns_store=owns,
        cache=ResultCache(settings.cache_ttl_s),
    )

    from bizarch.web import filters

    filters.install(app)
    security.install(app)
    errors.install(app)
    nav: list[tuple[str, str]] = []
    for module_name, endpoint, label in AREAS:
        module = __import__(f"bizarch.web.{module_name}", fromlist=["bp"])
        app.register_blueprint(module.bp)
        if endpoint:
            nav.append((endpoint, label))
    app.config["BIZARCH_NAV"] = nav
    return app


def close_app(app: Flask) -> None:
    """Release what ``create_app`` opened (query pool, and the store if it opened it)."""
    app.extensions[EXTENSION].close()
