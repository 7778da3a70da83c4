"""A seeded corpus of articles in the samples' form, for the benchmarks.

    python benchmarks/generate_corpus.py OUT_DIR [--articles 1000] [--seed 7]

Each article is a byline, a headline and a story of 400 to 700 words, then a newsletter
box and a block of job adverts, as the bundled samples are. The story is drawn from a few
forms (an appointment, a report and its recommendations, an announcement, an inspection)
with people, councils, amounts and salaries drawn at random, so resolution meets many
entities, as it does on years of real news. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

FIRST_NAMES = (
    "Alison Amira Ben Bethan Callum Carys Daniel Deborah Eleanor Farah Gareth Gemma Hannah "
    "Imran Isla Jacob Joanna Kieran Leanne Marcus Mei Nadia Niall Olivia Owen Priya Rhys "
    "Rosalind Samir Sinead Tariq Tessa Usha Victor Wendy Yusuf Zara"
).split()
SURNAMES = (
    "Abbott Adeyemi Barker Bhatt Carver Chowdhury Davies Donnelly Ellison Fairweather "
    "Gallagher Hartley Iqbal Jennings Kowalski Lister Maddox Nwosu Okafor Pemberton Quinlan "
    "Radford Sandhu Thackeray Underwood Varga Whitlock Yardley Zielinski Ashworth Brennan "
    "Cartwright Delaney Featherstone Greaves Holloway"
).split()
ROLES = (
    "director of children's services",
    "chief executive",
    "cabinet member for children and families",
    "assistant director of education",
    "head of safeguarding",
    "leader",
)
THINK_TANKS = ("the Institute for Public Care", "the Centre for Young Lives", "Localis")
CHARITIES = ("Barnardo's", "the NSPCC", "Action for Children", "The Children's Society")
DEPARTMENTS = ("the Department for Education", "the Department of Health and Social Care")
MINISTERS = ("children's minister", "education secretary", "schools minister")
POLICIES = (
    "ring-fence funding for early help",
    "create a national register of children not in school",
    "cap the profits of children's home providers",
    "fund family hubs in every council area",
    "extend care leavers' support to the age of 25",
    "give councils powers to open new children's homes",
    "recruit more foster carers through a national campaign",
    "publish a workforce strategy for social workers",
)
PROGRAMMES = (
    "a programme of family help",
    "new secure children's homes",
    "a review of kinship care",
    "a trial of multi-agency safeguarding teams",
    "support for children with special educational needs",
)
JOB_TITLES = (
    "Senior Social Worker",
    "Team Manager - Children in Care",
    "Educational Psychologist",
    "Family Support Worker",
    "SEND Caseworker",
    "Independent Reviewing Officer",
)
FILLER = (
    "Councils have warned for several years that demand for children's social care is "
    "rising faster than the money to meet it.",
    "The number of children in care has risen in each of the last five years, according "
    "to official figures.",
    "Spending on placements now takes up a growing share of council budgets across the country.",
    "Sector leaders said early help services had been cut back to pay for statutory work.",
    "The proposals will now be considered by ministers before a decision in the spring.",
    "Families and young people were consulted on the plans over the summer.",
    "Social work vacancies remain high in many areas, with agency staff filling the gaps.",
    "Inspectors found that thresholds for help were applied inconsistently in some areas.",
    "The latest figures show a sharp rise in the number of referrals from schools.",
    "Some authorities have turned to agency staff to cover long-term sickness and vacancies.",
    "The cost of a place in a children's home can now exceed £5,000 a week.",
    "Many of the families involved had been known to services for several years.",
    "A consultation on the changes is expected to open later this year.",
    "Youth services have been reduced in most areas since the start of the decade.",
)


def councils() -> list[str]:
    path = files("kg") / "data" / "uk_local_authorities.csv"
    with path.open(encoding="utf-8") as handle:
        return [
            row["official_name"]
            for row in csv.DictReader(handle)
            if row["current"] == "true" and row["childrens_services_authority"] == "true"
        ]


class ArticleWriter:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.councils = councils()

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"

    def council(self) -> str:
        return self.rng.choice(self.councils)

    def pounds(self, low: int, high: int) -> int:
        return self.rng.randrange(low, high, 5)

    def appointment(self) -> tuple[str, list[str]]:
        council, person, role = self.council(), self.person(), self.rng.choice(ROLES)
        previous = self.council()
        spokesperson = self.person()
        return f"{council} appoints new {role}", [
            f"{council} has appointed {person} as its new {role}.",
            f"{person}, who is currently assistant director of children's services at "
            f"{previous}, will take up the post in the new year.",
            f"‘I am delighted to be joining a council with such ambition for its children,’ "
            f"{person} said.",
            f"Cllr {spokesperson}, cabinet member for children and families at {council}, "
            f"said: ‘{person} brings a wealth of experience to the role.’",
        ]

    def report(self) -> tuple[str, list[str]]:
        author = self.rng.choice(THINK_TANKS + CHARITIES)
        first, second = self.rng.sample(POLICIES, 2)
        head = self.person()
        title = self.rng.choice(("Fair Start", "Holding On", "Every Child Counts", "No Limits"))
        return f"Report urges Government to {first}", [
            f"A new report by {author} calls on the Government to {first}.",
            f"The report, ‘{title}: the future of children's services’, also recommends "
            f"that ministers {second}.",
            f"{head}, chief executive of {author}, said: ‘Children cannot wait for another "
            f"decade of piecemeal change.’",
        ]

    def announcement(self) -> tuple[str, list[str]]:
        department, programme = self.rng.choice(DEPARTMENTS), self.rng.choice(PROGRAMMES)
        minister, title = self.person(), self.rng.choice(MINISTERS)
        millions = self.rng.randrange(5, 900)
        return f"£{millions}m for {programme}", [
            f"{department[0].upper()}{department[1:]} has announced £{millions}m for {programme}.",
            f"The {title}, {minister}, said the money would reach councils from April.",
            f"‘This is a down payment on the reforms we promised,’ {minister} said.",
        ]

    def inspection(self) -> tuple[str, list[str]]:
        council, director = self.council(), self.person()
        grade = self.rng.choice(("good", "requires improvement", "inadequate", "outstanding"))
        return f"Ofsted rates {council} children's services {grade}", [
            f"Ofsted has rated children's services at {council} as {grade}.",
            "Inspectors praised the council's work with care leavers but said "
            "assessments were too slow.",
            f"{director}, director of children's services at {council}, said the council "
            f"would act on every recommendation.",
        ]

    def adverts(self) -> list[str]:
        lines = ["SIGN UP", "For your free daily news bulletin", "Social care jobs", ""]
        for _ in range(self.rng.randrange(3, 6)):
            council = self.council()
            low = self.pounds(28_000, 60_000)
            lines += [
                self.rng.choice(JOB_TITLES),
                "",
                council,
                f"£{low:,} - £{low + self.pounds(2_000, 9_000):,} per annum",
                f"{council} is looking for a committed professional to join its team.",
                f"Recruiter: {council}",
                "",
            ]
        return lines

    def article(self, day: dt.date) -> str:
        form: Callable[[], tuple[str, list[str]]] = self.rng.choice(
            (self.appointment, self.report, self.announcement, self.inspection)
        )
        headline, sentences = form()
        paragraphs = [*sentences]
        target_words = self.rng.randrange(350, 600)
        while sum(len(p.split()) for p in paragraphs) < target_words:
            _, extra = form()
            paragraphs += [*self.rng.sample(FILLER, 5), *extra[: self.rng.randrange(1, 3)]]
        byline = f"{self.person()} {day.day} {day:%B %Y}"
        return "\n\n".join([byline, headline, *paragraphs, "\n".join(self.adverts())]) + "\n"


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` articles into `folder` (created if need be); the same seed gives the
    same files."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    writer = ArticleWriter(rng)
    start = dt.date(2015, 1, 1)
    paths = []
    for index in range(count):
        day = start + dt.timedelta(days=rng.randrange(0, 3650))
        path = folder / f"{index:06d}.txt"
        path.write_text(writer.article(day), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.out_dir, args.articles, args.seed)
    print(f"{len(paths)} articles in {args.out_dir}")


if __name__ == "__main__":
    main()
