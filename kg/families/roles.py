"""Posts: a person holds a role in an organisation, or in a board inside it (`org:Membership`).

Adam Lent, director of the NLGN, said: ...
Cllr Judith Blake, chair of the LGA's Children and Young People Board
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import ORG, SKOS
from rdflib.term import Node

from kg.document import Document
from kg.extract import posts, roles
from kg.extract.chunks import FIELD_WORDS, ORGANISATION_HEADS, REFERRING_HEADS, body_name
from kg.family import Family
from kg.model import Mention, OrganisationName, PersonName, RoleHolding, UnitName
from kg.rdf import GraphWriter
from kg.render import node_label
from kg.scoring import (
    GoldMatcher,
    PredictedFact,
    articles,
    first,
    labels,
    labels_of_all,
    listed_names,
    names_match,
    person_key,
    roles_match,
    rules,
    text_or_null,
    texts_or_null,
)
from kg.vocab import KG


def extract(document: Document) -> list[RoleHolding]:
    """Posts from the parsed story first; the older string rules add only people they alone
    found in a sentence (a review's leader, a post named a sentence before the name)."""
    from_parse = document.shared("posts", lambda: list(posts.extract(document)))
    found = [
        (fact.provenance.start, fact.provenance.end, fact.person.split()[-1]) for fact in from_parse
    ]
    from_strings = [
        fact
        for fact in roles.extract(document.article)
        if names_a_body(fact)
        and not any(
            fact.provenance.start < end
            and start < fact.provenance.end
            and surname == fact.person.split()[-1]
            for start, end, surname in found
        )
    ]
    return from_parse + from_strings


def names_a_body(fact: RoleHolding) -> bool:
    """Whether the string rules' organisation is a body, not "Committee" or a field of work."""
    words = fact.organisation.lower().replace("'s", "").split()
    if fact.person.split()[-1].lower() in ORGANISATION_HEADS:
        return False  # "Anytown Improvement Board" is not a person
    if {"formerly", "previously"} & set(fact.role.lower().split()):
        return False  # "DCS for Anytown and formerly president": two posts run together
    if fact.organisation_implied:
        return True
    if body_name(fact.organisation) is None:
        return False
    if len(words) == 1 and words[0] in ORGANISATION_HEADS | REFERRING_HEADS:
        return False
    return not all(word in FIELD_WORDS for word in words)


def mentions(fact: RoleHolding) -> list[Mention]:
    named: list[Mention] = [PersonName(fact.person), OrganisationName(fact.organisation)]
    if fact.unit:
        named.append(UnitName(fact.unit, fact.organisation))
    return named


def write(fact: RoleHolding, out: GraphWriter) -> None:
    prov = fact.provenance
    article_id = prov.article_id
    in_unit = UnitName(fact.unit, fact.organisation) if fact.unit else None
    organisation = out.entity_node(article_id, in_unit or OrganisationName(fact.organisation))
    person = out.entity_node(article_id, PersonName(fact.person))
    role = out.named_node("role", fact.role)
    node = out.fact_node("membership", prov, str(person), str(organisation), fact.role)
    out.add((node, RDF.type, ORG.Membership))
    out.add((node, ORG.member, person))
    out.add((node, ORG.organization, organisation))
    out.add((node, ORG.role, role))
    out.add((node, RDFS.label, Literal(f"{fact.person}, {fact.role}")))
    out.add((role, RDF.type, ORG.Role))
    out.add((role, RDFS.label, Literal(fact.role)))
    out.add((role, SKOS.prefLabel, Literal(fact.role)))
    out.add((node, KG.implied, Literal(fact.organisation_implied)))
    if fact.former:
        out.add((node, KG.former, Literal(True)))
    out.observed_on(node, article_id)
    out.provenance(node, prov)


# ---- kg eval --------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleClaim:
    person: frozenset[str]
    organisation: frozenset[str]  # the organisation's names and its parents' names
    role: frozenset[str]


def read_roles(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    """Memberships (org:member, org:organization, org:role), or posts (org:holds, org:postIn)."""
    memberships = [
        (
            membership,
            first(graph, membership, ORG.member),
            first(graph, membership, ORG.organization),
            first(graph, membership, ORG.role),
        )
        for membership in graph.subjects(RDF.type, ORG.Membership)
    ]
    memberships += [
        (post, person, first(graph, post, ORG.postIn), first(graph, post, ORG.role))
        for person, post in graph.subject_objects(ORG.holds)
    ]
    for node, person, organisation, role in memberships:
        if person is None or organisation is None:
            continue
        parents = {*graph.objects(organisation, ORG.unitOf)}
        parents |= {*graph.objects(organisation, ORG.subOrganizationOf)}
        claim = RoleClaim(
            person=labels(graph, person),
            organisation=labels(graph, organisation) | labels_of_all(graph, parents),
            role=labels(graph, role) if role is not None else frozenset(),
        )
        yield PredictedFact(
            "holds_role", claim, articles(graph, node), has_node=True, rules=rules(graph, [node])
        )


def _organisation_names(fact: Mapping[str, Any]) -> set[str]:
    return {fact["organisation"], *(fact.get("organisation_aliases") or [])}


def match(gold: Mapping[str, Any], claim: RoleClaim) -> float:
    if person_key(gold["person"]) not in {person_key(name) for name in claim.person}:
        return 0.0
    # The graph may name the board ("Children and Young People Board") or its parent.
    if not names_match(_organisation_names(gold) | {gold.get("unit") or ""}, claim.organisation):
        return 0.0
    return 1.0 if any(roles_match(gold["role"], role) for role in claim.role) else 0.0


def same(first_fact: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    return (
        person_key(first_fact["person"]) == person_key(second["person"])
        and roles_match(first_fact["role"], second["role"])
        and names_match(_organisation_names(first_fact), _organisation_names(second))
    )


def describe_gold(fields: Mapping[str, Any]) -> str:
    organisation = fields["organisation"]
    if fields.get("unit"):
        organisation = f"{fields['unit']}, {organisation}"
    return f"{fields['person']} — {fields['role']} — {organisation}"


def describe_claim(claim: RoleClaim) -> str:
    return (
        f"{listed_names(claim.person)} — {listed_names(claim.role)} — "
        f"{listed_names(claim.organisation)}"
    )


# ---- view -----------------------------------------------------------------------------


def membership_edges(graph: rdflib.Graph) -> Iterable[tuple[Node, Node, str]]:
    """Person → organisation, labelled with the role (or "member")."""
    # Tens of thousands of memberships share a few hundred roles: label each role once.
    role_label = functools.cache(functools.partial(node_label, graph))
    for membership in graph.subjects(RDF.type, ORG.Membership):
        role_labels = [role_label(role) for role in graph.objects(membership, ORG.role)]
        for person in graph.objects(membership, ORG.member):
            for organisation in graph.objects(membership, ORG.organization):
                for role in role_labels or ["member"]:
                    yield person, organisation, role


FAMILY = Family(
    name=roles.EXTRACTOR,
    facts=(RoleHolding,),
    extract=extract,
    mentions=mentions,
    write=write,
    gold=GoldMatcher(
        kind="holds_role",
        required=("person", "role", "organisation"),
        read=read_roles,
        match=match,
        same=same,
        describe_gold=describe_gold,
        describe_claim=describe_claim,
        optional=(texts_or_null("organisation_aliases"), text_or_null("unit")),
    ),
    view_edges=(membership_edges,),
)
