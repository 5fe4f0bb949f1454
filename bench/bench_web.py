"""Benchmark: page latency of the web UI under 1 and 8 concurrent clients, and the server's memory.

Not a test: prints a Markdown table (and writes ``bench/out/web.json``) for ``docs/benchmarks.md``.
For each size it generates a model (``bizarch generate``), loads it into an on-disk store
(``bizarch init`` + ``bizarch load --keep-graphs``), starts ``bizarch serve`` on a free loopback
port (the default serving mode: disk as record, memory for serving) and requests each page in
bounded loops from 1 and from 8 client threads. The server's resident memory is sampled every
20 ms for the whole run; its peak is reported.

    python bench/bench_web.py                          # 100k and 1M triples
    python bench/bench_web.py --sizes 10000 --requests 20

Every loop is bounded in count (``--requests`` per page and client count) and in time
(``--max-seconds`` per page and client count); only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SAMPLES = {
    "application": "SELECT ?x WHERE { ?x a <https://w3id.org/bizarch/ontology#Application> }",
    "value_stream": "SELECT ?x WHERE { ?x a <https://w3id.org/bizarch/ontology#ValueStream> }",
    "strategy": "SELECT ?x WHERE { GRAPH <urn:bizarch:scenario:current> "
    "{ ?x a <https://w3id.org/bizarch/ontology#Strategy> } }",
}


def bizarch(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "bizarch", *args], check=True, capture_output=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 60.0, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return response.read()


def wait_until_serving(
    base: str, server: subprocess.Popen[bytes], log: Path, limit: float = 600.0
) -> float:
    """Seconds until ``bizarch serve`` answers a query (it copies the store into memory first)."""
    started = time.perf_counter()
    while True:
        try:
            get(base + "/sparql?query=ASK%7B%7D", timeout=30)
            return time.perf_counter() - started
        except OSError:
            if server.poll() is not None or time.perf_counter() - started > limit:
                raise RuntimeError(f"bizarch serve did not start:\n{log.read_text()}") from None
            time.sleep(0.2)


def sample(base: str, key: str, count: int) -> list[str]:
    """IRIs to visit, read through the server's own SPARQL endpoint (spread over the model)."""
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": SAMPLES[key], "format": "json"})
    rows = json.loads(get(url))["results"]["bindings"]
    iris = sorted({r["x"]["value"] for r in rows})
    step = max(1, len(iris) // count)
    return iris[::step][:count]


class MemoryWatch:
    """Samples a process's resident set size until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(
    urls: Callable[[int], str], clients: int, requests: int, max_seconds: float
) -> dict[str, float]:
    """``requests`` GETs spread over ``clients`` threads (bounded by ``max_seconds``)."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker(offset: int) -> None:
        for i in range(offset, requests, clients):
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            get(urls(i))
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)

    wall = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    wall = time.perf_counter() - wall
    latencies.sort()
    return {
        "n": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[max(0, int(0.95 * len(latencies)) - 1)],
        "per_s": len(latencies) / wall,
    }


def run_size(triples: int, args: argparse.Namespace, work: Path) -> dict[str, object]:
    model = work / f"model-{triples}.nq"
    store = work / f"store-{triples}"
    started = time.perf_counter()
    bizarch("generate", "-n", str(triples), "--format", "nquads", "-o", str(model))
    bizarch("--store", str(store), "init")
    bizarch("--store", str(store), "load", str(model), "--keep-graphs")
    prepared = time.perf_counter() - started
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / f"serve-{triples}.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "bizarch", "--store", str(store), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    watch = MemoryWatch(server.pid)
    try:
        startup = wait_until_serving(base, server, work / f"serve-{triples}.log")
        apps = sample(base, "application", 50)
        vs = sample(base, "value_stream", 20)
        strategies = sample(base, "strategy", 10)
        q = urllib.parse.quote
        measures = ("maturity", "cost", "risk")
        pages: dict[str, Callable[[int], str]] = {
            "element (application)": lambda i: f"{base}/element?iri={q(apps[i % len(apps)])}",
            "trace up (application)": lambda i: f"{base}/trace?element={q(apps[i % len(apps)])}",
            "impact (application)": lambda i: f"{base}/impact?element={q(apps[i % len(apps)])}",
            "strategy trace (down)": lambda i: (
                f"{base}/trace?strategy={q(strategies[i % len(strategies)])}"
            ),
            "capability map": lambda i: f"{base}/capabilities?measure={measures[i % 3]}",
            "value-stream view": lambda i: f"{base}/value-streams?vs={q(vs[i % len(vs)])}",
            "dashboard": lambda i: f"{base}/",
            "ontology": lambda i: f"{base}/ontology",
        }
        results: dict[str, dict[str, dict[str, float]]] = {}
        for name, urls in pages.items():
            get(urls(0))  # warm-up
            results[name] = {
                str(clients): measure(
                    urls, clients, args.requests * (1 if clients == 1 else 4), args.max_seconds
                )
                for clients in (1, 8)
            }
            print(f"  {triples:>9,} {name}: {results[name]}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
        peak = watch.stop()
        log.close()
    return {
        "triples": triples,
        "prepare_s": prepared,
        "startup_s": startup,
        "peak_rss_mb": peak / 2**20,
        "pages": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--requests",
        type=int,
        default=40,
        help="requests per page with 1 client (8 clients: 4x as many)",
    )
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bizarch-bench-web-"))
    try:
        runs = [run_size(n, args, work) for n in args.sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    (OUT / "web.json").write_text(json.dumps({"machine": machine, "runs": runs}, indent=2))
    print(f"Machine: {machine}\n")
    print("| triples | page | clients | requests | p50 ms | p95 ms | pages/s |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for run in runs:
        for page, by_clients in run["pages"].items():  # type: ignore[union-attr]
            for clients, r in by_clients.items():
                print(
                    f"| {run['triples']:,} | {page} | {clients} | {r['n']} | "
                    f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['per_s']:.1f} |"
                )
    print("\n| triples | server start s | server peak RSS MB |\n|---:|---:|---:|")
    for run in runs:
        print(f"| {run['triples']:,} | {run['startup_s']:.1f} | {run['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
