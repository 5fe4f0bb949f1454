"""The aggregate cache: reuse within its lifetime, recompute after it or when cleared."""

from __future__ import annotations

import threading
import time

import pytest

from bizarch.web.cache import ResultCache


def test_values_are_reused_until_they_expire_or_are_cleared() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    cache = ResultCache(ttl_s=0.2)
    assert cache.get("k", compute) == 1
    assert cache.get("k", compute) == 1
    assert cache.get("other", compute) == 2
    time.sleep(0.25)
    assert cache.get("k", compute) == 3
    cache.clear()
    assert cache.get("k", compute) == 4


def test_a_zero_lifetime_turns_caching_off() -> None:
    calls: list[int] = []
    cache = ResultCache(ttl_s=0)
    for _ in range(3):
        cache.get("k", lambda: calls.append(1))
    assert len(calls) == 3


def test_concurrent_requests_share_one_computation() -> None:
    calls: list[int] = []
    started = threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return "done"

    cache = ResultCache(ttl_s=60)
    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get("k", slow)))
    first.start()
    started.wait()
    others = [
        threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(3)
    ]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join()
    assert results == ["done"] * 4
    assert len(calls) == 1


def test_a_failed_computation_is_not_cached() -> None:
    cache = ResultCache(ttl_s=60)

    def boom() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        cache.get("k", boom)
    assert cache.get("k", lambda: 7) == 7


def test_a_value_computed_across_a_clear_is_not_kept() -> None:
    """A dashboard count that started before an import finished must not outlive the import."""
    started, release = threading.Event(), threading.Event()
    values = iter(["before the write", "after the write"])

    def slow() -> str:
        started.set()
        release.wait()
        return next(values)

    cache = ResultCache(ttl_s=60)
    results: list[str] = []
    reader = threading.Thread(target=lambda: results.append(cache.get("k", slow)))
    reader.start()
    started.wait()
    cache.clear()  # the write path clears while the old value is being computed
    release.set()
    reader.join()
    assert results == ["before the write"]
    assert cache.get("k", lambda: next(values)) == "after the write"
