"""Benchmark: scenario diff by SPARQL anti-join (what bizarch does) vs store-level quad sets.

Two scenario graphs of N triples each, the second a copy with 1 % of its triples changed
(half removed, half added). Approach A runs ``queries/scenarios/triples-only-in.rq`` twice
(graph IRIs bound); approach B reads both graphs' quads into Python sets and subtracts them.
Prints the median of several runs per size and the ratio B / A, plus peak memory growth.

    python bench/scenario_diff.py              # 10k, 100k, 1M triples
    python bench/scenario_diff.py 10000 100000 # chosen sizes
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc

import pyoxigraph as ox

from bizarch.metrics import _catalogue
from bizarch.repository import ALL
from bizarch.store.oxigraph_store import OxigraphStore

A = "urn:bizarch:scenario:current"
B = "urn:bizarch:scenario:target"
EX = "https://bench.example/"


def build(n: int) -> OxigraphStore:
    store = OxigraphStore()
    ga, gb = ox.NamedNode(A), ox.NamedNode(B)
    pred = [ox.NamedNode(EX + f"p{i}") for i in range(10)]
    quads = []
    changed = max(2, n // 100)
    for i in range(n):
        s = ox.NamedNode(EX + f"e{i // 10}")
        p = pred[i % 10]
        o = ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        quads.append(ox.Quad(s, p, o, ga))
        if i < changed // 2:
            continue  # removed in B
        quads.append(ox.Quad(s, p, o, gb))
    for i in range(changed // 2):
        s = ox.NamedNode(EX + f"new{i}")
        quads.append(ox.Quad(s, pred[0], ox.Literal(f"x{i}"), gb))
    store.engine.bulk_extend(quads)
    return store


def by_sparql(store: OxigraphStore) -> tuple[int, int]:
    def only_in(x: str, y: str) -> int:
        params = {"inGraph": ox.NamedNode(x), "notInGraph": ox.NamedNode(y)}
        return len(_catalogue.run_select(store, "scenarios/triples-only-in", params, scenario=ALL))

    return only_in(A, B), only_in(B, A)


def by_sets(store: OxigraphStore) -> tuple[int, int]:
    def triples(g: str) -> set:
        return {
            (q.subject, q.predicate, q.object)
            for q in store.engine.quads_for_pattern(None, None, None, ox.NamedNode(g))
        }

    a, b = triples(A), triples(B)
    return len(a - b), len(b - a)


def measure(fn, store, runs: int) -> tuple[float, float, tuple]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn(store)
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn(store)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, result


def main(sizes: list[int]) -> None:
    print(
        f"{'triples/graph':>14} {'sparql ms':>10} {'sets ms':>10} {'sets/sparql':>12} "
        f"{'sparql MiB':>11} {'sets MiB':>9}  diff"
    )
    for n in sizes:
        store = build(n)
        runs = 5 if n <= 100_000 else 3
        t_a, m_a, r_a = measure(by_sparql, store, runs)
        t_b, m_b, r_b = measure(by_sets, store, runs)
        assert r_a == r_b, (r_a, r_b)
        print(
            f"{n:>14,} {t_a * 1000:>10.1f} {t_b * 1000:>10.1f} {t_b / t_a:>12.2f} "
            f"{m_a:>11.1f} {m_b:>9.1f}  -{r_a[0]} +{r_a[1]}"
        )
        store.close()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
