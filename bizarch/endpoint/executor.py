"""Runs endpoint queries bounded in time and rows, off the request threads.

pyoxigraph cannot interrupt a query, but it releases the GIL while it evaluates (measured: the
other Python threads keep running with at most ~7 ms pauses during a 14 s query). So each query
runs on a small dedicated thread pool: the request waits until the deadline and then answers 503
while the server keeps serving everybody else. Between two result rows the worker checks the
deadline and stops early; a query whose first row alone takes longer (a big ORDER BY, GROUP BY or
a slow plan) keeps its worker busy until the engine is done. The pool's size bounds how many such
runaways can exist: when every slot is taken, new queries get a 503 "busy" at once instead of
queueing, and the pages (which do not use this pool) stay responsive. See docs/sparql-endpoint.md.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

import pyoxigraph as ox

from bizarch.endpoint.errors import EndpointBusyError, QueryTimeoutError
from bizarch.endpoint.guard import GuardLimits, QueryShape, check_query
from bizarch.errors import QueryError, UserInputError
from bizarch.store.base import Term


@dataclass(frozen=True)
class EndpointLimits:
    """Bounds of the SPARQL endpoint (web settings ``SPARQL_*``)."""

    timeout_s: float = 10.0
    max_rows: int = 10_000
    max_concurrent: int = 2
    guard: GuardLimits = field(default_factory=GuardLimits)


@dataclass
class QueryOutcome:
    """A finished query: exactly one of ``solutions`` (SELECT), ``boolean`` (ASK) or ``triples``
    (CONSTRUCT/DESCRIBE) is set. ``truncated`` says the row cap cut the result."""

    variables: list[str] = field(default_factory=list)
    solutions: list[tuple[Term | None, ...]] | None = None
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None
    truncated: bool = False
    elapsed_s: float = 0.0
    shape: QueryShape | None = None

    @property
    def form(self) -> str:
        if self.solutions is not None:
            return "select"
        if self.boolean is not None:
            return "ask"
        return "graph"


class QueryExecutor:
    """A bounded pool of query workers shared by all requests of one app."""

    def __init__(self, limits: EndpointLimits) -> None:
        self.limits = limits
        self._pool = ThreadPoolExecutor(
            max_workers=limits.max_concurrent, thread_name_prefix="sparql-query"
        )
        self._slots = threading.BoundedSemaphore(limits.max_concurrent)

    def execute(
        self,
        engine: ox.Store,
        query: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryOutcome:
        """Guard, run and collect one query; raises a :class:`BizarchError` on any refusal."""
        shape = check_query(query, self.limits.guard)
        options = _dataset_options(default_graphs, named_graphs)
        if not self._slots.acquire(timeout=0.5):
            raise EndpointBusyError(
                f"All {self.limits.max_concurrent} query slots are busy with long-running queries.",
                hint="Try again in a few seconds.",
            )
        started = time.monotonic()
        deadline = started + self.limits.timeout_s
        cancelled = threading.Event()
        try:
            future = self._pool.submit(self._run, engine, query, options, deadline, cancelled)
        except BaseException:
            self._slots.release()
            raise
        try:
            outcome = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            cancelled.set()
            raise QueryTimeoutError(
                f"The query took longer than {self.limits.timeout_s:g} s and was abandoned.",
                hint="Narrow it down (a more specific pattern, LIMIT) and run it again.",
            ) from None
        outcome.elapsed_s = time.monotonic() - started
        outcome.shape = shape
        return outcome

    def _run(
        self,
        engine: ox.Store,
        query: str,
        options: dict[str, object],
        deadline: float,
        cancelled: threading.Event,
    ) -> QueryOutcome:
        try:
            try:
                result = engine.query(query, **options)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL syntax error: {exc}") from None
            except (OSError, RuntimeError, ValueError) as exc:
                raise QueryError(f"The query failed: {exc}") from None
            if isinstance(result, ox.QueryBoolean):
                return QueryOutcome(boolean=bool(result))
            cap = self.limits.max_rows
            rows: list = []
            truncated = False
            try:
                if isinstance(result, ox.QuerySolutions):
                    variables = [v.value for v in result.variables]
                    for solution in result:
                        if len(rows) >= cap:
                            truncated = True
                            break
                        rows.append(tuple(solution))  # values in the order of variables
                        if cancelled.is_set() or time.monotonic() > deadline:
                            break  # nobody waits for the rest any more
                    return QueryOutcome(variables, solutions=rows, truncated=truncated)
                for triple in result:
                    if len(rows) >= cap:
                        truncated = True
                        break
                    rows.append(triple)
                    if cancelled.is_set() or time.monotonic() > deadline:
                        break
                return QueryOutcome(triples=rows, truncated=truncated)
            except (OSError, RuntimeError, ValueError) as exc:
                raise QueryError(f"The query failed while it ran: {exc}") from None
        finally:
            self._slots.release()

    def shutdown(self) -> None:
        """Stop accepting queries; running ones finish in the background."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _dataset_options(
    default_graphs: Sequence[str], named_graphs: Sequence[str]
) -> dict[str, object]:
    """Protocol ``default-graph-uri`` / ``named-graph-uri`` as engine options.

    Without ``default-graph-uri`` the default graph is the union of all graphs (announced in the
    service description as ``sd:UnionDefaultGraph``), so a plain ``?s ?p ?o`` sees the model.
    """
    try:
        options: dict[str, object] = {}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return options
    except ValueError as exc:
        raise UserInputError(
            f"default-graph-uri / named-graph-uri must be absolute IRIs: {exc}"
        ) from None
