"""The compile cache: a second process reuses the analysis, bad files are ignored, changes miss."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import bizarch
from bizarch.validation import compile_cache, dependencies, sparql_exists
from bizarch.validation.dependencies import NotAnalysable, analyse
from bizarch.validation.rules import RuleLibrary
from bizarch.validation.shape_model import ShapesGraph
from bizarch.validation.sparql_engine import SparqlEngine, SparqlValidationEngine

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:sparql [ sh:select \"\"\"
    SELECT $this WHERE {{ FILTER NOT EXISTS {{ $this ex:owner ?o . ?o a ex:{kind} }} }}\"\"\" ] ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder for this test only (and nothing remembered in memory)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(compile_cache.ENV_DIR, str(folder))
    compile_cache.reset()
    analyse.cache_clear()
    yield folder
    compile_cache.reset()
    analyse.cache_clear()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every query handed to rdflib's SPARQL parser by the cached steps."""
    seen: list[str] = []
    for module in (sparql_exists, dependencies):
        real = module.prepareQuery

        def spy(text: str, *args: object, _real=real, **kwargs: object) -> object:
            seen.append(text)
            return _real(text, *args, **kwargs)

        monkeypatch.setattr(module, "prepareQuery", spy)
    return seen


def _compile_library() -> tuple[list[str], list[object]]:
    """Check queries and their dependency analysis for the whole rule library."""
    ruleset = RuleLibrary().select(None)
    engine = SparqlEngine(ShapesGraph(ruleset.shapes, rule_of=ruleset.shape_rule))
    queries, analysed = [], []
    for unit in engine.units:
        for check in unit.checks:
            text = engine.check_query(unit, check)
            queries.append(text)
            try:
                deps = analyse(text)
                analysed.append(
                    [(e.subject, e.predicate, e.object, e.skeleton) for e in deps.edges]
                )
            except NotAnalysable as exc:
                analysed.append(str(exc))
    return queries, analysed


def _new_process() -> None:
    compile_cache.save()
    compile_cache.reset()
    analyse.cache_clear()


def test_second_compile_reads_the_cache_not_the_parser(cache: Path, parses: list[str]) -> None:
    first = _compile_library()
    assert len(parses) > 100  # the library's EXISTS groups and check queries
    _new_process()
    assert compile_cache.cache_file().parent == cache
    stored = json.loads(compile_cache.cache_file().read_text(encoding="utf-8"))
    assert len(stored["analyse"]) == len(set(first[0]))
    assert stored["optimise_exists"]
    parses.clear()
    second = _compile_library()
    assert parses == []
    assert second == first


def test_a_corrupt_cache_file_is_ignored_and_rewritten(cache: Path, parses: list[str]) -> None:
    target = compile_cache.cache_file()
    target.parent.mkdir(parents=True)
    target.write_text('{"analyse": {"x": [1, 2', encoding="utf-8")
    engine = SparqlEngine.from_turtle(SHAPES.format(kind="Person"))
    assert parses  # nothing usable on disk: analysed again
    assert "LATERAL" in engine.units[0].checks[0].sparql.tail
    _new_process()
    assert json.loads(target.read_text(encoding="utf-8"))["optimise_exists"]


def test_an_unreadable_entry_is_analysed_again(cache: Path, parses: list[str]) -> None:
    query = "SELECT ?this WHERE { ?this <http://example.org/p> ?x }"
    compile_cache.store("analyse", compile_cache.text_key(query, "this"), {"edges": [{}]})
    deps = analyse(query)
    assert [str(e.predicate) for e in deps.edges] == ["http://example.org/p"]
    assert len(parses) == 1


def test_changed_shapes_text_misses_the_cache(cache: Path, parses: list[str]) -> None:
    person = SparqlEngine.from_turtle(SHAPES.format(kind="Person"))
    _new_process()
    parses.clear()
    again = SparqlEngine.from_turtle(SHAPES.format(kind="Person"))
    assert parses == []
    assert again.units[0].checks[0].sparql.tail == person.units[0].checks[0].sparql.tail
    team = SparqlEngine.from_turtle(SHAPES.format(kind="Team"))
    assert parses  # a new query text: a new key
    assert "ex:Team" in team.units[0].checks[0].sparql.tail


def test_a_new_version_uses_another_file(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    before = compile_cache.cache_file()
    monkeypatch.setattr(bizarch, "__version__", bizarch.__version__ + ".post1")
    compile_cache.code_key.cache_clear()
    try:
        assert compile_cache.cache_file() != before
    finally:
        monkeypatch.undo()
        compile_cache.code_key.cache_clear()


def test_old_files_of_other_versions_are_pruned_when_writing(cache: Path) -> None:
    cache.mkdir(parents=True)
    stale, recent = cache / "compile-old.json", cache / "compile-other.json"
    for path in (stale, recent):
        path.write_text("{}", encoding="utf-8")
    old = time.time() - (compile_cache.STALE_DAYS + 1) * 86_400
    os.utime(stale, (old, old))
    compile_cache.store("analyse", "k", {"v": 1})
    assert compile_cache.save()
    assert not stale.exists() and recent.exists() and compile_cache.cache_file().exists()


def test_an_unwritable_folder_is_silently_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(compile_cache.ENV_DIR, str(blocker / "cache"))
    compile_cache.reset()
    try:
        engine = SparqlEngine.from_turtle(SHAPES.format(kind="Person"))
        assert "LATERAL" in engine.units[0].checks[0].sparql.tail
        assert compile_cache.save() is False
        assert blocker.read_text(encoding="utf-8") == "not a folder"
    finally:
        compile_cache.reset()


def test_a_selection_is_named_by_its_files_and_rules() -> None:
    library = RuleLibrary()
    value_stream, again, capability = (
        library.select("VS"),
        RuleLibrary().select("value-stream"),
        library.select("CAP"),
    )
    assert value_stream.digest == again.digest != capability.digest
    engines = SparqlValidationEngine()
    assert engines.engine_for(value_stream) is engines.engine_for(again)
    assert engines.engine_for(capability) is not engines.engine_for(value_stream)
    assert {u.rule_id for u in engines.engine_for(capability).units} == set(capability.ids)
