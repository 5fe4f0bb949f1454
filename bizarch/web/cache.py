"""A small time-bounded cache for whole-model aggregates (dashboard counts, graph sizes).

Why: these answers cost seconds at a million triples (a COUNT over every typed element of each
scenario) and do not change while the server holds the store: the on-disk store is locked by the
server, and the web app does not write. Entries expire after ``ttl_s`` seconds anyway, and
``clear()`` is the hook for write paths (none yet).
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

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key``, computed (outside the lock) when missing or expired."""
        if self.ttl_s <= 0:
            return compute()
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.ttl_s:
            return entry[1]
        value = compute()
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
