"""Quotations (speaker, words) from stories written for the tests; paragraphs are lines."""

from __future__ import annotations

import pytest

from kg.corpus import parse_article
from kg.extract import quotes
from kg.model import Quotation


def quotations_in(body: str) -> list[Quotation]:
    return list(quotes.extract(parse_article("Headline\n\n" + body, "t1")))


def spoken(body: str) -> list[tuple[str, str]]:
    return [(quotation.person, quotation.text) for quotation in quotations_in(body)]


SPEAKER_FIRST = [
    (
        "Priya Chandra, director of the CCN, said: ‘Funding has not kept pace with demand.’",
        [("Priya Chandra", "Funding has not kept pace with demand.")],
    ),
    (
        "Priya Chandra, director of the CCN, said: “Funding has not kept pace with demand.”",
        [("Priya Chandra", "Funding has not kept pace with demand.")],
    ),
    (
        'Priya Chandra, director of the CCN, said: "Funding has not kept pace with demand."',
        [("Priya Chandra", "Funding has not kept pace with demand.")],
    ),
    # Apostrophes in the cue and in the quotation are not quote marks.
    (
        "Nesil Farah, chair of the LGA’s Children and Young People Board, said: "
        "‘The LGA’s members are clear.’",
        [("Nesil Farah", "The LGA’s members are clear.")],
    ),
    # Two speakers, in one paragraph or two.
    (
        "Nesil Farah said: ‘Funding is short.’ Oliver Mantle said: ‘Demand is rising.’",
        [("Nesil Farah", "Funding is short."), ("Oliver Mantle", "Demand is rising.")],
    ),
    (
        "Nesil Farah said: ‘Funding is short.’\nOliver Mantle said: ‘Demand is rising.’",
        [("Nesil Farah", "Funding is short."), ("Oliver Mantle", "Demand is rising.")],
    ),
    (
        ("Ms Farah said: ‘Councils’ budgets are stretched to breaking point.’"),
        [("Ms Farah", "Councils’ budgets are stretched to breaking point.")],
    ),
    (
        ("Nesil Farah told the conference: ‘Funding is short.’"),
        [("Nesil Farah", "Funding is short.")],
    ),
]

NEXT_PARAGRAPHS = [
    (
        "Priya Chandra, director of the CCN, said:\n‘Funding has not kept pace with demand.’",
        [("Priya Chandra", "Funding has not kept pace with demand.")],
    ),
    # Each paragraph reopens the quotation; only the last one closes it: one quotation.
    (
        "Priya Chandra, director of the CCN, said:\n‘Funding has not kept pace with demand.\n"
        "‘Councils have cut everything they can.\n‘Something has to give.’",
        [
            (
                "Priya Chandra",
                "Funding has not kept pace with demand. Councils have cut everything they can. "
                "Something has to give.",
            )
        ],
    ),
    # The quotation closes, and the paragraph after it is the reporter's again.
    (
        "Priya Chandra said: ‘Funding has not kept pace with demand.\n"
        "‘Councils have cut everything they can.’\nThe Government has yet to respond.",
        [
            (
                "Priya Chandra",
                "Funding has not kept pace with demand. Councils have cut everything they can.",
            )
        ],
    ),
    # A continuation misprinted with a closing mark (’) at its start.
    (
        "Oliver Mantle said: ‘Demand is rising.\n’Budgets are not.’",
        [("Oliver Mantle", "Demand is rising. Budgets are not.")],
    ),
]

SPEAKER_AFTER = [
    (
        "‘We will not let these children down,’ said Ms Farah.",
        [("Ms Farah", "We will not let these children down")],
    ),
    (
        "‘We will not let these children down,’ Ms Farah said.",
        [("Ms Farah", "We will not let these children down")],
    ),
    (
        "“We will not let these children down,” said Cllr Nesil Farah, chair of the LGA.",
        [("Cllr Nesil Farah", "We will not let these children down")],
    ),
    (
        "‘This is a 1990s system’, said Professor Alan Greaves.",
        [("Professor Alan Greaves", "This is a 1990s system")],
    ),
    ('"We are ready," said Mr Okoro.', [("Mr Okoro", "We are ready")]),
]

INNER_QUOTES = [
    (
        "Ms Farah said: ‘Councils are stuck in ‘firefighting’ mode and cannot plan ahead.’",
        [("Ms Farah", "Councils are stuck in ‘firefighting’ mode and cannot plan ahead.")],
    ),
    (
        "Ms Farah said: ‘Councils are stuck in 'firefighting' mode and cannot plan ahead.’",
        [("Ms Farah", "Councils are stuck in 'firefighting' mode and cannot plan ahead.")],
    ),
    (
        "Ms Farah said: “Councils are stuck in ‘firefighting’ mode and cannot plan ahead.”",
        [("Ms Farah", "Councils are stuck in ‘firefighting’ mode and cannot plan ahead.")],
    ),
]

NOTHING = [
    # Reported speech has no quotation marks.
    "Nesil Farah said councils could not keep firefighting without more money.",
    "Nesil Farah said:\nCouncils need more money.",
    # Scare quotes with no speaker.
    "The report warns of ‘a perfect storm’ for councils.",
    # Speakers that are not named people.
    "A council spokesman said: ‘We are reviewing the report.’",
    "The Department for Education said: ‘We are investing £1bn.’",
]


@pytest.mark.parametrize(("body", "expected"), SPEAKER_FIRST)
def test_speaker_then_quotation_in_the_same_paragraph(
    body: str, expected: list[tuple[str, str]]
) -> None:
    assert spoken(body) == expected


@pytest.mark.parametrize(("body", "expected"), NEXT_PARAGRAPHS)
def test_quotation_in_the_following_paragraphs(body: str, expected: list[tuple[str, str]]) -> None:
    assert spoken(body) == expected


@pytest.mark.parametrize(("body", "expected"), SPEAKER_AFTER)
def test_quotation_then_speaker(body: str, expected: list[tuple[str, str]]) -> None:
    assert spoken(body) == expected


@pytest.mark.parametrize(("body", "expected"), INNER_QUOTES)
def test_a_quote_inside_a_quotation_does_not_end_it(
    body: str, expected: list[tuple[str, str]]
) -> None:
    assert spoken(body) == expected


@pytest.mark.parametrize("body", NOTHING)
def test_no_quotation(body: str) -> None:
    assert spoken(body) == []


def test_speaker_after_quotation_carries_on_into_the_next_paragraph() -> None:
    body = "‘We will not let these children down,’ said Ms Farah.\n‘The next budget must deliver.’"
    (quotation,) = quotations_in(body)
    assert quotation.person == "Ms Farah"
    assert quotation.text.startswith("We will not let these children down")
    assert quotation.text.endswith("The next budget must deliver.")
    assert quotation.provenance.text == body


def test_provenance_spans_the_quotation_across_paragraphs() -> None:
    body = "Oliver Mantle said:\n‘Demand is rising.\n‘Budgets are not.’\nThe council agreed."
    article = parse_article("Headline\n\n" + body, "t2")
    (quotation,) = quotes.extract(article)
    provenance = quotation.provenance
    assert (provenance.article_id, provenance.extractor) == ("t2", "quotes")
    assert provenance.text == "‘Demand is rising.\n‘Budgets are not.’"
    assert article.story[provenance.start : provenance.end] == provenance.text


def test_she_said_gives_the_quotation_to_the_person_last_named() -> None:
    body = (
        "Anna Feuchtwang, chief executive of the National Children's Bureau, welcomed it.\n"
        "‘Kinship carers save the state billions,’ she said. ‘They deserve support.’"
    )
    (quotation,) = quotations_in(body)
    assert quotation.person == "Anna Feuchtwang"
    assert quotation.text == "Kinship carers save the state billions. They deserve support."


def test_a_quotation_can_open_mid_paragraph() -> None:
    body = "Ms Wardell said councils were ready. ‘We have shown we can do this,’ Ms Wardell said."
    (quotation,) = quotations_in(body)
    assert (quotation.person, quotation.text) == ("Ms Wardell", "We have shown we can do this")
