"""Draw the built graph as one self-contained HTML page: an explorer of the network.

The network is `kg.network`'s networkx graph of the RDF graph; networkx sizes the nodes
(degree), finds what is linked to nothing, and lays the page out beforehand, so the
browser draws even a few thousand nodes at once and nothing moves after (vis-network's
own simulation of 3,000 nodes had not settled after 60 s). pyvis builds the node and
edge records and lends its bundled vis-network, copied into the page: the page reads
nothing from the network.

In the page a click on a node lists its facts with their evidence in a side panel and
dims what is not next to it; a button keeps only its neighbourhood; the URL fragment
(`#node=IRI`) keeps the selection, so a view can be shared as a link. Nodes linked to
nothing are hidden at first; kinds and years filter the rest. Every string from the
graph is article text: the page carries it as JSON in a `<script type="application/json">`
(`<`, `>` and `&` escaped) and its script puts it in the page with textContent only.

A browser cannot lay out tens of thousands of nodes, so a page draws at most `MAX_NODES`:
past that, its backbone (the nodes with two links or more) and as many nodes with one link
as fit, or if the backbone is too big the most connected people and organisations and
their neighbours, or with
`around` the nodes of some names and their neighbourhood, and a note says what was left
out. The graph may be a store behind rdflib (oxrdflib), so it is read only through
triple patterns, and labels, facts and tooltips are read only for the nodes drawn.
"""

from __future__ import annotations

import difflib
import functools
import html
import json
import string
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from kg.errors import ViewError
from kg.family import registered
from kg.files import write_atomically

# The kinds and labels live with the network they describe; the fact families import them
# from here, where the view used to define them.
from kg.network import (
    ENTITY_EDGES,
    ENTITY_KINDS,
    NodeKind,
    analyse,
    describe,
    iri_tail,
    layout,
    links_of,
    node_kinds,
    node_label,
    read_network,
)

if TYPE_CHECKING:
    import networkx as nx

    from kg.family import Family

__all__ = [
    "DEFAULT_TITLE",
    "ENTITY_EDGES",
    "ENTITY_KINDS",
    "MAX_NODES",
    "NodeKind",
    "find_nodes_named",
    "node_label",
    "render_network",
]

DEFAULT_TITLE = "kg: UK children's services network"

# With positions computed beforehand the browser draws thousands of nodes in a second or
# two, but a page past a few thousand is a hairball to read and slow to lay out in Python.
MAX_NODES = 3000

NODE_LABEL_CHARS = 40
EVIDENCE_CHARS = 200
SOURCES_LISTED = 5
# A council in a big corpus is named by thousands of job adverts: the panel lists the
# newest this many facts and says how many more there are.
FACTS_LISTED = 30

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

# Positions come from networkx (`kg.network.layout`), so the page turns physics off: with
# it on, vis-network simulates every node on each frame, and pyvis's default page for
# 3,000 nodes had not settled after 60 s in headless Chromium here; with it off the page
# for 3,000 generated articles is drawn and still in seconds (benchmarks/bench_view.py).
# Straight edges skip the hidden support nodes that smooth edges add.
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
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    "layout": {"randomSeed": 7, "improvedLayout": False},
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
<aside id="controls">
<label for="search">Find a node</label>
<input id="search" type="search" placeholder="Label contains&#8230; (Enter to zoom)"
 autocomplete="off">
<p id="search-status" aria-live="polite"></p>
<h2>Legend</h2>
<ul id="legend">
$legend
</ul>
<p class="isolated"><label><input type="checkbox" id="show-isolated">
Show <span id="isolated-count">$isolated</span> only mentioned (linked to nothing)</label></p>
<div id="years"$years_hidden>
<h2>Years</h2>
<label>From <input type="range" id="year-from" min="$year_min" max="$year_max"
 value="$year_min" step="1"> <output id="year-from-value">$year_min</output></label>
<label>To <input type="range" id="year-to" min="$year_min" max="$year_max"
 value="$year_max" step="1"> <output id="year-to-value">$year_max</output></label>
<p class="hint">Hides what was reported only outside these years.</p>
</div>
<p id="shown-status" aria-live="polite"></p>
</aside>
<main id="network"></main>
<aside id="panel" hidden>
<button type="button" id="panel-close" title="Close">&#215;</button>
<h2 id="panel-title"></h2>
<p id="panel-kind"></p>
<p class="buttons">Show only its neighbourhood:
<button type="button" id="near-1">1 link</button>
<button type="button" id="near-2">2 links</button>
<button type="button" id="show-all">Show all</button></p>
<h3>Facts</h3>
<ul id="panel-facts"></ul>
</aside>
</div>
<script type="application/json" id="graph-data">$data_json</script>
<script>
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
.layout { flex: 1; display: flex; min-height: 0; position: relative; }
aside { width: 17rem; padding: 0.8rem 1rem; overflow-y: auto; font-size: 0.9rem; }
#controls { border-right: 1px solid #ddd; }
/* Over the network, not beside it: opening it must not resize the canvas and move the view. */
#panel { width: 24rem; border-left: 1px solid #ddd; position: absolute; top: 0; right: 0;
  bottom: 0; box-sizing: border-box; background: #ffffff; box-shadow: -2px 0 6px #0002; }
#panel[hidden] { display: none; }
#panel-close { position: absolute; top: 0.4rem; right: 0.6rem; font-size: 1.2rem;
  background: none; border: none; cursor: pointer; }
#panel h2 { margin: 0 1.5rem 0.2rem 0; font-size: 1.05rem; }
#panel-kind { color: #555; margin: 0 0 0.5rem; }
#panel .buttons button { margin: 0.15rem 0.1rem; }
#panel h3 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
#panel-facts { list-style: none; padding: 0; margin: 0; }
#panel-facts li { border-top: 1px solid #eee; padding: 0.4rem 0; }
#panel-facts .fact-kind { font-weight: bold; color: #444; }
#panel-facts .fact-text { margin: 0.15rem 0; }
#panel-facts blockquote { margin: 0.2rem 0 0.2rem 0.5rem; padding-left: 0.5rem;
  border-left: 3px solid #ccc; color: #333; font-style: italic; }
#panel-facts .fact-source, #panel-facts .fact-rule { margin: 0.1rem 0; color: #666;
  font-size: 0.8rem; }
aside label[for=search] { font-weight: bold; display: block; margin-bottom: 0.3rem; }
#search { width: 100%; box-sizing: border-box; padding: 0.3rem; }
#search-status, #shown-status { color: #555; font-size: 0.85rem; min-height: 1.1em; }
aside h2 { font-size: 1rem; margin: 1rem 0 0.4rem; }
#legend { list-style: none; padding: 0; margin: 0; }
#legend li { margin: 0.25rem 0; }
#legend label { display: flex; align-items: center; gap: 0.4rem; cursor: pointer; }
#legend .count { color: #666; margin-left: auto; }
#years[hidden] { display: none; }
#years label { display: block; margin: 0.2rem 0; }
#years input { width: 9rem; vertical-align: middle; }
.hint { color: #666; font-size: 0.8rem; margin: 0.2rem 0; }
#network { flex: 1; min-width: 0; }
div.vis-tooltip { white-space: normal; max-width: 28rem; font-family: sans-serif; }
.tip ul { margin: 0.2rem 0 0; padding-left: 1.1rem; }
"""

_PAGE_JS = """
(function () {
  "use strict";
  // Every string in graphData is article text: it reaches the page through textContent
  // only, never as markup.
  var graphData = JSON.parse(document.getElementById("graph-data").textContent);
  var NODE_FONT = "#222222";
  var DIM_NODE = {background: "#ebebeb", border: "#dddddd"};
  var EDGE_COLOUR = graphData.options.edges.color;
  var DIM_EDGE = {color: "#f0f0f0", highlight: "#333333", hover: "#333333"};

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  function tooltip(node) {
    var tip = element("div", "tip");
    tip.appendChild(element("strong", "", node.fullLabel));
    node.tip.lines.forEach(function (line) { tip.appendChild(element("div", "", line)); });
    if (node.tip.evidence) {
      tip.appendChild(element("div", "evidence", "\\u201c" + node.tip.evidence + "\\u201d"));
    }
    if (node.tip.sources.length > 0) {
      tip.appendChild(element("div", "", "Sources:"));
      var list = element("ul");
      node.tip.sources.forEach(function (source) { list.appendChild(element("li", "", source)); });
      if (node.tip.more > 0) {
        list.appendChild(element("li", "", "and " + node.tip.more + " more"));
      }
      tip.appendChild(list);
    }
    return tip;
  }

  var byId = {};
  var around = {};  // id -> ids linked to it, either direction
  graphData.nodes.forEach(function (node) { byId[node.id] = node; around[node.id] = []; });
  graphData.edges.forEach(function (edge) {
    around[edge.from].push(edge.to);
    around[edge.to].push(edge.from);
  });

  var years = graphData.years;
  var state = {
    hiddenKinds: {},
    showIsolated: false,
    from: years ? years[0] : null,
    to: years ? years[1] : null,
    only: null,  // the ids a neighbourhood view keeps, or null for all
    selected: null
  };

  function inYears(itemYears) {
    if (state.from === null || itemYears.length === 0) {
      return true;
    }
    return itemYears.some(function (year) { return year >= state.from && year <= state.to; });
  }
  function nodeShown(node) {
    return !state.hiddenKinds[node.kind] &&
      (state.showIsolated || !node.isolated || node.id === state.selected) &&
      inYears(node.years) && (state.only === null || state.only[node.id] === true);
  }

  var hiddenNow = {};
  var nodes = new vis.DataSet(graphData.nodes.map(function (node) {
    hiddenNow[node.id] = !nodeShown(node);
    return {
      id: node.id, label: node.label, fullLabel: node.fullLabel, kind: node.kind,
      shape: node.shape, color: node.color, value: node.value, x: node.x, y: node.y,
      title: tooltip(node), hidden: hiddenNow[node.id]
    };
  }));
  var edges = new vis.DataSet(graphData.edges.map(function (edge) {
    var hidden = hiddenNow[edge.from] || hiddenNow[edge.to] || !inYears(edge.years);
    hiddenNow[edge.id] = hidden;
    return {
      id: edge.id, from: edge.from, to: edge.to, label: edge.label,
      title: element("div", "tip", edge.label), hidden: hidden
    };
  }));
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, graphData.options);
  network.once("afterDrawing", function () {
    // Positions were computed beforehand and physics is off: drawn once, nothing moves.
    window.kgReadyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  });

  var shownStatus = document.getElementById("shown-status");
  function applyFilters() {
    var nodeChanges = [];
    var shownNodes = 0;
    graphData.nodes.forEach(function (node) {
      var hidden = !nodeShown(node);
      if (!hidden) {
        shownNodes += 1;
      }
      if (hiddenNow[node.id] !== hidden) {
        hiddenNow[node.id] = hidden;
        nodeChanges.push({id: node.id, hidden: hidden});
      }
    });
    var edgeChanges = [];
    var shownEdges = 0;
    graphData.edges.forEach(function (edge) {
      var hidden = hiddenNow[edge.from] || hiddenNow[edge.to] || !inYears(edge.years);
      if (!hidden) {
        shownEdges += 1;
      }
      if (hiddenNow[edge.id] !== hidden) {
        hiddenNow[edge.id] = hidden;
        edgeChanges.push({id: edge.id, hidden: hidden});
      }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    shownStatus.textContent = "Showing " + shownNodes + " of " + graphData.nodes.length +
      " nodes and " + shownEdges + " of " + graphData.edges.length + " links.";
    highlightMatches();
  }

  // ---- selection: the panel, the highlight, the URL fragment ----
  var dimmed = {};
  function restyle() {
    var near = null;
    if (state.selected !== null) {
      near = {};
      near[state.selected] = true;
      around[state.selected].forEach(function (id) { near[id] = true; });
    }
    var nodeChanges = [];
    graphData.nodes.forEach(function (node) {
      var dim = near !== null && !near[node.id];
      if ((dimmed[node.id] || false) !== dim) {
        dimmed[node.id] = dim;
        nodeChanges.push({id: node.id, color: dim ? DIM_NODE : node.color,
          font: {color: dim ? "#bbbbbb" : NODE_FONT}});
      }
    });
    var edgeChanges = [];
    graphData.edges.forEach(function (edge) {
      var dim = near !== null && edge.from !== state.selected && edge.to !== state.selected;
      if ((dimmed[edge.id] || false) !== dim) {
        dimmed[edge.id] = dim;
        edgeChanges.push({id: edge.id, color: dim ? DIM_EDGE : EDGE_COLOUR,
          font: {color: dim ? "#dddddd" : "#555555"}});
      }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
  }

  var panel = document.getElementById("panel");
  function showPanel(node) {
    document.getElementById("panel-title").textContent = node.fullLabel;
    var links = node.degree === 1 ? " link" : " links";
    document.getElementById("panel-kind").textContent = node.kindName + ", " + node.degree +
      links + (node.years.length ? ", reported " + node.years.join(", ") : "");
    var list = document.getElementById("panel-facts");
    list.replaceChildren();
    node.facts.forEach(function (fact) {
      var item = element("li", "fact");
      item.appendChild(element("span", "fact-kind", fact.kind));
      item.appendChild(element("p", "fact-text", fact.text));
      if (fact.evidence) {
        item.appendChild(element("blockquote", "evidence", fact.evidence));
      }
      var source = [fact.headline, fact.date, fact.article].filter(Boolean).join(", ");
      if (source) {
        item.appendChild(element("p", "fact-source", source));
      }
      if (fact.rule) {
        item.appendChild(element("p", "fact-rule", "Found by " + fact.rule));
      }
      list.appendChild(item);
    });
    if (node.factCount > node.facts.length) {
      list.appendChild(element("li", "more", "and " + (node.factCount - node.facts.length) +
        " older facts (kg query lists them all)"));
    }
    if (node.factCount === 0) {
      list.appendChild(element("li", "none", "No fact names it; it is mentioned in:"));
      node.tip.sources.forEach(function (source) {
        list.appendChild(element("li", "fact-source", source));
      });
    }
    panel.hidden = false;
  }

  function select(id, zoom) {
    var node = byId[id];
    if (node === undefined) {
      return;
    }
    state.selected = id;
    if (hiddenNow[id]) {
      applyFilters();
    }
    showPanel(node);
    restyle();
    network.selectNodes([id]);
    if (zoom) {
      network.focus(id, {scale: 1.2, animation: false});
    }
    var fragment = "#node=" + encodeURIComponent(id);
    if (location.hash !== fragment) {
      history.replaceState(null, "", fragment);
    }
  }

  function clearSelection() {
    state.selected = null;
    panel.hidden = true;
    restyle();
    network.unselectAll();
    if (location.hash) {
      history.replaceState(null, "", location.pathname + location.search);
    }
  }

  function onlyNeighbourhood(depth) {
    if (state.selected === null) {
      return;
    }
    var kept = {};
    kept[state.selected] = true;
    var frontier = [state.selected];
    for (var step = 0; step < depth; step += 1) {
      var next = [];
      frontier.forEach(function (id) {
        around[id].forEach(function (other) {
          if (!kept[other]) {
            kept[other] = true;
            next.push(other);
          }
        });
      });
      frontier = next;
    }
    state.only = kept;
    applyFilters();
    network.fit({nodes: Object.keys(kept).filter(function (id) { return !hiddenNow[id]; }),
      animation: false});
  }

  network.on("click", function (params) {
    if (params.nodes.length > 0) {
      select(params.nodes[0], false);
    } else if (params.edges.length === 0) {
      clearSelection();
    }
  });
  document.getElementById("panel-close").addEventListener("click", clearSelection);
  document.getElementById("near-1").addEventListener("click", function () {
    onlyNeighbourhood(1);
  });
  document.getElementById("near-2").addEventListener("click", function () {
    onlyNeighbourhood(2);
  });
  document.getElementById("show-all").addEventListener("click", function () {
    state.only = null;
    applyFilters();
    network.fit({animation: false});
  });

  function selectFromFragment() {
    var match = /^#node=(.+)$/.exec(location.hash);
    if (match === null) {
      return;
    }
    var id;
    try {
      id = decodeURIComponent(match[1]);
    } catch (error) {
      return;  // a fragment that is not ours
    }
    if (id !== state.selected) {
      select(id, true);
    }
  }
  window.addEventListener("hashchange", selectFromFragment);

  // ---- search ----
  var search = document.getElementById("search");
  var searchStatus = document.getElementById("search-status");
  function matchingIds() {
    var needle = search.value.trim().toLowerCase();
    if (needle === "") {
      return [];
    }
    return graphData.nodes.filter(function (node) {
      return !hiddenNow[node.id] && node.fullLabel.toLowerCase().indexOf(needle) !== -1;
    }).map(function (node) { return node.id; });
  }
  function highlightMatches() {
    var ids = matchingIds();
    if (search.value.trim() === "") {
      searchStatus.textContent = "";
      return ids;
    }
    network.selectNodes(ids, false);
    searchStatus.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    return ids;
  }
  search.addEventListener("input", highlightMatches);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") {
      return;
    }
    var ids = highlightMatches();
    if (ids.length === 1) {
      select(ids[0], true);
    } else if (ids.length > 1) {
      network.fit({nodes: ids, animation: false});
    }
  });

  // ---- filters: kinds, what is linked to nothing, years ----
  document.querySelectorAll("#legend input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      state.hiddenKinds[box.getAttribute("data-kind")] = !box.checked;
      applyFilters();
    });
  });
  document.getElementById("show-isolated").addEventListener("change", function (event) {
    state.showIsolated = event.target.checked;
    applyFilters();
  });
  var yearFrom = document.getElementById("year-from");
  var yearTo = document.getElementById("year-to");
  function yearsChanged(event) {
    var from = Number(yearFrom.value);
    var to = Number(yearTo.value);
    if (from > to) {  // the handle moved past the other one pushes it along
      if (event.target === yearFrom) {
        yearTo.value = String(from);
        to = from;
      } else {
        yearFrom.value = String(to);
        from = to;
      }
    }
    state.from = from;
    state.to = to;
    document.getElementById("year-from-value").textContent = String(from);
    document.getElementById("year-to-value").textContent = String(to);
    applyFilters();
  }
  yearFrom.addEventListener("input", yearsChanged);
  yearTo.addEventListener("input", yearsChanged);

  applyFilters();
  network.fit({animation: false});
  selectFromFragment();
  window.kgView = {network: network, nodes: nodes, edges: edges, state: state,
    select: select, shown: function (id) { return !hiddenNow[id]; }};
})();
"""


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
    A graph of more than `max_nodes` nodes is drawn as its backbone (every node with two
    links or more) and as many one-link nodes as fit, a round at a time, busiest hub first;
    or, if the backbone does not fit, as its most connected people and organisations with
    their neighbours. `around` draws instead the nodes with those
    names (rdfs:label or skos:altLabel, ignoring case: an exact match, else a part of
    one) and every node within `depth` links of them, nearest first, up to `max_nodes`.
    Either way the page says what it left out; a name no node has is a ViewError.
    """
    if max_nodes < 1:
        raise ViewError(f"a page must be allowed at least one node, not {max_nodes}")
    if depth < 0:
        raise ViewError(f"the depth around a name cannot be negative ({depth})")
    families = registered(families)
    network = read_network(graph, families)
    capped, what = False, BUSIEST
    if around:
        seeds = find_nodes_named(graph, network, around)
        reached = _nearest_first(links_of(network), seeds, depth)
        chosen, capped = set(reached[:max_nodes]), len(reached) > max_nodes
    elif len(network) > max_nodes:
        links = links_of(network)
        backbone = _backbone_and_leaves(links, max_nodes)
        if backbone is not None:
            chosen, what = backbone, BACKBONE
        else:
            actors = [node for node, kind in network.nodes(data="kind") if kind.actor]
            chosen = _busiest_actors_and_neighbours(links, actors, max_nodes)
    else:
        chosen = set(network)
    drawn = network.subgraph(chosen).copy()
    note = ""
    if len(drawn) < len(network):
        shown = _Shown(len(drawn), len(network), drawn.number_of_edges(), network.number_of_edges())
        note = _omission_note(shown, around, depth, capped=capped, what=what)
    write_atomically(out_path, page_of(graph, drawn, title, node_kinds(families), note))
    return len(drawn)


def page_of(
    graph: Graph,
    network: nx.MultiDiGraph,
    title: str,
    kinds: Sequence[NodeKind],
    note: str = "",
) -> str:
    """The HTML page of `network` (nodes of `kg.network.read_network`), reading what it
    shows of each node from `graph`."""
    describe(graph, network, newest_facts=FACTS_LISTED)
    analyse(network)
    positions = layout(network)
    drawing = _pyvis_network(network, positions)
    counts = Counter(kind.key for _, kind in network.nodes(data="kind"))
    node_years = [year for _, years in network.nodes(data="years") for year in years]
    isolated = sum(1 for _, alone in network.nodes(data="isolated") if alone)
    data = {
        "nodes": drawing.nodes,
        "edges": drawing.edges,
        "years": [min(node_years), max(node_years)] if node_years else None,
        "options": VIS_OPTIONS,
    }
    return _PAGE.substitute(
        title=html.escape(title),
        summary=html.escape(f"{len(network)} nodes, {network.number_of_edges()} links"),
        note=note,
        legend=_legend_markup(counts, kinds),
        isolated=isolated,
        years_hidden="" if node_years else " hidden",
        year_min=min(node_years, default=0),
        year_max=max(node_years, default=0),
        data_json=_data_json(data),
        vis_js=_vis_assets()[0],
        vis_css=_vis_assets()[1],
        page_css=_PAGE_CSS,
        page_js=_PAGE_JS,
    )


@dataclass(frozen=True, slots=True)
class _Shown:
    """How much of the network a page draws."""

    nodes: int
    all_nodes: int
    links: int
    all_links: int


def _pyvis_network(network: nx.MultiDiGraph, positions: dict[Node, tuple[int, int]]) -> Any:
    """pyvis's Network of the page's nodes and edges: each node with what the page shows of
    it (tooltip, facts, years), at its precomputed position."""
    # pyvis pulls in IPython and jinja2 (about half a second), so load it only to draw.
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node as PyvisNode

    drawing = Network(directed=True)
    # pyvis 0.3.2's add_node and add_edge each search a list of every node id added so far
    # (`n_id not in self.node_ids`, `source in self.get_nodes()`), so a page takes time
    # quadratic in its size: here 1,000 nodes and edges took 0.01 s and 0.03 s, 4,000 took
    # 0.38 s and 0.70 s. The ids are unique (networkx nodes, keyed edges), so this makes
    # pyvis's own Node and Edge records and appends them as those methods do after the
    # search.
    for node, attributes in network.nodes(data=True):
        record = PyvisNode(
            str(node),
            attributes["kind"].shape,
            _truncate(attributes["label"], NODE_LABEL_CHARS),
            **_node_options(attributes, positions[node]),
        ).options
        drawing.nodes.append(record)
        drawing.node_ids.append(record["id"])
        drawing.node_map[record["id"]] = record
    for index, (source, target, attributes) in enumerate(network.edges(data=True)):
        record = Edge(
            str(source),
            str(target),
            id=f"e{index}",
            label=attributes["label"],
            years=attributes["years"],
        ).options
        drawing.edges.append(record)
    return drawing


def _node_options(attributes: dict[str, Any], position: tuple[int, int]) -> dict[str, Any]:
    kind: NodeKind = attributes["kind"]
    facts = attributes["facts"]
    sources = attributes["sources"]
    lines = [kind.name, *attributes["details"]]
    evidence = _truncate(attributes["evidence"], EVIDENCE_CHARS) if attributes["evidence"] else ""
    return {
        "fullLabel": attributes["label"],
        "kind": kind.key,
        "kindName": kind.name,
        "color": _node_colour(kind.colour),
        # vis-network scales size by value, so hubs such as councils stand out.
        "value": attributes["degree"] + 1,
        "degree": attributes["degree"],
        "betweenness": attributes["betweenness"],
        "isolated": attributes["isolated"],
        "x": position[0],
        "y": position[1],
        "years": attributes["years"],
        "tip": {
            "lines": lines,
            "evidence": evidence,
            "sources": [_source_line(source) for source in sources[:SOURCES_LISTED]],
            "more": max(0, len(sources) - SOURCES_LISTED),
        },
        # Newest first: what a reader opening the panel most likely wants.
        "facts": [
            {
                "kind": fact.kind,
                "text": fact.text,
                "evidence": fact.evidence,
                "headline": fact.headline,
                "date": fact.date,
                "article": fact.article,
                "rule": fact.rule,
            }
            for fact in reversed(facts)
        ],
        "factCount": attributes["fact_count"],
    }


def _source_line(source: Any) -> str:
    # "Council appoints director (2024-03-01, 001_c31a83825a9d8308)"
    details = ", ".join(filter(None, (source.date, source.article)))
    return f"{source.headline} ({details})"


def _truncate(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis if longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _node_colour(colour: str) -> dict[str, Any]:
    # Keep the kind's colour when selected or hovered; a black border shows the state.
    state = {"background": colour, "border": "#000000"}
    return {"background": colour, "border": colour, "highlight": state, "hover": state}


# ---- what a page too big to draw whole shows -------------------------------------------


def _by_degree(links: nx.Graph, nodes: Iterable[Node]) -> list[Node]:
    # Most linked first; ties by IRI, so the same graph always gives the same page.
    return sorted(nodes, key=lambda node: (-links.degree(node), str(node)))


BUSIEST = "the most connected actors and their neighbours"
BACKBONE = "every node linked to two or more, and as many as fit of those linked to one"


def _backbone_and_leaves(links: nx.Graph, max_nodes: int) -> set[Node] | None:
    """Every node with two links or more (the backbone of who works with whom) if they all
    fit, then nodes with one link a round at a time: one for each backbone node, busiest
    first, until the page is full. None if the backbone is empty or does not fit.

    In a big corpus most nodes hang from one other (a council's job adverts, the reforms a
    department announced): at 3,000 generated articles 14,155 of 16,417. Taking a hub with
    all its neighbours would fill the page with the Department for Education's 2,956.
    """
    backbone = [node for node in links if links.degree(node) > 1]
    if not backbone or len(backbone) > max_nodes:
        return None
    chosen = set(backbone)
    queues = [
        deque(sorted((leaf for leaf in links[hub] if links.degree(leaf) == 1), key=str))
        for hub in _by_degree(links, backbone)
    ]
    room = max_nodes - len(chosen)
    while room > 0 and any(queues):
        for queue in queues:
            if queue and room > 0:
                chosen.add(queue.popleft())
                room -= 1
    return chosen


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
            labels_of[node].add(iri_tail(node))  # the label the page shows for it
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


def _omission_note(
    shown: _Shown, around: Sequence[str], depth: int, *, capped: bool, what: str = BUSIEST
) -> str:
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
    return (
        f'<p class="note" role="note">{html.escape(counts + what)}. For the rest:'
        " <code>kg view --around &quot;NAME&quot;</code> draws one name and its neighbours,"
        " <code>kg view --max-nodes N</code> a bigger page, and <code>kg query</code>"
        " answers SPARQL over the whole graph (graph.ttl).</p>"
    )


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


def _data_json(data: dict[str, Any]) -> str:
    # One node or edge a line, so that rebuilding after a small change gives a small diff.
    def lines(items: list[Any]) -> str:
        return "[\n" + ",\n".join(map(_script_json, items)) + "\n]" if items else "[]"

    return (
        f'{{"nodes": {lines(data["nodes"])},\n"edges": {lines(data["edges"])},\n'
        f'"years": {_script_json(data["years"])},\n"options": {_script_json(data["options"])}}}'
    )


@functools.cache
def _vis_assets() -> tuple[str, str]:
    # The vis-network build that pyvis ships. pyvis's own templates link Bootstrap and
    # tom-select from CDNs even when "in_line", so the page embeds this file instead.
    folder = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    vis_js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (folder / "vis-network.css").read_text(encoding="utf-8")
    return vis_js, vis_css
