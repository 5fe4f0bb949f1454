"""Errors of the SPARQL endpoint, each with the HTTP status the protocol expects."""

from __future__ import annotations

from bizarch.errors import QueryError, ResourceLimitError, UnsafeInputError


class RefusedQueryError(UnsafeInputError):
    """The query asks for something this endpoint never does (SERVICE, LOAD): 400."""

    http_status = 400


class ReadOnlyEndpointError(QueryError):
    """An update was sent to the read-only endpoint: 403."""

    http_status = 403


class QueryTooComplexError(ResourceLimitError):
    """The query text is too large, too deeply nested or too long a chain for the engine: 400."""

    http_status = 400


class QueryTimeoutError(ResourceLimitError):
    """The query did not finish within the configured time: 503 (the server stays up)."""

    http_status = 503


class EndpointBusyError(ResourceLimitError):
    """Every query slot is taken by a running query: 503, try again shortly."""

    http_status = 503
