"""Benchmark: what getting a scenario out of the on-disk store costs, part by part.

Not a test. A full validation of an on-disk store reads an in-memory copy of it
(``bizarch.store.memory_copy``); this splits that cost on the benchmark's store
(``bench/bench_validate.py`` prepares it) into what RocksDB's decoding costs alone and what
filling the in-memory store adds, so the floor of a validation from disk can be told apart from
what the code could still win. Alternating rounds, medians:

* ``decode only``: the scenario graph dumped as N-Triples in memory (``Store.dump``: all in Rust,
  no Python object per statement, nothing inserted; writing the text costs little beside decoding);
* ``decode only, the helper's way``: every (graph, predicate) unit's subjects and objects as TSV
  (``queries/store/unit-statements.rq``, what the copy's helper process reads), one process;
* ``fill only``: the N-Triples of the first step parsed into an empty in-memory store
  (``bulk_extend`` of ``parse``, what this process does with the helper's text);
* ``copy, one process``: ``quads_for_pattern`` into ``bulk_extend`` of an in-memory store;
* ``copy, two processes``: :func:`bizarch.store.memory_copy.memory_copy` (what validation does),
  with the helper at every size (the split's thresholds are set by comparing this with the one
  process copy at small sizes).

    python bench/copy_floor.py --size 1000000 --rounds 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_validate import machine, prepare  # noqa: E402

from bizarch.namespaces import scenario_graph  # noqa: E402
from bizarch.store import memory_copy as memory_copy_module  # noqa: E402
from bizarch.store.bindings import values_clause  # noqa: E402
from bizarch.store.memory_copy import memory_copy, units_of  # noqa: E402
from bizarch.store.oxigraph_store import OxigraphStore  # noqa: E402
from bizarch.store.store_queries import UNIT_STATEMENTS, store_query  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    store = OxigraphStore(prepare(args.size, args.seed))
    name = scenario_graph("current")
    graph = ox.NamedNode(name)

    dumped: list[bytes] = []

    def decode_only() -> int:
        dumped[:] = [store.engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)]
        return len(dumped[0])

    text = store_query(UNIT_STATEMENTS)
    units = units_of(store, [name])

    def decode_as_tsv() -> int:
        written = 0
        for unit in units:
            bound = {"graph": graph, "predicate": ox.NamedNode(unit.predicate)}
            result = store.engine.query(text + values_clause(bound))
            written += len(result.serialize(format=ox.QueryResultsFormat.TSV))  # type: ignore[union-attr]
        return written

    def fill_only() -> int:
        copy = ox.Store()
        copy.bulk_extend(ox.parse(dumped[0], format=ox.RdfFormat.N_TRIPLES, lenient=True))
        return len(copy)

    def one_process() -> int:
        copy = ox.Store()
        copy.bulk_extend(store.engine.quads_for_pattern(None, None, None, graph))
        return len(copy)

    def two_processes() -> int:
        # The helper's way at every size (below its thresholds memory_copy uses one process):
        # what tells where the thresholds belong.
        thresholds = memory_copy_module.SPLIT_MIN_QUADS, memory_copy_module.SPLIT_MIN_BYTES
        memory_copy_module.SPLIT_MIN_QUADS = memory_copy_module.SPLIT_MIN_BYTES = 0
        try:
            copy = memory_copy(store, [name])
        finally:
            memory_copy_module.SPLIT_MIN_QUADS, memory_copy_module.SPLIT_MIN_BYTES = thresholds
        try:
            if not memory_copy_module.last_record.helper_used:
                print(f"  the helper did not help: {memory_copy_module.last_record.helper_problem}")
            return copy.count()
        finally:
            copy.close()

    steps: dict[str, Callable[[], int]] = {
        "decode only": decode_only,
        "decode only, the helper's way": decode_as_tsv,
        "fill only": fill_only,
        "copy, one process": one_process,
        "copy, two processes": two_processes,
    }
    seconds: dict[str, list[float]] = {step: [] for step in steps}
    sizes: dict[str, int] = {}
    for _ in range(args.rounds):
        for step, run in steps.items():
            started = time.perf_counter()
            sizes[step] = run()
            seconds[step].append(time.perf_counter() - started)
            print(f"  {step}: {seconds[step][-1]:.2f} s", file=sys.stderr, flush=True)
    store.close()
    m = machine()
    print(f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB; Python {m['python']}")
    print(f"Command: python bench/copy_floor.py --size {args.size} --rounds {args.rounds}\n")
    print("| step | median | runs | what |")
    print("|---|---|---|---|")
    for step, values in seconds.items():
        what = f"{sizes[step]:,} " + ("bytes" if step.startswith("decode") else "quads")
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"| {step} | {statistics.median(values):.2f} s | {runs} | {what} |")


if __name__ == "__main__":
    main()
