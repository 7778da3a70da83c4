"""Reports, who wrote them, and the policies they recommend.

Reports:
    In a new report, the New Local Government Network (NLGN) warns ...    untitled, publisher
    NLGN has released a flagship report ... – ‘From Tiny Acorns: ...’     titled
    This research was undertaken in association with IMPOWER.             a partner
Recommendations (only in an article about a report, and only in the report's voice):
    It calls on the Government to take ... by focusing on X, and allowing Y.   → X; Y
    The report calls for a new White Paper ... and for the current Ofsted inspection
        framework to be replaced with one designed by the community.         → two policies
    ... recommendations for Government, including: replacing X; a new Y; and defining Z.
    NLGN states that the Government must seize the opportunity to ...
    ‘That strategy must guarantee ...’ (said by someone speaking for the publisher)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.patterns import (
    ORG_NAME,
    ORG_PHRASE,
    SPEECH_VERB,
    known_organisations_in,
    names_an_organisation,
    speaker_at,
)
from kg.gazetteer import clean_name, load_gazetteer, name_key
from kg.model import Article, Provenance, Recommendation, Report, Sentence

EXTRACTOR = "reports"

REPORT_WORD = r"(?:report|study|research|paper|analysis|publication|briefing)"
# "report on children's services – ‘From Tiny Acorns: ...’": a quoted title near the word;
# not a quoted phrase in someone's words ("the analysis showed that it 'pays for itself'").
TITLE_NEAR_REPORT = re.compile(
    rf"\b{REPORT_WORD}\b(?:(?!\bthat\b)[^‘“\n]){{0,80}}?(?:[‘“]|(?<=\s)')(?P<title>(?-i:[A-Z]).{{4,200}}?)[’”'](?![A-Za-z])",
    re.I,
)
# "In a new report, No Place to Call Home, the charity ..." / "The report, X, was published"
TITLE_BETWEEN_COMMAS = re.compile(
    rf"\b{REPORT_WORD},\s+(?P<title>(?-i:[A-Z])(?:(?!\b(?:warns|says|finds|argues|calls|is|are|was|were|has|have|that)\b)[^,;:]){{3,100}}?),\s+"
    r"(?:the|it|its|which|was|is|has|calls|published|warns|says|finds|argues)\b",
    re.I,
)
# "The ADCS today published Safeguarding Pressures Phase 9, its latest research into ..."
TITLE_PUBLISHED = re.compile(
    rf"\b(?:published|released|launched)\s+(?P<title>(?-i:[A-Z])[^,;:]{{3,100}}?),\s+(?:its|their|a)\s+"
    rf"(?:new\s+|latest\s+|annual\s+)*{REPORT_WORD}\b",
    re.I,
)
TITLE_FORMS = (TITLE_NEAR_REPORT, TITLE_BETWEEN_COMMAS, TITLE_PUBLISHED)
# "the charity calls on ...": a body already named, referred to by what it is.
ANAPHOR = re.compile(
    r"\b[Tt]he\s+(?P<kind>charity|think[\s-]tank|network|association|council|body)\b"
)
ANAPHOR_CATEGORY = {
    "charity": "Charity",
    "think tank": "ThinkTank",
    "think-tank": "ThinkTank",
    "network": None,
    "association": "Association",
    "council": "LocalAuthority",
    "body": None,
}
MENTIONS_REPORT = re.compile(rf"\b(?:new|latest|flagship|recent|its|the|a)\s+{REPORT_WORD}\b", re.I)
_WHO = r"(?P<who>(?:the\s+)?[A-Z][\w’'&-]*(?:\s+(?:of|for|and|the|on)?\s*[A-Z][\w’'&-]*)*(?:\s*\([A-Z]+\))?)"
# "a report by X", "X's new report", "X has released a report", "In a new report, X warns".
PUBLISHER_FORMS = (
    re.compile(rf"\b{REPORT_WORD}\s+(?:by|from)\s+(?:the\s+)?(?:[a-z-]+\s+){{0,4}}?{_WHO}"),
    re.compile(rf"{_WHO}['’]s?\s+(?:new\s+|latest\s+|flagship\s+|recent\s+)*{REPORT_WORD}\b"),
    re.compile(
        rf"{_WHO}\s+(?:(?:has|have|today|also)\s+)*(?:released|published|launched|produced|issued)\b[^.]{{0,120}}?{REPORT_WORD}\b"
    ),
    re.compile(rf"\b(?:published|produced|written|commissioned)\s+by\s+(?:the\s+)?{_WHO}"),
    re.compile(
        rf"{_WHO}\s+(?:said|says|warned|warns|found|finds)\s+(?:that\s+)?(?:its|their)\s+(?:new\s+|latest\s+)?{REPORT_WORD}\b"
    ),
    re.compile(rf"\bIn\s+(?:a|its|their)\s+(?:new\s+|latest\s+)?{REPORT_WORD},?\s+{_WHO}"),
    re.compile(rf"{_WHO}\s+{REPORT_WORD}\b"),
)
PARTNERED = re.compile(
    r"\b(?:in\s+association|in\s+partnership|jointly|together|in\s+collaboration)\s+with\s+"
    rf"(?:the\s+)?(?:[a-z-]+\s+){{0,3}}?(?P<org>{ORG_PHRASE})"  # "with the consultancy Newton Europe"
)
CLOSING_MARK = re.compile(r"[’”'\"](?![A-Za-z])")
# Who the report addresses, not who wrote it.
ADDRESSEES = frozenset({"government", "uk government", "ministers", "councils", "chancellor"})
# The report's voice: "It", "The report", "NLGN", "the think tank", "NLGN's latest research".
REPORT_SUBJECT = re.compile(
    rf"^(?:[-•]\s*)?(?:(?:In\s+)?(?:It|They|The\s+(?:full\s+|new\s+)?{REPORT_WORD}|The\s+(?:think[\s-]tank|charity|network|association)|"
    rf"(?:The\s+)?(?P<name>{ORG_PHRASE})(?:['’]s\s+(?:new\s+|latest\s+)?{REPORT_WORD})?"
    rf"(?:\s+think[\s-]tank)?))\b",
)
CALLS_ON = re.compile(
    r"\b(?:calls?|called|calling|urges?|urged|urging)\s+(?:on\s+)?(?:the\s+)?"
    r"(?:Government|government|ministers|councils|the\s+Chancellor|Parliament)\s+to\s+(?P<clause>.+)$"
)
CALLS_FOR = re.compile(r"\b(?:calls?|called|calling)\s+for\s+(?P<clause>.+)$")
INCLUDING_LIST = re.compile(
    r"\brecommendations?\b[^:]{0,80}?\b(?:including|include|includes)\s*:?\s*(?P<list>.+)$", re.I
)
MUST = re.compile(
    rf"\b(?:argues|argued|states|stated|says|said|believes|insists|warns|concludes|{SPEECH_VERB})\s+"
    r"(?:that\s+)?(?:the\s+)?(?:Government|government|ministers)\s*(?:’s|'s)?\s+"
    r"(?:must|should|needs\s+to|ought\s+to|has\s+to)\s+(?P<clause>.+)$"
)
PROPOSES = re.compile(
    r"\b(?:proposes|proposed|recommends|recommended|envisages|envisions)\s+(?P<clause>.+)$"
)
FUTURE_WHERE = re.compile(r"\ba\s+future\b[^–—]*?\b(?:where|in\s+which)\s+(?P<clause>.+)$")
VOICE_MUST = re.compile(
    r"(?:^|[‘“]|:\s+['\"])(?P<subject>(?:[A-Z][\w’']*)(?:\s+[\w’']+){0,3}?)\s+(?:must|should|needs\s+to)\s+"
    r"(?P<clause>(?!be\b|remain\b|become\b|stay\b)\w+.+)$"
)
LIST_SEMICOLON = re.compile(r";\s*(?:and\s+)?")
# Without semicolons, "and" separates items only before a new noun phrase or a gerund.
LIST_AND = re.compile(r",?\s+and\s+(?=(?:a|an|the|new)\b|\w+ing\b)")
PASSIVE_TO_BE = re.compile(r"^(?P<object>.+?)\s+to\s+be\s+(?P<verb>\w+ed)\b\s*(?P<rest>.*)$")
MEANS = re.compile(r"\s+by\s+(?P<means>\w+ing\b.+)$")
# Verbs that open a recommended action: "introduce X and give councils Y" is two policies.
POLICY_VERBS = (
    "abolish|allow|cap|create|cut|develop|end|ensure|establish|expand|extend|fund|give|guarantee|"
    "improve|increase|introduce|invest|make|protect|provide|publish|raise|reduce|reform|remove|"
    "replace|require|restore|review|ring-fence|scrap|set|strengthen|write|bring|build|change"
)
# "by focusing on X, and allowing Y", "to increase X and to cap Y", "X; and Y", "X and give Y"
CONJUNCT = re.compile(
    rf",?\s+and\s+(?=\w+ing\b)|,?\s+and\s+to\s+|;\s*(?:and\s+)?|,?\s+and\s+(?=(?:{POLICY_VERBS})\s)"
)
# A line of a bulleted list: "- a multi-year funding settlement;"
BULLET = re.compile(r"^\s*[-•*–]\s+(?P<item>.+?)[;,.]?(?:\s+and)?\s*$")
# Stems that take back the "e" that "-ing" or "-ed" took off: "replac(ing)" → "replace",
# "tackl(ing)" → "tackle", "rais(ing)" → "raise", "defin(ing)" → "define".
TAKES_E = re.compile(
    r"""(?:[bcdfgkptz]l                  # tackle, enable
         |(?<![aeiou])[aeiou][cdgkszv]   # make, provide, use, replace, engage
         |[aeiou]{2}s                    # raise, increase, release
         |[cv]                           # solve, improve, reduce
         |(?:an|en|ar|ur|er)g            # change, challenge, charge
         |[^aeiou][aiou]n                # define, combine (not strengthen, open)
         |[^aeiou][ao]t                  # locate, promote
         |(?<![aeo])(?:ur|ir)|[^aeiou]ar  # ensure, require, share (not repair, pour)
        )$""",
    re.VERBOSE,
)
KEEPS_BARE = frozenset(
    "focus allow train fund deliver review open commission add visit limit target budget "
    "monitor consider offer".split()
)
IRREGULAR_STEMS = {"creat": "create", "us": "use", "lov": "love"}


@dataclass(frozen=True, slots=True)
class ReportContext:
    title: str | None
    publisher: str | None


def base_form(verb: str) -> str:
    """ "replacing" → "replace", "defining" → "define", "embedding" → "embed"."""
    lower = verb.lower()
    for suffix in ("ing", "ed"):
        if not lower.endswith(suffix) or len(lower) <= len(suffix) + 1:
            continue
        stem = lower[: -len(suffix)]
        if suffix == "ed" and stem.endswith("i"):
            return stem[:-1] + "y"  # "applied" → "apply"
        if stem in KEEPS_BARE or stem in IRREGULAR_STEMS:
            return IRREGULAR_STEMS.get(stem, stem)
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1]  # "embedding" → "embed", "scrapped" → "scrap"
        return stem + "e" if TAKES_E.search(stem) else stem
    return lower


def policy_label(clause: str) -> str | None:
    """A short readable policy from a recommended clause, or None if it states nothing."""
    clause = clause.strip(" ,.;:’”'\"‘“")
    clause = re.sub(r"^(?:and|or|to)\s+", "", clause)
    passive = PASSIVE_TO_BE.match(clause)
    if passive:
        clause = f"{base_form(passive['verb'])} {passive['object']} {passive['rest']}".strip()
    first, _, rest = clause.partition(" ")
    if first.endswith("ing") and first[0].islower():
        clause = f"{base_form(first)} {rest}".strip()
    words = clause.split()
    if len(words) < 2:
        return None
    return " ".join(words[:30])


def split_policies(clause: str) -> list[str]:
    """The policies of one recommending clause: its means ("by X and Y") or its list items."""
    means = MEANS.search(clause)
    if means:
        clause = means["means"]
    parts = [p for p in CONJUNCT.split(clause) if p and p.strip()]
    parts = [p for part in parts for p in re.split(r"\s+and\s+for\s+", part)]
    labels = [policy_label(part) for part in parts]
    return [label for label in labels if label]


def _org_candidates(text: str) -> list[str]:
    """Organisations a phrase names, known ones first; the addressee "Government" is not one."""
    found = []
    for match in ORG_NAME.finditer(text):
        phrase = match["org"]
        names = [clean_name(n) for n in known_organisations_in(phrase)]
        bare = clean_name(phrase)
        if not names and names_an_organisation(bare):
            names = [bare]
        for name in names:
            known = load_gazetteer().entity(name)
            if name_key(name) not in ADDRESSEES and not (known and known.category == "Policy"):
                found.append(_with_own_possessive(name, known.label if known else None))
    return found


def _with_own_possessive(name: str, known_label: str | None) -> str:
    """ "Barnardo's" keeps the 's that belongs to its name, which cleaning takes off."""
    if (
        known_label
        and known_label.endswith(("'s", "’s"))
        and name_key(name) == name_key(known_label)
    ):
        return known_label.removeprefix("The ")
    return name


def _publisher(article: Article, sentence: Sentence) -> str | None:
    """Who wrote the report a sentence mentions, where the sentence says so."""
    for pattern in PUBLISHER_FORMS:
        for match in pattern.finditer(sentence.text):
            candidates = _org_candidates(match["who"])
            if candidates:
                return candidates[0]
    anaphor = ANAPHOR.search(sentence.text)
    if anaphor:
        kind = " ".join(anaphor["kind"].lower().split())
        return _named_before(article, sentence.start, ANAPHOR_CATEGORY.get(kind))
    return None


def _named_before(article: Article, offset: int, category: str | None) -> str | None:
    """The last organisation of a kind the story names before `offset` ("the charity")."""
    gazetteer = load_gazetteer()
    found = None
    for name in _org_candidates(article.story[:offset]):
        known = gazetteer.entity(name)
        kind = known.category if known else ("LocalAuthority" if gazetteer.council(name) else None)
        if category is None or kind == category:
            found = name
    return found


def _title(text: str) -> str | None:
    for pattern in TITLE_FORMS:
        match = pattern.search(text)
        if match:
            return match["title"].strip()
    return None


def _reports(article: Article) -> Iterator[tuple[Sentence, str | None, str | None]]:
    """(sentence, title, publisher) for every sentence that mentions a report."""
    for sentence in article.sentences:
        title = _title(sentence.text)
        if not title and not MENTIONS_REPORT.search(sentence.text):
            continue
        yield sentence, title, _publisher(article, sentence)


def _context(reports: list[tuple[Sentence, str | None, str | None]]) -> ReportContext | None:
    """The report an article is about: its first title and first publisher."""
    title = next((title for _, title, _ in reports if title), None)
    publisher = next((publisher for _, _, publisher in reports if publisher), None)
    if not title and not publisher:
        return None
    return ReportContext(title, publisher)


def _speaks_for(text: str, publisher: str) -> bool:
    """Whether a speech cue names the publisher: "Adam Lent, director of the NLGN, said:"."""
    return any(_same_organisation(name, publisher) for name in _org_candidates(text))


def _same_organisation(a: str, b: str) -> bool:
    return name_key(a) == name_key(b) or _initials(a) == b or _initials(b) == a


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _in_report_voice(sentence: str, context: ReportContext) -> bool:
    if re.match(
        rf"^In\s+(?:a|an|its|their|the)\s+(?:new\s+|latest\s+)?{REPORT_WORD}\b", sentence, re.I
    ):
        return True  # "In a new report, No Place to Call Home, the charity calls on ..."
    subject = REPORT_SUBJECT.match(sentence)
    if not subject:
        return False
    name = subject["name"]
    if name is None or name_key(name) in {"it", "they"}:
        return True
    return context.publisher is not None and _same_organisation(name, context.publisher)


def _recommended_clauses(sentence: str, context: ReportContext, publisher_voice: bool) -> list[str]:
    listed = INCLUDING_LIST.search(sentence)
    if listed:
        items = listed["list"]
        separator = LIST_SEMICOLON if ";" in items else LIST_AND
        return [item for item in separator.split(items) if item.strip()]
    if publisher_voice:
        spoken = VOICE_MUST.search(sentence)
        return [spoken["clause"]] if spoken else []
    if not _in_report_voice(sentence, context):
        return []
    for pattern in (CALLS_ON, MUST):
        match = pattern.search(sentence)
        if match:
            return [match["clause"]]
    calls_for = CALLS_FOR.search(sentence)
    if calls_for:
        return re.split(r"\s+and\s+for\s+", calls_for["clause"])
    proposes = PROPOSES.search(sentence)
    if proposes:
        # "It proposes a radically different approach ..., presenting a future where X": X.
        future = FUTURE_WHERE.search(proposes["clause"])
        if future:
            return [future["clause"]]
        if re.match(r"(?:that\s+)?(?:a|an|the|new)\b", proposes["clause"]):
            return LIST_AND.split(proposes["clause"])
    return []


def extract(article: Article) -> Iterator[Report | Recommendation]:
    mentions = list(_reports(article))
    context = _context(mentions)
    if context is None:
        return
    for sentence, title, publisher in mentions:
        provenance = Provenance.of_sentence(article, sentence, EXTRACTOR)
        yield Report(title or context.title, publisher or context.publisher, (), provenance)
    yield from _partners(article, context)
    voice_paragraph = -1
    listing = False
    for sentence in article.sentences:
        text = sentence.text
        bullet = BULLET.match(text)
        if listing and bullet:
            provenance = Provenance.of_sentence(article, sentence, EXTRACTOR)
            for policy in split_policies(bullet["item"]):
                yield Recommendation(context.title, context.publisher, policy, provenance)
            continue
        # "The report makes a series of recommendations for Government, including:" + bullets
        listing = bool(re.search(r"\b(?:recommend\w*|calls?\s+for|urges?)\b.*:\s*$", text, re.I))
        quoted = text[:1] in "‘“'\""
        if (
            context.publisher
            and re.search(rf"\b{SPEECH_VERB}\b\s*:", text)
            and _speaks_for(text, context.publisher)
        ):
            voice_paragraph = sentence.paragraph
        elif not quoted and sentence.paragraph != voice_paragraph:
            voice_paragraph = -1
        elif quoted and _attributed_to_someone(text):
            voice_paragraph = -1  # "‘Councils must share data,’ said Cllr Jane Smith"
        elif quoted and voice_paragraph >= 0:
            voice_paragraph = sentence.paragraph
        publisher_voice = voice_paragraph >= 0 and (quoted or sentence.paragraph == voice_paragraph)
        provenance = Provenance.of_sentence(article, sentence, EXTRACTOR)
        for clause in _recommended_clauses(text, context, publisher_voice):
            for policy in split_policies(clause):
                yield Recommendation(context.title, context.publisher, policy, provenance)


def _attributed_to_someone(text: str) -> bool:
    """ "‘Councils must share data,’ said Cllr Jane Smith": a quotation with its own speaker."""
    return any(speaker_at(text, close.end()) for close in CLOSING_MARK.finditer(text))


def _partners(article: Article, context: ReportContext) -> Iterator[Report]:
    for sentence in article.sentences:
        match = PARTNERED.search(sentence.text)
        if match and re.search(
            rf"\b(?:{REPORT_WORD}|undertaken|written|produced)\b", sentence.text, re.I
        ):
            provenance = Provenance.of_sentence(article, sentence, EXTRACTOR)
            partner = clean_name(match["org"])
            yield Report(context.title, context.publisher, (partner,), provenance)
