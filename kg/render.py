"""Draw the built graph as one self-contained HTML page of the network.

The page reads nothing from the network: vis-network's script and stylesheet are copied
in from the pyvis package, and the legend, search box and per-kind filters are a few
lines of plain JavaScript. Every string from the graph is article text, so each one is
HTML-escaped where it lands in markup and JSON-escaped where it lands in a script.

A browser cannot lay out tens of thousands of nodes, so a page draws at most `MAX_NODES`:
past that, the most connected people and organisations and their neighbours, or with
`around` the nodes of some names and their neighbourhood, and a note says what was left
out. The graph may be a store behind rdflib (oxrdflib), so it is read only through
triple patterns, and labels and tooltips are made only for the nodes drawn.
"""

from __future__ import annotations

import difflib
import functools
import html
import json
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from kg.errors import ViewError
from kg.family import ViewEdges, predicate_edges, registered
from kg.files import write_atomically
from kg.vocab import KG

if TYPE_CHECKING:
    import networkx as nx

    from kg.family import Family

DEFAULT_TITLE = "kg: UK children's services network"

# A page past a few hundred nodes is a hairball that takes the browser minutes to lay out.
MAX_NODES = 400


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

NODE_LABEL_CHARS = 40
EVIDENCE_CHARS = 200
SOURCES_LISTED = 5

# An article with no date sorts after every dated one ("2024-03-01" < "~").
_UNDATED = "~"

# The same 16-pixel glyph the network draws for each vis-network shape, for the legend.
_SHAPE_SVG = {
    "dot": '<circle cx="8" cy="8" r="6.5" fill="{colour}"/>',
    "square": '<rect x="2" y="2" width="12" height="12" fill="{colour}"/>',
    "hexagon": '<polygon points="8,1 14.5,4.5 14.5,11.5 8,15 1.5,11.5 1.5,4.5" fill="{colour}"/>',
    "triangle": '<polygon points="8,1.5 15,14.5 1,14.5" fill="{colour}"/>',
    "triangleDown": '<polygon points="1,1.5 15,1.5 8,14.5" fill="{colour}"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8" fill="{colour}"/>',
    "star": (
        '<polygon points="8,1 9.8,6 15,6 10.8,9.2 12.4,14.5 8,11.3 3.6,14.5 5.2,9.2 1,6 6.2,6"'
        ' fill="{colour}"/>'
    ),
}

# Above this many nodes vis-network's improvedLayout (Kamada-Kawai seeding) takes longer
# than the force layout it is meant to speed up.
IMPROVED_LAYOUT_MAX_NODES = 300

# Tuned for a few thousand nodes: forceAtlas2Based spreads hubs (councils) apart, a
# bounded number of stabilisation iterations caps the wait, straight edges skip the
# hidden support nodes that smooth edges add, and the fixed seed gives the same layout
# each time the page opens.
VIS_OPTIONS: dict[str, Any] = {
    "nodes": {
        "borderWidth": 1,
        "borderWidthSelected": 4,
        "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {"min": 10, "max": 34},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": "#b0b4b9", "highlight": "#333333", "hover": "#333333"},
        "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 3},
        "smooth": False,
        "width": 1,
    },
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -60,
            "centralGravity": 0.01,
            "springLength": 120,
            "springConstant": 0.08,
            "avoidOverlap": 0.3,
        },
        "maxVelocity": 50,
        "minVelocity": 0.75,
        "timestep": 0.35,
        "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 20},
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    "layout": {"randomSeed": 7},
}

_PAGE = string.Template("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$vis_css</style>
<style>$page_css</style>
<script>$vis_js</script>
</head>
<body>
<header><h1>$title</h1><p class="summary">$summary</p>$note</header>
<div class="layout">
<aside>
<label for="search">Find a node</label>
<input id="search" type="search" placeholder="Label contains&#8230; (Enter to zoom)"
 autocomplete="off">
<p id="search-status" aria-live="polite"></p>
<h2>Legend</h2>
<ul id="legend">
$legend
</ul>
<p id="layout-status" aria-live="polite"></p>
</aside>
<main id="network"></main>
</div>
<script>
var graphData = {
"nodes": $nodes_json,
"edges": $edges_json
};
var visOptions = $options_json;
$page_js
</script>
</body>
</html>
""")

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 0.4rem 1rem; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.2rem; margin: 0; }
header .summary { margin: 0.2rem 0 0; color: #555; font-size: 0.9rem; }
header .note { margin: 0.3rem 0 0; padding: 0.3rem 0.5rem; background: #fff6dd;
  border-left: 3px solid #e7ba52; font-size: 0.85rem; }
header .note code { background: #f3ecd6; padding: 0 0.2rem; }
.layout { flex: 1; display: flex; min-height: 0; }
aside { width: 17rem; padding: 0.8rem 1rem; border-right: 1px solid #ddd; overflow-y: auto; }
aside label[for=search] { font-weight: bold; display: block; margin-bottom: 0.3rem; }
#search { width: 100%; box-sizing: border-box; padding: 0.3rem; }
#search-status, #layout-status { color: #555; font-size: 0.85rem; min-height: 1.1em; }
aside h2 { font-size: 1rem; margin: 1rem 0 0.4rem; }
#legend { list-style: none; padding: 0; margin: 0; }
#legend li { margin: 0.25rem 0; }
#legend label { display: flex; align-items: center; gap: 0.4rem; cursor: pointer; }
#legend .count { color: #666; margin-left: auto; }
#network { flex: 1; min-width: 0; }
div.vis-tooltip { white-space: normal; max-width: 28rem; font-family: sans-serif; }
.tip ul { margin: 0.2rem 0 0; padding-left: 1.1rem; }
"""

_PAGE_JS = """
(function () {
  "use strict";
  // Python escaped every piece of article text in a tooltip; vis-network would show a
  // string title as plain text, tags and all, so give it an element instead.
  function asElement(markup) {
    var element = document.createElement("div");
    element.className = "tip";
    element.innerHTML = markup;
    return element;
  }
  graphData.nodes.forEach(function (node) { node.title = asElement(node.title); });
  graphData.edges.forEach(function (edge) { edge.title = asElement(edge.title); });

  var nodes = new vis.DataSet(graphData.nodes);
  var edges = new vis.DataSet(graphData.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, visOptions);

  var layoutStatus = document.getElementById("layout-status");
  if (graphData.nodes.length > 0) {
    layoutStatus.textContent = "Laying out the network\\u2026";
  }
  network.on("stabilizationProgress", function (params) {
    var percent = Math.round(100 * params.iterations / params.total);
    layoutStatus.textContent = "Laying out the network\\u2026 " + percent + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    layoutStatus.textContent = "";
    // Once laid out, a few thousand nodes would keep drifting and burning CPU.
    network.setOptions({physics: {enabled: false}});
  });

  var search = document.getElementById("search");
  var searchStatus = document.getElementById("search-status");
  function matchingIds() {
    var needle = search.value.trim().toLowerCase();
    if (needle === "") {
      return [];
    }
    return nodes.getIds({filter: function (node) {
      return !node.hidden && node.fullLabel.toLowerCase().indexOf(needle) !== -1;
    }});
  }
  function highlightMatches() {
    var ids = matchingIds();
    network.selectNodes(ids, false);
    if (search.value.trim() === "") {
      searchStatus.textContent = "";
    } else {
      searchStatus.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    }
    return ids;
  }
  search.addEventListener("input", highlightMatches);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") {
      return;
    }
    var ids = highlightMatches();
    if (ids.length === 1) {
      network.focus(ids[0], {scale: 1.5, animation: true});
    } else if (ids.length > 1) {
      network.fit({nodes: ids, animation: true});
    }
  });

  document.querySelectorAll("#legend input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      var kind = box.getAttribute("data-kind");
      var changes = nodes.get({filter: function (node) { return node.kind === kind; }})
        .map(function (node) { return {id: node.id, hidden: !box.checked}; });
      nodes.update(changes);
      highlightMatches();
    });
  });
})();
"""


@dataclass(frozen=True, slots=True)
class _Edge:
    source: Node
    target: Node
    label: str

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (str(self.source), str(self.target), self.label)


def render_network(
    graph: Graph,
    out_path: Path,
    *,
    title: str = DEFAULT_TITLE,
    families: Sequence[Family] | None = None,
    max_nodes: int = MAX_NODES,
    around: Sequence[str] = (),
    depth: int = 1,
) -> int:
    """Write the HTML view of `graph` to out_path; return the number of nodes drawn.

    The fact families (default: the registered ones) add their node kinds and edges.
    A graph of more than `max_nodes` nodes is drawn as its most connected people and
    organisations with their neighbours. `around` draws instead the nodes with those
    names (rdfs:label or skos:altLabel, ignoring case: an exact match, else a part of
    one) and every node within `depth` links of them, nearest first, up to `max_nodes`.
    Either way the page says what it left out; a name no node has is a ViewError.
    """
    if max_nodes < 1:
        raise ViewError(f"a page must be allowed at least one node, not {max_nodes}")
    if depth < 0:
        raise ViewError(f"the depth around a name cannot be negative ({depth})")
    families = registered(families)
    node_kinds = (*ENTITY_KINDS, *(kind for family in families for kind in family.view_nodes))
    kinds = _classify_nodes(graph, node_kinds)
    edge_readers = (*ENTITY_EDGES, *(edges for family in families for edges in family.view_edges))
    edges = _collect_edges(graph, kinds, edge_readers)
    capped = False
    if around:
        seeds = find_nodes_named(graph, kinds, around)
        reached = _nearest_first(_link_graph(kinds, edges), seeds, depth)
        chosen, capped = set(reached[:max_nodes]), len(reached) > max_nodes
    elif len(kinds) > max_nodes:
        actors = [node for node, kind in kinds.items() if kind.actor]
        chosen = _busiest_actors_and_neighbours(_link_graph(kinds, edges), actors, max_nodes)
    else:
        chosen = set(kinds)
    drawn = {node: kind for node, kind in kinds.items() if node in chosen}
    drawn_edges = [edge for edge in edges if edge.source in drawn and edge.target in drawn]
    note = ""
    if len(drawn) < len(kinds):
        shown = _Shown(len(drawn), len(kinds), len(drawn_edges), len(edges))
        note = _omission_note(shown, around, depth, capped=capped)
    network = _build_network(graph, drawn, drawn_edges)
    counts = Counter(kind.key for kind in drawn.values())
    write_atomically(out_path, _page(title, network, counts, len(drawn_edges), node_kinds, note))
    return len(drawn)


@dataclass(frozen=True, slots=True)
class _Shown:
    """How much of the network a page draws."""

    nodes: int
    all_nodes: int
    links: int
    all_links: int


def _classify_nodes(graph: Graph, node_kinds: Sequence[NodeKind]) -> dict[Node, NodeKind]:
    """Every node to draw, sorted by IRI, with its most specific kind."""
    rank_of_type: dict[Node, int] = {}
    for rank, kind in enumerate(node_kinds):
        for rdf_type in kind.types:
            rank_of_type.setdefault(rdf_type, rank)
    best_rank: dict[Node, int] = {}
    # One pattern a type, so a store behind the graph hands over only the typed nodes.
    for rdf_type, rank in rank_of_type.items():
        for subject in graph.subjects(RDF.type, rdf_type):
            best_rank[subject] = min(rank, best_rank.get(subject, rank))
    return {node: node_kinds[best_rank[node]] for node in sorted(best_rank, key=str)}


def _collect_edges(
    graph: Graph, kinds: dict[Node, NodeKind], edge_readers: Iterable[ViewEdges]
) -> list[_Edge]:
    """Every edge between two typed nodes, once each, sorted."""
    candidates = [
        _Edge(source, target, label)
        for read_edges in edge_readers
        for source, target, label in read_edges(graph)
    ]
    drawn = {edge for edge in candidates if edge.source in kinds and edge.target in kinds}
    return sorted(drawn, key=lambda edge: edge.sort_key)


# ---- what a page too big to draw whole shows -------------------------------------------


def _link_graph(kinds: dict[Node, NodeKind], edges: Iterable[_Edge]) -> nx.Graph:
    """Who is linked to whom, direction and labels aside: what "connected" is measured on."""
    import networkx as nx

    links = nx.Graph()
    links.add_nodes_from(kinds)
    links.add_edges_from((edge.source, edge.target) for edge in edges)
    return links


def _by_degree(links: nx.Graph, nodes: Iterable[Node]) -> list[Node]:
    # Most linked first; ties by IRI, so the same graph always gives the same page.
    return sorted(nodes, key=lambda node: (-links.degree(node), str(node)))


def _busiest_actors_and_neighbours(
    links: nx.Graph, actors: Iterable[Node], max_nodes: int
) -> set[Node]:
    """The most connected actors, each with every node one link away, busiest first, for
    as long as the next one's neighbourhood still fits in `max_nodes`."""
    chosen: set[Node] = set()
    for hub in _by_degree(links, actors):
        if links.degree(hub) == 0:
            break  # the rest are linked to nothing: dots with no story
        arrivals = [node for node in (hub, *_by_degree(links, links[hub])) if node not in chosen]
        room = max_nodes - len(chosen)
        if len(arrivals) > room:
            if not chosen:
                # The busiest actor alone overflows the page: it and its busiest neighbours.
                chosen.update(arrivals[:room])
            break
        chosen.update(arrivals)
    return chosen


def _nearest_first(links: nx.Graph, seeds: Sequence[Node], depth: int) -> list[Node]:
    """The seeds and every node within `depth` links of one: nearest, then busiest, first."""
    import networkx as nx

    reached: list[Node] = []
    for distance, layer in enumerate(nx.bfs_layers(links, seeds)):
        if distance > depth:
            break
        reached += _by_degree(links, layer)
    return reached


def find_nodes_named(graph: Graph, nodes: Collection[Node], names: Iterable[str]) -> list[Node]:
    """The nodes among `nodes` that each of `names` names, ignoring case and spacing: those
    with it as a whole rdfs:label or skos:altLabel if any, else those with it inside one.

    A name that matches nothing is a ViewError suggesting the closest labels.
    """
    labels_of: dict[Node, set[str]] = defaultdict(set)
    for predicate in (RDFS.label, SKOS.altLabel):
        for node, label in graph.subject_objects(predicate):
            if node in nodes:
                labels_of[node].add(" ".join(str(label).split()))
    for node in nodes:
        if node not in labels_of:
            labels_of[node].add(_iri_tail(node))  # the label the page shows for it
    folded_labels = {
        node: {label.casefold() for label in labels} for node, labels in labels_of.items()
    }
    found: dict[Node, None] = {}  # in order, once each
    for name in names:
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            raise ViewError("a name to draw the network around is blank")
        exact = [node for node, labels in folded_labels.items() if wanted in labels]
        matches = exact or [
            node
            for node, labels in folded_labels.items()
            if any(wanted in label for label in labels)
        ]
        if not matches:
            raise ViewError(_no_such_name(name, labels_of.values()))
        found.update(dict.fromkeys(sorted(matches, key=str)))
    return list(found)


CLOSE_LABELS = 3


def _no_such_name(name: str, labels: Iterable[set[str]]) -> str:
    message = f'no node in the graph is named "{name}"'
    # Compared folded, suggested as the graph spells them (the first spelling, if several).
    spelling: dict[str, str] = {}
    for label in sorted(label for node_labels in labels for label in node_labels):
        spelling.setdefault(label.casefold(), label)
    close = difflib.get_close_matches(" ".join(name.split()).casefold(), spelling, CLOSE_LABELS)
    if not close:
        return message
    return message + "; did you mean " + ", ".join(f'"{spelling[c]}"' for c in close) + "?"


def _omission_note(shown: _Shown, around: Sequence[str], depth: int, *, capped: bool) -> str:
    """The page's note (markup, escaped) on what it left out and how to see the rest."""
    counts = (
        f"Showing {shown.nodes:,} of {shown.all_nodes:,} nodes"
        f" and {shown.links:,} of {shown.all_links:,} links: "
    )
    if around:
        names = " and ".join(f"“{name}”" for name in around)
        hops = "link" if depth == 1 else "links"
        what = f"the nodes named {names} and those within {depth} {hops} of them"
        if capped:
            what += ", nearest first, as many as fit"
    else:
        what = "the most connected actors and their neighbours"
    return (
        f'<p class="note" role="note">{html.escape(counts + what)}. For the rest:'
        " <code>kg view --around &quot;NAME&quot;</code> draws one name and its neighbours,"
        " <code>kg view --max-nodes N</code> a bigger page, and <code>kg query</code>"
        " answers SPARQL over the whole graph (graph.ttl).</p>"
    )


def _build_network(graph: Graph, kinds: dict[Node, NodeKind], edges: list[_Edge]) -> Any:
    # pyvis pulls in IPython and jinja2 (about half a second), so load it only to draw.
    from pyvis.network import Network

    network = Network(directed=True)
    degree = Counter(end for edge in edges for end in (edge.source, edge.target))
    for node, kind in kinds.items():
        full_label = node_label(graph, node)
        network.add_node(
            str(node),
            label=_truncate(full_label, NODE_LABEL_CHARS),
            shape=kind.shape,
            color=_node_colour(kind.colour),
            title=_node_tooltip(graph, node, kind),
            # vis-network scales size by value, so hubs such as councils stand out.
            value=degree[node] + 1,
            kind=kind.key,
            fullLabel=full_label,
        )
    for edge in edges:
        network.add_edge(
            str(edge.source), str(edge.target), label=edge.label, title=html.escape(edge.label)
        )
    return network


def node_label(graph: Graph, node: Node) -> str:
    """The node's rdfs:label (the least, if several), else the last segment of its IRI."""
    label = _least(graph, node, RDFS.label)
    if label:
        return " ".join(label.split())
    return _iri_tail(node)


def _iri_tail(node: Node) -> str:
    return str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _least(graph: Graph, node: Node, predicate: Node) -> str | None:
    # The alphabetically first value, so a node with several gives the same one every build.
    return min(_values(graph, node, predicate), default=None)


def _values(graph: Graph, node: Node, predicate: Node) -> list[str]:
    return [str(value) for value in graph.objects(node, predicate)]


def _truncate(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis if longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _node_colour(colour: str) -> dict[str, Any]:
    # Keep the kind's colour when selected or hovered; a black border shows the state.
    state = {"background": colour, "border": "#000000"}
    return {"background": colour, "border": colour, "highlight": state, "hover": state}


def _node_tooltip(graph: Graph, node: Node, kind: NodeKind) -> str:
    """Tooltip markup: label, kind, salary or evidence, then source articles, all escaped."""
    lines = [f"<b>{html.escape(node_label(graph, node))}</b>", html.escape(kind.name)]
    if kind.details is not None:
        lines += [html.escape(line) for line in kind.details(graph, node)]
    evidence = _first_evidence(graph, node) if kind.show_evidence else None
    if evidence:
        lines.append(f"“{html.escape(_truncate(evidence, EVIDENCE_CHARS))}”")
    return "<br>".join(lines) + _sources_markup(graph, node)


def _sources_markup(graph: Graph, node: Node) -> str:
    articles = sorted(
        graph.objects(node, PROV.wasDerivedFrom), key=lambda a: _article_key(graph, a)
    )
    if not articles:
        return ""
    items = [f"<li>{_article_markup(graph, article)}</li>" for article in articles[:SOURCES_LISTED]]
    if len(articles) > SOURCES_LISTED:
        items.append(f"<li>and {len(articles) - SOURCES_LISTED} more</li>")
    return "<br>Sources:<ul>" + "".join(items) + "</ul>"


def _article_markup(graph: Graph, article: Node) -> str:
    # "Council appoints director (2024-03-01, 001_c31a83825a9d8308)"
    identifier = _article_identifier(graph, article)
    headline = _least(graph, article, SDO.headline) or identifier
    details = ", ".join(filter(None, (_least(graph, article, SDO.datePublished), identifier)))
    return html.escape(f"{headline} ({details})")


def _article_identifier(graph: Graph, article: Node) -> str:
    return _least(graph, article, SDO.identifier) or node_label(graph, article)


def _article_key(graph: Graph, article: Node) -> tuple[str, str, str]:
    # Oldest first, then by article id and IRI so same-day articles keep a stable order.
    date = _least(graph, article, SDO.datePublished) or _UNDATED
    return (date, _article_identifier(graph, article), str(article))


def _first_evidence(graph: Graph, node: Node) -> str | None:
    """The evidence sentence from the earliest article that states the fact."""
    # A kg:Recommendation or kg:Announcement record holds one sentence and its one article,
    # so it dates the sentence; the node's own kg:evidence gathers every sentence with no
    # tie to an article, so it is the fallback.
    records = [*graph.subjects(KG.policy, node), *graph.subjects(KG.reform, node)]
    dated = [
        (_earliest_article(graph, record), text)
        for record in records
        for text in _values(graph, record, KG.evidence)
    ]
    if dated:
        return min(dated)[1]
    return min(_values(graph, node, KG.evidence), default=None)


def _earliest_article(graph: Graph, holder: Node) -> tuple[str, str, str]:
    keys = [_article_key(graph, article) for article in graph.objects(holder, PROV.wasDerivedFrom)]
    return min(keys, default=(_UNDATED, "", ""))


def _page(
    title: str,
    network: Any,
    counts: Counter[str],
    edge_count: int,
    node_kinds: Sequence[NodeKind],
    note: str,
) -> str:
    vis_js, vis_css = _vis_assets()
    node_count = sum(counts.values())
    return _PAGE.substitute(
        title=html.escape(title),
        summary=html.escape(f"{node_count} nodes, {edge_count} links"),
        note=note,
        legend=_legend_markup(counts, node_kinds),
        nodes_json=_script_json_lines(network.nodes),
        edges_json=_script_json_lines(network.edges),
        options_json=_script_json(_vis_options(node_count)),
        vis_js=vis_js,
        vis_css=vis_css,
        page_css=_PAGE_CSS,
        page_js=_PAGE_JS,
    )


def _vis_options(node_count: int) -> dict[str, Any]:
    improved = node_count <= IMPROVED_LAYOUT_MAX_NODES
    return {**VIS_OPTIONS, "layout": {**VIS_OPTIONS["layout"], "improvedLayout": improved}}


def _legend_markup(counts: Counter[str], node_kinds: Sequence[NodeKind]) -> str:
    """One checkbox line per kind present, with its glyph, name and node count."""
    lines = [_legend_line(kind, counts[kind.key]) for kind in node_kinds if counts[kind.key]]
    return "\n".join(lines) if lines else '<li class="empty">No nodes to draw.</li>'


def _legend_line(kind: NodeKind, count: int) -> str:
    glyph = _SHAPE_SVG[kind.shape].format(colour=html.escape(kind.colour))
    return (
        f'<li><label><input type="checkbox" data-kind="{html.escape(kind.key)}" checked>'
        f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{glyph}</svg>'
        f'{html.escape(kind.name)}<span class="count">{count}</span></label></li>'
    )


# Characters that could close the <script> element or open a comment in it, and the two
# line separators that older JavaScript parsers reject inside string literals.
_SCRIPT_UNSAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _script_json(value: Any) -> str:
    """`value` as JSON that is safe inside a <script> element; keys sorted for stable diffs."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False).translate(_SCRIPT_UNSAFE)


def _script_json_lines(items: list[Any]) -> str:
    # One node or edge a line, so that rebuilding after a small change gives a small diff.
    return "[\n" + ",\n".join(_script_json(item) for item in items) + "\n]" if items else "[]"


@functools.cache
def _vis_assets() -> tuple[str, str]:
    # The vis-network build that pyvis ships. pyvis's own templates link Bootstrap and
    # tom-select from CDNs even when "in_line", so the page embeds this file instead.
    folder = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    vis_js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (folder / "vis-network.css").read_text(encoding="utf-8")
    return vis_js, vis_css
