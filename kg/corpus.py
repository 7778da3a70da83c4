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
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import InputError
from kg.model import Article
from kg.sentences import split_sentences

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ""})

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

# Bytes that never occur in text: a file holding them is binary.
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
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
# Latin-1 lacks; so does kg.
BROWSER_CHARSETS = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file that was found but could not be read as an article."""

    path: Path
    reason: str


def decode_article_bytes(raw: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), falling back to cp1252 for its `£` sign."""
    if BINARY_BYTES.search(raw[:8192]):
        raise InputError(f"{path}: not a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8 or cp1252 text")


def decode_page_bytes(raw: bytes, path: Path) -> str:
    """Decode a saved page as a browser does: in the charset it declares, a byte that is
    not of it (a UTF-8 character cut in half) made U+FFFD; a page that declares none, or
    one Python does not know, as `decode_article_bytes` decodes a text file."""
    head = raw[:8192]
    declared = DECLARED_CHARSET.search(head)
    charset = declared["charset"].decode("ascii").lower() if declared else ""
    codec = BROWSER_CHARSETS.get(charset, charset)
    try:
        codecs.lookup(codec)
    except LookupError:
        codec = ""
    if not codec or raw.startswith(b"\xef\xbb\xbf") or BINARY_BYTES.search(head):
        return decode_article_bytes(raw, path)
    return raw.decode(codec, errors="replace")


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
    )


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


def read_article(path: Path) -> Article:
    """Read one file; raises `InputError` with a one-line reason if it is not an article."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error
    if HTML_START.match(raw[:HTML_START_BYTES]):
        html = decode_page_bytes(raw, path)
        return parse_saved_page(html, article_id=path.stem, source=str(path))
    text = decode_article_bytes(raw, path)
    return parse_article(text, article_id=path.stem, source=str(path))


def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Every article file under `paths` (files or folders, recursively), sorted, once each."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in ARTICLE_SUFFIXES:
                    found.setdefault(child, None)
        elif path.is_file():
            found.setdefault(path, None)
        else:
            raise InputError(f"{path}: no such file or folder")
    return list(found)


def read_corpus(paths: Iterable[Path]) -> Iterator[Article | SkippedFile]:
    """Articles under `paths` in file order; unreadable files come out as `SkippedFile`."""
    for path in find_article_files(paths):
        try:
            yield read_article(path)
        except InputError as error:
            yield SkippedFile(path, str(error))


def bundled_samples() -> Path:
    """The folder of sample articles shipped with the package."""
    return Path(__file__).parent / "samples"
