"""Typed errors.

Every error a user can cause is a :class:`BizarchError`. The CLI maps it to one line on stderr and
an exit code (in one place, ``bizarch.cli``); the web layer maps it to an HTTP status. Anything
else that escapes is a bug and may show a traceback.
"""

from __future__ import annotations


class BizarchError(Exception):
    """Base of all errors caused by input, configuration or environment (not by bugs)."""

    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class UserInputError(BizarchError):
    """A value given by the user is malformed or refers to nothing."""


class RdfSyntaxError(BizarchError):
    """An RDF document could not be parsed; names the source, line and column."""

    def __init__(
        self,
        source: str,
        detail: str,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        where = source
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(
            f"{where}: {detail}",
            hint="Fix the document and load it again; nothing was written.",
        )
        self.source = source
        self.line = line
        self.column = column
        self.detail = detail


class UnsafeInputError(BizarchError):
    """Input refused before any parser saw it (DTDs, entity declarations, remote fetches)."""


class NotFoundError(BizarchError):
    """A named thing (element, scenario, query, graph) does not exist."""

    http_status = 404


class AmbiguousReferenceError(UserInputError):
    """A label matches more than one element."""

    def __init__(self, reference: str, candidates: list[str]) -> None:
        shown = ", ".join(candidates[:10])
        more = f" (+{len(candidates) - 10} more)" if len(candidates) > 10 else ""
        super().__init__(
            f"'{reference}' matches {len(candidates)} elements: {shown}{more}.",
            hint="Give the IRI or CURIE of the one you mean.",
        )
        self.candidates = candidates


class QueryError(BizarchError):
    """A SPARQL query or update is malformed or refused."""


class StoreLockedError(BizarchError):
    """An on-disk store is already opened by another process."""

    http_status = 503


class StoreError(BizarchError):
    """The store cannot be opened or reached (bad address, remote endpoint down, auth)."""

    http_status = 502


class ValidationFailedError(BizarchError):
    """A write was refused because the result would violate the modelling rules."""

    http_status = 422


class ResourceLimitError(BizarchError):
    """A query or request exceeded a configured bound (time, rows, size, nesting)."""

    http_status = 413


class FeatureUnavailableError(BizarchError):
    """A requested option needs a part of bizarch that is not available in this installation."""

    exit_code = 2
    http_status = 501
