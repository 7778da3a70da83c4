"""Who said what: direct quotations and their speakers.

    Adam Lent, director of the NLGN, said: ‘While the Spending Round ...      speaker first
    Adam Lent, the Director of the New Local Government Network, said:        quote in the
    “Children’s services is at a crisis point. ...                           next paragraphs
    ‘This will be one of the big landmark reforms ...,’ said Mr Cameron.      speaker after
A quotation over several paragraphs (each opening with a quote mark, only the last
closing) is one quotation. Reported speech ("David Cameron said children's services
that fail ...") is not a quotation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.patterns import (
    PERSON_NAME,
    SAID_SPEAKER,
    SPEAKER_SAID,
    SPEECH_VERB,
    looks_like_person,
    speaker_at,
)
from kg.model import Article, Provenance, Quotation

EXTRACTOR = "quotes"

OPENING = "‘“'\""
# A closing mark is one not followed by a letter ("children’s" has an apostrophe), nor a
# plural possessive before a lower-case word ("Councils’ budgets").
CLOSING = re.compile(r"[’”'\"](?![A-Za-z])(?<!s’(?=\s[a-z]))(?<!s'(?=\s[a-z]))")
# "<speaker ...> said: ‘" or "<speaker ...> said:" at the end of a paragraph. Between name
# and verb: anything but an opening quote (an apostrophe inside a word is fine: "LGA's").
SPEAKER_FIRST = re.compile(
    rf"""(?P<cue>{PERSON_NAME.pattern}(?:[^‘“"'\n]|(?<=\w)'){{0,240}}?\b{SPEECH_VERB}\b
         (?:\s+[^‘“"'\n:.]{{1,40}}?(?=:))?)       # "told the conference:"
         \s*(?:that\s+)?[:,]?\s*(?P<open>[‘“'"]|$)""",
    re.VERBOSE | re.MULTILINE,
)
# "...,’ she said." — the speaker is the person last named.
PRONOUN_SAID = re.compile(rf"\s*,?\s*(?:(?:she|he)\s+{SPEECH_VERB}|{SPEECH_VERB}\s+(?:she|he))\b")
# After an attribution, the same speaker's quotation opening again: "...said X. ‘B.’"
REOPENED = re.compile(r"[.,]?\s*(?=[‘“'\"])")
# A quotation that opens a paragraph or follows a sentence within one.
OPENING_AT_SENTENCE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][’”'\"]\s))[‘“'\"]", re.MULTILINE)
# A paragraph that goes on with a quotation opens with a quote mark (or, misprinted, ’).
REOPENING = OPENING + "’"


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    start: int
    end: int


def _paragraph_spans(story: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in story.split("\n"):
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _quote_from(story: str, paragraphs: list[tuple[int, int]], index: int, start: int) -> QuoteSpan:
    """From an opening mark, run to its close, across paragraphs that reopen the quote."""
    origin = start
    while True:
        para_end = paragraphs[index][1]
        for close in CLOSING.finditer(story, start + 1, para_end):
            if not _closes_inner_quote(story, start, close.start()):
                return QuoteSpan(origin, close.end())
        following = index + 1
        if following < len(paragraphs) and _opens_quote(story, paragraphs[following][0], REOPENING):
            index, start = following, paragraphs[following][0]
            continue
        return QuoteSpan(origin, para_end)


def _opens_quote(story: str, position: int, marks: str = OPENING) -> bool:
    return story[position : position + 1] in marks and story[position : position + 1] != ""


def _closes_inner_quote(story: str, start: int, close: int) -> bool:
    # ‘firefighting’ inside a quotation: a short quote opened after a space pairs with it.
    inner = max(story.rfind("‘", start + 1, close), story.rfind(" '", start + 1, close) + 1)
    return (
        inner > start + 1
        and story[inner - 1].isspace()
        and close - inner < 60
        and ". " not in story[inner:close]
    )


def _text(story: str, span: QuoteSpan) -> str:
    text = story[span.start : span.end].strip()
    text = text.strip(OPENING + "’”").strip()
    text = re.sub(r"\n[‘“'\"’]?", " ", text)  # paragraph breaks inside the quotation
    return " ".join(text.split()).rstrip(",")


def _provenance(article: Article, span: QuoteSpan) -> Provenance:
    return Provenance(
        article.id, article.story[span.start : span.end], span.start, span.end, "story", EXTRACTOR
    )


def extract(article: Article) -> Iterator[Quotation]:
    story = article.story
    paragraphs = _paragraph_spans(story)
    taken: list[QuoteSpan] = []
    for index, (para_start, para_end) in enumerate(paragraphs):
        for cue in SPEAKER_FIRST.finditer(story, para_start, para_end):
            person = cue["person"]
            if not looks_like_person(person):
                continue
            if cue["open"]:
                span = _quote_from(story, paragraphs, index, cue.start("open"))
            elif index + 1 < len(paragraphs) and _opens_quote(story, paragraphs[index + 1][0]):
                span = _quote_from(story, paragraphs, index + 1, paragraphs[index + 1][0])
            else:
                continue
            taken.append(span)
            yield Quotation(person, _text(story, span), _provenance(article, span))
        yield from _speaker_after(article, paragraphs, index, taken)


def _speaker_after(
    article: Article, paragraphs: list[tuple[int, int]], index: int, taken: list[QuoteSpan]
) -> Iterator[Quotation]:
    """ "‘...,’ said Mr Cameron." — at a paragraph's start or after a sentence in it."""
    story = article.story
    para_start, para_end = paragraphs[index]
    for opening in OPENING_AT_SENTENCE.finditer(story, para_start, para_end):
        if _inside(taken, opening.start()):
            continue
        span = _quote_from(story, paragraphs, index, opening.start())
        speaker, attribution_end = _attribution(story, span)
        if speaker is None:
            continue
        pieces = [span, *_continuation(story, paragraphs, attribution_end)]
        full = QuoteSpan(span.start, pieces[-1].end)
        taken.append(full)
        text = _joined(_text(story, piece) for piece in pieces)
        yield Quotation(speaker, text, _provenance(article, full))


def _joined(pieces: Iterator[str]) -> str:
    """Pieces of one quotation as one text: "‘A,’ said X. ‘B.’" → "A. B."."""
    texts = [piece for piece in pieces if piece]
    return " ".join(
        text if i == len(texts) - 1 or text.endswith((".", "!", "?")) else f"{text}."
        for i, text in enumerate(texts)
    )


def _attribution(story: str, span: QuoteSpan) -> tuple[str | None, int]:
    """Who a quotation is given to right after it closes, and where the attribution ends."""
    speaker = speaker_at(story, span.end)
    if speaker:
        match = SAID_SPEAKER.match(story, span.end) or SPEAKER_SAID.match(story, span.end)
        assert match is not None
        return speaker, match.end()
    pronoun = PRONOUN_SAID.match(story, span.end)
    if pronoun:
        return _last_person_before(story, span.start), pronoun.end()
    return None, span.end


def _last_person_before(story: str, position: int) -> str | None:
    """ "...,’ she said.": the last person the story named before the quotation."""
    people = [m["person"] for m in PERSON_NAME.finditer(story, 0, position)]
    return next((person for person in reversed(people) if looks_like_person(person)), None)


def _continuation(story: str, paragraphs: list[tuple[int, int]], after: int) -> list[QuoteSpan]:
    """The rest of a quotation after its attribution: "‘A,’ said X. ‘B.’", then paragraphs
    that open with a quote mark and name no speaker."""
    pieces: list[QuoteSpan] = []
    index = _paragraph_of(paragraphs, after)
    reopened = REOPENED.match(story, after, paragraphs[index][1])
    position = reopened.end() if reopened else None
    if position is None and index + 1 < len(paragraphs):
        next_start, next_end = paragraphs[index + 1]
        if _opens_quote(story, next_start) and not SPEAKER_FIRST.search(
            story, next_start, next_end
        ):
            position = next_start
    while position is not None:
        piece = _quote_from(story, paragraphs, _paragraph_of(paragraphs, position), position)
        if _attribution(story, piece)[0] is not None:
            break  # the next quotation belongs to its own speaker
        pieces.append(piece)
        following = _paragraph_of(paragraphs, piece.end) + 1
        if following >= len(paragraphs) or not _opens_quote(story, paragraphs[following][0]):
            break
        next_start, next_end = paragraphs[following]
        if SPEAKER_FIRST.search(story, next_start, next_end):
            break
        position = next_start
    return pieces


def _paragraph_of(paragraphs: list[tuple[int, int]], position: int) -> int:
    for index, (start, end) in enumerate(paragraphs):
        if start <= position <= end:
            return index
    return len(paragraphs) - 1


def _inside(spans: list[QuoteSpan], position: int) -> bool:
    return any(span.start <= position < span.end for span in spans)
