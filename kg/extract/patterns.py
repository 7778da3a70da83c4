"""Text patterns the story extractors share: people's names, organisation names, posts.

Each is a compiled constant; functions here are pure string work with no article state.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

from kg.gazetteer import load_gazetteer, name_key
from kg.model import MoneyAmount

HONORIFIC = r"(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Baroness|Baron|Professor|Prof|Rt\.?\ Hon\.?|Revd?)\.?"
HONORIFICS = re.compile(rf"^(?:{HONORIFIC}\s+)+", re.VERBOSE)
# Letters of names beyond ASCII: "Gráinne", "Wiśniewski", "Łukasz", "Zielińska".
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
_LOWER = "a-zß-öø-ÿĀ-ſ"
_NAME_WORD = rf"(?:Mac|Mc|O’|O'|D’|D')?[{_UPPER}][{_LOWER}]+(?:[-’'][{_UPPER}][{_LOWER}]+)?"
# "Dame Rachel de Souza", "Ruud van Nistelrooy": lower-case particles inside a surname.
_PARTICLE = r"(?:de|da|di|du|van|von|der|den|le|la|del|della|bin|ibn|al)"
# "Adam Lent", "Cllr Judith Blake", "Josh MacAlister", "Mr Cameron": an optional title, then
# two or three capitalised words, or a title and a surname.
PERSON_NAME = re.compile(
    rf"""(?<![\w’'])
        (?P<person>
            (?:{HONORIFIC}\s+)?{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,2}}
          | {HONORIFIC}\s+{_NAME_WORD}
        )
        (?![\w])""",
    re.VERBOSE,
)
# Capitalised words that start sentences or name things, never a person's first name.
NOT_FIRST_NAMES = frozenset(
    "a an the this that these those it its in on at of for by from with and but or if as "
    "council councils government minister ministers local national children young cllr mr "
    "mrs ms dr education secretary prime chair chairman director chief new senior under "
    "without against during after before while when where which who what how why all some "
    "many most our their his her they we he she there here today yesterday last next every "
    "each both social public private county borough district city london england wales "
    "scotland uk british department ofsted review inquiry report research notes for find "
    "join sign about also however although following according".split()
)
# "New Local Government Network", "All Party Parliamentary Group for Children",
# "Local Government Association's Children and Young People Board", "NLGN".
_ORG_WORD = r"[A-Z](?:[\w’'&-]|\.(?=\w))*"  # "s.151" keeps its dot; "Frontline." loses it
ORG_PHRASE = rf"{_ORG_WORD}(?:\s+(?:(?:of|for|and|on|in|&|the|to)\s+)*{_ORG_WORD})*"
ORG_NAME = re.compile(rf"(?P<org>{ORG_PHRASE})")
# Words before an organisation's name that say what kind of body it is: "the social work
# charity Frontline", "the think tank NLGN". None: a body, but of no particular kind.
DESCRIBED_AS: dict[str, str | None] = {
    "charity": "Charity",
    "think tank": "ThinkTank",
    "think-tank": "ThinkTank",
    "regulator": "Regulator",
    "watchdog": "Regulator",
    "inspectorate": "Regulator",
    "council": "LocalAuthority",
    "authority": "LocalAuthority",
    "department": "GovernmentDepartment",
    "association": "Association",
    "trade union": "Association",
    "union": "Association",
    "body": None,
    "organisation": None,
    "organization": None,
    "group": None,
    "network": None,
    "firm": None,
    "company": None,
    "consultancy": None,
    "researchers": None,
}
# Words that head a board, committee or team inside an organisation.
UNIT_HEADS = frozenset(
    "board boards committee panel forum group team unit directorate commission cabinet".split()
)
SPEECH_VERB = (
    r"(?:said|says|say|added|adds|told|tells|explained|explains|warned|warns|described|"
    r"describes|commented|comments|stated|states|argued|argues|insisted|insists|noted|notes|"
    r"claimed|claims|urged|urges|welcomed|welcomes|admitted|admits|responded|responds|"
    r"continued|continues|announced|announces|revealed|reveals|acknowledged|acknowledges)"
)


def strip_honorifics(name: str) -> str:
    return HONORIFICS.sub("", name).strip()


def looks_like_person(name: str) -> bool:
    """A matched name that is a person's, not "Local Government" or "Essex County Council"."""
    bare = strip_honorifics(name)
    words = bare.split()
    if not words:
        return False
    if len(words) == 1:
        return bare != name  # a surname alone counts only with a title: "Mr Cameron"
    if words[0].lower() in NOT_FIRST_NAMES:
        return False
    gazetteer = load_gazetteer()
    if gazetteer.entity(bare) or gazetteer.council(bare) or gazetteer.council_by_place(bare):
        return False
    return not any(word.lower() in gazetteer.role_words for word in words)


def is_role_word(word: str) -> bool:
    word = word.lower().strip(" ,.;:'’").split("-")[-1]  # "vice-chair", "co-founder"
    words = load_gazetteer().role_words
    return word in words or (word.endswith("s") and word[:-1] in words)


def split_unit(org: str) -> tuple[str, str | None]:
    """ "Local Government Association's Children and Young People Board" → (LGA, the board)."""
    gazetteer = load_gazetteer()
    if gazetteer.entity(org) or gazetteer.council(org):
        return org, None  # "Association of Directors of Children's Services" is one name
    match = re.match(r"^(?P<parent>.+?)['’]s?\s+(?P<unit>.+)$", org)
    if match and match["unit"].split()[-1].lower() in UNIT_HEADS:
        return match["parent"].strip(), match["unit"].strip()
    return org, None


def normalise_role(role: str) -> str:
    """Lower-case a post as written, keeping acronyms: "Senior External Affairs Officer"."""
    words = []
    for word in role.split():
        words.append(word if word.isupper() and len(word) > 1 else word.lower())
    return " ".join(words).strip(" ,.;:")


# "an independent review into children's social care", "An inquiry into local authority run
# children's social care", "an urgent review of Local Safeguarding Children Boards".
REVIEW_MENTION = re.compile(
    r"""\b(?:an?|the|its)\s+
        (?P<name>
          (?:(?:independent|national|urgent|government|major|new|wide-ranging|full|public|
               fundamental|radical|root-and-branch|parliamentary|formal|rapid|serious|case|
               separate|further|wider|cross-party)\s+)*
          (?:review|inquiry|investigation)\s+(?:into|of)\s+
          (?:the\s+)?[^,.;:]+?
        )
        (?=\s+(?:to|which|that|will|is|was|has|following|after|amid|led|by|in|at|as|with|
                  and\s+(?:a|an|the|its|launched|opened|announced|has|have|will))\b|[,.;:]|$)""",
    re.VERBOSE | re.IGNORECASE,
)


def review_named_before(story: str, offset: int) -> str | None:
    """The last review or inquiry the story names before `offset`, for "the review"."""
    ends, names = _review_mentions(story)
    before = bisect.bisect_right(ends, offset)
    return names[before - 1] if before else None


@functools.lru_cache(maxsize=4)
def _review_mentions(story: str) -> tuple[list[int], list[str]]:
    # Found once a story: a story that says "the review" on every line must not be read
    # again from the top for each of them.
    matches = list(REVIEW_MENTION.finditer(story))
    return [match.end() for match in matches], [match["name"] for match in matches]


# "£1.5 billion", "£3.1bn", "£100m", "£2,080": amounts of money in the story.
MONEY = re.compile(
    r"£\s?(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(?P<scale>trillion|tn|billion|bn|million|m|k|thousand)?\b",
    re.IGNORECASE,
)
MONEY_SCALE = {
    "trillion": 1e12,
    "tn": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "million": 1e6,
    "m": 1e6,
    "k": 1e3,
    "thousand": 1e3,
}


def money_amounts(text: str) -> list[MoneyAmount]:
    amounts = []
    for match in MONEY.finditer(text):
        scale = MONEY_SCALE.get((match["scale"] or "").lower(), 1.0)
        pounds = float(match["number"].replace(",", "")) * scale
        amounts.append(MoneyAmount(match.group(0).strip(), pounds))
    return amounts


# A capitalised word that opens a sentence is no evidence of a name.
SENTENCE_OPENERS = frozenset("the a an this that these it its in on at for by from with".split())


def known_organisations_in(phrase: str) -> Iterator[str]:
    """The longest sub-phrases of a capitalised run that are known organisations or councils:
    "Director of the New Local Government Network" → "New Local Government Network"."""
    words = phrase.split()
    start = 0
    while start < len(words):
        for end in range(len(words), start, -1):
            candidate = " ".join(words[start:end])
            if _is_known_organisation(candidate, single=end - start == 1):
                yield candidate
                start = end
                break
        else:
            start += 1


def _is_known_organisation(candidate: str, single: bool) -> bool:
    gazetteer = load_gazetteer()
    bare = re.sub(r"['’]s$", "", candidate)
    if not bare or bare[0].islower() or name_key(bare) in SENTENCE_OPENERS:
        return False
    if gazetteer.entity(bare) or gazetteer.council(bare):
        return True
    # Misspellings are corrected only for single words: phrases have too many neighbours.
    return single and len(bare) >= 5 and gazetteer.closest_entity(bare) is not None


# "The review will be led by Josh MacAlister": who leads a review, inquiry or programme.
LED_BY = re.compile(
    r"""\b(?P<subject>(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+\s+){0,3}?(?P<noun>review|inquiry|commission|taskforce|
            task\ force|programme|panel|investigation|consultation)(?:\s+(?:of|into)\s+[^,.;]+?)?)\s+
        (?:will\s+be|is\s+being|is|was|has\s+been|would\s+be|to\s+be)\s+
        (?P<verb>led|chaired|headed|run)\s+by\s+""",
    re.VERBOSE,
)


# Head nouns of organisation names: "... Network", "... Trust", "... Committee".
ORG_HEAD_WORDS = frozenset(
    "council councils association network agency department office trust foundation society "
    "institute commission board boards partnership alliance federation union centre center "
    "bureau committee group charity authority authorities service services fund".split()
)


def names_an_organisation(name: str) -> bool:
    """A known body or council, an acronym ("CCN"), or a name headed like one ("... Trust")."""
    gazetteer = load_gazetteer()
    bare = re.sub(r"^The\s+|['’]s?$", "", name.strip())
    if not bare:
        return False
    if gazetteer.entity(bare) or gazetteer.council(bare):
        return True
    return (bare.isupper() and 2 <= len(bare) <= 8) or bare.split()[-1].lower() in ORG_HEAD_WORDS


# Who a quotation is given to, right after it closes: "..., ’ said Mr Cameron" / "Ms X said".
SAID_SPEAKER = re.compile(rf"\s*,?\s*{SPEECH_VERB}\s+{PERSON_NAME.pattern}", re.VERBOSE)
SPEAKER_SAID = re.compile(rf"\s*,?\s*{PERSON_NAME.pattern}\s+{SPEECH_VERB}\b", re.VERBOSE)


def speaker_at(text: str, position: int) -> str | None:
    """The person a quotation ending at `position` is attributed to, if the text says so."""
    for pattern in (SAID_SPEAKER, SPEAKER_SAID):
        match = pattern.match(text, position)
        if match and looks_like_person(match["person"]):
            return match["person"]
    return None
