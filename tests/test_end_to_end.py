"""An article written for the tests, in the house style but unlike the samples, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.build import build
from kg.query import run_query

ARTICLE = Path(__file__).parent / "data" / "county_councils_report.txt"


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    out = tmp_path_factory.mktemp("out")
    build([ARTICLE], out, workers=1, html=False)
    return Graph().parse(out / "graph.ttl")


def rows(graph: Graph, query: str) -> set[tuple[str, ...]]:
    return {tuple(str(term) for term in row) for row in run_query(graph, query).rows}


def test_posts(graph: Graph) -> None:
    query = """SELECT ?person ?role ?org WHERE { ?m a org:Membership ;
        org:member/rdfs:label ?person ; org:role/rdfs:label ?role ;
        org:organization/rdfs:label ?org }"""
    assert rows(graph, query) == {
        ("Tim Oliver", "chairman", "County Councils Network"),
        ("Will Quince", "children's minister", "Department for Education"),
        ("Steve Crocker", "president", "Association of Directors of Children's Services"),
    }


def test_the_report_its_partner_and_what_it_recommends(graph: Graph) -> None:
    query = """SELECT ?report ?publisher ?partner ?policy WHERE { ?r a schema:Report ;
        rdfs:label ?report ; schema:publisher/rdfs:label ?publisher ;
        kg:partner/rdfs:label ?partner ; kg:recommends/rdfs:label ?policy }"""
    found = rows(graph, query)
    assert {row[:3] for row in found} == {
        ("Children's Services at Breaking Point", "County Councils Network", "Newton Europe")
    }
    assert {row[3] for row in found} == {
        "increase funding for early help services",
        "cap the profits of private children's homes providers",
        "a national recruitment campaign for foster carers",
        "expand the regional adoption agencies",
        "provide long-term funding in the next Spending Review",
    }


def test_announcements_and_their_money(graph: Graph) -> None:
    query = """SELECT ?actor ?reform ?pounds WHERE { ?a kg:announces ?r . ?a rdfs:label ?actor .
        ?r rdfs:label ?reform . OPTIONAL { ?r kg:amount/schema:value ?pounds } }"""
    assert rows(graph, query) == {
        ("Department for Education", "£45m pilot of family hubs", "45000000.00"),
        ("Department for Education", "Review of the children's social care workforce", "None"),
        ("UK Government", "£259m in secure and open children's homes", "259000000.00"),
    }


def test_a_gap_keeps_its_amount(graph: Graph) -> None:
    query = """SELECT ?about ?pounds WHERE { ?m kg:moneyFor ?about ; schema:value ?pounds .
        FILTER NOT EXISTS { ?r kg:amount ?m } }"""
    assert rows(graph, query) == {("funding gap", "1600000000.00")}


def test_quotations_are_given_to_their_speakers(graph: Graph) -> None:
    query = "SELECT ?who WHERE { ?q a schema:Quotation ; schema:creator/rdfs:label ?who }"
    assert rows(graph, query) == {("Tim Oliver",), ("Steve Crocker",)}


def test_jobs(graph: Graph) -> None:
    query = """SELECT ?title ?ons ?min ?max ?unit WHERE { ?j schema:title ?title ;
        schema:hiringOrganization/kg:onsCode ?ons ;
        schema:baseSalary/schema:value [ schema:minValue ?min ; schema:maxValue ?max ;
        schema:unitText ?unit ] }"""
    assert rows(graph, query) == {
        ("Head of Children's Services", "E10000016", "95000.00", "105000.00", "YEAR"),
        ("Family Support Worker", "E09000012", "15.50", "15.50", "HOUR"),
    }
