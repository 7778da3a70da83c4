"""Typed mentions over a parsed story: people, organisations and posts as single tokens.

Relation rules read sentences as short sequences such as `PERSON , POST of ORG`. This
module finds those mentions in a spaCy `Doc` — people and organisations from the
statistical entities and the reference-data ruler, organisations no list knows from
capitalised names with an organisation's head noun ("... Review Panel", "... Trust"),
posts from the head nouns in `kg/data/role_words.txt` and the words that modify them —
and returns a copy of the `Doc` in which each mention is merged into one token whose
`._.mention` says what it is. Relation rules are then plain `Matcher` patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.patterns import DESCRIBED_AS, NOT_FIRST_NAMES, ORG_HEAD_WORDS
from kg.gazetteer import load_gazetteer, word_list
from kg.nlp import doc_entities, entities_in

PERSON, ORG, POST = "PERSON", "ORG", "POST"
ROMAN_NUMERALS = frozenset("I II III IV V VI VII VIII IX X".split())
# Lower-case words that refer back to a body named before: "the trust", "the committee".
REFERRING_HEADS = frozenset(
    "trust panel committee council board charity network association agency department "
    "regulator watchdog inspectorate authority commission group union organisation".split()
)

if not Token.has_extension("mention"):
    Token.set_extension("mention", default="")

HONORIFIC_WORDS = frozenset(
    "cllr councillor mr mrs ms miss mx dr sir dame lord lady baroness baron professor prof "
    "rt hon revd rev".split()
)
# Heads of organisation names: "... Review Panel", "... Task Group" (kg/data).
ORGANISATION_HEADS = ORG_HEAD_WORDS | word_list("organisation_heads")
# Words inside an organisation's name that are not capitalised.
NAME_CONNECTORS = frozenset("of for and on in & the to 's ’s ' at".split())
# Words that may stand before a post's head noun in its title: "interim", "assistant".
POST_MODIFIERS = word_list("post_modifiers")
FORMER_WORDS = frozenset("former ex- ex outgoing erstwhile previous late then".split())
# Heads that name a post only with a complement or a modifier: "member" alone is not a post.
WEAK_HEADS = frozenset("member partner fellow head lead chief executive principal".split())


@cache
def role_heads() -> frozenset[str]:
    return load_gazetteer().role_words


def _is_role_head(token: Token) -> bool:
    word = token.lower_
    if token.ent_type_ in {PERSON, ORG} and token.ent_id_:
        return False
    heads = role_heads()
    return word in heads or word.split("-")[-1] in heads


def _is_name_word(token: Token) -> bool:
    text = token.text
    return bool(text[:1].isupper() and (text[1:].islower() or text.isupper() or "'" in text))


def _strip_leading(span: Span) -> Span:
    """ "the LGA", "Former Kent County Council" (a former post's body): the name alone."""
    while len(span) and span[0].lower_ in LEADING_NOT_NAME:
        span = span[1:]
    return span


LEADING_NOT_NAME = (
    frozenset({"the", "a", "an", "former", "ex", "outgoing", "then"}) | HONORIFIC_WORDS
) - {"lord"}


def known_organisation(span: Span) -> str | None:
    """The canonical name of a known body or council the span names, if any."""
    text = span.text
    gazetteer = load_gazetteer()
    if known := gazetteer.entity(text):
        return known.label
    if council := gazetteer.council(text):
        return council.official_name
    return None


def is_organisation_name(span: Span) -> bool:
    """A known body, a council place, an acronym, or a capitalised name with a body's head."""
    span = _strip_leading(span)
    if not len(span):
        return False
    text = span.text
    if known_organisation(span):
        return True
    if len(span) == 1:
        # A lone "Committee" or "Trust" is a reference back, resolved by the rules; "DCS"
        # is a post.
        return (
            text.isupper()
            and 2 <= len(text) <= 8
            and text not in ROMAN_NUMERALS
            and not _is_role_head(span[0])
        )
    if any(_is_role_head(token) for token in span):
        return False
    # "Nationwide Association of Fostering Providers": a body's head, then what it is of.
    for token in span[:-1]:
        if token.lower_ in ORGANISATION_HEADS | {"review", "inquiry"} and token.nbor().lower_ in {
            "of",
            "for",
            "on",
            "into",
        }:
            return span[0].text[:1].isupper()
    last = span[-1].lower_
    if last in {"'s", "’s"} and len(span) > 1:
        last = span[-2].lower_
    return last in ORGANISATION_HEADS and span[0].text[:1].isupper()


def _capitalised_runs(sentence: Span) -> Iterator[Span]:
    """Runs of capitalised words joined by connectors: "Child Safeguarding Practice Review Panel"."""
    doc = sentence.doc
    i = sentence.start
    while i < sentence.end:
        if not _is_name_word(doc[i]):
            i += 1
            continue
        j = i + 1
        last_name = i
        while j < sentence.end:
            token = doc[j]
            # A run ends where a date or a person begins: "the Department for Education on
            # Monday", "the Northfield Care Network Tom Okafor".
            if token.ent_type_ in {"DATE", "TIME"} or (
                token.ent_iob_ == "B" and token.ent_type_ == PERSON
            ):
                break
            if _is_name_word(token) or token.text in {"'s", "’s"}:
                if _is_name_word(token):
                    last_name = j
                j += 1
            elif token.lower_ in NAME_CONNECTORS and j + 1 < sentence.end:
                j += 1
            else:
                break
        yield doc[i : last_name + 1]
        i = j if j > i else i + 1


def _alone_in_entity(token: Token) -> bool:
    """A one-word entity (the model's "Hampshire" as a PERSON, say)."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.ent_iob_ == "B" and (following is None or following.ent_iob_ != "I")


def _body_before_name(span: Span) -> Span | None:
    """ "the Northfield Care Network Tom Okafor": a body's name runs into a person's; the
    body ends at its last head noun."""
    heads = [t.i for t in span[:-1] if t.lower_ in ORGANISATION_HEADS]
    if not heads:
        return None
    body = _strip_leading(span.doc[span.start : heads[-1] + 1])
    after = span.doc[heads[-1] + 1]
    if len(body) < 2 or not _is_name_word(after) or after.lower_ in NAME_CONNECTORS:
        return None
    return body if is_organisation_name(body) else None


def _organisation_spans(sentence: Span) -> list[Span]:
    doc = sentence.doc
    found: list[Span] = []
    for ent in entities_in(sentence):
        if ent.label_ == ORG and (ent.ent_id_ or is_organisation_name(ent)):
            if not ent.ent_id_:
                # "the Anytown Review of Family Court Delays": the model stopped a word short.
                end = ent.end
                while (
                    end < sentence.end
                    and _is_name_word(doc[end])
                    and not doc[end].ent_type_
                    and not _is_role_head(doc[end])
                ):
                    end += 1
                ent = doc[ent.start : end]
            found.append(_strip_leading(ent) if not ent.ent_id_ else ent)
        elif ent.label_ in {"GPE", "ORG", "LOC", "NORP", "PERSON"}:
            bare = _strip_leading(ent)
            if len(bare) and load_gazetteer().council_by_place(bare.text) and ent.label_ != PERSON:
                found.append(bare)
    for run in _capitalised_runs(sentence):
        # A run holding a post ("Corporate Director for Children and Families") is cut at
        # the post: what follows "of"/"at" may still be a body ("Chair of the X Board").
        for piece in _split_at_posts(run):
            for part in _split_at_and(piece):
                if len(part) and is_organisation_name(part):
                    found.append(_strip_leading(part))
                elif len(part) and (named := _body_before_name(part)) is not None:
                    found.append(named)
    # "the charity Kinship", "think tank Demos": a body no list knows, named by its kind.
    for token in sentence:
        if token.lower_ in DESCRIBED_AS and token.is_lower and token.i + 1 < sentence.end:
            after = doc[token.i + 1]
            if (
                _is_name_word(after)
                and after.ent_type_ not in {"PERSON", "DATE"}
                and not _is_role_head(after)
            ):
                end = after.i + 1
                while end < sentence.end and _is_name_word(doc[end]):
                    end += 1
                found.append(doc[after.i : end])
    # "Kent chief executive", "West Sussex's director": a council by its place, before a post.
    for token in sentence:
        if (
            token.pos_ == "PROPN"
            and token.i + 1 < sentence.end
            and (_is_role_head(doc[token.i + 1]) or doc[token.i + 1].lower_ in POST_MODIFIERS)
        ):
            for start in (token.i - 1, token.i):
                place = doc[start : token.i + 1]
                if (
                    start >= sentence.start
                    and _is_name_word(doc[start])
                    and load_gazetteer().council_by_place(place.text)
                ):
                    found.append(place)
                    break
    # "DCS for Barnsley", "director at Kent": a council by its place after a preposition.
    for token in sentence:
        if (
            token.pos_ == "PROPN"
            and (not token.ent_type_ or _alone_in_entity(token))
            and token.i > sentence.start
            and doc[token.i - 1].lower_ in {"for", "at", "of"}
            and (token.i + 1 >= sentence.end or not _is_name_word(doc[token.i + 1]))
            and load_gazetteer().council_by_place(token.text)
        ):
            found.append(doc[token.i : token.i + 1])
    # "Keystone's chief executive": whoever owns a post is a body.
    for token in sentence:
        if (
            token.pos_ == "PROPN"
            and _is_name_word(token)
            and token.ent_type_ not in {"PERSON", "GPE", "DATE"}
            and token.i + 2 < sentence.end
            and doc[token.i + 1].text in {"'s", "’s"}
            and token.lower_ not in FIELD_WORDS | NOT_NAME_WORDS
            and any(_is_role_head(t) for t in doc[token.i + 2 : token.i + 5])
            and (token.i == sentence.start or not _is_name_word(doc[token.i - 1]))
            and not _is_role_head(token)
        ):
            found.append(doc[token.i : token.i + 1])
    # "Slough children's services trust": a place's body written in lower case.
    for token in sentence:
        if token.lower_ not in {"trust", "partnership", "board", "panel", "commission"}:
            continue
        start = token.i
        while start - 1 >= sentence.start and (
            (doc[start - 1].is_lower and doc[start - 1].pos_ in {"NOUN", "ADJ", "PART"})
            or doc[start - 1].text in {"'s", "’s"}
        ):
            start -= 1
        place = doc[start - 1] if start - 1 >= sentence.start else None
        if (
            place is not None
            and start < token.i
            and _is_name_word(place)
            and load_gazetteer().council_by_place(place.text)
        ):
            found.append(doc[place.i : token.i + 1])
    # "the trust", "the committee": a body named before; the rules find which.
    for token in sentence:
        if (
            token.lower_ in REFERRING_HEADS
            and token.is_lower
            and token.i > sentence.start
            and (token.i + 1 >= sentence.end or doc[token.i + 1].lower_ not in {"of", "for"})
        ):
            before = doc[token.i - 1]
            if before.lower_ in {"the", "its", "their"}:
                found.append(doc[token.i : token.i + 1])
            elif (
                before.lower_ in {"city", "county", "borough", "district"}
                and token.i - 2 >= sentence.start
                and doc[token.i - 2].lower_ in {"the", "its", "their"}
            ):
                found.append(doc[token.i - 1 : token.i + 1])
    # A possessive body and its board: "the LGA's Children and Young People Board".
    joined = []
    spans = sorted(filter_spans(found), key=lambda span: span.start)
    for span in spans:
        if (
            joined
            and span.start - joined[-1].end == 1
            and doc[joined[-1].end].text in {"'s", "’s"}
            and span[-1].lower_ in {"board", "committee", "group", "panel", "forum", "team"}
        ):
            joined[-1] = doc[joined[-1].start : span.end]
        else:
            joined.append(span)
    return joined


def _split_at_and(piece: Span) -> list[Span]:
    """ "Home Office and the Department for Education" is two bodies; "Adolescent and
    Children's Trust" is one: split at "and" only where a side is a body by itself."""
    for token in piece:
        if token.lower_ in {"and", "&"} and piece.start < token.i < piece.end - 1:
            left = _trim(piece.doc[piece.start : token.i])
            right = _trim(piece.doc[token.i + 1 : piece.end])
            if (
                len(left)
                and len(right)
                and (
                    known_organisation(_strip_leading(left))
                    or known_organisation(_strip_leading(right))
                )
            ):
                return [left, *_split_at_and(right)]
    return [piece]


def _split_at_posts(run: Span) -> Iterator[Span]:
    start = run.start
    for token in run:
        if _is_role_head(token) and not known_organisation(run):
            cut = token.i
            # "... Group and Group Chief Executive": the modifier goes with the post.
            if cut - 1 > start and run.doc[cut - 1].lower_ in POST_MODIFIERS:
                cut -= 1
            if cut > start:
                yield _trim(run.doc[start:cut])
            start = token.i + 1
            # skip the post's own complement up to "of/at" + capital: handled by the caller
    if start < run.end:
        yield _trim(run.doc[start : run.end])


def _trim(piece: Span) -> Span:
    while len(piece) and piece[0].lower_ in NAME_CONNECTORS:
        piece = piece[1:]
    while len(piece) and piece[-1].lower_ in NAME_CONNECTORS:
        piece = piece[:-1]
    return piece


def _person_spans(
    sentence: Span, organisations: list[Span], surnames: frozenset[str]
) -> list[Span]:
    taken = {token.i for span in organisations for token in span}
    people = []
    gazetteer = load_gazetteer()
    for ent in entities_in(sentence):
        if ent.label_ != PERSON or any(token.i in taken for token in ent):
            continue
        words = [
            t for t in ent if t.lower_ not in HONORIFIC_WORDS and t.text not in {".", ",", "-"}
        ]
        if not words or any(_is_role_head(t) for t in words):
            continue
        bare = " ".join(t.text for t in words)
        if gazetteer.entity(bare) or gazetteer.council_by_place(bare):
            continue
        if not all(t.text[:1].isupper() for t in words if t.lower_ not in PARTICLES):
            continue
        if any(t.lower_ in NOT_NAME_WORDS for t in words):
            continue
        # "Iain [Anderson]": a first name the model left outside the entity.
        before = ent.start - 1
        if (
            before >= sentence.start
            and ent.doc[before].pos_ == "PROPN"
            and _is_name_word(ent.doc[before])
            and before not in taken
            and ent.doc[before].lower_ not in HONORIFIC_WORDS | NOT_NAME_WORDS
            and not _is_role_head(ent.doc[before])
            and not ent.doc[before].ent_type_
            # "Minister for Children and Families Laila Haddad": the end of a title
            and (before == sentence.start or ent.doc[before - 1].lower_ not in NAME_CONNECTORS)
        ):
            ent = ent.doc[before : ent.end]
        # "Gareth Llewellyn-Price": the model's entity stops at the hyphen.
        end = ent.end
        while (
            end + 1 < sentence.end
            and ent.doc[end].text == "-"
            and not ent.doc[end - 1].whitespace_
            and not ent.doc[end].whitespace_
            and _is_name_word(ent.doc[end + 1])
        ):
            end += 2
        ent = ent.doc[ent.start : end]
        # A surname alone is a person only when the story names that person in full.
        if len(ent) == 1 and ent.text not in surnames:
            continue
        people.append(ent)
    covered = {token.i for span in people for token in span} | taken
    people += _names_beside_posts(sentence, covered)
    covered = {token.i for span in people for token in span} | taken
    for token in sentence:
        if token.text in surnames and token.i not in covered and _is_name_word(token):
            people.append(token.doc[token.i : token.i + 1])
    return people


SPEECH_WORDS = frozenset("said says added told explained warned".split())


def _names_beside_posts(sentence: Span, covered: set[int]) -> list[Span]:
    """Names the model missed ("Priya Mistry, Chief Executive, ..."), taken only where a
    post or a speech verb stands beside them: two or three capitalised words."""
    doc = sentence.doc
    found = []
    i = sentence.start
    while i < sentence.end:
        j = i
        while (
            j < sentence.end
            and j - i < 3
            and j not in covered
            and doc[j].pos_ == "PROPN"
            and _is_name_word(doc[j])
            and not _is_role_head(doc[j])
            and doc[j].lower_ not in HONORIFIC_WORDS
        ):
            j += 1
        if j - i >= 2 and _beside_post(doc, i, j, sentence) and _could_be_name(doc[i:j]):
            found.append(doc[i:j])
            i = j
        else:
            i = max(j, i + 1)
    return found


# Verbs of a career, whose subject is a person: "Priya Mistry will take over as ...".
CAREER_VERBS = frozenset(
    "take takes took join joins joined replace replaces replaced succeed succeeds succeeded "
    "step steps stepped leave leaves left lead leads led become becomes became retire "
    "retires retired appointed named continue continues serve serves served".split()
)


def _beside_post(doc: Doc, start: int, end: int, sentence: Span) -> bool:
    after = doc[end : min(sentence.end, end + 4)]
    if len(after) and after[0].lower_ in SPEECH_WORDS:
        return True
    # "statutory director of children's services Delyth Curtis", "former CEO of Frontline
    # Josh MacAlister": a post, its field or body, then the name.
    for back in range(start - 1, max(sentence.start, start - 7) - 1, -1):
        if doc[back].is_punct:
            break
        if _is_role_head(doc[back]):
            return True
    if len(after) >= 2 and after[0].text == "," and after[1].lower_ == "who":
        return True  # "Clair Davies, who ...": bodies take "which"
    if len(after) >= 2 and after[0].lower_ == "as" and any(_is_role_head(t) for t in after[1:4]):
        return True  # "has appointed Rhiannon Asante as its new chief executive"
    if len(after) >= 2 and after[0].lower_ == "from":
        # "members include Zofia Nowak from the Anytown Trust"
        named = after[2] if after[1].lower_ == "the" and len(after) > 2 else after[1]
        return _is_name_word(named)
    verbs = [t for t in after[:3] if t.pos_ in {"VERB", "AUX"}]
    if verbs and any(t.lower_ in CAREER_VERBS for t in verbs):
        return True
    if len(after) >= 2 and after[0].text in {",", "("} and any(_is_role_head(t) for t in after[1:]):
        return True
    return start - 1 >= sentence.start and _is_role_head(doc[start - 1])


def _could_be_name(span: Span) -> bool:
    gazetteer = load_gazetteer()
    text = span.text
    if gazetteer.entity(text) or gazetteer.council(text) or gazetteer.council_by_place(text):
        return False
    if span[0].lower_ in NOT_FIRST_NAMES:
        return False
    return not any(t.lower_ in NOT_NAME_WORDS or t.lower_ in ORGANISATION_HEADS for t in span)


# Capitalised common nouns the model takes for names: "Foster Carers", "Schools".
NOT_NAME_WORDS = frozenset(
    "schools carers services children families care workers officers members parents "
    "leaders partners managers councils councillors authorities teams people".split()
)


def _surnames(doc: Doc) -> frozenset[str]:
    names = set()
    for ent in doc_entities(doc):
        words = [t for t in ent if t.lower_ not in HONORIFIC_WORDS]
        if (
            ent.label_ == PERSON
            and len(words) >= 2
            and all(_is_name_word(t) for t in words)
            and not any(t.lower_ in NOT_NAME_WORDS for t in words)
        ):
            names.add(words[-1].text)
    return frozenset(names)


PARTICLES = frozenset("de da di du van von der den le la del della bin ibn al".split())


MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


def _extends_post(doc: Doc, i: int, sentence: Span, taken: set[int]) -> bool:
    """Whether the word before a post's first word belongs to the post's title."""
    before = doc[i]
    if i in taken or before.ent_type_ in {"DATE", "CARDINAL", "MONEY"}:
        return False
    if before.lower_ in POST_MODIFIERS or _is_role_head(before):
        return True
    if before.text in {"'s", "’s", "-"}:
        # "children's minister", but not "the LGA's minister" (the LGA is a body)
        owner = doc[i - 1] if i - 1 >= sentence.start else None
        return owner is not None and owner.i not in taken and owner.pos_ in {"NOUN", "PROPN"}
    if before.lower_ == "and":
        # "children and families minister", "Children and Families Minister"
        return (
            i - 1 >= sentence.start
            and doc[i - 1].pos_ in {"NOUN", "PROPN"}
            and doc[i - 1].ent_type_ not in {"PERSON", "GPE", "ORG"}
            and i - 1 not in taken
            and doc[i + 1].pos_ in {"NOUN", "PROPN"}
        )
    if before.pos_ in {"NOUN", "ADJ", "PROPN"} and before.dep_ in MODIFIER_DEPS:
        return True
    # The owner of "'s" is part of the title whatever the parse says: "Children's minister".
    return doc[i + 1].text in {"'s", "’s"} and before.pos_ in {"NOUN", "PROPN"}


# Words that end a post's field: a body ("at", "from"), or a time ("director of X since
# 2019", "head of Y before moving to ...").
FIELD_STOPS = frozenset("at in from with since before after until when while".split())


def _post_spans(sentence: Span, taken: set[int]) -> list[Span]:
    doc = sentence.doc
    posts = []
    for token in sentence:
        if token.i in taken or not _is_role_head(token):
            continue
        start = token.i
        while start - 1 >= sentence.start and _extends_post(doc, start - 1, sentence, taken):
            start -= 1
        while start < token.i and doc[start].text in {"'s", "’s", "-"}:
            start += 1
        end = token.i + 1
        # A second head: "chief executive", "director general", "executive officer".
        while end < sentence.end and doc[end].i not in taken and _is_role_head(doc[end]):
            end += 1
        # A complement that is a field, not a body: "director of children's services",
        # "cabinet member for safeguarding", "minister of state for local government".
        while end + 1 < sentence.end and doc[end].lower_ in {"of", "for"}:
            stop = end + 1
            while stop < sentence.end:
                nxt = doc[stop]
                if nxt.i in taken or nxt.is_punct or nxt.lower_ in FIELD_STOPS:
                    break
                if nxt.pos_ in {"AUX", "PRON", "DET", "NUM"} or (
                    nxt.pos_ == "VERB" and nxt.tag_ != "VBG"
                ):
                    break
                if nxt.lower_ == "the" or nxt.pos_ == "ADV" or _is_role_head(nxt):
                    break  # "DCS for Barnsley and formerly president of ...": a second post
                # A lower-case title takes a lower-case field: "director of children's
                # services Delyth Curtis" ends before the name, "chief executive of
                # Achieving for Children" before the body.
                if token.is_lower and nxt.text[:1].isupper() and nxt.pos_ in {"PROPN", "VERB"}:
                    break
                stop += 1
            if stop == end + 1:
                break
            end = stop
        # "director for people and will join ...": the "and" joins clauses, not fields.
        while end - 1 > token.i and doc[end - 1].lower_ in {"and", "or", "&"}:
            end -= 1
        span = doc[start:end]
        if _is_post(span):
            posts.append(span)
    return filter_spans(posts)


def _is_post(span: Span) -> bool:
    words = [token.lower_ for token in span if not token.is_punct]
    if not words:
        return False
    heads = [w for w in words if w in role_heads() or w.split("-")[-1] in role_heads()]
    if not heads:
        return False
    if len(words) == 1 and words[0] in WEAK_HEADS:
        return False
    return not (len(heads) == len(words) == 1 and words[0] in {"executive", "chief"})


def mentions(doc: Doc) -> Doc:
    """A copy of `doc` with each person, organisation and post merged into one token."""
    merged = doc.copy()
    spans: list[tuple[Span, str]] = []
    surnames = _surnames(merged)
    sentences = list(merged.sents)
    organisations_by_sentence = [_organisation_spans(sentence) for sentence in sentences]
    # A one-word body named once ("the charity Kinfolk") is a body wherever it recurs
    # ("Kinfolk chief executive Jane Doe").
    one_word_bodies = {
        span.text
        for spans_of_sentence in organisations_by_sentence
        for span in spans_of_sentence
        if len(span) == 1 and span.text[:1].isupper() and span[0].lower_ not in REFERRING_HEADS
    }
    for index, (sentence, organisations) in enumerate(
        zip(sentences, organisations_by_sentence, strict=True)
    ):
        taken_by_bodies = {token.i for span in organisations for token in span}
        organisations_by_sentence[index] = organisations + [
            merged[token.i : token.i + 1]
            for token in sentence
            if token.text in one_word_bodies and token.i not in taken_by_bodies
        ]
    # Names found beside posts ("Rhiannon Asante as its new chief executive") give surnames
    # too, so the people are found in two passes.
    found_first = [
        _person_spans(sentence, organisations, surnames)
        for sentence, organisations in zip(sentences, organisations_by_sentence, strict=True)
    ]
    more_surnames = surnames | {
        span[-1].text
        for spans_of_sentence in found_first
        for span in spans_of_sentence
        if len(span) >= 2 and _is_name_word(span[-1])
    }
    for index, (sentence, organisations) in enumerate(
        zip(sentences, organisations_by_sentence, strict=True)
    ):
        people = (
            found_first[index]
            if more_surnames == surnames
            else _person_spans(sentence, organisations, more_surnames)
        )
        taken = {token.i for span in (*organisations, *people) for token in span}
        posts = _post_spans(sentence, taken)
        spans += [(span, ORG) for span in organisations]
        spans += [(span, PERSON) for span in people]
        spans += [(span, POST) for span in posts]
    kinds = {(span.start, span.end): kind for span, kind in spans}
    chosen = filter_spans([span for span, _ in spans])
    with merged.retokenize() as retokenizer:
        for span in chosen:
            retokenizer.merge(span)
    starts = {span.start_char: kinds[(span.start, span.end)] for span in chosen}
    for token in merged:
        if token.idx in starts and len(token.text) > 0:
            kind = starts[token.idx]
            # A one-word span and its merged token share their start; the kind is the span's.
            token._.mention = kind
    return merged


ROLE_CLEAN = re.compile(r"^(?:the|a|an|its|their|his|her)\s+", re.I)


def post_text(token: Token) -> str:
    """A post as the gold standard writes it: lower case, acronyms kept, no article."""
    return post_text_of(token)


def post_text_of(span: Token | Span) -> str:
    words = []
    for word in span.text.replace("’", "'").split():
        words.append(word if word.isupper() and len(word) > 1 else word.lower())
    return ROLE_CLEAN.sub("", " ".join(words)).strip(" ,.;:")


def is_former(token: Token) -> bool:
    return any(word in FORMER_WORDS for word in token.lower_.split())


def person_text(token: Token) -> str:
    words = token.text.split()
    bare = [w for w in words if w.lower().strip(".") not in HONORIFIC_WORDS]
    if len(bare) >= 2:
        return " ".join(bare)
    return " ".join(words)


def organisation_text(token: Token) -> str:
    text = " ".join(token.text.replace("’", "'").split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    if text.endswith("'s") and not load_gazetteer().entity(text):
        text = text[:-2]  # "the Anytown Network's board": the body, not Barnardo's
    words = text.split()
    if len(words) > 1 and words[0][:1].isupper() and words[-1].islower():
        # "Slough children's services trust" names the Slough Children's Services Trust.
        words = [w if w in NAME_CONNECTORS else w[:1].upper() + w[1:] for w in words]
    return " ".join(words)


# Capitalised things that are not bodies: court orders, allowances, posts by acronym.
NOT_BODY_HEADS = frozenset("order orders allowance act bill regulations rules guidance".split())
# First words of the titles of reports and reviews, never of bodies.
TITLE_OPENERS = frozenset(
    "funding review report inquiry investigation consultation strategy plan tackling "
    "improving reforming".split()
)
POST_ACRONYMS = frozenset("DCS DCSs CEO MP MPs DPH DASS DfE's".split())
FIELD_WORDS = frozenset(
    "children children's childrens families family young people social care services service "
    "health education adult adults schools learning safeguarding wellbeing early help and "
    "of for the".split()
)


def body_name(name: str) -> str | None:
    """The body a name found in text stands for, or None if it names no body:
    "Chair of the Children's Workforce Development Council" → the council;
    "Child Arrangements Order", "DCS", "Coventry Children's Services" → None."""
    name = " ".join(name.replace("’", "'").split())
    words = name.split()
    if not words or name in POST_ACRONYMS:
        return None
    heads = role_heads()
    lowered = [word.lower() for word in words]
    # "Chair of the X", "Interim Director of X": a post and its body.
    if any(word in heads for word in lowered[:3]) and "of" in lowered:
        rest = words[lowered.index("of") + 1 :]
        if rest and rest[0].lower() == "the":
            rest = rest[1:]
        return body_name(" ".join(rest)) if rest else None
    if lowered[-1] in NOT_BODY_HEADS or lowered[0] in TITLE_OPENERS:
        return None  # "Funding of Local Authority Children's Services" is a report's title
    if len(words) == 1 and lowered[0] in ORGANISATION_HEADS | REFERRING_HEADS:
        return None  # "Committee": a body named before, which the rules resolve
    gazetteer = load_gazetteer()
    if gazetteer.entity(name) or gazetteer.council(name):
        return name
    # "Coventry Children's Services": a place's department of a field, not a body of its own.
    rest = [word for word in lowered if word.replace("'s", "") not in FIELD_WORDS]
    if (
        len(rest) < len(words)
        and len(rest) <= 1
        and (not rest or gazetteer.council_by_place(rest[0]))
    ):
        return None
    return name
