"""Helpers shared by every CLI area: settings from the context, opening the repository, progress."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from bizarch.config import Settings
from bizarch.repository import Repository
from bizarch.store.factory import open_from_settings

SCENARIO_HELP = "Scenario name (current, target, ...) or graph IRI [default: current]."


def get_settings() -> Settings:
    """The settings built by the top-level group (``--store`` and the environment)."""
    ctx = click.get_current_context()
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings.from_env()


@contextmanager
def open_repository(*, create: bool = True) -> Iterator[Repository]:
    """Open the configured store as a :class:`Repository`; always closes it.

    Commands that only read pass ``create=False``: a missing store is then an error.
    """
    settings = get_settings()
    store = open_from_settings(settings, create=create)
    try:
        yield Repository(store, settings)
    finally:
        store.close()


class DelayedProgress:
    """A progress bar on stderr that appears only once work has run for ``delay`` seconds."""

    def __init__(self, total: int, label: str, delay: float = 1.0) -> None:
        self.total = total
        self.label = label
        self.delay = delay
        self.done = 0
        self._start = time.monotonic()
        self._bar: Any = None

    def __call__(self, n: int) -> None:
        self.done += n
        if self._bar is None:
            if time.monotonic() - self._start < self.delay:
                return
            self._bar = click.progressbar(
                length=max(self.total, 1), label=self.label, file=sys.stderr
            )
            self._bar.__enter__()
            self._bar.update(self.done - n)
        self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> DelayedProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
