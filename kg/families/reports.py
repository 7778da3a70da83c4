"""Reports, who published them, and the policies they recommend.

    In a new report, the New Local Government Network (NLGN) warns ...
    ... calls on the Government to ... by focusing on X, and allowing Y

A report is an entity (`schema:Report`); `report kg:recommends policy` states a
recommendation, and a `kg:Recommendation` record keeps its evidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import rdflib
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SDO

from kg.document import Document
from kg.extract import reports, statements
from kg.extract.chunks import body_name
from kg.family import Family, predicate_edges
from kg.model import Mention, OrganisationName, PolicyName, Recommendation, Report, ReportName
from kg.rdf import GraphWriter, abridged
from kg.scoring import (
    MATCH_OVERLAP,
    SAME_GOLD_OVERLAP,
    GoldMatcher,
    PredictedFact,
    articles,
    by_local_name,
    labels,
    labels_of_all,
    listed_names,
    names_match,
    overlap,
    rules,
    text_or_null,
)
from kg.vocab import KG


def report_name(fact: Report | Recommendation) -> ReportName:
    if isinstance(fact, Report):
        return ReportName(fact.title, fact.publisher)
    return ReportName(fact.report_title, fact.publisher)


def mentions(fact: Report | Recommendation) -> list[Mention]:
    named: list[Mention] = [OrganisationName(fact.publisher)] if fact.publisher else []
    if isinstance(fact, Report):
        named += [OrganisationName(partner) for partner in fact.partners]
        return [*named, report_name(fact)]
    return [*named, report_name(fact), PolicyName(fact.policy, report_name(fact))]


def write(fact: Report | Recommendation, out: GraphWriter) -> None:
    if isinstance(fact, Report):
        _write_report(fact, out)
    else:
        _write_recommendation(fact, out)


def _write_report(fact: Report, out: GraphWriter) -> None:
    prov = fact.provenance
    node = out.entity_node(prov.article_id, report_name(fact))
    out.add((node, KG.evidence, Literal(prov.text)))
    for partner in fact.partners:
        out.add((node, KG.partner, out.entity_node(prov.article_id, OrganisationName(partner))))
    out.observed_on(node, prov.article_id)


def _write_recommendation(fact: Recommendation, out: GraphWriter) -> None:
    prov = fact.provenance
    named = report_name(fact)
    report = out.entity_node(prov.article_id, named)
    policy = out.entity_node(prov.article_id, PolicyName(fact.policy, named))
    out.add((report, KG.recommends, policy))
    out.add((policy, KG.evidence, Literal(prov.text)))
    node = out.fact_node("recommendation", prov, fact.policy)
    out.add((node, RDF.type, KG.Recommendation))
    out.add((node, KG.report, report))
    out.add((node, KG.policy, policy))
    out.add((node, RDFS.label, Literal(abridged(f"{named.name} recommends {fact.policy}"))))
    out.provenance(node, prov)


# ---- kg eval --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationClaim:
    report: frozenset[str]
    publisher: frozenset[str]
    policy: frozenset[str]


def read_recommendations(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    """Any predicate whose local name is `recommends`; schema:publisher of the report."""
    for report, policy in by_local_name(graph, "recommends"):
        claim = RecommendationClaim(
            report=labels(graph, report),
            publisher=labels_of_all(graph, graph.objects(report, SDO.publisher)),
            policy=labels(graph, policy),
        )
        # The kg:Recommendation records of this report and policy hold the rules.
        records = set(graph.subjects(KG.report, report)) & set(graph.subjects(KG.policy, policy))
        yield PredictedFact(
            "recommends",
            claim,
            articles(graph, report),
            has_node=False,
            rules=rules(graph, sorted(records)),
        )


def match(gold: Mapping[str, Any], claim: RecommendationClaim) -> float:
    policy = max((overlap(gold["policy"], name) for name in claim.policy), default=0.0)
    report = max((overlap(gold["report"], name) for name in claim.report), default=0.0)
    # A report node labelled with its publisher ("the NLGN report") also identifies it.
    by_publisher = names_match({gold.get("publisher") or ""}, claim.publisher | claim.report)
    if policy >= MATCH_OVERLAP and (report >= MATCH_OVERLAP or by_publisher):
        return policy
    return 0.0


def same(first_fact: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    return overlap(first_fact["policy"], second["policy"]) >= SAME_GOLD_OVERLAP


def describe_gold(fields: Mapping[str, Any]) -> str:
    return f"{fields['report']} → {fields['policy']}"


def describe_claim(claim: RecommendationClaim) -> str:
    return f"{listed_names(claim.report)} → {listed_names(claim.policy)}"


def _publisher_a_body(fact: Report | Recommendation) -> Report | Recommendation:
    """A publisher that names no body ("In its report, Funding of X, ...": the title read
    as its publisher) is dropped; the report keeps its title."""
    if fact.publisher is None or body_name(fact.publisher) is not None:
        return fact
    if isinstance(fact, Report):
        return replace(fact, publisher=None, title=fact.title or fact.publisher)
    return replace(fact, publisher=None, report_title=fact.report_title or fact.publisher)


def extract(document: Document) -> list[Report | Recommendation]:
    """The string rules first; the parse adds recommendations in sentences they left
    alone, given to the report the string rules found when they found one."""
    found = [_publisher_a_body(fact) for fact in reports.extract(document.article)]
    known = next((fact for fact in found if isinstance(fact, Report)), None)
    taken = [fact.provenance for fact in found if isinstance(fact, Recommendation)]
    title: str | None = None
    for fact in statements.recommendations(document):
        if any(statements.same_sentence(fact.provenance, other) for other in taken):
            continue
        if known is not None:
            fact = replace(fact, report_title=known.title, publisher=known.publisher)
        elif fact.publisher is not None or (title := statements.report_title(document)):
            found.append(
                Report(
                    title if fact.publisher is None else None, fact.publisher, (), fact.provenance
                )
            )
            known = found[-1]
            fact = replace(fact, report_title=known.title)
        else:
            continue  # a recommendation of no report the story names
        found.append(fact)
    return found


FAMILY = Family(
    name=reports.EXTRACTOR,
    facts=(Report, Recommendation),
    extract=extract,
    mentions=mentions,
    write=write,
    gold=GoldMatcher(
        kind="recommends",
        required=("report", "policy"),
        read=read_recommendations,
        match=match,
        same=same,
        describe_gold=describe_gold,
        describe_claim=describe_claim,
        optional=(text_or_null("publisher"),),
    ),
    view_edges=(
        predicate_edges(KG.recommends, "recommends"),
        predicate_edges(KG.partner, "partner"),
    ),
)
