"""The network of who does what, as a networkx graph read off the RDF graph.

One function, `read_network`, reads it: a node for every typed entity the view draws
(people, organisations, reports, policies, reforms, jobs), with its kind, and an edge for
every link between two of them (a post held, a recommendation, an announcement, a job
advertised, a part of), keyed by its label. The view (`kg.render`), the exports
(`kg export`) and the analytics below all start from it.

`describe` then adds what a reader wants to see of some of the nodes: the label, the
facts that name the node (each with its evidence sentence, the article's headline and
date, and the rule that found it) and the years they were reported in; it is kept apart
because a graph in a store has millions of triples and only the nodes drawn are read.
`analyse` adds degree, betweenness centrality and connected components, and `layout`
computes positions beforehand, so that a browser draws a big graph without simulating it.

networkx takes most of a second to import, and the families import this module for
`NodeKind`, so each function that needs networkx imports it.
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import IO, TYPE_CHECKING

from rdflib import Graph
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS, SDO
from rdflib.term import Node

from kg.family import ViewEdges, predicate_edges, registered
from kg.vocab import KG

if TYPE_CHECKING:
    import networkx as nx

    from kg.family import Family


@dataclass(frozen=True, slots=True)
class NodeKind:
    """One kind of node: how it is drawn and which rdf:types make a node that kind.

    Shapes mark groups (organisations are squares, documents triangles) and colours
    the kind within a group, so no two kinds look alike. A kind with `show_evidence`
    quotes in its tooltip the sentence it was read from; `details` adds tooltip lines
    of its own (a job's salary). The most connected `actor` nodes (people and
    organisations) are the hubs a page too big to draw whole is built around.
    """

    key: str
    name: str
    colour: str
    shape: str
    types: tuple[Node, ...]
    show_evidence: bool = False
    details: Callable[[Graph, Node], list[str]] | None = None
    actor: bool = False


# The kinds of resolved entity. Checked in this order, then the fact families' own kinds
# (`Family.view_nodes`), and the first match wins, so that the most specific kind does:
# a kg:Review is also an org:Organization and a kg:Reform (ontology/kg.ttl), and a council
# is also an org:Organization. The legend lists kinds in this order too.
ENTITY_KINDS: tuple[NodeKind, ...] = (
    # foaf:Person only: article authors are schema:Person and are bylines, not actors.
    NodeKind("person", "Person", "#1f77b4", "dot", (FOAF.Person,), actor=True),
    NodeKind(
        "local-authority",
        "Local authority",
        "#2ca02c",
        "hexagon",
        (KG.LocalAuthority,),
        actor=True,
    ),
    NodeKind(
        "government",
        "Government",
        "#d62728",
        "hexagon",
        (KG.GovernmentBody, KG.GovernmentDepartment, KG.Regulator),
        actor=True,
    ),
    NodeKind(
        "review", "Review or inquiry", "#ff7f0e", "triangle", (KG.Review,), show_evidence=True
    ),
    NodeKind("think-tank", "Think tank", "#9467bd", "square", (KG.ThinkTank,), actor=True),
    NodeKind("charity", "Charity", "#e377c2", "square", (KG.Charity,), actor=True),
    NodeKind("association", "Association", "#8c564b", "square", (KG.Association,), actor=True),
    NodeKind(
        "parliamentary-group",
        "Parliamentary group",
        "#bcbd22",
        "square",
        (KG.ParliamentaryGroup,),
        actor=True,
    ),
    NodeKind(
        "organisation",
        "Organisation",
        "#7f7f7f",
        "square",
        (ORG.Organization, ORG.OrganizationalUnit),
        actor=True,
    ),
    NodeKind("report", "Report", "#17becf", "triangle", (SDO.Report,)),
    NodeKind("policy", "Policy", "#6b6ecf", "diamond", (KG.Policy,), show_evidence=True),
    NodeKind(
        "reform",
        "Reform",
        "#e7ba52",
        "star",
        (KG.Reform, KG.Funding, KG.Programme),
        show_evidence=True,
    ),
)

# Edges between entities, read straight off one triple, drawn subject → object; the
# fact families add their own (`Family.view_edges`).
ENTITY_EDGES: tuple[ViewEdges, ...] = (
    predicate_edges(ORG.unitOf, "part of"),
    predicate_edges(ORG.subOrganizationOf, "part of"),
    predicate_edges(SDO.publisher, "published by"),
)

# An article with no date sorts after every dated one ("2024-03-01" < "~").
UNDATED = "~"


def node_kinds(families: Sequence[Family] | None = None) -> tuple[NodeKind, ...]:
    """The entity kinds, then the kinds the families add, in the legend's order."""
    return (*ENTITY_KINDS, *(kind for family in registered(families) for kind in family.view_nodes))


def read_network(graph: Graph, families: Sequence[Family] | None = None) -> nx.MultiDiGraph:
    """The network of `graph`: a node per typed entity (attribute `kind`, a NodeKind), in
    IRI order, and an edge source → target per link, keyed and attributed by its `label`.

    The graph may be a store behind rdflib (oxrdflib): it is read only by triple patterns.
    """
    import networkx as nx

    families = registered(families)
    kinds = _classify_nodes(graph, node_kinds(families))
    readers = (*ENTITY_EDGES, *(edges for family in families for edges in family.view_edges))
    links = {
        (source, target, label)
        for read_edges in readers
        for source, target, label in read_edges(graph)
        if source in kinds and target in kinds
    }
    network = nx.MultiDiGraph()
    network.add_nodes_from((node, {"kind": kind}) for node, kind in kinds.items())
    for source, target, label in sorted(links, key=lambda link: tuple(map(str, link))):
        network.add_edge(source, target, key=label, label=label)
    return network


def _classify_nodes(graph: Graph, kinds: Sequence[NodeKind]) -> dict[Node, NodeKind]:
    """Every node to draw, sorted by IRI, with its most specific kind."""
    rank_of_type: dict[Node, int] = {}
    for rank, kind in enumerate(kinds):
        for rdf_type in kind.types:
            rank_of_type.setdefault(rdf_type, rank)
    best_rank: dict[Node, int] = {}
    # One pattern a type, so a store behind the graph hands over only the typed nodes.
    for rdf_type, rank in rank_of_type.items():
        for subject in graph.subjects(RDF.type, rdf_type):
            best_rank[subject] = min(rank, best_rank.get(subject, rank))
    return {node: kinds[best_rank[node]] for node in sorted(best_rank, key=str)}


def links_of(network: nx.MultiDiGraph) -> nx.Graph:
    """Who is linked to whom, direction and labels aside: what "connected" is measured on."""
    import networkx as nx

    return nx.Graph(network)


def ego_network(network: nx.MultiDiGraph, seeds: Iterable[Node], depth: int) -> nx.MultiDiGraph:
    """The seeds, every node within `depth` links of one (either direction), and the links
    among them."""
    import networkx as nx

    links = links_of(network)
    reached: set[Node] = set()
    for seed in seeds:
        reached.update(nx.ego_graph(links, seed, radius=depth))
    return network.subgraph(reached).copy()


# ---- what a reader sees of a node -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact that names a node, as the page lists it."""

    kind: str  # "Post held", "Said", ...
    text: str  # "Jane Smith: director of children's services, Kent County Council"
    evidence: str  # the sentence it was read from
    headline: str  # of the earliest article that states it
    date: str  # that article's date, ISO, or ""
    article: str  # that article's identifier
    rule: str  # the extractor's rule that found it, else the extractor, else ""

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date[:4].isdigit() else None


@dataclass(frozen=True, slots=True)
class Source:
    """An article a node was read from."""

    headline: str
    date: str
    article: str


def _one(graph: Graph, node: Node, predicate: Node) -> str:
    return least(graph, node, predicate) or ""


# Each kind of fact record, what the page calls it, and its one line of text. A record
# names the entities it links (a membership its person and organisation), so the fact is
# listed on each of them.
FACT_KINDS: dict[Node, tuple[str, Callable[[Graph, Node, Callable[[Node], str]], str]]] = {
    ORG.Membership: (
        "Post held",
        lambda g, r, label: (
            f"{_objects_label(g, r, ORG.member, label)}: {_objects_label(g, r, ORG.role, label)},"
            f" {_objects_label(g, r, ORG.organization, label)}"
        ),
    ),
    SDO.Quotation: (
        "Said",
        lambda g, r, label: f"{_objects_label(g, r, SDO.creator, label)}: “{_one(g, r, SDO.text)}”",
    ),
    KG.Recommendation: (
        "Recommends",
        lambda g, r, label: (
            f"{_objects_label(g, r, KG.report, label)} recommends {_objects_label(g, r, KG.policy, label)}"
        ),
    ),
    KG.Announcement: (
        "Announced",
        lambda g, r, label: (
            f"{_objects_label(g, r, KG.actor, label)} announces {_objects_label(g, r, KG.reform, label)}"
        ),
    ),
    SDO.JobPosting: (
        "Advertises",
        lambda g, r, label: (
            f"{_objects_label(g, r, SDO.hiringOrganization, label)} advertises {label(r)}"
        ),
    ),
}

FACT_ORDER = {name: rank for rank, (name, _) in enumerate(FACT_KINDS.values())}


def _objects_label(
    graph: Graph, record: Node, predicate: Node, label: Callable[[Node], str]
) -> str:
    labels = sorted(label(node) for node in graph.objects(record, predicate))
    return " and ".join(labels) if labels else "?"


def describe(
    graph: Graph,
    network: nx.MultiDiGraph,
    nodes: Collection[Node] | None = None,
    *,
    newest_facts: int | None = None,
) -> None:
    """Add to each of `nodes` (default: all) its `label`, `facts` (list of Fact, oldest
    first; with `newest_facts`, only that many of the newest), `fact_count` (all of them),
    `sources` (list of Source, oldest first), `evidence` (first sentence, or ""), `details`
    (the kind's own lines) and `years` (sorted, of every fact and source), and to each edge
    between two of them the `years` of the facts that make it (empty: no dated fact does)."""
    nodes = set(network) if nodes is None else set(nodes)
    # A hub in a big corpus is named by thousands of records, each naming it and one other
    # node: each label, article and record is read once.
    label = functools.cache(functools.partial(node_label, graph))

    @functools.cache
    def source(article: Node) -> Source:
        identifier = least(graph, article, SDO.identifier) or label(article)
        return Source(
            least(graph, article, SDO.headline) or identifier,
            (least(graph, article, SDO.datePublished) or "")[:10],
            identifier,
        )

    @functools.cache
    def fact_kind(holder: Node) -> Node | None:
        return next((t for t in graph.objects(holder, RDF.type) if t in FACT_KINDS), None)

    @functools.cache
    def dates(holder: Node) -> tuple[Source | None, frozenset[int]]:
        """A record's first article, and the years of every article that states it."""
        sources = sorted(map(source, graph.objects(holder, PROV.wasDerivedFrom)), key=_age)
        years = frozenset(y for y in (_year(s.date) for s in sources) if y is not None)
        return (sources[0] if sources else None), years

    @functools.cache
    def record(holder: Node) -> Fact:
        # Listed once, with its first article.
        name, text = FACT_KINDS[fact_kind(holder)]  # type: ignore[index]
        first = dates(holder)[0] or Source("", "", "")
        evidence = least(graph, holder, KG.evidence) or ""
        rule = least(graph, holder, KG.rule) or least(graph, holder, KG.extractor) or ""
        text_of = text(graph, holder, label)
        return Fact(name, text_of, evidence, first.headline, first.date, first.article, rule)

    touched: dict[Node, set[Node]] = defaultdict(set)  # record -> the nodes it names
    for node in sorted(nodes, key=str):
        attributes = network.nodes[node]
        kind: NodeKind = attributes["kind"]
        holders: list[Node] = []
        years: set[int] = set()
        for holder in dict.fromkeys([node, *graph.subjects(None, node)]):
            if fact_kind(holder) is not None:
                holders.append(holder)
                years |= dates(holder)[1]
                touched[holder].add(node)
        fact_count = len(holders)
        if newest_facts is not None and len(holders) > newest_facts:
            # A hub is named by thousands of records: read in full only the newest.
            holders.sort(key=lambda holder: (_age(dates(holder)[0] or _NO_SOURCE), str(holder)))
            holders = holders[-newest_facts:]
        facts = dict.fromkeys(map(record, holders))
        sources = sorted(map(source, graph.objects(node, PROV.wasDerivedFrom)), key=_age)
        years |= {year for year in (_year(s.date) for s in sources) if year is not None}
        attributes.update(
            label=label(node),
            facts=sorted(facts, key=_fact_order),
            fact_count=fact_count,
            sources=sources,
            details=kind.details(graph, node) if kind.details is not None else [],
            evidence=(first_evidence(graph, node) or "") if kind.show_evidence else "",
            years=sorted(years),
        )
    edge_years: dict[tuple[Node, Node], set[int]] = defaultdict(set)
    for holder, named in touched.items():
        fact_years = dates(holder)[1]
        for a in named:
            for b in named:
                if a != b and network.has_edge(a, b):
                    edge_years[a, b] |= fact_years
    for source_node, target, attributes in network.edges(data=True):
        attributes["years"] = sorted(edge_years.get((source_node, target), ()))


_NO_SOURCE = Source("", "", "")


def _fact_order(fact: Fact) -> tuple[str, ...]:
    # Oldest first; every field breaks ties, so a graph read in any order lists the same.
    return (
        fact.date or UNDATED,
        f"{FACT_ORDER[fact.kind]:03d}",
        fact.text,
        fact.evidence,
        fact.article,
        fact.rule,
        fact.headline,
    )


def _age(source: Source) -> tuple[str, str]:
    # Oldest first, then by article id so same-day articles keep a stable order.
    return (source.date or UNDATED, source.article)


def _year(date: str) -> int | None:
    return int(date[:4]) if date[:4].isdigit() else None


def node_label(graph: Graph, node: Node) -> str:
    """The node's rdfs:label (the least, if several), else the last segment of its IRI."""
    label = least(graph, node, RDFS.label)
    if label:
        return " ".join(label.split())
    return iri_tail(node)


def iri_tail(node: Node) -> str:
    return str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def least(graph: Graph, node: Node, predicate: Node) -> str | None:
    # The alphabetically first value, so a node with several gives the same one every build.
    return min((str(value) for value in graph.objects(node, predicate)), default=None)


def first_evidence(graph: Graph, node: Node) -> str | None:
    """The evidence sentence from the earliest article that states the fact."""
    # A kg:Recommendation or kg:Announcement record holds one sentence and its one article,
    # so it dates the sentence; the node's own kg:evidence gathers every sentence with no
    # tie to an article, so it is the fallback.
    records = [*graph.subjects(KG.policy, node), *graph.subjects(KG.reform, node)]
    dated = [
        (_earliest_article(graph, record), text)
        for record in records
        for text in (str(value) for value in graph.objects(record, KG.evidence))
    ]
    if dated:
        return min(dated)[1]
    return least(graph, node, KG.evidence)


def _earliest_article(graph: Graph, holder: Node) -> tuple[str, str, str]:
    keys = [_article_key(graph, article) for article in graph.objects(holder, PROV.wasDerivedFrom)]
    return min(keys, default=(UNDATED, "", ""))


def _article_key(graph: Graph, article: Node) -> tuple[str, str, str]:
    date = least(graph, article, SDO.datePublished) or UNDATED
    identifier = least(graph, article, SDO.identifier) or node_label(graph, article)
    return (date, identifier, str(article))


# ---- analytics and layout --------------------------------------------------------------

# Exact betweenness costs a breadth-first search from every node; past this many nodes it
# is estimated from this many sources (seeded, so the same graph gives the same figures).
BETWEENNESS_SAMPLE = 100


def analyse(network: nx.MultiDiGraph) -> None:
    """Add to each node its `degree` (links, either direction), `betweenness` (centrality,
    0–1, on the undirected links), `component` (0 for the biggest connected component, 1
    for the next, ...; ties by their least IRI) and `isolated` (linked to nothing)."""
    import networkx as nx

    links = links_of(network)
    sample = BETWEENNESS_SAMPLE if len(links) > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(links, k=sample, seed=7)
    components = sorted(
        nx.connected_components(links), key=lambda nodes: (-len(nodes), min(map(str, nodes)))
    )
    for index, component in enumerate(components):
        for node in component:
            network.nodes[node].update(
                degree=links.degree(node),
                betweenness=round(betweenness[node], 6),
                component=index,
                isolated=links.degree(node) == 0,
            )


# Pixels a node needs on the page, roughly: a component's width grows with the square root
# of its number of nodes so that density stays about the same at any size.
SPACING = 90
LABEL_WIDTH = 2.5 * SPACING


def layout(network: nx.MultiDiGraph) -> dict[Node, tuple[int, int]]:
    """Positions in page pixels, computed beforehand so the browser need not simulate.

    Each connected component is laid out on its own by networkx's spring layout (seeded:
    the same graph gives the same picture), then the components are set in rows, biggest
    first, and the nodes linked to nothing in rows below them. One spring layout of the
    whole graph would push the components to its rim and crush each into a blot.
    """
    import networkx as nx

    links = links_of(network)
    pieces = sorted(
        (component for component in nx.connected_components(links) if len(component) > 1),
        key=lambda nodes: (-len(nodes), min(map(str, nodes))),
    )
    # Copies: degrees on a subgraph view are recounted on each call.
    boxes = [_spring(links.subgraph(piece).copy()) for piece in pieces]
    alone = sorted((node for node in links if links.degree(node) == 0), key=str)
    if alone:
        columns = max(1, math.ceil(math.sqrt(len(alone) / 3)))
        boxes.append(
            {
                node: (column * 2.5 * SPACING, row * SPACING)
                for index, node in enumerate(alone)
                for row, column in [divmod(index, columns)]
            }
        )
    return _in_rows(boxes)


# Components of more nodes than this hang their one-link nodes on rings (`_spring`).
RINGS_FROM = 300


def _spring(component: nx.Graph) -> dict[Node, tuple[float, float]]:
    """A component's positions: its core by networkx's spring layout, and the nodes with one
    link only (a council's job adverts, a department's reforms) on rings around the node
    they hang from. Most nodes of a big graph are such leaves (14,155 of 16,417 at 3,000
    generated articles), and the spring layout's cost grows with the square of its nodes."""
    import networkx as nx

    if len(component) == 2:
        first, second = sorted(component, key=str)
        return {first: (0.0, 0.0), second: (0.0, 1.2 * SPACING)}
    leaves_of: dict[Node, list[Node]] = defaultdict(list)
    # A small component looks best laid out whole; rings only where the cost tells.
    for node in sorted(component, key=str) if len(component) > RINGS_FROM else ():
        if component.degree(node) == 1:
            (hub,) = component[node]
            if component.degree(hub) > 1:
                leaves_of[hub].append(node)
    hanging = {leaf for leaves in leaves_of.values() for leaf in leaves}
    core = [node for node in component if node not in hanging]
    if len(core) == 1:
        positions = {core[0]: (0.0, 0.0)}
    else:
        # Nodes and edges in IRI order so that the seeded layout does not depend on the
        # order the graph was read in.
        ordered = nx.Graph()
        ordered.add_nodes_from(sorted(core, key=str))
        ordered.add_edges_from(
            sorted(component.subgraph(core).edges, key=lambda edge: tuple(map(str, edge)))
        )
        # Fewer iterations on big cores: each costs time proportional to nodes squared.
        iterations = 100 if len(ordered) <= 500 else 30
        spring = nx.spring_layout(
            ordered, iterations=iterations, seed=7, scale=SPACING * math.sqrt(len(component))
        )
        positions = {node: (float(x), float(y)) for node, (x, y) in spring.items()}
    for hub, leaves in leaves_of.items():
        positions.update(_rings(positions[hub], leaves))
    return positions


def _rings(centre: tuple[float, float], leaves: list[Node]) -> dict[Node, tuple[float, float]]:
    """`leaves` on rings around `centre`, a node's width apart, the inner ring first."""
    positions: dict[Node, tuple[float, float]] = {}
    radius, placed = SPACING, 0
    while placed < len(leaves):
        room = max(6, int(2 * math.pi * radius / (0.6 * SPACING)))
        ring = leaves[placed : placed + room]
        for index, leaf in enumerate(ring):
            angle = 2 * math.pi * index / len(ring) + radius / SPACING  # rings offset
            positions[leaf] = (
                centre[0] + radius * math.cos(angle),
                centre[1] + radius * math.sin(angle),
            )
        placed += len(ring)
        radius += 0.8 * SPACING
    return positions


def _in_rows(boxes: list[dict[Node, tuple[float, float]]]) -> dict[Node, tuple[int, int]]:
    """The boxes of positions set left to right in rows about as wide as they are tall."""
    extents = []
    for box in boxes:
        xs, ys = [x for x, _ in box.values()], [y for _, y in box.values()]
        extents.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    gap = 1.5 * SPACING
    area = sum((width + gap) * (height + gap) for _, _, width, height in extents)
    row_width = max([math.sqrt(area) * 1.4] + [width for _, _, width, _ in extents])
    positions: dict[Node, tuple[int, int]] = {}
    left = top = row_height = 0.0
    for box, (x0, y0, width, height) in zip(boxes, extents, strict=True):
        width = max(width, LABEL_WIDTH)  # a label is wider than its node
        if left > 0 and left + width > row_width:
            left, top, row_height = 0.0, top + row_height + gap, 0.0
        for node, (x, y) in box.items():
            positions[node] = (round(left + x - x0), round(top + y - y0))
        left += width + gap
        row_height = max(row_height, height)
    return positions


# ---- export ----------------------------------------------------------------------------

EXPORT_FORMATS = ("graphml", "gexf", "json")


def exportable(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The network with IRIs as node ids and only plain values as attributes, as GraphML
    and GEXF take them: lists become counts or space-separated years."""
    import networkx as nx

    plain = nx.MultiDiGraph()
    for node, attributes in network.nodes(data=True):
        kind: NodeKind = attributes["kind"]
        plain.add_node(
            str(node),
            label=attributes.get("label", iri_tail(node)),
            kind=kind.key,
            kind_name=kind.name,
            degree=attributes.get("degree", 0),
            betweenness=attributes.get("betweenness", 0.0),
            component=attributes.get("component", 0),
            facts=len(attributes.get("facts", ())),
            years=" ".join(map(str, attributes.get("years", ()))),
        )
    for source, target, key, attributes in network.edges(keys=True, data=True):
        plain.add_edge(
            str(source),
            str(target),
            key=key,
            label=attributes["label"],
            years=" ".join(map(str, attributes.get("years", ()))),
        )
    return plain


def write_export(network: nx.MultiDiGraph, format: str, out: IO[bytes]) -> None:
    """Write the network to `out` as GraphML, GEXF or JSON (networkx's node-link form,
    each node with its facts in full)."""
    import networkx as nx

    if format == "graphml":
        nx.write_graphml(exportable(network), out)
    elif format == "gexf":
        nx.write_gexf(exportable(network), out)
    elif format == "json":
        plain = exportable(network)
        for node, attributes in network.nodes(data=True):
            plain.nodes[str(node)]["facts"] = [asdict(f) for f in attributes.get("facts", ())]
            plain.nodes[str(node)]["years"] = list(attributes.get("years", ()))
        for source, target, key, attributes in network.edges(keys=True, data=True):
            plain[str(source)][str(target)][key]["years"] = list(attributes.get("years", ()))
        data = nx.node_link_data(plain, edges="links")
        out.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    else:
        raise ValueError(f"unknown export format {format!r}; one of {', '.join(EXPORT_FORMATS)}")
