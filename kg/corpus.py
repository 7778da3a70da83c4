"""Read article files into `Article` records: header, story, advert block.

The samples' shape: an optional first line `Author Name DD Month YYYY`, the headline,
the story, then page furniture: a newsletter box (`SIGN UP`), a `Highways jobs` block
of adverts, magazine promos (`Public Property`, `Latest issue`), teasers for other
stories and `Linkedin Banner`. Story extractors must never see the furniture, so it is
cut here, once.

A saved web page is read twice. trafilatura finds its main text and its metadata (title,
author, date, address); kg's own line reader (`html_to_text`) gives the page as lines, in
which the block of job adverts, kept out of the main text by any good extractor, is found
as in a text file. When trafilatura finds no text, the line reader reads the story as well.

Every file found is given an article id no other file of the build has, from its path
under the folder walked (`article_id_of`, `unique_article_ids`): saved pages are all
`index.html`, and names in other scripts share no slug. A file is decoded a character at a
time, not all in one encoding: a cp1252 byte in UTF-8 text is repaired alone, and what had
to be repaired travels with the article (`Article.repairs`) for the build to tell.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePath

from kg.errors import InputError
from kg.model import Article
from kg.sentences import split_sentences

logger = logging.getLogger(__name__)

# The files a folder walk reads. A file with no extension is read only when named on the
# command line: in a folder it is far more often a `Makefile` or a `LICENSE` than an article.
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm"})

# "Laura Sharman 10 September 2019": a byline with the date at the end of the line.
BYLINE = re.compile(
    r"""^(?P<author>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s+
        (?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>(?:19|20)\d{2})\s*$""",
    re.VERBOSE,
)

# Lines that open page furniture: everything after them is not the story.
FURNITURE_START = re.compile(
    r"""^(?:SIGN\ UP|For\ your\ free\ (?:daily\ )?news\ bulletin|[A-Z][A-Za-z]*(?:\ [A-Za-z]+){0,2}\ jobs
        |Public\ Property|Latest\ issue\b.*|Linkedin\ Banner|Join\ our\ mailing\ list
        |Register\ for\ your\ free\ digital\ issue|Related\ (?:articles|stories)
        |For\ more\ on\ this\ story\ visit\b.*|Share\ this\ article|Read\ more:?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# The heading of the block of job adverts.
JOBS_HEADING = re.compile(r"^[A-Z][A-Za-z]*(?: [A-Za-z]+){0,2} jobs\s*$")
# An advert ends with its recruiter line; the samples spell it "Recuriter:".
RECRUITER_LINE = re.compile(r"^\s*Rec(?:ru|ur)iter:\s*\S", re.IGNORECASE)
# A photo caption is the photo's title plus " image"; the samples put one under the headline
# and one above each teaser for another story.
IMAGE_CAPTION = re.compile(r"^(?P<title>.{8,200}?)\s+image\s*$")

# A saved page opens with a tag, after any byte-order mark, XML declaration and comments
# (`<?xml version="1.0"?>\n<!-- cached -->\n<!DOCTYPE html>`); not always `<html>`: some
# open with a stray `<script>`, `<meta>` or a server's `<br /><b>Warning</b>`.
HTML_START = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*
        <(?:!doctype\s+html|[a-z][a-z0-9]*[\s/>])""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
# How far into a file its opening is looked for: long comments come before some pages' tags.
HTML_START_BYTES = 8192
# The charset a page declares: `<meta charset="windows-1250">` or
# `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">`.
DECLARED_CHARSET = re.compile(
    rb"""<meta\b[^>]{0,200}?charset\s*=\s*["']?(?P<charset>[A-Za-z0-9_.:-]+)""", re.I
)
# Browsers read a page declared Latin-1 or ASCII as windows-1252, whose curly quotes
# Latin-1 lacks, and one declared UTF-16 or UTF-32 without a byte-order mark as UTF-8 (its
# bytes, which the declaration was read from, are not UTF-16); so does kg.
BROWSER_CHARSETS = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
    "utf-32": "utf-8",
    "x-user-defined": "cp1252",
}
# A byte-order mark says the encoding: UTF-32's are tried first, since UTF-32-LE's starts
# with UTF-16-LE's.
UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What `surrogateescape` makes of each byte that is not UTF-8: U+DC80 to U+DCFF.
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
# Each escaped byte read as cp1252, whose `£` and curly quotes old CMS exports pasted into
# UTF-8 text; the five bytes cp1252 leaves undefined become U+FFFD.
ESCAPED_BYTE_AS_CP1252 = {
    0xDC00 + byte: bytes([byte]).decode("cp1252", errors="replace") for byte in range(0x80, 0x100)
}
# A character of UTF-8 text beyond ASCII that was decoded, not escaped.
DECODED_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
# A lone surrogate, which no UTF-8 output can hold: what a page declared UTF-7 can decode to.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters that never occur in text: NUL and the other C0 controls but tab, the line and
# page breaks and escape.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# In an image, a PDF or an executable control characters are several in a hundred; in text,
# a stray NUL from a broken export (`Ann Bo\0b`) is one in thousands. Below this share they
# are dropped wherever they are in the file; above it the file is not text.
BINARY_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file that was found but could not be read as an article."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class RepairedFile:
    """A file read as an article after repairs to its text, each said in a few words."""

    path: Path
    repairs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text, and what was repaired to read it ("2 bytes not UTF-8 read as cp1252")."""

    text: str
    repairs: tuple[str, ...] = ()


def decode_article_bytes(raw: bytes, path: Path) -> DecodedText:
    """Decode a text file: by its byte-order mark if it has a UTF-16 or UTF-32 one, else as
    UTF-8 (with or without BOM) in which each byte that is not UTF-8 is read as cp1252.

    A file with no UTF-8 character in it is a cp1252 file, as some CMS exports are, and is
    read as such without a word; one with both (a `£` pasted from a cp1252 page into UTF-8
    text) is repaired one byte at a time, and says so, so every `’` stays a `’`.
    """
    for bom, encoding in UNICODE_BOMS:
        if raw.startswith(bom):
            try:
                return _finished(raw.decode(encoding), path)
            except UnicodeDecodeError:
                if encoding == "utf-32":
                    continue  # UTF-16-LE whose first character is a NUL
                text = raw.decode(encoding, errors="replace")
                return _finished(text, path, [f"bytes not {encoding.upper()} made U+FFFD"])
    try:
        return _finished(raw.decode("utf-8-sig"), path)
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    escaped = len(ESCAPED_BYTE.findall(text))
    utf8 = raw.startswith(codecs.BOM_UTF8) or DECODED_NON_ASCII.search(text)
    text = text.translate(ESCAPED_BYTE_AS_CP1252)
    repairs: list[str] = []
    if utf8:
        repairs.append(f"{_count(escaped, 'byte')} not UTF-8 read as cp1252")
    elif "\ufffd" in text:
        undefined = text.count("\ufffd")  # no UTF-8 in the file: none was there before
        repairs.append(f"{_count(undefined, 'byte')} undefined in cp1252 made U+FFFD")
    return _finished(text, path, repairs)


def decode_page_bytes(raw: bytes, path: Path) -> DecodedText:
    """Decode a saved page as a browser does: in the charset it declares, a byte that is
    not of it (a UTF-8 character cut in half) made U+FFFD; a page with a byte-order mark,
    one that declares no charset, or one Python cannot decode in it, as
    `decode_article_bytes` decodes a text file."""
    head = raw[:8192]
    declared = DECLARED_CHARSET.search(head)
    charset = declared["charset"].decode("ascii").lower() if declared else ""
    codec = BROWSER_CHARSETS.get(charset, charset)
    if not codec or raw.startswith((codecs.BOM_UTF8, *(bom for bom, _ in UNICODE_BOMS))):
        return decode_article_bytes(raw, path)
    try:
        text = raw.decode(codec, errors="replace")
    except (LookupError, UnicodeError):
        # A charset Python does not know, a codec that is not a text encoding ("base64",
        # "rot13"), or one that cannot replace what it cannot decode ("idna").
        return decode_article_bytes(raw, path)
    # Only a declared codec gives lone surrogates (UTF-7 does); UTF-8, cp1252, UTF-16 and
    # UTF-32 as decoded above never do.
    surrogates = len(LONE_SURROGATE.findall(text))
    if surrogates:
        text = LONE_SURROGATE.sub("\ufffd", text)
        return _finished(text, path, [f"{_count(surrogates, 'lone surrogate')} made U+FFFD"])
    return _finished(text, path)


def _finished(text: str, path: Path, repairs: Iterable[str] = ()) -> DecodedText:
    """The text without control characters, or `InputError` if there are so many that the
    file is not text."""
    repairs = list(repairs)
    dropped = len(CONTROL_CHARACTER.findall(text))
    if dropped > len(text) * BINARY_SHARE:
        raise InputError(f"{path}: not a text file ({_count(dropped, 'control character')})")
    if dropped:
        text = CONTROL_CHARACTER.sub("", text)
        repairs.append(f"{_count(dropped, 'NUL or other control character')} dropped")
    return DecodedText(text, tuple(repairs))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class _HtmlToLines(HTMLParser):
    """The visible text of a saved page, one block element a line, with where the <h1> is.

    A heading is followed by a blank line, as in the text exports of the samples, where a
    job advert's only blank line follows its title: that is how an advert's start is found.
    """

    SKIPPED = frozenset(
        {"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "aside", "form"}
    )
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}
        | {"header", "blockquote", "ul", "ol", "figure", "figcaption", "time", "span"}
    )
    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.title = ""
        self.headline_at: int | None = None
        self._current: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.SKIPPED:
            self._skip_depth += 1
        elif tag in self.BLOCKS:
            self._flush()
            self._in_h1 = tag == "h1" or self._in_h1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self.BLOCKS:
            if tag == "h1" and self.headline_at is None and self._current:
                self.headline_at = len(self.lines)
            flushed = len(self.lines)
            self._flush()
            if tag in self.HEADINGS and len(self.lines) > flushed:
                self.lines.append("")
            if tag == "h1":
                self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self._current.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self._current).split())
        if line:
            self.lines.append(line)
        self._current = []

    def text(self) -> str:
        """The page as the reader expects an article: byline, headline, story."""
        self._flush()
        lines = self.lines
        if self.headline_at is None:
            title = re.split(r"\s+[|–—-]\s+", " ".join(self.title.split()))[0]
            return "\n".join([title, "", *lines] if title else lines)
        # Breadcrumbs and menus before the <h1> are not the story; a byline near it is kept.
        near = lines[max(0, self.headline_at - 3) : self.headline_at + 4]
        byline = next((line for line in near if parse_byline(line)), None)
        story = [line for line in lines[self.headline_at :] if line != byline]
        return "\n".join([byline, *story] if byline else story)


def html_to_text(html: str) -> str:
    parser = _HtmlToLines()
    parser.feed(html)
    parser.close()
    return parser.text()


def parse_byline(line: str) -> tuple[str, dt.date] | None:
    """`Laura Sharman 10 September 2019` → ("Laura Sharman", date(2019, 9, 10))."""
    match = BYLINE.match(line.strip())
    if not match:
        return None
    stamp = f"{match['day']} {match['month'][:3].title()} {match['year']}"
    try:
        date = dt.datetime.strptime(stamp, "%d %b %Y").date()
    except ValueError:
        return None
    return match["author"], date


# A paragraph of story, not a teaser or a menu item: long enough to be prose.
PARAGRAPH_LENGTH = 80


def _paragraphs_follow(lines: list[str], start: int) -> bool:
    following = [line.strip() for line in lines[start : start + 8] if line.strip()]
    return sum(len(line) >= PARAGRAPH_LENGTH for line in following[:3]) >= 2


def _story_end(lines: list[str], start: int, headline: str) -> int:
    """Index of the first line after the story: furniture, or a teaser for another story."""
    prose_lines = 0
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if RECRUITER_LINE.match(line):
            return index
        if FURNITURE_START.match(line):
            # Furniture above the story ("Related Stories" under a photo caption) is
            # skipped when paragraphs of story follow; anywhere else it ends the story.
            if prose_lines <= 1 and _paragraphs_follow(lines, index + 1):
                continue
            return index
        if line:
            prose_lines += 1
        caption = IMAGE_CAPTION.match(line)
        if caption and _loose(caption["title"]) != _loose(headline):
            return index
    return len(lines)


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


# How many lines after the last complete advert may hold a cut-off one.
TRUNCATED_ADVERT_LINES = 12


def _advert_block(lines: list[str], story_end: int) -> str:
    """The adverts: from the jobs heading (or the story's end) to the last recruiter line."""
    recruiter_lines = [i for i in range(story_end, len(lines)) if RECRUITER_LINE.match(lines[i])]
    headings = [i for i in range(story_end, len(lines)) if JOBS_HEADING.match(lines[i].strip())]
    if not recruiter_lines and not headings:
        return ""
    start = story_end
    for index in headings:
        if not recruiter_lines or index < recruiter_lines[0]:
            start = index + 1
    kept: list[str] = []
    segment: list[str] = []
    last = recruiter_lines[-1] + 1 if recruiter_lines else start
    for line in lines[start:last]:
        segment.append(line)
        if RECRUITER_LINE.match(line):
            kept.extend(segment[_advert_title_index(segment) :])
            kept.append("")
            segment = []
    # A page cut off mid-advert: the last advert's first lines, with no recruiter line.
    tail = [line.strip() for line in lines[last : last + TRUNCATED_ADVERT_LINES] if line.strip()]
    if tail and not FURNITURE_START.match(tail[0]):
        kept.extend(tail)
    return "\n".join(kept).strip("\n")


def _advert_title_index(segment: list[str]) -> int:
    """Where an advert starts in the lines up to its recruiter line.

    An advert's only blank line follows its title, so whatever comes before the title (a
    magazine promo between two adverts, a teaser) is not part of it.
    """
    for blank in range(len(segment) - 2, 0, -1):
        if not segment[blank].strip():
            before = [i for i in range(blank) if segment[i].strip()]
            if before:
                return before[-1]
    return 0


def parse_article(text: str, article_id: str, source: str = "") -> Article:
    """Split the text of one article into header, story sentences and advert block."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    cursor = 0

    def next_content_line() -> int | None:
        nonlocal cursor
        while cursor < len(lines) and not lines[cursor].strip():
            cursor += 1
        return cursor if cursor < len(lines) else None

    author: str | None = None
    date: dt.date | None = None
    first = next_content_line()
    if first is None:
        raise InputError(f"{source or article_id}: empty article")
    byline = parse_byline(lines[first])
    if byline:
        author, date = byline
        cursor += 1
        first = next_content_line()
        if first is None:
            raise InputError(f"{source or article_id}: no headline after the byline")
    headline = lines[first].strip()
    cursor = first + 1
    # Some exports put the date before the first line: "date 2017-04-04 Anytown Council has
    # appointed ..."; the date is the article's, the rest its first line.
    stamped = DATE_STAMP.match(headline)
    if stamped:
        date = date or _iso_date(stamped["date"])
        headline = stamped["rest"].strip()
    # A text without a headline opens with its lead sentence, which is story as well:
    # "Ministers have announced £5m for councils to recruit foster carers."
    lead = [headline] if LEAD_SENTENCE.match(headline) else []

    end = _story_end(lines, cursor, headline)
    story = "\n".join(lead + _story_lines(lines[cursor:end], headline))
    return Article(
        id=article_id,
        source=source,
        headline=headline,
        author=author,
        date=date,
        story=story,
        sentences=tuple(split_sentences(story)),
        advert_block=_advert_block(lines, end),
    )


def _story_lines(lines: list[str], headline: str) -> list[str]:
    """The story's lines, stripped, without blank lines, furniture and the headline's photo."""
    kept = []
    for line in lines:
        stripped = line.strip()
        caption = IMAGE_CAPTION.match(stripped)
        if not stripped or (caption and _loose(caption["title"]) == _loose(headline)):
            continue
        if FURNITURE_START.match(stripped):
            continue
        kept.append(stripped)
    return kept


DATE_STAMP = re.compile(r"^date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<rest>\S.*)$", re.I)


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


LEAD_SENTENCE = re.compile(r"^(?=(?:\S+\s+){11})[A-Z].*[.!?][’”'\"]?$")


@dataclass(frozen=True, slots=True)
class MainText:
    """What trafilatura finds in a saved page: the main text, one paragraph a line, and the
    page's metadata, each None when the page does not give it."""

    text: str
    title: str | None
    author: str | None
    date: dt.date | None
    url: str | None


# htmldate's date search, fixed so a page reads the same on any day: it takes the date the
# page was first published, looks only where pages put it (markup, metadata, the address)
# rather than at any date in the text, and its latest allowed date is a constant, not today.
PAGE_DATE_SEARCH = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}


def extract_main_text(html: str) -> MainText | None:
    """The main text and metadata of a saved page, by trafilatura; None if it finds no text.

    Runs offline on the string alone, and the same page always gives the same result.
    """
    # Imported here: it takes a good part of a second, and only saved pages need it.
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            # On trafilatura's evaluation set (benchmarks/bench_reader.py) favouring
            # precision gives P 0.92 R 0.92 where the balanced mode gives P 0.91 R 0.94:
            # kg takes fewer menus and teasers read as story, which would become wrong facts.
            favor_precision=True,
            # trafilatura's deduplication counts paragraphs across every page the process
            # has read (a build's output would depend on the order of its files), and even a
            # cache of the page's own counts its fallback passes, dropping real paragraphs.
            deduplicate=False,
            date_extraction_params=dict(PAGE_DATE_SEARCH),  # a copy: trafilatura writes to it
        )
    except Exception:  # a page trafilatura cannot read is read by kg's line reader instead
        logger.debug("trafilatura failed on a page", exc_info=True)
        return None
    if document is None or not (document.text or "").strip():
        return None
    return MainText(
        text=document.text,
        title=document.title or None,
        author=document.author or None,
        date=_iso_date(document.date or ""),
        url=document.url or None,
    )


def parse_saved_page(html: str, article_id: str, source: str = "") -> Article:
    """Read a saved web page: story, headline, author and date by trafilatura where it finds
    them, else by kg's line reader; the advert block always by the line reader.

    A page in which the line reader finds no text (nothing but scripts, menus and footers)
    is not an article, whatever trafilatura makes of its menu; its `InputError` says why.
    """
    by_lines = parse_article(html_to_text(html), article_id, source)
    main = extract_main_text(html)
    if main is None:
        return by_lines
    headline = main.title or by_lines.headline
    story = "\n".join(_main_text_story(main.text, headline))
    sentences = tuple(split_sentences(story))
    if not story:  # trafilatura took the story for comments or a caption, all but the headline
        story, sentences = by_lines.story, by_lines.sentences
    return Article(
        id=article_id,
        source=source,
        headline=headline,
        author=main.author or by_lines.author,
        date=main.date or by_lines.date,
        story=story,
        sentences=sentences,
        advert_block=by_lines.advert_block,
        url=_web_address(main.url),
    )


def _web_address(url: str | None) -> str | None:
    """`url` if it is an http(s) address with no spaces: a page's metadata can say anything."""
    if url and WEB_ADDRESS.fullmatch(url.strip()):
        return url.strip()
    return None


WEB_ADDRESS = re.compile(r"https?://[^\s<>\"{}|\\^`]+", re.IGNORECASE)


# trafilatura writes a table as Markdown, "| 2023 | £44m |" under a rule "|---|---|", and a
# list item as "- Item"; kg's story has the text alone, as a text file has it.
TABLE_ROW = re.compile(r"^\|(?P<cells>.*?)\|$")
TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+$")
LIST_ITEM = re.compile(r"^- (?P<item>.+)$")


def _main_text_story(text: str, headline: str) -> list[str]:
    """The story in trafilatura's main text: without the headline and a byline above it,
    and cut where kg's reader cuts a text file's story (furniture, teasers, adverts)."""
    lines = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if TABLE_RULE.match(line):
            continue
        markup = TABLE_ROW.match(line) or LIST_ITEM.match(line)
        if markup:
            line = markup[1].strip()
        if line:
            lines.append(line)
    start = 0
    while start < len(lines) and (
        _loose(lines[start]) == _loose(headline) or parse_byline(lines[start])
    ):
        start += 1
    return _story_lines(lines[start : _story_end(lines, start, headline)], headline)


def read_article(path: Path, article_id: str | None = None) -> Article:
    """Read one file into the article `article_id` (by default the id `find_article_files`
    gives a file named on its own); raises `InputError` with a one-line reason if it is not
    an article. What had to be repaired to read it is in `Article.repairs`."""
    if article_id is None:
        article_id = article_id_of(PurePath(path.name))
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error
    if HTML_START.match(raw[:HTML_START_BYTES]):
        decoded = decode_page_bytes(raw, path)
        page = True
    else:
        decoded = decode_article_bytes(raw, path)
        # A page saved as UTF-16 shows its tags only once decoded.
        opening = decoded.text[:HTML_START_BYTES].encode("utf-8", errors="replace")
        page = HTML_START.match(opening) is not None
    parse = parse_saved_page if page else parse_article
    article = parse(decoded.text, article_id=article_id, source=str(path))
    return dataclasses.replace(article, repairs=decoded.repairs) if decoded.repairs else article


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """A file to read as an article, and the id its article has in the graph."""

    path: Path
    article_id: str


# A file stem kept as its article's id, as the samples' `000_c31a83825a9d8308.txt` keeps
# `000_c31a83825a9d8308`: ASCII letters, digits, `_`, `-` and `.`, safe in an IRI as they are.
KEPT_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
# A minted id ends with a hash of the file's path; a stem that ends so is minted too, so a
# kept stem and a minted id never meet.
PATH_HASH_LENGTH = 8
MINTED_ENDING = re.compile(rf"-[0-9a-f]{{{PATH_HASH_LENGTH}}}$")
# The longest slug before the hash, its end kept: the file's name says more than its folders.
SLUG_LENGTH = 60
NOT_SLUG = re.compile(r"[^a-z0-9]+")


def article_id_of(relative: PurePath) -> str:
    """The id of the article in the file at `relative`, its path under the folder walked.

    A plain ASCII name at the top of the folder keeps its stem (`000_c31a83825a9d8308.txt`
    → `000_c31a83825a9d8308`); any other path is minted a slug and a hash of the whole
    path, so files of one name in two folders, or two names the slug cannot tell apart,
    get ids of their own: `2019/index.html` → `2019-index-…`, `a b.txt` → `a-b-…`,
    `新闻.txt` → `unnamed-…`.
    """
    stem = relative.stem
    if len(relative.parts) == 1 and KEPT_STEM.fullmatch(stem) and not MINTED_ENDING.search(stem):
        return stem
    return minted_article_id(relative)


def minted_article_id(path: PurePath) -> str:
    """A slug of `path` (folders and stem, accents dropped, lower case) and a hash of all of it."""
    words = "-".join([*path.parent.parts, path.stem])
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", errors="ignore").decode()
    slug = NOT_SLUG.sub("-", ascii_words.lower()).strip("-")
    slug = slug[-SLUG_LENGTH:].lstrip("-") or "unnamed"
    # surrogateescape: a file name that is not UTF-8 still has bytes to hash.
    digest = hashlib.sha256(path.as_posix().encode("utf-8", errors="surrogateescape"))
    return f"{slug}-{digest.hexdigest()[:PATH_HASH_LENGTH]}"


def unique_article_ids(found: Mapping[Path, PurePath]) -> dict[Path, str]:
    """The id of each file found, given its path under the folder walked: `article_id_of`
    that path, but where two files would share an id, each minted from that path (`a.txt`
    and `a.html` in one folder), and where they still would, from its whole path (`index.html`
    at the top of two folders walked). An id changes only when another file comes to share it.
    """
    ids = {path: article_id_of(relative) for path, relative in found.items()}
    for mint in (lambda path: minted_article_id(found[path]), minted_article_id):
        shared = {article_id for article_id, count in Counter(ids.values()).items() if count > 1}
        ids = {
            path: mint(path) if article_id in shared else article_id
            for path, article_id in ids.items()
        }
    return ids


def find_article_files(paths: Iterable[Path]) -> list[ArticleFile]:
    """Every article file under `paths` (files or folders, recursively), sorted, once each,
    with the id of its article (`unique_article_ids`: from its path under the folder walked,
    or for a file named on its own, from its name). In a folder only files with an
    article's suffix are read (`ARTICLE_SUFFIXES`); a file named is read whatever its name."""
    found: dict[Path, PurePath] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                hidden = any(part.startswith(".") for part in relative.parts)
                if child.is_file() and not hidden and child.suffix.lower() in ARTICLE_SUFFIXES:
                    found.setdefault(child, relative)
        elif path.is_file():
            found.setdefault(path, PurePath(path.name))
        else:
            raise InputError(f"{path}: no such file or folder")
    return [ArticleFile(path, article_id) for path, article_id in unique_article_ids(found).items()]


def read_corpus(paths: Iterable[Path]) -> Iterator[Article | SkippedFile]:
    """Articles under `paths` in file order; unreadable files come out as `SkippedFile`."""
    for found in find_article_files(paths):
        try:
            yield read_article(found.path, found.article_id)
        except InputError as error:
            yield SkippedFile(found.path, str(error))


def bundled_samples() -> Path:
    """The folder of sample articles shipped with the package."""
    return Path(__file__).parent / "samples"
