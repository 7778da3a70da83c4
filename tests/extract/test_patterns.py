"""Shared text patterns: money, reviews, people's and organisations' names."""

from __future__ import annotations

import pytest

from kg.extract.patterns import (
    known_organisations_in,
    looks_like_person,
    money_amounts,
    normalise_role,
    review_named_before,
    split_unit,
    strip_honorifics,
)

# (text, [(amount as written, pounds)])
MONEY = [
    ("£1.5 billion", [("£1.5 billion", 1.5e9)]),
    ("£100m", [("£100m", 1e8)]),
    ("£3.1bn", [("£3.1bn", 3.1e9)]),
    ("£3.1BN", [("£3.1BN", 3.1e9)]),
    ("£2,080", [("£2,080", 2080.0)]),
    ("£5k", [("£5k", 5000.0)]),
    ("£2.5 million", [("£2.5 million", 2.5e6)]),
    ("£100million", [("£100million", 1e8)]),
    ("£40 thousand", [("£40 thousand", 40000.0)]),
    ("£1,234,567", [("£1,234,567", 1234567.0)]),
    ("£0.5bn", [("£0.5bn", 5e8)]),
    ("£ 20m", [("£ 20m", 2e7)]),
    ("a gap of £3bn.", [("£3bn", 3e9)]),
    ("£1.5bn this year and £200m next", [("£1.5bn", 1.5e9), ("£200m", 2e8)]),
    ("no money here", []),
    ("1.5 billion pounds", []),
    pytest.param(
        "£1.2 trillion",
        [("£1.2 trillion", 1.2e12)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money_amounts(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(m.text, m.pounds) for m in money_amounts(text)] == expected


STORY = (
    "Ministers have launched an independent review into children’s social care. "
    "The review will report next year. "
    "Separately, an urgent review of Local Safeguarding Children Boards was announced. "
    "The review will be quick."
)

# (the words "the review" is read at, the review named last before them)
REVIEW_BEFORE = [
    ("Ministers", None),
    ("The review will report", "independent review into children’s social care"),
    ("The review will be quick", "urgent review of Local Safeguarding Children Boards"),
]


@pytest.mark.parametrize(("at", "expected"), REVIEW_BEFORE)
def test_review_named_before_an_offset(at: str, expected: str | None) -> None:
    assert review_named_before(STORY, STORY.index(at)) == expected


# (text, the review it names by the end)
REVIEW_NAMES = [
    (
        "An inquiry into local authority run children's social care is to be conducted.",
        "inquiry into local authority run children's social care",
    ),
    ("the national review of adoption, which began in May", "national review of adoption"),
    (
        "a wide-ranging inquiry into the care market led by the CMA",
        "wide-ranging inquiry into the care market",
    ),
    ("an investigation into Ofsted; it found", "investigation into Ofsted"),
    ("Council leaders welcomed the review.", None),
    ("a review into", None),
]


@pytest.mark.parametrize(("text", "expected"), REVIEW_NAMES)
def test_review_named_before_the_end(text: str, expected: str | None) -> None:
    assert review_named_before(text, len(text)) == expected


PEOPLE = [
    ("Adam Lent", True),
    ("Cllr Judith Blake", True),
    ("Mr Cameron", True),
    ("Josh MacAlister", True),
    ("Sir Martin Narey", True),
    ("Professor Eileen Munro", True),
    ("Lord Laming", True),
    ("Kevin O'Brien", True),
    ("Local Government", False),
    ("Essex County Council", False),
    ("The Government", False),
    ("Cameron", False),
    ("Tower Hamlets", False),
    ("Children England", False),
    ("Social Work England", False),
    ("Chief Executive", False),
    ("New Local Government Network", False),
    ("Action for Children", False),
    ("", False),
]


@pytest.mark.parametrize(("name", "is_person"), PEOPLE)
def test_looks_like_person(name: str, is_person: bool) -> None:
    assert looks_like_person(name) is is_person


ORGANISATIONS = [
    ("The Local Government Association", ["The Local Government Association"]),
    ("Essex County Council", ["Essex County Council"]),
    ("NLGN and IMPOWER", ["NLGN", "IMPOWER"]),
    ("Oftsed", ["Oftsed"]),  # one misspelt word is still Ofsted
    ("Adam Lent", []),
    ("Kent", []),
    pytest.param(
        "Director of the New Local Government Network",
        ["New Local Government Network"],
    ),
]


@pytest.mark.parametrize(("phrase", "expected"), ORGANISATIONS)
def test_known_organisations_in(phrase: str, expected: list[str]) -> None:
    assert list(known_organisations_in(phrase)) == expected


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Cllr Judith Blake", "Judith Blake"),
        ("Rt Hon Sir John Smith", "John Smith"),
        ("Dr. Jane Smith", "Jane Smith"),
        ("Adam Lent", "Adam Lent"),
    ],
)
def test_strip_honorifics(name: str, bare: str) -> None:
    assert strip_honorifics(name) == bare


@pytest.mark.parametrize(
    ("org", "parts"),
    [
        (
            "Local Government Association's Children and Young People Board",
            ("Local Government Association", "Children and Young People Board"),
        ),
        ("Essex County Council", ("Essex County Council", None)),
        ("Barnardo's", ("Barnardo's", None)),
    ],
)
def test_split_unit(org: str, parts: tuple[str, str | None]) -> None:
    assert split_unit(org) == parts


@pytest.mark.parametrize(
    ("role", "normal"),
    [
        ("Senior External Affairs Officer", "senior external affairs officer"),
        ("Chair of the LGA,", "chair of the LGA"),
        ("Director of Children's Services", "director of children's services"),
    ],
)
def test_normalise_role(role: str, normal: str) -> None:
    assert normalise_role(role) == normal
