"""Who holds which post where, read from the parsed story with a table of named rules.

`kg.extract.chunks` merges each person, organisation and post into one token; each rule
below is a spaCy `Matcher` pattern over those tokens, and its name travels with the fact
(`Provenance.rule`) so `kg eval --by-rule` can say which rule is weak. Forms, in words of
our own:
    Jane Doe, director of children's services at Anytown Council, said ...
    Chair of the Anytown Safeguarding Panel, Jane Doe, said ...
    Anytown council leader Jane Doe / housing minister Jane Doe
    Jane Doe (Chair) · Jane Doe, Chief Executive, Anytown Trust
    Jane Doe has been appointed as interim director of ... at Anytown Council
    Anytown Council has appointed Jane Doe as its new director of ...
    Jane Doe, who chairs the Anytown Partnership, / Jane Doe will chair the panel
    Former Anytown chief executive Jane Doe (a former post, kept as former)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from kg.document import Document
from kg.extract.chunks import (
    FORMER_WORDS,
    ORG,
    ORGANISATION_HEADS,
    PERSON,
    POST,
    REFERRING_HEADS,
    is_former,
    known_organisation,
    organisation_text,
    person_text,
    post_text,
)
from kg.extract.patterns import split_unit
from kg.gazetteer import load_gazetteer
from kg.model import Provenance, RoleHolding

EXTRACTOR = "posts"

P = {"_": {"mention": PERSON}}
O = {"_": {"mention": ORG}}  # noqa: E741 - reads as the pattern letter it is
R = {"_": {"mention": POST}}
COMMA = {"ORTH": ","}
THE = {"LOWER": {"IN": ["the", "its", "their"]}, "OP": "?"}
OF = {"LOWER": {"IN": ["of", "at", "for", "from", "with", "on"]}}
POSS = {"ORTH": {"IN": ["'s", "’s", "'", "’"]}, "OP": "?"}
ADVERBS = {"POS": {"IN": ["ADV"]}, "OP": "*"}
BE = {"LOWER": {"IN": ["is", "was", "has", "had", "been", "be", "will", "becomes", "became"]}}
APPOINTED = {
    "LOWER": {"IN": ["appointed", "named", "confirmed", "elected", "installed", "unveiled"]}
}
AGED = {"ORTH": ",", "OP": "?"}
AGE = {"LOWER": "aged", "OP": "?"}
AGED_END = {"LIKE_NUM": True, "OP": "?"}
FORMERLY = {"LOWER": {"IN": sorted(FORMER_WORDS)}, "OP": "?"}
NEW = {"LOWER": {"IN": ["new", "next", "permanent", "first"]}, "OP": "*"}


@dataclass(frozen=True, slots=True)
class PostRule:
    """A named pattern; `person`, `post`, `org` are the indexes of its mention tokens."""

    name: str
    pattern: tuple[dict, ...]
    former: bool = False


RULES: tuple[PostRule, ...] = (
    # Jane Doe, director of X at Anytown Council / Jane Doe, Chief Executive, Anytown Trust
    PostRule("name_comma_post_of_org", (P, COMMA, THE, R, OF, THE, O)),
    PostRule("name_comma_post_comma_org", (P, COMMA, THE, R, COMMA, THE, O)),
    # Jane Doe, Anytown's director of X / Jane Doe, the council's leader
    PostRule("name_comma_org_post", (P, COMMA, THE, O, POSS, R)),
    # Jane Doe, the Anytown Trust chief executive / (the) chair of the panel, Jane Doe
    PostRule("post_of_org_comma_name", (THE, R, OF, THE, O, POSS, COMMA, P)),
    PostRule("org_post_name", (FORMERLY, O, POSS, R, {"ORTH": ",", "OP": "?"}, P)),
    # housing minister Jane Doe / Chair, Jane Doe (no body named: ministers imply one)
    PostRule("post_name", (R, {"ORTH": ",", "OP": "?"}, P)),
    PostRule("name_comma_post", (P, COMMA, THE, R)),
    # Its president Jane Doe: the body the story was just speaking of.
    PostRule(
        "its_post_name", ({"LOWER": {"IN": ["its", "their"]}}, R, {"ORTH": ",", "OP": "?"}, P)
    ),
    # Jane Doe's appointment as chair of the trust
    PostRule(
        "name_appointment_as_post_of_org",
        (
            P,
            POSS,
            {"LOWER": {"IN": ["appointment", "election", "promotion", "move"]}},
            {"LOWER": {"IN": ["as", "to"]}},
            THE,
            NEW,
            R,
            OF,
            THE,
            O,
        ),
    ),
    # Jane Doe, Director for Care, Health and Housing, Anytown Council (a title with commas)
    PostRule(
        "name_comma_post_with_commas_comma_org",
        (
            P,
            COMMA,
            R,
            COMMA,
            {"IS_TITLE": True, "OP": "+"},
            {"LOWER": "and", "OP": "?"},
            {"IS_TITLE": True, "OP": "*"},
            COMMA,
            O,
        ),
    ),
    PostRule("name_bracket_post", (P, {"ORTH": "("}, R, {"ORTH": ")"})),
    # Jane Doe is (currently) interim director of X at Anytown Council
    PostRule(
        "name_is_post_of_org", (P, BE, {"LOWER": "been", "OP": "?"}, ADVERBS, THE, R, OF, THE, O)
    ),
    # Jane Doe has been appointed (as) the new director of X at Anytown Council
    PostRule(
        "name_appointed_post_of_org",
        (
            P,
            BE,
            {"LOWER": "been", "OP": "?"},
            ADVERBS,
            APPOINTED,
            {"LOWER": "as", "OP": "?"},
            THE,
            NEW,
            R,
            OF,
            THE,
            O,
        ),
    ),
    # Jane Doe has been named by Anytown Council as its new director of X
    PostRule(
        "name_appointed_by_org_as_post",
        (
            P,
            BE,
            {"LOWER": "been", "OP": "?"},
            APPOINTED,
            {"LOWER": "by"},
            THE,
            O,
            {"LOWER": "as"},
            THE,
            NEW,
            R,
        ),
    ),
    # Anytown Council has appointed Jane Doe as its new director of X
    PostRule(
        "org_appointed_name_as_post",
        (
            O,
            {"LOWER": {"IN": ["has", "have"]}, "OP": "?"},
            APPOINTED,
            P,
            {"LOWER": "as"},
            THE,
            NEW,
            R,
        ),
    ),
    # Jane Doe, who chairs the Anytown Partnership / Jane Doe will chair the panel
    PostRule(
        "name_chairs_org",
        (
            P,
            {"ORTH": ",", "OP": "?"},
            {"LOWER": {"IN": ["who", "will", "to"]}, "OP": "?"},
            {"LOWER": {"IN": ["chairs", "chair", "leads", "heads"]}},
            THE,
            O,
        ),
    ),
    # Jane Doe will continue as (the) Chair of the Anytown Board
    PostRule(
        "name_continues_as_post_of_org",
        (
            P,
            {"LOWER": {"IN": ["will", "to", "would"]}, "OP": "?"},
            {
                "LOWER": {
                    "IN": [
                        "continue",
                        "remain",
                        "stay",
                        "serve",
                        "served",
                        "join",
                        "joins",
                        "joined",
                        "return",
                        "returns",
                    ]
                }
            },
            {"LOWER": "as"},
            THE,
            R,
            OF,
            THE,
            O,
        ),
    ),
    # ... join(s) Anytown Council as its director of X
    PostRule(
        "name_joins_org_as_post",
        (
            P,
            {"LOWER": {"IN": ["will", "to", "has", "is"]}, "OP": "?"},
            {"LOWER": {"IN": ["join", "joins", "joined", "joining", "rejoin", "rejoins"]}},
            THE,
            O,
            {"LOWER": "as"},
            THE,
            NEW,
            R,
        ),
    ),
)

VERB_POSTS = {"chairs": "chair", "chair": "chair", "leads": "leader", "heads": "head"}


@cache
def _matcher() -> Matcher:
    from kg.nlp import load_pipeline

    matcher = Matcher(load_pipeline().vocab, validate=True)
    for rule in RULES:
        matcher.add(rule.name, [list(rule.pattern)])
    return matcher


RULES_BY_NAME = {rule.name: rule for rule in RULES}


def implied_organisation(post: str) -> str | None:
    """The body a post implies when none is named: ministers are in government."""
    gazetteer = load_gazetteer()
    if title := gazetteer.role_title(post):
        return title.implied_organisation
    words = post.replace("-", " ").split()
    if any(word in {"minister", "secretary"} for word in words) and not any(
        word in {"shadow", "general", "permanent"} for word in words
    ):
        return "UK Government"
    if "prime" in words and "minister" in words:
        return "UK Government"
    return None


UNIT_WORDS = frozenset("board committee group panel forum team taskforce".split())


def _unit_and_parent(org: str) -> tuple[str, str | None]:
    """ "LGA's Children and Young People Board" → (LGA, board); a name is split only at a
    possessive whose owner is a known body or an acronym."""
    parent, unit = split_unit(org)
    if unit is None:
        return org, None
    gazetteer = load_gazetteer()
    owner_known = gazetteer.entity(parent) or gazetteer.council_by_place(parent)
    if owner_known or (parent.isupper() and len(parent) <= 8):
        return parent, unit
    return org, None


def _antecedent(doc: Doc, token: Token) -> str | None:
    """ "the Committee" → the last body of that kind the story named in full before it."""
    name = organisation_text(token)
    words = name.split()
    if len(words) > 1 or words[0].lower() not in ORGANISATION_HEADS | REFERRING_HEADS:
        return name
    head = words[0].lower()
    for earlier in reversed(doc[: token.i]):
        if earlier._.mention == ORG:
            text = organisation_text(earlier)
            if len(text.split()) > 1 and text.split()[-1].lower() == head:
                return text
    return None


def _holding(doc: Doc, span: Span, rule: PostRule, document: Document) -> RoleHolding | None:
    person = next((t for t in span if t._.mention == PERSON), None)
    post = next((t for t in span if t._.mention == POST), None)
    org_token = next((t for t in span if t._.mention == ORG), None)
    if person is None:
        return None
    if post is None and rule.name == "name_chairs_org":
        verb = next(t for t in span if t.lower_ in VERB_POSTS)
        role = VERB_POSTS[verb.lower_]
        former = False
    elif post is None:
        return None
    else:
        role = post_text(post)
        former = is_former(post) or any(t.lower_ in FORMER_WORDS for t in span)
        role = " ".join(w for w in role.split() if w not in {"former", "ex", "outgoing", "new"})
        if not role:
            return None
    implied = False
    unit = None
    if org_token is not None:
        named = _antecedent(doc, org_token)
        if named is None:
            return None
        organisation, unit = _unit_and_parent(named)
        # "Chair of the Board, Local Government Association": a unit, then its body.
        after = doc[org_token.i + 1 : org_token.i + 3]
        if (
            unit is None
            and len(after) == 2
            and after[0].text == ","
            and after[1]._.mention == ORG
            and organisation.split()[-1].lower() in UNIT_WORDS
        ):
            unit, organisation = organisation, organisation_text(after[1])
    elif rule.name == "its_post_name":
        owner = next(
            (t for t in reversed(doc[: span.start]) if t._.mention == ORG and len(t.text) > 1),
            None,
        )
        if owner is None:
            return None
        organisation, unit = _unit_and_parent(organisation_text(owner))
    else:
        implied_org = implied_organisation(role)
        if implied_org is None:
            return None
        organisation, implied = implied_org, True
    sentence = span.sent
    article = document.article
    provenance = Provenance(
        article.id,
        sentence.text.strip(),
        sentence.start_char,
        sentence.end_char,
        "story",
        EXTRACTOR,
        rule.name,
    )
    return RoleHolding(
        person=person_text(person),
        role=role,
        organisation=organisation,
        unit=unit,
        organisation_implied=implied,
        provenance=provenance,
        former=former,
    )


def extract(document: Document) -> Iterator[RoleHolding]:
    doc = document.mentions
    matches = _matcher()(doc, as_spans=True)
    # Longest first, so "Jane Doe, chair of X" wins over the bare "Jane Doe, chair".
    seen: set[tuple[int, int]] = set()
    for span in sorted(matches, key=lambda s: (s.start, -(s.end - s.start))):
        rule = RULES_BY_NAME[span.label_]
        person = next((t.i for t in span if t._.mention == PERSON), None)
        post = next((t.i for t in span if t._.mention in {POST}), -1)
        if (person, post) in seen:
            continue
        holding = _holding(doc, span, rule, document)
        if holding is None:
            continue
        seen.add((person, post))
        yield holding


__all__ = ["RULES", "Token", "extract", "known_organisation"]
