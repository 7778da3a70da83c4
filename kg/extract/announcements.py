"""Who announced, launched or leads which reform, review, inquiry, funding or programme.

    The Government has also announced £100m in funding to train new social workers and
        an urgent review of Local Safeguarding Children Boards ...      → two reforms
    Control of failing children's services will be taken away from councils under radical
        reforms announced today by the prime minister. David Cameron said children's
        services that fail to improve ... will be handed over to ...    → Cameron's reform
    Six of the country's highest-performing councils ... will be given the freedom to ...
                                                                        → the same announcer
    Council chiefs have welcomed the launch of an independent review into ...
                                                                        → UK Government (implied)
    An inquiry into ... is to be conducted ... The All Party Parliamentary Group for
        Children is calling for written evidence ...                    → the APPG
    the additional monetary commitment of £1.5 billion towards social care   → funding
    the youth centres the Chancellor now plans to fund                  → funding
Amounts of money go with the reform they fund; others with what they measure ("the
funding gap expected to rise to £3.1 billion").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.patterns import (
    LED_BY,
    ORG_PHRASE,
    PERSON_NAME,
    REVIEW_MENTION,
    looks_like_person,
    money_amounts,
    names_an_organisation,
)
from kg.gazetteer import load_gazetteer
from kg.model import Announcement, Article, MoneyMention, Provenance, Sentence

EXTRACTOR = "announcements"
GOVERNMENT = "UK Government"
PARLIAMENT = "UK Parliament"

ANNOUNCING_VERB = (
    r"(?:announced|launched|unveiled|set\s+out|confirmed|pledged|committed|promised|opened|"
    r"commissioned|set\s+up|established|introduced|published)"
)
# "The Government has also announced £100m in funding ... and an urgent review of ..."
ACTIVE = re.compile(
    rf"""(?:^|,\s+|\.\s+)(?P<actor>(?:The\s+)?{ORG_PHRASE})\s+(?:\([A-Z][A-Za-z]{{1,9}}\)\s+)?
         (?:has\s+|have\s+|had\s+|is\s+|will\s+)?(?:also\s+|today\s+|now\s+)?
         (?:{ANNOUNCING_VERB}|launching|announcing)\s+(?:today\s+|yesterday\s+)?(?:that\s+)?
         (?P<object>.+?)\.?$""",
    re.VERBOSE,
)
# "... said the Government was investing £259m in secure children's homes."
INVESTS = re.compile(
    rf"""\b(?P<actor>(?:the\s+)?{ORG_PHRASE})\s+(?:\([A-Z][A-Za-z]{{1,9}}\)\s+)?
         (?:(?:is|was|were|are|will\s+be|has\s+been|would\s+be)\s+(?:investing|providing|allocating|
         spending|giving)|(?:will|would|has|have|is\s+to)\s+(?:provide|provided|give|given|invest|
         invested|allocate|allocated))\s+(?P<object>£[^,;]+?)(?:,|;|\.?$)""",
    re.VERBOSE,
)
# "... under radical reforms announced today by the prime minister."
PASSIVE = re.compile(
    rf"""^(?P<clause>.+?)\s+(?:under|in|as\s+part\s+of|through)\s+(?:the\s+|radical\s+|new\s+|major\s+)*
         (?:reforms?|plans?|proposals?|measures?|changes?)\s+(?:were\s+|have\s+been\s+|being\s+)?
         {ANNOUNCING_VERB}\s+(?:today\s+|yesterday\s+|on\s+\w+\s+)?by\s+(?:the\s+)?(?P<actor>[^,.;]+?)\s*\.?$""",
    re.VERBOSE,
)
REPORTED_SPEECH = re.compile(
    rf"^{PERSON_NAME.pattern}\s+(?:said|says|announced|confirmed)\s+(?:that\s+)?(?P<clause>[a-z].+?)\.?$",
    re.VERBOSE,
)
FUTURE = re.compile(r"\b(?:will|would|is\s+to|are\s+to|shall)\s+(?:be\s+|now\s+|also\s+)?\w+", re.I)
# A measure of an announced package, stated without a speaker: "X will be given ...".
MEASURE = re.compile(
    r"^[A-Z][^‘“'\"]*?\b(?:will|are\s+to|is\s+to)\s+be\s+(?:given|handed|allowed|required|able|expected|forced|made|offered|funded|taken)\b"
)
LAUNCH_CUE = re.compile(
    r"\b(?:launch(?:ed)?|announce(?:d|ment)|set\s+up|commission(?:ed)?|to\s+be\s+(?:conducted|held|launched|carried\s+out)|will\s+be\s+(?:conducted|held))\b",
    re.I,
)
# "The All Party Parliamentary Group for Children is calling for written evidence"
RUNS_INQUIRY = re.compile(
    rf"^(?:The\s+)?(?P<actor>{ORG_PHRASE})\s+(?:is|are|has|have|will)\s+(?:been\s+)?"
    r"(?:calling\s+for\s+(?:written\s+)?evidence|launch(?:ed|ing)|conduct(?:ed|ing)|hold(?:ing)?|"
    r"lead(?:ing)?|running|invit(?:ed|ing)\s+(?:written\s+)?(?:evidence|submissions))\b"
)
FUNDING = re.compile(
    r"\b(?P<reform>(?:the\s+)?(?:additional\s+|extra\s+|new\s+)?(?:monetary\s+commitment|funding|investment|"
    r"cash\s+injection|grant|money)\s+of\s+£[^,;]+?)(?=\s+(?:is|was|will|has|would)\b|[,;]|$)",
    re.I,
)
PLANS_TO_FUND = re.compile(
    r"\bthe\s+(?P<object>(?:[\w-]+\s+){0,3}?[\w-]+)\s+(?:that\s+)?the\s+(?P<actor>Chancellor|Government|"
    r"[a-z]+\s+secretary|[a-z]+\s+minister|prime\s+minister)\s+(?:now\s+|also\s+)?"
    r"(?:plans|intends|has\s+pledged|pledged|promised|wants)\s+to\s+fund\b",
    re.I,
)
_MEASURED = r"(?:gap|shortfall|deficit|overspend|cost|costs|budget|bill|pot|black\s+hole)"
# "the funding gap expected to rise to £3.1 billion" / "a £3bn shortfall in funding"
MONEY_SUBJECT = re.compile(
    rf"(?P<subject>(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{_MEASURED})\b[^£.]{{0,40}}?£"
    rf"|£[\d.,]+\s?(?:trillion|tn|billion|bn|million|m|k)?\s+(?P<after>(?:[\w-]+\s+){{0,2}}?{_MEASURED})\b",
    re.I,
)
# "£100m in funding ... and an urgent review of ...", "£523m to ... and launched a consultation"
REFORM_OBJECT_SPLIT = re.compile(
    r"\s+and\s+(?:has\s+|have\s+)?(?:also\s+)?(?:launched|opened|announced|unveiled|set\s+up|published)\s+"
    r"|\s+and\s+(?=(?:an?|the|new|£)\b)"
)
# The object is a clause, not a thing announced: "confirmed the money was in addition to ..."
CLAUSE_OBJECT = re.compile(
    r"^(?:that\s+)?(?:the\s+|its\s+|this\s+)?(?:[\w-]+\s+){0,2}?(?:was|is|were|are|had|has|would|will|could)\b"
)
# "Safeguarding Pressures Phase 9, its latest research into demand" is a report.
RESEARCH_APPOSITION = re.compile(
    r"^[^,]{3,100},\s+(?:its|their|a)\s+(?:new\s+|latest\s+|annual\s+)*(?:report|research|study|survey)\b"
)
# "an inquiry into X amid warnings that ..." → the inquiry. Not "after": "fail to improve
# after six months" is part of what is announced.
SUBORDINATE_TAIL = re.compile(r"\s+(?:amid|because|despite|whilst|while)\s+.*$")
REPORT_OBJECT = re.compile(
    r"\b(?:report|research|study|analysis|survey|findings|figures|data)\b", re.I
)
# "The package includes £270m for the Prevention Grant, £126m to roll out ... and £45m to ..."
BREAKDOWN = re.compile(
    r"^The\s+(?:package|funding|money|investment|settlement|grant)\s+(?:includes|will\s+include|comprises)\s+(?P<items>£.+?)\.?$",
    re.I,
)
BREAKDOWN_ITEM = re.compile(r",?\s*(?:and\s+)?(?=£)")
# "MPs have launched ...": Parliament, through the committee the story names.
COMMITTEE = re.compile(rf"(?P<name>(?:The\s+)?{ORG_PHRASE}\s+(?:Committee|Group|Commission))\b")
CATEGORY_WORDS = (
    ("inquiry", re.compile(r"\binquiry\b", re.I)),
    ("review", re.compile(r"\breview\b", re.I)),
    ("funding", re.compile(r"£|\bfunding\b|\binvestment\b|\bgrants?\b|\bmoney\b|\bcash\b", re.I)),
    ("takeover", re.compile(r"\btak(?:e|en|ing)\s+(?:away|over)\b|\bhanded\s+over\b", re.I)),
    ("programme", re.compile(r"\bprogramme\b|\bscheme\b|\btrusts?\b|\bpartnerships?\b", re.I)),
)


@dataclass
class ArticleState:
    """The announcer of the reforms an article reports, once one is known."""

    announcer: str | None = None


def category_of(reform: str) -> str:
    for category, pattern in CATEGORY_WORDS:
        if pattern.search(reform):
            return category
    return "reform"


def _clean(text: str) -> str:
    text = SUBORDINATE_TAIL.sub(
        "", text
    )  # "an inquiry into X amid warnings that ..." → the inquiry
    text = text.strip(" ,.;:’”'\"‘“")
    return re.sub(r"^(?:an?|the)\s+", "", text, flags=re.I)


def _actor_of_post(post: str) -> str | None:
    """The body that announces for an unnamed office-holder: "the Chancellor" → UK Government."""
    gazetteer = load_gazetteer()
    title = gazetteer.role_title(post)
    if title is None:
        return None
    implied = gazetteer.entity(title.implied_organisation or "")
    if implied and (implied.label == GOVERNMENT or implied.parent == GOVERNMENT):
        return GOVERNMENT
    return title.implied_organisation


def _announcement(
    article: Article,
    sentence: Sentence,
    actor: str,
    reform: str,
    implied: bool = False,
    leader: str | None = None,
) -> Announcement:
    reform = _clean(reform)
    return Announcement(
        actor=actor,
        actor_implied=implied,
        reform=reform,
        category=category_of(reform),
        provenance=Provenance.of_sentence(article, sentence, EXTRACTOR),
        leader=leader,
        amounts=tuple(money_amounts(reform)),
    )


def _actor_name(raw: str) -> str | None:
    actor = re.sub(r"^The\s+", "", raw.strip())
    return actor if looks_like_person(actor) or names_an_organisation(actor) else None


# A review's leader is named in its own sentence or soon after, never pages later.
LEADER_WINDOW = 5


def _leader(article: Article, index: int) -> str | None:
    for sentence in article.sentences[index : index + LEADER_WINDOW]:
        match = LED_BY.search(sentence.text)
        person = PERSON_NAME.match(sentence.text, match.end()) if match else None
        if person and looks_like_person(person["person"]):
            return person["person"]
    return None


def _reviews(article: Article, index: int, sentence: Sentence) -> Iterator[Announcement]:
    review = REVIEW_MENTION.search(sentence.text)
    led = LED_BY.search(sentence.text)
    if not review or not (
        LAUNCH_CUE.search(sentence.text) or (led and led.start() <= review.start())
    ):
        return
    actor, implied = GOVERNMENT, True
    for neighbour in article.sentences[index : index + 2]:
        runner = RUNS_INQUIRY.match(neighbour.text)
        if runner and _actor_name(runner["actor"]):
            actor, implied = _actor_name(runner["actor"]) or actor, False
            break
    else:
        committee = (
            _committee_near(article, index)
            if re.search(r"\bMPs\b|\bpeers\b", sentence.text)
            else None
        )
        actor, implied = (committee, False) if committee else (actor, implied)
    leader = _leader(article, index)
    yield _announcement(article, sentence, actor, review["name"], implied, leader)


def _from_sentence(
    article: Article, index: int, sentence: Sentence, state: ArticleState
) -> Iterator[Announcement]:
    text = sentence.text
    if text[:1] in "‘“'\"’":
        return  # quotations are what people said, not what was announced
    breakdown = BREAKDOWN.match(text)
    if breakdown and state.announcer:
        for item in BREAKDOWN_ITEM.split(breakdown["items"]):
            if item.strip():
                yield _announcement(article, sentence, state.announcer, item, implied=True)
        return
    active = ACTIVE.search(text)
    if active and _actor_name(active["actor"]) and _is_a_thing(active["object"]):
        actor = _actor_name(active["actor"]) or GOVERNMENT
        if load_gazetteer().entity(actor) and load_gazetteer().entity(actor).label == PARLIAMENT:
            actor = _committee_near(article, index) or actor
        state.announcer = actor
        for part in REFORM_OBJECT_SPLIT.split(active["object"]):
            yield _announcement(article, sentence, actor, part)
        return
    invests = INVESTS.search(text)
    if invests and _actor_name(re.sub(r"^the\s+", "", invests["actor"])):
        actor = _actor_name(re.sub(r"^the\s+", "", invests["actor"])) or GOVERNMENT
        yield _announcement(article, sentence, actor, invests["object"])
        return
    passive = PASSIVE.match(text)
    if passive:
        actor = _announcer_after(article, index, passive["actor"])
        state.announcer = actor or _actor_of_post(passive["actor"])
        if actor is None and state.announcer:
            yield _announcement(article, sentence, state.announcer, passive["clause"], True)
        return
    speech = REPORTED_SPEECH.match(text)
    if (
        speech
        and state.announcer
        and speech["person"] == state.announcer
        and FUTURE.search(speech["clause"])
    ):
        yield _announcement(article, sentence, state.announcer, speech["clause"])
        return
    if state.announcer and MEASURE.match(text):
        yield _announcement(article, sentence, state.announcer, text, implied=True)
        return
    yield from _reviews(article, index, sentence)


def _is_a_thing(announced: str) -> bool:
    """A reform, review or funding, not a clause or a piece of research."""
    head = announced.split(",")[0]
    research = REPORT_OBJECT.search(head) or RESEARCH_APPOSITION.search(announced)
    return not CLAUSE_OBJECT.match(announced) and not research


def _committee_near(article: Article, index: int) -> str | None:
    for sentence in article.sentences[max(0, index - 1) : index + 3]:
        committee = COMMITTEE.search(sentence.text)
        if committee:
            return re.sub(r"^The\s+", "", committee["name"])
    return None


def _announcer_after(article: Article, index: int, post: str) -> str | None:
    """ "... by the prime minister." followed by "David Cameron said ..." names the announcer."""
    if index + 1 >= len(article.sentences) or _actor_of_post(post) is None:
        return None
    person = PERSON_NAME.match(article.sentences[index + 1].text)
    return person["person"] if person and looks_like_person(person["person"]) else None


def _funding(article: Article, sentence: Sentence, taken: set[str]) -> Iterator[Announcement]:
    if "£" not in sentence.text and "fund" not in sentence.text:
        return
    for match in FUNDING.finditer(sentence.text):
        reform = _clean(match["reform"])
        if reform not in taken:
            yield _announcement(article, sentence, GOVERNMENT, reform, implied=True)
    for match in PLANS_TO_FUND.finditer(sentence.text):
        actor = _actor_of_post(match["actor"]) or GOVERNMENT
        yield _announcement(
            article, sentence, actor, f"funding for {match['object']}", implied=True
        )


def _money(
    article: Article, sentence: Sentence, announced: list[Announcement]
) -> Iterator[MoneyMention]:
    if "£" not in sentence.text:
        return
    funded = {amount.text for announcement in announced for amount in announcement.amounts}
    for match in MONEY_SUBJECT.finditer(sentence.text):
        for amount in money_amounts(sentence.text[match.start() : match.end() + 30]):
            # the amount this subject measures, not one further on
            if amount.text not in funded:
                subject = _clean(match["subject"] or match["after"])
                provenance = Provenance.of_sentence(article, sentence, EXTRACTOR)
                yield MoneyMention(amount, subject, provenance)
                break


def extract(article: Article) -> Iterator[Announcement | MoneyMention]:
    state = ArticleState()
    for index, sentence in enumerate(article.sentences):
        announced = list(_from_sentence(article, index, sentence, state))
        announced += _funding(article, sentence, {a.reform for a in announced})
        yield from announced
        yield from _money(article, sentence, announced)
