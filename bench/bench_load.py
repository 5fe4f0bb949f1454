"""Benchmark: loading generated models into the embedded store, against rdflib, and opening it.

Not a test: it prints a Markdown table (and writes ``bench/out/results.json``) for
``docs/benchmarks.md``. Every measurement runs in a fresh child process so that peak memory
(``ru_maxrss``) belongs to that measurement alone.

    python bench/bench_load.py                      # 10k, 100k, 1M triples, 3 runs each
    python bench/bench_load.py --sizes 10000 --runs 1

Measured per size (same generated N-Quads file for every contender):

* ``bizarch disk``: ``OxigraphStore(path).load()`` — the atomic bulk path above 16 MB of input
  (one transaction below): N-Quads/N-Triples files cut into chunks loaded two at a time;
* ``engine bulk``: pyoxigraph's own ``Store.bulk_load(path=...)`` of the whole file, without
  bizarch's checks (one thread below a million quads);
* ``bizarch disk, one transaction``: the same load forced through one ``Store.extend``
  transaction (what the bulk path replaces);
* ``rdflib``: ``rdflib.Dataset().parse(file)`` in memory (the baseline);
* ``open``: opening the existing on-disk store and answering one ASK;
* ``serving open``: opening it as a ServingStore (disk copied into memory);
* ``trace query``: a join-heavy strategy-to-application trace on disk vs in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

TRACE = """PREFIX ba: <https://w3id.org/bizarch/ontology#>
SELECT ?strategy ?app WHERE {
  ?strategy ba:hasObjective ?o . ?vs ba:contributesTo ?o ; ba:hasStage ?stage .
  ?stage ba:enabledBy ?cap . ?cap ba:realizedBy ?p . ?p ba:supportedBy ?app }"""


def child(mode: str, data: Path, store_dir: Path) -> dict[str, float]:
    """One measurement, run inside a fresh process (imports happen before the clock starts)."""
    import rdflib

    from bizarch.loading import collect_sources
    from bizarch.store.oxigraph_store import OxigraphStore
    from bizarch.store.serving import ServingStore

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    started, cpu_started = time.perf_counter(), cpu()
    extra: dict[str, float] = {}
    if mode == "rdflib":
        dataset = rdflib.Dataset()
        dataset.parse(str(data), format="nquads")
        extra["triples"] = len(dataset)
    elif mode in ("disk", "disk-tx"):
        if mode == "disk-tx":
            store = OxigraphStore(store_dir, bulk_threshold=10**15)
        else:
            store = OxigraphStore(store_dir)
        extra["triples"] = store.load(collect_sources([data]), None)
        store.close()
    elif mode == "engine-bulk":
        import pyoxigraph as ox

        engine = ox.Store(str(store_dir))
        engine.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        engine.flush()
        extra["triples"] = len(engine)
        del engine
    elif mode == "open":
        store = OxigraphStore(store_dir)
        assert store.query("ASK { ?s ?p ?o }") is True
        store.close()
    elif mode == "serving-open":
        serving = ServingStore(store_dir)
        extra["triples"] = serving.count()
        serving.close()
    elif mode in ("query-disk", "query-memory"):
        serving = ServingStore(store_dir)
        target = serving.disk if mode == "query-disk" else serving.memory
        graphs = ["urn:bizarch:scenario:current"]
        target.query(TRACE, default_graphs=graphs)  # warm-up
        started, cpu_started = time.perf_counter(), cpu()
        rows = target.query(TRACE, default_graphs=graphs)
        extra["rows"] = len(rows)  # type: ignore[arg-type]
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    return {"seconds": seconds, "cpu": cpu_seconds, "peak_mb": peak_mb, "load": load, **extra}


def measure(mode: str, data: Path, store_dir: Path, fresh: bool) -> dict[str, float]:
    if fresh and store_dir.exists():
        shutil.rmtree(store_dir)
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(data), str(store_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def dataset_file(triples: int, seed: int) -> Path:
    from bizarch.generator import write_model

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"generated-{triples}-seed{seed}.nq"
    if not path.exists():
        with path.open("wb") as out:
            write_model(out, triples, seed, nquads=True)
    return path


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1]
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": " ".join(mem.split()[:2]),
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rdflib-runs-1m", type=int, default=1, help="rdflib runs at >= 1M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DATA", "STORE"))
    args = parser.parse_args()
    if args.child:
        mode, data, store = args.child
        print(json.dumps(child(mode, Path(data), Path(store))))
        return

    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    work = Path(tempfile.mkdtemp(prefix="bizarch-bench-"))
    try:
        for size in args.sizes:
            data = dataset_file(size, args.seed)
            store_dir = work / f"store-{size}"
            runs = args.runs
            per: dict[str, list[dict[str, float]]] = {}
            per["engine-bulk"] = [
                measure("engine-bulk", data, store_dir, True) for _ in range(runs)
            ]
            per["disk"] = [measure("disk", data, store_dir, True) for _ in range(runs)]
            per["open"] = [measure("open", data, store_dir, False) for _ in range(runs)]
            per["serving-open"] = [
                measure("serving-open", data, store_dir, False) for _ in range(runs)
            ]
            per["query-disk"] = [measure("query-disk", data, store_dir, False) for _ in range(runs)]
            per["query-memory"] = [
                measure("query-memory", data, store_dir, False) for _ in range(runs)
            ]
            tx_runs = 1 if size >= 1_000_000 else runs
            per["disk-tx"] = [measure("disk-tx", data, store_dir, True) for _ in range(tx_runs)]
            rdflib_runs = args.rdflib_runs_1m if size >= 1_000_000 else runs
            per["rdflib"] = [measure("rdflib", data, store_dir, True) for _ in range(rdflib_runs)]
            results[str(size)] = per
            report(results, machine(), args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (OUT / "results.json").write_text(
        json.dumps({"machine": machine(), "results": results}, indent=1)
    )


def med(items: list[dict[str, float]], key: str) -> float:
    return statistics.median(item[key] for item in items)


COLUMNS = (
    "triples (file)",
    "bizarch disk load (CPU s)",
    "peak MB",
    "engine bulk_load (CPU s)",
    "one-transaction load (CPU s)",
    "peak MB",
    "rdflib parse (CPU s)",
    "peak MB",
    "rdflib / bizarch",
    "open store",
    "serving open",
    "trace disk",
    "trace memory",
    "trace rows",
    "load avg",
)


def report(
    results: dict[str, dict[str, list[dict[str, float]]]],
    box: dict[str, str],
    args: argparse.Namespace,
) -> None:
    sizes = " ".join(map(str, args.sizes))
    print(f"\nMachine: {box['nproc']} cores, {box['cpu']}, {box['memory']} RAM")
    print(f"Python {box['python']}; command: python bench/bench_load.py --sizes {sizes}\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for per in results.values():
        disk, tx, rd = per["disk"], per["disk-tx"], per["rdflib"]
        loads = [m["load"] for runs in per.values() for m in runs]
        cells = [
            f"{int(disk[0]['triples']):,}",
            f"{med(disk, 'seconds'):.2f} s ({med(disk, 'cpu'):.2f})",
            f"{med(disk, 'peak_mb'):.0f}",
            f"{med(per['engine-bulk'], 'seconds'):.2f} s ({med(per['engine-bulk'], 'cpu'):.2f})",
            f"{med(tx, 'seconds'):.2f} s ({med(tx, 'cpu'):.2f})",
            f"{med(tx, 'peak_mb'):.0f}",
            f"{med(rd, 'seconds'):.2f} s ({med(rd, 'cpu'):.2f})",
            f"{med(rd, 'peak_mb'):.0f}",
            f"{med(rd, 'seconds') / med(disk, 'seconds'):.1f}x",
            f"{med(per['open'], 'seconds'):.3f} s",
            f"{med(per['serving-open'], 'seconds'):.2f} s",
            f"{med(per['query-disk'], 'seconds'):.3f} s",
            f"{med(per['query-memory'], 'seconds'):.3f} s",
            f"{int(per['query-disk'][0]['rows']):,}",
            f"{min(loads):.1f}-{max(loads):.1f}",
        ]
        print("| " + " | ".join(cells) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
