"""Each named question in kg/queries/ answers the sample corpus with its expected rows, in
both engines, with and without parameters; no parameter value can change what is asked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from pyparsing import ParseResults
from rdflib import RDFS, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.build import build
from kg.cli import main
from kg.corpus import bundled_samples
from kg.errors import QueryError
from kg.query import format_result, query_graph_file, run_query
from kg.questions import PARAMETER_PREFIX, Question, question_named, questions
from kg.store import open_graph

GOLDEN = Path(__file__).parent / "data" / "queries"


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    build([bundled_samples()], out, workers=1, html=False)
    return out


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def sample_graph(request: pytest.FixtureRequest, sample_out: Path) -> Graph | pyoxigraph.Store:
    """The sample graph as each engine answers it: parsed Turtle, and the build's store."""
    if request.param == "rdflib":
        return Graph().parse(sample_out / "graph.ttl")
    store = open_graph(sample_out / "graph.ttl")
    assert isinstance(store, pyoxigraph.Store)
    return store


def ask(
    graph: Graph | pyoxigraph.Store, name: str, params: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The rows `name` answers with `params`, each as {column: value as CSV prints it}."""
    question = question_named(name)
    bindings = question.bindings((params or {}).items())
    answer = format_result(question.answer(run_query(graph, question.text, bindings)), "csv")
    return list(csv.DictReader(io.StringIO(answer)))


@pytest.mark.parametrize("question", questions(), ids=lambda question: question.name)
def test_named_question_gives_its_golden_result(
    question: Question, sample_graph: Graph | pyoxigraph.Store
) -> None:
    answer = format_result(question.answer(run_query(sample_graph, question.text)), "csv")
    golden = (GOLDEN / f"{question.name}.csv").read_text(encoding="utf-8")
    assert answer.splitlines() == golden.splitlines()


def test_every_named_question_has_a_golden_result() -> None:
    assert {question.name for question in questions()} == {p.stem for p in GOLDEN.glob("*.csv")}


@pytest.mark.parametrize("question", questions(), ids=lambda question: question.name)
def test_each_question_says_what_it_answers_and_projects_its_parameters(
    question: Question,
) -> None:
    assert question.summary.endswith(".") and len(question.summary) > 30
    for parameter in question.parameters:
        assert parameter.help
        # Oxigraph takes a binding only for a variable in the projection.
        projection = question.text.split("WHERE", 1)[0]
        assert f"?{parameter.variable}" in projection
        # "Left out means any": each parameter is tested with COALESCE, as BOUND() cannot
        # see a value Oxigraph substitutes.
        assert (
            f"COALESCE(?{parameter.variable}," in question.text
            or f"COALESCE(STR(?{parameter.variable})," in question.text
        )
    assert "BOUND(?param_" not in question.text


def _descendants(node: object) -> Iterator[object]:
    """A parse tree's nodes and leaves (variables, terms), each before what it holds."""
    yield node
    if isinstance(node, CompValue):
        children: Iterable[object] = node.values()
    elif isinstance(node, list | tuple | ParseResults):
        children = node
    else:
        children = ()
    for child in children:
        yield from _descendants(child)


def _nodes(node: object, *names: str) -> Iterator[CompValue]:
    """Every node of a parse tree called one of `names`, outer ones first."""
    for descendant in _descendants(node):
        if isinstance(descendant, CompValue) and descendant.name in names:
            yield descendant


def _exists_patterns(node: object) -> Iterator[object]:
    """The group of each EXISTS and NOT EXISTS in a parse tree, outer ones first."""
    return (exists["graph"] for exists in _nodes(node, "Builtin_EXISTS", "Builtin_NOTEXISTS"))


def _patterns_joined(pattern: object) -> int:
    """How many triple patterns a group of rdflib's parse tree joins: a path counts its
    steps (its longest alternative's), the longest branch of a UNION counts, VALUES counts
    one, and an EXISTS within it counts nothing (it is a group of its own)."""
    if isinstance(pattern, CompValue):
        if pattern.name == "TriplesBlock":
            # "?s :p ?o ; :q ?x" is held as one flat list: s p o s p o.
            return sum(
                _path_steps(triple[index + 1])
                for triple in pattern["triples"]
                for index in range(0, len(triple) - 2, 3)
            )
        if pattern.name == "GroupOrUnionGraphPattern":
            return max(_patterns_joined(branch) for branch in pattern["graph"])
        if pattern.name == "InlineData":
            return 1
        if pattern.name in {"Builtin_EXISTS", "Builtin_NOTEXISTS"}:
            return 0
        return sum(_patterns_joined(value) for value in pattern.values())
    if isinstance(pattern, list | tuple | ParseResults):
        return sum(_patterns_joined(value) for value in pattern)
    return 0


def _path_steps(predicate: object) -> int:
    """The triple patterns a predicate's path joins: Oxigraph joins a sequence's steps
    inside an EXISTS as it joins triples, and a repeated step with itself."""
    if isinstance(predicate, CompValue) and "part" in predicate:
        parts = predicate["part"] if isinstance(predicate["part"], list | ParseResults) else []
        if predicate.name == "PathAlternative":
            return max(_path_steps(part) for part in parts)
        if predicate.name == "PathSequence":
            return sum(_path_steps(part) for part in parts)
        if predicate.name == "PathElt":
            repeated = 1 if "mod" in predicate else 0
            return _path_steps(predicate["part"]) + repeated
    return 1


@pytest.mark.parametrize("question", questions(), ids=lambda question: question.name)
def test_no_question_joins_patterns_inside_exists(question: Question) -> None:
    # Oxigraph plans a join inside EXISTS as if the row's variables were unbound, and so
    # read every membership and every name once a quotation (14 to 18 s for 1,000
    # articles, minutes at 10,000) and, in about one process in seven, a cartesian product
    # even with the parameter left out; a path of two steps is joined the same way. One
    # pattern or one-step path an EXISTS, nested to follow a chain, keeps each a lookup.
    tree = parseQuery(question.text)
    joined = [_patterns_joined(pattern) for pattern in _exists_patterns(tree)]
    assert all(count <= 1 for count in joined), joined


@pytest.mark.parametrize("question", questions(), ids=lambda question: question.name)
def test_a_parameter_left_out_skips_its_lookups(question: Question) -> None:
    # Under "||" both engines spent time on the EXISTS with the parameter left out (rdflib
    # 1.17 s against 0.21 s for quotes-about at 1,000 articles); IF evaluates one branch.
    for disjunction in _nodes(parseQuery(question.text), "ConditionalOrExpression"):
        # CompValue.get takes no default: it answers a missing key with the key's name.
        others = disjunction["other"] if "other" in disjunction else []  # noqa: SIM401
        operands = [disjunction["expr"], *others]
        if len(operands) < 2:  # the parser wraps every expression in one
            continue
        tests_a_parameter = any(
            isinstance(variable, Variable) and variable.startswith(PARAMETER_PREFIX)
            for operand in operands
            for coalesce in _nodes(operand, "Builtin_COALESCE")
            for variable in _descendants(coalesce["arg"][0])
        )
        looks_up = any(
            next(_nodes(operand, "Builtin_EXISTS", "Builtin_NOTEXISTS"), None) is not None
            for operand in operands
        )
        assert not (tests_a_parameter and looks_up), question.name


def test_exists_patterns_are_counted_as_joined() -> None:
    tree = parseQuery(
        "ASK { ?a ?b ?c"
        " FILTER EXISTS { ?a <p:x> ?m . ?m <p:y> ?o FILTER EXISTS { ?o ?p ?q } }"
        " FILTER EXISTS { { ?a <p:x> ?n ; <p:w> ?v } UNION { ?a <p:y>/<p:z> ?n } }"
        " FILTER EXISTS { ?a <p:x> ?m ; <p:y> ?n ; <p:z> ?o }"
        " FILTER EXISTS { ?a <p:x>|<p:y> ?m }"
        " FILTER EXISTS { ?a <p:x>/(<p:y>|<p:z>/<p:w>) ?m }"
        " FILTER EXISTS { ?a <p:x>+ ?m }"
        " FILTER EXISTS { VALUES ?m { 1 } ?a <p:x> ?m } }"
    )
    counts = [_patterns_joined(pattern) for pattern in _exists_patterns(tree)]
    assert counts == [2, 1, 2, 3, 1, 3, 2, 2]


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        # A board's members belong to its organisation; "the" and case do not matter, and
        # the organisation is found by its other name.
        (
            "posts",
            {"organisation": "the lga"},
            [("Judith Blake", "chair"), ("Roy Perry", "chairman")],
        ),
        (
            "posts",
            {"person": "Josh MacAlister", "since": "2021-01-01"},
            [("Josh MacAlister", "founder"), ("Josh MacAlister", "leader of the review")],
        ),
        (
            "posts",
            {"organisation": "NLGN", "since": "2019-01-01"},
            [("Adam Lent", "director")],
        ),
        ("posts", {"organisation": "Ofsted"}, []),
        (
            "organisation-people",
            {"organisation": "Local Government Association"},
            [("Judith Blake", "chair"), ("Roy Perry", "chairman")],
        ),
        (
            "organisation-people",
            {"organisation": "Frontline"},
            [("Josh MacAlister", "founder")],
        ),
    ],
)
def test_posts_and_people_by_organisation(
    sample_graph: Graph | pyoxigraph.Store,
    name: str,
    params: dict[str, str],
    expected: list[tuple[str, str]],
) -> None:
    assert [(row["person"], row["role"]) for row in ask(sample_graph, name, params)] == expected


def test_quotes_of_an_organisations_people_that_mention_a_word(
    sample_graph: Graph | pyoxigraph.Store,
) -> None:
    rows = ask(sample_graph, "quotes-about", {"organisation": "LGA", "mentioning": "OFSTED"})
    assert [(row["person"], row["date"]) for row in rows] == [("Roy Perry", "2016-02-04")]
    assert "Ofsted" in rows[0]["text"]
    everyone = ask(sample_graph, "quotes-about", {"organisation": "LGA"})
    assert [row["person"] for row in everyone] == ["Roy Perry", "Judith Blake"]


def test_jobs_by_council_place_salary_and_period(sample_graph: Graph | pyoxigraph.Store) -> None:
    rows = ask(
        sample_graph, "jobs", {"council": "Essex", "min_salary": "£40,000", "period": "year"}
    )
    assert [(row["title"], row["min"], row["max"], row["per"]) for row in rows] == [
        ("Project Officer - Fixed term", "42839.00", "46142.00", "YEAR"),
        (
            "Senior Practitioner - Leaving & Aftercare Team, Mid Essex",
            "46574.00",
            "56027.00",
            "YEAR",
        ),
    ]
    by_hour = ask(sample_graph, "jobs", {"period": "hour"})
    assert {row["per"] for row in by_hour} == {"HOUR"} and len(by_hour) == 2
    # A London borough by its place, and a council by its ONS code.
    assert [row["council"] for row in ask(sample_graph, "jobs", {"council": "Bromley"})] == [
        "London Borough of Bromley"
    ]
    assert [row["title"] for row in ask(sample_graph, "jobs", {"council": "E07000238"})] == [
        "Deputy Chief Executive & s.151 Officer"
    ]


def test_announcements_by_an_actor_and_since_a_day(sample_graph: Graph | pyoxigraph.Store) -> None:
    # "Mr Cameron" is one of David Cameron's names in the graph.
    by_him = ask(sample_graph, "announcements", {"by": "Mr Cameron"})
    assert {row["actor"] for row in by_him} == {"David Cameron"} and len(by_him) == 2
    recent = ask(sample_graph, "announcements", {"since": "2016-01-01"})
    assert [(row["actor"], row["date"]) for row in recent] == [
        ("All Party Parliamentary Group for Children", "2016-02-04"),
        ("UK Government", "2021-01-15"),
    ]
    assert recent[1]["leader"] == "Josh MacAlister"


def test_recommendations_by_publisher_and_report(sample_graph: Graph | pyoxigraph.Store) -> None:
    by_nlgn = ask(sample_graph, "recommendations", {"publisher": "NLGN"})
    assert len(by_nlgn) == 9
    assert {row["publisher"] for row in by_nlgn} == {"New Local Government Network"}
    report = "From Tiny Acorns: Communities Shaping the Future of Children's Services"
    assert len(ask(sample_graph, "recommendations", {"report": report})) == 9
    assert ask(sample_graph, "recommendations", {"publisher": "Ofsted"}) == []


def test_money_of_at_least_an_amount(sample_graph: Graph | pyoxigraph.Store) -> None:
    rows = ask(sample_graph, "reform-money", {"at_least": "1,000,000,000"})
    assert [row["amount"] for row in rows] == ["£3.1 billion", "£1.5 billion"]


def test_moves_between_organisations(sample_graph: Graph | pyoxigraph.Store) -> None:
    rows = ask(sample_graph, "moves", {"organisation": "frontline"})
    assert [(row["person"], row["organisation"], row["later_organisation"]) for row in rows] == [
        ("Josh MacAlister", "Frontline", "Independent review into children's social care")
    ]
    # A chair of a board is not moving when the board's organisation names them too.
    assert ask(sample_graph, "moves", {"person": "Roy Perry"}) == []


def test_sources_of_the_facts_about_someone(sample_graph: Graph | pyoxigraph.Store) -> None:
    rows = ask(sample_graph, "sources", {"about": "Cllr Roy Perry"})
    assert sorted(row["family"] for row in rows) == ["posts", "quotes"]
    membership = next(row for row in rows if row["family"] == "posts")
    assert membership["sentence"].startswith("Cllr Roy Perry, chairman of the Local Government")
    assert membership["headline"] and membership["date"] == "2016-02-04"
    assert membership["rule"] == "name_comma_post_of_org"
    one = ask(sample_graph, "sources", {"fact": membership["fact"]})
    assert [row["fact"] for row in one] == [membership["fact"]]


INJECTIONS = [
    'x") } UNION { ?membership ?p ?o } #',
    "lga' || true || '",
    '" . } SELECT * WHERE { ?s ?p ?o } #',
    "\\u0022) || true || (\\u0022",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_parameter_cannot_inject_sparql(
    sample_graph: Graph | pyoxigraph.Store, value: str
) -> None:
    # Bound as one literal, the text is a name that nothing has: no rows, no error.
    assert ask(sample_graph, "posts", {"organisation": value}) == []
    assert ask(sample_graph, "quotes-about", {"mentioning": value}) == []


def test_a_bound_literal_is_compared_as_a_term_whatever_it_holds() -> None:
    graph = Graph()
    tricky = 'Say "hi" } # \n and \\ more'
    graph.add((URIRef("urn:x"), RDFS.label, Literal(tricky)))
    graph.add((URIRef("urn:y"), RDFS.label, Literal("Say")))
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt").encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    text = "SELECT ?s ?wanted WHERE { ?s rdfs:label ?wanted }"
    for engine in (graph, store):
        rows = run_query(engine, text, {"wanted": Literal(tricky)}).rows
        assert [str(row[0]) for row in rows] == ["urn:x"]


def test_binding_a_variable_the_query_lacks_is_refused() -> None:
    with pytest.raises(QueryError, match=r"cannot bind \?nope"):
        run_query(Graph(), "SELECT ?s WHERE { ?s ?p ?o }", {"nope": Literal("x")})


def test_answers_alike_through_the_child_process_with_parameters(sample_out: Path) -> None:
    question = question_named("jobs")
    bindings = question.bindings([("council", "essex"), ("period", "day")])
    graph_file = sample_out / "graph.ttl"
    in_process = question.answer(run_query(open_graph(graph_file), question.text, bindings))
    in_child = question.answer(query_graph_file(graph_file, question.text, 30, bindings))
    answer = format_result(in_process, "csv")
    assert format_result(in_child, "csv") == answer
    assert len(answer.splitlines()) == 1 + 4  # the header and Essex's four day rates


@pytest.mark.parametrize("question", questions(), ids=lambda question: question.name)
def test_named_question_answers_alike_in_the_child_process_of_kg_query(
    question: Question, sample_out: Path
) -> None:
    """`kg query` asks the store in a child process and reads its answer back as TSV:
    every term must come back as the store gave it, in every output format."""
    graph_file = sample_out / "graph.ttl"
    store = open_graph(graph_file)
    for fmt in ("csv", "tsv", "json", "table"):
        in_process = format_result(question.answer(run_query(store, question.text)), fmt, 200)
        in_child = question.answer(query_graph_file(graph_file, question.text))
        assert format_result(in_child, fmt, width=200) == in_process


# ---- the command ---------------------------------------------------------------------


def test_kg_query_lists_the_questions_and_their_parameters() -> None:
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0, result.output
    for question in questions():
        assert question.name in result.output
    assert "min_salary=number" in result.output
    assert "period=year|month|week|day|hour" in result.output


def test_kg_query_asks_a_named_question_with_parameters(sample_out: Path) -> None:
    graph = str(sample_out / "graph.ttl")
    args = ["query", "--graph", graph, "--format", "csv", "--name", "posts"]
    result = CliRunner().invoke(main, [*args, "--param", "organisation=the LGA"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "person,role,organisation,partOf,seen",
        "Judith Blake,chair,Children and Young People Board,Local Government Association,2021-01-15",
        "Roy Perry,chairman,Children and Young People Board,Local Government Association,2016-02-04",
    ]
    # The name alone, in place of a query, asks it too.
    by_name = CliRunner().invoke(main, ["query", "posts", "--graph", graph, "--format", "csv"])
    assert by_name.exit_code == 0 and len(by_name.output.splitlines()) == 11
    assert PARAMETER_PREFIX not in by_name.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "nosuch"], "no named question 'nosuch'"),
        (["--name", "posts", "--param", "colour=red"], "posts has no parameter 'colour'"),
        (["--name", "posts", "--param", "since=last year"], "give a date as YYYY-MM-DD"),
        (["--name", "jobs", "--param", "min_salary=lots"], "give a number"),
        (["--name", "jobs", "--param", "period=fortnight"], "choose one of year, month"),
        (["--name", "posts", "--param", "since"], "write it as name=value"),
        (["--name", "posts", "-p", "person=a", "-p", "person=b"], "--param person is given twice"),
        (["--param", "a=b", "SELECT * WHERE {}"], "--param goes with a named question"),
        (["--list", "posts"], "--list takes no query"),
        ([], "give a QUERY, --name NAME or --list"),
    ],
)
def test_kg_query_refuses_bad_questions_in_one_line(
    sample_out: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(main, ["query", "--graph", str(sample_out / "graph.ttl"), *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 or "Usage" in result.output
