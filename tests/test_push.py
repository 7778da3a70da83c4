"""`kg push`: the built graph into a triplestore over the SPARQL 1.1 Graph Store Protocol.

End to end against a real Virtuoso (Debian's virtuoso-opensource-7, which `make test`
installs when missing), started here on its own ports and database and queried back; and
the client's authentication and errors against a small local HTTP server.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
import requests
import requests.auth
from click.testing import CliRunner, Result
from rdflib.namespace import XSD

from kg.build import build
from kg.cli import DEFAULT_PUSH_GRAPH, main
from kg.corpus import bundled_samples
from kg.errors import PushError
from kg.push import DEFAULT_GRAPH_IRI, graph_url, push_graph, server_message

# Where Debian's package puts the configuration the test server's is copied from.
PACKAGED_INIS = (
    Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"),
    Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
)
# A new Virtuoso database's administrator, who may write graphs through the Graph Store.
DBA_USER, DBA_PASSWORD = "dba", "dba"
STARTUP_TIMEOUT = 60.0
# A graph unlike the samples, with what must survive the trip: a language tag, a datatype,
# and text beyond ASCII.
OTHER_GRAPH = """\
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/council/1> schema:name "Conseil départemental du Nord"@fr ;
    schema:name "Nord County Council"@en-GB ;
    schema:description "Café budget: £5.5m for children’s homes" ;
    schema:foundingDate "1790-03-04"^^xsd:date .
"""
OTHER_GRAPH_TRIPLES = 4


# ---- a Virtuoso of the test's own ----------------------------------------------------


@dataclass(frozen=True)
class Virtuoso:
    http_port: int
    startup_seconds: float

    @property
    def graph_store(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def count(self, graph_iri: str, pattern: str = "?s ?p ?o") -> int:
        """How many solutions `pattern` has in the named graph, asked of Virtuoso's /sparql."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ {pattern} }} }}"
        response = requests.get(
            f"http://127.0.0.1:{self.http_port}/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def add(self, graph_iri: str, turtle: str) -> None:
        """Add triples to the named graph by the protocol's POST, which merges, as a store
        kept up by other tools would have them."""
        response = requests.post(
            self.graph_store,
            params={"graph": graph_iri},
            data=turtle.encode(),
            headers={"Content-Type": "text/turtle"},
            auth=requests.auth.HTTPDigestAuth(DBA_USER, DBA_PASSWORD),
            timeout=30,
        )
        assert response.status_code in (200, 201, 204), response.text


def _free_ports(count: int) -> list[int]:
    # Held open together so the two differ; free again, barring a race, when Virtuoso binds.
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def virtuoso_ini(packaged: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged virtuoso.ini with its database files in `folder` and both servers on
    127.0.0.1 at the given ports, everything else as Debian ships it."""
    lines = []
    section = ""
    for line in packaged.splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        if header:
            section = header.group(1)
        line = line.replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
        if re.match(r"\s*ServerPort\s*=", line):
            port = sql_port if section == "Parameters" else http_port
            line = f"ServerPort = 127.0.0.1:{port}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _wait_until_serving(process: subprocess.Popen[bytes], http_port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"virtuoso-t exited ({process.returncode}):\n{log.read_text()[-2000:]}")
        try:
            answer = requests.get(
                f"http://127.0.0.1:{http_port}/sparql", params={"query": "ASK {}"}, timeout=2
            )
            if answer.status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    pytest.fail(f"virtuoso-t not serving after {STARTUP_TIMEOUT} s:\n{log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    # Its own process group (start_new_session), so nothing it started is left behind.
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    executable = shutil.which("virtuoso-t")
    packaged = next((ini for ini in PACKAGED_INIS if ini.is_file()), None)
    if executable is None or packaged is None:
        reason = "Virtuoso (virtuoso-t and its virtuoso.ini) is not installed: `make virtuoso`"
        # CI installs it (make test): there, a missing server is a failure, not a skip.
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_ports(2)
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(packaged.read_text(), folder, sql_port, http_port))
    log = folder / "virtuoso-t.out"
    started = time.monotonic()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [executable, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(process, http_port, log)
        yield Virtuoso(http_port, time.monotonic() - started)
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    build([bundled_samples()], out, workers=1, html=False)
    return out


@pytest.fixture
def other_out(tmp_path: Path) -> Path:
    (tmp_path / "graph.ttl").write_text(OTHER_GRAPH, encoding="utf-8")
    return tmp_path


def push(out: Path, endpoint: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["push", endpoint, "--out", str(out), *args])


def as_dba(graph_iri: str) -> list[str]:
    return ["--graph-iri", graph_iri, "--user", DBA_USER, "--password", DBA_PASSWORD]


def _one_line_error(result: Result) -> str:
    """The error line of a push that failed as a user should see it: no traceback."""
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# ---- end to end against Virtuoso ----------------------------------------------------


def test_push_loads_every_triple_of_the_sample_graph(virtuoso: Virtuoso, sample_out: Path) -> None:
    graph_iri = "https://example.org/kg-test/samples"
    local = rdflib.Graph().parse(sample_out / "graph.ttl")
    result = push(sample_out, virtuoso.graph_store, *as_dba(graph_iri))
    assert result.exit_code == 0, result.output
    assert f"{len(local):,}" in result.output and graph_iri in result.output
    assert virtuoso.count(graph_iri) == len(local) > 1000

    # Text beyond ASCII and typed values arrive as they left: the same triples match.
    pounds = min(
        (o for o in local.objects() if isinstance(o, rdflib.Literal) and "£" in o), key=len
    )
    decimal = next(o for o in local.objects() if getattr(o, "datatype", None) == XSD.decimal)
    date = next(o for o in local.objects() if getattr(o, "datatype", None) == XSD.date)
    for literal in (pounds, decimal, date):
        expected = len(list(local.triples((None, None, literal))))
        assert virtuoso.count(graph_iri, f"?s ?p {literal.n3()}") == expected >= 1, literal


def test_push_again_replaces_the_graph_rather_than_adding_to_it(
    virtuoso: Virtuoso, sample_out: Path
) -> None:
    graph_iri = "https://example.org/kg-test/again"
    assert push(sample_out, virtuoso.graph_store, *as_dba(graph_iri)).exit_code == 0
    first = virtuoso.count(graph_iri)
    # Pushing the same triples again could not double them in any store (a graph is a set);
    # triples the build does not have, left from before, show whether it replaced.
    virtuoso.add(graph_iri, OTHER_GRAPH)
    assert virtuoso.count(graph_iri) == first + OTHER_GRAPH_TRIPLES
    assert push(sample_out, virtuoso.graph_store, *as_dba(graph_iri)).exit_code == 0
    assert virtuoso.count(graph_iri) == first > 0


def test_pushing_another_graph_removes_the_old_triples(
    virtuoso: Virtuoso, sample_out: Path, other_out: Path
) -> None:
    graph_iri = "https://example.org/kg-test/other"
    assert push(sample_out, virtuoso.graph_store, *as_dba(graph_iri)).exit_code == 0
    assert virtuoso.count(graph_iri, "?s a ?class") > 0
    result = push(other_out, virtuoso.graph_store, *as_dba(graph_iri))
    assert result.exit_code == 0, result.output
    assert virtuoso.count(graph_iri) == OTHER_GRAPH_TRIPLES
    assert virtuoso.count(graph_iri, "?s a ?class") == 0  # the samples' types are gone
    # Language tags, datatypes and non-ASCII text round-trip.
    assert virtuoso.count(graph_iri, '?s ?p "Conseil départemental du Nord"@fr') == 1
    assert virtuoso.count(graph_iri, '?s ?p "Nord County Council"@en-gb') == 1
    assert virtuoso.count(graph_iri, '?s ?p "Café budget: £5.5m for children’s homes"') == 1
    assert virtuoso.count(graph_iri, '?s ?p "1790-03-04"^^xsd:date') == 1


def test_the_default_graph_iri_is_the_projects(virtuoso: Virtuoso, other_out: Path) -> None:
    result = push(other_out, virtuoso.graph_store, "--user", DBA_USER, "--password", DBA_PASSWORD)
    assert result.exit_code == 0, result.output
    assert virtuoso.count(DEFAULT_GRAPH_IRI) == OTHER_GRAPH_TRIPLES


def test_a_wrong_password_is_one_line_and_leaves_the_graph_alone(
    virtuoso: Virtuoso, sample_out: Path, other_out: Path
) -> None:
    graph_iri = "https://example.org/kg-test/password"
    assert push(other_out, virtuoso.graph_store, *as_dba(graph_iri)).exit_code == 0
    result = push(
        sample_out, virtuoso.graph_store, "--graph-iri", graph_iri, "--user", DBA_USER,
        "--password", "not-the-password",
    )  # fmt: skip
    line = _one_line_error(result)
    assert "user name or password was refused" in line and "401" in line
    assert virtuoso.count(graph_iri) == OTHER_GRAPH_TRIPLES


def test_no_credentials_for_a_store_that_asks_is_one_line(
    virtuoso: Virtuoso, other_out: Path
) -> None:
    line = _one_line_error(push(other_out, virtuoso.graph_store))
    assert "asks for a user name and password (--user)" in line


def test_a_url_that_is_not_a_graph_store_says_so(virtuoso: Virtuoso, other_out: Path) -> None:
    endpoint = f"http://127.0.0.1:{virtuoso.http_port}/no-such-store"
    line = _one_line_error(push(other_out, endpoint, *as_dba("https://example.org/g")))
    assert line.startswith(f"Error: {endpoint} refused the graph: HTTP 5")
    assert "sparql-graph-crud-auth" in line  # the hint names the URL Virtuoso wants


# ---- errors that need no store ---------------------------------------------------------


def test_an_unreachable_store_is_one_line(other_out: Path) -> None:
    (port,) = _free_ports(1)  # nothing listens there
    line = _one_line_error(push(other_out, f"http://127.0.0.1:{port}/store"))
    assert line == (
        f"Error: 127.0.0.1:{port}: cannot connect: connection refused "
        "(is the triplestore running, on that port?)"
    )


def test_push_without_a_build_says_to_build_and_exits_2(tmp_path: Path) -> None:
    result = push(tmp_path, "http://127.0.0.1:9/store")
    line = _one_line_error(result)
    assert result.exit_code == 2
    assert line == f"Error: {tmp_path / 'graph.ttl'}: no such graph; run `kg build` first"


def test_a_damaged_graph_file_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_text("<https://example.org/a> <https://example.org/b> .\n")
    line = _one_line_error(push(tmp_path, "http://127.0.0.1:9/store"))
    assert "graph.ttl: cannot be read as Turtle" in line


def test_the_cli_default_graph_iri_is_the_librarys() -> None:
    assert DEFAULT_PUSH_GRAPH == DEFAULT_GRAPH_IRI == "https://w3id.org/kg-ukcs/graph"


def test_the_graph_parameter_is_added_to_the_endpoints_query() -> None:
    assert graph_url("http://h:1/store?x=1", "graph", "https://e.org/g#1") == (
        "http://h:1/store?x=1&graph=https%3A%2F%2Fe.org%2Fg%231"
    )
    assert graph_url("http://h/crud", "graph-uri", "urn:g").endswith("/crud?graph-uri=urn%3Ag")
    with pytest.raises(PushError, match="not an http"):
        graph_url("127.0.0.1:8890/crud", "graph", "urn:g")


def test_a_servers_error_page_becomes_its_message() -> None:
    virtuoso_page = (
        "<html><head><title>SPARQL Graph Protocol request failed</title></head><body>"
        "<h1>HTTP/1.1 500 Request Failed</h1><h3>Error 22023</h3>"
        "<xmp>The PUT request for graph <urn:g> is rejected:\n bad &amp; worse</xmp></body></html>"
    )
    assert server_message(virtuoso_page) == (
        "The PUT request for graph <urn:g> is rejected: bad & worse"
    )
    assert server_message("<p>No <b>such</b> store</p>") == "No such store"
    assert server_message("x" * 500).endswith("…") and len(server_message("x" * 500)) == 200


# ---- the client against a small local server -----------------------------------------


@dataclass
class FakeStore:
    """A graph store that asks for basic authentication and answers PUT as told."""

    port: int
    requests: list[tuple[str, str, str | None, bytes]] = field(default_factory=list)
    put_status: int = 201
    put_body: bytes = b""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/store"


BASIC_DBA = "Basic " + base64.b64encode(b"dba:secret").decode()


@pytest.fixture
def fake_store() -> Iterator[FakeStore]:
    store = FakeStore(port=0)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: bytes = b"", challenge: bool = False) -> None:
            self.send_response(status)
            if challenge:
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _record(self) -> bool:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            auth = self.headers.get("Authorization")
            store.requests.append((self.command, self.path, auth, body))
            if auth != BASIC_DBA:
                self._answer(401, challenge=True)
                return False
            return True

        def do_HEAD(self) -> None:
            if self._record():
                self._answer(405)

        def do_PUT(self) -> None:
            if self._record():
                self._answer(store.put_status, store.put_body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    store.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()


def test_basic_authentication_when_the_store_asks_for_it(
    fake_store: FakeStore, other_out: Path
) -> None:
    summary = push_graph(other_out, fake_store.url, "urn:g", user="dba", password="secret")
    assert summary.triples == OTHER_GRAPH_TRIPLES and summary.graph_iri == "urn:g"
    # Asked without credentials, then checked with them; the graph is sent once, signed.
    assert [(method, auth) for method, _, auth, _ in fake_store.requests] == [
        ("HEAD", None),
        ("HEAD", BASIC_DBA),
        ("PUT", BASIC_DBA),
    ]
    _, path, _, body = fake_store.requests[-1]
    assert path == "/store?graph=urn%3Ag"
    assert body == (other_out / "graph.ttl").read_bytes()


def test_the_store_refusing_the_graph_gives_its_message_in_one_line(
    fake_store: FakeStore, other_out: Path
) -> None:
    fake_store.put_status = 400
    fake_store.put_body = b"<html><body><pre>Syntax error\nat line 3</pre></body></html>"
    result = push(other_out, fake_store.url, "--user", "dba", "--password", "secret")
    line = _one_line_error(result)
    assert line == (
        f"Error: {fake_store.url} refused the graph: HTTP 400 Bad Request: Syntax error at line 3"
    )


def test_the_password_may_come_from_the_environment(
    fake_store: FakeStore, other_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_PUSH_PASSWORD", "secret")
    result = push(other_out, fake_store.url, "--user", "dba")
    assert result.exit_code == 0, result.output
    assert fake_store.requests[-1][0] == "PUT" and fake_store.requests[-1][2] == BASIC_DBA
