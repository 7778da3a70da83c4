"""The registry of fact families: a family is one unit, and a new one needs no change in kg/.

The toy family below (mottos: `The motto of Ofsted is "Raising standards".`) is defined
entirely here: its fact class, extractor, mentions, RDF writer, eval matcher and view.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import RDF, Graph, Literal, Namespace
from rdflib.namespace import PROV

from kg import families
from kg.build import build
from kg.corpus import parse_article
from kg.document import Document
from kg.errors import FamilyError, KgError
from kg.evaluate import evaluate
from kg.extract import extract_facts
from kg.family import Family, predicate_edges
from kg.model import Fact, Mention, OrganisationName, Provenance
from kg.rdf import GraphWriter, build_graph
from kg.render import NodeKind
from kg.resolve import resolve
from kg.scoring import GoldMatcher, PredictedFact, articles, labels, names_match, rules

EX = Namespace("https://example.org/toy#")
KG_SOURCE = Path(__file__).parents[1] / "kg"


# ---- the toy family -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Motto:
    organisation: str
    text: str
    provenance: Provenance
    kind: str = field(default="motto", init=False)


MOTTO = re.compile(r'The motto of (?P<organisation>[A-Z][A-Za-z ]+?) is "(?P<text>[^"]+)"')


def extract_mottos(document: Document) -> Iterator[Motto]:
    article = document.article
    for sentence in article.sentences:
        for match in MOTTO.finditer(sentence.text):
            provenance = Provenance.of_sentence(article, sentence, "toy-mottos", "motto_of")
            yield Motto(match["organisation"], match["text"], provenance)


def motto_mentions(fact: Motto) -> list[Mention]:
    return [OrganisationName(fact.organisation)]


def write_motto(fact: Motto, out: GraphWriter) -> None:
    prov = fact.provenance
    node = out.fact_node("motto", prov, fact.text)
    out.add((node, RDF.type, EX.Motto))
    out.add((node, EX.text, Literal(fact.text)))
    out.add((node, EX.mottoOf, out.entity_node(prov.article_id, motto_mentions(fact)[0])))
    out.provenance(node, prov)


@dataclass(frozen=True)
class MottoClaim:
    organisation: frozenset[str]
    text: frozenset[str]


def read_mottos(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    for node in graph.subjects(RDF.type, EX.Motto):
        claim = MottoClaim(
            labels(graph, graph.value(node, EX.mottoOf)),
            frozenset(str(text) for text in graph.objects(node, EX.text)),
        )
        yield PredictedFact("has_motto", claim, articles(graph, node), True, rules(graph, [node]))


def match_motto(gold: Mapping[str, Any], claim: MottoClaim) -> float:
    same = names_match({gold["organisation"]}, claim.organisation)
    return 1.0 if same and names_match({gold["motto"]}, claim.text) else 0.0


TOY = Family(
    name="toy-mottos",
    facts=(Motto,),
    extract=extract_mottos,
    mentions=motto_mentions,
    write=write_motto,
    gold=GoldMatcher(
        kind="has_motto",
        required=("organisation", "motto"),
        read=read_mottos,
        match=match_motto,
        same=lambda first, second: first["motto"] == second["motto"],
        describe_gold=lambda fields: f"{fields['organisation']}: {fields['motto']}",
        describe_claim=lambda claim: " | ".join(sorted(claim.text)),
    ),
    view_edges=(predicate_edges(EX.mottoOf, "motto of"),),
    view_nodes=(NodeKind("motto", "Motto", "#000000", "dot", (EX.Motto,)),),
)
WITH_TOY = [*families.FAMILIES, TOY]

STORY = 'Jane Writer 3 March 2021\n\nInspectors\n\nThe motto of Ofsted is "Raising standards".\n'


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "motto.txt").write_text(STORY, encoding="utf-8")
    return folder


# ---- a new family changes nothing in kg/ -----------------------------------------------


def test_nothing_in_kg_knows_the_toy_family() -> None:
    sources = [path.read_text(encoding="utf-8") for path in KG_SOURCE.rglob("*.py")]
    assert sources and not any("motto" in source.lower() for source in sources)


def test_a_toy_family_builds_into_the_graph_and_the_view(corpus: Path, tmp_path: Path) -> None:
    summary = build([corpus], tmp_path / "out", families=WITH_TOY)
    assert summary.facts_by_kind["motto"] == 1
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    (motto,) = graph.subjects(RDF.type, EX.Motto)
    assert graph.value(motto, EX.text) == Literal("Raising standards")
    assert graph.value(graph.value(motto, EX.mottoOf), rdflib.RDFS.label) == Literal("Ofsted")
    assert graph.value(motto, PROV.wasDerivedFrom) is not None
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert '"label": "motto of"' in page
    assert ">Motto<" in page  # in the legend


def test_a_toy_family_is_scored_by_its_own_matcher(corpus: Path, tmp_path: Path) -> None:
    build([corpus], tmp_path / "out", families=WITH_TOY, html=False)
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    gold = {
        "facts": [
            {
                "kind": "has_motto",
                "doc": "motto",
                "organisation": "Ofsted",
                "motto": "Raising standards",
            },
            {
                "kind": "has_motto",
                "doc": "motto",
                "organisation": "LGA",
                "motto": "Stronger together",
            },
        ]
    }
    result = evaluate(graph, gold, families=WITH_TOY)
    assert (result.overall.gold, result.overall.predicted, result.overall.matched) == (2, 1, 1)
    assert [(rule.rule, rule.predicted, rule.matched) for rule in result.rules] == [
        ("toy-mottos:motto_of", 1, 1)
    ]


def test_register_adds_a_family_for_every_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(families, "FAMILIES", list(families.FAMILIES))
    families.register(TOY)
    article = parse_article(STORY, "a1")
    facts = extract_facts(article)
    mottos = [fact for fact in facts if isinstance(fact, Motto)]
    assert [(fact.organisation, fact.text) for fact in mottos] == [("Ofsted", "Raising standards")]
    graph = build_graph([article], facts, resolve([article], facts))
    assert len(list(graph.subjects(RDF.type, EX.Motto))) == 1
    families.unregister(TOY.name)
    assert TOY not in families.FAMILIES


def test_extract_facts_runs_the_named_families_only() -> None:
    article = parse_article(STORY, "a1")
    facts = extract_facts(article, ["toy-mottos"], families=WITH_TOY)
    assert [type(fact) for fact in facts] == [Motto]
    with pytest.raises(FamilyError, match="no fact family named 'nonesuch'"):
        extract_facts(article, ["nonesuch"])


# ---- the registry ---------------------------------------------------------------------


def test_every_kind_of_fact_has_exactly_one_family() -> None:
    declared = [fact_type for family in families.FAMILIES for fact_type in family.facts]
    assert sorted(t.__name__ for t in declared) == sorted(t.__name__ for t in typing.get_args(Fact))


def test_family_names_are_the_extractor_names_provenance_records() -> None:
    names = [family.name for family in families.FAMILIES]
    assert len(names) == len(set(names))
    assert {"jobs", "organisations", "roles", "quotes", "reports", "announcements"} <= set(names)


def test_the_gold_kinds_kg_eval_scores() -> None:
    kinds = [family.gold.kind for family in families.FAMILIES if family.gold]
    assert sorted(kinds) == ["advertises", "announces", "holds_role", "recommends"]


def test_a_name_or_fact_class_registered_twice_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(families, "FAMILIES", list(families.FAMILIES))
    families.register(TOY)
    with pytest.raises(FamilyError, match="already registered"):
        families.register(TOY)
    with pytest.raises(FamilyError, match="Motto is declared by two fact families"):
        families.register(Family("second-mottos", (Motto,)))


# ---- facts no family declares ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stray:
    provenance: Provenance
    kind: str = field(default="stray", init=False)


def test_a_fact_no_family_declares_is_a_clear_error_not_a_key_error() -> None:
    article = parse_article(STORY, "a1")
    stray = Stray(Provenance("a1", "text", 0, 4, "story", "stray"))
    for stage in (
        lambda: resolve([article], [stray]),  # type: ignore[list-item]
        lambda: build_graph([article], [stray], resolve([article], [])),  # type: ignore[list-item]
    ):
        with pytest.raises(FamilyError, match="no registered fact family declares Stray") as error:
            stage()
        assert isinstance(error.value, KgError)


def test_a_mention_kg_cannot_resolve_is_a_clear_error() -> None:
    article = parse_article(STORY, "a1")
    odd = Family(
        "odd",
        (Stray,),
        mentions=lambda fact: ["not a mention"],  # type: ignore[list-item]
    )
    stray = Stray(Provenance("a1", "text", 0, 4, "story", "odd"))
    with pytest.raises(FamilyError, match="str is not a kind of mention"):
        resolve([article], [stray], families=[odd])  # type: ignore[list-item]


def test_a_writer_asking_for_a_mention_it_did_not_list_is_a_clear_error() -> None:
    article = parse_article(STORY, "a1")
    careless = Family("careless", (Motto,), write=write_motto)  # lists no mentions
    fact = Motto("Ofsted", "Raising standards", Provenance("a1", "t", 0, 1, "story", "x"))
    resolution = resolve([article], [fact], families=[careless])
    with pytest.raises(FamilyError, match="was not resolved"):
        build_graph([article], [fact], resolution, families=[careless])
