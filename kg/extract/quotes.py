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

from kg.extract.patterns import PERSON_NAME, SPEECH_VERB, looks_like_person
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
# After a closing mark: "..., ’ said Mr Cameron." / "...,” Ms Gittins added."
VERB_THEN_SPEAKER = re.compile(rf"\s*,?\s*{SPEECH_VERB}\s+{PERSON_NAME.pattern}", re.VERBOSE)
SPEAKER_THEN_VERB = re.compile(rf"\s*,?\s*{PERSON_NAME.pattern}\s+{SPEECH_VERB}\b", re.VERBOSE)
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
    story = article.story
    para_start = paragraphs[index][0]
    if not _opens_quote(story, para_start) or _inside(taken, para_start):
        return
    span = _quote_from(story, paragraphs, index, para_start)
    attribution = VERB_THEN_SPEAKER.match(story, span.end) or SPEAKER_THEN_VERB.match(
        story, span.end
    )
    if not attribution or not looks_like_person(attribution["person"]):
        return
    # Following paragraphs that open with a quote mark and name no speaker continue it.
    end, following = span.end, index + 1
    while following < len(paragraphs) and _opens_quote(story, paragraphs[following][0]):
        next_start, next_end = paragraphs[following]
        if SPEAKER_FIRST.search(story, next_start, next_end):
            break
        continued = _quote_from(story, paragraphs, following, next_start)
        if VERB_THEN_SPEAKER.match(story, continued.end) or SPEAKER_THEN_VERB.match(
            story, continued.end
        ):
            break
        end, following = continued.end, following + 1
    text = _text(story, span)
    if end > span.end:
        text = f"{text} {_text(story, QuoteSpan(paragraphs[index + 1][0], end))}"
    full = QuoteSpan(span.start, end)
    taken.append(full)
    yield Quotation(attribution["person"], text, _provenance(article, full))


def _inside(spans: list[QuoteSpan], position: int) -> bool:
    return any(span.start <= position < span.end for span in spans)
