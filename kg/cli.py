"""The `kg` command: build the graph of a corpus, query it, view it, score it.

Commands parse arguments, call the library and print. Library errors (`KgError`)
become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import logging
import os
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kg import __version__
from kg.errors import GraphNotFoundError, KgError
from kg.terminal import printable

if TYPE_CHECKING:
    from kg.build import BuildSummary

DEFAULT_OUT = Path("output")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.ttl"
# What `kg view --around/--max-nodes` writes, beside the graph it draws.
VIEW_PAGE = "view.html"
# Seconds `kg query` gives a query; kg.query.DEFAULT_TIMEOUT, kept here so that `kg --help`
# does not import the query engines.
DEFAULT_QUERY_TIMEOUT = 30
# The named graph `kg push` replaces unless told; kg.push.DEFAULT_GRAPH_IRI, kept here so that
# `kg --help` does not import the HTTP client.
DEFAULT_PUSH_GRAPH = "https://w3id.org/kg-ukcs/graph"
# Show a progress bar only when a build is long enough to need one.
PROGRESS_MIN_FILES = 50


class KgClickError(click.ClickException):
    """A one-line error with the exit status the library chose."""

    def __init__(self, error: KgError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """The command with kg's errors, and the file system's, as one line and an exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KgError as error:
            raise KgClickError(error) from None
        except BrokenPipeError:
            raise  # the reader of the output (`| head`) stopped early: nothing to explain
        # A place the library did not expect to fail: `--out /proc/view.html`, a full disk.
        except OSError as error:
            logging.getLogger(__name__).debug("%s failed", command.__name__, exc_info=True)
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None

    return wrapper


class UserPath(click.Path):
    """A path whose leading `~` means the home folder even when the shell left it alone
    (`--out '~/kg'`), rather than a folder named `~`."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str | Path):
            value = os.path.expanduser(value)
        return super().convert(value, param, ctx)


def graph_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--graph",
        "graph_path",
        type=UserPath(path_type=Path, dir_okay=False),
        default=DEFAULT_GRAPH,
        show_default=True,
        help="The graph file to read (Turtle, N-Triples, JSON-LD).",
    )(command)


def out_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out`, the folder of a build's outputs, as every command that reads or writes it
    takes it."""
    return click.option(
        "--out",
        "out_dir",
        type=UserPath(path_type=Path, file_okay=False),
        default=DEFAULT_OUT,
        show_default=True,
        help=help,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Log what kg does, with tracebacks of skipped files.")
def main(debug: bool) -> None:
    """Build and explore a knowledge graph of UK children's-services news.

    Articles go in; people, posts, organisations, reports, reforms and job adverts
    come out as RDF you can query with SPARQL and explore as an interactive network.
    """
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, type=UserPath(path_type=Path))
@out_option("Folder for graph.ttl and graph.html.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option("--no-html", is_flag=True, help="Write graph.ttl only.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every article afresh and keep no article cache (OUT/.kg-cache).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and skipped files.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 if any file was skipped (the graph is still written without it).",
)
@reports_errors
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    jobs: int | None,
    no_html: bool,
    no_cache: bool,
    quiet: bool,
    strict: bool,
) -> None:
    """Build the graph of the articles under PATHS (files or folders, recursively).

    In a folder, files ending .txt, .text, .html or .htm are read; a file named is read
    whatever its name. Files that cannot be read are skipped and listed on stderr, even
    with --quiet, and files whose text needed repairs are named. With no PATHS, builds the
    sample articles bundled with kg.
    """
    from kg.build import build as build_corpus
    from kg.corpus import bundled_samples, find_article_files
    from kg.processes import exit_cleanly_on_sigterm

    exit_cleanly_on_sigterm()
    sources = list(paths) or [bundled_samples()]
    console = Console(stderr=True, quiet=quiet)
    files = find_article_files(sources)  # walked once: the list is what build reads
    total = len(files)
    progress = Progress(
        TextColumn("[bold]reading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet or total < PROGRESS_MIN_FILES,
    )
    with progress:
        task = progress.add_task("reading", total=total)

        def show_stage(name: str) -> None:
            # After reading, the bar gives way to the name of the stage under way.
            progress.update(task, description=name, total=None)
            progress.columns = (TextColumn("[bold]{task.description}"), TimeElapsedColumn())

        summary = build_corpus(
            sources,  # none found: build names the folders in its error
            out_dir,
            files=files,
            workers=jobs,
            html=not no_html,
            on_file=lambda _path: progress.advance(task),
            use_cache=not no_cache,
            on_stage=show_stage,
        )
    # Skipped and repaired files are listed even with --quiet: a graph missing articles, or
    # read with repairs, should say so. A reason quotes the file's name, which is neither
    # rich markup nor terminal control; lines are never wrapped, so each names its file whole.
    problems = Console(stderr=True)
    for skipped in summary.skipped:
        line = Text.assemble(("skipped", "yellow"), " ", printable(skipped.reason))
        problems.print(line, soft_wrap=True)
    for repaired in summary.repaired:
        reason = f"{repaired.path}: {'; '.join(repaired.repairs)}"
        problems.print(
            Text.assemble(("repaired", "yellow"), " ", printable(reason)), soft_wrap=True
        )
    if not quiet:
        _print_summary(summary)
    if strict and summary.skipped:
        count = len(summary.skipped)
        were = "file was" if count == 1 else "files were"
        raise KgError(f"{count} {were} skipped (--strict); the graph was written without them")


def _print_summary(summary: BuildSummary) -> None:
    out = Console()
    if summary.up_to_date:
        out.print(
            f"[bold]kg build[/]: up to date, nothing to do: no article has changed since the "
            f"last build ({summary.articles} articles, {summary.triples} triples; --no-cache "
            f"reads them all again)",
            highlight=False,
        )
    else:
        _print_build_table(out, summary)
    out.print(f"graph: {summary.graph_path}", highlight=False, markup=False)
    if summary.html_path:
        out.print(
            f"view:  {summary.html_path}  (open it in a browser, or run `kg view`)",
            highlight=False,
            markup=False,
        )


def _print_build_table(out: Console, summary: BuildSummary) -> None:
    table = Table(title="kg build", show_header=False, box=None, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("articles read", str(summary.articles))
    if summary.cached:
        table.add_row("  of which unchanged (cache)", str(summary.cached))
    if summary.skipped:
        table.add_row("files skipped", str(len(summary.skipped)))
    if summary.repaired:
        table.add_row("files repaired", str(len(summary.repaired)))
    for kind, count in sorted(summary.facts_by_kind.items()):
        table.add_row(f"  {kind} facts", str(count))
    table.add_row("entities", str(summary.entities))
    table.add_row("triples", str(summary.triples))
    table.add_row("seconds", f"{summary.seconds:.2f}")
    out.print(table)


@main.command()
@click.argument("query", required=False)
@click.option(
    "--name",
    "-n",
    "question_name",
    metavar="NAME",
    help="Ask the named question NAME (`--list` shows them); QUERY may also be a name.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A value for a parameter of the named question; repeat for more.",
)
@click.option("--list", "list_questions", is_flag=True, help="List the named questions.")
@graph_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_QUERY_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop a query that has run this long.",
)
@reports_errors
def query(
    query: str | None,
    question_name: str | None,
    params: tuple[str, ...],
    list_questions: bool,
    graph_path: Path,
    fmt: str,
    timeout: float,
) -> None:
    """Answer a SPARQL QUERY (text, or a path to a .rq file) or a named question.

    SELECT, ASK, CONSTRUCT and DESCRIBE are answered; the prefixes rdf, rdfs, xsd,
    owl, skos, foaf, prov, org, schema, kg and kgr are declared for you. Nothing is
    fetched from the network: SERVICE and FROM are refused.

    \b
    kg query --list
    kg query --name posts --param organisation="Ofsted" --param since=2020-01-01
    kg query "SELECT ?name WHERE { ?p a foaf:Person ; rdfs:label ?name }"
    """
    from kg.questions import parse_parameter_options, question_named, questions

    if list_questions:
        if query or question_name or params:
            raise click.UsageError("--list takes no query, --name or --param")
        _print_questions(questions())
        return
    if question_name is None and query is not None and _is_question_name(query):
        question_name, query = query, None
    if question_name is not None and query is not None:
        raise click.UsageError("give a QUERY or --name, not both")
    if question_name is None and query is None:
        raise click.UsageError("give a QUERY, --name NAME or --list")
    if params and question_name is None:
        raise click.UsageError("--param goes with a named question: --name NAME")

    from kg.query import query_graph_file, read_query_text, stream_result

    if question_name is not None:
        question = question_named(question_name)
        bindings = question.bindings(parse_parameter_options(params))
        result = question.answer(query_graph_file(graph_path, question.text, timeout, bindings))
    else:
        assert query is not None
        result = query_graph_file(graph_path, read_query_text(query), timeout)
    for piece in stream_result(result, fmt):  # type: ignore[arg-type]
        click.echo(piece, nl=False)


def _is_question_name(query: str) -> bool:
    from kg.questions import questions

    return query.strip() in {question.name for question in questions()}


def _print_questions(found: list[Any]) -> None:
    out = Console(highlight=False)
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("name", style="cyan", no_wrap=True)
    table.add_column("what it answers, and its parameters")
    for question in found:
        described = Text(question.summary)
        for parameter in question.parameters:
            described.append("\n  --param ")
            described.append(f"{parameter.name}=", style="bold")
            described.append(parameter.describe_kind(), style="green")
            described.append(f"  {parameter.help}", style="dim")
        table.add_row(question.name, described)
    out.print(table)
    out.print(
        "\nAsk one with [bold]kg query --name NAME[/] [--param NAME=VALUE ...]; "
        "its SPARQL is in kg/queries/NAME.rq.",
        style="dim",
    )


@main.command()
@click.argument("file", required=False, type=UserPath(path_type=Path, dir_okay=False))
@click.option(
    "--around",
    multiple=True,
    metavar="NAME",
    help="Draw the nodes named NAME (a label, any case; else part of one) and their "
    "neighbours. Repeat for several names.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    help="How many links out from the --around nodes to draw.  [default: 1]",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=None,
    help="Draw at most N nodes (a new page; default 3000).",
)
@graph_option
@click.option(
    "--out",
    "out_path",
    type=UserPath(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write a new page  [default: view.html beside the graph file].",
)
@click.option("--no-open", is_flag=True, help="Print the page's path instead of opening it.")
@reports_errors
def view(
    file: Path | None,
    around: tuple[str, ...],
    depth: int | None,
    max_nodes: int | None,
    graph_path: Path,
    out_path: Path | None,
    no_open: bool,
) -> None:
    """Open the HTML network view (default output/graph.html) in a browser.

    With --around, --max-nodes or --out, draws a new page from the graph first: the
    nodes named by --around and those within --depth links of them, or else the most
    connected people and organisations and their neighbours, at most --max-nodes in all.
    """
    drawing = bool(around) or max_nodes is not None or out_path is not None
    if file is not None and drawing:
        raise click.UsageError("FILE opens a page already drawn; give --out for a new one")
    if depth is not None and not around:
        raise click.UsageError("--depth counts links out from --around names; give one")
    if drawing:
        page = _draw_view(
            graph_path,
            out_path or graph_path.with_name(VIEW_PAGE),
            around,
            1 if depth is None else depth,
            max_nodes,
        )
    else:
        page = file or DEFAULT_OUT / "graph.html"
        if not page.is_file():
            # Exit 2 as for a missing graph: the page is an output of `kg build` too.
            raise GraphNotFoundError(f"{page.resolve()}: no such page; run `kg build` first")
    page = page.resolve()
    click.echo(str(page))
    # webbrowser.open says False when it found no browser (a server, a container).
    if not no_open and not webbrowser.open(page.as_uri()):
        raise KgError("no browser could be opened; open the page above in one, or use --no-open")


def _draw_view(
    graph_path: Path, out_path: Path, around: tuple[str, ...], depth: int, max_nodes: int | None
) -> Path:
    from kg.render import DEFAULT_TITLE, MAX_NODES, render_network
    from kg.store import as_rdflib_graph, open_graph

    graph = as_rdflib_graph(open_graph(graph_path))
    title = DEFAULT_TITLE + (": around " + ", ".join(around) if around else "")
    render_network(
        graph,
        out_path,
        title=title,
        max_nodes=MAX_NODES if max_nodes is None else max_nodes,
        around=around,
        depth=depth,
    )
    return out_path


@main.command(name="export")
@graph_option
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["graphml", "gexf", "json"]),
    required=True,
    help="GraphML (Cytoscape, yEd), GEXF (Gephi) or networkx's node-link JSON.",
)
@click.option(
    "--out",
    "out_path",
    type=UserPath(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write it  [default: standard output].",
)
@reports_errors
def export(graph_path: Path, export_format: str, out_path: Path | None) -> None:
    """Write the network the view draws, whole, for Gephi, Cytoscape and other tools.

    Nodes are the people, organisations, reports, policies, reforms and jobs, with their
    kind, label, degree, betweenness, component, number of facts and years; edges are the
    links between them, labelled. JSON lists each node's facts with their evidence.
    """
    import io

    from kg.network import analyse, describe, read_network, write_export
    from kg.store import as_rdflib_graph, open_graph

    graph = as_rdflib_graph(open_graph(graph_path))
    network = read_network(graph)
    describe(graph, network)
    analyse(network)
    buffer = io.BytesIO()
    write_export(network, export_format, buffer)
    if out_path is None:
        click.echo(buffer.getvalue(), nl=False)  # bytes go to the binary stream
    else:
        from kg.files import write_atomically

        write_atomically(out_path, buffer.getvalue())
        click.echo(
            f"{network.number_of_nodes()} nodes, {network.number_of_edges()} links: {out_path}"
        )


@main.command(name="eval")
@click.argument("gold", type=UserPath(path_type=Path, dir_okay=False))
@graph_option
@click.option(
    "--show/--no-show", default=True, show_default=True, help="List missed and wrong facts."
)
@click.option(
    "--by-rule",
    is_flag=True,
    help="Then, for each extractor rule, its facts, how many matched gold, and precision.",
)
@reports_errors
def evaluate(gold: Path, graph_path: Path, show: bool, by_rule: bool) -> None:
    """Score the graph against a GOLD file of facts (see the README for its format).

    Prints precision, recall and F1 per kind of fact, then the facts missed and wrong;
    with --by-rule, each rule's precision, weakest first.
    """
    from kg.evaluate import evaluate as score_graph
    from kg.evaluate import format_evaluation, load_gold
    from kg.store import load_graph

    gold_facts = load_gold(gold)
    evaluation = score_graph(load_graph(graph_path), gold_facts)
    report = format_evaluation(evaluation, show=show, by_rule=by_rule)
    click.echo(report, nl=not report.endswith("\n"))


@main.command()
@out_option("The folder `kg build` wrote the graph into.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run before it is stopped and answered 503.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes running queries, so how many run at once  [default: 2 to 4].",
)
@reports_errors
def serve(out_dir: Path, host: str, port: int, timeout: float, workers: int | None) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at /sparql.

    Answers SELECT, ASK, CONSTRUCT and DESCRIBE by GET or POST, in the format the Accept
    header asks for; refuses updates. The page at / has a query box and the named queries.
    """
    from kg.serve import DEFAULT_WORKERS, find_store, is_loopback, serve_graph

    find_store(out_dir)  # before any worker starts: a missing graph is one line
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not only this machine: anyone who can reach it "
            "can query the graph",
            err=True,
        )
    click.echo(f"kg serve: http://{host}:{port}/ (Ctrl-C stops)", err=True)
    serve_graph(out_dir, host, port, timeout, workers or DEFAULT_WORKERS)


@main.command()
@click.argument("endpoint")
@out_option("The folder `kg build` wrote the graph into.")
@click.option(
    "--graph-iri",
    default=DEFAULT_PUSH_GRAPH,
    show_default=True,
    metavar="IRI",
    help="The named graph to replace with the build's triples.",
)
@click.option("--user", default=None, help="User name, if the store asks for one.")
@click.option(
    "--password",
    envvar="KG_PUSH_PASSWORD",
    default=None,
    help="Its password (or set KG_PUSH_PASSWORD; asked for if --user is given without it).",
)
@click.option(
    "--graph-param",
    default="graph",
    show_default=True,
    help="The query parameter naming the graph (`graph-uri` for older Virtuoso).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for the store to answer once the graph is sent.",
)
@reports_errors
def push(
    endpoint: str,
    out_dir: Path,
    graph_iri: str,
    user: str | None,
    password: str | None,
    graph_param: str,
    timeout: float,
) -> None:
    """Load the built graph into a triplestore, replacing one of its named graphs.

    ENDPOINT is the store's SPARQL 1.1 Graph Store Protocol URL, e.g.
    http://127.0.0.1:8890/sparql-graph-crud-auth for Virtuoso. The graph is sent as
    Turtle in one HTTP PUT, with digest or basic authentication as the store asks.
    """
    from kg.push import push_graph

    if user is not None and password is None:
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    summary = push_graph(
        out_dir,
        endpoint,
        graph_iri,
        user=user,
        password=password,
        graph_param=graph_param,
        timeout=timeout,
    )
    table = Table(title="kg push", show_header=False, box=None, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    # IRIs and URLs as Text, so that rich reads no markup in them.
    table.add_row("triples sent", f"{summary.triples:,}")
    table.add_row("graph", Text(summary.graph_iri))
    table.add_row("store", Text(summary.endpoint))
    table.add_row("seconds", f"{summary.seconds:.2f}")
    Console().print(table)
