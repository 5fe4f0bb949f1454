"""Settings of the web application, from code or from a plain mapping (tests, CLI options)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bizarch.endpoint.executor import EndpointLimits
from bizarch.endpoint.guard import GuardLimits
from bizarch.errors import UserInputError

DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """Everything ``create_app`` needs; no global state, no environment lookups."""

    store: str = "memory:"
    """Store address, as for ``--store`` (a folder, ``memory:``, ``serve:FOLDER``)."""
    serve_from_memory: bool = True
    """Serve an on-disk store from an in-memory copy (disk stays the system of record)."""
    default_scenario: str = "current"
    sparql_timeout_s: float = 10.0
    sparql_max_rows: int = 10_000
    sparql_max_concurrent: int = 2
    sparql_max_depth: int = 200
    sparql_max_operators: int = 1_000
    sparql_max_query_chars: int = 100_000
    cache_ttl_s: float = 300.0
    """Seconds whole-model aggregates (dashboard counts) are reused; 0 turns caching off."""
    allow_uploads: bool = False
    """Open the write path (the import page's POST). Off unless asked for: there is no
    authentication yet, so anyone who reaches the server could write. ``bizarch serve`` turns it
    on when it listens on a loopback address only (see docs/web.md)."""
    upload_hosts: tuple[str, ...] = ()
    """Host names an upload's ``Host`` header may carry (empty: any). ``bizarch serve`` on
    loopback sets the loopback names, which stops DNS-rebinding pages from posting uploads."""
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    """Largest upload (all files of one import together); Flask's ``MAX_CONTENT_LENGTH`` is this
    plus a small allowance for the form fields."""
    testing: bool = False

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> WebSettings:
        """Build from a mapping whose keys are field names in any case (``SPARQL_TIMEOUT_S``)."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            name = key.lower()
            if name not in fields:
                raise UserInputError(
                    f"Unknown web setting '{key}'.",
                    hint="Known settings: " + ", ".join(sorted(fields)) + ".",
                )
            if name == "store":
                value = str(value)
            elif name == "upload_hosts":
                value = (value,) if isinstance(value, str) else tuple(value)
            kwargs[name] = value
        return cls(**kwargs)

    def endpoint_limits(self) -> EndpointLimits:
        return EndpointLimits(
            timeout_s=self.sparql_timeout_s,
            max_rows=self.sparql_max_rows,
            max_concurrent=self.sparql_max_concurrent,
            guard=GuardLimits(
                max_chars=self.sparql_max_query_chars,
                max_depth=self.sparql_max_depth,
                max_operators=self.sparql_max_operators,
            ),
        )
