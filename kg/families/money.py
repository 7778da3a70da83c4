"""Money mentioned with what it pays for: "a £1.5 billion funding gap" (`schema:MonetaryAmount`).

The announcements extractor finds these, so this family has no extractor of its own;
announcements write the amounts of a reform through `write_money` too.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SDO

from kg.family import Family
from kg.model import MoneyAmount, MoneyMention, Provenance
from kg.rdf import GraphWriter, decimal_literal
from kg.vocab import KG


def write_money(out: GraphWriter, amount: MoneyAmount, prov: Provenance, subject: str) -> URIRef:
    node = out.fact_node("money", prov, amount.text, subject)
    out.add((node, RDF.type, SDO.MonetaryAmount))
    out.add((node, SDO.currency, Literal("GBP")))
    out.add((node, SDO.value, decimal_literal(amount.pounds)))
    out.add((node, KG.amountText, Literal(amount.text)))
    out.add((node, KG.moneyFor, Literal(subject)))
    # What it pays for often names the amount itself: "£100m in funding for ...".
    label = subject if amount.text in subject else f"{amount.text} {subject}"
    out.add((node, RDFS.label, Literal(label)))
    out.provenance(node, prov)
    return node


def write(fact: MoneyMention, out: GraphWriter) -> None:
    write_money(out, fact.amount, fact.provenance, fact.subject)


FAMILY = Family(name="money", facts=(MoneyMention,), write=write)
