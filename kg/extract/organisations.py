"""Organisations named in the story, what kind they are, and acronyms the text defines.

the New Local Government Network (NLGN) warns ...      → alias NLGN; a mention
the social work charity Frontline                       → Frontline, a charity
councils - North Yorkshire, Hampshire, Tri-borough ...  → each a local authority
an urgent review of Local Safeguarding Children Boards  → a known government body
an Oftsed inspection                                    → Ofsted (a known name, misspelt)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.patterns import (
    DESCRIBED_AS,
    ORG_HEAD_WORDS,
    ORG_NAME,
    ORG_PHRASE,
    known_organisations_in,
    looks_like_person,
)
from kg.gazetteer import load_gazetteer, name_key
from kg.model import AliasDefinition, Article, OrganisationMention, Provenance, Sentence

EXTRACTOR = "organisations"

DEFINED_ACRONYM = re.compile(rf"(?P<name>{ORG_PHRASE})\s*\((?P<alias>[A-Z][A-Za-z&]{{1,9}})\)")
# A word that says what the organisation after it is: "the think tank NLGN".
DESCRIBED = re.compile(
    rf"""\b(?P<descriptor>(?i:charity|think[\s-]tank|regulator|watchdog|consultancy|researchers|
            inspectorate|trade\ union|union|association))\s+
         (?P<name>{ORG_PHRASE})""",
    re.VERBOSE,
)
# Capitalised words after a descriptor that are not names: "the think tank HERE".
NOT_NAMES = frozenset(
    ["here", "there", "this", "that", "today", "now", "it", "its", "the", "a", "an"]
)
# "councils - North Yorkshire, Hampshire, ...", "councils, including Leeds and Durham".
COUNCIL_LIST = re.compile(
    r"\b(?:councils|local\s+authorities|authorities)\s*(?:[-–—:]|,?\s+(?:including|such\s+as|namely))\s*",
    re.IGNORECASE,
)
# "Kent and Medway councils", "Leeds, Bradford and Kirklees councils": places before the word.
PLACES_BEFORE_COUNCILS = re.compile(
    r"(?P<list>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*(?:,\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)*"
    r"\s+and\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+(?:councils|local\s+authorities)\b"
)
# A council in a list: "North Yorkshire", "Tri-borough", "Richmond & Kingston".
LIST_ITEM = re.compile(r"(?P<item>[A-Z][\w’'-]*(?:\s+(?:&\s+|of\s+|upon\s+)?[A-Z][\w’'-]*)*)")


def _provenance(article: Article, sentence: Sentence) -> Provenance:
    return Provenance.of_sentence(article, sentence, EXTRACTOR)


def _council_list(article: Article, sentence: Sentence) -> Iterator[OrganisationMention]:
    gazetteer = load_gazetteer()
    for listed in PLACES_BEFORE_COUNCILS.finditer(sentence.text):
        for place in re.split(r",\s+|\s+and\s+", listed["list"]):
            if gazetteer.council_by_place(place):
                provenance = _provenance(article, sentence)
                yield OrganisationMention(place, "LocalAuthority", provenance)
    for opener in COUNCIL_LIST.finditer(sentence.text):
        position = opener.end()
        while True:
            item = LIST_ITEM.match(sentence.text, position)
            if not item:
                break
            yield OrganisationMention(
                item["item"], "LocalAuthority", _provenance(article, sentence)
            )
            separator = re.match(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)", sentence.text[item.end() :])
            if not separator:
                break
            position = item.end() + separator.end()


def extract(article: Article) -> Iterator[OrganisationMention | AliasDefinition]:
    for sentence in article.sentences:
        text = sentence.text
        provenance = _provenance(article, sentence)
        for match in DEFINED_ACRONYM.finditer(text):
            name = re.sub(r"^The\s+", "", match["name"])
            if match["alias"][0].upper() == name[0].upper():
                yield AliasDefinition(name, match["alias"], provenance)
        for match in DESCRIBED.finditer(text):
            descriptor = " ".join(match["descriptor"].lower().replace("-", " ").split())
            if name_key(match["name"]) not in NOT_NAMES and not looks_like_person(match["name"]):
                category = DESCRIBED_AS.get(descriptor)
                yield OrganisationMention(match["name"], category, provenance)
        yield from _council_list(article, sentence)
        for match in ORG_NAME.finditer(text):
            phrase = match["org"]
            known = list(known_organisations_in(phrase))
            yield from (OrganisationMention(name, None, provenance) for name in known)
            bare = re.sub(r"['’]s$", "", phrase)
            if not known and bare.split()[-1].lower() in ORG_HEAD_WORDS and len(bare.split()) > 1:
                yield OrganisationMention(re.sub(r"^The\s+", "", bare), None, provenance)
