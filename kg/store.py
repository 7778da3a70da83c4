"""The built graph on disk, for the commands that read it (query, eval, view, serve).

`kg build` writes graph.ttl and, beside it, an Oxigraph store (graph.oxigraph/) loaded from
it, so `kg query` opens a database instead of parsing Turtle on every call. `open_graph`
gives the store when it is there and as new as the Turtle, and otherwise an rdflib Graph
parsed from the file (any format rdflib reads), which `load_graph` always gives;
`as_rdflib_graph` gives either as an rdflib Graph, for readers that walk triple patterns
(the view).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.util import guess_format

from kg.errors import GraphNotFoundError

DEFAULT_FORMAT = "turtle"
# Formats whose files hold named graphs: they are read into a Dataset and flattened,
# because every reader of the graph treats it as one set of triples.
QUAD_FORMATS = frozenset({"trig", "nquads", "trix"})
MAX_REASON_LENGTH = 160

# rdflib's Turtle parser reports "at line 3 of <file:///…/graph.ttl>:\nBad syntax (expected
# '.' …) at ^ in: …"; the line number and the parenthesised cause are what a user needs.
BAD_SYNTAX_MESSAGE = re.compile(
    r"at line (?P<line>\d+) of <[^>]*>:\s*Bad syntax \((?P<why>.*?)\) at \^"
)


STORE_SUFFIX = ".oxigraph"


def store_path(graph_path: Path) -> Path:
    """Where the Oxigraph store of a graph file lives: graph.ttl → graph.oxigraph/."""
    return Path(graph_path).with_suffix(STORE_SUFFIX)


def write_store(turtle_path: Path, triples: Iterable[pyoxigraph.Triple] | None = None) -> Path:
    """A new Oxigraph store beside `turtle_path`, switched into place in one step: loaded
    from `triples` when the caller has them already, else parsed from the file."""
    target = store_path(turtle_path)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        store = pyoxigraph.Store(str(fresh))
        if triples is None:
            store.bulk_load(path=str(turtle_path), format=pyoxigraph.RdfFormat.TURTLE)
        else:
            store.bulk_extend(
                pyoxigraph.Quad(triple.subject, triple.predicate, triple.object)
                for triple in triples
            )
        store.flush()
        del store  # closes the database before it is moved
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.rename(old / "store")
        fresh.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return target


def open_graph(path: Path) -> rdflib.Graph | pyoxigraph.Store:
    """The graph at `path` for querying: its Oxigraph store when the build left one as new
    as the file, otherwise the file parsed with rdflib."""
    path = Path(path)
    store = store_path(path)
    if path.is_file() and store.is_dir() and store.stat().st_mtime >= path.stat().st_mtime:
        try:
            return pyoxigraph.Store.read_only(str(store))
        except OSError:
            pass  # a damaged or foreign folder: the file is still there
    return load_graph(path)


def as_rdflib_graph(graph: rdflib.Graph | pyoxigraph.Store) -> rdflib.Graph:
    """`graph` as an rdflib Graph: a Store is wrapped (oxrdflib), not copied into memory."""
    if isinstance(graph, rdflib.Graph):
        return graph
    # oxrdflib loads rdflib's SPARQL engine (a tenth of a second), so only when wrapping.
    from oxrdflib import OxigraphStore

    # The build loads the store's default graph; an rdflib Graph with its own identifier
    # would read the named graph of that name instead, which is empty.
    return rdflib.Graph(store=OxigraphStore(store=graph), identifier=DATASET_DEFAULT_GRAPH_ID)


def load_graph(path: Path) -> rdflib.Graph:
    """Read the RDF file at `path`, its format guessed from the suffix (Turtle if unknown)."""
    path = Path(path)
    if not path.is_file():
        raise _not_found(path)
    fmt = guess_format(str(path)) or DEFAULT_FORMAT
    try:
        return _parse(path, fmt)
    except FileNotFoundError:
        raise _not_found(path) from None
    # rdflib's parsers raise anything from SyntaxError to IndexError or JSONDecodeError on
    # bad input, so any failure here means the file is not a graph we can read.
    except Exception as exc:
        raise _unreadable(path, exc) from None


def _parse(path: Path, fmt: str) -> rdflib.Graph:
    if fmt not in QUAD_FORMATS:
        return rdflib.Graph().parse(path, format=fmt)
    dataset = rdflib.Dataset()
    dataset.parse(path, format=fmt)
    graph = rdflib.Graph()
    for subject, predicate, obj, _context in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=False)
    return graph


def _not_found(path: Path) -> GraphNotFoundError:
    return GraphNotFoundError(f"{path}: no such graph file; run `kg build` first")


def _unreadable(path: Path, exc: Exception) -> GraphNotFoundError:
    return GraphNotFoundError(f"{path}: not a readable RDF graph ({_short_reason(exc)})")


def _short_reason(exc: Exception) -> str:
    """One line saying why parsing failed, without the parser's excerpt of the input."""
    message = str(exc)
    syntax = BAD_SYNTAX_MESSAGE.search(message)
    if syntax:
        reason = f"bad syntax at line {syntax['line']}: {syntax['why']}"
    else:
        lines = [line.strip() for line in message.splitlines() if line.strip()]
        reason = lines[0] if lines else type(exc).__name__
    if len(reason) > MAX_REASON_LENGTH:
        reason = reason[: MAX_REASON_LENGTH - 1] + "…"
    return reason
