"""Every ``ba:`` term used in the repository's RDF and SPARQL files is declared in the ontology.

This keeps shapes, queries, fixtures and the demo honest: a typo such as ``ba:realisedBy`` or a term
someone meant to add to the ontology but did not fails here, naming the file and the term. A file
that must use undeclared terms on purpose (a negative test fixture) says so on a comment line
containing ``bizarch: allow-undeclared-terms``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef

from bizarch import namespaces, resources

BA = Namespace(namespaces.BA)
REPO_ROOT = Path(__file__).resolve().parents[2]
RDF_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
QUERY_SUFFIXES = {".rq", ".sparql", ".ru"}
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist", ".bizarch"}
OPT_OUT = "bizarch: allow-undeclared-terms"
DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)
FULL_IRI = re.compile(re.escape(namespaces.BA) + r"([A-Za-z_][A-Za-z0-9_\-]*)")
PREFIX_DECL = re.compile(
    r"(?:@prefix|PREFIX)\s+([A-Za-z][\w\-]*)?:\s*<" + re.escape(namespaces.BA) + ">", re.I
)


def repository_files(root: Path) -> list[Path]:
    """RDF and SPARQL files of the repository: tracked and new (not ignored) ones, via git when the
    checkout has it, else by walking the tree."""
    suffixes = set(RDF_FORMATS) | QUERY_SUFFIXES
    if (root / ".git").exists() and shutil.which("git"):
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        paths = [root / p for p in out.split("\0") if p]
    else:
        paths = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
            paths += [Path(dirpath) / f for f in filenames]
    return sorted(p for p in paths if p.suffix.lower() in suffixes and p.is_file())


def prefixed_terms(text: str) -> set[str]:
    """Local names written as CURIEs with any prefix bound to the ba: namespace (and ``ba:`` itself,
    which query headers use without declaring it)."""
    prefixes = {m.group(1) or "" for m in PREFIX_DECL.finditer(text)} | {"ba"}
    without_iris = re.sub(r"<[^<>\s]*>", " ", text)
    names = set()
    for prefix in prefixes:
        pattern = r"(?<![\w:\-])" + re.escape(prefix) + r":([A-Za-z_][A-Za-z0-9_\-]*)"
        names |= set(re.findall(pattern, without_iris))
    return {n.rstrip("-") for n in names}


def used_terms(path: Path) -> set[str]:
    """Local names of the ba: terms a file uses. RDF files are parsed (exact); query files and RDF
    files that do not parse (e.g. deliberately broken fixtures) are scanned as text."""
    text = path.read_text(encoding="utf-8", errors="replace")
    names = set(FULL_IRI.findall(text))
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is not None:
        graph = Graph()
        try:
            graph.parse(data=text, format=fmt)
        except Exception:  # a broken fixture: fall back to the text scan below
            return names | prefixed_terms(text)
        for triple in graph:
            for term in triple:
                if isinstance(term, Literal) and term.datatype is not None:
                    term = term.datatype
                if isinstance(term, URIRef) and str(term).startswith(namespaces.BA):
                    names.add(str(term)[len(namespaces.BA) :])
        return names
    return names | prefixed_terms(text)


def declared_terms(ontology: Graph) -> set[str]:
    names = set()
    for kind in DECLARATIONS:
        for subject in ontology.subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and str(subject).startswith(namespaces.BA):
                names.add(str(subject)[len(namespaces.BA) :])
    return names


def undeclared_uses(paths: list[Path], declared: set[str]) -> list[str]:
    problems = []
    ontology_file = resources.ontology_file().resolve()
    for path in paths:
        if path.resolve() == ontology_file:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if OPT_OUT in text:
            continue
        for name in sorted(used_terms(path) - declared):
            problems.append(f"{path}: ba:{name} is not declared in ontology/bizarch.ttl")
    return problems


def test_every_ba_term_used_in_the_repository_is_declared(ontology_graph: Graph) -> None:
    paths = repository_files(REPO_ROOT)
    assert any(p.parent.name == "shared" and p.suffix == ".ttl" for p in paths), (
        "the demo files were not found: is the file discovery broken?"
    )
    problems = undeclared_uses(paths, declared_terms(ontology_graph))
    assert not problems, "\n".join(problems)


def test_the_scan_reports_undeclared_terms_in_every_kind_of_file(
    tmp_path: Path, ontology_graph: Graph
) -> None:
    """The check above can fail: misspelt terms in Turtle, N-Triples, SPARQL (including a query
    header) and a broken Turtle file are all reported; declared terms and opted-out files are
    not."""
    ns = namespaces.BA
    (tmp_path / "data.ttl").write_text(
        f"@prefix b: <{ns}> .\n<urn:x> a b:Capability ; b:realisedBy <urn:y> .\n", encoding="utf-8"
    )
    (tmp_path / "data.nt").write_text(f"<urn:x> <{ns}tierr> <urn:y> .\n", encoding="utf-8")
    (tmp_path / "query.rq").write_text(
        "#+ params:\n#+   - name: app\n#+     class: ba:Aplication\n"
        f"PREFIX ba: <{ns}>\nSELECT ?x WHERE {{ ?x ba:supportedBy/ba:runsOnn ?t }}\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.ttl").write_text(
        f"@prefix ba: <{ns}> .\n<urn:x> ba:ownedByy <urn:y> ;;; .\n", encoding="utf-8"
    )
    (tmp_path / "negative.ttl").write_text(
        f"# {OPT_OUT}\n@prefix ba: <{ns}> .\n<urn:x> ba:NoSuchTerm <urn:y> .\n", encoding="utf-8"
    )
    found = repository_files(tmp_path)
    assert [p.name for p in found] == [
        "broken.ttl",
        "data.nt",
        "data.ttl",
        "negative.ttl",
        "query.rq",
    ]
    problems = "\n".join(undeclared_uses(found, declared_terms(ontology_graph)))
    for bad in ("realisedBy", "tierr", "Aplication", "runsOnn", "ownedByy"):
        assert f"ba:{bad} " in problems
    for good in ("Capability", "supportedBy", "NoSuchTerm"):
        assert f"ba:{good} " not in problems
