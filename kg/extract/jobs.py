"""Job adverts from an article's advert block.

Each advert is a run of lines ending with its recruiter line:

    Senior Practitioner - Leaving & Aftercare Team, Mid Essex      ← title, exactly
    Essex County Council                                           ← hiring council
    £46574.0000 - £56027.0000 per annum                            ← pay
    Senior Practitioner - ...Permanent, Full Time£46,574 to ...    ← description (+ location)
    Recuriter: Essex County Council                                ← council (sic)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.corpus import RECRUITER_LINE
from kg.extract.patterns import ORG_NAME
from kg.extract.salary import parse_salary
from kg.gazetteer import load_gazetteer
from kg.model import Article, JobAdvert, OrganisationMention, Provenance

EXTRACTOR = "jobs"

RECRUITER_VALUE = re.compile(r"^\s*Rec(?:ru|ur)iter:\s*(?P<name>.+?)\s*$", re.I)
# A line that states pay: a £ amount, "50-60k", or a word that only pay lines use.
PAY_LINE = re.compile(r"£|\b\d+\s?k\b|\bsalary\b|\bgrade\b|\bcompetitive\b|\bnegotiable\b", re.I)
# "Permanent, Full Time", "Permanent, Part Time - 18.5 hours", "Fixed term", "Interim"
EMPLOYMENT = re.compile(
    r"""(?P<type>
          (?:Permanent|Temporary|Fixed[\s-]term|Contract|Interim|Locum|Secondment|Casual|Seasonal)
          (?:\s*(?:,|-|/)\s*(?:Full[\s-]Time|Part[\s-]Time|Term[\s-]Time|Job[\s-]Share|Flexible)
             (?:\s*-\s*[\d.]+\s*hours)?)*
          |(?:Full[\s-]Time|Part[\s-]Time)(?:\s*-\s*[\d.]+\s*hours)?
        )""",
    re.VERBOSE | re.I,
)
# As a field: capitalised, and followed by a comma, the pay, "Location" or the end.
EMPLOYMENT_FIELD = re.compile(
    rf"(?-i:{EMPLOYMENT.pattern.replace('(?P<type>', '(?P<type>(?=[A-Z])', 1)})(?=\s*(?:£|Location\b|$|,\s*[A-Z£]))",
    re.VERBOSE,
)
EMPLOYMENT_SUFFIX = re.compile(rf"\s[-–]\s{EMPLOYMENT.pattern}\s*$", re.VERBOSE | re.I)
# The description closes with the location after its last full stop, ellipsis or "!":
# "... flexible working scheme. Tower Hamlets, London (Greater)".
LOCATION_TAIL = re.compile(r"(?:[.!?…]|\.\.\.)\s+(?P<location>[^.!?…]{2,80})$")
LOCATION_SHAPE = re.compile(r"^[A-Z0-9][\w&'’(),\- ]*$")


def split_adverts(block: str) -> Iterator[tuple[list[str], int, int]]:
    """The adverts of a block: (non-empty lines, start offset, end offset) each; the last
    may be cut off before its recruiter line."""
    start = 0
    offset = 0
    end = 0
    lines: list[str] = []
    for raw_line in block.split("\n"):
        line_end = offset + len(raw_line)
        if raw_line.strip():
            if not lines:
                start = offset
            lines.append(raw_line.strip())
            end = line_end
            if RECRUITER_LINE.match(raw_line):
                yield lines, start, line_end
                lines = []
        offset = line_end + 1
    if lines:
        yield lines, start, end


def _employment_type(title: str, description: str) -> str | None:
    # The samples glue the fields: "...SchoolPermanent, Term Time£13.00 per hourLocation";
    # a title may end in one: "Project Officer - Fixed term". Prose ("a two-year contract",
    # "Temporary Accommodation Officer") is not a contract type.
    glued = EMPLOYMENT_FIELD.search(description)
    if glued:
        return " ".join(glued["type"].split())
    suffix = EMPLOYMENT_SUFFIX.search(title)
    return " ".join(suffix["type"].split()) if suffix else None


def _location(description: str) -> str | None:
    match = LOCATION_TAIL.search(description)
    if not match:
        return None
    location = match["location"].strip()
    if not LOCATION_SHAPE.match(location) or len(location.split()) > 10:
        return None
    return location


def parse_advert(lines: list[str]) -> tuple[str, str, str | None, list[str]] | None:
    """(title, council, pay line, description lines) of one advert's lines, or None.

    An advert cut off before its recruiter line (the page ends) counts when it has its
    title, an employer the reference data knows, and a pay line."""
    recruiter = RECRUITER_VALUE.match(lines[-1])
    if not recruiter:
        return _cut_off_advert(lines)
    body = lines[:-1]
    if len(body) < 2:
        return None
    title, under_title, *rest = body
    council = recruiter["name"] or under_title
    pay = rest.pop(0) if rest and PAY_LINE.search(rest[0]) else None
    return title, council, pay, rest


def _cut_off_advert(lines: list[str]) -> tuple[str, str, str | None, list[str]] | None:
    if len(lines) < 3 or not PAY_LINE.search(lines[2]) or len(lines[0]) > 120:
        return None
    title, employer, pay, *rest = lines
    gazetteer = load_gazetteer()
    if not (
        gazetteer.council(employer)
        or gazetteer.entity(employer)
        or PUBLIC_EMPLOYER.search(employer)
    ):
        return None
    return title, employer, pay, rest


# Public employers the council list does not hold: "West Yorkshire Combined Authority".
PUBLIC_EMPLOYER = re.compile(
    r"^[A-Z][\w&' -]+ (?:Combined Authority|Fire and Rescue Service|Police|NHS (?:Foundation )?Trust|Council|Authority)$"
)


def _other_councils(description: str, hiring: str) -> list[str]:
    """Other councils an advert names: "supporting Tendring District Council in the recruitment"."""
    gazetteer = load_gazetteer()
    hiring_council = gazetteer.council(hiring)
    found = []
    for match in ORG_NAME.finditer(description):
        council = gazetteer.council(match["org"])
        if council and council != hiring_council and match["org"] not in found:
            found.append(match["org"])
    return found


def extract(article: Article) -> Iterator[JobAdvert | OrganisationMention]:
    for lines, start, end in split_adverts(article.advert_block):
        parsed = parse_advert(lines)
        if parsed is None:
            continue
        title, council, pay, description_lines = parsed
        description = " ".join(description_lines) or None
        location = _location(description) if description else None
        if description and location:
            description = description[: description.rfind(location)].strip() or None
        provenance = Provenance(
            article.id, article.advert_block[start:end], start, end, "adverts", EXTRACTOR
        )
        yield JobAdvert(
            title=title,
            council=council,
            salary=parse_salary(pay) if pay else None,
            employment_type=_employment_type(title, " ".join(description_lines)),
            location=location,
            description=description,
            provenance=provenance,
        )
        for name in _other_councils(description or "", council):
            yield OrganisationMention(name, "LocalAuthority", provenance)
