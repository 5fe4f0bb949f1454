"""Benchmark: the load gate on a large store, by the size of the addition.

Not a test. ``bizarch load --validate`` copies the touched scenario into memory, validates it,
adds the new statements and validates again (:mod:`bizarch.validation.gate`). With the SPARQL
engine and a small addition the second validation is incremental; this times
:func:`~bizarch.validation.gate.check_addition` (which writes nothing) both ways on the benchmark's
store (``bench/bench_validate.py`` prepares it), for additions of new applications (three
statements each: type, label, lifecycle status), alternating the two ways:

* ``incremental``: what the gate does for an addition small beside the model (see
  ``gate.INCREMENTAL_SHARE``);
* ``full``: both states validated in full, as the gate does for larger additions.

    python bench/bench_gate.py --size 1000000 --additions 3 300 --rounds 2
    python bench/bench_gate.py --size 100000 --additions 510 9000 --rounds 1 --no-limit
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_validate import machine, prepare  # noqa: E402

from bizarch.namespaces import scenario_graph  # noqa: E402
from bizarch.store.oxigraph_store import OxigraphStore  # noqa: E402
from bizarch.validation import gate  # noqa: E402

BA = "https://w3id.org/bizarch/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def new_applications(statements: int) -> list[ox.Quad]:
    """Applications no model has, three statements each (conforming but for warnings)."""
    graph = ox.NamedNode(scenario_graph("current"))
    quads: list[ox.Quad] = []
    for i in range(max(1, statements // 3)):
        app = ox.NamedNode(f"https://example.org/bench/app-{i}")
        quads += [
            ox.Quad(app, RDF_TYPE, ox.NamedNode(BA + "Application"), graph),
            ox.Quad(app, RDFS_LABEL, ox.Literal(f"Benchmark application {i}"), graph),
            ox.Quad(app, ox.NamedNode(BA + "lifecycleStatus"), ox.NamedNode(BA + "Active"), graph),
        ]
    return quads


def gate_once(store: OxigraphStore, quads: list[ox.Quad], way: str) -> tuple[float, int, bool]:
    """Seconds, new violations, and whether the incremental way was taken."""
    taken: list[bool] = []
    decide = gate._incremental

    def deciding(*args: object) -> bool:
        taken.append(way == "incremental" and decide(*args))  # type: ignore[arg-type]
        return taken[-1]

    gate._incremental = deciding  # type: ignore[assignment]
    started = time.perf_counter()
    try:
        result = gate.check_addition(store, quads, engine="sparql")
    except gate.LoadRefusedError as refused:
        result = refused.result
    finally:
        gate._incremental = decide  # type: ignore[assignment]
    return time.perf_counter() - started, len(result.new_violations), bool(taken and taken[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--additions", type=int, nargs="+", default=[3, 300])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--no-limit",
        action="store_true",
        help="Take the incremental way at every size (to see where its limit belongs).",
    )
    args = parser.parse_args()
    if args.no_limit:
        gate.INCREMENTAL_MIN_LIMIT = sys.maxsize
    store = OxigraphStore(prepare(args.size, args.seed), read_only=True, create=False)
    rows = []
    for statements in args.additions:
        quads = new_applications(statements)
        seconds: dict[str, list[float]] = {"incremental": [], "full": []}
        found: dict[str, int] = {}
        taken = False
        for _ in range(args.rounds):
            for way in seconds:
                spent, new, incremental = gate_once(store, quads, way)
                seconds[way].append(spent)
                found[way] = new
                taken = taken or incremental
                print(f"  {len(quads)} statements, {way}: {spent:.2f} s", file=sys.stderr)
        rows.append((len(quads), seconds, found, taken))
    store.close()
    m = machine()
    print(f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB; Python {m['python']}")
    additions = " ".join(str(a) for a in args.additions)
    print(
        f"Command: python bench/bench_gate.py --size {args.size} --additions {additions} "
        f"--rounds {args.rounds}{' --no-limit' if args.no_limit else ''}\n"
    )
    print("| statements added | incremental after (runs) | full after (runs) | new violations |")
    print("|---|---|---|---|")
    for count, seconds, found, taken in rows:
        cells = [
            f"{statistics.median(v):.2f} s ({', '.join(f'{x:.2f}' for x in v)})"
            for v in seconds.values()
        ]
        if not taken:
            cells[0] = "not taken (above the limit)"
        print(f"| {count:,} | {cells[0]} | {cells[1]} | {found['incremental']} / {found['full']} |")


if __name__ == "__main__":
    main()
