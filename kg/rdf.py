"""Turn articles, facts and resolved entities into an rdflib Graph.

The only module that knows IRIs and vocabularies. Standard terms first — W3C ORG for
posts, schema.org for articles, adverts, reports and quotations, PROV-O for provenance,
SKOS and FOAF for names and people — and the project's own (`kg:`) for the rest.
Every fact node is `prov:wasDerivedFrom` its article and keeps its evidence text.
IRIs are minted from entity keys and fact content, so a rebuild gives the same graph.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from typing import Protocol
from urllib.parse import quote

import pyoxigraph
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, OWL, PROV, SDO, SKOS

from kg.family import Family, families_by_fact_type, family_of
from kg.model import Article, Fact, Mention, Provenance
from kg.processes import init_worker, results_in_order
from kg.resolve import Entity, Resolution, slug
from kg.vocab import KG

ID = Namespace("https://w3id.org/kg-ukcs/id/")
ONS = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")
PREFIXES: dict[str, Namespace] = {
    "kg": Namespace(str(KG._NS)),
    "kgr": ID,
    "org": ORG,
    "schema": SDO,
    "prov": PROV,
    "skos": SKOS,
    "foaf": FOAF,
    "owl": OWL,
    "xsd": XSD,
}

CATEGORY_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "LocalAuthority": (KG.LocalAuthority,),
    "GovernmentBody": (KG.GovernmentBody,),
    "GovernmentDepartment": (KG.GovernmentDepartment,),
    "Regulator": (KG.Regulator,),
    "ThinkTank": (KG.ThinkTank,),
    "Charity": (KG.Charity,),
    "Association": (KG.Association,),
    "ParliamentaryGroup": (KG.ParliamentaryGroup,),
    "Review": (KG.Review, KG.Reform),
    "OrganizationalUnit": (ORG.OrganizationalUnit,),
    "Organisation": (),
}


def entity_iri(key: str) -> URIRef:
    return ID[key]


def article_local_name(article_id: str) -> str:
    """The article's id as it goes into its IRIs: as it is, since the reader gives ids safe
    in an IRI (`kg.corpus.article_id_of`); any other character percent-encoded. Never a
    slug: two ids must never share an IRI (`A_b` and `a-b` would)."""
    return quote(article_id, safe="")


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{article_local_name(article_id)}"]


def fact_iri(kind: str, provenance: Provenance, *content: object) -> URIRef:
    digest = hashlib.sha1(repr((provenance.start, provenance.text, content)).encode()).hexdigest()
    return ID[f"{kind}/{article_local_name(provenance.article_id)}-{digest[:12]}"]


class GraphWriter:
    """Adds the triples of one corpus through `add`: articles, entities, and what the
    families write of their facts through the methods below (the only place IRIs are
    minted). `add` takes rdflib terms: an rdflib Graph's `add`, or `OxigraphSink`'s."""

    def __init__(
        self,
        resolution: Resolution,
        add: Callable[[tuple], None],
        article_dates: Mapping[str, Literal] | None = None,
    ) -> None:
        self.resolution = resolution
        self.add = add
        # Dates of articles written elsewhere (another worker): `observed_on` needs them.
        self.article_dates: dict[str, Literal] = dict(article_dates or {})

    # ---------------------------------------------------------------- articles and entities
    def article(self, article: Article) -> None:
        node = article_iri(article.id)
        self.add((node, RDF.type, SDO.NewsArticle))
        self.add((node, SDO.identifier, Literal(article.id)))
        self.add((node, SDO.headline, Literal(article.headline)))
        self.add((node, RDFS.label, Literal(article.headline)))
        if article.date:
            date = self.article_dates.setdefault(article.id, date_literal(article))
            self.add((node, SDO.datePublished, date))
        if article.url:
            self.add((node, SDO.url, URIRef(article.url)))
        if article.author:
            author = ID[f"author/{slug(article.author)}"]
            self.add((node, SDO.author, author))
            self.add((author, RDF.type, SDO.Person))
            self.add((author, RDFS.label, Literal(article.author)))
            self.add((author, SDO.name, Literal(article.author)))

    def entity(self, entity: Entity) -> None:
        node = entity_iri(entity.key)
        self.add((node, RDFS.label, Literal(entity.label)))
        self.add((node, SKOS.prefLabel, Literal(entity.label)))
        for name in sorted(entity.alt_labels):
            self.add((node, SKOS.altLabel, Literal(name)))
        for article_id in sorted(entity.articles):
            self.add((node, PROV.wasDerivedFrom, article_iri(article_id)))
        if entity.kind == "person":
            self.add((node, RDF.type, FOAF.Person))
            self.add((node, RDF.type, SDO.Person))
            self.add((node, FOAF.name, Literal(entity.label)))
            return
        if entity.kind == "policy":
            self.add((node, RDF.type, KG.Policy))
            return
        if entity.kind == "report":
            self.add((node, RDF.type, SDO.Report))
            self.add((node, SDO.name, Literal(entity.label)))
            if entity.parent:
                self.add((node, SDO.publisher, entity_iri(entity.parent)))
            return
        if entity.kind == "reform":
            self.add((node, RDF.type, KG.Reform))
            return
        self.add((node, RDF.type, ORG.Organization))
        self.add((node, SDO.name, Literal(entity.label)))
        for category in sorted(entity.categories):
            for cls in CATEGORY_CLASSES.get(category, ()):
                self.add((node, RDF.type, cls))
        if entity.ons_code:
            self.add((node, KG.onsCode, Literal(entity.ons_code)))
            self.add((node, OWL.sameAs, ONS[entity.ons_code]))
        if entity.gov_code:
            self.add((node, KG.govCode, Literal(entity.gov_code)))
        if entity.parent:
            parent = entity_iri(entity.parent)
            relation = ORG.unitOf if entity.kind == "unit" else ORG.subOrganizationOf
            self.add((node, relation, parent))
            inverse = ORG.hasUnit if entity.kind == "unit" else ORG.hasSubOrganization
            self.add((parent, inverse, node))

    def provenance(self, node: URIRef, provenance: Provenance) -> None:
        self.add((node, PROV.wasDerivedFrom, article_iri(provenance.article_id)))
        self.add((node, KG.evidence, Literal(provenance.text)))
        self.add((node, KG.charStart, Literal(provenance.start)))
        self.add((node, KG.charEnd, Literal(provenance.end)))
        self.add((node, KG.section, Literal(provenance.section)))
        self.add((node, KG.extractor, Literal(provenance.extractor)))
        if provenance.rule:
            self.add((node, KG.rule, Literal(provenance.rule)))

    # ---------------------------------------------------------------- for fact writers
    def entity_node(self, article_id: str, mention: Mention) -> URIRef:
        """The node of the entity a mention in an article resolved to."""
        return entity_iri(self.resolution.key_of(article_id, mention))

    def fact_node(self, kind: str, provenance: Provenance, *content: object) -> URIRef:
        """A node of its own for one fact, minted from its evidence and content."""
        return fact_iri(kind, provenance, *content)

    def named_node(self, kind: str, name: str) -> URIRef:
        """A node named by a normalised name alone ("role/director"): one per name."""
        return ID[f"{kind}/{slug(name)}"]

    def article_node(self, article_id: str) -> URIRef:
        return article_iri(article_id)

    def observed_on(self, node: URIRef, article_id: str) -> None:
        """`node kg:observedOn` the date of the article it was read in."""
        date = self.article_dates.get(article_id)
        if date is not None:
            self.add((node, KG.observedOn, date))

    def fact(self, fact: object, family: Family) -> None:
        if family.write is not None:
            family.write(fact, self)


def date_literal(article: Article) -> Literal:
    return Literal(article.date, datatype=XSD.date)


def abridged(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def decimal_literal(value: float) -> Literal:
    return Literal(Decimal(str(value)).normalize().quantize(Decimal("0.01")), datatype=XSD.decimal)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


ArticleFacts = tuple[Article, Sequence[Fact]]
"""One article and the facts read in it: the unit the RDF stage writes in parallel."""


def build_graph(
    articles: Iterable[Article],
    facts: Iterable[Fact],
    resolution: Resolution,
    families: Sequence[Family] | None = None,
) -> Graph:
    """The graph of a corpus as an rdflib Graph: its articles, resolved entities and every
    fact (for the API and tests; `kg build` streams `corpus_quads` into a store instead).

    Each fact is written by its family (default: the registered families); a fact no
    family declares is a FamilyError.
    """
    owners = families_by_fact_type(families)
    graph = new_graph()
    writer = GraphWriter(resolution, graph.add)
    for article in articles:
        writer.article(article)
    write_entities(writer)
    for fact in facts:
        writer.fact(fact, family_of(fact, owners))
    return graph


def write_entities(writer: GraphWriter) -> None:
    for entity in sorted(writer.resolution.entities.values(), key=lambda entity: entity.key):
        writer.entity(entity)


def write_article(
    writer: GraphWriter, article: Article, facts: Iterable[Fact], owners: dict[type, Family]
) -> None:
    writer.article(article)
    for fact in facts:
        writer.fact(fact, family_of(fact, owners))


# What a string literal's characters become in N-Triples (ECHAR); every other character,
# control characters included, may stand as it is.
_N_TRIPLES_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class NTriplesLines:
    """A GraphWriter's sink that keeps what is written as N-Triples text.

    The store bulk-loads the text in Rust, so a triple costs one string here rather than
    four Python objects; IRIs are checked by Oxigraph once each, as they are first met.
    """

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}
        self.lines: list[str] = []

    def add(self, triple: tuple) -> None:
        subject, predicate, obj = triple
        self.lines.append(f"{self.term(subject)} {self.term(predicate)} {self.term(obj)} .\n")

    def iri(self, value: str) -> str:
        text = self._iris.get(value)
        if text is None:
            pyoxigraph.NamedNode(value)  # raises ValueError on what is not an IRI
            text = self._iris[value] = f"<{value}>"
        return text

    def term(self, term: object) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            text = f'"{str(term).translate(_N_TRIPLES_ESCAPES)}"'
            if term.language:
                return f"{text}@{term.language}"
            if term.datatype and term.datatype != XSD.string:
                return f"{text}^^{self.iri(term.datatype)}"
            return text
        assert isinstance(term, BNode), term
        return f"_:{term}"

    def take(self) -> bytes:
        text = "".join(self.lines)
        self.lines = []
        # A lone surrogate (undecodable input) cannot be UTF-8; it becomes U+FFFD.
        return text.encode("utf-8", "replace")


class ChunkCache(Protocol):
    """Where an article's N-Triples are kept between builds (kg.cache): they depend on the
    article, its facts and what its mentions resolved to, which `signature` sums up."""

    def get_chunk(self, article_id: str, signature: str) -> bytes | None: ...

    def put_chunk(self, article_id: str, signature: str, chunk: bytes) -> None: ...


# Articles a worker writes at a time: large enough that the text it sends back outweighs
# the round trip, small enough that two workers finish together.
WRITE_BATCH = 64
# Batches given to each writer ahead of the store taking their text: enough that a writer
# never waits, few enough that what waits in memory is a few megabytes.
WRITES_AHEAD = 4
# Below this many articles to write, forking workers costs more than it saves.
PARALLEL_WRITE_THRESHOLD = 512

# What forked writers read: set before the pool starts, inherited, never pickled.
_shared_corpus: tuple[Sequence[ArticleFacts], Resolution, dict[type, Family], dict[str, Literal]]


def corpus_ntriples(
    corpus: Sequence[ArticleFacts],
    resolution: Resolution,
    families: Sequence[Family] | None = None,
    workers: int = 1,
    chunks: ChunkCache | None = None,
) -> Iterator[bytes]:
    """The corpus's graph as chunks of N-Triples, to stream into a store.

    Entities are written here. An article and its facts depend on nothing but what their
    mentions resolved to, so an article whose chunk `chunks` kept under the same resolution
    is not written again, and with `workers` > 1 forked processes write the rest. A triple
    may come twice (two articles name one thing); a store keeps one.
    """
    owners = families_by_fact_type(families)
    dates = {article.id: date_literal(article) for article, _ in corpus if article.date}
    lines = NTriplesLines()
    write_entities(GraphWriter(resolution, lines.add, dates))
    yield lines.take()
    signatures = resolution_signatures(resolution) if chunks is not None else {}
    to_write: list[int] = []
    for index, (article, _) in enumerate(corpus):
        kept = chunks.get_chunk(article.id, signatures.get(article.id, "")) if chunks else None
        if kept is None:
            to_write.append(index)
        else:
            yield kept
    for index, chunk in _written(corpus, to_write, resolution, owners, dates, workers):
        if chunks is not None:
            article_id = corpus[index][0].id
            chunks.put_chunk(article_id, signatures.get(article_id, ""), chunk)
        yield chunk


def resolution_signatures(resolution: Resolution) -> dict[str, str]:
    """For each article, a digest of what each of its mentions resolved to."""
    resolved: dict[str, list[str]] = {}
    for (article_id, mention), key in resolution.mentions.items():
        resolved.setdefault(article_id, []).append(f"{mention!r}\t{key}")
    return {
        article_id: hashlib.sha1("\n".join(sorted(pairs)).encode()).hexdigest()
        for article_id, pairs in resolved.items()
    }


def _written(
    corpus: Sequence[ArticleFacts],
    indices: list[int],
    resolution: Resolution,
    owners: dict[type, Family],
    dates: dict[str, Literal],
    workers: int,
) -> Iterator[tuple[int, bytes]]:
    """(index, N-Triples) of each article at `indices`, in that order."""
    if workers > 1 and len(indices) >= PARALLEL_WRITE_THRESHOLD and _can_fork():
        yield from _written_by_workers(corpus, indices, resolution, owners, dates, workers)
        return
    yield from zip(
        indices, _article_chunks(corpus, indices, resolution, owners, dates), strict=True
    )


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _written_by_workers(
    corpus: Sequence[ArticleFacts],
    indices: list[int],
    resolution: Resolution,
    owners: dict[type, Family],
    dates: dict[str, Literal],
    workers: int,
) -> Iterator[tuple[int, bytes]]:
    global _shared_corpus
    _shared_corpus = (corpus, resolution, owners, dates)
    batches = [
        indices[start : start + WRITE_BATCH] for start in range(0, len(indices), WRITE_BATCH)
    ]
    # Frozen, the parent's objects are left alone by the workers' collections, which would
    # otherwise write to every one of them and so copy every page they share.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(os.getpid(),),
        ) as pool:
            written = results_in_order(pool, _write_articles, batches, WRITES_AHEAD * workers)
            try:
                for batch, chunks in zip(batches, written, strict=True):
                    yield from zip(batch, chunks, strict=True)
            finally:  # now, not when collected: a load that fails stops the writers at once
                written.close()
    finally:
        gc.unfreeze()
        del _shared_corpus


def _write_articles(indices: list[int]) -> list[bytes]:
    """The N-Triples of each article at `indices` of the shared corpus (in a worker)."""
    corpus, resolution, owners, dates = _shared_corpus
    return list(_article_chunks(corpus, indices, resolution, owners, dates))


def _article_chunks(
    corpus: Sequence[ArticleFacts],
    indices: list[int],
    resolution: Resolution,
    owners: dict[type, Family],
    dates: dict[str, Literal],
) -> Iterator[bytes]:
    """The N-Triples of each article at `indices`, one writer for them all."""
    lines = NTriplesLines()
    writer = GraphWriter(resolution, lines.add, dates)
    for index in indices:
        article, facts = corpus[index]
        write_article(writer, article, facts, owners)
        yield lines.take()


TURTLE_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    # kgr: is left out: its local names hold slashes, which Turtle would print escaped.
    **{prefix: str(ns) for prefix, ns in PREFIXES.items() if prefix != "kgr"},
}


def oxigraph_triples(graph: Graph) -> list[pyoxigraph.Triple]:
    """An rdflib graph's triples as Oxigraph terms, in a stable order so files diff cleanly:
    written as N-Triples by the build's own writer, then read by Oxigraph."""
    lines = NTriplesLines()
    for triple in sorted(graph, key=lambda triple: tuple(map(str, triple))):
        lines.add(triple)
    text = lines.take()
    return [quad.triple for quad in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES)]


def serialize_turtle(graph: Graph | list[pyoxigraph.Triple]) -> bytes:
    """Turtle with the project's prefixes.

    Oxigraph's serialiser, not rdflib's: on 200,000 triples it takes a fraction of a second
    where rdflib's takes half a minute.
    """
    triples = oxigraph_triples(graph) if isinstance(graph, Graph) else graph
    return pyoxigraph.serialize(
        triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES
    )
