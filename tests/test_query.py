from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, SKOS, XSD

from kg import query as query_module
from kg.errors import QueryError
from kg.query import (
    PREFIXES,
    format_result,
    read_query_text,
    run_query,
    short_term,
    stream_result,
)

KGR = "https://w3id.org/kg-ukcs/id/"
NLGN = URIRef(KGR + "org/nlgn")
IMPOWER = URIRef(KGR + "org/impower")
ADAM_LENT = URIRef(KGR + "person/adam-lent")

# Written without prefixes, so the test does not lean on the ones it checks.
GRAPH_TURTLE = """
<https://w3id.org/kg-ukcs/id/org/nlgn>
    a <http://www.w3.org/ns/org#Organization> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "New Local Government Network"@en ;
    <https://schema.org/numberOfEmployees> 12 .
<https://w3id.org/kg-ukcs/id/org/impower>
    a <http://www.w3.org/ns/org#Organization> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "IMPOWER, \\"consultancy\\"" .
<https://w3id.org/kg-ukcs/id/person/adam-lent> <https://schema.org/name> "Adam Lent" .
<https://w3id.org/kg-ukcs/id/membership/adam-lent-nlgn>
    a <http://www.w3.org/ns/org#Membership> ;
    <http://www.w3.org/ns/org#member> <https://w3id.org/kg-ukcs/id/person/adam-lent> ;
    <http://www.w3.org/ns/org#organization> <https://w3id.org/kg-ukcs/id/org/nlgn> .
"""

ORGANISATIONS = """
SELECT ?org ?name ?staff WHERE {
  ?org a org:Organization ; skos:prefLabel ?name .
  OPTIONAL { ?org schema:numberOfEmployees ?staff }
} ORDER BY ?name
"""


@pytest.fixture
def graph() -> Graph:
    return Graph().parse(data=GRAPH_TURTLE, format="turtle")


def test_select_with_default_prefixes(graph: Graph) -> None:
    query = """SELECT ?person ?name WHERE {
        ?m a org:Membership ; org:member ?person ; org:organization ?org .
        ?org skos:prefLabel "New Local Government Network"@en .
        ?person schema:name ?name }"""
    result = run_query(graph, query)
    assert result.kind == "SELECT"
    assert result.variables == ("person", "name")
    assert result.rows == ((ADAM_LENT, Literal("Adam Lent")),)


def test_unbound_values_are_none(graph: Graph) -> None:
    result = run_query(graph, ORGANISATIONS)
    assert result.rows == (
        (IMPOWER, Literal('IMPOWER, "consultancy"'), None),
        (NLGN, Literal("New Local Government Network", lang="en"), Literal(12)),
    )


def test_a_declared_prefix_overrides_a_default(graph: Graph) -> None:
    query = "PREFIX org: <https://w3id.org/kg-ukcs/id/org/> ASK { org:nlgn ?p ?o }"
    assert run_query(graph, query).boolean is True


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("ASK { ?m a org:Membership }", True),
        ("ASK { ?m a schema:JobPosting }", False),
    ],
)
def test_ask(graph: Graph, query: str, answer: bool) -> None:
    result = run_query(graph, query)
    assert result.kind == "ASK"
    assert result.boolean is answer
    assert result.rows == ()


def test_construct_returns_a_graph(graph: Graph) -> None:
    result = run_query(
        graph, "CONSTRUCT { ?org rdfs:label ?name } WHERE { ?org skos:prefLabel ?name }"
    )
    assert result.kind == "CONSTRUCT"
    expected = Graph()
    expected.add((NLGN, RDFS.label, Literal("New Local Government Network", lang="en")))
    expected.add((IMPOWER, RDFS.label, Literal('IMPOWER, "consultancy"')))
    assert result.graph is not None
    assert isomorphic(result.graph, expected)


def test_describe_returns_the_resource(graph: Graph) -> None:
    result = run_query(graph, f"DESCRIBE <{NLGN}>")
    assert result.kind == "DESCRIBE"
    assert result.graph is not None
    assert set(result.graph.predicate_objects(NLGN)) == set(graph.predicate_objects(NLGN))
    assert (NLGN, SKOS.prefLabel, Literal("New Local Government Network", lang="en")) in (
        result.graph
    )


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("SELEC ?x WHERE { ?x ?p ?o }", "found 'SELEC'"),
        ("SELECT ?x WHERE { ?x foo:bar ?o }", "Unknown namespace prefix : foo"),
        ("SELECT ?x WHERE { ?x ?p ?o ", "Expected"),
    ],
)
def test_malformed_query_is_one_line(graph: Graph, query: str, detail: str) -> None:
    with pytest.raises(QueryError) as raised:
        run_query(graph, query)
    message = str(raised.value)
    assert message.startswith("malformed SPARQL query: ")
    assert detail in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "LOAD <http://example.org/graph.ttl>",
    ],
)
def test_updates_are_refused(graph: Graph, update: str) -> None:
    before = len(graph)
    with pytest.raises(QueryError) as raised:
        run_query(graph, update)
    assert str(raised.value).startswith("read-only: ")
    assert len(graph) == before


# ---- formats --------------------------------------------------------------------------


def test_csv(graph: Graph) -> None:
    text = format_result(run_query(graph, ORGANISATIONS), "csv")
    assert text == (
        "org,name,staff\r\n"
        f'{IMPOWER},"IMPOWER, ""consultancy""",\r\n'
        f"{NLGN},New Local Government Network,12"
    )


def test_tsv(graph: Graph) -> None:
    text = format_result(run_query(graph, ORGANISATIONS), "tsv")
    assert text.split("\n") == [
        "?org\t?name\t?staff",
        f'<{IMPOWER}>\t"IMPOWER, \\"consultancy\\""\t',
        f'<{NLGN}>\t"New Local Government Network"@en\t"12"^^<{XSD.integer}>',
    ]


def test_tsv_escapes_tabs_and_newlines() -> None:
    graph = Graph()
    graph.add((NLGN, RDFS.label, Literal("two\tcolumns\nand lines")))
    text = format_result(run_query(graph, "SELECT ?label { ?s rdfs:label ?label }"), "tsv")
    assert text == '?label\n"two\\tcolumns\\nand lines"'


def test_json(graph: Graph) -> None:
    document = json.loads(format_result(run_query(graph, ORGANISATIONS), "json"))
    assert document == {
        "head": {"vars": ["org", "name", "staff"]},
        "results": {
            "bindings": [
                {
                    "org": {"type": "uri", "value": str(IMPOWER)},
                    "name": {"type": "literal", "value": 'IMPOWER, "consultancy"'},
                },
                {
                    "org": {"type": "uri", "value": str(NLGN)},
                    "name": {
                        "type": "literal",
                        "value": "New Local Government Network",
                        "xml:lang": "en",
                    },
                    "staff": {"type": "literal", "value": "12", "datatype": str(XSD.integer)},
                },
            ]
        },
    }


def test_json_blank_node() -> None:
    graph = Graph().parse(
        data='[] <http://www.w3.org/2000/01/rdf-schema#label> "x" .', format="turtle"
    )
    document = json.loads(format_result(run_query(graph, "SELECT ?s { ?s ?p ?o }"), "json"))
    binding = document["results"]["bindings"][0]["s"]
    assert binding["type"] == "bnode"
    assert binding["value"] and not binding["value"].startswith("_:")


def test_table(graph: Graph) -> None:
    text = format_result(run_query(graph, ORGANISATIONS), "table", width=140)
    lines = text.splitlines()
    assert lines[-1] == "2 rows"
    assert "<https://w3id.org/kg-ukcs/id/org/nlgn>" in text
    assert "<https://w3id.org/kg-ukcs/id/org/impower>" in text
    assert "New Local Government Network" in text
    assert 'IMPOWER, "consultancy"' in text
    assert "kgr:" not in text  # no short form that could not be pasted back into a query
    assert lines[0].split() == ["org", "name", "staff"]


def test_table_counts_one_row_and_shows_markup_literally() -> None:
    graph = Graph()
    graph.add((NLGN, RDFS.label, Literal("[bold]NLGN[/bold]")))
    text = format_result(run_query(graph, "SELECT ?label { ?s rdfs:label ?label }"), "table")
    assert "[bold]NLGN[/bold]" in text
    assert text.splitlines()[-1] == "1 row"


@pytest.mark.parametrize(
    ("fmt", "yes", "no"),
    [("table", "yes", "no"), ("csv", "true", "false"), ("tsv", "true", "false")],
)
def test_ask_formats(graph: Graph, fmt: str, yes: str, no: str) -> None:
    assert format_result(run_query(graph, "ASK { ?s ?p ?o }"), fmt) == yes  # type: ignore[arg-type]
    assert format_result(run_query(graph, "ASK { ?s a owl:Class }"), fmt) == no  # type: ignore[arg-type]


def test_ask_json(graph: Graph) -> None:
    document = json.loads(format_result(run_query(graph, "ASK { ?s a owl:Class }"), "json"))
    assert document == {"head": {}, "boolean": False}


CONSTRUCT_LABELS = "CONSTRUCT { ?org rdfs:label ?name } WHERE { ?org skos:prefLabel ?name }"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv"])
def test_construct_prints_turtle_with_prefixes(graph: Graph, fmt: str) -> None:
    result = run_query(graph, CONSTRUCT_LABELS)
    text = format_result(result, fmt)  # type: ignore[arg-type]
    assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ." in text
    assert result.graph is not None
    assert isomorphic(Graph().parse(data=text, format="turtle"), result.graph)


def test_construct_json_is_json_ld(graph: Graph) -> None:
    result = run_query(graph, CONSTRUCT_LABELS)
    text = format_result(result, "json")
    assert json.loads(text)["@context"]["kgr"] == KGR
    assert result.graph is not None
    assert isomorphic(Graph().parse(data=text, format="json-ld"), result.graph)


@pytest.mark.parametrize(
    ("term", "shown"),
    [
        (URIRef(KGR + "person/adam-lent"), f"<{KGR}person/adam-lent>"),
        (URIRef("https://w3id.org/kg-ukcs/ontology#Review"), "kg:Review"),
        (URIRef("https://schema.org/JobPosting"), "schema:JobPosting"),
        (URIRef("http://example.org/thing"), "<http://example.org/thing>"),
        (Literal("12", datatype=XSD.integer), "12"),
        (Literal("chair", lang="en"), "chair"),
        (None, ""),
    ],
)
def test_short_term(term: URIRef | Literal | None, shown: str) -> None:
    assert short_term(term) == shown


def test_prefixes_cover_the_vocabularies() -> None:
    assert set(PREFIXES) == {
        "rdf",
        "rdfs",
        "xsd",
        "owl",
        "skos",
        "foaf",
        "prov",
        "org",
        "schema",
        "kg",
        "kgr",
    }
    assert PREFIXES["schema"] == "https://schema.org/"
    assert PREFIXES["org"] == "http://www.w3.org/ns/org#"


# ---- reading queries ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["people.rq", "people.sparql", "PEOPLE.RQ"])
def test_read_query_text_reads_a_query_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("SELECT ?name { ?p schema:name ?name }\n", encoding="utf-8")
    assert read_query_text(str(path)) == "SELECT ?name { ?p schema:name ?name }\n"


def test_read_query_text_passes_sparql_through() -> None:
    query = "SELECT * WHERE { ?s ?p ?o } # not a file.rq"
    assert read_query_text(query) == query


def test_read_query_text_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.rq"
    with pytest.raises(QueryError) as raised:
        read_query_text(str(path))
    assert str(raised.value) == f"{path}: no such query file"


def test_read_query_text_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.rq"
    path.write_bytes(b"SELECT * { ?s ?p \xe9 }")
    with pytest.raises(QueryError, match="cannot read query file"):
        read_query_text(str(path))


def test_a_service_clause_is_refused_without_touching_the_network() -> None:
    graph = Graph()
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        run_query(graph, query)


def test_iris_are_shortened_only_where_the_short_form_can_be_pasted_back() -> None:
    from kg.query import short_term

    assert short_term(URIRef("https://w3id.org/kg-ukcs/ontology#recommends")) == "kg:recommends"
    person = "https://w3id.org/kg-ukcs/id/person/adam-lent"
    assert short_term(URIRef(person)) == f"<{person}>"


# ---- large answers ----------------------------------------------------------------------


@pytest.fixture
def numbered_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    predicate = pyoxigraph.NamedNode("https://schema.org/position")
    store.extend(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(f"{KGR}item/{number}"), predicate, pyoxigraph.Literal(number)
        )
        for number in range(2500)
    )
    return store


NUMBERED = "SELECT ?item ?n WHERE { ?item schema:position ?n } ORDER BY ?n"


def test_a_large_answer_prints_as_it_comes(numbered_store: pyoxigraph.Store) -> None:
    pieces = list(stream_result(run_query(numbered_store, NUMBERED), "csv"))
    assert len(pieces) > 1  # written in blocks, not held whole
    lines = "".join(pieces).split("\r\n")
    assert (
        lines[0] == "item,n"
        and lines[1] == f"{KGR}item/0,0"
        and lines[2500] == f"{KGR}item/2499,2499"
    )
    tsv = "".join(stream_result(run_query(numbered_store, NUMBERED), "tsv")).splitlines()
    assert len(tsv) == 2501 and tsv[-1].startswith(f"<{KGR}item/2499>\t")
    document = json.loads("".join(stream_result(run_query(numbered_store, NUMBERED), "json")))
    assert len(document["results"]["bindings"]) == 2500
    assert document["results"]["bindings"][1]["n"]["value"] == "1"


def test_a_table_too_long_to_read_says_how_to_get_every_row(
    numbered_store: pyoxigraph.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_module, "TABLE_MAX_ROWS", 3)
    table = format_result(run_query(numbered_store, NUMBERED), "table", width=100)
    assert table.count(f"<{KGR}item/") == 3
    assert table.endswith("3 of 2,500 rows shown; --format csv, tsv or json prints them all")
