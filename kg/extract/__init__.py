"""The registry of extractors: one pure `extract(article) -> Iterator[Fact]` each.

A new family of facts is a new module and one line here. Extraction of one article
depends on nothing but that article, so it can be cached and run in parallel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kg.extract import announcements, jobs, organisations, quotes, reports, roles
from kg.model import Article, Fact

Extractor = Callable[[Article], Iterator[Fact]]

EXTRACTORS: dict[str, Extractor] = {
    "jobs": jobs.extract,
    "organisations": organisations.extract,
    "roles": roles.extract,
    "quotes": quotes.extract,
    "reports": reports.extract,
    "announcements": announcements.extract,
}


def extract_facts(article: Article, names: Iterable[str] | None = None) -> list[Fact]:
    """Every fact the named extractors (default: all) find in one article."""
    selected = EXTRACTORS if names is None else {name: EXTRACTORS[name] for name in names}
    return [fact for extractor in selected.values() for fact in extractor(article)]
