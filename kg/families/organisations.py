"""Organisations named in a story, with a hint of their kind: "the charity Barnardo's".

Their entities are all they add to the graph: `org:Organization` nodes written with the
other entities.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.document import Document
from kg.extract import organisations
from kg.extract.chunks import body_name
from kg.family import Family
from kg.model import AliasDefinition, Mention, OrganisationMention, OrganisationName


def extract(document: Document) -> list[OrganisationMention | AliasDefinition]:
    """Named bodies only: a post ("Chair of the X Council") gives way to its body, and
    court orders, allowances and posts by acronym ("DCS") are no bodies at all."""
    found: list[OrganisationMention | AliasDefinition] = []
    for fact in organisations.extract(document.article):
        body = body_name(fact.name)
        if body is None or _names_an_event(fact):
            continue
        found.append(replace(fact, name=body))
    return found


EVENT = re.compile(r"^\s*(?:\([A-Za-z]+\)\s*)?(?:conference|summit|awards|event|festival)\b", re.I)


def _names_an_event(fact: OrganisationMention | AliasDefinition) -> bool:
    """ "the National Children's and Adults Services (NCAS) conference" names an event."""
    text = fact.provenance.text
    at = text.find(fact.name)
    return at >= 0 and bool(EVENT.match(text[at + len(fact.name) :]))


def mentions(fact: OrganisationMention) -> list[Mention]:
    return [OrganisationName(fact.name, fact.category)]


FAMILY = Family(
    name=organisations.EXTRACTOR,
    facts=(OrganisationMention,),
    extract=extract,
    mentions=mentions,
)
