"""Parse the pay line of a job advert into minimum, maximum and period.

Forms handled, each from real adverts:
    Up to £13.00 per hour                     → None–13 HOUR
    £46574.0000 - £56027.0000 per annum       → 46574–56027 YEAR
    £41,607.00 - £44,598.00                   → a range with no period is annual
    BR10-11 (£38,633 – £42,608pa)             → the grade code is not a range
    package to £90k / to £108k                → None–90000 YEAR
    50-60k + relocation allowance             → 50000–60000 YEAR
    Salary from ASYE level £36,363 up to £49,282
    £50,269 PLUS Market Supplement            → 50269–50269 YEAR
    SMG, £70,614 - £76,256
    £34,476 to £37,158 pa - plus ... £2,080 pa → the first range is the salary
What cannot be read keeps its text and gets no numbers: never a wrong number.
"""

from __future__ import annotations

import re

from kg.model import Salary, SalaryUnit

# An amount must carry a £ sign or a k/m multiplier; bare numbers are grades or hours.
AMOUNT = re.compile(
    r"""(?<![A-Za-z0-9.,])
        (?P<pound>£\s?)?
        (?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?
        (?:\s?(?P<multiplier>k|K|m|M)\b)?
        (?![\d,]*(?!pa\b|ph\b|pw\b|pcm\b)[A-Za-z]{2})   # not "18.5 hours"; "£42,608pa" is fine
    """,
    re.VERBOSE,
)
RANGE_JOINER = re.compile(r"^\s*(?:-|–|—|to|up\s+to|and|rising\s+to|increasing\s+to)\s*$", re.I)
UP_TO = re.compile(r"(?:\bup\s+to|\bupto|\bto|\bmax(?:imum)?\.?|\bpackage\s+to)\s*$", re.I)

PERIODS: tuple[tuple[SalaryUnit, re.Pattern[str]], ...] = (
    ("HOUR", re.compile(r"(?:\bper|\ban|\ba|/)\s*(?:hour|hr)\b|\bp/?h\b|\bhourly\b", re.I)),
    ("DAY", re.compile(r"(?:\bper|\ba|/)\s*day\b|\bdaily\b|\bper\s+diem\b|\bp/?d\b", re.I)),
    ("WEEK", re.compile(r"(?:\bper|\ba|/)\s*week\b|\bweekly\b|\bp/?w\b", re.I)),
    (
        "MONTH",
        re.compile(r"(?:\bper|\ba|/)\s*(?:calendar\s+)?month\b|\bmonthly\b|\bpcm\b", re.I),
    ),
    (
        "YEAR",
        re.compile(
            r"(?:\bper|\ba|/)\s*(?:annum|year|yr)\b|\bannual(?:ly)?\b|\bp\.?\s?a\.?(?![a-z])"
            r"|\bpro[\s-]rata\b|(?<=\d)pa\b",
            re.I,
        ),
    ),
)
# Below this, a figure with no period could be hourly, daily or weekly: leave it unparsed.
SMALLEST_ANNUAL_SALARY = 5000.0


def _value(match: re.Match[str]) -> float:
    number = float(match["number"].replace(",", ""))
    if match["fraction"]:
        number += float("0." + match["fraction"])
    return number * _scale(match)


def _scale(match: re.Match[str]) -> int:
    """What the amount's "k" or "m" multiplies by (1 for none)."""
    return {"k": 1_000, "m": 1_000_000}.get((match["multiplier"] or "").lower(), 1)


def _is_money(match: re.Match[str]) -> bool:
    return bool(match["pound"] or match["multiplier"])


def _period(text: str) -> SalaryUnit | None:
    for unit, pattern in PERIODS:
        if pattern.search(text):
            return unit
    return None


def parse_salary(text: str) -> Salary:
    """Read a pay statement; see the module docstring for the forms."""
    cleaned = " ".join(text.replace("\u202f", " ").split())
    amounts = list(AMOUNT.finditer(cleaned))
    for index, first in enumerate(amounts):
        second = amounts[index + 1] if index + 1 < len(amounts) else None
        joined = second is not None and RANGE_JOINER.match(cleaned[first.end() : second.start()])
        if second is not None and joined and (_is_money(first) or _is_money(second)):
            low, high = _value(first), _value(second)
            if second["multiplier"] and not first["multiplier"] and low < 1000:
                low *= _scale(second)  # "50-60k": the range shares its multiplier
            tail_end = amounts[index + 2].start() if index + 2 < len(amounts) else len(cleaned)
            tail = cleaned[second.end() : tail_end]
            return _with_period(text, low, high, tail, cleaned[: first.start()])
        if _is_money(first):
            tail_end = second.start() if second is not None else len(cleaned)
            value = _value(first)
            low = None if UP_TO.search(cleaned[: first.start()]) else value
            return _with_period(
                text, low, value, cleaned[first.end() : tail_end], cleaned[: first.start()]
            )
    return Salary(text=text.strip())


def _with_period(text: str, low: float | None, high: float, tail: str, head: str) -> Salary:
    """Numbers with the period stated after them ("per hour"), or before ("Daily rate:")."""
    if low is not None and low > high:
        return Salary(text=text.strip())
    unit = _period(tail) or _period(head)
    if unit is None and high >= SMALLEST_ANNUAL_SALARY:
        unit = "YEAR"
    if unit is None:
        return Salary(text=text.strip())
    return Salary(text=text.strip(), minimum=low, maximum=high, unit=unit)
