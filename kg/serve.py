"""`kg serve`: the built graph as a read-only SPARQL 1.1 Protocol endpoint.

`/sparql` answers queries sent by GET or POST (form-encoded or `application/sparql-query`),
in the results format the client's Accept header asks for, serialised by Oxigraph itself.
`/` is a page with a query box and the named queries; `/graph.html` is the build's view.

Oxigraph cannot stop a query once it runs, so queries run in worker processes, each with
the store open read-only: a query over its time limit has its worker killed and replaced,
and is answered 503, while the other workers go on serving other clients.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import anyio.to_thread
import pyoxigraph
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.errors import GraphNotFoundError
from kg.processes import init_worker
from kg.query import PREFIXES
from kg.questions import Question, questions

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 10.0
# Two, so that one runaway query never leaves the endpoint with no one to answer.
DEFAULT_WORKERS = max(2, min(4, os.cpu_count() or 1))
# A query text (GET's query string, or a POST body) larger than this is refused with 413.
MAX_REQUEST_BYTES = 1_000_000
STORE_NAME = "graph.oxigraph"
VIEW_PAGE = "graph.html"

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
TURTLE = "text/turtle"
# Media types offered for SELECT and ASK answers, and for CONSTRUCT and DESCRIBE graphs; the
# first of each is the answer to a client that accepts anything. The plain JSON and XML
# types are what SPARQLWrapper and rdflib's SPARQLStore ask for among others.
RESULTS_FORMATS: dict[str, pyoxigraph.QueryResultsFormat] = {
    RESULTS_JSON: pyoxigraph.QueryResultsFormat.JSON,
    RESULTS_XML: pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
    "application/json": pyoxigraph.QueryResultsFormat.JSON,
    "application/xml": pyoxigraph.QueryResultsFormat.XML,
}
GRAPH_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    TURTLE: pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class ProtocolAnswer:
    """What /sparql sends back: an HTTP status, the body's media type, the body."""

    status: int
    media_type: str
    body: bytes

    @classmethod
    def message(cls, status: int, text: str) -> ProtocolAnswer:
        return cls(status, "text/plain", (text + "\n").encode("utf-8"))


def find_store(out_dir: Path) -> Path:
    """The Oxigraph store `kg build` published in `out_dir`; GraphNotFoundError if none."""
    store = Path(out_dir) / STORE_NAME
    if not store.is_dir():
        raise GraphNotFoundError(f"{store}: no graph store; run `kg build` first")
    return store


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the endpoint to this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---- answering one query (in a worker process) ----------------------------------------


def answer_query(store: pyoxigraph.Store, query_text: str, accept: str) -> ProtocolAnswer:
    """Run `query_text` on `store` and serialise the answer as `accept` asks."""
    refusal = _refusal(query_text)
    if refusal is not None:
        return refusal
    try:
        answer = store.query(query_text, prefixes=PREFIXES)
    except (SyntaxError, ValueError, OSError) as exc:
        return ProtocolAnswer.message(400, f"query failed: {_one_line(exc)}")
    formats: dict[str, pyoxigraph.QueryResultsFormat] | dict[str, pyoxigraph.RdfFormat]
    formats = GRAPH_FORMATS if isinstance(answer, pyoxigraph.QueryTriples) else RESULTS_FORMATS
    media_type = negotiate(accept, list(formats))
    if media_type is None:
        return ProtocolAnswer.message(
            406, f"not acceptable: this answer can be sent as {', '.join(formats)}"
        )
    try:
        body = answer.serialize(format=formats[media_type])  # type: ignore[arg-type]
    except (ValueError, OSError) as exc:
        return ProtocolAnswer.message(500, f"query failed: {_one_line(exc)}")
    return ProtocolAnswer(200, media_type, body or b"")


def _refusal(query_text: str) -> ProtocolAnswer | None:
    # rdflib's parser, as `kg query` uses, tells an update from a malformed query and finds
    # SERVICE in the syntax tree, where a word search would also find it in strings.
    try:
        parsed = parseQuery(query_text)
    except ParseException as exc:
        if _is_update(query_text):
            return ProtocolAnswer.message(
                403, "read-only: this endpoint answers queries, not updates"
            )
        return ProtocolAnswer.message(400, f"malformed SPARQL query: {_one_line(exc)}")
    if _uses_service(parsed):
        return ProtocolAnswer.message(
            400, "SERVICE is not allowed: this endpoint answers from its own graph only"
        )
    return None


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseException:
        return False
    return True


def _uses_service(node: object) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(value) for value in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_uses_service(value) for value in node)
    return False


def negotiate(accept: str, offered: Sequence[str]) -> str | None:
    """The media type of `offered` that the Accept header `accept` prefers (HTTP's rules:
    the most specific range that matches sets the quality; ties go to the first offered);
    None when it accepts none of them. No header accepts anything."""
    ranges = _media_ranges(accept)
    if not ranges:
        return offered[0] if offered else None
    best, best_quality = None, 0.0
    for media_type in offered:
        quality = _quality(media_type, ranges)
        if quality > best_quality:
            best, best_quality = media_type, quality
    return best


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    kind = media_type.split("/")[0]
    by_specificity = {media_range: quality for media_range, quality in ranges}
    for candidate in (media_type, f"{kind}/*", "*/*"):
        if candidate in by_specificity:
            return by_specificity[candidate]
    return 0.0


def _one_line(exc: BaseException) -> str:
    return (
        " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        or type(exc).__name__
    )


def _serve_queries(store_link: str, connection: Connection, parent: int) -> None:
    """A worker's life: open the store, say so, then answer queries until the pipe closes.

    The store is reopened when `kg build` has published a new one, since the build
    removes the folder of the one before.
    """
    init_worker(parent)
    opened_target = os.path.realpath(store_link)
    store = pyoxigraph.Store.read_only(opened_target)
    connection.send("ready")
    while True:
        try:
            query_text, accept = connection.recv()
        except EOFError:
            return
        target = os.path.realpath(store_link)
        if target != opened_target:
            store = pyoxigraph.Store.read_only(target)
            opened_target = target
        connection.send(answer_query(store, query_text, accept))


# ---- the pool of workers (in the server) -----------------------------------------------


class QueryWorker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, store: Path, context: multiprocessing.context.SpawnContext) -> None:
        self.connection, worker_end = context.Pipe()
        self.process = context.Process(
            target=_serve_queries,
            args=(str(store), worker_end, os.getpid()),
            name="kg-serve-query",
            daemon=True,
        )
        self.process.start()
        worker_end.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.connection.poll(timeout):
            self.stop()
            raise GraphNotFoundError("a query worker did not open the store in time")
        try:
            self.connection.recv()
        except EOFError:
            self.stop()
            raise GraphNotFoundError("a query worker could not open the store") from None

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


# Opening the store and importing rdflib's SPARQL parser takes a second or two.
WORKER_START_SECONDS = 60.0


class QueryWorkerPool:
    """Worker processes that run queries on the store at `store`, at most `timeout` seconds
    each: a worker past its time is killed and a new one started in its place."""

    def __init__(self, store: Path, workers: int = DEFAULT_WORKERS, timeout: float = 10.0):
        self.store = store
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[QueryWorker] = queue.Queue()
        self._workers: set[QueryWorker] = set()
        self._lock = threading.Lock()
        self._closed = False
        # Workers are started by one thread that lives as long as the pool: a worker dies
        # with the thread that started it (PR_SET_PDEATHSIG), and a request's thread ends.
        self._to_replace: queue.Queue[QueryWorker | None] = queue.Queue()
        self._replacer = threading.Thread(target=self._replace_stopped, daemon=True)
        self._replacer.start()
        started = [self._start() for _ in range(workers)]
        for worker in started:
            worker.wait_ready(WORKER_START_SECONDS)
            self._idle.put(worker)

    def _start(self) -> QueryWorker:
        worker = QueryWorker(self.store, self._context)
        with self._lock:
            self._workers.add(worker)
        return worker

    def answer(self, query_text: str, accept: str) -> ProtocolAnswer:
        """Answer one query, waiting up to `timeout` for a free worker and `timeout` more
        for its answer. Blocks: call it from a thread."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return ProtocolAnswer.message(
                503, f"busy: every query worker is still running a query after {self.timeout:g} s"
            )
        started = time.monotonic()
        try:
            worker.connection.send((query_text, accept))
            if worker.connection.poll(self.timeout):
                answer = worker.connection.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError) as exc:
            log.warning("query worker %s died: %s", worker.process.pid, exc)
            self._replace(worker)
            return ProtocolAnswer.message(500, "the query worker died while answering")
        log.info("query stopped after %.2f s", time.monotonic() - started)
        self._replace(worker)
        return ProtocolAnswer.message(
            503, f"query stopped: it ran longer than the time limit of {self.timeout:g} s"
        )

    def _replace(self, worker: QueryWorker) -> None:
        # In the background, so that the client whose query was stopped hears at once.
        self._to_replace.put(worker)

    def _replace_stopped(self) -> None:
        while (stopped := self._to_replace.get()) is not None:
            with self._lock:
                self._workers.discard(stopped)
            stopped.stop()
            if self._closed:
                continue
            worker = self._start()
            try:
                worker.wait_ready(WORKER_START_SECONDS)
            except GraphNotFoundError as error:
                log.error("%s", error)
                continue
            log.info("query worker %s replaced by %s", stopped.process.pid, worker.process.pid)
            self._idle.put(worker)

    def close(self) -> None:
        self._closed = True
        self._to_replace.put(None)
        self._replacer.join()
        with self._lock:
            workers, self._workers = self._workers, set()
        for worker in workers:
            worker.stop()


# ---- the web app -----------------------------------------------------------------------


def create_app(out_dir: Path, pool: QueryWorkerPool) -> Starlette:
    """The endpoint's ASGI app: `/sparql` answered by `pool`, `/` and `/graph.html`."""
    out_dir = Path(out_dir)

    async def sparql(request: Request) -> Response:
        query_text = await _query_of(request)
        if isinstance(query_text, ProtocolAnswer):
            return _response(query_text)
        accept = request.headers.get("accept", "")
        answer = await anyio.to_thread.run_sync(pool.answer, query_text, accept)
        return _response(answer)

    async def home(_request: Request) -> Response:
        return HTMLResponse(home_page(out_dir))

    async def view(_request: Request) -> Response:
        page = out_dir / VIEW_PAGE
        if not page.is_file():
            return PlainTextResponse("no graph view: run `kg build` without --no-html\n", 404)
        return FileResponse(page, media_type="text/html")

    return Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route(f"/{VIEW_PAGE}", view, methods=["GET"]),
        ]
    )


READ_ONLY_REFUSAL = ProtocolAnswer.message(
    403, "read-only: this endpoint answers queries, not updates"
)
TOO_LARGE = ProtocolAnswer.message(
    413, f"too large: a query may be at most {MAX_REQUEST_BYTES:,} bytes"
)


async def _query_of(request: Request) -> str | ProtocolAnswer:
    """The query text a request carries by one of the protocol's three ways, or the
    answer that refuses it."""
    if request.method == "GET":
        query_text = _query_parameter(parse_qsl(request.url.query, keep_blank_values=True))
        if isinstance(query_text, str) and len(query_text.encode("utf-8")) > MAX_REQUEST_BYTES:
            return TOO_LARGE
        return query_text
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/sparql-update":
        return READ_ONLY_REFUSAL
    if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        return ProtocolAnswer.message(
            415,
            "unsupported content type: POST a query as application/x-www-form-urlencoded "
            "or application/sparql-query",
        )
    body = await _body_within_limit(request)
    if body is None:
        return TOO_LARGE
    if media_type == "application/sparql-query":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return ProtocolAnswer.message(400, "the query is not UTF-8 text")
    return _query_parameter(
        parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    )


def _query_parameter(parameters: list[tuple[str, str]]) -> str | ProtocolAnswer:
    names = [name for name, _ in parameters]
    if "update" in names:
        return READ_ONLY_REFUSAL
    queries = [value for name, value in parameters if name == "query"]
    if len(queries) != 1:
        return ProtocolAnswer.message(400, "give exactly one query parameter")
    return queries[0]


# A body over the limit is still read, this far, before the 413: a client that sends its
# whole body before reading the answer (urllib does) would otherwise see a broken pipe.
MAX_DRAINED_BYTES = 16 * MAX_REQUEST_BYTES


async def _body_within_limit(request: Request) -> bytes | None:
    """The request's body, or None when it is over `MAX_REQUEST_BYTES`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_DRAINED_BYTES:
        return None
    body = bytearray()
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > MAX_DRAINED_BYTES:
            return None
        if received <= MAX_REQUEST_BYTES:
            body += chunk
    return bytes(body) if received <= MAX_REQUEST_BYTES else None


def _response(answer: ProtocolAnswer) -> Response:
    headers = {"Vary": "Accept"}
    if answer.status == 503:
        headers["Retry-After"] = "1"
    return Response(answer.body, answer.status, headers=headers, media_type=answer.media_type)


# ---- the home page ---------------------------------------------------------------------


EXAMPLE_QUERY = (
    "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)"
)


def home_page(out_dir: Path) -> str:
    """The HTML page at `/`: a query box, the named queries, a link to the view."""
    items = "\n".join(_question_item(question) for question in questions())
    view = (
        f'<p><a href="/{VIEW_PAGE}">The graph as a network</a></p>'
        if (out_dir / VIEW_PAGE).is_file()
        else ""
    )
    prefixes = html.escape(
        " ".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in PREFIXES.items())
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>kg: SPARQL endpoint</title></head>
<body>
<h1>Knowledge graph of UK children's-services news</h1>
<p>A read-only SPARQL 1.1 endpoint at <code>/sparql</code>.
These prefixes are declared for every query: <code>{prefixes}</code></p>
<form method="post" action="/sparql">
<textarea name="query" rows="10" cols="100">{html.escape(EXAMPLE_QUERY)}</textarea><br>
<button type="submit">Run query</button>
</form>
<h2>Named queries</h2>
<ul>
{items}
</ul>
{view}
</body>
</html>
"""


def _question_item(question: Question) -> str:
    """A named question as a link that asks it; its parameters are left unbound (any), and
    listed so a user can bind them with `kg query --param` or VALUES."""
    parameters = "".join(
        f"<br><small><code>?{html.escape(parameter.variable)}</code> "
        f"({html.escape(parameter.describe_kind())}): {html.escape(parameter.help)}</small>"
        for parameter in question.parameters
    )
    return (
        f'<li><a href="/sparql?query={quote(question.text)}">{html.escape(question.name)}</a>: '
        f"{html.escape(question.summary)}{parameters}</li>"
    )


# ---- running it ------------------------------------------------------------------------


def server_config(app: Starlette, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> Any:
    """How uvicorn runs `app`: a `uvicorn.Config`."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http="h11",
        # h11 refuses a request line longer than 16 kB by default: let a GET carry a query
        # as large as a POST may, percent-encoded (three bytes a byte at most), so that the
        # limit and its 413 are ours.
        h11_max_incomplete_event_size=3 * MAX_REQUEST_BYTES + 64_000,
        log_level="info",
    )


def serve_graph(
    out_dir: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
) -> None:
    """Serve the graph `kg build` wrote into `out_dir` until interrupted."""
    import uvicorn

    store = find_store(out_dir)
    pool = QueryWorkerPool(store, workers=workers, timeout=timeout)
    try:
        uvicorn.Server(server_config(create_app(out_dir, pool), host, port)).run()
    finally:
        pool.close()
