from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS

from kg.cli import main
from kg.network import (
    Fact,
    analyse,
    describe,
    ego_network,
    exportable,
    layout,
    read_network,
    write_export,
)
from kg.vocab import KG

ID = Namespace("https://w3id.org/kg-ukcs/id/")
SDO = Namespace("https://schema.org/")

TOM = ID["person/tom-okafor"]
EASTBY = ID["council/eastby"]
WESTBY = ID["council/westby"]
DEPARTMENT = ID["org/department-for-education"]
REFORM = ID["reform/new-family-hubs"]
JOB = ID["job/social-worker-westby"]
LONER = ID["person/ada-lonely"]
SPRING = ID["article/spring"]
AUTUMN = ID["article/autumn"]


def article(graph: Graph, node: URIRef, headline: str, date: str) -> None:
    graph.add((node, RDF.type, SDO.NewsArticle))
    graph.add((node, SDO.identifier, Literal(str(node).rsplit("/", 1)[-1])))
    graph.add((node, SDO.headline, Literal(headline)))
    graph.add((node, SDO.datePublished, Literal(dt.date.fromisoformat(date))))


def entity(graph: Graph, node: URIRef, label: str, source: URIRef, *types: URIRef) -> None:
    for rdf_type in types:
        graph.add((node, RDF.type, rdf_type))
    graph.add((node, RDFS.label, Literal(label)))
    graph.add((node, PROV.wasDerivedFrom, source))


def network_graph() -> Graph:
    """Tom holds a post at Eastby (2021) and one at Westby (2022); the department announces
    a reform (2022); Westby advertises a job (2022); Ada is only mentioned."""
    graph = Graph()
    article(graph, SPRING, "Eastby appoints Tom Okafor", "2021-03-04")
    article(graph, AUTUMN, "Westby hires and the department plans hubs", "2022-10-11")
    entity(graph, TOM, "Tom Okafor", SPRING, FOAF.Person)
    entity(graph, EASTBY, "Eastby Council", SPRING, KG.LocalAuthority)
    entity(graph, WESTBY, "Westby Council", AUTUMN, KG.LocalAuthority)
    entity(graph, DEPARTMENT, "Department for Education", AUTUMN, KG.GovernmentDepartment)
    entity(graph, REFORM, "new family hubs", AUTUMN, KG.Reform)
    entity(graph, LONER, "Ada Lonely", SPRING, FOAF.Person)
    for number, (council, role, source, sentence) in enumerate(
        [
            (EASTBY, "head of safeguarding", SPRING, "Tom Okafor joins Eastby as its head."),
            (WESTBY, "director", AUTUMN, "Westby named Tom Okafor its director."),
        ]
    ):
        membership = ID[f"membership/{number}"]
        graph.add((membership, RDF.type, ORG.Membership))
        graph.add((membership, ORG.member, TOM))
        graph.add((membership, ORG.organization, council))
        graph.add((membership, ORG.role, ID[f"role/{number}"]))
        graph.add((ID[f"role/{number}"], RDFS.label, Literal(role)))
        graph.add((membership, KG.evidence, Literal(sentence)))
        graph.add((membership, KG.rule, Literal("post-of-org")))
        graph.add((membership, PROV.wasDerivedFrom, source))
    announcement = ID["announcement/1"]
    graph.add((DEPARTMENT, KG.announces, REFORM))
    graph.add((announcement, RDF.type, KG.Announcement))
    graph.add((announcement, KG.actor, DEPARTMENT))
    graph.add((announcement, KG.reform, REFORM))
    graph.add((announcement, KG.evidence, Literal("The department will fund family hubs.")))
    graph.add((announcement, KG.extractor, Literal("announcements")))
    graph.add((announcement, PROV.wasDerivedFrom, AUTUMN))
    entity(graph, JOB, "Social Worker", AUTUMN, SDO.JobPosting)
    graph.add((JOB, SDO.hiringOrganization, WESTBY))
    graph.add((JOB, KG.evidence, Literal("Social Worker, Westby Council, £39,000")))
    return graph


def described() -> nx.MultiDiGraph:
    graph = network_graph()
    network = read_network(graph)
    describe(graph, network)
    analyse(network)
    return network


def test_reads_a_node_per_entity_and_an_edge_per_link() -> None:
    network = read_network(network_graph())
    assert {node: kind.key for node, kind in network.nodes(data="kind")} == {
        TOM: "person",
        EASTBY: "local-authority",
        WESTBY: "local-authority",
        DEPARTMENT: "government",
        REFORM: "reform",
        JOB: "job",
        LONER: "person",
    }
    assert list(network) == sorted(network, key=str)
    assert set(network.edges(keys=True)) == {
        (TOM, EASTBY, "head of safeguarding"),
        (TOM, WESTBY, "director"),
        (DEPARTMENT, REFORM, "announces"),
        (JOB, WESTBY, "hiring"),
    }


def test_facts_carry_evidence_headline_date_and_rule() -> None:
    network = described()
    assert network.nodes[TOM]["facts"] == [
        Fact(
            "Post held",
            "Tom Okafor: head of safeguarding, Eastby Council",
            "Tom Okafor joins Eastby as its head.",
            "Eastby appoints Tom Okafor",
            "2021-03-04",
            "spring",
            "post-of-org",
        ),
        Fact(
            "Post held",
            "Tom Okafor: director, Westby Council",
            "Westby named Tom Okafor its director.",
            "Westby hires and the department plans hubs",
            "2022-10-11",
            "autumn",
            "post-of-org",
        ),
    ]
    (announced,) = network.nodes[REFORM]["facts"]
    assert announced.kind == "Announced"
    assert announced.text == "Department for Education announces new family hubs"
    assert announced.rule == "announcements"  # no rule: the extractor
    assert [fact.kind for fact in network.nodes[WESTBY]["facts"]] == ["Post held", "Advertises"]
    assert network.nodes[LONER]["facts"] == []
    assert network.nodes[LONER]["sources"][0].headline == "Eastby appoints Tom Okafor"


def test_years_come_from_the_facts_and_sources_of_a_node_and_an_edge() -> None:
    network = described()
    assert network.nodes[TOM]["years"] == [2021, 2022]
    assert network.nodes[EASTBY]["years"] == [2021]
    assert network.nodes[REFORM]["years"] == [2022]
    assert network[TOM][EASTBY]["head of safeguarding"]["years"] == [2021]
    assert network[TOM][WESTBY]["director"]["years"] == [2022]
    assert network[JOB][WESTBY]["hiring"]["years"] == [2022]


def test_newest_facts_keeps_the_newest_and_counts_all() -> None:
    graph = network_graph()
    network = read_network(graph)
    describe(graph, network, newest_facts=1)
    assert [fact.date for fact in network.nodes[TOM]["facts"]] == ["2022-10-11"]
    assert network.nodes[TOM]["fact_count"] == 2
    assert network.nodes[TOM]["years"] == [2021, 2022]


def test_analyse_gives_degree_betweenness_components_and_isolation() -> None:
    network = described()
    assert network.nodes[WESTBY]["degree"] == 2
    # Of the 15 pairs of other nodes, Westby is between two (Eastby or Tom, and the job),
    # as Tom is (Eastby, and Westby or the job).
    assert network.nodes[WESTBY]["betweenness"] == pytest.approx(2 / 15, abs=1e-6)
    assert network.nodes[TOM]["betweenness"] == pytest.approx(2 / 15, abs=1e-6)
    assert network.nodes[EASTBY]["betweenness"] == 0
    assert [network.nodes[node]["component"] for node in (TOM, EASTBY, JOB)] == [0, 0, 0]
    assert network.nodes[DEPARTMENT]["component"] == network.nodes[REFORM]["component"] == 1
    assert network.nodes[LONER]["component"] == 2
    assert [node for node, alone in network.nodes(data="isolated") if alone] == [LONER]


def test_ego_network_of_one_and_two_links() -> None:
    network = read_network(network_graph())
    assert set(ego_network(network, [WESTBY], 1)) == {WESTBY, TOM, JOB}
    assert set(ego_network(network, [WESTBY], 2)) == {WESTBY, TOM, JOB, EASTBY}
    assert set(ego_network(network, [JOB, REFORM], 1)) == {JOB, WESTBY, REFORM, DEPARTMENT}


def test_layout_places_every_node_once_the_same_each_time() -> None:
    network = described()
    positions = layout(network)
    assert set(positions) == set(network)
    assert len(set(positions.values())) == len(network)
    assert layout(read_network(network_graph())) == positions
    # The node linked to nothing sits below the linked ones.
    assert positions[LONER][1] > max(y for node, (_, y) in positions.items() if node != LONER)


def test_a_hub_and_its_leaves_lay_out_on_rings_around_it() -> None:
    hub = nx.MultiDiGraph()
    for number in range(200):
        hub.add_edge(f"leaf-{number:03d}", "hub", key="hiring")
    positions = layout(hub)
    cx, cy = positions["hub"]
    distances = sorted(
        round(((x - cx) ** 2 + (y - cy) ** 2) ** 0.5) for node, (x, y) in positions.items()
    )
    assert distances[0] == 0 and distances[1] > 50  # nothing on top of the hub
    assert len(set(positions.values())) == 201


@pytest.mark.parametrize("format", ["graphml", "gexf"])
def test_exports_read_back_in_networkx(format: str) -> None:
    network = described()
    out = io.BytesIO()
    write_export(network, format, out)
    out.seek(0)
    back = nx.read_graphml(out) if format == "graphml" else nx.read_gexf(out)
    assert set(back) == set(map(str, network))
    assert back.number_of_edges() == 4
    tom = back.nodes[str(TOM)]
    assert (tom["kind"], tom["facts"], tom["years"]) == ("person", 2, "2021 2022")
    assert tom["label"] == "Tom Okafor"


def test_the_json_export_lists_each_nodes_facts() -> None:
    out = io.BytesIO()
    write_export(described(), "json", out)
    data = json.loads(out.getvalue())
    nodes = {node["id"]: node for node in data["nodes"]}
    assert nodes[str(TOM)]["facts"][1]["evidence"] == "Westby named Tom Okafor its director."
    assert nodes[str(TOM)]["years"] == [2021, 2022]
    assert {(link["source"], link["target"], link["label"]) for link in data["links"]} == {
        (str(s), str(t), label) for s, t, label in exportable(described()).edges(keys=True)
    }


def test_kg_export_writes_the_whole_network(tmp_path: Path) -> None:
    graph_path = tmp_path / "graph.ttl"
    network_graph().serialize(graph_path, format="turtle")
    out = tmp_path / "network.graphml"
    runner = CliRunner()
    result = runner.invoke(
        main, ["export", "--graph", str(graph_path), "--format", "graphml", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"7 nodes, 4 links: {out}"
    assert nx.read_graphml(out).number_of_nodes() == 7
    to_stdout = runner.invoke(main, ["export", "--graph", str(graph_path), "--format", "json"])
    assert to_stdout.exit_code == 0
    assert len(json.loads(to_stdout.stdout_bytes)["nodes"]) == 7


def test_kg_export_needs_a_known_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "dot"])
    assert result.exit_code == 2
    assert "'dot' is not one of" in result.output


def test_a_bare_node_has_its_iri_tail_as_label() -> None:
    graph = Graph()
    graph.add((URIRef("https://example.org/id/lone-body"), RDF.type, KG.Charity))
    network = read_network(graph)
    describe(graph, network)
    assert network.nodes[URIRef("https://example.org/id/lone-body")]["label"] == "lone-body"
