from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.build import extract_corpus
from kg.corpus import bundled_samples
from kg.errors import ViewError
from kg.rdf import build_graph, oxigraph_triples
from kg.render import MAX_NODES, render_network
from kg.resolve import resolve
from kg.store import as_rdflib_graph
from kg.vocab import KG

ID = Namespace("https://w3id.org/kg-ukcs/id/")
# A plain Namespace: pytest probes module attributes, and rdflib's SDO warns on each probe.
SDO = Namespace("https://schema.org/")

PERSON = ID["person/jane-smith"]
COUNCIL = ID["organisation/kent-county-council"]
REPORT = ID["report/care-review-final-report"]
POLICY = ID["policy/raise-care-leaver-age"]
JOB = ID["job/senior-social-worker-kent"]
ARTICLE = ID["article/001_c31a83825a9d8308"]

GRAPH_DATA = re.compile(
    r'<script type="application/json" id="graph-data">(.*?)</script>', re.DOTALL
)
LEGEND = re.compile(r'<ul id="legend">(.*?)</ul>', re.DOTALL)
LEGEND_ENTRY = re.compile(r'data-kind="([^"]+)".*?<span class="count">(\d+)</span>')

EXTERNAL_REFERENCES = (
    re.compile(r"""<script[^>]+src=["']https?:""", re.IGNORECASE),
    re.compile(r"""<link[^>]+href=["']https?:""", re.IGNORECASE),
    re.compile(r"""\b(?:src|href)=["']//""", re.IGNORECASE),
    re.compile(r"@import", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.IGNORECASE),
)


def add_article(graph: Graph, article: URIRef, stem: str, headline: str, date: str) -> None:
    graph.add((article, RDF.type, SDO.NewsArticle))
    graph.add((article, SDO.identifier, Literal(stem)))
    graph.add((article, SDO.headline, Literal(headline)))
    graph.add((article, SDO.datePublished, Literal(dt.date.fromisoformat(date))))


def add_entity(graph: Graph, node: URIRef, label: str, *types: URIRef) -> None:
    for rdf_type in types:
        graph.add((node, RDF.type, rdf_type))
    graph.add((node, RDFS.label, Literal(label)))
    graph.add((node, PROV.wasDerivedFrom, ARTICLE))


def add_membership(graph: Graph, person: URIRef, organisation: URIRef, role_label: str) -> None:
    membership, role = BNode(), ID["role/" + re.sub(r"\W+", "-", role_label)]
    graph.add((membership, RDF.type, ORG.Membership))
    graph.add((membership, ORG.member, person))
    graph.add((membership, ORG.organization, organisation))
    graph.add((membership, ORG.role, role))
    graph.add((role, RDF.type, ORG.Role))
    graph.add((role, RDFS.label, Literal(role_label)))


def small_graph() -> Graph:
    """A person in a post at a council, a report recommending a policy, and a job advert."""
    graph = Graph()
    add_article(graph, ARTICLE, "001_c31a83825a9d8308", "Kent appoints new director", "2024-03-01")
    add_entity(graph, PERSON, "Jane Smith", FOAF.Person, SDO.Person)
    add_entity(graph, COUNCIL, "Kent County Council", KG.LocalAuthority, ORG.Organization)
    add_membership(graph, PERSON, COUNCIL, "director of children's services")
    add_entity(graph, REPORT, "Care Review final report", SDO.Report)
    add_entity(graph, POLICY, "Raise the care leaver age to 25", KG.Policy)
    graph.add((REPORT, KG.recommends, POLICY))
    recommendation = ID["recommendation/1"]
    graph.add((recommendation, RDF.type, KG.Recommendation))
    graph.add((recommendation, KG.report, REPORT))
    graph.add((recommendation, KG.policy, POLICY))
    graph.add((recommendation, KG.evidence, Literal("The review says support should last to 25.")))
    graph.add((recommendation, PROV.wasDerivedFrom, ARTICLE))
    add_entity(graph, JOB, "Senior Social Worker", SDO.JobPosting)
    graph.add((JOB, SDO.hiringOrganization, COUNCIL))
    salary = ID["salary/1"]
    graph.add((JOB, SDO.baseSalary, salary))
    graph.add((salary, RDF.type, SDO.MonetaryAmount))
    graph.add((salary, KG.salaryText, Literal("£40,000 - £45,000 per annum")))
    quotation = ID["quotation/1"]
    graph.add((quotation, RDF.type, SDO.Quotation))
    graph.add((quotation, SDO.text, Literal("We are delighted.")))
    return graph


def render(graph: Graph, tmp_path: Path, **options: Any) -> tuple[int, str]:
    out_path = tmp_path / "graph.html"
    count = render_network(graph, out_path, **options)
    return count, out_path.read_text(encoding="utf-8")


def graph_data(page: str) -> dict[str, Any]:
    match = GRAPH_DATA.search(page)
    assert match, "the page embeds no graphData"
    return json.loads(match.group(1))


def nodes_by_id(page: str) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in graph_data(page)["nodes"]}


def edge_triples(page: str) -> set[tuple[str, str, str]]:
    return {(edge["from"], edge["to"], edge["label"]) for edge in graph_data(page)["edges"]}


def tip_text(node: dict[str, Any]) -> str:
    """The text of a node's tooltip, a line a part, as the page's script shows it."""
    tip = node["tip"]
    parts = [node["fullLabel"], *tip["lines"]]
    if tip["evidence"]:
        parts.append(f"“{tip['evidence']}”")
    parts += tip["sources"]
    if tip["more"]:
        parts.append(f"and {tip['more']} more")
    return "\n".join(parts)


def legend(page: str) -> dict[str, int]:
    match = LEGEND.search(page)
    assert match, "the page has no legend"
    return {kind: int(count) for kind, count in LEGEND_ENTRY.findall(match.group(1))}


def test_returns_the_number_of_nodes_drawn(tmp_path: Path) -> None:
    count, page = render(small_graph(), tmp_path)
    assert count == 5
    assert sorted(nodes_by_id(page)) == sorted(map(str, (PERSON, COUNCIL, REPORT, POLICY, JOB)))


def test_page_shows_each_label(tmp_path: Path) -> None:
    _, page = render(small_graph(), tmp_path)
    for label in (
        "Jane Smith",
        "Kent County Council",
        "Care Review final report",
        "Raise the care leaver age to 25",
        "Senior Social Worker",
    ):
        assert label in page
    assert "We are delighted." not in page


def test_legend_lists_exactly_the_kinds_present_with_counts(tmp_path: Path) -> None:
    graph = small_graph()
    add_entity(graph, ID["person/john-doe"], "John Doe", FOAF.Person)
    _, page = render(graph, tmp_path)
    assert legend(page) == {"person": 2, "local-authority": 1, "report": 1, "policy": 1, "job": 1}


def test_each_kind_has_its_own_colour_and_shape(tmp_path: Path) -> None:
    _, page = render(small_graph(), tmp_path)
    looks = {(node["color"]["background"], node["shape"]) for node in nodes_by_id(page).values()}
    assert len(looks) == 5


def test_draws_membership_recommendation_and_hiring_edges(tmp_path: Path) -> None:
    _, page = render(small_graph(), tmp_path)
    assert edge_triples(page) == {
        (str(PERSON), str(COUNCIL), "director of children's services"),
        (str(REPORT), str(POLICY), "recommends"),
        (str(JOB), str(COUNCIL), "hiring"),
    }


def test_draws_part_of_announces_led_by_publisher_and_partner_edges(tmp_path: Path) -> None:
    graph = small_graph()
    unit, review = ID["organisation/kent-fostering-panel"], ID["reform/care-review"]
    add_entity(graph, unit, "Kent fostering panel", ORG.OrganizationalUnit)
    add_entity(graph, review, "Independent Review of Children's Social Care", KG.Review)
    graph.add((unit, ORG.unitOf, COUNCIL))
    graph.add((COUNCIL, KG.announces, review))
    graph.add((review, KG.ledBy, PERSON))
    graph.add((REPORT, SDO.publisher, COUNCIL))
    graph.add((REPORT, KG.partner, unit))
    _, page = render(graph, tmp_path)
    assert {
        (str(unit), str(COUNCIL), "part of"),
        (str(COUNCIL), str(review), "announces"),
        (str(review), str(PERSON), "led by"),
        (str(REPORT), str(COUNCIL), "published by"),
        (str(REPORT), str(unit), "partner"),
    } <= edge_triples(page)


def test_skips_edges_to_undrawn_nodes_and_draws_duplicates_once(tmp_path: Path) -> None:
    graph = small_graph()
    add_membership(graph, PERSON, COUNCIL, "director of children's services")
    graph.add((REPORT, SDO.publisher, ID["organisation/untyped-publisher"]))
    graph.add((REPORT, KG.partner, ARTICLE))
    _, page = render(graph, tmp_path)
    edges = graph_data(page)["edges"]
    assert len(edges) == 3
    assert len(edge_triples(page)) == 3


def test_a_node_with_several_types_gets_the_most_specific_kind(tmp_path: Path) -> None:
    graph = Graph()
    review = ID["reform/care-review"]
    add_entity(graph, review, "Care review", ORG.Organization, KG.Reform, KG.Review)
    add_entity(graph, COUNCIL, "Kent County Council", ORG.Organization, KG.LocalAuthority)
    department = ID["organisation/dfe"]
    add_entity(
        graph, department, "Department for Education", ORG.Organization, KG.GovernmentDepartment
    )
    _, page = render(graph, tmp_path)
    kinds = {node_id: node["kind"] for node_id, node in nodes_by_id(page).items()}
    assert kinds == {
        str(review): "review",
        str(COUNCIL): "local-authority",
        str(department): "government",
    }
    assert legend(page) == {"local-authority": 1, "government": 1, "review": 1}


def test_label_falls_back_to_the_last_segment_of_the_iri(tmp_path: Path) -> None:
    graph = Graph()
    graph.add((ID["policy/family-hubs"], RDF.type, KG.Policy))
    _, page = render(graph, tmp_path)
    assert nodes_by_id(page)[str(ID["policy/family-hubs"])]["label"] == "family-hubs"


def test_tooltip_lists_sources_salary_and_evidence(tmp_path: Path) -> None:
    _, page = render(small_graph(), tmp_path)
    nodes = nodes_by_id(page)
    assert tip_text(nodes[str(JOB)]) == (
        "Senior Social Worker\nJob\nSalary: £40,000 - £45,000 per annum\n"
        "Kent appoints new director (2024-03-01, 001_c31a83825a9d8308)"
    )
    policy_tip = tip_text(nodes[str(POLICY)])
    assert "“The review says support should last to 25.”" in policy_tip
    assert "Salary" not in policy_tip
    assert nodes[str(COUNCIL)]["tip"]["lines"] == ["Local authority"]
    assert len(nodes[str(COUNCIL)]["tip"]["sources"]) == 1


def test_tooltip_lists_five_sources_then_says_how_many_more(tmp_path: Path) -> None:
    graph = Graph()
    add_entity(graph, PERSON, "Jane Smith", FOAF.Person)
    for day in range(1, 9):
        article = ID[f"article/{day:03d}"]
        add_article(graph, article, f"{day:03d}_stem", f"Story {day}", f"2024-01-{day:02d}")
        graph.add((PERSON, PROV.wasDerivedFrom, article))
    _, page = render(graph, tmp_path)
    tip = nodes_by_id(page)[str(PERSON)]["tip"]
    assert re.findall(r"Story (\d)", " ".join(tip["sources"])) == ["1", "2", "3", "4", "5"]
    assert tip["more"] == 4


def test_evidence_comes_from_the_earliest_article(tmp_path: Path) -> None:
    graph = Graph()
    add_entity(graph, POLICY, "Family hubs", KG.Policy)
    for number, (date, sentence) in enumerate(
        [("2024-05-01", "A later article backs family hubs."), ("2024-01-01", "Zoe backs hubs.")]
    ):
        article, record = ID[f"article/{number}"], ID[f"recommendation/{number}"]
        add_article(graph, article, f"{number:03d}_stem", f"Story {number}", date)
        graph.add((record, KG.policy, POLICY))
        graph.add((record, KG.evidence, Literal(sentence)))
        graph.add((record, PROV.wasDerivedFrom, article))
        graph.add((POLICY, KG.evidence, Literal(sentence)))
    _, page = render(graph, tmp_path)
    assert nodes_by_id(page)[str(POLICY)]["tip"]["evidence"] == "Zoe backs hubs."


def test_evidence_is_truncated(tmp_path: Path) -> None:
    graph = Graph()
    add_entity(graph, POLICY, "Family hubs", KG.Policy)
    graph.add((POLICY, KG.evidence, Literal("word " * 100)))
    _, page = render(graph, tmp_path)
    quoted = nodes_by_id(page)[str(POLICY)]["tip"]["evidence"]
    assert len(quoted) == 200
    assert quoted.endswith("…")


def test_long_labels_are_cut_on_the_node_but_full_in_the_tooltip(tmp_path: Path) -> None:
    long_label = "Independent Review of Children's Social Care in England and Wales"
    graph = Graph()
    add_entity(graph, POLICY, long_label, KG.Policy)
    _, page = render(graph, tmp_path)
    node = nodes_by_id(page)[str(POLICY)]
    assert node["label"] == "Independent Review of Children's Social…"
    assert len(node["label"]) == 40
    assert node["fullLabel"] == long_label
    assert tip_text(node).startswith(long_label + "\n")


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", "Kent </script><img src=x onerror=alert(1)>", "a & b <!--"],
)
def test_text_from_the_graph_is_escaped_everywhere(tmp_path: Path, hostile: str) -> None:
    graph = small_graph()
    graph.set((PERSON, RDFS.label, Literal(hostile)))
    add_membership(graph, PERSON, COUNCIL, hostile)
    graph.set((ARTICLE, SDO.headline, Literal(hostile)))
    graph.add((JOB, SDO.baseSalary, Literal(hostile)))
    count, page = render(graph, tmp_path, title=hostile)
    assert count == 5
    assert hostile not in page
    assert f"<title>{html.escape(hostile)}</title>" in page
    # The JSON survives the escaping and carries the text as it was, for the canvas...
    person = nodes_by_id(page)[str(PERSON)]
    assert person["fullLabel"] == hostile
    assert (str(PERSON), str(COUNCIL), hostile) in edge_triples(page)
    # ...and for the tooltip and the panel, which the page's script sets as text
    # (tests/test_view_browser.py shows it in a browser): label, headline, salary, role.
    assert person["tip"]["sources"][0].startswith(f"{hostile} (2024-03-01")
    assert f"Salary: {hostile}" in nodes_by_id(page)[str(JOB)]["tip"]["lines"]
    assert {fact["headline"] for fact in person["facts"]} <= {hostile, ""}
    assert any(hostile in fact["text"] for fact in person["facts"])


def test_graph_text_cannot_close_the_script_element(tmp_path: Path) -> None:
    _, plain_page = render(small_graph(), tmp_path)
    graph = small_graph()
    graph.set((PERSON, RDFS.label, Literal("</script><script>alert(1)</script>")))
    _, hostile_page = render(graph, tmp_path)
    assert hostile_page.count("</script>") == plain_page.count("</script>") == 3
    assert hostile_page.count("</style>") == plain_page.count("</style>") == 2


def test_page_references_nothing_on_the_network(tmp_path: Path) -> None:
    _, page = render(small_graph(), tmp_path)
    for pattern in EXTERNAL_REFERENCES:
        assert not pattern.search(page), pattern.pattern
    assert "vis.Network" in page
    assert "vis-network" in page  # the library is inlined, not linked


def test_page_has_search_box_and_a_checkbox_per_kind(tmp_path: Path) -> None:
    _, page = render(small_graph(), tmp_path)
    assert '<input id="search" type="search"' in page
    assert page.count('type="checkbox" data-kind=') == 5


def test_writing_over_an_existing_file_replaces_it(tmp_path: Path) -> None:
    out_path = tmp_path / "graph.html"
    out_path.write_text("old page that must go", encoding="utf-8")
    render_network(small_graph(), out_path)
    page = out_path.read_text(encoding="utf-8")
    assert "old page that must go" not in page
    assert page.startswith("<!DOCTYPE html>")
    assert [path.name for path in tmp_path.iterdir()] == ["graph.html"]


def test_empty_graph_writes_a_valid_page_with_no_nodes(tmp_path: Path) -> None:
    count, page = render(Graph(), tmp_path)
    assert count == 0
    data = graph_data(page)
    assert (data["nodes"], data["edges"], data["years"]) == ([], [], None)
    assert legend(page) == {}
    assert "No nodes to draw." in page
    assert "0 nodes, 0 links" in page
    assert page.rstrip().endswith("</html>")


def test_default_title(tmp_path: Path) -> None:
    _, page = render(Graph(), tmp_path)
    assert "<title>kg: UK children&#x27;s services network</title>" in page


def test_same_graph_gives_the_same_page(tmp_path: Path) -> None:
    graph = small_graph()
    reordered = Graph()
    for triple in sorted(graph, reverse=True):
        reordered.add(triple)
    first = render_network(graph, tmp_path / "a.html")
    second = render_network(reordered, tmp_path / "b.html")
    assert first == second == 5
    assert (tmp_path / "a.html").read_text() == (tmp_path / "b.html").read_text()


def test_positions_are_computed_beforehand_and_physics_is_off(tmp_path: Path) -> None:
    count, page = render(councils_graph(), tmp_path)
    data = graph_data(page)
    assert data["options"]["physics"] == {"enabled": False}
    positions = {(node["x"], node["y"]) for node in data["nodes"]}
    assert len(positions) == count == 313  # no two nodes on the same spot
    assert all(isinstance(x, int) and isinstance(y, int) for x, y in positions)


# ---- pages too big to draw whole ---------------------------------------------------------

# Councils with this many members each: three hubs of distinct sizes, then forty alike.
MEMBERS_PER_COUNCIL = (12, 10, 8, *([6] * 40))


def council(number: int) -> URIRef:
    return ID[f"organisation/council-{number:02d}"]


def member(number: int, seat: int) -> URIRef:
    return ID[f"person/member-{number:02d}-{seat:02d}"]


def councils_graph(members_per_council: tuple[int, ...] = MEMBERS_PER_COUNCIL) -> Graph:
    """Councils named "Council N", each with its own members ("Member N.S") and no other
    links: 43 councils, 270 people and 270 memberships by default."""
    graph = Graph()
    for number, members in enumerate(members_per_council):
        add_entity(graph, council(number), f"Council {number}", KG.LocalAuthority)
        for seat in range(members):
            add_entity(graph, member(number, seat), f"Member {number}.{seat}", FOAF.Person)
            add_membership(graph, member(number, seat), council(number), "councillor")
    return graph


def council_and_members(number: int) -> set[str]:
    seats = range(MEMBERS_PER_COUNCIL[number])
    return {str(council(number)), *(str(member(number, seat)) for seat in seats)}


NOTE = re.compile(r'<p class="note" role="note">(.*?)</p>', re.DOTALL)


def note(page: str) -> str:
    match = NOTE.search(page)
    assert match, "the page has no note"
    return match.group(1)


def test_a_big_graph_draws_the_busiest_actors_with_their_neighbours(tmp_path: Path) -> None:
    count, page = render(councils_graph(), tmp_path, max_nodes=30)
    # Council 0 and its 12 members, Council 1 and its 10: 24 nodes. Council 2 would add 9
    # more, past 30, so it and every later council are left out.
    assert set(nodes_by_id(page)) == council_and_members(0) | council_and_members(1)
    assert count == 24
    assert len(graph_data(page)["edges"]) == 22
    assert legend(page) == {"person": 22, "local-authority": 2}
    assert "24 nodes, 22 links" in page
    assert note(page).startswith(
        "Showing 24 of 313 nodes and 22 of 270 links: "
        "the most connected actors and their neighbours."
    )
    assert "<code>kg view --around &quot;NAME&quot;</code>" in note(page)
    assert "<code>kg view --max-nodes N</code>" in note(page)
    assert "<code>kg query</code>" in note(page)


def test_the_default_limit_applies_without_max_nodes(tmp_path: Path) -> None:
    graph = councils_graph(MEMBERS_PER_COUNCIL + (6,) * 400)  # 443 councils, 2,670 people
    count, page = render(graph, tmp_path)
    assert count == MAX_NODES
    assert note(page).startswith(f"Showing {MAX_NODES:,} of 3,113 nodes")
    assert "every node linked to two or more, and as many as fit of those linked to one" in note(
        page
    )
    # Every council (the backbone), then members a round at a time: five for each council
    # and then a sixth for the first 342 (3,000 - 443 * 6 = 342 would be over).
    drawn = set(nodes_by_id(page))
    assert {str(council(number)) for number in range(443)} <= drawn
    assert council_and_members(0) - drawn == {str(member(0, seat)) for seat in range(6, 12)}
    assert str(member(442, 4)) in drawn
    assert str(member(442, 5)) not in drawn


def test_one_link_nodes_come_a_round_at_a_time_busiest_hub_first(tmp_path: Path) -> None:
    count, page = render(councils_graph((2, 3)), tmp_path, max_nodes=5)
    assert count == 5
    # Both councils (two links or more), then a member of the busier, one of the other,
    # and the busier's next; members in IRI order.
    assert set(nodes_by_id(page)) == {
        str(council(0)),
        str(council(1)),
        str(member(1, 0)),
        str(member(0, 0)),
        str(member(1, 1)),
    }


def test_hubs_of_equal_degree_are_taken_in_iri_order(tmp_path: Path) -> None:
    # Three councils with two links each do not fit on a page of two: the busiest actors,
    # the first by IRI, with the first of its members.
    count, page = render(councils_graph((2, 2, 2)), tmp_path, max_nodes=2)
    assert count == 2
    assert set(nodes_by_id(page)) == {str(council(0)), str(member(0, 0))}
    assert "the most connected actors and their neighbours" in note(page)


def test_a_hub_too_big_for_the_page_comes_with_its_busiest_neighbours(tmp_path: Path) -> None:
    graph = councils_graph((12, 1))
    # Member 0.7 also sits on Council 1, so is the busiest of Council 0's members.
    add_membership(graph, member(0, 7), council(1), "councillor")
    # The backbone (Council 0, Member 0.7, Council 1) does not fit on a page of two.
    count, page = render(graph, tmp_path, max_nodes=2)
    assert count == 2
    assert set(nodes_by_id(page)) == {str(council(0)), str(member(0, 7))}


def test_the_same_big_graph_gives_the_same_page(tmp_path: Path) -> None:
    graph = councils_graph()
    reordered = Graph()
    for triple in sorted(graph, reverse=True):
        reordered.add(triple)
    render_network(graph, tmp_path / "a.html", max_nodes=30)
    render_network(reordered, tmp_path / "b.html", max_nodes=30)
    assert (tmp_path / "a.html").read_text() == (tmp_path / "b.html").read_text()


def test_a_graph_within_the_limit_has_no_note(tmp_path: Path) -> None:
    count, page = render(councils_graph(), tmp_path, max_nodes=313)
    assert count == 313
    assert 'class="note"' not in page


def test_text_in_a_bounded_page_is_escaped(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    graph = councils_graph()
    graph.set((member(0, 3), RDFS.label, Literal(hostile)))
    _, page = render(graph, tmp_path, max_nodes=30)
    assert nodes_by_id(page)[str(member(0, 3))]["fullLabel"] == hostile
    assert hostile not in page
    _, around_page = render(graph, tmp_path, around=[hostile])
    assert set(nodes_by_id(around_page)) == {str(member(0, 3)), str(council(0))}
    assert hostile not in around_page
    assert f"named “{html.escape(hostile)}” and" in note(around_page)


# ---- around a name -----------------------------------------------------------------------


def test_around_draws_the_named_node_and_its_neighbours(tmp_path: Path) -> None:
    count, page = render(councils_graph(), tmp_path, around=["Council 2"])
    # "Council 2" is also inside "Council 20" to "Council 29": the exact label wins.
    assert set(nodes_by_id(page)) == council_and_members(2)
    assert count == 9
    assert edge_triples(page) == {
        (str(member(2, seat)), str(council(2)), "councillor") for seat in range(8)
    }
    assert note(page).startswith(
        "Showing 9 of 313 nodes and 8 of 270 links: "
        "the nodes named “Council 2” and those within 1 link of them."
    )


def test_around_ignores_case_and_falls_back_to_part_of_a_label(tmp_path: Path) -> None:
    _, page = render(councils_graph(), tmp_path, around=["council 1"], depth=0)
    assert set(nodes_by_id(page)) == {str(council(1))}
    _, page = render(councils_graph(), tmp_path, around=["OUNCIL 4"], depth=0)
    assert set(nodes_by_id(page)) == {str(council(n)) for n in (4, 40, 41, 42)}


def test_around_matches_an_alternative_label(tmp_path: Path) -> None:
    graph = councils_graph()
    graph.add((council(5), SKOS.altLabel, Literal("KCC")))
    _, page = render(graph, tmp_path, around=["kcc"])
    assert set(nodes_by_id(page)) == council_and_members(5)


def test_around_several_names_and_a_greater_depth(tmp_path: Path) -> None:
    graph = councils_graph()
    _, page = render(graph, tmp_path, around=["Member 0.3", "Council 3"], depth=2)
    # Member 0.3 → Council 0 → its other members; Council 3 → its members.
    assert set(nodes_by_id(page)) == council_and_members(0) | council_and_members(3)
    assert "named “Member 0.3” and “Council 3” and those within 2 links of them" in page


def test_around_is_capped_nearest_then_busiest_first(tmp_path: Path) -> None:
    graph = councils_graph()
    add_membership(graph, member(0, 9), council(1), "councillor")
    count, page = render(graph, tmp_path, around=["Council 0"], max_nodes=4)
    assert count == 4
    assert set(nodes_by_id(page)) == {
        str(council(0)),
        str(member(0, 9)),  # on two councils
        str(member(0, 0)),
        str(member(0, 1)),
    }
    assert "those within 1 link of them, nearest first, as many as fit." in note(page)


def test_around_a_name_nothing_has_suggests_close_labels(tmp_path: Path) -> None:
    with pytest.raises(ViewError) as raised:
        render(councils_graph(), tmp_path, around=["Council 2", "Councel 17"])
    assert str(raised.value) == (
        'no node in the graph is named "Councel 17"; '
        'did you mean "Council 17", "Council 7", "Council 1"?'
    )
    assert not (tmp_path / "graph.html").exists()


def test_around_a_blank_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ViewError, match="blank"):
        render(councils_graph(), tmp_path, around=["  "])


# ---- a graph kept in a store -------------------------------------------------------------


class PatternOnlyGraph(Graph):
    """A graph that fails if read whole, as a store of millions of triples must not be, and
    records whose sources (prov:wasDerivedFrom) are looked up: the tooltips made."""

    def __init__(self) -> None:
        super().__init__()
        self.sources_read: set[Node] = set()

    def __len__(self) -> int:
        raise AssertionError("the view counted the whole graph")

    def __iter__(self) -> Iterator[Any]:
        raise AssertionError("the view read the whole graph")

    def objects(self, subject: Any = None, predicate: Any = None, unique: bool = False) -> Any:
        if predicate == PROV.wasDerivedFrom:
            self.sources_read.add(subject)
        return super().objects(subject, predicate, unique)


def test_the_view_reads_by_pattern_and_only_the_drawn_nodes_tooltips(tmp_path: Path) -> None:
    graph = PatternOnlyGraph()
    for triple in councils_graph().triples((None, None, None)):
        graph.add(triple)
    _, page = render(graph, tmp_path, max_nodes=30)
    # The drawn nodes, and the fact records (blank memberships here) that name them.
    named = {node for node in graph.sources_read if not isinstance(node, BNode)}
    assert named == set(map(URIRef, nodes_by_id(page)))


@pytest.fixture(scope="module")
def samples_graph() -> Graph:
    articles, facts, _ = extract_corpus([bundled_samples()], workers=1)
    return build_graph(articles, facts, resolve(articles, facts))


def in_a_store(graph: Graph) -> Graph:
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(*triple) for triple in oxigraph_triples(graph))
    return as_rdflib_graph(store)


@pytest.mark.parametrize("max_nodes", [MAX_NODES, 20])
def test_a_graph_in_a_store_gives_the_same_page(
    samples_graph: Graph, tmp_path: Path, max_nodes: int
) -> None:
    stored = in_a_store(samples_graph)
    in_memory = render_network(samples_graph, tmp_path / "memory.html", max_nodes=max_nodes)
    from_store = render_network(stored, tmp_path / "store.html", max_nodes=max_nodes)
    memory_page = (tmp_path / "memory.html").read_text(encoding="utf-8")
    store_page = (tmp_path / "store.html").read_text(encoding="utf-8")
    assert from_store == in_memory == len(nodes_by_id(memory_page)) > 0
    assert in_memory <= max_nodes
    # The samples have 74 nodes: the default limit draws them all, 20 a part.
    assert ('class="note"' in memory_page) == (max_nodes == 20)
    assert nodes_by_id(store_page).keys() == nodes_by_id(memory_page).keys()
    assert edge_triples(store_page) == edge_triples(memory_page)
    assert store_page == memory_page
