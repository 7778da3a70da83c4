"""Plain typed records that flow through the pipeline: articles in, facts out.

Nothing here knows about RDF. Every fact carries its `Provenance`, so the one module
that turns facts into triples (`kg.rdf`) can trace each back to article and sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal

Section = Literal["story", "adverts"]
SalaryUnit = Literal["HOUR", "DAY", "WEEK", "MONTH", "YEAR"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article's story, with its offsets into `Article.story`."""

    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Article:
    """An article split into header, story and advert block.

    Extractors of story facts read `sentences` (or `story`); only the job extractor
    reads `advert_block`. Newsletter boxes, promos and teasers are in neither. A build
    keeps each article as `after_extraction` gives it, with neither sentences nor adverts.
    """

    id: str
    source: str
    headline: str
    author: str | None
    date: dt.date | None
    story: str
    sentences: tuple[Sentence, ...]
    advert_block: str = ""
    # What the reader repaired to read the file ("2 bytes not UTF-8 read as cp1252"), for
    # the build to tell; empty for a file read as it is.
    repairs: tuple[str, ...] = ()
    # Where the article was published, when a saved page says so (its canonical address).
    url: str | None = None

    def after_extraction(self) -> Article:
        """The article as the stages after extraction keep it: without the sentences and
        the advert block, which only extractors read. A build holds every article until
        its graph is written, and at 10,000 articles these copies of the text held a
        third of that (the story stays: resolution reads it)."""
        return replace(self, sentences=(), advert_block="")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact came from: the article, the verbatim text and its span."""

    article_id: str
    text: str
    start: int
    end: int
    section: Section
    extractor: str
    # The named rule of the extractor that found the fact ("appositive_post"), so
    # `kg eval --by-rule` can say which rule is weak. Empty for rule-less extractors.
    rule: str = ""

    @classmethod
    def of_sentence(
        cls, article: Article, sentence: Sentence, extractor: str, rule: str = ""
    ) -> Provenance:
        return cls(
            article.id, sentence.text, sentence.start, sentence.end, "story", extractor, rule
        )


@dataclass(frozen=True, slots=True)
class Salary:
    """A parsed pay statement. `minimum` is None for "Up to X"; both are None if unparsed."""

    text: str
    minimum: float | None = None
    maximum: float | None = None
    unit: SalaryUnit | None = None

    @property
    def parsed(self) -> bool:
        return self.maximum is not None


@dataclass(frozen=True, slots=True)
class JobAdvert:
    title: str
    council: str
    salary: Salary | None
    employment_type: str | None
    location: str | None
    description: str | None
    provenance: Provenance
    kind: str = field(default="advertises", init=False)


@dataclass(frozen=True, slots=True)
class OrganisationMention:
    """An organisation named in the story; `category` is a hint such as "Charity"."""

    name: str
    category: str | None
    provenance: Provenance
    kind: str = field(default="organisation", init=False)


@dataclass(frozen=True, slots=True)
class AliasDefinition:
    """A name defined in the text as standing for another: "New Local Government Network (NLGN)"."""

    name: str
    alias: str
    provenance: Provenance
    kind: str = field(default="alias", init=False)


@dataclass(frozen=True, slots=True)
class RoleHolding:
    """Person holds role in organisation (or in `unit`, a board inside it).

    `organisation_implied` marks an organisation the text implies but does not name,
    as for "the prime minister" (UK Government).
    """

    person: str
    role: str
    organisation: str
    unit: str | None
    organisation_implied: bool
    provenance: Provenance
    # A post the text says was held before ("former chief executive", "previously ...").
    former: bool = False
    kind: str = field(default="holds_role", init=False)


@dataclass(frozen=True, slots=True)
class Quotation:
    person: str
    text: str
    provenance: Provenance
    kind: str = field(default="quotation", init=False)


@dataclass(frozen=True, slots=True)
class MoneyAmount:
    """An amount of money in pounds, as written ("£1.5 billion") and as a number."""

    text: str
    pounds: float


@dataclass(frozen=True, slots=True)
class Report:
    """A report an article mentions; `title` is None when the article does not give it."""

    title: str | None
    publisher: str | None
    partners: tuple[str, ...]
    provenance: Provenance
    kind: str = field(default="report", init=False)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A policy a report (known by title or publisher) recommends."""

    report_title: str | None
    publisher: str | None
    policy: str
    provenance: Provenance
    kind: str = field(default="recommends", init=False)


@dataclass(frozen=True, slots=True)
class Announcement:
    """An actor announces, launches or leads a reform, review, inquiry, funding or programme."""

    actor: str
    actor_implied: bool
    reform: str
    category: str
    provenance: Provenance
    leader: str | None = None
    amounts: tuple[MoneyAmount, ...] = ()
    kind: str = field(default="announces", init=False)


@dataclass(frozen=True, slots=True)
class MoneyMention:
    """An amount tied to what it pays for or measures ("the funding gap", "social care")."""

    amount: MoneyAmount
    subject: str
    provenance: Provenance
    kind: str = field(default="money", init=False)


Fact = (
    JobAdvert
    | OrganisationMention
    | AliasDefinition
    | RoleHolding
    | Quotation
    | Report
    | Recommendation
    | Announcement
    | MoneyMention
)


# ---- mentions -------------------------------------------------------------------------
# What a fact names, typed by the kind of entity it names. A family lists its facts'
# mentions; resolution maps each (article id, mention) to one entity; the family's RDF
# writer asks for the entity of the same mention value. Mentions compare by value, so
# nothing has to rebuild a lookup key from strings.


@dataclass(frozen=True, slots=True)
class PersonName:
    name: str


@dataclass(frozen=True, slots=True)
class OrganisationName:
    """An organisation's name; `category` ("LocalAuthority") is a hint, not part of the name."""

    name: str
    category: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class UnitName:
    """A board or committee inside a named organisation: "the LGA's Community Wellbeing Board"."""

    name: str
    organisation: str


@dataclass(frozen=True, slots=True)
class ReportName:
    """A report by its title, or (untitled) by its publisher: "the NLGN report"."""

    title: str | None
    publisher: str | None

    @property
    def name(self) -> str:
        return self.title or f"report by {self.publisher}"


@dataclass(frozen=True, slots=True)
class PolicyName:
    """A policy as one report words it; two wordings of one report's policy may merge."""

    text: str
    report: ReportName


@dataclass(frozen=True, slots=True)
class ReformName:
    """A reform, review, inquiry, funding or programme as an article words it."""

    text: str


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """A short name the text defines for a full one, held across the corpus: "(NLGN)"."""

    name: str
    alias: str


Mention = (
    PersonName
    | OrganisationName
    | UnitName
    | ReportName
    | PolicyName
    | ReformName
    | AcronymDefinition
)
