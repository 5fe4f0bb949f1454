"""Benchmark: a full validation asked of a running ``bizarch serve``, one process vs two.

Not a test: prints a Markdown table for ``docs/benchmarks.md``. The web server answers from its
in-memory copy of the store (disk as record, memory for serving) with request threads; since the
fork guard (``ServingStore.writes_paused``), its validations share their checks with a forked
process like the CLI's. This measures what a user of the web UI waits for: for each run a fresh
``bizarch serve`` on the benchmark's on-disk store (``bench/bench_validate.py`` prepares it),
then one ``GET /validation/report`` (the first asks the validation; later ones are cached), timed
at the client, with the validation's own time as the page prints it. Runs alternate between
``BIZARCH_PARALLEL_VALIDATION=0`` (every check in the request's thread, as before the guard) and
the default, so both see the same minutes of this machine.

    python bench/bench_serve_validate.py --sizes 1000000 --runs 3

Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_validate import machine, prepare  # noqa: E402
from bench_web import free_port, get, wait_until_serving  # noqa: E402

MODES = {"one process": {"BIZARCH_PARALLEL_VALIDATION": "0"}, "two processes": {}}
SUMMARY = re.compile(r"rules checked by (\w+) in ([\d.]+) s:")
COUNT = re.compile(r'class="count sev-(\w+)">(\d+)')


def one_run(store: Path, mode: str, log_dir: Path) -> dict[str, object]:
    """Start a server on ``store``, time its first validation report, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "BIZARCH_PARALLEL_VALIDATION"}
    env.update(MODES[mode])
    log_path = log_dir / f"serve-{port}.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "bizarch", "--store", str(store), "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            startup = wait_until_serving(base, server, log_path)
            started = time.perf_counter()
            page = get(
                base + "/validation/report?scenario=current",
                timeout=900,
                headers={"HX-Request": "true"},
            ).decode("utf-8")
            request_seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=60)
    summary = SUMMARY.search(page)
    if summary is None:
        raise RuntimeError(f"no validation summary in the page:\n{page[:2000]}")
    counts = {severity: int(n) for severity, n in COUNT.findall(page)}
    return {
        "mode": mode,
        "startup_s": startup,
        "request_s": request_seconds,
        "validation_s": float(summary.group(2)),
        "engine": summary.group(1),
        "findings": sum(counts.values()),
        "counts": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="Runs per mode (alternating).")
    parser.add_argument("--seed", type=int, default=7, help="Generator seed of the model.")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as work:
        for size in args.sizes:
            store = prepare(size, args.seed)
            runs: dict[str, list[dict[str, object]]] = {mode: [] for mode in MODES}
            for _ in range(args.runs):
                for mode in MODES:
                    result = one_run(store, mode, Path(work))
                    runs[mode].append(result)
                    print(f"  {size:>9,} {mode}: {result}", file=sys.stderr, flush=True)
            findings = {r["findings"] for rs in runs.values() for r in rs}
            if len(findings) != 1:
                raise RuntimeError(f"the modes disagree on the findings: {findings}")
            rows.append((size, runs, findings.pop()))
    m = machine()
    print(f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB; Python {m['python']}")
    print(
        f"Command: python bench/bench_serve_validate.py --sizes {' '.join(map(str, args.sizes))}"
        f" --runs {args.runs}\n"
    )
    print("| triples (scenario) | mode | validation (page) | request | server start | findings |")
    print("|---|---|---|---|---|---|")
    for size, runs, findings in rows:
        for mode, results in runs.items():
            cells = [
                statistics.median(float(r[key]) for r in results)  # type: ignore[arg-type]
                for key in ("validation_s", "request_s", "startup_s")
            ]
            spread = ", ".join(f"{float(r['validation_s']):.1f}" for r in results)  # type: ignore[arg-type]
            print(
                f"| {size:,} | {mode} | {cells[0]:.2f} s ({spread}) | {cells[1]:.2f} s | "
                f"{cells[2]:.1f} s | {findings:,} |"
            )


if __name__ == "__main__":
    main()
