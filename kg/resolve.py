"""Resolve the names in facts to entities: one entity per real-world thing, corpus-wide.

Two passes. The first gathers what the whole corpus says about names: acronyms defined
in the text ("New Local Government Network (NLGN)"), the full names of people in each
article, organisation names seen anywhere. The second maps every mention to an entity:
    the LGA's / LGA / Local Government Association   → one organisation (gazetteer, acronym)
    Mr Cameron / Cameron                             → David Cameron, within the article
    Oftsed                                           → Ofsted (one edit from a known name)
    Essex / Essex County Council                      → the council with ONS code E10000012
People are never merged on a surname or first name alone across articles.
Entity keys are deterministic ("person/adam-lent", "council/E10000012") so rebuilds agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from kg.errors import FamilyError
from kg.extract.patterns import PERSON_NAME, REVIEW_MENTION, looks_like_person, strip_honorifics
from kg.family import Family, families_by_fact_type, family_of
from kg.gazetteer import (
    APOSTROPHES,
    Council,
    Gazetteer,
    KnownEntity,
    clean_name,
    load_gazetteer,
    name_key,
)
from kg.model import (
    AcronymDefinition,
    Article,
    Fact,
    Mention,
    OrganisationName,
    PersonName,
    PolicyName,
    ReformName,
    ReportName,
    UnitName,
)

ACRONYM = re.compile(r"^[A-Z][A-Za-z]{1,7}$")
INITIALS_SKIPPED = frozenset({"of", "for", "and", "the", "on", "in", "to", "&"})
# "review into X" and "review of X" name the same review.
REVIEW_PREPOSITION = re.compile(r"\b(review|inquiry|investigation) into\b")
STOP_WORDS = frozenset(
    "a an the of for to and in on with by that which is be its their it as at from one new all "
    "this will".split()
)
NON_WORD = re.compile(r"[^a-z0-9]+")
COUNCIL_SUFFIX = re.compile(r"\b(?:county|borough|district|city|metropolitan)?\s*council$", re.I)


def slug(text: str) -> str:
    return name_key(text).replace(" ", "-") or "unnamed"


@dataclass
class Entity:
    """A resolved thing: its stable key, kind, names and where it was seen."""

    key: str
    kind: str  # person | organisation | unit | report | policy | reform
    label: str
    alt_labels: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    ons_code: str | None = None
    gov_code: str | None = None
    parent: str | None = None
    articles: set[str] = field(default_factory=set)

    def add_name(self, name: str) -> None:
        name = " ".join(name.split())
        if name and name != self.label:
            self.alt_labels.add(name)


@dataclass
class Resolution:
    """Entities by key, and the entity key of every (article id, mention)."""

    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: dict[tuple[str, Mention], str] = field(default_factory=dict)

    def key_of(self, article_id: str, mention: Mention) -> str:
        key = self.mentions.get((article_id, mention))
        if key is None:
            raise FamilyError(
                f"{mention!r} in article {article_id!r} was not resolved: "
                "does its family's `mentions` list it?"
            )
        return key

    def entity_of(self, article_id: str, mention: Mention) -> Entity:
        return self.entities[self.key_of(article_id, mention)]


# Mentions of one article, in the order its facts name them.
ArticleMentions = tuple[str, tuple[Mention, ...]]
MENTION_TYPES = (
    PersonName,
    OrganisationName,
    UnitName,
    ReportName,
    PolicyName,
    ReformName,
    AcronymDefinition,
)


FIRST_NAME_TITLES = frozenset({"Sir", "Dame"})
PEERAGE_TITLES = frozenset({"Lord", "Baroness", "Lady", "Viscount", "Earl"})


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in INITIALS_SKIPPED]
    return "".join(word[0] for word in words).upper()


class Resolver:
    def __init__(
        self, articles: Iterable[Article], mentions: list[ArticleMentions], gazetteer: Gazetteer
    ):
        self.gazetteer = gazetteer
        articles = list(articles)
        self.dates = {article.id: article.date for article in articles}
        self.stories = {article.id: article.story for article in articles}
        self.full_names_in_story: dict[str, set[str]] = {}
        self.resolution = Resolution()
        self.acronyms: dict[str, str] = {}
        self.people_by_article: dict[str, set[str]] = {}
        self.org_names_seen: set[str] = set()
        self.policies_by_report: dict[str, set[str]] = {}
        self._gather(mentions)

    # ---------------------------------------------------------------- pass one
    def _gather(self, mentions: list[ArticleMentions]) -> None:
        for article_id, named in mentions:
            for mention in named:
                if isinstance(mention, AcronymDefinition):
                    self.acronyms.setdefault(name_key(mention.alias), clean_name(mention.name))
                elif isinstance(mention, PersonName):
                    bare = strip_honorifics(mention.name)
                    if len(bare.split()) >= 2:
                        self.people_by_article.setdefault(article_id, set()).add(bare)
                elif isinstance(mention, OrganisationName):
                    self.org_names_seen.add(clean_name(mention.name))
                elif not isinstance(mention, MENTION_TYPES):
                    raise FamilyError(
                        f"{type(mention).__name__} is not a kind of mention kg resolves "
                        f"(expected one of {', '.join(t.__name__ for t in MENTION_TYPES)})"
                    )

    # ---------------------------------------------------------------- pass two
    def resolve(self, mentions: list[ArticleMentions]) -> Resolution:
        self._resolve_actors(mentions)
        # Reports after organisations: an untitled report is found through its publisher,
        # and titled reports first, so that an untitled one can be found among them.
        for article_id, named in mentions:
            for mention in named:
                if isinstance(mention, ReportName) and mention.title:
                    self._remember_report(article_id, mention)
        for article_id, named in mentions:
            for mention in named:
                if isinstance(mention, ReportName):
                    self._remember_report(article_id, mention)
                elif isinstance(mention, PolicyName):
                    self._remember_report(article_id, mention.report)
                    report_key = self.resolution.key_of(article_id, mention.report)
                    self._remember(article_id, mention, self.policy(mention.text, report_key))
                elif isinstance(mention, ReformName):
                    key = self.reform(mention.text, article_id)
                    self._remember(article_id, mention, key)
        return self.resolution

    def _remember_report(self, article_id: str, report: ReportName) -> None:
        if (article_id, report) in self.resolution.mentions:
            return
        title, publisher, name = report.title, report.publisher, report.name
        publisher_key = (
            self.resolution.key_of(article_id, OrganisationName(publisher)) if publisher else None
        )
        if title:
            label = clean_title(title)
            key = f"report/{slug(label)}"
        else:
            titled = sorted(
                key
                for key, entity in self.resolution.entities.items()
                if entity.kind == "report" and entity.parent == publisher_key
            )
            # The same publisher's one titled report is the report an untitled mention means;
            # else the report is the article's own, keyed by its id as it is (a slug of it
            # would give `A_b` and `a-b` one report).
            own = f"report/{slug(name)}-{quote(article_id, safe='')}"
            key = titled[0] if len(titled) == 1 else own
            label = self.resolution.entities[key].label if len(titled) == 1 else _capitalise(name)
        entity = self._entity(key, "report", label)
        if publisher_key and entity.parent is None:
            entity.parent = publisher_key
        self._remember(article_id, report, key)

    def policy(self, text: str, report_key: str) -> str:
        """One node per policy of a report, however differently two articles word it."""
        words = content_words(text)
        for key in sorted(self.policies_by_report.get(report_key, ())):
            entity = self.resolution.entities[key]
            if any(
                same_policy(words, content_words(name))
                for name in (entity.label, *entity.alt_labels)
            ):
                entity.add_name(text)
                return key
        key = f"policy/{slug(text)[:80].rstrip('-')}"
        self._entity(key, "policy", text)
        self.policies_by_report.setdefault(report_key, set()).add(key)
        return key

    def reform(self, text: str, article_id: str) -> str:
        """A review or inquiry is the organisation of that name; other reforms are keyed by text."""
        review = REVIEW_MENTION.fullmatch(f"the {text}") or REVIEW_MENTION.match(f"the {text}")
        if review:
            # "urgent review of LSCBs to learn lessons": the review is named without its purpose.
            key = self.organisation(review["name"], article_id, "Review")
            self.resolution.entities[key].add_name(text)
            return key
        key = f"reform/{slug(text)[:80].rstrip('-')}"
        entity = self._entity(key, "reform", _capitalise(clean_title(text)))
        entity.add_name(text)
        return key

    def _resolve_actors(self, mentions: list[ArticleMentions]) -> None:
        # Names the text calls councils go first: "Essex" elsewhere in that article is the council.
        for article_id, named in mentions:
            for mention in named:
                if isinstance(mention, OrganisationName) and mention.category == "LocalAuthority":
                    key = self.organisation(mention.name, article_id, mention.category)
                    self._remember(article_id, mention, key)
        for article_id, named in mentions:
            for mention in named:
                if isinstance(mention, PersonName):
                    self._remember(article_id, mention, self.person(mention.name, article_id))
                elif isinstance(mention, OrganisationName):
                    known = self.resolution.mentions.get((article_id, mention))
                    if known is None or mention.category is not None:
                        key = self.organisation(mention.name, article_id, mention.category)
                        self._remember(article_id, mention, key)
                elif isinstance(mention, UnitName):
                    parent = self.resolution.key_of(
                        article_id, OrganisationName(mention.organisation)
                    )
                    self._remember(article_id, mention, self.unit(mention.name, parent))

    def _remember(self, article_id: str, mention: Mention, key: str) -> None:
        self.resolution.mentions[(article_id, mention)] = key
        self.resolution.entities[key].articles.add(article_id)

    def _entity(self, key: str, kind: str, label: str) -> Entity:
        entity = self.resolution.entities.get(key)
        if entity is None:
            entity = self.resolution.entities[key] = Entity(key, kind, label)
        return entity

    def person(self, name: str, article_id: str) -> str:
        bare = strip_honorifics(" ".join(name.split()))
        full = bare
        key = ""
        if len(bare.split()) == 1:  # "Mr Cameron": the article's one person of that surname
            # "Sir Tom", "Dame Ann": a knight or dame goes by the first name.
            position = 0 if name.split()[0] in FIRST_NAME_TITLES else -1
            matches = {
                person
                for person in self.people_by_article.get(article_id, ())
                if person.split()[position] == bare
            } or self._full_names_in_text(article_id, bare, position)
            # An unresolved surname stays within its article: never merged across articles;
            # but a peer's title and name are a name ("Lord Bourne", "Baroness Doe").
            written = " ".join(name.split())
            if len(matches) == 1:
                full = matches.pop()
            elif written.split()[0] in PEERAGE_TITLES:
                full = written
            else:
                full = f"{bare} ({article_id})"
                # Keyed by the article's id as it is: a slug would give `A_b` and `a-b` one.
                key = f"person/{slug(bare)}-{quote(article_id, safe='')}"
        entity = self._entity(key or f"person/{slug(full)}", "person", full)
        entity.add_name(name)
        return entity.key

    def _full_names_in_text(self, article_id: str, surname: str, position: int = -1) -> set[str]:
        """Full names in the article's story with this surname (or, at `position` 0, this
        first name), where no fact gave one."""
        if article_id not in self.full_names_in_story:
            story = self.stories.get(article_id, "")
            names = {strip_honorifics(match["person"]) for match in PERSON_NAME.finditer(story)}
            self.full_names_in_story[article_id] = {
                name for name in names if len(name.split()) >= 2 and looks_like_person(name)
            }
        return {n for n in self.full_names_in_story[article_id] if n.split()[position] == surname}

    def unit(self, name: str, parent_key: str) -> str:
        label = _title_case(clean_name(name))
        entity = self._entity(f"{parent_key}/{slug(label)}", "unit", label)
        entity.parent = parent_key
        entity.categories.add("OrganizationalUnit")
        parent = self.resolution.entities[parent_key]
        for parent_name in (parent.label, *sorted(parent.alt_labels)):
            if len(parent_name) > 2:
                entity.add_name(f"{parent_name}'s {label}")
        return entity.key

    def organisation(self, name: str, article_id: str, category: str | None = None) -> str:
        cleaned = clean_name(name)
        date = self.dates.get(article_id)
        council = self._council(cleaned, date, category)
        if council is not None:
            return self._council_entity(council, cleaned)
        known = self._known(cleaned)
        if known is not None:
            return self._known_entity(known, cleaned)
        canonical = self._canonical_name(cleaned)
        if canonical != cleaned:
            known = self._known(canonical)
            if known is not None:
                return self._known_entity(known, cleaned)
        key_name = REVIEW_PREPOSITION.sub(r"\1 of", name_key(canonical))
        entity = self._entity(f"org/{slug(key_name)}", "organisation", _capitalise(canonical))
        entity.add_name(cleaned)
        if category:
            entity.categories.add(category)
        elif REVIEW_PREPOSITION.search(name_key(canonical)) or re.search(
            r"\b(?:review|inquiry)\b", canonical, re.I
        ):
            entity.categories.add("Review")
        elif COUNCIL_SUFFIX.search(canonical):
            entity.categories.add("LocalAuthority")
        return entity.key

    def _council(self, name: str, date: dt.date | None, category: str | None) -> Council | None:
        council = self.gazetteer.council(name, date)
        if council is None and category == "LocalAuthority":
            council = self.gazetteer.council_by_place(name, date)
        return council

    def _council_entity(self, council: Council, name: str) -> str:
        entity = self._entity(f"council/{council.code}", "organisation", council.official_name)
        entity.ons_code = council.code
        entity.categories.add("LocalAuthority")
        entity.add_name(name)
        return entity.key

    def _known_entity(self, known: KnownEntity, name: str) -> str:
        kind = "policy" if known.category == "Policy" else "organisation"
        entity = self._entity(f"org/{slug(known.label)}", kind, known.label)
        entity.categories.add(known.category)
        entity.gov_code = known.gov_code
        if known.parent:
            parent = self.gazetteer.entity(known.parent)
            if parent is not None:
                entity.parent = self._known_entity(parent, parent.label)
        entity.add_name(name)
        return entity.key

    def _known(self, name: str) -> KnownEntity | None:
        return self.gazetteer.closest_entity(name)

    def _canonical_name(self, name: str) -> str:
        """The full name an acronym stands for: defined in the text, or by its initials."""
        key = name_key(name)
        if key in self.acronyms:
            return self.acronyms[key]
        if ACRONYM.match(name) and name.isupper():
            candidates = {seen for seen in self.org_names_seen if initials(seen) == name}
            if len(candidates) == 1:
                return candidates.pop()
        return name


def clean_title(title: str) -> str:
    return " ".join(title.translate(APOSTROPHES).split()).strip(" ,.;:")


def content_words(text: str) -> set[str]:
    words = NON_WORD.sub(" ", name_key(text)).split()
    return {_stem(word) for word in words if word not in STOP_WORDS}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def same_policy(a: set[str], b: set[str]) -> bool:
    """Most of the shorter wording's words, and half of the longer's, are shared."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / min(len(a), len(b)) >= 0.6 and shared / max(len(a), len(b)) >= 0.5


def _capitalise(name: str) -> str:
    return name[:1].upper() + name[1:]


def _title_case(name: str) -> str:
    small = {"and", "of", "for", "the", "on", "in", "to"}
    words = name.split()
    return " ".join(
        word if word.isupper() or (i and word in small) else word[:1].upper() + word[1:]
        for i, word in enumerate(words)
    )


def mentions_by_article(
    facts: Iterable[Fact], families: Sequence[Family] | None = None
) -> list[ArticleMentions]:
    """What each fact names, as its family lists it, with the fact's article."""
    owners = families_by_fact_type(families)
    return [
        (fact.provenance.article_id, tuple(family_of(fact, owners).mentions(fact)))
        for fact in facts
    ]


def resolve(
    articles: Iterable[Article], facts: Iterable[Fact], families: Sequence[Family] | None = None
) -> Resolution:
    """Map every name in `facts` to an entity; see the module docstring.

    What a fact names comes from its family (default: the registered families).
    Articles are resolved in the order of their ids, each one's facts in the order they
    were found: which wording names a policy or which definition an acronym takes goes to
    the first that comes, and the graph must not depend on the order the files were read.
    """
    mentions = sorted(mentions_by_article(facts, families), key=lambda named: named[0])
    return Resolver(articles, mentions, load_gazetteer()).resolve(mentions)
