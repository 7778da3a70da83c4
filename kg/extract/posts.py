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
    Jane Doe, 52, is director of ... at the troubled Anytown Council
    Jane Doe will join from Anytown Council, where she was director of ...
    Before that she spent four years at Anytown Council as head of ... (a post held before)
    Anytown Council has appointed Jane Doe as its new director of ...
    Jane Doe, who chairs the Anytown Partnership, / Jane Doe will chair the panel
    Former Anytown chief executive Jane Doe (a former post, kept as former)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
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
    organisation_text,
    person_text,
    post_text,
    post_text_of,
)
from kg.extract.patterns import split_unit
from kg.gazetteer import load_gazetteer
from kg.model import Provenance, RoleHolding
from kg.nlp import doc_entities

EXTRACTOR = "posts"

P = {"_": {"mention": PERSON}}
O = {"_": {"mention": ORG}}  # noqa: E741 - reads as the pattern letter it is
R = {"_": {"mention": POST}}
COMMA = {"ORTH": ","}
THE = {"LOWER": {"IN": ["the", "its", "their", "a", "an"]}, "OP": "?"}
OF = {"LOWER": {"IN": ["of", "at", "for", "from", "with", "on"]}}
POSS = {"ORTH": {"IN": ["'s", "’s", "'", "’"]}, "OP": "?"}
ADVERBS = {"POS": {"IN": ["ADV"]}, "OP": "*"}
BE = {"LOWER": {"IN": ["is", "was", "has", "had", "been", "be", "will", "becomes", "became"]}}
APPOINTED = {
    "LOWER": {"IN": ["appointed", "named", "confirmed", "elected", "installed", "unveiled"]}
}
# "Jane Doe, 52, is ..." / "Jane Doe, aged 52, has been ...": an age between name and verb.
AGE_GIVEN = (
    {"ORTH": ",", "OP": "?"},
    {"LOWER": "aged", "OP": "?"},
    {"SHAPE": "dd", "OP": "?"},
    {"ORTH": ",", "OP": "?"},
)
# "at struggling Anytown Council", "at the under-fire Anytown Council": the story's word for
# the body, between the preposition and its name.
DESCRIBED = (
    {"LOWER": {"IN": ["under", "cash", "crisis", "much"]}, "OP": "?"},
    {"ORTH": "-", "OP": "?"},
    {
        "LOWER": {
            "IN": [
                "fire",
                "struggling",
                "troubled",
                "failing",
                "embattled",
                "beleaguered",
                "strapped",
                "hit",
                "criticised",
                "maligned",
            ]
        },
        "OP": "?",
    },
)
FORMERLY = {"LOWER": {"IN": sorted(FORMER_WORDS)}, "OP": "?"}
NEW = {"LOWER": {"IN": ["new", "next", "permanent", "first"]}, "OP": "*"}
MOVING_VERBS = frozenset("join joins joined joining comes came moves moved arrives arrived".split())
# "(will) join from the troubled Anytown Council"
JOINS_FROM = (
    {"LOWER": {"IN": ["will", "would", "to", "has", "had", "is"]}, "OP": "?"},
    {"LOWER": {"IN": sorted(MOVING_VERBS)}},
    {"LOWER": "from"},
    THE,
    *DESCRIBED,
    O,
)
AND_SHE = {"LOWER": {"IN": ["and", "she", "he"]}}
# ", where she was director of X" / ", where she has (previously) served as director of X"
WHERE_SHE = ({"ORTH": ",", "OP": "?"}, {"LOWER": "where"}, {"LOWER": {"IN": ["she", "he"]}})
WHERE_SHE_WAS = (*WHERE_SHE, BE, {"LOWER": "been", "OP": "?"}, ADVERBS, THE, R)
WHERE_SHE_SERVED_AS = (
    *WHERE_SHE,
    {"LOWER": {"IN": ["has", "had", "have"]}, "OP": "?"},
    ADVERBS,
    {"LOWER": {"IN": ["served", "worked", "acted"]}},
    {"LOWER": "as"},
    THE,
    R,
)
# "spent four years", "spent time", "worked for a decade": how long, before "at" the body.
SPELL = {"IS_ALPHA": True, "_": {"mention": ""}, "LOWER": {"NOT_IN": ["at", "as"]}, "OP": "{0,3}"}
# "spent four years at Anytown Council as director of X"
SPENT_AT_AS = (
    {"LOWER": {"IN": ["spent", "worked", "served"]}},
    SPELL,
    {"LOWER": "at"},
    THE,
    *DESCRIBED,
    O,
    {"LOWER": "as"},
    THE,
    R,
)


@dataclass(frozen=True, slots=True)
class PostRule:
    """A named pattern; `person`, `post`, `org` are the indexes of its mention tokens."""

    name: str
    pattern: tuple[dict, ...]
    former: bool = False


RULES: tuple[PostRule, ...] = (
    # Jane Doe, director of X at Anytown Council / Jane Doe, Chief Executive, Anytown Trust
    PostRule("name_comma_post_of_org", (P, COMMA, ADVERBS, THE, R, OF, THE, *DESCRIBED, O)),
    PostRule("name_comma_post_comma_org", (P, COMMA, ADVERBS, THE, R, COMMA, THE, O)),
    # Jane Doe, Anytown's director of X / Jane Doe, the council's leader
    PostRule("name_comma_org_post", (P, COMMA, THE, O, POSS, R)),
    # Jane Doe, the Anytown Trust chief executive / (the) chair of the panel, Jane Doe
    PostRule("post_of_org_comma_name", (THE, R, OF, THE, O, POSS, {"ORTH": ",", "OP": "?"}, P)),
    PostRule("org_post_name", (FORMERLY, O, POSS, R, {"ORTH": ",", "OP": "?"}, P)),
    # housing minister Jane Doe / Chair, Jane Doe (no body named: ministers imply one)
    PostRule("post_name", (R, {"ORTH": ",", "OP": "?"}, P)),
    PostRule("name_comma_post", (P, COMMA, THE, R)),
    # Jane Doe, DCS Barnsley (a post, then its council by its place)
    PostRule("name_comma_post_org", (P, COMMA, R, O)),
    # Jane Doe, who was previously director of X at Anytown Council, ...
    PostRule(
        "name_who_was_post_of_org",
        (
            P,
            COMMA,
            {"LOWER": "who"},
            BE,
            {"LOWER": "been", "OP": "?"},
            ADVERBS,
            THE,
            R,
            OF,
            THE,
            *DESCRIBED,
            O,
        ),
    ),
    # Jane Doe has taken (up) the role of director of X (at Anytown Council)
    PostRule(
        "name_takes_role_of_post",
        (
            P,
            {"LOWER": {"IN": ["has", "have", "will", "to"]}, "OP": "?"},
            {
                "LOWER": {
                    "IN": [
                        "taken",
                        "take",
                        "takes",
                        "took",
                        "assumed",
                        "assumes",
                        "assume",
                        "accepted",
                        "accepts",
                    ]
                }
            },
            {"LOWER": "up", "OP": "?"},
            THE,
            {"LOWER": {"IN": ["role", "post", "position", "job"]}},
            {"LOWER": "of"},
            R,
        ),
    ),
    # "members include Jane Doe from the Anytown Trust": someone there for a body.
    PostRule("name_from_org", (P, {"LOWER": "from"}, THE, O)),
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
            *DESCRIBED,
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
            {"IS_ALPHA": True, "_": {"mention": ""}, "OP": "+"},
            {"LOWER": "and", "OP": "?"},
            {"IS_ALPHA": True, "_": {"mention": ""}, "OP": "*"},
            COMMA,
            {"LOWER": {"IN": ["of", "at", "for", "with"]}, "OP": "?"},
            THE,
            O,
        ),
    ),
    # She was previously chief executive of Anytown Trust (the person named before)
    PostRule(
        "pronoun_was_post_of_org",
        (
            {"LOWER": {"IN": ["she", "he"]}},
            BE,
            {"LOWER": "been", "OP": "?"},
            ADVERBS,
            THE,
            R,
            OF,
            THE,
            *DESCRIBED,
            O,
        ),
    ),
    PostRule("name_bracket_post", (P, {"ORTH": "("}, R, {"ORTH": ")"})),
    # Jane Doe (, aged 52,) is (currently) interim director of X at Anytown Council
    PostRule(
        "name_is_post_of_org",
        (P, *AGE_GIVEN, BE, {"LOWER": "been", "OP": "?"}, ADVERBS, THE, R, OF, THE, *DESCRIBED, O),
    ),
    # Jane Doe (, 52,) has been appointed (as) the new director of X at troubled Anytown Council
    PostRule(
        "name_appointed_post_of_org",
        (
            P,
            *AGE_GIVEN,
            BE,
            {"LOWER": "been", "OP": "?"},
            ADVERBS,
            {"LOWER": {"IN": ["today", "yesterday"]}, "OP": "?"},  # nouns to the tagger
            APPOINTED,
            {"LOWER": "as", "OP": "?"},
            THE,
            NEW,
            R,
            OF,
            THE,
            *DESCRIBED,
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
                        "take",
                        "takes",
                        "took",
                        "taking",
                        "step",
                        "steps",
                        "stepped",
                        "continues",
                        "remains",
                        "serves",
                        "started",
                        "starts",
                        "begins",
                        "began",
                    ]
                }
            },
            {"LOWER": {"IN": ["over", "up", "in"]}, "OP": "?"},
            {"LOWER": "as"},
            THE,
            R,
            OF,
            THE,
            *DESCRIBED,
            O,
        ),
    ),
    # Jane Doe will join from Anytown Council, where she was director of X / where she has
    # (previously) served as director of X: the post at the body she comes from.
    PostRule("name_from_org_where_post", (P, *JOINS_FROM, *WHERE_SHE_WAS)),
    PostRule("name_from_org_where_served_as_post", (P, *JOINS_FROM, *WHERE_SHE_SERVED_AS)),
    # "... and will join from Anytown Council, where ...": the person the sentence is about.
    PostRule("and_joins_from_org_where_post", (AND_SHE, *JOINS_FROM, *WHERE_SHE_WAS)),
    PostRule(
        "and_joins_from_org_where_served_as_post", (AND_SHE, *JOINS_FROM, *WHERE_SHE_SERVED_AS)
    ),
    # She spent four years at Anytown Council as director of X; ... having worked at Anytown
    # Council as ... (the person named before), or Jane Doe served at ...: a post held before.
    PostRule(
        "pronoun_spent_at_org_as_post",
        ({"LOWER": {"IN": ["she", "he", "having"]}}, ADVERBS, *SPENT_AT_AS),
        former=True,
    ),
    PostRule(
        "name_spent_at_org_as_post",
        (P, {"LOWER": {"IN": ["has", "had"]}, "OP": "?"}, ADVERBS, *SPENT_AT_AS),
        former=True,
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

NOT_PART_OF_TITLE = frozenset({"former", "ex", "outgoing", "new", "current", "then"})
PREVIOUSLY = frozenset({"previously", "formerly", "once"})
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


COUNCIL_WORDS = frozenset({"council", "authority", "county", "borough", "city", "district"})
# Posts of a council's officers and members: held at "the council" when none is named.
COUNCIL_POST_WORDS = frozenset(
    "director chief executive leader cabinet member councillor mayor officer portfolio "
    "holder head".split()
)


def _council_of(token: Token, kind: str | None = None) -> str | None:
    """The council an organisation mention names; with `kind` ("county", "city"), only a
    council of that kind."""
    text = organisation_text(token)
    gazetteer = load_gazetteer()
    council = gazetteer.council(text) or gazetteer.council_by_place(text)
    if council is None:
        return None
    if kind in {"county", "city", "borough", "district"}:
        names = f"{council.official_name} {council.council_type}".lower()
        if kind not in names:
            return None
    return text


def _antecedent(doc: Doc, token: Token) -> str | None:
    """ "the Committee" → the last body of that kind the story named in full before it;
    "the authority", "the city council" → the council the story last named."""
    name = organisation_text(token)
    words = name.lower().split()
    if len(words) > 2 or not words or words[-1] not in ORGANISATION_HEADS | REFERRING_HEADS:
        return name
    if len(words) == 2 and words[0] not in COUNCIL_WORDS:
        return name
    return _named_before(doc, token.i, words[-1], words[0])


def _named_before(doc: Doc, index: int, head: str, kind: str | None = None) -> str | None:
    """The body that "the council", "the trust" or "the committee" at `index` stands for."""
    if head in COUNCIL_WORDS:
        # The story's own council first ("the city council" in a story about one city,
        # "the council" in a story about one council), then the last one named before.
        home = home_council(doc)
        if home and (kind in {None, "the", "council", "authority"} or kind in home.lower()):
            return home
        earlier = (t for t in reversed(doc[:index]) if t._.mention == ORG)
        return next(filter(None, (_council_of(t, kind) for t in earlier)), None) or home
    # The last body of that kind named before, else the first named after.
    for token in (*reversed(doc[:index]), *doc[index:]):
        if token._.mention == ORG:
            words = organisation_text(token).split()
            if len(words) > 1 and words[-1].lower() == head:
                return " ".join(words)
    return None


def _full_council_name(name: str) -> str:
    """A post "in Norfolk" is at the council: a bare place becomes its council's name."""
    gazetteer = load_gazetteer()
    if gazetteer.council(name) or gazetteer.entity(name):
        return name
    council = gazetteer.council_by_place(name)
    return council.official_name if council else name


def _council_in_sentence(span: Span) -> str | None:
    sentence = span.sent
    councils = [t for t in sentence if t._.mention == ORG and _council_of(t)]
    before = [t for t in councils if t.i < span.start]
    return _full_council_name(_council_of(before[-1]) or "") if before else None


def home_council(doc: Doc) -> str | None:
    """The council a story is about: the one it names most (first named on a tie), by the
    fullest name the story gives it ("Blackpool Council" over "Blackpool"). Found once a
    document: every council post without a named council asks for it."""
    if HOME_COUNCIL not in doc.user_data:
        doc.user_data[HOME_COUNCIL] = _most_named_council(doc)
    return doc.user_data[HOME_COUNCIL]


HOME_COUNCIL = "kg.home_council"


def _most_named_council(doc: Doc) -> str | None:
    gazetteer = load_gazetteer()
    counts: dict[str, int] = {}
    written: dict[str, str] = {}
    for token in doc:
        if token._.mention == ORG and (council := _council_of(token)):
            official = gazetteer.council(council) or gazetteer.council_by_place(council)
            key = official.official_name if official else council
            counts[key] = counts.get(key, 0) + 1
            if gazetteer.council(council) and key not in written:
                written[key] = council
    if not counts:
        return None
    best = max(counts, key=lambda key: counts[key])
    return written.get(best, best)


def _body_in_post(doc: Doc, post: Token, role: str) -> tuple[str, str] | None:
    """ "Trust chair", "Committee chair", "County chief executive", "Kinship Chief
    Executive": a body named by the post's first word, and the post without it."""
    first, _, rest = role.partition(" ")
    if not rest:
        return None
    if first in COUNCIL_WORDS:
        body = _named_before(doc, post.i, "council", first)
    elif first in REFERRING_HEADS | ORGANISATION_HEADS:
        body = _named_before(doc, post.i, first)
    elif post.text[:1].isupper() and any(
        ent.label_ == ORG and ent.text == post.text.split()[0] for ent in doc_entities(doc)
    ):
        body = post.text.split()[0]
    else:
        return None
    return (body, rest) if body else None


def _role_of(post: Token | None, span: Span, rule: PostRule) -> tuple[str, bool] | None:
    if post is None and rule.name == "name_from_org":
        return "representative", False
    if post is None:
        verb = next((t for t in span if t.lower_ in VERB_POSTS), None)
        return (VERB_POSTS[verb.lower_], False) if verb is not None else None
    role = post_text(post)
    if rule.name == "name_comma_post_with_commas_comma_org":
        # "Director for Care, Health and Housing, Anytown Council": the title runs to the
        # comma before the body.
        last_comma = max(t.i for t in span if t.text == ",")
        role = post_text_of(span.doc[post.i : last_comma])
    # "spent four years at X as ..." was before; "has worked at X as ... since 2019" is now.
    held_before = rule.former and not any(t.lower_ in {"has", "have"} for t in span)
    former = (
        held_before or is_former(post) or any(t.lower_ in FORMER_WORDS | PREVIOUSLY for t in span)
    )
    role = " ".join(w for w in role.split() if w not in NOT_PART_OF_TITLE)
    role = re.sub(r"\s+(?:and|or|of|for)$", "", role)
    return (role, former) if role else None


def _organisation(
    doc: Doc, span: Span, rule: PostRule, post: Token | None, role: str
) -> tuple[str, str | None, bool, str] | None:
    """(organisation, unit, implied, role) for a matched post, or None if no body is known."""
    org_token = next((t for t in span if t._.mention == ORG), None)
    if org_token is not None:
        named = _antecedent(doc, org_token)
        if named is None:
            return None
        organisation, unit = _unit_and_parent(_full_council_name(named))
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
        return organisation, unit, False, role
    if rule.name == "its_post_name":
        owner = next(
            (t for t in reversed(doc[: span.start]) if t._.mention == ORG and len(t.text) > 1),
            None,
        )
        if owner is None:
            return None
        organisation, unit = _unit_and_parent(organisation_text(owner))
        return organisation, unit, False, role
    if rule.name == "name_bracket_post":
        # "Jane Doe (Chair)" in a committee's papers: the body the page is about.
        body = next(
            (
                organisation_text(t)
                for t in reversed(doc[: span.start])
                if t._.mention == ORG and t.text.split()[-1].lower() in UNIT_WORDS | {"trust"}
            ),
            None,
        )
        return (body, None, False, role) if body else None
    if post is not None and (in_post := _body_in_post(doc, post, role)):
        body, rest = in_post
        return body, None, False, rest
    if implied := implied_organisation(role):
        return implied, None, True, role
    if set(role.replace("-", " ").split()) & COUNCIL_POST_WORDS and (
        council := _council_in_sentence(span) or home_council(doc)
    ):
        return council, None, True, role
    return None


# The merged document keeps no lemmas: the forms themselves.
REPORTING_VERBS = frozenset(
    "said says say added adds told tells explained explains commented welcomed welcomes".split()
)
SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _person_meant(doc: Doc, span: Span) -> Token | None:
    """Whom "having ...", "... and will join" or "she" means: the person the sentence is
    about, its subject; for "she", the subject of a sentence before it that is not someone's
    words ("Tom Smith said he was delighted. She joins ..." is about the appointee named
    before). None when no sentence makes a person its subject: a guess would too often be
    the predecessor or the person quoted."""
    sentence = span.sent
    if span[0].lower_ in {"having", "and"}:
        return _subject_person(sentence, span)
    if (found := _subject_person(doc[sentence.start : span.start], span)) is not None:
        return found
    earlier = sentence.start
    for _ in range(2):
        if earlier == 0:
            return None
        previous = doc[earlier - 1].sent
        earlier = previous.start
        if previous.root.lower_ in REPORTING_VERBS:
            continue
        if (found := _subject_person(previous, span)) is not None:
            return found
    return None


def _subject_person(tokens: Span, outside: Span) -> Token | None:
    """The person who is a subject in `tokens` (the main verb's first), not inside `outside`."""
    people = [
        t
        for t in tokens
        if t._.mention == PERSON and t.dep_ in SUBJECTS and not outside.start <= t.i < outside.end
    ]
    main = [t for t in people if t.head == t.sent.root]
    return (main or people or [None])[0]


# Rules that begin with "she", "he", "having" or "and": the person is the one named before.
PERSON_NAMED_BEFORE = frozenset(
    {
        "pronoun_was_post_of_org",
        "pronoun_spent_at_org_as_post",
        "and_joins_from_org_where_post",
        "and_joins_from_org_where_served_as_post",
    }
)


def _holding(doc: Doc, span: Span, rule: PostRule, document: Document) -> RoleHolding | None:
    person = next((t for t in span if t._.mention == PERSON), None)
    post = next((t for t in span if t._.mention == POST), None)
    if person is None and rule.name in PERSON_NAMED_BEFORE:
        person = _person_meant(doc, span)
    if person is None:
        return None
    found = _role_of(post, span, rule)
    if found is None:
        return None
    role, former = found
    placed = _organisation(doc, span, rule, post, role)
    if placed is None:
        return None
    organisation, unit, implied, role = placed
    return _record(document, span.sent, rule, person, role, (organisation, unit, implied), former)


def _record(
    document: Document,
    sentence: Span,
    rule: PostRule,
    person: Token,
    role: str,
    placed: tuple[str, str | None, bool],
    former: bool,
) -> RoleHolding:
    """The fact, with the sentence and the rule that found it."""
    organisation, unit, implied = placed
    provenance = Provenance(
        document.article.id,
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
        yield from _further_posts(doc, span, holding, document)
    for holding, person, post in _from_the_parse(doc, document):
        if (person, post) not in seen:
            seen.add((person, post))
            yield holding


APPOINTING_VERBS = frozenset("appointed named elected confirmed installed chosen".split())
CHAIRING_VERBS = {"chaired": "chair", "led": "leader", "headed": "head"}


def _from_the_parse(doc: Doc, document: Document) -> Iterator[tuple[RoleHolding, int, int]]:
    """Posts whose person and post the sentence puts far apart, read off the parse:
    "Jane Doe, who ..., has been appointed chair of the Anytown Trust's board";
    "the Anytown Review, chaired by Jane Doe, ..."; "The trust's board will be chaired by
    Jane Doe"."""
    for verb in doc:
        if verb.lower_ in APPOINTING_VERBS and verb.tag_ == "VBN":
            person = _appointed_person(verb)
            post = next((t for t in doc[verb.i + 1 : verb.i + 5] if t._.mention == POST), None)
            if person is None or post is None:
                continue
            body = _body_after(doc, post)
            rule = PostRule("appointed_by_parse", ())
            holding = _make_holding(doc, document, verb.sent, rule, person, post_text(post), body)
            if holding is not None:
                yield holding, person.i, post.i
        elif verb.lower_ in CHAIRING_VERBS and verb.tag_ == "VBN":
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is None:
                continue
            person = next((t for t in agent.subtree if t._.mention == PERSON), None)
            if person is None:
                continue
            body = _chaired_body(doc, verb)
            if body is None:
                continue
            rule = PostRule("chaired_by_parse", ())
            role = CHAIRING_VERBS[verb.lower_]
            holding = _make_holding(doc, document, verb.sent, rule, person, role, body)
            if holding is not None:
                yield holding, person.i, -verb.i


def _appointed_person(verb: Token) -> Token | None:
    """Who "has been appointed": the passive verb's subject, or, for one joined by "and" to
    another verb ("Jane Doe will lead the review and has been appointed ..."), that verb's.
    An active "has appointed" names who appoints, not who holds the post."""
    if not any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return None
    for holder in (verb, verb.head if verb.dep_ == "conj" else None):
        if holder is None:
            continue
        subject = next((c for c in holder.children if c.dep_ in SUBJECTS), None)
        if subject is not None:
            return subject if subject._.mention == PERSON else None
    return None


def _body_after(doc: Doc, post: Token) -> str | None:
    """ "chair of the Anytown Trust('s board)": the body named after a post."""
    after = doc[post.i + 1 : post.i + 4]
    if len(after) >= 2 and after[0].lower_ in {"of", "at", "for", "with"}:
        for token in after[1:]:
            if token._.mention == ORG:
                return _antecedent(doc, token)
            if token.lower_ not in {"the", "its", "their"}:
                break
    return None


def _chaired_body(doc: Doc, verb: Token) -> str | None:
    """What was chaired: the noun a participle hangs on, or a passive's subject; a board
    of a body stands for the body."""
    if verb.dep_ == "acl":
        named = verb.head
    else:
        named = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if named is None:
            return None
    if named._.mention == ORG:
        return _antecedent(doc, named)
    owner = next((c for c in named.children if c.dep_ == "poss" and c._.mention == ORG), None)
    if owner is not None and named.lower_ in UNIT_WORDS:
        return _antecedent(doc, owner)
    # "the independent Review of Children's Social Care, chaired by ...": a titled body.
    words = [t for t in named.subtree if t.i < verb.i and not t.is_punct]
    title = " ".join(t.text for t in words if t.lower_ not in {"the", "a", "an"})
    capitals = [t for t in words if t.text[:1].isupper()]
    if named.text[:1].isupper() and len(capitals) >= 2:
        return re.sub(r"^(?:independent|new)\s+", "", title, flags=re.I)
    return None


def _make_holding(
    doc: Doc,
    document: Document,
    sentence: Span,
    rule: PostRule,
    person: Token,
    role: str,
    body: str | None,
) -> RoleHolding | None:
    role = " ".join(w for w in role.split() if w not in NOT_PART_OF_TITLE)
    if not role:
        return None
    implied = False
    unit = None
    if body is not None:
        organisation, unit = _unit_and_parent(_full_council_name(body))
    elif implied_org := implied_organisation(role):
        organisation, implied = implied_org, True
    else:
        return None
    return _record(document, sentence, rule, person, role, (organisation, unit, implied), False)


# "..., chief executive of A and director of social care at B": more posts, one person.
SHAPE_LETTERS = {PERSON: "P", POST: "R", ORG: "O"}
FURTHER_POST = re.compile(
    r"^,? ?(?:and(?: before that| then| later)?|as well as|will be|would be|will become|"
    r"is|was|has been|becomes|became)"
    r"(?: (?P<former>formerly|previously|once))?(?: (?:now|also|currently))?"
    r"(?: as)?(?: (?:the|its|a|an))? R(?P<body> (?:of|at|for|with)(?: the)? O| , O)?"
)


def _further_posts(
    doc: Doc, span: Span, holding: RoleHolding, document: Document
) -> Iterator[RoleHolding]:
    while span[-1]._.mention == ORG:
        after = doc[span.end : min(len(doc), span.end + 8)]
        shape = " ".join(SHAPE_LETTERS.get(t._.mention, t.lower_) for t in after)
        match = FURTHER_POST.match(shape)
        if not match:
            return
        length = len(match.group(0).split())
        tail = doc[span.end : span.end + length]
        post = next(t for t in tail if t._.mention == POST)
        body = next((t for t in tail if t._.mention == ORG), None)
        if body is None:
            # "..., will become acting director of children's services": the same body
            organisation, unit = holding.organisation, holding.unit
        else:
            named = _antecedent(doc, body)
            if named is None:
                return
            organisation, unit = _unit_and_parent(_full_council_name(named))
        role = " ".join(w for w in post_text(post).split() if w not in NOT_PART_OF_TITLE)
        yield replace(
            holding,
            # "previously X and before that Y": a post joined by "and" shares the first's
            # time; "X, former Y, will be Z" does not.
            former=bool(match["former"])
            or is_former(post)
            or (match.group(0).lstrip(", ").startswith("and") and holding.former),
            role=role,
            organisation=organisation,
            unit=unit,
            organisation_implied=False,
            provenance=replace(holding.provenance, rule=f"{holding.provenance.rule}+and_post"),
        )
        span = doc[span.start : span.end + length]
