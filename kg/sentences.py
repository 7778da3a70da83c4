"""Split a story into sentences with their character offsets.

A rule-based splitter: news copy is well punctuated, and a statistical sentencizer
would cost most of the build's time budget (spaCy's blank tokenizer alone reads about
200 articles a second on the target machine). Paragraphs are lines; a sentence ends at
`.`, `!` or `?` (plus any closing quote) before a capital, digit or opening quote,
except after a title or an initial ("Mr. Cameron", "J. MacAlister").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.model import Sentence

# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof cllr rt hon no nos vs etc eg ie inc ltd co gov dept approx est "
    "fig jan feb mar apr jun jul aug sep sept oct nov dec sen rep gen lt col sgt".split()
)

SENTENCE_END = re.compile(
    r"""[.!?]+                # the sentence's final stop
        [’'”"\)\]]*           # closing quotes or brackets that belong to it
        (?=\s+[‘'“"(\[]?[A-Z0-9£])  # the next sentence opens with a capital, digit or quote
    """,
    re.VERBOSE,
)
LAST_WORD = re.compile(r"([A-Za-z]+)\.$")
# "1. For further information ...": a list number is not a sentence of its own.
LIST_NUMBER = re.compile(r"^\s*\(?\d{1,2}[.)]$")


def _is_false_break(text_to_stop: str) -> bool:
    if LIST_NUMBER.match(text_to_stop):
        return True
    match = LAST_WORD.search(text_to_stop)
    if not match:
        return False
    word = match.group(1)
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def split_paragraph(paragraph: str, offset: int, index: int) -> Iterator[Sentence]:
    start = 0
    for match in SENTENCE_END.finditer(paragraph):
        if _is_false_break(paragraph[start : match.start() + 1]):
            continue
        if paragraph[start : match.end()].strip():
            yield _sentence(paragraph, start, match.end(), offset, index)
        start = match.end()
    if paragraph[start:].strip():
        yield _sentence(paragraph, start, len(paragraph), offset, index)


def _sentence(paragraph: str, start: int, end: int, offset: int, index: int) -> Sentence:
    # Trim without losing the offsets: the span must select exactly `text` in the story.
    while start < end and paragraph[start].isspace():
        start += 1
    while end > start and paragraph[end - 1].isspace():
        end -= 1
    return Sentence(paragraph[start:end], offset + start, offset + end, index)


def split_sentences(story: str) -> Iterator[Sentence]:
    """Sentences of `story`, whose paragraphs are its lines; `story[s.start:s.end] == s.text`."""
    offset = 0
    for index, paragraph in enumerate(story.split("\n")):
        yield from split_paragraph(paragraph, offset, index)
        offset += len(paragraph) + 1
