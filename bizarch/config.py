"""Settings: one dataclass built from CLI options and the environment.

Why a dataclass and not module globals: the CLI, the web app factory and tests each build their own
:class:`Settings`, so nothing is read or opened at import time and two stores can coexist in one
process (tests do this constantly).

Environment variables (CLI options win over them):

``BIZARCH_STORE``
    Store address: a folder path (embedded on-disk store, the default ``./.bizarch/store``),
    ``memory:`` (embedded, in memory, gone at exit) or ``http(s)://HOST:PORT/PATH`` (a remote
    SPARQL 1.1 query endpoint). See ``docs/architecture.md``.
``BIZARCH_UPDATE_ENDPOINT``, ``BIZARCH_GSP_ENDPOINT``
    Remote update endpoint and Graph Store Protocol endpoint (derived from the query endpoint
    when absent: ``.../query`` -> ``.../update`` and ``.../store``).
``BIZARCH_STORE_USER``, ``BIZARCH_STORE_PASSWORD``, ``BIZARCH_STORE_TOKEN``
    Basic or bearer authentication for a remote store.
``BIZARCH_SCENARIO``
    Scenario queried when none is given (default ``current``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_STORE = "./.bizarch/store"
DEFAULT_SCENARIO = "current"


@dataclass(frozen=True)
class Limits:
    """Bounds on work done for one request; pyoxigraph has no query timeout of its own."""

    max_rows: int = 100_000
    """Rows returned by an ad-hoc query before the result is cut (and the cut reported)."""
    query_timeout_s: float = 30.0
    """Seconds a remote endpoint may take (also passed to workers that enforce a deadline)."""
    max_upload_bytes: int = 2 * 1024**3
    """Largest single RDF document accepted by ``load`` (guards memory)."""
    bulk_threshold_bytes: int = 16 * 1024 * 1024
    """Loads of more input bytes than this into empty graphs take the bulk path (see store)."""


@dataclass(frozen=True)
class Settings:
    """Everything a command or the web app needs to know to open and use a store."""

    store: str = DEFAULT_STORE
    scenario: str = DEFAULT_SCENARIO
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    serve_from_memory: bool = False
    """Open an on-disk store and answer queries from an in-memory copy (see ServingStore)."""
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); non-``None`` overrides win."""
        env = os.environ if environ is None else environ
        base = cls(
            store=env.get("BIZARCH_STORE") or DEFAULT_STORE,
            scenario=env.get("BIZARCH_SCENARIO") or DEFAULT_SCENARIO,
            update_endpoint=env.get("BIZARCH_UPDATE_ENDPOINT") or None,
            gsp_endpoint=env.get("BIZARCH_GSP_ENDPOINT") or None,
            user=env.get("BIZARCH_STORE_USER") or None,
            password=env.get("BIZARCH_STORE_PASSWORD") or None,
            token=env.get("BIZARCH_STORE_TOKEN") or None,
        )
        return base.with_(**overrides)

    def with_(self, **overrides: Any) -> Settings:
        """A copy with the given fields replaced; ``None`` values are ignored."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
