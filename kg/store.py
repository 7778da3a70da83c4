"""Loading a built graph from disk for the commands that read it (query, eval, serve).

Everything that reads a graph goes through `load_graph`, so a different store (such as
pyoxigraph) can later sit behind the same function without its callers changing.
"""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
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
