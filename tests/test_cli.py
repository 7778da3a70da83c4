from __future__ import annotations

import json
import re
import shutil
import time
import webbrowser
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.render import MAX_NODES


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    help_text = main.commands[command].help
    assert help_text and len(help_text.split()) >= 8, f"{command} needs real help text"
    assert help_text.split("\n")[0] in result.output


def test_build_prints_a_summary(built: Path, tmp_path: Path) -> None:
    assert (built / "graph.ttl").exists() and (built / "graph.html").exists()
    # A folder of its own: a --no-html build publishes an output set without graph.html,
    # which the view tests read from `built`.
    result = run("build", "--out", str(tmp_path), "--no-html")
    assert result.exit_code == 0
    assert "articles read" in result.output and "5" in result.output
    assert "advertises facts" in result.output and "20" in result.output
    assert "triples" in result.output and "seconds" in result.output


def test_build_of_a_missing_path_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_build_names_the_files_it_skipped_and_repaired(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Brackets, as in saved pages' `index[1].html`: in the console they would be markup.
    (corpus / "[bold]image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    story = "Ann Bo\0b chairs the board. " + "It welcomed the report on Thursday morning. " * 3
    (corpus / "nul.txt").write_text(f"A headline\n\n{story}\n", encoding="utf-8")
    result = run("build", str(corpus), "--out", str(tmp_path / "out"), "--no-html")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # the console wraps long lines
    assert f"skipped {corpus / '[bold]image.txt'}: not a text file (4 control characters)" in output
    assert f"repaired {corpus / 'nul.txt'}: 1 NUL or other control character dropped" in output
    assert "files repaired 1" in output


def test_query_answers_select_as_csv(built: Path) -> None:
    query = (
        "SELECT ?name WHERE { ?p a foaf:Person ; rdfs:label ?name . FILTER(?name = 'Adam Lent') }"
    )
    result = run("query", query, "--graph", str(built / "graph.ttl"), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["name", "Adam Lent"]


def test_query_reads_an_rq_file_and_prints_json(built: Path, tmp_path: Path) -> None:
    rq = tmp_path / "ofsted.rq"
    rq.write_text("ASK { ?o rdfs:label 'Ofsted' }", encoding="utf-8")
    result = run("query", str(rq), "--graph", str(built / "graph.ttl"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["boolean"] is True


def test_a_malformed_query_is_one_line_and_exit_2(built: Path) -> None:
    result = run("query", "SELECT WHERE {", "--graph", str(built / "graph.ttl"))
    assert result.exit_code == 2
    assert result.output.startswith("Error:")
    assert len(result.output.strip().splitlines()) == 1


def test_a_missing_graph_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run("query", "ASK {}", "--graph", str(tmp_path / "none.ttl"))
    assert result.exit_code == 2
    assert "no such graph file" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_view_prints_the_page_without_opening_it(built: Path) -> None:
    result = run("view", str(built / "graph.html"), "--no-open")
    assert result.exit_code == 0
    assert result.output.strip() == str((built / "graph.html").resolve())


def test_view_of_a_missing_page_says_to_build_and_exits_2_as_query_does(tmp_path: Path) -> None:
    page = tmp_path / "graph.html"
    result = run("view", str(page), "--no-open")
    assert result.exit_code == 2
    assert result.output == f"Error: {page}: no such page; run `kg build` first\n"
    assert run("query", "ASK {}", "--graph", str(tmp_path / "graph.ttl")).exit_code == 2


def test_view_opens_the_page_in_a_browser(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    result = run("view", str(built / "graph.html"))
    assert result.exit_code == 0
    assert opened == [(built / "graph.html").resolve().as_uri()]


def test_view_without_a_browser_gives_the_page_and_says_so(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    result = run("view", str(built / "graph.html"))
    assert result.exit_code == 1
    assert result.stdout == f"{(built / 'graph.html').resolve()}\n"
    assert result.stderr == (
        "Error: no browser could be opened; open the page above in one, or use --no-open\n"
    )


CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_that_would_run_for_hours_stops_on_time(built: Path) -> None:
    started = time.monotonic()
    result = run("query", CARTESIAN_COUNT, "--graph", str(built / "graph.ttl"), "--timeout", "1")
    assert time.monotonic() - started < 4
    assert result.exit_code == 2
    assert result.output == "Error: query stopped after 1 s (--timeout to allow longer)\n"


def test_the_default_time_limit_is_the_librarys() -> None:
    from kg import cli, query

    assert cli.DEFAULT_QUERY_TIMEOUT == query.DEFAULT_TIMEOUT
    assert "[default: 30; x>0]" in " ".join(run("query", "--help").output.split())


def test_a_time_limit_must_be_positive(built: Path) -> None:
    result = run("query", "ASK {}", "--graph", str(built / "graph.ttl"), "--timeout", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--timeout'" in result.output


def test_a_query_from_the_web_is_refused(built: Path) -> None:
    query = "SELECT * FROM <http://10.255.255.1/graph.ttl> WHERE { ?s ?p ?o }"
    result = run("query", query, "--graph", str(built / "graph.ttl"))
    assert result.exit_code == 2
    assert result.output == (
        "Error: FROM and FROM NAMED are not allowed: kg query answers from the local graph only\n"
    )


def test_a_quoted_tilde_is_the_home_folder(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    (home / "kg").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(built / "graph.ttl", home / "kg" / "graph.ttl")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    graph = "~/kg/graph.ttl"
    answer = run("query", "ASK { ?s ?p ?o }", "--graph", graph)
    assert (answer.exit_code, answer.output) == (0, "yes\n")
    drawn_page = run("view", "--graph", graph, "--max-nodes", "5", "--out", "~/v.html", "--no-open")
    assert drawn_page.exit_code == 0, drawn_page.output
    assert drawn_page.output == f"{home / 'v.html'}\n"
    assert list(elsewhere.iterdir()) == []  # no folder named "~"


def test_a_page_that_cannot_be_written_is_one_line(built: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder\n", encoding="utf-8")
    out = not_a_folder / "view.html"
    graph = str(built / "graph.ttl")
    result = run("view", "--graph", graph, "--max-nodes", "5", "--out", str(out), "--no-open")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert str(not_a_folder) in result.output
    assert "Traceback" not in result.output


def test_skipped_files_are_listed_even_when_quiet_and_fail_a_strict_build(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("A headline\n\nCouncils welcomed it.\n", encoding="utf-8")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = str(tmp_path / "out")
    quiet = run("build", str(corpus), "--out", out, "--no-html", "-q")
    assert quiet.exit_code == 0
    assert quiet.stdout == ""
    (skipped_line,) = quiet.stderr.splitlines()
    assert skipped_line.startswith("skipped ") and "image.txt" in skipped_line
    strict = run("build", str(corpus), "--out", out, "--no-html", "-q", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == [
        skipped_line,
        "Error: 1 file was skipped (--strict); the graph was written without them",
    ]
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_eval_scores_a_graph_against_gold(built: Path, tmp_path: Path) -> None:
    gold = {
        "documents": [],
        "facts": [
            {
                "kind": "holds_role",
                "doc": "000_c31a83825a9d8308",
                "person": "Adam Lent",
                "role": "director",
                "organisation": "New Local Government Network",
                "organisation_aliases": ["NLGN"],
                "unit": None,
                "evidence": "",
            },
            {
                "kind": "holds_role",
                "doc": "000_c31a83825a9d8308",
                "person": "Nobody Real",
                "role": "director",
                "organisation": "Nowhere",
                "organisation_aliases": [],
                "unit": None,
                "evidence": "",
            },
        ],
        "entities": [],
    }
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    result = run("eval", str(gold_path), "--graph", str(built / "graph.ttl"))
    assert result.exit_code == 0, result.output
    assert "holds_role" in result.output
    assert "Nobody Real" in result.output  # listed as missed
    assert "by rule" not in result.output


def test_eval_by_rule_lists_each_extractors_precision(built: Path, tmp_path: Path) -> None:
    gold = {
        "facts": [
            {
                "kind": "holds_role",
                "doc": "000_c31a83825a9d8308",
                "person": "Adam Lent",
                "role": "director",
                "organisation": "New Local Government Network",
            }
        ]
    }
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    graph = str(built / "graph.ttl")
    result = run("eval", str(gold_path), "--graph", graph, "--by-rule", "--no-show")
    assert result.exit_code == 0, result.output
    table = result.output.split("by rule (weakest first):")[1]
    rows = {
        row[0]: row[1:]
        for row in (line.split() for line in table.splitlines())
        if row and row[0].startswith(("posts", "roles"))
    }
    # Adam Lent's post is found by the appositive rule; every other membership is unmatched.
    predicted, matched, precision = rows["posts:name_comma_post_of_org"]
    assert 1 <= int(matched) < int(predicted)
    assert precision == f"{int(matched) / int(predicted):.2f}"
    assert all(
        int(counts[1]) == 0
        for rule, counts in rows.items()
        if rule != "posts:name_comma_post_of_org"
    )


def test_eval_of_a_bad_gold_file_is_exit_2(tmp_path: Path, built: Path) -> None:
    bad = tmp_path / "gold.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("eval", str(bad), "--graph", str(built / "graph.ttl"))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_an_extractor_that_fails_skips_the_article_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import families
    from kg.family import Family

    def broken(document: object) -> list[object]:
        raise ValueError("pattern blew up")

    monkeypatch.setattr(families, "FAMILIES", [*families.FAMILIES, Family("broken", (), broken)])
    (tmp_path / "a.txt").write_text("Headline\n\nCouncils said so.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Another\n\nThe LGA agreed.\n", encoding="utf-8")
    result = run("build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--no-html")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "extraction failed (ValueError: pattern blew up)" in result.output


GRAPH_DATA = re.compile(
    r'<script type="application/json" id="graph-data">(.*?)</script>', re.DOTALL
)


def drawn(page: Path) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """The page's nodes (id → label) and links (from, to)."""
    match = GRAPH_DATA.search(page.read_text(encoding="utf-8"))
    assert match, f"{page} embeds no graphData"
    data = json.loads(match.group(1))
    nodes = {node["id"]: node["fullLabel"] for node in data["nodes"]}
    return nodes, {(edge["from"], edge["to"]) for edge in data["edges"]}


def test_view_around_a_name_draws_it_and_its_neighbours(built: Path, tmp_path: Path) -> None:
    all_nodes, all_links = drawn(built / "graph.html")
    (lent,) = [node for node, label in all_nodes.items() if label == "Adam Lent"]
    neighbours = {end for link in all_links if lent in link for end in link}
    out = tmp_path / "lent.html"
    graph = str(built / "graph.ttl")
    result = run("view", "--graph", graph, "--around", "adam lent", "--out", str(out), "--no-open")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out.resolve())
    nodes, links = drawn(out)
    assert set(nodes) == neighbours | {lent}
    assert len(nodes) > 1
    assert links == {link for link in all_links if set(link) <= set(nodes)}
    page = out.read_text(encoding="utf-8")
    assert "<title>kg: UK children&#x27;s services network: around adam lent</title>" in page
    assert f"Showing {len(nodes)} of {len(all_nodes)} nodes" in page


def test_view_max_nodes_draws_a_smaller_page_beside_the_graph(built: Path) -> None:
    result = run("view", "--graph", str(built / "graph.ttl"), "--max-nodes", "10", "--no-open")
    assert result.exit_code == 0, result.output
    page = built / "view.html"
    assert result.output.strip() == str(page.resolve())
    nodes, _ = drawn(page)
    assert 0 < len(nodes) <= 10
    assert "the most connected actors and their neighbours" in page.read_text(encoding="utf-8")


def test_view_around_an_unknown_name_is_one_line_and_exit_1(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.html"
    graph = str(built / "graph.ttl")
    result = run("view", "--graph", graph, "--around", "Ofstd", "--out", str(out), "--no-open")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith('Error: no node in the graph is named "Ofstd"; did you mean')
    assert '"Ofsted"' in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_view_around_a_missing_graph_is_one_line_and_exit_2(tmp_path: Path) -> None:
    graph = str(tmp_path / "none.ttl")
    result = run("view", "--graph", graph, "--around", "Ofsted", "--no-open")
    assert result.exit_code == 2
    assert "no such graph file" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_view_of_a_page_and_a_new_drawing_at_once_is_a_usage_error(built: Path) -> None:
    result = run("view", str(built / "graph.html"), "--around", "Ofsted", "--no-open")
    assert result.exit_code == 2
    assert "give --out for a new one" in result.output
    result = run("view", "--depth", "2", "--no-open")
    assert result.exit_code == 2
    assert "--depth counts links out from --around names" in result.output


def test_view_help_gives_the_real_default_limit() -> None:
    assert f"default {MAX_NODES})" in run("view", "--help").output
