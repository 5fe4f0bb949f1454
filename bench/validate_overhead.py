"""Fixed cost of a validation run in a fresh process: compiling the rule library, before any data.

Measures, each in a new interpreter (so nothing is cached in memory), with the on-disk compile
cache cold (an empty cache folder) and warm (the same folder again):

- ``select``: ``RuleLibrary().select(None)`` (reading ``shapes/`` into a rule set);
- ``compile``: ``ENGINE.engine_for(ruleset)`` (shapes to SPARQL);
- ``analyse``: the change analysis of every check query (what ``IncrementalValidator`` does on
  its first change).

Usage: ``python bench/validate_overhead.py [--runs N] [--no-analyse]``; prints medians in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from bizarch.validation.rules import RuleLibrary
from bizarch.validation.sparql_engine import ENGINE
t1 = time.perf_counter()
ruleset = RuleLibrary().select(None)
t2 = time.perf_counter()
engine = ENGINE.engine_for(ruleset)
t3 = time.perf_counter()
out = {"import": t1 - t0, "select": t2 - t1, "compile": t3 - t2}
if sys.argv[1] == "1":
    from bizarch.validation.dependencies import NotAnalysable, analyse
    for unit in engine.units:
        for check in unit.checks:
            try:
                analyse(engine.check_query(unit, check))
            except NotAnalysable:
                pass
    out["analyse"] = time.perf_counter() - t3
try:
    from bizarch.validation import compile_cache
    compile_cache.save()
except ImportError:
    pass
print(json.dumps(out))
"""


def _run(cache_dir: str, analyse: bool) -> dict[str, float]:
    env = dict(os.environ, BIZARCH_CACHE_DIR=cache_dir)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "1" if analyse else "0"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-analyse", action="store_true")
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache_dir:
            results["cold"].append(_run(cache_dir, not args.no_analyse))
            results["warm"].append(_run(cache_dir, not args.no_analyse))
    for state, runs in results.items():
        medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        total = sum(v for k, v in medians.items() if k != "import")
        parts = "  ".join(f"{k} {v:.2f}" for k, v in medians.items())
        print(f"{state:5} {parts}  (select+compile+analyse {total:.2f} s)")


if __name__ == "__main__":
    main()
