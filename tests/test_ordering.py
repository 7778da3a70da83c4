from __future__ import annotations

import random

import pyoxigraph
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.ordering import sort_rows, term_sort_key
from kg.query import run_query

KGR = "https://w3id.org/kg-ukcs/id/"

# Each term sorts after the one before it, as SPARQL's ORDER BY puts them.
IN_SPARQL_ORDER = [
    None,
    BNode("b1"),
    URIRef(f"{KGR}org/a"),
    URIRef(f"{KGR}org/b"),
    Literal("-3.5", datatype=XSD.decimal),
    Literal("2", datatype=XSD.integer),
    Literal("9", datatype=XSD.integer),
    Literal("10.25", datatype=XSD.decimal),
    Literal("1.0E2", datatype=XSD.double),
    Literal("Zebra"),
    Literal("apple"),
    Literal("Äpfel"),
]


def test_terms_sort_as_sparql_orders_them() -> None:
    shuffled = IN_SPARQL_ORDER[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=term_sort_key) == IN_SPARQL_ORDER


def test_numbers_sort_by_value_not_by_text() -> None:
    numbers = [Literal(text, datatype=XSD.decimal) for text in ("100", "20.5", "3")]
    assert [str(n) for n in sorted(numbers, key=term_sort_key)] == ["3", "20.5", "100"]


def test_dates_sort_by_day() -> None:
    days = [Literal(day, datatype=XSD.date) for day in ("2021-03-01", "2019-12-31", "2020-06-15")]
    assert [str(d) for d in sorted(days, key=term_sort_key)] == [
        "2019-12-31",
        "2020-06-15",
        "2021-03-01",
    ]


def test_terms_sparql_cannot_compare_still_sort_without_error() -> None:
    awkward = [
        Literal("NaN", datatype=XSD.double),
        Literal("not a number", datatype=XSD.integer),
        Literal("2020-01-01T10:00:00Z", datatype=XSD.dateTime),
        Literal("2020-01-01T09:00:00", datatype=XSD.dateTime),
        Literal("chat", lang="fr"),
        Literal("cat", lang="en"),
        Literal("true", datatype=XSD.boolean),
        Literal("5", datatype=XSD.integer),
        Literal("P1D", datatype=XSD.duration),
    ]
    ordered = sorted(awkward, key=term_sort_key)
    assert ordered[0] == Literal("5", datatype=XSD.integer)  # the one true number leads
    assert ordered.index(Literal("cat", lang="en")) < ordered.index(Literal("chat", lang="fr"))
    assert ordered.index(Literal("2020-01-01T09:00:00", datatype=XSD.dateTime)) < ordered.index(
        Literal("2020-01-01T10:00:00Z", datatype=XSD.dateTime)
    )


def test_rows_sort_by_each_condition_in_turn_and_ties_keep_their_order() -> None:
    rows = [
        (Literal("Essex"), Literal(30000), Literal("first Essex 30k")),
        (Literal("Bromley"), Literal(25000), Literal("Bromley")),
        (Literal("Essex"), Literal(45000), Literal("Essex 45k")),
        (Literal("Essex"), Literal(30000), Literal("second Essex 30k")),
        (None, Literal(1), Literal("no council")),
    ]
    ordered = sort_rows(rows, ("council", "pay", "note"), [("council", False), ("pay", True)])
    assert [str(row[2]) for row in ordered] == [
        "no council",
        "Bromley",
        "Essex 45k",
        "first Essex 30k",
        "second Essex 30k",
    ]


def test_a_condition_on_no_column_leaves_the_order_alone() -> None:
    rows = [(Literal("b"),), (Literal("a"),)]
    assert sort_rows(rows, ("x",), [("missing", False)]) == rows


@pytest.fixture
def store_of_items() -> pyoxigraph.Store:
    """Items with a number, a name, a day, a time, a label and a link, some missing or tied.

    No column mixes numbers, strings and dates: Oxigraph's own order of those depends on the
    order it meets them in."""
    store = pyoxigraph.Store()
    columns = {
        "number": [
            pyoxigraph.Literal("12", datatype=pyoxigraph.NamedNode(str(XSD.integer))),
            pyoxigraph.Literal("3.5", datatype=pyoxigraph.NamedNode(str(XSD.decimal))),
            pyoxigraph.Literal("1.0E3", datatype=pyoxigraph.NamedNode(str(XSD.double))),
            pyoxigraph.Literal("-4", datatype=pyoxigraph.NamedNode(str(XSD.integer))),
            None,
        ],
        "name": [
            pyoxigraph.Literal("Zed"),
            pyoxigraph.Literal("abc"),
            pyoxigraph.Literal("Éclair"),
            None,
        ],
        "day": [
            pyoxigraph.Literal("2020-05-01", datatype=pyoxigraph.NamedNode(str(XSD.date))),
            pyoxigraph.Literal("2019-05-01", datatype=pyoxigraph.NamedNode(str(XSD.date))),
            None,
        ],
        # A zone or none, days apart: Oxigraph orders them (hours apart it would not).
        "when": [
            pyoxigraph.Literal(
                "2020-01-09T00:00:00", datatype=pyoxigraph.NamedNode(str(XSD.dateTime))
            ),
            pyoxigraph.Literal(
                "2020-01-05T00:00:00Z", datatype=pyoxigraph.NamedNode(str(XSD.dateTime))
            ),
            pyoxigraph.Literal(
                "2020-01-01T09:00:00", datatype=pyoxigraph.NamedNode(str(XSD.dateTime))
            ),
        ],
        # Strings in languages and none: by their text, as Oxigraph orders them.
        "label": [
            pyoxigraph.Literal("c", language="en"),
            pyoxigraph.Literal("a", language="fr"),
            pyoxigraph.Literal("b"),
            pyoxigraph.Literal("b", language="en"),
        ],
        "link": [
            pyoxigraph.NamedNode(f"{KGR}thing/z"),
            pyoxigraph.NamedNode(f"{KGR}thing/a"),
            pyoxigraph.BlankNode("anon"),
            None,
        ],
    }
    for number in range(30):
        item = pyoxigraph.NamedNode(f"{KGR}item/{number:02}")
        store.add(pyoxigraph.Quad(item, pyoxigraph.NamedNode(f"{KGR}item"), item))
        for column, values in columns.items():
            value = values[number % len(values)]
            if value is not None:
                store.add(pyoxigraph.Quad(item, pyoxigraph.NamedNode(f"{KGR}{column}"), value))
    return store


@pytest.mark.parametrize(
    "order",
    [
        "?number ?item",
        "DESC(?number) ?item",
        "?name DESC(?day) ?link ?item",
        "DESC(?link) ?number DESC(?item)",
        "?day ?name ?number ?link ?item",
        "?when ?item",
        "DESC(?label) ?item",
    ],
)
def test_kg_sorts_a_store_answer_as_oxigraph_would(
    store_of_items: pyoxigraph.Store, order: str
) -> None:
    query = f"""SELECT ?item ?number ?name ?day ?when ?label ?link WHERE {{
        ?item kgr:item ?item .
        OPTIONAL {{ ?item kgr:number ?number }} OPTIONAL {{ ?item kgr:name ?name }}
        OPTIONAL {{ ?item kgr:day ?day }} OPTIONAL {{ ?item kgr:when ?when }}
        OPTIONAL {{ ?item kgr:label ?label }} OPTIONAL {{ ?item kgr:link ?link }}
    }} ORDER BY {order}"""
    # A LIMIT after the ORDER BY leaves the sorting to Oxigraph.
    by_kg = run_query(store_of_items, query).rows
    by_oxigraph = run_query(store_of_items, query + " LIMIT 1000").rows
    assert len(by_kg) == 30
    assert by_kg == by_oxigraph
