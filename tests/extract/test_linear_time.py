"""Work grows with an article's length, not with its square: counted, not timed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kg.corpus import parse_article
from kg.extract import announcements, patterns, roles


class CountingPattern:
    """A compiled pattern that counts the characters its searches are given to read."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.characters = 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.pattern, name)

        def counted(text: str, *args: Any) -> Any:
            start = args[0] if args else 0
            end = args[1] if len(args) > 1 else len(text)
            self.characters += max(0, min(end, len(text)) - start)
            return method(text, *args)

        return counted


def reviews_story(sections: int) -> str:
    paragraphs = []
    for number in range(sections):
        paragraphs.append(
            f"Ministers have launched an independent review of school transport number {number}."
        )
        paragraphs.append(f"The review will be led by Anna Kowalczyk-{number}.")
        paragraphs.append("Councils said the costs had doubled in five years.")
    return "Jo Reporter 1 March 2024\n\nReviews everywhere\n\n" + "\n\n".join(paragraphs) + "\n"


def characters_read(sections: int, monkeypatch: pytest.MonkeyPatch) -> int:
    patterns._review_mentions.cache_clear()
    review_mention = CountingPattern(patterns.REVIEW_MENTION)
    led_by = CountingPattern(patterns.LED_BY)
    monkeypatch.setattr(patterns, "REVIEW_MENTION", review_mention)
    monkeypatch.setattr(announcements, "LED_BY", led_by)
    article = parse_article(reviews_story(sections), "reviews")
    list(roles.extract(article))
    list(announcements.extract(article))
    return review_mention.characters + led_by.characters


def test_finding_reviews_and_their_leaders_reads_a_story_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    short = characters_read(20, monkeypatch)
    long = characters_read(80, monkeypatch)
    length_ratio = len(reviews_story(80)) / len(reviews_story(20))
    # Linear work reads about four times as much for a story four times as long;
    # reading the story again for each "the review" would read sixteen times as much.
    assert long / short < length_ratio * 1.5
