"""A small time-bounded cache for whole-model aggregates (dashboard counts, graph sizes).

Why: these answers cost seconds at a million triples (a COUNT over every typed element of each
scenario) and do not change while the server holds the store: the on-disk store is locked by the
server, and the only write path of the web app (the import page) calls ``clear()`` after it wrote.
Entries expire after ``ttl_s`` seconds anyway.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class ResultCache:
    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._inflight: dict[Hashable, threading.Event] = {}
        self._generation = 0
        """Bumped by ``clear()``: a value computed across a clear is returned but not kept."""

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key``; computed once when missing or expired.

        Concurrent requests for the same missing key wait for the one computation in flight
        instead of repeating it (a second pySHACL run beside the first would only slow both).
        """
        if self.ttl_s <= 0:
            return compute()
        while True:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and time.monotonic() - entry[0] < self.ttl_s:
                    return entry[1]
                running = self._inflight.get(key)
                if running is None:
                    running = self._inflight[key] = threading.Event()
                    generation = self._generation
                    break
            running.wait()  # then look again: the value is there, or the computation failed
        try:
            value = compute()
            with self._lock:
                if generation == self._generation:
                    self._entries[key] = (time.monotonic(), value)
            return value
        finally:
            with self._lock:
                del self._inflight[key]
            running.set()

    def clear(self) -> None:
        """Forget every value, also those being computed now (they may predate a write)."""
        with self._lock:
            self._entries.clear()
            self._generation += 1
