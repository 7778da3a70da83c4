"""`kg serve` answers SPARQL 1.1 Protocol clients over a build of the bundled samples."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
import uvicorn
from click.testing import CliRunner
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.build import build
from kg.cli import main
from kg.corpus import bundled_samples
from kg.query import run_query
from kg.questions import question_named
from kg.serve import (
    MAX_REQUEST_BYTES,
    QueryWorkerPool,
    create_app,
    find_store,
    is_loopback,
    negotiate,
    server_config,
)
from kg.store import open_graph

QUERY_TIMEOUT = 1.0
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ORGANISATIONS = (
    "SELECT ?org ?label WHERE { ?org a org:Organization ; rdfs:label ?label } ORDER BY ?org ?label"
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@dataclass(frozen=True)
class Endpoint:
    out: Path
    base: str

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"


@dataclass
class Reply:
    status: int
    media_type: str
    body: str


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    out = tmp_path_factory.mktemp("out")
    build([bundled_samples()], out, workers=1, html=True)
    pool = QueryWorkerPool(find_store(out), workers=2, timeout=QUERY_TIMEOUT)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(out, pool)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield Endpoint(out, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(10)
        pool.close()
        listening.close()


def fetch(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(
                response.status, response.headers.get_content_type(), response.read().decode()
            )
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers.get_content_type(), error.read().decode())


def get(endpoint: Endpoint, query: str, accept: str | None = None) -> Reply:
    url = endpoint.sparql + "?" + urllib.parse.urlencode({"query": query})
    return fetch(url, headers={"Accept": accept} if accept else None)


def count_in_process(endpoint: Endpoint, query: str) -> int:
    result = run_query(open_graph(endpoint.out / "graph.ttl"), query)
    return int(result.rows[0][0])


def json_count(reply: Reply) -> int:
    assert reply.status == 200, reply.body
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def test_get_answers_json_by_default_with_the_count_kg_query_gives(endpoint: Endpoint) -> None:
    reply = get(endpoint, COUNT_TRIPLES)
    assert reply.media_type == "application/sparql-results+json"
    expected = count_in_process(endpoint, COUNT_TRIPLES)
    assert expected > 1000
    assert json_count(reply) == expected


def test_post_form_encoded_and_sparql_query_bodies_answer_alike(endpoint: Endpoint) -> None:
    form = fetch(
        endpoint.sparql,
        urllib.parse.urlencode({"query": COUNT_TRIPLES}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    direct = fetch(
        endpoint.sparql,
        COUNT_TRIPLES.encode(),
        {"Content-Type": "application/sparql-query; charset=utf-8"},
    )
    expected = count_in_process(endpoint, COUNT_TRIPLES)
    assert json_count(form) == json_count(direct) == expected


def test_the_kg_prefixes_are_declared_for_queries(endpoint: Endpoint) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?job a schema:JobPosting }"
    assert json_count(get(endpoint, query)) == count_in_process(endpoint, query) > 0


def test_accept_chooses_csv_tsv_and_xml(endpoint: Endpoint) -> None:
    expected = count_in_process(endpoint, COUNT_TRIPLES)
    csv_reply = get(endpoint, COUNT_TRIPLES, "text/csv")
    assert (csv_reply.media_type, csv_reply.body) == ("text/csv", f"n\r\n{expected}\r\n")
    tsv_reply = get(endpoint, COUNT_TRIPLES, "text/tab-separated-values")
    # SPARQL TSV writes terms as Turtle does, an xsd:integer bare.
    assert (tsv_reply.media_type, tsv_reply.body) == (
        "text/tab-separated-values",
        f"?n\n{expected}\n",
    )
    xml_reply = get(endpoint, COUNT_TRIPLES, "application/sparql-results+xml")
    assert xml_reply.media_type == "application/sparql-results+xml"
    literal = ElementTree.fromstring(xml_reply.body).find(f".//{RESULTS_NS}literal")
    assert literal is not None and literal.text == str(expected)


def test_ask_answers_a_boolean(endpoint: Endpoint) -> None:
    yes = get(endpoint, "ASK { ?s a org:Organization }")
    no = get(endpoint, "ASK { ?s a <https://example.org/Nothing> }")
    assert (json.loads(yes.body)["boolean"], json.loads(no.body)["boolean"]) == (True, False)


def test_accept_qualities_choose_the_preferred_format(endpoint: Endpoint) -> None:
    reply = get(endpoint, COUNT_TRIPLES, "application/sparql-results+json;q=0.5, text/csv")
    assert reply.media_type == "text/csv"


def test_construct_answers_turtle_with_the_triples_asked_for(endpoint: Endpoint) -> None:
    construct = (
        "CONSTRUCT { ?org rdfs:label ?label } WHERE { ?org a org:Organization ; rdfs:label ?label }"
    )
    reply = get(endpoint, construct, "text/turtle")
    assert reply.media_type == "text/turtle"
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    labels = "SELECT (COUNT(*) AS ?n) WHERE { ?org a org:Organization ; rdfs:label ?label }"
    assert len(graph) == count_in_process(endpoint, labels) > 0
    expected = run_query(open_graph(endpoint.out / "graph.ttl"), construct).graph
    assert expected is not None
    assert set(graph) == set(expected)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("*/*", "turtle")],
)
def test_construct_answers_other_rdf_formats(
    endpoint: Endpoint, accept: str, rdflib_format: str
) -> None:
    reply = get(endpoint, "CONSTRUCT WHERE { ?org a org:Organization }", accept)
    assert reply.status == 200, reply.body
    graph = rdflib.Graph().parse(data=reply.body, format=rdflib_format)
    organisations = "SELECT (COUNT(*) AS ?n) WHERE { ?org a org:Organization }"
    assert len(graph) == count_in_process(endpoint, organisations)


def test_a_format_the_answer_has_not_is_406(endpoint: Endpoint) -> None:
    reply = get(endpoint, COUNT_TRIPLES, "text/turtle")
    assert reply.status == 406
    assert "application/sparql-results+json" in reply.body


def test_sparqlwrapper_gets_the_rows_kg_query_gets(endpoint: Endpoint) -> None:
    client = SPARQLWrapper(endpoint.sparql)
    client.setQuery(ORGANISATIONS)
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    served = [(row["org"]["value"], row["label"]["value"]) for row in answer["results"]["bindings"]]
    expected = run_query(open_graph(endpoint.out / "graph.ttl"), ORGANISATIONS).rows
    assert served == [(str(org), str(label)) for org, label in expected]
    assert len(served) > 10


def test_rdflib_sparqlstore_queries_the_endpoint(endpoint: Endpoint) -> None:
    graph = rdflib.Graph(store=SPARQLStore(query_endpoint=endpoint.sparql))
    served = [(str(row[0]), str(row[1])) for row in graph.query(ORGANISATIONS)]
    expected = run_query(open_graph(endpoint.out / "graph.ttl"), ORGANISATIONS).rows
    assert served == [(str(org), str(label)) for org, label in expected]


UPDATE = "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (urllib.parse.urlencode({"update": UPDATE}), "application/x-www-form-urlencoded"),
        (UPDATE, "application/sparql-update"),
        (urllib.parse.urlencode({"query": UPDATE}), "application/x-www-form-urlencoded"),
        (UPDATE, "application/sparql-query"),
    ],
)
def test_updates_are_refused_with_403(endpoint: Endpoint, body: str, content_type: str) -> None:
    reply = fetch(endpoint.sparql, body.encode(), {"Content-Type": content_type})
    assert (reply.status, reply.body) == (
        403,
        "read-only: this endpoint answers queries, not updates\n",
    )
    # Nothing was written: the graph still has no such triple.
    assert (
        json.loads(get(endpoint, "ASK { ?s <https://example.org/b> ?o }").body)["boolean"] is False
    )


def test_service_is_refused_with_400(endpoint: Endpoint) -> None:
    reply = get(endpoint, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert reply.status == 400
    assert reply.body.startswith("SERVICE is not allowed")


def test_a_malformed_query_is_400_in_one_line(endpoint: Endpoint) -> None:
    reply = get(endpoint, "SELECT WHERE {")
    assert reply.status == 400
    assert reply.body.startswith("malformed SPARQL query") and reply.body.count("\n") == 1


def test_a_request_without_a_query_is_400(endpoint: Endpoint) -> None:
    assert fetch(endpoint.sparql).status == 400


def test_a_query_over_the_size_limit_is_413(endpoint: Endpoint) -> None:
    padding = "#" * MAX_REQUEST_BYTES + "\n"
    posted = fetch(
        endpoint.sparql,
        (padding + COUNT_TRIPLES).encode(),
        {"Content-Type": "application/sparql-query"},
    )
    assert posted.status == 413
    assert get(endpoint, padding + COUNT_TRIPLES).status == 413
    # Just under the limit is answered.
    allowed = "#" * (MAX_REQUEST_BYTES - 100) + "\n" + COUNT_TRIPLES
    reply = fetch(endpoint.sparql, allowed.encode(), {"Content-Type": "application/sparql-query"})
    assert json_count(reply) == count_in_process(endpoint, COUNT_TRIPLES)


def test_a_runaway_query_is_stopped_with_503_while_another_client_is_served(
    endpoint: Endpoint,
) -> None:
    runaway: dict[str, object] = {}

    def send_runaway() -> None:
        started = time.monotonic()
        runaway["reply"] = get(endpoint, RUNAWAY)
        runaway["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=send_runaway)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    simple = get(endpoint, COUNT_TRIPLES)
    simple_seconds = time.monotonic() - started
    assert thread.is_alive(), "the runaway query should still be running"
    thread.join(30)
    assert json_count(simple) == count_in_process(endpoint, COUNT_TRIPLES)
    assert simple_seconds < QUERY_TIMEOUT
    reply = runaway["reply"]
    assert isinstance(reply, Reply)
    assert reply.status == 503
    assert "time limit of 1 s" in reply.body
    assert QUERY_TIMEOUT <= runaway["seconds"] < QUERY_TIMEOUT + 2  # type: ignore[operator]
    # The stopped worker is replaced: two queries at once are still answered.
    time.sleep(3)
    replies: list[Reply] = []
    both = [
        threading.Thread(target=lambda: replies.append(get(endpoint, COUNT_TRIPLES)))
        for _ in range(2)
    ]
    for each in both:
        each.start()
    for each in both:
        each.join(30)
    assert [reply.status for reply in replies] == [200, 200]


def test_the_home_page_lists_the_named_queries_and_links_the_view(endpoint: Endpoint) -> None:
    page = fetch(endpoint.base + "/")
    assert page.status == 200 and page.media_type == "text/html"
    assert '<form method="post" action="/sparql">' in page.body
    posts = question_named("posts")
    link = "/sparql?query=" + urllib.parse.quote(posts.text)
    assert f'<a href="{link}">posts</a>' in page.body
    # Escaped: the apostrophe in "a board's parent organisation".
    assert "a board&#x27;s parent organisation" in page.body
    # Its parameters, as the variables a client binds.
    assert "<code>?param_since</code> (date)" in page.body
    assert '<a href="/graph.html">' in page.body
    answer = fetch(endpoint.base + link)
    served = len(json.loads(answer.body)["results"]["bindings"])
    assert served == len(run_query(open_graph(endpoint.out / "graph.ttl"), posts.text).rows) > 0


def test_the_graph_view_is_served_from_the_output_folder(endpoint: Endpoint) -> None:
    page = fetch(endpoint.base + "/graph.html")
    assert page.status == 200
    assert page.body == (endpoint.out / "graph.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/tab-separated-values, text/csv;q=0.9", "text/tab-separated-values"),
        ("text/*;q=0.2, application/sparql-results+xml;q=0.3", "application/sparql-results+xml"),
        ("text/csv;q=0, */*;q=0.1", "application/sparql-results+json"),
        ("image/png", None),
    ],
)
def test_negotiate_follows_the_accept_qualities(accept: str, expected: str | None) -> None:
    offered = [
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
        "application/sparql-results+xml",
    ]
    assert negotiate(accept, offered) == expected


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.2", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_without_a_build_says_to_build_and_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {tmp_path / 'graph.oxigraph'}: no graph store; run `kg build` first"
    )


def test_serve_reads_a_quoted_tilde_as_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["serve", "--out", "~/kg"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {tmp_path / 'kg' / 'graph.oxigraph'}: no graph store; run `kg build` first"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_warns_when_listening_beyond_this_machine(endpoint: Endpoint) -> None:
    port = free_port()
    command = [str(Path(sys.executable).with_name("kg")), "serve", "--out", str(endpoint.out)]
    server = subprocess.Popen(
        [*command, "--host", "0.0.0.0", "--port", str(port), "--workers", "1"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stderr is not None
        first_line = server.stderr.readline()
        assert first_line.startswith("warning: listening on 0.0.0.0, not only this machine")
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = get(Endpoint(endpoint.out, f"http://127.0.0.1:{port}"), COUNT_TRIPLES)
                break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.1)
        assert json_count(reply) == count_in_process(endpoint, COUNT_TRIPLES)
    finally:
        server.terminate()
        server.wait(10)
