"""The job extractor: adverts in an article's advert block, and nothing from the promos."""

from __future__ import annotations

import pytest

from kg.corpus import parse_article
from kg.extract import jobs
from kg.model import Article, JobAdvert, OrganisationMention

STORY = """Councils are struggling to recruit children's social workers, a survey has found.

The survey of 120 councils was published today."""

ADVERTS = """Team Manager - Fostering Service

Kent County Council
£48,000 - £52,000 per annum
Lead a friendly team supporting foster carers across the county. Maidstone, Kent
Recuriter: Kent County Council

Family Support Worker

Leeds City Council
£13.50 - £15.00 per hour
Family Support WorkerPermanent, Part Time - 22.5 hours£13.50 - £15.00 per hourLocation
Recuriter: Leeds City Council

Head of Children's Commissioning

Bristol City Council
package to £85k
We are supporting Bath and North East Somerset Council in a joint appointment. City Hall, College Green
Recuriter: Bristol City Council

Youth Worker

Norfolk County Council
£30,000 per annum
Youth WorkerPermanent, Full Time£30,000 per annumLocation
Recuriter: Norfolk County Council"""

PROMO = """Public Property

Latest issue - Public Property News

This issue of Public Property examines how councils can lead regeneration. Subscribe today.

Linkedin Banner"""

ARTICLE_TEXT = f"{STORY}\n\nSIGN UP\nFor your free daily news bulletin\nHighways jobs\n\n{ADVERTS}\n\n{PROMO}\n"


def article_of(body: str) -> Article:
    return parse_article("Headline\n\n" + body, "t1")


def adverts_of(article: Article) -> list[JobAdvert]:
    return [fact for fact in jobs.extract(article) if isinstance(fact, JobAdvert)]


def pay(advert: JobAdvert) -> tuple[str, float | None, float | None, str | None] | None:
    salary = advert.salary
    return None if salary is None else (salary.text, salary.minimum, salary.maximum, salary.unit)


# (index in the block, title, council, pay (text, min, max, unit), employment, location, description)
BLOCK_ADVERTS = [
    (
        0,
        "Team Manager - Fostering Service",
        "Kent County Council",
        ("£48,000 - £52,000 per annum", 48000.0, 52000.0, "YEAR"),
        None,
        "Maidstone, Kent",
        "Lead a friendly team supporting foster carers across the county.",
    ),
    (
        1,
        "Family Support Worker",
        "Leeds City Council",
        ("£13.50 - £15.00 per hour", 13.5, 15.0, "HOUR"),
        "Permanent, Part Time - 22.5 hours",
        None,  # the glued form ends in the placeholder "Location", not a place
        "Family Support WorkerPermanent, Part Time - 22.5 hours£13.50 - £15.00 per hourLocation",
    ),
    (
        2,
        "Head of Children's Commissioning",
        "Bristol City Council",
        ("package to £85k", None, 85000.0, "YEAR"),
        None,
        "City Hall, College Green",
        "We are supporting Bath and North East Somerset Council in a joint appointment.",
    ),
    (
        3,
        "Youth Worker",
        "Norfolk County Council",
        ("£30,000 per annum", 30000.0, 30000.0, "YEAR"),
        "Permanent, Full Time",
        None,
        "Youth WorkerPermanent, Full Time£30,000 per annumLocation",
    ),
]


@pytest.mark.parametrize(
    ("index", "title", "council", "salary", "employment", "location", "description"),
    BLOCK_ADVERTS,
)
def test_each_advert_of_the_block(
    index: int,
    title: str,
    council: str,
    salary: tuple[str, float | None, float | None, str | None],
    employment: str | None,
    location: str | None,
    description: str,
) -> None:
    advert = adverts_of(article_of(ARTICLE_TEXT))[index]
    assert advert.title == title
    assert advert.council == council
    assert pay(advert) == salary
    assert advert.employment_type == employment
    assert advert.location == location
    assert advert.description == description


def test_block_yields_its_four_adverts_in_order_and_one_other_council() -> None:
    facts = list(jobs.extract(article_of(ARTICLE_TEXT)))
    assert [f.title for f in facts if isinstance(f, JobAdvert)] == [
        "Team Manager - Fostering Service",
        "Family Support Worker",
        "Head of Children's Commissioning",
        "Youth Worker",
    ]
    mentions = [(f.name, f.category) for f in facts if isinstance(f, OrganisationMention)]
    assert mentions == [("Bath and North East Somerset Council", "LocalAuthority")]


def test_promo_and_banner_are_outside_the_advert_block() -> None:
    article = article_of(ARTICLE_TEXT)
    assert article.advert_block.startswith("Team Manager - Fostering Service\n")
    assert article.advert_block.endswith("Recuriter: Norfolk County Council")
    for fact in jobs.extract(article):
        assert "Public Property" not in fact.provenance.text
        assert "Linkedin" not in fact.provenance.text


def test_advert_provenance_is_its_span_of_the_block() -> None:
    article = article_of(ARTICLE_TEXT)
    for advert in adverts_of(article):
        span = advert.provenance
        assert article.advert_block[span.start : span.end] == span.text
        assert span.text.startswith(advert.title)
        assert span.text.endswith(f"Recuriter: {advert.council}")
        assert (span.article_id, span.section, span.extractor) == ("t1", "adverts", "jobs")


# Articles with no advert in them: a story alone, a story and promos, a jobs heading and
# promos with no recruiter line.
NO_ADVERTS = [
    STORY,
    f"{STORY}\n\n{PROMO}",
    f"{STORY}\n\nHighways jobs\n\n{PROMO}",
    f"{STORY}\n\nSIGN UP\nFor your free daily news bulletin\n\nLinkedin Banner",
]


@pytest.mark.parametrize("body", NO_ADVERTS)
def test_article_without_adverts_yields_nothing(body: str) -> None:
    article = article_of(body)
    assert article.advert_block == ""
    assert list(jobs.extract(article)) == []


def one_advert(advert: str) -> Article:
    return article_of(f"{STORY}\n\nHighways jobs\n\n{advert}\n\n{PROMO}")


# (one advert's lines, title, council, pay, employment, location)
SINGLE_ADVERTS = [
    (
        "Youth Worker\n\nNorfolk County Council\nCompetitive\n"
        "Youth WorkerFixed term, Full Time£30,000 per annumLocation\n"
        "Recuriter: Norfolk County Council",
        "Youth Worker",
        "Norfolk County Council",
        ("Competitive", None, None, None),
        "Fixed term, Full Time",
        None,
    ),
    (
        "Director of Children's Services\n\nSurrey County Council\n"
        "An exciting opportunity to lead our services. Kingston upon Thames, Surrey\n"
        "Recuriter: Surrey County Council",
        "Director of Children's Services",
        "Surrey County Council",
        None,  # no pay line
        None,
        "Kingston upon Thames, Surrey",
    ),
    (
        "Director of Business Development\n\nNorth Yorkshire County Council\n"
        "50-60k + relocation allowance\n"
        "We are looking for a person to deliver our objectives set out in... North Yorkshire\n"
        "Recuriter: North Yorkshire County Council",
        "Director of Business Development",
        "North Yorkshire County Council",
        ("50-60k + relocation allowance", 50000.0, 60000.0, "YEAR"),
        None,
        "North Yorkshire",
    ),
    (
        "Housing Officer\n\nMansfield District Council\n£34,434 - £39,152 per annum\n"
        "Mansfield is a great place to work with generous holiday Mansfield, Nottinghamshire\n"
        "Recuriter: Mansfield District Council",
        "Housing Officer",
        "Mansfield District Council",
        ("£34,434 - £39,152 per annum", 34434.0, 39152.0, "YEAR"),
        None,
        None,  # no full stop before the place: the place cannot be told from the text
    ),
    (
        "School Crossing Patrol Officer - Hill Primary School\n\nEssex County Council\n"
        "Up to £13.00 per hour\n"
        "School Crossing Patrol Officer - Hill Primary SchoolPermanent, Term Time£13.00 per hourLocation\n"
        "Recuriter: Essex County Council",
        "School Crossing Patrol Officer - Hill Primary School",
        "Essex County Council",
        ("Up to £13.00 per hour", None, 13.0, "HOUR"),
        "Permanent, Term Time",
        None,
    ),
    (
        "Project Officer - Fixed term\n\nEssex County Council\n£42839.0000 - £46142.0000 per annum\n"
        "Join our regeneration team for two years. England, Essex, Clacton-On-Sea\n"
        "Recruiter: Essex County Council",  # spelled correctly this time
        "Project Officer - Fixed term",
        "Essex County Council",
        ("£42839.0000 - £46142.0000 per annum", 42839.0, 46142.0, "YEAR"),
        "Fixed term",  # from the title when the description has none
        "England, Essex, Clacton-On-Sea",
    ),
    pytest.param(
        "Project Officer - Fixed term\n\nEssex County Council\n£42839.0000 - £46142.0000 per annum\n"
        "Join our regeneration team on a two-year contract. England, Essex, Clacton-On-Sea\n"
        "Recuriter: Essex County Council",
        "Project Officer - Fixed term",
        "Essex County Council",
        ("£42839.0000 - £46142.0000 per annum", 42839.0, 46142.0, "YEAR"),
        "Fixed term",
        "England, Essex, Clacton-On-Sea",
    ),
    pytest.param(
        "Temporary Accommodation Officer\n\nMansfield District Council\n£34,434 - £39,152 per annum\n"
        "Help families into settled homes. Mansfield, Nottinghamshire\n"
        "Recuriter: Mansfield District Council",
        "Temporary Accommodation Officer",
        "Mansfield District Council",
        ("£34,434 - £39,152 per annum", 34434.0, 39152.0, "YEAR"),
        None,
        "Mansfield, Nottinghamshire",
    ),
]


@pytest.mark.parametrize(
    ("advert", "title", "council", "salary", "employment", "location"), SINGLE_ADVERTS
)
def test_single_advert(
    advert: str,
    title: str,
    council: str,
    salary: tuple[str, float | None, float | None, str | None] | None,
    employment: str | None,
    location: str | None,
) -> None:
    adverts = adverts_of(one_advert(advert))
    assert len(adverts) == 1
    found = adverts[0]
    assert (found.title, found.council) == (title, council)
    assert pay(found) == salary
    assert found.employment_type == employment
    assert found.location == location


# (description line, recruiter, other councils the advert names)
OTHER_COUNCILS = [
    (
        "Essex County Council are delighted to be supporting Tendring District Council in the "
        "recruitment of a Project Officer. England, Essex, Clacton-On-Sea",
        "Essex County Council",
        ["Tendring District Council"],
    ),
    (
        "Lead a friendly team supporting foster carers. Maidstone, Kent",
        "Kent County Council",
        [],
    ),
    (
        "Kent County Council is recruiting for its fostering service. Maidstone, Kent",
        "Kent County Council",
        [],
    ),
    pytest.param(
        "We are supporting Bath and North East Somerset Council in a joint appointment. "
        "Bristol, City of Bristol",
        "Bristol City Council",
        ["Bath and North East Somerset Council"],
    ),
    pytest.param(
        "London Borough of Bromley Council is working hard to do things differently. "
        "The Civic Centre, Churchill Court",
        "London Borough of Bromley",
        [],
    ),
]


@pytest.mark.parametrize(("description", "recruiter", "councils"), OTHER_COUNCILS)
def test_other_councils_an_advert_names(
    description: str, recruiter: str, councils: list[str]
) -> None:
    advert = (
        f"Project Officer\n\n{recruiter}\n£40,000 per annum\n{description}\nRecuriter: {recruiter}"
    )
    facts = list(jobs.extract(one_advert(advert)))
    named = [f.name for f in facts if isinstance(f, OrganisationMention)]
    assert named == councils
    assert all(f.category == "LocalAuthority" for f in facts if isinstance(f, OrganisationMention))
