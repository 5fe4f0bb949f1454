"""The aggregate cache: reuse within its lifetime, recompute after it or when cleared."""

from __future__ import annotations

import time

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
