"""Posts read off the parse (`kg.extract.posts`) and the roles family that the build runs.

Every sentence is written for the test with invented people and bodies ("Jane Doe",
"Anytown Trust"); councils are real names because they resolve through the UK list.
"""

from __future__ import annotations

import pytest

from kg.corpus import parse_article
from kg.document import Document
from kg.extract import posts
from kg.families import roles

Holding = tuple[str, str, str, bool, bool]
"""(person, role, organisation, organisation_implied, former)"""


def document(body: str) -> Document:
    return Document(parse_article("Headline\n\n" + body, "t1"))


def holdings(body: str) -> list[Holding]:
    return sorted(
        (fact.person, fact.role, fact.organisation, fact.organisation_implied, fact.former)
        for fact in roles.extract(document(body))
    )


def rules_fired(body: str) -> list[tuple[str, str]]:
    return sorted((fact.person, fact.provenance.rule) for fact in posts.extract(document(body)))


def xfail(body: str, expected: list, reason: str, id: str) -> object:
    return pytest.param(body, expected, marks=pytest.mark.xfail(reason=reason, strict=True), id=id)


POSTS = [
    pytest.param(
        "The Anytown Care Network has appointed Rhiannon Okafor as its new chief executive; "
        "Okafor was previously director of policy at the Northfield Children's Trust and "
        "before that head of policy at the Local Government Association.",
        [
            ("Rhiannon Okafor", "chief executive", "Anytown Care Network", False, False),
            ("Okafor", "director of policy", "Northfield Children's Trust", False, True),
            ("Okafor", "head of policy", "Local Government Association", False, True),
        ],
        id="appointed as its new post, then a career before that",
    ),
    pytest.param(
        "Leeds City Council said on Monday that Marcus Reid, currently head of safeguarding at "
        "the council, will become acting director of children's services in May.",
        [
            ("Marcus Reid", "head of safeguarding", "Leeds City Council", False, False),
            (
                "Marcus Reid",
                "acting director of children's services",
                "Leeds City Council",
                False,
                False,
            ),
        ],
        id="currently a post at the council, and will become another",
    ),
    pytest.param(
        "Children's Minister Jane Doe visited Barnsley. Tom Okafor, principal social worker at "
        "Barnsley Council, showed her round.",
        [
            ("Jane Doe", "children's minister", "Department for Education", True, False),
            ("Tom Okafor", "principal social worker", "Barnsley Council", False, False),
        ],
        id="a minister's title is no body; a principal social worker",
    ),
    pytest.param(
        "Kinfolk's chief executive, Aoife Brennan-Walsh, said the figures were alarming.",
        [("Aoife Brennan-Walsh", "chief executive", "Kinfolk", False, False)],
        id="a body owns its post; a hyphenated surname",
    ),
    pytest.param(
        "The panel includes Zofia Wiśniewska from the Anytown Family Justice Centre.",
        [("Zofia Wiśniewska", "representative", "Anytown Family Justice Centre", False, False)],
        id="someone from a body",
    ),
    pytest.param(
        "Amara Okonkwo, who previously ran a fostering agency, has been appointed chair of the "
        "Northfield Care Network's board.",
        [("Amara Okonkwo", "chair", "Northfield Care Network", False, False)],
        id="appointed, far from the name",
    ),
    pytest.param(
        "Barnsley children's services trust opens in April. The trust's board will be chaired "
        "by Tom Okafor.",
        [("Tom Okafor", "chair", "Barnsley Children's Services Trust", False, False)],
        id="a board chaired by, of a trust written in lower case",
    ),
    pytest.param(
        "The Anytown Review of Family Courts, chaired by Jane Doe, reports in June.",
        [("Jane Doe", "chair", "Anytown Review of Family Courts", False, False)],
        id="a titled review chaired by",
    ),
    pytest.param(
        "Tom Okafor, DCS for Barnsley and formerly president of the Anytown Managers Association, "
        "spoke first.",
        [
            ("Tom Okafor", "DCS", "Barnsley Metropolitan Borough Council", False, False),
            ("Tom Okafor", "president", "Anytown Managers Association", False, True),
        ],
        id="a post by acronym, then a former post joined by and",
    ),
    pytest.param(
        "Jane Doe, former director of the Anytown Improvement Board, will be the first chair "
        "of the Northfield Children's Trust.",
        [
            ("Jane Doe", "director", "Anytown Improvement Board", False, True),
            ("Jane Doe", "first chair", "Northfield Children's Trust", False, False),
        ],
        id="a former post, then the post to come",
    ),
    pytest.param(
        "Priya Mistry will take over as chief executive of the Anytown Children's Trust in May.",
        [("Priya Mistry", "chief executive", "Anytown Children's Trust", False, False)],
        id="takes over as",
    ),
    pytest.param(
        "Chief executive of the Northfield Care Network Tom Okafor said demand was rising.",
        [("Tom Okafor", "chief executive", "Northfield Care Network", False, False)],
        id="post of body, then the name with no comma",
    ),
    # Several people in one list, each with their organisation.
    pytest.param(
        "Witnesses: Jane Doe, Chief Executive, Anytown Trust; John Roe, Chair, Anytown Panel.",
        [
            ("Jane Doe", "chief executive", "Anytown Trust", False, False),
            ("John Roe", "chair", "Anytown Panel", False, False),
        ],
        id="list, post comma organisation",
    ),
    pytest.param(
        "The panel heard from Jane Doe, Chief Executive of the Anytown Trust, and John Roe, "
        "Chair of the Anytown Safeguarding Partnership.",
        [
            ("Jane Doe", "chief executive", "Anytown Trust", False, False),
            ("John Roe", "chair", "Anytown Safeguarding Partnership", False, False),
        ],
        id="list, post of organisation",
    ),
    # A post in brackets after a name.
    pytest.param(
        "The Anytown Safeguarding Panel met on Monday. Jane Doe (Chair) said the panel had "
        "agreed its plan.",
        [("Jane Doe", "chair", "Anytown Safeguarding Panel", False, False)],
        id="bracketed post, body in the sentence before",
    ),
    xfail(
        "Jane Doe (Chair of the Anytown Safeguarding Panel) said the panel had agreed its plan.",
        [("Jane Doe", "chair", "Anytown Safeguarding Panel", False, False)],
        "nothing: no rule reads an organisation inside the brackets",
        id="bracketed post of organisation",
    ),
    # "the current director, Jane Doe"
    xfail(
        "Ofsted rated Leeds City Council inadequate. The current director, Jane Doe, said the "
        "service was improving.",
        [("Jane Doe", "director", "Leeds City Council", False, False)],
        "implied=True: the council is the story's own, named a sentence before rather than in "
        "the post",
        id="the current director, council named before",
    ),
    pytest.param(
        "Leeds City Council's current director, Jane Doe, said the service was improving.",
        [("Jane Doe", "director", "Leeds City Council", False, False)],
        id="council's current director",
    ),
    # Titles with commas.
    pytest.param(
        "Jane Doe, assistant director, children and families, at Kent County Council, said the "
        "figures were worrying.",
        [
            (
                "Jane Doe",
                "assistant director, children and families",
                "Kent County Council",
                False,
                False,
            )
        ],
        id="title with commas, at council",
    ),
    pytest.param(
        "Jane Doe, Director for Care, Health and Housing, Leeds City Council, said the figures "
        "were worrying.",
        [("Jane Doe", "director for care, health and housing", "Leeds City Council", False, False)],
        id="capitalised title with commas, comma council",
    ),
    pytest.param(
        "Jane Doe, assistant director for children and families at Kent County Council, said "
        "the figures were worrying.",
        [
            (
                "Jane Doe",
                "assistant director for children and families",
                "Kent County Council",
                False,
                False,
            )
        ],
        id="title without commas, at council",
    ),
    # Appointments.
    pytest.param(
        "Jane Doe has been appointed as director of children's services at Leeds City Council.",
        [("Jane Doe", "director of children's services", "Leeds City Council", False, False)],
        id="has been appointed as",
    ),
    pytest.param(
        "Jane Doe has been named chief executive of Barnsley Council.",
        [("Jane Doe", "chief executive", "Barnsley Council", False, False)],
        id="has been named",
    ),
    pytest.param(
        "Jane Doe has been named as the new chief executive of the Anytown Children's Trust.",
        [("Jane Doe", "chief executive", "Anytown Children's Trust", False, False)],
        id="named as the new post of a new trust",
    ),
    pytest.param(
        "Priya Mistry has been named as the new chief executive of the Anytown Children's Trust.",
        [("Priya Mistry", "chief executive", "Anytown Children's Trust", False, False)],
        id="named as the new post, non-English name",
    ),
    pytest.param(
        "Barnsley Council has appointed Jane Doe as its new director of children's services.",
        [("Jane Doe", "director of children's services", "Barnsley Council", False, False)],
        id="council has appointed X as its new",
    ),
    pytest.param(
        "Leeds City Council has named Jane Doe as its new director of children's services.",
        [("Jane Doe", "director of children's services", "Leeds City Council", False, False)],
        id="council has named X as its new",
    ),
    # Chairs.
    pytest.param(
        "Jane Doe will chair the Anytown Safeguarding Panel.",
        [("Jane Doe", "chair", "Anytown Safeguarding Panel", False, False)],
        id="will chair",
    ),
    pytest.param(
        "Jane Doe, who chairs the Anytown Safeguarding Partnership, said the review was overdue.",
        [("Jane Doe", "chair", "Anytown Safeguarding Partnership", False, False)],
        id="who chairs",
    ),
    pytest.param(
        "Priya Mistry, who chairs the Anytown Safeguarding Partnership, said the review was "
        "overdue.",
        [("Priya Mistry", "chair", "Anytown Safeguarding Partnership", False, False)],
        id="who chairs, non-English name",
    ),
    # Career histories: former posts stay former.
    pytest.param(
        "Jane Doe was previously chief executive of the Anytown Trust and director of social "
        "care at Leeds City Council.",
        [
            ("Jane Doe", "chief executive", "Anytown Trust", False, True),
            ("Jane Doe", "director of social care", "Leeds City Council", False, True),
        ],
        id="previously two posts",
    ),
    pytest.param(
        "Jane Doe joined the council in March. She was previously chief executive of the "
        "Anytown Trust.",
        [("Jane Doe", "chief executive", "Anytown Trust", False, True)],
        id="she was previously",
    ),
    pytest.param(
        "Priya Mistry, who was previously chief executive of the Anytown Trust, said the "
        "figures were worrying.",
        [("Priya Mistry", "chief executive", "Anytown Trust", False, True)],
        id="who was previously",
    ),
    pytest.param(
        "Jane Doe, former chief executive of Kent County Council, said the council had lost "
        "its way.",
        [("Jane Doe", "chief executive", "Kent County Council", False, True)],
        id="name, former post of council",
    ),
    pytest.param(
        "Former Kent chief executive Jane Doe said the council had lost its way.",
        [("Jane Doe", "chief executive", "Kent County Council", False, True)],
        id="former place post name",
    ),
    pytest.param(
        "Former Kent County Council chief executive Jane Doe said the council had lost its way.",
        [("Jane Doe", "chief executive", "Kent County Council", False, True)],
        id="former council post name",
    ),
    # Ministers by portfolio.
    pytest.param(
        "Immigration minister Jane Doe said the scheme would be expanded.",
        [("Jane Doe", "immigration minister", "UK Government", True, False)],
        id="immigration minister",
    ),
    pytest.param(
        "Communities minister Lord Doe said councils would be given more time.",
        [("Lord Doe", "communities minister", "UK Government", True, False)],
        id="communities minister, a peer",
    ),
    pytest.param(
        "Lord Doe, the communities minister, said councils would be given more time.",
        [("Lord Doe", "communities minister", "UK Government", True, False)],
        id="name, the minister",
    ),
    pytest.param(
        "Children's minister Jane Doe visited the school.",
        [("Jane Doe", "children's minister", "Department for Education", True, False)],
        id="children's minister is in the DfE",
    ),
    pytest.param(
        "Schools minister Lord Doe said more money would follow.",
        [("Lord Doe", "schools minister", "Department for Education", True, False)],
        id="schools minister is in the DfE",
    ),
    # Committee and panel chairs.
    pytest.param(
        "Education Committee chair Jane Doe said the evidence was clear.",
        [("Jane Doe", "chair", "Education Committee", False, False)],
        id="committee chair name",
    ),
    pytest.param(
        "The Education Committee took evidence. Committee chair Jane Doe said the evidence was "
        "clear.",
        [("Jane Doe", "chair", "Education Committee", False, False)],
        id="committee chair, committee named before",
    ),
    pytest.param(
        "Chair of the Anytown Committee, Jane Doe, said the evidence was clear.",
        [("Jane Doe", "chair", "Anytown Committee", False, False)],
        id="chair of the committee, name",
    ),
    pytest.param(
        "John Roe, chair of the Anytown Improvement Panel, said change was coming.",
        [("John Roe", "chair", "Anytown Improvement Panel", False, False)],
        id="chair of a panel",
    ),
    # Organisations no list knows.
    pytest.param(
        "Jane Doe, chief executive of Anytown Children's Trust, said the trust had made progress.",
        [("Jane Doe", "chief executive", "Anytown Children's Trust", False, False)],
        id="new children's trust",
    ),
    pytest.param(
        "The figures come from the charity Kinfolk. Jane Doe, chief executive of Kinfolk, said "
        "carers were struggling.",
        [("Jane Doe", "chief executive", "Kinfolk", False, False)],
        id="one-word charity, post of",
    ),
    pytest.param(
        "The figures come from the charity Kinfolk. Kinfolk chief executive Jane Doe said "
        "carers were struggling.",
        [("Jane Doe", "chief executive", "Kinfolk", False, False)],
        id="one-word charity before the post",
    ),
    pytest.param(
        "The figures were published by the Local Government Association. Its president Jane Doe "
        "said the report was timely.",
        [("Jane Doe", "president", "Local Government Association", False, False)],
        id="its president",
    ),
    pytest.param(
        "Ms Farrow, aged 51, has been director of children's services at Wigan Council since "
        "2016. Tom Okafor, 47, is head of safeguarding at Wigan Council.",
        [
            ("Ms Farrow", "director of children's services", "Wigan Council", False, False),
            ("Tom Okafor", "head of safeguarding", "Wigan Council", False, False),
        ],
        id="an age between the name and the verb",
    ),
    pytest.param(
        "Harriet Farrow was yesterday named as the new interim director of children's services "
        "at under-fire Wigan Council. Tom Okafor, chief executive of the struggling Anytown "
        "Trust, welcomed her.",
        [
            (
                "Harriet Farrow",
                "interim director of children's services",
                "Wigan Council",
                False,
                False,
            ),
            ("Tom Okafor", "chief executive", "Anytown Trust", False, False),
        ],
        id="a body described before its name; named yesterday",
    ),
    pytest.param(
        "Jane Doe will join from Wigan Council, where she has previously served as interim "
        "director of children's services. Tom Okafor came from Bolton Council, where he was "
        "head of safeguarding.",
        [
            ("Jane Doe", "interim director of children's services", "Wigan Council", False, True),
            ("Tom Okafor", "head of safeguarding", "Bolton Council", False, False),
        ],
        id="joins from a body, where she served as a post",
    ),
    pytest.param(
        "Bolton Council has appointed a new corporate director. Jane Doe has taken the role of "
        "corporate director for people and will join from Wigan Council, where she has "
        "previously served as interim director of children's services.",
        [
            ("Jane Doe", "corporate director for people", "Bolton Council", True, False),
            ("Jane Doe", "interim director of children's services", "Wigan Council", False, True),
        ],
        id="a new post, and will join from a body where she served as another",
    ),
    pytest.param(
        "Jane Doe has run the Anytown Trust since 2019, having previously spent time at Wigan "
        "Council as assistant director for safeguarding. Tom Okafor joined in May. Before that "
        "he worked for a decade at Bolton Council as head of fostering.",
        [
            ("Jane Doe", "assistant director for safeguarding", "Wigan Council", False, True),
            ("Tom Okafor", "head of fostering", "Bolton Council", False, True),
        ],
        id="spent time at a body as a post, the person named before",
    ),
    pytest.param(
        "Jane Doe has been appointed director of children's services at Kent County Council, "
        "replacing Tom Smith. She spent four years at Surrey County Council as head of "
        "safeguarding.",
        [
            ("Jane Doe", "director of children's services", "Kent County Council", False, False),
            ("Jane Doe", "head of safeguarding", "Surrey County Council", False, True),
        ],
        id="she: the appointee the sentence before is about, not the predecessor",
    ),
    pytest.param(
        "Jane Doe has been appointed director of children's services at Kent County Council. "
        "Council leader Tom Smith said he was delighted. She joins from Surrey County Council, "
        "where she was assistant director of safeguarding.",
        [
            (
                "Jane Doe",
                "assistant director of safeguarding",
                "Surrey County Council",
                False,
                False,
            ),
            ("Jane Doe", "director of children's services", "Kent County Council", False, False),
            ("Tom Smith", "leader", "Kent County Council", False, False),
        ],
        id="she: not the person quoted in between",
    ),
    pytest.param(
        "Jane Doe has worked at Kent County Council as director of children's services since "
        "2019. Tom Smith spent time at Surrey County Council as head of safeguarding before "
        "moving to Kent.",
        [
            ("Jane Doe", "director of children's services", "Kent County Council", False, False),
            ("Tom Smith", "head of safeguarding", "Surrey County Council", False, True),
        ],
        id="has worked since: a post held now; a post ends before 'since' and 'before'",
    ),
    pytest.param(
        "The Department for Education has sent commissioners to Wigan Council. Jane Doe, "
        "director of children's services at Kent County Council, will lead the review and has "
        "been appointed as commissioner for children's services at the council. Tom Okafor "
        "chaired the panel and was appointed chief executive of the Anytown Trust in 2019.",
        [
            ("Jane Doe", "commissioner for children's services", "Wigan Council", False, False),
            ("Jane Doe", "director of children's services", "Kent County Council", False, False),
            ("Tom Okafor", "chief executive", "Anytown Trust", False, False),
        ],
        id="appointed, joined by 'and' to the verb whose subject the person is",
    ),
    pytest.param(
        "Wigan Council has a new director. Council leader Jane Doe has appointed Tom Smith as "
        "director of children's services. Education secretary Ann Lee issued a statutory "
        "direction and has appointed Tom Okafor commissioner for children's services at Sandwell "
        "Council.",
        [
            ("Ann Lee", "education secretary", "Department for Education", True, False),
            ("Jane Doe", "leader", "Wigan Council", False, False),
        ],
        id="who appoints holds no post she appoints to",
    ),
]

NOTHING = [
    pytest.param("Jane Doe, 2019, is a name the council will remember.", id="a year is no age"),
    pytest.param(
        "The review will report in May. She spent four years at Wigan Council as head of "
        "safeguarding.",
        id="she: no sentence before makes a person its subject",
    ),
    pytest.param(
        "She said she worked at Wigan Council as a volunteer for years.", id="worked as no post"
    ),
    pytest.param(
        "Jane Doe, a mother of two, said she had waited months for help.", id="mother of two"
    ),
    pytest.param("John Roe, a former teacher, said the school had changed.", id="former teacher"),
    pytest.param("The director said the service had improved.", id="the director, no name"),
    pytest.param(
        "The review was backed by Barnardo's, the NSPCC, Action for Children and the Children's "
        "Society.",
        id="bodies, no people",
    ),
]

# The parse rule each form is meant to fire (provenance.rule), read off posts.extract alone.
RULES = [
    pytest.param(
        "Witnesses: Jane Doe, Chief Executive, Anytown Trust; John Roe, Chair, Anytown Panel.",
        [("Jane Doe", "name_comma_post_comma_org"), ("John Roe", "name_comma_post_comma_org")],
        id="name_comma_post_comma_org",
    ),
    pytest.param(
        "Jane Doe has been appointed as director of children's services at Leeds City Council.",
        [("Jane Doe", "name_appointed_post_of_org")],
        id="name_appointed_post_of_org",
    ),
    pytest.param(
        "Barnsley Council has appointed Jane Doe as its new director of children's services.",
        [("Jane Doe", "org_appointed_name_as_post")],
        id="org_appointed_name_as_post",
    ),
    pytest.param(
        "Jane Doe will chair the Anytown Safeguarding Panel.",
        [("Jane Doe", "name_chairs_org")],
        id="name_chairs_org",
    ),
    pytest.param(
        "Immigration minister Jane Doe said the scheme would be expanded.",
        [("Jane Doe", "post_name")],
        id="post_name",
    ),
    pytest.param(
        "Chair of the Anytown Committee, Jane Doe, said the evidence was clear.",
        [("Jane Doe", "post_of_org_comma_name")],
        id="post_of_org_comma_name",
    ),
    pytest.param(
        "The figures were published by the Local Government Association. Its president Jane Doe "
        "said the report was timely.",
        [("Jane Doe", "its_post_name")],
        id="its_post_name",
    ),
    pytest.param(
        "Jane Doe, former chief executive of Kent County Council, said the council had lost "
        "its way.",
        [("Jane Doe", "name_comma_post_of_org")],
        id="name_comma_post_of_org",
    ),
    pytest.param(
        "Priya Mistry, director of children's services at Leeds City Council, said the figures "
        "were worrying.",
        [("Priya Mistry", "name_comma_post_of_org")],
        id="a name the model misses, beside its post",
    ),
    pytest.param(
        "The Anytown Safeguarding Panel met on Monday. Jane Doe (Chair) said the panel had "
        "agreed its plan.",
        [("Jane Doe", "name_bracket_post")],
        id="name_bracket_post",
    ),
]


@pytest.mark.parametrize(("body", "expected"), POSTS)
def test_posts(body: str, expected: list[Holding]) -> None:
    assert holdings(body) == sorted(expected)


@pytest.mark.parametrize("body", NOTHING)
def test_no_post(body: str) -> None:
    assert holdings(body) == []


@pytest.mark.parametrize(("body", "expected"), RULES)
def test_rule_names(body: str, expected: list[tuple[str, str]]) -> None:
    assert rules_fired(body) == sorted(expected)
