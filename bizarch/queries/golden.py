"""Golden results of every named query on the demo enterprise (Meridian Mutual).

``python -m bizarch.queries.golden --update`` rewrites ``tests/queries/golden/<name>.tsv``; run it
only on purpose and review the diff. The tests compare each query's current result with its file.
Each query runs with the typical demo parameters in :data:`DEMO_PARAMS`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bizarch.queries.catalogue import Catalogue, default_catalogue
from bizarch.store.base import GraphStore, SelectResult

DEMO_PARAMS: dict[str, dict[str, str]] = {
    "impact/application": {"application": "mm:app-claimsone"},
    "impact/capability": {"capability": "mm:cap-claim-triage"},
    "impact/element": {"element": "mm:app-claimsone"},
    "lookup/by-label": {"label": "Claim Triage"},
    "lookup/element": {"element": "mm:cap-claim-triage"},
    "lookup/elements": {"class": "ba:Strategy"},
    "lookup/search": {"text": "claim"},
    "trace/down": {"strategy": "mm:strat-digital-claims"},
    "trace/up": {"element": "mm:app-claimsone"},
    "metrics/activity-facts": {"valueStream": "mm:vs-renew-policy"},
    "metrics/kpi-facts": {"kpi": "mm:kpi-claim-lead-time"},
    "metrics/lookup-element": {"class": "ba:KPI", "element": "mm:kpi-claim-lead-time"},
    "metrics/measurements": {"kpi": "mm:kpi-claim-lead-time"},
    "metrics/stage-facts": {"valueStream": "mm:vs-renew-policy"},
    "metrics/stage-processes": {"valueStream": "mm:vs-renew-policy"},
    "metrics/value-stream-facts": {"valueStream": "mm:vs-renew-policy"},
    "scenarios/elements": {"graph": "urn:bizarch:scenario:target", "class": "ba:Application"},
    "scenarios/measurements-in": {"graph": "urn:bizarch:scenario:target"},
    "scenarios/triples-only-in": {
        "inGraph": "urn:bizarch:scenario:current",
        "notInGraph": "urn:bizarch:scenario:target",
        "subject": "mm:stage-settle-claim-assess",
    },
    "store/unit-statements": {
        "graph": "urn:bizarch:scenario:current",
        "predicate": "ba:triggeringStakeholder",
    },
    "validation/subclasses": {"of": "ba:ArchitectureElement"},
    "web/element-description": {"element": "mm:cap-claim-triage"},
    "web/element-incoming": {"element": "mm:cap-claim-triage"},
    "web/element-outgoing": {"element": "mm:cap-claim-triage"},
    "web/value-stream-stages": {"valueStream": "mm:vs-settle-claim"},
}


def golden_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "tests" / "queries" / "golden"


def as_tsv(result: object) -> str:
    """A stable text form: SELECT as a header of variables and sorted rows in N-Triples form;
    CONSTRUCT/DESCRIBE as sorted N-Triples lines; ASK as ``true``/``false``."""
    if isinstance(result, bool):
        return f"{str(result).lower()}\n"
    if isinstance(result, list):
        return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in result))
    assert isinstance(result, SelectResult)
    lines = sorted("\t".join("" if t is None else str(t) for t in row) for row in result.rows)
    return "\n".join(["\t".join(f"?{v}" for v in result.variables), *lines]) + "\n"


def results(store: GraphStore, catalogue: Catalogue | None = None) -> dict[str, str]:
    catalogue = catalogue or default_catalogue()
    return {n: as_tsv(catalogue.run(store, n, DEMO_PARAMS.get(n, {}))) for n in catalogue.names()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="Rewrite the golden files.")
    args = parser.parse_args()
    from bizarch.demo import load_demo
    from bizarch.store.oxigraph_store import OxigraphStore

    store = OxigraphStore(None)
    load_demo(store)
    changed = 0
    for name, text in results(store).items():
        path = golden_dir() / f"{name}.tsv"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed += 1
            print(f"{'updated' if args.update else 'differs'}: {path.name} ({name})")
            if args.update:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    print(f"{changed} golden file(s) {'updated' if args.update else 'differ'}.")


if __name__ == "__main__":
    main()
