"""The graph of the bundled samples: contract, provenance, stable IRIs, SHACL shapes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePath

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import ORG, PROV, SDO

from kg import rdf
from kg.build import extract_articles, extract_corpus
from kg.corpus import article_id_of, bundled_samples
from kg.model import Provenance
from kg.rdf import ID, NTriplesLines, build_graph, corpus_ntriples
from kg.resolve import resolve
from kg.vocab import KG

SHAPES = Path(__file__).parents[1] / "ontology" / "shapes.ttl"


def sample_graph() -> Graph:
    articles, facts, _ = extract_corpus([bundled_samples()], workers=1)
    return build_graph(articles, facts, resolve(articles, facts))


@pytest.fixture(scope="module")
def graph() -> Graph:
    return sample_graph()


def conforms(graph: Graph) -> tuple[bool, str]:
    ok, _, text = validate(graph, shacl_graph=Graph().parse(SHAPES), inference="none")
    return bool(ok), str(text)


def test_the_samples_graph_passes_the_shapes(graph: Graph) -> None:
    ok, report = conforms(graph)
    assert ok, report


def test_a_job_without_a_title_breaks_the_shapes(graph: Graph) -> None:
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    job = next(broken.subjects(RDF.type, SDO.JobPosting))
    broken.remove((job, SDO.title, None))
    ok, report = conforms(broken)
    assert not ok
    assert "title" in report


def test_a_fact_without_provenance_breaks_the_shapes(graph: Graph) -> None:
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    membership = next(broken.subjects(RDF.type, ORG.Membership))
    broken.remove((membership, PROV.wasDerivedFrom, None))
    ok, report = conforms(broken)
    assert not ok
    assert "derived from an article" in report


def test_rebuilds_give_the_same_graph(graph: Graph) -> None:
    again = sample_graph()
    if not isomorphic(graph, again):
        _, only_first, only_second = graph_diff(graph, again)
        pytest.fail(f"graphs differ:\n{only_first.serialize()}\n---\n{only_second.serialize()}")
    assert set(graph.subjects()) == set(again.subjects())  # same IRIs, not just same shape


def test_articles_carry_header_fields(graph: Graph) -> None:
    # The id as the file stem gives it, underscore and all: a slug would give `A_b` and
    # `a-b` one IRI.
    article = ID["article/000_c31a83825a9d8308"]
    assert graph.value(article, SDO.identifier) == Literal("000_c31a83825a9d8308")
    assert str(graph.value(article, SDO.datePublished)) == "2019-09-10"
    author = graph.value(article, SDO.author)
    assert str(graph.value(author, SDO.name)) == "Laura Sharman"


def test_every_fact_traces_to_its_article_and_sentence(graph: Graph) -> None:
    kinds = (SDO.JobPosting, ORG.Membership, SDO.Quotation, KG.Recommendation, KG.Announcement)
    facts = [node for kind in kinds for node in graph.subjects(RDF.type, kind)]
    assert len(facts) > 50
    for node in facts:
        article = graph.value(node, PROV.wasDerivedFrom)
        assert graph.value(article, SDO.identifier) is not None
        assert str(graph.value(node, KG.evidence)).strip()


def test_councils_link_to_their_ons_code(graph: Graph) -> None:
    essex = ID["council/E10000012"]
    assert (essex, RDF.type, KG.LocalAuthority) in graph
    assert str(graph.value(essex, KG.onsCode)) == "E10000012"
    names = {str(o) for o in graph.objects(ID["council/E09000030"], None) if isinstance(o, Literal)}
    assert {"London Borough of Tower Hamlets", "Tower Hamlets London Borough Council"} <= names


def test_a_salary_is_a_monetary_amount_with_a_quantitative_value(graph: Graph) -> None:
    query = """
        SELECT ?min ?max ?unit WHERE {
            ?job schema:title "Director of Business Development" ;
                 schema:baseSalary/schema:value ?value .
            ?value schema:minValue ?min ; schema:maxValue ?max ; schema:unitText ?unit .
        }"""
    rows = list(graph.query(query, initNs={"schema": SDO}))
    assert [(float(r[0]), float(r[1]), str(r[2])) for r in rows] == [(50000.0, 60000.0, "YEAR")]


def test_money_is_labelled_with_its_amount_once(graph: Graph) -> None:
    labels = {
        str(graph.value(money, KG.amountText)): str(graph.value(money, RDFS.label))
        for money in graph.subjects(KG.moneyFor, None)
    }
    # A reform's amount pays for the reform, whose name holds the amount already.
    assert labels["£100m"] == "£100m in funding to train new social workers"
    assert labels["£3.1 billion"] == "£3.1 billion funding gap"
    assert all(label.count(amount) == 1 for amount, label in labels.items())


def test_a_board_is_a_unit_of_its_organisation(graph: Graph) -> None:
    units = set(graph.subjects(RDF.type, ORG.OrganizationalUnit))
    parents = {graph.value(unit, ORG.unitOf) for unit in units}
    assert parents == {ID["org/local-government-association"]}


def test_the_report_recommends_policies_and_has_a_partner(graph: Graph) -> None:
    report = next(
        s
        for s in graph.subjects(RDF.type, SDO.Report)
        if "Tiny Acorns" in str(graph.value(s, SDO.name))
    )
    assert graph.value(report, SDO.publisher) == ID["org/new-local-government-network"]
    assert graph.value(report, KG.partner) == ID["org/impower"]
    assert len(set(graph.objects(report, KG.recommends))) >= 6


def test_iris_are_minted_in_the_project_namespace(graph: Graph) -> None:
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert subjects and all(str(s).startswith(str(ID)) for s in subjects)


def test_the_rule_that_found_a_fact_is_on_its_node() -> None:
    from kg.corpus import parse_article
    from kg.model import Provenance, Quotation

    article = parse_article("Jane Writer 3 March 2021\n\nHeadline\n\nA story.", "r1")
    ruled = Quotation(
        "Ann Smith", "Words.", Provenance("r1", "t", 0, 1, "story", "quotes", "colon")
    )
    plain = Quotation("Ann Smith", "More.", Provenance("r1", "u", 2, 3, "story", "quotes"))
    graph = build_graph([article], [ruled, plain], resolve([article], [ruled, plain]))
    rules = {
        str(graph.value(node, SDO.text)): graph.value(node, KG.rule)
        for node in graph.subjects(RDF.type, SDO.Quotation)
    }
    assert rules == {"Words.": Literal("colon"), "More.": None}
    assert conforms(graph)[0], conforms(graph)[1]
    graph.add((next(graph.subjects(KG.rule, None)), KG.rule, Literal("second")))
    assert not conforms(graph)[0]  # one rule a fact


# ---- the build's path: N-Triples text streamed into Oxigraph --------------------------


def ntriples_lines(triples: list[tuple]) -> bytes:
    lines = NTriplesLines()
    for triple in triples:
        lines.add(triple)
    return lines.take()


@pytest.mark.parametrize(
    "literal",
    [
        Literal('She said "no" \\ then left'),
        Literal("line one\nline two\r\nthree\tand a tab"),
        Literal("a bell \x07 and a form feed \x0c"),
        Literal("Ofsted’s “outstanding” 👍"),
        Literal("Bonjour", lang="fr"),
        Literal("2024-03-01", datatype=XSD.date),
        Literal(42),
    ],
    ids=["quotes", "newlines", "control", "unicode", "language", "date", "integer"],
)
def test_article_text_survives_the_n_triples_the_store_loads(literal: Literal) -> None:
    subject, predicate = URIRef("https://w3id.org/kg-ukcs/id/x"), KG.evidence
    text = ntriples_lines([(subject, predicate, literal)])
    assert text.count(b"\n") == 1  # one line, whatever the text holds
    store = pyoxigraph.Store()
    store.load(text, format=pyoxigraph.RdfFormat.N_TRIPLES)
    (quad,) = list(store)
    assert quad.object.value == str(literal)
    assert Graph().parse(data=text.decode(), format="nt").value(subject, predicate) == literal


def test_what_is_not_an_iri_is_refused_before_it_reaches_the_store() -> None:
    with pytest.raises(ValueError):
        ntriples_lines([(URIRef("https://w3id.org/kg-ukcs/id/a b>"), RDF.type, KG.Policy)])


def test_the_streamed_graph_is_the_graph_build_graph_makes(graph: Graph) -> None:
    corpus, _ = extract_articles([bundled_samples()], workers=1)
    articles = [article for article, _ in corpus]
    facts = [fact for _, article_facts in corpus for fact in article_facts]
    text = b"".join(corpus_ntriples(corpus, resolve(articles, facts)))
    streamed = Graph().parse(data=text.decode(), format="nt")
    assert isomorphic(streamed, graph), graph_diff(streamed, graph)


def test_forked_writers_write_the_graph_one_process_writes(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, _ = extract_articles([bundled_samples()], workers=1)
    articles = [article for article, _ in corpus]
    facts = [fact for _, article_facts in corpus for fact in article_facts]
    resolution = resolve(articles, facts)
    monkeypatch.setattr(rdf, "PARALLEL_WRITE_THRESHOLD", 1)
    monkeypatch.setattr(rdf, "WRITE_BATCH", 2)  # three batches over two workers
    monkeypatch.setattr(rdf, "WRITES_AHEAD", 1)  # two batches given at a time, not all three
    forked: list[int] = []
    real = rdf._written_by_workers

    def counted(*args: object) -> Iterator[tuple[int, bytes]]:
        forked.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rdf, "_written_by_workers", counted)
    text = b"".join(corpus_ntriples(corpus, resolution, workers=2))
    assert forked == [1]
    assert isomorphic(Graph().parse(data=text.decode(), format="nt"), graph)


# Article ids as the reader gives them, and ids of articles built by hand ("t1", "x y").
ARTICLE_IDS = st.one_of(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10).filter(
            lambda name: name not in {".", ".."} and "/" not in name and "\0" not in name
        ),
        min_size=1,
        max_size=3,
    ).map(lambda parts: article_id_of(PurePath(*parts))),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10),
)


@given(article_ids=st.sets(ARTICLE_IDS, min_size=2, max_size=12))
def test_distinct_article_ids_get_distinct_iris(article_ids: set[str]) -> None:
    iris = {rdf.article_iri(article_id) for article_id in article_ids}
    assert len(iris) == len(article_ids)
    for iri in iris:
        assert pyoxigraph.NamedNode(str(iri))  # an IRI the store takes
    provenance = [
        Provenance(article_id, "A sentence.", 0, 11, "story", "test") for article_id in article_ids
    ]
    assert len({rdf.fact_iri("quotation", p, "content") for p in provenance}) == len(article_ids)
