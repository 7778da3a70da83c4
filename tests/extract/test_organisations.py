"""Organisation mentions, their category hints, and acronyms the text defines.

Mention names are compared without a leading "The" ("The County Councils Network" opens a
sentence), so the tables state which organisation was found, not whether the sentence
started with it.
"""

from __future__ import annotations

import re

import pytest

from kg.corpus import parse_article
from kg.extract import organisations
from kg.gazetteer import load_gazetteer
from kg.model import AliasDefinition, OrganisationMention

LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def found(body: str) -> tuple[set[tuple[str, str]], dict[str, str | None]]:
    """(name, alias) definitions, and each organisation named with its category hint, if any."""
    article = parse_article("Headline\n\n" + body, "t1")
    aliases: set[tuple[str, str]] = set()
    mentions: dict[str, str | None] = {}
    for fact in organisations.extract(article):
        if isinstance(fact, AliasDefinition):
            aliases.add((fact.name, fact.alias))
        else:
            assert isinstance(fact, OrganisationMention)
            name = LEADING_THE.sub("", fact.name)
            mentions[name] = mentions.get(name) or fact.category
    return aliases, mentions


ACRONYMS = [
    (
        "The Association of Directors of Children's Services (ADCS) published its survey today.",
        {("Association of Directors of Children's Services", "ADCS")},
        {"Association of Directors of Children's Services": None, "ADCS": None},
    ),
    (
        "The County Councils Network (CCN) said rural areas were hit hardest.",
        {("County Councils Network", "CCN")},
        {"County Councils Network": None, "CCN": None},
    ),
    (
        "The Local Government Information Unit (LGiU) surveyed council leaders.",
        {("Local Government Information Unit", "LGiU")},
        {"Local Government Information Unit": None, "LGiU": None},
    ),
    # An organisation the gazetteer does not know: the definition alone names it.
    (
        "The Family Justice Observatory (FJO) found spending had fallen.",
        {("Family Justice Observatory", "FJO")},
        {},
    ),
    # Brackets that hold no acronym of the name before them.
    (
        "The report was written with the Rees Centre (Oxford) and partners.",
        set(),
        {"Rees Centre": None},
    ),
    ("Spending fell by 10% (CIPFA) last year.", set(), {"CIPFA": None}),
]

DESCRIPTORS = [
    ("Funding for the children's charity Barnardo's has been cut.", {"Barnardo's": "Charity"}),
    # A charity the gazetteer does not know is still a charity.
    ("The children's charity Kinship said grandparents were overlooked.", {"Kinship": "Charity"}),
    ("Research by think tank Demos found trust had fallen.", {"Demos": "ThinkTank"}),
    ("Research by the think-tank Reform found trust had fallen.", {"Reform": "ThinkTank"}),
    ("The watchdog Ofsted rated the service inadequate.", {"Ofsted": "Regulator"}),
    (
        "The think tank Demos and the charity Become published the report jointly.",
        {"Demos": "ThinkTank", "Become": "Charity"},
    ),
    # Names with an organisation's head word, known or not.
    ("The Bright Futures Trust said the plans were welcome.", {"Bright Futures Trust": None}),
    (
        "The plan was drawn up by Kent County Council and Medway Council.",
        {"Kent County Council": None, "Medway Council": None},
    ),
]

COUNCIL_LISTS = [
    (
        "Councils including Leeds, Kent and Hackney have signed up.",
        {"Leeds": "LocalAuthority", "Kent": "LocalAuthority", "Hackney": "LocalAuthority"},
    ),
    (
        "Six councils - Leeds, Kent, Hackney and Tower Hamlets - will pilot the scheme.",
        {
            "Leeds": "LocalAuthority",
            "Kent": "LocalAuthority",
            "Hackney": "LocalAuthority",
            "Tower Hamlets": "LocalAuthority",
        },
    ),
    (
        "The pilot will run in three local authorities: Essex, Leeds and Kent.",
        {"Essex": "LocalAuthority", "Leeds": "LocalAuthority", "Kent": "LocalAuthority"},
    ),
    (
        "Councils, including Stockport and Wigan, reported overspends.",
        {"Stockport": "LocalAuthority", "Wigan": "LocalAuthority"},
    ),
    pytest.param(
        "Kent and Medway councils have agreed to share services.",
        {"Kent": "LocalAuthority", "Medway": "LocalAuthority"},
    ),
]

NOTHING = [
    # "HERE" is a link's text after a descriptor, not a think tank.
    "The think tank HERE published the findings.",
    "Read more from the think tank HERE.",
    # A descriptor before a person, or with no name after it.
    "Charity worker Jane Doe said she was worried.",
    "The charity's chief executive said demand had doubled.",
    "A council spokesman said the figures were being checked.",
]


@pytest.mark.parametrize(("body", "aliases", "mentions"), ACRONYMS)
def test_acronym_definitions(
    body: str, aliases: set[tuple[str, str]], mentions: dict[str, str | None]
) -> None:
    assert found(body) == (aliases, mentions)


@pytest.mark.parametrize(("body", "mentions"), DESCRIPTORS)
def test_descriptors_give_the_category(body: str, mentions: dict[str, str | None]) -> None:
    assert found(body) == (set(), mentions)


@pytest.mark.parametrize(("body", "mentions"), COUNCIL_LISTS)
def test_council_lists(body: str, mentions: dict[str, str | None]) -> None:
    assert found(body) == (set(), mentions)


@pytest.mark.parametrize("body", NOTHING)
def test_no_organisation(body: str) -> None:
    assert found(body) == (set(), {})


@pytest.mark.parametrize(
    "body",
    [
        "The service was rated inadequate in an Oftsed inspection last year.",
        "Figures from the Oftsed annual report show a decline.",
    ],
)
def test_a_misspelt_known_name_is_mentioned_as_written_and_stands_for_it(body: str) -> None:
    # The mention keeps the text's spelling (provenance stays verbatim); the gazetteer, which
    # `kg.resolve` consults, corrects it.
    assert found(body) == (set(), {"Oftsed": None})
    corrected = load_gazetteer().closest_entity("Oftsed")
    assert corrected is not None
    assert (corrected.label, corrected.category) == ("Ofsted", "Regulator")


def test_mentions_carry_their_sentence() -> None:
    article = parse_article(
        "Headline\n\nCouncils are struggling. The charity Become said care leavers were ignored.",
        "t7",
    )
    provenances = {fact.provenance for fact in organisations.extract(article)}
    assert len(provenances) == 1
    (provenance,) = provenances
    assert (provenance.article_id, provenance.extractor) == ("t7", "organisations")
    assert provenance.text == "The charity Become said care leavers were ignored."
    assert article.story[provenance.start : provenance.end] == provenance.text
