"""How `kg eval` reads facts from a graph and compares them with gold: the shared parts.

Each fact family declares its own `GoldMatcher` (which gold `kind` it scores, how it
reads its facts from a graph, how one gold fact matches one prediction); this module
holds what they share: name normalisation, the matching thresholds and the graph
readers. The rules are the reference scorer's, so changing one changes what a score
means.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib.namespace import FOAF, PROV, RDFS, SDO, SKOS
from rdflib.term import Literal, Node, URIRef

from kg.vocab import KG

# Kept out of the "missed" listing: long, and the same for every duplicate.
LABEL_PREDICATES = (
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    SDO.name,
    FOAF.name,
    SDO.headline,
    SDO.title,
)

HONORIFICS = frozenset(
    "cllr councillor mr mrs ms miss dr sir dame lord baroness prof professor rt hon the".split()
)
STOP_WORDS = frozenset(
    "a an the of for to and in on with by that which is be its their it as at from one new "
    "all this will".split()
)
# "Chairman of the LGA" and "chair of the LGA" state the same role.
ROLE_SYNONYMS = {"chairman": "chair", "chairwoman": "chair", "chairperson": "chair"}
STEM_SUFFIXES = ("ing", "ed", "es", "s")
MIN_STEM_LENGTH = 4  # letters a word keeps once a suffix is cut ("fund" from "funding")

# "Children's services" and "children services" are one name; "£" stays, as in "£1bn".
POSSESSIVE = re.compile(r"'s\b")
NOT_NAME_CHARACTERS = re.compile(r"[^a-z0-9£ ]+")
IRI_SEPARATORS = re.compile(r"[#/]")

MATCH_OVERLAP = 0.5  # share of a policy's or reform's content words a statement must share
SAME_GOLD_OVERLAP = 0.8  # two gold recommendations this close are one fact told twice
ROLE_OVERLAP = 0.5  # Jaccard similarity of role words ("director of children's services")
TITLE_SIMILARITY = 0.9  # difflib ratio for job titles that differ by a typo
SALARY_RELATIVE_TOLERANCE = 0.005
SALARY_ABSOLUTE_TOLERANCE = 0.01

LISTED_NAMES = 3  # names of a wrong fact's node shown before "…"


# ---- what a graph states --------------------------------------------------------------


@dataclass(frozen=True)
class PredictedFact:
    """A fact the graph states, with the articles it says it was derived from.

    `claim` is the family's own record of what the fact says. `has_node` marks facts
    that are nodes of their own (memberships, job postings): only their provenance is
    checked, as a recommends/announces triple has no node to carry it. `rules` names
    the rules that found it ("roles:appositive_post", or "roles" when no rule is
    recorded), for `kg eval --by-rule`.
    """

    kind: str
    claim: Any
    docs: frozenset[str]
    has_node: bool
    rules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GoldField:
    """A field a gold fact may leave out, what it must hold when given (`accepts`), and
    that in words for the error that names it ("a number or null")."""

    name: str
    accepts: Callable[[Any], bool]
    expected: str


def text_or_null(name: str) -> GoldField:
    return GoldField(name, _is_text_or_null, "text or null")


def texts_or_null(name: str) -> GoldField:
    return GoldField(name, _is_texts_or_null, "a list of texts or null")


def number_or_null(name: str) -> GoldField:
    return GoldField(name, _is_number_or_null, "a number or null")


def one_of_or_null(name: str, values: Iterable[str]) -> GoldField:
    allowed = tuple(values)
    return GoldField(
        name,
        lambda value: value is None or (isinstance(value, str) and value in allowed),
        f"one of {', '.join(allowed)} or null",
    )


def _is_text_or_null(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_texts_or_null(value: object) -> bool:
    return value is None or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    )


def _is_number_or_null(value: object) -> bool:
    # JSON's true and false are Python ints, and Python's JSON reader accepts NaN.
    if isinstance(value, bool):
        return False
    return value is None or (isinstance(value, int | float) and math.isfinite(value))


@dataclass(frozen=True)
class GoldMatcher:
    """How `kg eval` scores one kind of gold fact ("holds_role") against a graph.

    `required`: fields a gold fact of this kind cannot be scored without (besides
    "kind" and "doc"); `read`: every fact of this kind the graph states; `match`: above
    0 when a prediction states a gold fact, higher is closer; `same`: two gold facts
    that are one fact told in two articles; `describe_gold`/`describe_claim`: one line
    each for the missed and wrong listings; `optional`: the other fields the functions
    read, checked when a gold file is loaded so that they can trust what they get.
    """

    kind: str
    required: tuple[str, ...]
    read: Callable[[rdflib.Graph], Iterator[PredictedFact]]
    match: Callable[[Mapping[str, Any], Any], float]
    same: Callable[[Mapping[str, Any], Mapping[str, Any]], bool]
    describe_gold: Callable[[Mapping[str, Any]], str]
    describe_claim: Callable[[Any], str]
    optional: tuple[GoldField, ...] = ()


# ---- text normalisation ---------------------------------------------------------------


def normalise_name(text: str) -> str:
    """Lower case, possessives and punctuation gone: "Children’s Services" → "children services"."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = POSSESSIVE.sub("", text)
    text = NOT_NAME_CHARACTERS.sub(" ", text)
    return " ".join(text.split())


def person_key(name: str) -> str:
    """A person's name without honorifics: "Cllr Richard Watts" → "richard watts"."""
    return " ".join(word for word in normalise_name(name).split() if word not in HONORIFICS)


def stem(word: str) -> str:
    for suffix in STEM_SUFFIXES:
        if len(word) >= len(suffix) + MIN_STEM_LENGTH and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    return {stem(word) for word in normalise_name(text).split() if word not in STOP_WORDS}


def overlap(first: str, second: str) -> float:
    """Share of the shorter text's content words found in the other."""
    first_words, second_words = content_words(first), content_words(second)
    if not first_words or not second_words:
        return 0.0
    return len(first_words & second_words) / min(len(first_words), len(second_words))


def _role_words(role: str) -> set[str]:
    return {ROLE_SYNONYMS.get(word, word) for word in normalise_name(role).split()} - STOP_WORDS


def roles_match(gold_role: str, predicted_role: str) -> bool:
    """Same role: one's words contain the other's, or they share half their words."""
    gold_words, predicted_words = _role_words(gold_role), _role_words(predicted_role)
    if not gold_words or not predicted_words:
        return False
    shared = len(gold_words & predicted_words) / len(gold_words | predicted_words)
    return gold_words <= predicted_words or predicted_words <= gold_words or shared >= ROLE_OVERLAP


def names_match(gold_names: Iterable[str], predicted_names: Iterable[str]) -> bool:
    """Some name on each side normalises to the same text; empty names never match."""
    gold_keys = {normalise_name(name) for name in gold_names if name}
    return bool(gold_keys & {normalise_name(name) for name in predicted_names if name})


def titles_match(gold_title: str, predicted_title: str) -> bool:
    gold_key, predicted_key = normalise_name(gold_title), normalise_name(predicted_title)
    if gold_key == predicted_key:
        return True
    return difflib.SequenceMatcher(None, gold_key, predicted_key).ratio() >= TITLE_SIMILARITY


def amounts_close(gold: float | None, predicted: float | None) -> bool:
    """Equal within half a percent of the gold figure (or a penny); both absent also agree."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    tolerance = max(SALARY_ABSOLUTE_TOLERANCE, SALARY_RELATIVE_TOLERANCE * abs(float(gold)))
    return abs(float(gold) - float(predicted)) <= tolerance


# ---- reading a graph ------------------------------------------------------------------


def labels(graph: rdflib.Graph, node: Node) -> frozenset[str]:
    # A literal in the place of a node (`kg:actor "the Government"`) names itself.
    if isinstance(node, Literal):
        return frozenset({str(node)})
    return frozenset(str(name) for p in LABEL_PREDICATES for name in graph.objects(node, p))


def labels_of_all(graph: rdflib.Graph, nodes: Iterable[Node]) -> frozenset[str]:
    return frozenset(name for node in nodes for name in labels(graph, node))


def first(graph: rdflib.Graph, node: Node | None, predicate: URIRef) -> Node | None:
    if node is None:
        return None
    return next(iter(graph.objects(node, predicate)), None)


def number(graph: rdflib.Graph, node: Node | None, predicate: URIRef) -> float | None:
    value = first(graph, node, predicate)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def articles(graph: rdflib.Graph, node: Node) -> frozenset[str]:
    return frozenset(
        str(identifier)
        for article in graph.objects(node, PROV.wasDerivedFrom)
        for identifier in graph.objects(article, SDO.identifier)
    )


def by_local_name(graph: rdflib.Graph, local_name: str) -> Iterator[tuple[Node, Node]]:
    """Subject and object of every triple whose predicate is `…#local_name` or `…/local_name`.

    Iterating the whole graph would follow the hash order of rdflib's set of triples;
    asking for each predicate's pairs follows the (sorted) order they were added in.
    """
    predicates = {
        predicate
        for predicate in graph.predicates()
        if IRI_SEPARATORS.split(str(predicate))[-1] == local_name
    }
    for predicate in sorted(predicates):
        yield from graph.subject_objects(predicate)


def rules(graph: rdflib.Graph, evidence_nodes: Iterable[Node]) -> frozenset[str]:
    """The rules recorded on the nodes that carry a fact's evidence ("roles:appositive_post").

    A node with an extractor but no rule counts under the extractor's name.
    """
    found = set()
    for node in evidence_nodes:
        rule = first(graph, node, KG.rule)
        for extractor in graph.objects(node, KG.extractor):
            found.add(f"{extractor}:{rule}" if rule is not None else str(extractor))
    return frozenset(found)


# ---- describing -----------------------------------------------------------------------


def listed_names(names: frozenset[str]) -> str:
    if not names:
        return "(unnamed)"
    shown = sorted(names)[:LISTED_NAMES]
    return " | ".join(shown) + (" | …" if len(names) > LISTED_NAMES else "")
