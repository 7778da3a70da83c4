"""The named questions shipped in kg/queries/: what each answers, its parameters, their values.

A question is a SPARQL file whose leading comment says what it answers, one line, and
declares its parameters, one a line:

    # Who holds which post in which organisation.
    # param organisation (name): only posts in this organisation, by any of its names
    # param since (date): only posts seen on or after this day

Parameter NAME is the variable ?param_NAME of the query, so it never clashes with a column
of the answer. `kg query --name posts --param since=2020-01-01` binds it to an RDF term
through the engine's own bindings (Oxigraph's substitutions, rdflib's initBindings), never
by pasting text into the query, so no value can change what the query asks. A parameter
left out is unbound and means "any": the queries test `COALESCE(?param_since, "") = ""`,
because Oxigraph substitutes the term for the variable everywhere but in BOUND(), and it
needs the variable in the projection; the answer leaves those columns out. A test that looks
something up is `IF(COALESCE(?param_by, "") = "", true, EXISTS { ... })`, so that neither
engine evaluates the EXISTS for a parameter left out, as both did under `||`.

Kinds of value: `text` (as given), `name` (a name of a person, organisation or report,
compared in lower case with every name the graph knows for it, a leading "the" dropped),
`date` (YYYY-MM-DD), `number` (30000, £30,000), `iri`, and `choice: a|b|c`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import XSD, Literal, URIRef
from rdflib.term import Identifier

from kg.errors import QueryError

if TYPE_CHECKING:
    from kg.query import QueryResult

QUESTIONS_FOLDER = Path(__file__).parent / "queries"
PARAMETER_PREFIX = "param_"
KINDS = ("text", "name", "date", "number", "iri")
# "the LGA" is how people write a name the graph holds as "LGA".
LEADING_THE = re.compile(r"^the\s+(?=\S)", re.IGNORECASE)

PARAMETER_LINE = re.compile(
    r"^#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[^)]*)\)\s*:\s*(?P<help>.*)$"
)
# A choice parameter lists its values: "(choice: year|month|week|day|hour)".
CHOICE_KIND = re.compile(r"^choice\s*:\s*(?P<values>[\w|\s-]+)$")
# Amounts as people write them: "£30,000", "30000", "12.50".
AMOUNT = re.compile(r"^£?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a question: a variable, the kind of value it takes, what it means."""

    name: str
    kind: str  # text, name, date, number, iri, or choice
    help: str
    choices: tuple[str, ...] = ()

    @property
    def variable(self) -> str:
        return f"{PARAMETER_PREFIX}{self.name}"

    def term(self, value: str) -> Identifier:
        """`value` as the RDF term this parameter binds; QueryError if it is not one."""
        value = value.strip()
        if self.kind in ("text", "name") and not value:
            raise self._refused(value, "give some text: an empty value matches nothing")
        if self.kind == "text":
            return Literal(value)
        if self.kind == "name":
            return Literal(LEADING_THE.sub("", " ".join(value.split())).lower())
        if self.kind == "date":
            try:
                return Literal(dt.date.fromisoformat(value).isoformat(), datatype=XSD.date)
            except ValueError:
                raise self._refused(value, "give a date as YYYY-MM-DD") from None
        if self.kind == "number":
            return Literal(_amount(value, self), datatype=XSD.decimal)
        if self.kind == "iri":
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
                raise self._refused(value, "give an absolute http(s) IRI")
            return URIRef(value)
        chosen = value.upper()
        if chosen not in self.choices:
            raise self._refused(
                value, f"choose one of {', '.join(c.lower() for c in self.choices)}"
            )
        return Literal(chosen)

    def describe_kind(self) -> str:
        if self.kind == "choice":
            return "|".join(choice.lower() for choice in self.choices)
        return self.kind

    def _refused(self, value: str, why: str) -> QueryError:
        return QueryError(f"--param {self.name}={value!r}: {why}")


def _amount(value: str, parameter: Parameter) -> str:
    match = AMOUNT.match(value)
    if match is None:
        raise parameter._refused(value, "give a number, such as 30000 or £30,000")
    try:
        return str(Decimal(match["digits"].replace(",", "") + (match["fraction"] or "")))
    except InvalidOperation:
        raise parameter._refused(value, "give a number, such as 30000 or £30,000") from None


@dataclass(frozen=True)
class Question:
    """A named question: its name (the file's stem), what it answers, its parameters, and
    its SPARQL text."""

    name: str
    summary: str
    parameters: tuple[Parameter, ...]
    text: str

    def bindings(self, given: Iterable[tuple[str, str]]) -> dict[str, Identifier]:
        """The variables `given` (parameter name, value) pairs bind, with their terms;
        QueryError naming an unknown or repeated parameter, or a value of the wrong kind."""
        by_name = {parameter.name: parameter for parameter in self.parameters}
        bound: dict[str, Identifier] = {}
        for name, value in given:
            parameter = by_name.get(name)
            if parameter is None:
                known = ", ".join(by_name) or "none"
                raise QueryError(f"{self.name} has no parameter {name!r} (its parameters: {known})")
            if parameter.variable in bound:
                raise QueryError(f"--param {name} is given twice")
            bound[parameter.variable] = parameter.term(value)
        return bound

    def answer(self, result: QueryResult) -> QueryResult:
        """`result` without the parameters' columns, which the query projects only so that
        Oxigraph accepts their bindings."""
        hidden = {parameter.variable for parameter in self.parameters}
        keep = [index for index, name in enumerate(result.variables) if name not in hidden]
        if len(keep) == len(result.variables):
            return result
        rows = (tuple(row[index] for index in keep) for row in result.iter_rows())
        return replace(
            result, variables=tuple(result.variables[index] for index in keep), row_source=rows
        )


def read_question(path: Path) -> Question:
    """The question in the .rq file at `path`."""
    text = path.read_text(encoding="utf-8")
    summary: list[str] = []
    parameters: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        declared = PARAMETER_LINE.match(line)
        if declared is not None:
            parameters.append(_parameter(path, declared))
        elif not parameters:
            summary.append(line.lstrip("#").strip())
    return Question(path.stem, " ".join(summary) or path.stem, tuple(parameters), text)


def _parameter(path: Path, declared: re.Match[str]) -> Parameter:
    kind = declared["kind"].strip()
    name, help_text = declared["name"], declared["help"].strip()
    if kind in KINDS:
        return Parameter(name, kind, help_text)
    choice = CHOICE_KIND.match(kind)
    if choice is None:
        raise ValueError(f"{path.name}: parameter {name} has an unknown kind {kind!r}")
    values = tuple(value.strip().upper() for value in choice["values"].split("|"))
    return Parameter(name, "choice", help_text, values)


def questions(folder: Path = QUESTIONS_FOLDER) -> list[Question]:
    """Every named question, by name."""
    return [read_question(path) for path in sorted(folder.glob("*.rq"))]


def question_named(name: str, folder: Path = QUESTIONS_FOLDER) -> Question:
    """The question called `name`; QueryError listing the names if there is none."""
    found = {question.name: question for question in questions(folder)}
    if name in found:
        return found[name]
    raise QueryError(
        f"no named question {name!r}; `kg query --list` shows them ({', '.join(found)})"
    )


def parse_parameter_options(options: Iterable[str]) -> list[tuple[str, str]]:
    """`--param name=value` options as (name, value) pairs; QueryError for one without `=`."""
    pairs = []
    for option in options:
        name, equals, value = option.partition("=")
        if not equals or not name.strip():
            raise QueryError(f"--param {option!r}: write it as name=value")
        pairs.append((name.strip(), value))
    return pairs
