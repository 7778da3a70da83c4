"""Sentence splitting: where a story's sentences end, and their offsets into the story."""

from __future__ import annotations

import pytest

from kg.sentences import split_sentences


def texts(story: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(story)]


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        (
            "Is this enough? Councils say no! They want more.",
            ["Is this enough?", "Councils say no!", "They want more."],
        ),
        # Titles and initials end in a full stop without ending the sentence.
        ("Mr. Okoro arrived. He left.", ["Mr. Okoro arrived.", "He left."]),
        ("J. Okoro arrived late. He left.", ["J. Okoro arrived late.", "He left."]),
        (
            "The report was led by Prof. Alan Greaves. It found gaps.",
            ["The report was led by Prof. Alan Greaves.", "It found gaps."],
        ),
        (
            "The plan came from No. 10 officials. They denied it.",
            ["The plan came from No. 10 officials.", "They denied it."],
        ),
        ("The U.K. government said no.", ["The U.K. government said no."]),
        # A list number stays with its item.
        (
            "1. For further information contact the council.",
            ["1. For further information contact the council."],
        ),
        (
            "1. For further information contact the council. 2. Details follow.",
            ["1. For further information contact the council.", "2. Details follow."],
        ),
        # A closing quote or bracket after the stop belongs to the sentence it closes.
        (
            "She said: ‘We are ready.’ The council agreed.",
            ["She said: ‘We are ready.’", "The council agreed."],
        ),
        (
            'She said: "We are ready." The council agreed.',
            ['She said: "We are ready."', "The council agreed."],
        ),
        (
            "He said: ‘It is over.’ ‘It is not,’ she replied.",
            ["He said: ‘It is over.’", "‘It is not,’ she replied."],
        ),
        (
            "It was approved (by the council.) Then it stalled.",
            ["It was approved (by the council.)", "Then it stalled."],
        ),
        # Numbers: decimals do not split; a sentence may open with a year or an amount.
        (
            "Funding rose by 2.5 per cent. Demand rose faster.",
            ["Funding rose by 2.5 per cent.", "Demand rose faster."],
        ),
        (
            "Spending was £3.1bn in 2019. £3.4bn is forecast.",
            ["Spending was £3.1bn in 2019.", "£3.4bn is forecast."],
        ),
    ],
)
def test_sentence_boundaries(story: str, expected: list[str]) -> None:
    assert texts(story) == expected


def test_offsets_select_each_sentence_and_paragraphs_are_lines() -> None:
    story = (
        "Councils warned of a gap.  Demand rose by 4.5 per cent.\n"
        "\n"
        "   Mr. Okoro said: ‘We are ready.’ The council agreed.\n"
        "1. For further information contact the council."
    )
    sentences = list(split_sentences(story))
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("Councils warned of a gap.", 0),
        ("Demand rose by 4.5 per cent.", 0),
        ("Mr. Okoro said: ‘We are ready.’", 2),
        ("The council agreed.", 2),
        ("1. For further information contact the council.", 3),
    ]
    for sentence in sentences:
        assert story[sentence.start : sentence.end] == sentence.text
    assert sentences[2].start == story.index("Mr. Okoro")


def test_an_empty_story_has_no_sentences() -> None:
    assert list(split_sentences("")) == []
