"""SPARQL's ORDER BY over the rows of an answer, done in Python for the Oxigraph store.

Oxigraph sorts by reading each term back from its store at every comparison, and for an
answer of tens of thousands of rows that costs more than finding them (40,000 job adverts
of a 10,000-article graph: 2.4 s of 7.6 s; who works where, 147,000 rows: 17 s of 22 s).
When a query ends in ORDER BY over variables it selects, kg asks the store without it and
sorts the rows here, in SPARQL's order: unbound first, then blank nodes, IRIs, literals.
Literals go as Oxigraph puts them wherever its order is one: numbers by value, strings by
their text (then language), booleans, dates and times by value (a time without a zone as if
in UTC); numbers before strings, and the rest by their text. Rows left tied (blank nodes
among them) keep the store's order. The rows are held whole to be sorted, as the store held
them whole to sort them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from rdflib import XSD
from rdflib.term import BNode, Node, URIRef
from rdflib.term import Literal as RdfLiteral

# (variable, descending) for each condition of the ORDER BY, first condition first.
OrderCondition = tuple[str, bool]

NUMERIC_TYPES = frozenset(
    str(XSD[name])
    for name in (
        "integer decimal double float long int short byte nonNegativeInteger positiveInteger"
        " nonPositiveInteger negativeInteger unsignedLong unsignedInt unsignedShort"
        " unsignedByte"
    ).split()
)
XSD_STRING = str(XSD.string)
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
DATE_AND_TIME_TYPES = frozenset(str(XSD[name]) for name in ("date", "dateTime", "time"))
BOOLEAN_TYPE = str(XSD.boolean)

# Where each kind of term sorts: SPARQL puts unbound before blank nodes before IRIs before
# literals, and leaves the order of literals it cannot compare to each engine.
UNBOUND, BLANK, IRI, NUMBER, STRING, BOOLEAN, DATE_OR_TIME, OTHER = range(8)

SortKey = tuple[Any, ...]


def sort_rows(
    rows: Iterable[Sequence[Node | None]],
    variables: Sequence[str],
    conditions: Sequence[OrderCondition],
) -> list[Sequence[Node | None]]:
    """`rows` (of `variables`) in the order of `conditions`; a variable that is not a
    column is unbound in every row, as it is to the engine."""
    ordered = list(rows)
    # Keyed by identity: an rdflib term hashes and compares in Python, and a listing's rows
    # share their terms (see kg.query). Every term stays alive in `ordered`, so no id is
    # reused while the sort runs.
    keys: dict[int, SortKey] = {}

    def key_of(term: Node | None) -> SortKey:
        known = keys.get(id(term))
        if known is None:
            known = keys[id(term)] = term_sort_key(term)
        return known

    def row_key(positions: tuple[int | None, ...]) -> Callable[[Sequence[Node | None]], Any]:
        if len(positions) == 1 and positions[0] is not None:
            position = positions[0]
            return lambda row: key_of(row[position])
        return lambda row: tuple(
            key_of(None if position is None else row[position]) for position in positions
        )

    # Stable sorts, last run first, each over a run of conditions of one direction.
    for positions, descending in reversed(_runs(variables, conditions)):
        ordered.sort(key=row_key(positions), reverse=descending)
    return ordered


def _runs(
    variables: Sequence[str], conditions: Sequence[OrderCondition]
) -> list[tuple[tuple[int | None, ...], bool]]:
    """The conditions as runs of one direction, each run's columns (None: no such column)."""
    runs: list[tuple[list[int | None], bool]] = []
    for variable, descending in conditions:
        position = variables.index(variable) if variable in variables else None
        if runs and runs[-1][1] == descending:
            runs[-1][0].append(position)
        else:
            runs.append(([position], descending))
    return [(tuple(positions), descending) for positions, descending in runs]


def term_sort_key(term: Node | None) -> SortKey:
    """A key under which terms sort as SPARQL's ORDER BY sorts them."""
    if term is None:
        return (UNBOUND,)
    if isinstance(term, BNode):
        return (BLANK,)  # a blank node's label means nothing
    if isinstance(term, URIRef):
        return (IRI, str(term))
    if isinstance(term, RdfLiteral):
        return _literal_key(term)
    return (OTHER, str(term), "")


def _literal_key(literal: RdfLiteral) -> SortKey:
    text = str(literal)
    if literal.language:
        # Oxigraph's order for strings of any languages, and plain ones: text first.
        return (STRING, text, RDF_LANG_STRING, literal.language.lower())
    datatype = "" if literal.datatype is None else str(literal.datatype)
    if not datatype or datatype == XSD_STRING:
        return (STRING, text, XSD_STRING, "")
    value = literal.value if not literal.ill_typed else None
    if datatype in NUMERIC_TYPES and _is_number(value):
        return (NUMBER, value)
    if datatype == BOOLEAN_TYPE and isinstance(value, bool):
        return (BOOLEAN, value)
    if datatype in DATE_AND_TIME_TYPES and isinstance(value, dt.date | dt.time):
        return (DATE_OR_TIME, datatype, _in_utc(value))
    return (OTHER, text, datatype)


def _in_utc(value: dt.date | dt.time) -> dt.date | dt.time:
    """A date-time or time without a zone as if in UTC, so that any two compare (XPath
    leaves those within 14 hours of a zoned one unordered)."""
    if isinstance(value, dt.datetime | dt.time) and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def _is_number(value: object) -> bool:
    """A number SPARQL orders: not a boolean, and not NaN, which compares with nothing."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return not (value.is_nan() if isinstance(value, Decimal) else math.isnan(value))
