"""Each query in kg/queries/ answers the sample corpus with its golden result."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph

from kg.build import build
from kg.corpus import bundled_samples
from kg.query import format_result, query_graph_file, read_query_text, run_query
from kg.store import open_graph

QUERIES = Path(__file__).parents[1] / "kg" / "queries"
GOLDEN = Path(__file__).parent / "data" / "queries"


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    build([bundled_samples()], out, workers=1, html=False)
    return out


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def sample_graph(request: pytest.FixtureRequest, sample_out: Path) -> Graph | pyoxigraph.Store:
    """The sample graph as each engine answers it: parsed Turtle, and the build's store."""
    if request.param == "rdflib":
        return Graph().parse(sample_out / "graph.ttl")
    store = open_graph(sample_out / "graph.ttl")
    assert isinstance(store, pyoxigraph.Store)
    return store


@pytest.mark.parametrize("query", sorted(QUERIES.glob("*.rq")), ids=lambda path: path.stem)
def test_named_query_gives_its_golden_result(
    query: Path, sample_graph: Graph | pyoxigraph.Store
) -> None:
    answer = format_result(run_query(sample_graph, read_query_text(str(query))), "csv")
    golden = (GOLDEN / f"{query.stem}.csv").read_text(encoding="utf-8")
    assert answer.splitlines() == golden.splitlines()


def test_every_named_query_has_a_golden_result() -> None:
    assert {p.stem for p in QUERIES.glob("*.rq")} == {p.stem for p in GOLDEN.glob("*.csv")}


@pytest.mark.parametrize("query", sorted(QUERIES.glob("*.rq")), ids=lambda path: path.stem)
def test_named_query_answers_alike_in_the_child_process_of_kg_query(
    query: Path, sample_out: Path
) -> None:
    """`kg query` asks the store in a child process and reads its answer back as TSV:
    every term must come back as the store gave it, in every output format."""
    text = read_query_text(str(query))
    graph_file = sample_out / "graph.ttl"
    store = open_graph(graph_file)
    for fmt in ("csv", "tsv", "json", "table"):
        in_process = format_result(run_query(store, text), fmt, width=200)
        assert format_result(query_graph_file(graph_file, text), fmt, width=200) == in_process
