"""Turn articles, facts and resolved entities into an rdflib Graph.

The only module that knows IRIs and vocabularies. Standard terms first — W3C ORG for
posts, schema.org for articles, adverts, reports and quotations, PROV-O for provenance,
SKOS and FOAF for names and people — and the project's own (`kg:`) for the rest.
Every fact node is `prov:wasDerivedFrom` its article and keeps its evidence text.
IRIs are minted from entity keys and fact content, so a rebuild gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal

import pyoxigraph
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, OWL, PROV, SDO, SKOS

from kg.model import (
    AliasDefinition,
    Announcement,
    Article,
    Fact,
    JobAdvert,
    MoneyAmount,
    MoneyMention,
    OrganisationMention,
    Provenance,
    Quotation,
    Recommendation,
    Report,
    RoleHolding,
)
from kg.resolve import Entity, Resolution, slug
from kg.vocab import KG

ID = Namespace("https://w3id.org/kg-ukcs/id/")
ONS = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")
PREFIXES: dict[str, Namespace] = {
    "kg": Namespace(str(KG._NS)),
    "kgr": ID,
    "org": ORG,
    "schema": SDO,
    "prov": PROV,
    "skos": SKOS,
    "foaf": FOAF,
    "owl": OWL,
    "xsd": XSD,
}

CATEGORY_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "LocalAuthority": (KG.LocalAuthority,),
    "GovernmentBody": (KG.GovernmentBody,),
    "GovernmentDepartment": (KG.GovernmentDepartment,),
    "Regulator": (KG.Regulator,),
    "ThinkTank": (KG.ThinkTank,),
    "Charity": (KG.Charity,),
    "Association": (KG.Association,),
    "ParliamentaryGroup": (KG.ParliamentaryGroup,),
    "Review": (KG.Review, KG.Reform),
    "OrganizationalUnit": (ORG.OrganizationalUnit,),
    "Organisation": (),
}
REFORM_CLASSES: dict[str, URIRef] = {
    "review": KG.Review,
    "inquiry": KG.Review,
    "funding": KG.Funding,
    "programme": KG.Programme,
    "takeover": KG.Programme,
}


def entity_iri(key: str) -> URIRef:
    return ID[key]


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{slug(article_id)}"]


def fact_iri(kind: str, provenance: Provenance, *content: object) -> URIRef:
    digest = hashlib.sha1(repr((provenance.start, provenance.text, content)).encode()).hexdigest()
    return ID[f"{kind}/{slug(provenance.article_id)}-{digest[:12]}"]


class GraphWriter:
    """Adds the triples of one corpus to a graph; one method a record type."""

    def __init__(self, resolution: Resolution, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else new_graph()
        self.resolution = resolution
        self.add: Callable[[tuple], None] = self.graph.add
        self.writers: dict[type, Callable] = {
            JobAdvert: self.job,
            RoleHolding: self.membership,
            Quotation: self.quotation,
            Report: self.report,
            Recommendation: self.recommendation,
            Announcement: self.announcement,
            MoneyMention: self.money_mention,
            OrganisationMention: lambda fact: None,  # its entity is written with the others
            AliasDefinition: lambda fact: None,
        }

    # ---------------------------------------------------------------- articles and entities
    def article(self, article: Article) -> None:
        node = article_iri(article.id)
        self.add((node, RDF.type, SDO.NewsArticle))
        self.add((node, SDO.identifier, Literal(article.id)))
        self.add((node, SDO.headline, Literal(article.headline)))
        self.add((node, RDFS.label, Literal(article.headline)))
        if article.date:
            self.add((node, SDO.datePublished, Literal(article.date, datatype=XSD.date)))
        if article.author:
            author = ID[f"author/{slug(article.author)}"]
            self.add((node, SDO.author, author))
            self.add((author, RDF.type, SDO.Person))
            self.add((author, RDFS.label, Literal(article.author)))
            self.add((author, SDO.name, Literal(article.author)))

    def entity(self, entity: Entity) -> None:
        node = entity_iri(entity.key)
        self.add((node, RDFS.label, Literal(entity.label)))
        self.add((node, SKOS.prefLabel, Literal(entity.label)))
        for name in sorted(entity.alt_labels):
            self.add((node, SKOS.altLabel, Literal(name)))
        for article_id in sorted(entity.articles):
            self.add((node, PROV.wasDerivedFrom, article_iri(article_id)))
        if entity.kind == "person":
            self.add((node, RDF.type, FOAF.Person))
            self.add((node, RDF.type, SDO.Person))
            self.add((node, FOAF.name, Literal(entity.label)))
            return
        if entity.kind == "policy":
            self.add((node, RDF.type, KG.Policy))
            return
        if entity.kind == "report":
            self.add((node, RDF.type, SDO.Report))
            self.add((node, SDO.name, Literal(entity.label)))
            if entity.parent:
                self.add((node, SDO.publisher, entity_iri(entity.parent)))
            return
        if entity.kind == "reform":
            self.add((node, RDF.type, KG.Reform))
            return
        self.add((node, RDF.type, ORG.Organization))
        self.add((node, SDO.name, Literal(entity.label)))
        for category in sorted(entity.categories):
            for cls in CATEGORY_CLASSES.get(category, ()):
                self.add((node, RDF.type, cls))
        if entity.ons_code:
            self.add((node, KG.onsCode, Literal(entity.ons_code)))
            self.add((node, OWL.sameAs, ONS[entity.ons_code]))
        if entity.gov_code:
            self.add((node, KG.govCode, Literal(entity.gov_code)))
        if entity.parent:
            parent = entity_iri(entity.parent)
            relation = ORG.unitOf if entity.kind == "unit" else ORG.subOrganizationOf
            self.add((node, relation, parent))
            inverse = ORG.hasUnit if entity.kind == "unit" else ORG.hasSubOrganization
            self.add((parent, inverse, node))

    def provenance(self, node: URIRef, provenance: Provenance) -> None:
        self.add((node, PROV.wasDerivedFrom, article_iri(provenance.article_id)))
        self.add((node, KG.evidence, Literal(provenance.text)))
        self.add((node, KG.charStart, Literal(provenance.start)))
        self.add((node, KG.charEnd, Literal(provenance.end)))
        self.add((node, KG.section, Literal(provenance.section)))
        self.add((node, KG.extractor, Literal(provenance.extractor)))

    def _org(self, article_id: str, name: str) -> URIRef:
        return entity_iri(self.resolution.key_of("organisation", article_id, name))

    def _person(self, article_id: str, name: str) -> URIRef:
        return entity_iri(self.resolution.key_of("person", article_id, name))

    # ---------------------------------------------------------------- facts
    def job(self, fact: JobAdvert) -> None:
        prov = fact.provenance
        node = fact_iri("job", prov, fact.title, fact.council)
        self.add((node, RDF.type, SDO.JobPosting))
        self.add((node, SDO.title, Literal(fact.title)))
        self.add((node, RDFS.label, Literal(fact.title)))
        self.add((node, SDO.hiringOrganization, self._org(prov.article_id, fact.council)))
        if fact.employment_type:
            self.add((node, SDO.employmentType, Literal(fact.employment_type)))
        if fact.description:
            self.add((node, SDO.description, Literal(fact.description)))
        if fact.location:
            place = URIRef(f"{node}#location")
            self.add((node, SDO.jobLocation, place))
            self.add((place, RDF.type, SDO.Place))
            # Not schema:name: a place called "North Yorkshire" is not the council of that name.
            self.add((place, SDO.address, Literal(fact.location)))
            self.add((place, RDFS.label, Literal(f"Job location: {fact.location}")))
        if fact.salary:
            self._salary(node, fact)
        self.provenance(node, prov)

    def _salary(self, node: URIRef, fact: JobAdvert) -> None:
        salary = fact.salary
        assert salary is not None
        amount = URIRef(f"{node}#salary")
        self.add((node, SDO.baseSalary, amount))
        self.add((amount, RDF.type, SDO.MonetaryAmount))
        self.add((amount, SDO.currency, Literal("GBP")))
        self.add((amount, KG.salaryText, Literal(salary.text)))
        self.add((amount, RDFS.label, Literal(f"Salary: {salary.text}")))
        if not salary.parsed:
            return
        value = URIRef(f"{node}#salary-value")
        self.add((amount, SDO.value, value))
        self.add((value, RDF.type, SDO.QuantitativeValue))
        self.add((value, SDO.unitText, Literal(salary.unit)))
        self.add(
            (value, RDFS.label, Literal(f"{salary.minimum}–{salary.maximum} per {salary.unit}"))
        )
        if salary.minimum is not None:
            self.add((value, SDO.minValue, _decimal(salary.minimum)))
        if salary.maximum is not None:
            self.add((value, SDO.maxValue, _decimal(salary.maximum)))

    def membership(self, fact: RoleHolding) -> None:
        prov = fact.provenance
        article_id = prov.article_id
        organisation = self._org(article_id, fact.organisation)
        if fact.unit:
            unit_key = self.resolution.key_of(
                "unit", article_id, f"{fact.organisation}|{fact.unit}"
            )
            organisation = entity_iri(unit_key)
        person = self._person(article_id, fact.person)
        role = ID[f"role/{slug(fact.role)}"]
        node = fact_iri("membership", prov, str(person), str(organisation), fact.role)
        self.add((node, RDF.type, ORG.Membership))
        self.add((node, ORG.member, person))
        self.add((node, ORG.organization, organisation))
        self.add((node, ORG.role, role))
        self.add((node, RDFS.label, Literal(f"{fact.person}, {fact.role}")))
        self.add((role, RDF.type, ORG.Role))
        self.add((role, RDFS.label, Literal(fact.role)))
        self.add((role, SKOS.prefLabel, Literal(fact.role)))
        self.add((node, KG.implied, Literal(fact.organisation_implied)))
        self._observed_on(node, article_id)
        self.provenance(node, prov)

    def _observed_on(self, node: URIRef, article_id: str) -> None:
        article = article_iri(article_id)
        for date in self.graph.objects(article, SDO.datePublished):
            self.add((node, KG.observedOn, date))

    def quotation(self, fact: Quotation) -> None:
        prov = fact.provenance
        node = fact_iri("quotation", prov, fact.text)
        self.add((node, RDF.type, SDO.Quotation))
        self.add((node, SDO.text, Literal(fact.text)))
        self.add((node, RDFS.label, Literal(_abridged(f"{fact.person}: {fact.text}"))))
        self.add((node, SDO.creator, self._person(prov.article_id, fact.person)))
        self.add((node, SDO.isPartOf, article_iri(prov.article_id)))
        self.provenance(node, prov)

    def report(self, fact: Report) -> None:
        prov = fact.provenance
        node = entity_iri(self.resolution.key_of("report", prov.article_id, _report_name(fact)))
        self.add((node, KG.evidence, Literal(prov.text)))
        for partner in fact.partners:
            self.add((node, KG.partner, self._org(prov.article_id, partner)))
        self._observed_on(node, prov.article_id)

    def recommendation(self, fact: Recommendation) -> None:
        prov = fact.provenance
        report_name = fact.report_title or f"report by {fact.publisher}"
        report = entity_iri(self.resolution.key_of("report", prov.article_id, report_name))
        policy = entity_iri(self.resolution.key_of("policy", prov.article_id, fact.policy))
        self.add((report, KG.recommends, policy))
        self.add((policy, KG.evidence, Literal(prov.text)))
        node = fact_iri("recommendation", prov, fact.policy)
        self.add((node, RDF.type, KG.Recommendation))
        self.add((node, KG.report, report))
        self.add((node, KG.policy, policy))
        self.add((node, RDFS.label, Literal(_abridged(f"{report_name} recommends {fact.policy}"))))
        self.provenance(node, prov)

    def announcement(self, fact: Announcement) -> None:
        prov = fact.provenance
        article_id = prov.article_id
        kind = "person" if ("person", article_id, fact.actor) in self.resolution.mentions else None
        actor = self._person(article_id, fact.actor) if kind else self._org(article_id, fact.actor)
        reform = entity_iri(self.resolution.key_of("reform", article_id, fact.reform))
        self.add((actor, KG.announces, reform))
        self.add((reform, RDF.type, KG.Reform))
        self.add((reform, RDF.type, REFORM_CLASSES.get(fact.category, KG.Reform)))
        self.add((reform, KG.evidence, Literal(prov.text)))
        if fact.leader:
            self.add((reform, KG.ledBy, self._person(article_id, fact.leader)))
        for amount in fact.amounts:
            self.add((reform, KG.amount, self._money(amount, prov, fact.reform)))
        node = fact_iri("announcement", prov, fact.actor, fact.reform)
        self.add((node, RDF.type, KG.Announcement))
        self.add((node, KG.actor, actor))
        self.add((node, KG.reform, reform))
        self.add((node, KG.implied, Literal(fact.actor_implied)))
        self.add((node, RDFS.label, Literal(_abridged(f"{fact.actor} announces {fact.reform}"))))
        self.provenance(node, prov)

    def _money(self, amount: MoneyAmount, prov: Provenance, subject: str) -> URIRef:
        node = fact_iri("money", prov, amount.text, subject)
        self.add((node, RDF.type, SDO.MonetaryAmount))
        self.add((node, SDO.currency, Literal("GBP")))
        self.add((node, SDO.value, _decimal(amount.pounds)))
        self.add((node, KG.amountText, Literal(amount.text)))
        self.add((node, KG.moneyFor, Literal(subject)))
        self.add((node, RDFS.label, Literal(f"{amount.text} {subject}")))
        self.provenance(node, prov)
        return node

    def money_mention(self, fact: MoneyMention) -> None:
        self._money(fact.amount, fact.provenance, fact.subject)


def _abridged(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)).normalize().quantize(Decimal("0.01")), datatype=XSD.decimal)


def _report_name(fact: Report) -> str:
    return fact.title or f"report by {fact.publisher}"


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def build_graph(
    articles: Iterable[Article], facts: Iterable[Fact], resolution: Resolution
) -> Graph:
    """The graph of a corpus: its articles, resolved entities and every fact."""
    writer = GraphWriter(resolution)
    for article in articles:
        writer.article(article)
    for entity in sorted(resolution.entities.values(), key=lambda entity: entity.key):
        writer.entity(entity)
    for fact in facts:
        writer.writers[type(fact)](fact)
    return writer.graph


def _oxigraph_term(
    term: object,
) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


def serialize_turtle(graph: Graph) -> bytes:
    """Turtle with the project's prefixes, triples in a stable order so rebuilds diff cleanly.

    Oxigraph's serialiser, not rdflib's: on 200,000 triples it takes a fraction of a second
    where rdflib's takes half a minute.
    """
    triples = sorted(graph, key=lambda triple: (str(triple[0]), str(triple[1]), str(triple[2])))
    # kgr: is left out: its local names hold slashes, which Turtle would print escaped.
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix != "kgr"}
    return pyoxigraph.serialize(
        [pyoxigraph.Triple(*(_oxigraph_term(term) for term in triple)) for triple in triples],
        format=pyoxigraph.RdfFormat.TURTLE,
        prefixes={"rdf": str(RDF), "rdfs": str(RDFS), **prefixes},
    )
