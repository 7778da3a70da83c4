from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import ORG, RDF, RDFS, SDO, XSD

from kg.errors import GraphNotFoundError, KgError
from kg.store import load_graph

KGR = Namespace("https://w3id.org/kg-ukcs/id/")


def small_graph() -> Graph:
    graph = Graph()
    membership = KGR["membership/adam-lent-nlgn"]
    graph.add((membership, RDF.type, ORG.Membership))
    graph.add((membership, ORG.member, KGR["person/adam-lent"]))
    graph.add((membership, ORG.organization, KGR["org/nlgn"]))
    graph.add((KGR["person/adam-lent"], SDO.name, Literal("Adam Lent")))
    graph.add((KGR["org/nlgn"], RDFS.label, Literal("New Local Government Network", lang="en")))
    graph.add((KGR["org/nlgn"], SDO.numberOfEmployees, Literal(12)))
    return graph


def assert_same_graph(actual: Graph, expected: Graph) -> None:
    if not isomorphic(actual, expected):
        _both, only_actual, only_expected = graph_diff(actual, expected)
        pytest.fail(
            f"graphs differ\nonly loaded:\n{only_actual.serialize(format='nt')}"
            f"\nonly expected:\n{only_expected.serialize(format='nt')}"
        )


def test_missing_file_says_to_build_first(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    with pytest.raises(GraphNotFoundError) as raised:
        load_graph(path)
    assert str(raised.value) == f"{path}: no such graph file; run `kg build` first"
    assert isinstance(raised.value, KgError)


def test_a_directory_is_not_a_graph_file(tmp_path: Path) -> None:
    with pytest.raises(GraphNotFoundError, match="no such graph file"):
        load_graph(tmp_path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("graph.ttl", "this is not turtle at all\n"),
        ("graph.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ex:d .\n"),
        ("graph.nt", "<http://example.org/a> <http://example.org/b> .\n"),
        ("graph.jsonld", '{"@id": '),
    ],
)
def test_garbage_is_reported_on_one_line(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphNotFoundError) as raised:
        load_graph(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: not a readable RDF graph (")
    assert message.endswith(")")
    assert "\n" not in message


def test_turtle_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ex:d .\n")
    with pytest.raises(GraphNotFoundError, match=r"bad syntax at line 2: expected '\.'"):
        load_graph(path)


@pytest.mark.parametrize(
    ("suffix", "fmt"), [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")]
)
def test_round_trip_by_suffix(tmp_path: Path, suffix: str, fmt: str) -> None:
    path = tmp_path / f"graph{suffix}"
    small_graph().serialize(path, format=fmt, encoding="utf-8")
    assert_same_graph(load_graph(path), small_graph())


UNROUTABLE_CONTEXT = "http://10.255.255.1/ctx.jsonld"


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every address a test tries to connect to; a connection attempt fails at once."""
    attempts: list[object] = []

    def refuse(_socket: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("the test allows no network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize(
    "document",
    [
        {"@context": UNROUTABLE_CONTEXT, "@id": "http://example.org/a", "name": "A"},
        {"@context": [{"name": "https://schema.org/name"}, UNROUTABLE_CONTEXT], "name": "A"},
        {"@context": {"@import": UNROUTABLE_CONTEXT}, "@id": "http://example.org/a"},
        # A context scoped to a term, deep in the document.
        {
            "@context": {
                "knows": {"@id": "https://schema.org/knows", "@context": UNROUTABLE_CONTEXT}
            },
            "@graph": [{"@id": "http://example.org/a", "knows": {"@id": "http://example.org/b"}}],
        },
    ],
    ids=["top", "list", "import", "scoped"],
)
def test_a_json_ld_context_on_the_network_is_refused_not_fetched(
    tmp_path: Path, document: dict[str, object], network_attempts: list[object]
) -> None:
    path = tmp_path / "graph.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(GraphNotFoundError) as raised:
        load_graph(path)
    assert time.monotonic() - started < 2
    assert network_attempts == []
    assert str(raised.value) == (
        f"{path}: not a readable RDF graph (its JSON-LD context is fetched from "
        f"{UNROUTABLE_CONTEXT}; kg fetches nothing, so write the context into the file)"
    )


def test_a_json_ld_context_written_in_the_file_is_read(
    tmp_path: Path, network_attempts: list[object]
) -> None:
    path = tmp_path / "graph.jsonld"
    document = {
        "@context": {"name": "https://schema.org/name", "@base": "https://w3id.org/kg-ukcs/id/"},
        "@id": "person/adam-lent",
        "name": "Adam Lent",
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    graph = load_graph(path)
    assert set(graph) == {(KGR["person/adam-lent"], SDO.name, Literal("Adam Lent"))}
    assert network_attempts == []


def test_unknown_suffix_is_read_as_turtle(tmp_path: Path) -> None:
    path = tmp_path / "graph.out"
    path.write_text(small_graph().serialize(format="turtle"), encoding="utf-8")
    assert_same_graph(load_graph(path), small_graph())


def test_trig_named_graphs_are_flattened(tmp_path: Path) -> None:
    dataset = Dataset()
    named = dataset.graph(URIRef("https://w3id.org/kg-ukcs/id/graph/articles"))
    for triple in small_graph():
        named.add(triple)
    path = tmp_path / "graph.trig"
    dataset.serialize(path, format="trig", encoding="utf-8")
    assert_same_graph(load_graph(path), small_graph())


def test_the_build_leaves_a_store_that_answers_as_the_turtle_does(tmp_path: Path) -> None:
    import os

    import pyoxigraph

    from kg.build import build
    from kg.corpus import bundled_samples
    from kg.errors import QueryError
    from kg.query import run_query
    from kg.store import open_graph, store_path

    out = tmp_path / "out"
    build([bundled_samples()], out, workers=1, html=False)
    build([bundled_samples()], out, workers=1, html=False)  # replaced, not added to
    assert sorted(path.name for path in out.iterdir()) == [
        ".kg-build",
        ".kg-cache",
        "graph.oxigraph",
        "graph.ttl",
    ]
    graph_file = out / "graph.ttl"
    store = open_graph(graph_file)
    assert isinstance(store, pyoxigraph.Store)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    from_store = run_query(store, count).rows[0][0]
    from_turtle = run_query(load_graph(graph_file), count).rows[0][0]
    assert int(from_store) == int(from_turtle) == len(load_graph(graph_file))
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    # A store older than the Turtle (the file replaced by hand) is not trusted.
    stale = store_path(graph_file).stat().st_mtime - 60
    os.utime(store_path(graph_file), (stale, stale))
    assert not isinstance(open_graph(graph_file), pyoxigraph.Store)


def test_a_store_read_as_an_rdflib_graph_answers_its_default_graph(tmp_path: Path) -> None:
    import pyoxigraph

    from kg.rdf import oxigraph_triples
    from kg.store import as_rdflib_graph

    expected = small_graph()
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(*triple) for triple in oxigraph_triples(expected))
    wrapped = as_rdflib_graph(store)
    nlgn = KGR["org/nlgn"]
    assert wrapped.value(nlgn, RDFS.label) == Literal("New Local Government Network", lang="en")
    assert set(wrapped.subjects(ORG.organization, nlgn)) == {KGR["membership/adam-lent-nlgn"]}
    # Oxigraph gives a plain literal back as xsd:string, which rdflib tells apart: the same
    # RDF, so compare lexical forms.
    assert wrapped.value(KGR["person/adam-lent"], SDO.name) == Literal(
        "Adam Lent", datatype=XSD.string
    )
    lexical = {(s, p, str(o)) for s, p, o in wrapped.triples((None, None, None))}
    assert lexical == {(s, p, str(o)) for s, p, o in expected}
    assert as_rdflib_graph(expected) is expected


def _wrapped(graph: Graph) -> Graph:
    import pyoxigraph

    from kg.rdf import oxigraph_triples
    from kg.store import as_rdflib_graph

    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(*triple) for triple in oxigraph_triples(graph))
    return as_rdflib_graph(store)


def _lexical(triples: object) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in triples}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "pattern",
    [
        (KGR["membership/adam-lent-nlgn"], None, None),
        (KGR["membership/adam-lent-nlgn"], ORG.member, None),
        (KGR["membership/adam-lent-nlgn"], RDFS.label, None),
        (None, ORG.organization, None),
        (None, None, KGR["org/nlgn"]),
        (KGR["org/nlgn"], SDO.numberOfEmployees, Literal(12)),
        (None, RDF.type, ORG.Membership),
        (KGR["nobody"], None, None),
        (Literal("Adam Lent"), None, None),
        (None, Literal("a name"), None),
    ],
)
def test_a_wrapped_store_matches_each_pattern_as_rdflib_does(pattern: tuple) -> None:
    expected = small_graph()
    wrapped = _wrapped(expected)
    # Twice: the second answer for a subject comes from what the first read of it kept.
    assert _lexical(wrapped.triples(pattern)) == _lexical(expected.triples(pattern))
    assert _lexical(wrapped.triples(pattern)) == _lexical(expected.triples(pattern))


def test_a_wrapped_store_follows_property_paths_and_sees_what_is_added() -> None:
    wrapped = _wrapped(small_graph())
    membership, nlgn = KGR["membership/adam-lent-nlgn"], KGR["org/nlgn"]
    assert list(wrapped.objects(membership, ORG.organization / RDFS.label)) == [
        Literal("New Local Government Network", lang="en")
    ]
    assert set(wrapped.objects(membership, ORG.role)) == set()
    wrapped.add((membership, ORG.role, KGR["role/director"]))
    assert set(wrapped.objects(membership, ORG.role)) == {KGR["role/director"]}
    wrapped.remove((membership, ORG.organization, nlgn))
    assert set(wrapped.objects(membership, ORG.organization)) == set()
    wrapped.update(f"INSERT DATA {{ <{membership}> <{ORG.role}> <{KGR['role/chair']}> }}")
    assert set(wrapped.objects(membership, ORG.role)) == {
        KGR["role/director"],
        KGR["role/chair"],
    }
    # Typed literals keep their value: the view reads numbers and dates as such.
    assert wrapped.value(nlgn, SDO.numberOfEmployees).toPython() == 12
