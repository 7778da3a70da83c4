"""Announcements and recommendations read off the dependency parse, by named rules.

A rule is a trigger verb (from a lexicon), who may be its subject, and which words carry
the thing announced or recommended. The clause is read from the parse: the verb's
subject (or the `by` agent of a passive) is the actor, what follows the verb is the
reform or policy, and coordinated verbs ("to help X and make Y") split into one policy
each. In words of our own:
    Ministers have announced an extra £5m for councils to recruit foster carers.
    The Anytown Scheme has been launched by the Home Office.          (passive, agent)
    Councils are to receive £2m to support care leavers.               (government implied)
    The committee called on the Government to publish a strategy.
    The report recommends that councils should pool their budgets.
    It also urged ministers to review the funding formula and set up a taskforce.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.document import Document
from kg.extract.announcements import category_of
from kg.extract.chunks import ORG, PERSON, POST, organisation_text, person_text, post_text
from kg.extract.patterns import money_amounts, strip_honorifics
from kg.gazetteer import load_gazetteer, name_key, statement_verbs
from kg.model import Announcement, Provenance, Recommendation
from kg.nlp import doc_text, entities_in

GOVERNMENT = "UK Government"
GOVERNMENT_WORDS = frozenset({"government", "ministers", "whitehall"})
GOVERNMENT_CATEGORIES = frozenset({"GovernmentBody", "GovernmentDepartment"})


@dataclass(frozen=True, slots=True)
class VerbRule:
    """Trigger words (lower-case forms) and, optionally, the word that must follow them."""

    name: str
    verbs: frozenset[str]
    particle: str | None = None


def _rules(family: str) -> tuple[VerbRule, ...]:
    """The rules of one family from `kg/data/statement_verbs.csv`, in the file's order."""
    grouped: dict[tuple[str, str | None], set[str]] = {}
    for verb in statement_verbs():
        if verb.family == family:
            grouped.setdefault((verb.rule, verb.particle), set()).update(verb.forms)
    return tuple(
        VerbRule(rule, frozenset(forms), particle) for (rule, particle), forms in grouped.items()
    )


ANNOUNCE_RULES = tuple(rule for rule in _rules("announces") if rule.name != "receives_funding")
RECEIVE_VERBS = next(rule.verbs for rule in _rules("announces") if rule.name == "receives_funding")
RECOMMEND_RULES = _rules("recommends")
# What a government launches without being named: "The new scheme has been launched".
LAUNCHED_THINGS = frozenset(
    "scheme programme fund pilot strategy review plan initiative package project "
    "consultation inquiry taskforce framework".split()
)
# Who speaks for a report: the report itself, the body behind it, its chair.
REPORT_SUBJECTS = frozenset(
    "report review study analysis research paper inquiry committee panel commission mps "
    "peers it they document briefing authors researchers survey union charity "
    "organisation group foundation association network appg".split()
)
RECOMMENDING_WORDS = frozenset(
    "recommend recommends recommended recommending urge urges urged call calls called "
    "want wants wanted propose proposes proposed".split()
)
REPORT_BODY_HEADS = frozenset("committee panel commission review inquiry".split())
COMMITTEE_CHAIR = frozenset("committee chair chairman chairwoman chairperson".split())
# What a minister issues to a council: named by two words ("improvement notice").
ORDERS = frozenset("notice direction directions order".split())
OBLIGATION = re.compile(r"\b(?:should|must|needs?\s+to|ought\s+to)\b", re.I)
CLAUSE_END = re.compile(
    r"(?:,\s*(?:which|who|but|while|whereas|amid|as\s+well|she|he|they|because|after|following|despite)\b|,?\s+(?:and\s+)?(?:said|says|added|warned)\b|\s+[–—-]\s+|;).*$",
    re.S,
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def _subject(verb: Token) -> Token | None:
    """The verb's subject: its own, a coordinated verb's, the noun a relative clause
    modifies ("the council who will receive"), or the nearest subject before it that the
    parse hung on an auxiliary ("that the government is today revealing")."""
    for candidate in (verb, verb.head if verb.dep_ in {"conj", "xcomp"} else None):
        if candidate is None:
            continue
        # The nearest subject: a stray heading the parse hung on the verb comes first.
        subjects = [child for child in candidate.children if child.dep_ in SUBJECT_DEPS]
        for child in sorted(subjects, key=lambda child: abs(candidate.i - child.i)):
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return child
    if verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
    # "MPs called on ...", parsed as a noun modified by "called": the noun is the subject.
    if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.i < verb.i:
        return verb.head
    sentence = verb.sent
    for token in reversed(sentence.doc[sentence.start : verb.i]):
        if token.dep_ == "mark" or token.text in {",", ";", ":"}:
            break
        if token.dep_ in SUBJECT_DEPS:
            return token
    return None


def _sentence_subject(sentence: Span) -> Token | None:
    return next((child for child in sentence.root.children if child.dep_ in SUBJECT_DEPS), None)


RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
MODALS = frozenset({"should", "must", "could", "would", "might", "may", "ought"})


def _is_negated(verb: Token) -> bool:
    """ "The DfE has not set out ...", "did not recommend": the act is denied."""
    return any(child.dep_ == "neg" for child in verb.children)


def _is_hedged(verb: Token) -> bool:
    """ "The DfE should set out ...": a call on someone, not their announcement."""
    if _is_negated(verb):
        return True
    if any(child.lower_ in MODALS for child in verb.children if child.dep_ == "aux"):
        return True
    if any(ancestor.lower_ in RECOMMENDING_WORDS for ancestor in verb.ancestors):
        return True
    # "calls for the government to commit ...": an infinitive that is no one's act yet,
    # unless it is what someone "is to" do ("The government is to spend £200m").
    infinitive = any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children)
    return infinitive and verb.head.lower_ not in {"is", "are", "was", "were"} | GLAD_WORDS


# "I am pleased to announce ...": an infinitive that is the announcement itself.
GLAD_WORDS = frozenset("pleased delighted proud happy glad able".split())


def _agents(verb: Token) -> list[Token]:
    """Who did it: the "by" of a passive, or "on behalf of" ("a notice issued on behalf of
    the education secretary")."""
    for child in verb.children:
        if child.dep_ == "agent":
            return _objects_of(child)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "on":
            behalf = next((c for c in child.children if c.lower_ == "behalf"), None)
            of = next((c for c in behalf.children if c.lower_ == "of"), None) if behalf else None
            if of is not None:
                return _objects_of(of)
    return []


def _dated_in_a_past_year(verb: Token) -> bool:
    """ "issued in 2019", "issued since 2018": a year, or "since", in what the verb governs."""
    return any(
        t.lower_ == "since" or (t.shape_ == "dddd" and t.text.startswith(("19", "20")))
        for t in verb.subtree
    )


def _objects_of(preposition: Token) -> list[Token]:
    found = []
    for obj in (c for c in preposition.children if c.dep_ == "pobj"):
        found.append(obj)
        found.extend(obj.conjuncts)
    return found


def _is_passive(verb: Token) -> bool:
    return any(child.dep_ in {"auxpass", "nsubjpass"} for child in verb.children)


def _text_after(sentence: Span, start_char: int, end_char: int | None = None) -> str:
    end = sentence.end_char if end_char is None else min(sentence.end_char, end_char)
    text = doc_text(sentence.doc)[start_char:end]
    text = CLAUSE_END.sub("", text)
    return " ".join(text.split()).strip(" ,.;:‘’“”'\"")


def _government_actor(token: Token, people: dict[str, str]) -> str | None:
    """The announcer a subject names, if it is government: a department, ministers, a
    minister by name, or a parliamentary body."""
    text = token.text
    for joined in token.conjuncts:
        # "Children and Families Minister Jane Doe" parsed as a list: the minister's name.
        if joined._.mention == PERSON and (found := people.get(person_text(joined).split()[-1])):
            return found
    if token.lower_ in {"he", "she"}:
        # "He has also issued ...": the minister the story named last.
        earlier = token.doc[max(0, token.sent.start - 60) : token.i]
        named = next((t for t in reversed(earlier) if t._.mention == PERSON), None)
        return people.get(person_text(named).split()[-1]) if named is not None else None
    if token._.mention == ORG:
        name = organisation_text(token)
        known = load_gazetteer().entity(name)
        if known and (known.category in GOVERNMENT_CATEGORIES or known.label == GOVERNMENT):
            return known.label
        if name.split()[-1].lower() in {"committee", "group", "commission"}:
            return name
        return None
    if token._.mention == PERSON:
        return people.get(person_text(token).split()[-1])
    if token._.mention == POST:
        # "The education secretary ordered ...": the post's body is the announcer.
        from kg.extract.posts import implied_organisation

        implied = implied_organisation(post_text(token))
        if implied is not None:
            known = load_gazetteer().entity(implied)
            return known.label if known else implied
        return None
    if token.lower_ in GOVERNMENT_WORDS:
        return GOVERNMENT
    if text.lower() in {"department", "the department"}:
        return "Department for Education"
    return None


def _government_people(document: Document) -> dict[str, str]:
    """Surname → full name of everyone the story gives a post in government."""
    from kg.extract.posts import extract as posts

    gazetteer = load_gazetteer()
    people: dict[str, str] = {}
    for holding in document.shared("posts", lambda: list(posts(document))):
        known = gazetteer.entity(holding.organisation)
        if known and (known.label == GOVERNMENT or known.category in GOVERNMENT_CATEGORIES):
            people[holding.person.split()[-1]] = holding.person
    return people


def _provenance(document: Document, sentence: Span, extractor: str, rule: str) -> Provenance:
    return Provenance(
        document.article.id,
        sentence.text.strip(),
        sentence.start_char,
        sentence.end_char,
        "story",
        extractor,
        rule,
    )


def _announcement(
    document: Document, sentence: Span, rule: str, actor: str, reform: str, implied: bool
) -> Announcement | None:
    bare = re.sub(r"^(?:the|a|an|this|that|its|their|new|\s)+", "", reform, flags=re.I)
    # "ordered the move after Ofsted rated ...": what follows the noun is when, not what.
    bare = SUBORDINATE_TAIL.sub("", bare)
    if bare.lower() in ANAPHORIC_REFORMS | LAUNCHED_THINGS and sentence.start > 0:
        # "The new scheme has been launched": the scheme the sentence before described,
        # without who said so ("The minister said the councils will ...").
        before = sentence.doc[sentence.start - 1].sent
        told = " ".join(before.text.split())
        reform = REPORTED_BY.sub("", told).strip(" .")
        if reform[:1] in "‘“'\"":
            return None  # the sentence before opens a quotation, not the scheme
    words = reform.split()
    if len(words) < 2 or len(words) > 60:
        return None
    return Announcement(
        actor=actor,
        actor_implied=implied,
        reform=reform,
        category=category_of(reform),
        provenance=_provenance(document, sentence, ANNOUNCE_EXTRACTOR, rule),
        amounts=tuple(money_amounts(reform)),
    )


ANNOUNCE_EXTRACTOR = "announcements"
RECOMMEND_EXTRACTOR = "reports"


# Quoted words: “...”, "..." and ‘...’ (a closing ’ is not followed by a letter).
# A quotation runs to its closing mark, or to the end of its paragraph (a line): UK
# style opens each paragraph of a long quotation and closes only the last.
QUOTED = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)|‘[^\n]*?(?:’(?![A-Za-z])|$)", re.M)


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in QUOTED.finditer(text)]


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in ranges)


def _quotation_end(position: int, ranges: list[tuple[int, int]]) -> int | None:
    """Where the quotation holding `position` ends."""
    return next((end for start, end in ranges if start < position < end), None)


REPORTED_BY = re.compile(
    r"^[^.,;]{0,90}?\b(?:said|says|announced|confirmed|revealed):?\s+(?:that\s+)?", re.I
)
PEOPLE_NOUNS = frozenset(
    "person people chair chairman chief director head leader candidate successor "
    "commissioner adviser advisor minister".split()
)
# "the move", "the plans": a reform named by the sentence before.
SUBORDINATE_TAIL = re.compile(
    r"\s+(?:after|because|following|when|as|since|once|last|this|on|in)\b.*$", re.I | re.S
)
ANAPHORIC_REFORMS = frozenset(
    "move plan plans decision changes change reforms announcement funding measures".split()
)
# Verbs of what the government will do: "The Department for Education will carry out ...".
UNDERTAKING_EXCLUDED = frozenset(
    "be have say said need needs want continue consider look work seek try".split()
)


def announcements(document: Document) -> Iterator[Announcement]:
    doc = document.mentions
    people = _government_people(document)
    quoted = quoted_ranges(doc_text(doc))
    last: Announcement | None = None
    for sentence in doc.sents:
        for verb in sentence:
            if verb.pos_ not in {"VERB", "AUX"} and verb.tag_ not in {"VBN", "VBD", "VBZ"}:
                continue
            if verb.tag_ == "VBG" and not any(c.dep_ == "aux" for c in verb.children):
                continue  # "by investing more": a means, not an act
            speaker = None
            if _inside(verb.idx, quoted):
                # A quotation's words are the speaker's: only a minister's "I have
                # increased ..." or "we will ..." is read, as that minister's.
                speaker = _quoted_speaker(verb, people)
                if speaker is None:
                    continue
            word = verb.lower_
            rule = next((r for r in ANNOUNCE_RULES if word in r.verbs), None)
            found: list[Announcement] = []
            if rule is not None:
                within = _quotation_end(verb.idx, quoted) if speaker is not None else None
                found = list(_announced(document, sentence, verb, rule, people, speaker, within))
            elif word in RECEIVE_VERBS:
                found = list(_received(document, sentence, verb))
            elif last is not None and speaker is None:
                found = list(_continued(document, sentence, verb, last))
            if not found and rule is None and speaker is None:
                found = list(_undertaken(document, sentence, verb, people))
            for made in found:
                last = made
                yield made


def _quoted_speaker(verb: Token, people: dict[str, str]) -> str | None:
    """The minister who says "I"/"we": the subject of "said" before the quotation, in
    this sentence or the two before."""
    subject = _subject(verb)
    if subject is None or subject.lower_ not in {"i", "we"}:
        return None
    sentence = verb.sent
    start = sentence.start
    for _ in range(2):
        if start > 0:
            start = verb.doc[start - 1].sent.start
    for token in reversed(verb.doc[start : verb.i]):
        if token.lower_ in {"said", "says", "added"}:
            speaker = next(filter(None, map(_person_of, token.children)), None)
            if speaker is not None:
                return _minister_named(person_text(speaker), people)
    return None


def _minister_named(name: str, people: dict[str, str]) -> str | None:
    """The minister `name` is: by surname ("Ms Doe") or in full, not another Doe."""
    full = people.get(name.split()[-1])
    if full is None:
        return None
    given = strip_honorifics(name).split()
    return full if len(given) == 1 or given == full.split() else None


def _person_of(subject: Token) -> Token | None:
    """The person a subject is: named, or named beside a post ("The minister, Jane Doe,")."""
    if subject.dep_ != "nsubj":
        return None
    if subject._.mention == PERSON:
        return subject
    return next((c for c in subject.children if c.dep_ == "appos" and c._.mention == PERSON), None)


def _continued(
    document: Document, sentence: Span, verb: Token, last: Announcement
) -> Iterator[Announcement]:
    """What follows an announcement: "£15m will go to eight councils to ...", "Measures
    include recruiting ..." — the same announcer's."""
    subject = _subject(verb)
    if subject is None:
        return
    goes_to = verb.lower_ in {"go", "goes"} and any(
        c.dep_ == "prep" and c.lower_ == "to" for c in verb.children
    )
    if (goes_to or verb.lower_ in {"include", "includes"}) and (
        any(t.ent_type_ == "MONEY" or t.text == "£" for t in subject.subtree)
        or subject.lower_ in {"measures", "plans", "package", "funding", "reforms"}
    ):
        start = subject.left_edge.idx if verb.lower_.startswith("go") else verb.idx + len(verb.text)
        reform = _text_after(sentence, start)
        rule = "money_goes_to" if verb.lower_.startswith("go") else "measures_include"
        if (made := _announcement(document, sentence, rule, last.actor, reform, True)) is not None:
            yield made


def _undertaken(
    document: Document, sentence: Span, verb: Token, people: dict[str, str]
) -> Iterator[Announcement]:
    """ "The Department for Education will carry out six-monthly reviews": what government
    says it will do."""
    if verb.lower_ in UNDERTAKING_EXCLUDED or verb.tag_ != "VB" or _is_negated(verb):
        return
    if not any(c.dep_ == "aux" and c.lower_ in {"will", "shall"} for c in verb.children):
        return
    subject = _subject(verb)
    if subject is None or subject._.mention != ORG:
        return  # "the government" in a lower-case aside is too often someone's opinion
    actor = _government_actor(subject, people)
    if actor is None:
        return
    reform = _text_after(sentence, verb.idx)
    if (made := _announcement(document, sentence, "will_do", actor, reform, False)) is not None:
        yield made


def _promises(verb: Token) -> bool:
    """A clause of what the speaker will do or has given: "(it) would publish ...",
    "£20m had been set aside for a new programme"."""
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ in {"aux", "auxpass"}}
    subjects = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
    if auxiliaries & {"will", "would", "'ll"} and any(
        subject.lower_ in {"it", "they", "we", "government"} for subject in subjects
    ):
        return True
    # money made available: "up to £20m had been set aside", "£5m will be given"
    return bool(auxiliaries & {"been", "be"}) and any(
        token.ent_type_ == "MONEY" or token.text == "£"
        for subject in subjects
        for token in subject.subtree
    )


def _announced(
    document: Document,
    sentence: Span,
    verb: Token,
    rule: VerbRule,
    people: dict[str, str],
    speaker: str | None = None,
    within: int | None = None,
) -> Iterator[Announcement]:
    """`within`: where the quotation a speaker's verb stands in ends; what was announced
    lies inside it ("'... the reforms we promised,' Jane Doe said" promised no Jane Doe)."""
    if verb.lower_ in {"set", "sets"} and not (
        verb.i + 1 < sentence.end and verb.nbor().lower_ in {"out", "aside"}
    ):
        return  # "set out" a plan, "set aside" money; not "set" alone
    aside = verb.lower_ in {"set", "sets"} and verb.nbor().lower_ == "aside"
    if aside and not _money_set_aside(verb):
        return  # "set aside time to ...", "set aside plans to cut the £5m fund": no funding
    if _is_hedged(verb):
        return
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        # "the £20m fund announced by the education secretary last week"
        actors = [_government_actor(agent, people) for agent in _agents(verb)]
        named = verb.head
        reform = doc_text(sentence.doc)[named.left_edge.idx : verb.idx].strip(" ,")
        reform = re.sub(r"^(?:the|a|an)\s+", "", reform, flags=re.I)
        if len(reform.split()) < 3 and not money_amounts(reform) and named.lower_ not in ORDERS:
            return  # "radical reforms announced today": too little to name a reform
        if named.lower_ in ORDERS and _dated_in_a_past_year(verb):
            return  # "remains under a direction issued in 2019": in force, not announced
        for actor in actors:
            if actor and (
                made := _announcement(
                    document, sentence, f"{rule.name}_participle", actor, reform, False
                )
            ):
                yield made
        return
    if _is_passive(verb):
        actors = [_government_actor(agent, people) for agent in _agents(verb)]
        subject = _subject(verb)
        if subject is None or subject._.mention in {PERSON, POST} or subject.lower_ in PEOPLE_NOUNS:
            return  # "The person tasked with ... has been revealed": an appointment
        implied = False
        if not actors:
            # "The new scheme has been launched" / "the Government's strategy, which was
            # unveiled in February": the owner, else government, launched it.
            if subject.lower_ not in LAUNCHED_THINGS or rule.name != "announces":
                return
            owner = next((c for c in subject.children if c.dep_ == "poss"), None)
            actors = [_government_actor(owner, people) if owner is not None else None]
            if actors[0] is None:
                actors, implied = [GOVERNMENT], True
        reform = _text_after(sentence, subject.left_edge.idx)
        reform_end = verb.idx if subject.i < verb.i else subject.idx + len(subject.text)
        reform = reform[: max(0, reform_end - subject.left_edge.idx)].strip()
        reform = re.sub(r"\s+(?:has|have|had|was|were|is|are|will)(?:\s+been|\s+be)?$", "", reform)
        reform = re.sub(r"^(?:the|a|an)\s+", "", reform, flags=re.I)
        rule_name = f"{rule.name}_passive" + ("_implied" if implied else "")
        for actor in actors:
            if actor and (
                made := _announcement(document, sentence, rule_name, actor, reform, implied)
            ):
                yield made
        return
    subject = _subject(verb)
    if subject is None:
        return
    actor = speaker or _government_actor(subject, people)
    if actor is None:
        return
    if rule.name == "appoints" and any(
        child._.mention == PERSON for child in verb.children if child.dep_ == "dobj"
    ):
        return  # a person appointed is a post, read by the posts family
    start = verb.idx + len(verb.text)
    if verb.lower_ in {"set", "sets"}:
        start = verb.nbor().idx + len(verb.nbor().text)
    if rule.name == "says_it_will":
        promised = next((c for c in verb.children if c.dep_ == "ccomp" and _promises(c)), None)
        if promised is None:
            return
        start = promised.left_edge.idx
    reform = _text_after(sentence, start, within)
    rule_name = rule.name
    if rule.name == "invests" and not money_amounts(reform) and not _invests_in_a_thing(verb):
        return  # "we're investing more to ensure ...": how much, not in what
    if speaker is not None:
        # "We have announced today that ...", "We are investing in ...": in a quotation the
        # words before the verb are the speaker's name, never what was announced.
        reform = re.sub(r"^(?:today|yesterday)\s+|^in\s+(?=\w)", "", reform)
        if not reform or CIRCUMSTANCE.match(reform):
            return
    if not reform or CIRCUMSTANCE.match(reform):
        # "Councils will share £6m, the minister announced during a visit": the words first.
        told = _said_before(sentence, verb)
        if told is None:
            return
        reform, rule_name = told, f"{rule.name}_told_before"
    reform = re.sub(r"^(?:that|today|yesterday|also|now|plans\s+for|plans\s+to)\s+", "", reform)
    reform = re.sub(
        r"^(?:it|they|we|the\s+government)\s+(?:will|would|is\s+to|plans\s+to)\s+",
        "",
        reform,
        flags=re.I,
    )
    if (made := _announcement(document, sentence, rule_name, actor, reform, False)) is not None:
        yield made


def _money_set_aside(verb: Token) -> bool:
    """Whether what is set aside is money: "set aside £5m for ...", not "set aside plans to
    cut the £5m fund" (shelved) or "set aside concerns about the £1bn cost"."""
    thing = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if thing is None:
        return False
    # The object and the words before it ("£5m"), not the clause after ("plans to cut £5m").
    return bool(money_amounts(thing.doc[thing.left_edge.i : thing.i + 1].text))


def _invests_in_a_thing(verb: Token) -> bool:
    """ "investing in family hubs", "increased the allowance": a thing, not "more"."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ in {"NOUN", "PROPN"}:
            return True
        if child.dep_ == "prep" and child.lower_ == "in":
            return True
    return False


# What follows a verb that says when or where, not what: "announced during a visit".
CIRCUMSTANCE = re.compile(
    r"^(?:during|at|on|in|at|yesterday|today|last|this|earlier|while|when|after)\b", re.I
)


def _said_before(sentence: Span, verb: Token, most_between: int = 6) -> str | None:
    """The words before ", the minister announced" or ", the report says": the sentence's own
    clause, when only the speaker and its auxiliaries stand between the comma and the verb."""
    before = doc_text(sentence.doc)[sentence.start_char : verb.idx]
    cut = before.rfind(",")
    if cut <= 0 or len(before[cut + 1 :].split()) > most_between:
        return None
    told = " ".join(before[:cut].split()).strip(" ‘’“”'\"")
    return told if len(told.split()) >= 4 else None


def _received(document: Document, sentence: Span, verb: Token) -> Iterator[Announcement]:
    """ "Councils are to receive £2m to ...": funding from government, which goes unnamed."""
    if not any(ent.label_ == "MONEY" for ent in entities_in(sentence) if ent.start > verb.i):
        return
    subject = _subject(verb)
    if subject is None or not (
        subject.lower_ in {"councils", "authorities", "council"} or subject._.mention == ORG
    ):
        return
    recipient = _text_after(sentence, subject.left_edge.idx)
    recipient = recipient[: max(0, subject.idx + len(subject.text) - subject.left_edge.idx)]
    given = _text_after(sentence, verb.idx + len(verb.text))
    reform = f"{given} for {recipient}".strip()
    if (
        made := _announcement(document, sentence, "receives_funding", GOVERNMENT, reform, True)
    ) is not None:
        yield made


# ---------------------------------------------------------------- recommendations


REPORT_WORDS = frozenset(
    "report reports review analysis study research paper briefing inquiry findings survey".split()
)


def _publisher_name(token: Token) -> str | None:
    """A body that can publish: named in full, or an acronym ("NCB")."""
    if token._.mention != ORG:
        return None
    text = organisation_text(token)
    if text.lower() in REFERRING_TO_BODY:
        return _body_named_before(token)
    if text.lower() in COLLECTIVE_NAMES:
        return None  # "an inquiry by MPs and peers": who, not which body
    if len(text.split()) > 1 or text[:1].isupper():
        return text
    return None


# Names of many people, not of one publishing body.
COLLECTIVE_NAMES = frozenset({"mps", "peers", "ministers", "government", "councils", "parliament"})


REFERRING_TO_BODY = frozenset({"charity", "committee", "panel", "commission", "council"})


def _titled_body(doc: Doc, head: str) -> str | None:
    """ "the review" → "Independent Review of Child Protection Thresholds", the titled
    review the story names (a capitalised noun phrase headed by that word)."""
    if head not in {"review", "inquiry", "commission", "panel", "committee", "taskforce"}:
        return None
    for token in doc:
        words = token.text.split()
        if token._.mention == ORG and len(words) >= 3 and head.capitalize() in words:
            return organisation_text(token)
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if t.lower_ not in {"the", "a", "an"}]
        if not words or words[0].text[:1].islower():
            continue
        capitals = [t for t in words if t.text[:1].isupper()]
        if chunk.root.lower_ != head or not capitals:
            continue
        # The title runs on through "of ..." to the first comma or lower-case word.
        end = chunk.root.i
        for token in doc[chunk.root.i + 1 : chunk.root.sent.end]:
            if token.is_punct or not (
                token.text[:1].isupper() or token.lower_ in {"of", "into", "on", "and", "for"}
            ):
                break
            end = token.i
        title = doc[words[0].i : end + 1].text
        if sum(word[:1].isupper() for word in title.split()) >= 3:
            return title
    return None


def _body_named_before(token: Token) -> str | None:
    """ "the charity's analysis": the body the story introduced as a charity, else the last
    body it named that is not government (government is who reports address)."""
    earlier = [t for t in token.doc[: token.i] if t._.mention == ORG and t.text[:1].isupper()]
    kind = token.lower_
    for body in reversed(earlier):
        if body.i > 0 and body.doc[body.i - 1].lower_ == kind:
            return organisation_text(body)
    gazetteer = load_gazetteer()
    for body in reversed(earlier):
        name = organisation_text(body)
        known = gazetteer.entity(name)
        if known and (known.category in GOVERNMENT_CATEGORIES or known.label == GOVERNMENT):
            continue
        return name
    return None


def _report_publisher(doc: Doc) -> str | None:
    """The body whose report the story is about, by the surest sign first: "X's report",
    "a report by/from X", "X has published a report", "In a new report, X warns", a body
    beside the word "report", else a committee or panel the story names."""
    report_words = [t for t in doc if t.lower_ in REPORT_WORDS]
    for word in report_words:
        for child in word.children:
            if child.dep_ == "poss" and (name := _publisher_name(child)):
                return name
            # "In its interim report, the review recommends ...": the titled review;
            # "Its report, X, found ...": the body the sentence before named.
            if child.dep_ == "poss" and child.lower_ in {"its", "their"}:
                subject = next(
                    (t for t in word.sent if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT"),
                    None,
                )
                if subject is not None and (titled := _titled_body(doc, subject.lower_)):
                    return titled
                if name := _body_named_before(child):
                    return name
            if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
                for body in child.children:
                    if body.dep_ == "pobj" and (name := _publisher_name(body)):
                        return name
        for participle in (c for c in word.children if c.dep_ == "acl"):
            # "a report published today by X"
            if participle.lower_ in PUBLISHING_VERBS | {"commissioned", "written"}:
                for agent in (c for c in participle.children if c.dep_ == "agent"):
                    for body in agent.children:
                        if name := _publisher_name(body):
                            return name
        if word.dep_ in {"dobj", "nsubjpass"} and word.head.lower_ in PUBLISHING_VERBS:
            subject = next((c for c in word.head.children if c.dep_ == "nsubj"), None)
            agent = next((c for c in word.head.children if c.dep_ == "agent"), None)
            for candidate in (subject, *(agent.children if agent is not None else ())):
                if candidate is not None and (name := _publisher_name(candidate)):
                    return name
    for word in report_words:
        subject = next(
            (t for t in word.sent if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT"), None
        )
        if subject is not None and (name := _publisher_name(subject)):
            return name
    for word in report_words:
        sentence = word.sent
        window = doc[max(sentence.start, word.i - 4) : min(sentence.end, word.i + 4)]
        for other in window:
            if name := _publisher_name(other):
                return name
    for token in doc:
        words = token.text.split()
        if token._.mention == ORG and len(words) > 1 and words[-1].lower() in REPORT_BODY_HEADS:
            return organisation_text(token)
    # "the All Party Parliamentary Group on Kinship Care": a body that reports, by its head.
    for token in doc:
        words = {word.lower() for word in token.text.split()}
        if token._.mention == ORG and len(words) >= 3 and words & (REPORT_BODY_HEADS | {"group"}):
            return organisation_text(token)
    return None


PUBLISHING_VERBS = frozenset(
    "published publishes publish released releases launched launches produced".split()
)


def _speaks_for_report(subject: Token, sentence: Span) -> bool:
    if subject.lower_ in REPORT_SUBJECTS:
        return True
    if subject.lower_ in {"she", "he"}:
        # "She recommends that ...": the review's author, in a story about the review.
        return True
    if subject._.mention == ORG:
        return organisation_text(subject).split()[-1].lower() in REPORT_BODY_HEADS
    if subject._.mention == PERSON:
        # "Committee chair Jane Doe called on ...": the chair speaks for the committee.
        # The post may hold the body's word itself: "Committee chair" is one post, but
        # "safeguarding committee chair" is another committee's, and a former chair speaks
        # for no one.
        before = sentence.doc[max(sentence.start, subject.i - 3) : subject.i]
        if any(t.lower_ in {"former", "ex", "then"} or "former" in t.lower_ for t in before):
            return False
        chairs = [t for t in before if t._.mention == POST and "chair" in t.lower_]
        return any(set(t.lower_.split()) <= COMMITTEE_CHAIR for t in chairs) or (
            bool(chairs) and any(t._.mention == ORG or t.lower_ == "committee" for t in before)
        )
    return False


def _policies(clause: str, sentence: Span) -> list[str]:
    """One policy per coordinated verb: "the Government to help X and make Y"."""
    verbs = {
        token.text
        for token in sentence
        if (token.tag_ == "VB" or (token.pos_ == "VERB" and token.dep_ == "conj"))
        and token.i > sentence.start
        and token.nbor(-1).lower_ == "and"
    }
    pieces = re.split(r",?\s+and\s+that\s+", clause)
    if verbs:
        alternatives = "|".join(re.escape(verb) for verb in sorted(verbs))
        pieces = [
            part
            for piece in pieces
            for part in re.split(rf",?\s+and\s+(?=(?:{alternatives})\b)", piece)
        ]
    return [piece.strip(" ,") for piece in pieces if len(piece.split()) >= 3]


def recommendations(document: Document) -> Iterator[Recommendation]:
    doc = document.mentions
    publisher = _report_publisher(doc)
    quoted = quoted_ranges(doc_text(doc))
    for sentence in doc.sents:
        for verb in sentence:
            if _inside(verb.idx, quoted) or verb.pos_ not in {"VERB", "AUX"}:
                continue  # "demand for care" is a noun; "demand that" is the verb
            word = verb.lower_
            rule = next(
                (
                    r
                    for r in RECOMMEND_RULES
                    if word in r.verbs
                    and (
                        r.particle is None
                        or (verb.i + 1 < sentence.end and verb.nbor().lower_ == r.particle)
                    )
                ),
                None,
            )
            if rule is None or _is_negated(verb):
                continue

            def speaks(subject: Token | None, sentence: Span = sentence) -> bool:
                return subject is not None and (
                    _speaks_for_report(subject, sentence)
                    or _speaks_as_publisher(subject, publisher)
                )

            subject = _subject(verb)
            if not speaks(subject) and verb.dep_ == "conj":
                subject = _sentence_subject(sentence)
            if not speaks(subject):
                continue
            start = verb.idx + len(verb.text)
            if rule.particle:
                start = verb.nbor().idx + len(verb.nbor().text)
            after = _text_after(sentence, start)
            if (
                rule.name == "says_should"
                and not OBLIGATION.search(after)
                and (told := _told_before(sentence, verb))
            ):
                # "Councils need £3bn more, the committee has warned." The words come first.
                provenance = _provenance(document, sentence, RECOMMEND_EXTRACTOR, "told_before")
                for policy in _policies(told, sentence):
                    yield Recommendation(None, publisher, policy, provenance)
                break
            clause = _text_after(sentence, start)
            clause = re.sub(r"^(?:that|for|on)\s+", "", clause)
            if rule.name == "says_should" and not OBLIGATION.search(clause):
                continue
            if sentence.text.rstrip().endswith(":") or not clause:
                break  # a list follows: read by `listed_recommendations`
            provenance = _provenance(document, sentence, RECOMMEND_EXTRACTOR, rule.name)
            for policy in _policies(clause, sentence):
                yield Recommendation(None, publisher, policy, provenance)
            break
    yield from listed_recommendations(document, publisher)


NEEDS = re.compile(r"\b(?:should|must|needs?|ought\s+to|has\s+to|have\s+to)\b", re.I)


def _told_before(sentence: Span, verb: Token) -> str | None:
    """What a report says should be done, before its verb: "X must change, the report says."."""
    told = _said_before(sentence, verb, most_between=7)
    return told if told is not None and NEEDS.search(told) else None


def _speaks_as_publisher(subject: Token, publisher: str | None) -> bool:
    """ "Solace said ..." in a story about the report of the Society of Local Authority
    Chief Executives (Solace): the publisher speaks."""
    if publisher is None or subject._.mention != ORG:
        return False
    name = organisation_text(subject)
    if name_key(name) == name_key(publisher):
        return True
    initials = "".join(word[0] for word in publisher.split() if word[:1].isupper())
    if name.isupper() and len(name) >= 2 and initials.startswith(name):
        return True  # "the APPG" for the All Party Parliamentary Group on Kinship Care
    defined = re.search(rf"{re.escape(publisher)}\s*\(([A-Za-z]+)\)", doc_text(subject.doc))
    return bool(defined and defined.group(1).lower() == name.lower())


BULLET_ITEM = re.compile(
    r"^\s*(?:[-•*–·▪]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(?P<item>\S.*?)[;,.]?(?:\s+and)?\s*$"
)
# "Recommendation 3: Strengthen the local partnerships." A list that needs no introduction.
NUMBERED_RECOMMENDATION = re.compile(
    r"^\s*Recommendation\s+\d{1,2}\s*[:.–—-]\s*(?P<item>\S.*?)[.;]?\s*$", re.I
)
LIST_INTRO = re.compile(
    r"\b(?:recommend\w*|calls?\s+(?:for|on)|urges?|proposals?|should|must)\b[^:]*:\s*$", re.I
)


def listed_recommendations(document: Document, publisher: str | None) -> Iterator[Recommendation]:
    """ "The report makes these recommendations:" and the bulleted or numbered lines after it."""
    story = document.article.story
    offset = 0
    listing = False
    for line in story.split("\n"):
        start, offset = offset, offset + len(line) + 1
        item = BULLET_ITEM.match(line)
        numbered = NUMBERED_RECOMMENDATION.match(line)
        if (listing and item) or numbered:
            item = item if listing and item else numbered
            provenance = Provenance(
                document.article.id,
                line.strip(),
                start,
                start + len(line),
                "story",
                RECOMMEND_EXTRACTOR,
                "listed",
            )
            text = item["item"].strip()
            if len(text.split()) >= 3:
                yield Recommendation(None, publisher, text, provenance)
            continue
        listing = bool(LIST_INTRO.search(line)) and (
            any(word in line.lower() for word in REPORT_WORDS | REPORT_SUBJECTS)
        )


REPORT_TITLE_WORDS = frozenset({"review", "report", "inquiry", "study", "strategy"})


def report_title(document: Document) -> str | None:
    """A report the story names as published: "The National Review into X has been
    published", "X Report published today"."""
    doc = document.doc
    for token in doc:
        if token.lower_ not in {"published", "publishes", "publish", "released", "launched"}:
            continue
        for subject in (c for c in token.children if c.dep_ in SUBJECT_DEPS):
            words = [t for t in subject.subtree if not t.is_punct]
            text = " ".join(t.text for t in words)
            capitals = [t for t in words if t.text[:1].isupper()]
            if (
                any(t.lower_ in REPORT_TITLE_WORDS and t.text[:1].isupper() for t in words)
                and len(capitals) >= 2
            ):
                return re.sub(r"^(?:The|A|An)\s+", "", text)
    return None


def same_sentence(a: Provenance, b: Provenance) -> bool:
    return a.article_id == b.article_id and a.start < b.end and b.start < a.end
