"""Benchmark: opening a serving store (``serve:PATH``: the on-disk store copied into memory), with
the copy shared by a helper process and without (``BIZARCH_PARALLEL_COPY=0``), alternating.

Not a test: it prints one Markdown table for ``docs/benchmarks.md``.

    python bench/serving_open.py bench/out/validate-store-1000000-seed7 --runs 3

The store is any bizarch store on disk (``bench/bench_validate.py`` leaves one per size).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(HERE.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from bizarch.store import memory_copy
    from bizarch.store.serving import ServingStore

    seconds: dict[str, list[float]] = {"two processes": [], "one process": []}
    quads = 0
    for _ in range(args.runs):
        for label, switch in (("two processes", "1"), ("one process", "0")):
            os.environ[memory_copy.ENV_SWITCH] = switch
            started = time.perf_counter()
            store = ServingStore(args.store, create=False)
            seconds[label].append(time.perf_counter() - started)
            quads = len(store.memory.engine)
            if switch == "1" and not memory_copy.last_record.helper_used:
                print(f"note: the helper did not help ({memory_copy.last_record.helper_problem})")
            store.close()
    print(f"| quads | {' | '.join(seconds)} | ratio |")
    print("|---|---|---|---|")
    two, one = (statistics.median(v) for v in seconds.values())
    print(f"| {quads:,} | {two:.2f} s | {one:.2f} s | {one / two:.2f}x |")


if __name__ == "__main__":
    main()
