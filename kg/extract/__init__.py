"""The registry of extractors: one pure `extract(article) -> Iterator[Fact]` each.

A new family of facts is a new module and one line here. Extraction of one article
depends on nothing but that article, so it can be cached and run in parallel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kg.document import Document
from kg.extract import announcements, jobs, organisations, posts, quotes, reports, roles
from kg.model import Article, Fact, RoleHolding

Extractor = Callable[[Article], Iterator[Fact]]

EXTRACTORS: dict[str, Extractor] = {
    "jobs": jobs.extract,
    "organisations": organisations.extract,
    "roles": roles.extract,
    "quotes": quotes.extract,
    "reports": reports.extract,
    "announcements": announcements.extract,
}
# Extractors that read the parsed story (a `Document`) rather than the article's strings.
DOCUMENT_EXTRACTORS: dict[str, Callable[[Document], Iterator[Fact]]] = {
    "posts": posts.extract,
}


def extract_facts(article: Article, names: Iterable[str] | None = None) -> list[Fact]:
    """Every fact the named extractors (default: all) find in one article."""
    selected = EXTRACTORS if names is None else {n: EXTRACTORS[n] for n in names if n in EXTRACTORS}
    facts = [fact for extractor in selected.values() for fact in extractor(article)]
    wanted = (
        DOCUMENT_EXTRACTORS
        if names is None
        else {n: DOCUMENT_EXTRACTORS[n] for n in names if n in DOCUMENT_EXTRACTORS}
    )
    if wanted:
        document = Document(article)
        facts += [fact for extractor in wanted.values() for fact in extractor(document)]
    return _without_repeated_posts(facts)


def _without_repeated_posts(facts: list[Fact]) -> list[Fact]:
    """The parsed-story posts win; the older string rules keep only people they alone found
    in a sentence (a review's leader, a post named a sentence before the name)."""
    found = {
        (fact.provenance.start, fact.provenance.end, fact.person.split()[-1])
        for fact in facts
        if isinstance(fact, RoleHolding) and fact.provenance.extractor == posts.EXTRACTOR
    }
    return [
        fact
        for fact in facts
        if not (
            isinstance(fact, RoleHolding)
            and fact.provenance.extractor == roles.EXTRACTOR
            and any(
                fact.provenance.start < end
                and start < fact.provenance.end
                and surname == fact.person.split()[-1]
                for start, end, surname in found
            )
        )
    ]
