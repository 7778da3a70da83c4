"""Reading saved web pages: trafilatura's story and metadata, kg's adverts and fallbacks.

Every page here is written for the tests: invented councils, people and stories.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import SDO

from kg.build import build
from kg.cli import main
from kg.corpus import extract_main_text, parse_saved_page, read_article
from kg.errors import InputError
from kg.extract.jobs import extract as extract_jobs
from kg.model import JobAdvert

STORY = [
    "Northmoor Borough Council has opened its first family hub in Eastbridge, bringing "
    "health visitors, early help workers and debt advisers under one roof.",
    "The hub, in the former library on Mill Street, will be open six days a week and is "
    "expected to see 2,000 families in its first year.",
    "Cllr Denise Marlow, cabinet member for children and families, said: ‘Parents told us "
    "they were tired of telling their story five times to five different services.’",
    "The council plans to open two more hubs, in Harrowgate and Linthorpe, by the end of "
    "next year, paid for from the Department for Education's family hubs programme.",
]
HEADLINE = "Northmoor opens family hub in Eastbridge"

# Page furniture around the story, each with a phrase that must not reach the story.
COOKIE_BANNER = (
    "<div class='cookie-banner' id='cookie-consent'><p>We use cookies to make this site "
    "work and to understand how you use it. Accept all cookies or manage your preferences."
    "</p><button>Accept all cookies</button></div>"
)
MENU = (
    "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
    "<li><a href='/social-care'>Social care</a></li><li><a href='/events'>Events and "
    "awards</a></li></ul></nav><div class='breadcrumb'><a href='/news'>News</a> &gt; "
    "<a href='/news/children'>Children's services</a></div></header>"
)
SHARE_BUTTONS = (
    "<div class='share'><a href='#'>Share on Facebook</a> <a href='#'>Share on LinkedIn</a></div>"
)
RELATED_BOX = (
    "<aside class='related-articles'><h3>Related articles</h3><ul>"
    "<li><a href='/a'>Ofsted praises Westfold fostering service after its inspection</a></li>"
    "<li><a href='/b'>Councils warn of a special needs deficit of two billion pounds</a></li>"
    "</ul></aside>"
)
NEWSLETTER = (
    "<div class='newsletter-signup'><h3>Sign up to our daily bulletin</h3><p>Get the latest "
    "children's services news in your inbox every morning, free of charge.</p><form>"
    "<input type='email' placeholder='Your email address'><button>Subscribe</button></form></div>"
)
FOOTER = (
    "<footer><p>© 2024 Civic Care Weekly Ltd. All rights reserved.</p><p><a href='/privacy'>"
    "Privacy policy</a> | <a href='/terms'>Terms and conditions</a> | <a href='/contact'>"
    "Contact us</a></p></footer>"
)
FURNITURE_PHRASES = [
    "We use cookies",
    "Accept all cookies",
    "Events and awards",
    "Children's services",
    "Share on Facebook",
    "Related articles",
    "Ofsted praises Westfold fostering service",
    "Sign up to our daily bulletin",
    "in your inbox every morning",
    "All rights reserved",
    "Privacy policy",
]

META_TAGS = (
    f"<meta property='og:title' content='{HEADLINE}'>"
    "<meta name='author' content='Hannah Okafor'>"
    "<meta property='article:published_time' content='2024-02-12T09:30:00+00:00'>"
    "<link rel='canonical' href='https://civiccare.example.org/news/northmoor-family-hub'>"
)
JSON_LD = (
    "<script type='application/ld+json'>"
    '{"@context": "https://schema.org", "@type": "NewsArticle", '
    f'"headline": "{HEADLINE}", "author": {{"@type": "Person", "name": "Hannah Okafor"}}, '
    '"datePublished": "2024-02-12T09:30:00Z", '
    '"url": "https://civiccare.example.org/news/northmoor-family-hub"}'
    "</script>"
)


def news_page(
    head: str = META_TAGS,
    story: list[str] = STORY,
    after_story: str = "",
    blocks: list[str] | None = None,
) -> str:
    """A page of the story (or of `blocks`, elements as they are) among page furniture."""
    blocks = blocks or [f"<p>{paragraph}</p>" for paragraph in story]
    # The related box sits inside the article, between paragraphs, as on many news sites.
    body = "".join([*blocks[:2], RELATED_BOX, *blocks[2:]])
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<title>{HEADLINE} | Civic Care Weekly</title>{head}</head><body>"
        f"{COOKIE_BANNER}{MENU}<main><article><h1>{HEADLINE}</h1>{SHARE_BUTTONS}{body}"
        f"</article>{NEWSLETTER}{after_story}</main>{FOOTER}</body></html>"
    )


def write_page(tmp_path: Path, html: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    if isinstance(html, str):
        path.write_text(html, encoding="utf-8")
    else:
        path.write_bytes(html)
    return path


def test_the_story_keeps_its_sentences_and_loses_the_furniture(tmp_path: Path) -> None:
    article = read_article(write_page(tmp_path, news_page()))
    assert article.story == "\n".join(STORY)
    assert [sentence.text for sentence in article.sentences] == STORY
    leaked = [phrase for phrase in FURNITURE_PHRASES if phrase in article.story]
    assert leaked == []


@pytest.mark.parametrize("head", [META_TAGS, JSON_LD], ids=["meta-tags", "json-ld"])
def test_headline_author_and_date_come_from_the_page(tmp_path: Path, head: str) -> None:
    article = read_article(write_page(tmp_path, news_page(head=head)))
    assert article.headline == HEADLINE
    assert article.author == "Hannah Okafor"
    assert article.date == dt.date(2024, 2, 12)
    assert (article.id, article.source) == ("page", str(tmp_path / "page.html"))


def test_the_main_text_carries_the_pages_address() -> None:
    main_text = extract_main_text(news_page())
    assert main_text is not None
    assert main_text.url == "https://civiccare.example.org/news/northmoor-family-hub"
    assert (main_text.title, main_text.author) == (HEADLINE, "Hannah Okafor")


def test_the_article_and_its_graph_carry_the_pages_address(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    page = write_page(tmp_path / "pages", news_page())
    address = "https://civiccare.example.org/news/northmoor-family-hub"
    assert read_article(page).url == address
    build([page.parent], tmp_path / "out", workers=1, html=False)
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    [(article, headline)] = graph.subject_objects(SDO.headline)
    assert graph.value(article, SDO.url) == URIRef(address)
    assert str(headline) == HEADLINE


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://example.org/story", "/news/relative-only"]
)
def test_an_address_that_is_no_web_address_is_left_out(tmp_path: Path, address: str) -> None:
    head = META_TAGS.replace("https://civiccare.example.org/news/northmoor-family-hub", address)
    assert read_article(write_page(tmp_path, news_page(head=head))).url is None


def test_a_date_in_the_story_is_not_taken_for_the_pages_date(tmp_path: Path) -> None:
    story = [*STORY[:3], "The council must report on the hubs to the minister by 31 March 2025."]
    article = read_article(write_page(tmp_path, news_page(head="", story=story)))
    assert article.date is None
    assert article.story.endswith("by 31 March 2025.")


def test_a_byline_in_the_text_gives_author_and_date_when_the_page_has_no_metadata(
    tmp_path: Path,
) -> None:
    page = news_page(head="").replace(
        SHARE_BUTTONS, "<p class='byline'>Hannah Okafor 12 February 2024</p>"
    )
    article = read_article(write_page(tmp_path, page))
    assert (article.author, article.date) == ("Hannah Okafor", dt.date(2024, 2, 12))
    assert article.story == "\n".join(STORY)


ADVERTS = (
    "<div class='jobs-widget'><h3>Social care jobs</h3>"
    "<div class='advert'><h4>Senior Practitioner - Fostering</h4><p>Linthorpe Borough Council"
    "</p><p>£41,000 - £45,500 per annum</p><p>Senior Practitioner Permanent, Full Time</p>"
    "<p>Recruiter: Linthorpe Borough Council</p></div>"
    "<div class='advert'><h4>Independent Reviewing Officer</h4><p>Northmoor Borough Council"
    "</p><p>£46,200 - £49,800</p><p>An independent reviewing officer post.</p>"
    "<p>Recruiter: Northmoor Borough Council</p></div></div>"
)


def test_the_adverts_beside_the_story_are_found_by_kgs_reader(tmp_path: Path) -> None:
    article = read_article(write_page(tmp_path, news_page(after_story=ADVERTS)))
    assert article.story == "\n".join(STORY)
    assert article.advert_block == (
        "Senior Practitioner - Fostering\n\nLinthorpe Borough Council\n"
        "£41,000 - £45,500 per annum\nSenior Practitioner Permanent, Full Time\n"
        "Recruiter: Linthorpe Borough Council\n\nIndependent Reviewing Officer\n\n"
        "Northmoor Borough Council\n£46,200 - £49,800\nAn independent reviewing officer post.\n"
        "Recruiter: Northmoor Borough Council"
    )
    adverts = [fact for fact in extract_jobs(article) if isinstance(fact, JobAdvert)]
    assert [
        (advert.title, advert.council, advert.salary.minimum, advert.salary.maximum)
        for advert in adverts
    ] == [
        ("Senior Practitioner - Fostering", "Linthorpe Borough Council", 41000.0, 45500.0),
        ("Independent Reviewing Officer", "Northmoor Borough Council", 46200.0, 49800.0),
    ]


def test_adverts_inside_the_main_text_are_cut_from_the_story(tmp_path: Path) -> None:
    page = news_page().replace("</article>", f"{ADVERTS}</article>")
    article = read_article(write_page(tmp_path, page))
    assert article.story == "\n".join(STORY)
    assert "Recruiter: Northmoor Borough Council" in article.advert_block


def test_a_page_whose_text_trafilatura_sets_aside_is_read_by_kgs_reader() -> None:
    # trafilatura drops a box of class "comments"; kg's line reader reads what it holds.
    page = (
        f"<html><body><h1>{HEADLINE}</h1><div class='comments'>"
        f"<p>{STORY[0]}</p><p>{STORY[1]}</p></div></body></html>"
    )
    article = parse_saved_page(page, "hub")
    assert article.headline == HEADLINE
    assert article.story == "\n".join(STORY[:2])


def test_a_page_trafilatura_fails_on_is_read_by_kgs_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser blew up")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    article = parse_saved_page(news_page(), "hub")
    # kg's line reader reads from the <h1>, and drops menus and asides but not every box.
    assert article.headline == HEADLINE
    assert [paragraph for paragraph in STORY if paragraph in article.story] == STORY
    assert "We use cookies" not in article.story
    assert "Related articles" not in article.story


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (b"<!DOCTYPE html><html><body></body></html>", "empty article"),
        (
            b"<html><body><nav><a href='/'>Home</a></nav><footer>Contact us</footer></body></html>",
            "empty article",
        ),
        (b"<html>\x00\x01\x02\x03<body>", "not a text file"),
    ],
    ids=["empty", "menu-only", "binary"],
)
def test_a_page_with_no_article_is_refused_in_one_line(
    tmp_path: Path, page: bytes, reason: str
) -> None:
    with pytest.raises(InputError, match=reason):
        read_article(write_page(tmp_path, page))


def test_kg_build_skips_a_page_with_no_article_without_a_traceback(tmp_path: Path) -> None:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    write_page(corpus, news_page(), "hub.html")
    write_page(corpus, b"<html><body><nav>Home</nav></body></html>", "menu.html")
    result = CliRunner().invoke(
        main, ["build", str(corpus), "--out", str(tmp_path / "out"), "--no-html"]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"skipped {corpus / 'menu.html'}: empty article" in " ".join(result.output.split())


@pytest.mark.parametrize(
    "opening",
    [
        "\ufeff<!DOCTYPE html>",
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>',
        "\n\n<!-- cached copy, saved by the archive -->\n<!doctype html>",
        "<script>var analytics = 1;</script>",
    ],
    ids=["byte-order-mark", "xml-declaration", "comment", "script-first"],
)
def test_a_page_is_read_as_a_page_whatever_comes_before_its_html(
    tmp_path: Path, opening: str
) -> None:
    page = news_page().replace("<!DOCTYPE html>", opening)
    article = read_article(write_page(tmp_path, page))
    assert article.headline == HEADLINE
    assert article.story == "\n".join(STORY)


def test_a_page_is_decoded_in_the_charset_it_declares(tmp_path: Path) -> None:
    story = "Ms O’Neill’s review of Northmoor’s children’s homes costs £40,000 a year."
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>"
        f"</head><body><h1>{HEADLINE}</h1><p>{story}</p></body></html>"
    )
    article = read_article(write_page(tmp_path, page.encode("cp1252")))
    assert article.story == story


def test_a_utf8_page_with_a_broken_character_is_read_as_a_browser_shows_it(
    tmp_path: Path,
) -> None:
    page = news_page().encode("utf-8").replace(b"Linthorpe", b"Linth\xc3rpe")
    article = read_article(write_page(tmp_path, page))
    assert "Harrowgate and Linth\ufffdrpe" in article.story
    assert article.sentences[0].text == STORY[0]


@pytest.mark.parametrize("charset", ["rot13", "base64", "idna", "utf-16", "no-such-charset"])
def test_a_page_declaring_a_charset_it_cannot_be_in_is_read_as_utf8(
    tmp_path: Path, charset: str
) -> None:
    page = f"<html><head><meta charset='{charset}'></head><body><h1>{HEADLINE}</h1>"
    page += "<p>Ms O’Neill’s review costs £40,000.</p></body></html>"
    article = read_article(write_page(tmp_path, page))
    assert (article.headline, article.story) == (HEADLINE, "Ms O’Neill’s review costs £40,000.")


def test_a_lone_surrogate_from_a_declared_charset_becomes_a_replacement_character(
    tmp_path: Path,
) -> None:
    # "+2AA-" is UTF-7 for the lone surrogate U+D800, which no graph file could hold.
    page = f"<html><meta charset=utf-7><body><h1>{HEADLINE}</h1><p>Costs +2AA- rose.</p>"
    article = read_article(write_page(tmp_path, page))
    assert article.story == "Costs \ufffd rose."
    assert article.repairs == ("1 lone surrogate made U+FFFD",)


def test_tables_and_lists_in_the_story_are_plain_text() -> None:
    blocks = [
        *(f"<p>{paragraph}</p>" for paragraph in STORY[:2]),
        "<table><tr><th>Year</th><th>Families</th></tr><tr><td>2024</td><td>2,000</td></tr></table>",
        "<ul><li>Health visiting on Mondays and Thursdays</li><li>Debt advice every morning</li></ul>",
        f"<p>{STORY[3]}</p>",
    ]
    article = parse_saved_page(news_page(blocks=blocks), "hub")
    assert article.story.split("\n") == [
        *STORY[:2],
        "Year | Families",
        "2024 | 2,000",
        "Health visiting on Mondays and Thursdays",
        "Debt advice every morning",
        STORY[3],
    ]


def test_a_page_reads_the_same_however_often_it_is_read() -> None:
    # trafilatura's deduplication, off in kg, would drop paragraphs it had seen before.
    stories = {parse_saved_page(news_page(), "hub").story for _ in range(4)}
    assert stories == {"\n".join(STORY)}


def test_trafilatura_is_imported_only_when_a_page_is_read(tmp_path: Path) -> None:
    text_file = write_page(tmp_path, "Headline\n\nThe council agreed.\n", "story.txt")
    probe = (
        "import sys; import kg.cli, kg.build; from kg.corpus import read_article; "
        f"from pathlib import Path; read_article(Path({str(text_file)!r})); "
        "print('trafilatura' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
