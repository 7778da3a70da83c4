"""Organisations named in a story, with a hint of their kind: "the charity Barnardo's".

Their entities are all they add to the graph: `org:Organization` nodes written with the
other entities.
"""

from __future__ import annotations

from kg.extract import organisations
from kg.family import Family, article_extractor
from kg.model import Mention, OrganisationMention, OrganisationName


def mentions(fact: OrganisationMention) -> list[Mention]:
    return [OrganisationName(fact.name, fact.category)]


FAMILY = Family(
    name=organisations.EXTRACTOR,
    facts=(OrganisationMention,),
    extract=article_extractor(organisations.extract),
    mentions=mentions,
)
