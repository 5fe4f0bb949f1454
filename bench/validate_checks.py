"""Where a full validation spends its query time: every compiled check timed, one process.

Loads the ``current`` scenario and the ontology of a benchmark store into one in-memory graph
(what a full validation of an on-disk store reads: ``sparql_engine.reading_copy``; ``--on-disk``:
the store itself, to see what the copy saves), runs the whole
rule library (or ``--rules``) with the checks in this process only, and prints the time per rule
and the slowest checks with their queries. The sum is the CPU a full run shares between two
processes; the wall time of a run is in ``bench/bench_validate.py``.

Usage::

    python bench/validate_checks.py bench/out/validate-store-1000000-seed7 [--top 10]
        [--rules STR-001,HYG-002] [--runs 2] [--on-disk]

(``bench/bench_validate.py`` writes the stores.) Not a test.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(HERE.parent))

os.environ["BIZARCH_PARALLEL_VALIDATION"] = "0"  # every check in this process, to time it

import pyoxigraph as ox  # noqa: E402

from bizarch.namespaces import ONTOLOGY_GRAPH, scenario_graph  # noqa: E402
from bizarch.store.oxigraph_store import OxigraphStore  # noqa: E402
from bizarch.validation import sparql_engine  # noqa: E402
from bizarch.validation.rules import RuleLibrary  # noqa: E402


def merged_copy(store_dir: Path) -> OxigraphStore:
    """The scenario and the ontology of the store, in one in-memory graph."""
    current = scenario_graph("current")
    disk = OxigraphStore(store_dir, read_only=True, create=False)
    copy = OxigraphStore(None)
    into = ox.NamedNode(current)
    for graph in (current, ONTOLOGY_GRAPH):
        found = disk.engine.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        copy.engine.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, into) for q in found)
    disk.close()
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path, help="An on-disk store with a 'current' scenario.")
    parser.add_argument("--rules", default="", help="Rule ids, comma-separated (default: all).")
    parser.add_argument("--top", type=int, default=10, help="Slowest checks printed.")
    parser.add_argument("--runs", type=int, default=2, help="Runs; medians are printed.")
    parser.add_argument(
        "--on-disk",
        action="store_true",
        help="Query the on-disk store itself (scenario + ontology graphs), not a copy.",
    )
    args = parser.parse_args()

    if args.on_disk:
        copy = OxigraphStore(args.store, read_only=True, create=False)
        graphs = [scenario_graph("current"), ONTOLOGY_GRAPH]
    else:
        copy = merged_copy(args.store)
        graphs = [scenario_graph("current")]
    ruleset = RuleLibrary().select(args.rules.split(",") if args.rules else None)
    engine = sparql_engine.ENGINE.engine_for(ruleset)
    timed: dict[int, list[float]] = collections.defaultdict(list)
    checks: dict[int, tuple[str, str, str]] = {}
    real_run_check = engine._run_check

    def timing(store, graphs, check, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        found = real_run_check(store, graphs, check, *args, **kwargs)
        timed[id(check)].append(time.perf_counter() - started)
        rule = engine._statics(check).rule_id
        checks[id(check)] = (rule, str(check.component).rsplit("#", 1)[-1], str(len(found)))
        return found

    engine._run_check = timing  # type: ignore[method-assign]
    totals = []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = engine.validate(copy, data_graphs=graphs)
        totals.append(time.perf_counter() - started)
    per_check = {key: statistics.median(values) for key, values in timed.items()}
    per_rule: collections.Counter[str] = collections.Counter()
    for key, seconds in per_check.items():
        per_rule[checks[key][0]] += seconds
    found = len(report.findings)
    print(f"{len(copy.engine):,} quads; {len(per_check)} checks run; {found:,} findings")
    print(f"all checks, one process: {statistics.median(totals):.2f} s (median of {args.runs})")
    print("\n| rule | seconds |\n|---|---|")
    for rule, seconds in per_rule.most_common(15):
        print(f"| {rule} | {seconds:.3f} |")
    print(f"\nslowest {args.top} checks (rule, component, findings):")
    for key in sorted(per_check, key=per_check.get, reverse=True)[: args.top]:  # type: ignore[arg-type]
        rule, component, found = checks[key]
        print(f"  {per_check[key]:.3f} s  {rule} {component} ({found} findings)")


if __name__ == "__main__":
    main()
