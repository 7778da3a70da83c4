"""graph.html in a real browser: Debian's chromium, headless, driven by Playwright.

Each page is loaded from a file URL with every other request aborted and recorded, and
every test ends with no console error, no uncaught exception and no request out. Where
chromium is missing these tests fail in CI (`make browser` installs it) and are skipped
with the reason elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS

from kg.build import extract_corpus
from kg.corpus import bundled_samples
from kg.network import read_network
from kg.rdf import build_graph
from kg.render import render_network
from kg.resolve import resolve
from kg.vocab import KG

ID = Namespace("https://w3id.org/kg-ukcs/id/")
SDO = Namespace("https://schema.org/")

PERSON = ID["person/priya-shah"]
COUNCIL = ID["organisation/northshire-county-council"]
MEMBERSHIP = ID["membership/1"]
REGULATOR = ID["organisation/ofsted"]
OTHER_COUNCIL = ID["organisation/southdale-council"]
REPORT = ID["report/southdale-inspection"]
POLICY = ID["policy/recruit-more-foster-carers"]
RECOMMENDATION = ID["recommendation/1"]
JOB = ID["job/family-support-worker"]
CHARITY = ID["organisation/westmoor-trust"]

EARLY = ID["article/a1"]
LATE = ID["article/a2"]
HOSTILE = ID["article/a3"]

# Article text that would run if the page ever treated it as markup.
HOSTILE_HEADLINE = 'Jobs <img src=x onerror="window.__pwned = 1"> this week'
HOSTILE_EVIDENCE = "Apply by Friday <script>window.__pwned = 2</script> to Southdale."
HOSTILE_JOB = "Family Support Worker <b>urgent</b>"
RECOMMENDATION_SENTENCE = "Inspectors told Southdale to find more foster carers within a year."

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> str | None:
    for name in (os.environ.get("KG_CHROMIUM"), "chromium", "chromium-browser"):
        path = shutil.which(name) if name else None
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium()
    if path is None:
        reason = "no chromium on PATH: `make browser` installs Debian's (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Viewer:
    """One page in the browser, with what it logged and what it asked of the network."""

    def __init__(self, browser: Any, path: Path, fragment: str = "") -> None:
        self.errors: list[str] = []
        self.requests_out: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri() + fragment)
        self.page.wait_for_selector("body[data-ready=true]", timeout=30_000)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests_out.append(route.request.url)
            route.abort()

    def run(self, script: str, argument: Any = None) -> Any:
        return self.page.evaluate(script, argument)

    def drawn_nodes(self) -> set[str]:
        """The ids of the nodes vis-network draws (the hidden ones are not in its index)."""
        return set(self.run("kgView.network.body.nodeIndices"))

    def drawn_edges(self) -> set[tuple[str, str, str]]:
        triples = self.run(
            "kgView.network.body.edgeIndices.map(function (id) {"
            " var edge = kgView.edges.get(id); return [edge.from, edge.to, edge.label]; })"
        )
        return {tuple(triple) for triple in triples}

    def select(self, node: URIRef) -> None:
        self.run("(id) => kgView.select(id, true)", str(node))

    def click_node(self, node: URIRef) -> None:
        x, y = self.run(
            "(id) => { var box = document.getElementById('network').getBoundingClientRect();"
            " var at = kgView.network.canvasToDOM(kgView.network.getPositions([id])[id]);"
            " return [box.left + at.x, box.top + at.y]; }",
            str(node),
        )
        self.page.mouse.click(x, y)

    def set_years(self, first: int, last: int) -> None:
        for control, year in (("#year-from", first), ("#year-to", last)):
            self.page.eval_on_selector(
                control,
                "(range, year) => { range.value = String(year);"
                " range.dispatchEvent(new Event('input')); }",
                year,
            )

    def panel_text(self) -> str:
        return self.page.inner_text("#panel")

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_view(browser: Any) -> Iterator[Any]:
    viewers: list[Viewer] = []

    def open_page(path: Path, fragment: str = "") -> Viewer:
        viewers.append(Viewer(browser, path, fragment))
        return viewers[-1]

    yield open_page
    for viewer in viewers:
        viewer.close()
        assert viewer.errors == [], "the page logged errors"
        assert viewer.requests_out == [], "the page asked the network for something"


def add_article(graph: Graph, article: URIRef, headline: str, date: str) -> None:
    graph.add((article, RDF.type, SDO.NewsArticle))
    graph.add((article, SDO.identifier, Literal(str(article).rsplit("/", 1)[-1])))
    graph.add((article, SDO.headline, Literal(headline)))
    graph.add((article, SDO.datePublished, Literal(dt.date.fromisoformat(date))))


def add_entity(graph: Graph, node: URIRef, label: str, article: URIRef, *types: URIRef) -> None:
    for rdf_type in types:
        graph.add((node, RDF.type, rdf_type))
    graph.add((node, RDFS.label, Literal(label)))
    graph.add((node, PROV.wasDerivedFrom, article))


def add_record(graph: Graph, record: URIRef, evidence: str, article: URIRef, rule: str) -> None:
    graph.add((record, KG.evidence, Literal(evidence)))
    graph.add((record, PROV.wasDerivedFrom, article))
    graph.add((record, KG.rule, Literal(rule)))


def explorer_graph() -> Graph:
    """A director appointed in 2019; in 2023 an inspection report recommending a policy and
    a job advert whose article is hostile markup; and a charity linked to nothing."""
    graph = Graph()
    add_article(graph, EARLY, "Northshire names a new director", "2019-04-02")
    add_article(graph, LATE, "Inspectors back Southdale's fostering plan", "2023-06-10")
    add_article(graph, HOSTILE, HOSTILE_HEADLINE, "2023-01-05")
    add_entity(graph, PERSON, "Priya Shah", EARLY, FOAF.Person)
    add_entity(graph, COUNCIL, "Northshire County Council", EARLY, KG.LocalAuthority)
    graph.add((MEMBERSHIP, RDF.type, ORG.Membership))
    graph.add((MEMBERSHIP, ORG.member, PERSON))
    graph.add((MEMBERSHIP, ORG.organization, COUNCIL))
    graph.add((MEMBERSHIP, ORG.role, ID["role/director"]))
    graph.add((ID["role/director"], RDFS.label, Literal("director of children's services")))
    add_record(graph, MEMBERSHIP, "Priya Shah starts at Northshire in May.", EARLY, "appointed")
    add_entity(graph, REGULATOR, "Ofsted", LATE, KG.Regulator)
    add_entity(graph, OTHER_COUNCIL, "Southdale Council", LATE, KG.LocalAuthority)
    add_entity(graph, REPORT, "Southdale inspection report", LATE, SDO.Report)
    graph.add((REPORT, SDO.publisher, REGULATOR))
    add_entity(graph, POLICY, "Recruit more foster carers", LATE, KG.Policy)
    graph.add((REPORT, KG.recommends, POLICY))
    graph.add((RECOMMENDATION, RDF.type, KG.Recommendation))
    graph.add((RECOMMENDATION, KG.report, REPORT))
    graph.add((RECOMMENDATION, KG.policy, POLICY))
    add_record(graph, RECOMMENDATION, RECOMMENDATION_SENTENCE, LATE, "told-to")
    add_entity(graph, JOB, HOSTILE_JOB, HOSTILE, SDO.JobPosting)
    graph.add((JOB, SDO.hiringOrganization, OTHER_COUNCIL))
    add_record(graph, JOB, HOSTILE_EVIDENCE, HOSTILE, "job-advert")
    add_entity(graph, CHARITY, "Westmoor Trust", EARLY, KG.Charity)
    return graph


LINKED = {PERSON, COUNCIL, REGULATOR, OTHER_COUNCIL, REPORT, POLICY, JOB}


@pytest.fixture(scope="module")
def explorer_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "graph.html"
    render_network(explorer_graph(), path)
    return path


def ids(*nodes: URIRef) -> set[str]:
    return set(map(str, nodes))


# ---- what is drawn ----------------------------------------------------------------------


def test_draws_the_graphs_nodes_and_edges_with_the_unlinked_hidden_at_first(
    open_view: Any, explorer_page: Path
) -> None:
    network = read_network(explorer_graph())
    edges = {(str(s), str(t), label) for s, t, label in network.edges(data="label")}
    view = open_view(explorer_page)
    assert view.drawn_nodes() == ids(*LINKED)
    assert view.drawn_edges() == edges
    assert len(edges) == 4
    assert view.page.inner_text("#isolated-count") == "1"
    view.page.check("#show-isolated")
    assert view.drawn_nodes() == set(map(str, network)) == ids(*LINKED, CHARITY)
    assert view.drawn_edges() == edges
    assert view.page.inner_text("#shown-status") == "Showing 8 of 8 nodes and 4 of 4 links."


def test_jobs_hide_in_one_click(open_view: Any, explorer_page: Path) -> None:
    view = open_view(explorer_page)
    view.page.uncheck('#legend input[data-kind="job"]')
    assert view.drawn_nodes() == ids(*LINKED) - ids(JOB)
    assert str(OTHER_COUNCIL) not in {source for source, _, _ in view.drawn_edges()}
    assert "hiring" not in {label for _, _, label in view.drawn_edges()}


# ---- search, click, panel, neighbourhood, link ------------------------------------------


def test_search_focuses_and_selects_the_one_match(open_view: Any, explorer_page: Path) -> None:
    view = open_view(explorer_page)
    view.page.fill("#search", "northshire")
    assert view.page.inner_text("#search-status") == "1 match"
    view.page.press("#search", "Enter")
    assert view.run("kgView.network.getSelectedNodes()") == [str(COUNCIL)]
    centre = view.run("kgView.network.getViewPosition()")
    position = view.run("(id) => kgView.network.getPositions([id])[id]", str(COUNCIL))
    assert centre["x"] == pytest.approx(position["x"], abs=1)
    assert centre["y"] == pytest.approx(position["y"], abs=1)
    assert view.run("location.hash") == "#node=" + quote(str(COUNCIL), safe="")
    assert view.page.inner_text("#panel-title") == "Northshire County Council"


def test_a_click_opens_the_panel_with_the_evidence_and_dims_the_rest(
    open_view: Any, explorer_page: Path
) -> None:
    view = open_view(explorer_page)
    assert view.page.is_hidden("#panel")
    view.click_node(REPORT)
    assert view.page.is_visible("#panel")
    assert view.page.inner_text("#panel-title") == "Southdale inspection report"
    text = view.panel_text()
    assert "Recommends" in text
    assert "Southdale inspection report recommends Recruit more foster carers" in text
    assert RECOMMENDATION_SENTENCE in text
    assert "Inspectors back Southdale's fostering plan, 2023-06-10, a2" in text
    assert "Found by told-to" in text
    colour = "(id) => kgView.nodes.get(id).color.background"
    assert view.run(colour, str(POLICY)) == "#6b6ecf"  # a neighbour keeps its colour
    assert view.run(colour, str(PERSON)) == "#ebebeb"  # the rest are dimmed
    view.page.click("#panel-close")
    assert view.page.is_hidden("#panel")
    assert view.run(colour, str(PERSON)) == "#1f77b4"


def test_the_neighbourhood_buttons_keep_one_or_two_links_around(
    open_view: Any, explorer_page: Path
) -> None:
    view = open_view(explorer_page)
    view.select(POLICY)
    view.page.click("#near-1")
    assert view.drawn_nodes() == ids(POLICY, REPORT)
    view.page.click("#near-2")
    assert view.drawn_nodes() == ids(POLICY, REPORT, REGULATOR)
    view.page.click("#show-all")
    assert view.drawn_nodes() == ids(*LINKED)


def test_the_url_fragment_opens_the_selected_node(open_view: Any, explorer_page: Path) -> None:
    view = open_view(explorer_page, "#node=" + quote(str(POLICY), safe=""))
    assert view.run("kgView.network.getSelectedNodes()") == [str(POLICY)]
    assert view.page.inner_text("#panel-title") == "Recruit more foster carers"
    assert RECOMMENDATION_SENTENCE in view.panel_text()


def test_the_year_range_hides_what_was_reported_only_outside_it(
    open_view: Any, explorer_page: Path
) -> None:
    view = open_view(explorer_page)
    assert view.run(
        "[document.getElementById('year-from').min, document.getElementById('year-to').max]"
    ) == ["2019", "2023"]
    view.set_years(2023, 2023)
    assert view.drawn_nodes() == ids(*LINKED) - ids(PERSON, COUNCIL)
    assert "director of children's services" not in {label for _, _, label in view.drawn_edges()}
    view.set_years(2019, 2019)
    assert view.drawn_nodes() == ids(PERSON, COUNCIL)
    assert view.drawn_edges() == {(str(PERSON), str(COUNCIL), "director of children's services")}
    view.set_years(2019, 2023)
    assert view.drawn_nodes() == ids(*LINKED)


# ---- article text is text ---------------------------------------------------------------


def test_article_markup_shows_as_text_and_runs_nothing(open_view: Any, explorer_page: Path) -> None:
    view = open_view(explorer_page)
    view.click_node(JOB)
    assert view.page.inner_text("#panel-title") == HOSTILE_JOB
    text = view.panel_text()
    assert HOSTILE_EVIDENCE in text
    assert HOSTILE_HEADLINE in text
    # The tooltip too: hover the node and read what vis-network shows.
    view.page.mouse.move(0, 0)
    view.click_node(JOB)
    view.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    tooltip = view.page.inner_text("div.vis-tooltip")
    assert HOSTILE_JOB in tooltip
    assert HOSTILE_HEADLINE + " (2023-01-05, a3)" in tooltip
    assert view.run("window.__pwned") is None
    assert view.run("document.querySelectorAll('img, b').length") == 0
    assert view.run("document.scripts.length") == 3  # vis-network, the data, the page's own


# ---- the bundled samples ----------------------------------------------------------------


@pytest.fixture(scope="module")
def samples_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    articles, facts, _ = extract_corpus([bundled_samples()], workers=1)
    graph = build_graph(articles, facts, resolve(articles, facts))
    path = tmp_path_factory.mktemp("samples") / "graph.html"
    render_network(graph, path)
    return graph, path


def test_the_samples_legend_counts_each_kind_drawn(
    open_view: Any, samples_page: tuple[Graph, Path], tmp_path: Path
) -> None:
    graph, path = samples_page
    network = read_network(graph)
    kinds = Counter(kind.name for _, kind in network.nodes(data="kind"))
    view = open_view(path)
    entries = view.run(
        "Array.from(document.querySelectorAll('#legend li')).map(function (item) {"
        " return [item.querySelector('label').childNodes[2].textContent,"
        " Number(item.querySelector('.count').textContent)]; })"
    )
    assert dict(entries) == kinds
    assert sum(kinds.values()) == len(network) > 50
    view.page.check("#show-isolated")
    assert len(view.drawn_nodes()) == len(network)
    assert len(view.drawn_edges()) == network.number_of_edges()
    view.page.uncheck("#show-isolated")
    view.page.screenshot(path=tmp_path / "samples.png")
    assert (tmp_path / "samples.png").stat().st_size > 20_000
