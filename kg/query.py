"""SPARQL over a built graph for `kg query`: read a query, run it, format the answer.

Queries are read-only: the graph on disk is an output of `kg build`, so an update
would only change a copy in memory and mislead the user into thinking it was saved.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pyoxigraph
import rdflib
from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import BNode, Node, URIRef
from rdflib.term import Literal as RdfLiteral
from rich import box
from rich.table import Table
from rich.text import Text

from kg.errors import QueryError
from kg.terminal import render_table

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

    A store's rows come as the store makes them: `iter_rows` streams them once, for
    printing an answer of millions of rows; `rows` keeps them all.
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
    path = Path(query)
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


def run_query(graph: rdflib.Graph | pyoxigraph.Store, query_text: str) -> QueryResult:
    """Run a read-only SPARQL query with `PREFIXES` bound; QueryError if it is not one.

    The query is checked with rdflib's parser either way (read-only, no SERVICE); an
    Oxigraph store then answers it itself.
    """
    prepared = _prepare(query_text)
    if isinstance(graph, pyoxigraph.Store):
        return _run_on_store(graph, query_text)
    try:
        result = graph.query(prepared)
        return _to_query_result(result)
    # Evaluation errors come from rdflib as bare Exceptions (unknown functions, bad
    # casts in ORDER BY, ...): all are problems with the query as the user wrote it.
    except Exception as exc:
        raise QueryError(f"query failed: {_one_line(exc)}") from None


PREFIX_DECLARATIONS = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def _run_on_store(store: pyoxigraph.Store, query_text: str) -> QueryResult:
    try:
        answer = store.query(PREFIX_DECLARATIONS + query_text)
    except (SyntaxError, OSError, ValueError) as exc:
        raise QueryError(f"query failed: {_one_line(exc)}") from None
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(kind="ASK", boolean=bool(answer))
    if isinstance(answer, pyoxigraph.QueryTriples):
        graph = rdflib.Graph()
        for triple in answer:
            graph.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
        _bind_prefixes(graph)
        kind: QueryKind = "DESCRIBE" if _is_describe(query_text) else "CONSTRUCT"
        return QueryResult(kind=kind, graph=graph)
    variables = tuple(variable.value for variable in answer.variables)
    rows = (
        tuple(
            None if term is None else _same_in_every_engine(_term(term))
            for term in (solution[variable] for variable in variables)
        )
        for solution in answer
    )
    return QueryResult(kind="SELECT", variables=variables, row_source=rows)


def _is_describe(query_text: str) -> bool:
    return re.search(r"\bDESCRIBE\b", query_text, re.I) is not None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _term(term: object) -> Term:
    """An Oxigraph term as the rdflib term the formatters print."""
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
        return RdfLiteral(term.value, datatype=URIRef(datatype))
    raise QueryError(f"query failed: a result term kg cannot print ({type(term).__name__})")


def _prepare(query_text: str) -> Query:
    try:
        parsed = parseQuery(query_text)
    except ParseException as exc:
        if _is_update(query_text):
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
    return query


def _uses_service(node: object) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_service(value) for value in node)
    return False


def _is_update(query_text: str) -> bool:
    try:
        parseUpdate(query_text)
    except ParseException:
        return False
    return True


def _to_query_result(result: Result) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(kind="ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph if result.graph is not None else rdflib.Graph()
        _bind_prefixes(graph)
        return QueryResult(kind=result.type, graph=graph)
    variables = tuple(str(variable) for variable in result.vars or ())
    rows = tuple(tuple(_same_in_every_engine(term) for term in row) for row in result)
    return QueryResult(kind="SELECT", variables=variables, row_source=rows)


XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
CENTS = Decimal("0.01")


def _same_in_every_engine(term: Term | None) -> Term | None:
    """Decimals written as the graph writes money ("34476.00"): Oxigraph keeps the canonical
    form ("34476"), rdflib the form in the file, and a user should see one."""
    if (
        isinstance(term, RdfLiteral)
        and term.datatype is not None
        and str(term.datatype) == XSD_DECIMAL
    ):
        try:
            value = Decimal(str(term))
        except ArithmeticError:
            return term
        if value == value.quantize(CENTS):
            return RdfLiteral(f"{value:.2f}", datatype=term.datatype)
    return term


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
            table.add_row(*(Text(short_term(term)) for term in row))
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
