"""Benchmark: every named query on generated models, bizarch against rdflib and Jena ARQ.

Not a test: it prints Markdown tables (and writes ``bench/out/queries.json``) for
``docs/benchmarks.md``. Every contender runs in its own child process (peak memory ``ru_maxrss`` is
its own), loads the model once, then runs each query a warm-up time and ``--runs`` times.

    python bench/bench_queries.py                        # 10k, 100k, 1M triples, 7 runs
    python bench/bench_queries.py --sizes 10000 --runs 3 --queries trace/down impact/application
    python bench/bench_queries.py --contenders disk memory --sizes 100000

Size: ``N`` is the number of triples the generator writes (``bizarch generate --triples N --seed S
--format nquads``: the ``current`` and ``target`` scenarios together, about N/2 each), loaded into
an on-disk store with ``bizarch init`` and ``bizarch load --keep-graphs``; queries run against
the ``current`` scenario plus the ontology, as the CLI and the web do by default (queries the code
runs over every graph, e.g. ``scenarios/list``, run over the union of all graphs).

Contenders, all given the same query text (:meth:`Catalogue.prepare`: header off, parameters bound
in a leading ``VALUES`` block) and the same data (the store's own N-Quads dump, ontology included):

* ``disk``: ``Catalogue.run`` on the on-disk ``OxigraphStore`` opened as the CLI opens it;
* ``memory``: ``Catalogue.run`` on ``serve:PATH`` (the disk store copied into memory, what
  ``bizarch serve`` uses);
* ``rdflib``: ``rdflib.Dataset`` in memory, default graph = the scenario and ontology triples;
* ``jena``: Jena ARQ 4.5 (Debian ``libapache-jena-java``) on an in-memory dataset with the same
  default graph, through ``bench/jena/QueryBench.java`` (compiled into ``bench/out/``).

Each timing covers parsing the text, evaluating it and consuming every row. Warm-up: ``--warmup``
runs, ``--jena-warmup`` for Jena (its JIT compiler needs them). A query whose warm-up takes long
gets fewer runs (``--budget`` seconds per query and contender, at least one run); rdflib and Jena
queries are stopped after ``--timeout`` seconds. A query is skipped at the next size when its
median times the growth in size passes ``--timeout`` (rdflib, Jena) or ``--limit`` (bizarch, whose
queries cannot be interrupted). Row counts must agree; the tables mark any disagreement.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_load import dataset_file, machine

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROOT = HERE.parent
CURRENT = "urn:bizarch:scenario:current"
TARGET = "urn:bizarch:scenario:target"
ONTOLOGY = "https://w3id.org/bizarch/ontology"
BA = "https://w3id.org/bizarch/ontology#"
CONTENDERS = ("disk", "memory", "rdflib", "jena")
SKIPPED = "skipped (expected over the time limit, from the smaller size)"
ALL_GRAPHS = {
    # Queries the code runs over the union of every graph (scenario="*"); the rest run on "current".
    "metrics/graph-exists",
    "ontology/classes",
    "ontology/properties",
    "scenarios/elements",
    "scenarios/list",
    "scenarios/measurements-in",
    "scenarios/triples-only-in",
    "scenarios/vocabulary-labels",
    "web/scenario-exists",
    "web/scenarios",
}


# -- the data, the store and the query texts (parent and "prepare" child) -------------------------


def store_dir(size: int, seed: int) -> Path:
    """An on-disk store holding the generated model, built once with the CLI and cached."""
    path = OUT / f"store-{size}-seed{seed}"
    done = OUT / f"store-{size}-seed{seed}.done"
    if not done.exists():
        shutil.rmtree(path, ignore_errors=True)
        data = dataset_file(size, seed)
        cli = [sys.executable, "-m", "bizarch", "--store", str(path)]
        subprocess.run([*cli, "init"], check=True, capture_output=True)
        subprocess.run([*cli, "load", "--keep-graphs", str(data)], check=True, capture_output=True)
        done.write_text("ok\n")
    return path


def _median_row(store: object, sparql: str) -> str:
    """The IRI in the middle of a list ordered by a count (a typical element, deterministic)."""
    result = store.query(sparql, default_graphs=[CURRENT, ONTOLOGY])  # type: ignore[attr-defined]
    rows = [row[0].value for row in result.rows]
    if not rows:
        raise SystemExit(f"No element found for: {sparql}")
    return rows[len(rows) // 2]


def typical_count(cls: str, link: str) -> str:
    return (
        f"PREFIX ba: <{BA}> SELECT ?x (COUNT(DISTINCT ?y) AS ?n) WHERE {{ ?x a ba:{cls} . "
        f"OPTIONAL {{ {link} }} }} GROUP BY ?x ORDER BY ?n ?x"
    )


def pick_params(store: object) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Representative parameter values from the generated model: the middle element by size."""
    app = _median_row(store, typical_count("Application", "?y ba:supportedBy ?x"))
    strategy = _median_row(store, typical_count("Strategy", "?x ba:hasObjective ?y"))
    capability = _median_row(store, typical_count("Capability", "?x ba:realizedBy ?y"))
    stream = _median_row(store, typical_count("ValueStream", "?x ba:hasStage ?y"))
    kpi = _median_row(store, typical_count("KPI", "?y ba:ofKPI ?x"))
    label_rows = store.query(  # type: ignore[attr-defined]
        f"SELECT ?l WHERE {{ <{capability}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
        default_graphs=[CURRENT],
    )
    label = label_rows.rows[0][0].value
    word = max(label.split(), key=len).lower()
    picks = {
        "application": app,
        "strategy": strategy,
        "capability": capability,
        "value stream": stream,
        "KPI": kpi,
        "label": label,
        "search text": word,
    }
    params = {
        "impact/application": {"application": app},
        "impact/capability": {"capability": capability},
        "impact/element": {"element": app},
        "lookup/by-label": {"label": label},
        "lookup/element": {"element": capability},
        "lookup/elements": {"class": BA + "Application"},
        "lookup/search": {"text": word},
        "trace/down": {"strategy": strategy},
        "trace/up": {"element": app},
        "metrics/activity-facts": {"valueStream": stream},
        "metrics/graph-exists": {"graph": TARGET},
        "metrics/kpi-facts": {"kpi": kpi},
        "metrics/lookup-element": {"class": BA + "KPI", "element": kpi},
        "metrics/measurements": {"kpi": kpi},
        "metrics/stage-facts": {"valueStream": stream},
        "metrics/stage-processes": {"valueStream": stream},
        "metrics/value-stream-facts": {"valueStream": stream},
        "scenarios/elements": {"graph": TARGET, "class": BA + "Application"},
        "scenarios/measurements-in": {"graph": TARGET},
        "scenarios/triples-only-in": {"inGraph": CURRENT, "notInGraph": TARGET, "subject": app},
        "web/element-description": {"element": capability},
        "web/element-incoming": {"element": capability},
        "web/element-outgoing": {"element": capability},
        "web/scenario-exists": {"scenario": TARGET},
        "web/value-stream-stages": {"valueStream": stream},
    }
    return picks, params


def prepare(store_path: Path, work: Path, wanted: list[str] | None) -> None:
    """Child: pick parameters, write each query's final text and the store's N-Quads dump."""
    import pyoxigraph as ox

    from bizarch.queries.catalogue import default_catalogue
    from bizarch.repository import Repository
    from bizarch.store.factory import open_store

    catalogue = default_catalogue()
    names = wanted or catalogue.names()
    store = open_store(str(store_path), create=False)
    try:
        picks, params = pick_params(store)
        repo = Repository(store)
        work.mkdir(parents=True, exist_ok=True)
        queries = []
        for name in names:
            scenario = "*" if name in ALL_GRAPHS else "current"
            text = catalogue.prepare(repo, name, params.get(name, {}), scenario=scenario)
            path = work / (name.replace("/", "__") + ".rq")
            path.write_text(text, encoding="utf-8")
            queries.append(
                {
                    "name": name,
                    "scenario": scenario,
                    "reads_ontology": catalogue.get(name).reads_ontology,
                    "params": params.get(name, {}),
                    "file": str(path),
                }
            )
        dump = work / "dataset.nq"
        store.engine.dump(str(dump), format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
        manifest = {"picks": picks, "queries": queries, "data": str(dump), "triples": store.count()}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    finally:
        store.close()


def _jena_dataset(query: dict) -> str:
    """Which of QueryBench's datasets a query reads: every graph, scenario + ontology, or the
    scenario alone (a query whose header says ``reads: [scenario]``)."""
    if query["scenario"] == "*":
        return "all"
    return "scenario" if query.get("reads_ontology", True) else "model"


# -- timing children --------------------------------------------------------------


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def timed_runs(
    run: object, warmup: int, runs: int, budget: float, timeout: float | None = None
) -> dict[str, object]:
    """Warm-up, then up to ``runs`` timed runs within ``budget`` seconds; rows of the last run."""
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
    try:
        slowest, rows = 0.0, None
        for _ in range(warmup):
            if slowest > budget / 2:
                break  # a slow query gets one warm-up run only
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            start = time.perf_counter()
            rows = run()  # type: ignore[operator]
            slowest = max(slowest, time.perf_counter() - start)
            signal.setitimer(signal.ITIMER_REAL, 0)
        count = max(1, min(runs, int(budget / slowest))) if slowest > 0 else runs
        times = []
        for _ in range(count):
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            start = time.perf_counter()
            rows = run()  # type: ignore[operator]
            times.append((time.perf_counter() - start) * 1000)
            signal.setitimer(signal.ITIMER_REAL, 0)
        return {"rows": rows, "ms": times}
    except _Timeout:
        return {"error": f"timeout ({timeout:.0f} s)"}
    except Exception as exc:  # a failing query is a result, not a crash
        return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def count_rows(result: object) -> int:
    if isinstance(result, bool):
        return int(result)
    return len(result)  # type: ignore[arg-type]


def child(contender: str, work: Path, store_path: Path, opts: dict[str, float]) -> None:
    """One contender in a fresh process: set up once, then every query; JSON lines on stdout."""
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    warmup, runs, budget = int(opts["warmup"]), int(opts["runs"]), opts["budget"]
    loads = [os.getloadavg()[0]]
    start = time.perf_counter()
    if contender in ("disk", "memory"):
        from bizarch.queries.catalogue import default_catalogue
        from bizarch.repository import Repository
        from bizarch.store.factory import open_store

        catalogue = default_catalogue()
        address = str(store_path) if contender == "disk" else f"serve:{store_path}"
        repo = Repository(open_store(address, create=False))

        def runner(query: dict) -> object:
            name, params, scenario = query["name"], query["params"], query["scenario"]
            return lambda: count_rows(catalogue.run(repo, name, params, scenario=scenario))

        timeout = None
    else:
        import rdflib

        dataset = rdflib.Dataset()
        dataset.parse(manifest["data"], format="nquads")
        default = dataset.default_context
        for graph in (CURRENT, ONTOLOGY):
            named = dataset.get_context(rdflib.URIRef(graph))
            default.addN((s, p, o, default) for s, p, o in named)

        def runner(query: dict) -> object:
            text = Path(query["file"]).read_text(encoding="utf-8")
            union = query["scenario"] == "*"
            # A query whose header says ``reads: [scenario]`` gets the scenario graph alone.
            model_only = not union and not query.get("reads_ontology", True)
            target = dataset.get_context(rdflib.URIRef(CURRENT)) if model_only else dataset

            def run() -> int:
                dataset.default_union = union
                result = target.query(text)
                if result.type == "ASK":
                    return int(bool(result.askAnswer))
                if result.type == "SELECT":
                    rows = 0
                    for row in result:
                        for _ in row:  # touch every value, as the other contenders do
                            pass
                        rows += 1
                    return rows
                return len(result.graph)  # type: ignore[arg-type]

            return run

        timeout = opts["timeout"]
    setup = time.perf_counter() - start
    print(json.dumps({"setup_s": setup}), flush=True)
    skip = set(opts.get("skip", []))
    for query in manifest["queries"]:
        if query["name"] in skip:
            print(json.dumps({"name": query["name"], "error": SKIPPED}), flush=True)
            continue
        outcome = timed_runs(runner(query), warmup, runs, budget, timeout)
        print(json.dumps({"name": query["name"], **outcome}), flush=True)
    loads.append(os.getloadavg()[0])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": peak_mb, "load": loads}), flush=True)


def jena_classpath() -> str:
    tool = ROOT.parent / "shared" / "tools" / "jena-debian.sh"
    if "JENA_CP" in os.environ:
        return os.environ["JENA_CP"]
    if not tool.exists():
        raise SystemExit("Jena: set JENA_CP to a classpath holding Jena ARQ 4.x (jena-arq etc.).")
    return subprocess.run([str(tool)], check=True, capture_output=True, text=True).stdout.strip()


def run_jena(work: Path, opts: dict[str, float]) -> list[dict]:
    """Compile the harness (once) and run it on the same dump and query files."""
    classpath = jena_classpath()
    classes = OUT / "jena"
    source = HERE / "jena" / "QueryBench.java"
    target = classes / "QueryBench.class"
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        classes.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["javac", "-nowarn", "-d", str(classes), "-cp", classpath, str(source)], check=True
        )
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    skip = set(opts.get("skip", []))
    lines = [
        f"{q['name']}\t{_jena_dataset(q)}\t{q['file']}"
        for q in manifest["queries"]
        if q["name"] not in skip
    ]
    (work / "manifest.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [
        "/usr/bin/time",
        "-f",
        "PEAK_KB %M",
        "java",
        "-Xmx8g",
        "-cp",
        f"{classes}:{classpath}",
        "QueryBench",
        manifest["data"],
        str(work / "manifest.tsv"),
        str(int(opts["jena_warmup"])),
        str(int(opts["runs"])),
        str(opts["budget"]),
        str(opts["timeout"]),
        f"{CURRENT},{ONTOLOGY}",
    ]
    before = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"Jena harness failed:\n{done.stderr[-2000:]}")
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    peak = [int(x.split()[1]) for x in done.stderr.splitlines() if x.startswith("PEAK_KB")]
    records += [{"name": name, "error": SKIPPED} for name in sorted(skip)]
    records.append({"peak_mb": peak[0] / 1024 if peak else 0, "load": [before, os.getloadavg()[0]]})
    return records


def run_child(contender: str, work: Path, store_path: Path, opts: dict[str, float]) -> list[dict]:
    if contender == "jena":
        return run_jena(work, opts)
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            contender,
            str(work),
            str(store_path),
            json.dumps(opts),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{contender} child failed:\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


# -- report --------------------------------------------------------------


def summary(record: dict | None) -> dict[str, object]:
    if record is None:
        return {"cell": "-", "median": None, "rows": None}
    if "error" in record:
        return {"cell": record["error"], "median": None, "rows": None}
    times = sorted(record["ms"])
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"cell": f"{fmt_ms(median)} ({fmt_ms(p95)})", "median": median, "rows": record["rows"]}


def fmt_ms(ms: float) -> str:
    if ms >= 10_000:
        return f"{ms / 1000:.1f} s"
    if ms >= 100:
        return f"{ms:.0f}"
    return f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def report(size: int, result: dict, contenders: list[str], args: argparse.Namespace) -> None:
    manifest = result["manifest"]
    per = result["contenders"]
    by_name = {c: {r["name"]: r for r in per[c] if "name" in r} for c in contenders}
    loads = [x for c in contenders for r in per[c] if "load" in r for x in r["load"]]
    print(
        f"\n### {size:,} triples generated ({manifest['triples']:,} in the store with the "
        f"ontology), runs: {args.runs} after {args.warmup} warm-up, load average "
        f"{min(loads):.1f}-{max(loads):.1f}\n"
    )
    print("Parameters: " + "; ".join(f"{k} `{v}`" for k, v in manifest["picks"].items()) + "\n")
    setup = []
    for c in contenders:
        first = next((r for r in per[c] if "setup_s" in r), {})
        last = next((r for r in per[c] if "peak_mb" in r), {})
        setup.append(f"{c} {first.get('setup_s', 0):.1f} s, peak {last.get('peak_mb', 0):.0f} MB")
    print("Set-up (open / copy / parse) and peak memory: " + "; ".join(setup) + "\n")
    head = ["query", "rows", *[f"{c} ms median (p95)" for c in contenders]]
    if "jena" in contenders:
        head += [f"{c} / jena" for c in contenders if c != "jena"]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    for query in manifest["queries"]:
        name = query["name"]
        cells = {c: summary(by_name[c].get(name)) for c in contenders}
        counts = {c: cells[c]["rows"] for c in contenders if cells[c]["rows"] is not None}
        distinct = sorted(set(counts.values()))
        if len(distinct) <= 1:
            rows = f"{distinct[0]:,}" if distinct else "-"
        else:
            rows = "**differ: " + ", ".join(f"{c} {n:,}" for c, n in counts.items()) + "**"
        line = [f"`{name}`", rows, *[str(cells[c]["cell"]) for c in contenders]]
        if "jena" in contenders:
            base = cells["jena"]["median"]
            for c in contenders:
                if c != "jena":
                    mine = cells[c]["median"]
                    line.append(f"{mine / base:.2f}x" if mine and base else "-")
        print("| " + " | ".join(line) + " |")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--queries", nargs="+", help="query names (default: every query)")
    parser.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per query (fewer runs)")
    parser.add_argument("--timeout", type=float, default=30.0, help="rdflib/Jena query time limit")
    parser.add_argument(
        "--limit",
        type=float,
        default=120.0,
        help="bizarch queries (which cannot be interrupted) expected to take longer than this at "
        "the next size, from their median times the growth in size, are skipped there",
    )
    parser.add_argument(
        "--jena-warmup", type=int, default=10, help="warm-up runs for the JVM's JIT compiler"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=4, metavar=("CONTENDER", "WORK", "STORE", "OPTS"))
    args = parser.parse_args()
    if args.child:
        contender, work, store, opts = args.child
        child(contender, Path(work), Path(store), json.loads(opts))
        return

    opts = {"runs": args.runs, "warmup": args.warmup, "budget": args.budget}
    opts["timeout"] = args.timeout
    opts["jena_warmup"] = max(args.warmup, args.jena_warmup)
    box = machine()
    versions = tool_versions(args.contenders)
    print(
        f"Machine: {box['nproc']} cores, {box['cpu']}, {box['memory']} RAM; "
        f"Python {box['python']}; " + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print("Command: python bench/bench_queries.py " + " ".join(sys.argv[1:]))
    results: dict[str, dict] = {}
    too_slow: dict[str, set[str]] = {c: set() for c in args.contenders}
    for size in sorted(args.sizes):
        store_path = store_dir(size, args.seed)
        work = OUT / f"queries-{size}-seed{args.seed}"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--prepare",
                str(store_path),
                str(work),
                *(args.queries or []),
            ],
            check=True,
        )
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        per = {}
        for c in args.contenders:
            per[c] = run_child(c, work, store_path, {**opts, "skip": sorted(too_slow[c])})
            # A query that failed, or would likely pass the time limit at the next size (its
            # median times the growth in size), is not tried again at a larger size.
            growth = min((s for s in args.sizes if s > size), default=size) / size
            limit = args.timeout if c in ("rdflib", "jena") else args.limit
            for record in per[c]:
                if "error" in record or (
                    "ms" in record and statistics.median(record["ms"]) * growth > limit * 1000
                ):
                    too_slow[c].add(record.get("name", ""))
        results[str(size)] = {"manifest": manifest, "contenders": per}
        report(size, results[str(size)], args.contenders, args)
    OUT.mkdir(exist_ok=True)
    (OUT / "queries.json").write_text(
        json.dumps({"machine": box, "versions": versions, "results": results}, indent=1)
    )


def tool_versions(contenders: list[str]) -> dict[str, str]:
    import pyoxigraph
    import rdflib

    found = {"pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__}
    if "jena" in contenders:
        dpkg = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "libapache-jena-java"],
            capture_output=True,
            text=True,
            check=False,
        )
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
        first = (java.stderr.splitlines() or ["java ?"])[0]
        found["Jena"] = (dpkg.stdout.strip() or "?") + f" ({first.strip()})"
    return found


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--prepare":
        prepare(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:] or None)
    else:
        main()
