"""Reading articles: byline, headline, story without page furniture, advert block, files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.corpus import (
    SkippedFile,
    find_article_files,
    parse_article,
    parse_byline,
    read_article,
    read_corpus,
)
from kg.errors import InputError

STORY = "Councils have warned of a growing gap in care funding.\n\nDemand is rising fast."
STORY_TEXT = "Councils have warned of a growing gap in care funding.\nDemand is rising fast."

ADVERTS = """\
Children's Social Worker

Kent County Council
£35,000 - £40,000 per annum
Children's Social Worker Permanent, Full Time
Recruiter: Kent County Council

Team Manager - Fostering

Medway Council
£45,000
A team manager post.
Recuriter: Medway Council"""

PROMOS = """\
Public Property

Latest issue - Public Property News

This issue of Public Property examines regeneration."""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Priya Chandra 3 March 2021", ("Priya Chandra", dt.date(2021, 3, 3))),
        ("Jean-Luc O’Neill 12 Sept. 2018", ("Jean-Luc O’Neill", dt.date(2018, 9, 12))),
        ("Mary Anne De Souza 1 Jan 2020", ("Mary Anne De Souza", dt.date(2020, 1, 1))),
        ("Priya Chandra 31 February 2021", None),
        ("Budget 2021 hits councils", None),
    ],
)
def test_parse_byline(line: str, expected: tuple[str, dt.date] | None) -> None:
    assert parse_byline(line) == expected


def test_article_with_a_byline() -> None:
    article = parse_article(
        f"Priya Chandra 3 March 2021\n\nCouncils warn of care gap\n\n{STORY}\n", "t1", "t1.txt"
    )
    assert (article.id, article.source) == ("t1", "t1.txt")
    assert (article.author, article.date) == ("Priya Chandra", dt.date(2021, 3, 3))
    assert article.headline == "Councils warn of care gap"
    assert article.story == STORY_TEXT
    assert [s.text for s in article.sentences] == [
        "Councils have warned of a growing gap in care funding.",
        "Demand is rising fast.",
    ]


def test_article_without_a_byline() -> None:
    article = parse_article(f"\n\nCouncils warn of care gap\n\n{STORY}", "t1")
    assert (article.author, article.date) == (None, None)
    assert article.headline == "Councils warn of care gap"
    assert article.story == STORY_TEXT


@pytest.mark.parametrize(
    "caption",
    [
        "Councils warn of children’s care gap image",
        # The caption repeats the headline loosely: no apostrophe.
        "Councils warn of childrens care gap image",
    ],
)
def test_the_image_caption_under_the_headline_is_dropped(caption: str) -> None:
    article = parse_article(f"Councils warn of children’s care gap\n\n{caption}\n\n{STORY}", "t1")
    assert article.headline == "Councils warn of children’s care gap"
    assert article.story == STORY_TEXT


@pytest.mark.parametrize(
    "furniture",
    [
        "For more on this story visit The MJ (£).",
        "SIGN UP",
        "Highways jobs",
        "Social care jobs",
        "Public Property",
        "Latest issue - Public Property News",
        "Linkedin Banner",
    ],
)
def test_page_furniture_ends_the_story(furniture: str) -> None:
    text = f"Councils warn of care gap\n\n{STORY}\n\n{furniture}\n\nThis is not the story."
    article = parse_article(text, "t1")
    assert article.story == STORY_TEXT


def test_a_teaser_for_another_story_ends_the_story() -> None:
    text = (
        f"Councils warn of care gap\n\n{STORY}\n\n"
        "A new dawn for adoption image\n\nA new dawn for adoption\n\n"
        "Councils will share adoption services from next year."
    )
    article = parse_article(text, "t1")
    assert article.story == STORY_TEXT
    assert "adoption" not in " ".join(s.text for s in article.sentences)


def test_a_crosshead_about_jobs_does_not_end_the_story() -> None:
    text = f"Councils warn of care gap\n\n{STORY}\n\nCouncil to cut 200 jobs\n\nUnions are angry."
    article = parse_article(text, "t1")
    assert article.story == f"{STORY_TEXT}\nCouncil to cut 200 jobs\nUnions are angry."


def test_the_advert_block_holds_the_adverts_and_no_furniture() -> None:
    text = (
        f"Councils warn of care gap\n\n{STORY}\n\nSIGN UP\nFor your free daily news bulletin\n"
        f"Highways jobs\n\n{ADVERTS}\n\n{PROMOS}\nLinkedin Banner\n"
    )
    article = parse_article(text, "t1")
    assert article.story == STORY_TEXT
    assert article.advert_block == ADVERTS


def test_promos_between_adverts_are_not_in_the_advert_block() -> None:
    first, second = ADVERTS.split("\n\nTeam Manager")
    second = "Team Manager" + second
    text = f"Headline\n\n{STORY}\n\nHighways jobs\n\n{first}\n\n{PROMOS}\n\n{second}\n"
    article = parse_article(text, "t1")
    assert "Recruiter: Kent County Council" in article.advert_block
    assert "Recuriter: Medway Council" in article.advert_block
    assert "Public Property" not in article.advert_block


def test_an_article_with_no_adverts_has_an_empty_advert_block() -> None:
    assert parse_article(f"Headline\n\n{STORY}\n\nSIGN UP\n", "t1").advert_block == ""


@pytest.mark.parametrize(
    ("raw", "story"),
    [
        (b"Headline\r\n\r\nThe fund is worth \xa3100m.\r\n", "The fund is worth £100m."),
        ("\ufeffHeadline\n\nThe fund is worth £100m.\n".encode(), "The fund is worth £100m."),
    ],
    ids=["cp1252", "utf-8-with-bom"],
)
def test_read_article_decodes_the_pound_sign(tmp_path: Path, raw: bytes, story: str) -> None:
    path = tmp_path / "fund.txt"
    path.write_bytes(raw)
    article = read_article(path)
    assert (article.id, article.source) == ("fund", str(path))
    assert article.headline == "Headline"
    assert article.story == story


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"\n\n   \n", "empty article"),
        (b"Priya Chandra 3 March 2021\n\n", "no headline after the byline"),
    ],
    ids=["binary", "empty", "byline-only"],
)
def test_read_article_rejects_what_is_not_an_article(
    tmp_path: Path, raw: bytes, reason: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    with pytest.raises(InputError, match=reason):
        read_article(path)


def test_read_article_reads_an_html_page_as_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Site</title><style>p {}</style></head><body>"
        "<h1>Councils warn of care gap</h1><script>var tracker = 1;</script>"
        "<p>Councils have warned of a gap.</p><p>Demand &amp; costs are rising.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.headline == "Councils warn of care gap"
    assert article.story == "Councils have warned of a gap.\nDemand & costs are rising."


def test_find_article_files_recurses_and_skips_hidden_and_other_files(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.html",
        "nested/deeper/c.txt",
        ".hidden.txt",
        ".git/d.txt",
        "photo.png",
        "notes.pdf",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Headline\n\nStory.", encoding="utf-8")
    found = find_article_files([tmp_path, tmp_path / "b.txt"])
    assert found == [tmp_path / "a.html", tmp_path / "b.txt", tmp_path / "nested/deeper/c.txt"]


def test_find_article_files_rejects_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        find_article_files([tmp_path / "missing"])


def test_read_corpus_skips_unreadable_files_and_keeps_going(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nStory.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "c.txt").write_text("Other headline\n\nOther story.", encoding="utf-8")
    results = list(read_corpus([tmp_path]))
    assert [getattr(result, "headline", None) for result in results] == [
        "Headline",
        None,
        "Other headline",
    ]
    skipped = results[1]
    assert isinstance(skipped, SkippedFile)
    assert skipped.path == tmp_path / "b.txt"
    assert "not a text file" in skipped.reason


def test_a_saved_page_reads_from_its_h1_without_menus_or_breadcrumbs(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Councils warn | LocalGov</title>"
        "<script>var x = 'SIGN UP';</script><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/jobs'>Jobs</a></nav>"
        "<div class='breadcrumb'>News &gt; Children's Services</div>"
        "<article><p class='byline'>Martin Ford 5 July 2023</p>"
        "<h1>Councils warn of a &pound;1.6bn gap</h1>"
        "<p>County councils face a gap.</p><p>The CCN said so.</p></article>"
        "<footer><p>Sign up to our newsletter</p></footer></body></html>",
        encoding="utf-8",
    )
    article = read_article(page)
    assert (article.author, article.date) == ("Martin Ford", dt.date(2023, 7, 5))
    assert article.headline == "Councils warn of a £1.6bn gap"
    assert [s.text for s in article.sentences] == [
        "County councils face a gap.",
        "The CCN said so.",
    ]


def test_a_saved_page_without_h1_takes_its_title() -> None:
    from kg.corpus import html_to_text

    text = html_to_text(
        "<html><head><title>Ofsted rates council | Site</title></head><body><p>Body.</p></body></html>"
    )
    assert text.splitlines()[0] == "Ofsted rates council"


def test_a_date_stamp_before_the_first_line_is_the_articles_date() -> None:
    text = (
        " date 2019-03-04 Anytown Council has appointed Jane Doe as its new director of "
        "children's services, the council said on Monday.\n\nShe starts in May."
    )
    article = parse_article(text, "t1")
    assert article.date == dt.date(2019, 3, 4)
    # The first line is a whole sentence: the lead of the story as well as its headline.
    assert article.story.startswith("Anytown Council has appointed Jane Doe")
    assert article.story.endswith("She starts in May.")
