"""Turn articles, facts and resolved entities into an rdflib Graph.

The only module that knows IRIs and vocabularies. Standard terms first — W3C ORG for
posts, schema.org for articles, adverts, reports and quotations, PROV-O for provenance,
SKOS and FOAF for names and people — and the project's own (`kg:`) for the rest.
Every fact node is `prov:wasDerivedFrom` its article and keeps its evidence text.
IRIs are minted from entity keys and fact content, so a rebuild gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import pyoxigraph
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, OWL, PROV, SDO, SKOS

from kg.family import Family, families_by_fact_type, family_of
from kg.model import Article, Fact, Mention, Provenance
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


def entity_iri(key: str) -> URIRef:
    return ID[key]


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{slug(article_id)}"]


def fact_iri(kind: str, provenance: Provenance, *content: object) -> URIRef:
    digest = hashlib.sha1(repr((provenance.start, provenance.text, content)).encode()).hexdigest()
    return ID[f"{kind}/{slug(provenance.article_id)}-{digest[:12]}"]


class GraphWriter:
    """Adds the triples of one corpus to a graph: articles, entities, and what the families
    write of their facts through the methods below (the only place IRIs are minted)."""

    def __init__(self, resolution: Resolution, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else new_graph()
        self.resolution = resolution
        self.add: Callable[[tuple], None] = self.graph.add

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
        if provenance.rule:
            self.add((node, KG.rule, Literal(provenance.rule)))

    # ---------------------------------------------------------------- for fact writers
    def entity_node(self, article_id: str, mention: Mention) -> URIRef:
        """The node of the entity a mention in an article resolved to."""
        return entity_iri(self.resolution.key_of(article_id, mention))

    def fact_node(self, kind: str, provenance: Provenance, *content: object) -> URIRef:
        """A node of its own for one fact, minted from its evidence and content."""
        return fact_iri(kind, provenance, *content)

    def named_node(self, kind: str, name: str) -> URIRef:
        """A node named by a normalised name alone ("role/director"): one per name."""
        return ID[f"{kind}/{slug(name)}"]

    def article_node(self, article_id: str) -> URIRef:
        return article_iri(article_id)

    def observed_on(self, node: URIRef, article_id: str) -> None:
        """`node kg:observedOn` the date of the article it was read in."""
        for date in self.graph.objects(article_iri(article_id), SDO.datePublished):
            self.add((node, KG.observedOn, date))

    def fact(self, fact: object, family: Family) -> None:
        if family.write is not None:
            family.write(fact, self)


def abridged(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def decimal_literal(value: float) -> Literal:
    return Literal(Decimal(str(value)).normalize().quantize(Decimal("0.01")), datatype=XSD.decimal)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def build_graph(
    articles: Iterable[Article],
    facts: Iterable[Fact],
    resolution: Resolution,
    families: Sequence[Family] | None = None,
) -> Graph:
    """The graph of a corpus: its articles, resolved entities and every fact.

    Each fact is written by its family (default: the registered families); a fact no
    family declares is a FamilyError.
    """
    owners = families_by_fact_type(families)
    writer = GraphWriter(resolution)
    for article in articles:
        writer.article(article)
    for entity in sorted(resolution.entities.values(), key=lambda entity: entity.key):
        writer.entity(entity)
    for fact in facts:
        writer.fact(fact, family_of(fact, owners))
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


def oxigraph_triples(graph: Graph) -> list[pyoxigraph.Triple]:
    """The graph's triples as Oxigraph terms, in a stable order so rebuilds diff cleanly;
    made once for both the Turtle file and the store."""
    triples = sorted(graph, key=lambda triple: (str(triple[0]), str(triple[1]), str(triple[2])))
    return [pyoxigraph.Triple(*(_oxigraph_term(term) for term in triple)) for triple in triples]


def serialize_turtle(graph: Graph | list[pyoxigraph.Triple]) -> bytes:
    """Turtle with the project's prefixes.

    Oxigraph's serialiser, not rdflib's: on 200,000 triples it takes a fraction of a second
    where rdflib's takes half a minute.
    """
    triples = oxigraph_triples(graph) if isinstance(graph, Graph) else graph
    # kgr: is left out: its local names hold slashes, which Turtle would print escaped.
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix != "kgr"}
    return pyoxigraph.serialize(
        triples,
        format=pyoxigraph.RdfFormat.TURTLE,
        prefixes={"rdf": str(RDF), "rdfs": str(RDFS), **prefixes},
    )
