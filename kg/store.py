"""The built graph on disk, for the commands that read it (query, eval, view, serve).

`kg build` streams its triples into an Oxigraph store (graph.oxigraph/, `NewStore`) and
dumps graph.ttl from it, so `kg query` opens a database instead of parsing Turtle on every
call. `open_graph` gives the store when it is there and as new as the Turtle, and otherwise
an rdflib Graph parsed from the file (any format rdflib reads), which `load_graph` always
gives; `as_rdflib_graph` gives either as an rdflib Graph, for readers that walk triple
patterns (the view).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.parser import PythonInputSource
from rdflib.paths import Path as PropertyPath
from rdflib.util import guess_format

from kg.errors import GraphNotFoundError
from kg.files import replacing

DEFAULT_FORMAT = "turtle"
# Formats whose files hold named graphs: they are read into a Dataset and flattened,
# because every reader of the graph treats it as one set of triples.
QUAD_FORMATS = frozenset({"trig", "nquads", "trix"})
MAX_REASON_LENGTH = 160
# The JSON-LD keywords that name a context to fetch when their value is an IRI.
JSON_LD_CONTEXT = "@context"
JSON_LD_IMPORT = "@import"

# rdflib's Turtle parser reports "at line 3 of <file:///…/graph.ttl>:\nBad syntax (expected
# '.' …) at ^ in: …"; the line number and the parenthesised cause are what a user needs.
BAD_SYNTAX_MESSAGE = re.compile(
    r"at line (?P<line>\d+) of <[^>]*>:\s*Bad syntax \((?P<why>.*?)\) at \^"
)


STORE_SUFFIX = ".oxigraph"


def store_path(graph_path: Path) -> Path:
    """Where the Oxigraph store of a graph file lives: graph.ttl → graph.oxigraph/."""
    return Path(graph_path).with_suffix(STORE_SUFFIX)


# About 200,000 triples of N-Triples: the loader's memory stays near 100 MB a part.
LOAD_PART_BYTES = 32_000_000


class NewStore:
    """An Oxigraph store being built beside a graph file, which replaces the old one (and
    its Turtle) only when `commit` is called: until then readers see the last build.

    `store` is empty and writable; `commit(turtle_path)` dumps it as Turtle to that path and
    switches both into place; `discard` (or an exception in a `with` block) removes it.
    """

    def __init__(self, turtle_path: Path) -> None:
        self.target = store_path(turtle_path)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=self.target.parent))
        self.store: pyoxigraph.Store | None = pyoxigraph.Store(str(self.folder))

    def __enter__(self) -> NewStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.discard()

    def load(self, ntriples: Iterable[bytes]) -> int:
        """Bulk-load chunks of whole N-Triples lines as they come (a generator that writes
        the graph); returns the number of triples stored.

        Oxigraph's bulk loader holds what one call gives it in memory (about 1 GB for 2.4
        million triples), so the text goes in parts of `LOAD_PART_BYTES`.
        """
        assert self.store is not None, "already committed"
        part: list[bytes] = []
        size = 0
        for chunk in ntriples:
            part.append(chunk)
            size += len(chunk)
            if size >= LOAD_PART_BYTES:
                self._bulk_load(part)
                part, size = [], 0
        self._bulk_load(part)
        return len(self.store)

    def _bulk_load(self, part: list[bytes]) -> None:
        assert self.store is not None
        if part:
            self.store.bulk_load(b"".join(part), format=pyoxigraph.RdfFormat.N_TRIPLES)

    def commit(
        self,
        turtle_path: Path,
        prefixes: dict[str, str] | None = None,
        meanwhile: Callable[[pyoxigraph.Store], None] | None = None,
    ) -> Path:
        """Dump the store as Turtle to `turtle_path` and switch both into place.

        `meanwhile(store)` runs while the Turtle is written: Oxigraph writes it without
        holding the GIL, so a reader of the store (the view) costs no extra time.
        """
        assert self.store is not None, "already committed"
        store = self.store
        store.flush()
        # The bulk loader leaves many files a lookup must try in turn; compacted, each
        # lookup is one read, and queries on the store run in half to three quarters of
        # the time (1.3 s of compaction for 2.4 million triples).
        store.optimize()
        with replacing(turtle_path) as turtle:
            failure: list[BaseException] = []

            def dump(source: pyoxigraph.Store) -> None:
                try:
                    source.dump(
                        str(turtle),
                        format=pyoxigraph.RdfFormat.TURTLE,
                        from_graph=pyoxigraph.DefaultGraph(),
                        prefixes=prefixes or {},
                    )
                except BaseException as error:  # raised again in the caller's thread
                    failure.append(error)

            dumper = threading.Thread(target=dump, args=(store,), name="kg-turtle")
            dumper.start()
            try:
                if meanwhile is not None:
                    meanwhile(store)
            finally:
                dumper.join()
            if failure:
                raise failure[0]
        self.store = None  # closes the database before its folder moves
        del store
        _switch(self.folder, self.target)
        return self.target

    def discard(self) -> None:
        self.store = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _switch(fresh: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        target.rename(old / "store")
    # mkdtemp makes the folder private; the store is meant to be read like the Turtle.
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(fresh, 0o777 & ~mask)
    fresh.rename(target)
    # `open_graph` trusts a store as new as its Turtle, which was written before it moved.
    os.utime(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def open_graph(path: Path) -> rdflib.Graph | pyoxigraph.Store:
    """The graph at `path` for querying: its Oxigraph store when the build left one as new
    as the file, otherwise the file parsed with rdflib."""
    path = Path(path)
    store = fresh_store(path)
    if store is not None:
        try:
            return pyoxigraph.Store.read_only(str(store))
        # A foreign folder raises OSError, a damaged store RuntimeError ("Corruption: ...");
        # either way the file is still there.
        except (OSError, RuntimeError):
            pass
    return load_graph(path)


def fresh_store(path: Path) -> Path | None:
    """The folder of the Oxigraph store beside the graph file at `path`, if it is there and
    as new as the file (a file replaced by hand is newer than the store); else None."""
    path = Path(path)
    store = store_path(path)
    if path.is_file() and store.is_dir() and store.stat().st_mtime >= path.stat().st_mtime:
        return store
    return None


def as_rdflib_graph(graph: rdflib.Graph | pyoxigraph.Store) -> rdflib.Graph:
    """`graph` as an rdflib Graph: a Store is wrapped (`StoreGraph`), not copied into memory."""
    if isinstance(graph, rdflib.Graph):
        return graph
    return StoreGraph(graph)


# How many subjects' triples a StoreGraph keeps at once (a few hundred bytes each).
SUBJECTS_REMEMBERED = 200_000


class StoreGraph(rdflib.Graph):
    """An Oxigraph store's default graph read through rdflib's Graph API.

    Triple patterns (`triples`, and so `objects`, `subjects`, `value`, ...) go straight to
    the store, and each term is converted once: the view walks hundreds of thousands of
    patterns over the same few thousand terms, and oxrdflib's general wrapper spends most of
    that time converting terms and making a Graph for every triple's context (60 of 85 s
    at 10,000 generated articles). Everything else (SPARQL, serialising) goes through
    oxrdflib's store. Changes made through this graph are seen; the store must not be
    changed behind it.
    """

    def __init__(self, store: pyoxigraph.Store) -> None:
        # oxrdflib loads rdflib's SPARQL engine (a tenth of a second), so only when wrapping.
        from oxrdflib import OxigraphStore

        # The build loads the store's default graph; a Graph with its own identifier would
        # read the named graph of that name instead, which is empty.
        super().__init__(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
        self._oxigraph = store
        self._to_rdflib: dict[object, rdflib.term.Node] = {}
        self._to_oxigraph: dict[rdflib.term.Node, object] = {}
        self._of_subject: dict[rdflib.term.Node, dict[rdflib.term.Node, list[object]]] = {}

    def triples(self, triple):  # type: ignore[no-untyped-def, override]
        subject, predicate, obj = triple
        if isinstance(predicate, PropertyPath):
            yield from super().triples(triple)
            return
        if subject is not None and obj is None:
            # What a subject says is asked for one predicate at a time (a record's member,
            # role, organisation, evidence, rule, article...), so it is read whole, once.
            properties = self._properties(subject)
            chosen = (
                properties.items()
                if predicate is None
                else [(predicate, properties.get(predicate, ()))]
            )
            known, convert = self._to_rdflib, self._rdflib_term
            for p, objects in chosen:
                for o in objects:
                    yield subject, p, known.get(o) or convert(o)
            return
        yield from self._matching(subject, predicate, obj)

    def _properties(self, subject: rdflib.term.Node) -> dict[rdflib.term.Node, list[object]]:
        """The subject's objects by predicate, as Oxigraph terms (converted when read)."""
        properties = self._of_subject.get(subject)
        if properties is None:
            if len(self._of_subject) >= SUBJECTS_REMEMBERED:
                self._of_subject.clear()
            properties = {}
            known, convert = self._to_rdflib, self._rdflib_term
            for quad in self._quads(subject, None, None):
                p = quad.predicate
                properties.setdefault(known.get(p) or convert(p), []).append(quad.object)
            self._of_subject[subject] = properties
        return properties

    def add(self, triple):  # type: ignore[no-untyped-def, override]
        self._of_subject.clear()
        return super().add(triple)

    def addN(self, quads):  # type: ignore[no-untyped-def, override]
        self._of_subject.clear()
        return super().addN(quads)

    def remove(self, triple):  # type: ignore[no-untyped-def, override]
        self._of_subject.clear()
        return super().remove(triple)

    def update(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self._of_subject.clear()
        return super().update(*args, **kwargs)

    def parse(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self._of_subject.clear()
        return super().parse(*args, **kwargs)

    def _matching(self, subject, predicate, obj):  # type: ignore[no-untyped-def]
        convert, known = self._rdflib_term, self._to_rdflib
        for quad in self._quads(subject, predicate, obj):
            s, p, o = quad.subject, quad.predicate, quad.object
            yield (
                known.get(s) or convert(s),
                known.get(p) or convert(p),
                known.get(o) or convert(o),
            )

    def _quads(self, subject, predicate, obj):  # type: ignore[no-untyped-def]
        try:
            pattern = (self._oxigraph_term(subject), self._oxigraph_term(predicate))
            pattern += (self._oxigraph_term(obj), pyoxigraph.DefaultGraph())
            return self._oxigraph.quads_for_pattern(*pattern)
        # A term that cannot stand there (a literal as a subject) matches nothing.
        except (TypeError, ValueError):
            return iter(())

    def _oxigraph_term(self, term: rdflib.term.Node | None) -> object:
        if term is None:
            return None
        converted = self._to_oxigraph.get(term)
        if converted is None:
            if isinstance(term, rdflib.URIRef):
                converted = pyoxigraph.NamedNode(str(term))
            elif isinstance(term, rdflib.BNode):
                converted = pyoxigraph.BlankNode(str(term))
            elif isinstance(term, rdflib.Literal):
                datatype = pyoxigraph.NamedNode(term.datatype) if term.datatype else None
                converted = pyoxigraph.Literal(str(term), language=term.language, datatype=datatype)
            else:
                raise TypeError(f"not an RDF term: {term!r}")
            self._to_oxigraph[term] = converted
        return converted

    def _rdflib_term(self, term: object) -> rdflib.term.Node:
        if isinstance(term, pyoxigraph.Literal):
            # Not remembered: literals are most of a graph's terms and seldom read twice
            # except as a subject's properties, which are remembered whole.
            if term.language:
                return rdflib.Literal(term.value, lang=term.language)
            return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        if isinstance(term, pyoxigraph.NamedNode):
            converted: rdflib.term.Node = rdflib.URIRef(term.value)
        elif isinstance(term, pyoxigraph.BlankNode):
            converted = rdflib.BNode(term.value)
        else:
            raise TypeError(f"not a term kg writes: {term!r}")
        self._to_rdflib[term] = converted
        return converted


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
    if fmt == "json-ld":
        return _parse_json_ld(path)
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


def _parse_json_ld(path: Path) -> rdflib.Graph:
    """A JSON-LD file whose contexts are all written in it; ValueError if one is not.

    rdflib fetches a context given by its IRI (`"@context": "https://schema.org/"`) with no
    time limit, and from an unreachable host that hangs for minutes; a local file named as a
    context may name remote ones in turn. So kg reads no context from elsewhere, and rdflib
    parses the document already read, not the file again.
    """
    document = json.loads(path.read_bytes())
    reference = _context_reference(document)
    if reference is not None:
        raise ValueError(
            f"its JSON-LD context is fetched from {reference}; kg fetches nothing, "
            "so write the context into the file"
        )
    source = PythonInputSource(document, path.resolve().as_uri())
    return rdflib.Graph().parse(source=source, format="json-ld")


def _context_reference(node: object) -> str | None:
    """The first context `node` names by IRI (an `@context` or `@import` string), if any.

    Contexts can sit anywhere: at the top, on any node, and scoped to a term or type.
    """
    if isinstance(node, list):
        return next((ref for item in node if (ref := _context_reference(item))), None)
    if not isinstance(node, dict):
        return None
    for key, value in node.items():
        if key == JSON_LD_IMPORT and isinstance(value, str):
            return value
        if key == JSON_LD_CONTEXT:
            named = value if isinstance(value, list) else [value]
            reference = next((item for item in named if isinstance(item, str)), None)
            if reference is not None:
                return reference
        reference = _context_reference(value)
        if reference is not None:
            return reference
    return None


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
