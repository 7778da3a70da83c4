from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import GoldFileError
from kg.evaluate import (
    Evaluation,
    KindScore,
    evaluate,
    format_evaluation,
    load_gold,
    merge_gold_facts,
)
from kg.scoring import (
    amounts_close,
    normalise_name,
    overlap,
    person_key,
    roles_match,
    stem,
    titles_match,
)

PREFIXES = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <http://example.org/vocab#> .
@prefix : <http://example.org/id/> .
:a1 schema:identifier "a1" .
:a2 schema:identifier "a2" .
"""

ROY_PERRY = {
    "kind": "holds_role",
    "doc": "a1",
    "person": "Roy Perry",
    "role": "chairman",
    "organisation": "Local Government Association",
    "organisation_aliases": ["LGA"],
    "unit": "Children and Young People Board",
    "evidence": "Cllr Roy Perry, chairman of the LGA's Children and Young People Board, said ...",
}
ADAM_LENT = {
    "kind": "holds_role",
    "doc": "a1",
    "person": "Adam Lent",
    "role": "director",
    "organisation": "New Local Government Network",
    "organisation_aliases": ["NLGN"],
    "unit": None,
    "evidence": "Adam Lent, director of the NLGN, said ...",
}
EARLY_HELP = {
    "kind": "recommends",
    "doc": "a1",
    "report": "From Tiny Acorns: Communities Shaping the Future of Children's Services",
    "publisher": "New Local Government Network",
    "policy": "focus children's services on early intervention and prevention",
    "evidence": "...",
}
REVIEW = {
    "kind": "announces",
    "doc": "a2",
    "actor": "UK Government",
    "reform": "independent review of children's social care",
    "evidence": "...",
}
SOCIAL_WORKER = {
    "kind": "advertises",
    "doc": "a2",
    "council": "Essex County Council",
    "job_title": "Social Worker",
    "salary_min": 30000,
    "salary_max": 40000,
    "salary_unit": "YEAR",
    "evidence": "...",
}
TEAM_MANAGER = {
    "kind": "advertises",
    "doc": "a2",
    "council": "Essex County Council",
    "job_title": "Team Manager",
    "salary_min": None,
    "salary_max": 207,
    "salary_unit": "DAY",
    "evidence": "...",
}

GOLD = {
    "facts": [
        ROY_PERRY,
        ADAM_LENT,
        {**ADAM_LENT, "doc": "a2"},  # the same fact stated again: merged into one
        EARLY_HELP,
        REVIEW,
        SOCIAL_WORKER,
        TEAM_MANAGER,
    ],
    "entities": [
        {"label": "New Local Government Network", "type": "ThinkTank", "aliases": ["NLGN"]},
        {"label": "Local Government Association", "type": "Organisation", "aliases": ["LGA"]},
        {"label": "Nobody Mentioned", "type": "Person", "aliases": []},
    ],
}

# One of each: a membership matched through a role synonym (chair for chairman) and a
# board's parent, one matched twice (a duplicate), one wrong; a recommendation and an
# announcement in a namespace of their own; a job whose maximum is within half a percent
# (matched, but derived from the wrong article) and one whose day rate is not (wrong).
GRAPH = (
    PREFIXES
    + """
:lga skos:prefLabel "Local Government Association" ; skos:altLabel "LGA" .
:cyp-board rdfs:label "Children and Young People Board" ; org:unitOf :lga .
:nlgn skos:prefLabel "New Local Government Network" .
:nlgn-again rdfs:label "NLGN" .

:m-perry a org:Membership ; org:member :roy-perry ; org:organization :cyp-board ;
    org:role :chair ; prov:wasDerivedFrom :a1 .
:roy-perry foaf:name "Cllr Roy Perry" .
:chair rdfs:label "chair" .

:m-lent-1 a org:Membership ; org:member :adam-lent ; org:organization :nlgn ;
    org:role :director ; prov:wasDerivedFrom :a2 .
:m-lent-2 a org:Membership ; org:member :adam-lent ; org:organization :nlgn ;
    org:role :director ; prov:wasDerivedFrom :a1 .
:adam-lent schema:name "Adam Lent" .
:director rdfs:label "director" .

:m-jarritt a org:Membership ; org:member :molly-jarritt ; org:organization :nlgn-again ;
    org:role :officer ; prov:wasDerivedFrom :a1 .
:molly-jarritt schema:name "Molly Jarritt" .
:officer rdfs:label "senior external affairs officer" .

:acorns schema:name "From Tiny Acorns: Communities Shaping the Future of Children's Services" ;
    schema:publisher :nlgn ; ex:recommends :early-help ; prov:wasDerivedFrom :a1 .
:early-help rdfs:label "focusing children's services on early intervention and prevention" .

:government rdfs:label "UK Government" ; ex:announces :review .
:review rdfs:label "an independent review of children's social care" ;
    prov:wasDerivedFrom :a2 .

:essex schema:name "Essex County Council" .
:job-1 a schema:JobPosting ; schema:title "Social Worker" ; schema:hiringOrganization :essex ;
    schema:baseSalary [ schema:value [ schema:minValue 30000 ; schema:maxValue 40100 ;
                                       schema:unitText "YEAR" ] ] ;
    prov:wasDerivedFrom :a1 .
:job-2 a schema:JobPosting ; schema:title "Team Manager" ; schema:hiringOrganization :essex ;
    schema:baseSalary [ schema:value [ schema:maxValue 210 ; schema:unitText "DAY" ] ] ;
    prov:wasDerivedFrom :a2 .
"""
)


def parse(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def kind(evaluation: Evaluation, name: str) -> KindScore:
    return next(score for score in evaluation.kinds if score.kind == name)


def counts(score: KindScore) -> tuple[int, int, int]:
    return score.gold, score.predicted, score.matched


@pytest.fixture
def evaluation() -> Evaluation:
    return evaluate(parse(GRAPH), GOLD)


def test_kinds_are_scored_in_name_order(evaluation: Evaluation) -> None:
    assert [score.kind for score in evaluation.kinds] == [
        "advertises",
        "announces",
        "holds_role",
        "recommends",
    ]


def test_roles_duplicates_and_wrong_membership(evaluation: Evaluation) -> None:
    roles = kind(evaluation, "holds_role")
    # Adam Lent's two memberships state one gold fact: one match, one duplicate not counted.
    assert counts(roles) == (2, 3, 2)
    assert roles.precision == pytest.approx(2 / 3)
    assert roles.recall == 1.0
    assert roles.f1 == pytest.approx(0.8)
    assert roles.missed == ()
    assert roles.wrong == ("Molly Jarritt — senior external affairs officer — NLGN [a1]",)


def test_jobs_salary_closeness(evaluation: Evaluation) -> None:
    jobs = kind(evaluation, "advertises")
    assert counts(jobs) == (2, 2, 1)
    assert (jobs.precision, jobs.recall, jobs.f1) == (0.5, 0.5, 0.5)
    assert jobs.missed == ("Essex County Council: Team Manager (up to £207 per day) [a2]",)
    assert jobs.wrong == ("Essex County Council: Team Manager (up to £210 per day) [a2]",)


def test_recommends_and_announces_in_any_namespace(evaluation: Evaluation) -> None:
    for name in ("recommends", "announces"):
        score = kind(evaluation, name)
        assert counts(score) == (1, 1, 1)
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_overall(evaluation: Evaluation) -> None:
    overall = evaluation.overall
    assert overall.kind == "all"
    assert counts(overall) == (6, 7, 5)
    assert overall.precision == pytest.approx(5 / 7)
    assert overall.recall == pytest.approx(5 / 6)
    assert overall.f1 == pytest.approx(10 / 13)
    assert len(overall.missed) == 1
    assert len(overall.wrong) == 2


def test_provenance_of_matched_memberships_and_jobs(evaluation: Evaluation) -> None:
    # Roy Perry (a1) and Adam Lent (gold in a1 and a2) trace; the Social Worker job
    # is derived from a1 but stated in a2.
    assert (evaluation.provenance_traced, evaluation.provenance_traceable) == (2, 3)


def test_split_entity_is_reported(evaluation: Evaluation) -> None:
    assert evaluation.entities_one_node == 1
    assert evaluation.entities_total == 3
    assert evaluation.entities_split == ("New Local Government Network",)


def test_no_entities_no_check() -> None:
    result = evaluate(parse(GRAPH), {"facts": [REVIEW]})
    assert (result.entities_one_node, result.entities_total, result.entities_split) == (
        None,
        None,
        (),
    )


def test_only_kinds_in_the_gold_file_are_scored() -> None:
    result = evaluate(parse(GRAPH), {"facts": [REVIEW]})
    assert [score.kind for score in result.kinds] == ["announces"]
    assert counts(result.overall) == (1, 1, 1)
    assert result.provenance_traceable == 0


def test_report(evaluation: Evaluation) -> None:
    text = format_evaluation(evaluation, width=100)
    lines = text.splitlines()
    assert lines[0].split() == ["kind", "gold", "predicted", "matched", "precision", "recall", "F1"]
    assert ["holds_role", "2", "3", "2", "0.67", "1.00", "0.80"] in [line.split() for line in lines]
    assert ["all", "6", "7", "5", "0.71", "0.83", "0.77"] in [line.split() for line in lines]
    assert (
        "  missed  advertises: Essex County Council: Team Manager (up to £207 per day) [a2]"
        in lines
    )
    assert (
        "  wrong   holds_role: Molly Jarritt — senior external affairs officer — NLGN [a1]" in lines
    )
    assert lines[-3:] == [
        "provenance: 2/3 matched membership and job facts trace to their article",
        "entities resolved to one node: 1/3 (split: New Local Government Network)",
        "overall F1 0.77",
    ]


def test_report_without_listing(evaluation: Evaluation) -> None:
    text = format_evaluation(evaluation, show=False, width=100)
    assert "missed" not in text
    assert "wrong" not in text
    assert text.endswith("overall F1 0.77")


# ---- matching rules -------------------------------------------------------------------


def job_graph(
    title: str, maximum: str, unit: str = "YEAR", schema: str = "https", job: str = "job"
) -> Graph:
    return parse(
        PREFIXES.replace("https://schema.org/", f"{schema}://schema.org/")
        + f"""
:essex schema:name "Essex County Council" .
:{job} a schema:JobPosting ; schema:title "{title}" ; schema:hiringOrganization :essex ;
    schema:baseSalary [ schema:value [ schema:minValue 30000 ; schema:maxValue {maximum} ;
                                       schema:unitText "{unit}" ] ] ;
    prov:wasDerivedFrom :a2 .
"""
    )


@pytest.mark.parametrize(
    ("maximum", "unit", "matched"),
    [
        ("40000", "YEAR", 1),
        ("40200", "YEAR", 1),  # half a percent of 40,000 is 200
        ("40201", "YEAR", 0),
        ("39800.0", "YEAR", 1),
        ("40000", "year", 1),  # unitText is compared in capitals
        ("40000", "MONTH", 0),
    ],
)
def test_salary_must_be_close_and_in_the_same_unit(maximum: str, unit: str, matched: int) -> None:
    result = evaluate(job_graph("Social Worker", maximum, unit), {"facts": [SOCIAL_WORKER]})
    assert kind(result, "advertises").matched == matched


def test_http_schema_org_is_accepted() -> None:
    result = evaluate(
        job_graph("Social Worker", "40000", schema="http"), {"facts": [SOCIAL_WORKER]}
    )
    assert counts(kind(result, "advertises")) == (1, 1, 1)
    assert (result.provenance_traced, result.provenance_traceable) == (1, 1)


def test_job_title_with_a_typo_still_matches() -> None:
    result = evaluate(job_graph("Social Workr", "40000"), {"facts": [SOCIAL_WORKER]})
    assert kind(result, "advertises").matched == 1


def test_a_job_advertised_twice_is_one_match_and_no_error() -> None:
    graph = job_graph("Social Worker", "40000") + job_graph("Social Worker", "40000", job="job-2")
    result = evaluate(graph, {"facts": [SOCIAL_WORKER]})
    score = kind(result, "advertises")
    assert counts(score) == (1, 1, 1)
    assert score.wrong == ()


def test_post_held_through_org_holds() -> None:
    graph = parse(
        PREFIXES
        + """
:roy-perry org:holds :post ; rdfs:label "Roy Perry" .
:post org:postIn :lga ; org:role [ rdfs:label "Chairwoman" ] ; prov:wasDerivedFrom :a1 .
:lga rdfs:label "LGA" .
"""
    )
    result = evaluate(graph, {"facts": [ROY_PERRY]})
    assert counts(kind(result, "holds_role")) == (1, 1, 1)
    assert (result.provenance_traced, result.provenance_traceable) == (1, 1)


def test_membership_without_organisation_is_not_a_fact() -> None:
    graph = parse(PREFIXES + ':m a org:Membership ; org:member [ rdfs:label "Roy Perry" ] .')
    result = evaluate(graph, {"facts": [ROY_PERRY]})
    assert counts(kind(result, "holds_role")) == (1, 0, 0)
    assert result.overall.f1 == 0.0


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("chairman", "chair", True),
        ("chair", "Chairperson", True),
        ("director of children's services", "director", True),
        ("lead member for children's services", "lead member for children", True),
        ("cabinet member for children", "cabinet member for schools", True),  # 2 of 4 words
        ("cabinet member for children", "cabinet member for young people", False),  # 2 of 5
        ("chief executive", "chair", False),
        ("director", "", False),
    ],
)
def test_roles_match(gold: str, predicted: str, same: bool) -> None:
    assert roles_match(gold, predicted) is same


@pytest.mark.parametrize(
    ("gold", "predicted", "close"),
    [
        (40000, 40200, True),
        (40000, 39799, False),
        (207, 208, True),  # within 1.035
        (207, 209, False),
        (0, 0.01, True),  # a penny either way
        (None, None, True),
        (None, 30000, False),
        (30000, None, False),
    ],
)
def test_amounts_close(gold: float | None, predicted: float | None, close: bool) -> None:
    assert amounts_close(gold, predicted) is close


def test_name_normalisation() -> None:
    assert normalise_name("Children’s Services & Care") == "children services and care"
    assert person_key("Cllr Dr Judith Blake") == "judith blake"
    assert titles_match("Qualified Social Worker", "Qualified Social Worker.")
    assert not titles_match("Social Worker", "Senior Social Worker - Assessment Team")


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("funding", "fund"),
        ("reviews", "review"),
        ("boxes", "boxe"),  # too short to lose "es", long enough to lose "s"
        ("cared", "cared"),  # a stem keeps at least four letters
        ("bus", "bus"),
    ],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_overlap_counts_the_shorter_text() -> None:
    # "a" and "of" are stop words; "reviewing" and "review" share a stem.
    assert overlap("reviewing children's care", "a review of children care") == 1.0
    assert overlap("children's services", "children's service") == 0.5  # "servic" ≠ "service"
    assert overlap("funding for new social workers", "social workers") == 1.0
    assert overlap("early intervention", "school meals") == 0.0


def test_gold_facts_repeated_across_articles_are_merged() -> None:
    repeated_policy = {**EARLY_HELP, "doc": "a2", "policy": EARLY_HELP["policy"] + " now"}
    other_salary = {**TEAM_MANAGER, "salary_max": 210}
    merged = merge_gold_facts(
        [
            ADAM_LENT,
            {**ADAM_LENT, "doc": "a2", "person": "Dr Adam Lent"},
            EARLY_HELP,
            repeated_policy,
            TEAM_MANAGER,
            other_salary,
        ]
    )
    assert [(fact.kind, fact.docs) for fact in merged] == [
        ("holds_role", ("a1", "a2")),
        ("recommends", ("a1", "a2")),
        ("advertises", ("a2",)),
        ("advertises", ("a2",)),
    ]
    assert merged[1].fields["policy"] == EARLY_HELP["policy"]


# ---- gold files -----------------------------------------------------------------------


def test_load_gold(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    assert load_gold(path) == GOLD


def test_load_gold_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    with pytest.raises(GoldFileError) as raised:
        load_gold(path)
    assert str(raised.value) == f"{path}: no such gold file"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"facts": [', "not valid JSON (Expecting value at line 1, column 12)"),
        ("[]", 'expected a JSON object with a "facts" list'),
        ('{"documents": []}', 'expected a JSON object with a "facts" list'),
        ('{"facts": [{"kind": "employs", "doc": "a1"}]}', "fact 1: unknown kind 'employs'"),
        (
            '{"facts": [{"kind": "announces", "doc": "a1", "actor": "DfE"}]}',
            'fact 1: announces needs a "reform" string',
        ),
        (
            '{"facts": [], "entities": [{"type": "Person"}]}',
            'entity 1: expected an object with a "label"',
        ),
    ],
)
def test_load_gold_rejects_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldFileError) as raised:
        load_gold(path)
    assert str(raised.value).startswith(f"{path}: {message}")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("fact", "message"),
    [
        (
            {**SOCIAL_WORKER, "salary_min": "abc"},
            '"salary_min" is "abc"; expected a number or null',
        ),
        ({**SOCIAL_WORKER, "salary_min": [1]}, '"salary_min" is [1]; expected a number or null'),
        ({**SOCIAL_WORKER, "salary_max": True}, '"salary_max" is true; expected a number or null'),
        (
            {**SOCIAL_WORKER, "salary_max": float("nan")},
            '"salary_max" is NaN; expected a number or null',
        ),
        (
            {**SOCIAL_WORKER, "salary_unit": 5},
            '"salary_unit" is 5; expected one of HOUR, DAY, WEEK, MONTH, YEAR or null',
        ),
        (
            {**SOCIAL_WORKER, "salary_unit": "per annum"},
            '"salary_unit" is "per annum"; expected one of HOUR, DAY, WEEK, MONTH, YEAR or null',
        ),
        (
            {**SOCIAL_WORKER, "location": {"town": "Leeds"}},
            '"location" is {"town": "Leeds"}; expected text or null',
        ),
        ({**SOCIAL_WORKER, "implied": "yes"}, '"implied" is "yes"; expected true or false'),
        ({**SOCIAL_WORKER, "evidence": 3}, '"evidence" is 3; expected text or null'),
        (
            {**ROY_PERRY, "organisation_aliases": "LGA"},
            '"organisation_aliases" is "LGA"; expected a list of texts or null',
        ),
        ({**ROY_PERRY, "unit": ["Board"]}, '"unit" is ["Board"]; expected text or null'),
        (
            {**SOCIAL_WORKER, "job_title": "Social Worker", "salary_min": "x" * 60},
            '"salary_min" is "' + "x" * 38 + "…; expected a number or null",
        ),
    ],
)
def test_a_gold_field_of_the_wrong_type_is_named_with_its_fact(
    tmp_path: Path, fact: dict[str, object], message: str
) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"facts": [ADAM_LENT, fact]}), encoding="utf-8")
    with pytest.raises(GoldFileError) as raised:
        load_gold(path)
    assert str(raised.value) == f"{path}: fact 2: {fact['kind']}: {message}"


def test_gold_fields_left_out_or_null_are_accepted(tmp_path: Path) -> None:
    sparse = {"kind": "advertises", "doc": "a1", "council": "Leeds", "job_title": "Social Worker"}
    nulls = {
        **SOCIAL_WORKER,
        **dict.fromkeys(["salary_min", "salary_max", "salary_unit", "location", "evidence"]),
        "implied": True,
    }
    gold = {"facts": [sparse, nulls, {**ROY_PERRY, "organisation_aliases": None}]}
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    assert load_gold(path) == gold


def test_entity_aliases_must_be_a_list_of_texts(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    gold = {"facts": [], "entities": [{"label": "NLGN", "aliases": "New Local Government Network"}]}
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(GoldFileError) as raised:
        load_gold(path)
    assert str(raised.value) == (
        f'{path}: entity 1: "aliases" is "New Local Government Network"; '
        "expected a list of texts or null"
    )


def test_evaluate_checks_a_gold_dict() -> None:
    with pytest.raises(GoldFileError, match='"facts" list'):
        evaluate(Graph(), {"fact": []})


# The same graph with the rules that found its facts: memberships and jobs carry theirs;
# the recommendation and announcement (another tool's vocabulary) record none.
RULED_GRAPH = (
    GRAPH
    + """
@prefix kg: <https://w3id.org/kg-ukcs/ontology#> .
:m-perry kg:extractor "roles" ; kg:rule "board_chair" .
:m-lent-1 kg:extractor "roles" ; kg:rule "appositive_post" .
:m-lent-2 kg:extractor "roles" ; kg:rule "appositive_post" .
:m-jarritt kg:extractor "roles" ; kg:rule "appositive_post" .
:job-1 kg:extractor "jobs" .
:job-2 kg:extractor "jobs" .
"""
)


def test_by_rule_counts_each_rules_facts_weakest_first() -> None:
    result = evaluate(parse(RULED_GRAPH), GOLD)
    # Adam Lent twice is one right fact told twice: both count as right for their rule;
    # a job with no rule counts under its extractor's name.
    assert [(rule.rule, rule.predicted, rule.matched) for rule in result.rules] == [
        ("jobs", 2, 1),
        ("roles:appositive_post", 3, 2),
        ("(no extractor recorded)", 2, 2),
        ("roles:board_chair", 1, 1),
    ]
    assert result.rules[1].precision == pytest.approx(2 / 3)


def test_by_rule_table_follows_the_scores() -> None:
    report = format_evaluation(evaluate(parse(RULED_GRAPH), GOLD), show=False, by_rule=True)
    before, after = report.split("by rule (weakest first):")
    assert "overall F1" in before
    rows = [line.split() for line in after.strip().splitlines()[2:]]
    assert rows[0] == ["jobs", "2", "1", "0.50"]
    assert rows[1] == ["roles:appositive_post", "3", "2", "0.67"]
    assert "by rule" not in format_evaluation(evaluate(parse(RULED_GRAPH), GOLD))
