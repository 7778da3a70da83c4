"""Mentions over the parse, and the kinds of false organisation real articles produce."""

from __future__ import annotations

import pytest

from kg.corpus import parse_article
from kg.document import Document
from kg.extract.chunks import ORG, PERSON, POST, body_name
from kg.families import organisations as organisations_family


def mentions_of(story: str) -> list[tuple[str, str]]:
    document = Document(parse_article(f"A headline for the test\n\n{story}", "t1"))
    return [(token._.mention, token.text) for token in document.mentions if token._.mention]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # a post and its body: the body is kept, the post is not a body
        ("Chair of the Anytown Safeguarding Partnership", "Anytown Safeguarding Partnership"),
        ("Interim Director of Children's Services", None),
        ("Chair of the Committee", None),
        # court orders and allowances are capitalised, and no bodies
        ("Special Guardianship Order", None),
        ("Child Arrangements Order", None),
        ("National Minimum Allowance", None),
        # a post by its acronym
        ("DCS", None),
        # a place's department of a field of work
        ("Barnsley Children's Services", None),
        # the titles of reports and reviews
        ("Funding of Local Authority Children's Services", None),
        ("Review of Anytown Family Courts", None),
        # real bodies stay
        ("Anytown Children's Trust", "Anytown Children's Trust"),
        ("Kent County Council", "Kent County Council"),
        ("Hampshire", "Hampshire"),
        ("National Association of Foster Workers", "National Association of Foster Workers"),
    ],
)
def test_body_name(name: str, body: str | None) -> None:
    assert body_name(name) == body


def test_a_list_of_witnesses_gives_people_posts_and_bodies() -> None:
    found = mentions_of(
        "Witnesses: Priya Mistry, Chief Executive, Northfield Fostering Agency; "
        "Tom Okafor, Vice Chair, National Association of Care Reviewers."
    )
    assert (PERSON, "Priya Mistry") in found
    assert (POST, "Chief Executive") in found
    assert (ORG, "Northfield Fostering Agency") in found
    assert (ORG, "National Association of Care Reviewers") in found


def test_two_bodies_joined_by_and_stay_two() -> None:
    found = mentions_of(
        "The scheme was launched by the Home Office and the Department for Education."
    )
    assert (ORG, "Home Office") in found
    assert (ORG, "Department for Education") in found


def test_a_post_is_not_cut_into_a_body() -> None:
    found = mentions_of(
        "Jane Doe, Lead Officer for Schools and Foster Carers, Anytown Workers Union, said it was good."
    )
    assert (POST, "Lead Officer for Schools and Foster Carers") in found
    assert (ORG, "Anytown Workers Union") in found
    assert not any(kind == PERSON and "Carers" in text for kind, text in found)


def test_a_surname_alone_is_a_person_once_the_story_names_them_in_full() -> None:
    found = mentions_of(
        "Sir Tom Okafor, chief executive of the Anytown Children's Bureau, will step down. "
        "Okafor will continue as the Chair of the Northfield Care Council until March."
    )
    assert [text for kind, text in found if kind == PERSON] == ["Sir Tom Okafor", "Okafor"]


@pytest.mark.parametrize(
    "story",
    [
        "Carers with a Special Guardianship Order (SGO) will be eligible for the allowance.",
        "Jane Doe, Chair of the Committee, said the inquiry would report in June.",
        "The DCS, Jane Doe, said the service had improved.",
        "She was previously Interim Director of Barnsley Children's Services.",
        "She spoke at the Anytown Care Leaders Network (ACLN) conference in Leeds.",
    ],
)
def test_false_organisations_are_not_mentioned(story: str) -> None:
    document = Document(parse_article(f"A headline for the test\n\n{story}", "t1"))
    names = {fact.name for fact in organisations_family.extract(document) if hasattr(fact, "name")}
    assert names.isdisjoint(
        {
            "Special Guardianship Order",
            "Chair of the Committee",
            "Committee",
            "DCS",
            "Interim Director of Barnsley Children's Services",
            "Barnsley Children's Services",
            "Anytown Care Leaders Network",
        }
    )
