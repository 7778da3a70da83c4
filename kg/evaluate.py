"""Scoring a built graph against a gold file of facts, for `kg eval`.

A user who annotates their own articles (the gold format of the seed articles: a JSON
object with "facts" and optional "entities") can measure how well the extractors do:
precision, recall and F1 per kind of fact, the facts missed and wrong, whether each gold
entity became one node, and whether matched facts trace back to their article.

The figures agree with the reference scorer the seed gold file ships with: the same name
normalisation, the same matching rule per kind, the same greedy best-first one-to-one
matching, and the same merging of gold facts repeated across articles. Changing a rule
here changes what a score means, so the rules are constants and small functions below.

Facts are read from the graph by the vocabulary contract of the gold format, not by
this project's own ontology, so graphs built by other tools can be scored too:

    holds_role  org:Membership (org:member, org:organization, org:role), or org:holds a
                post with org:postIn; a unit names its parent by org:unitOf/subOrganizationOf
    recommends  any predicate whose local name is `recommends`; schema:publisher of the report
    announces   any predicate whose local name is `announces`
    advertises  schema:JobPosting with schema:title, schema:hiringOrganization and
                schema:baseSalary → schema:value → minValue/maxValue/unitText
    provenance  prov:wasDerivedFrom an article whose schema:identifier is the file stem
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Literal, Node, URIRef
from rich import box
from rich.table import Table

from kg.errors import GoldFileError
from kg.terminal import render_table

KINDS = ("holds_role", "recommends", "announces", "advertises")
# Fields a gold fact of each kind cannot be scored without (besides "kind" and "doc").
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "holds_role": ("person", "role", "organisation"),
    "recommends": ("report", "policy"),
    "announces": ("actor", "reform"),
    "advertises": ("council", "job_title"),
}
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
# Many tools still write schema.org terms with http://; both mean the same vocabulary.
HTTP_SCHEMA = "http://schema.org/"
HTTPS_SCHEMA = str(SDO)

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
LISTED_SPLIT_ENTITIES = 8  # split entities named when missed and wrong facts are not shown


# ---- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class KindScore:
    """How one kind of fact (or "all") scored; `missed` are gold facts, `wrong` predictions."""

    kind: str
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    missed: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """Scores per kind, overall, and the entity-resolution and provenance checks.

    `entities_one_node`/`entities_total` are None when the gold file lists no entities;
    `provenance_traceable` counts matched membership and job facts (the ones with a node
    of their own), `provenance_traced` those derived from one of their gold articles.
    """

    kinds: tuple[KindScore, ...]
    overall: KindScore
    entities_one_node: int | None
    entities_total: int | None
    entities_split: tuple[str, ...]
    provenance_traced: int
    provenance_traceable: int


# ---- gold file ------------------------------------------------------------------------


def load_gold(path: Path) -> dict:
    """Read and check a gold file; GoldFileError says what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFileError(f"{path}: no such gold file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"{path}: cannot read gold file ({_first_line(exc)})") from None
    try:
        gold = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldFileError(
            f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    problem = gold_problem(gold)
    if problem:
        raise GoldFileError(f"{path}: {problem}")
    return gold


def gold_problem(gold: object) -> str | None:
    """What makes `gold` unusable as a gold file, or None if it can be scored."""
    if not isinstance(gold, dict) or not isinstance(gold.get("facts"), list):
        return 'expected a JSON object with a "facts" list'
    for number, fact in enumerate(gold["facts"], start=1):
        problem = _fact_problem(fact)
        if problem:
            return f"fact {number}: {problem}"
    entities = gold.get("entities") or []
    if not isinstance(entities, list):
        return '"entities" is not a list'
    for number, entity in enumerate(entities, start=1):
        if not isinstance(entity, dict) or not isinstance(entity.get("label"), str):
            return f'entity {number}: expected an object with a "label"'
    return None


def _fact_problem(fact: object) -> str | None:
    if not isinstance(fact, dict):
        return "not a JSON object"
    kind = fact.get("kind")
    if kind not in REQUIRED_FIELDS:
        return f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})"
    for name in ("doc", *REQUIRED_FIELDS[kind]):
        if not isinstance(fact.get(name), str):
            return f'{kind} needs a "{name}" string'
    return None


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


# ---- facts stated by the graph --------------------------------------------------------


@dataclass(frozen=True)
class RoleClaim:
    person: frozenset[str]
    organisation: frozenset[str]  # the organisation's names and its parents' names
    role: frozenset[str]


@dataclass(frozen=True)
class RecommendationClaim:
    report: frozenset[str]
    publisher: frozenset[str]
    policy: frozenset[str]


@dataclass(frozen=True)
class AnnouncementClaim:
    actor: frozenset[str]
    reform: frozenset[str]


@dataclass(frozen=True)
class JobClaim:
    title: frozenset[str]
    council: frozenset[str]
    minimum: float | None
    maximum: float | None
    unit: str | None


Claim = RoleClaim | RecommendationClaim | AnnouncementClaim | JobClaim


@dataclass(frozen=True)
class PredictedFact:
    """A fact the graph states, with the articles it says it was derived from.

    `has_node` marks facts that are nodes of their own (memberships, job postings): only
    their provenance is checked, as a recommends/announces triple has no node to carry it.
    """

    kind: str
    claim: Claim
    docs: frozenset[str]
    has_node: bool


def _with_https_schema(graph: rdflib.Graph) -> rdflib.Graph:
    """A copy of `graph` with schema.org terms on https, its triples added in sorted order.

    Matching breaks ties by the order facts are read in (`greedy_pairs`). The reference
    scorer reads them in rdflib's iteration order, which follows Python's string hashing
    and so changes from run to run: when a graph states a fact twice, or a vague label
    matches two gold facts equally well, its figures can differ between two runs on the
    same file. rdflib's indexes by subject and predicate keep the order triples were
    added in, so adding them sorted and reading through those indexes fixes the order
    (blank nodes aside, whose labels are random): `kg eval` gives one of the figures the
    reference scorer can give, and the same one every time.
    """
    normalised = rdflib.Graph()
    for triple in sorted(graph, key=_triple_sort_key):
        normalised.add(tuple(_https_schema(term) for term in triple))  # type: ignore[arg-type]
    return normalised


def _triple_sort_key(triple: tuple[Node, Node, Node]) -> tuple[tuple[str, ...], ...]:
    return tuple(_term_sort_key(term) for term in triple)


def _term_sort_key(term: Node) -> tuple[str, ...]:
    # str() alone would let "1" and 1 (or "chair"@en and "chair") tie and keep rdflib's order.
    if isinstance(term, Literal):
        return (type(term).__name__, str(term), str(term.datatype or ""), term.language or "")
    return (type(term).__name__, str(term), "", "")


def _https_schema(term: Node) -> Node:
    if isinstance(term, URIRef) and term.startswith(HTTP_SCHEMA):
        return URIRef(HTTPS_SCHEMA + term[len(HTTP_SCHEMA) :])
    return term


def _labels(graph: rdflib.Graph, node: Node) -> frozenset[str]:
    # A literal in the place of a node (`kg:actor "the Government"`) names itself.
    if isinstance(node, Literal):
        return frozenset({str(node)})
    return frozenset(str(name) for p in LABEL_PREDICATES for name in graph.objects(node, p))


def _labels_of_all(graph: rdflib.Graph, nodes: Iterable[Node]) -> frozenset[str]:
    return frozenset(name for node in nodes for name in _labels(graph, node))


def _first(graph: rdflib.Graph, node: Node | None, predicate: URIRef) -> Node | None:
    if node is None:
        return None
    return next(iter(graph.objects(node, predicate)), None)


def _number(graph: rdflib.Graph, node: Node | None, predicate: URIRef) -> float | None:
    value = _first(graph, node, predicate)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _articles(graph: rdflib.Graph, node: Node) -> frozenset[str]:
    return frozenset(
        str(identifier)
        for article in graph.objects(node, PROV.wasDerivedFrom)
        for identifier in graph.objects(article, SDO.identifier)
    )


def _role_facts(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    memberships = [
        (
            membership,
            _first(graph, membership, ORG.member),
            _first(graph, membership, ORG.organization),
            _first(graph, membership, ORG.role),
        )
        for membership in graph.subjects(RDF.type, ORG.Membership)
    ]
    memberships += [
        (post, person, _first(graph, post, ORG.postIn), _first(graph, post, ORG.role))
        for person, post in graph.subject_objects(ORG.holds)
    ]
    for node, person, organisation, role in memberships:
        if person is None or organisation is None:
            continue
        parents = {*graph.objects(organisation, ORG.unitOf)}
        parents |= {*graph.objects(organisation, ORG.subOrganizationOf)}
        claim = RoleClaim(
            person=_labels(graph, person),
            organisation=_labels(graph, organisation) | _labels_of_all(graph, parents),
            role=_labels(graph, role) if role is not None else frozenset(),
        )
        yield PredictedFact("holds_role", claim, _articles(graph, node), has_node=True)


def _by_local_name(graph: rdflib.Graph, local_name: str) -> Iterator[tuple[Node, Node]]:
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


def _recommendation_facts(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    for report, policy in _by_local_name(graph, "recommends"):
        claim = RecommendationClaim(
            report=_labels(graph, report),
            publisher=_labels_of_all(graph, graph.objects(report, SDO.publisher)),
            policy=_labels(graph, policy),
        )
        yield PredictedFact("recommends", claim, _articles(graph, report), has_node=False)


def _announcement_facts(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    for actor, reform in _by_local_name(graph, "announces"):
        claim = AnnouncementClaim(actor=_labels(graph, actor), reform=_labels(graph, reform))
        yield PredictedFact("announces", claim, _articles(graph, reform), has_node=False)


def _job_facts(graph: rdflib.Graph) -> Iterator[PredictedFact]:
    for job in graph.subjects(RDF.type, SDO.JobPosting):
        salary = _first(graph, job, SDO.baseSalary)
        # schema:baseSalary is a MonetaryAmount whose schema:value holds the figures, or
        # (written more loosely) the QuantitativeValue itself.
        amount = _first(graph, salary, SDO.value)
        amount = amount if amount is not None else salary
        unit = _first(graph, amount, SDO.unitText)
        low, high = _number(graph, amount, SDO.minValue), _number(graph, amount, SDO.maxValue)
        if low is None and high is None:  # one figure: "£35,000" is schema:value 35000
            low = high = _number(graph, amount, SDO.value)
        titles = frozenset(str(title) for title in graph.objects(job, SDO.title))
        claim = JobClaim(
            title=titles or _labels(graph, job),
            council=_labels_of_all(graph, graph.objects(job, SDO.hiringOrganization)),
            minimum=low,
            maximum=high,
            unit=str(unit).upper() if unit is not None else None,
        )
        yield PredictedFact("advertises", claim, _articles(graph, job), has_node=True)


FACT_READERS: tuple[Callable[[rdflib.Graph], Iterator[PredictedFact]], ...] = (
    _role_facts,
    _recommendation_facts,
    _announcement_facts,
    _job_facts,
)


def _predicted_facts(graph: rdflib.Graph) -> list[PredictedFact]:
    """Every fact of the four kinds that `graph` states, duplicates included."""
    return [fact for read in FACT_READERS for fact in read(graph)]


# ---- matching gold to predictions -----------------------------------------------------


@dataclass(frozen=True)
class GoldFact:
    """A gold fact, merged with its repeats in other articles (`docs` lists them all)."""

    kind: str
    fields: Mapping[str, Any]
    docs: tuple[str, ...]


def merge_gold_facts(facts: Sequence[Mapping[str, Any]]) -> list[GoldFact]:
    """One GoldFact per fact stated, however many articles state it (first wording kept)."""
    kept: list[tuple[Mapping[str, Any], list[str]]] = []
    for fact in facts:
        twin_docs = next(
            (docs for first, docs in kept if first["kind"] == fact["kind"] and _same(first, fact)),
            None,
        )
        if twin_docs is None:
            kept.append((fact, [fact["doc"]]))
        elif fact["doc"] not in twin_docs:
            twin_docs.append(fact["doc"])
    return [GoldFact(fact["kind"], fact, tuple(docs)) for fact, docs in kept]


def _same(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    kind = first["kind"]
    if kind == "holds_role":
        return (
            person_key(first["person"]) == person_key(second["person"])
            and roles_match(first["role"], second["role"])
            and names_match(_organisation_names(first), _organisation_names(second))
        )
    if kind == "recommends":
        return overlap(first["policy"], second["policy"]) >= SAME_GOLD_OVERLAP
    if kind == "announces":
        return (
            person_key(first["actor"]) == person_key(second["actor"])
            and overlap(first["reform"], second["reform"]) >= SAME_GOLD_OVERLAP
        )
    if kind == "advertises":
        return (
            normalise_name(first["council"]) == normalise_name(second["council"])
            and normalise_name(first["job_title"]) == normalise_name(second["job_title"])
            and first.get("salary_max") == second.get("salary_max")
        )
    return False


def _organisation_names(fact: Mapping[str, Any]) -> set[str]:
    return {fact["organisation"], *(fact.get("organisation_aliases") or [])}


def _match_role(gold: Mapping[str, Any], claim: RoleClaim) -> float:
    if person_key(gold["person"]) not in {person_key(name) for name in claim.person}:
        return 0.0
    # The graph may name the board ("Children and Young People Board") or its parent.
    if not names_match(_organisation_names(gold) | {gold.get("unit") or ""}, claim.organisation):
        return 0.0
    return 1.0 if any(roles_match(gold["role"], role) for role in claim.role) else 0.0


def _match_recommendation(gold: Mapping[str, Any], claim: RecommendationClaim) -> float:
    policy = max((overlap(gold["policy"], name) for name in claim.policy), default=0.0)
    report = max((overlap(gold["report"], name) for name in claim.report), default=0.0)
    # A report node labelled with its publisher ("the NLGN report") also identifies it.
    by_publisher = names_match({gold.get("publisher") or ""}, claim.publisher | claim.report)
    if policy >= MATCH_OVERLAP and (report >= MATCH_OVERLAP or by_publisher):
        return policy
    return 0.0


def _match_announcement(gold: Mapping[str, Any], claim: AnnouncementClaim) -> float:
    same_actor = person_key(gold["actor"]) in {person_key(name) for name in claim.actor}
    reform = max((overlap(gold["reform"], name) for name in claim.reform), default=0.0)
    return reform if same_actor and reform >= MATCH_OVERLAP else 0.0


def _match_job(gold: Mapping[str, Any], claim: JobClaim) -> float:
    if not names_match({gold["council"]}, claim.council):
        return 0.0
    if not any(titles_match(gold["job_title"], title) for title in claim.title):
        return 0.0
    salary_agrees = (
        amounts_close(gold.get("salary_min"), claim.minimum)
        and amounts_close(gold.get("salary_max"), claim.maximum)
        and (gold.get("salary_unit") or None) == claim.unit
    )
    return 1.0 if salary_agrees else 0.0


MATCHERS: dict[str, Callable[[Mapping[str, Any], Any], float]] = {
    "holds_role": _match_role,
    "recommends": _match_recommendation,
    "announces": _match_announcement,
    "advertises": _match_job,
}


def match_score(gold: GoldFact, predicted: PredictedFact) -> float:
    """Above 0 when `predicted` states `gold`'s fact; higher is a closer match."""
    if gold.kind != predicted.kind:
        return 0.0
    return MATCHERS[gold.kind](gold.fields, predicted.claim)


def greedy_pairs(scores: Sequence[Sequence[float]]) -> dict[int, int]:
    """Gold index → prediction index, best score first, each side used at most once.

    Equal scores go to the later gold fact, then the later prediction, as in the
    reference scorer: another tie order can pair differently and change the figures.
    """
    candidates = sorted(
        (
            (value, gold_index, predicted_index)
            for gold_index, row in enumerate(scores)
            for predicted_index, value in enumerate(row)
            if value > 0
        ),
        reverse=True,
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _value, gold_index, predicted_index in candidates:
        if gold_index not in pairs and predicted_index not in used:
            pairs[gold_index] = predicted_index
            used.add(predicted_index)
    return pairs


# ---- scoring --------------------------------------------------------------------------


@dataclass(frozen=True)
class _KindOutcome:
    score: KindScore
    traced: int
    traceable: int


def evaluate(graph: rdflib.Graph, gold: dict) -> Evaluation:
    """Score `graph` against `gold` (as returned by `load_gold`)."""
    problem = gold_problem(gold)
    if problem:
        raise GoldFileError(f"gold file: {problem}")
    gold_facts = merge_gold_facts(gold["facts"])
    normalised = _with_https_schema(graph)
    predictions = _predicted_facts(normalised)
    # Only kinds the gold file annotates are scored: a gold file of job adverts alone
    # should not count the graph's roles as wrong.
    outcomes = [
        _score_kind(
            kind,
            [fact for fact in gold_facts if fact.kind == kind],
            [fact for fact in predictions if fact.kind == kind],
        )
        for kind in sorted({fact.kind for fact in gold_facts})
    ]
    kinds = tuple(outcome.score for outcome in outcomes)
    one_node, total, split = _entity_resolution(normalised, gold.get("entities") or [])
    return Evaluation(
        kinds=kinds,
        overall=_overall(kinds),
        entities_one_node=one_node,
        entities_total=total,
        entities_split=split,
        provenance_traced=sum(outcome.traced for outcome in outcomes),
        provenance_traceable=sum(outcome.traceable for outcome in outcomes),
    )


def _score_kind(
    kind: str, gold_facts: list[GoldFact], predictions: list[PredictedFact]
) -> _KindOutcome:
    scores = [[match_score(gold, predicted) for predicted in predictions] for gold in gold_facts]
    pairs = greedy_pairs(scores)
    paired = set(pairs.values())
    # A prediction that repeats an already matched gold fact is a duplicate, not an error.
    duplicates = {
        index
        for index in range(len(predictions))
        if index not in paired and any(scores[gold_index][index] > 0 for gold_index in pairs)
    }
    missed = tuple(
        describe_gold(fact) for index, fact in enumerate(gold_facts) if index not in pairs
    )
    wrong = tuple(
        describe_prediction(fact)
        for index, fact in enumerate(predictions)
        if index not in paired and index not in duplicates
    )
    score = _kind_score(
        kind,
        gold=len(gold_facts),
        predicted=len(predictions) - len(duplicates),
        matched=len(pairs),
        missed=missed,
        wrong=wrong,
    )
    with_node = [
        (gold_facts[gold_index], predictions[predicted_index])
        for gold_index, predicted_index in pairs.items()
        if predictions[predicted_index].has_node
    ]
    traced = sum(1 for gold, predicted in with_node if _traced(gold, predicted))
    return _KindOutcome(score, traced=traced, traceable=len(with_node))


def _traced(gold: GoldFact, predicted: PredictedFact) -> bool:
    """The prediction is derived from one of the articles that state the gold fact."""
    return not predicted.docs.isdisjoint(gold.docs)


def _kind_score(
    kind: str,
    *,
    gold: int,
    predicted: int,
    matched: int,
    missed: tuple[str, ...],
    wrong: tuple[str, ...],
) -> KindScore:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return KindScore(kind, gold, predicted, matched, precision, recall, f1, missed, wrong)


def _overall(kinds: Sequence[KindScore]) -> KindScore:
    return _kind_score(
        "all",
        gold=sum(score.gold for score in kinds),
        predicted=sum(score.predicted for score in kinds),
        matched=sum(score.matched for score in kinds),
        missed=tuple(line for score in kinds for line in score.missed),
        wrong=tuple(line for score in kinds for line in score.wrong),
    )


def _entity_resolution(
    graph: rdflib.Graph, entities: Sequence[Mapping[str, Any]]
) -> tuple[int | None, int | None, tuple[str, ...]]:
    """How many gold entities the graph holds as exactly one node, and which are split.

    An entity none of whose names (label or aliases) appears is neither: extraction
    missed it, which the fact scores already show.
    """
    if not entities:
        return None, None, ()
    nodes_by_name = _nodes_by_name(graph)
    one_node, split = 0, []
    for entity in entities:
        names = {normalise_name(name) for name in [entity["label"], *(entity.get("aliases") or [])]}
        nodes = set().union(*(nodes_by_name.get(name, set()) for name in names))
        if len(nodes) == 1:
            one_node += 1
        elif len(nodes) > 1:
            split.append(entity["label"])
    return one_node, len(entities), tuple(split)


def _nodes_by_name(graph: rdflib.Graph) -> dict[str, set[Node]]:
    nodes: dict[str, set[Node]] = {}
    for predicate in LABEL_PREDICATES:
        for subject, name in graph.subject_objects(predicate):
            if isinstance(name, Literal) and not isinstance(subject, Literal):
                nodes.setdefault(normalise_name(str(name)), set()).add(subject)
    return nodes


# ---- describing facts -----------------------------------------------------------------


def describe_gold(fact: GoldFact) -> str:
    """A gold fact as one line for the "missed" listing, with the articles stating it."""
    fields = fact.fields
    if fact.kind == "holds_role":
        organisation = fields["organisation"]
        if fields.get("unit"):
            organisation = f"{fields['unit']}, {organisation}"
        text = f"{fields['person']} — {fields['role']} — {organisation}"
    elif fact.kind == "recommends":
        text = f"{fields['report']} → {fields['policy']}"
    elif fact.kind == "announces":
        text = f"{fields['actor']} → {fields['reform']}"
    else:
        salary = _salary_text(
            fields.get("salary_min"), fields.get("salary_max"), fields.get("salary_unit")
        )
        text = f"{fields['council']}: {fields['job_title']} ({salary})"
    return f"{text} [{', '.join(fact.docs)}]"


def describe_prediction(fact: PredictedFact) -> str:
    """A fact the graph states, as one line for the "wrong" listing."""
    claim = fact.claim
    if isinstance(claim, RoleClaim):
        text = f"{_names(claim.person)} — {_names(claim.role)} — {_names(claim.organisation)}"
    elif isinstance(claim, RecommendationClaim):
        text = f"{_names(claim.report)} → {_names(claim.policy)}"
    elif isinstance(claim, AnnouncementClaim):
        text = f"{_names(claim.actor)} → {_names(claim.reform)}"
    else:
        salary = _salary_text(claim.minimum, claim.maximum, claim.unit)
        text = f"{_names(claim.council)}: {_names(claim.title)} ({salary})"
    return f"{text} [{', '.join(sorted(fact.docs))}]" if fact.docs else text


def _names(names: frozenset[str]) -> str:
    if not names:
        return "(unnamed)"
    shown = sorted(names)[:LISTED_NAMES]
    return " | ".join(shown) + (" | …" if len(names) > LISTED_NAMES else "")


def _salary_text(minimum: float | None, maximum: float | None, unit: str | None) -> str:
    per = f" per {unit.lower()}" if unit else ""
    if minimum is None and maximum is None:
        return "no salary"
    if minimum is None:
        return f"up to £{_amount(maximum)}{per}"
    if maximum is None or minimum == maximum:
        return f"£{_amount(minimum)}{per}"
    return f"£{_amount(minimum)}–£{_amount(maximum)}{per}"


def _amount(value: float | None) -> str:
    return f"{float(value or 0):,.2f}".removesuffix(".00")


# ---- report ---------------------------------------------------------------------------


def format_evaluation(evaluation: Evaluation, show: bool = True, width: int | None = None) -> str:
    """The scores as a table, then (if `show`) missed and wrong facts, then the checks."""
    lines = [render_table(_score_table(evaluation), width)]
    if show:
        lines += _listing(evaluation.kinds)
    lines += _check_lines(evaluation, show)
    lines.append(f"overall F1 {evaluation.overall.f1:.2f}")
    return "\n".join(lines)


def _score_table(evaluation: Evaluation) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("kind")
    for heading in ("gold", "predicted", "matched", "precision", "recall", "F1"):
        table.add_column(heading, justify="right")
    for score in evaluation.kinds:
        table.add_row(*_score_cells(score))
    table.add_section()
    table.add_row(*_score_cells(evaluation.overall))
    return table


def _score_cells(score: KindScore) -> tuple[str, ...]:
    return (
        score.kind,
        str(score.gold),
        str(score.predicted),
        str(score.matched),
        f"{score.precision:.2f}",
        f"{score.recall:.2f}",
        f"{score.f1:.2f}",
    )


def _listing(kinds: Iterable[KindScore]) -> list[str]:
    lines = []
    for score in kinds:
        lines += [f"  missed  {score.kind}: {line}" for line in score.missed]
        lines += [f"  wrong   {score.kind}: {line}" for line in score.wrong]
    return lines


def _check_lines(evaluation: Evaluation, show: bool) -> list[str]:
    lines = []
    if evaluation.provenance_traceable:
        lines.append(
            f"provenance: {evaluation.provenance_traced}/{evaluation.provenance_traceable}"
            " matched membership and job facts trace to their article"
        )
    if evaluation.entities_total is not None:
        line = (
            "entities resolved to one node: "
            f"{evaluation.entities_one_node}/{evaluation.entities_total}"
        )
        if evaluation.entities_split:
            line += f" (split: {_split_names(evaluation.entities_split, show)})"
        lines.append(line)
    return lines


def _split_names(names: Sequence[str], show: bool) -> str:
    if show or len(names) <= LISTED_SPLIT_ENTITIES:
        return ", ".join(names)
    hidden = len(names) - LISTED_SPLIT_ENTITIES
    return f"{', '.join(names[:LISTED_SPLIT_ENTITIES])} and {hidden} more"


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
