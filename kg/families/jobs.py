"""Job adverts: a council advertises a post, with its pay (`schema:JobPosting`).

Social Worker · Essex County Council · £32,000 - £38,000 per annum · Permanent
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, get_args

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SDO
from rdflib.term import Node

from kg.extract import jobs
from kg.family import Family, article_extractor, predicate_edges
from kg.model import JobAdvert, Mention, OrganisationName, SalaryUnit
from kg.rdf import GraphWriter, decimal_literal
from kg.render import NodeKind
from kg.scoring import (
    GoldMatcher,
    PredictedFact,
    amounts_close,
    articles,
    first,
    labels,
    labels_of_all,
    listed_names,
    names_match,
    normalise_name,
    number,
    number_or_null,
    one_of_or_null,
    rules,
    text_or_null,
    titles_match,
)
from kg.vocab import KG


def mentions(fact: JobAdvert) -> list[Mention]:
    return [OrganisationName(fact.council, "LocalAuthority")]


def write(fact: JobAdvert, out: GraphWriter) -> None:
    prov = fact.provenance
    add = out.add
    node = out.fact_node("job", prov, fact.title, fact.council)
    add((node, RDF.type, SDO.JobPosting))
    add((node, SDO.title, Literal(fact.title)))
    add((node, RDFS.label, Literal(fact.title)))
    add((node, SDO.hiringOrganization, out.entity_node(prov.article_id, mentions(fact)[0])))
    if fact.employment_type:
        add((node, SDO.employmentType, Literal(fact.employment_type)))
    if fact.description:
        add((node, SDO.description, Literal(fact.description)))
    if fact.location:
        place = URIRef(f"{node}#location")
        add((node, SDO.jobLocation, place))
        add((place, RDF.type, SDO.Place))
        # Not schema:name: a place called "North Yorkshire" is not the council of that name.
        add((place, SDO.address, Literal(fact.location)))
        add((place, RDFS.label, Literal(f"Job location: {fact.location}")))
    if fact.salary:
        _write_salary(node, fact, out)
    out.provenance(node, prov)


def _write_salary(node: URIRef, fact: JobAdvert, out: GraphWriter) -> None:
    salary = fact.salary
    assert salary is not None
    add = out.add
    amount = URIRef(f"{node}#salary")
    add((node, SDO.baseSalary, amount))
    add((amount, RDF.type, SDO.MonetaryAmount))
    add((amount, SDO.currency, Literal("GBP")))
    add((amount, KG.salaryText, Literal(salary.text)))
    add((amount, RDFS.label, Literal(f"Salary: {salary.text}")))
    if not salary.parsed:
        return
    value = URIRef(f"{node}#salary-value")
    add((amount, SDO.value, value))
    add((value, RDF.type, SDO.QuantitativeValue))
    add((value, SDO.unitText, Literal(salary.unit)))
    add((value, RDFS.label, Literal(salary_text(salary.minimum, salary.maximum, salary.unit))))
    if salary.minimum is not None:
        add((value, SDO.minValue, decimal_literal(salary.minimum)))
    if salary.maximum is not None:
        add((value, SDO.maxValue, decimal_literal(salary.maximum)))


# ---- kg eval --------------------------------------------------------------------------


@dataclass(frozen=True)
class JobClaim:
    title: frozenset[str]
    council: frozenset[str]
    minimum: float | None
    maximum: float | None
    unit: str | None


def read_jobs(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    for job in graph.subjects(RDF.type, SDO.JobPosting):
        salary = first(graph, job, SDO.baseSalary)
        # schema:baseSalary is a MonetaryAmount whose schema:value holds the figures, or
        # (written more loosely) the QuantitativeValue itself.
        amount = first(graph, salary, SDO.value)
        amount = amount if amount is not None else salary
        unit = first(graph, amount, SDO.unitText)
        low, high = number(graph, amount, SDO.minValue), number(graph, amount, SDO.maxValue)
        if low is None and high is None:  # one figure: "£35,000" is schema:value 35000
            low = high = number(graph, amount, SDO.value)
        titles = frozenset(str(title) for title in graph.objects(job, SDO.title))
        claim = JobClaim(
            title=titles or labels(graph, job),
            council=labels_of_all(graph, graph.objects(job, SDO.hiringOrganization)),
            minimum=low,
            maximum=high,
            unit=str(unit).upper() if unit is not None else None,
        )
        yield PredictedFact(
            "advertises", claim, articles(graph, job), has_node=True, rules=rules(graph, [job])
        )


def match(gold: Mapping[str, Any], claim: JobClaim) -> float:
    if not names_match({gold["council"]}, claim.council):
        return 0.0
    if not any(titles_match(gold["job_title"], title) for title in claim.title):
        return 0.0
    salary_agrees = (
        amounts_close(gold.get("salary_min"), claim.minimum)
        and amounts_close(gold.get("salary_max"), claim.maximum)
        and (gold.get("salary_unit") or None) == claim.unit
    )
    return 1.0 if salary_agrees else 0.0


def same(first_fact: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    return (
        normalise_name(first_fact["council"]) == normalise_name(second["council"])
        and normalise_name(first_fact["job_title"]) == normalise_name(second["job_title"])
        and first_fact.get("salary_max") == second.get("salary_max")
    )


def describe_gold(fields: Mapping[str, Any]) -> str:
    salary = salary_text(
        fields.get("salary_min"), fields.get("salary_max"), fields.get("salary_unit")
    )
    return f"{fields['council']}: {fields['job_title']} ({salary})"


def describe_claim(claim: JobClaim) -> str:
    salary = salary_text(claim.minimum, claim.maximum, claim.unit)
    return f"{listed_names(claim.council)}: {listed_names(claim.title)} ({salary})"


def salary_text(minimum: float | None, maximum: float | None, unit: str | None) -> str:
    per = f" per {unit.lower()}" if unit else ""
    if minimum is None and maximum is None:
        return "no salary"
    if minimum is None:
        return f"up to £{_amount(maximum)}{per}"
    if maximum is None or minimum == maximum:
        return f"£{_amount(minimum)}{per}"
    return f"£{_amount(minimum)}–£{_amount(maximum)}{per}"


def _amount(value: float | None) -> str:
    return f"{float(value or 0):,.2f}".removesuffix(".00")


# ---- view -----------------------------------------------------------------------------


def tooltip_salary(graph: rdflib.Graph, job: Node) -> list[str]:
    # schema:baseSalary is a node carrying kg:salaryText, or occasionally the text itself.
    texts = []
    for salary in graph.objects(job, SDO.baseSalary):
        if isinstance(salary, Literal):
            texts.append(str(salary))
        texts.extend(str(text) for text in graph.objects(salary, KG.salaryText))
    return [f"Salary: {min(texts)}"] if texts else []


FAMILY = Family(
    name=jobs.EXTRACTOR,
    facts=(JobAdvert,),
    extract=article_extractor(jobs.extract),
    mentions=mentions,
    write=write,
    gold=GoldMatcher(
        kind="advertises",
        required=("council", "job_title"),
        read=read_jobs,
        match=match,
        same=same,
        describe_gold=describe_gold,
        describe_claim=describe_claim,
        optional=(
            number_or_null("salary_min"),
            number_or_null("salary_max"),
            one_of_or_null("salary_unit", get_args(SalaryUnit)),
            text_or_null("location"),
            text_or_null("employment"),
        ),
    ),
    view_edges=(predicate_edges(SDO.hiringOrganization, "hiring"),),
    view_nodes=(
        NodeKind(
            "job", "Job", "#843c39", "triangleDown", (SDO.JobPosting,), details=tooltip_salary
        ),
    ),
)
