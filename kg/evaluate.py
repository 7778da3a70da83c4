"""Scoring a built graph against a gold file of facts, for `kg eval`.

A user who annotates their own articles (the gold format of the seed articles: a JSON
object with "facts" and optional "entities") can measure how well the extractors do:
precision, recall and F1 per kind of fact, the facts missed and wrong, whether each gold
entity became one node, and whether matched facts trace back to their article.

The figures agree with the reference scorer the seed gold file ships with: the same name
normalisation, the same matching rule per kind, the same greedy best-first one-to-one
matching, and the same merging of gold facts repeated across articles. Changing a rule
here changes what a score means, so the rules are constants and small functions below.

Each kind of gold fact is scored by the fact family that declares it (`Family.gold`, a
`kg.scoring.GoldMatcher`): the family reads its facts from the graph by the vocabulary
contract of the gold format, not by this project's own ontology, so graphs built by
other tools can be scored too. Provenance is `prov:wasDerivedFrom` an article whose
`schema:identifier` is the gold `doc`: the article's id, the file stem for a plain file name
(`kg.corpus.article_id_of`). `--by-rule` credits each predicted fact to the
rules recorded on its evidence (`kg:extractor`, `kg:rule`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import SDO
from rdflib.term import Literal, Node, URIRef
from rich import box
from rich.table import Table
from rich.text import Text

from kg.errors import GoldFileError
from kg.family import Family, registered
from kg.scoring import (
    LABEL_PREDICATES,
    GoldField,
    GoldMatcher,
    PredictedFact,
    normalise_name,
    text_or_null,
    texts_or_null,
)
from kg.terminal import printable, render_table

# Many tools still write schema.org terms with http://; both mean the same vocabulary.
HTTP_SCHEMA = "http://schema.org/"
HTTPS_SCHEMA = str(SDO)

LISTED_SPLIT_ENTITIES = 8  # split entities named when missed and wrong facts are not shown
# The rule a fact is credited to when its evidence names no extractor (another tool's graph).
UNKNOWN_RULE = "(no extractor recorded)"


def gold_matchers(families: Sequence[Family] | None = None) -> dict[str, GoldMatcher]:
    """Each gold kind the families (default: the registered ones) can score, by its name."""
    return {family.gold.kind: family.gold for family in registered(families) if family.gold}


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
class RuleScore:
    """How many facts one rule ("roles:appositive_post") predicted, and how many were right.

    A prediction that states a gold fact counts as right even when another prediction was
    paired with that fact: the rule found a true fact, told twice.
    """

    rule: str
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0


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
    rules: tuple[RuleScore, ...] = ()


# ---- gold file ------------------------------------------------------------------------


def load_gold(path: Path, families: Sequence[Family] | None = None) -> dict:
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
    problem = gold_problem(gold, families)
    if problem:
        raise GoldFileError(f"{path}: {problem}")
    return gold


def gold_problem(gold: object, families: Sequence[Family] | None = None) -> str | None:
    """What makes `gold` unusable as a gold file, or None if it can be scored."""
    if not isinstance(gold, dict) or not isinstance(gold.get("facts"), list):
        return 'expected a JSON object with a "facts" list'
    matchers = gold_matchers(families)
    for number, fact in enumerate(gold["facts"], start=1):
        problem = _fact_problem(fact, matchers)
        if problem:
            return f"fact {number}: {problem}"
    entities = gold.get("entities") or []
    if not isinstance(entities, list):
        return '"entities" is not a list'
    for number, entity in enumerate(entities, start=1):
        if not isinstance(entity, dict) or not isinstance(entity.get("label"), str):
            return f'entity {number}: expected an object with a "label"'
        problem = _field_problem(entity, ENTITY_ALIASES)
        if problem:
            return f"entity {number}: {problem}"
    return None


# Fields any gold fact may have, whatever its kind (the gold README's schema).
EVIDENCE = text_or_null("evidence")
IMPLIED = GoldField("implied", lambda value: isinstance(value, bool), "true or false")
ENTITY_ALIASES = texts_or_null("aliases")
SHOWN_VALUE_LENGTH = 40


def _fact_problem(fact: object, matchers: Mapping[str, GoldMatcher]) -> str | None:
    if not isinstance(fact, dict):
        return "not a JSON object"
    kind = fact.get("kind")
    if kind not in matchers:
        return f"unknown kind {kind!r} (expected one of {', '.join(matchers)})"
    for name in ("doc", *matchers[kind].required):
        if not isinstance(fact.get(name), str):
            return f'{kind} needs a "{name}" string'
    for field in (EVIDENCE, IMPLIED, *matchers[kind].optional):
        problem = _field_problem(fact, field)
        if problem:
            return f"{kind}: {problem}"
    return None


def _field_problem(record: Mapping[str, Any], field: GoldField) -> str | None:
    """What is wrong with `field` in `record` ("salary_min" is "abc"), or None; a field
    left out is never wrong."""
    if field.name not in record or field.accepts(record[field.name]):
        return None
    shown = json.dumps(record[field.name], ensure_ascii=False)
    if len(shown) > SHOWN_VALUE_LENGTH:
        shown = shown[: SHOWN_VALUE_LENGTH - 1] + "…"
    return f'"{field.name}" is {shown}; expected {field.expected}'


# ---- facts stated by the graph --------------------------------------------------------


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


def _predicted_facts(
    graph: rdflib.Graph, matchers: Mapping[str, GoldMatcher]
) -> list[PredictedFact]:
    """Every fact of the scored kinds that `graph` states, duplicates included."""
    return [fact for matcher in matchers.values() for fact in matcher.read(graph)]


# ---- matching gold to predictions -----------------------------------------------------


@dataclass(frozen=True)
class GoldFact:
    """A gold fact, merged with its repeats in other articles (`docs` lists them all)."""

    kind: str
    fields: Mapping[str, Any]
    docs: tuple[str, ...]


def merge_gold_facts(
    facts: Sequence[Mapping[str, Any]], families: Sequence[Family] | None = None
) -> list[GoldFact]:
    """One GoldFact per fact stated, however many articles state it (first wording kept)."""
    matchers = gold_matchers(families)
    kept: list[tuple[Mapping[str, Any], list[str]]] = []
    for fact in facts:
        same = matchers[fact["kind"]].same
        twin_docs = next(
            (docs for first, docs in kept if first["kind"] == fact["kind"] and same(first, fact)),
            None,
        )
        if twin_docs is None:
            kept.append((fact, [fact["doc"]]))
        elif fact["doc"] not in twin_docs:
            twin_docs.append(fact["doc"])
    return [GoldFact(fact["kind"], fact, tuple(docs)) for fact, docs in kept]


def match_score(
    gold: GoldFact, predicted: PredictedFact, matchers: Mapping[str, GoldMatcher] | None = None
) -> float:
    """Above 0 when `predicted` states `gold`'s fact; higher is a closer match."""
    if gold.kind != predicted.kind:
        return 0.0
    return (matchers or gold_matchers())[gold.kind].match(gold.fields, predicted.claim)


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
    # Each prediction, and whether it states a gold fact (paired, or a duplicate).
    judged: tuple[tuple[PredictedFact, bool], ...] = ()


def evaluate(
    graph: rdflib.Graph, gold: dict, families: Sequence[Family] | None = None
) -> Evaluation:
    """Score `graph` against `gold` (as returned by `load_gold`).

    Each kind is scored by the family that declares it (default: the registered ones).
    """
    problem = gold_problem(gold, families)
    if problem:
        raise GoldFileError(f"gold file: {problem}")
    matchers = gold_matchers(families)
    gold_facts = merge_gold_facts(gold["facts"], families)
    normalised = _with_https_schema(graph)
    # Only kinds the gold file annotates are scored: a gold file of job adverts alone
    # should not count the graph's roles as wrong.
    scored = {kind: matchers[kind] for kind in sorted({fact.kind for fact in gold_facts})}
    predictions = _predicted_facts(normalised, scored)
    outcomes = [
        _score_kind(
            matcher,
            [fact for fact in gold_facts if fact.kind == kind],
            [fact for fact in predictions if fact.kind == kind],
        )
        for kind, matcher in scored.items()
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
        rules=_rule_scores(judged for outcome in outcomes for judged in outcome.judged),
    )


def _rule_scores(judged: Iterable[tuple[PredictedFact, bool]]) -> tuple[RuleScore, ...]:
    """Predictions and right ones per rule, weakest first (lowest precision, then most facts)."""
    predicted: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    for fact, right in judged:
        for rule in fact.rules or {UNKNOWN_RULE}:
            predicted[rule] += 1
            matched[rule] += right
    scores = [RuleScore(rule, predicted[rule], matched[rule]) for rule in predicted]
    return tuple(sorted(scores, key=lambda score: (score.precision, -score.predicted, score.rule)))


def _score_kind(
    matcher: GoldMatcher, gold_facts: list[GoldFact], predictions: list[PredictedFact]
) -> _KindOutcome:
    kind = matcher.kind
    scores = [
        [matcher.match(gold.fields, predicted.claim) for predicted in predictions]
        for gold in gold_facts
    ]
    pairs = greedy_pairs(scores)
    paired = set(pairs.values())
    # A prediction that repeats an already matched gold fact is a duplicate, not an error.
    duplicates = {
        index
        for index in range(len(predictions))
        if index not in paired and any(scores[gold_index][index] > 0 for gold_index in pairs)
    }
    missed = tuple(
        describe_gold(fact, matcher) for index, fact in enumerate(gold_facts) if index not in pairs
    )
    wrong = tuple(
        describe_prediction(fact, matcher)
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
    judged = tuple(
        (fact, index in paired or index in duplicates) for index, fact in enumerate(predictions)
    )
    return _KindOutcome(score, traced=traced, traceable=len(with_node), judged=judged)


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


def describe_gold(fact: GoldFact, matcher: GoldMatcher | None = None) -> str:
    """A gold fact as one line for the "missed" listing, with the articles stating it."""
    matcher = matcher or gold_matchers()[fact.kind]
    return f"{matcher.describe_gold(fact.fields)} [{', '.join(fact.docs)}]"


def describe_prediction(fact: PredictedFact, matcher: GoldMatcher | None = None) -> str:
    """A fact the graph states, as one line for the "wrong" listing."""
    text = (matcher or gold_matchers()[fact.kind]).describe_claim(fact.claim)
    return f"{text} [{', '.join(sorted(fact.docs))}]" if fact.docs else text


# ---- report ---------------------------------------------------------------------------


def format_evaluation(
    evaluation: Evaluation, show: bool = True, width: int | None = None, by_rule: bool = False
) -> str:
    """The scores as a table, then (if `show`) missed and wrong facts, then the checks;
    with `by_rule`, then a table of each rule's predictions and precision, weakest first."""
    lines = [render_table(_score_table(evaluation), width)]
    if show:
        lines += _listing(evaluation.kinds)
    lines += _check_lines(evaluation, show)
    lines.append(f"overall F1 {evaluation.overall.f1:.2f}")
    if by_rule:
        lines += ["", "by rule (weakest first):", render_table(_rule_table(evaluation), width)]
    return "\n".join(lines)


def _rule_table(evaluation: Evaluation) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("rule")
    for heading in ("predicted", "matched", "precision"):
        table.add_column(heading, justify="right")
    for score in evaluation.rules:
        table.add_row(
            Text(printable(score.rule)),  # graph text: no rich markup either
            str(score.predicted),
            str(score.matched),
            f"{score.precision:.2f}",
        )
    return table


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
        # Names come from the graph and the gold file: shown, never acted on by the terminal.
        lines += [f"  missed  {score.kind}: {printable(line)}" for line in score.missed]
        lines += [f"  wrong   {score.kind}: {printable(line)}" for line in score.wrong]
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
        return printable(", ".join(names))
    hidden = len(names) - LISTED_SPLIT_ENTITIES
    return printable(f"{', '.join(names[:LISTED_SPLIT_ENTITIES])} and {hidden} more")


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
