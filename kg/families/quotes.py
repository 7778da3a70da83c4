"""Quotations: `X said: ‘...’` and `‘...,’ said Mr Cameron.` (`schema:Quotation`)."""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SDO

from kg.extract import quotes
from kg.family import Family, article_extractor
from kg.model import Mention, PersonName, Quotation
from kg.rdf import GraphWriter, abridged


def mentions(fact: Quotation) -> list[Mention]:
    return [PersonName(fact.person)]


def write(fact: Quotation, out: GraphWriter) -> None:
    prov = fact.provenance
    node = out.fact_node("quotation", prov, fact.text)
    out.add((node, RDF.type, SDO.Quotation))
    out.add((node, SDO.text, Literal(fact.text)))
    out.add((node, RDFS.label, Literal(abridged(f"{fact.person}: {fact.text}"))))
    out.add((node, SDO.creator, out.entity_node(prov.article_id, PersonName(fact.person))))
    out.add((node, SDO.isPartOf, out.article_node(prov.article_id)))
    out.provenance(node, prov)


FAMILY = Family(
    name=quotes.EXTRACTOR,
    facts=(Quotation,),
    extract=article_extractor(quotes.extract),
    mentions=mentions,
    write=write,
)
