"""Extraction of one article: every registered fact family's extractor, in turn.

The extractors themselves live one module a family here (`roles.py`, `jobs.py`, ...);
which run, and in what order, is the registry's list (`kg.families.FAMILIES`). Each is
a pure function of one parsed article, so extraction can be cached and run in parallel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kg.errors import FamilyError
from kg.family import Family, registered
from kg.model import Article, Fact

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract_facts(
    article: Article,
    names: Iterable[str] | None = None,
    families: Sequence[Family] | None = None,
    doc: Doc | None = None,
) -> list[Fact]:
    """Every fact the families' extractors (default: all registered; or those `names`d) find."""
    # Imported here: the parse it offers loads spaCy, which a family may never need.
    from kg.document import Document

    selected = registered(families)
    if names is not None:
        wanted = list(names)
        by_name = {family.name: family for family in selected}
        unknown = [name for name in wanted if name not in by_name]
        if unknown:
            raise FamilyError(f"no fact family named {', '.join(map(repr, unknown))}")
        selected = [by_name[name] for name in wanted]
    document = Document(article, doc)
    return [
        fact
        for family in selected
        if family.extract is not None
        for fact in family.extract(document)
    ]
