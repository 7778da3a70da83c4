"""Reference data the package ships: councils, government bodies, known organisations, posts.

Councils come from mySociety's list of UK local authorities (ONS GSS codes), government
bodies from the GOV.UK organisation register, and the rest from hand-curated files in
`kg/data/`. Lookups go through `name_key`, so "the LGA's", "LGA" and "Lga" meet.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

DATA = Path(__file__).parent / "data"

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
NON_WORD = re.compile(r"[^a-z0-9]+")
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
POSSESSIVE = re.compile(r"(?:'s|s')$", re.I)


@lru_cache(maxsize=1 << 16)
def clean_name(name: str) -> str:
    """Trim a name as written: "the LGA's" → "LGA"; inner words are kept as they are."""
    name = " ".join(name.translate(APOSTROPHES).split()).strip(" ,.;:'\"")
    name = LEADING_ARTICLE.sub("", name)
    return POSSESSIVE.sub("", name).strip()


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A lookup key: lower case, no articles, possessives, apostrophes or punctuation."""
    name = clean_name(name).lower().replace("&", " and ").replace("'", "")
    return " ".join(NON_WORD.sub(" ", name).split())


@dataclass(frozen=True, slots=True)
class Council:
    code: str
    name: str
    official_name: str
    council_type: str
    current: bool
    start: dt.date | None
    end: dt.date | None
    names: tuple[str, ...]

    def in_office_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class KnownEntity:
    """A curated or registered organisation (or fiscal event) and its other names."""

    label: str
    category: str
    aliases: tuple[str, ...]
    parent: str | None = None
    gov_code: str | None = None


@dataclass(frozen=True, slots=True)
class RoleTitle:
    title: str
    implied_organisation: str | None


# How councils are written besides their official names, by type of council.
COUNCIL_NAME_FORMS: dict[str, tuple[str, ...]] = {
    "london_borough": (
        "London Borough of {name}",
        "{name} London Borough Council",
        "London Borough of {name} Council",
        "{name} Council",
        "{name} LBC",
        "Royal Borough of {name}",
    ),
    "county": ("{name} County Council", "{name} CC"),
    "district": (
        "{name} District Council",
        "{name} Borough Council",
        "{name} City Council",
        "{name} Council",
    ),
    "unitary": ("{name} Council", "{name} Borough Council", "{name} City Council"),
    "metropolitan_borough": (
        "{name} Council",
        "{name} Metropolitan Borough Council",
        "{name} City Council",
        "{name} MBC",
    ),
    "city_corporation": ("City of London Corporation", "Corporation of London"),
}


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _read_councils() -> Iterator[Council]:
    with (DATA / "uk_local_authorities.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["type"] in {"combined_authority", "strategic_authority"}:
                continue
            forms = COUNCIL_NAME_FORMS.get(row["type"], ())
            names = [row["official_name"], *(form.format(name=row["name"]) for form in forms)]
            names += [alt for alt in row["alt_names"].split("|") if alt]
            yield Council(
                code=row["code"],
                name=row["name"],
                official_name=row["official_name"],
                council_type=row["type"],
                current=row["current"] == "true",
                start=_date(row["start_date"]),
                end=_date(row["end_date"]),
                names=tuple(dict.fromkeys(names)),
            )


def _read_known_entities() -> Iterator[KnownEntity]:
    with (DATA / "known_entities.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            aliases = tuple(alias for alias in row["aliases"].split("|") if alias)
            yield KnownEntity(row["label"], row["category"], aliases, row["parent"] or None)
    with (DATA / "uk_government_organisations.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            category = "GovernmentDepartment" if row["type"] == "department" else "GovernmentBody"
            yield KnownEntity(row["name"], category, (), gov_code=row["code"])


@dataclass(eq=False)
class Gazetteer:
    """Name lookups over the reference data; build once with `load_gazetteer()`."""

    councils_by_key: dict[str, list[Council]] = field(default_factory=dict)
    councils_by_short_key: dict[str, list[Council]] = field(default_factory=dict)
    entities_by_key: dict[str, KnownEntity] = field(default_factory=dict)
    role_titles: dict[str, RoleTitle] = field(default_factory=dict)
    role_words: frozenset[str] = frozenset()

    def council(self, name: str, on: dt.date | None = None) -> Council | None:
        """The council a full name ("Essex County Council") stands for, if any."""
        return _pick(self.councils_by_key.get(name_key(name), []), on)

    def council_by_place(self, name: str, on: dt.date | None = None) -> Council | None:
        """The council a bare place name stands for where the text means a council ("Essex")."""
        key = name_key(name)
        return _pick(self.councils_by_short_key.get(key) or self.councils_by_key.get(key, []), on)

    def entity(self, name: str) -> KnownEntity | None:
        return self.entities_by_key.get(name_key(name))

    def role_title(self, role: str) -> RoleTitle | None:
        return self.role_titles.get(name_key(role))

    def closest_entity(self, name: str) -> KnownEntity | None:
        """The known entity a misspelling stands for ("Oftsed" → Ofsted), if just one is close."""
        return self.entity(name) or _closest_entity(self, name_key(name))


@lru_cache(maxsize=8192)
def _closest_entity(gazetteer: Gazetteer, key: str) -> KnownEntity | None:
    # One edit (a transposition counts as one) for short names, two for long ones; names
    # under five letters are too easily confused ("Kent", "Rent") to correct at all.
    if len(key) < 5:
        return None
    allowed = 1 if len(key) < 12 else 2
    choices = [known for known in gazetteer.entities_by_key if known[:1] == key[:1]]
    match = process.extractOne(key, choices, scorer=OSA.distance, score_cutoff=allowed)
    return gazetteer.entities_by_key[match[0]] if match else None


def _pick(candidates: list[Council], on: dt.date | None) -> Council | None:
    """Of councils sharing a name, the one in office on the day, else the current one."""
    if not candidates:
        return None
    if on is not None:
        in_office = [council for council in candidates if council.in_office_on(on)]
        if in_office:
            return in_office[0]
    return next((council for council in candidates if council.current), candidates[0])


@cache
def word_list(name: str) -> frozenset[str]:
    """A lexicon shipped as `kg/data/<name>.txt`: one lower-case word a line, # comments."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")


@dataclass(frozen=True, slots=True)
class StatementVerb:
    """A verb that states an announcement or a recommendation, with its written forms:
    `family` is "announces" or "recommends"; `rule` names the rule it triggers."""

    family: str
    rule: str
    particle: str | None
    forms: frozenset[str]


@cache
def statement_verbs() -> tuple[StatementVerb, ...]:
    with (DATA / "statement_verbs.csv").open(encoding="utf-8") as stream:
        return tuple(
            StatementVerb(
                row["family"],
                row["rule"],
                row["particle"] or None,
                frozenset({row["base"], *filter(None, row["forms"].split("|"))}),
            )
            for row in csv.DictReader(stream)
        )


@cache
def load_gazetteer() -> Gazetteer:
    gazetteer = Gazetteer()
    for council in _read_councils():
        for name in council.names:
            gazetteer.councils_by_key.setdefault(name_key(name), []).append(council)
        gazetteer.councils_by_short_key.setdefault(name_key(council.name), []).append(council)
    for entity in _read_known_entities():
        for name in (entity.label, *entity.aliases):
            # Curated entries come first and win over register entries of the same name.
            gazetteer.entities_by_key.setdefault(name_key(name), entity)
    with (DATA / "role_titles.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            title = RoleTitle(row["title"], row["implied_organisation"] or None)
            gazetteer.role_titles[name_key(title.title)] = title
    words = (DATA / "role_words.txt").read_text(encoding="utf-8").splitlines()
    gazetteer.role_words = frozenset(w.strip() for w in words if w.strip() and w[0] != "#")
    return gazetteer
