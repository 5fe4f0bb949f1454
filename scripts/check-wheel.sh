#!/usr/bin/env bash
# Prove that a built wheel works outside the checkout: build it, install it into a fresh virtual
# environment in a temporary folder, build the demo store there and check the rows of a query.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

PY=.venv/bin/python
[ -x "$PY" ] || PY="${PYTHON:-python3}"
"$PY" -m build --wheel --no-isolation --outdir "$work/dist" "$repo" > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
wheel="$(ls "$work"/dist/bizarch-*.whl)"
"${PYTHON:-python3}" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel"

cd "$work"   # nowhere near the checkout: the data must come from the wheel
export BIZARCH_STORE="$work/store"
resources="$("$work/venv/bin/python" -c 'from bizarch import resources; print(resources.root())')"
case "$resources" in
    "$work"/venv/*) ;;
    *) echo "wheel check: data folders resolved outside the wheel: $resources" >&2; exit 1 ;;
esac
if [ -d "$repo/data/demo" ]; then
    "$work/venv/bin/bizarch" demo
    rows="$("$work/venv/bin/bizarch" sparql --format csv \
        'SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ba:Capability }' | tail -n 1 | tr -d '\r')"
    what="capabilities in the demo's current scenario"
else
    "$work/venv/bin/bizarch" init
    rows="$("$work/venv/bin/bizarch" sparql --all --format csv \
        'SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a owl:Class }' | tail -n 1 | tr -d '\r')"
    what="classes in the ontology graph (no demo data yet)"
fi
if [ "${rows:-0}" -gt 0 ] 2>/dev/null; then
    echo "wheel check: OK ($rows $what)"
else
    echo "wheel check: the query found no rows ($what)" >&2
    exit 1
fi
