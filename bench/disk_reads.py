"""Diagnosis: where the on-disk store loses time against the in-memory copy, at the engine level.

Companion of ``bench/bench_queries.py`` (run that first: it builds and caches the store and the
query texts in ``bench/out/``). For one size it opens the cached on-disk store read-write (as the
CLI does) and read-only, and an in-memory copy, and times on each, median of ``--runs`` after a
warm-up:

* ``trace/down`` as bizarch runs it (default graph = current scenario + ontology), the same text
  with the scenario alone as default graph, without its ``ORDER BY``, and its closure alone (the
  property path, no UNION/OPTIONAL/ORDER BY); the variants are diagnostics, not what bizarch runs;
* raw reads: one ``quads_for_pattern`` per subject for 10,000 subjects (index seeks), a scan of
  the scenario graph (every quad decoded into terms), and ``STR()`` of 20,000 subject IRIs
  (string decoding inside the engine).

    python bench/disk_reads.py --size 1000000 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

OUT = Path(__file__).resolve().parent / "out"
CURRENT = ox.NamedNode("urn:bizarch:scenario:current")
ONTOLOGY = ox.NamedNode("https://w3id.org/bizarch/ontology")


def median_ms(fn: Callable[[], int], runs: int) -> tuple[float, int]:
    count = fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        count = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), count


def variants(text: str) -> dict[str, str]:
    """The trace text and diagnostic cuts of it (same WHERE clause start, same bound VALUES)."""
    no_order = text[: text.rindex("ORDER BY")]
    head, _, rest = text.partition("WHERE {")
    values_end = rest.index("}") + 1
    path_end = rest.index("?from .") + len("?from .")
    closure = "SELECT DISTINCT ?from WHERE {" + rest[:values_end] + rest[values_end:path_end] + "}"
    prefixes = head[: head.index("SELECT")]
    return {
        "trace/down as run": text,
        "without ORDER BY": no_order,
        "closure only": prefixes + closure,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = OUT / f"store-{args.size}-seed{args.seed}"
    work = OUT / f"queries-{args.size}-seed{args.seed}"
    text = (work / "trace__down.rq").read_text(encoding="utf-8")
    print(f"Store {path.name}; load average {os.getloadavg()[0]:.1f}; runs {args.runs}")

    start = time.perf_counter()
    disk = ox.Store(str(path))
    opened = time.perf_counter() - start
    start = time.perf_counter()
    memory = ox.Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    copied = time.perf_counter() - start
    print(f"open disk store {opened * 1000:.0f} ms; copy into memory {copied:.1f} s")
    engines = {"disk": disk, "memory": memory}

    seen = dict.fromkeys(q.subject for q in memory.quads_for_pattern(None, None, None, CURRENT))
    subjects = list(seen)[:: max(1, len(seen) // 10_000)][:10_000]
    strs = "SELECT (STR(?s) AS ?t) WHERE { { SELECT DISTINCT ?s WHERE { ?s a ?c } LIMIT 20000 } }"
    both, alone = [CURRENT, ONTOLOGY], [CURRENT]
    cases: list[tuple[str, Callable[[ox.Store], int]]] = []
    for label, sparql in variants(text).items():
        for graphs, suffix in ((both, "scenario + ontology"), (alone, "scenario alone")):
            cases.append(
                (
                    f"{label}, default graph {suffix}",
                    lambda e, s=sparql, g=graphs: sum(1 for _ in e.query(s, default_graph=g)),
                )
            )
    cases += [
        (
            f"{len(subjects):,} subject lookups (quads_for_pattern)",
            lambda e: sum(
                sum(1 for _ in e.quads_for_pattern(s, None, None, CURRENT)) for s in subjects
            ),
        ),
        (
            "scan of the scenario graph (every quad decoded)",
            lambda e: sum(1 for _ in e.quads_for_pattern(None, None, None, CURRENT)),
        ),
        (
            "STR() of 20,000 IRIs in the engine",
            lambda e: sum(1 for _ in e.query(strs, default_graph=alone)),
        ),
    ]
    results = []
    print("\n| read | rows | disk ms | memory ms | disk / memory |")
    print("|---|---:|---:|---:|---:|")
    for label, fn in cases:
        runs = args.runs if "scan" not in label else max(1, args.runs // 2)
        timed = {
            name: median_ms(lambda e=engine, f=fn: f(e), runs) for name, engine in engines.items()
        }
        (d, rows), (m, _) = timed["disk"], timed["memory"]
        results.append({"case": label, "rows": rows, "disk_ms": d, "memory_ms": m})
        print(f"| {label} | {rows:,} | {d:,.0f} | {m:,.0f} | {d / m:.1f}x |", flush=True)
    del disk
    read_only = ox.Store.read_only(str(path))
    ro, rows = median_ms(
        lambda: sum(1 for _ in read_only.query(text, default_graph=both)), args.runs
    )
    print(f"\nread-only open, trace/down as run: {ro:,.0f} ms ({rows:,} rows)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    results.append({"case": "read-only trace/down", "rows": rows, "disk_ms": ro})
    (OUT / f"disk-reads-{args.size}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
