"""SPARQL over a built graph for `kg query`: read a query, run it, format the answer.

Queries are read-only: the graph on disk is an output of `kg build`, so an update
would only change a copy in memory and mislead the user into thinking it was saved.
They answer from that graph alone (no SERVICE, no FROM: nothing is fetched), and
`query_graph_file` stops one that runs past its time limit.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph
import rdflib
from rdflib.term import BNode, Node, URIRef, Variable
from rdflib.term import Literal as RdfLiteral
from rich import box
from rich.table import Table
from rich.text import Text

from kg import store_query_process
from kg.errors import QueryError
from kg.ordering import OrderCondition, sort_rows
from kg.store import fresh_store, load_graph
from kg.terminal import printable, render_table

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Result

QueryKind = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
OutputFormat = Literal["table", "csv", "tsv", "json"]
Term = URIRef | RdfLiteral | BNode

# Bound for every query, so `org:Membership` or `schema:JobPosting` work undeclared.
PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "kg": "https://w3id.org/kg-ukcs/ontology#",
    "kgr": "https://w3id.org/kg-ukcs/id/",
}
# Longest namespace first, so a namespace that extends another one wins when shortening.
NAMESPACES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
# A tab or newline inside a TSV value would split it, so both are escaped as in N-Triples.
LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
QUERY_FILE_SUFFIXES = (".rq", ".sparql")
MAX_MESSAGE_LENGTH = 300


Row = tuple[Term | None, ...]


@dataclass
class QueryResult:
    """The answer to one query: rows for SELECT, a boolean for ASK, a graph otherwise.

    A store's rows come as the store makes them (but for those kg sorts, see
    `_closing_order`): `iter_rows` streams them once, for printing an answer of millions of
    rows; `rows` keeps them all.
    """

    kind: QueryKind
    variables: tuple[str, ...] = ()
    row_source: Iterable[Row] = ()
    boolean: bool | None = None
    graph: rdflib.Graph | None = None

    @property
    def rows(self) -> tuple[Row, ...]:
        if not isinstance(self.row_source, tuple):
            self.row_source = tuple(self.row_source)
        return self.row_source

    def iter_rows(self) -> Iterator[Row]:
        return iter(self.row_source)


def read_query_text(query: str) -> str:
    """The SPARQL text of `query`: the contents of a .rq/.sparql file it names, else itself."""
    if not _looks_like_query_file(query):
        return query
    path = Path(query.strip()).expanduser()  # "~/q.rq" quoted, which the shell left alone
    if not path.is_file():
        raise QueryError(f"{query}: no such query file")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{query}: cannot read query file ({_one_line(exc)})") from None


def _looks_like_query_file(query: str) -> bool:
    # A file name has no whitespace, while any real query has some; checking this first
    # also keeps long query texts away from the filesystem (ENAMETOOLONG).
    candidate = query.strip()
    return candidate.lower().endswith(QUERY_FILE_SUFFIXES) and not any(
        char.isspace() for char in candidate
    )


Bindings = Mapping[str, Term]


def run_query(
    graph: rdflib.Graph | pyoxigraph.Store, query_text: str, bindings: Bindings | None = None
) -> QueryResult:
    """Run a read-only SPARQL query with `PREFIXES` declared; QueryError if it is not one.

    The query is checked either way (read-only, no SERVICE, no FROM): by rdflib's parser
    for rdflib, by its words for an Oxigraph store, which parses and answers it itself (kg
    sorting the rows, see `_closing_order`). `bindings` give variables of the query their
    values through the engine's own bindings (Oxigraph's substitutions, rdflib's
    initBindings), so a value is only ever a term, whatever text it holds. It runs for as
    long as it takes: `query_graph_file` is the way to ask with a time limit.
    """
    if isinstance(graph, pyoxigraph.Store):
        return _run_on_store(graph, _screen(query_text, bindings))
    return _run_on_rdflib(graph, _prepare(query_text, bindings))


DEFAULT_TIMEOUT = 30.0


def query_graph_file(
    graph_path: Path,
    query_text: str,
    timeout: float | None = DEFAULT_TIMEOUT,
    bindings: Bindings | None = None,
) -> QueryResult:
    """Answer a read-only query over the graph file at `graph_path` (as `run_query` does),
    stopping it with a QueryError once it has run for `timeout` seconds (None: no limit).

    The time counted is time spent waiting for the engine, so a reader slow to take the
    rows of a long answer does not use it up. The build's Oxigraph store is asked in a
    child process, killed when time is up: Oxigraph computes an aggregate over a large
    join in Rust without coming back to Python, so nothing in this process could stop it.
    A graph file with no store is parsed here and asked through rdflib, which an alarm
    signal stops; signals reach only the main thread, so elsewhere it has no limit.
    """
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout}")
    store = fresh_store(graph_path)
    if store is not None:
        # Screened, not parsed: Oxigraph parses it in the child. rdflib's parser would add
        # a tenth of a second or more to every question, a tenth of the whole process.
        screened = _screen(query_text, bindings)
        try:
            return _run_in_child(store, screened, timeout)
        except _StoreUnreadable:
            pass  # a damaged or foreign folder: the file is still there
        except _RefusedByStore:
            _prepare(query_text, bindings)  # rdflib's message, where rdflib refuses it too
            raise
    checked = _prepare(query_text, bindings)
    graph = load_graph(graph_path)
    try:
        with _alarm_after(timeout):
            return _run_on_rdflib(graph, checked)
    except _TimeUp:
        raise _stopped(timeout) from None


@dataclass(frozen=True)
class _CheckedQuery:
    """A query kg accepts: its text, rdflib's algebra (None when only screened for the
    store), its kind, whether it is `SELECT *` (whose columns the engines give in orders of
    their own), and the values bound to its variables, each written in N-Triples."""

    text: str
    algebra: Query | None
    kind: QueryKind
    select_star: bool
    bindings: tuple[tuple[str, str], ...] = ()
    # The ORDER BY that ends a SELECT, when kg sorts for the store (kg.ordering), and the
    # text the store is then given: the query without it.
    order: tuple[OrderCondition, ...] = ()
    unordered_text: str | None = None

    @property
    def store_text(self) -> str:
        return self.text if self.unordered_text is None else self.unordered_text

    def rdflib_bindings(self) -> dict[Variable, Node]:
        return {Variable(name): _term_from_ntriples(term) for name, term in self.bindings}

    def oxigraph_substitutions(self) -> dict[pyoxigraph.Variable, Any]:
        return {
            pyoxigraph.Variable(name): store_query_process.parse_term(term)
            for name, term in self.bindings
        }


def _run_on_rdflib(graph: rdflib.Graph, checked: _CheckedQuery) -> QueryResult:
    try:
        result = graph.query(checked.algebra, initBindings=checked.rdflib_bindings())
        return _to_query_result(result, checked)
    # Evaluation errors come from rdflib as bare Exceptions (unknown functions, bad
    # casts in ORDER BY, ...): all are problems with the query as the user wrote it.
    except Exception as exc:
        raise QueryError(f"query failed: {_one_line(exc)}") from None


def _run_on_store(store: pyoxigraph.Store, checked: _CheckedQuery) -> QueryResult:
    try:
        answer = store.query(
            checked.store_text, prefixes=PREFIXES, substitutions=checked.oxigraph_substitutions()
        )
    except SyntaxError as exc:
        _prepare(checked.text)  # rdflib's message, where rdflib refuses it too
        raise QueryError(f"query failed: {_one_line(exc)}") from None
    except (OSError, ValueError) as exc:
        raise QueryError(f"query failed: {_one_line(exc)}") from None
    return _from_oxigraph(answer, checked)


# About 30 MB of terms at most.
TERMS_REMEMBERED = 100_000


def _from_oxigraph(answer: object, checked: _CheckedQuery) -> QueryResult:
    """An Oxigraph answer (from the store, or parsed from a child's output) as a QueryResult;
    a graph or a boolean is read whole, a SELECT's rows as they are taken."""
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(kind="ASK", boolean=bool(answer))
    if checked.kind in ("CONSTRUCT", "DESCRIBE"):
        graph = rdflib.Graph()
        for triple in answer:  # type: ignore[attr-defined]
            graph.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
        _bind_prefixes(graph)
        return QueryResult(kind=checked.kind, graph=graph)
    if not isinstance(answer, pyoxigraph.QuerySolutions):
        raise QueryError(f"query failed: an answer kg cannot read ({type(answer).__name__})")
    given = tuple(variable.value for variable in answer.variables)
    variables = _in_order_of_appearance(given, checked.text) if checked.select_star else given
    # By position: a solution looks a name up at a cost that doubles a listing's time.
    positions = tuple(given.index(variable) for variable in variables)
    # A listing repeats its terms (a council on each of its adverts): each is converted once,
    # and what is remembered is bounded, for an answer streamed in millions of rows.
    converted: dict[object, Term | None] = {None: None}

    def convert(term: object) -> Term | None:
        known = converted.get(term)
        if known is None and term is not None:
            if len(converted) >= TERMS_REMEMBERED:
                converted.clear()
                converted[None] = None
            known = converted[term] = _term(term, canonical_money=True)
        return known

    rows: Iterable[Row]
    if positions == tuple(range(len(given))):  # a solution iterates in the answer's order
        rows = (tuple(map(convert, solution)) for solution in answer)  # type: ignore[call-overload]
    else:
        rows = (tuple(convert(solution[position]) for position in positions) for solution in answer)
    if checked.order:  # the store was asked without its ORDER BY
        rows = sort_rows(rows, variables, checked.order)  # type: ignore[assignment]
    return QueryResult(kind="SELECT", variables=variables, row_source=rows)


# A variable's name as SPARQL's grammar has it (Python's \w takes less), and a variable as
# SPARQL writes it: "?name" or "$name".
NAME = r"[A-Za-z0-9_\u00b7\u00c0-\U000effff]+"
VARIABLE = re.compile(rf"[?$]({NAME})")


def _in_order_of_appearance(variables: Iterable[str], query_text: str) -> tuple[str, ...]:
    """`SELECT *` columns in the order the query first names them: rdflib gives them in
    the order of a set, which changes from run to run, and Oxigraph alphabetically."""
    first_seen: dict[str, int] = {}
    for match in VARIABLE.finditer(query_text):
        first_seen.setdefault(match[1], match.start())
    unseen = len(query_text)
    return tuple(sorted(variables, key=lambda name: (first_seen.get(name, unseen), name)))


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
DECIMAL = URIRef(XSD_DECIMAL)
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _term(term: object, canonical_money: bool = False) -> Term:
    """An Oxigraph term as the rdflib term the formatters print; with `canonical_money`, a
    decimal as `_same_in_every_engine` writes it."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in {XSD_STRING, RDF_LANG_STRING}:
            return RdfLiteral(term.value)
        if canonical_money and datatype == XSD_DECIMAL:
            # One Literal, not one from the store's form and another in the graph's.
            money = _decimal_as_money(term.value)
            return RdfLiteral(term.value, datatype=DECIMAL) if money is None else money
        return RdfLiteral(term.value, datatype=URIRef(datatype))
    raise QueryError(f"query failed: a result term kg cannot print ({type(term).__name__})")


# ---- a time limit ---------------------------------------------------------------------


class _TimeUp(BaseException):
    """Time is up for a query. A BaseException, as KeyboardInterrupt is, so that neither
    rdflib's `except Exception` clauses nor `_run_on_rdflib`'s take it for a query error."""


def _stopped(timeout: float | None) -> QueryError:
    return QueryError(f"query stopped after {timeout:g} s (--timeout to allow longer)")


# rdflib's operators swallow any exception in a few bare `except:` clauses, so an alarm
# that rings there is lost: it rings again at this interval until the query has stopped.
ALARM_REPEAT_SECONDS = 0.05


@contextmanager
def _alarm_after(seconds: float | None) -> Iterator[None]:
    """Raise _TimeUp in the main thread once `seconds` have passed in the `with` block."""
    if (
        seconds is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    armed = [True]

    def ring(_signal: int, _frame: object) -> None:
        if armed[0]:
            raise _TimeUp

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT_SECONDS)
    try:
        yield
    finally:
        # The alarm may ring once more before it is disarmed; it must not escape from here.
        while True:
            try:
                armed[0] = False
                break
            except _TimeUp:
                continue
        signal.setitimer(signal.ITIMER_REAL, 0)
        # None: the handler before was not set from Python, and cannot be put back from it.
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)


STORE_QUERY_SCRIPT = Path(store_query_process.__file__)
# How long a child that has written its answer, or failed, gets to exit before it is killed.
CHILD_EXIT_SECONDS = 5.0


class _StoreUnreadable(Exception):
    """The child could not open the store: the graph file is read instead."""


class _RefusedByStore(QueryError):
    """Oxigraph would not take the query (a syntax error, say)."""


def _run_in_child(store: Path, checked: _CheckedQuery, timeout: float | None) -> QueryResult:
    answer = _ChildAnswer(store, checked, timeout)
    with answer.reporting_errors():
        answer.wait_until_answering()
        if checked.kind in ("CONSTRUCT", "DESCRIBE"):
            parsed = pyoxigraph.parse(answer, pyoxigraph.RdfFormat.N_TRIPLES)
        else:
            parsed = pyoxigraph.parse_query_results(answer, pyoxigraph.QueryResultsFormat.TSV)
        result = _from_oxigraph(parsed, checked)
        if result.kind != "SELECT":  # read whole already
            answer.finish()
            return result
    result.row_source = answer.checked_rows(result.row_source)
    return result


class _ChildAnswer(io.RawIOBase):
    """The answer to a query, as a child process running STORE_QUERY_SCRIPT writes it.

    Reading waits for the child's next bytes no longer than the time left of `timeout`;
    when that runs out the child is killed and the read raises _TimeUp.
    """

    def __init__(self, store: Path, checked: _CheckedQuery, timeout: float | None) -> None:
        super().__init__()
        self.timeout = timeout
        self.waited = 0.0
        self.timed_out = False
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(STORE_QUERY_SCRIPT), str(store)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise QueryError(f"query failed: cannot start a query process ({exc})") from None
        # A caller that drops the answer unread leaves no process behind.
        self._ended = weakref.finalize(self, _end_process, self.process)
        assert self.process.stdin and self.process.stdout
        try:
            question = {
                "query": checked.store_text,
                "prefixes": PREFIXES,
                "bindings": dict(checked.bindings),
            }
            self.process.stdin.write(json.dumps(question).encode("utf-8"))
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # the child has died already; its exit status says why
        self._output = self.process.stdout.fileno()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._output, selectors.EVENT_READ)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = None if self.timeout is None else max(0.0, self.timeout - self.waited)
        started = time.monotonic()
        ready = self._selector.select(left)
        self.waited += time.monotonic() - started
        if not ready:
            self.timed_out = True
            self.stop()
            raise _TimeUp
        return os.readv(self._output, [buffer])

    def checked_rows(self, rows: Iterable[Row]) -> Iterator[Row]:
        """`rows`, then a check that the child answered in full; the child is stopped when
        the rows are no longer wanted."""
        try:
            with self.reporting_errors():
                yield from rows
                self.finish()
        finally:
            self.stop()

    def wait_until_answering(self) -> None:
        """Wait for the child to open the store and take the query: _StoreUnreadable if it
        cannot open the store, QueryError if Oxigraph refuses the query."""
        if self.read(len(store_query_process.ANSWERING)) == store_query_process.ANSWERING:
            return
        status, message = self._exit()
        if status == store_query_process.STORE_UNREADABLE:
            raise _StoreUnreadable(message)
        raise _RefusedByStore(f"query failed: {message or f'exit status {status}'}")

    def finish(self) -> None:
        """Read to the end of the answer and check the child exited well."""
        while self.read(1 << 16):
            pass
        status, message = self._exit()
        if status != 0:
            raise QueryError(f"query failed: {message or f'exit status {status}'}")

    @contextmanager
    def reporting_errors(self) -> Iterator[None]:
        """Whatever goes wrong reading the answer, as the QueryError that says why."""
        try:
            yield
        except (QueryError, _StoreUnreadable):
            raise
        except (Exception, _TimeUp) as exc:
            if self.timed_out:
                raise _stopped(self.timeout) from None
            _status, message = self._exit()
            raise QueryError(f"query failed: {message or _one_line(exc)}") from None

    def stop(self) -> None:
        self._ended()
        self._selector.close()

    def _exit(self) -> tuple[int, str]:
        """The child's exit status and the line it wrote on stderr, once it has exited."""
        try:
            self.process.wait(CHILD_EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        assert self.process.stderr
        message = self.process.stderr.read().decode("utf-8", "replace")
        return self.process.returncode, _one_line(message) if message.strip() else ""


def _end_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


# ---- checking a query -----------------------------------------------------------------

ALGEBRA_KINDS: dict[str, QueryKind] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def _prepare(query_text: str, bindings: Bindings | None = None) -> _CheckedQuery:
    # rdflib's SPARQL parser takes a tenth of a second to import: only queries that rdflib
    # answers, or that the store refuses, need it.
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(query_text)
    except ParseException as exc:
        update = _as_update(query_text)
        if update is not None and "request" not in update:  # nothing but comments, prefixes
            raise QueryError(
                "empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query"
            ) from None
        if update is not None:
            raise QueryError(
                "read-only: kg query runs SELECT, ASK, CONSTRUCT and DESCRIBE, not updates"
            ) from None
        raise QueryError(f"malformed SPARQL query: {_one_line(exc)}") from None
    try:
        query = translateQuery(parsed, initNs=PREFIXES)
    # rdflib reports an undeclared prefix ("Unknown namespace prefix : foo") and other
    # algebra errors as bare Exceptions.
    except Exception as exc:
        raise QueryError(f"malformed SPARQL query: {_one_line(exc)}") from None
    if _uses_service(query.algebra):
        # rdflib would fetch a SERVICE over HTTP: kg query reads the local graph only.
        raise QueryError("SERVICE is not allowed: kg query answers from the local graph only")
    if query.algebra.get("datasetClause"):
        # rdflib would fetch the graph named by FROM from the web; Oxigraph would look for a
        # named graph, and the built graph has none.
        raise QueryError(
            "FROM and FROM NAMED are not allowed: kg query answers from the local graph only"
        )
    kind = ALGEBRA_KINDS[query.algebra.name]
    select_star = kind == "SELECT" and "projection" not in parsed[1]
    variables = {str(variable) for variable in _variables_of(query.algebra)}
    return _CheckedQuery(
        query_text, query, kind, select_star, _checked_bindings(bindings, variables)
    )


def _checked_bindings(
    bindings: Bindings | None, variables: set[str]
) -> tuple[tuple[str, str], ...]:
    if not bindings:
        return ()
    checked = []
    for name, term in bindings.items():
        if name not in variables:
            raise QueryError(f"cannot bind ?{name}: the query has no such variable")
        if not isinstance(term, URIRef | RdfLiteral):
            raise QueryError(f"cannot bind ?{name}: give an IRI or a literal")
        checked.append((name, ntriples_term(term)))
    return tuple(checked)


def _variables_of(node: object) -> Iterator[Variable]:
    """Every variable anywhere in rdflib's algebra of a query, sub-selects included."""
    if isinstance(node, Variable):
        yield node
    elif isinstance(node, dict):  # rdflib's CompValue is an OrderedDict
        for value in node.values():
            yield from _variables_of(value)
    elif isinstance(node, list | tuple | set | frozenset):
        for value in node:
            yield from _variables_of(value)


def _term_from_ntriples(text: str) -> Node:
    """A term `ntriples_term` wrote, read back as rdflib's."""
    return _term(store_query_process.parse_term(text))


# What the screen masks before it looks for keywords: strings, IRIs and comments, as a SPARQL
# lexer reads them (the leftmost token wins, so a "#" inside a string is no comment).
QUOTED_IRI_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
# A keyword, not part of a prefixed name or a variable ("ex:from", "?service").
KEYWORD = re.compile(r"(?<![\w:?$.-])([A-Za-z]+)(?![\w:-])")
PROLOGUE_KEYWORDS = {"BASE", "PREFIX"}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
UPDATE_KEYWORDS |= {"WITH"}


def _screen(query_text: str, bindings: Bindings | None = None) -> _CheckedQuery:
    """What kg must know of a query before Oxigraph answers it, read from its words alone:
    its kind, whether it is `SELECT *`, and that it is no update and names no SERVICE and no
    FROM. Oxigraph parses it; a query the screen cannot read is parsed by rdflib instead,
    for rdflib's message."""
    masked = _masked(query_text)
    words = [match[1].upper() for match in KEYWORD.finditer(masked)]
    if "SERVICE" in words:
        raise QueryError("SERVICE is not allowed: kg query answers from the local graph only")
    if "FROM" in words:
        raise QueryError(
            "FROM and FROM NAMED are not allowed: kg query answers from the local graph only"
        )
    first = next((word for word in words if word not in PROLOGUE_KEYWORDS), None)
    if first is None or first in UPDATE_KEYWORDS or first not in KINDS_BY_KEYWORD:
        return _prepare(query_text, bindings)  # rdflib says what is wrong
    kind = KINDS_BY_KEYWORD[first]
    select_star = kind == "SELECT" and bool(SELECT_STAR.search(masked))
    variables = {match[1] for match in VARIABLE.finditer(masked)}
    return _CheckedQuery(
        query_text,
        None,
        kind,
        select_star,
        _checked_bindings(bindings, variables),
        *(_closing_order(query_text, masked) if kind == "SELECT" else ((), None)),
    )


# SPARQL's white space (Python's \s takes more).
WS = r"[ \t\r\n]"
# The ORDER BY that ends a query, over variables alone: "ORDER BY ?a DESC(?b)".
CLOSING_ORDER = re.compile(
    rf"(?<![\w:?$.-])ORDER{WS}+BY((?:{WS}*(?:(?:ASC|DESC){WS}*\({WS}*[?$]{NAME}{WS}*\)"
    rf"|[?$]{NAME}))+){WS}*$",
    re.IGNORECASE,
)
ORDER_CONDITION = re.compile(rf"(ASC|DESC)?{WS}*\(?{WS}*[?$]({NAME})", re.IGNORECASE)
# The outer SELECT's projection: up to WHERE or the group that stands for it.
PROJECTION = re.compile(
    r"(?<![\w:?$.-])SELECT(?![\w:-])(.*?)(?:(?<![\w:?$.-])WHERE(?![\w:-])|\{)",
    re.IGNORECASE | re.DOTALL,
)
PROJECTION_TOKEN = re.compile(rf"[()]|[?$]({NAME})|(?<![\w:?$.-])(AS)(?![\w:-])|\*", re.IGNORECASE)
# Outside every group, these may only come after a closing ORDER BY, never before it.
NOT_BEFORE_ORDER = {"LIMIT", "OFFSET", "VALUES", "ORDER"}


def _closing_order(
    query_text: str, masked: str | None = None
) -> tuple[tuple[OrderCondition, ...], str | None]:
    """The ORDER BY that ends a SELECT, if kg can do it for the store (see kg.ordering):
    its conditions and the query without it; else no conditions and None.

    kg can when every condition is a variable the query selects (sorting comes after the
    projection) and nothing follows it: no LIMIT, OFFSET or VALUES needs the rows in order.
    """
    masked = _masked(query_text) if masked is None else masked
    closing = CLOSING_ORDER.search(masked)
    projection = PROJECTION.search(masked)
    if closing is None or projection is None or _misplaced_modifier(masked[: closing.start()]):
        return (), None
    conditions = tuple(
        (match[2], (match[1] or "").upper() == "DESC")
        for match in ORDER_CONDITION.finditer(closing[1])
    )
    selected = _selected(projection[1])
    if selected is not None and any(name not in selected for name, _ in conditions):
        return (), None
    return conditions, query_text[: closing.start()]


def _misplaced_modifier(masked: str) -> bool:
    """Whether a LIMIT, OFFSET, VALUES or ORDER stands outside every group of `masked`:
    before a closing ORDER BY that is an error, which the store must see to say so."""
    depth = 0
    for token in GROUP_OR_KEYWORD.finditer(masked):
        if token[0] == "{":
            depth += 1
        elif token[0] == "}":
            depth -= 1
        elif depth == 0 and token[0].upper() in NOT_BEFORE_ORDER:
            return True
    return False


GROUP_OR_KEYWORD = re.compile(rf"[{{}}]|{KEYWORD.pattern}")


def _selected(projection: str) -> set[str] | None:
    """The variables a projection ("?a (COUNT(?b) AS ?n)") selects; None for "*"."""
    selected: set[str] = set()
    depth, after_as = 0, False
    for token in PROJECTION_TOKEN.finditer(projection):
        if token[0] == "*":
            if depth == 0:
                return None
        elif token[0] == "(":
            depth += 1
        elif token[0] == ")":
            depth -= 1
        elif token[2]:
            after_as = True
        elif depth == 0 or after_as:
            selected.add(token[1])
            after_as = False
    return selected


KINDS_BY_KEYWORD: dict[str, QueryKind] = {
    "SELECT": "SELECT",
    "ASK": "ASK",
    "CONSTRUCT": "CONSTRUCT",
    "DESCRIBE": "DESCRIBE",
}
SELECT_STAR = re.compile(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?\*", re.IGNORECASE)


def _masked(query_text: str) -> str:
    """`query_text` with its strings, IRIs and comments blanked to spaces: a keyword in one
    is no keyword, the words around it stay apart, and positions stay those of the query."""
    return QUOTED_IRI_OR_COMMENT.sub(lambda match: " " * len(match[0]), query_text)


def _uses_service(node: object) -> bool:
    if isinstance(node, dict):  # rdflib's CompValue is an OrderedDict
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        return any(_uses_service(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_service(value) for value in node)
    return False


def _as_update(query_text: str) -> CompValue | None:
    """`query_text` parsed as a SPARQL update, or None if it is not one."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        return parseUpdate(query_text)
    except ParseException:
        return None


def _to_query_result(result: Result, checked: _CheckedQuery) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(kind="ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph if result.graph is not None else rdflib.Graph()
        _bind_prefixes(graph)
        return QueryResult(kind=result.type, graph=graph)
    given = tuple(str(variable) for variable in result.vars or ())
    variables = _in_order_of_appearance(given, checked.text) if checked.select_star else given
    positions = [given.index(variable) for variable in variables]
    rows = tuple(
        tuple(_same_in_every_engine(row[position]) for position in positions) for row in result
    )
    return QueryResult(kind="SELECT", variables=variables, row_source=rows)


CENTS = Decimal("0.01")


def _same_in_every_engine(term: Term | None) -> Term | None:
    """Decimals written as the graph writes money ("34476.00"): Oxigraph keeps the canonical
    form ("34476"), rdflib the form in the file, and a user should see one."""
    if (
        isinstance(term, RdfLiteral)
        and term.datatype is not None
        and str(term.datatype) == XSD_DECIMAL
    ):
        money = _decimal_as_money(str(term))  # not `or`: a Literal of zero is false
        return term if money is None else money
    return term


def _decimal_as_money(lexical: str) -> RdfLiteral | None:
    """A decimal of whole pennies with two places ("34476.00"); None for any other."""
    try:
        value = Decimal(lexical)
        whole_pennies = value.is_finite() and value == value.quantize(CENTS)
    except ArithmeticError:  # not a number, or too many digits to hold in pennies
        return None
    return RdfLiteral(f"{value:.2f}", datatype=DECIMAL) if whole_pennies else None


def _bind_prefixes(graph: rdflib.Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = " ".join(lines) or type(exc).__name__
    if len(message) > MAX_MESSAGE_LENGTH:
        message = message[: MAX_MESSAGE_LENGTH - 1] + "…"
    return message


# ---- formatting -----------------------------------------------------------------------


def format_result(result: QueryResult, fmt: OutputFormat, width: int | None = None) -> str:
    """`result` as text in `fmt`, without a final newline; `width` is for `table` only."""
    text = "".join(stream_result(result, fmt, width))
    return text.removesuffix("\r\n") if text.endswith("\r\n") else text.removesuffix("\n")


def stream_result(
    result: QueryResult, fmt: OutputFormat, width: int | None = None
) -> Iterator[str]:
    """`result` as text in `fmt`, in pieces as the rows come, ending with a newline."""
    if fmt not in FORMATTERS:
        raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATTERS)}")
    if result.graph is not None:
        yield _format_graph(result.graph, fmt) + "\n"
        return
    yield from FORMATTERS[fmt](result, width)


def _format_graph(graph: rdflib.Graph, fmt: OutputFormat) -> str:
    if fmt == "json":
        return graph.serialize(format="json-ld", context=PREFIXES, indent=2).strip()
    return graph.serialize(format="turtle").strip()


# A table is measured whole before it prints, so a long answer is cut here; CSV, TSV and
# JSON print every row as it comes.
TABLE_MAX_ROWS = 1000


def _format_table(result: QueryResult, width: int | None) -> Iterator[str]:
    if result.kind == "ASK":
        yield ("yes" if result.boolean else "no") + "\n"
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for variable in result.variables:
        table.add_column(Text(variable), overflow="fold")
    count = 0
    for row in result.iter_rows():
        count += 1
        if count <= TABLE_MAX_ROWS:
            table.add_row(*(Text(printable(short_term(term))) for term in row))
    footer = f"{count} row" if count == 1 else f"{count:,} rows"
    if count > TABLE_MAX_ROWS:
        footer = f"{TABLE_MAX_ROWS:,} of {footer} shown; --format csv, tsv or json prints them all"
    if result.variables:
        yield render_table(table, width) + "\n"
    yield footer + "\n"


def short_term(term: Node | None) -> str:
    """A term as a person reads it: IRIs shortened by `PREFIXES`, literals plain."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _shorten_iri(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


PASTEABLE_LOCAL_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)")


def _shorten_iri(iri: str) -> str:
    for prefix, namespace in NAMESPACES_LONGEST_FIRST:
        local = iri[len(namespace) :]
        # Only a form the user can paste back into a query: "kgr:person/adam-lent" is not one.
        if iri.startswith(namespace) and PASTEABLE_LOCAL_NAME.fullmatch(local):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _format_csv(result: QueryResult, _width: int | None) -> Iterator[str]:
    # SPARQL 1.1 CSV: header of bare variable names, plain values, CRLF line ends.
    if result.kind == "ASK":
        yield ("true" if result.boolean else "false") + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for rows in _in_blocks(result.iter_rows()):
        for row in rows:
            writer.writerow([_csv_value(term) for term in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


ROWS_PER_WRITE = 2000


def _in_blocks(rows: Iterable[Row]) -> Iterator[list[Row]]:
    block: list[Row] = []
    for row in rows:
        block.append(row)
        if len(block) == ROWS_PER_WRITE:
            yield block
            block = []
    if block:
        yield block


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _format_tsv(result: QueryResult, _width: int | None) -> Iterator[str]:
    # SPARQL 1.1 TSV: header of ?variables, terms written as in N-Triples.
    if result.kind == "ASK":
        yield ("true" if result.boolean else "false") + "\n"
        return
    yield "\t".join(f"?{variable}" for variable in result.variables) + "\n"
    for rows in _in_blocks(result.iter_rows()):
        yield "".join("\t".join(ntriples_term(term) for term in row) + "\n" for row in rows)


def ntriples_term(term: Node | None) -> str:
    """`term` in N-Triples syntax; an unbound value is empty."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, RdfLiteral):
        quoted = f'"{_escape_literal(str(term))}"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    return str(term)


def _escape_literal(text: str) -> str:
    return text.translate(LITERAL_ESCAPES)


def _format_json(result: QueryResult, _width: int | None) -> Iterator[str]:
    # SPARQL 1.1 Query Results JSON; unbound variables are left out of a binding.
    if result.kind == "ASK":
        document: dict[str, object] = {"head": {}, "boolean": bool(result.boolean)}
        yield json.dumps(document, indent=2) + "\n"
        return
    head = json.dumps({"vars": list(result.variables)})
    yield f'{{\n  "head": {head},\n  "results": {{\n    "bindings": ['
    separator = "\n"
    for rows in _in_blocks(result.iter_rows()):
        pieces = []
        for row in rows:
            binding = {
                variable: _json_term(term)
                for variable, term in zip(result.variables, row, strict=True)
                if term is not None
            }
            pieces.append(separator + "      " + json.dumps(binding, ensure_ascii=False))
            separator = ",\n"
        yield "".join(pieces)
    yield "\n    ]\n  }\n}\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    encoded = {"type": "literal", "value": str(term)}
    if isinstance(term, RdfLiteral) and term.language:
        encoded["xml:lang"] = term.language
    elif isinstance(term, RdfLiteral) and term.datatype:
        encoded["datatype"] = str(term.datatype)
    return encoded


FORMATTERS = {
    "table": _format_table,
    "csv": _format_csv,
    "tsv": _format_tsv,
    "json": _format_json,
}
