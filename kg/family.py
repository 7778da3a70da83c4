"""What a fact family is: one object that says everything kg does with one kind of fact.

A family declares its extractor, the typed mentions its facts name, how its facts
become triples, how `kg eval` matches them and which edges it adds to the view.
Resolution, RDF, the view and evaluation loop over the registered families
(`kg.families.FAMILIES`) and know none by name; a new family is a new module in
`kg/families/`, one line in that list, its ontology terms and its tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Graph
from rdflib.term import Node

from kg.errors import FamilyError
from kg.model import Article, Mention
from kg.scoring import GoldMatcher

if TYPE_CHECKING:
    from kg.document import Document
    from kg.rdf import GraphWriter
    from kg.render import NodeKind

# The parse (`document.doc`) loads spaCy, so a family that never reads it costs no model.
Extractor = Callable[["Document"], Iterable[Any]]
"""A pure function of one parsed article: every fact it states."""

FactWriter = Callable[[Any, "GraphWriter"], None]
"""Adds one fact's triples through the graph writer (which mints IRIs and entity nodes)."""

ViewEdges = Callable[[Graph], Iterable[tuple[Node, Node, str]]]
"""Edges (source, target, label) a family adds to the network view, read off the graph."""


def no_mentions(fact: Any) -> tuple[Mention, ...]:
    return ()


@dataclass(frozen=True)
class Family:
    """One kind of fact, end to end.

    `name` names the family and its extractor (provenance records it as `kg:extractor`).
    `facts` are the fact classes the family owns: resolution and RDF find a fact's family
    by its class. `extract` is None when another family's extractor yields these facts
    (the organisations extractor finds acronym definitions too). `mentions` lists what a
    fact names, in the order resolution should meet them; `write` adds its triples (None:
    its entities are all it adds). `gold` says how `kg eval` scores the family, and
    `view_edges` and `view_nodes` what it adds to the network view.
    """

    name: str
    facts: tuple[type, ...]
    extract: Extractor | None = None
    mentions: Callable[[Any], Iterable[Mention]] = no_mentions
    write: FactWriter | None = None
    gold: GoldMatcher | None = None
    view_edges: tuple[ViewEdges, ...] = ()
    view_nodes: tuple[NodeKind, ...] = ()


def article_extractor(extract: Callable[[Article], Iterable[Any]]) -> Extractor:
    """Adapt an extractor of an `Article` (the regex extractors) to read a `Document`."""

    def extract_document(document: Document) -> Iterable[Any]:
        return extract(document.article)

    extract_document.__name__ = getattr(extract, "__module__", "extract") + ".extract"
    return extract_document


def predicate_edges(predicate: Node, label: str) -> ViewEdges:
    """A view edge for every triple of `predicate`, drawn subject → object."""

    def edges(graph: Graph) -> Iterable[tuple[Node, Node, str]]:
        for subject, target in graph.subject_objects(predicate):
            yield subject, target, label

    return edges


def registered(families: Sequence[Family] | None = None) -> Sequence[Family]:
    """`families`, or when None the registered ones (`kg.families.FAMILIES`)."""
    if families is not None:
        return families
    # Imported here: the family modules import the stages (rdf, render) that call this.
    from kg.families import FAMILIES

    return FAMILIES


def families_by_fact_type(families: Sequence[Family] | None = None) -> dict[type, Family]:
    """The family that owns each fact class; two families claiming one class is an error."""
    owners: dict[type, Family] = {}
    for family in registered(families):
        for fact_type in family.facts:
            if fact_type in owners:
                raise FamilyError(
                    f"{fact_type.__name__} is declared by two fact families: "
                    f"{owners[fact_type].name} and {family.name}"
                )
            owners[fact_type] = family
    return owners


def family_of(fact: object, owners: dict[type, Family]) -> Family:
    """The family of a fact, or a FamilyError naming the fact's class and the families."""
    family = owners.get(type(fact))
    if family is None:
        known = ", ".join(sorted({family.name for family in owners.values()})) or "none"
        raise FamilyError(
            f"no registered fact family declares {type(fact).__name__} facts "
            f"(families: {known}); register one in kg/families/__init__.py"
        )
    return family
