"""Benchmark: full validation with the whole rule library, and incremental validation of one edit.

Not a test: it prints Markdown tables (and writes ``bench/out/validate-results.json``) for
``docs/benchmarks.md``. Every measurement runs in a fresh child process so that peak memory
(``ru_maxrss``) belongs to that measurement alone.

    python bench/bench_validate.py                              # 10k, 100k, 1M; 3 runs
    python bench/bench_validate.py --sizes 10000 --runs 1
    python bench/bench_validate.py --exclude CAP-005            # the library without a rule

Data: the ``current`` scenario of the project's generator (``bizarch generate --triples 2N
--seed S``; the generator writes current and target, N triples each), loaded into an on-disk
store beside the ontology and the reference data. Contenders, on the same data and shapes:

* ``sparql, disk``: ``run_validation(engine="sparql")`` on the on-disk store, end to end (open
  the store, read the rules, compile (from the compile cache once warm), copy the graphs validated
  into memory, query, label, close);
* ``sparql, memory``: the same on the in-memory copy a server uses (the copy is timed apart);
* ``pyshacl``: ``run_validation(engine="pyshacl")``, end to end from the disk store (the export
  into rdflib included);
* ``jena``: ``java -cp $(../shared/tools/jena-debian.sh) shacl.shacl validate --shapes S --data D``
  on a file holding the same triples (Jena 4.5 from Debian; JVM start included);
* ``incremental``: the in-memory store, ``IncrementalValidator.full()`` once, then single-element
  edits (a literal changed, a link deleted, a link added, an element retyped), each timed.

Findings are compared: SPARQL engine vs pySHACL by finding key (rule, focus, path, value), and
vs Jena by (focus, path, value), since Jena names blank-node shapes its own way.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
CURRENT = "urn:bizarch:scenario:current"
JENA_SCRIPT = ROOT.parent / "shared" / "tools" / "jena-debian.sh"
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))


# -- child process ------------------------------------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(mode: str, size: int, seed: int, exclude: list[str]) -> dict[str, object]:
    """One measurement, in a fresh process (imports happen before the clock starts)."""
    from bizarch.store.oxigraph_store import OxigraphStore
    from bizarch.store.serving import ServingStore
    from bizarch.validation.rules import RuleLibrary
    from bizarch.validation.service import run_validation
    from bizarch.validation.sparql_engine import ENGINE  # noqa: F401 - imported before the clock

    library = RuleLibrary()
    rules = [r for r in library.rules if r not in exclude]
    store_dir = OUT / f"validate-store-{size}-seed{seed}"
    extra: dict[str, object] = {}
    started, cpu_started = time.perf_counter(), _cpu()
    if mode in ("sparql-disk", "pyshacl"):
        store = OxigraphStore(store_dir)
        run = run_validation(store, "current", rules, mode.split("-")[0])
        store.close()
        extra["findings"] = len(run.report.findings)
        _save_keys(mode, size, run.report.findings)
    elif mode == "sparql-memory":
        serving = ServingStore(store_dir)
        extra["copy_seconds"] = time.perf_counter() - started
        run_validation(serving.memory, "current", rules, "sparql")  # compile once, as a server does
        started, cpu_started = time.perf_counter(), _cpu()
        run = run_validation(serving.memory, "current", rules, "sparql")
        extra["findings"] = len(run.report.findings)
        serving.close()
    elif mode == "jena":
        extra.update(_jena(size, seed, exclude))
    elif mode == "incremental":
        extra.update(_incremental(store_dir, library.select(rules)))
    seconds, cpu_seconds = time.perf_counter() - started, _cpu() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if mode == "jena":
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        cpu_seconds = sum(
            getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f)
            for f in ("ru_utime", "ru_stime")
        )
    return {
        "seconds": seconds,
        "cpu": cpu_seconds,
        "peak_mb": peak_mb,
        "load": os.getloadavg()[0],
        **extra,
    }


def _save_keys(mode: str, size: int, findings: list) -> None:
    path = OUT / f"validate-keys-{mode}-{size}.json"
    path.write_text(json.dumps(sorted([list(f.key()) for f in findings])), encoding="utf-8")


def _jena(size: int, seed: int, exclude: list[str]) -> dict[str, object]:
    import rdflib

    classpath = subprocess.run(
        ["bash", str(JENA_SCRIPT)], capture_output=True, text=True, check=True
    ).stdout.strip()
    shapes, data = _jena_files(size, seed, exclude)
    report = OUT / f"validate-jena-report-{size}.ttl"
    with report.open("wb") as out:
        subprocess.run(
            [
                "java",
                "-cp",
                classpath,
                "shacl.shacl",
                "validate",
                "--shapes",
                str(shapes),
                "--data",
                str(data),
            ],
            stdout=out,
            check=True,
        )
    graph = rdflib.Graph().parse(report, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    keys = set()
    from bizarch.validation.terms import term_key

    for result in graph.objects(None, sh.result):
        path = graph.value(result, sh.resultPath)
        keys.add(
            (
                term_key(graph.value(result, sh.focusNode)),
                str(path)
                if isinstance(path, rdflib.URIRef)
                else (None if path is None else "complex"),
                term_key(graph.value(result, sh.value)),
            )
        )
    (OUT / f"validate-keys-jena-{size}.json").write_text(json.dumps(sorted(map(list, keys))))
    return {"findings": len(keys)}


def _incremental(store_dir: Path, ruleset: object) -> dict[str, object]:
    from bizarch.store.serving import ServingStore
    from bizarch.validation.incremental import IncrementalValidator

    serving = ServingStore(store_dir)
    store = serving.memory
    validator = IncrementalValidator(store, CURRENT, ruleset)  # type: ignore[arg-type]
    started = time.perf_counter()
    validator.full()
    full = time.perf_counter() - started
    edits = _edits(store)
    started = time.perf_counter()
    validator.apply(*edits[0])  # first change: the change analysis of every shape is prepared
    first = time.perf_counter() - started
    times: dict[str, list[float]] = {}
    rechecked: dict[str, int] = {}
    for name, (added, removed) in zip(("literal", "delete", "link", "retype"), edits, strict=True):
        for forward in (True, False):  # apply, then undo: the model is unchanged afterwards
            change = (added, removed) if forward else (removed, added)
            started = time.perf_counter()
            validator.apply(*change)
            times.setdefault(name, []).append(time.perf_counter() - started)
            rechecked[name] = validator.last.focus_nodes
    serving.close()
    return {
        "full_seconds": full,
        "first_change_seconds": first,
        "edit_seconds": {k: statistics.median(v) for k, v in times.items()},
        "edit_max": max(max(v) for v in times.values()),
        "rechecked_nodes": rechecked,
    }


def _edits(store: object) -> list[tuple[list, list]]:
    """Four single-element edits on elements of the generated model (deterministic picks)."""
    import pyoxigraph as ox

    engine = store.engine  # type: ignore[attr-defined]
    graph = ox.NamedNode(CURRENT)
    ba = "https://w3id.org/bizarch/ontology#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def first(pattern: tuple) -> ox.Quad:
        return sorted(engine.quads_for_pattern(*pattern, graph), key=str)[0]

    maturity = first((None, ox.NamedNode(ba + "currentMaturity"), None))
    literal = (
        [
            ox.Quad(
                maturity.subject,
                maturity.predicate,
                ox.Literal("9", datatype=maturity.object.datatype),
                graph,
            )
        ],
        [maturity],
    )
    owner = first((None, ox.NamedNode(ba + "ownedBy"), None))
    stage = first((None, rdf_type, ox.NamedNode(ba + "ValueStreamStage"))).subject
    app = first((None, rdf_type, ox.NamedNode(ba + "Application"))).subject
    link = ([ox.Quad(stage, ox.NamedNode(ba + "enabledBy"), app, graph)], [])
    retype = (
        [ox.Quad(app, rdf_type, ox.NamedNode(ba + "Capability"), graph)],
        [ox.Quad(app, rdf_type, ox.NamedNode(ba + "Application"), graph)],
    )
    return [literal, ([], [owner]), link, retype]


# -- data ---------------------------------------------------------------------------------------


def prepare(size: int, seed: int) -> Path:
    """The on-disk store with the current scenario, ontology and reference data (built once)."""
    from bizarch.repository import Repository
    from bizarch.store.oxigraph_store import OxigraphStore
    from bizarch.validation.reference_graphs import ensure_reference_graphs
    from bizarch.validation.rules import RuleLibrary

    OUT.mkdir(parents=True, exist_ok=True)
    store_dir = OUT / f"validate-store-{size}-seed{seed}"
    if store_dir.exists():
        return store_dir
    store = OxigraphStore(store_dir)
    store.add_quads(_scenario_quads(size, seed))
    Repository(store).ensure_ontology()
    required = {r for rule in RuleLibrary().rules.values() for r in rule.requires}
    ensure_reference_graphs(store, required)
    store.optimize()
    store.close()
    return store_dir


def _scenario_quads(size: int, seed: int) -> list:
    """The current scenario of a generated model whose scenarios hold ``size`` triples each."""
    from bizarch.generator import generate_quads

    quads = generate_quads(2 * size, seed)
    return list(itertools.takewhile(lambda q: q.graph_name.value == CURRENT, quads))


def _jena_files(size: int, seed: int, exclude: list[str]) -> tuple[Path, Path]:
    """The shapes of the library and the data graph as files, for Jena (built once)."""
    from bizarch.store.base import RdfFormat
    from bizarch.store.oxigraph_store import OxigraphStore
    from bizarch.validation.rules import RuleLibrary

    library = RuleLibrary()
    ruleset = library.select([r for r in library.rules if r not in exclude])
    suffix = "-without-" + "-".join(exclude) if exclude else ""
    shapes = OUT / f"validate-shapes{suffix}.ttl"
    ruleset.shapes.serialize(shapes, format="turtle")
    data = OUT / f"validate-data-{size}-seed{seed}.nt"
    if not data.exists():
        store = OxigraphStore(OUT / f"validate-store-{size}-seed{seed}", read_only=True)
        with data.open("wb") as out:
            for graph in (CURRENT, "https://w3id.org/bizarch/ontology"):
                store.export(out, RdfFormat.NTRIPLES, graph)
            out.write(ruleset.reference.serialize(format="nt", encoding="utf-8"))
        store.close()
    return shapes, data


# -- parent -------------------------------------------------------------------------------------


def measure(mode: str, size: int, seed: int, exclude: list[str], timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", mode, str(size), str(seed)]
    command += ["--exclude", *exclude] if exclude else []
    # A session of its own, so that a timeout stops the child's own children too (the JVM of
    # the Jena contender kept running, and a core busy, after its Python parent was killed).
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    ) as child:
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            return {"timeout": timeout}
    if child.returncode != 0:
        return {"error": err.strip().splitlines()[-1:]}
    return json.loads(out.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as info:
        memory = next(line.split()[1] for line in info if line.startswith("MemTotal"))
    import pyoxigraph
    import pyshacl
    import rdflib

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory_gib": f"{int(memory) / 1024 / 1024:.0f}",
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "pyshacl": pyshacl.__version__,
        "rdflib": rdflib.__version__,
    }


def _median(runs: list[dict], key: str = "seconds") -> float | None:
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def _cell(runs: list[dict]) -> str:
    if not runs:
        return "not run"
    if any("timeout" in r for r in runs):
        return f"> {runs[0].get('timeout', 0):.0f} s (stopped)"
    if any("error" in r for r in runs):
        return "error: " + " ".join(runs[0].get("error", []))
    seconds, cpu, peak = _median(runs), _median(runs, "cpu"), _median(runs, "peak_mb")
    return f"{seconds:.2f} s ({cpu:.2f}) | {peak:.0f}"


def _same(left: str, right: str, size: int, jena: bool = False) -> str:
    a, b = OUT / f"validate-keys-{left}-{size}.json", OUT / f"validate-keys-{right}-{size}.json"
    if not (a.exists() and b.exists()):
        return "-"
    keys_a = {tuple(k) for k in json.loads(a.read_text())}
    keys_b = {tuple(k) for k in json.loads(b.read_text())}
    if jena:  # Jena: compare (focus, path, value)
        keys_a = {k[1:] for k in keys_a}
    return "same" if keys_a == keys_b else f"differ ({len(keys_a ^ keys_b)} keys)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--exclude", nargs="*", default=[], help="Rule ids left out.")
    parser.add_argument("--pyshacl-runs-at-1m", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600.0, help="Per measurement, seconds.")
    parser.add_argument("--skip", nargs="*", default=[], help="Modes not run.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, size, seed = args.child[0], int(args.child[1]), int(args.child[2])
        print(json.dumps(child(mode, size, seed, args.exclude)))
        return
    results: dict[str, dict[str, list[dict]]] = {}
    for size in args.sizes:
        prepare(size, args.seed)
        results[str(size)] = {}
        for mode in ("sparql-disk", "sparql-memory", "jena", "pyshacl", "incremental"):
            if mode in args.skip:
                continue
            runs = args.runs
            if mode == "pyshacl" and size >= 1_000_000:
                runs = args.pyshacl_runs_at_1m
            if mode == "incremental":
                runs = 1
            results[str(size)][mode] = [
                measure(mode, size, args.seed, args.exclude, args.timeout) for _ in range(runs)
            ]
            print(f"{size} {mode}: {_cell(results[str(size)][mode])}", file=sys.stderr, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    info = {"machine": machine(), "args": vars(args), "results": results}
    (OUT / "validate-results.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    print(report(info))


def report(info: dict) -> str:
    m = info["machine"]
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB; Python {m['python']}, "
        f"pyoxigraph {m['pyoxigraph']}, pySHACL {m['pyshacl']}, rdflib {m['rdflib']}.",
        "",
        "| triples (scenario) | sparql, disk | MB | sparql, memory | MB | Jena SHACL | MB | "
        "pySHACL | MB | sparql = pySHACL | sparql ~ Jena | findings | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, modes in info["results"].items():
        findings = next(
            (r.get("findings") for r in modes.get("sparql-disk", []) if "findings" in r), "-"
        )
        loads = [r["load"] for runs in modes.values() for r in runs if "load" in r]
        lines.append(
            f"| {int(size):,} | {_cell(modes.get('sparql-disk', []))} | "
            f"{_cell(modes.get('sparql-memory', []))} | {_cell(modes.get('jena', []))} | "
            f"{_cell(modes.get('pyshacl', []))} | {_same('sparql-disk', 'pyshacl', int(size))} | "
            f"{_same('sparql-disk', 'jena', int(size), jena=True)} | {findings} | "
            f"{min(loads, default=0):.1f}-{max(loads, default=0):.1f} |"
        )
    lines += ["", "| triples | full run | first change | literal | delete | link | retype | max |"]
    lines.append("|---|---|---|---|---|---|---|---|")
    for size, modes in info["results"].items():
        for run in modes.get("incremental", []):
            if "edit_seconds" not in run:
                continue
            edits = run["edit_seconds"]
            nodes = run["rechecked_nodes"]
            cells = " | ".join(
                f"{edits[k] * 1000:.0f} ms ({nodes[k]} nodes)"
                for k in ("literal", "delete", "link", "retype")
            )
            lines.append(
                f"| {int(size):,} | {run['full_seconds']:.1f} s | "
                f"{run['first_change_seconds']:.1f} s | {cells} | {run['edit_max'] * 1000:.0f} ms |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
