"""`parse_salary`: the pay line of an advert → minimum, maximum and period.

Every row states the numbers a reader would take from the line; where the line is
ambiguous the parser must give no numbers at all rather than a wrong one.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kg.extract.salary import parse_salary

NNBSP = "\u202f"  # the narrow no-break space one sample puts before "BR10-11"

# (pay line as an advert writes it, minimum, maximum, unit)
PARSED = [
    # The forms in the bundled samples.
    ("Up to £13.00 per hour", None, 13.0, "HOUR"),
    ("£46574.0000 - £56027.0000 per annum", 46574.0, 56027.0, "YEAR"),
    ("Up to £25081.00 per annum", None, 25081.0, "YEAR"),
    ("£41,607.00 - £44,598.00", 41607.0, 44598.0, "YEAR"),
    ("£110,118 to £118,864", 110118.0, 118864.0, "YEAR"),
    ("50-60k + relocation allowance", 50000.0, 60000.0, "YEAR"),
    ("£44,863 - £45,859 per annum", 44863.0, 45859.0, "YEAR"),
    (
        "£34,476 to £37,158 pa - plus Lease Car or Cash alternative of £2,080 pa",
        34476.0,
        37158.0,
        "YEAR",
    ),
    (f"{NNBSP}BR10-11 (£38,633 – £42,608pa)", 38633.0, 42608.0, "YEAR"),
    ("£34,434 - £39,152 per annum", 34434.0, 39152.0, "YEAR"),
    ("£50,269 PLUS Market Supplement", 50269.0, 50269.0, "YEAR"),
    ("Salary from ASYE level £36,363 up to £49,282", 36363.0, 49282.0, "YEAR"),
    ("package to £90k", None, 90000.0, "YEAR"),
    ("Up to £237 per day + Umbrella", None, 237.0, "DAY"),
    ("SMG, £70,614 - £76,256", 70614.0, 76256.0, "YEAR"),
    ("to £108k", None, 108000.0, "YEAR"),
    # Hourly, daily, weekly and monthly rates.
    ("£18.50 - £20.00 per hour", 18.5, 20.0, "HOUR"),
    ("£13-£15 ph", 13.0, 15.0, "HOUR"),
    ("£20-25 per hour", 20.0, 25.0, "HOUR"),
    ("£9.50ph", 9.5, 9.5, "HOUR"),
    ("£15 an hour", 15.0, 15.0, "HOUR"),
    ("£15.75 hourly", 15.75, 15.75, "HOUR"),
    ("£25 p/h", 25.0, 25.0, "HOUR"),
    ("£ 9.50 per hour", 9.5, 9.5, "HOUR"),
    ("£350 per day", 350.0, 350.0, "DAY"),
    ("£350 p/d", 350.0, 350.0, "DAY"),
    ("£400 daily", 400.0, 400.0, "DAY"),
    ("£500 per week", 500.0, 500.0, "WEEK"),
    ("£650 - £700 per week", 650.0, 700.0, "WEEK"),
    ("£450 pw", 450.0, 450.0, "WEEK"),
    ("£2,500 per month", 2500.0, 2500.0, "MONTH"),
    ("£3,000 - £3,500 pcm", 3000.0, 3500.0, "MONTH"),
    # Annual pay, with the period spelled every way, or left out above the annual floor.
    ("£30k - £35k", 30000.0, 35000.0, "YEAR"),
    ("£30K - £35K", 30000.0, 35000.0, "YEAR"),
    ("£37-42k", 37000.0, 42000.0, "YEAR"),
    ("£12.5k", 12500.0, 12500.0, "YEAR"),
    ("Up to £45k + benefits", None, 45000.0, "YEAR"),
    ("Upto £50,000", None, 50000.0, "YEAR"),
    ("Maximum £50,000", None, 50000.0, "YEAR"),
    ("£45,000 per year", 45000.0, 45000.0, "YEAR"),
    ("£45,000 a year", 45000.0, 45000.0, "YEAR"),
    ("£45,000 p.a.", 45000.0, 45000.0, "YEAR"),
    ("£40,000-£45,000pa", 40000.0, 45000.0, "YEAR"),
    ("£37,000 – £42,000 per year", 37000.0, 42000.0, "YEAR"),
    ("£45,000 — £50,000", 45000.0, 50000.0, "YEAR"),
    ("£30,000 - 35,000", 30000.0, 35000.0, "YEAR"),
    ("£ 30,000 - £ 35,000", 30000.0, 35000.0, "YEAR"),
    ("£25,000 pro rata", 25000.0, 25000.0, "YEAR"),
    ("£25,000 - £28,000 pro rata", 25000.0, 28000.0, "YEAR"),
    ("£50,000 to £55,000 per annum (pro rata)", 50000.0, 55000.0, "YEAR"),
    ("Term time only, £18,000 pro rata", 18000.0, 18000.0, "YEAR"),
    # Grades, hours and extras around the pay are not part of it.
    ("Grade 7 £30,000 - £35,000", 30000.0, 35000.0, "YEAR"),
    ("PO1 - PO3 £38,000 - £42,000", 38000.0, 42000.0, "YEAR"),
    ("Band 5 (£28,000 - £31,000)", 28000.0, 31000.0, "YEAR"),
    ("Part Time - 18.5 hours £25,081 per annum (FTE)", 25081.0, 25081.0, "YEAR"),
    ("£30,000 - £35,000 plus 10% market supplement", 30000.0, 35000.0, "YEAR"),
    ("£45,000 per annum (£23.35 per hour)", 45000.0, 45000.0, "YEAR"),
    # Periods written with a slash, in full, or before the amount; "rising to" joins a range.
    ("£300/day", 300.0, 300.0, "DAY"),
    ("£15/hr", 15.0, 15.0, "HOUR"),
    ("£1,850 per calendar month", 1850.0, 1850.0, "MONTH"),
    ("Daily rate: £300", 300.0, 300.0, "DAY"),
    ("Hourly rate £25", 25.0, 25.0, "HOUR"),
    ("£32,000 rising to £35,000", 32000.0, 35000.0, "YEAR"),
]


@pytest.mark.parametrize(("text", "minimum", "maximum", "unit"), PARSED)
def test_parse_salary_reads_numbers_and_period(
    text: str, minimum: float | None, maximum: float, unit: str
) -> None:
    salary = parse_salary(text)
    assert (salary.minimum, salary.maximum, salary.unit) == (minimum, maximum, unit)
    assert salary.parsed
    assert salary.text == text.strip()


# Pay lines with no amount, or an amount whose period cannot be known: text only.
UNPARSED = [
    "Competitive",
    "Negotiable",
    "",
    "Grade 7",
    "37 hours per week",
    "30,000 - 35,000",  # no £ sign or k: could be anything
    "£250",  # hourly, daily or weekly?
    "£250 plus expenses",
    "£2,080",
    "£13.00 - £15.00",
    "£300 - £350",
    "£50 per session",
    "£45,000 - £40,000",  # minimum above maximum
    "£40,000 - £35,000 per annum",
]


@pytest.mark.parametrize("text", UNPARSED)
def test_parse_salary_gives_no_numbers_when_it_cannot_tell(text: str) -> None:
    salary = parse_salary(text)
    assert (salary.minimum, salary.maximum, salary.unit) == (None, None, None)
    assert not salary.parsed
    assert salary.text == text


def test_parse_salary_keeps_text_as_written_apart_from_outer_whitespace() -> None:
    assert parse_salary("  £30,000 -  £35,000 per annum\n").text == "£30,000 -  £35,000 per annum"


# ---- properties: the amounts stated, or none ---------------------------------------------

POUNDS = st.integers(min_value=0, max_value=10_000_000)
PENCE = st.integers(min_value=0, max_value=99)
# How adverts join a range and state an annual period.
JOINERS = st.sampled_from([" - ", "-", " – ", " to ", " up to ", " rising to "])
ANNUAL = st.sampled_from([" per annum", " pa", " a year", " per year", " p.a.", "pa"])


@given(low=POUNDS, high=POUNDS, joiner=JOINERS, period=ANNUAL)
def test_an_annual_range_gives_its_two_amounts_or_none(
    low: int, high: int, joiner: str, period: str
) -> None:
    salary = parse_salary(f"£{low:,}{joiner}£{high:,}{period}")
    if low <= high:
        assert (salary.minimum, salary.maximum, salary.unit) == (low, high, "YEAR")
    else:  # a minimum above the maximum is a line misread, not a salary
        assert (salary.minimum, salary.maximum, salary.unit) == (None, None, None)


@given(low=POUNDS, low_pence=PENCE, high=POUNDS, high_pence=PENCE)
def test_an_hourly_range_in_pounds_and_pence_gives_its_two_amounts_or_none(
    low: int, low_pence: int, high: int, high_pence: int
) -> None:
    salary = parse_salary(f"£{low:,}.{low_pence:02d} - £{high:,}.{high_pence:02d} per hour")
    minimum, maximum = low + low_pence / 100, high + high_pence / 100
    if minimum <= maximum:
        assert salary.unit == "HOUR"
        assert (salary.minimum, salary.maximum) == (pytest.approx(minimum), pytest.approx(maximum))
    else:
        assert (salary.minimum, salary.maximum, salary.unit) == (None, None, None)


@given(amount=POUNDS, lead=st.sampled_from(["Up to ", "Upto ", "package to ", "Maximum "]))
def test_an_amount_up_to_gives_only_its_maximum(amount: int, lead: str) -> None:
    salary = parse_salary(f"{lead}£{amount:,} per annum")
    assert (salary.minimum, salary.maximum, salary.unit) == (None, amount, "YEAR")


STATED_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@given(
    text=st.text(st.sampled_from("£0123456789,.-– kKmMpaerhoury/tn"), max_size=40),
)
@example(text="0-0K")  # once divided by the second number, zero here
def test_any_pay_line_gives_numbers_it_states_or_none(text: str) -> None:
    salary = parse_salary(text)
    if not salary.parsed:
        assert (salary.minimum, salary.maximum, salary.unit) == (None, None, None)
        return
    assert salary.maximum is not None and salary.unit is not None
    assert salary.minimum is None or salary.minimum <= salary.maximum
    # Every number given is one the line states (any run of its digits, thousands commas
    # and decimals), times the thousand or million it may say.
    stated = {
        float(text[start:end].replace(",", "")) * scale
        for start in range(len(text))
        for end in range(start + 1, len(text) + 1)
        if STATED_NUMBER.fullmatch(text[start:end])
        for scale in (1, 1_000, 1_000_000)
    }
    for value in (salary.minimum, salary.maximum):
        assert value is None or any(value == pytest.approx(number) for number in stated)
