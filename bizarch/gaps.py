"""Gaps: run every ``gaps/*`` query and return what each found, for the CLI, web and CI.

Each gap is one named query (one question per file), so a new kind of gap is a new ``.rq`` file
and needs no code here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bizarch.queries.catalogue import Catalogue, default_catalogue
from bizarch.repository import Repository
from bizarch.store.base import SelectResult


@dataclass(frozen=True)
class Gap:
    """The findings of one gap query: its name, the question, the rows."""

    name: str
    summary: str
    result: SelectResult

    @property
    def count(self) -> int:
        return len(self.result)


def find_gaps(
    repo: Repository, *, scenario: str | None = None, catalogue: Catalogue | None = None
) -> list[Gap]:
    """Every gap query's findings, in name order (empty results included)."""
    catalogue = catalogue or default_catalogue()
    gaps = []
    for name in catalogue.names():
        if name.startswith("gaps/"):
            result = catalogue.run(repo, name, scenario=scenario)
            assert isinstance(result, SelectResult)
            gaps.append(Gap(name, catalogue.get(name).summary, result))
    return gaps
