"""`kg push`: the built graph into a triplestore over the SPARQL 1.1 Graph Store HTTP Protocol.

One HTTP PUT of OUT/graph.ttl to `ENDPOINT?graph=IRI` replaces the named graph IRI in the
store with the build's triples (https://www.w3.org/TR/sparql11-http-rdf-update/#http-put).
The file is streamed from disk, never read into memory whole. Servers that ask for a user
name and password are answered with HTTP digest or basic authentication, whichever they ask
for; a short request without a body finds out which, and checks the password, before the
graph is sent.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from kg.errors import GraphNotFoundError, PushError
from kg.vocab import KG

GRAPH_FILE = "graph.ttl"
# The named graph the build is pushed into unless told otherwise: beside the project's
# ontology (https://w3id.org/kg-ukcs/ontology#) and entities (.../id/), under the same base.
DEFAULT_GRAPH_IRI = str(KG._NS).removesuffix("ontology#") + "graph"
# The query parameter that names the graph, as the Graph Store Protocol has it. Virtuoso's
# own documentation uses `graph-uri`; its 7.2 servers take `graph` as well (the tests push
# to one with it), but older ones and other stores may want their own name: --graph-param.
GRAPH_PARAM = "graph"
TURTLE = "text/turtle"
# Seconds to wait for a connection, and for the server's answer once the graph is sent: a
# store may index a large graph for minutes before it answers the PUT.
CONNECT_TIMEOUT = 10.0
DEFAULT_TIMEOUT = 300.0
# How much of a server's error message goes into the one-line error.
MAX_MESSAGE_LENGTH = 200
ACCEPTED = frozenset({200, 201, 204})
# What a URL that is not a graph store answers a PUT with (Virtuoso says 501 on any other path).
NOT_A_GRAPH_STORE_STATUSES = frozenset({404, 405, 501})
NOT_A_GRAPH_STORE = (
    " (is ENDPOINT the store's Graph Store Protocol URL? For Virtuoso, "
    "http://HOST:8890/sparql-graph-crud-auth)"
)


@dataclass(frozen=True)
class PushSummary:
    endpoint: str
    graph_iri: str
    triples: int
    seconds: float


def push_graph(
    out_dir: Path,
    endpoint: str,
    graph_iri: str = DEFAULT_GRAPH_IRI,
    *,
    user: str | None = None,
    password: str | None = None,
    graph_param: str = GRAPH_PARAM,
    timeout: float = DEFAULT_TIMEOUT,
) -> PushSummary:
    """Replace the named graph `graph_iri` at the graph store `endpoint` with the graph
    `kg build` wrote in `out_dir`; PushError if the server cannot be reached or refuses."""
    started = time.perf_counter()
    graph_path = Path(out_dir) / GRAPH_FILE
    triples = count_triples(graph_path)
    url = graph_url(endpoint, graph_param, graph_iri)
    with requests.Session() as session:
        session.auth = _authentication(session, endpoint, url, user, password)
        with graph_path.open("rb") as body:
            # A file body is sent in pieces with its length, and the digest handshake rewinds
            # it should the server ask again.
            response = _request(
                session,
                "PUT",
                url,
                data=body,
                headers={"Content-Type": TURTLE},
                timeout=(CONNECT_TIMEOUT, timeout),
            )
    if response.status_code == 401:
        raise PushError(f"{endpoint}: {_refused_credentials(user)}")
    if response.status_code not in ACCEPTED:
        hint = NOT_A_GRAPH_STORE if response.status_code in NOT_A_GRAPH_STORE_STATUSES else ""
        raise PushError(f"{endpoint} refused the graph: {_status_and_message(response)}{hint}")
    return PushSummary(
        endpoint=endpoint,
        graph_iri=graph_iri,
        triples=triples,
        seconds=time.perf_counter() - started,
    )


def count_triples(graph_path: Path) -> int:
    """The triples in the Turtle file, read as a stream: what the push will send, and a
    check, before anything is sent, that the file is whole."""
    if not graph_path.is_file():
        raise GraphNotFoundError(f"{graph_path}: no such graph; run `kg build` first")
    try:
        return sum(
            1 for _ in pyoxigraph.parse(path=str(graph_path), format=pyoxigraph.RdfFormat.TURTLE)
        )
    except SyntaxError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "bad syntax"
        raise GraphNotFoundError(f"{graph_path}: cannot be read as Turtle: {first_line}") from None


def graph_url(endpoint: str, graph_param: str, graph_iri: str) -> str:
    """`endpoint` with `graph_param=graph_iri` added to its query (any already there kept)."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint}: not an http:// or https:// URL of a graph store")
    query = "&".join(filter(None, [parts.query, urlencode({graph_param: graph_iri})]))
    return urlunsplit(parts._replace(query=query))


def _authentication(
    session: requests.Session, endpoint: str, url: str, user: str | None, password: str | None
) -> AuthBase | None:
    """The authentication the server asks for, checked with a request without a body, so a
    refused password costs nothing and a large graph is sent once, signed the first time.

    HEAD, because it changes nothing; a server may well not implement it (Virtuoso answers
    501) but it still asks for, and checks, the credentials first."""
    probe = _request(session, "HEAD", url, timeout=CONNECT_TIMEOUT)
    if user is None:
        if probe.status_code == 401:
            raise PushError(f"{endpoint}: {_refused_credentials(None)}")
        return None
    challenge = probe.headers.get("WWW-Authenticate", "")
    auth: AuthBase
    if probe.status_code == 401 and challenge.lower().startswith("digest"):
        auth = HTTPDigestAuth(user, password or "")
    else:
        # Asked for basic authentication, or not asked at all on HEAD (a server may ask only
        # for changes): sent with every request.
        auth = HTTPBasicAuth(user, password or "")
    # With digest, this answers the challenge and keeps the server's nonce for the PUT.
    checked = _request(session, "HEAD", url, timeout=CONNECT_TIMEOUT, auth=auth)
    if checked.status_code == 401:
        raise PushError(f"{endpoint}: {_refused_credentials(user)}")
    return auth


def _request(
    session: requests.Session, method: str, url: str, **kwargs: object
) -> requests.Response:
    """The server's response, or PushError in one line if there was none."""
    where = urlsplit(url).netloc
    try:
        return session.request(method, url, **kwargs)  # type: ignore[arg-type]
    except requests.exceptions.Timeout:
        raise PushError(f"{where}: no answer in time (--timeout)") from None
    except requests.exceptions.ConnectionError as exc:
        raise PushError(f"{where}: cannot connect: {_connection_reason(exc)}") from None
    except requests.exceptions.RequestException as exc:
        raise PushError(f"{where}: {_trim(str(exc))}") from None


def _connection_reason(exc: Exception) -> str:
    text = str(exc)
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused (is the triplestore running, on that port?)"
    if "Name or service not known" in text or "Failed to resolve" in text:
        return "unknown host"
    if "Connection reset" in text or "Connection aborted" in text:
        return "the server closed the connection"
    return _trim(text)


def _refused_credentials(user: str | None) -> str:
    if user is None:
        return "the server asks for a user name and password (--user)"
    return f"the user name or password was refused (HTTP 401, user {user!r})"


def _status_and_message(response: requests.Response) -> str:
    status = f"HTTP {response.status_code} {response.reason or ''}".strip()
    message = server_message(response.text)
    return f"{status}: {message}" if message else status


_PREFORMATTED = re.compile(r"<(xmp|pre)[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(r"<head\b.*?</head>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def server_message(body: str) -> str:
    """A server's error page as one short line: the preformatted part of an HTML page
    (where Virtuoso and Jena put the message itself), else its text without markup."""
    preformatted = _PREFORMATTED.findall(body)
    text = preformatted[-1][1] if preformatted else _TAG.sub(" ", _HEAD.sub(" ", body))
    return _trim(html.unescape(text))


def _trim(text: str) -> str:
    line = " ".join(text.split())
    if len(line) > MAX_MESSAGE_LENGTH:
        return line[: MAX_MESSAGE_LENGTH - 1].rstrip() + "…"
    return line
