"""Reading articles: byline, headline, story without page furniture, advert block, files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus import (
    ArticleFile,
    SkippedFile,
    article_id_of,
    find_article_files,
    minted_article_id,
    parse_article,
    parse_byline,
    read_article,
    read_corpus,
    unique_article_ids,
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
    assert found == [
        ArticleFile(tmp_path / "a.html", "a"),
        ArticleFile(tmp_path / "b.txt", "b"),
        ArticleFile(tmp_path / "nested/deeper/c.txt", "nested-deeper-c-7285dca1"),
    ]


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


# ---- article ids: unique, stable, from the path under the folder walked ----------------


@pytest.mark.parametrize(
    ("relative", "article_id"),
    [
        ("000_c31a83825a9d8308.txt", "000_c31a83825a9d8308"),
        ("Report.v2.html", "Report.v2"),
        ("2019/index.html", "2019-index-8c6ac341"),
        ("2021/index.html", "2021-index-f7520b8b"),
        ("a b.txt", "a-b-cd6c4a05"),
        ("新闻.txt", "unnamed-771d94e6"),
        ("报告.txt", "unnamed-fa178e23"),
        ("Café déjà vu.txt", "cafe-deja-vu-c9fe276c"),
        # A stem that looks minted is minted itself, so it cannot take another file's id.
        ("report-3f2a9c1b.txt", "report-3f2a9c1b-69315eb0"),
    ],
)
def test_an_article_id_keeps_a_plain_name_and_mints_the_rest(
    relative: str, article_id: str
) -> None:
    assert article_id_of(PurePath(relative)) == article_id


def write_articles(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Headline of {name}\n\nStory.", encoding="utf-8")


def test_files_that_one_slug_or_one_name_would_merge_each_get_an_id(tmp_path: Path) -> None:
    names = ["新闻.txt", "报告.txt", "a b.txt", "b.txt", "2019/index.html", "2021/index.html"]
    write_articles(tmp_path, names)
    found = {
        file.path.relative_to(tmp_path).as_posix(): file.article_id
        for file in find_article_files([tmp_path])
    }
    assert found == {
        "2019/index.html": "2019-index-8c6ac341",
        "2021/index.html": "2021-index-f7520b8b",
        "a b.txt": "a-b-cd6c4a05",
        "b.txt": "b",
        "报告.txt": "unnamed-fa178e23",
        "新闻.txt": "unnamed-771d94e6",
    }
    headlines = {article.id: article.headline for article in read_corpus([tmp_path])}
    assert headlines["2021-index-f7520b8b"] == "Headline of 2021/index.html"
    assert headlines["unnamed-fa178e23"] == "Headline of 报告.txt"


def test_files_that_would_share_an_id_are_each_minted_from_their_path(tmp_path: Path) -> None:
    write_articles(tmp_path, ["a.txt", "a.html", "2019/index.html", "2021/index.html"])
    # One stem, two suffixes: each is minted from its path under the folder.
    found = find_article_files([tmp_path / "a.txt", tmp_path / "a.html"])
    assert [file.article_id for file in found] == ["a-18b7cb09", "a-7aa267cf"]
    # One name at the top of two folders walked: each is minted from its whole path.
    roots = find_article_files([tmp_path / "2019", tmp_path / "2021"])
    assert [file.article_id for file in roots] == [
        minted_article_id(tmp_path / "2019/index.html"),
        minted_article_id(tmp_path / "2021/index.html"),
    ]
    assert roots[0].article_id != roots[1].article_id
    assert roots[0].article_id.endswith("-2019-index-" + roots[0].article_id[-8:])


def test_a_file_with_no_extension_is_read_only_when_named(tmp_path: Path) -> None:
    write_articles(tmp_path, ["Makefile", "LICENSE", "story.txt"])
    assert [file.path.name for file in find_article_files([tmp_path])] == ["story.txt"]
    named = find_article_files([tmp_path / "Makefile"])
    assert named == [ArticleFile(tmp_path / "Makefile", "Makefile")]
    assert read_article(tmp_path / "Makefile").headline == "Headline of Makefile"


# ---- decoding: per character, not per file --------------------------------------------

LONG_STORY = "Councils have warned of a growing gap in children’s care funding. " * 150  # > 8 KB


def test_one_cp1252_byte_in_utf8_text_is_repaired_alone(tmp_path: Path) -> None:
    text = "Headline\n\nMs O’Neill’s review costs £40,000; it was welcomed.\n"
    raw = text.encode("utf-8").replace("£".encode(), b"\xa3")  # a £ pasted from a cp1252 page
    path = tmp_path / "mixed.txt"
    path.write_bytes(raw)
    article = read_article(path)
    assert article.story == "Ms O’Neill’s review costs £40,000; it was welcomed."
    assert article.repairs == ("1 byte not UTF-8 read as cp1252",)


def test_a_cp1252_file_is_read_as_cp1252_without_a_repair(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Headline\n\nMs O’Neill’s review costs £40,000.\n".encode("cp1252"))
    article = read_article(path)
    assert article.story == "Ms O’Neill’s review costs £40,000."
    assert article.repairs == ()


@pytest.mark.parametrize("offset", [20, 9000], ids=["in-the-first-8-kb", "after-8-kb"])
def test_a_stray_nul_is_dropped_wherever_it_is(tmp_path: Path, offset: int) -> None:
    story = LONG_STORY[:offset] + " Ann Bo\0b chairs the board. " + LONG_STORY[offset:]
    path = tmp_path / "nul.txt"
    path.write_text(f"Headline\n\n{story}\n", encoding="utf-8")
    article = read_article(path)
    assert "Ann Bob chairs the board." in article.story
    assert "\0" not in article.story
    assert article.repairs == ("1 NUL or other control character dropped",)


def test_control_bytes_that_are_not_a_stray_make_a_file_binary_wherever_they_are(
    tmp_path: Path,
) -> None:
    path = tmp_path / "padded.txt"
    path.write_bytes(("Headline\n\n" + LONG_STORY).encode() + b"\0" * 4096)
    with pytest.raises(InputError, match=r"not a text file \(4096 control characters\)"):
        read_article(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_file_with_a_unicode_byte_order_mark_is_read_in_its_encoding(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "wide.txt"
    text = "Headline\n\nMs O’Neill’s review costs £40,000.\n"
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw  # Python writes the mark only for "utf-16"
    path.write_bytes(raw)
    article = read_article(path)
    assert (article.headline, article.story) == ("Headline", "Ms O’Neill’s review costs £40,000.")
    assert article.repairs == ()


def test_a_page_saved_as_utf16_is_read_as_a_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    page = "<!DOCTYPE html><html><body><h1>Council’s plan</h1><p>It costs £5m.</p></body></html>"
    path.write_bytes(page.encode("utf-16"))
    article = read_article(path)
    assert (article.headline, article.story) == ("Council’s plan", "It costs £5m.")


# ---- properties ------------------------------------------------------------------------

# What a hostile corpus holds: any bytes, text in any encoding, pages that open like HTML
# and declare charsets Python knows but cannot decode text in, and byte-order marks.
HOSTILE_OPENINGS = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"<!DOCTYPE html><h1>",
    b"<html><meta charset=utf-7><h1>",
    b"<html><meta charset=idna><h1>",
    b"<html><meta charset=rot13><h1>",
    b"<html><meta charset=utf-16><h1>",
    b"Priya Chandra 3 March 2021\n",
]
HOSTILE_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.tuples(st.sampled_from(HOSTILE_OPENINGS), st.binary(max_size=3000)).map(b"".join),
    st.tuples(
        st.sampled_from(HOSTILE_OPENINGS),
        st.text(max_size=2000),
        st.sampled_from(["utf-8", "utf-16-le", "utf-7", "cp1252"]),
    ).map(lambda parts: parts[0] + parts[1].encode(parts[2], errors="replace")),
)


@settings(deadline=None)
@given(raw=HOSTILE_BYTES)
def test_the_reader_raises_nothing_but_an_input_error_on_any_bytes(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("hostile") / "article.txt"
    path.write_bytes(raw)
    try:
        article = read_article(path)
    except InputError as error:
        assert str(error).startswith(f"{path}: ")
        return
    text = "".join([article.headline, article.story, article.advert_block, article.author or ""])
    # Nothing a literal cannot hold: no control characters, no lone surrogates.
    assert not any(ord(c) < 0x20 and c not in "\t\n\r\x0b\x0c\x1b" for c in text)
    text.encode("utf-8")


# A file or folder name: any characters a POSIX file name may hold, and no "." or "..".
NAME = st.text(
    st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda name: name not in {".", ".."})
RELATIVE_PATHS = st.sets(
    st.lists(NAME, min_size=1, max_size=3).map(lambda parts: PurePath(*parts)),
    min_size=2,
    max_size=12,
)


# Folders walked together, one inside another: the same file can be found under both.
ROOTS = st.sampled_from([Path("/corpus"), Path("/corpus/2019"), Path("/news"), Path("news")])


@given(found=st.lists(st.tuples(ROOTS, RELATIVE_PATHS), min_size=1, max_size=3))
def test_distinct_files_get_distinct_article_ids(found: list[tuple[Path, set[PurePath]]]) -> None:
    relatives: dict[Path, PurePath] = {}
    for root, paths in found:
        for relative in paths:
            relatives.setdefault(root / relative, relative)  # found once, as a walk finds it
    ids = unique_article_ids(relatives)
    assert len(set(ids.values())) == len(relatives)
