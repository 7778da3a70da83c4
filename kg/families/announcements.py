"""An actor announces, launches or leads a reform, review, inquiry, funding or programme.

    The Government has also announced £100m in funding ... and an urgent review of ...
    reforms announced today by the prime minister

`actor kg:announces reform` states it; a `kg:Announcement` record keeps the evidence,
`kg:ledBy` the person leading it and `kg:amount` the money.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef

from kg.document import Document
from kg.extract import announcements, statements
from kg.extract.patterns import looks_like_person
from kg.families.money import write_money
from kg.family import Family, predicate_edges
from kg.gazetteer import load_gazetteer
from kg.model import Announcement, Mention, MoneyMention, OrganisationName, PersonName, ReformName
from kg.rdf import GraphWriter, abridged
from kg.scoring import (
    MATCH_OVERLAP,
    SAME_GOLD_OVERLAP,
    GoldMatcher,
    PredictedFact,
    articles,
    by_local_name,
    labels,
    listed_names,
    overlap,
    person_key,
    rules,
)
from kg.vocab import KG

REFORM_CLASSES: dict[str, URIRef] = {
    "review": KG.Review,
    "inquiry": KG.Review,
    "funding": KG.Funding,
    "programme": KG.Programme,
    "takeover": KG.Programme,
}


def actor_name(fact: Announcement) -> PersonName | OrganisationName:
    """ "Gavin Williamson" is a person; "the Department for Education", a known body, is not."""
    if looks_like_person(fact.actor) and not load_gazetteer().entity(fact.actor):
        return PersonName(fact.actor)
    return OrganisationName(fact.actor)


def mentions(fact: Announcement) -> list[Mention]:
    actor = actor_name(fact)
    named: list[Mention] = [PersonName(fact.leader)] if fact.leader else []
    return [*named, actor, ReformName(fact.reform)]


def write(fact: Announcement, out: GraphWriter) -> None:
    prov = fact.provenance
    article_id = prov.article_id
    actor = out.entity_node(article_id, actor_name(fact))
    reform = out.entity_node(article_id, ReformName(fact.reform))
    out.add((actor, KG.announces, reform))
    out.add((reform, RDF.type, KG.Reform))
    out.add((reform, RDF.type, REFORM_CLASSES.get(fact.category, KG.Reform)))
    out.add((reform, KG.evidence, Literal(prov.text)))
    if fact.leader:
        out.add((reform, KG.ledBy, out.entity_node(article_id, PersonName(fact.leader))))
    for amount in fact.amounts:
        out.add((reform, KG.amount, write_money(out, amount, prov, fact.reform)))
    node = out.fact_node("announcement", prov, fact.actor, fact.reform)
    out.add((node, RDF.type, KG.Announcement))
    out.add((node, KG.actor, actor))
    out.add((node, KG.reform, reform))
    out.add((node, KG.implied, Literal(fact.actor_implied)))
    out.add((node, RDFS.label, Literal(abridged(f"{fact.actor} announces {fact.reform}"))))
    out.provenance(node, prov)


# ---- kg eval --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnouncementClaim:
    actor: frozenset[str]
    reform: frozenset[str]


def read_announcements(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    """Any predicate whose local name is `announces`."""
    for actor, reform in by_local_name(graph, "announces"):
        claim = AnnouncementClaim(actor=labels(graph, actor), reform=labels(graph, reform))
        # The kg:Announcement records of this actor and reform hold the rules.
        records = set(graph.subjects(KG.actor, actor)) & set(graph.subjects(KG.reform, reform))
        yield PredictedFact(
            "announces",
            claim,
            articles(graph, reform),
            has_node=False,
            rules=rules(graph, sorted(records)),
        )


def match(gold: Mapping[str, Any], claim: AnnouncementClaim) -> float:
    same_actor = person_key(gold["actor"]) in {person_key(name) for name in claim.actor}
    reform = max((overlap(gold["reform"], name) for name in claim.reform), default=0.0)
    return reform if same_actor and reform >= MATCH_OVERLAP else 0.0


def same(first_fact: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    return (
        person_key(first_fact["actor"]) == person_key(second["actor"])
        and overlap(first_fact["reform"], second["reform"]) >= SAME_GOLD_OVERLAP
    )


def describe_gold(fields: Mapping[str, Any]) -> str:
    return f"{fields['actor']} → {fields['reform']}"


def describe_claim(claim: AnnouncementClaim) -> str:
    return f"{listed_names(claim.actor)} → {listed_names(claim.reform)}"


def extract(document: Document) -> list[Announcement | MoneyMention]:
    """The string rules first; the parse adds announcements in sentences they left alone."""
    parsed = list(statements.announcements(document))
    named = [fact for fact in parsed if not fact.actor_implied]
    found: list[Announcement | MoneyMention] = []
    for fact in announcements.extract(document.article):
        if isinstance(fact, Announcement) and (
            _by_a_council(fact)
            or _names_a_person(fact)
            # "Education Secretary Jane Doe announced ...": the named announcer wins over
            # the government the string rules imply.
            or (
                fact.actor_implied
                and any(statements.same_sentence(fact.provenance, n.provenance) for n in named)
            )
        ):
            continue
        found.append(fact)
    taken = [fact.provenance for fact in found if isinstance(fact, Announcement)]
    for fact in parsed:
        if not any(statements.same_sentence(fact.provenance, other) for other in taken):
            found.append(fact)
    return found


def _names_a_person(fact: Announcement) -> bool:
    """ "Immigration minister Jane Doe" is who spoke, not what was announced."""
    words = fact.reform.lower().split()
    return len(words) <= 5 and bool(set(words) & load_gazetteer().role_words)


def _by_a_council(fact: Announcement) -> bool:
    """A council's fun day is no reform: announcers are government and parliament."""
    gazetteer = load_gazetteer()
    return bool(gazetteer.council(fact.actor) or gazetteer.council_by_place(fact.actor))


FAMILY = Family(
    name=announcements.EXTRACTOR,
    facts=(Announcement,),
    extract=extract,
    mentions=mentions,
    write=write,
    gold=GoldMatcher(
        kind="announces",
        required=("actor", "reform"),
        read=read_announcements,
        match=match,
        same=same,
        describe_gold=describe_gold,
        describe_claim=describe_claim,
    ),
    view_edges=(
        predicate_edges(KG.announces, "announces"),
        predicate_edges(KG.ledBy, "led by"),
    ),
)
