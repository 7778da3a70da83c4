"""Role holdings (person, role, organisation, unit, implied) from sentences written for the tests.

Names, organisations and posts are new, not copied from `kg/samples/`, so the cases check
that the patterns generalise to articles the extractor has not seen.
"""

from __future__ import annotations

import pytest

from kg.corpus import parse_article
from kg.extract import roles

Holding = tuple[str, str, str, str | None, bool]


def holdings(body: str) -> list[Holding]:
    article = parse_article("Headline\n\n" + body, "t1")
    return sorted(
        (fact.person, fact.role, fact.organisation, fact.unit, fact.organisation_implied)
        for fact in roles.extract(article)
    )


NAME_THEN_POST = [
    (
        "Priya Chandra, director of the CCN, said: ‘Funding has not kept pace.’",
        [("Priya Chandra", "director", "CCN", None, False)],
    ),
    (
        "Tobias Wren, Senior Policy Adviser at IPPR, said the figures were stark.",
        [("Tobias Wren", "senior policy adviser", "IPPR", None, False)],
    ),
    (
        "Rachel Okafor, chief executive of Barnardo's, said: ‘Children need help.’",
        [("Rachel Okafor", "chief executive", "Barnardo's", None, False)],
    ),
    (
        "Ruth Black, spokeswoman for the NSPCC, said: ‘Every call matters.’",
        [("Ruth Black", "spokeswoman", "NSPCC", None, False)],
    ),
    (
        "Bernard Hale, leader of Essex County Council, said the money was welcome.",
        [("Bernard Hale", "leader", "Essex County Council", None, False)],
    ),
    (
        "Joanna Price, a director at the consultancy Impower, said demand had risen.",
        [("Joanna Price", "director", "Impower", None, False)],
    ),
    # An organisation the gazetteer does not know, named by its capitalised words alone.
    (
        "Lena Marsh, director of the Nuffield Family Justice Observatory, said the data was striking.",
        [("Lena Marsh", "director", "Nuffield Family Justice Observatory", None, False)],
    ),
    # The acronym in brackets is a definition, not part of the organisation's name.
    (
        "Anna Fielding, chief executive of the Early Intervention Foundation (EIF), said the evidence was strong.",
        [("Anna Fielding", "chief executive", "Early Intervention Foundation", None, False)],
    ),
    (
        "Polly Mackenzie, director of the think tank Demos, said the findings were clear.",
        [("Polly Mackenzie", "director", "Demos", None, False)],
    ),
    (
        (
            "Dominic Fairweather, who is chief executive of Action for Children, said demand was rising."
        ),
        [("Dominic Fairweather", "chief executive", "Action for Children", None, False)],
    ),
    (
        (
            "Simon Marsh, head of policy at the Local Government Information Unit, said the reforms were welcome."
        ),
        [("Simon Marsh", "head of policy", "Local Government Information Unit", None, False)],
    ),
    (
        (
            "Rachel Okafor, chief executive of the children's charity Barnardo's, said: ‘Children need help.’"
        ),
        [("Rachel Okafor", "chief executive", "Barnardo's", None, False)],
    ),
    (
        ("Cllr Marion Hale, vice-chair of the County Councils Network, said the cuts hurt."),
        [("Cllr Marion Hale", "vice-chair", "County Councils Network", None, False)],
    ),
]

UNITS = [
    (
        "Cllr Marion Hale, chair of the LGA's Community Wellbeing Board, said: ‘This matters.’",
        [("Cllr Marion Hale", "chair", "LGA", "Community Wellbeing Board", False)],
    ),
    (
        "The chair of the Local Government Association's safer and stronger communities board, "
        "Nesil Farah, described the cuts as reckless.",
        [
            (
                "Nesil Farah",
                "chair",
                "Local Government Association",
                "safer and stronger communities board",
                False,
            )
        ],
    ),
    (
        "The chair of the County Councils Network’s children and young people’s panel, "
        "Graham Foxley, described the plans as overdue.",
        [
            (
                "Graham Foxley",
                "chair",
                "County Councils Network",
                "children and young people’s panel",
                False,
            )
        ],
    ),
]

POST_BEFORE_NAME = [
    (
        "Education secretary, Nadia Rahman, said: ‘We are acting.’",
        [("Nadia Rahman", "education secretary", "Department for Education", None, True)],
    ),
    (
        "Children's minister Kemi Adebayo said the money would help.",
        [("Kemi Adebayo", "children's minister", "Department for Education", None, True)],
    ),
    (
        "The Prime Minister, Eleanor Vance, said the review would report in the spring.",
        [("Eleanor Vance", "prime minister", "UK Government", None, True)],
    ),
    (
        "Alice Webb, the children's commissioner for England, said the numbers were shocking.",
        [
            (
                "Alice Webb",
                "children's commissioner for england",
                "Children's Commissioner for England",
                None,
                True,
            )
        ],
    ),
    (
        "ADCS president Helen Brook said councils were struggling.",
        [("Helen Brook", "president", "ADCS", None, False)],
    ),
    (
        "Leeds City Council leader Omar Haddad said the city was ready.",
        [("Omar Haddad", "leader", "Leeds City Council", None, False)],
    ),
    (
        "Ofsted chief inspector Martin Oakes said standards had slipped.",
        [("Martin Oakes", "chief inspector", "Ofsted", None, False)],
    ),
    (
        "Ofsted’s chief inspector, Martin Oakes, said standards had slipped.",
        [("Martin Oakes", "chief inspector", "Ofsted", None, False)],
    ),
    (
        ("Chief social worker Naomi Bright said the reforms were overdue."),
        [("Naomi Bright", "chief social worker", "Department for Education", None, True)],
    ),
    (
        (
            "Kent County Council's director of children's services, Sarah Hammond, said: ‘We are ready.’"
        ),
        [("Sarah Hammond", "director of children's services", "Kent County Council", None, False)],
    ),
]

ACROSS_SENTENCES_AND_REVIEWS = [
    # "a former headteacher" is no post; founder of the charity is one, leader of the review another.
    (
        "An independent review of adoption support was announced in May.\n"
        "The review will be led by Harriet Cole, a former headteacher and founder of the "
        "social work charity Become.",
        [
            ("Harriet Cole", "founder", "Become", None, False),
            (
                "Harriet Cole",
                "leader of the review",
                "independent review of adoption support",
                None,
                False,
            ),
        ],
    ),
    (
        "The plans were announced today by the health secretary. Sajid Malik said they would "
        "cut waiting lists.",
        [("Sajid Malik", "health secretary", "Department of Health and Social Care", None, True)],
    ),
    # The name is a paragraph away from the post: no longer the same statement.
    (
        "The new fund was announced today by the education secretary.\n"
        "Councils have been waiting.\nNadia Rahman said it would transform support.",
        [],
    ),
    (
        "The new fund was announced today by the education secretary. The money will go to councils.",
        [],
    ),
]

APPOINTMENTS = [
    (
        ("Fiona Clarke has been appointed as director of children's services at Hackney Council."),
        [("Fiona Clarke", "director of children's services", "Hackney Council", None, False)],
    ),
    (
        (
            "Becky Lane, cabinet member for children's services at Kent County Council, said the "
            "service was improving."
        ),
        [
            (
                "Becky Lane",
                "cabinet member for children's services",
                "Kent County Council",
                None,
                False,
            )
        ],
    ),
]

NOTHING = [
    # A description, not a post.
    "Leah Winter, a former social worker, said the system was broken.",
    "Maria Lopes, a mother of two, said the service had let her down.",
    # A post the person no longer holds.
    "Former children's minister Edward Timms said the cuts were a mistake.",
    "Sophie Grant, former director of the NCB, said the system had changed.",
    # A post with no organisation.
    "Ian Dodds, chief executive, said the trust would improve.",
    # "the council" alone names no organisation the graph could hold: the article's council
    # is not known from this sentence, so the holding is dropped rather than invented.
    "Cllr Peter Lowe, the council's cabinet member for children, said the budget was tight.",
    # A surname with a title and nothing else.
    "Mr Brennan said the figures were worrying.",
    # No person.
    "A council spokesman said the department was reviewing the figures.",
    "Councils across England are facing a funding gap of £3bn.",
]


@pytest.mark.parametrize(("body", "expected"), NAME_THEN_POST)
def test_name_then_post(body: str, expected: list[Holding]) -> None:
    assert holdings(body) == sorted(expected)


@pytest.mark.parametrize(("body", "expected"), UNITS)
def test_post_in_a_unit_of_an_organisation(body: str, expected: list[Holding]) -> None:
    assert holdings(body) == sorted(expected)


@pytest.mark.parametrize(("body", "expected"), POST_BEFORE_NAME)
def test_post_before_name(body: str, expected: list[Holding]) -> None:
    assert holdings(body) == sorted(expected)


@pytest.mark.parametrize(("body", "expected"), ACROSS_SENTENCES_AND_REVIEWS)
def test_posts_across_sentences_and_review_leaders(body: str, expected: list[Holding]) -> None:
    assert holdings(body) == sorted(expected)


@pytest.mark.parametrize(("body", "expected"), APPOINTMENTS)
def test_appointments_and_posts_at_councils(body: str, expected: list[Holding]) -> None:
    assert holdings(body) == sorted(expected)


@pytest.mark.parametrize("body", NOTHING)
def test_sentences_without_a_post_yield_nothing(body: str) -> None:
    assert holdings(body) == []


def test_provenance_is_the_sentence_that_names_the_post() -> None:
    article = parse_article(
        "Headline\n\nCouncils are struggling. The scheme was announced by the chancellor. "
        "Rishi Patel told MPs it was fair.",
        "t9",
    )
    (fact,) = roles.extract(article)
    assert (fact.person, fact.role, fact.organisation) == (
        "Rishi Patel",
        "chancellor",
        "HM Treasury",
    )
    provenance = fact.provenance
    assert provenance.article_id == "t9"
    assert provenance.extractor == "roles"
    assert provenance.section == "story"
    assert provenance.text == "The scheme was announced by the chancellor."
    assert article.story[provenance.start : provenance.end] == provenance.text


FURTHER_POST_FORMS = [
    (
        "Mrs Marsh, who is also director of children's services at Wiltshire Council, added that "
        "demand was rising. Helen Marsh spoke first.",
        [("Mrs Marsh", "director of children's services", "Wiltshire Council", None, False)],
    ),
    (
        "Medway's cabinet member for children's services, Cllr Adam Price, said the council "
        "accepted the findings.",
        [
            (
                "Cllr Adam Price",
                "cabinet member for children's services",
                "Medway Council",
                None,
                False,
            )
        ],
    ),
    (
        "Robin Walker, who chairs the Education Select Committee, told The MJ that the inquiry "
        "would be wide-ranging.",
        [("Robin Walker", "chair", "Education Select Committee", None, False)],
    ),
    (
        "Sheffield City Council has appointed Dr Priya Mistry as its new director of children's "
        "services.",
        [
            (
                "Dr Priya Mistry",
                "director of children's services",
                "Sheffield City Council",
                None,
                False,
            )
        ],
    ),
    (
        "Children's commissioner for England, Dame Rachel de Souza, said: ‘Stability matters.’",
        [
            (
                "Dame Rachel de Souza",
                "children's commissioner for england",
                "Children's Commissioner for England",
                None,
                True,
            )
        ],
    ),
]


@pytest.mark.parametrize(("body", "expected"), FURTHER_POST_FORMS)
def test_further_post_forms(body: str, expected: list[Holding]) -> None:
    assert holdings(body) == expected
