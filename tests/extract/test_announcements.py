"""The announcement extractor: who announced which reform, and what money is for."""

from __future__ import annotations

import pytest

from kg.corpus import parse_article
from kg.extract import announcements
from kg.extract.announcements import category_of
from kg.model import Announcement, MoneyMention

Expected = tuple[str, bool, str, str, str | None, tuple[float, ...]]
"""(actor, actor_implied, reform, category, leader, amounts in pounds)"""


def facts(body: str) -> list[Announcement | MoneyMention]:
    return list(announcements.extract(parse_article("Headline\n\n" + body, "t1")))


def announced(body: str) -> list[Expected]:
    return [
        (
            f.actor,
            f.actor_implied,
            f.reform,
            f.category,
            f.leader,
            tuple(a.pounds for a in f.amounts),
        )
        for f in facts(body)
        if isinstance(f, Announcement)
    ]


ANNOUNCEMENTS = [
    pytest.param(
        "The Government has announced £200m for family hubs and a review of kinship care.",
        [
            ("Government", False, "£200m for family hubs", "funding", None, (2e8,)),
            ("Government", False, "review of kinship care", "review", None, ()),
        ],
        id="government announces funding and a review",
    ),
    pytest.param(
        "The Government has announced a £100m fund for kinship carers and £50m for youth clubs.",
        [
            ("Government", False, "£100m fund for kinship carers", "funding", None, (1e8,)),
            ("Government", False, "£50m for youth clubs", "funding", None, (5e7,)),
        ],
        id="two sums",
    ),
    pytest.param(
        "The Department for Education has launched a £45m programme to recruit foster carers.",
        [
            (
                "Department for Education",
                False,
                "£45m programme to recruit foster carers",
                "funding",
                None,
                (4.5e7,),
            )
        ],
        id="department launches a funded programme",
    ),
    pytest.param(
        "The Treasury has confirmed £500m for councils.",
        [("Treasury", False, "£500m for councils", "funding", None, (5e8,))],
        id="treasury confirms",
    ),
    pytest.param(
        "The Government has launched a consultation on children’s homes.",
        [("Government", False, "consultation on children’s homes", "reform", None, ())],
        id="consultation",
    ),
    pytest.param(
        "Children in care will get a dedicated adviser under reforms announced today by the "
        "education secretary. Gillian Keegan said every care leaver will be offered a mentor "
        "until the age of 25. Twelve councils will be given extra funding to pilot the scheme.",
        [
            (
                "Gillian Keegan",
                False,
                "every care leaver will be offered a mentor until the age of 25",
                "reform",
                None,
                (),
            ),
            (
                "Gillian Keegan",
                True,
                "Twelve councils will be given extra funding to pilot the scheme",
                "funding",
                None,
                (),
            ),
        ],
        id="passive then the named secretary then a measure",
    ),
    pytest.param(
        "Children in care will get a dedicated adviser under reforms announced today by the "
        "prime minister. Rishi Sunak said every care leaver will be offered a mentor. "
        "‘This is a good day,’ he said. Councils will be given new powers.",
        [
            (
                "Rishi Sunak",
                False,
                "every care leaver will be offered a mentor",
                "reform",
                None,
                (),
            ),
            ("Rishi Sunak", True, "Councils will be given new powers", "reform", None, ()),
        ],
        id="a quotation between the speech and the measure",
    ),
    pytest.param(
        "Children in care will get a dedicated adviser under reforms announced today by the "
        "education secretary. The changes will start in April.",
        [
            (
                "UK Government",
                True,
                "Children in care will get a dedicated adviser",
                "reform",
                None,
                (),
            )
        ],
        id="passive with the post unnamed",
    ),
    pytest.param(
        "Council leaders have welcomed the launch of an independent review into children’s "
        "social care. The review will be led by Josh MacAlister.",
        [
            (
                "UK Government",
                True,
                "independent review into children’s social care",
                "review",
                "Josh MacAlister",
                (),
            )
        ],
        id="welcomed review and its leader",
    ),
    pytest.param(
        "The education secretary has commissioned an independent review of adoption. The "
        "review will be chaired by Sir Martin Narey.",
        [
            (
                "UK Government",
                True,
                "independent review of adoption",
                "review",
                "Sir Martin Narey",
                (),
            )
        ],
        id="review chaired by",
    ),
    pytest.param(
        "An independent review into children’s social care was launched today.",
        [
            (
                "UK Government",
                True,
                "independent review into children’s social care",
                "review",
                None,
                (),
            )
        ],
        id="review launched, no actor",
    ),
    pytest.param(
        "An inquiry into the rising cost of residential care is to be conducted this autumn. "
        "The Education Select Committee is calling for written evidence from councils.",
        [
            (
                "Education Select Committee",
                False,
                "inquiry into the rising cost of residential care",
                "inquiry",
                None,
                (),
            )
        ],
        id="inquiry run by a committee",
    ),
    pytest.param(
        "Councils will share the additional funding of £2 billion for councils over three years.",
        [
            (
                "UK Government",
                True,
                "additional funding of £2 billion for councils over three years",
                "funding",
                None,
                (2e9,),
            )
        ],
        id="additional funding of",
    ),
    pytest.param(
        "Charities welcomed the youth clubs the Chancellor plans to fund from next year.",
        [("UK Government", True, "funding for youth clubs", "funding", None, ())],
        id="the Chancellor plans to fund",
    ),
    pytest.param(
        "Charities welcomed the new youth centres that the Chancellor now plans to fund.",
        [("UK Government", True, "funding for new youth centres", "funding", None, ())],
        id="that the Chancellor now plans to fund",
    ),
    # Nothing announced.
    pytest.param(
        "Councils saw demand for children’s services rise again last year.",
        [],
        id="no announcement",
    ),
    pytest.param(
        "Council leaders have criticised the independent review into children’s social care.",
        [],
        id="review mentioned but not launched",
    ),
    pytest.param(
        "‘The Government has announced £200m for family hubs,’ said the council leader.",
        [],
        id="quotation in single quotes",
    ),
    pytest.param(
        "“The Government has launched an independent review into adoption,” she said.",
        [],
        id="quotation in double quotes",
    ),
    pytest.param(
        "Cllr Jane Smith said: ‘The Government has announced £200m for family hubs.’",
        [],
        id="quotation after a speech cue",
    ),
    pytest.param(
        "Twelve councils will be given extra funding to pilot the scheme.",
        [],
        id="measure with no announcer",
    ),
]


@pytest.mark.parametrize(("body", "expected"), ANNOUNCEMENTS)
def test_announcements(body: str, expected: list[Expected]) -> None:
    assert announced(body) == expected


def test_announcement_provenance_is_its_sentence() -> None:
    body = (
        "Councils saw demand rise. The Government has announced £200m for family hubs and a "
        "review of kinship care."
    )
    found = [f for f in facts(body) if isinstance(f, Announcement)]
    assert len(found) == 2
    for fact in found:
        assert fact.provenance.text == (
            "The Government has announced £200m for family hubs and a review of kinship care."
        )
        assert (fact.provenance.start, fact.provenance.extractor) == (26, "announcements")
    assert found[0].amounts[0].text == "£200m"


# (sentence, (subject, amount as written, pounds) of each MoneyMention)
MONEY = [
    (
        "Council leaders warned that the funding gap is expected to reach £4bn by 2030.",
        [("funding gap", "£4bn", 4e9)],
    ),
    (
        "Children’s services continue to face an uncertain future, with the funding gap "
        "expected to rise to £3.1 billion by 2025.",
        [("funding gap", "£3.1 billion", 3.1e9)],
    ),
    (
        "The overspend on children’s services reached £800m last year.",
        [("overspend", "£800m", 8e8)],
    ),
    # Money that an announcement takes is not measured again.
    ("The Government has announced £200m for family hubs.", []),
    ("Councils saw demand for children’s services rise again last year.", []),
    pytest.param(
        "Councils face a £3bn shortfall in children’s services funding by 2025.",
        [("shortfall", "£3bn", 3e9)],
    ),
]


@pytest.mark.parametrize(("body", "expected"), MONEY)
def test_money_mentions(body: str, expected: list[tuple[str, str, float]]) -> None:
    found = [f for f in facts(body) if isinstance(f, MoneyMention)]
    assert [(f.subject, f.amount.text, f.amount.pounds) for f in found] == expected


CATEGORIES = [
    ("inquiry into local authority children's services", "inquiry"),
    ("inquiry into the review process", "inquiry"),
    ("urgent review of Local Safeguarding Children Boards", "review"),
    ("review of funding for councils", "review"),
    ("£100m in funding to train new social workers", "funding"),
    ("£45m programme to recruit foster carers", "funding"),
    ("new investment in family hubs", "funding"),
    ("a grant for care leavers", "funding"),
    ("failing services will be handed over to high-performing councils", "takeover"),
    ("control will be taken away from councils", "takeover"),
    ("freedom to form trusts to take over failing departments", "takeover"),
    ("new fostering programme", "programme"),
    ("a national kinship care scheme", "programme"),
    ("councils will form trusts", "programme"),
    ("consultation on children’s homes", "reform"),
    ("every care leaver will be offered a mentor", "reform"),
    pytest.param(
        "extra money for councils",
        "funding",
    ),
]


@pytest.mark.parametrize(("reform", "category"), CATEGORIES)
def test_category_of(reform: str, category: str) -> None:
    assert category_of(reform) == category


FURTHER_FORMS = [
    (
        "The Treasury confirmed the money was in addition to the £1.5bn already allocated.",
        [],
    ),
    (
        "The Association of Directors of Children's Services (ADCS) today published Safeguarding "
        "Pressures Phase 9, its latest research into demand across England.",
        [],
    ),
    (
        "MPs have launched an inquiry into the recruitment and retention of children's social "
        "workers amid warnings about agency staff. The Education Select Committee will take "
        "evidence until March.",
        [
            (
                "Education Select Committee",
                "inquiry into the recruitment and retention of children's social workers",
            )
        ],
    ),
    (
        "The Department for Education (DfE) will provide £2.5m to support the council's "
        "improvement programme, and Essex has been named as its partner.",
        [("Department for Education", "£2.5m to support the council's improvement programme")],
    ),
    (
        "The Government has announced £523m to expand family help services and launched a "
        "consultation on new support for kinship carers.",
        [
            ("Government", "£523m to expand family help services"),
            ("Government", "consultation on new support for kinship carers"),
        ],
    ),
]


@pytest.mark.parametrize(("body", "expected"), FURTHER_FORMS)
def test_further_announcement_forms(body: str, expected: list[tuple[str, str]]) -> None:
    article = parse_article("Headline\n\n" + body, "t1")
    found = [
        (fact.actor, fact.reform)
        for fact in announcements.extract(article)
        if isinstance(fact, Announcement)
    ]
    assert found == expected


def test_a_package_breakdown_goes_to_the_announcer() -> None:
    body = (
        "The Government has announced £523m for family help.\n\n"
        "The package includes £270m for the Prevention Grant, £126m to roll out family group "
        "decision making, and £45m to extend the Family Network Pilot."
    )
    article = parse_article("Headline\n\n" + body, "t1")
    found = [
        (fact.actor, fact.reform, fact.actor_implied, [a.pounds for a in fact.amounts])
        for fact in announcements.extract(article)
        if isinstance(fact, Announcement)
    ]
    assert found == [
        ("Government", "£523m for family help", False, [523e6]),
        ("Government", "£270m for the Prevention Grant", True, [270e6]),
        ("Government", "£126m to roll out family group decision making", True, [126e6]),
        ("Government", "£45m to extend the Family Network Pilot", True, [45e6]),
    ]


def test_a_review_led_by_someone_in_its_own_sentence() -> None:
    body = "A separate review of the children's homes market will be led by Sir David Bell."
    article = parse_article("Headline\n\n" + body, "t1")
    (fact,) = [f for f in announcements.extract(article) if isinstance(f, Announcement)]
    assert (fact.actor, fact.actor_implied, fact.leader) == (
        "UK Government",
        True,
        "Sir David Bell",
    )
    assert fact.reform == "separate review of the children's homes market"
