"""The registry of fact families: one explicit list, in the order extractors run.

Each family (`kg.family.Family`) is one module here that declares its extractor, the
mentions its facts name, its RDF writer, how `kg eval` matches it and its edges in the
view; resolution, RDF, the view and evaluation loop over this list. A new family is a
new module and one line below. Tests (or a plug-in) can add one at run time with
`register`, or pass `families=` to `extract_facts`, `resolve`, `build_graph`, `build`.
"""

from __future__ import annotations

from kg.errors import FamilyError
from kg.families import (
    aliases,
    announcements,
    jobs,
    money,
    organisations,
    quotes,
    reports,
    roles,
)
from kg.family import Family, families_by_fact_type

FAMILIES: list[Family] = [
    jobs.FAMILY,
    organisations.FAMILY,
    aliases.FAMILY,
    roles.FAMILY,
    quotes.FAMILY,
    reports.FAMILY,
    announcements.FAMILY,
    money.FAMILY,
]


def register(family: Family) -> Family:
    """Add a family after the built-in ones; its name and fact classes must be new."""
    if any(known.name == family.name for known in FAMILIES):
        raise FamilyError(f"a fact family named {family.name!r} is already registered")
    families_by_fact_type([*FAMILIES, family])  # raises if it claims another's facts
    FAMILIES.append(family)
    return family


def unregister(name: str) -> None:
    """Remove the family of that name (a test's own, say); unknown names are an error."""
    for index, family in enumerate(FAMILIES):
        if family.name == name:
            del FAMILIES[index]
            return
    raise FamilyError(f"no fact family named {name!r} is registered")


def family_named(name: str) -> Family:
    for family in FAMILIES:
        if family.name == name:
            return family
    known = ", ".join(family.name for family in FAMILIES)
    raise FamilyError(f"no fact family named {name!r} (families: {known})")
