"""Acronyms a story defines: "the New Local Government Network (NLGN)".

The definition holds across the corpus, so "NLGN" in another article is the same
organisation. The organisations extractor finds these too, so this family has no
extractor of its own, and adds no triples beyond the organisation's `skos:altLabel`.
"""

from __future__ import annotations

from kg.family import Family
from kg.model import AcronymDefinition, AliasDefinition, Mention, OrganisationName


def mentions(fact: AliasDefinition) -> list[Mention]:
    return [AcronymDefinition(fact.name, fact.alias), OrganisationName(fact.name)]


FAMILY = Family(name="aliases", facts=(AliasDefinition,), mentions=mentions)
