"""Who holds which post where: person–role–organisation from the story's sentences.

The forms UK news uses, in any order and punctuation:
    Adam Lent, director of the NLGN, said: ...               name, post of org
    Molly Jarritt, Senior External Affairs Officer at NLGN    name, post at org
    Cllr Judith Blake, chair of the LGA's Children and Young People Board   (a unit)
    Education secretary, Gavin Williamson, said: ...          post, name (org implied)
    ADCS president John Pearce said ...                       org post name
    The chair of the LGA's children and young people's board, Louise Gittins, described ...
    The review will be led by Josh MacAlister, a former teacher and founder of the
        social work charity Frontline.                        leader of a review; founder
    ... announced today by the prime minister. David Cameron said ...   across sentences
A description that is not a post ("a former teacher") yields nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.patterns import (
    DESCRIBED_AS,
    LED_BY,
    ORG_NAME,
    ORG_PHRASE,
    PERSON_NAME,
    REVIEW_MENTION,
    SPEECH_VERB,
    UNIT_HEADS,
    is_role_word,
    looks_like_person,
    names_an_organisation,
    normalise_role,
    review_named_before,
    split_unit,
)
from kg.gazetteer import load_gazetteer
from kg.model import Article, Provenance, RoleHolding, Sentence

EXTRACTOR = "roles"

# "who chairs X", "who leads X": a post stated as a verb.
POST_VERB = re.compile(
    r"^who\s+(?P<verb>chairs|leads|heads|runs|founded|co-founded|directs|manages)\s+(?P<rest>.+)$",
    re.I,
)
POST_VERB_NOUNS = {
    "chairs": "chair",
    "leads": "leader",
    "heads": "head",
    "runs": "head",
    "founded": "founder",
    "co-founded": "co-founder",
    "directs": "director",
    "manages": "manager",
}
# "Sheffield City Council has appointed Dr Priya Mistry as its new director of ..."
APPOINTED_BY = re.compile(
    rf"(?P<appointer>{ORG_PHRASE})\s+(?:\([A-Z]+\)\s+)?(?:has\s+|have\s+)?(?:appointed|named)\s+$"
)
APPOINTED_AS = re.compile(
    r"^\s+as\s+(?P<its>(?:its|their)\s+(?:new\s+|interim\s+|permanent\s+)*)?(?P<app>[^,;:]+)"
)
POST_COMPLEMENT = re.compile(r"\s+(?:of|for|on)\s+")
POST_PREPOSITION = re.compile(r"\s+(?:of|at|for|with|from|on)\s+")
LOWERCASE_UNIT = re.compile(
    rf"^(?P<org>{ORG_PHRASE})['’]s?\s+(?P<unit>[a-z][\w'’ ]*?\b(?:{'|'.join(UNIT_HEADS)}))$",
    re.VERBOSE,
)
LEADING_WORDS = re.compile(
    r"^(?:who\s+(?:is|was|has\s+been)\s+|is\s+|was\s+)?(?:(?:also|now|currently|still)\s+)?"
    r"(?:(?:the|a|an)\s+)?",
    re.I,
)
FORMER = re.compile(r"\b(?:former|ex-|erstwhile|late|outgoing|then)\b", re.I)
# The appositive after a name runs to the next comma, colon, speech verb or sentence end.
APPOSITIVE_AFTER = re.compile(
    rf"^\s*,\s*(?P<app>[^,:;()‘“\"]+?)\s*(?:,|:|;|\(|\s+{SPEECH_VERB}\b|\.$|$)"
)
APPOSITIVE_BEFORE = re.compile(r"(?:^|[,;:—–]\s+|\.\s+)(?P<app>[^,;:—–]{2,120}?)\s*,\s*$")
CLAUSE_BEFORE = re.compile(r"(?:^|[,;:—–(]\s*)(?P<app>[^,;:—–(]{2,80}?)\s+$")
LED_BY_ROLE = {"led": "leader", "chaired": "chair", "headed": "head", "run": "leader"}
APPOINTED = re.compile(
    r"^\s+(?:has\s+been|was|is|will\s+be)\s+(?:appointed|named|confirmed)\s+(?:as\s+)?(?P<app>[^,;:]+)"
)
# "... announced today by the prime minister." ends a sentence with a post and no name.
BY_POST_AT_END = re.compile(r"\bby\s+the\s+(?P<role>[a-z][a-z' ]{2,60}?)\s*\.?$", re.I)


@dataclass(frozen=True, slots=True)
class Post:
    role: str
    organisation: str
    unit: str | None
    implied: bool


def _as_council(name: str) -> str:
    """A place named as the body someone works for is its council: "Medway" → Medway Council."""
    gazetteer = load_gazetteer()
    if gazetteer.entity(name) or gazetteer.council(name):
        return name
    council = gazetteer.council_by_place(name)
    return council.official_name if council else name


def _organisation(text: str) -> tuple[str, str | None] | None:
    """The organisation (and unit) a phrase names, if it names one."""
    text = re.sub(r"^(?:the)\s+", "", text.strip(" ,.;:"), flags=re.I)
    words = text.split()
    # "the social work charity Frontline", "the children's charity Barnardo's": lower-case
    # words before the name are kept out of it only when they end in what the body is.
    lower = 0
    while lower < len(words) and words[lower][0].islower():
        lower += 1
    if lower:
        descriptor = " ".join(words[:lower]).lower()
        if lower > 4 or not any(descriptor.endswith(word) for word in DESCRIBED_AS):
            return None
        if re.search(r"\b(?:of|at|for|in|on|with)\b", descriptor):
            return None
        words = words[lower:]
    text = " ".join(words)
    lowercase_unit = LOWERCASE_UNIT.match(text)
    if lowercase_unit:
        return lowercase_unit["org"], lowercase_unit["unit"]
    if not text or not ORG_NAME.fullmatch(text):
        return None
    return split_unit(text)


def _is_organisation_name(name: str) -> bool:
    bare = re.sub(r"['’]s?$", "", name)
    # "Medway's cabinet member": a bare place with a possessive before a post is its council.
    return names_an_organisation(name) or (
        name != bare and load_gazetteer().council_by_place(bare) is not None
    )


def parse_post(text: str) -> list[Post]:
    """The posts an appositive states: "director of the NLGN" → [director @ NLGN]."""
    text = text.strip(" ,.;:")
    verb = POST_VERB.match(text)
    if verb:  # "who chairs the Education Select Committee" → "chair of ..."
        text = f"{POST_VERB_NOUNS[verb['verb'].lower()]} of {verb['rest']}"
    text = LEADING_WORDS.sub("", text)
    posts = _parse_single_post(text)
    if posts or " and " not in text:
        return posts
    # "a former teacher and founder of the social work charity Frontline": split the
    # conjuncts, but not "Children and Young People Board" (a capital follows "and").
    parts = re.split(r"\s+and\s+(?=[a-z])", text)
    found: list[Post] = []
    for part in parts:
        found.extend(_parse_single_post(LEADING_WORDS.sub("", part)))
    return found


def _parse_single_post(text: str) -> list[Post]:
    if not text or FORMER.search(text.split(" of ")[0]) or len(text.split()) > 14:
        return []
    gazetteer = load_gazetteer()
    title = gazetteer.role_title(text)
    if title and title.implied_organisation:
        return [Post(normalise_role(text), title.implied_organisation, None, True)]
    # role + preposition + organisation, trying each preposition from the left:
    # "director of children's services at Essex County Council" skips the first "of".
    for match in POST_PREPOSITION.finditer(text):
        role, rest = text[: match.start()], text[match.end() :]
        if not _names_a_post(role):
            continue
        organisation = _organisation(rest)
        if organisation:
            org, unit = organisation
            return [Post(normalise_role(role), _as_council(org), unit, False)]
    # organisation + role: "NLGN director", "the LGA's chairman", "ADCS president",
    # "Kent County Council's director of children's services".
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        org_text, role = " ".join(words[:cut]), " ".join(words[cut:])
        if not _names_a_post(role) or (role[0].isupper() and not role.split()[0].isupper()):
            continue  # "Senior External Affairs Officer" is one title, not org + role
        if ORG_NAME.fullmatch(org_text) and _is_organisation_name(org_text):
            org, unit = split_unit(re.sub(r"['’]s$", "", org_text))
            return [Post(normalise_role(role), _as_council(org), unit, False)]
    return []


def _names_a_post(role: str) -> bool:
    """ "director", "head of policy", "cabinet member for children's services": the words
    before any "of"/"for" end in a post's head noun."""
    head = POST_COMPLEMENT.split(role, maxsplit=1)[0].split()
    return bool(head) and is_role_word(head[-1])


def _holdings(
    article: Article, sentence: Sentence, person: str, appositive: str
) -> Iterator[RoleHolding]:
    for post in parse_post(appositive):
        yield RoleHolding(
            person=person,
            role=post.role,
            organisation=post.organisation,
            unit=post.unit,
            organisation_implied=post.implied,
            provenance=Provenance.of_sentence(article, sentence, EXTRACTOR),
        )


def _from_sentence(article: Article, sentence: Sentence) -> Iterator[RoleHolding]:
    text = sentence.text
    for match in PERSON_NAME.finditer(text):
        person = match["person"]
        if not looks_like_person(person):
            continue
        before, after = text[: match.start()], text[match.end() :]
        appositives: list[str] = []
        after_match = APPOSITIVE_AFTER.match(after)
        if after_match:
            appositives.append(after_match["app"])
        before_match = APPOSITIVE_BEFORE.search(before)
        if before_match and re.match(r"^\s*,", after):
            appositives.append(before_match["app"])
        clause = CLAUSE_BEFORE.search(before)
        if clause and (
            is_role_word(clause["app"].split()[-1]) or load_gazetteer().role_title(clause["app"])
        ):
            appositives.append(clause["app"])
        appointed = APPOINTED.match(after)
        if appointed:
            appositives.append(appointed["app"])
        yield from _appointed_by(article, sentence, person, before, after)
        for appositive in dict.fromkeys(appositives):
            yield from _holdings(article, sentence, person, appositive)


def _appointed_by(
    article: Article, sentence: Sentence, person: str, before: str, after: str
) -> Iterator[RoleHolding]:
    """ "Sheffield City Council has appointed Dr Priya Mistry as its new director of ..." """
    appointer, role_as = APPOINTED_BY.search(before), APPOINTED_AS.match(after)
    if not appointer or not role_as:
        return
    if not role_as["its"]:
        yield from _holdings(article, sentence, person, role_as["app"])
        return
    if _names_a_post(role_as["app"]):
        yield RoleHolding(
            person=person,
            role=normalise_role(role_as["app"]),
            organisation=_as_council(re.sub(r"^The\s+", "", appointer["appointer"])),
            unit=None,
            organisation_implied=False,
            provenance=Provenance.of_sentence(article, sentence, EXTRACTOR),
        )


def _led_by(article: Article, sentence: Sentence) -> Iterator[RoleHolding]:
    for match in LED_BY.finditer(sentence.text):
        person = PERSON_NAME.match(sentence.text, match.end())
        if not person or not looks_like_person(person["person"]):
            continue
        # "A separate review of the homes market will be led by ..." names its own review;
        # "The review will be led by ..." means the one named before.
        named_here = REVIEW_MENTION.match(match["subject"])
        review = named_here["name"] if named_here else None
        review = review or review_named_before(article.story, sentence.start + match.start())
        review = review or match["subject"]
        yield RoleHolding(
            person=person["person"],
            role=f"{LED_BY_ROLE[match['verb']]} of the {match['noun']}",
            organisation=review,
            unit=None,
            organisation_implied=False,
            provenance=Provenance.of_sentence(article, sentence, EXTRACTOR),
        )


def _post_then_name(
    article: Article, sentence: Sentence, following: Sentence
) -> Iterator[RoleHolding]:
    """ "... announced by the prime minister." + "David Cameron said ..." """
    match = BY_POST_AT_END.search(sentence.text)
    if not match or following.paragraph - sentence.paragraph > 1:
        return
    title = load_gazetteer().role_title(match["role"])
    person = PERSON_NAME.match(following.text)
    if not title or not title.implied_organisation or not person:
        return
    if not looks_like_person(person["person"]):
        return
    yield RoleHolding(
        person=person["person"],
        role=normalise_role(match["role"]),
        organisation=title.implied_organisation,
        unit=None,
        organisation_implied=True,
        provenance=Provenance.of_sentence(article, sentence, EXTRACTOR),
    )


def extract(article: Article) -> Iterator[RoleHolding]:
    sentences = article.sentences
    for index, sentence in enumerate(sentences):
        yield from _from_sentence(article, sentence)
        yield from _led_by(article, sentence)
        if index + 1 < len(sentences):
            yield from _post_then_name(article, sentence, sentences[index + 1])
