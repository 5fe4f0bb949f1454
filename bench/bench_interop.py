"""Benchmark: ArchiMate, Archi CSV and spreadsheet export/import of generated models.

    .venv/bin/python bench/bench_interop.py --sizes 10000 100000 1000000 --repeat 3

For each size: a model from ``bizarch generate`` (both scenarios; the current one is exported),
loaded into an in-memory store. Measured (medians of --repeat runs): export of the current scenario
as an exchange file, import of that file into an empty store, the same for Archi CSV, the
spreadsheet export, and as the baseline the store's own N-Triples load of the scenario's triples.
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import time
from collections.abc import Callable

import pyoxigraph as ox

from bizarch.generator import generate_quads
from bizarch.interop import service
from bizarch.interop.spreadsheet import service as sheets
from bizarch.store import OxigraphStore, RdfFormat, RdfSource

CURRENT = "urn:bizarch:scenario:current"


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(size: int, repeat: int) -> list[str]:
    store = OxigraphStore()
    store.add_quads(generate_quads(size, seed=7))
    triples = store.count(CURRENT)
    buffer = io.BytesIO()
    store.export(buffer, RdfFormat.NTRIPLES, CURRENT)
    nt = buffer.getvalue()

    def load_nt() -> int:
        return OxigraphStore().load([RdfSource("x.nt", nt, RdfFormat.NTRIPLES)], CURRENT)

    baseline, _ = timed(load_nt, repeat)
    export_xml, exported = timed(lambda: service.export_archimate(store), repeat)
    xml = exported.files["model.xml"]  # type: ignore[union-attr]
    import_xml, report = timed(
        lambda: service.import_archimate(OxigraphStore(), xml, limit=1 << 31), repeat
    )
    export_csv, csv_export = timed(lambda: service.export_archi_csv(store), repeat)
    files = {k.removesuffix(".csv"): v for k, v in csv_export.files.items()}  # type: ignore[union-attr]
    import_csv, _ = timed(
        lambda: service.import_archi_csv(OxigraphStore(), files, limit=1 << 31), repeat
    )
    export_xlsx, _ = timed(lambda: sheets.export_workbook(store), repeat)
    elements = report.elements  # type: ignore[union-attr]
    rows = [
        ("load N-Triples (baseline)", baseline),
        ("export ArchiMate XML", export_xml),
        ("import ArchiMate XML", import_xml),
        ("export Archi CSV", export_csv),
        ("import Archi CSV", import_csv),
        ("export xlsx", export_xlsx),
    ]
    lines = [
        f"\n{size:,} generated ({triples:,} in current; {elements:,} elements, "
        f"{report.relationships:,} relationships, XML {len(xml) / 1e6:.1f} MB)\n",  # type: ignore[union-attr]
        "| step | median s | x baseline |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {t:.3f} | {t / baseline:.1f} |" for name, t in rows]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    machine = platform.processor() or platform.machine()
    print(f"Machine: {machine}, Python {platform.python_version()}, pyoxigraph {ox.__version__}")
    for size in args.sizes:
        print("\n".join(run(size, args.repeat if size < 1_000_000 else 1)), flush=True)


if __name__ == "__main__":
    main()
