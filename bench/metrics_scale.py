"""Benchmark: the measure services on generated models of 10k, 100k and 1M triples.

For each size, a model from ``bizarch.generator`` (both scenarios together) is put into an
in-memory store; then timed, median of several runs: flow metrics of every value stream of the
current scenario, the KPI reports (status, trend, XmR) of every KPI, and the comparison of the
current and target scenarios (diff, metric deltas, maturity, gap list). Median of 5 runs (3 for
the comparison) up to 100k triples, one run at 1M.

    PYTHONPATH=. python bench/metrics_scale.py              # 10k, 100k, 1M
    PYTHONPATH=. python bench/metrics_scale.py 10000 100000 # chosen sizes
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from bizarch.generator import generate_quads
from bizarch.metrics.flow import value_stream_flows
from bizarch.metrics.kpi import kpi_reports
from bizarch.repository import Repository
from bizarch.scenarios import compare_scenarios
from bizarch.store.oxigraph_store import OxigraphStore


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(sizes: list[int]) -> None:
    print(
        f"{'triples':>10} {'value streams':>14} {'flow ms':>9} {'KPI series':>11} "
        f"{'kpi ms':>8} {'diff triples':>13} {'compare ms':>11}"
    )
    for n in sizes:
        store = OxigraphStore()
        Repository(store).ensure_ontology()
        store.engine.bulk_extend(generate_quads(n, seed=1))
        runs = 5 if n <= 100_000 else 1
        t_flow, flows = timed(lambda s=store: value_stream_flows(s, "current"), runs)
        t_kpi, kpis = timed(lambda s=store: kpi_reports(s, "current"), runs)
        compare_runs = max(1, runs - 2)
        t_cmp, cmp = timed(lambda s=store: compare_scenarios(s, "current", "target"), compare_runs)
        changed = cmp.diff.triples_added + cmp.diff.triples_removed
        print(
            f"{store.count():>10,} {len(flows):>14,} {t_flow * 1000:>9.0f} {len(kpis):>11,} "
            f"{t_kpi * 1000:>8.0f} {changed:>13,} {t_cmp * 1000:>11.0f}"
        )
        store.close()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
